/* requests.c - the auditor's request list (PBC) of an engagement in the
 * browser and the API: the list with filters, its exchange as CSV and XLSX
 * (written and read by the app itself, app_pbc_export and app_pbc_import,
 * so a file downloaded here imports back unchanged and matches the CLI's),
 * adding and editing requests, their status (submit, accept, return),
 * evidence attached and the comment thread.
 *
 * An import arrives as a multipart upload the server has already streamed
 * to a private file (server.c); the app reads it all or nothing and names
 * the line of a bad row.  The message names the file as the user called
 * it, never the server's temporary path.  The route table lets every
 * member in (APP_ENGAGE); the app checks the right each change needs in
 * the engagement with app_eng_authz().
 */
#include "web/web_impl.h"

#include "app/pbc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *requests_path(struct web_req *req)
{
    return web__eng_path(req, req->params[1], "/requests");
}

static const char *request_path(struct web_req *req, const char *ref)
{
    return web__eng_path(req, req->params[1],
                         arena_printf(req->a, "/requests/%s", web__enc(req, ref)));
}

static json_t *request_json(struct web_req *req, const struct app_pbc_item *it)
{
    json_t *o = json_object(), *ev = json_array(), *cm = json_array();
    web__set_str(o, "ref", it->ref);
    web__set_str(o, "request", it->request);
    web__set_str(o, "control", it->control);
    web__set_str(o, "owner", it->owner);
    web__set_str(o, "due", it->due);
    web__set_str(o, "status", it->status);
    web__set_str(o, "status_label", web__label(req, "requests.status", it->status));
    web__set_str(o, "requested_by", it->requested_by);
    web__set_str(o, "created_at", it->created_at);
    web__set_int(o, "version", (long long)it->version);
    for (size_t i = 0; i < it->n_evidence; i++)
        json_array_append_new(ev, web__str(it->evidence[i]));
    for (size_t i = 0; i < it->n_comments; i++) {
        json_t *c = json_object();
        web__set_str(c, "on", it->comments[i].on);
        web__set_str(c, "author", it->comments[i].author);
        web__set_str(c, "text", it->comments[i].text);
        json_array_append_new(cm, c);
    }
    web__set_int(o, "evidence_count", (long long)it->n_evidence);
    web__set_int(o, "comments_count", (long long)it->n_comments);
    json_object_set_new(o, "evidence", ev);
    json_object_set_new(o, "comments", cm);
    return o;
}

static int get_request(struct web_req *req, const char *ref, struct app_pbc_item *it, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_pbc_get(req->app, req->a, req->org.id, &who, req->params[1], ref, it, e);
}

static int request_out(struct web_req *req, const char *ref, json_t **out, struct err *e)
{
    struct app_pbc_item it;
    int rc = get_request(req, ref, &it, e);
    if (rc == 0)
        *out = request_json(req, &it);
    return rc;
}

/* --- the list ----------------------------------------------------------------------------- */

static const char *const request_cols[] = {"ref",    "request",  "control",  "owner", "due",
                                           "status", "evidence", "comments", NULL};

static int request_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_who who;
    struct app_pbc_item *it;
    size_t n;
    struct app_pbc_filter f = {.status = web__q(req, "status"), .owner = web__q(req, "owner")};
    web__eng_who(req, &who);
    int rc = web__input_error(
        app_pbc_list(req->app, req->a, req->org.id, &who, req->params[1], &f, &it, &n, e), e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, request_json(req, &it[i]));
    *rows = arr;
    return 0;
}

/* The whole list as the app writes it (CSV or XLSX, by ext): the file a
 * firm gets, which imports back unchanged. */
static int export_file(struct web_req *req, struct web_resp *resp, const char *ext, struct err *e)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = arena_printf(req->a, "%s/tillit-pbc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return ERR_SET(e, TL_EIO, "cannot create a temporary directory in '%s'",
                       tmp && *tmp ? tmp : "/tmp");
    const char *path = arena_printf(req->a, "%s/requests.%s", dir, ext);
    struct app_who who;
    web__eng_who(req, &who);
    int rc = app_pbc_export(req->app, req->a, req->org.id, &who, req->params[1], path, e);
    sb_reset(&resp->body);
    if (rc == 0)
        rc = sb_read_file(&resp->body, path, e);
    unlink(path);
    rmdir(dir);
    if (rc)
        return rc;
    bool xlsx = strcmp(ext, "xlsx") == 0;
    web__download(req, resp,
                  xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                       : "text/csv; charset=utf-8",
                  arena_printf(req->a, "%s-requests", req->params[1]), ext);
    return 0;
}

/* ?format=csv|xlsx: the app's file; true when it answered. */
static bool exported(struct web_req *req, struct web_resp *resp, int *rc, struct err *e)
{
    const char *format = web__q(req, "format");
    if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0))
        return false;
    *rc = export_file(req, resp, format, e);
    return true;
}

static const struct web_field import_fields[] = {{.name = "file",
                                                  .kind = WEB_FK_FILE,
                                                  .label = "requests.file",
                                                  .flags = WEB_FF_REQUIRED,
                                                  .hint = "requests.file_hint",
                                                  .match = "file"},
                                                 {0}};

/* The list page; import (may be NULL) is a failed import form to show. */
static int requests_page(struct web_req *req, struct web_resp *resp, struct web_form *import,
                         struct err *e)
{
    json_t *d = json_object(), *rows;
    int rc = web__fr_engagement(req, d, e);
    if (rc == 0)
        rc = request_rows(req, &rows, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    if (!import && web__export(req, resp, rows, request_cols,
                               arena_printf(req->a, "%s-requests", req->params[1]))) {
        json_decref(rows);
        json_decref(d);
        return 0;
    }
    const char *want = web__q(req, "status");
    json_t *statuses = json_array();
    for (size_t i = 0; app_pbc_statuses[i]; i++) {
        json_t *o = web__choice(app_pbc_statuses[i],
                                web__label(req, "requests.status", app_pbc_statuses[i]));
        web__set_bool(o, "selected", want && strcmp(want, app_pbc_statuses[i]) == 0);
        json_array_append_new(statuses, o);
    }
    json_object_set_new(d, "statuses", statuses);
    web__set_str(d, "owner", web__q(req, "owner"));
    web__set_str(d, "me", req->user ? web__enc(req, req->user->email) : NULL);
    static const char *const keys[] = {"status", "owner", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "requests", rows);
    struct web_form own;
    if (!import) {
        web__form_init(&own, req, "import", import_fields, true);
        import = &own;
    }
    if (json_is_true(json_object_get(json_object_get(d, "may"), "request")) ||
        !web__form_ok(import))
        json_object_set_new(d, "import_form",
                            web__form_data(import,
                                           web__eng_path(req, req->params[1], "/requests/import"),
                                           web__t(req, "requests.import_submit")));
    bool failed = !web__form_ok(import);
    int status = import->status;
    if (import == &own)
        web__form_release(&own);
    web__eng_flash(req, d, "findings");
    const char *added = web__q(req, "added"), *updated = web__q(req, "updated"),
               *unchanged = web__q(req, "unchanged");
    if (added && updated && unchanged && json_object_get(d, "flash"))
        web__set_str(d, "flash",
                     arena_printf(req->a, "%s %s %s, %s %s, %s %s",
                                  json_string_value(json_object_get(d, "flash")), added,
                                  web__t(req, "requests.added"), updated,
                                  web__t(req, "requests.updated"), unchanged,
                                  web__t(req, "requests.unchanged")));
    rc = web__page(req, resp, "requests", web__t(req, "requests.title"), d, e);
    if (failed)
        resp->status = status;
    return rc;
}

WEB__HANDLER(web__requests_page)
{
    int rc = 0;
    if (exported(req, resp, &rc, e))
        return rc;
    return requests_page(req, resp, NULL, e);
}

WEB__HANDLER(web__api_requests)
{
    json_t *rows = NULL;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0 && exported(req, resp, &rc, e))
        return rc;
    if (rc == 0)
        rc = request_rows(req, &rows, e);
    return web__send(resp, rc, &rows);
}

/* --- importing -------------------------------------------------------------------------------- */

/* msg with the temporary path replaced by the name the user gave the file. */
static const char *as_named(struct web_req *req, const char *msg, const char *path,
                            const char *name)
{
    struct sb sb = SB_INIT;
    size_t n = strlen(path);
    for (const char *p = msg; *p;) {
        if (strncmp(p, path, n) == 0) {
            sb_adds(&sb, name);
            p += n;
        } else {
            sb_addc(&sb, *p++);
        }
    }
    char *out = arena_strdup(req->a, sb.buf);
    sb_release(&sb);
    return out;
}

/* POST .../requests/import (multipart: "file"), pages and API. */
WEB__HANDLER(web__requests_import)
{
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = web__eng_need(req, APP_ENG_REQUEST, e);
    if (rc)
        return rc;
    if (req->upload_unavailable)
        return ERR_SET(e, TL_EUNSUPPORTED, "uploads need a vault: set TILLIT_VAULT to a directory");
    if (req->upload_failed)
        return ERR_SET(e, TL_EIO, "cannot write the uploaded file to the vault's directory");
    const struct web_upload *up = NULL;
    for (size_t i = 0; i < req->n_uploads && !up; i++)
        if (strcmp(req->uploads[i].field, "file") == 0)
            up = &req->uploads[i];
    struct web_form f;
    web__form_init(&f, req, "import", import_fields, true);
    struct app_pbc_import r;
    if (!up) {
        web__form_fail(&f, "file", web__t(req, "requests.choose_file"));
    } else {
        struct app_who who;
        struct err ae = ERR_INIT;
        web__eng_who(req, &who);
        rc = app_pbc_import(req->app, req->a, req->org.id, &who, req->params[1], up->path, &r, &ae);
        if (rc == TL_EINPUT || rc == TL_ECONFLICT || rc == TL_ENOTFOUND || rc == TL_EEXIST) {
            f.status = rc == TL_ECONFLICT || rc == TL_EEXIST ? 409 : 400;
            web__form_fail(&f, "file", as_named(req, ae.msg, up->path, up->name));
            rc = 0;
        } else if (rc) {
            *e = ae;
            snprintf(e->msg, sizeof(e->msg), "%s", as_named(req, ae.msg, up->path, up->name));
        }
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *o = json_object();
            web__set_int(o, "added", (long long)r.added);
            web__set_int(o, "updated", (long long)r.updated);
            web__set_int(o, "unchanged", (long long)r.unchanged);
            web__set_str(o, "ignored", r.ignored);
            web__json(resp, 200, o);
        } else {
            web__redirect(resp, arena_printf(req->a, "%s&added=%zu&updated=%zu&unchanged=%zu",
                                             web__done(req, requests_path(req), "imported"),
                                             r.added, r.updated, r.unchanged));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = requests_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}

/* --- adding and editing a request ----------------------------------------------------------- */

static const struct web_field request_fields[] = {
    {.name = "ref",
     .kind = WEB_FK_TEXT,
     .label = "requests.ref",
     .flags = WEB_FF_NEW_ONLY,
     .hint = "requests.ref_hint",
     .match = "ref|request ref",
     .max = 64},
    {.name = "request",
     .kind = WEB_FK_TEXTAREA,
     .label = "requests.request",
     .flags = WEB_FF_REQUIRED,
     .match = "request|text",
     .rows = 3,
     .max = 4000},
    {.name = "control",
     .kind = WEB_FK_TEXT,
     .label = "requests.control",
     .hint = "requests.control_hint",
     .match = "control",
     .datalist = "controls",
     .max = 64},
    {.name = "owner",
     .kind = WEB_FK_EMAIL,
     .label = "requests.owner",
     .hint = "requests.owner_hint",
     .match = "person|owner",
     .datalist = "people",
     .max = 254},
    {.name = "due", .kind = WEB_FK_DATE, .label = "requests.due", .match = "due|date"},
    {0}};

static const char *request_action(struct web_req *req, bool creating)
{
    return creating ? requests_path(req) : request_path(req, req->params[2]);
}

static const char *request_back(struct web_req *req)
{
    return req->n_params > 2 ? request_path(req, req->params[2]) : requests_path(req);
}

static const char *request_subject(struct web_req *req)
{
    return req->params[2];
}

/* The engagement (404), the right to request, and the suggestions. */
static int request_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_who who;
    struct app_control *c;
    size_t n;
    web__eng_who(req, &who);
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = web__eng_need_to_submit(req, APP_ENG_REQUEST, e);
    if (rc == 0)
        rc = app_engagement_scope(req->app, req->a, req->org.id, &who, req->params[1], &c, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__choice(c[i].code, c[i].title));
    web__form_datalist(f, "controls", arr);
    return web__people_datalist(f, e);
}

static int request_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_pbc_item it;
    int rc = get_request(req, req->params[2], &it, e);
    if (rc)
        return rc;
    web__form_set(f, "request", it.request);
    web__form_set(f, "control", it.control);
    web__form_set(f, "owner", it.owner);
    web__form_set(f, "due", it.due);
    return 0;
}

static int request_add(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_who who;
    struct app_pbc_item in = {.ref = web__fv_or_null(f, "ref"),
                              .request = web__fv(f, "request"),
                              .control = web__fv_or_null(f, "control"),
                              .owner = web__fv_or_null(f, "owner"),
                              .due = web__fv_or_null(f, "due")};
    web__eng_who(req, &who);
    return app_pbc_add(req->app, req->a, req->org.id, &who, req->params[1], &in, key, e);
}

/* The submitted value of name when it differs from was, else NULL. */
static const char *changed(const struct web_form *f, const char *name, const char *was)
{
    const char *v = web__fv(f, name);
    return v && strcmp(v, was ? was : "") != 0 ? v : NULL;
}

static int request_change(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_pbc_item it;
    int rc = get_request(req, req->params[2], &it, e);
    if (rc)
        return rc;
    *key = it.ref;
    struct app_pbc_item patch = {.request = changed(f, "request", it.request),
                                 .control = changed(f, "control", it.control),
                                 .owner = changed(f, "owner", it.owner),
                                 .due = changed(f, "due", it.due)};
    if (!patch.request && !patch.control && !patch.owner && !patch.due)
        return 0; /* prepare checked the right */
    struct app_who who;
    web__eng_who(req, &who);
    return app_pbc_edit(req->app, req->a, req->org.id, &who, req->params[1], it.ref, &patch, e);
}

static const char *request_done(struct web_req *req, const char *key, bool creating)
{
    return web__done(req, request_path(req, key), creating ? "request_added" : "request_saved");
}

static const struct web_formspec request_new_spec = {
    .id = "request",
    .fields = request_fields,
    .title_new = "requests.new",
    .title_edit = "requests.new",
    .intro = "requests.new_intro",
    .back_label = "requests.title",
    .back = request_back,
    .action = request_action,
    .prepare = request_prepare,
    .save = request_add,
    .done = request_done,
    .api_out = request_out,
};

static const struct web_formspec request_edit_spec = {
    .id = "request",
    .fields = request_fields,
    .title_new = "requests.edit",
    .title_edit = "requests.edit",
    .back_label = "requests.back_to_request",
    .back = request_back,
    .subject = request_subject,
    .action = request_action,
    .load = request_load,
    .prepare = request_prepare,
    .save = request_change,
    .done = request_done,
    .api_out = request_out,
};

WEB__HANDLER(web__request_new)
{
    return web__form_show(req, resp, &request_new_spec, true, e);
}

WEB__HANDLER(web__request_create)
{
    return web__form_submit(req, resp, &request_new_spec, true, e);
}

WEB__HANDLER(web__request_edit)
{
    return web__form_show(req, resp, &request_edit_spec, false, e);
}

/* POST .../requests/{ref}, PATCH in the API. */
WEB__HANDLER(web__request_update)
{
    int rc = web__fr_engagement(req, NULL, e);
    return rc ? rc : web__form_submit(req, resp, &request_edit_spec, false, e);
}

/* --- a request's page: status, evidence, comments --------------------------------------------- */

static const struct web_field status_fields[] = {{.name = "status",
                                                  .kind = WEB_FK_SELECT,
                                                  .label = "requests.status_label",
                                                  .flags = WEB_FF_REQUIRED,
                                                  .options = app_pbc_statuses,
                                                  .option_labels = "requests.status",
                                                  .match = "status"},
                                                 {0}};

static const struct web_field attach_fields[] = {{.name = "evidence",
                                                  .kind = WEB_FK_TEXT,
                                                  .label = "requests.evidence_ids",
                                                  .flags = WEB_FF_REQUIRED,
                                                  .hint = "requests.evidence_hint",
                                                  .match = "evidence",
                                                  .datalist = "evidence",
                                                  .max = 2000},
                                                 {0}};

static const struct web_field comment_fields[] = {{.name = "text",
                                                   .kind = WEB_FK_TEXT,
                                                   .label = "requests.comment",
                                                   .flags = WEB_FF_REQUIRED,
                                                   .hint = "requests.comment_hint",
                                                   .match = "comment|text",
                                                   .max = 2000},
                                                  {0}};

/* The moves the item's status allows, for the buttons the user may press. */
static json_t *status_moves(struct web_req *req, const char *status, json_t *m)
{
    static const struct {
        const char *from, *to, *label;
        const char *right; /* key of "may" */
    } moves[] = {{"open", "submitted", "requests.do_submit", "provide"},
                 {"returned", "submitted", "requests.do_submit", "provide"},
                 {"submitted", "accepted", "requests.do_accept", "request"},
                 {"submitted", "returned", "requests.do_return", "request"},
                 {"accepted", "open", "requests.do_reopen", "request"}};
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
        if (strcmp(moves[i].from, status) != 0 || !json_is_true(json_object_get(m, moves[i].right)))
            continue;
        json_t *o = json_object();
        web__set_str(o, "status", moves[i].to);
        web__set_str(o, "label", web__t(req, moves[i].label));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The evidence of the engagement as suggestions for the attach form. */
static int evidence_datalist(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_who who;
    struct app_evidence *ev;
    size_t n;
    web__eng_who(req, &who);
    int rc =
        app_engagement_evidence(req->app, req->a, req->org.id, &who, req->params[1], &ev, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__choice(ev[i].id, ev[i].name));
    web__form_datalist(f, "evidence", arr);
    return 0;
}

/* The page of request req->params[2]; failed (may be NULL) is the form of
 * that id whose submission failed, shown with its messages. */
static int request_page(struct web_req *req, struct web_resp *resp, struct web_form *failed,
                        struct err *e)
{
    struct app_pbc_item it;
    json_t *d = json_object();
    int rc = web__fr_engagement(req, d, e);
    if (rc == 0)
        rc = get_request(req, req->params[2], &it, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    json_t *m = json_object_get(d, "may");
    const char *path = request_path(req, it.ref);
    json_object_set_new(d, "item", request_json(req, &it));
    json_object_set_new(d, "moves", status_moves(req, it.status, m));
    web__set_str(d, "path", path);
    struct web_form attach, comment;
    web__form_init(&attach, req, "attach", attach_fields, true);
    web__form_init(&comment, req, "comment", comment_fields, true);
    struct web_form *fa = failed && strcmp(failed->id, "attach") == 0 ? failed : &attach;
    struct web_form *fc = failed && strcmp(failed->id, "comment") == 0 ? failed : &comment;
    if (failed && strcmp(failed->id, "status") == 0) {
        const char *key;
        json_t *v;
        json_object_foreach(failed->errors, key, v)
            web__set_str(d, "status_error", json_string_value(v));
        if (failed->error)
            web__set_str(d, "status_error", failed->error);
    }
    if (json_is_true(json_object_get(m, "provide"))) {
        json_object_clear(fa->datalists);
        rc = evidence_datalist(req, fa, e);
        if (rc == 0)
            json_object_set_new(d, "attach_form",
                                web__form_data(fa, arena_printf(req->a, "%s/attach", path),
                                               web__t(req, "requests.attach_submit")));
    }
    if (rc == 0 && json_is_true(json_object_get(m, "comment")))
        json_object_set_new(d, "comment_form",
                            web__form_data(fc, arena_printf(req->a, "%s/comments", path),
                                           web__t(req, "requests.comment_submit")));
    web__form_release(&attach);
    web__form_release(&comment);
    if (rc) {
        json_decref(d);
        return rc;
    }
    web__eng_flash(req, d, "findings");
    rc = web__page(req, resp, "request", arena_printf(req->a, "%s %s", it.ref, it.request), d, e);
    if (failed)
        resp->status = failed->status;
    return rc;
}

WEB__HANDLER(web__request_page)
{
    return request_page(req, resp, NULL, e);
}

WEB__HANDLER(web__api_request)
{
    json_t *out = NULL;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = request_out(req, req->params[2], &out, e);
    return web__send(resp, rc, &out);
}

WEB__HANDLER(web__api_request_comments)
{
    struct app_pbc_item it;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = get_request(req, req->params[2], &it, e);
    if (rc)
        return rc;
    json_t *o = request_json(req, &it);
    json_t *comments = json_incref(json_object_get(o, "comments"));
    json_decref(o);
    web__json(resp, 200, comments);
    return 0;
}

/* A change by one small form: the request must exist (404), the form is
 * taken and checked, then act() calls the app.  Success redirects to the
 * request's page with done (the API answers with the request, status
 * api_status); an invalid or refused change shows the page again. */
static int small_form(struct web_req *req, struct web_resp *resp, const char *id,
                      const struct web_field *fields, const char *done, int api_status,
                      int (*allowed)(struct web_req *req, struct err *e),
                      int (*act)(struct web_req *req, struct web_form *f, struct err *e),
                      struct err *e)
{
    struct app_pbc_item it;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = get_request(req, req->params[2], &it, e);
    if (rc == 0)
        rc = allowed(req, e); /* who may not gets 403 before any message about the form */
    if (rc)
        return rc;
    struct web_form f;
    web__form_init(&f, req, id, fields, true);
    rc = web__form_take(&f, e);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    if (rc == 0 && web__form_check(&f)) {
        struct err ae = ERR_INIT;
        rc = act(req, &f, &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *out;
            rc = request_out(req, it.ref, &out, e);
            if (rc == 0)
                web__json(resp, api_status, out);
        } else {
            web__redirect(resp, web__done(req, request_path(req, it.ref), done));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = request_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}

/* A status change needs the right to provide or the right to request
 * (which one, the app says by the status asked for). */
static int may_move(struct web_req *req, struct err *e)
{
    int rc = web__eng_need(req, APP_ENG_PROVIDE, e);
    return rc == TL_EPERM ? web__eng_need(req, APP_ENG_REQUEST, e) : rc;
}

static int may_provide(struct web_req *req, struct err *e)
{
    return web__eng_need(req, APP_ENG_PROVIDE, e);
}

static int may_comment(struct web_req *req, struct err *e)
{
    return web__eng_need(req, APP_ENG_COMMENT, e);
}

static int set_status(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_pbc_set_status(req->app, req->a, req->org.id, &who, req->params[1], req->params[2],
                              web__fv(f, "status"), e);
}

static int attach(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_pbc_attach(req->app, req->a, req->org.id, &who, req->params[1], req->params[2],
                          web__fv(f, "evidence"), e);
}

static int comment(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_pbc_comment(req->app, req->a, req->org.id, &who, req->params[1], req->params[2],
                           web__fv(f, "text"), e);
}

/* POST .../requests/{ref}/status, pages and API. */
WEB__HANDLER(web__request_status)
{
    const char *to = web__f(req, "status");
    const char *done = "request_status";
    if (to && strcmp(to, "submitted") == 0)
        done = "request_submitted";
    else if (to && strcmp(to, "accepted") == 0)
        done = "request_accepted";
    else if (to && strcmp(to, "returned") == 0)
        done = "request_returned";
    return small_form(req, resp, "status", status_fields, done, 200, may_move, set_status, e);
}

/* POST .../requests/{ref}/attach, and .../evidence in the API. */
WEB__HANDLER(web__request_attach)
{
    return small_form(req, resp, "attach", attach_fields, "request_attached", 200, may_provide,
                      attach, e);
}

/* POST .../requests/{ref}/comments, pages and API. */
WEB__HANDLER(web__request_comment)
{
    return small_form(req, resp, "comment", comment_fields, "request_commented", 201, may_comment,
                      comment, e);
}
