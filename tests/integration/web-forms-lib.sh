# web-forms-lib.sh - helpers for the form tests (t091x-t094x): users of
# every role, a logged-in session per role with its CSRF token, and short
# ways to GET, POST a form and call the API.  Sourced after web-lib.sh.

PW='correct horse battery'

# setup_users: one user per role in acme, and other@beta.example, admin of
# beta only (a member of another organization).
setup_users() {
    for r in admin editor contributor auditor viewer; do
        echo "$PW" | "$TILLIT" user add "$r@acme.example" --role "$r" --org acme --password-stdin \
            >/dev/null || return 1
    done
    echo "$PW" | "$TILLIT" user add other@beta.example --role admin --org beta --password-stdin \
        >/dev/null
}

# as ROLE: logs in once as ROLE@acme.example ("other": other@beta.example);
# then J is the cookie jar and TOK the session's CSRF token.
as() {
    J=$SCRATCH/jar-$1
    if [ ! -s "$J.tok" ]; then
        email="$1@acme.example"
        [ "$1" = other ] && email=other@beta.example
        login "$J" "$email" "$PW"
        [ "$STATUS" = 303 ] || { echo "Bail out! cannot log in as $1 ($STATUS)"; exit 1; }
        req tokpage -b "$J" "$URL/orgs"
        csrf_of "$SCRATCH/tokpage.b" >"$J.tok"
    fi
    TOK=$(cat "$J.tok")
}

# get NAME PATH [CURL-ARGS]: GET with the current session.
get() { name=$1; path=$2; shift 2; req "$name" -b "$J" "$@" "$URL$path"; }

# post NAME PATH [CURL-ARGS]: POST a form with the session and its token.
post() { name=$1; path=$2; shift 2; req "$name" -b "$J" --data-urlencode "csrf=$TOK" "$@" "$URL$path"; }

# nocsrf NAME PATH [CURL-ARGS]: the same POST without the token.
nocsrf() { name=$1; path=$2; shift 2; req "$name" -b "$J" "$@" "$URL$path"; }

# api NAME METHOD PATH [CURL-ARGS]: the API with the bearer token in $TOKEN.
api() {
    name=$1; method=$2; path=$3; shift 3
    req "$name" -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "$URL/api/v1$path"
}

# apijson NAME METHOD PATH JSON: the API with a JSON body.
apijson() {
    name=$1; method=$2; path=$3; body=$4
    req "$name" -X "$method" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        --data-binary "$body" "$URL/api/v1$path"
}

# location NAME: the Location header of a response.
location() { sed -n 's/^[Ll]ocation: //p' "$SCRATCH/$1.h" | tr -d '\r'; }

# audit_count: entries in acme's audit chain (to show a refused form changed nothing).
audit_count() { "$TILLIT" audit log --chain acme --format csv | wc -l; }

# unchanged DESC BEFORE: passes when acme's audit chain has BEFORE lines still.
unchanged() { is "$1" "$(audit_count)" "$2"; }

# stop_clean: stops the server with SIGTERM and checks that it stopped with
# exit 0 and that the sanitizers (a debug build) reported nothing.
stop_clean() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    is "the server stops cleanly" "$?" 0
    SERVER_PID=""
    if grep -q "Sanitizer\|runtime error" "$SCRATCH/serve.err"; then
        not_ok "no sanitizer reports"
        grep -A12 "Sanitizer\|runtime error" "$SCRATCH/serve.err" | head -40 | sed 's/^/# /'
    else
        ok "no sanitizer reports"
    fi
}
