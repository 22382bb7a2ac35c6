#!/bin/sh
# Controls in the browser: the library browser and adopting from it, adding
# and editing a control, mapping it to a criterion with points of focus and
# unmapping it; each form's happy path, a validation failure (400, the
# message next to the field, the values kept, nothing changed) and CSRF;
# and the same through the API.
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

# --- the library -------------------------------------------------------------------------------
get lib /o/acme/library
is "the library page" "$STATUS" 200
has "... with checkboxes to adopt" "$SCRATCH/lib.b" 'id="lib-IAM-01"'
has "... and the adopt button" "$SCRATCH/lib.b" 'id="adopt-submit"'
get libf "/o/acme/library?family=access"
is "filtered by family" "$STATUS" 200
hasnt "... shows no other family" "$SCRATCH/libf.b" 'id="lib-HR-01"'
get libc "/o/acme/library?criterion=CC6.1"
has "filtered by criterion" "$SCRATCH/libc.b" 'id="lib-IAM-01"'
get libbad "/o/acme/library?family=nope"
is "an unknown family is 400" "$STATUS" 400
for f in csv json xlsx; do
    get libx "/o/acme/library?family=access&format=$f"
    is "the library as $f" "$STATUS" 200
    has "... as a download" "$SCRATCH/libx.h" "acme-library.$f"
done

before=$(audit_count)
post ad0 /o/acme/controls/adopt --data-urlencode owner=ann@acme.example
is "adopting nothing is 400" "$STATUS" 400
has "... saying what to do" "$SCRATCH/ad0.b" 'Tick at least one control'
post ad1 /o/acme/controls/adopt --data-urlencode code=IAM-01 --data-urlencode code=IAM-02 \
    --data-urlencode owner=nobody@acme.example
is "adopting with an unknown owner is 400" "$STATUS" 400
has "... naming the owner" "$SCRATCH/ad1.b" "nobody@acme.example"
has "... with the boxes still ticked" "$SCRATCH/ad1.b" 'id="lib-IAM-02" checked'
unchanged "... and nothing adopted" "$before"
nocsrf ad2 /o/acme/controls/adopt --data-urlencode code=IAM-01
is "adopting without the CSRF token is 403" "$STATUS" 403
post ad3 /o/acme/controls/adopt --data-urlencode code=IAM-01 --data-urlencode code=IAM-02 \
    --data-urlencode owner=ann@acme.example --data-urlencode status=designed --data-urlencode next=/o/acme/library
is "adopting two controls redirects" "$STATUS" 303
is "... back to the library" "$(location ad3)" "/o/acme/library?done=adopted"
t "... IAM-02 is in the program, owned by Ann, designed" "$TILLIT" control show IAM-02 --org acme --format json
out_has '"owner": "ann@acme.example"'
out_has '"status": "designed"'
get lib2 /o/acme/library
hasnt "... and the library no longer offers it" "$SCRATCH/lib2.b" 'id="lib-IAM-02"'
post ad4 /o/acme/controls/adopt --data-urlencode code=IAM-01 --data-urlencode next=//evil.example/
is "adopting again redirects" "$STATUS" 303
is "... never off the site, and says nothing new was adopted" "$(location ad4)" "/o/acme/controls?done=already"

# --- a new control ---------------------------------------------------------------------------------
get new /o/acme/controls/new
is "the new-control form" "$STATUS" 200
has "... has labelled fields" "$SCRATCH/new.b" '<label for="control-title">'
has "... a CSRF field" "$SCRATCH/new.b" 'name="csrf"'
has "... and no browser validation in the way" "$SCRATCH/new.b" 'novalidate'
before=$(audit_count)
post c1 /o/acme/controls --data-urlencode code=OWN-1 --data-urlencode 'title=' \
    --data-urlencode 'description=Kept text' --data-urlencode frequency=monthly
is "no title is 400" "$STATUS" 400
has "... with the message next to the title" "$SCRATCH/c1.b" 'id="control-title-error"'
has "... the field marked invalid" "$SCRATCH/c1.b" 'aria-invalid="true"'
has "... an error summary linking to it" "$SCRATCH/c1.b" 'href="#control-title"'
has "... the code kept" "$SCRATCH/c1.b" 'value="OWN-1"'
has "... the description kept" "$SCRATCH/c1.b" '>Kept text</textarea>'
has "... the frequency kept" "$SCRATCH/c1.b" '<option value="monthly" selected>'
post c2 /o/acme/controls --data-urlencode 'code=bad code!' --data-urlencode title=T
is "a bad code is 400" "$STATUS" 400
has "... next to the code" "$SCRATCH/c2.b" 'id="control-code-error"'
post c3 /o/acme/controls --data-urlencode code=OWN-1 --data-urlencode title=T --data-urlencode owner=nobody@acme.example
is "an unknown owner is 400" "$STATUS" 400
has "... next to the owner" "$SCRATCH/c3.b" 'id="control-owner-error"'
post c4 /o/acme/controls --data-urlencode code=OWN-1 --data-urlencode title=T --data-urlencode frequency=hourly
is "an unknown frequency is 400" "$STATUS" 400
has "... next to the frequency" "$SCRATCH/c4.b" 'id="control-frequency-error"'
unchanged "... and none of them changed anything" "$before"
nocsrf c5 /o/acme/controls --data-urlencode code=OWN-1 --data-urlencode title=T
is "creating without the CSRF token is 403" "$STATUS" 403
post c6 /o/acme/controls --data-urlencode code=OWN-1 --data-urlencode 'title=Own control' \
    --data-urlencode owner=ann@acme.example --data-urlencode status=implemented --data-urlencode frequency=quarterly \
    --data-urlencode nature=detective --data-urlencode type=automated --data-urlencode key=1
is "creating a control redirects" "$STATUS" 303
is "... to its page" "$(location c6)" "/o/acme/controls/OWN-1?done=created"
get c6p "/o/acme/controls/OWN-1?done=created"
has "... which says it was created" "$SCRATCH/c6p.b" 'role="status"'
has "... and shows it" "$SCRATCH/c6p.b" 'Own control'
post c7 /o/acme/controls --data-urlencode code=OWN-1 --data-urlencode title=Again
is "a taken code is 409" "$STATUS" 409
has "... next to the code" "$SCRATCH/c7.b" 'id="control-code-error"'

# --- editing -----------------------------------------------------------------------------------------
get ed /o/acme/controls/OWN-1/edit
is "the edit form" "$STATUS" 200
has "... filled in" "$SCRATCH/ed.b" 'value="Own control"'
has "... with the key box ticked" "$SCRATCH/ed.b" 'id="control-key" name="key" value="1" checked'
get ednone /o/acme/controls/NOPE/edit
is "editing a missing control is 404" "$STATUS" 404
before=$(audit_count)
post e1 /o/acme/controls/OWN-1 --data-urlencode 'title=Renamed' --data-urlencode owner=nobody@acme.example \
    --data-urlencode status=operating
is "editing with an unknown owner is 400" "$STATUS" 400
has "... next to the owner" "$SCRATCH/e1.b" 'id="control-owner-error"'
has "... the new title kept" "$SCRATCH/e1.b" 'value="Renamed"'
unchanged "... and nothing changed" "$before"
nocsrf e2 /o/acme/controls/OWN-1 --data-urlencode title=Renamed
is "editing without the CSRF token is 403" "$STATUS" 403
post e3 /o/acme/controls/OWN-1 --data-urlencode 'title=Renamed control' --data-urlencode owner= \
    --data-urlencode status=operating --data-urlencode frequency=quarterly --data-urlencode nature=detective \
    --data-urlencode type=automated --data-urlencode key__shown=1
is "editing redirects" "$STATUS" 303
t "... and changed it" "$TILLIT" control show OWN-1 --org acme --format json
out_has '"title": "Renamed control"'
out_has '"status": "operating"'
out_has '"key": false'
post e4 /o/acme/controls/NOPE --data-urlencode title=X
is "posting to a missing control is 404" "$STATUS" 404

# --- mapping ------------------------------------------------------------------------------------------
get m0 /o/acme/controls/OWN-1/map
is "the map page" "$STATUS" 200
has "... offers the criteria" "$SCRATCH/m0.b" '<option value="CC6.1"'
get m1 "/o/acme/controls/OWN-1/map?criterion=CC6.1"
has "... then the points of focus of one" "$SCRATCH/m1.b" 'id="map-points_of_focus-CC6.1-PF01"'
before=$(audit_count)
post m2 /o/acme/controls/OWN-1/map --data-urlencode criterion=CC6.1 --data-urlencode points_of_focus=CC7.1-PF01
is "a point of focus of another criterion is 400" "$STATUS" 400
has "... with a message" "$SCRATCH/m2.b" 'class="field-error"'
has "... and the boxes offered again" "$SCRATCH/m2.b" 'id="map-points_of_focus-CC6.1-PF01"'
post m3 /o/acme/controls/OWN-1/map --data-urlencode criterion=XX1.1
is "an unknown criterion is 400" "$STATUS" 400
unchanged "... and nothing mapped" "$before"
nocsrf m4 /o/acme/controls/OWN-1/map --data-urlencode criterion=CC6.1
is "mapping without the CSRF token is 403" "$STATUS" 403
post m5 /o/acme/controls/OWN-1/map --data-urlencode criterion=CC6.1 \
    --data-urlencode points_of_focus=CC6.1-PF01 --data-urlencode points_of_focus=CC6.1-PF02
is "mapping redirects" "$STATUS" 303
get m5p /o/acme/controls/OWN-1
has "... and the control page shows the mapping" "$SCRATCH/m5p.b" 'id="mapping-CC6.1"'
has "... with its points of focus" "$SCRATCH/m5p.b" 'CC6.1-PF02'
has "... and an unmap button" "$SCRATCH/m5p.b" 'id="unmap-CC6.1"'
get m6 "/o/acme/controls/OWN-1/map?criterion=CC6.1"
has "the map page ticks the points of focus already mapped" "$SCRATCH/m6.b" 'value="CC6.1-PF02" checked'
nocsrf u0 /o/acme/controls/OWN-1/unmap --data-urlencode criterion=CC6.1
is "unmapping without the CSRF token is 403" "$STATUS" 403
post u1 /o/acme/controls/OWN-1/unmap --data-urlencode criterion=CC7.1
is "unmapping a criterion not mapped is 400" "$STATUS" 400
post u2 /o/acme/controls/OWN-1/unmap --data-urlencode criterion=CC6.1
is "unmapping redirects" "$STATUS" 303
t "... and the mapping is gone" "$TILLIT" control show OWN-1 --org acme --format json
if grep -q CC6.1 "$SCRATCH/out"; then not_ok "... CC6.1 no longer mapped"; else ok "... CC6.1 no longer mapped"; fi

# --- the API ----------------------------------------------------------------------------------------------
apijson a1 POST /orgs/acme/controls '{"code": "API-1", "title": "By API", "frequency": "weekly"}'
is "the API creates a control" "$STATUS" 201
has "... and returns it" "$SCRATCH/a1.b" '"code": "API-1"'
apijson a2 POST /orgs/acme/controls '{"code": "API-2"}'
is "... refuses one without a title" "$STATUS" 400
has "... as problem+json" "$SCRATCH/a2.h" "application/problem+json"
has "... naming the field" "$SCRATCH/a2.b" '"title":'
apijson a3 POST /orgs/acme/controls '{"code": "API-3", "title": "x", "colour": "red"}'
is "... refuses an unknown field" "$STATUS" 400
apijson a4 PATCH /orgs/acme/controls/API-1 '{"status": "designed"}'
is "the API edits a control" "$STATUS" 200
t "... changing only the status" "$TILLIT" control show API-1 --org acme --format json
out_has '"status": "designed"'
out_has '"frequency": "weekly"'
apijson a5 PUT /orgs/acme/controls/API-1/criteria/CC6.2 '{"points_of_focus": ["CC6.2-PF01"]}'
is "the API maps a control" "$STATUS" 200
has "... with the point of focus" "$SCRATCH/a5.b" '"CC6.2-PF01"'
api a6 DELETE /orgs/acme/controls/API-1/criteria/CC6.2
is "the API unmaps it" "$STATUS" 200
apijson a7 POST /orgs/acme/controls/adopt '{"codes": ["IAM-03", "IAM-01"]}'
is "the API adopts" "$STATUS" 200
has "... reporting what it adopted" "$SCRATCH/a7.b" '"adopted": ['
has "... and what it skipped" "$SCRATCH/a7.b" '"IAM-01"'
api a8 GET "/orgs/acme/library?criterion=CC6.1"
is "the library through the API" "$STATUS" 200
req a9 -X POST -b "$J" -H "Content-Type: application/json" --data-binary '{"code":"S-1","title":"t"}' "$URL/api/v1/orgs/acme/controls"
is "an API POST with a session and no CSRF header is 403" "$STATUS" 403
req a10 -X POST -b "$J" -H "X-CSRF-Token: $TOK" -H "Content-Type: application/json" --data-binary '{"code":"S-1","title":"t"}' "$URL/api/v1/orgs/acme/controls"
is "... and with the header it works" "$STATUS" 201

# --- roles ----------------------------------------------------------------------------------------------------
as contributor
get r1 /o/acme/controls/new
is "a contributor may not add controls" "$STATUS" 403
post r2 /o/acme/controls --data-urlencode code=X --data-urlencode title=X
is "... nor post one" "$STATUS" 403
get r3 /o/acme/library
hasnt "... and sees no adopt boxes" "$SCRATCH/r3.b" 'id="adopt-submit"'
as other
post r4 /o/acme/controls/adopt --data-urlencode code=IAM-04
is "another organization's member gets 404 adopting" "$STATUS" 404

stop_clean
done_testing
