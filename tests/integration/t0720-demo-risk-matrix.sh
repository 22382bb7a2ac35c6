#!/bin/sh
# The demo organization and its risk assessment.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
export TILLIT_NOW=2026-10-01T09:00:00Z
t "demo" "$TILLIT" demo
out_has "50 people, 100 controls, 22 risks, 12 policies, 10 vendors"
t "control list" "$TILLIT" control list --format json
keep controls.json
t "at least 100 controls in varied states" python3 - "$SCRATCH/controls.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert len(c) >= 100, len(c)
states = {x["status"] for x in c}
assert states == {"not-started", "designed", "implemented", "operating"}, states
PY
t "deterministic: a second copy matches" "$TILLIT" demo --slug norrsken-2
"$TILLIT" --org norrsken-2 control list --format json >"$SCRATCH/controls2.json"
cmp -s "$SCRATCH/controls.json" "$SCRATCH/controls2.json" && ok "same controls" || not_ok "same controls"
t_exit 2 "a second demo under the same slug is refused" "$TILLIT" demo
err_has "already exists"

t "risk matrix" "$TILLIT" --org norrsken risk matrix --format json
keep matrix.json
t "matrix counts and loose ends" python3 - "$SCRATCH/matrix.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["risks"] == 22 and m["fraud_risks"] == 4 and m["fraud_assessment_missing"] is False
assert sum(map(sum, m["inherent"])) == 22 and sum(map(sum, m["residual"])) == 22
assert sorted(m["without_controls"]) == ["R-13", "R-14", "R-17"], m["without_controls"]
assert m["review_overdue"] == ["R-06", "R-17"], m["review_overdue"]
assert "IAM-02" not in m["controls_mitigating_no_risk"]
PY
"$TILLIT" org create empty --name Empty >/dev/null
t "an empty register flags the missing fraud assessment" "$TILLIT" --org empty risk matrix
out_has "no fraud risk is assessed (CC3.3)"
t "gap of the demo" "$TILLIT" --org norrsken gap --format json
keep gap.json
t "demo gap: scope and N/A decisions respected" python3 - "$SCRATCH/gap.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
ids = [c["id"] for c in g["criteria"]]
assert len(ids) == 38 and "A1.1" in ids and "C1.2" in ids and "PI1.1" not in ids
pofs = {p["id"]: p for c in g["criteria"] for p in c["points_of_focus"]}
assert pofs["CC3.1-PF05"]["state"] == "not-applicable"
assert g["readiness"]["overall"]["by_state"]["operating"] == 0   # no evidence yet: unverified
PY
t "audit chain intact" "$TILLIT" audit verify
done_testing
