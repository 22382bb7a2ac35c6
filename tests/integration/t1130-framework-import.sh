#!/bin/sh
# OSCAL catalog import: a catalog becomes a framework of the organization,
# its controls map to the trust services criteria, and exporting it as a
# catalog again validates (round trip). Not JSON, not a catalog, or a
# control without a title: refused with the JSON path, nothing imported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/oscal-lib.sh"
DATA="$TILLIT_SRC/tests/data/oscal"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null

oscal_valid "the fixture is a valid catalog" catalog "$DATA/sample-catalog.json"

# Bad input first: each refusal leaves no framework and no audit entry.
"$TILLIT" audit log --format csv >"$SCRATCH/audit0"
t_exit 2 "not JSON" "$TILLIT" framework import "$DATA/not-json.json"
err_has "not-json.json"
t_exit 2 "not a catalog" "$TILLIT" framework import "$DATA/not-a-catalog.json"
err_has "\\$: not an OSCAL catalog: no 'catalog' member"
t_exit 2 "a control without a title" "$TILLIT" framework import "$DATA/bad-control.json"
err_has "\\$.catalog.groups\\[0\\].controls\\[1\\]: 'title' is missing"
t_exit 2 "a missing file" "$TILLIT" framework import "$SCRATCH/nope.json"
t "nothing imported" "$TILLIT" framework list --format csv
if [ "$(wc -l <"$SCRATCH/out")" -eq 1 ]; then ok "no framework"; else not_ok "no framework"; fi
"$TILLIT" audit log --format csv >"$SCRATCH/audit1"
t "no audit entry" cmp "$SCRATCH/audit0" "$SCRATCH/audit1"

t "import" "$TILLIT" framework import "$DATA/sample-catalog.json"
out_has "imported framework 'example-security-controls' (Example Security Controls): 3 controls"
t_exit 2 "import twice" "$TILLIT" framework import "$DATA/sample-catalog.json"
err_has "exists already"
t "import under another slug" "$TILLIT" framework import "$DATA/sample-catalog.json" --slug esc2
t "list" "$TILLIT" framework list --format json
keep list.json
t "two frameworks of 3 controls" python3 - "$SCRATCH/list.json" <<'PY'
import json, sys
l = json.load(open(sys.argv[1]))
assert [f["slug"] for f in l] == ["esc2", "example-security-controls"], l
assert all(str(f["controls"]) == "3" for f in l), l
PY

t "map a control" "$TILLIT" framework map example-security-controls:ac-1 CC6.2
t "map it twice more" "$TILLIT" framework map example-security-controls:ac-1 cc6.3
t "map an enhancement" "$TILLIT" framework map example-security-controls:ac-1.1 CC4.1
t_exit 2 "map again" "$TILLIT" framework map example-security-controls:ac-1 CC6.2
err_has "mapped to CC6.2 already"
t_exit 2 "unknown criterion" "$TILLIT" framework map example-security-controls:ac-1 CC99.1
err_has "no criterion 'CC99.1'"
t_exit 2 "unknown control" "$TILLIT" framework map example-security-controls:zz-9 CC6.2
err_has "has no control 'zz-9'"
t_exit 2 "ambiguous without the slug" "$TILLIT" framework map ac-1 CC6.2
err_has "name the framework too"
t "unmap" "$TILLIT" framework map example-security-controls:ac-1 CC6.3 --unmap
t "show" "$TILLIT" framework show example-security-controls --format csv
out_has "ac-1,AC-1,Access Reviews,Access Control,CC6.2"
out_has "ac-1.1,AC-1(1),Automated Review Evidence,Access Control,CC4.1"

t "export the framework as a catalog" \
    "$TILLIT" report oscal catalog --framework example-security-controls -o "$SCRATCH/rt.json"
oscal_valid "the round trip validates" catalog "$SCRATCH/rt.json"
t "same controls, statements and nesting, with the mappings" python3 - "$DATA/sample-catalog.json" "$SCRATCH/rt.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["catalog"]; b = json.load(open(sys.argv[2]))["catalog"]
def ids(groups):
    out = []
    def ctl(c):
        out.append(c["id"]); [ctl(s) for s in c.get("controls", [])]
    for g in groups:
        [ctl(c) for c in g.get("controls", [])]
    return out
assert ids(a["groups"]) == ids(b["groups"]) == ["ac-1", "ac-1.1", "ir-1"], ids(b["groups"])
assert b["uuid"] == a["uuid"]
ac1 = b["groups"][0]["controls"][0]
assert "b. when a person changes role." in ac1["parts"][0]["prose"]
props = {(p["name"], p["value"]) for p in ac1["props"]}
assert ("tsc-criterion", "CC6.2") in props and ("label", "AC-1") in props, props
assert ("tsc-criterion", "CC6.3") not in props
PY
t "re-import the export" "$TILLIT" framework import "$SCRATCH/rt.json" --slug roundtrip
out_has "3 controls"
t "remove" "$TILLIT" framework remove esc2
t_exit 2 "remove again" "$TILLIT" framework remove esc2
err_has "no framework 'esc2'"
t "audit chain intact" "$TILLIT" audit verify
done_testing
