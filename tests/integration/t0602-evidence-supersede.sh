#!/bin/sh
# Evidence is never edited in place: 'supersede' adds a new item with the
# same controls and marks the old one; the database refuses edits and
# deletes behind Tillit's back.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" control add AC-1 --title "Access review" --frequency quarterly >/dev/null
"$TILLIT" control add AC-2 --title "Leavers" --frequency monthly >/dev/null
echo "first draft" >review-v1.txt
echo "final" >review-v2.txt
"$TILLIT" evidence add review-v1.txt --control AC-1,AC-2 --period 2026-01-01..2026-01-31 \
    --source okta >/dev/null
old=$("$TILLIT" evidence list --format csv | sed -n 2p | cut -d, -f1)

t "supersede" "$TILLIT" evidence supersede "$old" review-v2.txt --note "signed copy"
out_has "'review-v2.txt' for AC-1, AC-2 (2026-01-01..2026-01-31"
out_has "evidence $old is superseded by"
new=$(sed -n 's/^evidence .* is superseded by //p' "$SCRATCH/out")
t "the old item points at the new one" "$TILLIT" evidence show "$old"
out_has "superseded by: $new"
t "the new one keeps source and period" "$TILLIT" evidence show "$new" --format json
out_has '"source": "okta"'
out_has '"note": "signed copy"'
out_has '"period_end": "2026-01-31"'
t "list shows current items only" "$TILLIT" evidence list --format csv
t "one current item" test "$(wc -l <"$SCRATCH/out")" -eq 2
t "list --all shows both" "$TILLIT" evidence list --all --format csv
t "two items" test "$(wc -l <"$SCRATCH/out")" -eq 3
t_exit 2 "supersede twice" "$TILLIT" evidence supersede "$old" review-v2.txt
err_has "already superseded by '$new'"
t_exit 2 "supersede with a period in the future" "$TILLIT" evidence supersede "$new" \
    review-v1.txt --period 2027-01-01
err_has "ends after today"
t "the failure changed nothing" "$TILLIT" evidence show "$new"
out_has "superseded by: -"
t_exit 2 "supersede needs one file" "$TILLIT" evidence supersede "$new"
err_has "usage: tillit evidence supersede"

t "audit log" "$TILLIT" audit log --format csv
out_has "evidence.supersede"
t "audit verify" "$TILLIT" audit verify

t_fails "the database refuses an edit" db_sql "UPDATE evidence SET note = 'x' WHERE id = '$new'"
err_has "never edited in place"
t_fails "the database refuses un-superseding" db_sql \
    "UPDATE evidence SET superseded_by = NULL WHERE id = '$old'"
t_fails "the database refuses a delete" db_sql "DELETE FROM evidence"
err_has "never deleted"

done_testing
