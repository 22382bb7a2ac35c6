#!/bin/sh
# Concurrent edits in the browser and the API: every edit form carries the
# version it was loaded at; a save based on a stale version is 409 with the
# form again (the user's input kept, the message naming who changed the
# record, what the record holds now and its version), changes nothing and
# logs nothing; saving that form again applies the input knowingly. The API
# takes the version in the body or as If-Match, answers a stale one with a
# 409 problem naming who changed the record, gives the version as an ETag,
# and without a version the last writer wins. For controls, risks, people,
# vendors, policies, the system description, the scope's services,
# components, subservice organizations, CSOCs and CUECs, and plan tasks
# (each also readable alone through the API, with its ETag).
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" --org acme person add ann@acme.example --name 'Ann Andersson' &&
  "$TILLIT" --org acme control add X-1 --title 'Access review' &&
  "$TILLIT" --org acme risk add R-1 --title Ransomware --likelihood 3 --impact 4 --treatment accept &&
  "$TILLIT" --org acme vendor add aws --name 'Amazon Web Services' &&
  "$TILLIT" --org acme policy new access --template access-control &&
  "$TILLIT" --org acme scope set --name 'Acme platform' &&
  "$TILLIT" --org acme scope service add Svc --description 'Payroll' &&
  "$TILLIT" --org acme scope component add software App &&
  "$TILLIT" --org acme scope subservice add sub --name 'Sub Co' --method carve-out &&
  "$TILLIT" --org acme scope csoc add sub --text 'Backups are kept' &&
  "$TILLIT" --org acme scope cuec add CUEC-1 --text 'Customers keep passwords' &&
  "$TILLIT" --org acme plan --start 2026-01-05 --target type1 &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token editor@acme.example)
CSOC=$("$TILLIT" --org acme scope csoc list --format csv | sed -n 2p | cut -d, -f1)
start_server --max-seconds 420

# version_of FILE: the hidden version field of an edit form.
version_of() { sed -n 's/.*name="version" value="\([^"]*\)".*/\1/p' "$1" | head -1; }
# etag_of NAME: the ETag header of a response, without quotes.
etag_of() { sed -n 's/^[Ee][Tt]ag: "\([^"]*\)".*/\1/p' "$SCRATCH/$1.h" | tr -d '\r'; }
# json_of NAME MEMBER: a top-level member of a JSON response.
json_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))' \
    "$SCRATCH/$1.b" "$2"; }

# stale_page KIND EDIT SAVE FIELD [CURL-ARGS]: the editor loads the edit
# form at EDIT, the admin saves FIELD through SAVE, then the editor saves
# FIELD based on the version the form was loaded at: 409, the page says
# who changed the record, its version now and what it holds, keeps the
# editor's input, and nothing is changed or logged.
stale_page() {
    kind=$1 edit=$2 save=$3 field=$4
    shift 4
    as editor
    get "$kind-e" "$edit"
    is "$kind: the edit form" "$STATUS" 200
    v=$(version_of "$SCRATCH/$kind-e.b")
    case $v in
    [1-9]*) ok "$kind: ... carries the version it was loaded at ($v)" ;;
    *) not_ok "$kind: ... carries the version it was loaded at (got '$v')" ;;
    esac
    as admin
    get "$kind-ae" "$edit"
    is "$kind: another user loads the same form at the same version" \
        "$(version_of "$SCRATCH/$kind-ae.b")" "$v"
    post "$kind-a" "$save" --data-urlencode "version=$v" --data-urlencode "$field=Saved by admin" "$@"
    is "$kind: the first save goes through" "$STATUS" 303
    before=$(audit_count)
    as editor
    post "$kind-s" "$save" --data-urlencode "version=$v" --data-urlencode "$field=Saved by editor" "$@"
    is "$kind: the second save, based on version $v, is 409" "$STATUS" 409
    has "$kind: ... the form again" "$SCRATCH/$kind-s.b" "id=\"$kind-submit\""
    has "$kind: ... with the message on top" "$SCRATCH/$kind-s.b" "was changed by web:admin@acme.example"
    has "$kind: ... who changed it" "$SCRATCH/$kind-s.b" 'id="conflict-by">web:admin@acme.example<'
    has "$kind: ... the version now" "$SCRATCH/$kind-s.b" "id=\"conflict-version\">$((v + 1))<"
    has "$kind: ... what the record holds now" "$SCRATCH/$kind-s.b" \
        "<td class=\"conflict-current\">Saved by admin</td><td class=\"conflict-yours\">Saved by editor</td>"
    has "$kind: ... the user's input kept in the form" "$SCRATCH/$kind-s.b" "Saved by editor"
    has "$kind: ... and the form now based on the current version" "$SCRATCH/$kind-s.b" \
        "name=\"version\" value=\"$((v + 1))\""
    unchanged "$kind: ... nothing changed, nothing logged" "$before"
    SAVED_VERSION=$((v + 1))
}

# resave KIND SAVE FIELD [CURL-ARGS]: the editor saves the form of the 409
# page again (now based on the current version): it goes through.
resave() {
    kind=$1 save=$2 field=$3
    shift 3
    as editor
    post "$kind-r" "$save" --data-urlencode "version=$SAVED_VERSION" \
        --data-urlencode "$field=Saved by editor" "$@"
    is "$kind: saving the form again, knowing, goes through" "$STATUS" 303
}

# stale_api KIND PATH FIELD LAST: GET gives version and ETag; PATCH with a stale
# version in the body, or as If-Match, is a 409 problem naming who changed
# the record (LAST, by the body's test: the If-Match test then names the
# API's own user) and changes nothing; the current version goes through; no
# version is last writer wins.
stale_api() {
    kind=$1 path=$2 field=$3 last=$4
    api "$kind-g" GET "$path"
    is "$kind API: GET" "$STATUS" 200
    v=$(json_of "$kind-g" version)
    is "$kind API: ... the ETag is the record's version" "$(etag_of "$kind-g")" "$v"
    before=$(audit_count)
    apijson "$kind-p1" PATCH "$path" "{\"$field\": \"API stale\", \"version\": $((v - 1))}"
    is "$kind API: a stale version in the body is 409" "$STATUS" 409
    has "$kind API: ... a problem" "$SCRATCH/$kind-p1.h" "application/problem+json"
    has "$kind API: ... whose detail names who changed it" "$SCRATCH/$kind-p1.b" \
        '"detail": "'"$kind"
    has "$kind API: ... (the last change, on the page)" "$SCRATCH/$kind-p1.b" "was changed by web:$last@acme.example"
    is "$kind API: ... with the current version" "$(json_of "$kind-p1" version)" "$v"
    is "$kind API: ... also as the ETag" "$(etag_of "$kind-p1")" "$v"
    req "$kind-p2" -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        -H "If-Match: \"$((v - 1))\"" --data-binary "{\"$field\": \"API stale\"}" "$URL/api/v1$path"
    is "$kind API: a stale If-Match is 409" "$STATUS" 409
    has "$kind API: ... naming who changed it" "$SCRATCH/$kind-p2.b" "was changed by web:$last@acme.example"
    unchanged "$kind API: ... nothing changed, nothing logged" "$before"
    req "$kind-p3" -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        -H "If-Match: \"$v\"" --data-binary "{\"$field\": \"API fresh\"}" "$URL/api/v1$path"
    is "$kind API: the current version as If-Match goes through" "$STATUS" 200
    is "$kind API: ... the answer's ETag is the next version" "$(etag_of "$kind-p3")" "$((v + 1))"
    apijson "$kind-p4" PATCH "$path" "{\"$field\": \"API body\", \"version\": $((v + 1))}"
    is "$kind API: the current version in the body goes through" "$STATUS" 200
    apijson "$kind-p5" PATCH "$path" "{\"$field\": \"API last\"}"
    is "$kind API: no version: the last writer wins" "$STATUS" 200
    is "$kind API: ... and the version counts it" "$(json_of "$kind-p5" version)" "$((v + 3))"
}

# --- controls --------------------------------------------------------------------------------------
stale_page control /o/acme/controls/X-1/edit /o/acme/controls/X-1 title
t "control: the record holds the first edit" "$TILLIT" --org acme control show X-1
out_has "^title: *Saved by admin$"
out_has "^version: *2$"
"$TILLIT" audit log --chain acme --format csv >"$SCRATCH/log.csv"
is "control: the audit log has the first edit only" "$(grep -c ',control.edit,' "$SCRATCH/log.csv")" 1
has "control: ... by the admin" "$SCRATCH/log.csv" 'web:admin@acme.example,control.edit,control,X-1'
resave control /o/acme/controls/X-1 title
t "control: ... and the record holds it" "$TILLIT" --org acme control show X-1
out_has "^title: *Saved by editor$"
out_has "^version: *3$"

# The current values are shown escaped, like every text of a page.
as admin
get xe /o/acme/controls/X-1/edit
xv=$(version_of "$SCRATCH/xe.b")
post xa /o/acme/controls/X-1 --data-urlencode "version=$xv" --data-urlencode 'title=<b>bold</b>'
as editor
post xs /o/acme/controls/X-1 --data-urlencode "version=$((xv - 1))" --data-urlencode 'title=x'
is "a stale save after a change with markup is 409" "$STATUS" 409
has "... the current value escaped" "$SCRATCH/xs.b" '&lt;b&gt;bold&lt;/b&gt;'
hasnt "... never as markup" "$SCRATCH/xs.b" '<b>bold</b>'

# Bad versions are refused, not ignored.
before=$(audit_count)
post bv /o/acme/controls/X-1 --data-urlencode 'version=two' --data-urlencode 'title=x'
is "a version that is not a number is 400" "$STATUS" 400
has "... saying so above the form" "$SCRATCH/bv.b" 'not a positive whole number'
unchanged "... and changes nothing" "$before"

# Sessions in Swedish get the explanation in Swedish.
as admin
get sve /o/acme/controls/X-1/edit
sv=$(version_of "$SCRATCH/sve.b")
post sva /o/acme/controls/X-1 --data-urlencode "version=$sv" --data-urlencode 'title=Svensk'
as editor
post svs /o/acme/controls/X-1 -b "tillit_lang=sv" --data-urlencode "version=$((sv - 1))" \
    --data-urlencode 'title=y'
is "in Swedish: 409" "$STATUS" 409
has "... the explanation in Swedish" "$SCRATCH/svs.b" 'Någon ändrade posten medan du redigerade den'

stale_api control /orgs/acme/controls/X-1 title admin
apijson bvj PATCH /orgs/acme/controls/X-1 '{"title": "x", "version": "two"}'
is "API: a version that is not a number is 400" "$STATUS" 400
has "... on the field version" "$SCRATCH/bvj.b" '"version":'
req bim -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -H 'If-Match: "two"' --data-binary '{"title": "x"}' "$URL/api/v1/orgs/acme/controls/X-1"
is "API: an If-Match that is no version is 400" "$STATUS" 400
v=$(json_of control-p5 version)
req bdi -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -H "If-Match: \"$v\"" --data-binary "{\"title\": \"x\", \"version\": $((v - 1))}" \
    "$URL/api/v1/orgs/acme/controls/X-1"
is "API: If-Match and a body version that differ is 400" "$STATUS" 400
req star -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -H 'If-Match: *' --data-binary '{"title": "Any version"}' "$URL/api/v1/orgs/acme/controls/X-1"
is "API: If-Match * is any version" "$STATUS" 200
apijson newv POST /orgs/acme/controls '{"code": "X-2", "title": "New", "version": 3}'
is "API: a new record takes no version" "$STATUS" 400
TOKEN=$("$TILLIT" user token viewer@acme.example)
apijson vw PATCH /orgs/acme/controls/X-1 '{"title": "x", "version": 1}'
is "API: a viewer's PATCH is 403, stale or not" "$STATUS" 403
TOKEN=$("$TILLIT" user token other@beta.example)
api ob GET /orgs/acme/controls/X-1
is "API: another organization's user gets 404" "$STATUS" 404
hasnt "... and no ETag" "$SCRATCH/ob.h" "ETag"
TOKEN=$("$TILLIT" user token editor@acme.example)

# --- risks: a session and the CLI ------------------------------------------------------------------
as editor
get re /o/acme/risks/R-1/edit
rv=$(version_of "$SCRATCH/re.b")
is "risk: the edit form carries version 1" "$rv" 1
t "risk: the CLI edits the risk meanwhile" env TILLIT_ACTOR=carol "$TILLIT" --org acme risk edit R-1 \
    --title 'Saved by carol'
before=$(audit_count)
post rs /o/acme/risks/R-1 --data-urlencode "version=$rv" --data-urlencode 'title=Saved by editor' \
    --data-urlencode likelihood=3 --data-urlencode impact=4 --data-urlencode treatment=accept
is "risk: the session's save is 409" "$STATUS" 409
has "risk: ... naming carol" "$SCRATCH/rs.b" 'id="conflict-by">carol<'
has "risk: ... what the record holds now" "$SCRATCH/rs.b" \
    '<td class="conflict-current">Saved by carol</td><td class="conflict-yours">Saved by editor</td>'
unchanged "risk: ... nothing changed, nothing logged" "$before"
t "risk: the record holds the CLI's edit" "$TILLIT" --org acme risk show R-1 --format json
out_has '"title": "Saved by carol"'
out_has '"version": 2'
stale_page risk /o/acme/risks/R-1/edit /o/acme/risks/R-1 title --data-urlencode likelihood=3 \
    --data-urlencode impact=4 --data-urlencode treatment=accept
stale_api risk /orgs/acme/risks/R-1 title admin

# --- people, vendors, policies, the system ----------------------------------------------------------
stale_page person /o/acme/people/ann@acme.example/edit /o/acme/people/ann@acme.example name
t "person: the record holds the first edit" "$TILLIT" --org acme person show ann@acme.example
out_has "^name: *Saved by admin$"
out_has "^version: *2$"
resave person /o/acme/people/ann@acme.example name
stale_api person /orgs/acme/people/ann@acme.example name editor

stale_page vendor /o/acme/vendors/aws/edit /o/acme/vendors/aws name
t "vendor: the record holds the first edit" "$TILLIT" --org acme vendor show aws
out_has "^name: *Saved by admin$"
out_has "^version: *2$"
stale_api vendor /orgs/acme/vendors/aws name admin

stale_page policy /o/acme/policies/access/edit /o/acme/policies/access title
t "policy: the record holds the first edit" "$TILLIT" --org acme policy show access
out_has "^title: *Saved by admin$"
out_has "^edits: *2$"
stale_api policy /orgs/acme/policies/access title admin

stale_page system /o/acme/scope/system /o/acme/scope/system name
t "system: the record holds the first edit" "$TILLIT" --org acme scope show
out_has "^system: *Saved by admin$"
out_has "^version: *$SAVED_VERSION$"
api sysg GET /orgs/acme/scope
is "system API: the scope has the system's version" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["system"]["version"])' "$SCRATCH/sysg.b")" "$SAVED_VERSION"
before=$(audit_count)
apijson sysp PATCH /orgs/acme/scope/system "{\"name\": \"API stale\", \"version\": $((SAVED_VERSION - 1))}"
is "system API: a stale version is 409" "$STATUS" 409
has "system API: ... naming who changed it" "$SCRATCH/sysp.b" "was changed by web:admin@acme.example"
unchanged "system API: ... nothing changed" "$before"
apijson sysq PATCH /orgs/acme/scope/system "{\"name\": \"API fresh\", \"version\": $SAVED_VERSION}"
is "system API: the current version goes through" "$STATUS" 200

# --- the scope's records ------------------------------------------------------------------------------
stale_page service /o/acme/scope/services/Svc /o/acme/scope/services/Svc description
t "service: the record holds the first edit" "$TILLIT" --org acme scope service list --format json
out_has '"description": "Saved by admin"'
out_has '"version": "2"'
resave service /o/acme/scope/services/Svc description
stale_api service /orgs/acme/scope/services/Svc description editor

stale_page component /o/acme/scope/components/software/App /o/acme/scope/components/software/App \
    description --data-urlencode in_scope=1
t "component: the record holds the first edit" "$TILLIT" --org acme scope component list --format json
out_has '"description": "Saved by admin"'
out_has '"version": "2"'
resave component /o/acme/scope/components/software/App description --data-urlencode in_scope=1
stale_api component /orgs/acme/scope/components/software/App description editor

stale_page subservice /o/acme/scope/subservices/sub /o/acme/scope/subservices/sub name \
    --data-urlencode method=carve-out
t "subservice: the record holds the first edit" "$TILLIT" --org acme scope subservice list --format json
out_has '"name": "Saved by admin"'
out_has '"version": "2"'
stale_api subservice /orgs/acme/scope/subservices/sub name admin

stale_page csoc "/o/acme/scope/csocs/$CSOC" "/o/acme/scope/csocs/$CSOC" text
t "csoc: the record holds the first edit" "$TILLIT" --org acme scope csoc list --format json
out_has '"text": "Saved by admin"'
out_has '"version": "2"'
stale_api csoc "/orgs/acme/scope/csocs/$CSOC" text admin

stale_page cuec /o/acme/scope/cuecs/CUEC-1 /o/acme/scope/cuecs/CUEC-1 text
t "cuec: the record holds the first edit" "$TILLIT" --org acme scope cuec list --format json
out_has '"text": "Saved by admin"'
out_has '"version": "2"'
resave cuec /o/acme/scope/cuecs/CUEC-1 text
stale_api cuec /orgs/acme/scope/cuecs/CUEC-1 text editor

api scj GET /orgs/acme/scope
is "scope API: every record in the scope has its version" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["services"][0]["version"], d["components"][0]["version"], d["subservice_orgs"][0]["version"], d["subservice_orgs"][0]["csocs"][0]["version"], d["cuecs"][0]["version"])' "$SCRATCH/scj.b")" \
    "6 6 5 5 6"
api s404 GET /orgs/acme/scope/services/Nope
is "scope API: a service that does not exist is 404" "$STATUS" 404
api c404 GET /orgs/acme/scope/csocs/zzzz
is "scope API: ... a CSOC too" "$STATUS" 404
TOKEN=$("$TILLIT" user token other@beta.example)
api sob GET /orgs/acme/scope/services/Svc
is "scope API: another organization's user gets 404" "$STATUS" 404
hasnt "... and no ETag" "$SCRATCH/sob.h" "ETag"
TOKEN=$("$TILLIT" user token viewer@acme.example)
api svw GET /orgs/acme/scope/cuecs/CUEC-1
is "scope API: a viewer reads a record with its ETag" "$(etag_of svw)" 6
apijson svp PATCH /orgs/acme/scope/cuecs/CUEC-1 '{"text": "x", "version": 6}'
is "scope API: ... but may not change it" "$STATUS" 403
TOKEN=$("$TILLIT" user token editor@acme.example)

# A CSOC edited by its id's first characters is the same record.
pfx=$(printf '%s' "$CSOC" | cut -c1-8)
apijson cpf PATCH "/orgs/acme/scope/csocs/$pfx" '{"text": "By prefix", "version": 1}'
is "csoc API: a stale version through an id prefix is 409 too" "$STATUS" 409

# --- plan tasks ------------------------------------------------------------------------------------
as editor
get pp /o/acme/plan
has "plan: the Done button carries the task's version" "$SCRATCH/pp.b" \
    'name="status" value="done"><input type="hidden" name="version" value="1">'
get te /o/acme/plan/tasks/scope
tv=$(version_of "$SCRATCH/te.b")
is "task: the edit form carries version 1" "$tv" 1
as admin
post ta /o/acme/plan/tasks/scope --data-urlencode "version=$tv" --data-urlencode status=doing
is "task: the first save goes through" "$STATUS" 303
before=$(audit_count)
as editor
post ts /o/acme/plan/tasks/scope --data-urlencode "version=$tv" --data-urlencode status=done
is "task: the second save, based on version 1, is 409" "$STATUS" 409
has "task: ... the form again" "$SCRATCH/ts.b" 'id="task-submit"'
has "task: ... naming who changed it" "$SCRATCH/ts.b" 'id="conflict-by">web:admin@acme.example<'
has "task: ... the version now" "$SCRATCH/ts.b" 'id="conflict-version">2<'
has "task: ... the status differs" "$SCRATCH/ts.b" 'id="conflict-status"'
unchanged "task: ... nothing changed, nothing logged" "$before"
post td /o/acme/plan/tasks/scope --data-urlencode "version=$tv" --data-urlencode status=done
is "task: a stale Done button is 409 too" "$STATUS" 409
t "task: the task is still in progress" "$TILLIT" --org acme plan show --format json
keep plan.json
is "task: ... at version 2" "$(python3 -c 'import json,sys; t=[t for t in json.load(open(sys.argv[1]))["tasks"] if t["code"]=="scope"][0]; print(t["status"], t["version"])' "$SCRATCH/plan.json")" "doing 2"
post tr /o/acme/plan/tasks/scope --data-urlencode "version=2" --data-urlencode status=done
is "task: saving again on the current version goes through" "$STATUS" 303

api tg GET /orgs/acme/plan/tasks/gap
is "task API: GET one task" "$STATUS" 200
is "task API: ... with its version" "$(json_of tg version)" 1
is "task API: ... as the ETag" "$(etag_of tg)" 1
before=$(audit_count)
req tp1 -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -H 'If-Match: "1"' --data-binary '{"status": "doing"}' "$URL/api/v1/orgs/acme/plan/tasks/gap"
is "task API: the current version as If-Match goes through" "$STATUS" 200
is "task API: ... the answer is the task" "$(json_of tp1 code)" gap
is "task API: ... with the next version as the ETag" "$(etag_of tp1)" 2
apijson tp2 PATCH /orgs/acme/plan/tasks/gap '{"status": "done", "version": 1}'
is "task API: a stale version is 409" "$STATUS" 409
has "task API: ... a problem naming who changed it" "$SCRATCH/tp2.b" \
    "plan_task 'gap' was changed by api:editor@acme.example"
is "task API: ... with the current version" "$(json_of tp2 version)" 2
unchanged "task API: ... and only the first PATCH was logged" "$((before + 1))"
apijson tp3 PATCH /orgs/acme/plan/tasks/gap '{"status": "done"}'
is "task API: no version: the last writer wins" "$STATUS" 200
is "task API: ... and the version counts it" "$(json_of tp3 version)" 3
api tnf GET /orgs/acme/plan/tasks/nope
is "task API: a task that does not exist is 404" "$STATUS" 404

t "the audit log still verifies" "$TILLIT" audit verify
stop_clean
done_testing
