#!/bin/sh
# The reports page: every link on it (the demo organization with the demo
# Type II engagement) gives the file it names, with the right type and
# bytes; a download equals the CLI's file; Swedish downloads are Swedish;
# the OSCAL downloads validate; the bridge letter's form; frameworks with
# their mappings; the API list and downloads; a viewer may download, a
# member of another organization gets 404; bad input is 400 naming it.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"
. "$TDIR/oscal-lib.sh"

export TILLIT_NOW="2026-07-20T09:00:00Z"
DATA="${TILLIT_SRC:-$TDIR/../..}/tests/data/oscal"
{ "$TILLIT" init && "$TILLIT" demo && "$TILLIT" engagement demo &&
  "$TILLIT" org create beta --name Beta &&
  for r in admin viewer; do
      echo "$PW" | "$TILLIT" user add "$r@acme.example" --role "$r" --org norrsken --password-stdin ||
          exit 1
  done &&
  echo "$PW" | "$TILLIT" user add other@beta.example --role admin --org beta --password-stdin
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
export TILLIT_ORG=norrsken
TOKEN=$("$TILLIT" user token admin@acme.example)
start_server --max-seconds 400
as admin

get page "/o/norrsken/reports?lang=en"
is "the reports page" "$STATUS" 200
has "... headed Reports" "$SCRATCH/page.b" "<h1>Reports</h1>"
has "... with the readiness PDF" "$SCRATCH/page.b" 'id="report-pdf"'
has "... and HTML" "$SCRATCH/page.b" 'id="report-html"'
has "... the demo engagement chosen" "$SCRATCH/page.b" '<option value="type2-2026" selected>'
has "... whose SOC 2 report is a draft" "$SCRATCH/page.b" '<span class="badge">DRAFT</span>'
has "... and the bridge letter's form" "$SCRATCH/page.b" 'id="bridge-date"'

# check_download NAME URL: the file a link names: 200, its type, its bytes.
check_download() {
    fmt=$(echo "$2" | sed -n 's/.*[?&]format=\([a-z]*\).*/\1/p')
    get "$1" "$2"
    [ "$STATUS" = 200 ] || { echo "status $STATUS"; return 1; }
    type=$(sed -n 's/^[Cc]ontent-[Tt]ype: *//p' "$SCRATCH/$1.h" | tr -d '\r')
    disp=$(sed -n 's/^[Cc]ontent-[Dd]isposition: *//p' "$SCRATCH/$1.h" | tr -d '\r')
    kind=$(echo "$2" | sed 's|.*/reports/\([^?]*\).*|\1|')
    [ "$disp" = "attachment; filename=\"norrsken-$kind.$fmt\"" ] || { echo "disposition $disp"; return 1; }
    f="$SCRATCH/$1.b"
    case $fmt in
    pdf) [ "$type" = application/pdf ] && [ "$(head -c 5 "$f")" = "%PDF-" ] ;;
    docx) [ "$type" = application/vnd.openxmlformats-officedocument.wordprocessingml.document ] &&
        [ "$(head -c 2 "$f")" = PK ] ;;
    xlsx) [ "$type" = application/vnd.openxmlformats-officedocument.spreadsheetml.sheet ] &&
        [ "$(head -c 2 "$f")" = PK ] ;;
    html) [ "$type" = "text/html; charset=utf-8" ] && head -c 200 "$f" | grep -qi '^<!doctype html' ;;
    md) [ "$type" = "text/markdown; charset=utf-8" ] && head -1 "$f" | grep -q '^# ' ;;
    csv) [ "$type" = "text/csv; charset=utf-8" ] && head -1 "$f" | grep -q ',' ;;
    json) [ "$type" = application/json ] && python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$f" ;;
    *) echo "unknown format '$fmt'"; false ;;
    esac || { echo "type '$type' or bytes of $fmt"; return 1; }
}

grep -o 'href="/o/norrsken/reports/[^"]*"' "$SCRATCH/page.b" | sed 's/^href="//; s/"$//; s/&amp;/\&/g' \
    >"$SCRATCH/links"
n=$(wc -l <"$SCRATCH/links")
if [ "$n" -ge 50 ]; then ok "the page has $n download links"; else not_ok "the page has $n download links"; fi
bad=0
while read -r u; do
    if ! check_download dl "$u" >"$SCRATCH/why" 2>&1; then
        bad=$((bad + 1))
        echo "# $u: $(cat "$SCRATCH/why")"
    fi
done <"$SCRATCH/links"
is "every link gives its file (status, type, name, bytes)" "$bad" 0

# The readiness report as the browser test opens it.
api rd GET /orgs/norrsken/readiness
pct=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["overall"]["percent"])' "$SCRATCH/rd.b")
get rh "$(sed -n 's/.*href="\([^"]*\)"[^>]*id="report-html".*/\1/p' "$SCRATCH/page.b" | sed 's/&amp;/\&/g')"
is "the readiness HTML" "$STATUS" 200
has "... names the organization" "$SCRATCH/rh.b" "Norrsken Analytics"
has "... with today's readiness ($pct %)" "$SCRATCH/rh.b" "Overall readiness: $pct%"
hasnt "... self-contained: no external stylesheet or script" "$SCRATCH/rh.b" '<link rel="stylesheet"'
get rp "$(sed -n 's/.*href="\([^"]*\)"[^>]*id="report-pdf".*/\1/p' "$SCRATCH/page.b" | sed 's/&amp;/\&/g')"
is "the readiness PDF" "$STATUS" 200
if command -v pdftotext >/dev/null 2>&1; then
    pdftotext "$SCRATCH/rp.b" "$SCRATCH/rp.txt" 2>/dev/null
    has "... names the organization" "$SCRATCH/rp.txt" "Norrsken Analytics"
    tail -c 1200 "$SCRATCH/rp.b" | grep -q '%%EOF' && ok "... a whole PDF" || not_ok "... a whole PDF"
else
    skip "pdftotext not installed"
    skip "pdftotext not installed"
fi

# Swedish downloads are Swedish; the language of the site stays as it was.
get sv "/o/norrsken/reports/readiness?format=md&lang=sv"
has "a Swedish readiness report" "$SCRATCH/sv.b" "# SOC 2-beredskap"
has "... with Swedish headings" "$SCRATCH/sv.b" "## Öppna luckor"
hasnt "... without changing the site's language" "$SCRATCH/sv.h" "tillit_lang="
get sv2 "/o/norrsken/reports/soc2?format=md&lang=sv&engagement=type2-2026"
has "a Swedish SOC 2 report of an engagement not concluded is a draft" "$SCRATCH/sv2.b" "UTKAST"
get en2 "/o/norrsken/reports/soc2?format=md&lang=en&engagement=type2-2026"
has "... DRAFT in English" "$SCRATCH/en2.b" "DRAFT"
has "... of the Type II engagement" "$SCRATCH/en2.b" "SOC 2 Type II report"

# One path: the CLI writes the same files.
"$TILLIT" report soc2 --engagement type2-2026 --format md --lang en -o "$SCRATCH/cli-soc2.md" >/dev/null
t "the SOC 2 report equals the CLI's" cmp "$SCRATCH/en2.b" "$SCRATCH/cli-soc2.md"
get cx "/o/norrsken/reports/controls?format=xlsx&lang=sv"
"$TILLIT" report controls --format xlsx --lang sv -o "$SCRATCH/cli-controls.xlsx" >/dev/null
t "the control matrix equals the CLI's" cmp "$SCRATCH/cx.b" "$SCRATCH/cli-controls.xlsx"
get pbc "/o/norrsken/reports/pbc?format=xlsx&engagement=type2-2026"
"$TILLIT" report pbc --engagement type2-2026 --format xlsx -o "$SCRATCH/cli-pbc.xlsx" >/dev/null
t "the PBC list equals the CLI's" cmp "$SCRATCH/pbc.b" "$SCRATCH/cli-pbc.xlsx"
get ssp "/o/norrsken/reports/oscal-ssp?format=json&lang=en&engagement=type2-2026"
"$TILLIT" report oscal ssp --engagement type2-2026 -o "$SCRATCH/cli-ssp.json" >/dev/null
t "the SSP equals the CLI's" cmp "$SCRATCH/ssp.b" "$SCRATCH/cli-ssp.json"
get cc "/o/norrsken/reports/controls?format=csv&lang=en"
has "the control matrix as CSV has its header" "$SCRATCH/cc.b" "Code,"
[ "$(grep -c '' "$SCRATCH/cc.b")" -ge 101 ] && ok "... and a row per control" ||
    not_ok "... and a row per control"

# OSCAL downloads validate against NIST's schemas.
for m in catalog ssp assessment-results poam; do
    get "o-$m" "/o/norrsken/reports/oscal-$m?format=json&lang=sv&engagement=type2-2026"
    cp "$SCRATCH/o-$m.b" "$SCRATCH/o-$m.json"
    oscal_valid "the OSCAL $m download validates" "$m" "$SCRATCH/o-$m.json"
done

# The bridge letter: its form, then what it sends.
get br "/o/norrsken/reports/bridge-letter?engagement=type2-2026&date=2026-09-30&lang=sv&format=md"
is "the bridge letter" "$STATUS" 200
has "... in Swedish" "$SCRATCH/br.b" "Överbryggningsbrev"
has "... up to the date given" "$SCRATCH/br.b" "2026-09-30"
"$TILLIT" engagement bridge-letter type2-2026 --to 2026-09-30 --lang sv >"$SCRATCH/cli-br.md"
t "... the CLI's letter" cmp "$SCRATCH/br.b" "$SCRATCH/cli-br.md"
get brh "/o/norrsken/reports/bridge-letter?engagement=type2-2026&date=2026-09-30&format=html"
has "... or a page" "$SCRATCH/brh.b" "<!doctype html>"
get br2 "/o/norrsken/reports/bridge-letter?engagement=type2-2026&format=md"
is "without a date it is 400" "$STATUS" 400
has "... naming the field" "$SCRATCH/br2.b" "(&#39;date&#39;, YYYY-MM-DD)"
get br3 "/o/norrsken/reports/bridge-letter?engagement=type2-2026&date=2026-03-31"
is "a date inside the period is 400" "$STATUS" 400
has "... saying why" "$SCRATCH/br3.b" "must follow the end of the period"

# Bad input.
get u1 "/o/norrsken/reports/nope"
is "an unknown report is 404" "$STATUS" 404
get u2 "/o/norrsken/reports/soc2?format=xlsx"
is "a format the report does not have is 400" "$STATUS" 400
has "... naming the formats it has" "$SCRATCH/u2.b" "(formats: pdf, docx, html, md)"
get u3 "/o/norrsken/reports/readiness?format=pdf&lang=de"
is "an unknown language is 400" "$STATUS" 400
get u4 "/o/norrsken/reports/soc2?format=md&engagement=nope"
is "an unknown engagement is 400" "$STATUS" 400
has "... naming it" "$SCRATCH/u4.b" "no engagement &#39;nope&#39;"
get u5 "/o/norrsken/reports?engagement=nope"
is "... also on the page" "$STATUS" 400
get u6 "/o/norrsken/reports/oscal-catalog?framework=nope"
is "an unknown framework is 400" "$STATUS" 400

# Frameworks imported from OSCAL catalogs, with their mappings.
{ "$TILLIT" framework import "$DATA/sample-catalog.json" &&
  "$TILLIT" framework map example-security-controls:ac-1 CC6.2; } >/dev/null
get fw "/o/norrsken/reports"
has "the page lists an imported framework" "$SCRATCH/fw.b" 'id="framework-example-security-controls"'
get fw1 "/o/norrsken/frameworks/example-security-controls?mapped=1"
is "the framework's page" "$STATUS" 200
has "... with the mapping" "$SCRATCH/fw1.b" '<a href="/o/norrsken/criteria/CC6.2">CC6.2</a>'
get fw2 "/o/norrsken/frameworks/example-security-controls?format=csv"
has "... as CSV" "$SCRATCH/fw2.b" "id,label,title,group,criteria"
get fw3 "/o/norrsken/reports/oscal-catalog?format=json&framework=example-security-controls"
cp "$SCRATCH/fw3.b" "$SCRATCH/fw3.json"
oscal_valid "the framework exported as a catalog validates" catalog "$SCRATCH/fw3.json"
has "... with its mapping" "$SCRATCH/fw3.b" '"tsc-criterion"'
get fw4 "/o/norrsken/frameworks/nope"
is "an unknown framework's page is 404" "$STATUS" 404

# The API.
api a1 GET /orgs/norrsken/reports
is "the API lists the reports" "$STATUS" 200
t "... every report with its download URLs" python3 - "$SCRATCH/a1.b" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
kinds = [r["kind"] for r in d["reports"]]
assert kinds[:3] == ["readiness", "risks", "controls"], kinds
assert "soc2" in kinds and "oscal-poam" in kinds and "pbc" in kinds, kinds
soc2 = [r for r in d["reports"] if r["kind"] == "soc2"][0]
assert soc2["formats"] == ["pdf", "docx", "html", "md"], soc2
url = soc2["downloads"][0]["links"][0]["url"]
assert url.startswith("/api/v1/orgs/norrsken/reports/soc2?format=pdf"), url
assert d["engagement"] == "type2-2026", d["engagement"]
PY
api a2 GET "/orgs/norrsken/reports/readiness?format=pdf&lang=sv"
is "the API sends a report" "$STATUS" 200
is "... a PDF" "$(head -c 5 "$SCRATCH/a2.b")" "%PDF-"
api a3 GET "/orgs/norrsken/reports/risks?format=json"
is "the API refuses a format the report does not have" "$STATUS" 400
has "... as a problem" "$SCRATCH/a3.h" "application/problem+json"
has "... naming the formats" "$SCRATCH/a3.b" "formats: pdf, xlsx, docx, html, md"
api a4 GET /orgs/norrsken/reports/nope
is "... an unknown report is 404" "$STATUS" 404
api a5 GET /orgs/norrsken/frameworks
has "the API lists the frameworks" "$SCRATCH/a5.b" '"slug": "example-security-controls"'
api a6 GET /orgs/norrsken/frameworks/example-security-controls
has "... and one with its controls' criteria" "$SCRATCH/a6.b" '"CC6.2"'

# Roles.
as viewer
get v1 /o/norrsken/reports
is "a viewer sees the reports" "$STATUS" 200
get v2 "/o/norrsken/reports/workpapers?format=xlsx&engagement=type2-2026"
is "... and downloads them" "$STATUS" 200
as other
get o1 /o/norrsken/reports
is "a member of another organization gets 404" "$STATUS" 404
get o2 "/o/norrsken/reports/readiness?format=md"
is "... for a download too" "$STATUS" 404
hasnt "... which shows nothing of it" "$SCRATCH/o2.b" "Norrsken Analytics"

# --- every report also downloads as PDF from its own page -------------------------------------
as admin
# link_of NAME ID: the href of the link with that id on page NAME (&amp; undone).
link_of() { sed -n "s/.*<a href=\"\([^\"]*\)\" id=\"$2\".*/\1/p" "$SCRATCH/$1.b" | sed 's/&amp;/\&/g' | head -1; }
for pg in risks controls; do
    get "own-$pg" "/o/norrsken/$pg"
    u=$(link_of "own-$pg" page-report-pdf)
    if [ -n "$u" ] && check_download "own-$pg-pdf" "$u" >"$SCRATCH/why" 2>&1; then
        ok "the $pg page links its report as a PDF ($u)"
    else
        not_ok "the $pg page links its report as a PDF ('$u')"; sed 's/^/# /' "$SCRATCH/why"
    fi
done
get own-eng /o/norrsken/engagements/type2-2026
for id in eng-report-soc2-pdf eng-report-workpapers-pdf; do
    u=$(link_of own-eng "$id")
    if [ -n "$u" ] && check_download "own-$id" "$u" >"$SCRATCH/why" 2>&1; then
        ok "the engagement page links $id ($u)"
    else
        not_ok "the engagement page links $id ('$u')"; sed 's/^/# /' "$SCRATCH/why"
    fi
done

stop_clean
done_testing
