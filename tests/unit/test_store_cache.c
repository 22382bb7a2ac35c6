/* test_store_cache.c - SQLite's per-connection statement cache: a statement
 * prepared again is the kept one, reset and unbound; the same SQL prepared
 * while in use is a second statement; a finalize mid-way releases the read
 * snapshot; many texts stay within the bound; a schema change is seen.
 * And read scopes (store_read_begin): one snapshot, ended by any write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "testutil.h"

struct fixture {
    struct tu_dbfile f;
    struct store *s;
};

static int setup(void **state)
{
    static struct fixture fx;
    struct err e = ERR_INIT;
    memset(&fx, 0, sizeof(fx));
    if (tu_dbfile_make(&fx.f, "store-cache") != 0 ||
        store_open(fx.f.path, STORE_CREATE, &fx.s, &e) != 0 ||
        store_exec(fx.s,
                   "CREATE TABLE t (k INTEGER, v TEXT); "
                   "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');",
                   &e) != 0)
        return -1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    store_close(fx->s);
    tu_dbfile_remove(&fx->f);
    return 0;
}

static const char *value_of(struct store *s, int64_t k, char *buf, size_t n)
{
    struct err e = ERR_INIT;
    struct store_stmt *st;
    assert_int_equal(store_preparef(s, &e, &st, "SELECT v FROM t WHERE k = ?", "i", k), 0);
    int rc = store_step(st, &e);
    snprintf(buf, n, "%s", rc == TL_ROW ? store_col_text(st, 0) : "(none)");
    store_finalize(st);
    return buf;
}

static void test_prepared_again_is_reset_and_unbound(void **state)
{
    struct fixture *fx = *state;
    char buf[32];
    assert_string_equal(value_of(fx->s, 1, buf, sizeof(buf)), "one");
    assert_string_equal(value_of(fx->s, 3, buf, sizeof(buf)), "three");
    assert_string_equal(value_of(fx->s, 9, buf, sizeof(buf)), "(none)");
    /* bindings do not survive a finalize: unbound is NULL, which matches nothing */
    struct err e = ERR_INIT;
    struct store_stmt *st;
    assert_int_equal(store_prepare(fx->s, "SELECT v FROM t WHERE k = ?", &st, &e), 0);
    assert_int_equal(store_step(st, &e), TL_DONE);
    store_finalize(st);
}

static void test_same_sql_while_in_use(void **state)
{
    struct fixture *fx = *state;
    struct err e = ERR_INIT;
    struct store_stmt *outer, *inner;
    const char *sql = "SELECT k, v FROM t ORDER BY k";
    assert_int_equal(store_prepare(fx->s, sql, &outer, &e), 0);
    assert_int_equal(store_step(outer, &e), TL_ROW);
    assert_int_equal(store_col_int(outer, 0), 1);
    assert_int_equal(store_prepare(fx->s, sql, &inner, &e), 0);
    assert_ptr_not_equal(outer, inner);
    int rows = 0;
    while (store_step(inner, &e) == TL_ROW)
        rows++;
    assert_int_equal(rows, 3);
    store_finalize(inner);
    /* the outer one goes on where it was */
    assert_int_equal(store_step(outer, &e), TL_ROW);
    assert_int_equal(store_col_int(outer, 0), 2);
    store_finalize(outer);
}

static void test_finalize_releases_the_snapshot(void **state)
{
    struct fixture *fx = *state;
    struct err e = ERR_INIT;
    struct store *other;
    assert_int_equal(store_open(fx->f.path, 0, &other, &e), 0);
    struct store_stmt *st;
    assert_int_equal(store_prepare(fx->s, "SELECT k FROM t ORDER BY k", &st, &e), 0);
    assert_int_equal(store_step(st, &e), TL_ROW);
    store_finalize(st); /* mid-way: kept, and must be reset */
    assert_int_equal(store_run(other, &e, "INSERT INTO t VALUES (4, 'four')", ""), 0);
    int64_t n = 0;
    assert_int_equal(store_query_int(fx->s, &e, &n, NULL, "SELECT count(*) FROM t", ""), 0);
    assert_int_equal(n, 4);
    assert_int_equal(store_run(other, &e, "DELETE FROM t WHERE k = 4", ""), 0);
    store_close(other);
}

static void test_many_texts_and_schema_changes(void **state)
{
    struct fixture *fx = *state;
    struct err e = ERR_INIT;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 300; i++) {
            char sql[64];
            int64_t v = 0;
            snprintf(sql, sizeof(sql), "SELECT %d + count(*) FROM t", i);
            assert_int_equal(store_query_int(fx->s, &e, &v, NULL, sql, ""), 0);
            assert_int_equal(v, i + 3);
        }
    }
    struct store_stmt *st;
    assert_int_equal(store_prepare(fx->s, "SELECT * FROM t", &st, &e), 0);
    assert_int_equal(store_col_count(st), 2);
    store_finalize(st);
    assert_int_equal(store_exec(fx->s, "ALTER TABLE t ADD COLUMN w TEXT", &e), 0);
    assert_int_equal(store_prepare(fx->s, "SELECT * FROM t", &st, &e), 0);
    assert_int_equal(store_step(st, &e), TL_ROW);
    assert_int_equal(store_col_count(st), 3);
    store_finalize(st);
    /* a statement that does not compile is an error, every time */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_prepare(fx->s, "SELECT nope FROM t", &st, &e), TL_ESTORE);
        assert_non_null(strstr(e.msg, "nope"));
    }
}

static int64_t count_rows(struct store *s)
{
    struct err e = ERR_INIT;
    int64_t n = -1;
    assert_int_equal(store_query_int(s, &e, &n, NULL, "SELECT count(*) FROM t", ""), 0);
    return n;
}

/* A read scope: one snapshot for the reads in it; a write (autocommit, or
 * a transaction) ends it first and is seen by others at once; a scope is
 * not opened inside a transaction. */
static void test_read_scope(void **state)
{
    struct fixture *fx = *state;
    struct err e = ERR_INIT;
    struct store *other;
    assert_int_equal(store_open(fx->f.path, 0, &other, &e), 0);
    int64_t before = count_rows(fx->s);

    store_read_begin(fx->s);
    assert_int_equal(count_rows(fx->s), before);
    assert_int_equal(store_run(other, &e, "INSERT INTO t (k, v) VALUES (10, 'ten')", ""), 0);
    assert_int_equal(count_rows(fx->s), before); /* the scope's snapshot */
    store_read_end(fx->s);
    assert_int_equal(count_rows(fx->s), before + 1);

    /* an autocommit write in a scope: committed, and seen by the other */
    store_read_begin(fx->s);
    assert_int_equal(count_rows(fx->s), before + 1);
    assert_int_equal(store_run(other, &e, "INSERT INTO t (k, v) VALUES (11, 'eleven')", ""), 0);
    assert_int_equal(store_run(fx->s, &e, "DELETE FROM t WHERE k = 10", ""), 0);
    assert_int_equal(count_rows(other), before + 1);
    assert_int_equal(count_rows(fx->s), before + 1); /* 11 in, 10 out: reads autocommit again */
    store_read_end(fx->s);

    /* a transaction in a scope starts fresh, from the newest data */
    store_read_begin(fx->s);
    assert_int_equal(count_rows(fx->s), before + 1);
    assert_int_equal(store_run(other, &e, "INSERT INTO t (k, v) VALUES (12, 'twelve')", ""), 0);
    assert_int_equal(store_begin(fx->s, &e), 0);
    assert_int_equal(count_rows(fx->s), before + 2);
    assert_int_equal(store_run(fx->s, &e, "DELETE FROM t WHERE k IN (11, 12)", ""), 0);
    assert_int_equal(store_commit(fx->s, &e), 0);
    store_read_end(fx->s);
    assert_int_equal(count_rows(other), before);

    /* inside a transaction a scope is not opened, and ending none is harmless */
    assert_int_equal(store_begin(fx->s, &e), 0);
    store_read_begin(fx->s);
    assert_int_equal(store_tx_depth(fx->s), 1);
    store_read_end(fx->s);
    assert_int_equal(store_run(fx->s, &e, "INSERT INTO t (k, v) VALUES (13, 'x')", ""), 0);
    store_rollback(fx->s);
    assert_int_equal(count_rows(other), before);
    store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepared_again_is_reset_and_unbound),
        cmocka_unit_test(test_same_sql_while_in_use),
        cmocka_unit_test(test_finalize_releases_the_snapshot),
        cmocka_unit_test(test_many_texts_and_schema_changes),
        cmocka_unit_test(test_read_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
