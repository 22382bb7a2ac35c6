/* test_scope.c - the system in scope: category and component rules,
 * patches, criteria spelling, CSOC id prefixes, tenant isolation, and that
 * a failed change leaves nothing behind, over a real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "app/record.h"
#include "app/scope.h"

#include "testutil.h"

static int setup(void **state)
{
    return tu_setup_two_orgs(state, "scope");
}

static void test_new_org_categories(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_scope_category *c;
    size_t n;
    assert_int_equal(app_scope_category_list(&f->app, &f->a, f->acme.id, &c, &n, &e), 0);
    assert_int_equal(n, 5);
    assert_string_equal(c[0].category, "security");
    assert_true(c[0].in_scope);
    assert_string_equal(c[0].reason, "");
    assert_string_equal(c[4].category, "privacy");
    assert_false(c[4].in_scope);
    assert_string_equal(c[4].reason, "not assessed yet");
}

static void test_category_rules(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    int64_t before = tu_audit_count(&f->app);
    struct app_scope_category sec_out = {"security", false, "small company"};
    assert_int_equal(app_scope_category_set(&f->app, &f->a, f->acme.id, &sec_out, &e), TL_EINPUT);
    struct app_scope_category no_reason = {"privacy", false, " "};
    assert_int_equal(app_scope_category_set(&f->app, &f->a, f->acme.id, &no_reason, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "needs a reason"));
    struct app_scope_category in_reason = {"privacy", true, "because"};
    assert_int_equal(app_scope_category_set(&f->app, &f->a, f->acme.id, &in_reason, &e), TL_EINPUT);
    struct app_scope_category unknown = {"integrity", true, NULL};
    assert_int_equal(app_scope_category_set(&f->app, &f->a, f->acme.id, &unknown, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "expected one of: security, availability"));
    assert_int_equal(tu_audit_count(&f->app), before);

    struct app_scope_category avail = {"availability", true, NULL};
    assert_int_equal(app_scope_category_set(&f->app, &f->a, f->acme.id, &avail, &e), 0);
    struct app_scope_category got;
    assert_int_equal(app_scope_category_get(&f->app, &f->a, f->acme.id, "availability", &got, &e),
                     0);
    assert_true(got.in_scope);
    assert_string_equal(got.reason, "");
    assert_int_equal(tu_audit_count(&f->app), before + 1);
}

static void test_system_update(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_system none = {0};
    assert_int_equal(app_system_update(&f->app, &f->a, f->acme.id, &none, &e), TL_EUSAGE);
    struct app_system p = {.name = "Acme Cloud", .boundaries = "eu-north-1"};
    assert_int_equal(app_system_update(&f->app, &f->a, f->acme.id, &p, &e), 0);
    struct app_system q = {.commitments = "99.9%"};
    assert_int_equal(app_system_update(&f->app, &f->a, f->acme.id, &q, &e), 0);
    struct app_system s;
    assert_int_equal(app_system_get(&f->app, &f->a, f->acme.id, &s, &e), 0);
    assert_string_equal(s.name, "Acme Cloud");
    assert_string_equal(s.boundaries, "eu-north-1");
    assert_string_equal(s.commitments, "99.9%");
    assert_int_equal(s.version, 3);
    assert_int_equal(app_system_get(&f->app, &f->a, f->beta.id, &s, &e), 0);
    assert_string_equal(s.name, "");
}

static void get_component(struct tu_app *f, const char *kind, const char *name,
                          struct app_component *out)
{
    struct err e = ERR_INIT;
    if (app_component_get(&f->app, &f->a, f->acme.id, kind, name, out, &e) != 0)
        fail_msg("%s", e.msg);
}

static void test_component_patch(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_component c = {
        .kind = "data", .name = "backups", .in_scope = false, .reason = "kept by the customer"};
    assert_int_equal(app_component_create(&f->app, &f->a, f->acme.id, &c, &e), 0);
    struct app_component_patch desc = {.description = "nightly"};
    assert_int_equal(app_component_update(&f->app, &f->a, f->acme.id, "data", "backups", &desc, &e),
                     0);
    struct app_component got;
    get_component(f, "data", "backups", &got);
    assert_false(got.in_scope);
    assert_string_equal(got.reason, "kept by the customer");
    assert_string_equal(got.description, "nightly");

    struct app_component_patch in = {.scope = APP_SCOPE_IN};
    assert_int_equal(app_component_update(&f->app, &f->a, f->acme.id, "data", "backups", &in, &e),
                     0);
    get_component(f, "data", "backups", &got);
    assert_true(got.in_scope);
    assert_string_equal(got.reason, "");

    int64_t before = tu_audit_count(&f->app);
    struct app_component_patch out = {.scope = APP_SCOPE_OUT};
    assert_int_equal(app_component_update(&f->app, &f->a, f->acme.id, "data", "backups", &out, &e),
                     TL_EINPUT);
    struct app_component_patch nothing = {0};
    assert_int_equal(
        app_component_update(&f->app, &f->a, f->acme.id, "data", "backups", &nothing, &e),
        TL_EUSAGE);
    assert_int_equal(app_component_create(&f->app, &f->a, f->acme.id, &c, &e), TL_EEXIST);
    assert_int_equal(tu_audit_count(&f->app), before);
}

static void test_component_order(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    const char *kinds[] = {"data", "software", "infrastructure", "software"};
    const char *names[] = {"d", "b", "i", "a"};
    for (int i = 0; i < 4; i++) {
        struct app_component c = {.kind = kinds[i], .name = names[i], .in_scope = true};
        assert_int_equal(app_component_create(&f->app, &f->a, f->acme.id, &c, &e), 0);
    }
    struct app_component *list;
    size_t n;
    assert_int_equal(app_component_list(&f->app, &f->a, f->acme.id, NULL, &list, &n, &e), 0);
    assert_int_equal(n, 4);
    assert_string_equal(list[0].name, "i");
    assert_string_equal(list[1].name, "a");
    assert_string_equal(list[2].name, "b");
    assert_string_equal(list[3].name, "d");
    assert_int_equal(app_component_list(&f->app, &f->a, f->beta.id, NULL, &list, &n, &e), 0);
    assert_int_equal(n, 0);
}

static void test_criteria_spelling(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_cuec c = {.code = "CUEC-1", .text = "users", .criteria = " cc6.1 ,CC6.1, cc6.2"};
    assert_int_equal(app_cuec_create(&f->app, &f->a, f->acme.id, &c, &e), 0);
    struct app_cuec got;
    assert_int_equal(app_cuec_get(&f->app, &f->a, f->acme.id, "CUEC-1", &got, &e), 0);
    assert_string_equal(got.criteria, "CC6.1,CC6.2");

    struct app_cuec bad = {.text = "x", .criteria = "CC6.1,CC42"};
    assert_int_equal(app_cuec_update(&f->app, &f->a, f->acme.id, "CUEC-1", &bad, &e), TL_EINPUT);
    assert_string_equal(e.msg, "unknown criterion 'CC42' (see 'tillit catalog criteria')");
    struct app_cuec clear = {.criteria = ""};
    assert_int_equal(app_cuec_update(&f->app, &f->a, f->acme.id, "CUEC-1", &clear, &e), 0);
    assert_int_equal(app_cuec_get(&f->app, &f->a, f->acme.id, "CUEC-1", &got, &e), 0);
    assert_string_equal(got.criteria, "");
    assert_string_equal(got.text, "users");
}

static void test_csoc_prefix(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_subservice s = {.slug = "aws", .name = "AWS", .method = "carve-out"};
    assert_int_equal(app_subservice_create(&f->app, &f->a, f->acme.id, &s, &e), 0);
    struct app_csoc c = {.subservice = "aws", .text = "physical", .criteria = "CC6.4"};
    const char *id;
    assert_int_equal(app_csoc_create(&f->app, &f->a, f->acme.id, &c, &id, &e), 0);
    assert_int_equal(strlen(id), 26);

    char prefix[8];
    snprintf(prefix, sizeof(prefix), "%.5s", id);
    prefix[0] = (char)(prefix[0] >= 'a' && prefix[0] <= 'z' ? prefix[0] - 32 : prefix[0]);
    struct app_csoc got;
    assert_int_equal(app_csoc_get(&f->app, &f->a, f->acme.id, prefix, &got, &e), 0);
    assert_string_equal(got.id, id);
    assert_string_equal(got.subservice, "aws");
    /* Another organization does not see it, by prefix or in full. */
    assert_int_equal(app_csoc_get(&f->app, &f->a, f->beta.id, id, &got, &e), TL_ENOTFOUND);
    assert_int_equal(app_csoc_delete(&f->app, &f->a, f->beta.id, id, &e), TL_ENOTFOUND);
    assert_int_equal(app_csoc_get(&f->app, &f->a, f->acme.id, "a_b", &got, &e), TL_EINPUT);

    struct app_subservice listed;
    assert_int_equal(app_subservice_get(&f->app, &f->a, f->acme.id, "aws", &listed, &e), 0);
    assert_int_equal(listed.n_csocs, 1);
    assert_int_equal(app_subservice_delete(&f->app, &f->a, f->acme.id, "aws", &e), 0);
    struct app_csoc *all;
    size_t n;
    assert_int_equal(app_csoc_list(&f->app, &f->a, f->acme.id, NULL, &all, &n, &e), 0);
    assert_int_equal(n, 0);
}

static void test_whole_scope(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_service svc = {.name = "Payroll"};
    assert_int_equal(app_service_create(&f->app, &f->a, f->acme.id, &svc, &e), 0);
    struct app_scope s;
    assert_int_equal(app_scope_get(&f->app, &f->a, f->acme.id, &s, &e), 0);
    assert_int_equal(s.n_categories, 5);
    assert_int_equal(s.n_services, 1);
    assert_string_equal(s.services[0].name, "Payroll");
    assert_int_equal(s.n_components + s.n_subservices + s.n_csocs + s.n_cuecs, 0);
    assert_int_equal(app_scope_get(&f->app, &f->a, f->beta.id, &s, &e), 0);
    assert_int_equal(s.n_services, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_org_categories, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_category_rules, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_system_update, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_component_patch, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_component_order, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_criteria_spelling, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_csoc_prefix, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_whole_scope, setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
