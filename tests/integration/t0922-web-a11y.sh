#!/bin/sh
# Accessible markup on every page kind (lists, records, forms, a form with
# errors, in both languages): lang, one h1, the landmarks, a label for every
# control, unique ids, aria-describedby pointing at something that exists,
# charts either labelled or hidden from assistive technology, no empty
# links or buttons, the sections nav named, every scrolling table box a
# named region that the keyboard can reach (and on the list pages every
# table in one); and a stylesheet with visible focus, a print style without
# navigation, and a phone layout whose sections scroll sideways in one row.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

if ! python3 -c 'import html.parser' 2>/dev/null; then
    echo "1..0 # SKIP needs python3"
    exit 0
fi
printf 'x\n' >"$SCRATCH/e.txt"
printf 'id,name\n1,ann\n' >"$SCRATCH/d.csv"
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add ann@acme.example --name 'Ann' --approver --org acme &&
  "$TILLIT" control add C-1 --title 'Backups' --org acme && "$TILLIT" control map C-1 CC6.1 --org acme &&
  "$TILLIT" risk add R-1 --title 'Flood' --likelihood 2 --impact 2 --treatment accept --org acme &&
  "$TILLIT" policy new pol --template access-control --org acme &&
  "$TILLIT" scope subservice add sub --name Sub --method carve-out --org acme &&
  "$TILLIT" plan --start 2026-03-02 --target type2 --org acme &&
  "$TILLIT" evidence add "$SCRATCH/e.txt" --control C-1 --org acme &&
  "$TILLIT" data load ds "$SCRATCH/d.csv" --kind csv --org acme && setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
EVID=$("$TILLIT" evidence list --org acme --format csv | sed -n 2p | cut -d, -f1)
start_server --max-seconds 200
as editor

cat >"$SCRATCH/check.py" <<'PY'
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs) in order
        self.ids = {}
        self.labels_for = set()
        self.h1 = 0
        self.problems = []
        self.stack = []         # open a/button/label with their text
        self.in_svg = 0
        self.open = []          # open elements: (tag, classes)
        self.bare_tables = 0    # tables in <main> outside a .table-wrap
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        classes = (a.get("class") or "").split()
        inside = [c for _, cs in self.open for c in cs]
        if tag == "table" and any(t == "main" for t, _ in self.open) and "table-wrap" not in inside:
            self.bare_tables += 1
        if "table-wrap" in classes:
            if a.get("role") != "region" or not (a.get("aria-label") or a.get("aria-labelledby")):
                self.problems.append("a .table-wrap that is not a named region")
            if a.get("tabindex") != "0":
                self.problems.append("a .table-wrap the keyboard cannot reach (tabindex)")
        if tag == "nav" and not a.get("aria-label"):
            self.problems.append("a <nav> without a name")
        if tag not in VOID:
            self.open.append((tag, classes))
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append("duplicate id %r" % a["id"])
            self.ids[a["id"]] = tag
        if tag == "label" and "for" in a:
            self.labels_for.add(a["for"])
        if tag == "h1":
            self.h1 += 1
        if tag in ("a", "button", "label"):
            self.stack.append([tag, a, ""])
        if tag == "svg":
            if a.get("aria-hidden") != "true" and not (a.get("role") == "img" and ("aria-labelledby" in a or "aria-label" in a)):
                self.problems.append("svg neither labelled nor hidden")
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open and self.open[-1][0] == tag:
            self.open.pop()
    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break
        if self.stack and self.stack[-1][0] == tag and tag in ("a", "button"):
            t, a, text = self.stack.pop()
            if not text.strip() and not a.get("aria-label"):
                self.problems.append("empty %s %r" % (t, a.get("href") or a.get("id")))
        elif self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
    def handle_data(self, data):
        for s in self.stack:
            s[2] += data

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
tags = [t for t, _ in p.tags]
html = [a for t, a in p.tags if t == "html"]
if not html or not html[0].get("lang"):
    p.problems.append("no lang on html")
for landmark in ("header", "nav", "main", "footer"):
    if landmark not in tags:
        p.problems.append("no <%s>" % landmark)
if p.h1 != 1:
    p.problems.append("%d h1" % p.h1)
for t, a in p.tags:
    if t in ("input", "select", "textarea"):
        if a.get("type") in ("hidden", "submit", "button"):
            continue
        if "aria-label" in a or "aria-labelledby" in a:
            continue
        if a.get("id") not in p.labels_for:
            p.problems.append("%s %r has no label" % (t, a.get("name")))
    for ref in (a.get("aria-describedby") or "").split():
        if ref not in p.ids:
            p.problems.append("aria-describedby %r points nowhere" % ref)
    if t == "a" and a.get("href", "").startswith("javascript"):
        p.problems.append("javascript: link")
    if a.get("role") == "region" and not (a.get("aria-label") or a.get("aria-labelledby")):
        p.problems.append("a region without a name")
    for ref in (a.get("aria-labelledby") or "").split():
        if ref not in p.ids:
            p.problems.append("aria-labelledby %r points nowhere" % ref)
sections = [a for t, a in p.tags if t == "nav" and "main-nav" in (a.get("class") or "").split()]
if "/o/" in sys.argv[2] and len(sections) != 1:
    p.problems.append("%d sections navs" % len(sections))
if len(sys.argv) > 3 and sys.argv[3] == "wrapped" and p.bare_tables:
    p.problems.append("%d tables outside a .table-wrap" % p.bare_tables)
for pr in p.problems:
    print(pr)
sys.exit(1 if p.problems else 0)
PY

# checkpage WHAT [wrapped]: the page just fetched; 'wrapped': a list page
# whose every table must sit in a .table-wrap.
checkpage() {
    if python3 "$SCRATCH/check.py" "$SCRATCH/pg.b" "$1" ${2:-} >"$SCRATCH/problems"; then
        ok "$1 is accessible markup"
    else
        not_ok "$1 is accessible markup"
        sed 's/^/# /' "$SCRATCH/problems" | head -8
    fi
}

for lang in en sv; do
    for p in /o/acme /o/acme/gap /o/acme/readiness "/o/acme/gap/na?target=CC9.2" /o/acme/scope /o/acme/scope/system \
        /o/acme/scope/categories/availability /o/acme/scope/components/new /o/acme/scope/subservices/sub/csocs/new \
        /o/acme/criteria /o/acme/criteria/CC6.1 /o/acme/library /o/acme/controls /o/acme/controls/C-1 \
        /o/acme/controls/new /o/acme/controls/C-1/edit "/o/acme/controls/C-1/map?criterion=CC6.1" \
        /o/acme/risks /o/acme/risks/R-1 /o/acme/risks/new /o/acme/people /o/acme/people/new /o/acme/vendors \
        /o/acme/vendors/new /o/acme/policies /o/acme/policies/pol /o/acme/policies/new /o/acme/policies/pol/edit \
        /o/acme/policies/pol/acks /o/acme/evidence /o/acme/evidence/new /o/acme/evidence/due \
        /o/acme/evidence/coverage "/o/acme/evidence/$EVID" /o/acme/plan "/o/acme/search?q=backup" /o/acme/audit \
        /o/acme/checks /o/acme/checks/aws-root-mfa /o/acme/datasets /o/acme/datasets/ds /o/acme/datasets/new; do
        get pg "$p$(case $p in *\?*) echo "&";; *) echo "?";; esac)lang=$lang"
        is "GET $p ($lang) is 200" "$STATUS" 200
        case $p in
        /o/acme/gap | /o/acme/criteria | /o/acme/controls | /o/acme/risks | /o/acme/people | /o/acme/vendors | \
            /o/acme/policies | /o/acme/evidence | /o/acme/evidence/due | /o/acme/plan | /o/acme/audit)
            checkpage "$p ($lang)" wrapped ;;
        *) checkpage "$p ($lang)" ;;
        esac
    done
done
# A form with errors: the summary and the messages are tied to the fields.
post pg /o/acme/controls --data-urlencode code= --data-urlencode title= --data-urlencode frequency=x
is "a refused form" "$STATUS" 400
checkpage "a form with errors"
has "... with a summary that is announced" "$SCRATCH/pg.b" 'class="error-summary" role="alert"'
has "... messages tied to their field" "$SCRATCH/pg.b" 'aria-describedby="control-code-hint control-code-error"'
get pg "/o/acme/controls/new?lang=sv"
has "forms are in Swedish too" "$SCRATCH/pg.b" '(obligatoriskt)'
hasnt "... with no raw UI keys" "$SCRATCH/pg.b" '>controls.'

# Where the markup checks should fire: a bare table on a list page, an
# unnamed nav, an unnamed table box.
cat >"$SCRATCH/bad.html" <<'HTML'
<!doctype html><html lang="en"><head><title>x</title></head><body><header>h</header>
<nav class="main-nav"><ul><li><a href="/o/x">x</a></li></ul></nav>
<main><h1>x</h1><table><tr><td>1</td></tr></table>
<div class="table-wrap"><table><tr><td>2</td></tr></table></div></main><footer>f</footer></body></html>
HTML
python3 "$SCRATCH/check.py" "$SCRATCH/bad.html" /o/x wrapped >"$SCRATCH/problems"
has "the checks find a table outside a .table-wrap" "$SCRATCH/problems" '1 tables outside a .table-wrap'
has "... a box that is not a named region" "$SCRATCH/problems" 'a .table-wrap that is not a named region'
has "... or that the keyboard cannot reach" "$SCRATCH/problems" 'the keyboard cannot reach'
has "... and a nav without a name" "$SCRATCH/problems" 'a <nav> without a name'

get css /static/app.css
has "the stylesheet shows keyboard focus" "$SCRATCH/css.b" ':focus-visible'
has "... has a print style" "$SCRATCH/css.b" '@media print'
has "... and a narrow-screen layout" "$SCRATCH/css.b" '@media (max-width: 40rem)'
# The rules that make a phone usable, read from the stylesheet: in the
# narrow-screen layout the sections are one row that scrolls sideways; a
# table box scrolls; on paper the navigation and forms are gone and a
# table's header row repeats.
cat >"$SCRATCH/css.py" <<'PY'
import re, sys
css = re.sub(r"/\*.*?\*/", "", open(sys.argv[1], encoding="utf-8").read(), flags=re.S)
def blocks(media):
    # the bodies of every @media block whose query is MEDIA
    out, i = [], 0
    while True:
        i = css.find("@media " + media, i)
        if i < 0:
            return "".join(out)
        j = css.index("{", i) + 1
        depth, k = 1, j
        while depth:
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            k += 1
        out.append(css[j:k - 1])
        i = k
def rule(text, selector):
    m = re.search(r"(^|[},])\s*" + re.escape(selector) + r"\s*(,[^{]*)?\{([^}]*)\}", text)
    return m.group(3) if m else ""
phone, paper = blocks("(max-width: 40rem)"), blocks("print")
want = {
    "phone nav one row": "nowrap" in rule(phone, ".main-nav ul") and "overflow-x: auto" in rule(phone, ".main-nav ul"),
    "table box scrolls": "overflow-x: auto" in rule(css, ".table-wrap"),
    "print hides the nav": re.search(r"\.main-nav[^{]*\{[^}]*display: none", paper) is not None,
    "print hides forms": "form:not(:has(table))" in paper and "button" in paper,
    "print repeats table headers": "table-header-group" in rule(paper, "thead"),
}
bad = [k for k, v in want.items() if not v]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
if python3 "$SCRATCH/css.py" "$SCRATCH/css.b" >"$SCRATCH/problems"; then
    ok "... where the sections scroll in one row, tables in their box, and paper has content only"
else
    not_ok "... where the sections scroll in one row, tables in their box, and paper has content only"
    sed 's/^/# missing: /' "$SCRATCH/problems"
fi
get lay /o/acme
has "pages scale on phones" "$SCRATCH/lay.b" 'name="viewport" content="width=device-width, initial-scale=1"'
has "... and have a skip link" "$SCRATCH/lay.b" 'class="skip" href="#main"'

stop_clean
done_testing
