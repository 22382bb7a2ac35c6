/* sampling.c - the sample size table: parsing and the rules (see sampling.h). */
#include "domain/sampling.h"

#include "base/yml.h"
#include "domain/program.h"

#include <stdio.h>
#include <string.h>

const char *const dom_conclusions[] = {"effective", "effective-with-exceptions", "not-effective",
                                       NULL};

#define SAMPLE_MAX 100000L

/* A sample size: an integer of at least 1, or "all". */
static int parse_sample(const struct yml_node *m, const char *key, int *out, struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    if (v && v->kind == YML_SCALAR && !v->quoted && strcmp(v->str, "all") == 0) {
        *out = DOM_SAMPLE_ALL;
        return 0;
    }
    if (!v || yml_is_null(v))
        return yml_fail(e, m, TL_EINPUT, "missing required field '%s'", key);
    long x;
    int rc = yml_opt_int(m, key, 1, 1, SAMPLE_MAX, &x, e);
    if (rc == 0)
        *out = (int)x;
    return rc;
}

static int req_int(const struct yml_node *m, const char *key, long min, long max, int *out,
                   struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v))
        return yml_fail(e, m, TL_EINPUT, "missing required field '%s'", key);
    long x;
    int rc = yml_opt_int(m, key, min, min, max, &x, e);
    if (rc == 0)
        *out = (int)x;
    return rc;
}

static int req_seq(const struct yml_node *root, const char *key, const struct yml_node **out,
                   struct err *e)
{
    int rc = yml_opt_seq(root, key, out, e);
    if (rc == 0 && (!*out || (*out)->n == 0))
        return yml_fail(e, *out ? *out : root, TL_EINPUT, "'%s' must list at least one row", key);
    return rc;
}

static int parse_freqs(struct arena *a, const struct yml_node *seq, struct dom_sampling_table *t,
                       struct err *e)
{
    static const char *const keys[] = {"frequency", "per_year", "sample", NULL};
    t->freqs = arena_calloc(a, seq->n, sizeof(*t->freqs));
    for (size_t i = 0; i < seq->n; i++) {
        const struct yml_node *row = seq->items[i];
        struct dom_sampling_freq *f = &t->freqs[i];
        if (row->kind != YML_MAP)
            return yml_fail(e, row, TL_EINPUT, "a frequency row must be a map");
        int rc = yml_check_keys(row, keys, e);
        if (rc == 0)
            rc = yml_req_str(row, "frequency", &f->frequency, e);
        if (rc == 0 && (dom_enum_index(dom_frequencies, f->frequency) < 0 ||
                        strcmp(f->frequency, "event-driven") == 0))
            return yml_fail(e, yml_get(row, "frequency"), TL_EINPUT,
                            "unknown frequency '%s' (event-driven controls go by 'populations')",
                            f->frequency);
        for (size_t j = 0; rc == 0 && j < i; j++)
            if (strcmp(t->freqs[j].frequency, f->frequency) == 0)
                return yml_fail(e, row, TL_EINPUT, "frequency '%s' is listed twice", f->frequency);
        if (rc == 0)
            rc = req_int(row, "per_year", 1, 100000, &f->per_year, e);
        if (rc == 0)
            rc = parse_sample(row, "sample", &f->sample, e);
        if (rc)
            return rc;
        t->n_freqs++;
    }
    for (const char *const *fq = dom_frequencies; *fq; fq++) {
        bool found = strcmp(*fq, "event-driven") == 0;
        for (size_t i = 0; i < t->n_freqs && !found; i++)
            found = strcmp(t->freqs[i].frequency, *fq) == 0;
        if (!found)
            return yml_fail(e, seq, TL_EINPUT, "'frequencies' has no row for '%s'", *fq);
    }
    return 0;
}

static int parse_bands(struct arena *a, const struct yml_node *seq, struct dom_sampling_table *t,
                       struct err *e)
{
    static const char *const keys[] = {"max", "sample", NULL};
    t->bands = arena_calloc(a, seq->n, sizeof(*t->bands));
    for (size_t i = 0; i < seq->n; i++) {
        const struct yml_node *row = seq->items[i];
        struct dom_sampling_band *b = &t->bands[i];
        if (row->kind != YML_MAP)
            return yml_fail(e, row, TL_EINPUT, "a population band must be a map");
        int rc = yml_check_keys(row, keys, e);
        const struct yml_node *max = yml_get(row, "max");
        if (rc == 0 && !max)
            return yml_fail(e, row, TL_EINPUT, "missing required field 'max' (null = no limit)");
        long x = -1;
        if (rc == 0 && !yml_is_null(max))
            rc = yml_opt_int(row, "max", -1, 1, 1000000000L, &x, e);
        if (rc == 0)
            rc = parse_sample(row, "sample", &b->sample, e);
        if (rc)
            return rc;
        b->max = x;
        bool last = i + 1 == seq->n;
        if (last != (b->max < 0))
            return yml_fail(e, row, TL_EINPUT,
                            last ? "the last population band must have 'max: null'"
                                 : "only the last population band may have no 'max'");
        if (i > 0 && b->max >= 0 && b->max <= t->bands[i - 1].max)
            return yml_fail(e, row, TL_EINPUT, "population bands must have increasing 'max'");
        t->n_bands++;
    }
    return 0;
}

static int parse_tolerances(struct arena *a, const struct yml_node *seq,
                            struct dom_sampling_table *t, struct err *e)
{
    static const char *const keys[] = {"min_sample", "key", "non_key", NULL};
    t->tolerances = arena_calloc(a, seq->n, sizeof(*t->tolerances));
    for (size_t i = 0; i < seq->n; i++) {
        const struct yml_node *row = seq->items[i];
        struct dom_sampling_tolerance *tol = &t->tolerances[i];
        if (row->kind != YML_MAP)
            return yml_fail(e, row, TL_EINPUT, "a tolerance row must be a map");
        int rc = yml_check_keys(row, keys, e);
        if (rc == 0)
            rc = req_int(row, "min_sample", 1, SAMPLE_MAX, &tol->min_sample, e);
        if (rc == 0)
            rc = req_int(row, "key", 0, SAMPLE_MAX, &tol->key, e);
        if (rc == 0)
            rc = req_int(row, "non_key", 0, SAMPLE_MAX, &tol->non_key, e);
        if (rc)
            return rc;
        if (tol->key >= tol->min_sample || tol->non_key >= tol->min_sample)
            return yml_fail(e, row, TL_EINPUT,
                            "tolerated exceptions must be fewer than 'min_sample' (%d)",
                            tol->min_sample);
        if (i > 0 && tol->min_sample <= t->tolerances[i - 1].min_sample)
            return yml_fail(e, row, TL_EINPUT, "tolerance rows must have increasing 'min_sample'");
        t->n_tolerances++;
    }
    return 0;
}

int dom_sampling_parse(struct arena *a, const char *path, const char *data, size_t len,
                       struct dom_sampling_table *out, struct err *e)
{
    static const char *const keys[] = {"name",
                                       "source",
                                       "design",
                                       "automated",
                                       "frequencies",
                                       "populations",
                                       "tolerable_exceptions",
                                       NULL};
    struct yml_node *root;
    memset(out, 0, sizeof(*out));
    int rc = yml_parse(a, path, data, len, &root, e);
    if (rc)
        return rc;
    if (root->kind != YML_MAP)
        return yml_fail(e, root, TL_EINPUT, "a sampling table must be a map");
    const struct yml_node *freqs = NULL, *bands = NULL, *tols = NULL;
    rc = yml_check_keys(root, keys, e);
    if (rc == 0)
        rc = yml_req_str(root, "name", &out->name, e);
    if (rc == 0)
        rc = yml_opt_str(root, "source", "", &out->source, e);
    if (rc == 0)
        rc = req_int(root, "design", 1, SAMPLE_MAX, &out->design, e);
    if (rc == 0)
        rc = req_int(root, "automated", 1, SAMPLE_MAX, &out->automated, e);
    if (rc == 0)
        rc = req_seq(root, "frequencies", &freqs, e);
    if (rc == 0)
        rc = req_seq(root, "populations", &bands, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "tolerable_exceptions", &tols, e);
    if (rc == 0)
        rc = parse_freqs(a, freqs, out, e);
    if (rc == 0)
        rc = parse_bands(a, bands, out, e);
    if (rc == 0 && tols)
        rc = parse_tolerances(a, tols, out, e);
    return rc;
}

int dom_sampling_occurrences(int per_year, int months)
{
    if (per_year < 1 || months < 1)
        return 1;
    long n = ((long)per_year * months + 11) / 12;
    return n < 1 ? 1 : (int)n;
}

static const struct dom_sampling_freq *find_freq(const struct dom_sampling_table *t,
                                                 const char *frequency)
{
    for (size_t i = 0; i < t->n_freqs; i++)
        if (strcmp(t->freqs[i].frequency, frequency) == 0)
            return &t->freqs[i];
    return NULL;
}

static int64_t cap(int64_t size, int64_t population)
{
    return population >= 0 && size > population ? population : size;
}

int dom_sample_size(const struct dom_sampling_table *t, const struct dom_sample_basis *b,
                    int64_t *size, char *why, size_t why_len, struct err *e)
{
    char scratch[8];
    if (!why) {
        why = scratch;
        why_len = sizeof(scratch);
    }
    int64_t pop = b->population;
    if (b->design) {
        *size = cap(t->design, pop);
        snprintf(why, why_len, "test of design: %d walkthrough item(s)", t->design);
        return 0;
    }
    if (b->automated && b->itgc_reliance) {
        *size = cap(t->automated, pop);
        snprintf(why, why_len, "automated control, IT general controls relied on: %d",
                 t->automated);
        return 0;
    }
    if (!b->frequency || strcmp(b->frequency, "event-driven") == 0) {
        if (pop < 0) {
            *size = 0;
            snprintf(why, why_len, "event-driven: set by the size of the population");
            return 0;
        }
        for (size_t i = 0; i < t->n_bands; i++) {
            const struct dom_sampling_band *band = &t->bands[i];
            if (band->max >= 0 && pop > band->max)
                continue;
            *size = band->sample == DOM_SAMPLE_ALL ? pop : cap(band->sample, pop);
            if (band->max >= 0)
                snprintf(why, why_len, "event-driven: population %lld (up to %lld): %s",
                         (long long)pop, (long long)band->max,
                         band->sample == DOM_SAMPLE_ALL ? "all" : "table");
            else
                snprintf(why, why_len, "event-driven: population %lld (largest band): table",
                         (long long)pop);
            return 0;
        }
        return ERR_SET(e, TL_EINTERNAL, "sampling table '%s' has no band for %lld items", t->name,
                       (long long)pop);
    }
    const struct dom_sampling_freq *f = find_freq(t, b->frequency);
    if (!f)
        return ERR_SET(e, TL_EINPUT, "sampling table '%s' has no row for frequency '%s'", t->name,
                       b->frequency);
    int occ = dom_sampling_occurrences(f->per_year, b->period_months);
    int64_t n = f->sample == DOM_SAMPLE_ALL || f->sample > occ ? occ : f->sample;
    *size = cap(n, pop);
    if (f->sample == DOM_SAMPLE_ALL)
        snprintf(why, why_len, "%s: %d occurrence(s) in %d month(s), table all", f->frequency, occ,
                 b->period_months);
    else
        snprintf(why, why_len, "%s: %d occurrence(s) in %d month(s), table %d", f->frequency, occ,
                 b->period_months, f->sample);
    return 0;
}

int dom_tolerable_exceptions(const struct dom_sampling_table *t, int64_t sample_size, bool key)
{
    int tol = 0;
    for (size_t i = 0; i < t->n_tolerances; i++)
        if (sample_size >= t->tolerances[i].min_sample)
            tol = key ? t->tolerances[i].key : t->tolerances[i].non_key;
    return tol;
}

enum dom_conclusion dom_conclude(const struct dom_sampling_table *t, int64_t sample_size,
                                 int64_t exceptions, bool key)
{
    if (exceptions <= 0)
        return DOM_EFFECTIVE;
    if (exceptions <= dom_tolerable_exceptions(t, sample_size, key))
        return DOM_EFFECTIVE_WITH_EXCEPTIONS;
    return DOM_NOT_EFFECTIVE;
}
