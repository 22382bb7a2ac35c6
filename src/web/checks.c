/* checks.c - checks and datasets in the browser and the API: the check
 * pack with each check's latest run, running one check or all of them, a
 * check's page with its SQL, history and the exception rows of a run, the
 * loaded datasets with their provenance and rows, and uploading a dataset.
 *
 * Running goes through app_check_run(), which records each run (and its
 * evidence) in one audited change; loading goes through app_dataset_load(),
 * which takes the file the server has already streamed to a private
 * temporary directory (server.c), as evidence uploads do.  Running and
 * uploading need APP_CONTRIBUTE: the roles that upload evidence may load
 * the exports it is made from and run the checks over them.
 */
#include "web/web_impl.h"

#include "app/checks.h"
#include "app/control.h"
#include "app/dataset.h"
#include "domain/library.h"

#include <stdlib.h>
#include <string.h>

#define CHECK_ROWS_SHOWN 500  /* exception rows on a check's page; exports have all kept */
#define DATASET_PAGE_ROWS 100 /* rows on a page of a dataset */
#define CHECK_HISTORY 50      /* runs listed on a check's page and by the API */

/* What the rows of the check list are built from, read once per request. */
struct pack_view {
    struct app_dataset *ds;
    size_t n_ds;
    struct app_control *ctl;
    size_t n_ctl;
};

static int pack_view_load(struct web_req *req, struct pack_view *v, struct err *e)
{
    int rc = app_dataset_list(req->app, req->a, req->org.id, &v->ds, &v->n_ds, e);
    if (rc == 0)
        rc = app_control_list(req->app, req->a, req->org.id, NULL, &v->ctl, &v->n_ctl, e);
    return rc;
}

static bool dataset_loaded(const struct pack_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_ds; i++)
        if (strcmp(v->ds[i].name, name) == 0)
            return true;
    return false;
}

/* The organization's control for a library control: the same code, or
 * one adopted from it; NULL when the program has none. */
static const char *program_control(const struct pack_view *v, const char *lib_code)
{
    for (size_t i = 0; i < v->n_ctl; i++)
        if (strcmp(v->ctl[i].code, lib_code) == 0 ||
            (v->ctl[i].library_code && strcmp(v->ctl[i].library_code, lib_code) == 0))
            return v->ctl[i].code;
    return NULL;
}

static json_t *str_array(const char *const *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__str(s[i]));
    return arr;
}

/* "pass", "fail" or "never" with its label and badge. */
static void set_result(struct web_req *req, json_t *o, const char *result)
{
    web__set_str(o, "result", result);
    web__set_str(o, "result_label", web__label(req, "checks.result", result));
    const char *badge = strcmp(result, "pass") == 0   ? "task-done"
                        : strcmp(result, "fail") == 0 ? "due-stale"
                                                      : "task-todo";
    web__set_str(o, "badge", badge);
}

/* --- a check and its runs as JSON ---------------------------------------------------- */

static json_t *history_json(struct web_req *req, const struct app_check_run_row *r)
{
    json_t *o = json_object();
    web__set_str(o, "id", r->id);
    web__set_str(o, "check", r->check_id);
    web__set_str(o, "ran_at", r->ran_at);
    web__set_str(o, "ran_by", r->ran_by);
    web__set_str(o, "as_of", r->as_of);
    web__set_str(o, "period_start", r->period_start);
    web__set_str(o, "period_end", r->period_end);
    web__set_int(o, "population", (long long)r->population);
    web__set_int(o, "exceptions", (long long)r->exceptions);
    set_result(req, o, r->result);
    web__set_str(o, "sql_sha256", r->sql_sha256);
    json_t *ds = json_loads(r->datasets_json ? r->datasets_json : "[]", 0, NULL);
    json_object_set_new(o, "datasets", ds ? ds : json_array());
    web__set_str(o, "evidence_id", r->evidence_id);
    return o;
}

static json_t *check_json(struct web_req *req, const struct pack_view *v,
                          const struct app_check *ck, const struct app_check_run_row *last)
{
    const struct eng_check *c = ck->def;
    json_t *o = json_object(), *links = json_array(), *dsl = json_array();
    web__set_str(o, "id", ck->id);
    web__set_str(o, "title", ck->title);
    web__set_str(o, "description", ck->description);
    json_object_set_new(o, "controls", str_array(c->controls, c->n_controls));
    for (size_t i = 0; i < c->n_controls; i++) {
        json_t *l = json_object();
        web__set_str(l, "code", c->controls[i]);
        web__set_str(l, "program_code", program_control(v, c->controls[i]));
        json_array_append_new(links, l);
    }
    json_object_set_new(o, "control_links", links);
    json_object_set_new(o, "criteria", str_array(c->criteria, c->n_criteria));
    json_object_set_new(o, "datasets", str_array(c->datasets, c->n_datasets));
    json_t *missing = json_array();
    for (size_t i = 0; i < c->n_datasets; i++) {
        bool loaded = dataset_loaded(v, c->datasets[i]);
        json_t *d = json_object();
        web__set_str(d, "name", c->datasets[i]);
        web__set_bool(d, "loaded", loaded);
        json_array_append_new(dsl, d);
        if (!loaded)
            json_array_append_new(missing, web__str(c->datasets[i]));
    }
    json_object_set_new(o, "dataset_links", dsl);
    web__set_bool(o, "runnable", json_array_size(missing) == 0);
    json_object_set_new(o, "missing_datasets", missing);
    if (last) {
        json_object_set_new(o, "last_run", history_json(req, last));
        web__set_str(o, "last_run_at", last->ran_at);
        web__set_int(o, "population", (long long)last->population);
        web__set_int(o, "exceptions", (long long)last->exceptions);
        web__set_str(o, "evidence_id", last->evidence_id);
        set_result(req, o, last->result);
    } else {
        json_object_set_new(o, "last_run", json_null());
        json_object_set_new(o, "last_run_at", json_null());
        json_object_set_new(o, "population", json_null());
        json_object_set_new(o, "exceptions", json_null());
        json_object_set_new(o, "evidence_id", json_null());
        set_result(req, o, "never");
    }
    return o;
}

/* The latest run of a check, or NULL. */
static int latest_run(struct web_req *req, const char *id, const struct app_check_run_row **out,
                      struct err *e)
{
    struct app_check_run_row *runs;
    size_t n;
    int rc = app_check_runs(req->app, req->a, req->org.id, id, 1, &runs, &n, e);
    *out = rc == 0 && n ? &runs[0] : NULL;
    return rc;
}

/* --- the list ------------------------------------------------------------------------ */

static const char *const check_cols[] = {
    "id",     "title",       "controls",   "criteria",   "datasets",    "missing_datasets",
    "result", "last_run_at", "population", "exceptions", "evidence_id", NULL};

static const char *const result_filters[] = {"failing", "passing", "never", NULL};

static bool listed(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static int check_filters(struct web_req *req, const struct pack_view *v, struct err *e)
{
    const char *result = web__q(req, "result"), *control = web__q(req, "control");
    if (result && !listed(result_filters, result))
        return ERR_SET(e, TL_EINPUT,
                       "unknown result '%s' (expected one of: failing, passing, never)", result);
    if (control && !program_control(v, control)) {
        const struct dom_library *lib;
        int rc = app_library(req->app, &lib, e);
        if (rc)
            return rc;
        if (!dom_library_control(lib, control))
            return ERR_SET(e, TL_EINPUT, "unknown control '%s'", control);
    }
    return 0;
}

/* Whether a check row passes the ?result= and ?control= filters. */
static bool check_shown(struct web_req *req, const struct pack_view *v, const struct app_check *ck,
                        const char *result)
{
    const char *want = web__q(req, "result"), *control = web__q(req, "control");
    if (want) {
        const char *is = strcmp(want, "failing") == 0   ? "fail"
                         : strcmp(want, "passing") == 0 ? "pass"
                                                        : "never";
        if (strcmp(is, result) != 0)
            return false;
    }
    if (!control)
        return true;
    for (size_t i = 0; i < ck->def->n_controls; i++) {
        const char *lib = ck->def->controls[i], *prog = program_control(v, lib);
        if (strcmp(lib, control) == 0 || (prog && strcmp(prog, control) == 0))
            return true;
    }
    return false;
}

static int check_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct pack_view v;
    struct app_check *all;
    size_t n;
    int rc = pack_view_load(req, &v, e);
    if (rc == 0)
        rc = check_filters(req, &v, e);
    if (rc == 0)
        rc = app_check_list(req->app, req->a, req->lang, &all, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct app_check_run_row *last;
        rc = latest_run(req, all[i].id, &last, e);
        if (rc == 0 && check_shown(req, &v, &all[i], last ? last->result : "never"))
            json_array_append_new(arr, check_json(req, &v, &all[i], last));
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *rows = arr;
    return 0;
}

/* A status message of this file's own (the layout's #flash). */
static void set_flash(struct web_req *req, json_t *d)
{
    static const char *const mine[] = {"ran", "ran_all", "loaded", NULL};
    const char *done = web__q(req, "done");
    if (done && listed(mine, done))
        web__set_str(d, "flash", web__label(req, "checks.done", done));
}

static json_t *filter_choices(struct web_req *req)
{
    json_t *arr = json_array();
    const char *cur = web__q(req, "result");
    for (size_t i = 0; result_filters[i]; i++) {
        json_t *o =
            web__choice(result_filters[i], web__label(req, "checks.filter", result_filters[i]));
        web__set_bool(o, "selected", cur && strcmp(cur, result_filters[i]) == 0);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The list page; error (with status) when running all failed. */
static int checks_page(struct web_req *req, struct web_resp *resp, const char *error, int status,
                       struct err *e)
{
    json_t *rows;
    int rc = check_rows(req, &rows, e);
    if (rc)
        return rc;
    if (!error && web__export(req, resp, rows, check_cols, "checks")) {
        json_decref(rows);
        return 0;
    }
    size_t n_ds = 0, failing = 0, i;
    struct app_dataset *ds;
    rc = app_dataset_list(req->app, req->a, req->org.id, &ds, &n_ds, e);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    json_t *row, *d = json_object();
    json_array_foreach(rows, i, row)
    {
        failing += strcmp(json_string_value(json_object_get(row, "result")), "fail") == 0;
    }
    web__set_int(d, "count", (long long)json_array_size(rows));
    web__set_int(d, "failing", (long long)failing);
    web__set_int(d, "datasets_count", (long long)n_ds);
    web__set_str(d, "control", web__q(req, "control"));
    json_object_set_new(d, "results", filter_choices(req));
    static const char *const keys[] = {"result", "control", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_str(d, "error", error);
    set_flash(req, d);
    json_object_set_new(d, "checks", rows);
    rc = web__page(req, resp, "checks", web__t(req, "checks.title"), d, e);
    if (error)
        resp->status = status;
    return rc;
}

WEB__HANDLER(web__checks_page)
{
    return checks_page(req, resp, NULL, 200, e);
}

WEB__HANDLER(web__api_checks)
{
    json_t *rows = NULL;
    return web__send(resp, check_rows(req, &rows, e), &rows);
}

/* --- one check ----------------------------------------------------------------------- */

/* The columns of kept exception rows: the members of the first row, in
 * their order (the SQL's, for runs recorded since that order is kept). */
static const char **row_columns(struct web_req *req, const json_t *rows, size_t *n)
{
    const json_t *first = json_array_get(rows, 0);
    *n = json_is_object(first) ? json_object_size(first) : 0;
    const char **cols = arena_calloc(req->a, *n + 1, sizeof(char *));
    const char *key;
    const json_t *val;
    size_t k = 0;
    if (json_is_object(first)) {
        json_object_foreach((json_t *)first, key, val)
        {
            cols[k++] = arena_strdup(req->a, key);
        }
    }
    return cols;
}

static const char *cell_text(struct web_req *req, const json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        return arena_printf(req->a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return arena_printf(req->a, "%g", json_real_value(v));
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    return NULL;
}

/* Rows of objects as a table for a template: header and rows of cells. */
static json_t *table_json(struct web_req *req, const char *const *cols, size_t n_cols,
                          const json_t *rows, size_t limit)
{
    json_t *t = json_object(), *head = json_array(), *body = json_array();
    for (size_t k = 0; k < n_cols; k++)
        json_array_append_new(head, web__str(cols[k]));
    for (size_t i = 0; i < json_array_size(rows) && i < limit; i++) {
        json_t *cells = json_array(), *tr = json_object();
        for (size_t k = 0; k < n_cols; k++) {
            const char *s = cell_text(req, json_object_get(json_array_get(rows, i), cols[k]));
            json_t *c = json_object();
            web__set_str(c, "v", s);
            web__set_bool(c, "null", s == NULL);
            json_array_append_new(cells, c);
        }
        json_object_set_new(tr, "cells", cells);
        json_array_append_new(body, tr);
    }
    json_object_set_new(t, "head", head);
    json_object_set_new(t, "rows", body);
    return t;
}

/* The run to show: ?run= (one of this check's), else the latest; NULL when none. */
static int shown_run(struct web_req *req, const char *id, struct app_check_run_row *run, bool *have,
                     struct err *e)
{
    const char *want = web__q(req, "run");
    *have = false;
    if (!want) {
        const struct app_check_run_row *last;
        int rc = latest_run(req, id, &last, e);
        if (rc || !last)
            return rc;
        want = last->id;
    }
    int rc = app_check_run_get(req->app, req->a, req->org.id, want, run, e);
    if (rc == 0 && strcmp(run->check_id, id) != 0)
        rc = ERR_SET(e, TL_ENOTFOUND, "no check run '%s'", want);
    *have = rc == 0;
    return rc;
}

/* The check with its SQL, history and the shown run's exception rows;
 * *rows (when asked for) gets those rows and *cols their columns. */
static int check_detail(struct web_req *req, const char *id, json_t **out, json_t **rows,
                        const char ***cols, struct err *e)
{
    struct pack_view v;
    struct app_check ck;
    struct app_check_run_row *runs, run;
    size_t n_runs;
    bool have;
    int rc = app_check_get(req->app, req->a, req->lang, id, &ck, e);
    if (rc == 0)
        rc = pack_view_load(req, &v, e);
    if (rc == 0)
        rc = app_check_runs(req->app, req->a, req->org.id, id, CHECK_HISTORY, &runs, &n_runs, e);
    if (rc == 0)
        rc = shown_run(req, id, &run, &have, e);
    if (rc)
        return rc;
    json_t *o = check_json(req, &v, &ck, n_runs ? &runs[0] : NULL);
    web__set_str(o, "population_sql", ck.def->population);
    web__set_str(o, "sql", ck.def->sql);
    json_t *hist = json_array();
    for (size_t i = 0; i < n_runs; i++) {
        json_t *h = history_json(req, &runs[i]);
        web__set_bool(h, "shown", have && strcmp(runs[i].id, run.id) == 0);
        json_array_append_new(hist, h);
    }
    json_object_set_new(o, "runs", hist);
    json_t *kept = NULL;
    size_t n_cols = 0;
    const char **c = NULL;
    if (have) {
        json_t *r = history_json(req, &run);
        kept = json_loads(run.rows_json ? run.rows_json : "[]", 0, NULL);
        if (!json_is_array(kept)) {
            json_decref(kept);
            kept = json_array();
        }
        c = row_columns(req, kept, &n_cols);
        json_object_set_new(r, "columns", str_array(c, n_cols));
        web__set_int(r, "rows_kept", (long long)json_array_size(kept));
        json_object_set_new(o, "run", r);
    } else {
        json_object_set_new(o, "run", json_null());
    }
    *out = o;
    if (rows) {
        *rows = kept ? kept : json_array();
        *cols = c ? c : arena_calloc(req->a, 1, sizeof(char *));
    } else {
        json_object_set_new(json_object_get(o, "run"), "rows", kept);
    }
    return 0;
}

/* The page of a check; error (with status) when running it failed. */
static int check_page(struct web_req *req, struct web_resp *resp, const char *error, int status,
                      struct err *e)
{
    const char *id = req->params[1];
    json_t *d, *rows;
    const char **cols;
    int rc = check_detail(req, id, &d, &rows, &cols, e);
    if (rc)
        return rc;
    if (!error &&
        web__export(req, resp, rows, cols, arena_printf(req->a, "check-%s-exceptions", id))) {
        json_decref(rows);
        json_decref(d);
        return 0;
    }
    json_t *run = json_object_get(d, "run");
    if (json_is_object(run)) {
        size_t n_cols = json_array_size(json_object_get(run, "columns"));
        json_object_set_new(run, "table", table_json(req, cols, n_cols, rows, CHECK_ROWS_SHOWN));
        size_t kept = json_array_size(rows);
        long long total = json_integer_value(json_object_get(run, "exceptions"));
        web__set_int(run, "rows_shown",
                     (long long)(kept < CHECK_ROWS_SHOWN ? kept : CHECK_ROWS_SHOWN));
        web__set_int(run, "rows_hidden",
                     (long long)(kept > CHECK_ROWS_SHOWN ? kept - CHECK_ROWS_SHOWN : 0));
        web__set_int(run, "rows_not_kept", total > (long long)kept ? total - (long long)kept : 0);
        web__set_str(run, "export_query",
                     web__q(req, "run")
                         ? arena_printf(req->a, "&run=%s", web__enc(req, web__q(req, "run")))
                         : "");
    }
    json_decref(rows);
    json_t *page = json_object();
    json_object_set_new(page, "check", d);
    web__set_str(page, "error", error);
    set_flash(req, page);
    const char *title = json_string_value(json_object_get(d, "title"));
    rc = web__page(req, resp, "check", title, page, e);
    if (error)
        resp->status = status;
    return rc;
}

WEB__HANDLER(web__check_page)
{
    return check_page(req, resp, NULL, 200, e);
}

WEB__HANDLER(web__api_check)
{
    json_t *d = NULL;
    int rc = check_detail(req, req->params[1], &d, NULL, NULL, e);
    return web__send(resp, rc, &d);
}

WEB__HANDLER(web__api_check_runs)
{
    struct app_check ck;
    struct app_check_run_row *runs;
    size_t n;
    int rc = app_check_get(req->app, req->a, req->lang, req->params[1], &ck, e);
    if (rc == 0)
        rc = app_check_runs(req->app, req->a, req->org.id, ck.id, CHECK_HISTORY, &runs, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, history_json(req, &runs[i]));
    web__json(resp, 200, arr);
    return 0;
}

/* --- running ------------------------------------------------------------------------- */

static const struct web_field run_fields[] = {
    {.name = "as_of", .kind = WEB_FK_DATE, .label = "checks.as_of", .match = "as-of|as of|future"},
    {.name = "period", .kind = WEB_FK_TEXT, .label = "checks.period", .match = "period", .max = 40},
    {0}};

/* A run as the API returns it (and as 'tillit check run --format json' prints it). */
static json_t *run_json(const struct app_check_run *r)
{
    json_t *o = json_object();
    web__set_str(o, "check", r->check.id);
    web__set_str(o, "title", r->check.title);
    if (r->status == APP_CHECK_SKIPPED) {
        web__set_str(o, "result", "skipped");
        web__set_str(o, "reason", r->skipped);
        return o;
    }
    web__set_str(o, "result", r->status == APP_CHECK_PASS ? "pass" : "fail");
    web__set_str(o, "run_id", r->run_id);
    web__set_int(o, "population", (long long)r->population);
    web__set_int(o, "exceptions", (long long)r->exceptions);
    web__set_str(o, "as_of", r->as_of);
    web__set_str(o, "period_start", r->period_start);
    web__set_str(o, "period_end", r->period_end);
    web__set_str(o, "evidence_id", r->evidence_id);
    web__set_str(o, "evidence_note", r->evidence_note);
    web__set_str(o, "sql_sha256", r->sql_sha256);
    json_t *ds = json_loads(r->datasets_json ? r->datasets_json : "[]", 0, NULL);
    json_object_set_new(o, "datasets", ds ? ds : json_array());
    json_object_set_new(o, "columns", str_array(r->cols, r->n_cols));
    json_t *rows = json_loads(r->rows_json ? r->rows_json : "[]", 0, NULL);
    json_object_set_new(o, "rows", rows ? rows : json_array());
    return o;
}

/* Runs check id (NULL: all).  A failure that concerns the request (a
 * dataset not loaded or changed, a bad date, SQL that fails) comes back
 * as *problem with its status; anything else as rc. */
static int run_checks(struct web_req *req, struct web_form *f, const char *id,
                      struct app_check_run **runs, size_t *n, int *status, struct err *e)
{
    *status = 0;
    /* Nothing to send is fine: an API client may POST without a body. */
    bool empty =
        req->body_len == 0 && req->form.n == 0 && !web_kvs_get(&req->headers, "Content-Type", true);
    int rc = empty ? 0 : web__form_take(f, e);
    if (rc == TL_EINPUT) {
        web__form_fail(f, NULL, e->msg);
        *status = 400;
        return 0;
    }
    if (rc)
        return rc;
    if (!web__form_check(f)) {
        *status = 400;
        return 0;
    }
    if (id) {
        struct app_check ck;
        rc = app_check_get(req->app, req->a, req->lang, id, &ck, e);
        if (rc)
            return rc; /* an unknown check is 404 */
    }
    struct app_check_run_in in = {.id = id,
                                  .as_of = web__fv_or_null(f, "as_of"),
                                  .period = web__fv_or_null(f, "period"),
                                  .lang = req->lang};
    struct err ae = ERR_INIT;
    rc = app_check_run(req->app, req->a, &req->org, &in, runs, n, &ae);
    if (rc == TL_ENOTFOUND) /* a dataset the check needs is not loaded */
        rc = TL_ECONFLICT;
    if (rc == TL_EINPUT || rc == TL_EUSAGE || rc == TL_ECONFLICT) {
        web__form_app_error(f, rc, &ae);
        if (web__form_ok(f)) /* a message about no field in particular */
            web__form_fail(f, NULL, ae.msg);
        f->status = rc == TL_ECONFLICT ? 409 : 400;
        *status = f->status;
        return 0;
    }
    if (rc)
        *e = ae;
    return rc;
}

/* The first message of a failed run, for the page. */
static const char *run_error(const struct web_form *f)
{
    if (f->error)
        return f->error;
    const char *key;
    json_t *v;
    json_object_foreach(f->errors, key, v)
    {
        return json_string_value(v);
    }
    return NULL;
}

/* POST /o/{org}/checks/{id}/run and /api/v1/orgs/{org}/checks/{id}/runs. */
WEB__HANDLER(web__check_run)
{
    const char *id = req->params[1];
    struct web_form f;
    struct app_check_run *runs = NULL;
    size_t n = 0;
    int status;
    web__form_init(&f, req, "run", run_fields, true);
    int rc = run_checks(req, &f, id, &runs, &n, &status, e);
    if (rc == 0 && status) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = check_page(req, resp, arena_strdup(req->a, run_error(&f)), status, e);
    } else if (rc == 0 && req->api) {
        web__json(resp, 201, run_json(&runs[0]));
    } else if (rc == 0) {
        const char *to = web__org_path(req, arena_printf(req->a, "/checks/%s", web__enc(req, id)));
        web__redirect(resp, web__done(req, to, "ran"));
    }
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/checks/run and /api/v1/orgs/{org}/checks/runs: every check
 * whose datasets are loaded (the others are skipped). */
WEB__HANDLER(web__checks_run)
{
    struct web_form f;
    struct app_check_run *runs = NULL;
    size_t n = 0;
    int status;
    web__form_init(&f, req, "run", run_fields, true);
    int rc = run_checks(req, &f, NULL, &runs, &n, &status, e);
    if (rc == 0 && status) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = checks_page(req, resp, arena_strdup(req->a, run_error(&f)), status, e);
    } else if (rc == 0 && req->api) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, run_json(&runs[i]));
        web__json(resp, 201, arr);
    } else if (rc == 0) {
        web__redirect(resp, web__done(req, web__org_path(req, "/checks"), "ran_all"));
    }
    web__form_release(&f);
    return rc;
}

/* --- datasets ------------------------------------------------------------------------ */

static const char *const dataset_cols[] = {"name",         "kind",        "rows",      "n_columns",
                                           "column_names", "source_name", "sha256",    "size",
                                           "version",      "loaded_by",   "loaded_at", NULL};

static json_t *dataset_json(struct web_req *req, const struct app_dataset *d, bool full)
{
    json_t *o = json_object(), *names = json_array();
    web__set_str(o, "name", d->name);
    web__set_str(o, "kind", d->kind);
    web__set_str(o, "kind_label", web__label(req, "checks.kind", d->kind));
    web__set_int(o, "rows", (long long)d->rows);
    web__set_int(o, "n_columns", (long long)d->n_cols);
    for (size_t i = 0; i < d->n_cols; i++)
        json_array_append_new(names, web__str(d->cols[i].name));
    json_object_set_new(o, "column_names", names);
    web__set_str(o, "source_name", d->source_name);
    web__set_str(o, "sha256", d->sha256);
    web__set_int(o, "size", (long long)d->size);
    web__set_int(o, "version", (long long)d->version);
    web__set_str(o, "loaded_by", d->loaded_by);
    web__set_str(o, "loaded_at", d->loaded_at);
    if (!full)
        return o;
    json_t *cols = json_array();
    for (size_t i = 0; i < d->n_cols; i++) {
        json_t *c = json_object();
        web__set_str(c, "name", d->cols[i].name);
        web__set_str(c, "type", d->cols[i].type);
        web__set_str(c, "source", d->cols[i].source);
        json_array_append_new(cols, c);
    }
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "tables", str_array(d->tables, d->n_tables));
    return o;
}

static int dataset_rows_list(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_dataset *ds;
    size_t n;
    int rc = app_dataset_list(req->app, req->a, req->org.id, &ds, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, dataset_json(req, &ds[i], false));
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__datasets_page)
{
    json_t *rows;
    int rc = dataset_rows_list(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, dataset_cols, "datasets")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object();
    web__set_int(d, "count", (long long)json_array_size(rows));
    web__set_str(d, "filter_query", "");
    set_flash(req, d);
    json_object_set_new(d, "datasets", rows);
    return web__page(req, resp, "datasets", web__t(req, "checks.datasets_title"), d, e);
}

WEB__HANDLER(web__api_datasets)
{
    json_t *rows = NULL;
    return web__send(resp, dataset_rows_list(req, &rows, e), &rows);
}

/* ?page= (from 1) and ?table= (one of the dataset's tables) of a rows request. */
struct rows_page {
    const char *table;
    int64_t page, pages, total;
    struct app_rows rows;
};

static int read_page(struct web_req *req, const struct app_dataset *d, struct rows_page *p,
                     struct err *e)
{
    const char *page = web__q(req, "page"), *table = web__q(req, "table");
    char *end = NULL;
    p->page = page ? strtoll(page, &end, 10) : 1;
    if (page && (*end || p->page < 1 || p->page > 100000000))
        return ERR_SET(e, TL_EINPUT, "page '%s' is not a whole number from 1", page);
    p->table = d->name;
    if (table) {
        bool found = false;
        for (size_t i = 0; i < d->n_tables; i++)
            found |= strcmp(d->tables[i], table) == 0;
        if (!found)
            return ERR_SET(e, TL_EINPUT, "dataset '%s' has no table '%s'", d->name, table);
        p->table = table;
    }
    bool main_table = strcmp(p->table, d->name) == 0;
    struct app_rows_query q = {.table = p->table,
                               .limit = DATASET_PAGE_ROWS,
                               .offset = (p->page - 1) * DATASET_PAGE_ROWS,
                               .whole = !main_table};
    int rc = app_dataset_rows(req->app, req->a, &req->org, &q, &p->rows, e);
    if (rc)
        return rc;
    p->total = main_table ? d->rows : p->rows.total;
    p->pages = p->total > 0 ? (p->total + DATASET_PAGE_ROWS - 1) / DATASET_PAGE_ROWS : 1;
    return 0;
}

/* The rows of a page as objects (column -> text or null). */
static json_t *page_objects(const struct app_rows *r)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->n_rows; i++) {
        json_t *o = json_object();
        for (size_t k = 0; k < r->n_cols; k++)
            web__set_str(o, r->cols[k], r->cells[i * r->n_cols + k]);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *page_json(const struct app_dataset *d, const struct rows_page *p)
{
    json_t *o = json_object();
    web__set_str(o, "dataset", d->name);
    web__set_str(o, "table", p->table);
    web__set_int(o, "page", (long long)p->page);
    web__set_int(o, "per_page", DATASET_PAGE_ROWS);
    web__set_int(o, "pages", (long long)p->pages);
    web__set_int(o, "total", (long long)p->total);
    json_object_set_new(o, "columns", str_array(p->rows.cols, p->rows.n_cols));
    json_object_set_new(o, "rows", page_objects(&p->rows));
    return o;
}

static int get_dataset(struct web_req *req, struct app_dataset *d, struct err *e)
{
    return app_dataset_get(req->app, req->a, req->org.id, req->params[1], d, e);
}

/* A link to another page of the same table. */
static const char *page_link(struct web_req *req, const struct rows_page *p, int64_t page,
                             const char *name)
{
    const char *base =
        web__org_path(req, arena_printf(req->a, "/datasets/%s", web__enc(req, name)));
    const char *table = strcmp(p->table, name) != 0
                            ? arena_printf(req->a, "&table=%s", web__enc(req, p->table))
                            : "";
    return arena_printf(req->a, "%s?page=%lld%s", base, (long long)page, table);
}

WEB__HANDLER(web__dataset_page)
{
    struct app_dataset ds;
    struct rows_page p = {0};
    int rc = get_dataset(req, &ds, e);
    if (rc == 0)
        rc = read_page(req, &ds, &p, e);
    if (rc)
        return rc;
    json_t *objects = page_objects(&p.rows);
    const char *file = arena_printf(req->a, "dataset-%s-page-%lld", p.table, (long long)p.page);
    const char **cols = arena_calloc(req->a, p.rows.n_cols + 1, sizeof(char *));
    for (size_t k = 0; k < p.rows.n_cols; k++)
        cols[k] = p.rows.cols[k];
    if (web__export(req, resp, objects, cols, file)) {
        json_decref(objects);
        return 0;
    }
    json_t *d = json_object(), *tables = json_array();
    json_t *dj = dataset_json(req, &ds, true);
    json_object_set_new(d, "dataset", dj);
    for (size_t i = 0; i < ds.n_tables; i++) {
        json_t *t = json_object();
        web__set_str(t, "name", ds.tables[i]);
        web__set_bool(t, "current", strcmp(ds.tables[i], p.table) == 0);
        const char *base =
            web__org_path(req, arena_printf(req->a, "/datasets/%s", web__enc(req, ds.name)));
        web__set_str(t, "href",
                     strcmp(ds.tables[i], ds.name) == 0
                         ? base
                         : arena_printf(req->a, "%s?table=%s", base, web__enc(req, ds.tables[i])));
        json_array_append_new(tables, t);
    }
    web__set_bool(d, "several_tables", ds.n_tables > 1);
    json_object_set_new(d, "tables", tables);
    web__set_str(d, "table", p.table);
    web__set_int(d, "page", (long long)p.page);
    web__set_int(d, "pages", (long long)p.pages);
    web__set_int(d, "total", (long long)p.total);
    web__set_int(d, "first_row",
                 p.rows.n_rows ? (long long)((p.page - 1) * DATASET_PAGE_ROWS + 1) : 0);
    web__set_int(d, "last_row",
                 (long long)((p.page - 1) * DATASET_PAGE_ROWS + (int64_t)p.rows.n_rows));
    web__set_bool(d, "paged", p.pages > 1 || p.page > 1);
    if (p.page > 1)
        web__set_str(d, "prev", page_link(req, &p, p.page - 1, ds.name));
    if (p.page < p.pages)
        web__set_str(d, "next", page_link(req, &p, p.page + 1, ds.name));
    struct sb fq = SB_INIT;
    sb_addf(&fq, "&page=%lld", (long long)p.page);
    if (strcmp(p.table, ds.name) != 0)
        sb_addf(&fq, "&table=%s", web__enc(req, p.table));
    web__set_str(d, "filter_query", fq.buf);
    sb_release(&fq);
    json_object_set_new(d, "table_view", table_json(req, cols, p.rows.n_cols, objects, SIZE_MAX));
    json_decref(objects);
    set_flash(req, d);
    const char *title = arena_printf(req->a, "%s %s", web__t(req, "checks.dataset"), ds.name);
    return web__page(req, resp, "dataset", title, d, e);
}

WEB__HANDLER(web__api_dataset)
{
    struct app_dataset ds;
    int rc = get_dataset(req, &ds, e);
    if (rc == 0)
        web__json(resp, 200, dataset_json(req, &ds, true));
    return rc;
}

WEB__HANDLER(web__api_dataset_rows)
{
    struct app_dataset ds;
    struct rows_page p = {0};
    int rc = get_dataset(req, &ds, e);
    if (rc == 0)
        rc = read_page(req, &ds, &p, e);
    if (rc == 0)
        web__json(resp, 200, page_json(&ds, &p));
    return rc;
}

/* --- uploading a dataset --------------------------------------------------------------- */

static const char *const upload_kinds[] = {
    "csv", "jsonl", "json", "aws-iam-credential-report", "github-pulls", NULL};

static const struct web_field dataset_fields[] = {
    {.name = "name",
     .kind = WEB_FK_TEXT,
     .label = "checks.ds_name",
     .flags = WEB_FF_REQUIRED,
     .hint = "checks.ds_name_hint",
     .match = "dataset name|name",
     .max = 48},
    {.name = "kind",
     .kind = WEB_FK_SELECT,
     .label = "checks.ds_kind",
     .flags = WEB_FF_REQUIRED,
     .options = upload_kinds,
     .option_labels = "checks.kind",
     .hint = "checks.ds_kind_hint",
     .match = "kind|credential report|pull request export"},
    {.name = "file",
     .kind = WEB_FK_FILE,
     .label = "checks.ds_file",
     .flags = WEB_FF_REQUIRED,
     .hint = "checks.ds_file_hint",
     .match = "file|empty|row|header|utf-8|records"},
    {.name = "columns",
     .kind = WEB_FK_TEXT,
     .label = "checks.ds_columns",
     .hint = "checks.ds_columns_hint",
     .match = "column|columns|type",
     .max = 2000},
    {0}};

static int upload_page(struct web_req *req, struct web_resp *resp, struct web_form *f,
                       struct err *e)
{
    json_t *d = json_object();
    const char *title = web__t(req, "checks.ds_upload");
    web__set_str(d, "heading", title);
    web__set_str(d, "back", web__org_path(req, "/datasets"));
    web__set_str(d, "back_label", web__t(req, "checks.datasets_title"));
    web__set_str(d, "intro", web__t(req, "checks.ds_upload_intro"));
    json_object_set_new(
        d, "form",
        web__form_data(f, web__org_path(req, "/datasets"), web__t(req, "checks.ds_upload_submit")));
    bool failed = !web__form_ok(f);
    int rc = web__page(req, resp, "dataset_new", title, d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

WEB__HANDLER(web__dataset_new)
{
    struct web_form f;
    web__form_init(&f, req, "dataset", dataset_fields, true);
    web__form_set(&f, "kind", "csv");
    int rc = upload_page(req, resp, &f, e);
    web__form_release(&f);
    return rc;
}

/* "NAME:TYPE, NAME:TYPE" as a list (in req->a). */
static const char *const *column_decls(struct web_req *req, const char *s, size_t *n)
{
    *n = 0;
    if (!s)
        return NULL;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    const char **out = arena_calloc(req->a, cap + 1, sizeof(char *));
    char *copy = arena_strdup(req->a, s), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t len = strlen(tok);
        while (len && tok[len - 1] == ' ')
            tok[--len] = '\0';
        if (len)
            out[(*n)++] = tok;
    }
    return out;
}

/* A loader's message about the uploaded file, with the file's own name for
 * the server's temporary path: "ragged.csv:3: row has 3 fields ...". */
static const char *file_message(struct web_req *req, const struct web_upload *up,
                                const struct err *ae)
{
    const char *dir_end = strrchr(up->path, '/');
    size_t dir_len = dir_end ? (size_t)(dir_end - up->path) + 1 : 0;
    struct sb sb = SB_INIT;
    if (ae->where[0])
        sb_addf(&sb, "%s: ", ae->where);
    sb_adds(&sb, ae->msg);
    /* Strip every occurrence of the temporary directory. */
    struct sb out = SB_INIT;
    const char *p = sb.buf;
    const char *hit;
    while (dir_len && (hit = strstr(p, arena_strndup(req->a, up->path, dir_len))) != NULL) {
        sb_add(&out, p, (size_t)(hit - p));
        p = hit + dir_len;
    }
    sb_adds(&out, p);
    const char *msg = arena_strdup(req->a, out.buf);
    sb_release(&sb);
    sb_release(&out);
    return msg;
}

static const struct web_upload *uploaded_file(struct web_req *req, size_t *n)
{
    const struct web_upload *first = NULL;
    *n = 0;
    for (size_t i = 0; i < req->n_uploads; i++)
        if (strcmp(req->uploads[i].field, "file") == 0) {
            if (!first)
                first = &req->uploads[i];
            (*n)++;
        }
    return first;
}

/* Loads the upload; a failure about the input goes on the form. */
static int load_upload(struct web_req *req, struct web_form *f, const struct web_upload *up,
                       struct app_dataset *out, struct err *e)
{
    size_t n_decl;
    const char *const *decl = column_decls(req, web__fv_or_null(f, "columns"), &n_decl);
    struct app_dataset_in in = {.name = web__fv(f, "name"),
                                .kind = web__fv(f, "kind"),
                                .path = up->path,
                                .columns = decl,
                                .n_columns = n_decl};
    struct err ae = ERR_INIT;
    int rc = app_dataset_load(req->app, req->a, &req->org, &in, out, &ae);
    if (rc == 0)
        return 0;
    if (rc != TL_EINPUT && rc != TL_EUSAGE && rc != TL_ECONFLICT) {
        *e = ae;
        return rc;
    }
    const char *msg = file_message(req, up, &ae);
    f->status = rc == TL_ECONFLICT ? 409 : 400;
    if (ae.where[0]) {
        web__form_fail(f, "file", msg); /* file:line: about the file's content */
    } else {
        snprintf(ae.msg, sizeof(ae.msg), "%s", msg);
        web__form_app_error(f, rc, &ae);
    }
    return 0;
}

/* POST /o/{org}/datasets and /api/v1/orgs/{org}/datasets (multipart). */
WEB__HANDLER(web__dataset_upload)
{
    if (req->upload_unavailable)
        return ERR_SET(e, TL_EUNSUPPORTED,
                       "dataset uploads need a vault: set TILLIT_VAULT to a directory");
    if (req->upload_failed)
        return ERR_SET(e, TL_EIO, "cannot write the uploaded file to the vault's directory");
    struct web_form f;
    web__form_init(&f, req, "dataset", dataset_fields, true);
    /* Even the API takes a multipart form here: the fields are form fields. */
    bool api = req->api;
    req->api = false;
    int rc = web__form_take(&f, e);
    req->api = api;
    if (rc) {
        web__form_release(&f);
        return rc;
    }
    web__form_check(&f);
    size_t n_files;
    const struct web_upload *up = uploaded_file(req, &n_files);
    if (n_files == 0)
        web__form_fail(&f, "file", web__t(req, "checks.ds_choose_file"));
    else if (n_files > 1)
        web__form_fail(&f, "file", web__t(req, "checks.ds_one_file"));
    struct app_dataset ds;
    if (web__form_ok(&f))
        rc = load_upload(req, &f, up, &ds, e);
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            web__json(resp, 201, dataset_json(req, &ds, true));
        } else {
            const char *to =
                web__org_path(req, arena_printf(req->a, "/datasets/%s", web__enc(req, ds.name)));
            web__redirect(resp, web__done(req, to, "loaded"));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = upload_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}
