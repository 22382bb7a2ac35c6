#!/bin/sh
# tillit serve: login, sessions and their cookies, CSRF, security headers,
# escaping, cross-organization isolation (pages and API), rate limiting.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"

PW='correct horse battery'
{ "$TILLIT" init && "$TILLIT" org create acme --name 'Acme <script>alert(1)</script>' &&
  "$TILLIT" org create beta --name 'Beta secret' &&
  echo "$PW" | "$TILLIT" user add alice@example.com --role admin --org acme --password-stdin &&
  echo "$PW" | "$TILLIT" user add bob@example.com --role viewer --org beta --password-stdin &&
  echo "$PW" | "$TILLIT" user add carol@example.com --role viewer --org acme --password-stdin
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token alice@example.com)
start_server

# --- headers on every response ----------------------------------------------
for path in /login /static/app.css /nope /api/v1/orgs; do
    req h "$URL$path"
    has "CSP on $path" "$SCRATCH/h.h" "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    has "nosniff on $path" "$SCRATCH/h.h" "X-Content-Type-Options: nosniff"
    has "referrer policy on $path" "$SCRATCH/h.h" "Referrer-Policy: strict-origin-when-cross-origin"
    has "frame options on $path" "$SCRATCH/h.h" "X-Frame-Options: DENY"
done

# --- anonymous ----------------------------------------------------------------
req anon "$URL/o/acme"
is "a page without login redirects to the login" "$STATUS" 303
has "... and back afterwards" "$SCRATCH/anon.h" "Location: /login?next=%2Fo%2Facme"
req anonapi "$URL/api/v1/orgs"
is "the API without credentials is 401" "$STATUS" 401
has "... as problem+json" "$SCRATCH/anonapi.h" "Content-Type: application/problem+json"
has "... with a status member" "$SCRATCH/anonapi.b" '"status": 401'

# --- CSRF on the login form ----------------------------------------------------
J=$SCRATCH/jar
req f -c "$J" -b "$J" "$URL/login"
req nocsrf -c "$J" -b "$J" --data-urlencode email=alice@example.com --data-urlencode "password=$PW" "$URL/login"
is "login without its CSRF token is 403" "$STATUS" 403
req badcsrf -c "$J" -b "$J" --data-urlencode csrf=0123456789abcdef0123456789abcdef0123456789abcdef \
    --data-urlencode email=alice@example.com --data-urlencode "password=$PW" "$URL/login"
is "login with a wrong CSRF token is 403" "$STATUS" 403
hasnt "... and sets no session" "$SCRATCH/badcsrf.h" "tillit_session="

# --- log in; session fixation ------------------------------------------------------
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\ttillit_session\t%s\n' \
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >"$J"
login "$J" alice@example.com "$PW"
is "login succeeds with a redirect" "$STATUS" 303
has "session cookie is HttpOnly and SameSite=Lax" "$SCRATCH/login.h" "; Path=/; HttpOnly; SameSite=Lax"
hasnt "... and not Secure over plain http" "$SCRATCH/login.h" "Secure"
hasnt "the planted session id is not kept" "$SCRATCH/login.h" "tillit_session=aaaaaaaa"
S1=$(grep -o 'tillit_session=[0-9a-f]\{64\}' "$SCRATCH/login.h" | tail -1 | cut -d= -f2)
is "a new 64-digit session id is issued" "${#S1}" 64

req dash -b "$J" "$URL/o/acme"
is "the dashboard is 200" "$STATUS" 200
has "the organization name is escaped" "$SCRATCH/dash.b" "Acme &lt;script&gt;alert(1)&lt;/script&gt;"
hasnt "... and never raw" "$SCRATCH/dash.b" "<script>alert(1)"
has "a skip link" "$SCRATCH/dash.b" 'class="skip" href="#main"'
has "a main landmark" "$SCRATCH/dash.b" '<main id="main"'
has "no-store on pages" "$SCRATCH/dash.h" "Cache-Control: no-store"

# Logging in while logged in (a second tab, a shared computer) ends the
# old session and starts a new one.
req f2 -c "$SCRATCH/jar3" "$URL/login"
PRE=$(grep -o 'tillit_pre	[0-9a-f]*' "$SCRATCH/jar3" | cut -f2)
T2=$(csrf_of "$SCRATCH/f2.b")
req login -b "tillit_pre=$PRE; tillit_session=$S1" --data-urlencode "csrf=$T2" \
    --data-urlencode email=alice@example.com --data-urlencode "password=$PW" "$URL/login"
is "logging in again succeeds" "$STATUS" 303
S2=$(grep -o 'tillit_session=[0-9a-f]\{64\}' "$SCRATCH/login.h" | tail -1 | cut -d= -f2)
if [ -n "$S2" ] && [ "$S2" != "$S1" ]; then ok "... and rotates the session id"; else not_ok "... and rotates the session id"; fi
req old -b "tillit_session=$S1" "$URL/o/acme"
is "the previous session id no longer works" "$STATUS" 303
J=$SCRATCH/jar4
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\ttillit_session\t%s\n' "$S2" >"$J"

# --- CSRF on forms of a session ------------------------------------------------------
req audit -b "$J" "$URL/o/acme/audit"
TOK=$(csrf_of "$SCRATCH/audit.b")
is "the audit page carries a CSRF token" "${#TOK}" 64
req v1 -b "$J" -X POST "$URL/o/acme/audit/verify"
is "verify without a CSRF token is 403" "$STATUS" 403
req v2 -b "$J" --data-urlencode "csrf=${TOK}x" "$URL/o/acme/audit/verify"
is "verify with a wrong CSRF token is 403" "$STATUS" 403
req v3 -b "$J" --data-urlencode "csrf=$TOK" "$URL/o/acme/audit/verify"
is "verify with the token is 200" "$STATUS" 200
has "... and reports the chain intact" "$SCRATCH/v3.b" "Chain intact"

# --- other organizations: 404, never data -----------------------------------------------------
req beta -b "$J" "$URL/o/beta"
is "another organization's page is 404" "$STATUS" 404
hasnt "... without its name" "$SCRATCH/beta.b" "Beta secret"
req none -b "$J" "$URL/o/nosuch"
is "a missing organization is 404 too" "$STATUS" 404
# The pages differ only in their own path (the language links).
sed 's/nosuch/beta/g' "$SCRATCH/none.b" >"$SCRATCH/none2.b"
if cmp -s "$SCRATCH/beta.b" "$SCRATCH/none2.b"; then ok "... with the same page (no existence oracle)"; else not_ok "... with the same page (no existence oracle)"; fi
for p in /o/beta/criteria /o/beta/controls /o/beta/people /o/beta/audit "/o/beta/controls?format=csv"; do
    req x -b "$J" "$URL$p"
    is "GET $p is 404" "$STATUS" 404
done
req xpost -b "$J" --data-urlencode "csrf=$TOK" "$URL/o/beta/audit/verify"
is "POST to another organization is 404" "$STATUS" 404

# --- the API --------------------------------------------------------------------------------------------
req api -H "Authorization: Bearer $TOKEN" "$URL/api/v1/orgs"
is "the API with a token is 200" "$STATUS" 200
has "... lists acme" "$SCRATCH/api.b" '"slug": "acme"'
hasnt "... and not beta" "$SCRATCH/api.b" "beta"
for p in /api/v1/orgs/beta /api/v1/orgs/beta/criteria /api/v1/orgs/beta/controls /api/v1/orgs/beta/audit; do
    req x -H "Authorization: Bearer $TOKEN" "$URL$p"
    is "GET $p is 404" "$STATUS" 404
    has "... as problem+json" "$SCRATCH/x.h" "application/problem+json"
done
req crit -H "Authorization: Bearer $TOKEN" "$URL/api/v1/orgs/acme/criteria?category=security"
is "criteria through the API" "$STATUS" 200
has "... with CC6.1" "$SCRATCH/crit.b" '"id": "CC6.1"'
req badtok -H "Authorization: Bearer tlt_0000" "$URL/api/v1/orgs"
is "an unknown token is 401" "$STATUS" 401
req apisess -b "$J" "$URL/api/v1/orgs/acme/audit"
is "the API also accepts the session" "$STATUS" 200
req apicsrf -b "$J" -X POST "$URL/api/v1/orgs/acme/audit/verify"
is "an API POST with a session but no CSRF header is 403" "$STATUS" 403
req apitokpost -H "Authorization: Bearer $TOKEN" -X POST "$URL/api/v1/orgs/acme/audit/verify"
is "an API POST with a token needs no CSRF token" "$STATUS" 200
has "... and verifies" "$SCRATCH/apitokpost.b" '"ok": true'

# --- exports ---------------------------------------------------------------------------------------------
req csv -b "$J" "$URL/o/acme/criteria?format=csv"
is "criteria as CSV" "$STATUS" 200
has "... text/csv" "$SCRATCH/csv.h" "Content-Type: text/csv"
has "... as a download" "$SCRATCH/csv.h" 'attachment; filename="acme-criteria.csv"'
has "... with a header row" "$SCRATCH/csv.b" "id,category,series,title,points_of_focus,controls"
req ajson -b "$J" "$URL/o/acme/audit?format=json"
is "audit log as JSON" "$STATUS" 200
has "... with org.create" "$SCRATCH/ajson.b" '"action": "org.create"'

# --- language ----------------------------------------------------------------------------------------------
req sv "$URL/login?lang=sv"
has "Swedish with ?lang=sv" "$SCRATCH/sv.b" "Logga in"
has "... html lang" "$SCRATCH/sv.b" '<html lang="sv">'

# --- Secure cookies behind TLS -------------------------------------------------------------------------------
req tls -H "X-Forwarded-Proto: https" "$URL/login"
has "cookies are Secure when the client sees https" "$SCRATCH/tls.h" "SameSite=Lax; Max-Age=3600; Secure"

# --- logout ------------------------------------------------------------------------------------------------
req dash2 -b "$J" "$URL/o/acme"
TOK=$(csrf_of "$SCRATCH/dash2.b")
req out -b "$J" -c "$J" --data-urlencode "csrf=$TOK" "$URL/logout"
is "logout redirects" "$STATUS" 303
req after -b "tillit_session=$S2" "$URL/o/acme"
is "the session is gone after logout" "$STATUS" 303

# --- rate limiting --------------------------------------------------------------------------------------------
K=$SCRATCH/jar2
for i in 1 2 3 4 5; do
    login "$K" carol@example.com "wrong password $i"
    is "wrong password $i is 403" "$STATUS" 403
done
has "... with a message" "$SCRATCH/login.b" "Wrong email or password"
login "$K" carol@example.com "$PW"
is "the sixth attempt is 429 even with the right password" "$STATUS" 429
has "... with Retry-After" "$SCRATCH/login.h" "Retry-After: 900"
login "$K" alice@example.com "$PW"
is "another email from the same address still logs in" "$STATUS" 303

done_testing
