/* test_audit.c - the tamper-evident audit log over a real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "store/migrate.h"

#include "testutil.h"

#define ORG "01hqorgchain0000000000000a"

static int setup(void **state)
{
    struct tu_app *t = calloc(1, sizeof(*t));
    if (!t || tu_app_open(t, "audit", "cli:alice") != 0)
        return -1;
    *state = t;
    return 0;
}

static void append(struct app *app, const char *org, const char *action, const char *id,
                   const char *before, const char *after)
{
    struct err e = ERR_INIT;
    if (store_begin(app->store, &e) != 0 ||
        audit_append(app, org, action, "control", id, before, after, &e) != 0 ||
        store_commit(app->store, &e) != 0)
        fail_msg("append '%s': %s", action, e.msg);
}

static struct audit_verify_result verify(struct app *app)
{
    struct audit_verify_result r;
    struct err e = ERR_INIT;
    if (audit_verify(app, &r, &e) != 0)
        fail_msg("audit_verify: %s", e.msg);
    return r;
}

/* Three installation entries after init, two for an organization. */
static void fill(struct app *app)
{
    append(app, NULL, "org.create", "acme", NULL, "{\"slug\":\"acme\"}");
    append(app, NULL, "user.add", "bob", NULL, "{\"name\":\"Bob\"}");
    append(app, NULL, "user.role", "bob", "{\"role\":\"viewer\"}", "{\"role\":\"admin\"}");
    append(app, ORG, "control.adopt", "AC-1", NULL, "{\"code\":\"AC-1\"}");
    append(app, ORG, "control.edit", "AC-1", "{\"code\":\"AC-1\"}", "{\"code\":\"AC-2\"}");
}

static void test_create_writes_first_entry(void **state)
{
    struct tu_app *f = *state;
    assert_int_equal(tu_audit_count(&f->app), 1);
    struct audit_verify_result r = verify(&f->app);
    assert_true(r.ok);
    assert_int_equal(r.verified, 1);
    assert_int_equal(migrate_check(f->app.store, store_migrations, NULL), 0);
}

struct collected {
    int n;
    struct audit_entry en[16];
};

static int collect(void *ud, const struct audit_entry *en)
{
    struct collected *c = ud;
    if (c->n < 16)
        c->en[c->n++] = *en;
    return 0;
}

static void test_append_and_verify(void **state)
{
    struct tu_app *f = *state;
    fill(&f->app);
    assert_int_equal(tu_audit_count(&f->app), 6);
    struct audit_verify_result r = verify(&f->app);
    assert_true(r.ok);
    assert_int_equal(r.verified, 6);
    assert_string_equal(r.reason, "");

    struct arena a = ARENA_INIT;
    struct collected c = {0};
    struct err e = ERR_INIT;
    assert_int_equal(audit_each(&f->app, &a, "", 0, collect, &c, &e), 0);
    assert_int_equal(c.n, 4);
    for (int i = 0; i < c.n; i++) {
        assert_string_equal(c.en[i].chain, "");
        assert_string_equal(c.en[i].chain_name, "installation");
        assert_int_equal(c.en[i].seq, i + 1);
        assert_int_equal(strlen(c.en[i].hash), 64);
        if (i > 0)
            assert_string_equal(c.en[i].prev_hash, c.en[i - 1].hash);
    }
    assert_string_equal(c.en[0].action, "init");
    assert_string_equal(c.en[0].prev_hash,
                        "0000000000000000000000000000000000000000000000000000000000000000");
    assert_string_equal(c.en[1].at, "2026-03-01T12:00:00Z");
    assert_string_equal(c.en[1].actor, "cli:alice");
    assert_null(c.en[1].before);
    assert_string_equal(c.en[1].after, "{\"slug\":\"acme\"}");
    assert_string_equal(c.en[3].before, "{\"role\":\"viewer\"}");
    /* Each entry's hash is SHA-256 over its canonical form. */
    struct sb sb = SB_INIT;
    char hash[SHA256_HEX];
    assert_int_equal(audit_canonical(&c.en[1], &sb), 0);
    crypto_sha256_hex(sb.buf, sb.len, hash);
    assert_string_equal(hash, c.en[1].hash);
    sb_release(&sb);

    /* The organization's chain starts over at 1 from the genesis hash. */
    c.n = 0;
    assert_int_equal(audit_each(&f->app, &a, ORG, 0, collect, &c, &e), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.en[0].seq, 1);
    assert_string_equal(c.en[0].chain, ORG);
    assert_string_equal(c.en[0].prev_hash,
                        "0000000000000000000000000000000000000000000000000000000000000000");
    /* A limit stops the walk. */
    c.n = 0;
    assert_int_equal(audit_each(&f->app, &a, NULL, 3, collect, &c, &e), 0);
    assert_int_equal(c.n, 3);
    arena_release(&a);
}

static void test_canonical_form(void **state)
{
    (void)state;
    struct audit_entry en = {.chain = "",
                             .seq = 7,
                             .at = "2026-03-01T12:00:00Z",
                             .actor = "cli:alice",
                             .action = "user.add",
                             .object_type = "user",
                             .object_id = "bob",
                             .before = NULL,
                             .after = "{\"a\":1}",
                             .prev_hash = "ab"};
    struct sb sb = SB_INIT;
    assert_int_equal(audit_canonical(&en, &sb), 0);
    assert_string_equal(sb.buf, "{\"action\":\"user.add\",\"actor\":\"cli:alice\",\"after\":"
                                "\"{\\\"a\\\":1}\",\"at\":\"2026-03-01T12:00:00Z\",\"before\":null,"
                                "\"chain\":\"\",\"object_id\":\"bob\",\"object_type\":\"user\","
                                "\"prev_hash\":\"ab\",\"seq\":7}");
    sb_release(&sb);
}

static void test_append_outside_transaction_fails(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    int rc = audit_append(&f->app, NULL, "user.add", "user", "bob", NULL, NULL, &e);
    assert_int_equal(rc, TL_EINTERNAL);
    assert_non_null(strstr(e.msg, "outside a transaction"));
    assert_int_equal(tu_audit_count(&f->app), 1);
}

static void test_rolled_back_entry_is_gone(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(store_begin(f->app.store, &e), 0);
    assert_int_equal(audit_append(&f->app, NULL, "user.add", "user", "bob", NULL, NULL, &e), 0);
    assert_int_equal(tu_audit_count(&f->app), 2);
    store_rollback(f->app.store);
    assert_int_equal(tu_audit_count(&f->app), 1);
    append(&f->app, NULL, "user.add", "carol", NULL, NULL);
    struct audit_verify_result r = verify(&f->app);
    assert_true(r.ok);
    assert_int_equal(r.verified, 2);
}

static void test_database_refuses_update_and_delete(void **state)
{
    struct tu_app *f = *state;
    fill(&f->app);
    struct err e = ERR_INIT;
    int rc =
        store_run(f->app.store, &e, "UPDATE audit_log SET actor = ? WHERE seq = 2", "t", "mallory");
    assert_int_equal(rc, TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "append-only"));
    rc = store_run(f->app.store, &e, "DELETE FROM audit_log WHERE seq = 2", "");
    assert_int_equal(rc, TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "append-only"));
    rc = store_run(f->app.store, &e, "DELETE FROM audit_log", "");
    assert_true(rc < 0);
    assert_int_equal(tu_audit_count(&f->app), 6);
    struct audit_verify_result r = verify(&f->app);
    assert_true(r.ok);
    assert_int_equal(r.verified, 6);
}

static void test_tampered_row_detected(void **state)
{
    struct tu_app *f = *state;
    fill(&f->app);
    struct err e = ERR_INIT;
    assert_int_equal(store_exec(f->app.store, "DROP TRIGGER audit_log_no_update", &e), 0);
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE audit_log SET actor = 'cli:mallory' "
                               "WHERE chain = '' AND seq = 3",
                               ""),
                     0);
    struct audit_verify_result r = verify(&f->app);
    assert_false(r.ok);
    assert_string_equal(r.bad_chain, "installation");
    assert_int_equal(r.bad_seq, 3);
    assert_string_equal(r.reason, "content does not match its hash");
    assert_int_equal(r.verified, 2);
}

static void test_tampered_org_row_named_by_slug(void **state)
{
    struct tu_app *f = *state;
    fill(&f->app);
    struct err e = ERR_INIT;
    assert_int_equal(store_run(f->app.store, &e,
                               "INSERT INTO organization (id, slug, name, created_at) "
                               "VALUES (?, 'acme', 'Acme AB', '2026-03-01T12:00:00Z')",
                               "t", ORG),
                     0);
    assert_int_equal(store_exec(f->app.store, "DROP TRIGGER audit_log_no_update", &e), 0);
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE audit_log SET after_json = '{\"code\":\"XX\"}' "
                               "WHERE chain = ? AND seq = 2",
                               "t", ORG),
                     0);
    struct audit_verify_result r = verify(&f->app);
    assert_false(r.ok);
    assert_string_equal(r.bad_chain, "acme");
    assert_int_equal(r.bad_seq, 2);
    assert_int_equal(r.verified, 1 + 4); /* the org's first entry and the installation's four */
}

static void test_rehashed_row_breaks_link(void **state)
{
    struct tu_app *f = *state;
    fill(&f->app);
    struct err e = ERR_INIT;
    /* A forger who recomputes the changed entry's hash is caught by the next link. */
    struct arena a = ARENA_INIT;
    struct collected c = {0};
    assert_int_equal(audit_each(&f->app, &a, "", 0, collect, &c, &e), 0);
    struct audit_entry forged = c.en[1];
    forged.actor = "cli:mallory";
    struct sb sb = SB_INIT;
    char hash[SHA256_HEX];
    audit_canonical(&forged, &sb);
    crypto_sha256_hex(sb.buf, sb.len, hash);
    sb_release(&sb);
    assert_int_equal(store_exec(f->app.store, "DROP TRIGGER audit_log_no_update", &e), 0);
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE audit_log SET actor = ?, hash = ? WHERE chain = '' "
                               "AND seq = 2",
                               "tt", "cli:mallory", hash),
                     0);
    struct audit_verify_result r = verify(&f->app);
    assert_false(r.ok);
    assert_string_equal(r.bad_chain, "installation");
    assert_int_equal(r.bad_seq, 3);
    assert_string_equal(r.reason, "does not link to the previous entry");
    arena_release(&a);
}

static void test_deleted_row_is_a_gap(void **state)
{
    struct tu_app *f = *state;
    fill(&f->app);
    struct err e = ERR_INIT;
    assert_int_equal(store_exec(f->app.store, "DROP TRIGGER audit_log_no_delete", &e), 0);
    assert_int_equal(
        store_run(f->app.store, &e, "DELETE FROM audit_log WHERE chain = '' AND seq = 2", ""), 0);
    assert_int_equal(tu_audit_count(&f->app), 5);
    struct audit_verify_result r = verify(&f->app);
    assert_false(r.ok);
    assert_string_equal(r.bad_chain, "installation");
    assert_int_equal(r.bad_seq, 3);
    assert_string_equal(r.reason, "sequence has a gap");
    assert_int_equal(r.verified, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, tu_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_writes_first_entry),     T(test_append_and_verify),
        cmocka_unit_test(test_canonical_form), T(test_append_outside_transaction_fails),
        T(test_rolled_back_entry_is_gone),     T(test_database_refuses_update_and_delete),
        T(test_tampered_row_detected),         T(test_tampered_org_row_named_by_slug),
        T(test_rehashed_row_breaks_link),      T(test_deleted_row_is_a_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
