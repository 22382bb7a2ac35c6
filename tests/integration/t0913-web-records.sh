#!/bin/sh
# Risks (add, edit, link and unlink controls), people and vendors (add and
# edit) in the browser and through the API: happy paths, validation
# failures that change nothing, CSRF.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add ann@acme.example --name 'Ann Andersson' --org acme &&
  "$TILLIT" control add C-1 --title 'Backups' --org acme && "$TILLIT" control add C-2 --title 'MFA' --org acme &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token editor@acme.example)
start_server --max-seconds 240
as editor

# --- risks ---------------------------------------------------------------------------------------
get rn /o/acme/risks/new
is "the new-risk form" "$STATUS" 200
has "... likelihood as a labelled choice" "$SCRATCH/rn.b" '<option value="3" selected>3 Possible</option>'
before=$(audit_count)
post r1 /o/acme/risks --data-urlencode code=R-1 --data-urlencode 'title=Ransomware' --data-urlencode likelihood=4 \
    --data-urlencode impact=5 --data-urlencode treatment=mitigate --data-urlencode controls=
is "a mitigated risk without a control is 400" "$STATUS" 400
has "... with the message" "$SCRATCH/r1.b" 'class="field-error"'
has "... the title kept" "$SCRATCH/r1.b" 'value="Ransomware"'
has "... the likelihood kept" "$SCRATCH/r1.b" '<option value="4" selected>'
post r2 /o/acme/risks --data-urlencode code=R-1 --data-urlencode 'title=Ransomware' --data-urlencode likelihood=9 \
    --data-urlencode impact=5 --data-urlencode treatment=accept
is "a likelihood out of range is 400" "$STATUS" 400
has "... next to the likelihood" "$SCRATCH/r2.b" 'id="risk-likelihood-error"'
post r3 /o/acme/risks --data-urlencode code=R-1 --data-urlencode 'title=Ransomware' --data-urlencode likelihood=2 \
    --data-urlencode impact=2 --data-urlencode treatment=accept --data-urlencode residual_likelihood=5 --data-urlencode residual_impact=5
is "a residual above the inherent score is 400" "$STATUS" 400
has "... next to the residual" "$SCRATCH/r3.b" 'id="risk-residual_likelihood-error"'
post r4 /o/acme/risks --data-urlencode code=R-1 --data-urlencode 'title=Ransomware' --data-urlencode likelihood=2 \
    --data-urlencode impact=2 --data-urlencode treatment=mitigate --data-urlencode controls=NOPE
is "an unknown control is 400" "$STATUS" 400
has "... next to the controls" "$SCRATCH/r4.b" 'id="risk-controls-error"'
post r5 /o/acme/risks --data-urlencode code=R-1 --data-urlencode 'title=Ransomware' --data-urlencode likelihood=2 \
    --data-urlencode impact=2 --data-urlencode treatment=accept --data-urlencode next_review=2026-13-40
is "a bad date is 400" "$STATUS" 400
has "... next to the date" "$SCRATCH/r5.b" 'id="risk-next_review-error"'
unchanged "... and none of them changed anything" "$before"
nocsrf r6 /o/acme/risks --data-urlencode code=R-1 --data-urlencode title=T --data-urlencode likelihood=2 --data-urlencode impact=2 --data-urlencode treatment=accept
is "without the CSRF token it is 403" "$STATUS" 403
post r7 /o/acme/risks --data-urlencode code=R-1 --data-urlencode 'title=Ransomware' --data-urlencode likelihood=4 \
    --data-urlencode impact=5 --data-urlencode treatment=mitigate --data-urlencode 'controls=C-1' \
    --data-urlencode owner=ann@acme.example --data-urlencode is_fraud=1 --data-urlencode is_fraud__shown=1
is "adding a risk redirects" "$STATUS" 303
is "... to its page" "$(location r7)" "/o/acme/risks/R-1?done=created"
get rp /o/acme/risks/R-1
is "the risk's page" "$STATUS" 200
has "... with its rating" "$SCRATCH/rp.b" '20 Critical'
has "... its control and an unlink button" "$SCRATCH/rp.b" 'id="unlink-C-1"'
has "... and a form to link another" "$SCRATCH/rp.b" '<option value="C-2">'
get rpx /o/acme/risks/R-9
is "a missing risk is 404" "$STATUS" 404
nocsrf l0 /o/acme/risks/R-1/link --data-urlencode control=C-2
is "linking without the CSRF token is 403" "$STATUS" 403
post l1 /o/acme/risks/R-1/link --data-urlencode control=
is "linking nothing is 400" "$STATUS" 400
post l2 /o/acme/risks/R-1/link --data-urlencode control=C-1
is "linking a control already linked is 400" "$STATUS" 400
has "... with the message" "$SCRATCH/l2.b" 'already linked'
post l3 /o/acme/risks/R-1/link --data-urlencode control=C-2
is "linking a control redirects" "$STATUS" 303
post u1 /o/acme/risks/R-1/unlink --data-urlencode control=C-1
is "unlinking one of two redirects" "$STATUS" 303
post u2 /o/acme/risks/R-1/unlink --data-urlencode control=C-2
is "unlinking the last control of a mitigated risk is 400" "$STATUS" 400
nocsrf u3 /o/acme/risks/R-1/unlink --data-urlencode control=C-2
is "unlinking without the CSRF token is 403" "$STATUS" 403
get re /o/acme/risks/R-1/edit
has "the edit form is filled in" "$SCRATCH/re.b" 'value="C-2"'
post e1 /o/acme/risks/R-1 --data-urlencode 'title=Ransomware attack' --data-urlencode likelihood=4 --data-urlencode impact=5 \
    --data-urlencode treatment=mitigate --data-urlencode controls=C-2 --data-urlencode residual_likelihood=2 \
    --data-urlencode residual_impact=3 --data-urlencode owner= --data-urlencode is_fraud__shown=1
is "editing the risk redirects" "$STATUS" 303
t "... and changed it" "$TILLIT" risk show R-1 --org acme --format json
out_has '"title": "Ransomware attack"'
out_has '"fraud": false'
get rl /o/acme/risks
has "the register links to the risk" "$SCRATCH/rl.b" 'href="/o/acme/risks/R-1"'
apijson ar1 POST /orgs/acme/risks '{"code": "R-2", "title": "Flood", "likelihood": 1, "impact": 3, "treatment": "accept"}'
is "the API adds a risk" "$STATUS" 201
apijson ar2 PATCH /orgs/acme/risks/R-2 '{"likelihood": 7}'
is "... refuses a bad likelihood" "$STATUS" 400
apijson ar3 POST /orgs/acme/risks/R-2/controls '{"controls": ["C-1"]}'
is "... links a control" "$STATUS" 200
api ar4 DELETE /orgs/acme/risks/R-2/controls/C-1
is "... and unlinks it" "$STATUS" 200
api ar5 GET /orgs/acme/risks/R-2
is "... and shows the risk" "$STATUS" 200

# --- people ------------------------------------------------------------------------------------------
before=$(audit_count)
post p1 /o/acme/people --data-urlencode email=not-an-email --data-urlencode 'name=Bo'
is "a bad email is 400" "$STATUS" 400
has "... next to the email" "$SCRATCH/p1.b" 'id="person-email-error"'
post p2 /o/acme/people --data-urlencode email=bo@acme.example --data-urlencode 'name=Bo' \
    --data-urlencode start_date=2026-02-01 --data-urlencode end_date=2026-01-01
is "an end before the start is 400" "$STATUS" 400
has "... next to the end date" "$SCRATCH/p2.b" 'id="person-end_date-error"'
post p3 /o/acme/people --data-urlencode email=bo@acme.example --data-urlencode 'name=Bo' --data-urlencode manager=nobody@acme.example
is "an unknown manager is 400" "$STATUS" 400
has "... next to the manager" "$SCRATCH/p3.b" 'id="person-manager-error"'
unchanged "... and nothing changed" "$before"
nocsrf p4 /o/acme/people --data-urlencode email=bo@acme.example --data-urlencode name=Bo
is "without the CSRF token it is 403" "$STATUS" 403
post p5 /o/acme/people --data-urlencode email=bo@acme.example --data-urlencode 'name=Bo Berg' \
    --data-urlencode manager=ann@acme.example --data-urlencode is_approver=1 --data-urlencode is_approver__shown=1
is "adding a person redirects" "$STATUS" 303
post p6 /o/acme/people --data-urlencode email=bo@acme.example --data-urlencode 'name=Bo again'
is "the same email again is 409" "$STATUS" 409
get pe /o/acme/people/bo@acme.example/edit
is "the person's form" "$STATUS" 200
has "... filled in" "$SCRATCH/pe.b" 'value="Bo Berg"'
post p7 /o/acme/people/bo@acme.example --data-urlencode email=bo@acme.example --data-urlencode 'name=Bo Berg' \
    --data-urlencode manager=bo@acme.example
is "being one's own manager is 400" "$STATUS" 400
post p8 /o/acme/people/bo@acme.example --data-urlencode email=bo@acme.example --data-urlencode 'name=Bo Bergström' \
    --data-urlencode title=CTO --data-urlencode is_approver__shown=1 --data-urlencode is_control_owner=1 --data-urlencode is_control_owner__shown=1
is "editing a person redirects" "$STATUS" 303
t "... and changed them" "$TILLIT" person show bo@acme.example --org acme --format json
out_has '"name": "Bo Bergström"'
out_has '"approver": "no"'
apijson ap1 POST /orgs/acme/people '{"email": "cy@acme.example", "name": "Cy"}'
is "the API adds a person" "$STATUS" 201
apijson ap2 PATCH /orgs/acme/people/cy@acme.example '{"department": "Ops"}'
is "... edits them" "$STATUS" 200
has "... and returns them" "$SCRATCH/ap2.b" '"department": "Ops"'
apijson ap3 POST /orgs/acme/people '{"email": "dy@acme.example"}'
is "... refuses one without a name" "$STATUS" 400

# --- vendors -------------------------------------------------------------------------------------------
post v1 /o/acme/vendors --data-urlencode slug=aws --data-urlencode name=AWS --data-urlencode soc_report=1 \
    --data-urlencode soc_report__shown=1 --data-urlencode soc_period_end=
is "a SOC report without its period end is 400" "$STATUS" 400
has "... with the message" "$SCRATCH/v1.b" 'class="field-error"'
post v2 /o/acme/vendors --data-urlencode slug=aws --data-urlencode name=AWS --data-urlencode criticality=extreme
is "an unknown criticality is 400" "$STATUS" 400
has "... next to it" "$SCRATCH/v2.b" 'id="vendor-criticality-error"'
nocsrf v3 /o/acme/vendors --data-urlencode slug=aws --data-urlencode name=AWS
is "without the CSRF token it is 403" "$STATUS" 403
post v4 /o/acme/vendors --data-urlencode slug=aws --data-urlencode 'name=Amazon Web Services' \
    --data-urlencode criticality=critical --data-urlencode soc_report=1 --data-urlencode soc_report__shown=1 \
    --data-urlencode soc_period_end=2025-12-31
is "adding a vendor redirects" "$STATUS" 303
get ve /o/acme/vendors/aws/edit
has "the vendor's form is filled in" "$SCRATCH/ve.b" 'value="Amazon Web Services"'
post v5 /o/acme/vendors/aws --data-urlencode 'name=AWS' --data-urlencode criticality=high --data-urlencode soc_report__shown=1
is "editing a vendor redirects" "$STATUS" 303
t "... and changed it" "$TILLIT" vendor show aws --org acme --format json
out_has '"criticality": "high"'
apijson av1 POST /orgs/acme/vendors '{"slug": "gh", "name": "GitHub"}'
is "the API adds a vendor" "$STATUS" 201
apijson av2 PATCH /orgs/acme/vendors/gh '{"criticality": "low"}'
is "... edits it" "$STATUS" 200
api av3 GET /orgs/acme/vendors/gh
is "... and shows it" "$STATUS" 200

# --- roles -------------------------------------------------------------------------------------------------
as contributor
post x1 /o/acme/risks --data-urlencode code=R-9 --data-urlencode title=T
is "a contributor may not add risks" "$STATUS" 403
as auditor
post x2 /o/acme/people --data-urlencode email=z@acme.example --data-urlencode name=Z
is "an auditor may not add people" "$STATUS" 403
as other
get x3 /o/acme/risks/R-1
is "another organization's member gets 404" "$STATUS" 404
hasnt "... and no data" "$SCRATCH/x3.b" "Ransomware"

stop_clean
done_testing
