#!/bin/sh
# Findings and remediation of an engagement in the browser and the API: the
# list with filters and exports, raising a finding (validation, CSRF), the
# auditor's root cause and management's response (each role its own
# fields), remediation items with owner and due date, the late flag, the
# retest, a viewer's 403, another organization's 404, escaped text, and a
# concluded engagement refusing changes with the app's message while its
# follow-up (remediation) goes on.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

export TILLIT_NOW="2026-07-15T09:00:00Z"
E=/o/acme/engagements/y2026
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  setup_users && export TILLIT_ORG=acme &&
  "$TILLIT" person add ann@acme.example --name 'Ann Andersson' --control-owner &&
  "$TILLIT" control add CHG-01 --title "Changes reviewed" --frequency event-driven --owner ann@acme.example &&
  "$TILLIT" control map CHG-01 CC8.1 &&
  "$TILLIT" control add IAM-05 --title "Leavers removed" --frequency event-driven --key &&
  "$TILLIT" control map IAM-05 CC6.2 &&
  "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
  "$TILLIT" engagement create --kind type1 --as-of 2026-06-30 --slug old &&
  "$TILLIT" engagement auditor add y2026 auditor@acme.example --until 2026-12-31 &&
  "$TILLIT" engagement auditor add old auditor@acme.example --until 2026-12-31 &&
  "$TILLIT" test plan y2026 && "$TILLIT" test plan old &&
  seq -f "PR-%04g" 1 300 >prs.txt && seq -f "L-%02g" 1 4 >leavers.txt &&
  "$TILLIT" test population y2026:CHG-01 --file prs.txt &&
  "$TILLIT" test population y2026:IAM-05 --file leavers.txt &&
  "$TILLIT" sample draw y2026:CHG-01 --seed 11 && "$TILLIT" sample draw y2026:IAM-05 --seed 12
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
items() { "$TILLIT" sample show "$1" --format csv | tail -n +2 | cut -d, -f3; }
{ first=$(items y2026:CHG-01 | head -1) &&
  "$TILLIT" test result y2026:CHG-01 "$first" --exception "merged without review" &&
  for i in $(items y2026:CHG-01 | tail -n +2); do "$TILLIT" test result y2026:CHG-01 "$i" --pass || exit 1; done &&
  "$TILLIT" test conclude y2026:CHG-01 &&
  leaver=$(items y2026:IAM-05 | head -1) &&
  "$TILLIT" test result y2026:IAM-05 "$leaver" --exception "removed 6 days late" &&
  for i in $(items y2026:IAM-05 | tail -n +2); do "$TILLIT" test result y2026:IAM-05 "$i" --pass || exit 1; done &&
  "$TILLIT" test conclude y2026:IAM-05 &&
  for c in CHG-01 IAM-05; do
      "$TILLIT" test result "old:$c" --pass --note "walked through" && "$TILLIT" test conclude "old:$c" || exit 1
  done &&
  "$TILLIT" finding add old:CHG-01 --title "Old finding" --severity low &&
  "$TILLIT" engagement phase old concluded
} >/dev/null || { echo "Bail out! setup of the results failed"; exit 1; }
# Raised so far: F-1 (CHG-01, medium), F-2 (IAM-05), F-3 (old, concluded).
for r in admin editor auditor viewer other; do
    email="$r@acme.example"; [ "$r" = other ] && email=other@beta.example
    eval "TOKEN_$r=\$(\"\$TILLIT\" user token $email)"
done
start_server --max-seconds 240

# --- the list ---
as auditor
get l1 "$E/findings"
is "the findings of an engagement" "$STATUS" 200
has "... F-1" "$SCRATCH/l1.b" 'id="finding-F-1"'
has "... F-2" "$SCRATCH/l1.b" 'id="finding-F-2"'
hasnt "... not another engagement's" "$SCRATCH/l1.b" 'id="finding-F-3"'
has "... an auditor may raise one" "$SCRATCH/l1.b" 'id="finding-new-link"'
get l2 "$E/findings?severity=high"
has "filtered by severity: F-2 (high)" "$SCRATCH/l2.b" 'id="finding-F-2"'
hasnt "... not F-1 (medium)" "$SCRATCH/l2.b" 'id="finding-F-1"'
get l3 "$E/findings?severity=urgent"
is "an unknown severity is 400" "$STATUS" 400
get l4 "$E/findings?status=closed"
hasnt "filtered by status" "$SCRATCH/l4.b" 'id="finding-F-1"'
get x1 "$E/findings?format=csv"
is "findings as CSV" "$STATUS" 200
is "... header" "$(head -1 "$SCRATCH/x1.b" | tr -d '\r')" "code,control,test,title,severity,status,root_cause,response,items,created_at"
has "... a row" "$SCRATCH/x1.b" "F-2,IAM-05,y2026:IAM-05,"
has "... named" "$SCRATCH/x1.h" 'acme-y2026-findings.csv'
get x2 "$E/findings?format=xlsx"
is "findings as XLSX" "$(head -c 2 "$SCRATCH/x2.b")" "PK"
get x3 "$E/findings?format=json&severity=high"
has "findings as JSON, filtered" "$SCRATCH/x3.b" '"code": "F-2"'
hasnt "... F-1 left out" "$SCRATCH/x3.b" '"code": "F-1"'

# --- raising a finding ---
get n0 "$E/findings/new"
is "the form to raise a finding" "$STATUS" 200
has "... the tests to choose from" "$SCRATCH/n0.b" 'value="y2026:CHG-01"'
has "... the exceptions suggested" "$SCRATCH/n0.b" "value=\"$first\""
before=$(audit_count)
post n1 "$E/findings" --data-urlencode test=y2026:CHG-01 --data-urlencode severity=low
is "a finding without a title is 400" "$STATUS" 400
has "... said next to the title" "$SCRATCH/n1.b" 'id="finding-title-error"'
post n2 "$E/findings" --data-urlencode test=y2026:CHG-01 --data-urlencode title=x \
    --data-urlencode severity=low --data-urlencode items=PR-9999
is "an item that is no exception is 400" "$STATUS" 400
has "... said next to the items" "$SCRATCH/n2.b" 'id="finding-items-error"'
has "... in the app's words" "$SCRATCH/n2.b" "is not an exception in the sample of test"
post n3 "$E/findings" --data-urlencode test=y2026:NOPE --data-urlencode title=x --data-urlencode severity=low
is "an unknown test is 400" "$STATUS" 400
unchanged "... and nothing changed" "$before"
nocsrf n4 "$E/findings" --data-urlencode test=y2026:CHG-01 --data-urlencode title=x --data-urlencode severity=low
is "without the CSRF token it is 403" "$STATUS" 403
post n5 "$E/findings" --data-urlencode test=y2026:CHG-01 --data-urlencode severity=low \
    --data-urlencode 'title=<script>alert(1)</script> in "review"' --data-urlencode "description=a <b>bold</b> claim"
is "raising a finding redirects" "$STATUS" 303
is "... to the finding" "$(location n5)" "$E/findings/F-4?done=finding_added"
get f4 "$E/findings/F-4?done=finding_added"
is "its page" "$STATUS" 200
has "... says so" "$SCRATCH/f4.b" 'id="flash"'
has "... the title escaped" "$SCRATCH/f4.b" '&lt;script&gt;alert(1)&lt;/script&gt;'
hasnt "... never raw" "$SCRATCH/f4.b" '<script>alert(1)'
hasnt "... nor the description" "$SCRATCH/f4.b" '<b>bold</b>'
"$TILLIT" finding show F-4 --format json >f4.json
has "the finding is in the database" f4.json '"severity": "low"'

# --- root cause (auditor) and response (management) ---
get f2 "$E/findings/F-2"
has "the auditor's form has the root cause" "$SCRATCH/f2.b" 'id="finding-root_cause"'
hasnt "... not management's response" "$SCRATCH/f2.b" 'id="finding-response"'
post r1 "$E/findings/F-2" --data-urlencode "root_cause=HR told IT late"
is "the auditor saves the root cause" "$STATUS" 303
"$TILLIT" finding show F-2 --format json >f2.json
has "... in the database" f2.json '"root_cause": "HR told IT late"'
as editor
get f2e "$E/findings/F-2"
has "management's form has the response" "$SCRATCH/f2e.b" 'id="finding-response"'
hasnt "... not the root cause" "$SCRATCH/f2e.b" 'id="finding-root_cause"'
post r2 "$E/findings/F-2" --data-urlencode 'response=Tickets open <img src=x onerror=alert(1)> automatically'
is "management saves its response" "$STATUS" 303
"$TILLIT" finding show F-2 --format json >f2.json
has "... in the database" f2.json 'Tickets open <img src=x onerror=alert(1)> automatically'
get f2r "$E/findings/F-2"
has "... shown escaped" "$SCRATCH/f2r.b" '&lt;img src=x onerror=alert(1)&gt;'
hasnt "... never raw" "$SCRATCH/f2r.b" '<img src=x'

# --- remediation ---
before=$(audit_count)
post m1 "$E/findings/F-2/remediation" --data-urlencode action="Automate tickets" --data-urlencode owner=nobody@acme.example
is "an unknown owner is 400" "$STATUS" 400
has "... said next to the owner" "$SCRATCH/m1.b" 'id="remediation-owner-error"'
post m2 "$E/findings/F-2/remediation" --data-urlencode owner=ann@acme.example
is "no action is 400" "$STATUS" 400
has "... said next to the action" "$SCRATCH/m2.b" 'id="remediation-action-error"'
unchanged "... and nothing changed" "$before"
post m3 "$E/findings/F-2/remediation" --data-urlencode action="Automate offboarding tickets" \
    --data-urlencode owner=ann@acme.example --data-urlencode due=2026-08-31
is "adding a remediation item redirects" "$STATUS" 303
is "... to the finding" "$(location m3)" "$E/findings/F-2?done=remediation_added#rem-REM-1"
post m4 "$E/findings/F-2/remediation" --data-urlencode action="Train HR" \
    --data-urlencode owner=ann@acme.example --data-urlencode due=2026-07-01
"$TILLIT" remediation list --format csv >rem.csv
has "the items are in the database" rem.csv "REM-1,F-2,Automate offboarding tickets,ann@acme.example,2026-08-31,open"
get f2m "$E/findings/F-2"
has "the finding lists them" "$SCRATCH/f2m.b" 'id="rem-REM-1"'
get rl "$E/remediation"
is "the remediation list" "$STATUS" 200
has "... REM-1" "$SCRATCH/rl.b" 'id="rem-REM-1"'
get rl2 "$E/remediation?late=1"
has "late ones: REM-2 (due 2026-07-01)" "$SCRATCH/rl2.b" 'id="rem-REM-2"'
hasnt "... not REM-1" "$SCRATCH/rl2.b" 'id="rem-REM-1"'
get rx "$E/remediation?format=csv"
is "... as CSV" "$(head -1 "$SCRATCH/rx.b" | tr -d '\r')" "code,finding,control,action,owner,due,status,late,done_on,retest"
has "... with the control and the late flag" "$SCRATCH/rx.b" "REM-2,F-2,IAM-05,Train HR,ann@acme.example,2026-07-01,open,true"
get rxx "$E/remediation?format=xlsx"
is "... as XLSX" "$(head -c 2 "$SCRATCH/rxx.b")" "PK"
get re "$E/remediation/REM-1"
is "an item's form" "$STATUS" 200
post re1 "$E/remediation/REM-1" --data-urlencode status=finished
is "an unknown status is 400" "$STATUS" 400
as auditor
post t1 "$E/remediation/REM-1/retest"
is "no retest before it is done (409)" "$STATUS" 409
has "... in the app's words" "$SCRATCH/t1.b" "a control is retested once it is remediated"
as editor
post re2 "$E/remediation/REM-1" --data-urlencode status=done --data-urlencode "next=$E/findings/F-2"
is "marking it done redirects" "$STATUS" 303
is "... back where it came from" "$(location re2)" "$E/findings/F-2?done=remediation_saved#rem-REM-1"
as auditor
post t2 "$E/remediation/REM-1/retest"
is "the auditor plans the retest" "$STATUS" 303
"$TILLIT" remediation list --format csv >rem.csv
has "... recorded" rem.csv "REM-1,F-2,Automate offboarding tickets,ann@acme.example,2026-08-31,done,2026-07-15,y2026:IAM-05:retest1"
post t3 "$E/remediation/REM-1/retest"
is "only once (409)" "$STATUS" 409

# --- who may not ---
as viewer
get v1 "$E/findings"
is "a viewer sees the findings" "$STATUS" 200
hasnt "... without the link to raise one" "$SCRATCH/v1.b" 'id="finding-new-link"'
get v1f "$E/findings/F-2"
hasnt "... nor forms on a finding" "$SCRATCH/v1f.b" 'id="finding-submit"'
before=$(audit_count)
post v2 "$E/findings" --data-urlencode test=y2026:CHG-01 --data-urlencode title=x --data-urlencode severity=low
is "a viewer may not raise a finding" "$STATUS" 403
post v3 "$E/findings/F-2" --data-urlencode response=x
is "... nor respond" "$STATUS" 403
post v4 "$E/findings/F-2/remediation" --data-urlencode action=x
is "... nor add remediation" "$STATUS" 403
post v5 "$E/remediation/REM-2" --data-urlencode status=done
is "... nor change it" "$STATUS" 403
post v6 "$E/remediation/REM-2/retest"
is "... nor plan a retest" "$STATUS" 403
unchanged "... and nothing changed" "$before"
as editor
post e1 "$E/findings" --data-urlencode test=y2026:CHG-01 --data-urlencode title=x --data-urlencode severity=low
is "management may not raise findings" "$STATUS" 403
get f3 "$E/findings/F-3"
is "a finding of another engagement is 404 here" "$STATUS" 404
as other
get o1 "$E/findings"
is "another organization's member gets 404" "$STATUS" 404
hasnt "... and no data" "$SCRATCH/o1.b" "Leavers"
get o2 "$E/findings/F-2"
is "... for a finding too" "$STATUS" 404

# --- a concluded engagement ---
as editor
post c1 /o/acme/engagements/old/findings/F-3 --data-urlencode response="late"
is "a concluded engagement refuses a response (409)" "$STATUS" 409
has "... in the app's words" "$SCRATCH/c1.b" "engagement &#39;old&#39; is concluded and read-only"
as auditor
post c2 /o/acme/engagements/old/findings --data-urlencode test=old:CHG-01 --data-urlencode title=x --data-urlencode severity=low
is "... and a new finding" "$STATUS" 409
has "... in the app's words" "$SCRATCH/c2.b" "is concluded and read-only"
get c3 /o/acme/engagements/old/findings/F-3
has "... the page says it is concluded" "$SCRATCH/c3.b" 'id="eng-concluded"'
as editor
post c4 /o/acme/engagements/old/findings/F-3/remediation --data-urlencode action="Follow up"
is "... while remediation goes on" "$STATUS" 303
post c5 /o/acme/engagements/old/findings/F-3 --data-urlencode status=remediating
is "... and the finding's status" "$STATUS" 303

# --- the API ---
TOKEN=$TOKEN_auditor
A=/orgs/acme/engagements/y2026
api a1 GET "$A/findings"
is "the API lists findings" "$STATUS" 200
has "... F-1" "$SCRATCH/a1.b" '"code": "F-1"'
api a2 GET "$A/findings/F-2"
is "one finding" "$STATUS" 200
has "... with its remediation" "$SCRATCH/a2.b" '"code": "REM-1"'
apijson a3 POST "$A/findings" '{"test": "y2026:IAM-05", "title": "API finding", "severity": "high"}'
is "the API raises a finding" "$STATUS" 201
has "... F-5" "$SCRATCH/a3.b" '"code": "F-5"'
apijson a4 POST "$A/findings" '{"test": "y2026:IAM-05", "severity": "urgent"}'
is "... refusing a bad one" "$STATUS" 400
has "... as a problem" "$SCRATCH/a4.h" "application/problem+json"
has "... naming the field" "$SCRATCH/a4.b" '"severity"'
apijson a5 PATCH "$A/findings/F-5" '{"root_cause": "no tooling"}'
is "the auditor patches the root cause" "$STATUS" 200
apijson a6 PATCH "$A/findings/F-5" '{"response": "we disagree"}'
is "... but not the response (403)" "$STATUS" 403
TOKEN=$TOKEN_editor
apijson a7 PATCH "$A/findings/F-5" '{"response": "we agree"}'
is "management patches the response" "$STATUS" 200
has "... returned" "$SCRATCH/a7.b" '"response": "we agree"'
apijson a8 PATCH "$A/findings/F-5" '{"root_cause": "x"}'
is "... but not the root cause (403)" "$STATUS" 403
apijson a9 POST "$A/findings/F-5/remediation" '{"action": "Buy tooling", "owner": "ann@acme.example", "due": "2026-09-30"}'
is "the API adds remediation" "$STATUS" 201
has "... REM-4" "$SCRATCH/a9.b" '"code": "REM-4"'
api a10 GET "$A/findings/F-5/remediation"
has "... listed under the finding" "$SCRATCH/a10.b" '"REM-4"'
apijson a11 PATCH "$A/remediation/REM-4" '{"status": "in-progress"}'
is "the API changes an item" "$STATUS" 200
has "... its status" "$SCRATCH/a11.b" '"status": "in-progress"'
api a12 GET "$A/remediation?status=in-progress"
has "the list filtered by status" "$SCRATCH/a12.b" '"REM-4"'
hasnt "... without the others" "$SCRATCH/a12.b" '"REM-1"'
TOKEN=$TOKEN_auditor
api a13 POST "$A/remediation/REM-4/retest"
is "a retest of an open item is 409" "$STATUS" 409
has "... a problem" "$SCRATCH/a13.h" "application/problem+json"
api a14 GET "$A/findings/F-3"
is "another engagement's finding is 404" "$STATUS" 404
api a15 GET "/orgs/acme/engagements/nope/findings"
is "an unknown engagement is 404" "$STATUS" 404
TOKEN=$TOKEN_viewer
apijson a16 PATCH "$A/remediation/REM-4" '{"status": "done"}'
is "a viewer's change is 403" "$STATUS" 403
TOKEN=$TOKEN_other
api a17 GET "$A/findings"
is "another organization's member is 404" "$STATUS" 404

stop_clean
done_testing
