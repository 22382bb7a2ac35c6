/* plan.h - the project plan of an organization: the road from scope to the
 * auditor's report as tasks with owners, dependencies, due dates and status.
 *
 * The tasks come from content/plan/soc2.yaml.  Dates are re-computed from
 * the tasks' status and today's date every time the plan is read, and
 * stored again whenever it changes.  Results live in the caller's arena.
 */
#ifndef TL_APP_PLAN_H
#define TL_APP_PLAN_H

#include "app/record.h"
#include "engine/plan.h"

struct app_plan_task {
    const char *code, *phase, *title, *status, *owner; /* owner: email or NULL */
    const char *depends;                               /* comma-separated codes */
    int effort_days, span_days;
    tl_date start, due, done_on; /* done_on 0 when not done */
    bool late;
    int64_t version; /* edits of the task so far, from 1 (re-scheduling is no edit) */
};

struct app_plan {
    tl_date start;
    const char *target; /* type1 | type2 */
    int days_per_week, observation_months;
    struct app_plan_task *tasks;
    size_t n_tasks;
    size_t done, late;
    int effort_total, effort_done;
};

/** Lays out (or lays out again) the plan. Tasks already done stay done.
 *  *warning is set for an observation window under 6 months. */
int app_plan_create(struct app *app, struct arena *a, const char *org_id,
                    const struct plan_params *p, const char *target, bool *warning, struct err *e);

/** The plan, scheduled as of app->now. TL_ENOTFOUND when there is none. */
int app_plan_get(struct app *app, struct arena *a, const char *org_id, struct app_plan *out,
                 struct err *e);

/** Updates a task's status (todo|doing|done, done_on defaults to today) and/or
 *  owner (a person's email), then re-computes and stores the dates.  The
 *  task is locked and read inside the transaction; when expected is not 0
 *  and not the task's version, fails with TL_ECONFLICT naming who changed
 *  it and when, and changes nothing.  Increments the task's version. */
int app_plan_task_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                         const char *status, const char *done_on, const char *owner,
                         int64_t expected, struct err *e);

#endif
