#!/bin/sh
# 'tillit control library': browsing the shipped library, its filters and
# languages, and the issue's bar: >= 120 controls, every common criterion
# (CC1.1 ... CC9.2) mapped by at least two library controls.
. "$(dirname "$0")/lib.sh"

t "init" "$TILLIT" init
t "create an organization" "$TILLIT" org create acme --name "Acme AB"

t "library lists controls" "$TILLIT" control library
out_has "^code  *family  *title  *frequency  *nature  *type  *key  *criteria"
out_has "^GOV-01  *governance  *Code of conduct"

t "library as json" "$TILLIT" control library --format json
cp "$SCRATCH/out" "$SCRATCH/lib.json"
t "library has >= 120 controls, unique codes, known enums" python3 -c '
import json, sys
lib = json.load(open(sys.argv[1]))
assert len(lib) >= 120, len(lib)
codes = [c["code"] for c in lib]
assert len(set(codes)) == len(codes)
for c in lib:
    assert set(c) == {"code", "family", "title", "frequency", "nature", "type", "key", "criteria"}, c
    assert c["key"] in ("yes", "no"), c
    assert c["criteria"], c
' "$SCRATCH/lib.json"

t "criteria as json" "$TILLIT" catalog criteria --category security --format json
cp "$SCRATCH/out" "$SCRATCH/cc.json"
t "every CC criterion (33) is mapped by >= 2 library controls" python3 -c '
import json, sys
lib = json.load(open(sys.argv[1]))
cc = [c["id"] for c in json.load(open(sys.argv[2])) if c["id"].startswith("CC")]
assert len(cc) == 33, len(cc)
n = {c: 0 for c in cc}
for ctl in lib:
    for c in ctl["criteria"].split(","):
        if c in n:
            n[c] += 1
low = [c for c in cc if n[c] < 2]
assert not low, low
' "$SCRATCH/lib.json" "$SCRATCH/cc.json"

t "filter by family" "$TILLIT" control library --family risk --format csv
cp "$SCRATCH/out" "$SCRATCH/risk.csv"
t "family filter keeps only that family" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) >= 2 and all(r["family"] == "risk" for r in rows), rows
' "$SCRATCH/risk.csv"

t "filter by criterion" "$TILLIT" control library --criterion cc3.3
out_has "^RSK-04 "
cp "$SCRATCH/out" "$SCRATCH/cc33.txt"
t "criterion filter keeps only controls mapping it" sh -c \
    "test \$(tail -n +2 '$SCRATCH/cc33.txt' | grep -vc 'CC3\.3') -eq 0"

t "library in Swedish" "$TILLIT" --lang sv control library --family hr
out_has "Bakgrundskontroll"

t_exit 2 "unknown family is refused" "$TILLIT" control library --family nope
err_has "unknown control family \"nope\" (expected one of: governance"
err_lines 1
t_exit 2 "unknown criterion is refused" "$TILLIT" control library --criterion CC99.9
err_has "unknown criterion 'CC99.9'"
err_lines 1
t_exit 2 "unknown format is refused" "$TILLIT" control library --format xml
err_has "unknown format 'xml'"
t_exit 2 "unknown verb" "$TILLIT" control frobnicate
err_has "unknown subcommand 'control frobnicate'"

# A broken override file is reported with its position.
mkdir -p "$SCRATCH/content/library"
sed 's/frequency: "quarterly"/frequency: "sometimes"/' \
    "$TILLIT_SRC/content/library/controls-b.yaml" >"$SCRATCH/content/library/controls-b.yaml"
t_exit 2 "a broken library file is refused" "$TILLIT" --content "$SCRATCH/content" control library
err_has "library/controls-b.yaml:[0-9]*:[0-9]*: .*unknown frequency \"sometimes\""
err_lines 1

done_testing
