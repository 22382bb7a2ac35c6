#!/bin/sh
# t0520: 'scope service add|edit|remove|list': the services the system provides.
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

t "add a service" "$TILLIT" scope service add "Payroll SaaS" --description "payroll for Nordic SMEs"
out_has "added service 'Payroll SaaS'"
t "add another without a description" "$TILLIT" scope service add "Payroll API"
json_cmd "list as json" "$TILLIT" scope service list --format json
json_ok "both, by name" \
    'd == [{"name": "Payroll API", "description": "", "version": "1"}, {"name": "Payroll SaaS", "description": "payroll for Nordic SMEs", "version": "1"}]'
t "list as a table" "$TILLIT" scope service list
out_has "^Payroll SaaS *payroll for Nordic SMEs"
t "edit the description" "$TILLIT" scope service edit "Payroll API" --description "REST API"
t "rename" "$TILLIT" scope service edit "Payroll API" --name "Acme API"
out_has "updated service 'Acme API'"
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "show lists the services" \
    'd["services"] == [{"name": "Acme API", "description": "REST API", "version": 3}, {"name": "Payroll SaaS", "description": "payroll for Nordic SMEs", "version": 1}]'
t "remove" "$TILLIT" scope service remove "Acme API"
out_has "removed service 'Acme API'"
json_cmd "list as json" "$TILLIT" scope service list --format json
json_ok "one left" '[s["name"] for s in d] == ["Payroll SaaS"]'
t "audit log" "$TILLIT" audit log --format csv
out_has ",scope.service.add,service,Payroll SaaS,"
out_has ",scope.service.edit,service,Payroll API,"
out_has ",scope.service.remove,service,Acme API,"

bad "duplicate" "$TILLIT" scope service add "Payroll SaaS"
err_has "service 'Payroll SaaS' already exists"
bad "empty name" "$TILLIT" scope service add ""
err_has "service name must not be empty"
bad "no name" "$TILLIT" scope service add --description x
err_has "usage: tillit scope service add NAME"
bad "remove unknown" "$TILLIT" scope service remove "Nope"
err_has "no service 'Nope'"
bad "edit unknown" "$TILLIT" scope service edit "Nope" --description x
err_has "no service 'Nope'"
t "add a second service" "$TILLIT" scope service add "Payroll API"
bad "rename onto another" "$TILLIT" scope service edit "Payroll API" --name "Payroll SaaS"
err_has "service 'Payroll SaaS' already exists"
bad "edit without changes" "$TILLIT" scope service edit "Payroll API"
err_has "nothing to change for service 'Payroll API'"
bad "unknown verb" "$TILLIT" scope service delete "Payroll API"
err_has "unknown subcommand 'scope service delete' (expected one of: add, edit, remove, list)"
bad "list with a bad format" "$TILLIT" scope service list --format xml
err_has "unknown format 'xml'"

done_testing
