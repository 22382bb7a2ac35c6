/* ics.h - iCalendar (RFC 5545) output: all-day events, for plans people
 * import into their calendars.  Lines end in CRLF and are folded at 75
 * octets without splitting a UTF-8 sequence; text is escaped. */
#ifndef TL_ICS_H
#define TL_ICS_H

#include "base/date.h"
#include "base/sb.h"

/** Opens a VCALENDAR. */
void rpt_ics_begin(struct sb *out, const char *calendar_name);

/** An all-day event from first to last (inclusive). */
void rpt_ics_event(struct sb *out, const char *uid, tl_time stamp, tl_date first, tl_date last,
                   const char *summary, const char *description);

/** Closes the VCALENDAR. */
void rpt_ics_end(struct sb *out);

#endif
