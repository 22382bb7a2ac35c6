/* test_migrate.c - versioned migrations: all or nothing, and version checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/migrate.h"

#include "testutil.h"

#define MIG(path, sql)                                                                             \
    {                                                                                              \
        path, (const unsigned char *)(sql), sizeof(sql) - 1                                        \
    }
#define MIG_END                                                                                    \
    {                                                                                              \
        NULL, NULL, 0                                                                              \
    }

static const char m1[] = "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\n"
                         "INSERT INTO a (id, v) VALUES (1, 'one');\n";
static const char m2[] = "CREATE TABLE b (id INTEGER PRIMARY KEY);\n"
                         "ALTER TABLE a ADD COLUMN w TEXT NOT NULL DEFAULT '';\n";
/* Valid first, broken half-way: the table and the row must not survive. */
static const char m3_bad[] = "CREATE TABLE c (id INTEGER PRIMARY KEY);\n"
                             "INSERT INTO a (id, v) VALUES (2, 'two');\n"
                             "CREATE TABL oops (x);\n"
                             "CREATE TABLE d (id INTEGER);\n";
static const char m3_good[] = "CREATE TABLE c (id INTEGER PRIMARY KEY);\n";

static const struct embed_file two[] = {MIG("0001_first.sql", m1), MIG("0002_second.sql", m2),
                                        MIG_END};
static const struct embed_file three_bad[] = {MIG("0001_first.sql", m1), MIG("0002_second.sql", m2),
                                              MIG("0003_third.sql", m3_bad), MIG_END};
static const struct embed_file three[] = {MIG("0001_first.sql", m1), MIG("0002_second.sql", m2),
                                          MIG("0003_third.sql", m3_good), MIG_END};

struct fixture {
    struct tu_dbfile db;
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f || tu_dbfile_make(&f->db, "migrate") != 0)
        return -1;
    if (store_open(f->db.path, STORE_CREATE, &f->s, NULL) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    tu_dbfile_remove(&f->db);
    free(f);
    return 0;
}

static bool table_exists(struct store *s, const char *name)
{
    bool exists = false;
    struct err e = ERR_INIT;
    if (store_table_exists(s, name, &exists, &e) != 0)
        fail_msg("%s", e.msg);
    return exists;
}

static int version(struct store *s)
{
    int v = -1;
    struct err e = ERR_INIT;
    if (migrate_current(s, &v, &e) != 0)
        fail_msg("%s", e.msg);
    return v;
}

static void test_latest(void **state)
{
    (void)state;
    static const struct embed_file odd[] = {MIG("README", "x"), MIG("0007_x.sql", ""),
                                            MIG("0002_y.sql", ""), MIG_END};
    static const struct embed_file none[] = {MIG_END};
    assert_int_equal(migrate_latest(two), 2);
    assert_int_equal(migrate_latest(three), 3);
    assert_int_equal(migrate_latest(odd), 7);
    assert_int_equal(migrate_latest(none), 0);
}

static void test_apply_two(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(version(f->s), 0);
    int from = -1, to = -1;
    assert_int_equal(migrate_up(f->s, two, &from, &to, &e), 0);
    assert_int_equal(from, 0);
    assert_int_equal(to, 2);
    assert_int_equal(version(f->s), 2);
    assert_int_equal(store_tx_depth(f->s), 0);
    assert_true(table_exists(f->s, "a"));
    assert_true(table_exists(f->s, "b"));
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM schema_migrations"), 2);
    struct store_stmt *st;
    assert_int_equal(store_prepare(f->s,
                                   "SELECT version, name FROM schema_migrations ORDER BY version",
                                   &st, &e),
                     0);
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_int_equal(store_col_int(st, 0), 1);
    assert_string_equal(store_col_text(st, 1), "0001_first.sql");
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_string_equal(store_col_text(st, 1), "0002_second.sql");
    assert_int_equal(store_step(st, &e), TL_DONE);
    store_finalize(st);
    assert_int_equal(migrate_check(f->s, two, &e), 0);
    /* Running again changes nothing. */
    assert_int_equal(migrate_up(f->s, two, &from, &to, &e), 0);
    assert_int_equal(from, 2);
    assert_int_equal(to, 2);
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM schema_migrations"), 2);
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM a"), 1);
    /* A third migration applies on top. */
    assert_int_equal(migrate_up(f->s, three, &from, &to, &e), 0);
    assert_int_equal(from, 2);
    assert_int_equal(to, 3);
    assert_true(table_exists(f->s, "c"));
}

static void test_failed_migration_leaves_db_as_before(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    int from = -1, to = -1;
    assert_int_equal(migrate_up(f->s, two, &from, &to, &e), 0);
    from = to = -1;
    int rc = migrate_up(f->s, three_bad, &from, &to, &e);
    assert_int_equal(rc, TL_ESTORE);
    assert_int_equal(e.code, TL_ESTORE);
    assert_non_null(strstr(e.msg, "migration '0003_third.sql'"));
    assert_non_null(strstr(e.msg, "syntax error"));
    assert_int_equal(from, -1); /* untouched on failure */
    assert_int_equal(to, -1);
    assert_int_equal(store_tx_depth(f->s), 0);
    assert_int_equal(version(f->s), 2);
    assert_false(table_exists(f->s, "c"));
    assert_false(table_exists(f->s, "d"));
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM a"), 1);
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM schema_migrations"), 2);
    /* The same holds for another connection, i.e. on disk. */
    struct store *s2 = NULL;
    assert_int_equal(store_open(f->db.path, STORE_READONLY, &s2, &e), 0);
    assert_int_equal(version(s2), 2);
    assert_false(table_exists(s2, "c"));
    store_close(s2);
    /* Fixed, it applies. */
    assert_int_equal(migrate_up(f->s, three, &from, &to, &e), 0);
    assert_int_equal(version(f->s), 3);
}

static void test_failed_first_run_leaves_db_empty(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    int from, to;
    assert_int_equal(migrate_up(f->s, three_bad, &from, &to, &e), TL_ESTORE);
    assert_false(table_exists(f->s, "a"));
    assert_false(table_exists(f->s, "b"));
    assert_false(table_exists(f->s, "schema_migrations"));
    assert_int_equal(version(f->s), 0);
}

static void test_failed_migration_inside_outer_transaction(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    int from, to;
    assert_int_equal(migrate_up(f->s, two, &from, &to, &e), 0);
    /* As app_create_db does: the migration is a savepoint in a larger transaction. */
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO b (id) VALUES (42)", ""), 0);
    assert_int_equal(migrate_up(f->s, three_bad, &from, &to, &e), TL_ESTORE);
    assert_int_equal(store_tx_depth(f->s), 1);
    assert_false(table_exists(f->s, "c"));
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM b"), 1); /* outer work kept */
    assert_int_equal(store_commit(f->s, &e), 0);
    assert_int_equal(version(f->s), 2);
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM b"), 1);
}

static void test_missing_version(void **state)
{
    struct fixture *f = *state;
    static const struct embed_file gap[] = {MIG("0001_first.sql", m1),
                                            MIG("0003_third.sql", m3_good), MIG_END};
    struct err e = ERR_INIT;
    int from, to;
    assert_int_equal(migrate_up(f->s, gap, &from, &to, &e), TL_EINTERNAL);
    assert_string_equal(e.msg, "migration 0002 is missing");
    assert_false(table_exists(f->s, "a"));
    assert_int_equal(version(f->s), 0);
}

static void test_backend_specific_files(void **state)
{
    struct fixture *f = *state;
    static const struct embed_file mixed[] = {
        MIG("0001_first.sql", m1),
        MIG("0002_x.pg.sql", "CREATE EXTENSION IF NOT EXISTS pgcrypto;"),
        MIG("0002_x.sqlite.sql", "CREATE TABLE lite (id INTEGER);"),
        MIG_END,
    };
    struct err e = ERR_INIT;
    int from, to;
    assert_int_equal(migrate_up(f->s, mixed, &from, &to, &e), 0);
    assert_int_equal(to, 2);
    assert_true(table_exists(f->s, "lite"));
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM schema_migrations WHERE version = 2 "
                                        "AND name = '0002_x.sqlite.sql'"),
                     1);
}

static void test_newer_database_refused(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_exec(f->s,
                                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                "name TEXT NOT NULL);"
                                "INSERT INTO schema_migrations VALUES (1, '0001_a.sql'), "
                                "(5, '0005_future.sql');",
                                &e),
                     0);
    assert_int_equal(version(f->s), 5);
    assert_int_equal(migrate_check(f->s, three, &e), TL_EVERSION);
    assert_int_equal(e.code, TL_EVERSION);
    assert_non_null(strstr(e.msg, "newer"));
    assert_non_null(strstr(e.msg, "5"));
    assert_non_null(strstr(e.msg, "(3)"));
    /* migrate_up refuses it too, and touches nothing. */
    int from = -1, to = -1;
    err_clear(&e);
    assert_int_equal(migrate_up(f->s, three, &from, &to, &e), TL_EVERSION);
    assert_non_null(strstr(e.msg, "newer"));
    assert_int_equal(store_tx_depth(f->s), 0);
    assert_false(table_exists(f->s, "a"));
    assert_int_equal(version(f->s), 5);
}

static void test_check_older_and_empty(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    /* No tables at all: what PostgreSQL has before 'tillit init', like a
     * missing file. With someone else's tables: not a Tillit database. */
    assert_int_equal(migrate_check(f->s, two, &e), TL_ENOTFOUND);
    assert_non_null(strstr(e.msg, "run 'tillit init'"));
    assert_int_equal(store_exec(f->s, "CREATE TABLE other (x)", &e), 0);
    assert_int_equal(migrate_check(f->s, two, &e), TL_EVERSION);
    assert_non_null(strstr(e.msg, "not a Tillit database"));
    int from, to;
    assert_int_equal(migrate_up(f->s, two, &from, &to, &e), 0);
    assert_int_equal(migrate_check(f->s, three, &e), TL_EVERSION);
    assert_non_null(strstr(e.msg, "older"));
    assert_non_null(strstr(e.msg, "run 'tillit ")); /* names the command that upgrades */
    assert_int_equal(migrate_check(f->s, two, &e), 0);
}

static void test_real_migrations(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    int latest = migrate_latest(store_migrations);
    assert_true(latest >= 1);
    int from = -1, to = -1;
    if (migrate_up(f->s, store_migrations, &from, &to, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(from, 0);
    assert_int_equal(to, latest);
    assert_int_equal(version(f->s), latest);
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM schema_migrations"), latest);
    assert_true(table_exists(f->s, "meta"));
    assert_true(table_exists(f->s, "organization"));
    assert_true(table_exists(f->s, "audit_log"));
    assert_int_equal(migrate_check(f->s, store_migrations, &e), 0);
    assert_int_equal(tu_query_int(f->s, "PRAGMA foreign_key_check"), -1); /* no rows */
    assert_int_equal(tu_query_int(f->s, "SELECT count(*) FROM pragma_integrity_check "
                                        "WHERE integrity_check <> 'ok'"),
                     0);
}

/* Rows of the tables 0010 gives a version, made before it. */
static const char rows_0009[] =
    "INSERT INTO organization (id, slug, name, created_at) VALUES ('o1', 'acme', 'Acme', 'now');\n"
    "INSERT INTO service (id, org_id, name) VALUES ('s1', 'o1', 'Payroll');\n"
    "INSERT INTO component (id, org_id, kind, name) VALUES ('c1', 'o1', 'data', 'records');\n"
    "INSERT INTO subservice_org (id, org_id, slug, name, method) "
    "VALUES ('u1', 'o1', 'aws', 'AWS', 'carve-out');\n"
    "INSERT INTO csoc (id, org_id, subservice_id, text) VALUES ('k1', 'o1', 'u1', 'Backups');\n"
    "INSERT INTO cuec (id, org_id, code, text) VALUES ('e1', 'o1', 'CUEC-1', 'Passwords');\n"
    "INSERT INTO plan_task (org_id, code, seq, phase, title, effort_days, span_days, start_date, "
    "due_date) VALUES ('o1', 'scope', 0, '1', 'Scope', 1, 7, '', '');\n";

/* An installation at schema 9 with scope records and plan tasks upgrades:
 * every one of those rows gets version 1. */
static void test_upgrade_gives_versions(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct embed_file upto9[64] = {{0}};
    size_t n = 0;
    for (const struct embed_file *m = store_migrations; m->path && n < 63; m++)
        if (strtol(m->path, NULL, 10) <= 9)
            upto9[n++] = *m;
    int from = -1, to = -1;
    if (migrate_up(f->s, upto9, &from, &to, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(to, 9);
    if (store_exec(f->s, rows_0009, &e) != 0)
        fail_msg("%s", e.msg);
    if (migrate_up(f->s, store_migrations, &from, &to, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(from, 9);
    assert_true(to >= 10);
    static const char *const tables[] = {"service", "component", "subservice_org",
                                         "csoc",    "cuec",      "plan_task"};
    for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE version = 1", tables[i]);
        assert_int_equal(tu_query_int(f->s, sql), 1);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latest),
        T(test_apply_two),
        T(test_failed_migration_leaves_db_as_before),
        T(test_failed_first_run_leaves_db_empty),
        T(test_failed_migration_inside_outer_transaction),
        T(test_missing_version),
        T(test_backend_specific_files),
        T(test_newer_database_refused),
        T(test_check_older_and_empty),
        T(test_real_migrations),
        T(test_upgrade_gives_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
