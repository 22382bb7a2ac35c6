/* coverage.c - expected occurrences, staleness and window coverage. */
#include "engine/coverage.h"

#include "domain/program.h"

#include <string.h>

/* How each frequency of dom_frequencies divides time.  A rule has either
 * a length in days or a length in calendar months; neither means "once per
 * window" (event-driven controls operate when the event happens, so one
 * occurrence in the window is what can be asked for). */
struct freq_rule {
    const char *name;
    int stale_days;
    int days;
    int months;
};

static const struct freq_rule rules[] = {
    {"continuous", 2, 1, 0},    {"multiple-daily", 2, 1, 0}, {"daily", 2, 1, 0},
    {"weekly", 8, 7, 0},        {"monthly", 35, 0, 1},       {"quarterly", 100, 0, 3},
    {"semi-annual", 190, 0, 6}, {"annual", 380, 0, 12},      {"event-driven", 380, 0, 0},
};

static int find_rule(const char *frequency, const struct freq_rule **out, struct err *e)
{
    if (dom_enum_check(dom_frequencies, frequency, "frequency", e))
        return TL_EINPUT;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        if (strcmp(rules[i].name, frequency) == 0) {
            *out = &rules[i];
            return 0;
        }
    }
    /* A frequency the domain knows but this table does not is our bug. */
    return ERR_SET(e, TL_EINTERNAL, "no coverage rule for frequency '%s'", frequency);
}

int eng_stale_days(const char *frequency, int *days, struct err *e)
{
    const struct freq_rule *r = NULL;
    int rc = find_rule(frequency, &r, e);
    if (rc == 0)
        *days = r->stale_days;
    return rc;
}

static int expected_of(const struct freq_rule *r, const struct tl_period *w)
{
    int n = 1;
    if (r->days)
        n = (int)((w->end - w->start + 1) / r->days);
    else if (r->months)
        n = period_months(w) / r->months;
    return n < 1 ? 1 : n;
}

int eng_expected(const char *frequency, const struct tl_period *window, int *expected,
                 struct err *e)
{
    const struct freq_rule *r = NULL;
    int rc = find_rule(frequency, &r, e);
    if (rc == 0)
        *expected = expected_of(r, window);
    return rc;
}

static struct tl_period slice_of(const struct freq_rule *r, const struct tl_period *w, int i, int n)
{
    struct tl_period s = *w;
    if (r->days) {
        s.start = w->start + i * r->days;
        s.end = s.start + r->days - 1;
    } else if (r->months) {
        s.start = date_add_months(w->start, i * r->months);
        s.end = date_add_months(w->start, (i + 1) * r->months) - 1;
    }
    if (i == n - 1 || s.end > w->end)
        s.end = w->end;
    return s;
}

int eng_slice(const char *frequency, const struct tl_period *window, int i, struct tl_period *slice,
              struct err *e)
{
    const struct freq_rule *r = NULL;
    int rc = find_rule(frequency, &r, e);
    if (rc)
        return rc;
    int n = expected_of(r, window);
    if (i < 0 || i >= n)
        return ERR_SET(e, TL_EINPUT, "occurrence %d is outside the window (0..%d)", i, n - 1);
    *slice = slice_of(r, window, i, n);
    return 0;
}

static bool overlaps(const struct tl_period *a, const struct tl_period *b)
{
    return a->start <= b->end && a->end >= b->start;
}

/* Counts items inside and outside the window, and the distinct periods
 * among those inside. */
static void count_items(const struct tl_period *w, const struct tl_period *items, size_t n,
                        struct eng_coverage *c)
{
    for (size_t i = 0; i < n; i++) {
        if (!overlaps(&items[i], w)) {
            c->outside++;
            continue;
        }
        c->inside++;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = overlaps(&items[j], w) && items[j].start == items[i].start &&
                   items[j].end == items[i].end;
        if (!seen)
            c->periods++;
    }
}

static bool only_one_point(const struct tl_period *w, const struct tl_period *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (overlaps(&items[i], w))
            return items[i].start == items[i].end;
    return false;
}

int eng_coverage(const char *frequency, const struct tl_period *window,
                 const struct tl_period *items, size_t n, struct eng_coverage *out, struct err *e)
{
    const struct freq_rule *r = NULL;
    int rc = find_rule(frequency, &r, e);
    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    out->expected = expected_of(r, window);
    count_items(window, items, n, out);
    for (int i = 0; i < out->expected && out->inside; i++) {
        struct tl_period s = slice_of(r, window, i, out->expected);
        for (size_t j = 0; j < n; j++) {
            if (overlaps(&items[j], &s)) {
                out->covered++;
                break;
            }
        }
    }
    if (out->inside == 0)
        out->state = ENG_COV_NONE;
    else if (out->expected > 1 && out->periods == 1 && only_one_point(window, items, n))
        out->state = ENG_COV_POINT_ONLY;
    else if (out->covered >= out->expected)
        out->state = ENG_COV_COVERED;
    else
        out->state = ENG_COV_PARTIAL;
    return 0;
}

const char *eng_cov_state_name(enum eng_cov_state state)
{
    switch (state) {
    case ENG_COV_PARTIAL:
        return "partial";
    case ENG_COV_COVERED:
        return "covered";
    case ENG_COV_POINT_ONLY:
        return "point-in-time-only";
    default:
        return "none";
    }
}
