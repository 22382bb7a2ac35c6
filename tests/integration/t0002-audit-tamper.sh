#!/bin/sh
# Changing any audit-log row behind Tillit's back makes 'audit verify' exit 1
# and name that entry; the database itself refuses UPDATE and DELETE.
. "$(dirname "$0")/lib.sh"

"$TILLIT" init >/dev/null
"$TILLIT" org create acme --name "Acme AB" >/dev/null
"$TILLIT" org edit acme --industry SaaS >/dev/null
"$TILLIT" org edit acme --country SE >/dev/null
t "verify an untouched log" "$TILLIT" audit verify
out_has "4 entries verified"

t_fails "sqlite refuses UPDATE on the log" sqlite3 "$TILLIT_DB" "UPDATE audit_log SET actor='mallory' WHERE seq=2"
err_has "append-only"
t_fails "sqlite refuses DELETE on the log" sqlite3 "$TILLIT_DB" "DELETE FROM audit_log"
t "still verifies" "$TILLIT" audit verify

cp "$TILLIT_DB" "$SCRATCH/clean.db"
# A tamperer with file access drops the trigger first.
sqlite3 "$TILLIT_DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor='mallory' WHERE chain<>'' AND seq=2"
t_exit 1 "verify fails after an edited actor" "$TILLIT" audit verify
err_has "audit entry 2 of chain 'acme'"
err_has "does not match its hash"

cp "$SCRATCH/clean.db" "$TILLIT_DB"
sqlite3 "$TILLIT_DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after_json='{}' WHERE chain<>'' AND seq=3"
t_exit 1 "verify fails after an edited payload" "$TILLIT" audit verify
err_has "audit entry 3 of chain 'acme'"

cp "$SCRATCH/clean.db" "$TILLIT_DB"
sqlite3 "$TILLIT_DB" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE chain<>'' AND seq=2"
t_exit 1 "verify fails after a deleted entry" "$TILLIT" audit verify
err_has "audit entry 3 of chain 'acme' sequence has a gap"

cp "$SCRATCH/clean.db" "$TILLIT_DB"
sqlite3 "$TILLIT_DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash='$(printf '%064d' 0)' WHERE chain='' AND seq=1"
t_exit 1 "verify fails after a rewritten hash" "$TILLIT" audit verify
err_has "chain 'installation'"

done_testing
