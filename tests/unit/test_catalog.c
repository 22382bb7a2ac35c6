/* test_catalog.c - the criteria catalog: the real content, and refusals of broken content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "domain/catalog.h"

/* The 61 criteria in TSC order (docs: SOC2-PRIMER.md, section 2). */
static const char *const tsc_ids[] = {
    "CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC2.1", "CC2.2", "CC2.3", "CC3.1",
    "CC3.2", "CC3.3", "CC3.4", "CC4.1", "CC4.2", "CC5.1", "CC5.2", "CC5.3", "CC6.1",
    "CC6.2", "CC6.3", "CC6.4", "CC6.5", "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2",
    "CC7.3", "CC7.4", "CC7.5", "CC8.1", "CC9.1", "CC9.2", "A1.1",  "A1.2",  "A1.3",
    "C1.1",  "C1.2",  "PI1.1", "PI1.2", "PI1.3", "PI1.4", "PI1.5", "P1.1",  "P2.1",
    "P3.1",  "P3.2",  "P4.1",  "P4.2",  "P4.3",  "P5.1",  "P5.2",  "P6.1",  "P6.2",
    "P6.3",  "P6.4",  "P6.5",  "P6.6",  "P6.7",  "P7.1",  "P8.1",
};

/* COSO principle numbers carried by CC1.1 ... CC5.3, in criterion order. */
static const int coso_order[] = {1, 2, 3, 4, 5, 13, 14, 15, 6, 7, 8, 9, 16, 17, 10, 11, 12};

struct fixture {
    struct app app;
    const struct dom_catalog *c;
};

static int setup(void **state)
{
    static struct fixture f;
    app_init(&f.app);
    struct err e = ERR_INIT;
    if (app_catalog(&f.app, &f.c, &e) != 0) {
        print_error("app_catalog: %s: %s\n", e.where, e.msg);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    app_release(&f->app);
    return 0;
}

static void test_criteria_in_tsc_order(void **state)
{
    const struct dom_catalog *c = ((struct fixture *)*state)->c;
    assert_string_equal(c->id, "tsc-2017");
    assert_int_equal(c->n_criteria, 61);
    assert_int_equal(sizeof(tsc_ids) / sizeof(tsc_ids[0]), 61);
    for (size_t i = 0; i < c->n_criteria; i++)
        if (strcmp(c->criteria[i].id, tsc_ids[i]) != 0)
            fail_msg("criterion %zu is '%s', expected '%s'", i, c->criteria[i].id, tsc_ids[i]);
}

static void test_counts_per_category(void **state)
{
    const struct dom_catalog *c = ((struct fixture *)*state)->c;
    static const struct {
        const char *category;
        int n;
    } want[] = {{"security", 33},
                {"availability", 3},
                {"confidentiality", 2},
                {"processing-integrity", 5},
                {"privacy", 18}};
    assert_int_equal(c->n_categories, 5);
    int cc = 0;
    for (size_t i = 0; i < c->n_criteria; i++)
        cc += strncmp(c->criteria[i].id, "CC", 2) == 0;
    assert_int_equal(cc, 33);
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        assert_non_null(dom_catalog_category(c, want[k].category));
        int n = 0;
        for (size_t i = 0; i < c->n_criteria; i++)
            n += strcmp(c->criteria[i].category, want[k].category) == 0;
        if (n != want[k].n)
            fail_msg("%d criteria in '%s', expected %d", n, want[k].category, want[k].n);
    }
    /* Every criterion belongs to a series of its own category. */
    for (size_t i = 0; i < c->n_criteria; i++) {
        const struct dom_criterion *cr = &c->criteria[i];
        size_t len = strlen(cr->series);
        assert_true(strncmp(cr->id, cr->series, len) == 0 && cr->id[len] == '.');
    }
}

static void test_coso_principles(void **state)
{
    const struct dom_catalog *c = ((struct fixture *)*state)->c;
    assert_string_equal(c->coso_id, "coso-2013");
    assert_int_equal(c->n_principles, 17);
    assert_int_equal(c->n_components, 5);
    int seen[18] = {0};
    size_t k = 0;
    for (size_t i = 0; i < c->n_criteria; i++) {
        const struct dom_criterion *cr = &c->criteria[i];
        bool cc1_5 = strncmp(cr->id, "CC", 2) == 0 && cr->id[2] >= '1' && cr->id[2] <= '5' &&
                     cr->id[3] == '.';
        if (!cc1_5) {
            if (cr->principle)
                fail_msg("'%s' carries COSO principle %d", cr->id, cr->principle->number);
            continue;
        }
        if (!cr->principle)
            fail_msg("'%s' carries no COSO principle", cr->id);
        int n = cr->principle->number;
        assert_true(n >= 1 && n <= 17);
        seen[n]++;
        assert_true(k < 17);
        if (n != coso_order[k])
            fail_msg("'%s' carries principle %d, expected %d", cr->id, n, coso_order[k]);
        k++;
        assert_string_equal(cr->principle->tsc, cr->id);
        assert_non_null(dom_catalog_component(c, cr->principle->component));
    }
    assert_int_equal(k, 17);
    for (int n = 1; n <= 17; n++)
        assert_int_equal(seen[n], 1);
    assert_int_equal(dom_catalog_criterion(c, "CC2.1")->principle->number, 13);
    assert_string_equal(dom_catalog_criterion(c, "CC2.1")->principle->component,
                        "information-communication");
}

static void test_points_of_focus(void **state)
{
    const struct dom_catalog *c = ((struct fixture *)*state)->c;
    size_t total = 0;
    for (size_t i = 0; i < c->n_criteria; i++) {
        const struct dom_criterion *cr = &c->criteria[i];
        size_t len = strlen(cr->id);
        if (cr->n_pofs == 0)
            fail_msg("'%s' has no points of focus", cr->id);
        for (size_t j = 0; j < cr->n_pofs; j++) {
            const struct dom_pof *p = &cr->pofs[j];
            if (strncmp(p->id, cr->id, len) != 0 || p->id[len] != '-')
                fail_msg("point of focus '%s' is filed under '%s'", p->id, cr->id);
            assert_true(p->title.en && *p->title.en && p->title.sv && *p->title.sv);
            assert_true(p->text.en && *p->text.en);
            if (p->kind == POF_CATEGORY) {
                assert_true(p->n_applies_to > 0);
                for (size_t a = 0; a < p->n_applies_to; a++)
                    assert_non_null(dom_catalog_category(c, p->applies_to[a]));
            }
            const struct dom_criterion *owner = NULL;
            assert_ptr_equal(dom_catalog_pof(c, p->id, &owner), p);
            assert_ptr_equal(owner, cr);
        }
        total += cr->n_pofs;
    }
    assert_int_equal(c->n_pofs, total);
    assert_true(total >= 300);
    const struct dom_criterion *owner = NULL;
    const struct dom_pof *p = dom_catalog_pof(c, "cc1.1-pf01", &owner);
    assert_non_null(p);
    assert_string_equal(p->id, "CC1.1-PF01");
    assert_string_equal(owner->id, "CC1.1");
    assert_string_equal(dom_pof_kind_name(p->kind), "coso");
    assert_null(dom_catalog_pof(c, "CC1.1-PF99", NULL));
}

static void test_lookups(void **state)
{
    const struct dom_catalog *c = ((struct fixture *)*state)->c;
    const struct dom_criterion *cr = dom_catalog_criterion(c, "CC6.1");
    assert_non_null(cr);
    assert_string_equal(cr->id, "CC6.1");
    assert_ptr_equal(dom_catalog_criterion(c, "cc6.1"), cr);
    assert_ptr_equal(dom_catalog_criterion(c, "Cc6.1"), cr);
    assert_string_equal(dom_catalog_criterion(c, "pi1.5")->id, "PI1.5");
    assert_null(dom_catalog_criterion(c, "CC6.10"));
    assert_null(dom_catalog_criterion(c, "CC6"));
    assert_null(dom_catalog_criterion(c, "CC6.1 "));
    assert_null(dom_catalog_criterion(c, ""));
    assert_null(dom_catalog_category(c, "Security")); /* categories are exact */
    assert_null(dom_catalog_component(c, "nope"));
    /* Text in both languages, English as the fallback. */
    const struct dom_category *sec = dom_catalog_category(c, "security");
    assert_string_equal(dom_text_get(&sec->name, "en"), "Security");
    assert_string_equal(dom_text_get(&sec->name, "sv"), "Säkerhet");
    assert_string_equal(dom_text_get(&sec->name, "de"), "Security");
    assert_string_equal(dom_text_get(&sec->name, NULL), "Security");
    struct dom_text only_en = {"x", ""};
    assert_string_equal(dom_text_get(&only_en, "sv"), "x");
    assert_string_equal(dom_pof_kind_name(POF_PROCESSOR), "processor");
}

/* --- broken content ------------------------------------------------------ */

static const char framework[] = "id: tsc-test\n"
                                "name: {en: T, sv: T}\n"
                                "categories:\n"
                                "  - id: security\n"
                                "    name: {en: S, sv: S}\n"
                                "    summary: {en: S, sv: S}\n"
                                "series:\n"
                                "  - id: CC1\n"
                                "    category: security\n"
                                "    name: {en: C, sv: C}\n";

static const char criterion_head[] = "criteria:\n"
                                     "  - id: CC1.1\n"
                                     "    category: security\n"
                                     "    series: CC1\n"
                                     "    title: {en: a, sv: a}\n"
                                     "    summary: {en: a, sv: a}\n"
                                     "    points_of_focus:\n";

static int build(struct arena *a, struct dom_catalog *c, const char *criteria, const char *coso,
                 struct err *e)
{
    memset(c, 0, sizeof(*c));
    int rc = dom_catalog_add_framework(c, a, "framework.yaml", framework, strlen(framework), e);
    if (rc == 0)
        rc = dom_catalog_add_criteria(c, a, "criteria-t.yaml", criteria, strlen(criteria), e);
    if (rc == 0 && coso)
        rc = dom_catalog_add_coso(c, a, "coso.yaml", coso, strlen(coso), e);
    if (rc == 0)
        rc = dom_catalog_finish(c, e);
    return rc;
}

static char *criteria_with_pof(struct arena *a, const char *pof_id)
{
    return arena_printf(a,
                        "%s"
                        "      - id: %s\n"
                        "        kind: coso\n"
                        "        title: {en: a, sv: a}\n"
                        "        text: {en: a, sv: a}\n",
                        criterion_head, pof_id);
}

static void test_small_catalog_ok(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct dom_catalog c;
    struct err e = ERR_INIT;
    if (build(&a, &c, criteria_with_pof(&a, "CC1.1-PF01"), NULL, &e) != 0)
        fail_msg("%s: %s", e.where, e.msg);
    assert_int_equal(c.n_criteria, 1);
    assert_int_equal(c.n_pofs, 1);
    arena_release(&a);
}

static void test_broken_yaml_location(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct dom_catalog c;
    memset(&c, 0, sizeof(c));
    struct err e = ERR_INIT;
    const char *broken = "criteria:\n"
                         "  - id: CC1.1\n"
                         "    title: {en: \"x\", sv: \"y\"\n"
                         "    series: CC1\n";
    int rc = dom_catalog_add_criteria(&c, &a, "criteria-x.yaml", broken, strlen(broken), &e);
    assert_int_equal(rc, TL_EINPUT);
    int line = 0, col = 0;
    if (sscanf(e.where, "criteria-x.yaml:%d:%d", &line, &col) != 2)
        fail_msg("where is '%s'", e.where);
    assert_true(line >= 3 && line <= 5);
    assert_true(col >= 1);

    const char *dup = "criteria:\n"
                      "  - id: CC1.1\n"
                      "    id: CC1.2\n";
    rc = dom_catalog_add_criteria(&c, &a, "criteria-x.yaml", dup, strlen(dup), &e);
    assert_int_equal(rc, TL_EINPUT);
    assert_string_equal(e.msg, "duplicate key 'id'");
    assert_string_equal(e.where, "criteria-x.yaml:3:5");
    assert_int_equal(c.n_criteria, 0);
    arena_release(&a);
}

static void test_missing_field_location(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct dom_catalog c;
    struct err e = ERR_INIT;
    const char *no_category = "criteria:\n"
                              "  - id: CC1.1\n"
                              "    series: CC1\n";
    assert_int_equal(build(&a, &c, no_category, NULL, &e), TL_EINPUT);
    assert_string_equal(e.msg, "missing required field 'category'");
    assert_string_equal(e.where, "criteria-t.yaml:2:5");

    const char *no_list = "criterias: []\n";
    assert_int_equal(build(&a, &c, no_list, NULL, &e), TL_EINPUT);
    assert_string_equal(e.msg, "missing required list 'criteria'");

    char *bad_kind = arena_printf(&a,
                                  "%s"
                                  "      - id: CC1.1-PF01\n"
                                  "        kind: cosso\n",
                                  criterion_head);
    assert_int_equal(build(&a, &c, bad_kind, NULL, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "unknown point-of-focus kind \"cosso\""));
    assert_string_equal(e.where, "criteria-t.yaml:9:15");

    char *no_applies = arena_printf(&a,
                                    "%s"
                                    "      - id: CC1.1-PF01\n"
                                    "        kind: category\n"
                                    "        title: {en: a, sv: a}\n"
                                    "        text: {en: a, sv: a}\n",
                                    criterion_head);
    assert_int_equal(build(&a, &c, no_applies, NULL, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "needs applies_to"));
    arena_release(&a);
}

static void test_finish_refuses_bad_references(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct dom_catalog c;
    struct err e = ERR_INIT;
    /* A point of focus must sit under the criterion its id names. */
    assert_int_equal(build(&a, &c, criteria_with_pof(&a, "CC2.1-PF01"), NULL, &e), TL_EINPUT);
    assert_string_equal(e.msg, "point of focus 'CC2.1-PF01' is filed under 'CC1.1'");
    /* ... exactly: CC1.12 is not CC1.1. */
    assert_int_equal(build(&a, &c, criteria_with_pof(&a, "CC1.12-PF01"), NULL, &e), TL_EINPUT);
    assert_string_equal(e.msg, "point of focus 'CC1.12-PF01' is filed under 'CC1.1'");
    assert_int_equal(build(&a, &c, criteria_with_pof(&a, "CC1.1"), NULL, &e), TL_EINPUT);

    char *twice = arena_printf(&a, "%s", criteria_with_pof(&a, "CC1.1-PF01"));
    twice = arena_printf(&a,
                         "%s"
                         "      - id: CC1.1-PF01\n"
                         "        kind: tsc\n"
                         "        title: {en: a, sv: a}\n"
                         "        text: {en: a, sv: a}\n",
                         twice);
    assert_int_equal(build(&a, &c, twice, NULL, &e), TL_EINPUT);
    assert_string_equal(e.msg, "point of focus 'CC1.1-PF01' is listed twice");

    const char *unknown_series = "criteria:\n"
                                 "  - id: CC1.1\n"
                                 "    category: security\n"
                                 "    series: CC9\n"
                                 "    title: {en: a, sv: a}\n"
                                 "    summary: {en: a, sv: a}\n"
                                 "    points_of_focus: []\n";
    assert_int_equal(build(&a, &c, unknown_series, NULL, &e), TL_EINPUT);
    assert_string_equal(e.msg, "criterion 'CC1.1' names unknown series 'CC9'");
    arena_release(&a);
}

/* A COSO file with one component, up to its list of principles. */
#define COSO_HEAD                                                                                  \
    "id: coso-2013\n"                                                                              \
    "name: {en: C, sv: C}\n"                                                                       \
    "components:\n"                                                                                \
    "  - id: control-environment\n"                                                                \
    "    name: {en: E, sv: E}\n"                                                                   \
    "    principles:\n"

/* One principle of that list: number a bare number, tsc a string literal. */
#define COSO_PRINCIPLE(number, tsc)                                                                \
    "      - number: " #number "\n"                                                                \
    "        title: {en: P, sv: P}\n"                                                              \
    "        tsc: " tsc "\n"

static void test_coso_refusals(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct dom_catalog c;
    struct err e = ERR_INIT;
    const char *criteria = criteria_with_pof(&a, "CC1.1-PF01");
    const char *ok = COSO_HEAD COSO_PRINCIPLE(1, "cc1.1");
    if (build(&a, &c, criteria, ok, &e) != 0)
        fail_msg("%s: %s", e.where, e.msg);
    assert_int_equal(c.criteria[0].principle->number, 1);

    const char *unknown = COSO_HEAD COSO_PRINCIPLE(1, "CC7.7");
    assert_int_equal(build(&a, &c, criteria, unknown, &e), TL_EINPUT);
    assert_string_equal(e.msg, "COSO principle 1 names unknown criterion 'CC7.7'");

    const char *out_of_range = COSO_HEAD COSO_PRINCIPLE(18, "CC1.1");
    assert_int_equal(build(&a, &c, criteria, out_of_range, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'number' is 18 (expected 1 to 17)");
    assert_string_equal(e.where, "coso.yaml:7:17");

    const char *no_number = COSO_HEAD "      - title: {en: P, sv: P}\n"
                                      "        tsc: CC1.1\n";
    assert_int_equal(build(&a, &c, criteria, no_number, &e), TL_EINPUT);
    assert_string_equal(e.msg, "missing required field 'number'");
    assert_string_equal(e.where, "coso.yaml:7:9");

    const char *two_on_one = COSO_HEAD COSO_PRINCIPLE(1, "CC1.1") COSO_PRINCIPLE(2, "CC1.1");
    assert_int_equal(build(&a, &c, criteria, two_on_one, &e), TL_EINPUT);
    assert_string_equal(e.msg, "criterion 'CC1.1' carries two COSO principles");

    const char *same_number = COSO_HEAD COSO_PRINCIPLE(1, "CC1.1") COSO_PRINCIPLE(1, "CC1.2");
    assert_int_equal(build(&a, &c, criteria, same_number, &e), TL_EINPUT);
    assert_string_equal(e.msg, "COSO principle 1 is listed twice");
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_criteria_in_tsc_order),
        cmocka_unit_test(test_counts_per_category),
        cmocka_unit_test(test_coso_principles),
        cmocka_unit_test(test_points_of_focus),
        cmocka_unit_test(test_lookups),
    };
    const struct CMUnitTest broken[] = {
        cmocka_unit_test(test_small_catalog_ok),
        cmocka_unit_test(test_broken_yaml_location),
        cmocka_unit_test(test_missing_field_location),
        cmocka_unit_test(test_finish_refuses_bad_references),
        cmocka_unit_test(test_coso_refusals),
    };
    int failed = cmocka_run_group_tests_name("real catalog", real, setup, teardown);
    failed += cmocka_run_group_tests_name("broken content", broken, NULL, NULL);
    return failed;
}
