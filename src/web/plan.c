/* plan.c - the project plan in the browser: laying it out, the tasks with
 * their dates (re-computed from today on every read), marking a task done
 * or changing its owner, and the plan as an iCalendar file.
 */
#include "web/web_impl.h"

#include "app/plan.h"
#include "base/date.h"
#include "report/ics.h"

#include <stdlib.h>
#include <string.h>

static const char *const task_statuses[] = {"todo", "doing", "done", NULL};
static const char *const targets[] = {"type1", "type2", NULL};

static const char *date_str(struct arena *a, tl_date d)
{
    char buf[DATE_BUF];
    if (!d)
        return NULL;
    date_format(d, buf);
    return arena_strdup(a, buf);
}

static const char *const task_cols[] = {"code", "phase",   "title", "owner",      "status", "start",
                                        "due",  "done_on", "late",  "depends_on", NULL};

static json_t *task_json(struct web_req *req, const struct app_plan_task *t)
{
    json_t *j = json_object();
    web__set_str(j, "code", t->code);
    web__set_str(j, "phase", t->phase);
    web__set_str(j, "title", t->title);
    web__set_str(j, "owner", t->owner);
    web__set_str(j, "status", t->status);
    web__set_str(j, "status_label", web__label(req, "task", t->status));
    web__set_bool(j, "is_done", strcmp(t->status, "done") == 0);
    web__set_str(j, "depends_on", t->depends);
    web__set_str(j, "start", date_str(req->a, t->start));
    web__set_str(j, "due", date_str(req->a, t->due));
    web__set_str(j, "done_on", date_str(req->a, t->done_on));
    web__set_bool(j, "late", t->late);
    web__set_int(j, "effort_days", t->effort_days);
    web__set_int(j, "version", (long long)t->version);
    return j;
}

static json_t *plan_json(struct web_req *req, const struct app_plan *p, json_t **tasks_out)
{
    json_t *o = json_object(), *tasks = json_array();
    web__set_str(o, "start", date_str(req->a, p->start));
    web__set_str(o, "target", p->target);
    web__set_str(o, "target_label", web__label(req, "target", p->target));
    web__set_int(o, "days_per_week", p->days_per_week);
    web__set_int(o, "observation_months", p->observation_months);
    web__set_int(o, "tasks_done", (long long)p->done);
    web__set_int(o, "tasks_late", (long long)p->late);
    web__set_int(o, "tasks_total", (long long)p->n_tasks);
    web__set_int(o, "percent", p->effort_total ? 100 * p->effort_done / p->effort_total : 0);
    web__set_str(o, "finish", p->n_tasks ? date_str(req->a, p->tasks[p->n_tasks - 1].due) : NULL);
    for (size_t i = 0; i < p->n_tasks; i++)
        json_array_append_new(tasks, task_json(req, &p->tasks[i]));
    if (tasks_out) {
        *tasks_out = tasks;
    } else {
        json_object_set_new(o, "tasks", tasks);
    }
    return o;
}

static void calendar(struct web_req *req, struct web_resp *resp, const struct app_plan *p)
{
    sb_reset(&resp->body);
    rpt_ics_begin(&resp->body, arena_printf(req->a, "SOC 2 plan: %s", req->org.name));
    for (size_t i = 0; i < p->n_tasks; i++) {
        const struct app_plan_task *t = &p->tasks[i];
        char *uid = arena_printf(req->a, "%s.%s@tillit", t->code, req->org.slug);
        char *desc = arena_printf(req->a, "Phase %s. Owner: %s. Status: %s.", t->phase,
                                  t->owner ? t->owner : "unassigned", t->status);
        rpt_ics_event(&resp->body, uid, req->app->now, t->start, t->due, t->title, desc);
    }
    rpt_ics_end(&resp->body);
    web__download(req, resp, "text/calendar; charset=utf-8", "plan", "ics");
}

/* --- laying out the plan ------------------------------------------------------------- */

static const struct web_field plan_fields[] = {{.name = "start",
                                                .kind = WEB_FK_DATE,
                                                .label = "plan.start",
                                                .flags = WEB_FF_REQUIRED,
                                                .match = "start"},
                                               {.name = "target",
                                                .kind = WEB_FK_SELECT,
                                                .label = "plan.target",
                                                .flags = WEB_FF_REQUIRED,
                                                .options = targets,
                                                .option_labels = "target",
                                                .match = "target"},
                                               {.name = "days_per_week",
                                                .kind = WEB_FK_NUMBER,
                                                .label = "plan.days_per_week",
                                                .hint = "plan.days_hint",
                                                .min = 1,
                                                .max = 5,
                                                .match = "days per week"},
                                               {.name = "observation_months",
                                                .kind = WEB_FK_NUMBER,
                                                .label = "plan.observation_months",
                                                .hint = "plan.observation_hint",
                                                .min = 3,
                                                .max = 12,
                                                .match = "observation"},
                                               {0}};

static int plan_page(struct web_req *req, struct web_resp *resp, struct web_form *f, struct err *e)
{
    struct app_plan p;
    int rc = app_plan_get(req->app, req->a, req->org.id, &p, e);
    if (rc && rc != TL_ENOTFOUND)
        return rc;
    bool have = rc == 0;
    const char *format = web__q(req, "format");
    if (have && format && strcmp(format, "ics") == 0) {
        calendar(req, resp, &p);
        return 0;
    }
    json_t *d = json_object(), *tasks = NULL;
    if (have) {
        json_t *pj = plan_json(req, &p, &tasks);
        if (web__export(req, resp, tasks, task_cols, "plan")) {
            json_decref(tasks);
            json_decref(pj);
            json_decref(d);
            return 0;
        }
        json_object_set_new(d, "plan", pj);
        json_object_set_new(d, "tasks", tasks);
    } else if (format) {
        json_decref(d);
        return ERR_SET(e, TL_ENOTFOUND, "no plan yet");
    }
    if (!f->values || !json_object_size(f->values)) {
        char today[DATE_BUF];
        date_format(time_date(req->app->now), today);
        web__form_set(f, "start", today);
        web__form_set(f, "target", "type2");
        web__form_set(f, "days_per_week", "2");
        web__form_set(f, "observation_months", "6");
    }
    json_object_set_new(d, "form",
                        web__form_data(f, web__org_path(req, "/plan"),
                                       web__t(req, have ? "plan.relayout" : "plan.create")));
    bool failed = !web__form_ok(f);
    rc = web__page(req, resp, "plan", web__t(req, "plan.title"), d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

WEB__HANDLER(web__plan_page)
{
    struct web_form f;
    web__form_init(&f, req, "plan", plan_fields, true);
    int rc = plan_page(req, resp, &f, e);
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/plan and /api/v1/orgs/{org}/plan. */
WEB__HANDLER(web__plan_create)
{
    struct web_form f;
    web__form_init(&f, req, "plan", plan_fields, true);
    int rc = web__form_take(&f, e);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    bool warning = false;
    if (rc == 0 && web__form_check(&f)) {
        struct plan_params p = {.today = time_date(req->app->now),
                                .days_per_week = web__fi(&f, "days_per_week", 1),
                                .observation_months = web__fi(&f, "observation_months", 6)};
        struct err ae = ERR_INIT;
        rc = date_parse(web__fv(&f, "start"), &p.start, &ae);
        if (rc == 0)
            rc = app_plan_create(req->app, req->a, req->org.id, &p, web__fv(&f, "target"), &warning,
                                 &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            struct app_plan p;
            rc = app_plan_get(req->app, req->a, req->org.id, &p, e);
            if (rc == 0)
                web__json(resp, 201, plan_json(req, &p, NULL));
        } else {
            web__redirect(
                resp, web__done(req, web__org_path(req, "/plan"), warning ? "plan_short" : "plan"));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = plan_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}

WEB__HANDLER(web__api_plan)
{
    struct app_plan p;
    int rc = app_plan_get(req->app, req->a, req->org.id, &p, e);
    if (rc == 0)
        web__json(resp, 200, plan_json(req, &p, NULL));
    return rc;
}

WEB__HANDLER(web__api_plan_calendar)
{
    struct app_plan p;
    int rc = app_plan_get(req->app, req->a, req->org.id, &p, e);
    if (rc == 0)
        calendar(req, resp, &p);
    return rc;
}

/* --- a task ------------------------------------------------------------------------- */

static const struct web_field task_fields[] = {{.name = "status",
                                                .kind = WEB_FK_SELECT,
                                                .label = "plan.status",
                                                .options = task_statuses,
                                                .option_labels = "task",
                                                .match = "status"},
                                               {.name = "done_on",
                                                .kind = WEB_FK_DATE,
                                                .label = "plan.done_on",
                                                .hint = "plan.done_on_hint",
                                                .match = "done"},
                                               {.name = "owner",
                                                .kind = WEB_FK_EMAIL,
                                                .label = "plan.owner",
                                                .hint = "form.owner_hint",
                                                .match = "person|owner",
                                                .datalist = "people",
                                                .max = 254},
                                               WEB__VERSION_FIELD,
                                               {0}};

static const char *plan_back(struct web_req *req)
{
    return web__org_path(req, "/plan");
}

static const char *task_subject(struct web_req *req)
{
    return req->params[1];
}

static const char *task_action(struct web_req *req, bool creating)
{
    (void)creating;
    return web__org_path(req,
                         arena_printf(req->a, "/plan/tasks/%s", web__enc(req, req->params[1])));
}

/* The task code of the plan as scheduled now into *out (with p's storage). */
static int find_task(struct web_req *req, struct app_plan *p, const char *code,
                     const struct app_plan_task **out, struct err *e)
{
    int rc = app_plan_get(req->app, req->a, req->org.id, p, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < p->n_tasks; i++) {
        if (strcmp(p->tasks[i].code, code) == 0) {
            *out = &p->tasks[i];
            return 0;
        }
    }
    return ERR_SET(e, TL_ENOTFOUND, "no plan task '%s'", code);
}

static int task_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_plan p;
    const struct app_plan_task *t = NULL;
    int rc = find_task(req, &p, req->params[1], &t, e);
    if (rc)
        return rc;
    web__form_set(f, "status", t->status);
    web__form_set(f, "done_on", date_str(req->a, t->done_on));
    web__form_set(f, "owner", t->owner);
    web__form_seti(f, "version", t->version);
    return 0;
}

static int task_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    (void)req;
    return web__people_datalist(f, e);
}

static int task_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    const char *status = web__fv_or_null(f, "status");
    const char *done_on = web__fv_or_null(f, "done_on");
    const char *owner = web__fv_or_null(f, "owner");
    *key = req->params[1];
    if (done_on && (!status || strcmp(status, "done") != 0))
        done_on = NULL; /* only a task done has a day it was done */
    if (!status && !owner)
        return 0;
    return app_plan_task_update(req->app, req->a, req->org.id, req->params[1], status, done_on,
                                owner, web__fi(f, "version", 0), e);
}

static const char *task_done(struct web_req *req, const char *key, bool creating)
{
    (void)creating;
    return arena_printf(req->a, "%s#task-%s", web__done(req, plan_back(req), "task"),
                        web__enc(req, key));
}

/* The API's answer to a saved task: the task as scheduled now, with its version. */
static int task_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_plan p;
    const struct app_plan_task *t = NULL;
    int rc = find_task(req, &p, key, &t, e);
    if (rc == 0)
        *out = task_json(req, t);
    return rc;
}

static const struct web_formspec task_spec = {
    .id = "task",
    .fields = task_fields,
    .title_new = "plan.task_edit",
    .title_edit = "plan.task_edit",
    .back_label = "plan.title",
    .back = plan_back,
    .subject = task_subject,
    .audit_type = "plan_task",
    .action = task_action,
    .load = task_load,
    .prepare = task_prepare,
    .save = task_save,
    .done = task_done,
    .api_out = task_out,
};

WEB__HANDLER(web__plan_task_form)
{
    return web__form_show(req, resp, &task_spec, false, e);
}

WEB__HANDLER(web__plan_task_update)
{
    return web__form_submit(req, resp, &task_spec, false, e);
}

WEB__HANDLER(web__api_plan_task)
{
    json_t *out = NULL;
    return web__send_record(resp, task_out(req, req->params[1], &out, e), &out);
}
