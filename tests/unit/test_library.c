/* test_library.c - the control library (domain/library.c) and the controls
 * use cases built on it (app/control.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "app/control.h"
#include "domain/library.h"

#include "testutil.h"

/* A two-criterion catalog, enough to check references. */
static const char framework_yaml[] =
    "id: tsc-2017\n"
    "name: {en: TSC, sv: TSC}\n"
    "categories:\n"
    "  - {id: security, name: {en: Security, sv: S}, summary: {en: s, sv: s}}\n"
    "series:\n"
    "  - {id: CC6, category: security, name: {en: Access, sv: A}}\n";

static const char criteria_yaml[] =
    "criteria:\n"
    "  - id: CC6.1\n"
    "    category: security\n"
    "    series: CC6\n"
    "    title: {en: Logical access, sv: L}\n"
    "    summary: {en: s, sv: s}\n"
    "    points_of_focus:\n"
    "      - {id: CC6.1-PF01, kind: tsc, title: {en: One, sv: E}, text: {en: t, sv: t}}\n"
    "      - {id: CC6.1-PF02, kind: tsc, title: {en: Two, sv: T}, text: {en: t, sv: t}}\n"
    "      - {id: CC6.1-PF03, kind: tsc, title: {en: Three, sv: T}, text: {en: t, sv: t}}\n"
    "  - id: CC6.2\n"
    "    category: security\n"
    "    series: CC6\n"
    "    title: {en: Provisioning, sv: P}\n"
    "    summary: {en: s, sv: s}\n"
    "    points_of_focus:\n"
    "      - {id: CC6.2-PF01, kind: tsc, title: {en: One, sv: E}, text: {en: t, sv: t}}\n";

/* One control whose fields are spliced in by the tests. */
#define LIB_HEAD "controls:\n  - code: IAM-01\n    family: access\n"
#define LIB_TEXTS                                                                                  \
    "    title: {en: Access approved, sv: Åtkomst godkänns}\n"                                   \
    "    description: {en: Managers approve., sv: Chefer godkänner.}\n"
#define LIB_ENUMS "    frequency: quarterly\n    nature: preventive\n    type: manual\n"
#define LIB_CRITERIA                                                                               \
    "    criteria:\n"                                                                              \
    "      - id: CC6.2\n"                                                                          \
    "      - id: cc6.1\n"                                                                          \
    "        points_of_focus: [CC6.1-PF03, CC6.1-PF01]\n"
#define LIB_EVIDENCE "    evidence: {en: [Tickets, Reviews], sv: [Ärenden]}\n"

static const char good_library[] =
    LIB_HEAD LIB_TEXTS LIB_ENUMS "    key: true\n" LIB_CRITERIA LIB_EVIDENCE;

struct fixture {
    struct arena a;
    struct dom_catalog cat;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct err e = ERR_INIT;
    assert_int_equal(dom_catalog_add_framework(&f->cat, &f->a, "framework.yaml", framework_yaml,
                                               strlen(framework_yaml), &e),
                     0);
    assert_int_equal(dom_catalog_add_criteria(&f->cat, &f->a, "criteria.yaml", criteria_yaml,
                                              strlen(criteria_yaml), &e),
                     0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_release(&f->a);
    free(f);
    return 0;
}

static int parse(struct fixture *f, const char *yaml, struct dom_library *l, struct err *e)
{
    memset(l, 0, sizeof(*l));
    int rc = dom_library_add(l, &f->a, &f->cat, "controls-t.yaml", yaml, strlen(yaml), e);
    return rc ? rc : dom_library_finish(l, &f->a, e);
}

static void test_parses_a_control(void **state)
{
    struct fixture *f = *state;
    struct dom_library l;
    struct err e = ERR_INIT;
    assert_int_equal(parse(f, good_library, &l, &e), 0);
    assert_int_equal(l.n_controls, 1);
    const struct dom_lib_control *lc = dom_library_control(&l, "iam-01");
    assert_non_null(lc);
    assert_string_equal(lc->family, "access");
    assert_string_equal(dom_text_get(&lc->title, "sv"), "Åtkomst godkänns");
    assert_string_equal(lc->frequency, "quarterly");
    assert_true(lc->key);
    /* Criteria in catalog order and spelling, points of focus too. */
    assert_int_equal(lc->n_criteria, 2);
    assert_string_equal(lc->criteria[0].criterion, "CC6.1");
    assert_int_equal(lc->criteria[0].n_pofs, 2);
    assert_string_equal(lc->criteria[0].pofs[0], "CC6.1-PF01");
    assert_string_equal(lc->criteria[0].pofs[1], "CC6.1-PF03");
    assert_string_equal(lc->criteria[1].criterion, "CC6.2");
    assert_int_equal(lc->criteria[1].n_pofs, 0);
    size_t n;
    const char *const *ev = dom_text_list_get(&lc->evidence, "sv", &n);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0], "Ärenden");
    ev = dom_text_list_get(&lc->evidence, "en", &n);
    assert_int_equal(n, 2);
    assert_int_equal(l.n_families, 1);
    assert_int_equal(dom_library_family_check(&l, "access", &e), 0);
    assert_int_equal(dom_library_family_check(&l, "nope", &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "\"nope\" (expected one of: access)"));
}

/* Parses yaml, expecting failure with msg containing want at where. */
static void expect_fail(struct fixture *f, const char *yaml, const char *want, const char *where)
{
    struct dom_library l;
    struct err e = ERR_INIT;
    assert_int_equal(parse(f, yaml, &l, &e), TL_EINPUT);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
    if (where)
        assert_string_equal(e.where, where);
}

static void test_refuses_bad_enums(void **state)
{
    struct fixture *f = *state;
    expect_fail(f,
                LIB_HEAD LIB_TEXTS "    frequency: sometimes\n    nature: preventive\n"
                                   "    type: manual\n" LIB_CRITERIA,
                "unknown frequency \"sometimes\" (expected one of: continuous,",
                "controls-t.yaml:6:16");
    expect_fail(f,
                LIB_HEAD LIB_TEXTS "    frequency: daily\n    nature: preventive\n"
                                   "    type: robotic\n" LIB_CRITERIA,
                "unknown type \"robotic\"", "controls-t.yaml:8:11");
    expect_fail(f, LIB_HEAD LIB_TEXTS LIB_ENUMS "    key: maybe\n" LIB_CRITERIA,
                "field 'key' must be true or false", NULL);
}

static void test_refuses_bad_references(void **state)
{
    struct fixture *f = *state;
    expect_fail(f, LIB_HEAD LIB_TEXTS LIB_ENUMS "    criteria:\n      - id: CC9.9\n",
                "unknown criterion 'CC9.9'", "controls-t.yaml:10:13");
    expect_fail(f,
                LIB_HEAD LIB_TEXTS LIB_ENUMS
                "    criteria:\n      - id: CC6.2\n        points_of_focus: [CC6.1-PF01]\n",
                "point of focus 'CC6.1-PF01' belongs to 'CC6.1', not to 'CC6.2'",
                "controls-t.yaml:11:27");
    expect_fail(f,
                LIB_HEAD LIB_TEXTS LIB_ENUMS
                "    criteria:\n      - id: CC6.1\n        points_of_focus: [CC6.1-PF77]\n",
                "unknown point of focus 'CC6.1-PF77'", NULL);
    expect_fail(
        f, LIB_HEAD LIB_TEXTS LIB_ENUMS "    criteria:\n      - id: CC6.1\n      - id: CC6.1\n",
        "criterion 'CC6.1' is listed twice", NULL);
    expect_fail(f, LIB_HEAD LIB_TEXTS LIB_ENUMS, "control 'IAM-01' maps no criteria", NULL);
}

static void test_refuses_bad_shapes(void **state)
{
    struct fixture *f = *state;
    expect_fail(f, LIB_HEAD LIB_TEXTS LIB_ENUMS LIB_CRITERIA "    colour: blue\n",
                "unknown field 'colour'", NULL);
    expect_fail(f,
                LIB_HEAD "    title: {en: Only English}\n"
                         "    description: {en: d, sv: d}\n" LIB_ENUMS LIB_CRITERIA,
                "missing required field 'sv'", NULL);
    expect_fail(f, "controls:\n  - code: bad code\n    family: access\n",
                "invalid control code 'bad code'", "controls-t.yaml:2:11");
    expect_fail(f, "controls:\n  - code: X-1\n    family: Access\n", "invalid control family",
                NULL);
    expect_fail(f, "other: []\n", "missing required list 'controls'", NULL);
    expect_fail(f, "controls: []\n", "the control library is empty", NULL);
    /* The same code twice, across the whole library. */
    struct dom_library l;
    struct err e = ERR_INIT;
    assert_int_equal(parse(f, good_library, &l, &e), 0);
    assert_int_equal(dom_library_add(&l, &f->a, &f->cat, "controls-u.yaml", good_library,
                                     strlen(good_library), &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "control code 'IAM-01' is used twice"));
}

static void test_pofs_normalize(void **state)
{
    struct fixture *f = *state;
    const struct dom_criterion *cr = dom_catalog_criterion(&f->cat, "CC6.1");
    const char *out;
    struct err e = ERR_INIT;
    assert_int_equal(dom_pofs_normalize(cr, &f->a, "cc6.1-pf03, CC6.1-PF01,CC6.1-PF03", &out, &e),
                     0);
    assert_string_equal(out, "CC6.1-PF01,CC6.1-PF03");
    assert_int_equal(dom_pofs_normalize(cr, &f->a, NULL, &out, &e), 0);
    assert_string_equal(out, "");
    assert_int_equal(dom_pofs_normalize(cr, &f->a, "CC6.2-PF01", &out, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "'CC6.2-PF01' is not one of criterion 'CC6.1'"));
}

/* --- the shipped library --------------------------------------------------- */

static void test_shipped_library_covers_criteria(void **state)
{
    (void)state;
    struct app app;
    struct err e = ERR_INIT;
    const struct dom_catalog *cat;
    const struct dom_library *lib;
    app_init(&app);
    assert_int_equal(app_catalog(&app, &cat, &e), 0);
    if (app_library(&app, &lib, &e))
        fail_msg("%s: %s", e.where, e.msg);
    assert_true(lib->n_controls >= 120);
    for (size_t i = 0; i < cat->n_criteria; i++) {
        const char *id = cat->criteria[i].id;
        size_t n = 0;
        for (size_t k = 0; k < lib->n_controls; k++)
            n += dom_lib_control_mapping(&lib->controls[k], id) != NULL;
        /* Every common criterion twice; every other criterion at least once. */
        if (n < (strncmp(id, "CC", 2) == 0 ? 2u : 1u))
            fail_msg("criterion %s is mapped by %zu library controls", id, n);
    }
    app_release(&app);
}

/* --- the app: adopt, edit, map ----------------------------------------------- */

/* An app with organization acme, in Swedish, in d->acme. */
static int db_setup(void **state)
{
    struct tu_app *d = calloc(1, sizeof(*d));
    struct err e = ERR_INIT;
    if (!d || tu_app_open(d, "library", "test") != 0)
        return -1;
    struct app_org in = {.slug = "acme", .name = "Acme", .language = "sv"};
    assert_int_equal(app_org_create(&d->app, &d->a, &in, &d->acme, &e), 0);
    *state = d;
    return 0;
}

static int64_t count(struct tu_app *d, const char *sql)
{
    return tu_query_int(d->app.store, sql);
}

static void test_adopt_is_all_or_nothing(void **state)
{
    struct tu_app *d = *state;
    struct err e = ERR_INIT;
    struct app_adopt_result r;
    const char *bad[] = {"IAM-01", "NOPE-1", "NOPE-2"};
    int64_t audit = count(d, "SELECT count(*) FROM audit_log");
    assert_int_equal(app_control_adopt(&d->app, &d->a, d->acme.id, bad, 3, NULL, NULL, &r, &e),
                     TL_ENOTFOUND);
    assert_non_null(strstr(e.msg, "'NOPE-1', 'NOPE-2'"));
    assert_int_equal(count(d, "SELECT count(*) FROM control"), 0);
    assert_int_equal(count(d, "SELECT count(*) FROM audit_log"), audit);

    const char *good[] = {"IAM-01", "iam-01", "GOV-01"};
    assert_int_equal(
        app_control_adopt(&d->app, &d->a, d->acme.id, good, 3, NULL, "designed", &r, &e), 0);
    assert_int_equal(r.n_adopted, 2);
    assert_int_equal(count(d, "SELECT count(*) FROM audit_log"), audit + 2);
    assert_int_equal(app_control_adopt(&d->app, &d->a, d->acme.id, NULL, 0, NULL, NULL, &r, &e), 0);
    assert_int_equal(r.n_skipped, 2);
    assert_int_equal(r.n_adopted + r.n_skipped, count(d, "SELECT count(*) FROM control"));

    /* Adopted in the organization's language, with the library's mappings. */
    struct app_control c;
    assert_int_equal(app_control_get(&d->app, &d->a, d->acme.id, "GOV-01", &c, &e), 0);
    assert_string_equal(c.title, "Uppförandekod bekräftas vid anställning och varje år");
    assert_string_equal(c.status, "designed");
    assert_string_equal(c.library_code, "GOV-01");
    assert_string_equal(c.family, "governance");
    assert_int_equal(c.n_criteria, 3);
    assert_string_equal(c.criteria[0].criterion, "CC1.1");
    assert_string_equal(c.criteria[0].pofs, "CC1.1-PF02,CC1.1-PF03,CC1.1-PF05");
}

static void test_create_update_map(void **state)
{
    struct tu_app *d = *state;
    struct err e = ERR_INIT;
    struct app_control in = {.code = "X-1", .title = "Custom", .evidence = " a \n\n b "};
    assert_int_equal(app_control_create(&d->app, &d->a, d->acme.id, &in, &e), 0);
    assert_int_equal(app_control_create(&d->app, &d->a, d->acme.id, &in, &e), TL_EEXIST);

    struct app_control c;
    assert_int_equal(app_control_get(&d->app, &d->a, d->acme.id, "X-1", &c, &e), 0);
    assert_string_equal(c.frequency, "annual");
    assert_string_equal(c.nature, "preventive");
    assert_string_equal(c.type, "manual");
    assert_string_equal(c.status, "not-started");
    assert_string_equal(c.evidence, "a\nb");
    assert_int_equal(c.key, 0);

    /* A patch changes only what it sets; a bad value changes nothing. */
    struct app_control patch = APP_CONTROL_PATCH;
    patch.frequency = "sometimes";
    assert_int_equal(app_control_update(&d->app, &d->a, d->acme.id, "X-1", &patch, &e), TL_EINPUT);
    patch.frequency = "weekly";
    patch.key = 1;
    assert_int_equal(app_control_update(&d->app, &d->a, d->acme.id, "X-1", &patch, &e), 0);
    assert_int_equal(app_control_get(&d->app, &d->a, d->acme.id, "X-1", &c, &e), 0);
    assert_string_equal(c.frequency, "weekly");
    assert_string_equal(c.title, "Custom");
    assert_int_equal(c.key, 1);
    assert_int_equal(c.version, 2);

    assert_int_equal(
        app_control_map(&d->app, &d->a, d->acme.id, "X-1", "cc6.1", "CC6.1-PF02,cc6.1-pf01", &e),
        0);
    assert_int_equal(app_control_map(&d->app, &d->a, d->acme.id, "X-1", "CC6.1", "CC6.2-PF01", &e),
                     TL_EINPUT);
    assert_int_equal(app_control_get(&d->app, &d->a, d->acme.id, "X-1", &c, &e), 0);
    assert_int_equal(c.n_criteria, 1);
    assert_string_equal(c.criteria[0].criterion, "CC6.1");
    assert_string_equal(c.criteria[0].pofs, "CC6.1-PF01,CC6.1-PF02");
    assert_non_null(strstr(app_control_json(&d->a, &c),
                           "\"criteria\":[{\"criterion\":\"CC6.1\",\"points_of_focus\":"
                           "[\"CC6.1-PF01\",\"CC6.1-PF02\"]}]"));
    assert_int_equal(app_control_unmap(&d->app, &d->a, d->acme.id, "X-1", "CC6.2", &e),
                     TL_ENOTFOUND);
    assert_int_equal(app_control_unmap(&d->app, &d->a, d->acme.id, "X-1", "CC6.1", &e), 0);
    assert_int_equal(app_control_delete(&d->app, &d->a, d->acme.id, "X-1", &e), 0);
    assert_int_equal(app_control_get(&d->app, &d->a, d->acme.id, "X-1", &c, &e), TL_ENOTFOUND);
}

static void test_list_filters(void **state)
{
    struct tu_app *d = *state;
    struct err e = ERR_INIT;
    struct app_adopt_result r;
    const char *codes[] = {"RSK-04", "IAM-01", "GOV-01"};
    assert_int_equal(app_control_adopt(&d->app, &d->a, d->acme.id, codes, 3, NULL, NULL, &r, &e),
                     0);
    struct app_control *cs;
    size_t n;
    assert_int_equal(app_control_list(&d->app, &d->a, d->acme.id, NULL, &cs, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(cs[0].code, "GOV-01"); /* by code */
    struct app_control_filter f = {.criterion = "CC3.3"};
    assert_int_equal(app_control_list(&d->app, &d->a, d->acme.id, &f, &cs, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(cs[0].code, "RSK-04");
    f = (struct app_control_filter){.family = "access"};
    assert_int_equal(app_control_list(&d->app, &d->a, d->acme.id, &f, &cs, &n, &e), 0);
    assert_int_equal(n, 1);
    f = (struct app_control_filter){.status = "done"};
    assert_int_equal(app_control_list(&d->app, &d->a, d->acme.id, &f, &cs, &n, &e), TL_EINPUT);
    f = (struct app_control_filter){.criterion = "CC99"};
    assert_int_equal(app_control_list(&d->app, &d->a, d->acme.id, &f, &cs, &n, &e), TL_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parses_a_control, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_bad_enums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_bad_references, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_bad_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pofs_normalize, setup, teardown),
        cmocka_unit_test(test_shipped_library_covers_criteria),
        cmocka_unit_test_setup_teardown(test_adopt_is_all_or_nothing, db_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_create_update_map, db_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, db_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
