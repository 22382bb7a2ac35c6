/* date.h - calendar dates, timestamps and periods (ISO 8601).
 *
 * Dates are proleptic Gregorian, held as days since 1970-01-01 (int32 is
 * plenty).  Timestamps are UTC seconds since the epoch.  Parsing is strict:
 * "2026-02-30" is refused, not normalised.  Nothing here reads the clock
 * except date_now(), and callers pass "now" down so that tests can pin it.
 */
#ifndef TL_DATE_H
#define TL_DATE_H

#include "base/err.h"

#include <stdbool.h>
#include <stdint.h>

typedef int32_t tl_date; /* days since 1970-01-01 */
typedef int64_t tl_time; /* seconds since 1970-01-01T00:00:00Z */

struct tl_period {
    tl_date start, end; /* inclusive */
};

#define DATE_BUF 11 /* "YYYY-MM-DD" + NUL */
#define TIME_BUF 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/** Days since the epoch for a valid y-m-d; no validation. */
tl_date date_from_ymd(int y, int m, int d);

/** Splits a date into year, month (1-12) and day (1-31). */
void date_to_ymd(tl_date t, int *y, int *m, int *d);

/** Parses "YYYY-MM-DD". Fails with TL_EINPUT naming the text. */
int date_parse(const char *s, tl_date *out, struct err *e);

/** Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" or a bare date (midnight UTC). */
int time_parse(const char *s, tl_time *out, struct err *e);

/** Formats into buf (DATE_BUF / TIME_BUF bytes). */
void date_format(tl_date d, char buf[DATE_BUF]);
void time_format(tl_time t, char buf[TIME_BUF]);

/** The date a timestamp falls on (UTC). */
tl_date time_date(tl_time t);

/** Adds months, clamping the day to the month's length (Jan 31 + 1 = Feb 28/29). */
tl_date date_add_months(tl_date d, int months);

/** Day of week, 0 = Monday ... 6 = Sunday. */
int date_weekday(tl_date d);

/** Days in a month of a year. */
int date_days_in_month(int y, int m);

/** Parses "START..END" (two dates, START <= END). */
int period_parse(const char *s, struct tl_period *out, struct err *e);

/** Whole months between start and end+1 day, rounded down (2026-01-01..2026-06-30 = 6). */
int period_months(const struct tl_period *p);

/** The current time, from the system clock. */
tl_time time_now(void);

#endif
