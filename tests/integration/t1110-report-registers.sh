#!/bin/sh
# The registers: readiness, risks and the control matrix as XLSX, PDF, DOCX,
# HTML and Markdown; workpapers without an engagement are a draft.
. "$(dirname "$0")/lib.sh"
export TILLIT_NOW=2026-07-15T09:00:00Z

"$TILLIT" init >/dev/null
"$TILLIT" demo >/dev/null

for what in readiness risks controls; do
    for f in xlsx pdf docx html md; do
        t "$what as $f" "$TILLIT" report "$what" --format "$f" -o "$SCRATCH/$what.$f"
    done
done

t "the control matrix workbook has a sheet of 100 controls" python3 - "$SCRATCH/controls.xlsx" <<'PY'
import sys, zipfile, re, xml.dom.minidom as m
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith(".xml") or n.endswith(".rels"):
        m.parseString(z.read(n))
wb = z.read("xl/workbook.xml").decode()
assert 'name="Report"' in wb and 'name="Controls"' in wb, wb
sheet = z.read("xl/worksheets/sheet2.xml").decode()
rows = re.findall(r'<row r="(\d+)"', sheet)
assert len(rows) == 101, len(rows)
assert "<autoFilter" in sheet and 'state="frozen"' in sheet
PY

t "the risk register has its matrices and 22 risks" python3 - "$SCRATCH/risks.md" <<'PY'
import sys
t = open(sys.argv[1]).read()
assert "### Inherent risk" in t and "### Residual risk" in t
assert "22 risks, 4 of them fraud risks" in t
rows = [l for l in t.split("## Risks\n")[1].splitlines() if l.startswith("| R-")]
assert len(rows) == 22, len(rows)
PY

if command -v pdftotext >/dev/null 2>&1; then
    t "readiness pdf has its charts' labels and page numbers" sh -c "pdftotext -layout '$SCRATCH/readiness.pdf' - | grep -q 'Readiness by category' && pdftotext '$SCRATCH/readiness.pdf' - | grep -q 'Page 2 of'"
else
    skip "pdftotext not installed"
fi

t "workpapers without an engagement" "$TILLIT" report workpapers --engagement "" --format md
out_has "DRAFT"
out_has "No engagement"
t_exit 2 "registers take no pdf-less format" "$TILLIT" report risks --format csv
err_has "unknown format 'csv'"
done_testing
