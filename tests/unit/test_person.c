/* test_person.c - people: model rules, patches, removal, tenant isolation,
 * over a real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/person.h"

#include "testutil.h"

static int setup(void **state)
{
    return tu_setup_two_orgs(state, "person");
}

static void add(struct tu_app *f, const char *email, const char *manager, const char *dept,
                const char *start, const char *end)
{
    struct err e = ERR_INIT;
    struct app_person in = {.email = email, .name = email, .manager = manager,
                            .department = dept, .start_date = start, .end_date = end};
    if (app_person_create(&f->app, &f->a, f->acme.id, &in, NULL, &e) != 0)
        fail_msg("add '%s': %s", email, e.msg);
}

static struct app_person get(struct tu_app *f, const char *email)
{
    struct err e = ERR_INIT;
    struct app_person p;
    if (app_person_get(&f->app, &f->a, f->acme.id, email, &p, &e) != 0)
        fail_msg("get '%s': %s", email, e.msg);
    return p;
}

static void test_create_get(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    struct app_person in = {.email = "ann@acme.io", .name = "Ann", .is_control_owner = 1};
    struct app_person out;
    int64_t before = tu_audit_count(&f->app);
    assert_int_equal(app_person_create(&f->app, &f->a, f->acme.id, &in, &out, &e), 0);
    assert_int_equal(tu_audit_count(&f->app), before + 1);
    assert_string_equal(out.email, "ann@acme.io");
    assert_string_equal(out.title, "");
    assert_null(out.manager);
    assert_null(out.start_date);
    assert_int_equal(out.is_control_owner, 1);
    assert_int_equal(out.is_approver, 0);
    assert_int_equal(out.active, 1);
    assert_int_equal(out.version, 1);
}

static void test_patch_keeps_and_clears(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    add(f, "ann@acme.io", NULL, "Eng", "2020-01-01", NULL);
    add(f, "bob@acme.io", "ann@acme.io", "Eng", "2021-01-01", NULL);
    struct app_person patch = APP_PERSON_PATCH;
    patch.title = "Engineer";
    patch.is_approver = 1;
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "bob@acme.io", &patch, &e), 0);
    struct app_person bob = get(f, "bob@acme.io");
    assert_string_equal(bob.title, "Engineer");
    assert_string_equal(bob.manager, "ann@acme.io");
    assert_string_equal(bob.start_date, "2021-01-01");
    assert_int_equal(bob.is_approver, 1);
    assert_int_equal(bob.version, 2);

    struct app_person clear = APP_PERSON_PATCH;
    clear.manager = "";
    clear.start_date = "";
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "bob@acme.io", &clear, &e), 0);
    bob = get(f, "bob@acme.io");
    assert_null(bob.manager);
    assert_null(bob.start_date);
    assert_int_equal(bob.is_approver, 1);
}

static void test_bad_input_changes_nothing(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    add(f, "ann@acme.io", NULL, "", "2020-01-01", NULL);
    int64_t before = tu_audit_count(&f->app);
    struct app_person bad = {.email = "x@acme.io", .name = "X", .manager = "zed@acme.io"};
    assert_int_equal(app_person_create(&f->app, &f->a, f->acme.id, &bad, NULL, &e),
                     TL_ENOTFOUND);
    assert_non_null(strstr(e.msg, "zed@acme.io"));
    struct app_person p;
    assert_int_equal(app_person_get(&f->app, &f->a, f->acme.id, "x@acme.io", &p, &e),
                     TL_ENOTFOUND);

    struct app_person end = APP_PERSON_PATCH;
    end.end_date = "2019-12-31";
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "ann@acme.io", &end, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "before their start date '2020-01-01'"));
    struct app_person date = APP_PERSON_PATCH;
    date.start_date = "2020-02-30";
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "ann@acme.io", &date, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "start date of person 'ann@acme.io'"));
    struct app_person mail = {.email = "no-at-sign", .name = "X"};
    assert_int_equal(app_person_create(&f->app, &f->a, f->acme.id, &mail, NULL, &e), TL_EINPUT);
    assert_int_equal(tu_audit_count(&f->app), before);
    assert_null(get(f, "ann@acme.io").end_date);
}

static void test_manager_cycles(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    add(f, "a@acme.io", NULL, "", NULL, NULL);
    add(f, "b@acme.io", "a@acme.io", "", NULL, NULL);
    add(f, "c@acme.io", "b@acme.io", "", NULL, NULL);
    add(f, "d@acme.io", "c@acme.io", "", NULL, NULL);
    int64_t before = tu_audit_count(&f->app);
    struct app_person patch = APP_PERSON_PATCH;
    patch.manager = "d@acme.io";
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "a@acme.io", &patch, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "would make a cycle"));
    patch.manager = "a@acme.io";
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "a@acme.io", &patch, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "own manager"));
    assert_int_equal(tu_audit_count(&f->app), before);
    assert_null(get(f, "a@acme.io").manager);
    /* Moving within the tree is fine: d reports to b instead of c. */
    patch.manager = "b@acme.io";
    assert_int_equal(app_person_update(&f->app, &f->a, f->acme.id, "d@acme.io", &patch, &e), 0);
    assert_string_equal(get(f, "d@acme.io").manager, "b@acme.io");
}

static void test_delete_refused_while_referenced(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    add(f, "ann@acme.io", NULL, "", NULL, NULL);
    add(f, "bob@acme.io", "ann@acme.io", "", NULL, NULL);
    int64_t before = tu_audit_count(&f->app);
    assert_int_equal(app_person_delete(&f->app, &f->a, f->acme.id, "ann@acme.io", &e),
                     TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "manager of bob@acme.io"));
    assert_int_equal(tu_audit_count(&f->app), before);
    assert_int_equal(app_person_delete(&f->app, &f->a, f->acme.id, "bob@acme.io", &e), 0);
    assert_int_equal(app_person_delete(&f->app, &f->a, f->acme.id, "ann@acme.io", &e), 0);
    assert_int_equal(tu_audit_count(&f->app), before + 2);
    struct app_person p;
    assert_int_equal(app_person_get(&f->app, &f->a, f->acme.id, "ann@acme.io", &p, &e),
                     TL_ENOTFOUND);
}

static void test_list_filters(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    add(f, "zoe@acme.io", NULL, "Sales", "2020-01-01", NULL);
    add(f, "amy@acme.io", NULL, "Eng", "2020-01-01", "2026-02-28"); /* left yesterday */
    add(f, "max@acme.io", NULL, "Eng", "2026-03-01", NULL);         /* starts today */
    add(f, "new@acme.io", NULL, "Eng", "2026-03-02", NULL);         /* starts tomorrow */
    struct app_person *list;
    size_t n;
    assert_int_equal(app_person_list(&f->app, &f->a, f->acme.id, NULL, &list, &n, &e), 0);
    assert_int_equal(n, 4);
    assert_string_equal(list[0].email, "amy@acme.io");
    assert_string_equal(list[3].email, "zoe@acme.io");
    struct app_person_filter eng = {.department = "Eng"};
    assert_int_equal(app_person_list(&f->app, &f->a, f->acme.id, &eng, &list, &n, &e), 0);
    assert_int_equal(n, 3);
    struct app_person_filter active = {.active_only = 1};
    assert_int_equal(app_person_list(&f->app, &f->a, f->acme.id, &active, &list, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].email, "max@acme.io");
    assert_string_equal(list[1].email, "zoe@acme.io");
}

static void test_orgs_are_isolated(void **state)
{
    struct tu_app *f = *state;
    struct err e = ERR_INIT;
    add(f, "ann@acme.io", NULL, "", NULL, NULL);
    struct app_person p;
    assert_int_equal(app_person_get(&f->app, &f->a, f->beta.id, "ann@acme.io", &p, &e),
                     TL_ENOTFOUND);
    struct app_person in = {.email = "ann@acme.io", .name = "Same email, other org"};
    assert_int_equal(app_person_create(&f->app, &f->a, f->beta.id, &in, NULL, &e), 0);
    struct app_person x = {.email = "x@beta.io", .name = "X", .manager = "ann@acme.io"};
    assert_int_equal(app_person_create(&f->app, &f->a, f->beta.id, &x, NULL, &e), 0);
    struct app_person *list;
    size_t n;
    assert_int_equal(app_person_list(&f->app, &f->a, f->beta.id, NULL, &list, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[1].manager, "ann@acme.io");
    assert_int_equal(app_person_delete(&f->app, &f->a, f->acme.id, "ann@acme.io", &e), 0);
    assert_int_equal(app_person_get(&f->app, &f->a, f->beta.id, "ann@acme.io", &p, &e), 0);
    assert_string_equal(p.name, "Same email, other org");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_get, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_patch_keeps_and_clears, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_manager_cycles, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_delete_refused_while_referenced, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_orgs_are_isolated, setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
