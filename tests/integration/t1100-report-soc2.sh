#!/bin/sh
# The SOC 2 report draft of the demo organization as PDF, DOCX, HTML and
# Markdown: sections I-V and DC1-DC9, DRAFT on every page with the open
# items while no engagement is concluded, page x of y, a table of contents
# with page numbers, Swedish text; bad options change nothing.
. "$(dirname "$0")/lib.sh"
# After the demo's dates and after its Type II period (2026-01-01..2026-06-30).
export TILLIT_NOW=2026-07-15T09:00:00Z

"$TILLIT" init >/dev/null
"$TILLIT" demo >/dev/null

t "soc2 as pdf" "$TILLIT" report soc2 --format pdf -o "$SCRATCH/soc2.pdf"
out_has "wrote '$SCRATCH/soc2.pdf'"
t "soc2 as docx" "$TILLIT" report soc2 --format docx -o "$SCRATCH/soc2.docx"
t "soc2 as html" "$TILLIT" report soc2 --format html -o "$SCRATCH/soc2.html"
t "soc2 as markdown on stdout" "$TILLIT" report soc2 --format md
keep soc2.md
for h in "# Norrsken Analytics: SOC 2 Type I report" "\*\*DRAFT\*\*" "## Draft: open items" \
         "No engagement has been created" "## I. Independent service auditor" \
         "## II. Management's assertion" "### Services provided (DC1)" \
         "### Subservice organizations (DC7)" "### Criteria not relevant to the system (DC8)" \
         "## IV. Trust services criteria and related controls" "#### CC6.1 " \
         "## V. Other information"; do
    if grep -q -- "$h" "$SCRATCH/soc2.md"; then ok "markdown has '$h'"; else not_ok "markdown has '$h'"; fi
done
if grep -q "{{" "$SCRATCH/soc2.md"; then not_ok "no placeholder left"; else ok "no placeholder left"; fi

if command -v pdftotext >/dev/null 2>&1; then
    pdftotext -layout "$SCRATCH/soc2.pdf" "$SCRATCH/soc2.txt"
    t "every page is marked DRAFT and numbered" python3 - "$SCRATCH/soc2.txt" <<'PY'
import sys
pages = open(sys.argv[1]).read().split("\f")
pages = [p for p in pages if p.strip()]
n = len(pages)
assert n > 10, n
for i, p in enumerate(pages, 1):
    assert "DRAFT" in p, i
    if i > 1:
        assert "Page %d of %d" % (i, n) in p, i
# The contents give the page each section starts on.
toc = pages[1]
assert "Contents" in toc
for line in toc.splitlines():
    if line.strip().startswith("III. Description of the system"):
        page = int(line.split()[-1])
        assert "III. Description of the system" in pages[page - 1], page
        break
else:
    raise SystemExit("no contents line for section III")
PY
else
    skip "pdftotext not installed"
fi

t "the docx is a package with Heading styles" python3 - "$SCRATCH/soc2.docx" <<'PY'
import sys, zipfile, xml.dom.minidom as m
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
             "word/_rels/document.xml.rels", "word/header1.xml", "word/footer1.xml"]:
    assert part in names, part
for n in names:
    m.parseString(z.read(n))
doc = z.read("word/document.xml").decode()
assert 'w:val="Heading1"' in doc and 'w:val="Heading3"' in doc
assert "<w:tblHeader/>" in doc
assert 'string="DRAFT"' in z.read("word/header1.xml").decode()
PY

if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    t "LibreOffice converts the docx" sh -c "cd '$SCRATCH' && HOME='$SCRATCH' timeout 180 soffice --headless --convert-to pdf --outdir lo soc2.docx >/dev/null 2>&1 && pdftotext lo/soc2.pdf - | grep -q 'Description of the system'"
else
    skip "LibreOffice not installed"
fi

t "swedish" "$TILLIT" report soc2 --format md --lang sv
out_has "typ I-rapport"
out_has "UTKAST"
out_has "III. Beskrivning av systemet"

# Bad usage: exit 2, nothing written.
t_exit 2 "unknown format" "$TILLIT" report soc2 --format rtf -o "$SCRATCH/x.rtf"
err_has "unknown format 'rtf' (expected pdf, docx, html, md)"
t_exit 2 "xlsx is not a soc2 format" "$TILLIT" report soc2 --format xlsx -o "$SCRATCH/x.xlsx"
t_exit 2 "format is required" "$TILLIT" report soc2 -o "$SCRATCH/x.pdf"
err_has "--format is required"
t_exit 2 "unknown engagement" "$TILLIT" report soc2 --engagement nope --format md
err_has "nope"
t_exit 2 "unknown report" "$TILLIT" report annual --format pdf
err_has "unknown subcommand 'report annual'"
if [ -e "$SCRATCH/x.rtf" ] || [ -e "$SCRATCH/x.pdf" ] || [ -e "$SCRATCH/x.xlsx" ]; then
    not_ok "nothing written on failure"
else
    ok "nothing written on failure"
fi
t_exit 3 "an unwritable path" \
    "$TILLIT" report soc2 --format pdf -o "$SCRATCH/no/such/dir/x.pdf"
# The PDF renderer is a module loaded on first use: without it, a clear
# error and no file; the other formats do not need it.
t_fails "a PDF without the PDF module" env TILLIT_PDF_MODULE=/nonexistent/tillit-pdf.so \
    "$TILLIT" report soc2 --format pdf -o "$SCRATCH/nomodule.pdf"
err_has "PDF output needs the PDF module: /nonexistent/tillit-pdf.so"
t "... leaves no file" test ! -e "$SCRATCH/nomodule.pdf"
t "... while DOCX needs no module" env TILLIT_PDF_MODULE=/nonexistent/tillit-pdf.so \
    "$TILLIT" report soc2 --format docx -o "$SCRATCH/nomodule.docx"

done_testing
