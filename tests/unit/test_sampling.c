/* test_sampling.c - the sample size table (domain/sampling.h): the default
 * table's numbers, period scaling, population bands, the conclusion rule
 * and a strict parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "domain/sampling.h"

extern const struct embed_file content_files[];

struct fixture {
    struct arena a;
    struct dom_sampling_table t;
};

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof(f));
    const struct embed_file *file = embed_find(content_files, "sampling/default.yaml");
    struct err e = ERR_INIT;
    if (!file || dom_sampling_parse(&f.a, "default.yaml", (const char *)file->data, file->len, &f.t,
                                    &e) != 0)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_release(&f->a);
    return 0;
}

static int64_t size_of(const struct dom_sampling_table *t, const char *freq, int months,
                       int64_t pop)
{
    struct dom_sample_basis b = {
        .frequency = freq, .period_months = months, .population = pop, .itgc_reliance = true};
    int64_t n = -1;
    struct err e = ERR_INIT;
    if (dom_sample_size(t, &b, &n, NULL, 0, &e) != 0)
        fail_msg("%s", e.msg);
    return n;
}

static void test_frequencies(void **state)
{
    struct fixture *f = *state;
    /* Twelve months: the typical table. */
    assert_int_equal(size_of(&f->t, "annual", 12, -1), 1);
    assert_int_equal(size_of(&f->t, "semi-annual", 12, -1), 2);
    assert_int_equal(size_of(&f->t, "quarterly", 12, -1), 2);
    assert_int_equal(size_of(&f->t, "monthly", 12, -1), 2);
    assert_int_equal(size_of(&f->t, "weekly", 12, -1), 5);
    assert_int_equal(size_of(&f->t, "daily", 12, -1), 25);
    assert_int_equal(size_of(&f->t, "multiple-daily", 12, -1), 40);
    /* Six months scale the occurrences: two quarters, both tested. */
    assert_int_equal(size_of(&f->t, "quarterly", 6, -1), 2);
    assert_int_equal(size_of(&f->t, "semi-annual", 6, -1), 1);
    assert_int_equal(size_of(&f->t, "annual", 6, -1), 1);
    assert_int_equal(size_of(&f->t, "daily", 6, -1), 25);
    /* Three months: one quarter. */
    assert_int_equal(size_of(&f->t, "quarterly", 3, -1), 1);
    /* A known population caps the size. */
    assert_int_equal(size_of(&f->t, "daily", 12, 20), 20);
    assert_int_equal(dom_sampling_occurrences(4, 6), 2);
    assert_int_equal(dom_sampling_occurrences(1, 6), 1);
    assert_int_equal(dom_sampling_occurrences(250, 6), 125);
    char why[160];
    struct dom_sample_basis b = {.frequency = "quarterly", .period_months = 6, .population = -1};
    int64_t n;
    assert_int_equal(dom_sample_size(&f->t, &b, &n, why, sizeof(why), NULL), 0);
    assert_string_equal(why, "quarterly: 2 occurrence(s) in 6 month(s), table 2");
}

static void test_event_driven_bands(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(size_of(&f->t, "event-driven", 6, -1), 0); /* set by the population */
    assert_int_equal(size_of(&f->t, "event-driven", 6, 1), 1);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 5), 5); /* all */
    assert_int_equal(size_of(&f->t, "event-driven", 6, 6), 2);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 12), 2);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 13), 5);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 52), 5);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 53), 15);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 250), 15);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 251), 25);
    assert_int_equal(size_of(&f->t, "event-driven", 6, 100000), 25);
}

static void test_design_and_automated(void **state)
{
    struct fixture *f = *state;
    int64_t n;
    struct dom_sample_basis b = {
        .design = true, .frequency = "daily", .period_months = 6, .population = -1};
    assert_int_equal(dom_sample_size(&f->t, &b, &n, NULL, 0, NULL), 0);
    assert_int_equal(n, 1);
    b = (struct dom_sample_basis){.frequency = "continuous",
                                  .automated = true,
                                  .itgc_reliance = true,
                                  .period_months = 6,
                                  .population = -1};
    assert_int_equal(dom_sample_size(&f->t, &b, &n, NULL, 0, NULL), 0);
    assert_int_equal(n, 1);
    /* Without IT general controls relied on, an automated control is sampled
     * like a manual one of its frequency. */
    b.itgc_reliance = false;
    assert_int_equal(dom_sample_size(&f->t, &b, &n, NULL, 0, NULL), 0);
    assert_int_equal(n, 40);
}

static void test_conclusion_rule(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(dom_conclude(&f->t, 25, 0, true), DOM_EFFECTIVE);
    assert_int_equal(dom_conclude(&f->t, 25, 1, false), DOM_EFFECTIVE_WITH_EXCEPTIONS);
    assert_int_equal(dom_conclude(&f->t, 25, 1, true), DOM_NOT_EFFECTIVE);
    assert_int_equal(dom_conclude(&f->t, 25, 2, false), DOM_NOT_EFFECTIVE);
    assert_int_equal(dom_conclude(&f->t, 40, 1, true), DOM_EFFECTIVE_WITH_EXCEPTIONS);
    assert_int_equal(dom_conclude(&f->t, 40, 2, false), DOM_EFFECTIVE_WITH_EXCEPTIONS);
    assert_int_equal(dom_conclude(&f->t, 40, 3, false), DOM_NOT_EFFECTIVE);
    /* Below the first row nothing is tolerated: 1 in 2, 1 in 24. */
    assert_int_equal(dom_conclude(&f->t, 2, 1, false), DOM_NOT_EFFECTIVE);
    assert_int_equal(dom_conclude(&f->t, 24, 1, false), DOM_NOT_EFFECTIVE);
    assert_int_equal(dom_tolerable_exceptions(&f->t, 1, false), 0);
    assert_string_equal(dom_conclusions[DOM_EFFECTIVE_WITH_EXCEPTIONS],
                        "effective-with-exceptions");
}

/* The table's numbers follow n = ceil(ln(1 - C) / ln(1 - T)) with zero
 * expected deviations (docs/sampling.md). */
static void test_formula(void **state)
{
    (void)state;
    assert_int_equal((int)ceil(log(1 - 0.90) / log(1 - 0.10)), 22);
    assert_int_equal((int)ceil(log(1 - 0.95) / log(1 - 0.10)), 29);
    assert_int_equal((int)ceil(log(1 - 0.90) / log(1 - 0.05)), 45);
    assert_int_equal((int)ceil(log(1 - 0.95) / log(1 - 0.05)), 59);
    assert_int_equal((int)ceil(log(1 - 0.90) / log(1 - 0.09)), 25);
}

static void bad(const char *yaml, const char *want)
{
    struct arena a = ARENA_INIT;
    struct dom_sampling_table t;
    struct err e = ERR_INIT;
    int rc = dom_sampling_parse(&a, "t.yaml", yaml, strlen(yaml), &t, &e);
    if (rc != TL_EINPUT || !strstr(e.msg, want))
        fail_msg("want '%s', got %d '%s'", want, rc, e.msg);
    arena_release(&a);
}

#define FREQS                                                                                      \
    "frequencies:\n"                                                                               \
    "  - {frequency: annual, per_year: 1, sample: 1}\n"                                            \
    "  - {frequency: semi-annual, per_year: 2, sample: 2}\n"                                       \
    "  - {frequency: quarterly, per_year: 4, sample: 2}\n"                                         \
    "  - {frequency: monthly, per_year: 12, sample: 2}\n"                                          \
    "  - {frequency: weekly, per_year: 52, sample: 5}\n"                                           \
    "  - {frequency: daily, per_year: 250, sample: 25}\n"                                          \
    "  - {frequency: multiple-daily, per_year: 1000, sample: all}\n"

static void test_parse_errors(void **state)
{
    (void)state;
    const char *head = "name: t\ndesign: 1\nautomated: 1\n";
    struct arena a = ARENA_INIT;
    char buf[2048];
    snprintf(buf, sizeof(buf), "%s%spopulations:\n  - {max: null, sample: 1}\n", head, FREQS);
    bad(buf, "has no row for 'continuous'");
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: continuous, per_year: 9, sample: 9}\n"
             "populations:\n  - {max: 5, sample: all}\n  - {max: 3, sample: 2}\n"
             "  - {max: null, sample: 9}\n",
             head, FREQS);
    bad(buf, "increasing 'max'");
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: continuous, per_year: 9, sample: 9}\n"
             "populations:\n  - {max: 5, sample: all}\n",
             head, FREQS);
    bad(buf, "last population band must have 'max: null'");
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: continuous, per_year: 9, sample: 0}\n"
             "populations:\n  - {max: null, sample: 1}\n",
             head, FREQS);
    bad(buf, "field 'sample' is 0");
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: event-driven, per_year: 9, sample: 1}\n"
             "populations:\n  - {max: null, sample: 1}\n",
             head, FREQS);
    bad(buf, "unknown frequency 'event-driven'");
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: annual, per_year: 9, sample: 1}\n"
             "populations:\n  - {max: null, sample: 1}\n",
             head, FREQS);
    bad(buf, "frequency 'annual' is listed twice");
    bad("name: t\ndesign: 1\nautomated: 1\ncolour: red\n", "colour");
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: continuous, per_year: 9, sample: 9}\n"
             "populations:\n  - {max: null, sample: 1}\n"
             "tolerable_exceptions:\n  - {min_sample: 2, key: 0, non_key: 2}\n",
             head, FREQS);
    bad(buf, "fewer than 'min_sample'");
    /* And a complete small table parses. */
    snprintf(buf, sizeof(buf),
             "%s%s  - {frequency: continuous, per_year: 9, sample: 9}\n"
             "populations:\n  - {max: null, sample: all}\n",
             head, FREQS);
    struct dom_sampling_table t;
    struct err e = ERR_INIT;
    assert_int_equal(dom_sampling_parse(&a, "t.yaml", buf, strlen(buf), &t, &e), 0);
    assert_int_equal(size_of(&t, "event-driven", 12, 300), 300);
    assert_int_equal(size_of(&t, "multiple-daily", 6, -1), 500);
    assert_int_equal(t.n_tolerances, 0);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frequencies),
        cmocka_unit_test(test_event_driven_bands),
        cmocka_unit_test(test_design_and_automated),
        cmocka_unit_test(test_conclusion_rule),
        cmocka_unit_test(test_formula),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
