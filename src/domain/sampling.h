/* sampling.h - the sample size table and the rules that read it.
 *
 * The table is data (content/sampling/default.yaml, or an engagement's own
 * copy), parsed here from bytes the caller hands in: no I/O.  It gives the
 * sample size of a test from the control's frequency (scaled to the
 * period), or from the size of its population for event-driven controls,
 * one item for a test of design and for automated controls when IT general
 * controls are relied on; and the exceptions a sample of a given size may
 * hold and still be concluded "effective with exceptions".  The derivation
 * of the default numbers is in docs/sampling.md.  A parsed table lives in
 * the caller's arena and is read-only.
 */
#ifndef TL_SAMPLING_H
#define TL_SAMPLING_H

#include "base/arena.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A sample size meaning "every item of the population". */
#define DOM_SAMPLE_ALL (-1)

struct dom_sampling_freq {
    const char *frequency; /* one of dom_frequencies, not event-driven */
    int per_year;          /* occurrences in twelve months */
    int sample;            /* items to test in a twelve-month period, or DOM_SAMPLE_ALL */
};

struct dom_sampling_band {
    int64_t max; /* largest population of the band; -1 = no upper bound (last band) */
    int sample;  /* items to test, or DOM_SAMPLE_ALL */
};

struct dom_sampling_tolerance {
    int min_sample; /* applies to samples of at least this size */
    int key;        /* exceptions tolerated for a key control */
    int non_key;    /* exceptions tolerated for other controls */
};

struct dom_sampling_table {
    const char *name, *source;
    int design;    /* a test of design: walkthrough items */
    int automated; /* an automated control with IT general controls relied on */
    struct dom_sampling_freq *freqs;
    size_t n_freqs;
    struct dom_sampling_band *bands; /* by increasing max */
    size_t n_bands;
    struct dom_sampling_tolerance *tolerances; /* by increasing min_sample */
    size_t n_tolerances;
};

/** What a sample size depends on. */
struct dom_sample_basis {
    bool design;           /* a test of design (else operating effectiveness) */
    const char *frequency; /* the control's frequency (dom_frequencies) */
    bool automated;        /* the control's type is automated */
    bool itgc_reliance;    /* IT general controls are relied on */
    int period_months;     /* length of the period; 12 for an as-of date */
    int64_t population;    /* items in the population, -1 when not known yet */
};

/* The outcome of a test. */
enum dom_conclusion {
    DOM_EFFECTIVE,
    DOM_EFFECTIVE_WITH_EXCEPTIONS,
    DOM_NOT_EFFECTIVE,
};

/** Conclusion names: "effective", "effective-with-exceptions", "not-effective" (NULL-terminated).
 */
extern const char *const dom_conclusions[];

/** Parses a table (YAML).  Strict: unknown keys, a missing or repeated
 *  frequency, bands not ending with an unbounded one or not increasing,
 *  sizes below 1 fail with path:line:col. */
int dom_sampling_parse(struct arena *a, const char *path, const char *data, size_t len,
                       struct dom_sampling_table *out, struct err *e);

/** Occurrences of a control of per_year occurrences a year in a period of
 *  months: ceil(per_year * months / 12), at least 1. */
int dom_sampling_occurrences(int per_year, int months);

/** The sample size for basis b into *size; *size is 0 when it depends on a
 *  population not known yet (event-driven).  When the population is known
 *  the size never exceeds it.  why (may be NULL) receives how the size was
 *  found, e.g. "quarterly: 2 occurrences in 6 months, table 2".  Fails with
 *  TL_EINPUT for a frequency the table lacks. */
int dom_sample_size(const struct dom_sampling_table *t, const struct dom_sample_basis *b,
                    int64_t *size, char *why, size_t why_len, struct err *e);

/** Exceptions a sample of sample_size items tolerates (key or not). */
int dom_tolerable_exceptions(const struct dom_sampling_table *t, int64_t sample_size, bool key);

/** The conclusion of a test with exceptions out of sample_size tested items:
 *  none = effective; at most the tolerable number = effective with
 *  exceptions; more = not effective. */
enum dom_conclusion dom_conclude(const struct dom_sampling_table *t, int64_t sample_size,
                                 int64_t exceptions, bool key);

#endif
