/* test_store.c - the storage interface over SQLite, in a temporary file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#include "testutil.h"

struct fixture {
    struct tu_dbfile db;
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f || tu_dbfile_make(&f->db, "store") != 0)
        return -1;
    struct err e = ERR_INIT;
    if (store_open(f->db.path, STORE_CREATE, &f->s, &e) != 0)
        return -1;
    if (store_exec(f->s,
                   "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, x REAL, b BLOB)",
                   &e) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char junk[160];
    store_close(f->s);
    /* test_open_garbage leaves a second file next to the database. */
    snprintf(junk, sizeof(junk), "%s/junk.db", f->db.dir);
    unlink(junk);
    tu_dbfile_remove(&f->db);
    free(f);
    return 0;
}

static int64_t count(struct store *s, const char *where)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM t%s%s", *where ? " WHERE " : "", where);
    int64_t n = -1;
    bool found = false;
    struct err e = ERR_INIT;
    if (store_query_int(s, &e, &n, &found, sql, "") != 0)
        fail_msg("%s: %s", sql, e.msg);
    assert_true(found);
    return n;
}

static void test_backend_and_name(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(store_backend(f->s), "sqlite");
    assert_string_equal(store_name(f->s), f->db.path);
    assert_int_equal(store_tx_depth(f->s), 0);
    /* "sqlite:PATH" names the same file. */
    char url[160];
    snprintf(url, sizeof(url), "sqlite:%s", f->db.path);
    struct store *s2 = NULL;
    struct err e = ERR_INIT;
    assert_int_equal(store_open(url, 0, &s2, &e), 0);
    assert_string_equal(store_name(s2), f->db.path);
    bool exists = false;
    assert_int_equal(store_table_exists(s2, "t", &exists, &e), 0);
    assert_true(exists);
    store_close(s2);
    store_close(NULL);
    assert_int_equal(store_open("", 0, &s2, &e), TL_EUSAGE);
    assert_null(s2);
    assert_int_equal(store_open("sqlite:", 0, &s2, &e), TL_EUSAGE);
}

static void test_bind_step_columns(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct store_stmt *st = NULL;
    assert_int_equal(
        store_prepare(f->s, "INSERT INTO t (id, name, x, b) VALUES (?, ?, ?, ?)", &st, &e), 0);
    static const unsigned char blob[] = {0x00, 0x01, 0xff, 0x00, 0x7f};
    store_bind_int(st, 1, INT64_C(9007199254740993));
    store_bind_text(st, 2, "åäö 'quoted'");
    store_bind_double(st, 3, 2.5);
    store_bind_blob(st, 4, blob, sizeof(blob));
    assert_int_equal(store_step(st, &e), TL_DONE);
    assert_int_equal(store_changes(f->s), 1);
    /* Reset, rebind: NULL text binds SQL NULL. */
    store_reset(st);
    store_bind_int(st, 1, -1);
    store_bind_text(st, 2, NULL);
    store_bind_null(st, 3);
    store_bind_null(st, 4);
    assert_int_equal(store_step(st, &e), TL_DONE);
    store_finalize(st);

    assert_int_equal(store_prepare(f->s, "SELECT id, name, x, b FROM t ORDER BY id DESC", &st, &e),
                     0);
    assert_int_equal(store_col_count(st), 4);
    assert_string_equal(store_col_name(st, 1), "name");
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_int_equal(store_col_int(st, 0), INT64_C(9007199254740993));
    assert_string_equal(store_col_text(st, 1), "åäö 'quoted'");
    assert_true(store_col_double(st, 2) == 2.5);
    size_t len = 0;
    const void *p = store_col_blob(st, 3, &len);
    assert_int_equal(len, sizeof(blob));
    assert_memory_equal(p, blob, sizeof(blob));
    assert_false(store_col_is_null(st, 1));
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_int_equal(store_col_int(st, 0), -1);
    assert_true(store_col_is_null(st, 1));
    assert_null(store_col_text(st, 1));
    assert_true(store_col_is_null(st, 2));
    assert_true(store_col_is_null(st, 3));
    assert_int_equal(store_step(st, &e), TL_DONE);
    store_finalize(st);
    store_finalize(NULL);
}

static void test_helpers(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name, x) VALUES (?, ?, ?)", "itd",
                               (int64_t)7, "seven", 7.0),
                     0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name, x) VALUES (?, ?, ?)", "itn",
                               (int64_t)8, (const char *)NULL),
                     0);
    int64_t v = 0;
    bool found = false;
    assert_int_equal(
        store_query_int(f->s, &e, &v, &found, "SELECT id FROM t WHERE name = ?", "t", "seven"), 0);
    assert_true(found);
    assert_int_equal(v, 7);
    v = 99;
    assert_int_equal(
        store_query_int(f->s, &e, &v, &found, "SELECT id FROM t WHERE name = ?", "t", "none"), 0);
    assert_false(found);
    assert_int_equal(v, 99);
    assert_int_equal(count(f->s, "name IS NULL AND x IS NULL"), 1);
    struct store_stmt *st = NULL;
    assert_int_equal(store_preparef(f->s, &e, &st, "SELECT x FROM t WHERE id = ?", "i", (int64_t)7),
                     0);
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_true(store_col_double(st, 0) == 7.0);
    store_finalize(st);
    /* SQL errors are TL_ESTORE with the database's words. */
    assert_int_equal(store_run(f->s, &e, "INSERT INTO nosuch VALUES (1)", ""), TL_ESTORE);
    assert_non_null(strstr(e.msg, "no such table: nosuch"));
    assert_int_equal(store_exec(f->s, "SELEC 1", &e), TL_ESTORE);
    assert_non_null(strstr(e.msg, "syntax error"));
    assert_int_equal(store_prepare(f->s, "SELECT nope FROM t", &st, &e), TL_ESTORE);
    assert_null(st);
}

static void test_constraint_is_conflict(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (1, 'a')", ""), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (2, 'a')", ""),
                     TL_ECONFLICT);
    assert_int_equal(e.code, TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "UNIQUE constraint failed: t.name"));
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (1, 'b')", ""),
                     TL_ECONFLICT);
    assert_int_equal(store_exec(f->s, "CREATE TABLE c (v INTEGER NOT NULL CHECK (v > 0))", &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO c VALUES (?)", "i", (int64_t)0),
                     TL_ECONFLICT);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO c VALUES (?)", "n"), TL_ECONFLICT);
    assert_int_equal(count(f->s, ""), 1);
}

static void test_nested_inner_rollback_keeps_outer(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (1, 'outer')", ""), 0);
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_tx_depth(f->s), 2);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (2, 'inner')", ""), 0);
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (3, 'innermost')", ""),
                     0);
    assert_int_equal(store_commit(f->s, &e), 0); /* innermost into inner */
    assert_int_equal(count(f->s, ""), 3);
    store_rollback(f->s); /* inner, with what innermost released into it */
    assert_int_equal(store_tx_depth(f->s), 1);
    assert_int_equal(count(f->s, ""), 1);
    /* The outer transaction goes on after an inner rollback. */
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (4, 'again')", ""), 0);
    assert_int_equal(store_commit(f->s, &e), 0);
    assert_int_equal(store_commit(f->s, &e), 0);
    assert_int_equal(store_tx_depth(f->s), 0);
    assert_int_equal(count(f->s, ""), 2);
    assert_int_equal(count(f->s, "name IN ('outer', 'again')"), 2);
    /* Committed means durable: another connection sees it. */
    struct store *s2 = NULL;
    assert_int_equal(store_open(f->db.path, STORE_READONLY, &s2, &e), 0);
    assert_int_equal(count(s2, ""), 2);
    store_close(s2);
}

static void test_outer_rollback_discards_all(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (1, 'outer')", ""), 0);
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (2, 'inner')", ""), 0);
    assert_int_equal(store_commit(f->s, &e), 0);
    assert_int_equal(count(f->s, ""), 2);
    store_rollback(f->s);
    assert_int_equal(store_tx_depth(f->s), 0);
    assert_int_equal(count(f->s, ""), 0);
    /* Extra rollbacks and commits are harmless or refused. */
    store_rollback(f->s);
    assert_int_equal(store_tx_depth(f->s), 0);
    assert_int_equal(store_commit(f->s, &e), TL_EINTERNAL);
    assert_string_equal(e.msg, "commit without a transaction");
}

static void test_close_rolls_back(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_begin(f->s, &e), 0);
    assert_int_equal(store_run(f->s, &e, "INSERT INTO t (id, name) VALUES (1, 'lost')", ""), 0);
    store_close(f->s);
    assert_int_equal(store_open(f->db.path, 0, &f->s, &e), 0);
    assert_int_equal(count(f->s, ""), 0);
}

static void test_table_exists(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    bool exists = false;
    assert_int_equal(store_table_exists(f->s, "t", &exists, &e), 0);
    assert_true(exists);
    exists = true;
    assert_int_equal(store_table_exists(f->s, "missing", &exists, &e), 0);
    assert_false(exists);
    assert_int_equal(store_exec(f->s, "CREATE VIEW v AS SELECT 1", &e), 0);
    assert_int_equal(store_table_exists(f->s, "v", &exists, &e), 0);
    assert_false(exists); /* a view is not a table */
}

static void test_readonly_refuses_writes(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct store *ro = NULL;
    assert_int_equal(store_open(f->db.path, STORE_READONLY, &ro, &e), 0);
    assert_int_equal(store_run(ro, &e, "INSERT INTO t (id) VALUES (1)", ""), TL_ESTORE);
    store_close(ro);
    assert_int_equal(count(f->s, ""), 0);
}

static void test_open_missing(void **state)
{
    struct fixture *f = *state;
    char path[160];
    snprintf(path, sizeof(path), "%s/none.db", f->db.dir);
    struct store *s = (struct store *)1;
    struct err e = ERR_INIT;
    assert_int_equal(store_open(path, 0, &s, &e), TL_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(e.msg, path));
    assert_non_null(strstr(e.msg, "tillit init"));
    assert_int_equal(access(path, F_OK), -1); /* not created as a side effect */
    assert_int_equal(store_open(path, STORE_READONLY, &s, &e), TL_ENOTFOUND);
    snprintf(path, sizeof(path), "%s/no/such/dir/x.db", f->db.dir);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &e), TL_ESTORE);
    assert_non_null(strstr(e.msg, "cannot open database"));
}

static void test_open_garbage(void **state)
{
    struct fixture *f = *state;
    char path[160];
    snprintf(path, sizeof(path), "%s/junk.db", f->db.dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 4096; i++)
        fputc((i * 37 + 11) & 0xff, fp);
    fclose(fp);
    struct store *s = (struct store *)1;
    struct err e = ERR_INIT;
    assert_int_equal(store_open(path, 0, &s, &e), TL_ESTORE);
    assert_null(s);
    assert_non_null(strstr(e.msg, "not a valid"));
    assert_non_null(strstr(e.msg, "database"));
    assert_non_null(strstr(e.msg, path));
    assert_int_equal(store_open(path, STORE_READONLY, &s, &e), TL_ESTORE);
    assert_non_null(strstr(e.msg, "not a valid"));
    assert_int_equal(store_open(path, STORE_CREATE, &s, &e), TL_ESTORE);
    assert_non_null(strstr(e.msg, "not a valid"));
}

static void test_postgres_unsupported(void **state)
{
    (void)state;
#ifndef HAVE_POSTGRES
    struct store *s = NULL;
    struct err e = ERR_INIT;
    assert_int_equal(store_open("postgres://u@localhost/db", 0, &s, &e), TL_EUNSUPPORTED);
    assert_non_null(strstr(e.msg, "without PostgreSQL"));
#else
    skip();
#endif
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_backend_and_name),
        T(test_bind_step_columns),
        T(test_helpers),
        T(test_constraint_is_conflict),
        T(test_nested_inner_rollback_keeps_outer),
        T(test_outer_rollback_discards_all),
        T(test_close_rolls_back),
        T(test_table_exists),
        T(test_readonly_refuses_writes),
        T(test_open_missing),
        T(test_open_garbage),
        cmocka_unit_test(test_postgres_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
