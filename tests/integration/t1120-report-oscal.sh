#!/bin/sh
# OSCAL exports of the demo organization: the criteria catalog, the system
# security plan, assessment results and the plan of action and milestones
# each validate against NIST's OSCAL 1.2.1 JSON schema; exporting twice
# gives the same bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oscal-lib.sh"
export TILLIT_NOW=2026-07-15T09:00:00Z

"$TILLIT" init >/dev/null
"$TILLIT" demo >/dev/null

t "catalog" "$TILLIT" report oscal catalog -o "$SCRATCH/catalog.json"
t "ssp" "$TILLIT" report oscal ssp -o "$SCRATCH/ssp.json"
t "assessment results (no engagement: the gap analysis)" \
    "$TILLIT" report oscal assessment-results -o "$SCRATCH/ar.json"
t "poam" "$TILLIT" report oscal poam -o "$SCRATCH/poam.json"

oscal_valid "catalog validates" catalog "$SCRATCH/catalog.json"
oscal_valid "ssp validates" ssp "$SCRATCH/ssp.json"
oscal_valid "assessment results validate" assessment-results "$SCRATCH/ar.json"
oscal_valid "poam validates" poam "$SCRATCH/poam.json"

t "the catalog holds the 61 criteria and their points of focus" python3 - "$SCRATCH/catalog.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["catalog"]
ids, pofs = [], 0
def walk(groups):
    global pofs
    for g in groups:
        for ctl in g.get("controls", []):
            ids.append(ctl["id"])
            for part in ctl.get("parts", []):
                if part["name"] == "guidance":
                    pofs += len(part["parts"])
        walk(g.get("groups", []))
walk(c["groups"])
assert len(ids) == 61 and ids[0] == "cc1.1" and "p8.1" in ids, len(ids)
assert pofs > 250, pofs
assert c["metadata"]["oscal-version"] == "1.2.1"
PY
t "the ssp covers every criterion in scope" python3 - "$SCRATCH/ssp.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["system-security-plan"]
reqs = s["control-implementation"]["implemented-requirements"]
assert len(reqs) >= 33, len(reqs)
assert s["system-characteristics"]["system-name"].startswith("Norrsken")
states = {r["by-components"][0]["implementation-status"]["state"] for r in reqs}
assert states <= {"implemented", "partial", "planned", "not-applicable"}, states
PY
t "same bytes when exported again" "$TILLIT" report oscal ssp -o "$SCRATCH/ssp2.json"
t "identical" cmp "$SCRATCH/ssp.json" "$SCRATCH/ssp2.json"

# With a Type II engagement, when the engagement commands can make one.
if "$TILLIT" engagement demo >/dev/null 2>&1; then
    t "assessment results of the engagement" "$TILLIT" report oscal assessment-results -o "$SCRATCH/ar2.json"
    oscal_valid "they validate" assessment-results "$SCRATCH/ar2.json"
    t "poam of the engagement" "$TILLIT" report oscal poam -o "$SCRATCH/poam2.json"
    oscal_valid "it validates" poam "$SCRATCH/poam2.json"
    t "soc2 type II" "$TILLIT" report soc2 --format md
    out_has "SOC 2 Type II report"
    out_has "Exceptions noted"
    t "soc2 type II pdf with samples" "$TILLIT" report soc2 --samples --format pdf -o "$SCRATCH/t2.pdf"
else
    skip "no 'tillit engagement demo' in this build"
fi

t_exit 2 "unknown export" "$TILLIT" report oscal profile -o "$SCRATCH/p.json"
err_has "unknown subcommand 'report profile'"
t_exit 2 "no export named" "$TILLIT" report oscal
done_testing
