#!/bin/sh
# The dashboard, the gap analysis page (adopt a suggestion, not applicable
# and back), the readiness page and its report downloads, and their API.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add ann@acme.example --name 'Ann Andersson' --org acme && setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token editor@acme.example)
start_server --max-seconds 240
as editor

# --- dashboard -------------------------------------------------------------------------------
get dash /o/acme
is "the dashboard is 200" "$STATUS" 200
has "... with the readiness score" "$SCRATCH/dash.b" 'id="readiness-score">0<'
has "... readiness per category" "$SCRATCH/dash.b" 'id="readiness-security"'
has "... the gaps" "$SCRATCH/dash.b" 'id="gaps-count"'
has "... evidence due" "$SCRATCH/dash.b" 'id="card-evidence"'
has "... the plan" "$SCRATCH/dash.b" 'id="card-plan"'
has "... failing checks" "$SCRATCH/dash.b" 'id="card-checks"'
has "... open findings" "$SCRATCH/dash.b" 'id="card-findings"'
has "... inline SVG charts" "$SCRATCH/dash.b" '<svg class="gauge"'
has "... and the search box" "$SCRATCH/dash.b" 'id="site-search"'
api adash GET /orgs/acme/dashboard
is "the dashboard through the API" "$STATUS" 200
has "... with readiness" "$SCRATCH/adash.b" '"readiness"'
has "... and evidence due" "$SCRATCH/adash.b" '"evidence_due"'
has "... checks" "$SCRATCH/adash.b" '"checks"'
has "... and findings" "$SCRATCH/adash.b" '"findings"'

# --- the gap page --------------------------------------------------------------------------------
get gap /o/acme/gap
is "the gap page is 200" "$STATUS" 200
has "... lists CC6.1" "$SCRATCH/gap.b" 'id="gap-CC6.1"'
has "... as a gap" "$SCRATCH/gap.b" 'class="badge gs-none">Gap<'
has "... with suggestions to adopt" "$SCRATCH/gap.b" 'id="adopt-'
CODE=$(sed -n 's/.*id="adopt-\([A-Z0-9-]*\)".*/\1/p' "$SCRATCH/gap.b" | head -1)
get gapcsv "/o/acme/gap?format=csv&state=none"
is "the gap list as CSV" "$STATUS" 200
has "... with its header" "$SCRATCH/gapcsv.b" "id,category,state,score"
get gapx "/o/acme/gap?format=xlsx"
is "the gap list as XLSX" "$STATUS" 200
has "... a workbook" "$SCRATCH/gapx.h" "spreadsheetml.sheet"
get gapbad "/o/acme/gap?state=bogus"
is "an unknown state filter is 400" "$STATUS" 400

# Adopting a suggestion: the button's form.
before=$(audit_count)
nocsrf adopt0 /o/acme/controls/adopt --data-urlencode "code=$CODE" --data-urlencode next=/o/acme/gap
is "adopting without the CSRF token is 403" "$STATUS" 403
unchanged "... and adopts nothing" "$before"
post adopt /o/acme/controls/adopt --data-urlencode "code=$CODE" --data-urlencode next=/o/acme/gap
is "adopting a suggestion redirects" "$STATUS" 303
is "... back to the gap page" "$(location adopt)" "/o/acme/gap?done=adopted"
t "... and the control is in the program" "$TILLIT" control show "$CODE" --org acme
get gap2 "/o/acme/gap?done=adopted"
has "... which says so" "$SCRATCH/gap2.b" 'Adopted from the library.'
hasnt "... and no longer suggests it" "$SCRATCH/gap2.b" "id=\"adopt-$CODE\""

# The readiness score moves when the control is implemented.
post impl "/o/acme/controls/$CODE" --data-urlencode title=Adopted --data-urlencode status=implemented \
    --data-urlencode frequency=annual --data-urlencode nature=preventive --data-urlencode type=manual
is "setting its status redirects" "$STATUS" 303
get dash2 /o/acme
if grep -q 'id="readiness-score">0<' "$SCRATCH/dash2.b"; then not_ok "the readiness score moved"; else ok "the readiness score moved"; fi

# --- not applicable --------------------------------------------------------------------------------
get naform "/o/acme/gap/na?target=CC9.2"
is "the not-applicable form" "$STATUS" 200
has "... with the target filled in" "$SCRATCH/naform.b" 'name="target" type="text" value="CC9.2"'
before=$(audit_count)
post na1 /o/acme/gap/na --data-urlencode target=CC9.2 --data-urlencode justification=
is "no justification is 400" "$STATUS" 400
has "... with the message next to the field" "$SCRATCH/na1.b" 'id="na-justification-error"'
has "... and the target kept" "$SCRATCH/na1.b" 'value="CC9.2"'
unchanged "... and nothing recorded" "$before"
post na2 /o/acme/gap/na --data-urlencode target=XX9.9 --data-urlencode justification=because
is "an unknown criterion is 400" "$STATUS" 400
has "... next to the target field" "$SCRATCH/na2.b" 'id="na-target-error"'
unchanged "... and nothing recorded" "$before"
nocsrf na3 /o/acme/gap/na --data-urlencode target=CC9.2 --data-urlencode justification=because
is "without the CSRF token it is 403" "$STATUS" 403
post na4 /o/acme/gap/na --data-urlencode target=CC9.2 --data-urlencode 'justification=We have no vendors'
is "marking not applicable redirects" "$STATUS" 303
get gap3 "/o/acme/gap?state=not-applicable"
has "... and the criterion is not applicable" "$SCRATCH/gap3.b" 'id="gap-CC9.2"'
has "... with its justification" "$SCRATCH/gap3.b" 'We have no vendors'
nocsrf ap0 /o/acme/gap/applicable --data-urlencode target=CC9.2
is "applicable again without the token is 403" "$STATUS" 403
post ap1 /o/acme/gap/applicable --data-urlencode target=CC1.1
is "applicable again for one never marked is 400" "$STATUS" 400
post ap2 /o/acme/gap/applicable --data-urlencode target=CC9.2
is "applicable again redirects" "$STATUS" 303
apijson ana PUT /orgs/acme/gap/na/CC9.2 '{"justification": "no vendors at all"}'
is "the API marks not applicable" "$STATUS" 200
apijson ana2 PUT /orgs/acme/gap/na/CC9.2 '{}'
is "... and refuses no justification" "$STATUS" 400
has "... naming the field" "$SCRATCH/ana2.b" '"justification"'
api ana3 DELETE /orgs/acme/gap/na/CC9.2
is "the API makes it applicable again" "$STATUS" 204
api agap GET /orgs/acme/gap
is "the gap analysis through the API" "$STATUS" 200
has "... with suggestions" "$SCRATCH/agap.b" '"suggestions"'

# --- readiness -----------------------------------------------------------------------------------
get ready /o/acme/readiness
is "the readiness page" "$STATUS" 200
has "... with the score" "$SCRATCH/ready.b" 'id="readiness-score"'
has "... and the report download" "$SCRATCH/ready.b" 'id="report-html"'
get rhtml "/o/acme/readiness?format=html"
is "the readiness report as HTML" "$STATUS" 200
has "... as an attachment" "$SCRATCH/rhtml.h" 'attachment; filename="acme-readiness.html"'
TILLIT_ORG=acme "$TILLIT" readiness --format html >"$SCRATCH/cli.html"
if cmp -s "$SCRATCH/cli.html" "$SCRATCH/rhtml.b"; then ok "... the same report as 'tillit readiness --format html'"; else not_ok "... the same report as 'tillit readiness --format html'"; diff "$SCRATCH/cli.html" "$SCRATCH/rhtml.b" | head -5 | sed 's/^/# /'; fi
get rpdf "/o/acme/readiness?format=pdf"
is "the readiness report as PDF" "$STATUS" 200
is "... a PDF" "$(head -c 5 "$SCRATCH/rpdf.b")" "%PDF-"
get rmd "/o/acme/readiness?format=md"
is "the readiness report as Markdown" "$STATUS" 200
get rbad "/o/acme/readiness?format=doc"
is "an unknown report format is 400" "$STATUS" 400
api aready GET /orgs/acme/readiness
is "readiness through the API" "$STATUS" 200
has "... overall" "$SCRATCH/aready.b" '"overall"'

# --- roles -------------------------------------------------------------------------------------------
as viewer
get vgap /o/acme/gap
is "a viewer sees the gap page" "$STATUS" 200
hasnt "... without adopt buttons" "$SCRATCH/vgap.b" 'id="adopt-'
post vna /o/acme/gap/na --data-urlencode target=CC9.2 --data-urlencode justification=x
is "... and may not mark not applicable" "$STATUS" 403
as other
get ogap /o/acme/gap
is "another organization's member gets 404" "$STATUS" 404
hasnt "... and no data" "$SCRATCH/ogap.b" "CC6.1"

stop_clean
done_testing
