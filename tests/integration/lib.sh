# lib.sh - TAP helpers for integration tests. Each test sources this, gets a
# scratch directory of its own (removed at exit), and reports with ok/not ok.
#
# TILLIT_TEST_BACKEND picks the database: sqlite (the default: $SCRATCH/t.db)
# or postgres: a database of the test's own, with a random name, on the
# server scripts/pg-test started (TILLIT_TEST_PG*), dropped at exit. Without
# that server a postgres run skips (exit 77). TILLIT_DB then connects as the
# owner of the tables (it runs the migrations, and row-level security does
# not bind it); TILLIT_TEST_DB_APP as the role Tillit's servers use, which
# owns nothing; TILLIT_TEST_DB_ADMIN as a superuser. T_VAULT is the vault
# directory either way; on postgres TILLIT_VAULT and TILLIT_DATA_DIR point
# into the scratch directory, where SQLite keeps them beside its file.
set -u
: "${TILLIT:?TILLIT must point at the binary}"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/tillit-test.XXXXXX")
T_BACKEND=${TILLIT_TEST_BACKEND:-sqlite}
T_PGDB=""
# t_cleanup: removes the scratch directory and the test's database.
t_cleanup() {
    cd /
    if [ -n "$T_PGDB" ]; then
        for d in $(psql -qAtX "$TILLIT_TEST_PG" \
            -c "SELECT datname FROM pg_database WHERE datname LIKE '${T_PGDB}%'" 2>/dev/null); do
            psql -qX "$TILLIT_TEST_PG" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" \
                >/dev/null 2>&1
        done
    fi
    rm -rf "$SCRATCH"
}
trap t_cleanup EXIT
cd "$SCRATCH"
export TILLIT_DB="$SCRATCH/t.db"
T_VAULT="$SCRATCH/t.db.vault"
case $T_BACKEND in
sqlite) ;;
postgres)
    if [ -z "${TILLIT_TEST_PG:-}" ] || ! command -v psql >/dev/null 2>&1; then
        echo "1..0 # SKIP no PostgreSQL server (run the tests under scripts/pg-test)"
        exit 77
    fi
    T_PGDB="t_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    export TILLIT_TEST_DB_ADMIN="${TILLIT_TEST_PG%/*}/$T_PGDB"
    export TILLIT_TEST_DB_APP="${TILLIT_TEST_PG_APP}$T_PGDB"
    export TILLIT_DB="${TILLIT_TEST_PG_OWNER}$T_PGDB"
    export TILLIT_VAULT="$T_VAULT"
    export TILLIT_DATA_DIR="$SCRATCH/t.db.data" # what SQLite would use beside its file
    # The deployment of docs/postgres.md: tables owned by tillit_owner, and
    # the app role granted rows, never ownership.
    if ! psql -qX -v ON_ERROR_STOP=1 "$TILLIT_TEST_PG" \
        -c "CREATE DATABASE $T_PGDB OWNER tillit_owner" >/dev/null ||
        ! psql -qX -v ON_ERROR_STOP=1 "$TILLIT_TEST_DB_ADMIN" -c "
            ALTER DEFAULT PRIVILEGES FOR ROLE tillit_owner IN SCHEMA public
                GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tillit_app;
            ALTER DEFAULT PRIVILEGES FOR ROLE tillit_owner IN SCHEMA public
                GRANT USAGE, SELECT ON SEQUENCES TO tillit_app;" >/dev/null; then
        echo "Bail out! cannot create the test database"
        exit 1
    fi
    ;;
*)
    echo "Bail out! unknown TILLIT_TEST_BACKEND '$T_BACKEND' (sqlite or postgres)"
    exit 1
    ;;
esac
export TILLIT_NOW="2026-03-01T09:00:00Z"
export TILLIT_ACTOR="test"
T_DB=$TILLIT_DB # the test's own database, whatever TILLIT_DB says later
unset TILLIT_ORG
T_N=0
T_FAILED=0

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
# skip DESC: a check that does not apply to this backend, reported as such.
skip() { T_N=$((T_N + 1)); echo "ok $T_N # skip $1"; }

# db_snapshot NAME / db_restore NAME: keeps a copy of the test's database
# and puts it back (a file copy; a template database on PostgreSQL).
db_snapshot() {
    if [ "$T_BACKEND" = postgres ]; then
        psql -qX -v ON_ERROR_STOP=1 "$TILLIT_TEST_PG" \
            -c "CREATE DATABASE ${T_PGDB}_$1 TEMPLATE $T_PGDB OWNER tillit_owner" >/dev/null
    else
        cp "$TILLIT_DB" "$SCRATCH/$1.db"
    fi
}
db_restore() {
    if [ "$T_BACKEND" = postgres ]; then
        psql -qX -v ON_ERROR_STOP=1 "$TILLIT_TEST_PG" \
            -c "DROP DATABASE $T_PGDB WITH (FORCE)" \
            -c "CREATE DATABASE $T_PGDB TEMPLATE ${T_PGDB}_$1 OWNER tillit_owner" >/dev/null
    else
        cp "$SCRATCH/$1.db" "$TILLIT_DB"
    fi
}

# db_new NAME: prints the URL (or path) of another, empty database of the
# test's own, on the same backend; dropped at exit like the first.
db_new() {
    if [ "$T_BACKEND" = postgres ]; then
        psql -qX -v ON_ERROR_STOP=1 "$TILLIT_TEST_PG" \
            -c "CREATE DATABASE ${T_PGDB}_$1 OWNER tillit_owner" >/dev/null &&
            echo "${TILLIT_TEST_PG_OWNER}${T_PGDB}_$1"
    else
        echo "$SCRATCH/$1.db"
    fi
}

# db_sql SQL: runs SQL on the test's database as its owner (sqlite3 or psql;
# rows as "a|b" lines either way).
db_sql() {
    if [ "$T_BACKEND" = postgres ]; then
        psql -qAtX -v ON_ERROR_STOP=1 "$TILLIT_DB" -c "$1"
    else
        sqlite3 -batch "$TILLIT_DB" "$1"
    fi
}
not_ok() { T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $1"; }

# t DESC CMD...: runs CMD, passes when it exits 0.
t() { desc=$1; shift; if "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; then ok "$desc"; else not_ok "$desc"; sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"; fi; }

# t_exit CODE DESC CMD...: runs CMD, passes when it exits with CODE.
t_exit() {
    want=$1; desc=$2; shift 2
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; got=$?
    if [ "$got" -eq "$want" ]; then ok "$desc"; else not_ok "$desc (exit $got, want $want)"; sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"; fi
}

# t_fails DESC CMD...: passes when CMD exits non-zero.
t_fails() {
    desc=$1; shift
    if "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; then not_ok "$desc (succeeded)"; else ok "$desc"; fi
}

# keep NAME: copies the last command's stdout to $SCRATCH/NAME for later checks.
keep() { cp "$SCRATCH/out" "$SCRATCH/$1"; }

# Checks on the last command's output.
out_has() { if grep -q -- "$1" "$SCRATCH/out"; then ok "stdout has '$1'"; else not_ok "stdout has '$1'"; sed 's/^/# /' "$SCRATCH/out" | head -20; fi; }
err_has() { if grep -q -- "$1" "$SCRATCH/err"; then ok "stderr has '$1'"; else not_ok "stderr has '$1'"; sed 's/^/# /' "$SCRATCH/err" | head -20; fi; }
err_lines() { n=$(wc -l <"$SCRATCH/err"); if [ "$n" -eq "$1" ]; then ok "stderr has $1 line(s)"; else not_ok "stderr has $1 line(s), got $n"; fi; }

done_testing() { echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; exit $?; }
