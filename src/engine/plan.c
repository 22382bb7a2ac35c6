/* plan.c - the plan's schedule. */
#include "engine/plan.h"

#include <string.h>

int plan_check(const struct plan_params *p, bool *warning, struct err *e)
{
    if (p->days_per_week < 1 || p->days_per_week > 5)
        return ERR_SET(e, TL_EINPUT, "days per week must be 1 to 5, not %d", p->days_per_week);
    if (p->observation_months < 3 || p->observation_months > 12)
        return ERR_SET(e, TL_EINPUT,
                       "an observation window of %d months is outside 3 to 12 months",
                       p->observation_months);
    *warning = p->observation_months < 6;
    return 0;
}

static int span_of(const struct plan_params *p, const struct plan_task *t)
{
    if (t->observation)
        return date_add_months(t->start, p->observation_months) - t->start;
    if (t->effort_days > 0) {
        /* Whole weeks at the organization's pace: 3 staff days at 1 day a
         * week take three weeks; at 2 days a week, two. */
        int weeks = (t->effort_days + p->days_per_week - 1) / p->days_per_week;
        return weeks * 7;
    }
    return t->fixed_days > 0 ? t->fixed_days : 1;
}

/* The day a task ends, as far as its dependents are concerned. */
static tl_date end_of(const struct plan_task *t)
{
    return t->done ? t->done_on : t->due;
}

static int find(const struct plan_task *tasks, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tasks[i].code, code) == 0)
            return (int)i;
    return -1;
}

int plan_schedule(const struct plan_params *p, struct plan_task *tasks, size_t n, struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        struct plan_task *t = &tasks[i];
        tl_date start = p->start;
        for (size_t d = 0; d < t->n_depends; d++) {
            int j = find(tasks, n, t->depends[d]);
            if (j < 0)
                continue;
            if ((size_t)j >= i)
                return ERR_SET(e, TL_EINPUT, "task '%s' depends on later task '%s'", t->code,
                               t->depends[d]);
            if (end_of(&tasks[j]) + 1 > start)
                start = end_of(&tasks[j]) + 1;
        }
        t->start = start;
        t->span_days = span_of(p, t);
        t->due = start + t->span_days - 1;
        /* The observation window ends on its date whether or not anyone
         * marks it done; only work can be late. */
        t->late = !t->done && !t->observation && t->due < p->today;
        if (t->late)
            t->due = p->today;
    }
    return 0;
}
