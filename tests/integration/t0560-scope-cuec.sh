#!/bin/sh
# t0560: 'scope cuec add|edit|remove|list': complementary user entity controls.
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

t "add a cuec" "$TILLIT" scope cuec add CUEC-02 --text "Customers review their users' access" --criteria "CC6.2, cc6.3"
out_has "added cuec 'CUEC-02'"
t "add another" "$TILLIT" scope cuec add CUEC-01 --text "Customers protect their credentials"
json_cmd "list as json" "$TILLIT" scope cuec list --format json
json_ok "by code, criteria in catalog spelling" \
    'd == [{"code": "CUEC-01", "text": "Customers protect their credentials", "criteria": "", "version": "1"}, {"code": "CUEC-02", "text": "Customers review their users'"'"' access", "criteria": "CC6.2,CC6.3", "version": "1"}]'
t "edit criteria" "$TILLIT" scope cuec edit CUEC-01 --criteria CC6.1
t "edit text" "$TILLIT" scope cuec edit CUEC-01 --text "Customers keep credentials secret"
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "show has criteria arrays" \
    'd["cuecs"] == [{"code": "CUEC-01", "text": "Customers keep credentials secret", "criteria": ["CC6.1"], "version": 3}, {"code": "CUEC-02", "text": "Customers review their users'"'"' access", "criteria": ["CC6.2", "CC6.3"], "version": 1}]'
t "list as a table" "$TILLIT" scope cuec list
out_has "^CUEC-01 *CC6.1 *Customers keep"
t "remove" "$TILLIT" scope cuec remove CUEC-02
out_has "removed cuec 'CUEC-02'"
json_cmd "list as json" "$TILLIT" scope cuec list --format json
json_ok "one left" '[c["code"] for c in d] == ["CUEC-01"]'
t "audit log" "$TILLIT" audit log --format csv
out_has ",scope.cuec.add,cuec,CUEC-02,"
out_has ",scope.cuec.edit,cuec,CUEC-01,"
out_has ",scope.cuec.remove,cuec,CUEC-02,"

bad "duplicate" "$TILLIT" scope cuec add CUEC-01 --text "again"
err_has "cuec 'CUEC-01' already exists"
bad "bad code" "$TILLIT" scope cuec add "CUEC 3" --text "x"
err_has "invalid cuec code 'CUEC 3'"
bad "no text" "$TILLIT" scope cuec add CUEC-03
err_has "usage: tillit scope cuec add CODE --text TEXT"
bad "unknown criterion" "$TILLIT" scope cuec add CUEC-03 --text "x" --criteria "CC6.1,PI9.1"
err_has "unknown criterion 'PI9.1'"
bad "edit: unknown criterion" "$TILLIT" scope cuec edit CUEC-01 --criteria "CC99"
err_has "unknown criterion 'CC99'"
bad "edit: empty text" "$TILLIT" scope cuec edit CUEC-01 --text ""
err_has "cuec text must not be empty"
bad "edit: nothing to change" "$TILLIT" scope cuec edit CUEC-01
err_has "nothing to change for cuec 'CUEC-01'"
bad "edit unknown" "$TILLIT" scope cuec edit CUEC-09 --text x
err_has "no cuec 'CUEC-09'"
bad "remove unknown" "$TILLIT" scope cuec remove CUEC-09
err_has "no cuec 'CUEC-09'"
bad "unknown verb" "$TILLIT" scope cuec show CUEC-01
err_has "unknown subcommand 'scope cuec show'"

done_testing
