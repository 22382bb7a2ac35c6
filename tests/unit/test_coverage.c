/* test_coverage.c - expected occurrences, slices, staleness and window coverage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/coverage.h"

static struct tl_period per(int y1, int m1, int d1, int y2, int m2, int d2)
{
    struct tl_period p = {date_from_ymd(y1, m1, d1), date_from_ymd(y2, m2, d2)};
    return p;
}

static struct tl_period day(int y, int m, int d)
{
    return per(y, m, d, y, m, d);
}

/* A six-month Type II window. */
static const struct tl_period *h1(void)
{
    static struct tl_period w;
    w = per(2026, 1, 1, 2026, 6, 30);
    return &w;
}

static int expected(const char *freq, struct tl_period w)
{
    int n = -1;
    struct err e = ERR_INIT;
    assert_int_equal(eng_expected(freq, &w, &n, &e), 0);
    return n;
}

static void test_stale_days(void **state)
{
    (void)state;
    static const struct {
        const char *freq;
        int days;
    } want[] = {{"daily", 2},       {"weekly", 8},         {"monthly", 35},
                {"quarterly", 100}, {"semi-annual", 190},  {"annual", 380},
                {"continuous", 2},  {"multiple-daily", 2}, {"event-driven", 380}};
    struct err e = ERR_INIT;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int d = -1;
        assert_int_equal(eng_stale_days(want[i].freq, &d, &e), 0);
        assert_int_equal(d, want[i].days);
    }
}

static void test_unknown_frequency(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    int d;
    struct eng_coverage c;
    assert_int_equal(eng_stale_days("fortnightly", &d, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "fortnightly"));
    assert_int_equal(eng_expected(NULL, h1(), &d, &e), TL_EINPUT);
    assert_int_equal(eng_coverage("hourly", h1(), NULL, 0, &c, &e), TL_EINPUT);
}

static void test_expected(void **state)
{
    (void)state;
    assert_int_equal(expected("quarterly", *h1()), 2);
    assert_int_equal(expected("monthly", *h1()), 6);
    assert_int_equal(expected("semi-annual", *h1()), 1);
    assert_int_equal(expected("annual", *h1()), 1);
    assert_int_equal(expected("annual", per(2026, 1, 1, 2026, 12, 31)), 1);
    assert_int_equal(expected("annual", per(2025, 1, 1, 2026, 12, 31)), 2);
    assert_int_equal(expected("daily", *h1()), 181);
    assert_int_equal(expected("continuous", per(2026, 1, 1, 2026, 1, 31)), 31);
    assert_int_equal(expected("multiple-daily", day(2026, 1, 1)), 1);
    assert_int_equal(expected("weekly", per(2026, 1, 1, 2026, 1, 28)), 4);
    assert_int_equal(expected("weekly", per(2026, 1, 1, 2026, 1, 3)), 1);
    assert_int_equal(expected("event-driven", *h1()), 1);
    /* A window shorter than the frequency still expects one occurrence. */
    assert_int_equal(expected("quarterly", per(2026, 1, 1, 2026, 1, 31)), 1);
}

static void test_slices(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct tl_period s;
    assert_int_equal(eng_slice("monthly", h1(), 1, &s, &e), 0);
    assert_int_equal(s.start, date_from_ymd(2026, 2, 1));
    assert_int_equal(s.end, date_from_ymd(2026, 2, 28));
    assert_int_equal(eng_slice("monthly", h1(), 5, &s, &e), 0);
    assert_int_equal(s.start, date_from_ymd(2026, 6, 1));
    assert_int_equal(s.end, date_from_ymd(2026, 6, 30));
    assert_int_equal(eng_slice("quarterly", h1(), 1, &s, &e), 0);
    assert_int_equal(s.start, date_from_ymd(2026, 4, 1));
    assert_int_equal(s.end, date_from_ymd(2026, 6, 30));
    assert_int_equal(eng_slice("quarterly", h1(), 2, &s, &e), TL_EINPUT);
    assert_int_equal(eng_slice("quarterly", h1(), -1, &s, &e), TL_EINPUT);
    /* The last slice absorbs what is left of an uneven window. */
    struct tl_period odd = per(2026, 1, 15, 2026, 3, 20);
    assert_int_equal(eng_slice("monthly", &odd, 1, &s, &e), 0);
    assert_int_equal(s.start, date_from_ymd(2026, 2, 15));
    assert_int_equal(s.end, date_from_ymd(2026, 3, 20));
    assert_int_equal(eng_slice("weekly", &odd, 8, &s, &e), 0); /* 65 days: 9 weeks */
    assert_int_equal(s.end, odd.end);
    assert_int_equal(eng_slice("event-driven", &odd, 0, &s, &e), 0);
    assert_int_equal(s.start, odd.start);
    assert_int_equal(s.end, odd.end);
}

static struct eng_coverage cov(const char *freq, const struct tl_period *w,
                               const struct tl_period *items, size_t n)
{
    struct eng_coverage c;
    struct err e = ERR_INIT;
    assert_int_equal(eng_coverage(freq, w, items, n, &c, &e), 0);
    return c;
}

static void test_quarterly_two_quarters(void **state)
{
    (void)state;
    struct tl_period items[] = {day(2026, 2, 10), day(2026, 5, 12)};
    struct eng_coverage c = cov("quarterly", h1(), items, 2);
    assert_int_equal(c.expected, 2);
    assert_int_equal(c.covered, 2);
    assert_int_equal(c.periods, 2);
    assert_int_equal(c.state, ENG_COV_COVERED);
}

static void test_quarterly_same_quarter_is_partial(void **state)
{
    (void)state;
    struct tl_period items[] = {day(2026, 1, 10), day(2026, 3, 12)};
    struct eng_coverage c = cov("quarterly", h1(), items, 2);
    assert_int_equal(c.covered, 1);
    assert_int_equal(c.periods, 2);
    assert_int_equal(c.state, ENG_COV_PARTIAL);
}

static void test_single_point_never_covers(void **state)
{
    (void)state;
    struct tl_period one[] = {day(2026, 3, 1)};
    assert_int_equal(cov("quarterly", h1(), one, 1).state, ENG_COV_POINT_ONLY);
    assert_int_equal(cov("daily", h1(), one, 1).state, ENG_COV_POINT_ONLY);
    assert_int_equal(cov("continuous", h1(), one, 1).state, ENG_COV_POINT_ONLY);
    /* The same screenshot added twice is still one point in time. */
    struct tl_period twice[] = {day(2026, 3, 1), day(2026, 3, 1)};
    struct eng_coverage c = cov("monthly", h1(), twice, 2);
    assert_int_equal(c.periods, 1);
    assert_int_equal(c.inside, 2);
    assert_int_equal(c.state, ENG_COV_POINT_ONLY);
    /* Where the frequency expects one occurrence, one dated occurrence is it. */
    assert_int_equal(cov("annual", h1(), one, 1).state, ENG_COV_COVERED);
    assert_int_equal(cov("semi-annual", h1(), one, 1).state, ENG_COV_COVERED);
}

static void test_period_spanning_window_covers_daily(void **state)
{
    (void)state;
    struct tl_period log[] = {per(2025, 12, 1, 2026, 6, 30)};
    struct eng_coverage c = cov("daily", h1(), log, 1);
    assert_int_equal(c.expected, 181);
    assert_int_equal(c.covered, 181);
    assert_int_equal(c.state, ENG_COV_COVERED);
    struct tl_period half[] = {per(2026, 1, 1, 2026, 3, 31)};
    c = cov("daily", h1(), half, 1);
    assert_int_equal(c.covered, 90);
    assert_int_equal(c.state, ENG_COV_PARTIAL);
}

static void test_outside_window(void **state)
{
    (void)state;
    struct tl_period before[] = {day(2025, 11, 3), per(2025, 7, 1, 2025, 12, 31)};
    struct eng_coverage c = cov("quarterly", h1(), before, 2);
    assert_int_equal(c.inside, 0);
    assert_int_equal(c.outside, 2);
    assert_int_equal(c.covered, 0);
    assert_int_equal(c.state, ENG_COV_NONE);
    struct tl_period mixed[] = {day(2025, 11, 3), day(2026, 2, 1), day(2026, 4, 1),
                                day(2026, 7, 1)};
    c = cov("quarterly", h1(), mixed, 4);
    assert_int_equal(c.inside, 2);
    assert_int_equal(c.outside, 2);
    assert_int_equal(c.state, ENG_COV_COVERED);
    /* A period that straddles the window's start counts inside. */
    struct tl_period straddle[] = {per(2025, 12, 15, 2026, 1, 15), day(2026, 4, 2)};
    c = cov("quarterly", h1(), straddle, 2);
    assert_int_equal(c.outside, 0);
    assert_int_equal(c.state, ENG_COV_COVERED);
}

static void test_no_evidence(void **state)
{
    (void)state;
    struct eng_coverage c = cov("monthly", h1(), NULL, 0);
    assert_int_equal(c.expected, 6);
    assert_int_equal(c.covered, 0);
    assert_int_equal(c.state, ENG_COV_NONE);
    assert_string_equal(eng_cov_state_name(c.state), "none");
    assert_string_equal(eng_cov_state_name(ENG_COV_POINT_ONLY), "point-in-time-only");
    assert_string_equal(eng_cov_state_name(ENG_COV_PARTIAL), "partial");
    assert_string_equal(eng_cov_state_name(ENG_COV_COVERED), "covered");
}

static void test_monthly_all_months(void **state)
{
    (void)state;
    struct tl_period items[6];
    for (int m = 1; m <= 6; m++)
        items[m - 1] = day(2026, m, 28);
    assert_int_equal(cov("monthly", h1(), items, 6).state, ENG_COV_COVERED);
    /* Missing May. */
    items[4] = day(2026, 4, 2);
    struct eng_coverage c = cov("monthly", h1(), items, 6);
    assert_int_equal(c.covered, 5);
    assert_int_equal(c.state, ENG_COV_PARTIAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_days),
        cmocka_unit_test(test_unknown_frequency),
        cmocka_unit_test(test_expected),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_quarterly_two_quarters),
        cmocka_unit_test(test_quarterly_same_quarter_is_partial),
        cmocka_unit_test(test_single_point_never_covers),
        cmocka_unit_test(test_period_spanning_window_covers_daily),
        cmocka_unit_test(test_outside_window),
        cmocka_unit_test(test_no_evidence),
        cmocka_unit_test(test_monthly_all_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
