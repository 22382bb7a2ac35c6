/* evidence.c - evidence in the browser: the list with each item's age,
 * what is missing or stale (due), coverage over a period, an item's page,
 * downloading its file, and uploading new files.
 *
 * Uploads arrive as files the server has already streamed to a private
 * temporary directory under the vault (server.c, never whole in memory);
 * app_evidence_add() then copies them into the vault by path, hashing as
 * it copies.  Downloads stream the blob from the vault by descriptor, as
 * an attachment with the X-Content-Type-Options: nosniff every response
 * has, so a browser never renders evidence as a page of this site.
 */
#include "web/web_impl.h"

#include "app/control.h"
#include "app/evidence.h"
#include "base/date.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *period_of(struct web_req *req, const struct app_evidence *ev)
{
    return strcmp(ev->period_start, ev->period_end) == 0
               ? ev->period_start
               : arena_printf(req->a, "%s..%s", ev->period_start, ev->period_end);
}

static json_t *evidence_json(struct web_req *req, const struct app_evidence *ev)
{
    json_t *o = json_object(), *ctl = json_array();
    web__set_str(o, "id", ev->id);
    web__set_str(o, "short_id", arena_strndup(req->a, ev->id, 8));
    web__set_str(o, "name", ev->name);
    web__set_str(o, "media_type", ev->media_type);
    web__set_int(o, "size", (long long)ev->size);
    web__set_str(o, "sha256", ev->sha256);
    web__set_str(o, "period_start", ev->period_start);
    web__set_str(o, "period_end", ev->period_end);
    web__set_str(o, "period", period_of(req, ev));
    web__set_str(o, "source", ev->source);
    web__set_str(o, "note", ev->note);
    web__set_str(o, "added_by", ev->added_by);
    web__set_str(o, "added_at", ev->added_at);
    web__set_str(o, "superseded_by", ev->superseded_by);
    /* Age: days since the end of the period the item shows. */
    tl_date end, today = time_date(req->app->now);
    struct err de = ERR_INIT;
    if (date_parse(ev->period_end, &end, &de) == 0)
        web__set_int(o, "age_days", (long long)(today - end));
    else
        json_object_set_new(o, "age_days", json_null());
    for (size_t i = 0; i < ev->n_controls; i++)
        json_array_append_new(ctl, web__str(ev->controls[i]));
    json_object_set_new(o, "controls", ctl);
    return o;
}

/* --- the list --------------------------------------------------------------------- */

static const char *const evidence_cols[] = {
    "id",       "name",   "media_type", "size",     "period_start",  "period_end", "age_days",
    "controls", "source", "added_by",   "added_at", "superseded_by", "sha256",     NULL};

static int evidence_rows(struct web_req *req, json_t **rows, struct err *e)
{
    const char *control = web__q(req, "control");
    struct app_evidence *ev;
    size_t n;
    if (control) {
        struct app_control c;
        int rc =
            web__input_error(app_control_get(req->app, req->a, req->org.id, control, &c, e), e);
        if (rc)
            return rc;
    }
    int rc = app_evidence_list(req->app, req->a, req->org.id, control, web__q(req, "all") != NULL,
                               &ev, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, evidence_json(req, &ev[i]));
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__evidence_page)
{
    json_t *rows;
    struct app_evidence_due *due;
    size_t n_due;
    int rc = evidence_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, evidence_cols, "evidence")) {
        json_decref(rows);
        return 0;
    }
    rc = app_evidence_due(req->app, req->a, req->org.id, &due, &n_due, e);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    size_t stale = 0;
    for (size_t i = 0; i < n_due; i++)
        stale += strcmp(due[i].state, "stale") == 0;
    json_t *d = json_object();
    web__set_int(d, "due_stale", (long long)stale);
    web__set_int(d, "due_missing", (long long)(n_due - stale));
    web__set_str(d, "control", web__q(req, "control"));
    web__set_bool(d, "all", web__q(req, "all") != NULL);
    static const char *const keys[] = {"control", "all", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "items", rows);
    return web__page(req, resp, "evidence", web__t(req, "evidence.title"), d, e);
}

WEB__HANDLER(web__api_evidence)
{
    json_t *rows = NULL;
    return web__send(resp, evidence_rows(req, &rows, e), &rows);
}

/* --- due ---------------------------------------------------------------------------- */

static const char *const due_cols[] = {"owner", "code",  "title",     "frequency", "window_days",
                                       "last",  "state", "days_late", NULL};

static int due_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_evidence_due *d;
    size_t n;
    int rc = app_evidence_due(req->app, req->a, req->org.id, &d, &n, e);
    if (rc)
        return rc;
    const char *state = web__q(req, "state");
    if (state && strcmp(state, "stale") != 0 && strcmp(state, "missing") != 0)
        return ERR_SET(e, TL_EINPUT, "unknown state '%s' (expected one of: stale, missing)", state);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (state && strcmp(state, d[i].state) != 0)
            continue;
        json_t *o = json_object();
        web__set_str(o, "owner", d[i].owner);
        web__set_str(o, "code", d[i].code);
        web__set_str(o, "title", d[i].title);
        web__set_str(o, "frequency", d[i].frequency);
        web__set_str(o, "frequency_label", web__label(req, "frequency", d[i].frequency));
        web__set_int(o, "window_days", d[i].window);
        web__set_str(o, "last", d[i].last);
        web__set_str(o, "state", d[i].state);
        web__set_str(o, "state_label", web__label(req, "due", d[i].state));
        if (d[i].last)
            web__set_int(o, "days_late", d[i].days_late);
        else
            json_object_set_new(o, "days_late", json_null());
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__evidence_due_page)
{
    json_t *rows;
    int rc = due_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, due_cols, "evidence-due")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object(), *states = json_array();
    const char *state = web__q(req, "state");
    static const char *const names[] = {"stale", "missing"};
    for (size_t i = 0; i < 2; i++) {
        json_t *o = web__choice(names[i], web__label(req, "due", names[i]));
        web__set_bool(o, "selected", state && strcmp(state, names[i]) == 0);
        json_array_append_new(states, o);
    }
    json_object_set_new(d, "states", states);
    static const char *const keys[] = {"state", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "due", rows);
    return web__page(req, resp, "evidence_due", web__t(req, "evidence.due_title"), d, e);
}

WEB__HANDLER(web__api_evidence_due)
{
    json_t *rows = NULL;
    return web__send(resp, due_rows(req, &rows, e), &rows);
}

/* --- coverage ------------------------------------------------------------------------ */

static const char *const cov_cols[] = {"code",    "title",   "owner",   "frequency", "expected",
                                       "covered", "periods", "outside", "state",     NULL};

/* The period asked for, else the twelve months up to today. */
static const char *cov_period(struct web_req *req)
{
    const char *p = web__q(req, "period");
    if (p)
        return p;
    tl_date today = time_date(req->app->now);
    char a[DATE_BUF], b[DATE_BUF];
    date_format(date_add_months(today, -12) + 1, a);
    date_format(today, b);
    return arena_printf(req->a, "%s..%s", a, b);
}

static int cov_rows(struct web_req *req, const char *period, json_t **rows, struct err *e)
{
    struct app_evidence_cov *c;
    size_t n;
    int rc = app_evidence_coverage(req->app, req->a, req->org.id, period, &c, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        const char *state = eng_cov_state_name(c[i].cov.state);
        web__set_str(o, "code", c[i].code);
        web__set_str(o, "title", c[i].title);
        web__set_str(o, "owner", c[i].owner);
        web__set_str(o, "frequency", c[i].frequency);
        web__set_str(o, "frequency_label", web__label(req, "frequency", c[i].frequency));
        web__set_int(o, "expected", c[i].cov.expected);
        web__set_int(o, "covered", c[i].cov.covered);
        web__set_int(o, "periods", c[i].cov.periods);
        web__set_int(o, "outside", c[i].cov.outside);
        web__set_int(o, "percent",
                     c[i].cov.expected ? 100 * c[i].cov.covered / c[i].cov.expected : 0);
        web__set_str(o, "state", state);
        web__set_str(o, "state_label", web__label(req, "coverage", state));
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__evidence_coverage_page)
{
    const char *period = cov_period(req);
    json_t *rows;
    int rc = cov_rows(req, period, &rows, e);
    if (rc == TL_EINPUT && !req->api) {
        /* A bad period is shown next to its field, with the default's rows. */
        json_t *d = json_object();
        web__set_str(d, "period", period);
        web__set_str(d, "period_error", e->msg);
        json_object_set_new(d, "rows", json_array());
        rc = web__page(req, resp, "coverage", web__t(req, "evidence.coverage_title"), d, e);
        resp->status = 400;
        return rc;
    }
    if (rc)
        return rc;
    if (web__export(req, resp, rows, cov_cols, "evidence-coverage")) {
        json_decref(rows);
        return 0;
    }
    size_t covered = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        covered += strcmp(json_string_value(json_object_get(row, "state")), "covered") == 0;
    }
    json_t *d = json_object();
    web__set_str(d, "period", period);
    web__set_str(d, "filter_query", arena_printf(req->a, "&period=%s", web__enc(req, period)));
    web__set_int(d, "covered", (long long)covered);
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "rows", rows);
    return web__page(req, resp, "coverage", web__t(req, "evidence.coverage_title"), d, e);
}

WEB__HANDLER(web__api_evidence_coverage)
{
    json_t *rows = NULL;
    return web__send(resp, cov_rows(req, cov_period(req), &rows, e), &rows);
}

/* --- one item ----------------------------------------------------------------------------- */

WEB__HANDLER(web__evidence_item_page)
{
    struct app_evidence ev;
    int rc = app_evidence_get(req->app, req->a, req->org.id, req->params[1], &ev, e);
    if (rc == TL_EINPUT)
        rc = ERR_SET(e, TL_ENOTFOUND, "no evidence '%s'", req->params[1]);
    if (rc)
        return rc;
    json_t *d = json_object();
    json_object_set_new(d, "item", evidence_json(req, &ev));
    return web__page(req, resp, "evidence_item", ev.name, d, e);
}

WEB__HANDLER(web__api_evidence_item)
{
    struct app_evidence ev;
    int rc = app_evidence_get(req->app, req->a, req->org.id, req->params[1], &ev, e);
    if (rc == TL_EINPUT)
        rc = ERR_SET(e, TL_ENOTFOUND, "no evidence '%s'", req->params[1]);
    if (rc == 0)
        web__json(resp, 200, evidence_json(req, &ev));
    return rc;
}

/* The original name for Content-Disposition: an ASCII fallback without
 * quotes, backslashes or control characters, and the exact UTF-8 name
 * percent-encoded in filename* (RFC 6266). */
static const char *disposition(struct web_req *req, const char *name)
{
    char *ascii = arena_strdup(req->a, name);
    for (char *p = ascii; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '"' || *p == '\\' ||
            *p == ';')
            *p = '_';
    return arena_printf(req->a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii,
                        web__enc(req, name));
}

/* GET /o/{org}/evidence/{id}/download and /api/v1/orgs/{org}/evidence/{id}/content. */
WEB__HANDLER(web__evidence_download)
{
    struct app_evidence ev;
    struct vault v;
    int rc = app_evidence_get(req->app, req->a, req->org.id, req->params[1], &ev, e);
    if (rc == TL_EINPUT)
        rc = ERR_SET(e, TL_ENOTFOUND, "no evidence '%s'", req->params[1]);
    if (rc == 0)
        rc = app_vault(req->app, req->a, &v, e);
    if (rc)
        return rc;
    const char *path = vault_path(&v, req->a, ev.sha256);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (int64_t)st.st_size != ev.size) {
        if (fd >= 0)
            close(fd);
        return ERR_SET(e, TL_EIO, "the file of evidence '%s' is missing from the vault", ev.id);
    }
    sb_reset(&resp->body);
    resp->status = 200;
    resp->file_fd = fd;
    resp->file_size = (uint64_t)st.st_size;
    resp->content_type =
        ev.media_type && *ev.media_type ? ev.media_type : "application/octet-stream";
    web_resp_header(resp, "Content-Disposition", disposition(req, ev.name));
    return 0;
}

/* --- uploading ---------------------------------------------------------------------------- */

static const struct web_field upload_fields[] = {
    {.name = "file",
     .kind = WEB_FK_FILE,
     .label = "evidence.file",
     .flags = WEB_FF_REQUIRED | WEB_FF_MULTIPLE,
     .hint = "evidence.file_hint",
     .match = "file|empty|larger"},
    {.name = "controls",
     .kind = WEB_FK_TEXT,
     .label = "evidence.controls",
     .flags = WEB_FF_REQUIRED,
     .hint = "evidence.controls_hint",
     .match = "control|controls",
     .datalist = "controls",
     .max = 2000},
    {.name = "period_start",
     .kind = WEB_FK_DATE,
     .label = "evidence.period_start",
     .hint = "evidence.period_hint",
     .match = "period|date"},
    {.name = "period_end", .kind = WEB_FK_DATE, .label = "evidence.period_end"},
    {.name = "source",
     .kind = WEB_FK_TEXT,
     .label = "evidence.source",
     .hint = "evidence.source_hint",
     .max = 500},
    {.name = "note", .kind = WEB_FK_TEXTAREA, .label = "evidence.note", .rows = 3, .max = 4000},
    {0}};

static int upload_page(struct web_req *req, struct web_resp *resp, struct web_form *f,
                       struct err *e)
{
    struct app_control *c;
    size_t n;
    int rc = app_control_list(req->app, req->a, req->org.id, NULL, &c, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__choice(c[i].code, c[i].title));
    web__form_datalist(f, "controls", arr);
    json_t *d = json_object();
    const char *title = web__t(req, "evidence.upload");
    web__set_str(d, "heading", title);
    web__set_str(d, "back", web__org_path(req, "/evidence"));
    web__set_str(d, "back_label", web__t(req, "evidence.title"));
    web__set_str(d, "intro", web__t(req, "evidence.upload_intro"));
    json_object_set_new(
        d, "form",
        web__form_data(f, web__org_path(req, "/evidence"), web__t(req, "evidence.upload_submit")));
    bool failed = !web__form_ok(f);
    rc = web__page(req, resp, "form", title, d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

WEB__HANDLER(web__evidence_new)
{
    struct web_form f;
    web__form_init(&f, req, "evidence", upload_fields, true);
    web__form_set(&f, "controls", web__q(req, "control"));
    int rc = upload_page(req, resp, &f, e);
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/evidence and /api/v1/orgs/{org}/evidence (multipart). */
WEB__HANDLER(web__evidence_upload)
{
    if (req->upload_unavailable)
        return ERR_SET(e, TL_EUNSUPPORTED,
                       "evidence uploads need a vault: set TILLIT_VAULT to a directory");
    if (req->upload_failed)
        return ERR_SET(e, TL_EIO, "cannot write the uploaded file to the vault's directory");
    struct web_form f;
    web__form_init(&f, req, "evidence", upload_fields, true);
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
    const char **files = arena_calloc(req->a, req->n_uploads + 1, sizeof(*files));
    size_t n_files = 0;
    for (size_t i = 0; i < req->n_uploads; i++)
        if (strcmp(req->uploads[i].field, "file") == 0)
            files[n_files++] = req->uploads[i].path;
    if (n_files == 0)
        web__form_fail(&f, "file", web__t(req, "evidence.choose_file"));
    const char *start = web__fv_or_null(&f, "period_start"),
               *end = web__fv_or_null(&f, "period_end");
    if (end && !start)
        web__form_fail(&f, "period_start", web__t(req, "evidence.start_needed"));
    struct app_evidence *out = NULL;
    if (web__form_ok(&f)) {
        struct app_evidence_in in = {
            .files = files,
            .n_files = n_files,
            .controls = web__fv(&f, "controls"),
            .period = start && end ? arena_printf(req->a, "%s..%s", start, end) : start,
            .source = web__fv(&f, "source"),
            .note = web__fv(&f, "note")};
        struct err ae = ERR_INIT;
        rc = app_evidence_add(req->app, req->a, req->org.id, &in, &out, &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *arr = json_array();
            for (size_t i = 0; i < n_files; i++)
                json_array_append_new(arr, evidence_json(req, &out[i]));
            web__json(resp, 201, arr);
        } else {
            const char *to = n_files == 1
                                 ? web__org_path(req, arena_printf(req->a, "/evidence/%s",
                                                                   web__enc(req, out[0].id)))
                                 : web__org_path(req, "/evidence");
            web__redirect(resp, web__done(req, to, "uploaded"));
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
