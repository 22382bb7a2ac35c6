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

t_fails "the database refuses UPDATE on the log" db_sql "UPDATE audit_log SET actor='mallory' WHERE seq=2"
err_has "append-only"
t_fails "the database refuses DELETE on the log" db_sql "DELETE FROM audit_log"
t "still verifies" "$TILLIT" audit verify

# drop_trigger NAME: the statement, in the backend's dialect.
drop_trigger() {
    if [ "$T_BACKEND" = postgres ]; then echo "DROP TRIGGER $1 ON audit_log;"; else echo "DROP TRIGGER $1;"; fi
}
db_snapshot clean
# A tamperer with file access (or the tables' owner) drops the trigger first.
db_sql "$(drop_trigger audit_log_no_update) UPDATE audit_log SET actor='mallory' WHERE chain<>'' AND seq=2"
t_exit 1 "verify fails after an edited actor" "$TILLIT" audit verify
err_has "audit entry 2 of chain 'acme'"
err_has "does not match its hash"

db_restore clean
db_sql "$(drop_trigger audit_log_no_update) UPDATE audit_log SET after_json='{}' WHERE chain<>'' AND seq=3"
t_exit 1 "verify fails after an edited payload" "$TILLIT" audit verify
err_has "audit entry 3 of chain 'acme'"

db_restore clean
db_sql "$(drop_trigger audit_log_no_delete) DELETE FROM audit_log WHERE chain<>'' AND seq=2"
t_exit 1 "verify fails after a deleted entry" "$TILLIT" audit verify
err_has "audit entry 3 of chain 'acme' sequence has a gap"

db_restore clean
db_sql "$(drop_trigger audit_log_no_update) UPDATE audit_log SET hash='$(printf '%064d' 0)' WHERE chain='' AND seq=1"
t_exit 1 "verify fails after a rewritten hash" "$TILLIT" audit verify
err_has "chain 'installation'"

done_testing
