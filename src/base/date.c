/* date.c - calendar arithmetic.  days_from_civil and civil_from_days are
 * the well-known era-based algorithms for the proleptic Gregorian calendar,
 * valid far beyond any date Tillit will see. */
#include "base/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

tl_date date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(tl_date t, int *y, int *m, int *d)
{
    int z = t + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

int date_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Parses exactly "YYYY-MM-DD" at s; returns 0 or -1. */
static int parse_ymd(const char *s, tl_date *out)
{
    int y, m, d;
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d))
        return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
        return -1;
    *out = date_from_ymd(y, m, d);
    return 0;
}

int date_parse(const char *s, tl_date *out, struct err *e)
{
    if (strlen(s) != 10 || parse_ymd(s, out) != 0)
        return ERR_SET(e, TL_EINPUT, "'%s' is not a date (expected YYYY-MM-DD)", s);
    return 0;
}

int time_parse(const char *s, tl_time *out, struct err *e)
{
    tl_date d;
    if (parse_ymd(s, &d) != 0)
        goto bad;
    if (s[10] == '\0') {
        *out = (tl_time)d * 86400;
        return 0;
    }
    int hh, mm, ss = 0;
    const char *p = s + 11;
    if ((s[10] != 'T' && s[10] != ' ') || digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mm))
        goto bad;
    p += 5;
    if (*p == ':') {
        if (digits(p + 1, 2, &ss))
            goto bad;
        p += 3;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                goto bad;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60)
        goto bad;
    int offset = 0;
    if (*p == 'Z' && p[1] == '\0') {
        offset = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            goto bad;
        offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    } else {
        goto bad;
    }
    *out = (tl_time)d * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return 0;
bad:
    return ERR_SET(e, TL_EINPUT, "'%s' is not an ISO 8601 date or time", s);
}

void date_format(tl_date d, char buf[DATE_BUF])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, DATE_BUF, "%04d-%02d-%02d", y % 10000, m, dd);
}

tl_date time_date(tl_time t)
{
    tl_time days = t / 86400;
    if (t % 86400 < 0)
        days--;
    return (tl_date)days;
}

void time_format(tl_time t, char buf[TIME_BUF])
{
    tl_date d = time_date(t);
    int secs = (int)(t - (tl_time)d * 86400);
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02dZ", y % 10000, m, dd, secs / 3600,
             secs / 60 % 60, secs % 60);
}

tl_date date_add_months(tl_date d, int months)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    int idx = y * 12 + (m - 1) + months;
    y = idx / 12;
    m = idx % 12 + 1;
    int dim = date_days_in_month(y, m);
    return date_from_ymd(y, m, dd > dim ? dim : dd);
}

int date_weekday(tl_date d)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (d + 3) % 7;
    return w < 0 ? w + 7 : w;
}

int period_parse(const char *s, struct tl_period *out, struct err *e)
{
    const char *dots = strstr(s, "..");
    char a[DATE_BUF + 1], b[DATE_BUF + 1];
    if (!dots || (size_t)(dots - s) > DATE_BUF - 1 || strlen(dots + 2) > DATE_BUF - 1)
        return ERR_SET(e, TL_EINPUT, "'%s' is not a period (expected YYYY-MM-DD..YYYY-MM-DD)", s);
    memcpy(a, s, (size_t)(dots - s));
    a[dots - s] = '\0';
    snprintf(b, sizeof(b), "%s", dots + 2);
    if (date_parse(a, &out->start, e) || date_parse(b, &out->end, e))
        return TL_EINPUT;
    if (out->end < out->start)
        return ERR_SET(e, TL_EINPUT, "period '%s' ends before it starts", s);
    return 0;
}

int period_months(const struct tl_period *p)
{
    int months = 0;
    while (date_add_months(p->start, months + 1) <= p->end + 1)
        months++;
    return months;
}

tl_time time_now(void)
{
    return (tl_time)time(NULL);
}
