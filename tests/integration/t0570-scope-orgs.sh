#!/bin/sh
# t0570: scope records belong to one organization: another one neither
# sees nor changes them.
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
t "create acme" "$TILLIT" org create acme --name "Acme AB"
t "create bolt" "$TILLIT" org create bolt --name "Bolt AB"

t "acme: set" "$TILLIT" --org acme scope set --name "Acme Cloud"
t "acme: service" "$TILLIT" --org acme scope service add "Payroll"
t "acme: component" "$TILLIT" --org acme scope component add software api
t "acme: subservice" "$TILLIT" --org acme scope subservice add aws --name AWS --method carve-out
t "acme: csoc" "$TILLIT" --org acme scope csoc add aws --text "Physical security"
t "acme: cuec" "$TILLIT" --org acme scope cuec add CUEC-01 --text "Users"
t "acme: category" "$TILLIT" --org acme scope category privacy --out --reason "none"

json_cmd "bolt: show" "$TILLIT" --org bolt scope show --format json
json_ok "bolt sees nothing of acme's" \
    'd["name"] == "" and d["services"] == [] and d["subservice_orgs"] == [] and d["cuecs"] == [] and all(v == [] for v in d["components"].values())'
json_ok "bolt's categories are its own" \
    '[c["reason"] for c in d["categories"] if c["category"] == "privacy"] == ["not assessed yet"]'
t "bolt: the same names are free" "$TILLIT" --org bolt scope service add "Payroll"
t "bolt: its own aws" "$TILLIT" --org bolt scope subservice add aws --name "AWS" --method inclusive
json_cmd "acme: subservice list" "$TILLIT" --org acme scope subservice list --format json
json_ok "acme's aws unchanged" '[(s["slug"], s["method"], s["csocs"]) for s in d] == [("aws", "carve-out", "1")]'

csoc=$("$TILLIT" --org acme scope csoc list --format csv | sed -n 2p | cut -d, -f1)
bad "bolt cannot remove acme's csoc" "$TILLIT" --org bolt scope csoc remove "$csoc"
err_has "no csoc '$csoc'"
bad "bolt cannot edit acme's cuec" "$TILLIT" --org bolt scope cuec edit CUEC-01 --text x
err_has "no cuec 'CUEC-01'"
bad "bolt cannot remove acme's component" "$TILLIT" --org bolt scope component remove software api
err_has "no software component 'api'"
bad "no --org with two organizations" "$TILLIT" scope show
err_has "2 organizations exist: choose one with --org"
t "audit verify" "$TILLIT" audit verify

done_testing
