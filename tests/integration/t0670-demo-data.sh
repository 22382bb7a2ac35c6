#!/bin/sh
# 'demo data' writes the demo organization's exports: byte-identical for the
# same seed and as-of date, different for another seed, with the planted
# exceptions listed in the manifest and the same whatever the seed or size.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW=2026-10-01T09:00:00Z
t "write the exports without a database" "$TILLIT" demo data --dir one --seed 42
out_has "wrote 15 demo exports to 'one'"
out_has "planted exceptions are listed in 'one/manifest.json'"
test ! -e "$TILLIT_DB" && ok "no database was needed" || not_ok "no database was needed"
t "again with the same seed" "$TILLIT" demo data --dir two --seed 42
same=1
for f in one/*.csv one/*.json one/*.jsonl; do
    cmp -s "$f" "two/${f#one/}" || { same=0; echo "# $f differs"; }
done
[ $same = 1 ] && ok "byte-identical files" || not_ok "byte-identical files"
t "the same git history" test "$(cat one/repo.git/refs/heads/main)" = "$(cat two/repo.git/refs/heads/main)"
t "another seed" "$TILLIT" demo data --dir three --seed 7
cmp -s one/hr.csv three/hr.csv && not_ok "another seed gives other data" ||
    ok "another seed gives other data"
t "the same planted exceptions for any seed" python3 - one/manifest.json three/manifest.json <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
def keys(m):  # git commits and deployments differ by content, not by what they are
    return {c: len(v['rows']) for c, v in m['planted'].items()}
assert keys(a) == keys(b), (keys(a), keys(b))
for c in ('aws-console-mfa', 'vuln-sla', 'backup-daily', 'pr-independent-approval',
          'policy-ack-new-hires', 'access-review-quarterly'):
    assert a['planted'][c] == b['planted'][c], c
PY
t "the manifest lists datasets and planted rows" python3 - one/manifest.json <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m['as_of'] == '2026-10-01' and m['seed'] == 42, m
assert m['period'] == {'start': '2025-10-02', 'end': '2026-10-01'}, m['period']
names = {d['name']: d for d in m['datasets']}
assert set(names) == {'hr', 'idp_users', 'aws_iam', 'git', 'github_pulls', 'deployments',
                      'change_tickets', 'backups', 'vulns', 'training', 'policy_acks',
                      'volumes', 'incidents', 'access_reviews', 'devices'}, names
assert names['vulns']['rows'] == 2000 and names['aws_iam']['kind'] == 'aws-iam-credential-report'
p = m['planted']
assert len(p) >= 25, len(p)
assert p['aws-console-mfa'] == {'columns': ['user'], 'rows': [['alexander.axelsson']]}
assert p['vuln-sla']['rows'] == [['VULN-0000017'], ['VULN-0000230'], ['VULN-0000555']]
assert p['aws-root-mfa']['rows'] == [] and p['backup-encryption']['rows'] == []
assert sum(len(v['rows']) for v in p.values()) == 40
PY
"$TILLIT" demo data --dir base >/dev/null
t "scale the large exports" "$TILLIT" demo data --dir big --rows 20000
t "vulnerabilities scale to --rows" test "$(($(wc -l <big/vulnerabilities.csv) - 1))" -eq 20000
t "backups scale to about half" test "$(wc -l <big/backup_jobs.csv)" -gt 8000
t "deployments to about a quarter" test "$(wc -l <big/deployments.csv)" -gt 5000
t "small exports do not change" cmp big/hr.csv base/hr.csv
t "nor do the planted exceptions" python3 - base/manifest.json big/manifest.json <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a['planted'] == b['planted']
PY
t "an as-of date pins the dates" "$TILLIT" demo data --dir pinned --as-of 2026-06-30
out_has "as of 2026-06-30"
t_exit 2 "too few rows" "$TILLIT" demo data --dir x --rows 10
err_has "--rows must be at least 1000"
t_exit 2 "a bad seed" "$TILLIT" demo data --dir x --seed lots
err_has "--seed must be a whole number, not 'lots'"
t_exit 2 "an as-of date in the future" "$TILLIT" demo data --dir x --as-of 2027-01-01
err_has "--as-of '2027-01-01' is in the future"
t_exit 2 "--load needs a database" "$TILLIT" demo data --dir y --load
err_has "no database"
done_testing
