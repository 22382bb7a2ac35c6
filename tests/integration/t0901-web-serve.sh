#!/bin/sh
# tillit serve and tillit user: options, stopping, accounts and their audit.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"

"$TILLIT" init >/dev/null && "$TILLIT" org create acme --name Acme >/dev/null &&
    "$TILLIT" org create beta --name Beta >/dev/null || { echo "Bail out! setup failed"; exit 1; }

t_exit 2 "serve refuses a bad --listen" "$TILLIT" serve --listen nonsense
err_has "needs HOST:PORT"
t_exit 2 "serve refuses a bad port" "$TILLIT" serve --listen 127.0.0.1:99999
t_exit 2 "serve refuses --max-seconds 0" "$TILLIT" serve --max-seconds 0

t "user add generates a password" "$TILLIT" user add ann@example.com --role editor --org acme
out_has "created user 'ann@example.com'"
out_has "password: "
PW=$(sed -n 's/^password: //p' "$SCRATCH/out")
t_exit 2 "a duplicate user is refused" "$TILLIT" user add ANN@example.com
err_has "already exists"
t_exit 2 "an unknown role is refused" "$TILLIT" user add bo@example.com --role boss --org acme
err_has "unknown role"
t_exit 2 "without --org and several organizations, a role needs --org" "$TILLIT" user add bo@example.com --role viewer
t "user list shows nothing about bo" "$TILLIT" user list --format csv
out_has "ann@example.com"
if grep -q bo@ "$SCRATCH/out"; then not_ok "a refused add left no user"; else ok "a refused add left no user"; fi
printf 'short\n' >"$SCRATCH/pw"
t_exit 2 "a short password is refused" sh -c "\"$TILLIT\" user add cy@example.com --password-stdin <\"$SCRATCH/pw\""
err_has "at least 10 characters"

t "grant a second organization" "$TILLIT" user grant ann@example.com --org beta --role auditor
t "user list shows both roles" "$TILLIT" user list --format json
out_has '"roles": "acme:editor,beta:auditor"'
t "revoke it" "$TILLIT" user revoke ann@example.com --org beta
t_exit 2 "revoking again is refused" "$TILLIT" user revoke ann@example.com --org beta
err_has "is not a member"
t "the audit log has the grants" "$TILLIT" audit log --chain beta
out_has "member.grant"
out_has "member.revoke"
t "the installation chain has the user" "$TILLIT" audit log --chain installation --format json
out_has "user.add"
if grep -q argon2 "$SCRATCH/out"; then not_ok "no password hash in the audit log"; else ok "no password hash in the audit log"; fi
t "the chain verifies" "$TILLIT" audit verify

# --- the server stops by itself, and on SIGTERM, cleanly ---------------------------------
start=$(date +%s)
t "serve --max-seconds 1 stops by itself with exit 0" "$TILLIT" serve --listen 127.0.0.1:0 --max-seconds 1 --quiet
end=$(date +%s)
if [ $((end - start)) -le 10 ]; then ok "... promptly"; else not_ok "... promptly ($((end - start)) s)"; fi

start_server
req health "$URL/healthz"
is "healthz answers" "$STATUS" 200
login "$SCRATCH/jar" ann@example.com "$PW"
is "the generated password logs in" "$STATUS" 303
req home -b "$SCRATCH/jar" "$URL/"
is "home with one organization redirects to it" "$(sed -n 's/^Location: //p' "$SCRATCH/home.h" | tr -d '\r')" "/o/acme"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
is "SIGTERM stops the server with exit 0" "$?" 0
SERVER_PID=""
if grep -qi "error\|leak" "$SCRATCH/serve.err"; then not_ok "a clean stop (no errors, no leaks)"; sed 's/^/# /' "$SCRATCH/serve.err"; else ok "a clean stop (no errors, no leaks)"; fi

# --- --content DIR overrides embedded files, templates and static alike -------------------
mkdir -p "$SCRATCH/content/static" "$SCRATCH/content/templates"
printf 'body { color: black } /* override-marker */\n' >"$SCRATCH/content/static/app.css"
sed 's|</main>|<p id="override-marker"></p></main>|' "${TILLIT_SRC:-$(dirname "$0")/../..}/content/templates/layout.html" \
    >"$SCRATCH/content/templates/layout.html"
printf '#!/bin/sh\nexec "%s" --content "%s" "$@"\n' "$TILLIT" "$SCRATCH/content" >"$SCRATCH/tillit-content"
chmod +x "$SCRATCH/tillit-content"
real_tillit=$TILLIT
TILLIT=$SCRATCH/tillit-content
start_server
TILLIT=$real_tillit
i=0
while [ $i -lt 5 ]; do
    req css$i "$URL/static/app.css"
    i=$((i + 1))
done
if cat "$SCRATCH"/css[0-4].b | grep -c override-marker | grep -qx 5; then
    ok "an overridden static file is served from --content, every time"
else
    not_ok "an overridden static file is served from --content, every time"
fi
login "$SCRATCH/jar2" ann@example.com "$PW"
req over -b "$SCRATCH/jar2" "$URL/o/acme"
has "... and an overridden template is used" "$SCRATCH/over.b" 'id="override-marker"'
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=""

# --- docs/openapi.yaml describes every API route the server has ----------------------------
if [ -n "${TILLIT_SRC:-}" ] && [ -f "$TILLIT_SRC/docs/openapi.yaml" ]; then
    for r in $(sed -n 's/.*"\(GET\|POST\)", "\/api\/v1\([^"]*\)".*/\2/p' "$TILLIT_SRC/src/web/router.c"); do
        if grep -q "^  $r:" "$TILLIT_SRC/docs/openapi.yaml"; then ok "openapi.yaml has $r"; else not_ok "openapi.yaml has $r"; fi
    done
    if python3 -c "import yaml, sys; d = yaml.safe_load(open(sys.argv[1])); sys.exit(0 if d['openapi'] == '3.1.0' and d['paths'] else 1)" "$TILLIT_SRC/docs/openapi.yaml" 2>/dev/null; then
        ok "openapi.yaml parses as OpenAPI 3.1"
    else
        not_ok "openapi.yaml parses as OpenAPI 3.1"
    fi
fi

done_testing
