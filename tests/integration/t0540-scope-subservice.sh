#!/bin/sh
# t0540: 'scope subservice add|edit|remove|list': subservice organizations,
# their method, and removal refused while a vendor links to one.
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

t "add a carve-out" "$TILLIT" scope subservice add aws --name "Amazon Web Services" \
    --method carve-out --services "hosting, managed databases"
out_has "added subservice organization 'aws' (carve-out)"
t "add an inclusive one" "$TILLIT" scope subservice add payroll-bureau --name "Lön AB" --method inclusive
json_cmd "list as json" "$TILLIT" scope subservice list --format json
json_ok "both, by slug, with no csocs" \
    'd == [{"slug": "aws", "name": "Amazon Web Services", "method": "carve-out", "services": "hosting, managed databases", "csocs": "0", "version": "1"}, {"slug": "payroll-bureau", "name": "Lön AB", "method": "inclusive", "services": "", "csocs": "0", "version": "1"}]'
t "edit method and services" "$TILLIT" scope subservice edit payroll-bureau --method carve-out --services "payroll runs"
t "edit the name only" "$TILLIT" scope subservice edit aws --name "AWS"
json_cmd "show as json" "$TILLIT" scope show --format json
json_ok "show has both, with their csocs" \
    '[(s["slug"], s["name"], s["method"], s["services"], s["csocs"]) for s in d["subservice_orgs"]] == [("aws", "AWS", "carve-out", "hosting, managed databases", []), ("payroll-bureau", "Lön AB", "carve-out", "payroll runs", [])]'
t "list as a table" "$TILLIT" scope subservice list
out_has "^aws *AWS *carve-out"

# A vendor links to a subservice organization: it cannot go until unlinked.
if ! "$TILLIT" vendor add amazon --name "Amazon" --subservice aws >/dev/null 2>&1; then
    python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(\"INSERT INTO vendor (id, org_id, slug, name, subservice_id) SELECT 'v1', org_id, 'amazon', 'Amazon', id FROM subservice_org WHERE slug = 'aws'\"); db.commit()" "$TILLIT_DB"
fi
bad "remove while a vendor links to it" "$TILLIT" scope subservice remove aws
err_has "subservice organization 'aws' is linked to vendor 'amazon': unlink the vendor first"

t "a csoc for the inclusive one" "$TILLIT" scope csoc add payroll-bureau --text "Payroll runs are reviewed" --criteria CC8.1
t "remove one without vendors" "$TILLIT" scope subservice remove payroll-bureau
out_has "removed subservice organization 'payroll-bureau'"
json_cmd "list as json" "$TILLIT" scope subservice list --format json
json_ok "one left" '[s["slug"] for s in d] == ["aws"]'
json_cmd "csoc list as json" "$TILLIT" scope csoc list --format json
json_ok "its csocs went with it" 'd == []'
t "audit log" "$TILLIT" audit log --format json
cp "$SCRATCH/out" "$SCRATCH/json"
json_ok "the removal's audit entry names it" \
    '[e["object_id"] for e in d if e["action"] == "scope.subservice.remove"] == ["payroll-bureau"]'
t "audit log" "$TILLIT" audit log --format csv
out_has ",scope.subservice.add,subservice_org,aws,"
out_has ",scope.subservice.edit,subservice_org,payroll-bureau,"
t "audit verify" "$TILLIT" audit verify

bad "duplicate slug" "$TILLIT" scope subservice add aws --name "Again" --method inclusive
err_has "subservice organization 'aws' already exists"
bad "bad slug" "$TILLIT" scope subservice add "Google Cloud" --name "GCP" --method carve-out
err_has "invalid subservice slug 'Google Cloud'"
bad "unknown method" "$TILLIT" scope subservice add gcp --name "GCP" --method excluded
err_has 'unknown method "excluded" (expected one of: carve-out, inclusive)'
bad "missing method" "$TILLIT" scope subservice add gcp --name "GCP"
err_has "usage: tillit scope subservice add SLUG --name NAME --method carve-out|inclusive"
bad "missing name" "$TILLIT" scope subservice add gcp --method inclusive
err_has "usage: tillit scope subservice add"
bad "empty name" "$TILLIT" scope subservice add gcp --name "" --method inclusive
err_has "subservice name must not be empty"
bad "edit: unknown method" "$TILLIT" scope subservice edit aws --method both
err_has 'unknown method "both"'
bad "edit: nothing to change" "$TILLIT" scope subservice edit aws
err_has "nothing to change for subservice organization 'aws'"
bad "edit unknown" "$TILLIT" scope subservice edit gcp --name x
err_has "no subservice organization 'gcp'"
bad "remove unknown" "$TILLIT" scope subservice remove gcp
err_has "no subservice organization 'gcp'"

done_testing
