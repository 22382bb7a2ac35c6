#!/bin/sh
# Three 'tillit serve' processes on one database, requests spread over them:
# a session made on one is good on the others, login rate limits count
# across them, concurrent writes through all three land once each, and the
# audit chain, appended to by all three, verifies. The servers keep no state
# of their own (docs/postgres.md).
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"

PW='correct horse battery'
{ "$TILLIT" init && "$TILLIT" org create acme --name Acme &&
  echo "$PW" | "$TILLIT" user add ed@acme.example --role editor --org acme --password-stdin &&
  echo "$PW" | "$TILLIT" user add eve@acme.example --role viewer --org acme --password-stdin
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token ed@acme.example)

PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; t_cleanup' EXIT
# serve N: starts server N on a free port of its own; URLN is its address.
serve() {
    "$TILLIT" serve --listen 127.0.0.1:0 --max-seconds 120 --quiet --threads 4 \
        >"$SCRATCH/serve$1.out" 2>"$SCRATCH/serve$1.err" &
    PIDS="$PIDS $!"
    u=""
    i=0
    while [ $i -lt 100 ] && [ -z "$u" ]; do
        u=$(sed -n 's/^tillit: listening on //p' "$SCRATCH/serve$1.out" 2>/dev/null)
        [ -n "$u" ] || sleep 0.1
        i=$((i + 1))
    done
    [ -n "$u" ] || { echo "Bail out! server $1 did not start"; sed 's/^/# /' "$SCRATCH/serve$1.err"; exit 1; }
    eval "URL$1=\$u"
}
serve 1 && serve 2 && serve 3
t "three servers, three addresses" test "$URL1" != "$URL2" -a "$URL2" != "$URL3" -a "$URL1" != "$URL3"

# A session is a row: made on 1, good on 2 and 3; logged out on 3, gone on 1.
URL=$URL1
login "$SCRATCH/jar" ed@acme.example "$PW"
is "log in on server 1" "$STATUS" 303
for n in 2 3; do
    eval "u=\$URL$n"
    req s$n -b "$SCRATCH/jar" "$u/o/acme/people"
    is "the session works on server $n" "$STATUS" 200
done
req tok -b "$SCRATCH/jar" "$URL3/orgs"
tok=$(csrf_of "$SCRATCH/tok.b")
req out -b "$SCRATCH/jar" --data-urlencode "csrf=$tok" "$URL3/logout"
req gone -b "$SCRATCH/jar" "$URL1/o/acme/people"
is "logged out on 3, the session is gone on 1" "$STATUS" 303

# Failed logins are rows too: five spread over the servers, then the sixth
# is refused on any of them.
for i in 1 2 3 4 5; do
    eval "URL=\$URL$(( (i % 3) + 1 ))"
    login "$SCRATCH/jar-eve" eve@acme.example "wrong $i"
done
is "the fifth wrong password is 403" "$STATUS" 403
URL=$URL2
login "$SCRATCH/jar-eve" eve@acme.example "$PW"
is "the sixth attempt, on another server, is 429" "$STATUS" 429

# Writes through all three at once.
before=$("$TILLIT" audit verify | sed -n 's/ entries verified//p')
# (wait names the clients: a bare wait would wait for the servers too.)
i=1
clients=""
while [ $i -le 60 ]; do
    eval "u=\$URL$(( (i % 3) + 1 ))"
    curl -s -o /dev/null -w "%{http_code}\n" -X POST -H "Authorization: Bearer $TOKEN" \
        -H "Content-Type: application/json" \
        --data-binary "{\"email\": \"p$i@acme.example\", \"name\": \"P $i\"}" \
        "$u/api/v1/orgs/acme/people" >"$SCRATCH/code.$i" &
    clients="$clients $!"
    if [ $((i % 12)) -eq 0 ]; then
        wait $clients
        clients=""
    fi
    i=$((i + 1))
done
t "60 concurrent adds over three servers: all 201" test "$(cat "$SCRATCH"/code.* | grep -c '^201$')" -eq 60
for n in 1 2 3; do
    eval "u=\$URL$n"
    req list$n -H "Authorization: Bearer $TOKEN" "$u/api/v1/orgs/acme/people"
    t "server $n lists all 60" test "$(grep -o '"email"' "$SCRATCH/list$n.b" | wc -l)" -eq 60
done
t "one audit entry each, and the chain verifies" "$TILLIT" audit verify
out_has "^$((before + 60)) entries verified$"
t "no person twice" test "$(db_sql "SELECT count(DISTINCT email) FROM person")" -eq 60

# The same record edited through two servers: the second edit, based on
# the version the first one replaced, is a conflict (409), never lost.
"$TILLIT" --org acme control add X-1 --title "Backups" >/dev/null
req v1 -X PATCH -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    --data-binary '{"title": "Daily backups"}' "$URL1/api/v1/orgs/acme/controls/X-1"
is "an edit through server 1" "$STATUS" 200
t_exit 2 "a CLI edit based on the old version is refused" "$TILLIT" --org acme control edit X-1 \
    --title "Weekly backups" --if-version 1
err_has "was changed by api:ed@acme.example"

for n in 1 2 3; do
    if [ -s "$SCRATCH/serve$n.err" ]; then
        not_ok "server $n wrote nothing to stderr"
        sed 's/^/# /' "$SCRATCH/serve$n.err" | head -5
    else
        ok "server $n wrote nothing to stderr"
    fi
done
done_testing
