/* coverage.h - does a control's evidence cover an observation window?
 *
 * Pure computation over dates: no I/O, no allocation.  A control's
 * frequency says how often it operates; over a window (a Type II period)
 * that gives a number of expected occurrences, each with its own slice of
 * the window (a month for a monthly control, a day for a daily one).  An
 * occurrence counts as evidenced when some evidence period overlaps its
 * slice.  The same frequency also gives the staleness window that
 * 'evidence due' uses.  Frequencies are the values of dom_frequencies;
 * callers own every struct passed in.
 */
#ifndef TL_COVERAGE_H
#define TL_COVERAGE_H

#include "base/date.h"
#include "base/err.h"

#include <stddef.h>

enum eng_cov_state {
    ENG_COV_NONE,       /* no evidence overlaps the window */
    ENG_COV_PARTIAL,    /* some expected occurrences have evidence, not all */
    ENG_COV_COVERED,    /* every expected occurrence has evidence */
    ENG_COV_POINT_ONLY, /* one point-in-time item where several occurrences are expected */
};

struct eng_coverage {
    int expected; /* occurrences the frequency asks for in the window */
    int covered;  /* of those, how many have overlapping evidence */
    int periods;  /* distinct evidence periods that overlap the window */
    int inside;   /* evidence items that overlap the window */
    int outside;  /* evidence items entirely before or after the window */
    enum eng_cov_state state;
};

/** Days after the end of its latest evidence period before a control's
 *  evidence is stale: daily 2, weekly 8, monthly 35, quarterly 100,
 *  semi-annual 190, annual 380, continuous and multiple-daily 2,
 *  event-driven 380.  Fails with TL_EINPUT naming an unknown frequency. */
int eng_stale_days(const char *frequency, int *days, struct err *e);

/** Occurrences a frequency expects in a window: days for continuous,
 *  multiple-daily and daily; whole weeks; whole months; whole quarters;
 *  whole half-years; whole years; one for event-driven.  Never less than
 *  one.  Fails with TL_EINPUT naming an unknown frequency. */
int eng_expected(const char *frequency, const struct tl_period *window, int *expected,
                 struct err *e);

/** The slice of the window that occurrence i (0 <= i < expected) covers.
 *  Slices are consecutive, do not overlap, and together span the window
 *  (the last one absorbs any remainder). */
int eng_slice(const char *frequency, const struct tl_period *window, int i, struct tl_period *slice,
              struct err *e);

/** Computes the coverage of a window by n evidence periods (any order,
 *  duplicates allowed).  A single point-in-time period (start == end)
 *  never covers a window in which the frequency expects more than one
 *  occurrence: the state is then ENG_COV_POINT_ONLY. */
int eng_coverage(const char *frequency, const struct tl_period *window,
                 const struct tl_period *items, size_t n, struct eng_coverage *out, struct err *e);

/** "none", "partial", "covered" or "point-in-time-only". */
const char *eng_cov_state_name(enum eng_cov_state state);

#endif
