#!/bin/sh
# The auditor's request list (PBC) in the browser and the API: an auditor's
# request lands with the control's owner, who submits it, attaches evidence
# and comments; the auditor returns and accepts it.  The list goes out as
# CSV and XLSX (the same file the CLI writes) and comes back in through the
# page unchanged, or into another engagement as the same list; a bad row is
# a 400 naming its line and imports nothing.  Validation, CSRF, a viewer's
# 403, another organization's 404, escaped text, and a concluded engagement
# refusing changes with the app's message.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

export TILLIT_NOW="2026-07-15T09:00:00Z"
E=/o/acme/engagements/y2026
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  setup_users && export TILLIT_ORG=acme &&
  "$TILLIT" person add contributor@acme.example --name 'Cecilia Contributor' --control-owner &&
  "$TILLIT" person add bob@acme.example --name Bob &&
  "$TILLIT" control add HR-01 --title "Background checks" --frequency event-driven --owner contributor@acme.example &&
  "$TILLIT" control map HR-01 CC1.4 &&
  "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 &&
  "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug copy &&
  "$TILLIT" engagement create --kind type1 --as-of 2026-06-30 --slug old &&
  "$TILLIT" engagement auditor add y2026 auditor@acme.example --until 2026-12-31 &&
  "$TILLIT" test plan old && "$TILLIT" test result old:HR-01 --pass --note walked &&
  "$TILLIT" test conclude old:HR-01 && "$TILLIT" pbc add old --request "Old request" &&
  "$TILLIT" engagement phase old concluded &&
  echo "hires" >hires.txt &&
  "$TILLIT" evidence add hires.txt --control HR-01 --period 2026-01-01..2026-06-30
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
EV=$("$TILLIT" evidence list --format csv | sed -n 2p | cut -d, -f1)
for r in editor auditor contributor viewer other; do
    email="$r@acme.example"; [ "$r" = other ] && email=other@beta.example
    eval "TOKEN_$r=\$(\"\$TILLIT\" user token $email)"
done
start_server --max-seconds 240
show() { "$TILLIT" pbc show "$1" --format json >"$SCRATCH/show.json"; }
# upload NAME PATH FILE: the import form, multipart, with the session.
upload() { req "$1" -b "$J" -F "csrf=$TOK" -F "file=@$3" "$URL$2"; }

# --- the auditor asks ---
as auditor
get l0 "$E/requests"
is "the request list" "$STATUS" 200
has "... empty" "$SCRATCH/l0.b" 'id="requests-none"'
has "... the auditor may add one" "$SCRATCH/l0.b" 'id="request-new-link"'
has "... and import a list" "$SCRATCH/l0.b" 'id="import-file"'
get n0 "$E/requests/new"
is "the form" "$STATUS" 200
has "... suggesting the controls in scope" "$SCRATCH/n0.b" 'value="HR-01"'
before=$(audit_count)
post n1 "$E/requests" --data-urlencode control=HR-01
is "a request without text is 400" "$STATUS" 400
has "... said next to it" "$SCRATCH/n1.b" 'id="request-request-error"'
post n2 "$E/requests" --data-urlencode request=x --data-urlencode control=NOPE-9
is "an unknown control is 400" "$STATUS" 400
has "... said next to it" "$SCRATCH/n2.b" 'id="request-control-error"'
post n3 "$E/requests" --data-urlencode request=x --data-urlencode owner=nobody@acme.example
is "an unknown owner is 400" "$STATUS" 400
has "... said next to it" "$SCRATCH/n3.b" 'id="request-owner-error"'
post n4 "$E/requests" --data-urlencode request=x --data-urlencode due=2026-02-30
is "a bad date is 400" "$STATUS" 400
has "... kept in the form" "$SCRATCH/n4.b" '>x</textarea>'
unchanged "... and nothing changed" "$before"
nocsrf n5 "$E/requests" --data-urlencode request=x
is "without the CSRF token it is 403" "$STATUS" 403
post n6 "$E/requests" --data-urlencode "request=List of new hires, with start dates" \
    --data-urlencode control=HR-01 --data-urlencode due=2026-07-20
is "adding a request redirects" "$STATUS" 303
is "... to it" "$(location n6)" "$E/requests/PBC-001?done=request_added"
show y2026:PBC-001
has "it went to the control's owner" "$SCRATCH/show.json" '"owner": "contributor@acme.example"'
post n7 "$E/requests" --data-urlencode 'request=Board minutes <script>alert(1)</script> & "security"' \
    --data-urlencode owner=bob@acme.example
is "a second request" "$STATUS" 303
get p2 "$E/requests/PBC-002"
has "... its text escaped" "$SCRATCH/p2.b" '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;security&quot;'
hasnt "... never raw" "$SCRATCH/p2.b" '<script>alert(1)'
get e1 "$E/requests/PBC-002/edit"
is "the edit form" "$STATUS" 200
post e2 "$E/requests/PBC-002" --data-urlencode due=2026-07-31
is "editing a request redirects" "$STATUS" 303
show y2026:PBC-002
has "... the due date saved" "$SCRATCH/show.json" '"due": "2026-07-31"'

# --- the control's owner provides ---
as contributor
get m1 "$E/requests?owner=contributor@acme.example"
has "the owner finds it among theirs" "$SCRATCH/m1.b" 'id="request-PBC-001"'
hasnt "... not the others" "$SCRATCH/m1.b" 'id="request-PBC-002"'
has "... through the link to their own" "$SCRATCH/m1.b" 'id="requests-mine"'
get r1 "$E/requests/PBC-001"
has "the owner may submit it" "$SCRATCH/r1.b" 'id="status-submitted"'
has "... attach evidence" "$SCRATCH/r1.b" 'id="attach-evidence"'
has "... suggested from the engagement's" "$SCRATCH/r1.b" "value=\"$EV\""
has "... and comment" "$SCRATCH/r1.b" 'id="comment-text"'
hasnt "... but not accept it" "$SCRATCH/r1.b" 'id="status-accepted"'
post s1 "$E/requests/PBC-001/status" --data-urlencode status=submitted
is "submitting redirects" "$STATUS" 303
is "... to the request" "$(location s1)" "$E/requests/PBC-001?done=request_submitted"
post s2 "$E/requests/PBC-001/status" --data-urlencode status=accepted
is "the owner may not accept (403)" "$STATUS" 403
before=$(audit_count)
post at1 "$E/requests/PBC-001/attach" --data-urlencode evidence=zzzzzzzz
is "unknown evidence is 400" "$STATUS" 400
has "... said next to the field" "$SCRATCH/at1.b" 'id="attach-evidence-error"'
post cm1 "$E/requests/PBC-001/comments" --data-urlencode text=
is "an empty comment is 400" "$STATUS" 400
has "... said next to it" "$SCRATCH/cm1.b" 'id="comment-text-error"'
unchanged "... and nothing changed" "$before"
nocsrf cm2 "$E/requests/PBC-001/comments" --data-urlencode text=x
is "a comment without the CSRF token is 403" "$STATUS" 403
post at2 "$E/requests/PBC-001/attach" --data-urlencode "evidence=$(echo "$EV" | cut -c1-10)"
is "attaching evidence redirects" "$STATUS" 303
post cm3 "$E/requests/PBC-001/comments" --data-urlencode 'text=Includes contractors: <b>yes</b>'
is "commenting redirects" "$STATUS" 303
show y2026:PBC-001
has "the evidence is attached" "$SCRATCH/show.json" "$EV"
has "the comment is recorded, by whom" "$SCRATCH/show.json" 'contributor@acme.example'
get r2 "$E/requests/PBC-001"
has "the comment is shown escaped" "$SCRATCH/r2.b" 'Includes contractors: &lt;b&gt;yes&lt;/b&gt;'
hasnt "... never raw" "$SCRATCH/r2.b" '<b>yes</b>'
get m2 "$E/requests"
has "the list counts its evidence and comments" "$SCRATCH/m2.b" '<td class="num">1</td><td class="num">1</td></tr>'

# --- the auditor returns, then accepts ---
as auditor
get r3 "$E/requests/PBC-001"
has "the auditor may accept" "$SCRATCH/r3.b" 'id="status-accepted"'
has "... or return" "$SCRATCH/r3.b" 'id="status-returned"'
post s3 "$E/requests/PBC-001/status" --data-urlencode status=returned
is "returning redirects" "$STATUS" 303
post s4 "$E/requests/PBC-001/status" --data-urlencode status=returned
is "returning again is 400" "$STATUS" 400
has "... in the app's words" "$SCRATCH/s4.b" "is already returned"
post s5 "$E/requests/PBC-001/status" --data-urlencode status=lost
is "an unknown status is 400" "$STATUS" 400
post cm4 "$E/requests/PBC-001/comments" --data-urlencode 'text=Please add the contractors'\'' start dates'
is "the auditor comments" "$STATUS" 303
as contributor
post s6 "$E/requests/PBC-001/status" --data-urlencode status=submitted
is "the owner submits again" "$STATUS" 303
as auditor
post s7 "$E/requests/PBC-001/status" --data-urlencode status=accepted
is "the auditor accepts" "$STATUS" 303
show y2026:PBC-001
has "... accepted" "$SCRATCH/show.json" '"status": "accepted"'
get f1 "$E/requests?status=accepted"
has "filtered by status" "$SCRATCH/f1.b" 'id="request-PBC-001"'
hasnt "... only those" "$SCRATCH/f1.b" 'id="request-PBC-002"'
get f2 "$E/requests?status=lost"
is "an unknown status filter is 400" "$STATUS" 400
get f3 "$E/requests?owner=nobody@acme.example"
is "an unknown owner filter is 400" "$STATUS" 400

# --- who may not ---
as viewer
get v0 "$E/requests"
is "a viewer sees the list" "$STATUS" 200
hasnt "... without the add link" "$SCRATCH/v0.b" 'id="request-new-link"'
hasnt "... nor the import form" "$SCRATCH/v0.b" 'id="import-file"'
get v0r "$E/requests/PBC-002"
hasnt "... nor forms on a request" "$SCRATCH/v0r.b" 'id="comment-text"'
before=$(audit_count)
post v1 "$E/requests" --data-urlencode request=x
is "a viewer may not add a request" "$STATUS" 403
post v3 "$E/requests/PBC-002/status" --data-urlencode status=submitted
is "... nor submit" "$STATUS" 403
post v4 "$E/requests/PBC-002/comments" --data-urlencode text=x
is "... nor comment" "$STATUS" 403
post v5 "$E/requests/PBC-002/attach" --data-urlencode "evidence=$EV"
is "... nor attach" "$STATUS" 403
post v6 "$E/requests/PBC-002" --data-urlencode request=x
is "... nor edit" "$STATUS" 403
printf 'ref,request\nNEW-1,x\n' >one.csv
upload v7 "$E/requests/import" one.csv
is "... nor import" "$STATUS" 403
unchanged "... and nothing changed" "$before"
as other
get o1 "$E/requests"
is "another organization's member gets 404" "$STATUS" 404
hasnt "... and no data" "$SCRATCH/o1.b" "new hires"
get o2 "$E/requests/PBC-001"
is "... for a request too" "$STATUS" 404

# --- exchange: export, import back ---
as editor
get x1 "$E/requests?format=csv"
is "the list as CSV" "$STATUS" 200
has "... a download" "$SCRATCH/x1.h" 'acme-y2026-requests.csv'
"$TILLIT" pbc export y2026 -o cli.csv >/dev/null
if cmp -s "$SCRATCH/x1.b" cli.csv; then ok "... byte for byte the CLI's export"; else not_ok "... byte for byte the CLI's export"; diff "$SCRATCH/x1.b" cli.csv | sed 's/^/# /' | head; fi
get x2 "$E/requests?format=xlsx"
is "the list as XLSX" "$(head -c 2 "$SCRATCH/x2.b")" "PK"
cp "$SCRATCH/x2.b" list.xlsx
get x3 "$E/requests?format=json&status=accepted"
has "... and JSON, filtered" "$SCRATCH/x3.b" '"ref": "PBC-001"'
hasnt "... only those" "$SCRATCH/x3.b" '"ref": "PBC-002"'
before=$(audit_count)
upload i1 "$E/requests/import" list.xlsx
is "importing the XLSX back redirects" "$STATUS" 303
is "... saying nothing changed" "$(location i1)" "$E/requests?done=imported&added=0&updated=0&unchanged=2"
unchanged "... and writes nothing" "$before"
get i1p "$(location i1)"
has "... which the page shows" "$SCRATCH/i1p.b" 'id="flash"'
"$TILLIT" pbc export y2026 -o again.csv >/dev/null
if cmp -s cli.csv again.csv; then ok "... the same list"; else not_ok "... the same list"; fi
upload i2 /o/acme/engagements/copy/requests/import list.xlsx
is "importing it into another engagement" "$STATUS" 303
is "... adds the two" "$(location i2)" "/o/acme/engagements/copy/requests?done=imported&added=2&updated=0&unchanged=0"
"$TILLIT" pbc export copy -o copy.csv >/dev/null
if cmp -s cli.csv copy.csv; then ok "... the same list there"; else not_ok "... the same list there"; diff cli.csv copy.csv | sed 's/^/# /' | head; fi
printf 'ref,request,control\nNEW-1,fine,\nNEW-2,bad control,NOPE-9\n' >bad.csv
before=$(audit_count)
upload i3 "$E/requests/import" bad.csv
is "a bad row is 400" "$STATUS" 400
has "... naming the file and line" "$SCRATCH/i3.b" "bad.csv:3: no control &#39;NOPE-9&#39;"
has "... next to the file field" "$SCRATCH/i3.b" 'id="import-file-error"'
hasnt "... never the server's path" "$SCRATCH/i3.b" "uploads/"
unchanged "... and nothing is imported" "$before"
req i4 -b "$J" -F "csrf=$TOK" "$URL$E/requests/import"
is "no file is 400" "$STATUS" 400
has "... said next to the field" "$SCRATCH/i4.b" 'id="import-file-error"'
req i5 -b "$J" -F "file=@one.csv" "$URL$E/requests/import"
is "an import without the CSRF token is 403" "$STATUS" 403

# --- a concluded engagement ---
O=/o/acme/engagements/old
post c1 "$O/requests" --data-urlencode request=more
is "a concluded engagement refuses a request (409)" "$STATUS" 409
has "... in the app's words" "$SCRATCH/c1.b" "engagement &#39;old&#39; is concluded and read-only"
post c2 "$O/requests/PBC-001/comments" --data-urlencode text=late
is "... a comment" "$STATUS" 409
has "... in the app's words" "$SCRATCH/c2.b" "is concluded and read-only"
post c3 "$O/requests/PBC-001/status" --data-urlencode status=submitted
is "... a status" "$STATUS" 409
upload c4 "$O/requests/import" one.csv
is "... an import" "$STATUS" 409
has "... in the app's words" "$SCRATCH/c4.b" "is concluded and read-only"
get c5 "$O/requests/PBC-001"
has "... and says so" "$SCRATCH/c5.b" 'id="eng-concluded"'

# --- the API ---
TOKEN=$TOKEN_auditor
A=/orgs/acme/engagements/y2026
api a1 GET "$A/requests"
is "the API lists requests" "$STATUS" 200
has "... PBC-001 with its counts" "$SCRATCH/a1.b" '"evidence_count": 1'
apijson a2 POST "$A/requests" '{"request": "API request", "control": "HR-01"}'
is "the API adds a request" "$STATUS" 201
has "... PBC-003 for the owner" "$SCRATCH/a2.b" '"owner": "contributor@acme.example"'
apijson a3 POST "$A/requests" '{"request": "x", "colour": "red"}'
is "... refusing an unknown field" "$STATUS" 400
apijson a4 PATCH "$A/requests/PBC-003" '{"due": "2026-08-01"}'
is "the API edits a request" "$STATUS" 200
has "... the due date" "$SCRATCH/a4.b" '"due": "2026-08-01"'
apijson a5 POST "$A/requests/PBC-003/comments" '{"text": "Needed by August"}'
is "the API comments" "$STATUS" 201
api a6 GET "$A/requests/PBC-003/comments"
has "... the thread" "$SCRATCH/a6.b" '"text": "Needed by August"'
apijson a7 POST "$A/requests/PBC-003/status" '{"status": "submitted"}'
is "the auditor may not submit (403)" "$STATUS" 403
TOKEN=$TOKEN_contributor
apijson a8 POST "$A/requests/PBC-003/evidence" "{\"evidence\": \"$EV\"}"
is "the API attaches evidence" "$STATUS" 200
apijson a9 POST "$A/requests/PBC-003/status" '{"status": "submitted"}'
is "the owner submits" "$STATUS" 200
has "... submitted" "$SCRATCH/a9.b" '"status": "submitted"'
api a10 GET "$A/requests?format=csv"
"$TILLIT" pbc export y2026 -o cli2.csv >/dev/null
if cmp -s "$SCRATCH/a10.b" cli2.csv; then ok "the API's CSV is the CLI's"; else not_ok "the API's CSV is the CLI's"; fi
TOKEN=$TOKEN_editor
before=$(audit_count)
req a11 -H "Authorization: Bearer $TOKEN" -F "file=@cli2.csv" "$URL/api/v1$A/requests/import"
is "the API imports a list" "$STATUS" 200
has "... unchanged" "$SCRATCH/a11.b" '"unchanged": 3'
unchanged "... writing nothing" "$before"
req a12 -H "Authorization: Bearer $TOKEN" -F "file=@bad.csv" "$URL/api/v1$A/requests/import"
is "a bad list is 400" "$STATUS" 400
has "... a problem naming the line" "$SCRATCH/a12.b" 'bad.csv:3: no control'
api a13 GET "$A/requests/NOPE"
is "an unknown request is 404" "$STATUS" 404
TOKEN=$TOKEN_viewer
apijson a14 POST "$A/requests/PBC-003/comments" '{"text": "x"}'
is "a viewer's comment is 403" "$STATUS" 403
TOKEN=$TOKEN_other
api a15 GET "$A/requests"
is "another organization's member is 404" "$STATUS" 404
"$TILLIT" audit verify >/dev/null && ok "the audit chain verifies" || not_ok "the audit chain verifies"

stop_clean
done_testing
