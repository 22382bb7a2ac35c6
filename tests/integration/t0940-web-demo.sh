#!/bin/sh
# 'make demo' ends in scripts/demo-serve: it prints a login for the demo
# organization and serves it; the login works and every section of the
# program is reachable from the dashboard.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"

# The demo records approvals up to autumn 2026.
export TILLIT_NOW=2026-10-01T09:00:00Z
SCRIPT="${TILLIT_SRC:-}/scripts/demo-serve"
if [ ! -x "$SCRIPT" ]; then
    echo "1..0 # SKIP needs TILLIT_SRC for scripts/demo-serve"
    exit 0
fi
{ "$TILLIT" init && "$TILLIT" demo; } >/dev/null || { echo "Bail out! setup failed"; exit 1; }

TILLIT_LISTEN=127.0.0.1:0 TILLIT_SERVE_MAX_SECONDS=60 "$SCRIPT" "$TILLIT" "$TILLIT_DB" \
    >"$SCRATCH/serve.out" 2>"$SCRATCH/serve.err" &
SERVER_PID=$!
URL=""
i=0
while [ $i -lt 100 ] && [ -z "$URL" ]; do
    URL=$(sed -n 's/^tillit: listening on //p' "$SCRATCH/serve.out" 2>/dev/null)
    [ -n "$URL" ] || sleep 0.1
    i=$((i + 1))
done
[ -n "$URL" ] || { echo "Bail out! demo-serve did not start"; sed 's/^/# /' "$SCRATCH/serve.out" "$SCRATCH/serve.err"; exit 1; }
EMAIL=$(sed -n 's/^ *email *//p' "$SCRATCH/serve.out")
PASS=$(sed -n 's/^ *password *//p' "$SCRATCH/serve.out")
has "it prints the login's email" "$SCRATCH/serve.out" "email     "
is "... and a password of 30 hex digits" "${#PASS}" 30

login "$SCRATCH/jar" "$EMAIL" "$PASS"
is "the printed login works" "$STATUS" 303
req home -b "$SCRATCH/jar" "$URL/"
is "... and leads to the demo organization" "$(sed -n 's/^Location: //p' "$SCRATCH/home.h" | tr -d '\r')" "/o/norrsken"
req dash -b "$SCRATCH/jar" "$URL/o/norrsken"
is "the dashboard" "$STATUS" 200
for s in gap scope criteria controls evidence risks policies vendors plan people audit; do
    has "... links to $s" "$SCRATCH/dash.b" "id=\"nav-$s\""
    req sec -b "$SCRATCH/jar" "$URL/o/norrsken/$s"
    is "... which answers" "$STATUS" 200
done
req pol -b "$SCRATCH/jar" "$URL/o/norrsken/policies/information-security"
has "the demo login may approve policies" "$SCRATCH/pol.b" 'id="policy-edit-link"'

done_testing
