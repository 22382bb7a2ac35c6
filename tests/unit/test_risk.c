/* test_risk.c - risk scoring and model rules (domain/program.c), and the
 * risk register use cases (app/risk.c) over a real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/record.h"
#include "app/risk.h"
#include "domain/program.h"

#include "testutil.h"

/* --- domain rules ----------------------------------------------------------- */

static void test_score_and_bands(void **state)
{
    (void)state;
    assert_int_equal(dom_risk_score(4, 5), 20);
    assert_int_equal(dom_risk_score(1, 1), 1);
    assert_string_equal(dom_risk_band(1), "low");
    assert_string_equal(dom_risk_band(4), "low");
    assert_string_equal(dom_risk_band(5), "medium");
    assert_string_equal(dom_risk_band(9), "medium");
    assert_string_equal(dom_risk_band(10), "high");
    assert_string_equal(dom_risk_band(16), "high");
    assert_string_equal(dom_risk_band(17), "critical");
    assert_string_equal(dom_risk_band(25), "critical");
}

static void test_mitigate_needs_a_control(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(dom_risk_check("R1", 3, 3, "mitigate", 0, 0, 0, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "'mitigate' needs at least one linked control"));
    assert_non_null(strstr(e.msg, "R1"));
    assert_int_equal(dom_risk_check("R1", 3, 3, "mitigate", 0, 0, 1, &e), 0);
    /* Other treatments stand without controls. */
    assert_int_equal(dom_risk_check("R1", 3, 3, "accept", 0, 0, 0, &e), 0);
    assert_int_equal(dom_risk_check("R1", 3, 3, "transfer", 0, 0, 0, &e), 0);
    assert_int_equal(dom_risk_check("R1", 3, 3, "avoid", 0, 0, 0, &e), 0);
}

static void test_residual_comes_in_pairs(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(dom_risk_check("R1", 3, 3, "accept", 2, 0, 0, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "both residual likelihood and residual impact"));
    assert_int_equal(dom_risk_check("R1", 3, 3, "accept", 0, 2, 0, &e), TL_EINPUT);
    assert_int_equal(dom_risk_check("R1", 3, 3, "accept", 2, 2, 0, &e), 0);
}

static void test_residual_not_above_inherent(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    /* 3 x 2 = 6 > 2 x 2 = 4, although neither value alone is above 3. */
    assert_int_equal(dom_risk_check("R1", 2, 2, "accept", 3, 2, 0, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "residual score 6 exceeds inherent score 4"));
    assert_int_equal(dom_risk_check("R1", 2, 2, "accept", 2, 2, 0, &e), 0);
    assert_int_equal(dom_risk_check("R1", 2, 2, "accept", 4, 1, 0, &e), 0);
}

static void test_ranges_and_treatment(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(dom_risk_check("R1", 0, 3, "accept", 0, 0, 0, &e), TL_EINPUT);
    assert_int_equal(dom_risk_check("R1", 3, 6, "accept", 0, 0, 0, &e), TL_EINPUT);
    assert_int_equal(dom_risk_check("R1", 5, 5, "accept", 6, 1, 0, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "residual values must be 1 to 5"));
    assert_int_equal(dom_risk_check("R1", 5, 5, "ignore", 0, 0, 0, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "unknown treatment \"ignore\""));
    assert_int_equal(dom_risk_check("R1", 1, 1, "accept", 1, 1, 0, &e), 0);
    assert_int_equal(dom_risk_check("R1", 5, 5, "accept", 5, 5, 0, &e), 0);
}

/* --- use cases over a database ----------------------------------------------- */

static int seed(struct tu_app *f, const char *org_id, const char *what, const char *key)
{
    struct err e = ERR_INIT;
    if (strcmp(what, "person") == 0)
        return store_run(f->app.store, &e,
                         "INSERT INTO person (id, org_id, email, name) VALUES (?, ?, ?, ?)", "tttt",
                         app_new_id(&f->a), org_id, key, key);
    return store_run(f->app.store, &e,
                     "INSERT INTO control (id, org_id, code, title, frequency, nature, type) "
                     "VALUES (?, ?, ?, ?, 'annual', 'preventive', 'manual')",
                     "tttt", app_new_id(&f->a), org_id, key, key);
}

static int setup(void **state)
{
    if (tu_setup_two_orgs(state, "risk") != 0)
        return -1;
    struct tu_app *f = *state;
    int rc = seed(f, f->acme.id, "person", "ann@acme.test") |
             seed(f, f->acme.id, "control", "AC-01") | seed(f, f->acme.id, "control", "AC-02") |
             seed(f, f->acme.id, "control", "AC-03") | seed(f, f->beta.id, "control", "BX-01");
    return rc ? -1 : 0;
}

static int64_t count(struct tu_app *f, const char *sql)
{
    return tu_query_int(f->app.store, sql);
}

/* A risk of likelihood 4 and impact 5 with treatment and controls (codes). */
static int add_risk(struct tu_app *f, const char *code, const char *treatment,
                    const char **controls, size_t n, struct err *e)
{
    struct app_risk in = {.code = code,
                          .title = "title of risk",
                          .likelihood = 4,
                          .impact = 5,
                          .treatment = treatment,
                          .controls = controls,
                          .n_controls = n};
    return app_risk_create(&f->app, &f->a, f->acme.id, &in, e);
}

static void test_create_and_get(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    const char *ctl[] = {"AC-02", "AC-01", "AC-02"};
    struct app_risk in = {.code = "R-01",
                          .title = "Stolen credentials",
                          .category = "access",
                          .likelihood = 4,
                          .impact = 5,
                          .treatment = "mitigate",
                          .residual_likelihood = 2,
                          .residual_impact = 3,
                          .is_fraud = 1,
                          .owner = "ann@acme.test",
                          .next_review = "2026-09-01",
                          .controls = ctl,
                          .n_controls = 3};
    int64_t before = count(f, "SELECT count(*) FROM audit_log");
    assert_int_equal(app_risk_create(&f->app, &f->a, f->acme.id, &in, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log"), before + 1);
    struct app_risk r;
    assert_int_equal(app_risk_get(&f->app, &f->a, f->acme.id, "R-01", &r, &e), 0);
    assert_string_equal(r.title, "Stolen credentials");
    assert_int_equal(app_risk_inherent(&r), 20);
    assert_int_equal(app_risk_residual(&r), 6);
    assert_int_equal(r.is_fraud, 1);
    assert_string_equal(r.owner, "ann@acme.test");
    assert_string_equal(r.next_review, "2026-09-01");
    assert_int_equal(r.n_controls, 2); /* the duplicate is linked once */
    assert_string_equal(r.controls[0], "AC-01");
    assert_string_equal(r.controls[1], "AC-02");
    /* Other organizations see nothing of it. */
    assert_int_equal(app_risk_get(&f->app, &f->a, f->beta.id, "R-01", &r, &e), TL_ENOTFOUND);
    assert_int_equal(add_risk(f, "R-01", "accept", NULL, 0, &e), TL_EEXIST);
}

static void test_refusals_change_nothing(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    int64_t audit = count(f, "SELECT count(*) FROM audit_log");
    assert_int_equal(add_risk(f, "R-02", "mitigate", NULL, 0, &e), TL_EINPUT);
    const char *beta_ctl[] = {"BX-01"};
    assert_int_equal(add_risk(f, "R-02", "mitigate", beta_ctl, 1, &e), TL_ENOTFOUND);
    assert_non_null(strstr(e.msg, "no control 'BX-01'"));
    struct app_risk bad = {.code = "R-02",
                           .title = "t",
                           .likelihood = 3,
                           .impact = 3,
                           .treatment = "accept",
                           .owner = "nobody@acme.test"};
    assert_int_equal(app_risk_create(&f->app, &f->a, f->acme.id, &bad, &e), TL_ENOTFOUND);
    bad.owner = NULL;
    bad.next_review = "2026-02-30";
    assert_int_equal(app_risk_create(&f->app, &f->a, f->acme.id, &bad, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "next review"));
    bad.next_review = NULL;
    bad.code = "bad code";
    assert_int_equal(app_risk_create(&f->app, &f->a, f->acme.id, &bad, &e), TL_EINPUT);
    assert_int_equal(count(f, "SELECT count(*) FROM risk"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM risk_control"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log"), audit);
}

static void test_list_order_and_controls(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    const char *c3[] = {"AC-03"}, *c12[] = {"AC-02", "AC-01"};
    assert_int_equal(add_risk(f, "R-03", "mitigate", c3, 1, &e), 0);
    assert_int_equal(add_risk(f, "R-02", "accept", NULL, 0, &e), 0);
    assert_int_equal(add_risk(f, "R-01", "mitigate", c12, 2, &e), 0);
    struct app_risk *list;
    size_t n;
    assert_int_equal(app_risk_list(&f->app, &f->a, f->acme.id, &list, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].code, "R-01");
    assert_int_equal(list[0].n_controls, 2);
    assert_string_equal(list[0].controls[1], "AC-02");
    assert_string_equal(list[1].code, "R-02");
    assert_int_equal(list[1].n_controls, 0);
    assert_string_equal(list[2].code, "R-03");
    assert_int_equal(list[2].n_controls, 1);
    assert_string_equal(list[2].controls[0], "AC-03");
    assert_int_equal(app_risk_list(&f->app, &f->a, f->beta.id, &list, &n, &e), 0);
    assert_int_equal(n, 0);
}

static void test_unlink_last_control_refused(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    const char *c12[] = {"AC-01", "AC-02"}, *c1[] = {"AC-01"}, *c2[] = {"AC-02"};
    assert_int_equal(add_risk(f, "R-01", "mitigate", c12, 2, &e), 0);
    assert_int_equal(app_risk_unlink(&f->app, &f->a, f->acme.id, "R-01", c1, 1, &e), 0);
    int64_t audit = count(f, "SELECT count(*) FROM audit_log");
    assert_int_equal(app_risk_unlink(&f->app, &f->a, f->acme.id, "R-01", c2, 1, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "needs at least one linked control"));
    assert_int_equal(count(f, "SELECT count(*) FROM risk_control"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(app_risk_unlink(&f->app, &f->a, f->acme.id, "R-01", c1, 1, &e), TL_ENOTFOUND);
    assert_int_equal(app_risk_link(&f->app, &f->a, f->acme.id, "R-01", c2, 1, &e), TL_EEXIST);
    assert_int_equal(app_risk_link(&f->app, &f->a, f->acme.id, "R-01", c1, 1, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM risk_control"), 2);
}

static void test_update_patch(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_risk in = {.code = "R-01",
                          .title = "t",
                          .likelihood = 4,
                          .impact = 4,
                          .treatment = "accept",
                          .residual_likelihood = 2,
                          .residual_impact = 2,
                          .is_fraud = 1,
                          .owner = "ann@acme.test"};
    assert_int_equal(app_risk_create(&f->app, &f->a, f->acme.id, &in, &e), 0);
    struct app_risk patch = {.impact = 5}, r;
    assert_int_equal(app_risk_update(&f->app, &f->a, f->acme.id, "R-01", &patch, &e), 0);
    assert_int_equal(app_risk_get(&f->app, &f->a, f->acme.id, "R-01", &r, &e), 0);
    assert_int_equal(r.likelihood, 4);
    assert_int_equal(r.impact, 5);
    assert_int_equal(app_risk_residual(&r), 4);
    assert_int_equal(r.is_fraud, 1);
    assert_int_equal(r.version, 2);
    struct app_risk clear = {.residual_likelihood = APP_RISK_CLEAR,
                             .residual_impact = APP_RISK_CLEAR,
                             .is_fraud = APP_RISK_CLEAR,
                             .owner = ""};
    assert_int_equal(app_risk_update(&f->app, &f->a, f->acme.id, "R-01", &clear, &e), 0);
    assert_int_equal(app_risk_get(&f->app, &f->a, f->acme.id, "R-01", &r, &e), 0);
    assert_int_equal(app_risk_residual(&r), 0);
    assert_int_equal(r.is_fraud, 0);
    assert_null(r.owner);
    /* Switching to mitigate needs controls in the same patch. */
    struct app_risk mit = {.treatment = "mitigate"};
    assert_int_equal(app_risk_update(&f->app, &f->a, f->acme.id, "R-01", &mit, &e), TL_EINPUT);
    const char *c1[] = {"AC-01"};
    mit.controls = c1;
    mit.n_controls = 1;
    assert_int_equal(app_risk_update(&f->app, &f->a, f->acme.id, "R-01", &mit, &e), 0);
    /* A residual above the new inherent score is refused. */
    struct app_risk low = {
        .likelihood = 1, .impact = 1, .residual_likelihood = 2, .residual_impact = 2};
    assert_int_equal(app_risk_update(&f->app, &f->a, f->acme.id, "R-01", &low, &e), TL_EINPUT);
    assert_int_equal(app_risk_get(&f->app, &f->a, f->acme.id, "R-01", &r, &e), 0);
    assert_int_equal(r.likelihood, 4);
    assert_string_equal(r.treatment, "mitigate");
    assert_int_equal(app_risk_update(&f->app, &f->a, f->acme.id, "R-09", &low, &e), TL_ENOTFOUND);
}

static void test_delete(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    const char *c1[] = {"AC-01"};
    assert_int_equal(add_risk(f, "R-01", "mitigate", c1, 1, &e), 0);
    assert_int_equal(app_risk_delete(&f->app, &f->a, f->beta.id, "R-01", &e), TL_ENOTFOUND);
    assert_int_equal(app_risk_delete(&f->app, &f->a, f->acme.id, "R-01", &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM risk"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM risk_control"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'risk.remove' "
                              "AND before_json LIKE '%\"AC-01\"%'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_and_bands),
        cmocka_unit_test(test_mitigate_needs_a_control),
        cmocka_unit_test(test_residual_comes_in_pairs),
        cmocka_unit_test(test_residual_not_above_inherent),
        cmocka_unit_test(test_ranges_and_treatment),
        cmocka_unit_test_setup_teardown(test_create_and_get, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_list_order_and_controls, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_unlink_last_control_refused, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_update_patch, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
