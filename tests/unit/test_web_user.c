/* test_web_user.c - accounts behind the web face (app/user.c): roles,
 * app_authz, sessions and their timeouts, rate limiting, API tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/user.h"
#include "base/crypto.h"

#define PW "correct horse battery"

struct fixture {
    char dir[64], path[128];
    struct app app;
    struct arena a;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f || crypto_init(NULL) != 0)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/tillit-test-user-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    app_init(&f->app);
    if (time_parse("2026-03-01T12:00:00Z", &f->app.now, NULL) != 0)
        return -1;
    int from, to;
    struct err e = ERR_INIT;
    struct app_org acme = {.slug = "acme", .name = "Acme"}, beta = {.slug = "beta", .name = "B"};
    if (app_create_db(&f->app, f->path, &from, &to, &e) != 0 ||
        app_org_create(&f->app, &f->a, &acme, NULL, &e) != 0 ||
        app_org_create(&f->app, &f->a, &beta, NULL, &e) != 0 ||
        app_user_add(&f->app, &f->a, "Ann@Example.com", "Ann", PW, NULL, NULL, &e) != 0 ||
        app_user_grant(&f->app, &f->a, "ann@example.com", "acme", "contributor", &e) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    app_release(&f->app);
    arena_release(&f->a);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char p[160];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static void test_role_matrix(void **state)
{
    (void)state;
    assert_true(app_role_allows("viewer", APP_READ));
    assert_false(app_role_allows("viewer", APP_CONTRIBUTE));
    assert_true(app_role_allows("contributor", APP_CONTRIBUTE));
    assert_false(app_role_allows("contributor", APP_EDIT));
    assert_true(app_role_allows("editor", APP_EDIT));
    assert_false(app_role_allows("editor", APP_ADMIN));
    assert_false(app_role_allows("editor", APP_WORKPAPER));
    assert_true(app_role_allows("auditor", APP_WORKPAPER));
    assert_false(app_role_allows("auditor", APP_EDIT));
    assert_false(app_role_allows("auditor", APP_READ));
    assert_true(app_role_allows("auditor", APP_ENGAGE));
    assert_true(app_role_allows("viewer", APP_ENGAGE));
    assert_false(app_role_allows("boss", APP_ENGAGE));
    assert_true(app_role_allows("admin", APP_ADMIN));
    assert_false(app_role_allows("boss", APP_READ));
    assert_false(app_role_allows(NULL, APP_READ));
}

static void test_authz(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct app_user u;
    struct app_org org;
    const char *role;
    assert_int_equal(app_user_get(&f->app, &f->a, "ANN@example.com", &u, &e), 0);
    assert_string_equal(u.email, "ann@example.com");
    assert_int_equal(app_authz(&f->app, &f->a, &u, "acme", APP_CONTRIBUTE, &org, &role, &e), 0);
    assert_string_equal(org.slug, "acme");
    assert_string_equal(role, "contributor");
    assert_int_equal(app_authz(&f->app, &f->a, &u, "acme", APP_EDIT, NULL, NULL, &e), TL_EPERM);
    /* not a member and not existing look the same */
    assert_int_equal(app_authz(&f->app, &f->a, &u, "beta", APP_READ, NULL, NULL, &e), TL_ENOTFOUND);
    assert_string_equal(e.msg, "no organization 'beta'");
    assert_int_equal(app_authz(&f->app, &f->a, &u, "gamma", APP_READ, NULL, NULL, &e),
                     TL_ENOTFOUND);
    assert_string_equal(e.msg, "no organization 'gamma'");
    assert_int_equal(app_authz(&f->app, &f->a, NULL, "acme", APP_READ, NULL, NULL, &e),
                     TL_ENOTFOUND);
    assert_int_equal(app_user_revoke(&f->app, &f->a, "ann@example.com", "acme", &e), 0);
    assert_int_equal(app_authz(&f->app, &f->a, &u, "acme", APP_READ, NULL, NULL, &e), TL_ENOTFOUND);
}

static void test_session_timeouts(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct app_login l;
    struct app_session s;
    tl_time t0 = f->app.now;
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "1.2.3.4", NULL, &l, &e), 0);
    const char *tok = l.token;
    assert_int_equal(strlen(tok), 64);
    assert_true(app_csrf_ok(&l.session, l.session.csrf));
    assert_false(app_csrf_ok(&l.session, "nope"));
    assert_false(app_csrf_ok(&l.session, NULL));
    /* active every 29 minutes: lives until the absolute limit */
    for (tl_time t = t0; t < t0 + APP_SESSION_ABSOLUTE; t += 29 * 60) {
        f->app.now = t;
        assert_int_equal(app_session_get(&f->app, &f->a, tok, &s, &e), 0);
    }
    f->app.now = t0 + APP_SESSION_ABSOLUTE;
    assert_int_equal(app_session_get(&f->app, &f->a, tok, &s, &e), TL_ENOTFOUND);
    /* idle for 30 minutes: gone */
    f->app.now = t0;
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "1.2.3.4", NULL, &l, &e), 0);
    f->app.now = t0 + APP_SESSION_IDLE - 1;
    assert_int_equal(app_session_get(&f->app, &f->a, l.token, &s, &e), 0);
    f->app.now = t0 + 2 * APP_SESSION_IDLE - 2;
    assert_int_equal(app_session_get(&f->app, &f->a, l.token, &s, &e), 0);
    f->app.now = t0 + 3 * APP_SESSION_IDLE;
    assert_int_equal(app_session_get(&f->app, &f->a, l.token, &s, &e), TL_ENOTFOUND);
    /* rotation: logging in with an old token ends it */
    f->app.now = t0;
    struct app_login l2;
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "1.2.3.4", NULL, &l, &e), 0);
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "1.2.3.4", l.token, &l2, &e),
                     0);
    assert_string_not_equal(l.token, l2.token);
    assert_int_equal(app_session_get(&f->app, &f->a, l.token, &s, &e), TL_ENOTFOUND);
    assert_int_equal(app_logout(&f->app, l2.token, &e), 0);
    assert_int_equal(app_session_get(&f->app, &f->a, l2.token, &s, &e), TL_ENOTFOUND);
    /* a password change ends every session */
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "1.2.3.4", NULL, &l, &e), 0);
    assert_int_equal(
        app_user_set_password(&f->app, &f->a, "ann@example.com", "another long one", &e), 0);
    assert_int_equal(app_session_get(&f->app, &f->a, l.token, &s, &e), TL_ENOTFOUND);
}

static void test_rate_limit(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct app_login l;
    tl_time t0 = f->app.now;
    for (int i = 0; i < APP_LOGIN_MAX_FAILURES; i++) {
        assert_int_equal(
            app_login(&f->app, &f->a, "ann@example.com", "wrong", "9.9.9.9", NULL, &l, &e),
            TL_EPERM);
        assert_false(l.rate_limited);
    }
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "9.9.9.9", NULL, &l, &e),
                     TL_EPERM);
    assert_true(l.rate_limited);
    /* another address is not limited */
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "8.8.8.8", NULL, &l, &e), 0);
    /* the window passes */
    f->app.now = t0 + APP_LOGIN_WINDOW + 1;
    assert_int_equal(app_login(&f->app, &f->a, "ann@example.com", PW, "9.9.9.9", NULL, &l, &e), 0);
    /* an unknown email fails like a wrong password */
    assert_int_equal(app_login(&f->app, &f->a, "nobody@example.com", PW, "9.9.9.9", NULL, &l, &e),
                     TL_EPERM);
    assert_string_equal(e.msg, "wrong email or password");
}

static void test_tokens(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    const char *tok;
    struct app_user u;
    assert_int_equal(app_token_create(&f->app, &f->a, "ann@example.com", "ci", &tok, &e), 0);
    assert_int_equal(strncmp(tok, "tlt_", 4), 0);
    assert_int_equal(app_token_auth(&f->app, &f->a, tok, &u, &e), 0);
    assert_string_equal(u.email, "ann@example.com");
    assert_int_equal(app_token_auth(&f->app, &f->a, "tlt_nope", &u, &e), TL_ENOTFOUND);
    assert_int_equal(app_token_auth(&f->app, &f->a, NULL, &u, &e), TL_ENOTFOUND);
}

static void test_bad_input(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    assert_int_equal(app_user_add(&f->app, &f->a, "not-an-email", NULL, PW, NULL, NULL, &e),
                     TL_EINPUT);
    assert_int_equal(app_user_add(&f->app, &f->a, "x@example.com", NULL, "short", NULL, NULL, &e),
                     TL_EINPUT);
    assert_int_equal(app_user_add(&f->app, &f->a, "ANN@example.com", NULL, PW, NULL, NULL, &e),
                     TL_EEXIST);
    assert_int_equal(app_user_grant(&f->app, &f->a, "ann@example.com", "acme", "root", &e),
                     TL_EINPUT);
    assert_int_equal(app_user_grant(&f->app, &f->a, "ann@example.com", "nope", "viewer", &e),
                     TL_ENOTFOUND);
    const char *gen;
    assert_int_equal(app_user_add(&f->app, &f->a, "gen@example.com", NULL, NULL, &gen, NULL, &e),
                     0);
    assert_int_equal(strlen(gen), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_matrix),
        cmocka_unit_test_setup_teardown(test_authz, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_timeouts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
