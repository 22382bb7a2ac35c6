/* plan.h - scheduling the project plan.
 *
 * Pure: takes the tasks (in dependency order, with effort or a fixed
 * length, and their status) and the plan's parameters, and computes each
 * task's start and due date.  A task that is not done and whose due date
 * has passed is late: it is projected to end today at the earliest, and
 * everything that depends on it moves with it.  The observation window is
 * never late: it ends on its date.  That is how the plan
 * re-computes when a task slips.
 */
#ifndef TL_PLAN_H
#define TL_PLAN_H

#include "base/date.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

struct plan_task {
    const char *code;
    const char **depends; /* codes of earlier tasks; unknown codes are ignored */
    size_t n_depends;
    int effort_days;  /* staff days, spread at days_per_week (0 = fixed length) */
    int fixed_days;   /* calendar days, when effort_days is 0 */
    bool observation; /* lasts the observation window */
    bool done;
    tl_date done_on;
    /* computed */
    tl_date start, due; /* inclusive */
    int span_days;
    bool late;
};

struct plan_params {
    tl_date start;
    int days_per_week;      /* 1..5 */
    int observation_months; /* 3..12 */
    tl_date today;
};

/** Schedules tasks in order. Fails when a task depends on a later one. */
int plan_schedule(const struct plan_params *p, struct plan_task *tasks, size_t n, struct err *e);

/** Checks the parameters: days per week 1-5, observation 3-12 months.
 *  *warning is set when the window is shorter than the usual 6 months. */
int plan_check(const struct plan_params *p, bool *warning, struct err *e);

#endif
