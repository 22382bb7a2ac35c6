/* test_store_pg.c - the PostgreSQL backend: placeholder translation always;
 * the storage interface against a real server when TILLIT_TEST_PG names one
 * (scripts/pg-test), in a database of its own that is dropped afterwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sb.h"
#include "store/store_impl.h"

#ifdef HAVE_POSTGRES

static void expect_translation(const char *sql, const char *want, int want_n)
{
    struct sb out = SB_INIT;
    int n = store__pg_translate(sql, &out);
    assert_string_equal(out.buf, want);
    assert_int_equal(n, want_n);
    sb_release(&out);
}

static void test_translate(void **state)
{
    (void)state;
    expect_translation("SELECT 1", "SELECT 1", 0);
    expect_translation("SELECT a FROM t WHERE b = ? AND c = ?",
                       "SELECT a FROM t WHERE b = $1 AND c = $2", 2);
    /* Not inside string literals, quoted identifiers or comments. */
    expect_translation("SELECT '?', 'it''s ?', \"odd?\" FROM t WHERE x = ?",
                       "SELECT '?', 'it''s ?', \"odd?\" FROM t WHERE x = $1", 1);
    expect_translation("-- what?\nSELECT ? /* and ? */, ?", "-- what?\nSELECT $1 /* and ? */, $2",
                       2);
    /* Nor inside dollar-quoted bodies; "$1" and "$n" are not quotes. */
    expect_translation("DO $$ SELECT '?' $$; SELECT ?", "DO $$ SELECT '?' $$; SELECT $1", 1);
    expect_translation("SELECT $fn$ ? $fn$, ?", "SELECT $fn$ ? $fn$, $1", 1);
    /* "? IS [NOT] NULL" has no context to type the parameter from. */
    expect_translation("WHERE (? IS NULL OR chain = ?)", "WHERE ($1::text IS NULL OR chain = $2)",
                       2);
    expect_translation("WHERE ? is not null", "WHERE $1::text is not null", 1);
    expect_translation("WHERE ?ISNULL", "WHERE $1ISNULL", 1);
    /* Unterminated quotes are copied as they are (the server reports them). */
    expect_translation("SELECT 'open ?", "SELECT 'open ?", 0);
}

/* --- against a server --------------------------------------------------- */

struct fixture {
    char admin[512];
    char url[600];
    char db[64];
    struct store *s;
};

static int setup(void **state)
{
    const char *admin = getenv("TILLIT_TEST_PG");
    if (!admin || !*admin) {
        *state = NULL;
        return 0;
    }
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->admin, sizeof(f->admin), "%s", admin);
    snprintf(f->db, sizeof(f->db), "tl_unit_%ld", (long)getpid());
    const char *slash = strrchr(admin, '/');
    snprintf(f->url, sizeof(f->url), "%.*s/%s", (int)(slash - admin), admin, f->db);
    struct err e = ERR_INIT;
    struct store *a = NULL;
    char sql[128];
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->db);
    if (store_open(admin, 0, &a, &e) != 0 || store_exec(a, sql, &e) != 0) {
        print_error("%s\n", e.msg);
        store_close(a);
        return -1;
    }
    store_close(a);
    if (store_open(f->url, 0, &f->s, &e) != 0 ||
        store_exec(f->s,
                   "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT UNIQUE, "
                   "x DOUBLE PRECISION, b BYTEA, flag BOOLEAN)",
                   &e) != 0) {
        print_error("%s\n", e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    store_close(f->s);
    struct err e = ERR_INIT;
    struct store *a = NULL;
    char sql[128];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->db);
    if (store_open(f->admin, 0, &a, &e) == 0)
        store_exec(a, sql, &e);
    store_close(a);
    free(f);
    return 0;
}

#define NEED_SERVER(f)                                                                             \
    do {                                                                                           \
        if (!(f))                                                                                  \
            skip();                                                                                \
    } while (0)

static int64_t count(struct store *s, const char *where)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM t%s%s", *where ? " WHERE " : "", where);
    int64_t n = -1;
    struct err e = ERR_INIT;
    if (store_query_int(s, &e, &n, NULL, sql, "") != 0)
        fail_msg("%s: %s", sql, e.msg);
    return n;
}

static void test_name_hides_password(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    assert_string_equal(store_backend(f->s), "postgres");
    const char *user = strstr(f->url, "://") + 3;
    const char *colon = strchr(user, ':'), *at = strchr(user, '@');
    if (colon && at && colon < at) {
        char pw[128], who[128];
        snprintf(pw, sizeof(pw), "%.*s", (int)(at - colon - 1), colon + 1);
        snprintf(who, sizeof(who), "%.*s@", (int)(colon - user), user);
        assert_null(strstr(store_name(f->s), pw));
        assert_non_null(strstr(store_name(f->s), who));
    }
}

static void test_bind_step_columns(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    struct store_stmt *st = NULL;
    assert_int_equal(
        store_prepare(f->s, "INSERT INTO t (id, name, x, b, flag) VALUES (?, ?, ?, ?, ?)", &st, &e),
        0);
    static const unsigned char blob[] = {0x00, 0x01, 0xff, 0x00, 0x7f};
    store_bind_int(st, 1, INT64_C(9007199254740993));
    store_bind_text(st, 2, "åäö 'quoted' ?");
    store_bind_double(st, 3, 2.5);
    store_bind_blob(st, 4, blob, sizeof(blob));
    store_bind_text(st, 5, "true");
    assert_int_equal(store_step(st, &e), TL_DONE);
    assert_int_equal(store_changes(f->s), 1);
    store_reset(st);
    store_bind_int(st, 1, -1);
    store_bind_text(st, 2, NULL);
    store_bind_null(st, 3);
    store_bind_null(st, 4);
    store_bind_null(st, 5);
    assert_int_equal(store_step(st, &e), TL_DONE);
    store_finalize(st);

    assert_int_equal(
        store_prepare(f->s, "SELECT id, name, x, b, flag FROM t ORDER BY id DESC", &st, &e), 0);
    assert_int_equal(store_col_count(st), 5);
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_string_equal(store_col_name(st, 1), "name");
    assert_int_equal(store_col_int(st, 0), INT64_C(9007199254740993));
    assert_string_equal(store_col_text(st, 1), "åäö 'quoted' ?");
    assert_true(store_col_double(st, 2) == 2.5);
    size_t len = 0;
    const void *p = store_col_blob(st, 3, &len);
    assert_int_equal(len, sizeof(blob));
    assert_memory_equal(p, blob, sizeof(blob));
    assert_int_equal(store_col_int(st, 4), 1); /* booleans read as 1/0, as in SQLite */
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_int_equal(store_col_int(st, 0), -1);
    assert_true(store_col_is_null(st, 1));
    assert_null(store_col_text(st, 1));
    assert_null(store_col_blob(st, 3, &len));
    assert_int_equal(store_step(st, &e), TL_DONE);
    assert_int_equal(store_step(st, &e), TL_DONE);
    store_finalize(st);

    /* Untyped parameters take their type from where they stand, even text for an integer. */
    int64_t n = 0;
    bool found = false;
    assert_int_equal(
        store_query_int(f->s, &e, &n, &found,
                        "SELECT count(*) FROM t WHERE (? IS NULL OR name = ?) AND id > ?", "tti",
                        NULL, NULL, (int64_t)-5),
        0);
    assert_true(found);
    assert_int_equal(n, 2);
    assert_int_equal(
        store_query_int(f->s, &e, &n, &found, "SELECT id FROM t WHERE id = ?", "t", "-1"), 0);
    assert_int_equal(n, -1);
    assert_int_equal(store_query_int(f->s, &e, &n, &found, "SELECT id FROM t WHERE id = 42", ""),
                     0);
    assert_false(found);
}

static void test_statements_interleave(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    for (int64_t i = 1; i <= 3; i++)
        assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (?, ?)", "it", i,
                                   i == 1   ? "a"
                                   : i == 2 ? "b"
                                            : "c"),
                         0);
    struct store_stmt *st;
    assert_int_equal(store_preparef(f->s, &e, &st, "SELECT id FROM t ORDER BY id", ""), 0);
    int rows = 0;
    while (store_step(st, &e) == TL_ROW) {
        /* Another statement on the same connection while this one has rows left. */
        assert_int_equal(
            store_run(f->s, &e, "UPDATE t SET x = ? WHERE id = ?", "di", 1.5, store_col_int(st, 0)),
            0);
        assert_int_equal(store_changes(f->s), 1);
        rows++;
    }
    store_finalize(st);
    assert_int_equal(rows, 3);
    assert_int_equal(count(f->s, "x = 1.5"), 3);
}

static void test_conflicts_and_savepoints(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (1, 'a')", ""), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (2, 'a')", ""),
                     TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "duplicate key"));

    /* A failed statement aborts PostgreSQL's transaction; rolling back the
     * savepoint around it recovers, as SQLite's statement rollback does. */
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (3, 'c')", ""), 0);
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_tx_depth(f->s), 2);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (4, 'c')", ""),
                     TL_ECONFLICT);
    store_rollback(f->s);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (5, 'e')", ""), 0);
    assert_int_equal(store_commit(f->s, &e), 0);
    assert_int_equal(count(f->s, ""), 3);

    /* A trigger's exception is a conflict too (SQLite's RAISE(ABORT)). */
    assert_int_equal(store_exec(f->s,
                                "CREATE FUNCTION no() RETURNS trigger LANGUAGE plpgsql AS $$ "
                                "BEGIN RAISE EXCEPTION 't is append-only'; END $$; "
                                "CREATE TRIGGER t_no BEFORE DELETE ON t FOR EACH ROW "
                                "EXECUTE FUNCTION no()",
                                &e),
                     0);
    assert_int_equal(store_run(f->s, &e, "DELETE FROM t", ""), TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "t is append-only"));
    assert_int_equal(store_exec(f->s, "SELEC 1", &e), TL_ESTORE);
    assert_non_null(strstr(e.msg, "syntax error"));

    /* Closing rolls back what is open. */
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (6, 'f')", ""), 0);
    store_close(f->s);
    assert_int_equal(store_open(f->url, 0, &f->s, &e), 0);
    assert_int_equal(count(f->s, ""), 3);
}

static void test_tenant_and_locks(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    const char *q = "SELECT current_setting('tillit.org_id', true) = ?";
    int64_t same = 0;
    assert_int_equal(store_set_tenant(f->s, "org-a", &e), 0);
    assert_int_equal(store_query_int(f->s, &e, &same, NULL, q, "t", "org-a"), 0);
    assert_int_equal(same, 1);
    /* Set inside a transaction: in force there, and for the session after
     * it, whether it commits or not. */
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_set_tenant(f->s, "org-b", &e), 0);
    assert_int_equal(store_query_int(f->s, &e, &same, NULL, q, "t", "org-b"), 0);
    assert_int_equal(same, 1);
    store_rollback(f->s);
    assert_int_equal(store_query_int(f->s, &e, &same, NULL, q, "t", "org-b"), 0);
    assert_int_equal(same, 1);
    assert_int_equal(store_set_tenant(f->s, NULL, &e), 0);
    assert_int_equal(store_query_int(f->s, &e, &same, NULL, q, "t", ""), 0);
    assert_int_equal(same, 1);

    assert_int_equal(store_lock_key(f->s, "chain", &e), TL_EINTERNAL);
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_lock_key(f->s, "chain", &e), 0);
    assert_int_equal(store_lock_key(f->s, "chain", &e), 0); /* re-entrant */
    /* A second connection cannot take it while we hold it. */
    struct store *other = NULL;
    assert_int_equal(store_open(f->url, 0, &other, &e), 0);
    int64_t got = 1;
    assert_int_equal(store_query_int(other, &e, &got, NULL,
                                     "SELECT pg_try_advisory_lock(hashtext(?::text))::int", "t",
                                     "chain"),
                     0);
    assert_int_equal(got, 0);
    assert_int_equal(store_commit(f->s, &e), 0);
    assert_int_equal(store_query_int(other, &e, &got, NULL,
                                     "SELECT pg_try_advisory_lock(hashtext(?::text))::int", "t",
                                     "chain"),
                     0);
    assert_int_equal(got, 1);
    store_close(other);
}

static void test_tables_in_dependency_order(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    assert_int_equal(store_exec(f->s,
                                "CREATE TABLE a_child (id TEXT PRIMARY KEY, "
                                "parent TEXT REFERENCES z_parent (id), "
                                "up TEXT REFERENCES a_child (id))",
                                &e),
                     TL_ESTORE);
    assert_int_equal(store_exec(f->s,
                                "CREATE TABLE z_parent (id TEXT PRIMARY KEY); "
                                "CREATE TABLE a_child (id TEXT PRIMARY KEY, "
                                "parent TEXT REFERENCES z_parent (id), "
                                "up TEXT REFERENCES a_child (id))",
                                &e),
                     0);
    struct arena a = ARENA_INIT;
    struct store_table *t;
    size_t n = 0;
    assert_int_equal(store_tables(f->s, &a, &t, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(t[0].name, "t");
    assert_string_equal(t[1].name, "z_parent");
    assert_string_equal(t[2].name, "a_child");
    assert_int_equal(t[2].n_self_refs, 1);
    assert_string_equal(t[2].self_refs[0], "up");
    bool all = false;
    assert_int_equal(store_sees_all(f->s, &all, &e), 0);
    assert_true(all);
    assert_int_equal(store_backup_file(f->s, "/tmp/x", &e), TL_EUNSUPPORTED);
    arena_release(&a);
}

static void test_reconnects_outside_transactions(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    int64_t pid = 0, same = 0, killed = 0;
    assert_int_equal(store_set_tenant(f->s, "org-r", &e), 0);
    assert_int_equal(store_query_int(f->s, &e, &pid, NULL, "SELECT pg_backend_pid()", ""), 0);
    struct store *admin = NULL;
    assert_int_equal(store_open(f->url, 0, &admin, &e), 0);
    assert_int_equal(store_query_int(admin, &e, &killed, NULL,
                                     "SELECT pg_terminate_backend(?::int)::int", "i", pid),
                     0);
    assert_int_equal(killed, 1);
    store_close(admin);
    /* The statement that finds the connection gone fails; the next one runs
     * on a new connection, for the same tenant. */
    assert_int_equal(store_query_int(f->s, &e, &same, NULL, "SELECT 1", ""), TL_ESTORE);
    assert_int_equal(store_query_int(f->s, &e, &same, NULL,
                                     "SELECT current_setting('tillit.org_id', true) = ?", "t",
                                     "org-r"),
                     0);
    assert_int_equal(same, 1);
    assert_int_equal(count(f->s, ""), 0);
}

static void test_readonly(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct err e = ERR_INIT;
    struct store *ro = NULL;
    assert_int_equal(store_open(f->url, STORE_READONLY, &ro, &e), 0);
    assert_int_equal(count(ro, ""), 0);
    assert_int_not_equal(store_run(ro, &e, "INSERT INTO t (id) VALUES (1)", ""), 0);
    assert_non_null(strstr(e.msg, "read-only"));
    store_close(ro);
    assert_int_equal(store_open("postgres://u:sekrit@127.0.0.1:1/none?password=sekrit2&"
                                "connect_timeout=2",
                                0, &ro, &e),
                     TL_ESTORE);
    assert_null(ro);
    assert_non_null(strstr(e.msg, "cannot connect to 'postgres://u@127.0.0.1:1/none?"));
    assert_null(strstr(e.msg, "sekrit"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translate),
        T(test_name_hides_password),
        T(test_bind_step_columns),
        T(test_statements_interleave),
        T(test_conflicts_and_savepoints),
        T(test_tenant_and_locks),
        T(test_tables_in_dependency_order),
        T(test_reconnects_outside_transactions),
        T(test_readonly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

static void test_built_without(void **state)
{
    (void)state;
    skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_built_without)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
