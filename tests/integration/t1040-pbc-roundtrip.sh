#!/bin/sh
# The request list (PBC): requests land with the control owner, move through
# their statuses, carry evidence and comments, and round-trip through CSV
# and XLSX: what is exported imports back unchanged, into the same
# engagement or a new one; edits made in the spreadsheet come back in.
. "$(dirname "$0")/lib.sh"

export TILLIT_NOW="2026-07-15T09:00:00Z"
{ "$TILLIT" init && "$TILLIT" org create acme --name "Acme AB" &&
    "$TILLIT" person add ann@acme.io --name Ann --control-owner &&
    "$TILLIT" person add bob@acme.io --name Bob &&
    "$TILLIT" control add HR-01 --title "Background checks" --frequency event-driven --owner ann@acme.io &&
    "$TILLIT" control map HR-01 CC1.4 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
    "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug copy &&
    echo "hires" >hires.txt &&
    "$TILLIT" evidence add hires.txt --control HR-01 --period 2026-01-01..2026-06-30; } >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
ev=$("$TILLIT" evidence list --format csv | sed -n 2p | cut -d, -f1)

t "a request for a control" "$TILLIT" pbc add y2026 --request "List of new hires, with start dates" \
    --control HR-01 --due 2026-07-20
out_has "added request y2026:PBC-001"
t "a request with quotes, commas and an owner" "$TILLIT" pbc add y2026 \
    --request 'Board minutes, "security" items; Q1 & Q2' --owner bob@acme.io
t "a request with its own ref" "$TILLIT" pbc add y2026 --request "Org chart" --ref ORG-1
t "it went to the control owner" "$TILLIT" pbc show y2026:PBC-001 --format json
out_has '"owner": "ann@acme.io"'
out_has '"status": "open"'
t "submitted" "$TILLIT" pbc status y2026:PBC-001 submitted
t "evidence attached" "$TILLIT" pbc attach y2026:PBC-001 --evidence "$(echo "$ev" | cut -c1-10)"
t "a comment" "$TILLIT" pbc comment y2026:PBC-001 --text "Includes contractors: yes"
t_exit 2 "an auditor without access cannot return it" env TILLIT_ROLE=auditor \
    TILLIT_ACTOR=karin@firm.example "$TILLIT" pbc status y2026:PBC-001 returned
err_has "no engagement 'y2026'"
t "returned" "$TILLIT" pbc status y2026:PBC-001 returned
t "the list" "$TILLIT" pbc list y2026 --format csv
out_has "^PBC-001,\"List of new hires, with start dates\",HR-01,ann@acme.io,2026-07-20,returned,$ev,2026-07-15 test: Includes contractors: yes"
t "filtered by owner" "$TILLIT" pbc list y2026 --owner bob@acme.io --format csv
out_has "^PBC-002,"
t "filtered by status" "$TILLIT" pbc list y2026 --status open --format csv
out_has "^ORG-1,"

# CSV: export, import back, export again.
t "export CSV" "$TILLIT" pbc export y2026 -o list.csv
head -1 list.csv | grep -q '^ref,request,control,owner,due,status,evidence,comments' &&
    ok "CSV header" || not_ok "CSV header"
"$TILLIT" audit log --format csv >audit.before
t "import it back" "$TILLIT" pbc import y2026 list.csv
out_has "imported 'list.csv': 0 added, 0 updated, 3 unchanged"
"$TILLIT" audit log --format csv >audit.after
cmp -s audit.before audit.after && ok "an unchanged import writes nothing" || not_ok "an unchanged import writes nothing"
t "export again" "$TILLIT" pbc export y2026 -o again.csv
cmp -s list.csv again.csv && ok "CSV round trip is byte for byte" || { not_ok "CSV round trip is byte for byte"; diff list.csv again.csv | sed 's/^/# /'; }

# XLSX: export, check it is a workbook, import into another engagement.
t "export XLSX" "$TILLIT" pbc export y2026 -o list.xlsx
if command -v unzip >/dev/null 2>&1; then
    unzip -l list.xlsx >zip.txt 2>&1
    grep -q "xl/worksheets/sheet1.xml" zip.txt && grep -q "\[Content_Types\].xml" zip.txt &&
        ok "an XLSX workbook" || not_ok "an XLSX workbook"
else
    skip "no unzip"
fi
t "import XLSX into the same engagement" "$TILLIT" pbc import y2026 list.xlsx
out_has "0 added, 0 updated, 3 unchanged"
t "import XLSX into another engagement" "$TILLIT" pbc import copy list.xlsx
out_has "imported 'list.xlsx': 3 added, 0 updated, 0 unchanged"
t "its CSV export" "$TILLIT" pbc export copy -o copy.csv
cmp -s list.csv copy.csv && ok "XLSX round trip gives the same list" || { not_ok "XLSX round trip gives the same list"; diff list.csv copy.csv | sed 's/^/# /'; }
t "and back to XLSX" "$TILLIT" pbc export copy -o copy.xlsx
t "which imports unchanged" "$TILLIT" pbc import copy copy.xlsx
out_has "0 added, 0 updated, 3 unchanged"

# The auditor edits the spreadsheet: a status, a comment, a new row; an
# extra column is ignored with a warning.
python3 - <<'PY' || { echo "Bail out! python3 failed"; exit 1; }
import csv
rows = list(csv.reader(open("list.csv", newline="", encoding="utf-8")))
rows[0].append("Auditor notes")
for r in rows[1:]:
    r.append("n/a")
    if r[0] == "PBC-002":
        r[5] = "accepted"
        r[7] = "2026-07-16 karin@firm.example: Received, thank you"
rows.append(["", "Penetration test report 2026", "", "", "2026-07-31", "", "", "", ""])
with open("edited.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows)
PY
t "import the edits" "$TILLIT" pbc import y2026 edited.csv
out_has "1 added, 1 updated, 2 unchanged"
err_has "warning: columns not read: Auditor notes"
t "the edits are in" "$TILLIT" pbc show y2026:PBC-002
out_has "^status: *accepted"
out_has "2026-07-16 karin@firm.example: Received, thank you"
t "the new row got the next ref" "$TILLIT" pbc show y2026:PBC-003
out_has "Penetration test report 2026"
t "audited per request" "$TILLIT" audit log --chain acme --format csv
out_has "pbc.import,pbc_item,y2026:PBC-002"

# A list from a firm's spreadsheet: dates as serial numbers, shared strings.
python3 - <<'PY'
import zipfile
sst = ['ref', 'request', 'due', 'status', 'control', 'F-01', 'Firewall rules review', 'open', 'HR-01']
sheet = ('<worksheet><sheetData>'
         '<row r="1">' + ''.join('<c r="%s1" t="s"><v>%d</v></c>' % (c, i) for c, i in zip('ABCDE', range(5))) + '</row>'
         '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c>'
         '<c r="C2"><v>46234</v></c><c r="D2" t="s"><v>7</v></c><c r="E2" t="s"><v>8</v></c></row>'
         '</sheetData></worksheet>')
with zipfile.ZipFile('firm.xlsx', 'w') as z:
    z.writestr('xl/worksheets/sheet1.xml', sheet)
    z.writestr('xl/sharedStrings.xml', '<sst>' + ''.join('<si><t>%s</t></si>' % s for s in sst) + '</sst>')
PY
t "import a firm's workbook" "$TILLIT" pbc import y2026 firm.xlsx
out_has "1 added"
t "the serial date is read" "$TILLIT" pbc show y2026:F-01 --format json
out_has '"due": "2026-07-31"'
out_has '"owner": "ann@acme.io"'

# Bad lists change nothing.
"$TILLIT" pbc list y2026 --format csv >list.before
printf 'request,status\nx,open\n' >noref.csv
t_exit 2 "no ref column" "$TILLIT" pbc import y2026 noref.csv
err_has "noref.csv:1: the header needs the columns 'ref' and 'request'"
printf 'ref,request,control\nNEW-1,fine,\nNEW-2,bad control,NOPE-9\n' >badctl.csv
t_exit 2 "an unknown control on line 3" "$TILLIT" pbc import y2026 badctl.csv
err_has "badctl.csv:3: no control 'NOPE-9'"
printf 'ref,request,status\nPBC-001,x,done\n' >badstatus.csv
t_exit 2 "an unknown status" "$TILLIT" pbc import y2026 badstatus.csv
err_has "badstatus.csv:2: unknown request status"
printf 'ref,request\n"PBC-001,x\n' >broken.csv
t_exit 2 "a broken CSV" "$TILLIT" pbc import y2026 broken.csv
err_has "broken.csv:2:1: unterminated quoted field"
"$TILLIT" pbc list y2026 --format csv >list.after
cmp -s list.before list.after && ok "nothing changed" || not_ok "nothing changed"
t "the audit chain verifies" "$TILLIT" audit verify

done_testing
