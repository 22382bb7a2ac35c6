#!/bin/sh
# 'tillit report pbc': the request list of an engagement as XLSX or CSV,
# the same bytes as 'tillit pbc export' (one path: app_pbc_export), to a
# file or to standard output; the usage errors and an unknown engagement
# exit 2 and write nothing.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW="2026-07-15T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" person add ann@acme.io --name Ann --control-owner &&
    "$TILLIT" control add HR-01 --title "Background checks" --frequency event-driven --owner ann@acme.io &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
    "$TILLIT" pbc add y2026 --request "List of new hires, with start dates" --control HR-01 \
        --due 2026-07-20 &&
    "$TILLIT" pbc add y2026 --request '=HYPERLINK("x"), "quoted"; Q1 & Q2' &&
    "$TILLIT" pbc comment y2026:PBC-001 --text "Includes contractors: yes"; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }

t "the list as CSV" "$TILLIT" report pbc --engagement y2026 --format csv -o "$SCRATCH/list.csv"
out_has "wrote '$SCRATCH/list.csv'"
t "pbc export writes the same" "$TILLIT" pbc export y2026 -o "$SCRATCH/export.csv"
t "... byte for byte" cmp "$SCRATCH/list.csv" "$SCRATCH/export.csv"
head -1 "$SCRATCH/list.csv" | grep -q '^ref,request,control,owner,due,status,evidence,comments' &&
    ok "the CSV header is the import's" || not_ok "the CSV header is the import's"
grep -q '^PBC-001,"List of new hires, with start dates",HR-01,ann@acme.io,2026-07-20,open,,' \
    "$SCRATCH/list.csv" && ok "... with the request" || not_ok "... with the request"

t "CSV to standard output" "$TILLIT" report pbc --engagement y2026 --format csv
keep stdout.csv
t "... the same bytes" cmp "$SCRATCH/stdout.csv" "$SCRATCH/list.csv"

t "the list as XLSX, whatever the file is called" \
    "$TILLIT" report pbc --engagement y2026 --format xlsx -o "$SCRATCH/list.bin"
t "pbc export as XLSX" "$TILLIT" pbc export y2026 -o "$SCRATCH/export.xlsx"
t "... the same workbook" python3 - "$SCRATCH/list.bin" "$SCRATCH/export.xlsx" <<'PY'
import sys, zipfile
a, b = (zipfile.ZipFile(p) for p in sys.argv[1:3])
assert sorted(a.namelist()) == sorted(b.namelist())
for n in a.namelist():
    assert a.read(n) == b.read(n), n
sheet = a.read("xl/worksheets/sheet1.xml").decode()
assert "<f>" not in sheet, "a formula"
PY
cp "$SCRATCH/list.bin" "$SCRATCH/back.xlsx"
t "it imports back unchanged" "$TILLIT" pbc import y2026 "$SCRATCH/back.xlsx"
out_has "0 added, 0 updated, 2 unchanged"

t_exit 2 "without --engagement" "$TILLIT" report pbc --format csv -o "$SCRATCH/x.csv"
err_has "engagement is required"
t_exit 2 "without --format" "$TILLIT" report pbc --engagement y2026 -o "$SCRATCH/x.csv"
err_has "format is required (xlsx, csv)"
t_exit 2 "a format the list does not have" "$TILLIT" report pbc --engagement y2026 --format pdf
err_has "unknown format 'pdf' (expected xlsx, csv)"
t_exit 2 "an unknown engagement" "$TILLIT" report pbc --engagement nope --format csv -o "$SCRATCH/x.csv"
err_has "no engagement 'nope'"
[ ! -e "$SCRATCH/x.csv" ] && ok "nothing written" || not_ok "nothing written"
t_exit 2 "an auditor without access" env TILLIT_ROLE=auditor TILLIT_ACTOR=karin@firm.example \
    "$TILLIT" report pbc --engagement y2026 --format csv
err_has "no engagement 'y2026'"
t "help names it" "$TILLIT" help report
out_has "tillit report pbc --engagement SLUG --format xlsx|csv"
done_testing
