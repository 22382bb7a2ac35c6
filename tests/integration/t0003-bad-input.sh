#!/bin/sh
# Bad input: one clear line on stderr, the documented exit code, no change.
. "$(dirname "$0")/lib.sh"

t_exit 2 "unknown command" "$TILLIT" frobnicate
err_has "unknown command 'frobnicate'"
err_lines 1
t_exit 2 "unknown global option" "$TILLIT" --frob catalog criteria
err_has "unknown option '--frob'"
t_exit 2 "unknown command option" "$TILLIT" catalog criteria --frob
err_has "unknown option '--frob'"
t_exit 2 "unknown format" "$TILLIT" catalog criteria --format yaml
err_has "unknown format 'yaml'"
t_exit 2 "unknown category" "$TILLIT" catalog criteria --category safety
err_has "unknown category 'safety'"
t_exit 2 "unknown criterion" "$TILLIT" catalog show CC10.1
err_has "no criterion or point of focus 'CC10.1'"
err_lines 1
t_exit 2 "unknown subcommand" "$TILLIT" catalog list
err_has "unknown subcommand 'catalog list'"
t_exit 2 "missing database" "$TILLIT" audit log
err_has "no database at"
err_has "tillit init"
test ! -e "$TILLIT_DB" && ok "missing database was not created" || not_ok "missing database was not created"

printf 'this is not a database, just text that is long enough to look like a header....' >"$SCRATCH/junk.db"
dd if=/dev/urandom bs=1024 count=8 >>"$SCRATCH/junk.db" 2>/dev/null
cp "$SCRATCH/junk.db" "$SCRATCH/junk.orig"
t_exit 3 "corrupt database file" "$TILLIT" --db "$SCRATCH/junk.db" audit verify
err_has "not a valid Tillit database"
err_lines 1
cmp -s "$SCRATCH/junk.db" "$SCRATCH/junk.orig" && ok "corrupt file unchanged" || not_ok "corrupt file unchanged"

sqlite3 "$SCRATCH/other.db" "CREATE TABLE t(x)"
t_exit 3 "sqlite file that is not Tillit's" "$TILLIT" --db "$SCRATCH/other.db" audit log
err_has "not a Tillit database"

"$TILLIT" init >/dev/null
db_sql "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future.sql')"
t_exit 3 "database from a newer tillit" "$TILLIT" audit log
err_has "schema version 999, newer than this tillit"
err_lines 1
t_exit 3 "init refuses to touch a newer database" "$TILLIT" init
err_has "newer"

t_exit 2 "bad TILLIT_NOW" env TILLIT_NOW=yesterday "$TILLIT" version
t_exit 2 "unknown language" "$TILLIT" --lang de catalog criteria
err_has "unknown language 'de'"
t "help lists exit codes" "$TILLIT" help exit-codes
out_has "storage or internal error"
t "version" "$TILLIT" --version
out_has "tillit 0.1.0"
done_testing
