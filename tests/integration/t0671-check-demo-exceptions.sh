#!/bin/sh
# Over the demo organization's exports, every check of the pack finds
# exactly the exceptions the generator planted (manifest.json): the same
# rows, no more, no fewer; for another seed and a larger size too.
. "$(dirname "$0")/lib.sh"

[ "$T_BACKEND" = postgres ] && export TILLIT_DATA_DIR="$SCRATCH/data"
export TILLIT_NOW=2026-10-01T09:00:00Z
"$TILLIT" init >/dev/null
"$TILLIT" demo >/dev/null
t "generate and load the demo exports" "$TILLIT" demo data --dir demo --load
out_has "loaded 15 datasets into organization 'norrsken'"

compare() { # compare RUN.json MANIFEST.json: exactly the planted rows
    python3 - "$1" "$2" <<'PY'
import json, sys
runs = {r['check']: r for r in json.load(open(sys.argv[1]))}
planted = json.load(open(sys.argv[2]))['planted']
bad = []
for cid, p in sorted(planted.items()):
    r = runs.get(cid)
    if r is None or r['result'] == 'skipped':
        bad.append('%s did not run' % cid)
        continue
    got = sorted(tuple(str(row[c]) for c in p['columns']) for row in r['rows'])
    want = sorted(tuple(x) for x in p['rows'])
    if got != want or r['exceptions'] != len(want):
        bad.append('%s: got %s, planted %s' % (cid, got, want))
    if r['result'] != ('fail' if want else 'pass'):
        bad.append('%s: result %s' % (cid, r['result']))
    if r['population'] < len(want) or r['population'] == 0:
        bad.append('%s: population %d' % (cid, r['population']))
missing = set(runs) - set(planted)
if missing:
    bad.append('checks the manifest does not cover: %s' % sorted(missing))
for b in bad:
    print('# ' + b)
sys.exit(1 if bad else 0)
PY
}

t_exit 1 "run the pack: exit 1, some checks fail" "$TILLIT" check run --all --format json
keep run.json
t "every check finds exactly the planted exceptions" compare "$SCRATCH/run.json" demo/manifest.json
t "at least 25 checks ran" test "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$SCRATCH/run.json")" -ge 25

t_exit 1 "the table format" "$TILLIT" check run --all
out_has "^FAIL  aws-console-mfa: AWS console users without MFA"
out_has "^alexander.axelsson  *arn:aws:iam::493817265120:user/alexander.axelsson"
out_has "^PASS  aws-root-mfa: AWS root account without MFA"
out_has "^FAIL  vuln-sla: .*"
out_has "^VULN-0000230  *high"
out_has "checks: 2 passed, 29 failed, 0 skipped (as of 2026-10-01, period 2025-10-02..2026-10-01)"
t "a passing check alone exits 0" "$TILLIT" check run aws-root-mfa
out_has "^PASS  aws-root-mfa"
out_has "population 1, exceptions 0"

t "another seed, fifty times the rows" "$TILLIT" demo data --dir other --seed 7 --rows 100000 --load
t_exit 1 "run the pack again" "$TILLIT" check run --all --format json
keep run2.json
t "the same planted exceptions are found" compare "$SCRATCH/run2.json" other/manifest.json
t "over larger populations" python3 - "$SCRATCH/run2.json" <<'PY'
import json, sys
runs = {r['check']: r for r in json.load(open(sys.argv[1]))}
assert runs["vuln-sla"]["population"] >= 95000, runs["vuln-sla"]["population"]
assert runs["deploy-ticket-approved"]["population"] > 25000
PY
done_testing
