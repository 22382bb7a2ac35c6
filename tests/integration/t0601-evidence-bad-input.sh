#!/bin/sh
# Bad evidence input is refused with exit 2, a message naming what and
# where, and nothing written: no row, no audit entry, no blob.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" control add AC-1 --title "Access review" --frequency quarterly >/dev/null
echo "small" >small.txt
head -c 2000 /dev/zero >big.bin
"$TILLIT" audit log >"$SCRATCH/log.before"

t_exit 2 "a file over the size limit" env TILLIT_EVIDENCE_MAX_BYTES=1000 \
    "$TILLIT" evidence add small.txt big.bin --control AC-1
err_has "evidence 'big.bin' is 2000 bytes, over the limit of 1000 bytes"
err_has "TILLIT_EVIDENCE_MAX_BYTES"
test ! -e "$T_VAULT" && ok "refused before anything is written" ||
    not_ok "refused before anything is written"
t_exit 2 "a bad limit" env TILLIT_EVIDENCE_MAX_BYTES=10MB "$TILLIT" evidence add small.txt --control AC-1
err_has "TILLIT_EVIDENCE_MAX_BYTES must be a positive number of bytes, not '10MB'"
t_exit 2 "an unknown control" "$TILLIT" evidence add small.txt --control AC-1,NOPE
err_has "no control 'NOPE'"
t_exit 2 "no control" "$TILLIT" evidence add small.txt
err_has "usage: tillit evidence add"
t_exit 2 "an empty control list" "$TILLIT" evidence add small.txt --control ,
err_has "needs the controls it supports"
t_exit 2 "a period in the future" "$TILLIT" evidence add small.txt --control AC-1 \
    --period 2026-02-01..2026-03-02
err_has "ends after today (2026-03-01)"
t_exit 2 "an impossible date" "$TILLIT" evidence add small.txt --control AC-1 --period 2026-02-30
err_has "'2026-02-30' is not a date"
t_exit 2 "a reversed period" "$TILLIT" evidence add small.txt --control AC-1 \
    --period 2026-02-01..2026-01-01
err_has "ends before it starts"
t_exit 2 "a missing file (after a good one)" "$TILLIT" evidence add small.txt nope.txt --control AC-1
err_has "cannot open evidence 'nope.txt'"
: >empty.txt
t_exit 2 "an empty file" "$TILLIT" evidence add empty.txt --control AC-1
err_has "evidence 'empty.txt' is empty"
t_exit 2 "a directory" "$TILLIT" evidence add . --control AC-1
err_has "is not a regular file"

t "nothing was recorded" "$TILLIT" evidence list --all --format csv
t "no rows" test "$(wc -l <"$SCRATCH/out")" -eq 1
"$TILLIT" audit log >"$SCRATCH/log.after"
cmp -s "$SCRATCH/log.before" "$SCRATCH/log.after" && ok "audit log unchanged" ||
    not_ok "audit log unchanged"
test ! -e "$T_VAULT" || test "$(find "$T_VAULT" -type f | wc -l)" -eq 0 &&
    ok "no blob and no temporary file" || not_ok "no blob and no temporary file"

t_exit 2 "show a short id" "$TILLIT" evidence show abc
err_has "too short"
t_exit 2 "show an unknown id" "$TILLIT" evidence show abcdefgh
err_has "no evidence 'abcdefgh'"
t_exit 2 "an unknown verb" "$TILLIT" evidence frobnicate
err_has "unknown subcommand 'evidence frobnicate'"
t_exit 2 "coverage without a period" "$TILLIT" evidence coverage
err_has "usage: tillit evidence coverage"
t_exit 2 "coverage with a single date" "$TILLIT" evidence coverage --period 2026-01-01
err_has "is not a period"
t_exit 2 "export needs --control or --all" "$TILLIT" evidence export -o x.zip
t_exit 2 "export with nothing to export" "$TILLIT" evidence export --all -o x.zip
err_has "no current evidence"
test ! -e x.zip && ok "no package written" || not_ok "no package written"
t_exit 2 "a bad format" "$TILLIT" evidence list --format xml
err_has "unknown format 'xml'"
t_exit 2 "without a database" env TILLIT_DB="$SCRATCH/none.db" "$TILLIT" evidence list
err_has "no database"

done_testing
