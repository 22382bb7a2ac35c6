#!/bin/sh
# t0500: 'scope show' and 'scope set': a new organization's scope, then the
# system's name, boundaries and commitments.
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

json_cmd "show a new organization's scope as json" "$TILLIT" scope show --format json
json_ok "json is one object with every section" \
    'sorted(d) == ["boundaries", "categories", "commitments", "components", "cuecs", "name", "privacy_role", "services", "subservice_orgs", "version"] and d["version"] == 1'
json_ok "security in, the others out 'not assessed yet'" \
    '[(c["category"], c["in_scope"], c["reason"]) for c in d["categories"]] == [("security", True, ""), ("availability", False, "not assessed yet"), ("processing-integrity", False, "not assessed yet"), ("confidentiality", False, "not assessed yet"), ("privacy", False, "not assessed yet")]'
json_ok "every component kind, all empty" \
    'd["components"] == {"infrastructure": [], "software": [], "people": [], "procedures": [], "data": []}'
json_ok "no services, subservice orgs or cuecs" \
    'd["services"] == [] and d["subservice_orgs"] == [] and d["cuecs"] == [] and d["name"] == ""'

t "set name, boundaries and commitments" "$TILLIT" scope set --name "Acme Cloud" \
    --boundaries "The production platform in AWS eu-north-1" --commitments "99.9% availability"
out_has "updated the system"
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "the system is set" \
    'd["name"] == "Acme Cloud" and d["boundaries"].startswith("The production") and d["commitments"] == "99.9% availability"'
t "set one field only" "$TILLIT" scope set --commitments "99.95% availability"
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "other fields are kept" 'd["name"] == "Acme Cloud" and d["commitments"] == "99.95% availability"'
t "audit log" "$TILLIT" audit log
out_has "scope.set"

t "show as a table" "$TILLIT" scope show
out_has "^system: *Acme Cloud"
out_has "^boundaries: *The production platform"
out_has "^availability *out *not assessed yet"
out_has "^subservice organizations:"
out_has "(none)"
t "help scope" "$TILLIT" help scope
out_has "tillit scope component add KIND NAME"

bad "set without options" "$TILLIT" scope set
err_has "usage: tillit scope set"
bad "unknown option" "$TILLIT" scope set --title x
err_has "unknown option '--title'"
bad "show csv" "$TILLIT" scope show --format csv
err_has "unknown format 'csv'"
bad "unknown verb" "$TILLIT" scope frobnicate
err_has "unknown subcommand 'scope frobnicate'"
bad "no verb" "$TILLIT" scope
err_has "'scope' needs a subcommand"
bad "name too long" "$TILLIT" scope set --name "$(printf '%0300d' 0)"
err_has "system name is too long"

done_testing
