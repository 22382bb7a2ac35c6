/* ics.c - iCalendar writer. */
#include "report/ics.h"

#include <stdio.h>
#include <string.h>

/* Appends one content line, escaped when text, folded at 75 octets. */
static void line(struct sb *out, const char *name, const char *value, int escape)
{
    struct sb l = SB_INIT;
    sb_addf(&l, "%s:", name);
    for (const char *p = value; *p; p++) {
        if (escape && (*p == '\\' || *p == ';' || *p == ','))
            sb_addc(&l, '\\');
        if (escape && *p == '\n') {
            sb_adds(&l, "\\n");
            continue;
        }
        if (*p != '\r')
            sb_addc(&l, *p);
    }
    size_t col = 0;
    for (size_t i = 0; i < l.len; i++) {
        unsigned char c = (unsigned char)l.buf[i];
        /* Fold before a byte that starts a character, once the line is full. */
        if (col >= 74 && (c & 0xc0) != 0x80) {
            sb_adds(out, "\r\n ");
            col = 1;
        }
        sb_addc(out, (char)c);
        col++;
    }
    sb_adds(out, "\r\n");
    sb_release(&l);
}

void rpt_ics_begin(struct sb *out, const char *calendar_name)
{
    sb_adds(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tillit//Tillit plan//EN\r\n"
                 "CALSCALE:GREGORIAN\r\n");
    line(out, "X-WR-CALNAME", calendar_name, 1);
}

static void compact_date(tl_date d, char buf[9])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, 9, "%04d%02d%02d", y % 10000, m, dd);
}

void rpt_ics_event(struct sb *out, const char *uid, tl_time stamp, tl_date first, tl_date last,
                   const char *summary, const char *description)
{
    char s[9], e[9], ts[TIME_BUF], st[17];
    compact_date(first, s);
    compact_date(last + 1, e); /* DTEND of an all-day event is exclusive */
    time_format(stamp, ts);
    /* 2026-03-01T09:00:00Z -> 20260301T090000Z */
    snprintf(st, sizeof(st), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5, ts + 8, ts + 11, ts + 14,
             ts + 17);
    sb_adds(out, "BEGIN:VEVENT\r\n");
    line(out, "UID", uid, 0);
    line(out, "DTSTAMP", st, 0);
    line(out, "DTSTART;VALUE=DATE", s, 0);
    line(out, "DTEND;VALUE=DATE", e, 0);
    line(out, "SUMMARY", summary, 1);
    if (description && *description)
        line(out, "DESCRIPTION", description, 1);
    sb_adds(out, "END:VEVENT\r\n");
}

void rpt_ics_end(struct sb *out)
{
    sb_adds(out, "END:VCALENDAR\r\n");
}
