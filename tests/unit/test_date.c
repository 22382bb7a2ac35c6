/* test_date.c - strict ISO 8601 dates, timestamps and periods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"

static tl_date ymd(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static void test_epoch(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1970, 1, 2), 1);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(2000, 3, 1), 11017);
    int y, m, d;
    date_to_ymd(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

static void test_date_parse_valid(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    tl_date d = -12345;
    assert_int_equal(date_parse("2024-02-29", &d, &e), 0);
    assert_int_equal(d, ymd(2024, 2, 29));
    assert_int_equal(date_parse("2000-02-29", &d, &e), 0); /* divisible by 400 */
    assert_int_equal(date_parse("2026-12-31", &d, &e), 0);
    assert_int_equal(d, ymd(2026, 12, 31));
    assert_int_equal(date_parse("1970-01-01", &d, &e), 0);
    assert_int_equal(d, 0);
}

static void test_date_parse_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-02-30", "2023-02-29", "1900-02-29",  "2026-04-31",  "2026-13-01",
        "2026-00-10", "2026-01-00", "2026-01-32",  "2026-1-01",   "2026-01-1",
        "26-01-01",   "2026/01/01", "2026-01-01 ", " 2026-01-01", "2026-01-01T00:00:00Z",
        "",           "abcd-ef-gh", "2026-0a-01",  "+026-01-01",  "2026-01-+1",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e = ERR_INIT;
        tl_date d = 777;
        int rc = date_parse(bad[i], &d, &e);
        if (rc != TL_EINPUT)
            fail_msg("date_parse accepted '%s'", bad[i]);
        assert_int_equal(e.code, TL_EINPUT);
        assert_non_null(strstr(e.msg, "is not a date"));
        assert_non_null(strstr(e.msg, bad[i]));
    }
    struct err e = ERR_INIT;
    tl_date d;
    date_parse("2026-02-30", &d, &e);
    assert_string_equal(e.msg, "'2026-02-30' is not a date (expected YYYY-MM-DD)");
}

static void test_time_parse(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    tl_time base = (tl_time)ymd(2026, 3, 15) * 86400;
    tl_time t = 0;
    assert_int_equal(time_parse("2026-03-15T10:20:30Z", &t, &e), 0);
    assert_int_equal(t, base + 10 * 3600 + 20 * 60 + 30);
    assert_int_equal(time_parse("2026-03-15 10:20:30Z", &t, &e), 0);
    assert_int_equal(t, base + 10 * 3600 + 20 * 60 + 30);
    /* Offsets: local 12:20:30 at +02:00 is 10:20:30 UTC. */
    assert_int_equal(time_parse("2026-03-15T12:20:30+02:00", &t, &e), 0);
    assert_int_equal(t, base + 10 * 3600 + 20 * 60 + 30);
    assert_int_equal(time_parse("2026-03-15T05:50:30-04:30", &t, &e), 0);
    assert_int_equal(t, base + 10 * 3600 + 20 * 60 + 30);
    /* An offset can move the instant to another day. */
    assert_int_equal(time_parse("2026-03-15T00:30:00+01:00", &t, &e), 0);
    assert_int_equal(t, base - 30 * 60);
    assert_int_equal(time_date(t), ymd(2026, 3, 14));
    /* Fractions are accepted and dropped. */
    assert_int_equal(time_parse("2026-03-15T10:20:30.999Z", &t, &e), 0);
    assert_int_equal(t, base + 10 * 3600 + 20 * 60 + 30);
    assert_int_equal(time_parse("2026-03-15T10:20:30.5+00:00", &t, &e), 0);
    assert_int_equal(t, base + 10 * 3600 + 20 * 60 + 30);
    /* A bare date is midnight UTC. */
    assert_int_equal(time_parse("2026-03-15", &t, &e), 0);
    assert_int_equal(t, base);
}

static void test_time_parse_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-03-15T10:20:30", /* no zone */
        "2026-03-15T24:00:00Z",
        "2026-03-15T10:60:00Z",
        "2026-03-15T10:20:61Z",
        "2026-03-15T10:20:30.Z",
        "2026-03-15T10:20:30+0200",
        "2026-03-15T10:20:30+24:00",
        "2026-03-15T10:20:30+02:60",
        "2026-03-15T10:20:30Zjunk",
        "2026-02-30T10:20:30Z",
        "2026-03-15X10:20:30Z",
        "2026-03-15T",
        "2026-03-15T1",
        "2026-03-15T10:2",
        "2026-03-15T10:20:3Z",
        "",
        "2026-03-15T10:20:30+02:00x",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e = ERR_INIT;
        tl_time t = 777;
        if (time_parse(bad[i], &t, &e) != TL_EINPUT)
            fail_msg("time_parse accepted '%s'", bad[i]);
        assert_non_null(strstr(e.msg, "is not an ISO 8601 date or time"));
    }
}

static void test_date_round_trip(void **state)
{
    (void)state;
    /* Every day from 1900 to 2100: format, parse, and y-m-d agree. */
    tl_date from = ymd(1900, 1, 1), to = ymd(2100, 12, 31);
    int py = 1899, pm = 12, pd = 31;
    for (tl_date d = from; d <= to; d++) {
        char buf[DATE_BUF];
        date_format(d, buf);
        assert_int_equal(strlen(buf), 10);
        tl_date back;
        if (date_parse(buf, &back, NULL) != 0 || back != d)
            fail_msg("date %d formatted as '%s' does not parse back", (int)d, buf);
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        /* Consecutive days: either the next day of the month or the 1st. */
        if (dd == 1)
            assert_int_equal(pd, date_days_in_month(py, pm));
        else
            assert_int_equal(dd, pd + 1);
        py = y, pm = m, pd = dd;
    }
}

static void test_time_round_trip(void **state)
{
    (void)state;
    char buf[TIME_BUF];
    time_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    time_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    time_format((tl_time)ymd(2026, 11, 23) * 86400 + 86399, buf);
    assert_string_equal(buf, "2026-11-23T23:59:59Z");
    /* A step that does not divide a day lands on ever-changing times of day. */
    for (tl_time t = (tl_time)ymd(1999, 12, 31) * 86400; t < (tl_time)ymd(2031, 1, 1) * 86400;
         t += 86400 / 2 + 7919) {
        time_format(t, buf);
        assert_int_equal(strlen(buf), 20);
        tl_time back;
        if (time_parse(buf, &back, NULL) != 0 || back != t)
            fail_msg("time %lld formatted as '%s' does not parse back", (long long)t, buf);
    }
}

static void test_time_date(void **state)
{
    (void)state;
    assert_int_equal(time_date(0), 0);
    assert_int_equal(time_date(86399), 0);
    assert_int_equal(time_date(86400), 1);
    assert_int_equal(time_date(-1), -1);
    assert_int_equal(time_date(-86400), -1);
    assert_int_equal(time_date(-86401), -2);
}

static void test_add_months_clamps(void **state)
{
    (void)state;
    assert_int_equal(date_add_months(ymd(2026, 1, 31), 1), ymd(2026, 2, 28));
    assert_int_equal(date_add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
    assert_int_equal(date_add_months(ymd(2026, 3, 31), 1), ymd(2026, 4, 30));
    assert_int_equal(date_add_months(ymd(2026, 1, 31), 2), ymd(2026, 3, 31));
    assert_int_equal(date_add_months(ymd(2026, 11, 15), 2), ymd(2027, 1, 15));
    assert_int_equal(date_add_months(ymd(2026, 1, 15), 12), ymd(2027, 1, 15));
    assert_int_equal(date_add_months(ymd(2024, 2, 29), 12), ymd(2025, 2, 28));
    assert_int_equal(date_add_months(ymd(2026, 3, 31), -1), ymd(2026, 2, 28));
    assert_int_equal(date_add_months(ymd(2026, 1, 15), -1), ymd(2025, 12, 15));
    assert_int_equal(date_add_months(ymd(2026, 1, 15), -13), ymd(2024, 12, 15));
    assert_int_equal(date_add_months(ymd(2026, 5, 5), 0), ymd(2026, 5, 5));
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(ymd(2026, 11, 23)), 0); /* Monday */
    assert_int_equal(date_weekday(ymd(1970, 1, 1)), 3);   /* Thursday */
    assert_int_equal(date_weekday(ymd(2000, 1, 1)), 5);   /* Saturday */
    assert_int_equal(date_weekday(ymd(1969, 12, 28)), 6); /* Sunday, before the epoch */
    assert_int_equal(date_weekday(ymd(2026, 11, 29)), 6);
    for (tl_date d = ymd(1960, 1, 1); d < ymd(1980, 1, 1); d++)
        assert_int_equal(date_weekday(d + 1), (date_weekday(d) + 1) % 7);
}

static void test_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2026, 4), 30);
    assert_int_equal(date_days_in_month(2026, 12), 31);
}

static void test_period(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct tl_period p;
    assert_int_equal(period_parse("2026-01-01..2026-06-30", &p, &e), 0);
    assert_int_equal(p.start, ymd(2026, 1, 1));
    assert_int_equal(p.end, ymd(2026, 6, 30));
    assert_int_equal(period_months(&p), 6);
    assert_int_equal(period_parse("2026-01-01..2026-12-31", &p, &e), 0);
    assert_int_equal(period_months(&p), 12);
    assert_int_equal(period_parse("2026-01-01..2026-06-29", &p, &e), 0);
    assert_int_equal(period_months(&p), 5);
    assert_int_equal(period_parse("2026-03-15..2026-03-15", &p, &e), 0);
    assert_int_equal(period_months(&p), 0);
    assert_int_equal(period_parse("2025-07-01..2026-06-30", &p, &e), 0);
    assert_int_equal(period_months(&p), 12);
}

static void test_period_refused(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct tl_period p;
    assert_int_equal(period_parse("2026-06-30..2026-01-01", &p, &e), TL_EINPUT);
    assert_string_equal(e.msg, "period '2026-06-30..2026-01-01' ends before it starts");
    assert_int_equal(period_parse("2026-01-01..2026-02-30", &p, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "'2026-02-30' is not a date"));
    static const char *const bad[] = {
        "2026-01-01",
        "2026-01-01..",
        "..2026-01-01",
        "2026-01-01...2026-06-30",
        "2026-01-01-2026-06-30",
        "2026-01-01..2026-06-300",
        "x..y",
        "2026-01-01 ..2026-06-30",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&e);
        if (period_parse(bad[i], &p, &e) != TL_EINPUT)
            fail_msg("period_parse accepted '%s'", bad[i]);
        assert_int_equal(e.code, TL_EINPUT);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch),
        cmocka_unit_test(test_date_parse_valid),
        cmocka_unit_test(test_date_parse_strict),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_time_parse_strict),
        cmocka_unit_test(test_date_round_trip),
        cmocka_unit_test(test_time_round_trip),
        cmocka_unit_test(test_time_date),
        cmocka_unit_test(test_add_months_clamps),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_period),
        cmocka_unit_test(test_period_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
