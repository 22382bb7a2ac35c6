#!/bin/sh
# Row-level security on PostgreSQL (migration 0006): the role Tillit's
# servers connect as owns nothing, and every organization-scoped table shows
# it only the rows of the organization in the setting tillit.org_id; unset,
# nothing. Shown directly in SQL, without Tillit's own WHERE org_id, then
# through the CLI and the API running as that role.
TDIR=$(cd "$(dirname "$0")" && pwd)
. "$TDIR/lib.sh"
if [ "$T_BACKEND" != postgres ]; then
    echo "1..0 # SKIP row-level security is PostgreSQL's (run with TILLIT_TEST_BACKEND=postgres)"
    exit 77
fi

export TILLIT_NOW=2026-10-01T09:00:00Z # the demo's dates lie in 2026
"$TILLIT" init >/dev/null && "$TILLIT" demo >/dev/null && "$TILLIT" demo --slug other >/dev/null ||
    { echo "Bail out! setup failed"; exit 1; }
printf 'evidence a\n' >"$SCRATCH/a.txt"
printf 'evidence b\n' >"$SCRATCH/b.txt"
"$TILLIT" --org norrsken evidence add "$SCRATCH/a.txt" --control GOV-01 >/dev/null &&
    "$TILLIT" --org other evidence add "$SCRATCH/b.txt" --control GOV-01 >/dev/null &&
    "$TILLIT" --org norrsken plan --start 2026-03-02 --target type2 >/dev/null &&
    "$TILLIT" --org other plan --start 2026-03-02 --target type1 >/dev/null ||
    { echo "Bail out! setup of evidence and plans failed"; exit 1; }
A=$(db_sql "SELECT id FROM organization WHERE slug = 'norrsken'")
B=$(db_sql "SELECT id FROM organization WHERE slug = 'other'")

# as_app ORG SQL: runs SQL as the app role with tillit.org_id = ORG ('' = unset).
as_app() {
    if [ -n "$1" ]; then
        psql -qAtX -v ON_ERROR_STOP=1 "$TILLIT_TEST_DB_APP" -c "SET tillit.org_id = '$1'" -c "$2"
    else
        psql -qAtX -v ON_ERROR_STOP=1 "$TILLIT_TEST_DB_APP" -c "$2"
    fi
}

TABLES=$(db_sql "SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = current_schema() AND c.column_name = 'org_id'
    AND t.table_type = 'BASE TABLE' ORDER BY 1")
t "there are organization-scoped tables" test "$(echo "$TABLES" | wc -w)" -ge 20

# The role owns nothing and cannot bypass the policies.
t "the app role owns no table" test "$(db_sql "SELECT count(*) FROM pg_tables
    WHERE schemaname = current_schema() AND tableowner = 'tillit_app'")" -eq 0
t "the app role has neither superuser nor BYPASSRLS" test "$(db_sql "SELECT count(*) FROM pg_roles
    WHERE rolname = 'tillit_app' AND (rolsuper OR rolbypassrls)")" -eq 0
missing=$(db_sql "SELECT c.relname FROM pg_class c
    JOIN information_schema.columns k ON k.table_name = c.relname
        AND k.table_schema = current_schema() AND k.column_name = 'org_id'
    WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
        AND (NOT c.relrowsecurity
             OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))")
if [ -z "$missing" ]; then
    ok "every table with an org_id column has row-level security and policies"
else
    not_ok "every table with an org_id column has row-level security and policies"
    echo "$missing" | sed 's/^/# without policies: /'
fi
t_fails "the app role cannot switch the policies off" \
    as_app "" "ALTER TABLE person DISABLE ROW LEVEL SECURITY"
err_has "must be owner"
t_fails "nor ask to skip them" as_app "$A" "SET row_security = off; SELECT count(*) FROM person"
err_has "row-level security"

# Every table, no WHERE clause of ours: only A's rows with A, only B's with
# B, none without a tenant.
for table in $TABLES; do
    total=$(db_sql "SELECT count(*) FROM $table")
    own_a=$(db_sql "SELECT count(*) FROM $table WHERE org_id = '$A'")
    own_b=$(db_sql "SELECT count(*) FROM $table WHERE org_id = '$B'")
    seen_a=$(as_app "$A" "SELECT count(*) || '/' || count(*) FILTER (WHERE org_id <> '$A') FROM $table")
    seen_b=$(as_app "$B" "SELECT count(*) || '/' || count(*) FILTER (WHERE org_id <> '$B') FROM $table")
    seen_none=$(as_app "" "SELECT count(*) FROM $table")
    if [ "$seen_a" = "$own_a/0" ] && [ "$seen_b" = "$own_b/0" ] && [ "$seen_none" = 0 ]; then
        ok "$table: A sees its $own_a rows, B its $own_b, no tenant none (of $total)"
    else
        not_ok "$table: A saw $seen_a (want $own_a/0), B $seen_b (want $own_b/0), none $seen_none (want 0)"
    fi
done
t "the demo filled the main tables of both" test "$(db_sql "SELECT count(DISTINCT org_id)
    FROM person")" -eq 2

# The audit log: an organization's chain, and the installation's.
t "A sees its chain and the installation's" test "$(as_app "$A" "SELECT count(*)
    FROM audit_log WHERE chain NOT IN ('', '$A')")" -eq 0
t "A sees all of its chain" test "$(as_app "$A" "SELECT count(*) FROM audit_log WHERE chain = '$A'")" \
    -eq "$(db_sql "SELECT count(*) FROM audit_log WHERE chain = '$A'")"
t "without a tenant, only the installation chain" test "$(as_app "" "SELECT count(*)
    FROM audit_log WHERE chain <> ''")" -eq 0

# Writes: another organization's rows can be neither made nor changed.
t_fails "A cannot insert a row for B" as_app "$A" "INSERT INTO person (id, org_id, email, name)
    VALUES ('x1', '$B', 'x@example.com', 'X')"
err_has "row-level security"
t "A's update of B's rows changes nothing" test "$(as_app "$A" "WITH u AS (UPDATE person
    SET name = 'mallory' WHERE org_id = '$B' RETURNING 1) SELECT count(*) FROM u")" -eq 0
t "A's delete of B's rows removes nothing" test "$(as_app "$A" "WITH d AS (DELETE FROM
    service WHERE org_id = '$B' RETURNING 1) SELECT count(*) FROM d")" -eq 0
t "B's rows are intact" test "$(db_sql "SELECT count(*) FROM person WHERE name = 'mallory'")" -eq 0
t "organizations are listed to everyone" test "$(as_app "" "SELECT count(*) FROM organization")" -eq 2
t "A cannot rename B" test "$(as_app "$A" "WITH u AS (UPDATE organization SET name = 'x'
    WHERE id = '$B' RETURNING 1) SELECT count(*) FROM u")" -eq 0

# Tillit itself as the app role: the tenant is set where the organization
# is resolved, so the commands work, and see what the owner sees.
export TILLIT_DB="$TILLIT_TEST_DB_APP"
t "person list as the app role" "$TILLIT" --org norrsken person list --format csv
keep people-app
TILLIT_DB=$T_DB "$TILLIT" --org norrsken person list --format csv >"$SCRATCH/people-owner"
t "the same list as the owner's" cmp "$SCRATCH/people-app" "$SCRATCH/people-owner"
t "gap analysis as the app role" "$TILLIT" --org other gap --format csv
keep gap-app
TILLIT_DB=$T_DB "$TILLIT" --org other gap --format csv >"$SCRATCH/gap-owner"
t "the same gap analysis as the owner's" cmp "$SCRATCH/gap-app" "$SCRATCH/gap-owner"
t "a change as the app role" "$TILLIT" --org norrsken person add new@example.com --name New
t "a new organization as the app role" "$TILLIT" org create third --name Third
t "evidence as the app role" "$TILLIT" --org third evidence list
t "backup refuses the app role" sh -c "! \"$TILLIT\" backup -o \"$SCRATCH/b.jsonl\" 2>\"$SCRATCH/err\""
err_has "row-level security hides rows"
export TILLIT_DB="$T_DB"
t "its audit entry landed on its chain" test "$(db_sql "SELECT count(*) FROM audit_log
    WHERE chain = '$A' AND action = 'person.add' AND object_id = 'new@example.com'")" -eq 1
t "audit verify as the owner" "$TILLIT" audit verify

# The API, served as the app role: the tenant follows the authorized organization.
. "$TDIR/web-lib.sh"
printf 'correct horse battery\n' >"$SCRATCH/pw"
"$TILLIT" user add ann@example.com --org norrsken --role viewer --password-stdin <"$SCRATCH/pw" \
    >/dev/null || { echo "Bail out! user add failed"; exit 1; }
TOKEN=$("$TILLIT" user token ann@example.com | tail -1)
TILLIT_DB="$TILLIT_TEST_DB_APP" start_server
req people -H "Authorization: Bearer $TOKEN" "$URL/api/v1/orgs/norrsken/people"
is "people of A through the API" "$STATUS" 200
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d.get("people", d) if isinstance(d, dict) else d; print(len(d))' "$SCRATCH/people.b" 2>/dev/null)
is "all of A's people" "$n" "$(db_sql "SELECT count(*) FROM person WHERE org_id = '$A'")"
req other -H "Authorization: Bearer $TOKEN" "$URL/api/v1/orgs/other/people"
is "B's people are not found" "$STATUS" 404

done_testing
