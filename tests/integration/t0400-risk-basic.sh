#!/bin/sh
# risk: add, list (filters, json, csv), show, edit, link/unlink, remove;
# every change lands in the audit log.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null &&
    "$TILLIT" person add ann@acme.io --name Ann >/dev/null &&
    "$TILLIT" control add AC-01 --title "Access reviews" >/dev/null &&
    "$TILLIT" control add AC-02 --title "MFA everywhere" >/dev/null &&
    "$TILLIT" control add CM-01 --title "Change approval" >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "add a mitigated fraud risk" "$TILLIT" risk add R-01 --title "Stolen credentials" \
    --description "Phished admin password" --category access --likelihood 4 --impact 5 \
    --treatment mitigate --residual-likelihood 2 --residual-impact 3 --fraud \
    --owner ann@acme.io --next-review 2026-09-01 --control AC-02,AC-01
out_has "added risk 'R-01' (inherent 20, critical)"
t "add an accepted risk" "$TILLIT" risk add R-02 --title "Cloud region outage" \
    --likelihood 2 --impact 3 --treatment accept --category availability
t "add a transferred risk" "$TILLIT" risk add R-03 --title "Office fire" --likelihood 1 \
    --impact 4 --treatment transfer

t "list" "$TILLIT" risk list
out_has "R-01  Stolen credentials"
t "list as json" "$TILLIT" risk list --format json
keep list.json
t "json rows carry every column" python3 - "$SCRATCH/list.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["code"] for r in rows] == ["R-01", "R-02", "R-03"], rows
r = rows[0]
assert list(sorted(r)) == sorted(["code", "title", "category", "likelihood", "impact",
    "inherent", "band", "treatment", "residual", "fraud", "owner", "next_review",
    "controls"]), r
assert (r["inherent"], r["band"], r["residual"], r["fraud"]) == ("20", "critical", "6", "yes"), r
assert r["controls"] == "AC-01,AC-02" and r["owner"] == "ann@acme.io", r
assert rows[1]["band"] == "medium" and rows[1]["residual"] == "" and rows[1]["fraud"] == "no"
assert rows[2]["band"] == "low", rows[2]
PY
t "filter fraud risks" "$TILLIT" risk list --fraud --format csv
out_has "^R-01,"
t "only R-01 is a fraud risk" test "$(wc -l <"$SCRATCH/out")" -eq 2
t "filter by treatment" "$TILLIT" risk list --treatment accept --format csv
out_has "^R-02,Cloud region outage,availability,2,3,6,medium,accept,,no,,,"
t "csv has header and one row" test "$(wc -l <"$SCRATCH/out")" -eq 2

t "show" "$TILLIT" risk show R-01
out_has "inherent:     20 (critical)"
out_has "residual:     6 (medium; likelihood 2, impact 3)"
out_has "controls:     AC-01, AC-02"
t "show as json" "$TILLIT" risk show R-01 --format json
keep show.json
t "json has numbers and a control list" python3 - "$SCRATCH/show.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["likelihood"] == 4 and r["impact"] == 5 and r["inherent"] == 20, r
assert r["residual"] == 6 and r["residual_band"] == "medium" and r["fraud"] is True, r
assert r["controls"] == ["AC-01", "AC-02"] and r["next_review"] == "2026-09-01", r
assert r["description"] == "Phished admin password", r
PY

t "edit: switch to mitigate with a control" "$TILLIT" risk edit R-02 --treatment mitigate \
    --control CM-01 --residual-likelihood 1 --residual-impact 2
out_has "updated risk 'R-02'"
t "edit: fields not given stay" "$TILLIT" risk show R-02 --format json
out_has '"category": "availability"'
out_has '"residual": 2'
t "edit: clear residual and unassign owner" "$TILLIT" risk edit R-01 --no-residual --owner "" --no-fraud
t "cleared" "$TILLIT" risk show R-01 --format json
out_has '"residual": null'
out_has '"owner": null'
out_has '"fraud": false'

t "link another control" "$TILLIT" risk link R-02 --control AC-01
out_has "linked risk 'R-02' to control AC-01"
t "unlink one of two" "$TILLIT" risk link R-02 --unlink CM-01
out_has "unlinked risk 'R-02' from control CM-01"
t "controls after link and unlink" "$TILLIT" risk show R-02
out_has "controls:     AC-01$"

t "remove" "$TILLIT" risk remove R-03
out_has "removed risk 'R-03'"
t_exit 2 "removed risk is gone" "$TILLIT" risk show R-03
err_has "no risk 'R-03'"

t "audit log" "$TILLIT" audit log --format csv
keep audit.csv
t "each change audited once" python3 - "$SCRATCH/audit.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["object_type"] == "risk"]
got = [(r["action"], r["object_id"]) for r in rows]
want = [("risk.add", "R-01"), ("risk.add", "R-02"), ("risk.add", "R-03"),
        ("risk.edit", "R-02"), ("risk.edit", "R-01"), ("risk.link", "R-02"),
        ("risk.unlink", "R-02"), ("risk.remove", "R-03")]
assert got == want, got
PY
t "audit verify" "$TILLIT" audit verify

done_testing
