/* dashboard.c - an organization's start page: readiness overall and per
 * category, the gaps, controls by status, evidence that is missing or
 * stale, the next tasks of the plan, and the latest audit entries.  The
 * API's /dashboard returns the same figures.
 */
#include "web/web_impl.h"

#include "app/checks.h"
#include "app/control.h"
#include "app/evidence.h"
#include "app/gap.h"
#include "app/plan.h"
#include "app/testing.h"
#include "base/date.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>

#define DUE_SHOWN 8
#define TASKS_SHOWN 6
#define RECENT_SHOWN 10
#define CHECK_RUNS_READ 500 /* latest runs read to find each check's last result */
#define FINDINGS_SHOWN 8

static json_t *controls_json(struct web_req *req, const struct app_control *c, size_t n)
{
    json_t *o = json_object(), *by_status = json_array();
    for (size_t s = 0; dom_statuses[s]; s++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += strcmp(c[i].status, dom_statuses[s]) == 0;
        json_t *x = json_object();
        web__set_str(x, "status", dom_statuses[s]);
        web__set_str(x, "label", web__label(req, "status", dom_statuses[s]));
        web__set_int(x, "count", (long long)k);
        web__set_int(x, "percent", n ? (long long)(100 * k / n) : 0);
        json_array_append_new(by_status, x);
    }
    web__set_int(o, "total", (long long)n);
    json_object_set_new(o, "by_status", by_status);
    return o;
}

static json_t *due_json(struct web_req *req, const struct app_evidence_due *d, size_t n)
{
    json_t *o = json_object(), *items = json_array();
    size_t missing = 0, stale = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(d[i].state, "stale") == 0)
            stale++;
        else
            missing++;
    }
    /* stale first: those had evidence and let it lapse */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n && json_array_size(items) < DUE_SHOWN; i++) {
            if ((strcmp(d[i].state, "stale") == 0) != (pass == 0))
                continue;
            json_t *x = json_object();
            web__set_str(x, "code", d[i].code);
            web__set_str(x, "title", d[i].title);
            web__set_str(x, "owner", d[i].owner);
            web__set_str(x, "state", d[i].state);
            web__set_str(x, "state_label", web__label(req, "due", d[i].state));
            web__set_str(x, "last", d[i].last);
            web__set_int(x, "days_late", d[i].days_late);
            json_array_append_new(items, x);
        }
    }
    web__set_int(o, "missing", (long long)missing);
    web__set_int(o, "stale", (long long)stale);
    web__set_int(o, "total", (long long)n);
    json_object_set_new(o, "items", items);
    return o;
}

static const char *date_str(struct arena *a, tl_date d)
{
    char buf[DATE_BUF];
    if (!d)
        return NULL;
    date_format(d, buf);
    return arena_strdup(a, buf);
}

static int by_due(const void *x, const void *y)
{
    const struct app_plan_task *a = *(const struct app_plan_task *const *)x;
    const struct app_plan_task *b = *(const struct app_plan_task *const *)y;
    return a->due < b->due ? -1 : a->due > b->due ? 1 : strcmp(a->code, b->code);
}

static json_t *plan_json(struct web_req *req, const struct app_plan *p)
{
    json_t *o = json_object(), *items = json_array();
    const struct app_plan_task **open = arena_calloc(req->a, p->n_tasks + 1, sizeof(*open));
    size_t n_open = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        if (strcmp(p->tasks[i].status, "done") != 0)
            open[n_open++] = &p->tasks[i];
    qsort(open, n_open, sizeof(*open), by_due);
    for (size_t i = 0; i < n_open && i < TASKS_SHOWN; i++) {
        json_t *x = json_object();
        web__set_str(x, "code", open[i]->code);
        web__set_str(x, "title", open[i]->title);
        web__set_str(x, "owner", open[i]->owner);
        web__set_str(x, "status", open[i]->status);
        web__set_str(x, "status_label", web__label(req, "task", open[i]->status));
        web__set_str(x, "due", date_str(req->a, open[i]->due));
        web__set_bool(x, "late", open[i]->late);
        json_array_append_new(items, x);
    }
    web__set_int(o, "tasks", (long long)p->n_tasks);
    web__set_int(o, "done", (long long)p->done);
    web__set_int(o, "late", (long long)p->late);
    web__set_int(o, "percent", p->effort_total ? 100 * p->effort_done / p->effort_total : 0);
    json_object_set_new(o, "upcoming", items);
    return o;
}

/* The latest run of each check that has run, failing ones listed. */
static int checks_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_check_run_row *r;
    size_t n;
    int rc = app_check_runs(req->app, req->a, req->org.id, NULL, CHECK_RUNS_READ, &r, &n, e);
    if (rc)
        return rc;
    json_t *o = json_object(), *items = json_array(), *seen = json_object();
    size_t checks = 0, failing = 0;
    for (size_t i = 0; i < n; i++) { /* newest first: the first run of a check is its last */
        if (json_object_get(seen, r[i].check_id))
            continue;
        json_object_set_new(seen, r[i].check_id, json_true());
        checks++;
        if (strcmp(r[i].result, "fail") != 0)
            continue;
        failing++;
        json_t *x = json_object();
        web__set_str(x, "check", r[i].check_id);
        web__set_int(x, "exceptions", (long long)r[i].exceptions);
        web__set_int(x, "population", (long long)r[i].population);
        web__set_str(x, "ran_at", r[i].ran_at);
        web__set_str(x, "evidence_id", r[i].evidence_id);
        json_array_append_new(items, x);
    }
    json_decref(seen);
    web__set_int(o, "checks_run", (long long)checks);
    web__set_int(o, "failing", (long long)failing);
    json_object_set_new(o, "items", items);
    *out = o;
    return 0;
}

/* Findings of the engagements the user may see that are not closed. */
static int findings_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_who who = {req->role, req->user ? req->user->email : NULL};
    struct app_finding *f;
    size_t n;
    int rc = app_finding_list(req->app, req->a, req->org.id, &who, NULL, &f, &n, e);
    if (rc == TL_EPERM || rc == TL_ENOTFOUND) {
        n = 0; /* nothing this user may see */
        rc = 0;
    }
    if (rc)
        return rc;
    json_t *o = json_object(), *items = json_array();
    size_t open = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].status, "closed") == 0)
            continue;
        open++;
        if (json_array_size(items) >= FINDINGS_SHOWN)
            continue;
        json_t *x = json_object();
        web__set_str(x, "code", f[i].code);
        web__set_str(x, "engagement", f[i].engagement);
        web__set_str(x, "control", f[i].control);
        web__set_str(x, "title", f[i].title);
        web__set_str(x, "severity", f[i].severity);
        web__set_str(x, "status", f[i].status);
        json_array_append_new(items, x);
    }
    web__set_int(o, "open", (long long)open);
    json_object_set_new(o, "items", items);
    *out = o;
    return 0;
}

/* Everything but the audit entries, for the page and the API. */
static int dashboard_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_control *c;
    size_t n, n_due;
    const struct dom_catalog *cat;
    struct gap_result g;
    struct app_evidence_due *due;
    struct app_plan plan;
    int rc = app_control_list(req->app, req->a, req->org.id, NULL, &c, &n, e);
    if (rc == 0)
        rc = web__gap_run(req, &cat, &g, e);
    if (rc == 0)
        rc = app_evidence_due(req->app, req->a, req->org.id, &due, &n_due, e);
    if (rc)
        return rc;
    int prc = app_plan_get(req->app, req->a, req->org.id, &plan, e);
    if (prc && prc != TL_ENOTFOUND)
        return prc;
    json_t *o = json_object();
    json_object_set_new(o, "readiness", web__readiness_json(req, cat, &g));
    json_object_set_new(o, "controls", controls_json(req, c, n));
    json_object_set_new(o, "evidence_due", due_json(req, due, n_due));
    json_object_set_new(o, "plan", prc ? json_null() : plan_json(req, &plan));
    json_t *checks = NULL, *findings = NULL;
    rc = checks_json(req, &checks, e);
    if (rc == 0)
        rc = findings_json(req, &findings, e);
    json_object_set_new(o, "checks", checks ? checks : json_null());
    json_object_set_new(o, "findings", findings ? findings : json_null());
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

WEB__HANDLER(web__dashboard)
{
    json_t *d, *recent;
    int rc = dashboard_json(req, &d, e);
    if (rc)
        return rc;
    rc = web__audit_rows(req, &recent, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    while (json_array_size(recent) > RECENT_SHOWN)
        json_array_remove(recent, json_array_size(recent) - 1);
    json_object_set_new(d, "recent", recent);
    return web__page(req, resp, "dashboard", web__t(req, "nav.dashboard"), d, e);
}

WEB__HANDLER(web__api_dashboard)
{
    json_t *d = NULL;
    return web__send(resp, dashboard_json(req, &d, e), &d);
}
