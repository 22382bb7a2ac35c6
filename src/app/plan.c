/* plan.c - the project plan. */
#include "app/plan.h"

#include "base/sb.h"
#include "base/yml.h"
#include "base/js.h"
#include "domain/catalog.h"
#include "domain/program.h"

#include <string.h>

struct template_task {
    const char *code, *phase, *target, *depends;
    struct dom_text title;
    long effort, weeks;
    bool observation;
};

static int parse_task(const struct yml_node *m, struct arena *a, struct template_task *t,
                      struct err *e)
{
    const struct yml_node *deps, *title = yml_get(m, "title");
    int rc = yml_req_str(m, "code", &t->code, e);
    if (rc == 0)
        rc = yml_req_str(m, "phase", &t->phase, e);
    if (rc == 0)
        rc = yml_opt_str(m, "target", NULL, &t->target, e);
    if (rc == 0)
        rc = yml_opt_int(m, "effort", 0, 0, 100, &t->effort, e);
    if (rc == 0)
        rc = yml_opt_int(m, "weeks", 0, 0, 52, &t->weeks, e);
    if (rc == 0)
        rc = yml_opt_bool(m, "observation", false, &t->observation, e);
    if (rc == 0)
        rc = yml_opt_seq(m, "depends", &deps, e);
    if (rc == 0 && (!title || yml_req_str(title, "en", &t->title.en, e) ||
                    yml_req_str(title, "sv", &t->title.sv, e)))
        rc = e && e->code ? e->code : yml_fail(e, m, TL_EINPUT, "task needs a title {en, sv}");
    if (rc)
        return rc;
    struct sb sb = SB_INIT;
    for (size_t i = 0; deps && i < deps->n; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", deps->items[i]->str);
    t->depends = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return 0;
}

static int load_template(struct app *app, struct arena *a, struct template_task **out, size_t *n,
                         struct err *e)
{
    const char *data;
    size_t len;
    struct yml_node *root;
    const struct yml_node *list;
    int rc = app_content_read(app, "plan/soc2.yaml", &data, &len, e);
    if (rc == 0)
        rc = yml_parse(a, "plan/soc2.yaml", data, len, &root, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "tasks", &list, e);
    if (rc == 0 && !list)
        rc = ERR_SET(e, TL_EINPUT, "plan template has no tasks");
    if (rc)
        return rc;
    *out = arena_calloc(a, list->n, sizeof(**out));
    *n = list->n;
    for (size_t i = 0; i < list->n && rc == 0; i++)
        rc = parse_task(list->items[i], a, &(*out)[i], e);
    return rc;
}

static const char *org_language(struct app *app, struct arena *a, const char *org_id)
{
    struct store_stmt *st;
    const char *lang = "en";
    if (store_preparef(app->store, NULL, &st, "SELECT language FROM organization WHERE id = ?", "t",
                       org_id) == 0) {
        if (store_step(st, NULL) == TL_ROW)
            lang = arena_strdup(a, store_col_text(st, 0));
        store_finalize(st);
    }
    return lang;
}

static int insert_tasks(struct app *app, struct arena *a, const char *org_id, const char *target,
                        const struct template_task *tt, size_t n, struct err *e)
{
    const char *lang = org_language(app, a, org_id);
    int rc = 0;
    for (size_t i = 0, seq = 0; i < n && rc == 0; i++) {
        if (tt[i].target && strcmp(tt[i].target, target) != 0)
            continue;
        /* Keep status and owner of a task that already existed. */
        rc = store_run(app->store, e,
                       "INSERT INTO plan_task (org_id, code, seq, phase, title, depends_on, "
                       "effort_days, span_days, start_date, due_date) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '') ON CONFLICT (org_id, code) DO "
                       "UPDATE SET seq = excluded.seq, phase = excluded.phase, "
                       "title = excluded.title, depends_on = excluded.depends_on, "
                       "effort_days = excluded.effort_days, span_days = excluded.span_days",
                       "ttitttii", org_id, tt[i].code, (int64_t)seq++, tt[i].phase,
                       dom_text_get(&tt[i].title, lang), tt[i].depends, (int64_t)tt[i].effort,
                       (int64_t)(tt[i].observation ? -1 : tt[i].weeks * 7));
    }
    return rc;
}

/* Drops tasks of the other target (a plan switched from type2 to type1). */
static int prune_tasks(struct app *app, const char *org_id, const char *target,
                       const struct template_task *tt, size_t n, struct err *e)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (tt[i].target && strcmp(tt[i].target, target) != 0)
            rc = store_run(app->store, e, "DELETE FROM plan_task WHERE org_id = ? AND code = ?",
                           "tt", org_id, tt[i].code);
    return rc;
}

static int store_schedule(struct app *app, const char *org_id, const struct app_plan *p,
                          struct err *e)
{
    int rc = 0;
    for (size_t i = 0; i < p->n_tasks && rc == 0; i++) {
        char s[DATE_BUF], d[DATE_BUF];
        date_format(p->tasks[i].start, s);
        date_format(p->tasks[i].due, d);
        rc = store_run(app->store, e,
                       "UPDATE plan_task SET start_date = ?, due_date = ? "
                       "WHERE org_id = ? AND code = ?",
                       "tttt", s, d, org_id, p->tasks[i].code);
    }
    return rc;
}

static int write_plan(struct app *app, const char *org_id, const struct plan_params *p,
                      const char *target, struct err *e)
{
    char start[DATE_BUF];
    date_format(p->start, start);
    return store_run(app->store, e,
                     "INSERT INTO plan (org_id, start_date, target, days_per_week, "
                     "observation_months) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE "
                     "SET start_date = excluded.start_date, target = excluded.target, "
                     "days_per_week = excluded.days_per_week, "
                     "observation_months = excluded.observation_months, version = plan.version + 1",
                     "tttii", org_id, start, target, (int64_t)p->days_per_week,
                     (int64_t)p->observation_months);
}

static const char *plan_json(struct arena *a, const struct app_plan *p)
{
    char s[DATE_BUF], d[DATE_BUF];
    date_format(p->start, s);
    date_format(p->n_tasks ? p->tasks[p->n_tasks - 1].due : p->start, d);
    return arena_printf(a,
                        "{\"start\":\"%s\",\"target\":\"%s\",\"days_per_week\":%d,"
                        "\"observation_months\":%d,\"tasks\":%zu,\"finish\":\"%s\"}",
                        s, p->target, p->days_per_week, p->observation_months, p->n_tasks, d);
}

int app_plan_create(struct app *app, struct arena *a, const char *org_id,
                    const struct plan_params *p, const char *target, bool *warning, struct err *e)
{
    if (!target || (strcmp(target, "type1") != 0 && strcmp(target, "type2") != 0))
        return ERR_SET(e, TL_EINPUT, "unknown target \"%s\" (expected one of: type1, type2)",
                       target ? target : "");
    struct template_task *tt;
    size_t n;
    int rc = plan_check(p, warning, e);
    if (rc == 0)
        rc = load_template(app, a, &tt, &n, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "plan.create", .object_type = "plan", .object_key = target};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    struct app_plan plan;
    rc = write_plan(app, org_id, p, target, e);
    if (rc == 0)
        rc = prune_tasks(app, org_id, target, tt, n, e);
    if (rc == 0)
        rc = insert_tasks(app, a, org_id, target, tt, n, e);
    if (rc == 0)
        rc = app_plan_get(app, a, org_id, &plan, e);
    if (rc == 0)
        rc = store_schedule(app, org_id, &plan, e);
    if (rc == 0) {
        c.after = plan_json(a, &plan);
        rc = app_change_commit(app, a, &c, e);
    } else {
        app_change_abort(app);
    }
    return rc;
}

static int read_header(struct app *app, struct arena *a, const char *org_id, struct app_plan *out,
                       struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT start_date, target, days_per_week, observation_months "
                            "FROM plan WHERE org_id = ?",
                            "t", org_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        date_parse(store_col_text(st, 0), &out->start, NULL);
        out->target = arena_strdup(a, store_col_text(st, 1));
        out->days_per_week = (int)store_col_int(st, 2);
        out->observation_months = (int)store_col_int(st, 3);
    }
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND,
                       "no plan yet: lay one out with 'tillit plan --start DATE --target "
                       "type1|type2'");
    return rc < 0 ? rc : 0;
}

static void read_task(struct store_stmt *st, struct arena *a, struct app_plan_task *t)
{
    t->code = arena_strdup(a, store_col_text(st, 0));
    t->phase = arena_strdup(a, store_col_text(st, 1));
    t->title = arena_strdup(a, store_col_text(st, 2));
    t->status = arena_strdup(a, store_col_text(st, 3));
    t->owner = arena_strdup(a, store_col_text(st, 4));
    t->depends = arena_strdup(a, store_col_text(st, 5));
    t->effort_days = (int)store_col_int(st, 6);
    t->span_days = (int)store_col_int(st, 7);
    t->done_on = 0;
    if (!store_col_is_null(st, 8))
        date_parse(store_col_text(st, 8), &t->done_on, NULL);
    t->version = store_col_int(st, 9);
}

static int read_tasks(struct app *app, struct arena *a, const char *org_id, struct app_plan *out,
                      struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM plan_task WHERE org_id = ?", "t", org_id);
    if (rc)
        return rc;
    out->tasks = arena_calloc(a, (size_t)n + 1, sizeof(*out->tasks));
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT t.code, t.phase, t.title, t.status, p.email, t.depends_on, "
                        "t.effort_days, t.span_days, t.done_on, t.version FROM plan_task t "
                        "LEFT JOIN person p ON p.id = t.owner_id "
                        "WHERE t.org_id = ? ORDER BY t.seq",
                        "t", org_id);
    if (rc)
        return rc;
    while ((rc = store_step(st, e)) == TL_ROW && out->n_tasks < (size_t)n)
        read_task(st, a, &out->tasks[out->n_tasks++]);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Splits "a,b" into an arena array. */
static const char **split(struct arena *a, const char *s, size_t *n)
{
    *n = 0;
    if (!*s)
        return NULL;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    const char **out = arena_calloc(a, cap, sizeof(char *));
    const char *p = s;
    while (p) {
        const char *comma = strchr(p, ',');
        out[(*n)++] = comma ? arena_strndup(a, p, (size_t)(comma - p)) : arena_strdup(a, p);
        p = comma ? comma + 1 : NULL;
    }
    return out;
}

static int schedule(struct arena *a, struct app_plan *p, tl_date today, struct err *e)
{
    struct plan_task *pt = arena_calloc(a, p->n_tasks + 1, sizeof(*pt));
    for (size_t i = 0; i < p->n_tasks; i++) {
        struct app_plan_task *t = &p->tasks[i];
        pt[i].code = t->code;
        pt[i].depends = split(a, t->depends, &pt[i].n_depends);
        pt[i].effort_days = t->effort_days;
        pt[i].observation = t->span_days < 0;
        pt[i].fixed_days = t->span_days > 0 ? t->span_days : 0;
        pt[i].done = strcmp(t->status, "done") == 0;
        pt[i].done_on = t->done_on;
    }
    struct plan_params params = {p->start, p->days_per_week, p->observation_months, today};
    int rc = plan_schedule(&params, pt, p->n_tasks, e);
    for (size_t i = 0; rc == 0 && i < p->n_tasks; i++) {
        struct app_plan_task *t = &p->tasks[i];
        t->start = pt[i].start;
        t->due = pt[i].due;
        t->span_days = pt[i].span_days;
        t->late = pt[i].late;
        p->effort_total += t->effort_days;
        if (pt[i].done) {
            p->done++;
            p->effort_done += t->effort_days;
        }
        p->late += t->late;
    }
    return rc;
}

int app_plan_get(struct app *app, struct arena *a, const char *org_id, struct app_plan *out,
                 struct err *e)
{
    memset(out, 0, sizeof(*out));
    int rc = read_header(app, a, org_id, out, e);
    if (rc == 0)
        rc = read_tasks(app, a, org_id, out, e);
    if (rc == 0)
        rc = schedule(a, out, time_date(app->now), e);
    return rc;
}

static int apply_task_change(struct app *app, struct arena *a, const char *org_id, const char *code,
                             const char *status, const char *done_on, const char *owner,
                             struct err *e)
{
    const char *owner_id = NULL;
    int rc = app_person_id(app, a, org_id, owner, &owner_id, e);
    if (rc == 0 && status)
        rc = store_run(app->store, e,
                       "UPDATE plan_task SET status = ?, done_on = ? WHERE org_id = ? AND code = ?",
                       "tttt", status, strcmp(status, "done") == 0 ? done_on : NULL, org_id, code);
    if (rc == 0 && owner_id)
        rc = store_run(app->store, e,
                       "UPDATE plan_task SET owner_id = ? WHERE org_id = ? AND code = ?", "ttt",
                       owner_id, org_id, code);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE plan_task SET version = version + 1 WHERE org_id = ? AND code = ?",
                       "tt", org_id, code);
    return rc;
}

/* Inside the change's transaction: locks task code, reads its version and
 * refuses an edit based on another one (expected 0 = any). */
static int check_task_version(struct app *app, struct arena *a, const char *org_id,
                              const char *code, int64_t expected, struct err *e)
{
    bool found = false;
    int64_t current = 0;
    int rc = app_lock_record(app, org_id, "plan_task", code, e);
    if (rc == 0)
        rc = store_query_int(app->store, e, &current, &found,
                             "SELECT version FROM plan_task WHERE org_id = ? AND code = ?", "tt",
                             org_id, code);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no plan task '%s' (see 'tillit plan show')", code);
    return rc ? rc : app_check_version(app, a, org_id, "plan_task", code, current, expected, e);
}

int app_plan_task_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                         const char *status, const char *done_on, const char *owner,
                         int64_t expected, struct err *e)
{
    static const char *const statuses[] = {"todo", "doing", "done", NULL};
    char today[DATE_BUF];
    tl_date d;
    date_format(time_date(app->now), today);
    if (status && dom_enum_check(statuses, status, "task status", e))
        return TL_EINPUT;
    if (done_on && date_parse(done_on, &d, e))
        return TL_EINPUT;
    struct app_change c = {
        .org_id = org_id, .action = "plan.task", .object_type = "plan_task", .object_key = code};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    struct app_plan plan;
    rc = check_task_version(app, a, org_id, code, expected, e);
    if (rc == 0)
        rc = apply_task_change(app, a, org_id, code, status, done_on ? done_on : today, owner, e);
    if (rc == 0)
        rc = app_plan_get(app, a, org_id, &plan, e);
    if (rc == 0)
        rc = store_schedule(app, org_id, &plan, e);
    if (rc == 0) {
        json_t *o = json_pack("{s:s, s:s?, s:s?}", "code", code, "status", status, "owner", owner);
        struct sb sb = SB_INIT;
        js_dump(&sb, o, 0);
        c.after = arena_strdup(a, sb.buf);
        sb_release(&sb);
        json_decref(o);
        rc = app_change_commit(app, a, &c, e);
    } else {
        app_change_abort(app);
    }
    return rc;
}
