# web-lib.sh - helpers for the web tests (t09xx): a server of the test's own
# on 127.0.0.1 and a free port it picks itself (--listen 127.0.0.1:0), which
# stops by itself after --max-seconds and is killed when the test exits.
# Sourced after lib.sh.

if ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP curl is not installed (scripts/install-deps adds it)"
    exit 0
fi

SERVER_PID=""
trap 'if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi; t_cleanup' EXIT

# start_server [ARGS...]: starts 'tillit serve' and sets URL.
start_server() {
    "$TILLIT" serve --listen 127.0.0.1:0 --max-seconds 60 --quiet "$@" \
        >"$SCRATCH/serve.out" 2>"$SCRATCH/serve.err" &
    SERVER_PID=$!
    URL=""
    i=0
    while [ $i -lt 100 ] && [ -z "$URL" ]; do
        URL=$(sed -n 's/^tillit: listening on //p' "$SCRATCH/serve.out" 2>/dev/null)
        [ -n "$URL" ] || sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$URL" ]; then
        echo "Bail out! the server did not start"
        sed 's/^/# /' "$SCRATCH/serve.err"
        exit 1
    fi
}

# req NAME CURL-ARGS...: runs curl; headers in $SCRATCH/NAME.h, body in
# $SCRATCH/NAME.b, status in $STATUS.
req() {
    name=$1; shift
    STATUS=$(curl -s -o "$SCRATCH/$name.b" -D "$SCRATCH/$name.h" -w '%{http_code}' "$@")
}

# is DESC GOT WANT
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi; }

# has DESC FILE PATTERN / hasnt DESC FILE PATTERN (fixed strings)
has() { if grep -qiF -- "$3" "$2"; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$2" | head -15; fi; }
hasnt() { if grep -qiF -- "$3" "$2"; then not_ok "$1"; grep -iF -- "$3" "$2" | sed 's/^/# /' | head -5; else ok "$1"; fi; }

# csrf_of FILE: the value of the first hidden csrf field of a page.
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }

# login JAR EMAIL PASSWORD: fetches the form, posts it; status in $STATUS.
login() {
    req loginform -c "$1" -b "$1" "$URL/login"
    tok=$(csrf_of "$SCRATCH/loginform.b")
    req login -c "$1" -b "$1" --data-urlencode "csrf=$tok" --data-urlencode "email=$2" \
        --data-urlencode "password=$3" "$URL/login"
}
