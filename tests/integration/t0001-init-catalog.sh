#!/bin/sh
# init creates a database with its first audit entry; the catalog lists the
# 61 TSC criteria with their points of focus and the 17 COSO principles.
. "$(dirname "$0")/lib.sh"

t "init creates the database" "$TILLIT" init
out_has "created"
t "init again is a no-op" "$TILLIT" init
out_has "up to date"

t "catalog frameworks" "$TILLIT" catalog frameworks
out_has "tsc-2017"
out_has "coso-2013"

t "catalog criteria as json" "$TILLIT" catalog criteria --format json
keep criteria.json
t "61 criteria, 33 common, COSO principles in TSC order" python3 - "$SCRATCH/criteria.json" <<'PY'
import json, sys
crit = json.load(open(sys.argv[1]))
ids = [c["id"] for c in crit]
assert len(ids) == 61, len(ids)
assert len([i for i in ids if i.startswith("CC")]) == 33
assert ids[0] == "CC1.1" and ids[32] == "CC9.2" and ids[-1] == "P8.1", ids
want = [1, 2, 3, 4, 5, 13, 14, 15, 6, 7, 8, 9, 16, 17, 10, 11, 12]
got = [c["coso_principle"]["number"] for c in crit if c["coso_principle"]]
assert got == want, got
assert all(c["points_of_focus"] for c in crit)
for c in crit:
    for p in c["points_of_focus"]:
        assert p["id"].startswith(c["id"] + "-PF"), p["id"]
        assert p["title"]["en"] and p["title"]["sv"] and p["text"]["en"] and p["text"]["sv"]
        assert p["kind"] in ("coso", "tsc", "category", "controller", "processor")
        assert (p["kind"] == "category") == bool(p["applies_to"]), p["id"]
counts = {c["category"]: 0 for c in crit}
for c in crit:
    counts[c["category"]] += 1
assert counts == {"security": 33, "availability": 3, "confidentiality": 2,
                  "processing-integrity": 5, "privacy": 18}, counts
PY

t "criteria filtered by category" "$TILLIT" catalog criteria --category availability --format csv
out_has "A1.2"
t "csv has header and 3 rows" test "$(wc -l <"$SCRATCH/out")" -eq 4

t "show CC6.1" "$TILLIT" catalog show CC6.1
out_has "CC6.1-PF01"
t "show a point of focus" "$TILLIT" catalog show CC3.3-PF01
out_has "point of focus of CC3.3"
t "show is case-insensitive" "$TILLIT" catalog show cc1.1 --format json
out_has '"number": 1'
t "swedish titles" "$TILLIT" --lang sv catalog show CC1.1
t "catalog works without a database" env TILLIT_DB="$SCRATCH/none.db" "$TILLIT" catalog criteria
test ! -e "$SCRATCH/none.db" && ok "no database was created" || not_ok "no database was created"

t "audit log shows the init entry" "$TILLIT" audit log --format json
out_has '"action": "init"'
t "audit verify" "$TILLIT" audit verify
out_has "1 entries verified"

done_testing
