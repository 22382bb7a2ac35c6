#!/bin/sh
# 'tillit control add|edit|show|list|map|remove': the organization's own
# controls, their criteria mappings, the audit trail, and bad input that
# must change nothing.
. "$(dirname "$0")/lib.sh"

add_person() { # ORG_SLUG EMAIL NAME
    db_sql "INSERT INTO person (id, org_id, email, name)
            SELECT 'p-$2', id, '$2', '$3' FROM organization WHERE slug = '$1'"
}
audit_count() { "$TILLIT" audit log --format csv | wc -l; }
show_json() { "$TILLIT" control show "$1" --format json >"$SCRATCH/$1.json"; }

t "init" "$TILLIT" init
t "create an organization" "$TILLIT" org create acme --name "Acme"
t "add a person" add_person acme alice@example.com Alice

t "add with defaults" "$TILLIT" control add X-1 --title "Quarterly access review"
out_has "^added control 'X-1'$"
t "defaults are applied" "$TILLIT" control show X-1
out_has "^frequency:  *annual$"
out_has "^nature:  *preventive$"
out_has "^type:  *manual$"
out_has "^status:  *not-started$"
out_has "^key:  *no$"
out_has "^owner:  *-$"

t "add with every option" "$TILLIT" control add X-2 --title "Backups" --description "Nightly" \
    --owner alice@example.com --frequency daily --nature detective --type automated --key \
    --status implemented --evidence "Backup job log | Restore test record"
t "show as json" show_json X-2
t "fields were stored" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["owner"] == "alice@example.com" and c["frequency"] == "daily", c
assert c["nature"] == "detective" and c["type"] == "automated" and c["key"] is True, c
assert c["status"] == "implemented" and c["library_code"] is None, c
assert c["evidence_expected"] == ["Backup job log", "Restore test record"], c
assert c["criteria"] == [] and c["risks"] == [] and c["version"] == 1, c
' "$SCRATCH/X-2.json"

# Bad input: exit 2, one clear line, nothing changed.
before=$(audit_count)
"$TILLIT" control list --format csv >"$SCRATCH/list.before"
t_exit 2 "unknown frequency" "$TILLIT" control add X-3 --title T --frequency sometimes
err_has "^tillit: unknown frequency \"sometimes\" (expected one of: continuous, "
err_lines 1
t_exit 2 "unknown nature" "$TILLIT" control edit X-1 --nature sneaky
err_has "unknown nature \"sneaky\""
t_exit 2 "unknown type" "$TILLIT" control add X-3 --title T --type magic
err_has "unknown type \"magic\""
t_exit 2 "unknown status" "$TILLIT" control edit X-1 --status done
err_has "unknown status \"done\""
t_exit 2 "unknown owner" "$TILLIT" control edit X-1 --owner bob@example.com
err_has "no person with email 'bob@example.com'"
t_exit 2 "invalid owner email" "$TILLIT" control add X-3 --title T --owner not-an-email
err_has "invalid email address 'not-an-email'"
t_exit 2 "invalid code" "$TILLIT" control add "X 3" --title T
err_has "invalid control code 'X 3'"
t_exit 2 "duplicate code" "$TILLIT" control add X-1 --title Again
err_has "^tillit: control 'X-1' already exists$"
t_exit 2 "missing title" "$TILLIT" control add X-3
err_has "usage: tillit control add CODE --title TITLE"
t_exit 2 "empty title" "$TILLIT" control edit X-1 --title ""
err_has "control title must not be empty"
t_exit 2 "edit of a missing control" "$TILLIT" control edit NOPE --title T
err_has "^tillit: no control 'NOPE' (see 'tillit control list')$"
t_exit 2 "edit without changes" "$TILLIT" control edit X-1
err_has "nothing to change for control 'X-1'"
t_exit 2 "--key with --no-key" "$TILLIT" control edit X-1 --key --no-key
t_exit 2 "unknown criterion" "$TILLIT" control map X-1 CC99.1
err_has "^tillit: unknown criterion 'CC99.1' (see 'tillit catalog criteria')$"
t_exit 2 "point of focus of another criterion" "$TILLIT" control map X-1 CC6.1 --pof CC6.2-PF01
err_has "point of focus 'CC6.2-PF01' is not one of criterion 'CC6.1'"
err_lines 1
t_exit 2 "unknown point of focus" "$TILLIT" control map X-1 CC6.1 --pof CC6.1-PF99
err_has "point of focus 'CC6.1-PF99' is not one of criterion 'CC6.1'"
t_exit 2 "unmap of an unmapped criterion" "$TILLIT" control map X-1 --unmap CC6.1
err_has "control 'X-1' is not mapped to criterion 'CC6.1'"
t_exit 2 "map with --unmap and a criterion" "$TILLIT" control map X-1 CC6.1 --unmap CC6.2
t_exit 2 "remove of a missing control" "$TILLIT" control remove NOPE
err_has "no control 'NOPE'"
t_exit 2 "list with unknown status" "$TILLIT" control list --status done
t_exit 2 "list with unknown family" "$TILLIT" control list --family nope
t_exit 2 "list with unknown criterion" "$TILLIT" control list --criterion CC99
t_exit 2 "show of a missing control" "$TILLIT" control show NOPE
t "audit log unchanged by bad input" test "$(audit_count)" -eq "$before"
"$TILLIT" control list --format csv >"$SCRATCH/list.after"
t "controls unchanged by bad input" cmp "$SCRATCH/list.before" "$SCRATCH/list.after"

# Edits: only what is given changes; the audit entry holds before and after.
t "edit" "$TILLIT" control edit X-2 --no-key --status operating --owner "" --frequency weekly
out_has "^updated control 'X-2'$"
t "show after edit" show_json X-2
t "only the given fields changed" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["key"] is False and c["status"] == "operating" and c["owner"] is None, c
assert c["frequency"] == "weekly" and c["title"] == "Backups" and c["nature"] == "detective", c
assert c["version"] == 2, c
' "$SCRATCH/X-2.json"

# Mappings.
t "map with points of focus" "$TILLIT" control map X-1 cc6.1 --pof "CC6.1-PF03, cc6.1-pf01"
out_has "^mapped control 'X-1' to CC6.1: CC6.1-PF01,CC6.1-PF03$"
t "map without points of focus" "$TILLIT" control map X-1 CC6.2
t "remap replaces the points of focus" "$TILLIT" control map X-1 CC6.1 --pof CC6.1-PF02
out_has "^mapped control 'X-1' to CC6.1: CC6.1-PF02$"
t "show lists criteria with points of focus" "$TILLIT" control show X-1
out_has "^criteria (2):$"
out_has "^  CC6.1 "
out_has "^    CC6.1-PF02 "
t "list shows the criteria" "$TILLIT" control list --criterion CC6.2
out_has "^X-1 .* CC6.1,CC6.2$"
db_sql "SELECT before_json FROM audit_log WHERE action = 'control.map'
        ORDER BY seq DESC LIMIT 1" >"$SCRATCH/map-before.json"
db_sql "SELECT after_json FROM audit_log WHERE action = 'control.map'
        ORDER BY seq DESC LIMIT 1" >"$SCRATCH/map-after.json"
t "map audit entry holds the mappings" python3 -c '
import json, sys
b, a = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b["criteria"][0]["points_of_focus"] == ["CC6.1-PF01", "CC6.1-PF03"], b
assert a["criteria"][0]["points_of_focus"] == ["CC6.1-PF02"], a
' "$SCRATCH/map-before.json" "$SCRATCH/map-after.json"
t "unmap" "$TILLIT" control map X-1 --unmap cc6.2
out_has "^unmapped control 'X-1' from CC6.2$"
t "list after unmap" "$TILLIT" control list --criterion CC6.2
t "no control maps CC6.2 any more" test "$(wc -l <"$SCRATCH/out")" -eq 1

# Removal: refused while a risk links the control.
t "link a risk (risk commands are built separately)" db_sql "
INSERT INTO risk (id, org_id, code, title, likelihood, impact, treatment)
    SELECT 'r1', id, 'R-01', 'Risk', 3, 3, 'mitigate' FROM organization;
INSERT INTO risk_control (risk_id, control_id, org_id)
    SELECT 'r1', id, org_id FROM control WHERE code = 'X-1';"
t "show lists linked risks" "$TILLIT" control show X-1
out_has "^risks: R-01$"
before=$(audit_count)
t_exit 2 "remove of a linked control is refused" "$TILLIT" control remove X-1
err_has "^tillit: control 'X-1' is linked to risk 'R-01': unlink it first$"
t "audit log unchanged" test "$(audit_count)" -eq "$before"
t "remove" "$TILLIT" control remove X-2
out_has "^removed control 'X-2'$"
t_exit 2 "removed control is gone" "$TILLIT" control show X-2
t "audit records the edits" "$TILLIT" audit log --format csv
out_has ",control.add,control,X-1,"
out_has ",control.edit,control,X-2,"
out_has ",control.map,control,X-1,"
out_has ",control.unmap,control,X-1,"
out_has ",control.remove,control,X-2,"
t "audit chain verifies" "$TILLIT" audit verify

t "help shows the full usage" "$TILLIT" help control
out_has "tillit control map CODE CRITERION \[--pof PF,PF...\]"
done_testing
