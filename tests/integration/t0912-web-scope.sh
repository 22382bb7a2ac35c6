#!/bin/sh
# The scope in the browser: the system description, categories in or out
# with a reason, services, components, subservice organizations with their
# CSOCs, and CUECs; each form's happy path, a validation failure and CSRF,
# removing records, and the same through the API.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token editor@acme.example)
start_server --max-seconds 240
as editor

get scope /o/acme/scope
is "the scope page" "$STATUS" 200
has "... shows the categories" "$SCRATCH/scope.b" 'id="category-availability"'
has "... with edit links" "$SCRATCH/scope.b" 'id="category-edit-availability"'

# --- the system ----------------------------------------------------------------------------------
get sys /o/acme/scope/system
is "the system form" "$STATUS" 200
nocsrf s0 /o/acme/scope/system --data-urlencode name=Platform
is "without the CSRF token it is 403" "$STATUS" 403
before=$(audit_count)
post s1 /o/acme/scope/system --data-urlencode "name=$(printf 'x%.0s' $(seq 1 201))"
is "a name too long is 400" "$STATUS" 400
has "... next to the name" "$SCRATCH/s1.b" 'id="system-name-error"'
unchanged "... and nothing changed" "$before"
post s2 /o/acme/scope/system --data-urlencode 'name=Acme Platform' --data-urlencode 'boundaries=The SaaS and its AWS account' \
    --data-urlencode 'commitments=99.9% uptime'
is "saving the system redirects" "$STATUS" 303
is "... to the scope page" "$(location s2)" "/o/acme/scope?done=saved"
get scope2 /o/acme/scope
has "... which shows it" "$SCRATCH/scope2.b" 'The SaaS and its AWS account'

# --- categories -------------------------------------------------------------------------------------
get cat /o/acme/scope/categories/availability
is "a category's form" "$STATUS" 200
get catx /o/acme/scope/categories/nonsense
is "an unknown category is 404" "$STATUS" 404
before=$(audit_count)
post c1 /o/acme/scope/categories/security --data-urlencode in_scope__shown=1 --data-urlencode reason=no
is "leaving security out is 400" "$STATUS" 400
has "... with the reason" "$SCRATCH/c1.b" 'always in scope'
post c2 /o/acme/scope/categories/availability --data-urlencode in_scope__shown=1 --data-urlencode reason=
is "leaving a category out without a reason is 400" "$STATUS" 400
has "... next to the reason" "$SCRATCH/c2.b" 'id="category-reason-error"'
unchanged "... and nothing changed" "$before"
nocsrf c3 /o/acme/scope/categories/availability --data-urlencode in_scope=1
is "without the CSRF token it is 403" "$STATUS" 403
post c4 /o/acme/scope/categories/availability --data-urlencode in_scope=1 --data-urlencode in_scope__shown=1
is "putting availability in scope redirects" "$STATUS" 303
t "... and it is in scope" "$TILLIT" scope show --org acme --format json
if tr -d ' \n' <"$SCRATCH/out" | grep -q '"category":"availability","in_scope":true'; then ok "... availability is in"; else not_ok "... availability is in"; fi

# --- services -------------------------------------------------------------------------------------------
post sv1 /o/acme/scope/services --data-urlencode name= --data-urlencode 'description=kept'
is "a service without a name is 400" "$STATUS" 400
has "... next to the name" "$SCRATCH/sv1.b" 'id="service-name-error"'
has "... the description kept" "$SCRATCH/sv1.b" '>kept</textarea>'
nocsrf sv2 /o/acme/scope/services --data-urlencode name=API
is "without the CSRF token it is 403" "$STATUS" 403
post sv3 /o/acme/scope/services --data-urlencode 'name=Web App' --data-urlencode 'description=The app'
is "adding a service redirects" "$STATUS" 303
post sv4 /o/acme/scope/services --data-urlencode 'name=Web App'
is "the same name again is 409" "$STATUS" 409
get sv5 "/o/acme/scope/services/Web%20App"
is "the service's form" "$STATUS" 200
has "... filled in" "$SCRATCH/sv5.b" '>The app</textarea>'
has "... with a remove button" "$SCRATCH/sv5.b" 'id="remove-submit"'
post sv6 "/o/acme/scope/services/Web%20App" --data-urlencode 'name=Web app' --data-urlencode 'description=Renamed'
is "renaming it redirects" "$STATUS" 303
nocsrf sv7 "/o/acme/scope/services/Web%20app/delete" -X POST
is "removing without the CSRF token is 403" "$STATUS" 403
post sv8 "/o/acme/scope/services/Web%20app/delete"
is "removing it redirects" "$STATUS" 303
post sv9 "/o/acme/scope/services/Web%20app/delete"
is "removing it again is 404" "$STATUS" 404

# --- components -------------------------------------------------------------------------------------------
post cp1 /o/acme/scope/components --data-urlencode kind=software --data-urlencode name=Billing \
    --data-urlencode in_scope__shown=1 --data-urlencode reason=
is "a component out of scope without a reason is 400" "$STATUS" 400
has "... next to the reason" "$SCRATCH/cp1.b" 'id="component-reason-error"'
post cp2 /o/acme/scope/components --data-urlencode kind=hardware --data-urlencode name=Box --data-urlencode in_scope=1
is "an unknown kind is 400" "$STATUS" 400
has "... next to the kind" "$SCRATCH/cp2.b" 'id="component-kind-error"'
nocsrf cp3 /o/acme/scope/components --data-urlencode kind=software --data-urlencode name=App --data-urlencode in_scope=1
is "without the CSRF token it is 403" "$STATUS" 403
post cp4 /o/acme/scope/components --data-urlencode kind=software --data-urlencode 'name=App server' \
    --data-urlencode in_scope=1 --data-urlencode in_scope__shown=1
is "adding a component redirects" "$STATUS" 303
get cp5 "/o/acme/scope/components/software/App%20server"
is "the component's form" "$STATUS" 200
post cp6 "/o/acme/scope/components/software/App%20server" --data-urlencode in_scope__shown=1 --data-urlencode 'reason=Retired'
is "moving it out of scope with a reason redirects" "$STATUS" 303
t "... and it is out" "$TILLIT" scope component list --org acme --format json
out_has '"reason": "Retired"'
post cp7 "/o/acme/scope/components/software/App%20server/delete"
is "removing it redirects" "$STATUS" 303

# --- subservice organizations and CSOCs -------------------------------------------------------------------
post so1 /o/acme/scope/subservices --data-urlencode 'slug=Not A Slug' --data-urlencode name=AWS --data-urlencode method=carve-out
is "a bad slug is 400" "$STATUS" 400
has "... next to the slug" "$SCRATCH/so1.b" 'id="subservice-slug-error"'
post so2 /o/acme/scope/subservices --data-urlencode slug=aws --data-urlencode name=AWS --data-urlencode method=sideways
is "an unknown method is 400" "$STATUS" 400
nocsrf so3 /o/acme/scope/subservices --data-urlencode slug=aws --data-urlencode name=AWS --data-urlencode method=carve-out
is "without the CSRF token it is 403" "$STATUS" 403
post so4 /o/acme/scope/subservices --data-urlencode slug=aws --data-urlencode 'name=Amazon Web Services' \
    --data-urlencode method=carve-out --data-urlencode 'services=Hosting'
is "adding a subservice organization redirects" "$STATUS" 303
post so5 /o/acme/scope/subservices/aws --data-urlencode 'name=AWS' --data-urlencode method=inclusive
is "editing it redirects" "$STATUS" 303
get cs0 /o/acme/scope/subservices/aws/csocs/new
is "the new-CSOC form" "$STATUS" 200
post cs1 /o/acme/scope/subservices/aws/csocs --data-urlencode text= --data-urlencode criteria=CC6.4
is "a CSOC without text is 400" "$STATUS" 400
has "... with the criteria kept" "$SCRATCH/cs1.b" 'value="CC6.4"'
post cs2 /o/acme/scope/subservices/aws/csocs --data-urlencode 'text=Data centres are secured' --data-urlencode criteria=ZZ1
is "a CSOC with an unknown criterion is 400" "$STATUS" 400
has "... next to the criteria" "$SCRATCH/cs2.b" 'id="csoc-criteria-error"'
nocsrf cs3 /o/acme/scope/subservices/aws/csocs --data-urlencode 'text=x'
is "without the CSRF token it is 403" "$STATUS" 403
post cs4 /o/acme/scope/subservices/aws/csocs --data-urlencode 'text=Data centres are physically secured' --data-urlencode criteria=CC6.4
is "adding a CSOC redirects" "$STATUS" 303
post cs5 /o/acme/scope/subservices/nope/csocs --data-urlencode 'text=x'
is "a CSOC of a missing subservice organization is 400" "$STATUS" 400
CSOC=$("$TILLIT" scope csoc list --org acme --format csv | sed -n 2p | cut -d, -f1)
get cs6 "/o/acme/scope/csocs/$CSOC"
is "the CSOC's form" "$STATUS" 200
post cs7 "/o/acme/scope/csocs/$CSOC" --data-urlencode 'text=Data centres are secured' --data-urlencode criteria=CC6.4,CC6.5
is "editing it redirects" "$STATUS" 303
post cs8 "/o/acme/scope/csocs/$CSOC/delete"
is "removing it redirects" "$STATUS" 303

# --- CUECs --------------------------------------------------------------------------------------------------------
post cu1 /o/acme/scope/cuecs --data-urlencode code=CUEC-1 --data-urlencode text=
is "a CUEC without text is 400" "$STATUS" 400
nocsrf cu2 /o/acme/scope/cuecs --data-urlencode code=CUEC-1 --data-urlencode text=x
is "without the CSRF token it is 403" "$STATUS" 403
post cu3 /o/acme/scope/cuecs --data-urlencode code=CUEC-1 --data-urlencode 'text=Customers manage their users' --data-urlencode criteria=CC6.2
is "adding a CUEC redirects" "$STATUS" 303
post cu4 /o/acme/scope/cuecs/CUEC-1 --data-urlencode 'text=Customers review their users'
is "editing it redirects" "$STATUS" 303
get scope3 /o/acme/scope
has "the scope page shows the CUEC" "$SCRATCH/scope3.b" 'Customers review their users'
has "... and the subservice organization" "$SCRATCH/scope3.b" 'id="subservice-aws"'
get sj "/o/acme/scope?format=json"
is "the scope as JSON" "$STATUS" 200
has "... with the CUEC" "$SCRATCH/sj.b" '"CUEC-1"'
get sx "/o/acme/scope?format=xlsx"
is "the components as XLSX" "$STATUS" 200
post cu5 /o/acme/scope/cuecs/CUEC-1/delete
is "removing it redirects" "$STATUS" 303

# --- the API ---------------------------------------------------------------------------------------------------------
api a0 GET /orgs/acme/scope
is "the scope through the API" "$STATUS" 200
apijson a1 PATCH /orgs/acme/scope/system '{"name": "API platform"}'
is "the API edits the system" "$STATUS" 200
has "... and returns the scope" "$SCRATCH/a1.b" '"API platform"'
apijson a2 PUT /orgs/acme/scope/categories/confidentiality '{"in_scope": true}'
is "the API puts a category in scope" "$STATUS" 200
apijson a3 PUT /orgs/acme/scope/categories/confidentiality '{"in_scope": false}'
is "... and refuses to leave it out without a reason" "$STATUS" 400
apijson a4 POST /orgs/acme/scope/services '{"name": "Reporting"}'
is "the API adds a service" "$STATUS" 201
api a5 DELETE /orgs/acme/scope/services/Reporting
is "... and removes it" "$STATUS" 204
apijson a6 POST /orgs/acme/scope/components '{"kind": "data", "name": "Customer data", "in_scope": true}'
is "the API adds a component" "$STATUS" 201
apijson a7 PATCH /orgs/acme/scope/components/data/Customer%20data '{"description": "All of it"}'
is "... edits it" "$STATUS" 200
apijson a8 POST /orgs/acme/scope/subservices/aws/csocs '{"text": "Backups are kept"}'
is "the API adds a CSOC" "$STATUS" 201
apijson a9 POST /orgs/acme/scope/cuecs '{"code": "C-2", "text": "Customers protect passwords"}'
is "the API adds a CUEC" "$STATUS" 201
api a10 DELETE /orgs/acme/scope/subservices/aws
is "the API removes a subservice organization" "$STATUS" 204

# --- roles ---------------------------------------------------------------------------------------------------------------
as viewer
get v1 /o/acme/scope
is "a viewer sees the scope" "$STATUS" 200
hasnt "... without edit links" "$SCRATCH/v1.b" 'id="scope-system-edit"'
post v2 /o/acme/scope/system --data-urlencode name=Hacked
is "... and may not change it" "$STATUS" 403

stop_clean
done_testing
