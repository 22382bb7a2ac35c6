#!/bin/sh
# policy: every change of text is a new version; approval and
# acknowledgments belong to a version; 'policy list' and 'policy acks'
# count active people only (not those who left, nor those not yet started).
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name "Acme" >/dev/null &&
    "$TILLIT" person add ann@acme.io --name "Ann Berg" --approver >/dev/null &&
    "$TILLIT" person add bob@acme.io --name "Bob Ek" >/dev/null &&
    "$TILLIT" person add cyd@acme.io --name "Cyd Old" --end 2026-01-31 >/dev/null &&
    "$TILLIT" person add dan@acme.io --name "Dan Last" --end 2026-03-01 >/dev/null &&
    "$TILLIT" person add eve@acme.io --name "Eve Soon" --start 2026-06-01 >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

printf '# Rules\n\nOne for {{org.name}}.\n' >"$SCRATCH/v1.md"
printf '# Rules\n\nTwo for {{org.name}}.\n' >"$SCRATCH/v2.md"
printf '# Rules\n\nOne for Acme.\n' >"$SCRATCH/v1-filled.md"

t "new" "$TILLIT" policy new rules --title "Rules" --file "$SCRATCH/v1.md" --owner bob@acme.io
t "same text again: no change" "$TILLIT" policy edit rules --file "$SCRATCH/v1.md"
out_has "policy 'rules': no change"
t "same text with the org name filled in: no change" "$TILLIT" policy edit rules --file "$SCRATCH/v1-filled.md"
out_has "no change"
t "new text makes version 2" "$TILLIT" policy edit rules --file "$SCRATCH/v2.md"
out_has "updated policy 'rules': new version 2"
t "metadata only: no new version" "$TILLIT" policy edit rules --title "House rules" --review quarterly
out_has "updated policy 'rules'$"
t "show the latest" "$TILLIT" policy show rules
out_has "version:   2 of 2"
out_has "Two for Acme."
out_has "title:     House rules"
t "show version 1" "$TILLIT" policy show rules --version 1
out_has "One for Acme."
t "unassign the owner" "$TILLIT" policy edit rules --owner ""
t "owner gone" "$TILLIT" policy show rules
out_has "owner:     (unassigned)"

t "approve version 1 on a date" "$TILLIT" policy approve rules --version 1 --by ann@acme.io --on 2026-02-01
out_has "approved version 1 of policy 'rules' (by ann@acme.io)"
t "list: version 2 current, version 1 approved" "$TILLIT" policy list --format csv
out_has "^rules,House rules,,2,1,2026-02-01,0/3"
t "approve the latest (default date: today)" "$TILLIT" policy approve rules --by ann@acme.io
out_has "approved version 2 of policy 'rules'"
t "list after approval" "$TILLIT" policy list --format json
keep list.json
t "list json" python3 - "$SCRATCH/list.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows == [{"slug": "rules", "title": "House rules", "owner": "", "version": "2",
                 "approved": "2", "approved_on": "2026-03-01", "acks": "0/3"}], rows
PY

t "ack version 1 by two" "$TILLIT" policy ack rules --version 1 --person ann@acme.io,bob@acme.io --on 2026-02-10
out_has "recorded 2 acknowledgments of version 1 of policy 'rules'"
t "a leaver acknowledged before leaving" "$TILLIT" policy ack rules --version 1 --person cyd@acme.io --on 2026-01-20
t "ack the latest" "$TILLIT" policy ack rules --person bob@acme.io,dan@acme.io
out_has "recorded 2 acknowledgments of version 2"
t "list counts acks of the current version by active people" "$TILLIT" policy list --format csv
out_has ",2/3"

t "acks of version 1" "$TILLIT" policy acks rules --version 1 --format csv
keep acks1.csv
t "acks of version 1: who did, who did not" python3 - "$SCRATCH/acks1.csv" <<'PY'
import csv, sys
rows = {r["person"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert sorted(rows) == ["ann@acme.io", "bob@acme.io", "cyd@acme.io", "dan@acme.io"], rows
assert rows["ann@acme.io"]["acked_on"] == "2026-02-10"
assert rows["cyd@acme.io"]["acknowledged"] == "yes" and rows["cyd@acme.io"]["active"] == "no"
assert rows["dan@acme.io"]["acknowledged"] == "no" and rows["dan@acme.io"]["active"] == "yes"
PY
t "acks of the latest" "$TILLIT" policy acks rules
out_has "ann@acme.io  Ann Berg  no"
out_has "bob@acme.io  Bob Ek    yes  *2026-03-01"
t "a leaver who never acknowledged is not listed" sh -c '! grep -q cyd "$1"' - "$SCRATCH/out"
t "nor someone who has not started yet" sh -c '! grep -q eve "$1"' - "$SCRATCH/out"

t "audit entries" "$TILLIT" audit log --format csv
keep audit.csv
t "each change audited once, no-change edits not at all" python3 - "$SCRATCH/audit.csv" <<'PY'
import csv, sys
got = [r["action"] for r in csv.DictReader(open(sys.argv[1])) if r["object_type"] == "policy"]
want = ["policy.new", "policy.edit", "policy.edit", "policy.edit", "policy.approve",
        "policy.approve", "policy.ack", "policy.ack", "policy.ack"]
assert got == want, got
PY

t "remove" "$TILLIT" policy remove rules
out_has "removed policy 'rules'"
t "list is empty" "$TILLIT" policy list --format csv
t "only a header" test "$(wc -l <"$SCRATCH/out")" -eq 1
t "audit verify" "$TILLIT" audit verify

done_testing
