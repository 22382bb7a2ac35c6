#!/bin/sh
# person add, list (filters, formats), show, edit, remove; every change audited.
. "$(dirname "$0")/lib.sh"

# json_ok DESC EXPR: the last command's stdout is JSON d for which EXPR holds.
json_ok() {
    if python3 -c "import json, sys; d = json.load(sys.stdin); sys.exit(0 if ($2) else 1)" \
        <"$SCRATCH/out"; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$SCRATCH/out" | head -20; fi
}

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme AB" >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "add a person with every field" "$TILLIT" person add ann@acme.io --name "Ann Berg" \
    --title CTO --department Engineering --start 2020-01-01 --control-owner --approver
out_has "added person 'ann@acme.io' (Ann Berg)"
t "add a report of ann" "$TILLIT" person add bob@acme.io --name "Bob Ek" \
    --department Engineering --manager ann@acme.io --start 2021-05-01
t "add a leaver" "$TILLIT" person add cat@acme.io --name "Cat Lind" --department Sales \
    --start 2019-01-01 --end 2025-12-31
t "add a future joiner (--opt=value form)" "$TILLIT" person add dan@acme.io --name=Dan \
    --start=2026-06-01

t "list as json" "$TILLIT" person list --format json
json_ok "four people ordered by email" '[p["email"] for p in d] == ["ann@acme.io", "bob@acme.io", "cat@acme.io", "dan@acme.io"]'
json_ok "ann's fields" 'd[0] == {"email": "ann@acme.io", "name": "Ann Berg", "title": "CTO", "department": "Engineering", "manager": None, "start_date": "2020-01-01", "end_date": None, "control_owner": "yes", "approver": "yes", "active": "yes"}'
json_ok "bob reports to ann, no roles" 'd[1]["manager"] == "ann@acme.io" and d[1]["control_owner"] == "no" and d[1]["approver"] == "no"'
json_ok "leaver and future joiner are not active" 'd[2]["active"] == "no" and d[3]["active"] == "no"'

t "list by department" "$TILLIT" person list --department Engineering --format json
json_ok "engineering has ann and bob" '[p["email"] for p in d] == ["ann@acme.io", "bob@acme.io"]'
t "list active people" "$TILLIT" person list --active --format json
json_ok "active are ann and bob" '[p["email"] for p in d] == ["ann@acme.io", "bob@acme.io"]'
t "list by unknown department is empty" "$TILLIT" person list --department Nobody --format json
json_ok "empty array" 'd == []'
t "list as csv" "$TILLIT" person list --format csv
# CSV rows end in CRLF (RFC 4180).
out_has "^email,name,title,department,manager,start_date,end_date,control_owner,approver,active.\{0,1\}$"
out_has "^bob@acme.io,Bob Ek,,Engineering,ann@acme.io,2021-05-01,,no,no,yes.\{0,1\}$"
t "list as table" "$TILLIT" person list
out_has "^email  *name"
out_has "Cat Lind"

t "show as table" "$TILLIT" person show bob@acme.io
out_has "^manager: *ann@acme.io$"
out_has "^start_date: *2021-05-01$"
t "show as json" "$TILLIT" person show bob@acme.io --format json
json_ok "show json has the list keys and the version" 'd["email"] == "bob@acme.io" and d["manager"] == "ann@acme.io" and len(d) == 11 and d["version"] == "1"'

t "edit title and role" "$TILLIT" person edit bob@acme.io --title Engineer --control-owner
out_has "updated person 'bob@acme.io'"
t "edit shows" "$TILLIT" person show bob@acme.io --format json
json_ok "title and role changed, the rest kept" 'd["title"] == "Engineer" and d["control_owner"] == "yes" and d["approver"] == "no" and d["manager"] == "ann@acme.io" and d["start_date"] == "2021-05-01"'
t "clear a role" "$TILLIT" person edit ann@acme.io --no-approver
t "ann is no longer an approver" "$TILLIT" person show ann@acme.io --format json
json_ok "approver no, control owner kept" 'd["approver"] == "no" and d["control_owner"] == "yes"'
t "clear the manager and set an end date" "$TILLIT" person edit bob@acme.io --manager "" \
    --end 2026-02-28
t "bob after the edit" "$TILLIT" person show bob@acme.io --format json
json_ok "no manager, inactive" 'd["manager"] is None and d["end_date"] == "2026-02-28" and d["active"] == "no"'
t "clear the end date again" "$TILLIT" person edit bob@acme.io --end ""
t "bob active again" "$TILLIT" person show bob@acme.io --format json
json_ok "no end date, active" 'd["end_date"] is None and d["active"] == "yes"'
t "a manager chain (cat -> bob -> ann) is fine" "$TILLIT" person edit bob@acme.io --manager ann@acme.io
t "cat reports to bob" "$TILLIT" person edit cat@acme.io --manager bob@acme.io
t "rename by email" "$TILLIT" person edit cat@acme.io --email catherine@acme.io
out_has "updated person 'catherine@acme.io'"
t "renamed person keeps her manager" "$TILLIT" person show catherine@acme.io --format json
json_ok "manager kept after rename" 'd["manager"] == "bob@acme.io" and d["name"] == "Cat Lind"'

t "remove a person nobody refers to" "$TILLIT" person remove dan@acme.io
out_has "removed person 'dan@acme.io'"
t "list after remove" "$TILLIT" person list --format json
json_ok "dan is gone" '[p["email"] for p in d] == ["ann@acme.io", "bob@acme.io", "catherine@acme.io"]'

t "audit log" "$TILLIT" audit log --format json
json_ok "four adds, edits and a remove, keyed by email" '[(e["action"], e["object_id"]) for e in d if e["object_type"] == "person"] == [("person.add", "ann@acme.io"), ("person.add", "bob@acme.io"), ("person.add", "cat@acme.io"), ("person.add", "dan@acme.io"), ("person.edit", "bob@acme.io"), ("person.edit", "ann@acme.io"), ("person.edit", "bob@acme.io"), ("person.edit", "bob@acme.io"), ("person.edit", "bob@acme.io"), ("person.edit", "cat@acme.io"), ("person.edit", "cat@acme.io"), ("person.remove", "dan@acme.io")]'
t "audit chain verifies" "$TILLIT" audit verify

t "help person" "$TILLIT" help person
out_has "tillit person add EMAIL --name NAME"
out_has "no-control-owner"

done_testing
