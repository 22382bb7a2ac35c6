#!/bin/sh
# Policies in the browser: a new policy from a template, editing its text
# (a new version), approving (only a user whose person record is an
# approver), acknowledging (the user's own person record), and who has
# acknowledged; validation failures, CSRF, and the API.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add editor@acme.example --name 'Eddie Editor' --approver --org acme &&
  "$TILLIT" person add admin@acme.example --name 'Ada Admin' --org acme &&
  "$TILLIT" person add viewer@acme.example --name 'Vic Viewer' --org acme &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token editor@acme.example)
start_server --max-seconds 240
as editor

get pn /o/acme/policies/new
is "the new-policy form" "$STATUS" 200
has "... offers the templates" "$SCRATCH/pn.b" '<option value="access-control">'
before=$(audit_count)
post p1 /o/acme/policies --data-urlencode slug= --data-urlencode template=access-control
is "a policy without a slug is 400" "$STATUS" 400
has "... next to the slug" "$SCRATCH/p1.b" 'id="policy-slug-error"'
has "... the template kept" "$SCRATCH/p1.b" '<option value="access-control" selected>'
post p2 /o/acme/policies --data-urlencode slug=access --data-urlencode template=no-such-template
is "an unknown template is 400" "$STATUS" 400
post p3 /o/acme/policies --data-urlencode slug=own --data-urlencode 'title=Own' --data-urlencode 'body=Hello {{policy.nonsense}}'
is "an unknown placeholder is 400" "$STATUS" 400
has "... next to the text" "$SCRATCH/p3.b" 'id="policy-body-error"'
post p4 /o/acme/policies --data-urlencode slug=access --data-urlencode template=access-control --data-urlencode owner=nobody@acme.example
is "an unknown owner is 400" "$STATUS" 400
has "... next to the owner" "$SCRATCH/p4.b" 'id="policy-owner-error"'
unchanged "... and none of them changed anything" "$before"
nocsrf p5 /o/acme/policies --data-urlencode slug=access --data-urlencode template=access-control
is "without the CSRF token it is 403" "$STATUS" 403
post p6 /o/acme/policies --data-urlencode slug=access --data-urlencode template=access-control \
    --data-urlencode owner=editor@acme.example
is "a new policy from a template redirects" "$STATUS" 303
is "... to its page" "$(location p6)" "/o/acme/policies/access?done=created"
get pp /o/acme/policies/access
is "the policy page" "$STATUS" 200
has "... with an edit link" "$SCRATCH/pp.b" 'id="policy-edit-link"'
has "... an approve button" "$SCRATCH/pp.b" 'id="policy-approve"'
has "... an acknowledge button" "$SCRATCH/pp.b" 'id="policy-ack"'

# --- a new version --------------------------------------------------------------------------------
get pe /o/acme/policies/access/edit
is "the edit form" "$STATUS" 200
has "... with the text" "$SCRATCH/pe.b" '<textarea id="policy-body" name="body" rows="24"'
post e1 /o/acme/policies/access --data-urlencode 'title=' --data-urlencode 'body=# Access'
is "an empty title is 400" "$STATUS" 400
has "... with the new text kept" "$SCRATCH/e1.b" '># Access</textarea>'
nocsrf e2 /o/acme/policies/access --data-urlencode 'body=# Access'
is "without the CSRF token it is 403" "$STATUS" 403
post e3 /o/acme/policies/access --data-urlencode 'title=Access control' --data-urlencode review=annual \
    --data-urlencode owner=editor@acme.example --data-urlencode "$(printf 'body=# Access\r\n\r\nOnly who needs it.\r\nThe end.')"
is "a new text redirects" "$STATUS" 303
t "... and makes version 2" "$TILLIT" policy show access --org acme --format json
out_has '"current_version": 2'
if grep -qF '\r' "$SCRATCH/out"; then not_ok "... stored with LF line ends"; else ok "... stored with LF line ends"; fi

# --- approve and acknowledge ----------------------------------------------------------------------------
nocsrf a0 /o/acme/policies/access/approve -X POST
is "approving without the CSRF token is 403" "$STATUS" 403
post a1 /o/acme/policies/access/approve
is "approving as an approver redirects" "$STATUS" 303
is "... to the policy" "$(location a1)" "/o/acme/policies/access?done=approved"
t "... and version 2 is approved by the editor" "$TILLIT" policy show access --org acme --format json
out_has '"approved_by": "editor@acme.example"'
post a2 /o/acme/policies/access/approve
is "approving again is 400" "$STATUS" 400
has "... with the reason on the page" "$SCRATCH/a2.b" 'id="policy-errors"'
post k1 /o/acme/policies/access/ack
is "acknowledging redirects" "$STATUS" 303
get pp2 "/o/acme/policies/access?done=acknowledged"
has "... and the page says so" "$SCRATCH/pp2.b" 'id="policy-acked"'
hasnt "... without the button any more" "$SCRATCH/pp2.b" 'id="policy-ack"'
post k2 /o/acme/policies/access/ack
is "acknowledging twice is 400" "$STATUS" 400
as admin
before=$(audit_count)
post a3 /o/acme/policies/access/approve
is "approving by someone who is not an approver is 400" "$STATUS" 400
has "... with the reason" "$SCRATCH/a3.b" 'class="form-error"'
unchanged "... and nothing recorded" "$before"
as viewer
get vp /o/acme/policies/access
hasnt "a viewer sees no approve button" "$SCRATCH/vp.b" 'id="policy-approve"'
has "... but may acknowledge" "$SCRATCH/vp.b" 'id="policy-ack"'
post k3 /o/acme/policies/access/ack
is "a viewer acknowledges" "$STATUS" 303
post a4 /o/acme/policies/access/approve
is "a viewer may not approve" "$STATUS" 403
as auditor
post k4 /o/acme/policies/access/ack
is "an auditor, who sees only engagements, cannot acknowledge the program's policies" "$STATUS" 403
as contributor
post k5 /o/acme/policies/access/ack
is "a user without a person record cannot acknowledge (400)" "$STATUS" 400
as editor
get acks /o/acme/policies/access/acks
is "the acknowledgments page" "$STATUS" 200
has "... lists who did" "$SCRATCH/acks.b" 'viewer@acme.example'
has "... and who did not" "$SCRATCH/acks.b" 'Not yet'
get acksc "/o/acme/policies/access/acks?format=csv"
has "... as CSV" "$SCRATCH/acksc.b" "email,name,acked_on,active"
get acksv "/o/acme/policies/access/acks?version=1"
is "... of an older version" "$STATUS" 200

# --- the API -------------------------------------------------------------------------------------------------
api t1 GET /orgs/acme/policy-templates
is "the templates through the API" "$STATUS" 200
has "... with their names" "$SCRATCH/t1.b" '"name": "access-control"'
apijson t2 POST /orgs/acme/policies '{"slug": "incident", "template": "incident-response"}'
is "the API makes a policy" "$STATUS" 201
apijson t3 PATCH /orgs/acme/policies/incident '{"body": "# Incidents\n\nCall us.\n"}'
is "... edits its text" "$STATUS" 200
has "... making version 2" "$SCRATCH/t3.b" '"current": 2'
apijson t4 POST /orgs/acme/policies/incident/approve '{"version": 1}'
is "... approves version 1" "$STATUS" 200
api t5 POST /orgs/acme/policies/incident/acknowledge
is "... acknowledges" "$STATUS" 200
api t6 GET /orgs/acme/policies/incident/acks
is "... and lists the acknowledgments" "$STATUS" 200

stop_clean
done_testing
