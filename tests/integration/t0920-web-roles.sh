#!/bin/sh
# Authorization of every route: a request for each route of the route table
# (src/web/router.c, read at test time, so a new route is covered the day it
# is added), GET and POST alike, pages and API, as each role of acme and as
# a member of another organization, and anonymously:
#   allowed by the role   -> never 403 or 404 (nor a 5xx)
#   refused by the role   -> 403
#   APP_ENGAGE routes     -> every role reads (the auditor with access); a
#                            viewer gets 403 on every change; other changes
#                            are the app's to refuse (t0924 and t1050)
#   not a member of acme  -> 404, and no data of acme in the body
#   anonymous             -> 303 to the login (pages) or 401 (API)
# Forbidden requests carry the right CSRF token, so the 403 is the role's.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"
. "$TDIR/web-forms-lib.sh"

ROUTER="${TILLIT_SRC:-}/src/web/router.c"
if [ ! -f "$ROUTER" ]; then
    echo "1..0 # SKIP needs TILLIT_SRC for the route table"
    exit 0
fi

printf 'evidence\n' >"$SCRATCH/e.txt"
printf 'id,name\n1,ann\n' >"$SCRATCH/d.csv"
{ "$TILLIT" init && "$TILLIT" org create acme --name 'Acme Secretorg' && "$TILLIT" org create beta --name Beta &&
  "$TILLIT" person add ann@acme.example --name 'Ann Andersson' --approver --org acme &&
  "$TILLIT" control add C-1 --title 'Backups' --org acme && "$TILLIT" control map C-1 CC6.1 --org acme &&
  "$TILLIT" risk add R-1 --title 'Flood' --likelihood 2 --impact 2 --treatment accept --org acme &&
  "$TILLIT" risk link R-1 --control C-1 --org acme &&
  "$TILLIT" policy new pol --template access-control --org acme &&
  "$TILLIT" vendor add ven --name Vendor --org acme &&
  "$TILLIT" scope service add Svc --org acme && "$TILLIT" scope component add software App --org acme &&
  "$TILLIT" scope subservice add sub --name Sub --method carve-out --org acme &&
  "$TILLIT" scope csoc add sub --text 'They lock doors' --org acme &&
  "$TILLIT" scope cuec add CUEC-1 --text 'Customers manage users' --org acme &&
  "$TILLIT" gap na CC9.2 --reason 'no vendors' --org acme &&
  "$TILLIT" plan --start 2026-03-02 --target type2 --org acme &&
  "$TILLIT" evidence add "$SCRATCH/e.txt" --control C-1 --org acme &&
  "$TILLIT" data load ds "$SCRATCH/d.csv" --kind csv --org acme &&
  "$TILLIT" framework import "$TILLIT_SRC/tests/data/oscal/sample-catalog.json" --org acme &&
  setup_users
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
# An engagement the auditor has access to (APP_ENGAGE routes).
{ "$TILLIT" engagement create --kind type2 --period 2026-01-01..2026-06-30 --slug y2026 --org acme &&
  "$TILLIT" test plan y2026 --org acme &&
  "$TILLIT" engagement auditor add y2026 auditor@acme.example --until 2026-12-31 --org acme &&
  "$TILLIT" finding add y2026:C-1 --title 'A finding' --severity low --org acme &&
  "$TILLIT" remediation add F-1 --action 'Fix it' --org acme &&
  "$TILLIT" pbc add y2026 --request 'A list' --org acme
} >/dev/null || { echo "Bail out! engagement setup failed"; exit 1; }
EVID=$("$TILLIT" evidence list --org acme --format csv | sed -n 2p | cut -d, -f1)
CSOC=$("$TILLIT" scope csoc list --org acme --format csv | sed -n 2p | cut -d, -f1)
TASK=$("$TILLIT" plan show --org acme --format csv | sed -n 2p | cut -d, -f1)
for r in admin editor contributor auditor viewer; do
    eval "TOKEN_$r=\$(\"\$TILLIT\" user token $r@acme.example)"
done
TOKEN_other=$("$TILLIT" user token other@beta.example)
start_server --max-seconds 280

# The routes: "METHOD#PATTERN#FLAGS#ACTION" lines.
sed -n 's/^ *{"\([A-Z]*\)", "\([^"]*\)", [a-z_]*, \([^,]*\), \(APP_[A-Z]*\)},.*/\1#\2#\3#\4/p' "$ROUTER" \
    >"$SCRATCH/routes"
n=$(wc -l <"$SCRATCH/routes")
if [ "$n" -gt 100 ]; then ok "the route table has $n routes"; else not_ok "the route table has $n routes"; fi

# A concrete path for a pattern, with the records made above.
concrete() {
    printf '%s\n' "$1" | sed \
        -e 's|{org}|acme|' \
        -e 's|/engagements/{eng}|/engagements/y2026|' \
        -e 's|/tests/{test}|/tests/C-1|' \
        -e 's|/findings/{code}|/findings/F-1|' \
        -e 's|/remediation/{code}|/remediation/REM-1|' \
        -e 's|/requests/{ref}|/requests/PBC-001|' \
        -e 's|/auditors/{email}|/auditors/auditor@acme.example|' \
        -e 's|/controls/{code}/criteria/{criterion}|/controls/C-1/criteria/CC6.1|' \
        -e 's|/controls/{code}|/controls/C-1|' \
        -e 's|/risks/{code}/controls/{control}|/risks/R-1/controls/C-1|' \
        -e 's|/risks/{code}|/risks/R-1|' \
        -e "s|/plan/tasks/{code}|/plan/tasks/$TASK|" \
        -e 's|/cuecs/{code}|/cuecs/CUEC-1|' \
        -e 's|/criteria/{id}|/criteria/CC6.1|' \
        -e "s|/evidence/{id}|/evidence/$EVID|" \
        -e "s|/csocs/{id}|/csocs/$CSOC|" \
        -e 's|/policies/{slug}|/policies/pol|' \
        -e 's|/vendors/{slug}|/vendors/ven|' \
        -e 's|/subservices/{slug}|/subservices/sub|' \
        -e 's|/people/{email}|/people/ann@acme.example|' \
        -e 's|/services/{name}|/services/Svc|' \
        -e 's|/components/{kind}/{name}|/components/software/App|' \
        -e 's|/categories/{category}|/categories/availability|' \
        -e 's|/gap/na/{target}|/gap/na/CC9.2|' \
        -e 's|/checks/{id}|/checks/aws-root-mfa|' \
        -e 's|/datasets/{name}|/datasets/ds|' \
        -e 's|/reports/{kind}|/reports/risks?format=md|' \
        -e 's|/frameworks/{slug}|/frameworks/example-security-controls|'
}

# allowed ROLE ACTION METHOD
# APP_ENGAGE: every role passes the gate, and the app decides within the
# engagement (app_eng_authz): every role reads it (the auditor with the
# access granted above); a viewer changes nothing.
allowed() {
    case "$2" in
    APP_READ) [ "$1" != auditor ] ;;
    APP_ENGAGE) [ "$3" = GET ] || [ "$1" != viewer ] ;;
    APP_CONTRIBUTE) [ "$1" = admin ] || [ "$1" = editor ] || [ "$1" = contributor ] ;;
    APP_EDIT) [ "$1" = admin ] || [ "$1" = editor ] ;;
    APP_WORKPAPER) [ "$1" = admin ] || [ "$1" = auditor ] ;;
    APP_ADMIN) [ "$1" = admin ] ;;
    *) return 1 ;;
    esac
}

# call ROLE METHOD PATH API: one request as ROLE ("anon" for none); the
# response is $SCRATCH/m-ROLE.b, the status $STATUS.
call() {
    role=$1; method=$2; path=$3; isapi=$4
    out=m-$role
    if [ "$role" = anon ]; then
        if [ "$method" != GET ]; then req "$out" -X "$method" -d x=1 "$URL$path"; else req "$out" "$URL$path"; fi
    elif [ "$isapi" = 1 ]; then
        eval "tok=\$TOKEN_$role"
        if [ "$method" != GET ]; then
            req "$out" -X "$method" -H "Authorization: Bearer $tok" -H "Content-Type: application/json" \
                --data-binary '{}' "$URL$path"
        else
            req "$out" -H "Authorization: Bearer $tok" "$URL$path"
        fi
    else
        J=$SCRATCH/jar-$role
        TOK=$(cat "$J.tok")
        if [ "$method" != GET ]; then
            req "$out" -X "$method" -b "$J" --data-urlencode "csrf=$TOK" "$URL$path"
        else
            req "$out" -b "$J" "$URL$path"
        fi
    fi
}

# destroys METHOD PATH: whether the request removes a record.
destroys() {
    [ "$1" = DELETE ] && return 0
    case "$2" in */delete | */unmap | */unlink | */applicable) return 0 ;; esac
    return 1
}

# sweep PASS ROLE: every route of the table for one role; a line per
# request in $SCRATCH/res.PASS.ROLE, "ok" or what went wrong.
#   refuse   the requests the role must be refused, and "other" (404)
#            and "anon": they change nothing, so all roles run at once
#   allow    the requests the role may make that keep the records
#   destroy  those that remove records, last (then 404 is fine: a record
#            removed by an earlier route or role is gone for the next)
sweep() {
    pass=$1; role=$2
    res=$SCRATCH/res.$pass.$role
    : >"$res"
    while IFS='#' read -r method pattern flags action; do
        case "$pattern" in
        /static/* | /healthz | /login | /logout | /) continue ;;
        esac
        case "$flags" in *ORG* | O | A | "O | WEB_UPLOAD" | "A | WEB_UPLOAD") ;; *) continue ;; esac
        isapi=0
        case "$pattern" in /api/*) isapi=1 ;; esac
        path=$(concrete "$pattern")
        what="$method $path as $role"
        if [ "$role" = anon ]; then
            want=303
            [ "$isapi" = 1 ] && want=401
            call anon "$method" "$path" "$isapi"
            if [ "$STATUS" = "$want" ]; then echo ok; else echo "$what: got $STATUS, want $want"; fi >>"$res"
        elif [ "$role" = other ]; then
            call other "$method" "$path" "$isapi"
            # The 404 page names only its own path (the language links).
            if [ "$STATUS" = 404 ] && ! grep -q "Secretorg\|Backups\|Flood\|Customers manage" "$SCRATCH/m-other.b"; then
                echo ok
            else
                echo "$what: got $STATUS, want 404 without data"
            fi >>"$res"
        elif allowed "$role" "$action" "$method"; then
            [ $pass = refuse ] && continue
            if destroys "$method" "$path"; then [ $pass = destroy ] || continue; else [ $pass = allow ] || continue; fi
            call "$role" "$method" "$path" "$isapi"
            case "$STATUS" in
            403) if [ "$action" = APP_ENGAGE ] && [ "$method" != GET ]; then echo ok; else echo "$what: got 403, want it allowed"; fi ;;
            5*) echo "$what: got $STATUS, want it allowed" ;;
            404) if [ $pass = destroy ]; then echo ok; else echo "$what: got 404, want it allowed"; fi ;;
            *) echo ok ;;
            esac >>"$res"
        else
            [ $pass = refuse ] || continue
            call "$role" "$method" "$path" "$isapi"
            if [ "$STATUS" = 403 ]; then echo ok; else echo "$what: got $STATUS, want 403"; fi >>"$res"
        fi
    done <"$SCRATCH/routes"
}

for role in viewer auditor contributor other editor admin; do
    as "$role" # logs in once, before the sweeps run side by side
done
pids=""
for role in viewer auditor contributor other editor admin anon; do
    sweep refuse "$role" &
    pids="$pids $!"
done
wait $pids
sweep allow editor & p1=$!
sweep allow admin & p2=$!
wait $p1 $p2
sweep destroy editor
sweep destroy admin
cat "$SCRATCH"/res.* >"$SCRATCH/results"
checked=$(wc -l <"$SCRATCH/results" | tr -d ' ')
grep -v '^ok$' "$SCRATCH/results" | sed 's/^/# /' | head -40
fails=$(grep -vc '^ok$' "$SCRATCH/results")
is "every route as every role answers as its action says ($checked requests)" "$fails" 0
if [ "$checked" -gt 900 ]; then ok "... as many requests as routes times roles"; else not_ok "... as many requests as routes times roles ($checked)"; fi

stop_clean
done_testing
