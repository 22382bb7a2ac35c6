#!/bin/sh
# Crash safety: 'tillit serve' is killed with SIGKILL in the middle of a
# write load (three clients, bounded, on loopback) and started again. Every
# write that got a success response is there, nothing half-written is (each
# person has exactly its audit entry), and the audit chain verifies.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
. "$TDIR/web-lib.sh"

{ "$TILLIT" init && "$TILLIT" org create acme --name Acme &&
  echo 'correct horse battery' | "$TILLIT" user add ed@acme.example --role editor --org acme \
      --password-stdin
} >/dev/null || { echo "Bail out! setup failed"; exit 1; }
TOKEN=$("$TILLIT" user token ed@acme.example)

PIDS=""
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; t_cleanup' EXIT
# serve N: starts a server; SERVER is its pid, URL its address.
serve() {
    "$TILLIT" serve --listen 127.0.0.1:0 --max-seconds 120 --quiet --threads 4 \
        >"$SCRATCH/serve$1.out" 2>"$SCRATCH/serve$1.err" &
    SERVER=$!
    PIDS="$PIDS $SERVER"
    URL=""
    n=0
    while [ $n -lt 100 ] && [ -z "$URL" ]; do
        URL=$(sed -n 's/^tillit: listening on //p' "$SCRATCH/serve$1.out" 2>/dev/null)
        [ -n "$URL" ] || sleep 0.1
        n=$((n + 1))
    done
    [ -n "$URL" ] || { echo "Bail out! server $1 did not start"; exit 1; }
}

# load C: client C adds people c<C>-<i> one after another (at most 150),
# logging "email status" after each response; stops after 5 refusals in a row.
load() {
    i=1 refused=0
    while [ $i -le 150 ] && [ $refused -lt 5 ]; do
        email="c$1-$i@acme.example"
        code=$(curl -s -o /dev/null -m 10 -w "%{http_code}" -X POST \
            -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
            --data-binary "{\"email\": \"$email\", \"name\": \"C $1 $i\", \"department\": \"load\"}" \
            "$URL/api/v1/orgs/acme/people")
        echo "$email $code" >>"$SCRATCH/load.$1"
        if [ "$code" = 000 ]; then refused=$((refused + 1)); else refused=0; fi
        i=$((i + 1))
    done
}

serve 1
clients=""
for c in 1 2 3; do
    load $c &
    clients="$clients $!"
done
# Kill once the load is well under way (at least 30 answered writes).
n=0
while [ $n -lt 300 ] && [ "$(cat "$SCRATCH"/load.* 2>/dev/null | grep -c ' 201$')" -lt 30 ]; do
    sleep 0.05
    n=$((n + 1))
done
kill -9 "$SERVER"
wait "$SERVER" 2>/dev/null
killed_at=$(cat "$SCRATCH"/load.* | grep -c ' 201$')
wait $clients
t "the load was under way when the server died" test "$killed_at" -ge 30
t "and some writes failed because it did" sh -c "cat \"$SCRATCH\"/load.* | grep -q ' 000$'"

serve 2
t "a new server starts on the same database" \
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL/api/v1/orgs/acme/people"
"$TILLIT" --org acme person list --format csv >"$SCRATCH/people"
missing=0
for email in $(cat "$SCRATCH"/load.* | sed -n 's/ 201$//p'); do
    grep -q "^$email," "$SCRATCH/people" || { missing=$((missing + 1)); echo "# lost: $email"; }
done
t "every write that got 201 is there ($(cat "$SCRATCH"/load.* | grep -c ' 201$') of them)" \
    test "$missing" -eq 0
t "no person without its audit entry" test "$(db_sql "SELECT count(*) FROM person p
    WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'person.add'
        AND a.object_id = p.email)")" -eq 0
t "no audit entry without its person" test "$(db_sql "SELECT count(*) FROM audit_log a
    WHERE a.action = 'person.add' AND NOT EXISTS (SELECT 1 FROM person p
        WHERE p.email = a.object_id)")" -eq 0
t "no person twice" test "$(db_sql "SELECT count(*) - count(DISTINCT email) FROM person")" -eq 0
t "the audit chain verifies" "$TILLIT" audit verify
if [ "$T_BACKEND" = sqlite ]; then
    t "the file passes SQLite's integrity check" test "$(db_sql "PRAGMA integrity_check")" = ok
else
    skip "SQLite's integrity check (PostgreSQL recovers from its WAL)"
fi
req after -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    --data-binary '{"email": "after@acme.example", "name": "After"}' "$URL/api/v1/orgs/acme/people"
is "the restarted server takes writes" "$STATUS" 201
t "and the chain still verifies" "$TILLIT" audit verify

done_testing
