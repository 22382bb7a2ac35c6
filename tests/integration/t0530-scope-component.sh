#!/bin/sh
# t0530: 'scope component add|edit|remove|list': system components by kind,
# in scope or out with a reason.
. "$(dirname "$0")/lib.sh"

# --- helpers shared by the t05xx scope tests (kept inline: lib.sh is shared) ---
# state: the audit log and the whole scope, to prove a failed command changed nothing.
state() { "$TILLIT" audit log --format csv | wc -l; "$TILLIT" scope show --format json; }
# bad DESC CMD...: exits 2 with one error line and changes nothing.
bad() {
    desc=$1; shift
    before=$(state)
    t_exit 2 "$desc" "$@"
    err_lines 1
    if [ "$(state)" = "$before" ]; then ok "$desc: nothing changed"; else not_ok "$desc: nothing changed"; fi
}
# json_cmd DESC CMD...: runs CMD (which must pass) and keeps its stdout for json_ok.
json_cmd() { t "$@"; cp "$SCRATCH/out" "$SCRATCH/json"; }
# json_ok DESC EXPR: the kept JSON, d, makes the python EXPR true.
json_ok() {
    t "$1" python3 -c "import json, sys; d = json.load(open(sys.argv[1])); assert $2, d" "$SCRATCH/json"
}

t "init" "$TILLIT" init
t "create organization" "$TILLIT" org create acme --name "Acme AB"

t "add software" "$TILLIT" scope component add software "payroll-api" --description "Go services on ECS"
out_has "added software component 'payroll-api' (in scope)"
t "add infrastructure" "$TILLIT" scope component add infrastructure "AWS eu-north-1"
t "add data" "$TILLIT" scope component add data "payroll records"
t "add people" "$TILLIT" scope component add people "engineering"
t "add procedures out of scope" "$TILLIT" scope component add procedures "office cleaning" \
    --out --reason "no access to systems"
out_has "(out of scope)"
t "same name, other kind" "$TILLIT" scope component add data "engineering"

json_cmd "list as json" "$TILLIT" scope component list --format json
json_ok "by kind in model order, then name" \
    '[(c["kind"], c["name"]) for c in d] == [("infrastructure", "AWS eu-north-1"), ("software", "payroll-api"), ("people", "engineering"), ("procedures", "office cleaning"), ("data", "engineering"), ("data", "payroll records")]'
json_ok "scope and reason columns" \
    '[(c["scope"], c["reason"]) for c in d if c["kind"] == "procedures"] == [("out", "no access to systems")]'
json_cmd "list one kind" "$TILLIT" scope component list --kind data --format json
json_ok "only data" '[c["name"] for c in d] == ["engineering", "payroll records"]'
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "show groups components by kind" \
    'd["components"]["software"] == [{"name": "payroll-api", "description": "Go services on ECS", "in_scope": True, "reason": "", "version": 1}] and len(d["components"]["data"]) == 2'

t "move out with a reason" "$TILLIT" scope component edit data "payroll records" --out --reason "held by the customer"
json_cmd "list data" "$TILLIT" scope component list --kind data --format json
json_ok "now out" '[(c["scope"], c["reason"]) for c in d if c["name"] == "payroll records"] == [("out", "held by the customer")]'
t "change the reason only" "$TILLIT" scope component edit data "payroll records" --reason "customer data stays with the customer"
t "edit the description keeps the scope" "$TILLIT" scope component edit data "payroll records" --description "salaries"
json_cmd "list data" "$TILLIT" scope component list --kind data --format json
json_ok "reason and description" \
    '[(c["scope"], c["reason"], c["description"]) for c in d if c["name"] == "payroll records"] == [("out", "customer data stays with the customer", "salaries")]'
t "back in clears the reason" "$TILLIT" scope component edit data "payroll records" --in
json_cmd "list data" "$TILLIT" scope component list --kind data --format json
json_ok "in, no reason" '[(c["scope"], c["reason"]) for c in d if c["name"] == "payroll records"] == [("in", "")]'
t "remove" "$TILLIT" scope component remove data engineering
out_has "removed data component 'engineering'"
t "audit log" "$TILLIT" audit log --format csv
out_has ",scope.component.add,component,software/payroll-api,"
out_has ",scope.component.edit,component,data/payroll records,"
out_has ",scope.component.remove,component,data/engineering,"
t "list as csv" "$TILLIT" scope component list --kind procedures --format csv
out_has "^procedures,office cleaning,out,no access to systems,"

bad "unknown kind" "$TILLIT" scope component add hardware "laptops"
err_has 'unknown component kind "hardware" (expected one of: infrastructure, software, people, procedures, data)'
bad "list an unknown kind" "$TILLIT" scope component list --kind hardware
err_has 'unknown component kind "hardware"'
bad "duplicate" "$TILLIT" scope component add software "payroll-api"
err_has "software component 'payroll-api' already exists"
bad "out without a reason" "$TILLIT" scope component add software "legacy" --out
err_has "software component 'legacy' left out of scope needs a reason"
bad "a reason while in scope" "$TILLIT" scope component add software "legacy" --reason "old"
err_has "software component 'legacy' in scope takes no reason"
bad "empty name" "$TILLIT" scope component add software ""
err_has "component name must not be empty"
bad "missing name" "$TILLIT" scope component add software
err_has "usage: tillit scope component add KIND NAME"
bad "edit: out without a reason" "$TILLIT" scope component edit software "payroll-api" --out
err_has "software component 'payroll-api' left out of scope needs a reason"
bad "edit: reason on a component in scope" "$TILLIT" scope component edit software "payroll-api" --reason x
err_has "in scope takes no reason"
bad "edit: --in and --out" "$TILLIT" scope component edit software "payroll-api" --in --out
err_has "usage: tillit scope component edit"
bad "edit: nothing to change" "$TILLIT" scope component edit software "payroll-api"
err_has "nothing to change for software component 'payroll-api'"
bad "edit unknown" "$TILLIT" scope component edit software "nope" --description x
err_has "no software component 'nope'"
bad "remove unknown" "$TILLIT" scope component remove people "sales"
err_has "no people component 'sales'"
bad "remove with an unknown kind" "$TILLIT" scope component remove robots "r2"
err_has 'unknown component kind "robots"'

done_testing
