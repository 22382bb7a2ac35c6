/* test_fault.c - fault injection: a use case that fails at any statement
 * leaves the database exactly as it was (nothing half-written, the audit
 * chain intact). Walks the demo organization's creation - several hundred
 * audited changes in one transaction - failing it at points spread over
 * its whole length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/demo.h"
#include "base/crypto.h"

static char dir[64];

static void fresh_db(struct app *app, const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    struct err e = ERR_INIT;
    int from, to;
    app_init(app);
    app->now = 1790848800; /* 2026-10-01T10:00:00Z: after every date in the demo */
    assert_int_equal(app_create_db(app, path, &from, &to, &e), 0);
}

static int64_t count(struct app *app, const char *table)
{
    char sql[128];
    int64_t n = -1;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    assert_int_equal(store_query_int(app->store, NULL, &n, NULL, sql, ""), 0);
    return n;
}

/* Runs the demo on a wrapped store; returns its result and the calls made. */
static int demo_with_fault(struct app *app, long fail_at, long *calls, struct err *e)
{
    struct store *inner = app->store;
    app->store = store_fault_wrap(inner, fail_at);
    struct arena a = ARENA_INIT;
    struct app_demo_counts n;
    const char *slug;
    int rc = app_demo_create(app, &a, NULL, &n, &slug, e);
    *calls = store_fault_calls(app->store);
    store_fault_unwrap(app->store);
    app->store = inner;
    arena_release(&a);
    return rc;
}

static void test_every_failure_rolls_back(void **state)
{
    (void)state;
    struct app app;
    struct err e = ERR_INIT;
    long total;
    fresh_db(&app, "count.db");
    assert_int_equal(demo_with_fault(&app, -1, &total, &e), 0);
    assert_true(total > 500);
    app_release(&app);

    const int points = 24;
    for (int i = 0; i <= points; i++) {
        long at = i == points ? total - 1 : total * i / points;
        char name[32];
        snprintf(name, sizeof(name), "f%d.db", i);
        fresh_db(&app, name);
        int64_t audit_before = count(&app, "audit_log");
        long calls;
        err_clear(&e);
        int rc = demo_with_fault(&app, at, &calls, &e);
        if (rc == 0 || count(&app, "organization") != 0)
            print_error("a fault at statement %ld of %ld: rc %d, %s\n", at, total, rc, e.msg);
        assert_int_not_equal(rc, 0);
        assert_non_null(strstr(e.msg, "injected fault"));
        assert_int_equal(count(&app, "organization"), 0);
        assert_int_equal(count(&app, "person"), 0);
        assert_int_equal(count(&app, "control"), 0);
        assert_int_equal(count(&app, "policy_version"), 0);
        assert_int_equal(count(&app, "audit_log"), audit_before);
        struct audit_verify_result r;
        assert_int_equal(audit_verify(&app, &r, &e), 0);
        assert_true(r.ok);
        assert_int_equal(store_tx_depth(app.store), 0);
        app_release(&app);
    }
}

static void test_no_fault_counts_only(void **state)
{
    (void)state;
    struct app app;
    struct err e = ERR_INIT;
    long calls;
    fresh_db(&app, "ok.db");
    assert_int_equal(demo_with_fault(&app, -1, &calls, &e), 0);
    assert_int_equal(count(&app, "organization"), 1);
    assert_int_equal(count(&app, "person"), 50);
    app_release(&app);
}

int main(void)
{
    struct err e = ERR_INIT;
    if (crypto_init(&e))
        return 1;
    snprintf(dir, sizeof(dir), "/tmp/tillit-fault.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_fault_counts_only),
        cmocka_unit_test(test_every_failure_rolls_back),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return rc;
}
