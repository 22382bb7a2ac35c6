/* findings.c - findings and remediation of an engagement in the browser
 * and the API: the findings with filters and exports, raising a finding
 * from a test's exceptions, management's response and the auditor's root
 * cause, remediation items with their owner and due date, and retests.
 *
 * Every change goes through the app (src/app/testing.h), which checks the
 * user's rights in the engagement with app_eng_authz(): the route table
 * lets every member in (APP_ENGAGE) and the app refuses what the role may
 * not do (403), what a concluded engagement no longer takes (409 with the
 * app's message) and what is invalid (400).  A finding or remediation item
 * of another engagement is 404 here, as one that does not exist.
 */
#include "web/web_impl.h"

#include "app/testing.h"
#include "base/date.h"
#include "domain/program.h"

#include <string.h>

static bool may(struct web_req *req, enum app_eng_right right)
{
    return web__eng_may(req, req->params[1], right);
}

/* --- shared with requests.c ---------------------------------------------------------- */

int web__fr_engagement(struct web_req *req, json_t *data, struct err *e)
{
    struct app_who who;
    struct app_engagement eng;
    web__eng_who(req, &who);
    int rc = app_engagement_get(req->app, req->a, req->org.id, &who, req->params[1], &eng, e);
    if (rc || !data)
        return rc;
    bool open = strcmp(eng.phase, "concluded") != 0;
    json_t *o = json_object(), *m = json_object();
    web__set_str(o, "slug", eng.slug);
    web__set_str(o, "kind", eng.kind);
    web__set_str(o, "phase", eng.phase);
    web__set_str(o, "path", web__eng_path(req, req->params[1], NULL));
    web__set_bool(o, "concluded", !open);
    json_object_set_new(data, "eng", o);
    bool respond = may(req, APP_ENG_RESPOND), workpaper = may(req, APP_ENG_WORKPAPER);
    web__set_bool(m, "workpaper", open && workpaper);
    web__set_bool(m, "respond", open && respond);
    web__set_bool(m, "edit_finding", respond || workpaper); /* the status outlives the audit */
    web__set_bool(m, "remediate", respond);                 /* remediation outlives the audit */
    web__set_bool(m, "retest", open && may(req, APP_ENG_PLAN));
    web__set_bool(m, "request", open && may(req, APP_ENG_REQUEST));
    web__set_bool(m, "provide", open && may(req, APP_ENG_PROVIDE));
    web__set_bool(m, "comment", open && may(req, APP_ENG_COMMENT));
    json_object_set_new(data, "may", m);
    return 0;
}

/* --- JSON ---------------------------------------------------------------------------- */

static const char *today(struct web_req *req)
{
    char buf[DATE_BUF];
    date_format(time_date(req->app->now), buf);
    return arena_strdup(req->a, buf);
}

static json_t *finding_json(struct web_req *req, const struct app_finding *f)
{
    json_t *o = json_object(), *items = json_array();
    web__set_str(o, "code", f->code);
    web__set_str(o, "engagement", f->engagement);
    web__set_str(o, "test", f->test);
    web__set_str(o, "control", f->control);
    web__set_str(o, "title", f->title);
    web__set_str(o, "description", f->description);
    web__set_str(o, "severity", f->severity);
    web__set_str(o, "severity_label", web__label(req, "findings.severity", f->severity));
    web__set_str(o, "status", f->status);
    web__set_str(o, "status_label", web__label(req, "findings.status", f->status));
    web__set_str(o, "root_cause", f->root_cause);
    web__set_str(o, "response", f->response);
    web__set_str(o, "created_at", f->created_at);
    web__set_int(o, "version", (long long)f->version);
    for (size_t i = 0; i < f->n_items; i++)
        json_array_append_new(items, web__str(f->items[i]));
    json_object_set_new(o, "items", items);
    return o;
}

static json_t *remediation_json(struct web_req *req, const struct app_remediation *r,
                                const char *control)
{
    json_t *o = json_object();
    bool done = strcmp(r->status, "done") == 0;
    web__set_str(o, "code", r->code);
    web__set_str(o, "finding", r->finding);
    web__set_str(o, "control", control);
    web__set_str(o, "action", r->action);
    web__set_str(o, "owner", r->owner);
    web__set_str(o, "due", r->due);
    web__set_str(o, "status", r->status);
    web__set_str(o, "status_label", web__label(req, "findings.rem_status", r->status));
    web__set_str(o, "done_on", r->done_on);
    web__set_bool(o, "late", !done && r->due && strcmp(r->due, today(req)) < 0);
    web__set_bool(o, "is_done", done);
    web__set_str(o, "retest", r->retest);
    web__set_bool(o, "can_retest", done && !r->retest);
    web__set_str(o, "created_at", r->created_at);
    web__set_int(o, "version", (long long)r->version);
    return o;
}

/* --- reading ------------------------------------------------------------------------- */

/* Finding code of this engagement (404 for one of another engagement). */
static int get_finding(struct web_req *req, const char *code, struct app_finding *f, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    int rc = app_finding_get(req->app, req->a, req->org.id, &who, code, f, e);
    if (rc == 0 && strcmp(f->engagement, req->params[1]) != 0)
        rc = ERR_SET(e, TL_ENOTFOUND, "no finding '%s' in engagement '%s'", code, req->params[1]);
    return rc;
}

/* The findings of the engagement. */
static int list_findings(struct web_req *req, struct app_finding **f, size_t *n, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_finding_list(req->app, req->a, req->org.id, &who, req->params[1], f, n, e);
}

/* A query filter that must be one of list (NULL when absent). */
static int enum_filter(struct web_req *req, const char *key, const char *const *list,
                       const char *what, const char **out, struct err *e)
{
    *out = web__q(req, key);
    if (*out && dom_enum_check(list, *out, what, e) != 0)
        return TL_EINPUT;
    return 0;
}

static const char *const finding_cols[] = {"code",     "control",    "test",       "title",
                                           "severity", "status",     "root_cause", "response",
                                           "items",    "created_at", NULL};

static int finding_rows(struct web_req *req, json_t **rows, struct err *e)
{
    const char *severity, *status;
    struct app_finding *f;
    size_t n;
    int rc = enum_filter(req, "severity", app_finding_severities, "severity", &severity, e);
    if (rc == 0)
        rc = enum_filter(req, "status", app_finding_statuses, "finding status", &status, e);
    if (rc == 0)
        rc = list_findings(req, &f, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if ((severity && strcmp(severity, f[i].severity) != 0) ||
            (status && strcmp(status, f[i].status) != 0))
            continue;
        json_array_append_new(arr, finding_json(req, &f[i]));
    }
    *rows = arr;
    return 0;
}

/* Choices of a filter select, the one asked for selected. */
static json_t *filter_choices(struct web_req *req, const char *key, const char *const *list,
                              const char *group)
{
    const char *want = web__q(req, key);
    json_t *arr = json_array();
    for (size_t i = 0; list[i]; i++) {
        json_t *o = web__choice(list[i], web__label(req, group, list[i]));
        web__set_bool(o, "selected", want && strcmp(want, list[i]) == 0);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The remediation items of the engagement's findings (of one finding
 * when finding is not NULL), with each finding's control. */
static int remediation_rows(struct web_req *req, const char *finding, bool filtered, json_t **rows,
                            struct err *e)
{
    struct app_who who;
    struct app_finding *f;
    struct app_remediation *r;
    size_t n_f, n_r;
    const char *status = NULL, *owner = filtered ? web__q(req, "owner") : NULL;
    bool late_only = filtered && web__q(req, "late") != NULL;
    int rc = filtered ? enum_filter(req, "status", app_remediation_statuses, "remediation status",
                                    &status, e)
                      : 0;
    web__eng_who(req, &who);
    if (rc == 0)
        rc = list_findings(req, &f, &n_f, e);
    if (rc == 0)
        rc = app_remediation_list(req->app, req->a, req->org.id, &who, finding, &r, &n_r, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n_r; i++) {
        const struct app_finding *of = NULL;
        for (size_t k = 0; k < n_f && !of; k++)
            if (strcmp(f[k].code, r[i].finding) == 0)
                of = &f[k];
        if (!of || (status && strcmp(status, r[i].status) != 0) ||
            (owner && (!r[i].owner || strcmp(owner, r[i].owner) != 0)))
            continue;
        json_t *o = remediation_json(req, &r[i], of->control);
        if (late_only && !json_is_true(json_object_get(o, "late"))) {
            json_decref(o);
            continue;
        }
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

/* Remediation item code of this engagement as JSON. */
static int remediation_item(struct web_req *req, const char *code, json_t **out, struct err *e)
{
    json_t *rows;
    int rc = remediation_rows(req, NULL, false, &rows, e);
    if (rc)
        return rc;
    size_t i;
    json_t *o;
    *out = NULL;
    json_array_foreach(rows, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "code")), code) == 0) {
            *out = json_incref(o);
            break;
        }
    }
    json_decref(rows);
    if (!*out)
        return ERR_SET(e, TL_ENOTFOUND, "no remediation item '%s' in engagement '%s'", code,
                       req->params[1]);
    return 0;
}

/* A finding with its remediation items, for its page and the API. */
static int finding_detail(struct web_req *req, const char *code, json_t **out, struct err *e)
{
    struct app_finding f;
    json_t *rem;
    int rc = get_finding(req, code, &f, e);
    if (rc == 0)
        rc = remediation_rows(req, code, false, &rem, e);
    if (rc)
        return rc;
    json_t *o = finding_json(req, &f);
    json_object_set_new(o, "remediation", rem);
    *out = o;
    return 0;
}

/* --- the list --------------------------------------------------------------------------- */

WEB__HANDLER(web__findings_page)
{
    json_t *d = json_object(), *rows;
    int rc = web__fr_engagement(req, d, e);
    if (rc == 0)
        rc = finding_rows(req, &rows, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    if (web__export(req, resp, rows, finding_cols,
                    arena_printf(req->a, "%s-findings", req->params[1]))) {
        json_decref(rows);
        json_decref(d);
        return 0;
    }
    json_object_set_new(
        d, "severities",
        filter_choices(req, "severity", app_finding_severities, "findings.severity"));
    json_object_set_new(d, "statuses",
                        filter_choices(req, "status", app_finding_statuses, "findings.status"));
    static const char *const keys[] = {"severity", "status", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "findings", rows);
    web__eng_flash(req, d, "findings");
    return web__page(req, resp, "findings", web__t(req, "findings.title"), d, e);
}

WEB__HANDLER(web__api_findings)
{
    json_t *rows = NULL;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = finding_rows(req, &rows, e);
    return web__send(resp, rc, &rows);
}

/* --- raising a finding ------------------------------------------------------------------- */

static const struct web_field finding_new_fields[] = {{.name = "test",
                                                       .kind = WEB_FK_SELECT,
                                                       .label = "findings.test",
                                                       .flags = WEB_FF_REQUIRED | WEB_FF_BLANK,
                                                       .hint = "findings.test_hint",
                                                       .match = "test"},
                                                      {.name = "items",
                                                       .kind = WEB_FK_TEXT,
                                                       .label = "findings.items",
                                                       .hint = "findings.items_hint",
                                                       .match = "item|items|exception",
                                                       .datalist = "exceptions",
                                                       .max = 2000},
                                                      {.name = "title",
                                                       .kind = WEB_FK_TEXT,
                                                       .label = "findings.finding_title",
                                                       .flags = WEB_FF_REQUIRED,
                                                       .match = "title",
                                                       .max = 300},
                                                      {.name = "severity",
                                                       .kind = WEB_FK_SELECT,
                                                       .label = "findings.severity_label",
                                                       .flags = WEB_FF_REQUIRED,
                                                       .options = app_finding_severities,
                                                       .option_labels = "findings.severity",
                                                       .match = "severity"},
                                                      {.name = "description",
                                                       .kind = WEB_FK_TEXTAREA,
                                                       .label = "findings.description",
                                                       .match = "description",
                                                       .rows = 4,
                                                       .max = 8000},
                                                      {0}};

static const char *findings_back(struct web_req *req)
{
    return web__eng_path(req, req->params[1], "/findings");
}

static const char *finding_new_action(struct web_req *req, bool creating)
{
    (void)creating;
    return findings_back(req);
}

/* The engagement's tests as choices, and the exceptions not yet raised as
 * suggestions for the items. */
static int finding_new_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_who who;
    struct app_test *t;
    size_t n;
    web__eng_who(req, &who);
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = web__eng_need_to_submit(req, APP_ENG_WORKPAPER, e);
    if (rc == 0)
        rc = app_test_list(req->app, req->a, req->org.id, &who, req->params[1], &t, &n, e);
    if (rc)
        return rc;
    json_t *tests = json_array(), *exceptions = json_array();
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_array_append_new(
            tests,
            web__choice(t[i].ref, arena_printf(req->a, "%s %s", t[i].ref,
                                               t[i].control_title ? t[i].control_title : "")));
        if (t[i].exceptions <= 0)
            continue;
        struct app_sample_item *s;
        size_t ns;
        rc = app_sample_list(req->app, req->a, req->org.id, &who, t[i].ref, &s, &ns, e);
        for (size_t k = 0; rc == 0 && k < ns; k++)
            if (s[k].result && strcmp(s[k].result, "exception") == 0)
                json_array_append_new(
                    exceptions,
                    web__choice(s[k].item, arena_printf(req->a, "%s: %s", t[i].ref,
                                                        s[k].description ? s[k].description : "")));
    }
    web__form_choices(f, "test", tests);
    web__form_datalist(f, "exceptions", exceptions);
    return rc;
}

static void finding_new_defaults(struct web_req *req, struct web_form *f)
{
    web__form_set(f, "test", web__q(req, "test"));
    web__form_set(f, "severity", "medium");
}

/* Comma-separated items, trimmed, empty ones dropped. */
static const char **split_items(struct web_req *req, const char *csv, size_t *n)
{
    size_t cap = 1;
    for (const char *p = csv ? csv : ""; *p; p++)
        cap += *p == ',';
    const char **out = arena_calloc(req->a, cap + 1, sizeof(*out));
    *n = 0;
    for (const char *p = csv ? csv : ""; *p;) {
        size_t len = strcspn(p, ",");
        const char *s = p, *end = p + len;
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end > s)
            out[(*n)++] = arena_strndup(req->a, s, (size_t)(end - s));
        p += len + (p[len] == ',');
    }
    return out;
}

static int finding_new_save(struct web_req *req, struct web_form *f, const char **key,
                            struct err *e)
{
    struct app_who who;
    struct app_finding in = {.title = web__fv(f, "title"),
                             .description = web__fv_or_null(f, "description"),
                             .severity = web__fv(f, "severity")};
    in.items = split_items(req, web__fv(f, "items"), &in.n_items);
    web__eng_who(req, &who);
    return app_finding_add(req->app, req->a, req->org.id, &who, web__fv(f, "test"), &in, key, e);
}

static const char *finding_done(struct web_req *req, const char *key, bool creating)
{
    return web__done(req,
                     web__eng_path(req, req->params[1],
                                   arena_printf(req->a, "/findings/%s", web__enc(req, key))),
                     creating ? "finding_added" : "finding_saved");
}

static int finding_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    return finding_detail(req, key, out, e);
}

static const struct web_formspec finding_new_spec = {
    .id = "finding",
    .fields = finding_new_fields,
    .title_new = "findings.new",
    .title_edit = "findings.new",
    .intro = "findings.new_intro",
    .back_label = "findings.title",
    .back = findings_back,
    .action = finding_new_action,
    .defaults = finding_new_defaults,
    .prepare = finding_new_prepare,
    .save = finding_new_save,
    .done = finding_done,
    .api_out = finding_out,
};

WEB__HANDLER(web__finding_new)
{
    return web__form_show(req, resp, &finding_new_spec, true, e);
}

/* POST .../findings, pages and API. */
WEB__HANDLER(web__finding_create)
{
    return web__form_submit(req, resp, &finding_new_spec, true, e);
}

/* --- a finding: the auditor's fields and management's response ----------------------------- */

#define FIELD_TITLE                                                                                \
    {                                                                                              \
        .name = "title", .kind = WEB_FK_TEXT, .label = "findings.finding_title",                   \
        .flags = WEB_FF_REQUIRED, .match = "title", .max = 300                                     \
    }
#define FIELD_SEVERITY                                                                             \
    {                                                                                              \
        .name = "severity", .kind = WEB_FK_SELECT, .label = "findings.severity_label",             \
        .options = app_finding_severities, .option_labels = "findings.severity",                   \
        .match = "severity"                                                                        \
    }
#define FIELD_DESCRIPTION                                                                          \
    {                                                                                              \
        .name = "description", .kind = WEB_FK_TEXTAREA, .label = "findings.description",           \
        .match = "description", .rows = 4, .max = 8000                                             \
    }
#define FIELD_ROOT_CAUSE                                                                           \
    {                                                                                              \
        .name = "root_cause", .kind = WEB_FK_TEXTAREA, .label = "findings.root_cause",             \
        .hint = "findings.root_cause_hint", .match = "root cause", .rows = 3, .max = 8000          \
    }
#define FIELD_RESPONSE                                                                             \
    {                                                                                              \
        .name = "response", .kind = WEB_FK_TEXTAREA, .label = "findings.response",                 \
        .hint = "findings.response_hint", .match = "response|management's response", .rows = 3,    \
        .max = 8000                                                                                \
    }
#define FIELD_STATUS                                                                               \
    {                                                                                              \
        .name = "status", .kind = WEB_FK_SELECT, .label = "findings.status_label",                 \
        .options = app_finding_statuses, .option_labels = "findings.status", .match = "status"     \
    }

/* The form shows what the user may change: an administrator everything,
 * an auditor the workpaper, management its response; the status either. */
static const struct web_field finding_all_fields[] = {
    FIELD_TITLE, FIELD_SEVERITY, FIELD_DESCRIPTION, FIELD_ROOT_CAUSE, FIELD_RESPONSE, FIELD_STATUS,
    {0}};
static const struct web_field finding_auditor_fields[] = {
    FIELD_TITLE, FIELD_SEVERITY, FIELD_DESCRIPTION, FIELD_ROOT_CAUSE, FIELD_STATUS, {0}};
static const struct web_field finding_response_fields[] = {FIELD_RESPONSE, FIELD_STATUS, {0}};
/* What a concluded engagement's finding still takes (the page's form). */
static const struct web_field finding_status_fields[] = {FIELD_STATUS, {0}};

static const char *finding_path(struct web_req *req)
{
    return web__eng_path(req, req->params[1],
                         arena_printf(req->a, "/findings/%s", web__enc(req, req->params[2])));
}

static const char *finding_subject(struct web_req *req)
{
    return req->params[2];
}

static const char *finding_action(struct web_req *req, bool creating)
{
    (void)creating;
    return finding_path(req);
}

static int finding_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_finding x;
    int rc = get_finding(req, req->params[2], &x, e);
    if (rc)
        return rc;
    web__form_set(f, "title", x.title);
    web__form_set(f, "severity", x.severity);
    web__form_set(f, "description", x.description);
    web__form_set(f, "root_cause", x.root_cause);
    web__form_set(f, "response", x.response);
    web__form_set(f, "status", x.status);
    return 0;
}

/* The submitted value of name when it differs from was, else NULL. */
static const char *changed(const struct web_form *f, const char *name, const char *was)
{
    const char *v = web__fv(f, name);
    return v && strcmp(v, was ? was : "") != 0 ? v : NULL;
}

static int finding_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_finding x;
    struct app_who who;
    int rc = get_finding(req, req->params[2], &x, e);
    if (rc)
        return rc;
    *key = x.code;
    struct app_finding patch = {.title = changed(f, "title", x.title),
                                .severity = changed(f, "severity", x.severity),
                                .description = changed(f, "description", x.description),
                                .root_cause = changed(f, "root_cause", x.root_cause),
                                .response = changed(f, "response", x.response),
                                .status = changed(f, "status", x.status)};
    if (!patch.title && !patch.severity && !patch.description && !patch.root_cause &&
        !patch.response && !patch.status) {
        /* Nothing to change is fine, for whoever may change something. */
        rc = web__eng_need(req, APP_ENG_RESPOND, e);
        return rc == TL_EPERM ? web__eng_need(req, APP_ENG_WORKPAPER, e) : rc;
    }
    web__eng_who(req, &who);
    return app_finding_edit(req->app, req->a, req->org.id, &who, x.code, &patch, e);
}

#define FINDING_SPEC(name, list)                                                                   \
    static const struct web_formspec name = {                                                      \
        .id = "finding",                                                                           \
        .fields = list,                                                                            \
        .title_new = "findings.edit",                                                              \
        .title_edit = "findings.edit",                                                             \
        .back_label = "findings.back_to_finding",                                                  \
        .back = finding_path,                                                                      \
        .subject = finding_subject,                                                                \
        .action = finding_action,                                                                  \
        .load = finding_load,                                                                      \
        .save = finding_save,                                                                      \
        .done = finding_done,                                                                      \
        .api_out = finding_out,                                                                    \
    }
FINDING_SPEC(finding_all_spec, finding_all_fields);
FINDING_SPEC(finding_auditor_spec, finding_auditor_fields);
FINDING_SPEC(finding_response_spec, finding_response_fields);

/* The finding form for the user's rights (the API takes every field and
 * leaves the refusals to the app). */
static const struct web_formspec *finding_spec(struct web_req *req)
{
    bool workpaper = may(req, APP_ENG_WORKPAPER), respond = may(req, APP_ENG_RESPOND);
    if (req->api || workpaper == respond)
        return &finding_all_spec;
    return workpaper ? &finding_auditor_spec : &finding_response_spec;
}

/* --- remediation items --------------------------------------------------------------------- */

/* The fields of a remediation item that its creation and its edit share. */
#define FIELD_REM_ACTION                                                                           \
    {                                                                                              \
        .name = "action", .kind = WEB_FK_TEXTAREA, .label = "findings.action",                     \
        .flags = WEB_FF_REQUIRED, .match = "action", .rows = 3, .max = 4000                        \
    }
#define FIELD_REM_OWNER                                                                            \
    {                                                                                              \
        .name = "owner", .kind = WEB_FK_EMAIL, .label = "findings.owner",                          \
        .hint = "form.owner_hint", .match = "person|owner", .datalist = "people", .max = 254       \
    }
#define FIELD_REM_DUE                                                                              \
    {                                                                                              \
        .name = "due", .kind = WEB_FK_DATE, .label = "findings.due", .match = "due|date"           \
    }

static const struct web_field remediation_new_fields[] = {
    FIELD_REM_ACTION, FIELD_REM_OWNER, FIELD_REM_DUE, {0}};

static const char *remediation_new_action(struct web_req *req, bool creating)
{
    (void)creating;
    return arena_printf(req->a, "%s/remediation", finding_path(req));
}

static int remediation_new_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_finding x;
    int rc = get_finding(req, req->params[2], &x, e);
    if (rc == 0)
        rc = web__eng_need(req, APP_ENG_RESPOND, e);
    return rc ? rc : web__people_datalist(f, e);
}

static int remediation_new_save(struct web_req *req, struct web_form *f, const char **key,
                                struct err *e)
{
    struct app_who who;
    struct app_remediation in = {.action = web__fv(f, "action"),
                                 .owner = web__fv_or_null(f, "owner"),
                                 .due = web__fv_or_null(f, "due")};
    web__eng_who(req, &who);
    return app_remediation_add(req->app, req->a, req->org.id, &who, req->params[2], &in, key, e);
}

static const char *remediation_new_done(struct web_req *req, const char *key, bool creating)
{
    (void)creating;
    return arena_printf(req->a, "%s#rem-%s", web__done(req, finding_path(req), "remediation_added"),
                        web__enc(req, key));
}

static int remediation_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    return remediation_item(req, key, out, e);
}

static const struct web_formspec remediation_new_spec = {
    .id = "remediation",
    .fields = remediation_new_fields,
    .title_new = "findings.add_remediation",
    .title_edit = "findings.add_remediation",
    .back_label = "findings.back_to_finding",
    .back = finding_path,
    .action = remediation_new_action,
    .prepare = remediation_new_prepare,
    .save = remediation_new_save,
    .done = remediation_new_done,
    .api_out = remediation_out,
};

/* The finding's page: its facts, the edit form the user's rights allow,
 * its remediation items and the form that adds one. */
WEB__HANDLER(web__finding_page)
{
    json_t *d = json_object(), *x = NULL;
    int rc = web__fr_engagement(req, d, e);
    if (rc == 0)
        rc = finding_detail(req, req->params[2], &x, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    json_t *m = json_object_get(d, "may");
    bool concluded = json_is_true(json_object_get(json_object_get(d, "eng"), "concluded"));
    struct web_form f, r;
    web__form_init(&f, req, "finding",
                   concluded ? finding_status_fields : finding_spec(req)->fields, false);
    web__form_init(&r, req, "remediation", remediation_new_fields, true);
    rc = finding_load(req, &f, e);
    if (rc == 0 && json_is_true(json_object_get(m, "remediate")))
        rc = web__people_datalist(&r, e);
    if (rc == 0) {
        if (json_is_true(json_object_get(m, "edit_finding")))
            json_object_set_new(d, "edit_form",
                                web__form_data(&f, finding_path(req), web__t(req, "form.save")));
        if (json_is_true(json_object_get(m, "remediate")))
            json_object_set_new(d, "remediation_form",
                                web__form_data(&r, remediation_new_action(req, true),
                                               web__t(req, "findings.add_remediation")));
    }
    web__form_release(&f);
    web__form_release(&r);
    if (rc) {
        json_decref(x);
        json_decref(d);
        return rc;
    }
    const char *title = arena_printf(req->a, "%s %s", json_string_value(json_object_get(x, "code")),
                                     json_string_value(json_object_get(x, "title")));
    json_object_set_new(d, "finding", x);
    web__eng_flash(req, d, "findings");
    return web__page(req, resp, "finding", title, d, e);
}

WEB__HANDLER(web__api_finding)
{
    json_t *out = NULL;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = finding_detail(req, req->params[2], &out, e);
    return web__send(resp, rc, &out);
}

/* POST .../findings/{code}, PATCH in the API. */
WEB__HANDLER(web__finding_update)
{
    int rc = web__fr_engagement(req, NULL, e);
    return rc ? rc : web__form_submit(req, resp, finding_spec(req), false, e);
}

/* POST .../findings/{code}/remediation, pages and API. */
WEB__HANDLER(web__remediation_create)
{
    int rc = web__fr_engagement(req, NULL, e);
    return rc ? rc : web__form_submit(req, resp, &remediation_new_spec, true, e);
}

WEB__HANDLER(web__api_finding_remediation)
{
    json_t *rows = NULL;
    struct app_finding x;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = get_finding(req, req->params[2], &x, e);
    if (rc == 0)
        rc = remediation_rows(req, x.code, false, &rows, e);
    return web__send(resp, rc, &rows);
}

/* --- the remediation list --------------------------------------------------------------------- */

static const char *const remediation_cols[] = {"code",    "finding", "control", "action",
                                               "owner",   "due",     "status",  "late",
                                               "done_on", "retest",  NULL};

static int remediation_page(struct web_req *req, struct web_resp *resp, const char *error,
                            int status, struct err *e)
{
    json_t *d = json_object(), *rows;
    int rc = web__fr_engagement(req, d, e);
    if (rc == 0)
        rc = remediation_rows(req, NULL, true, &rows, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    if (!error && web__export(req, resp, rows, remediation_cols,
                              arena_printf(req->a, "%s-remediation", req->params[1]))) {
        json_decref(rows);
        json_decref(d);
        return 0;
    }
    json_object_set_new(
        d, "statuses",
        filter_choices(req, "status", app_remediation_statuses, "findings.rem_status"));
    web__set_str(d, "owner", web__q(req, "owner"));
    web__set_bool(d, "late", web__q(req, "late") != NULL);
    static const char *const keys[] = {"status", "owner", "late", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *opts = json_array();
        const char *now = json_string_value(json_object_get(row, "status"));
        for (size_t k = 0; app_remediation_statuses[k]; k++) {
            const char *s = app_remediation_statuses[k];
            json_t *o = web__choice(s, web__label(req, "findings.rem_status", s));
            web__set_bool(o, "selected", strcmp(s, now) == 0);
            json_array_append_new(opts, o);
        }
        json_object_set_new(row, "status_options", opts);
    }
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "items", rows);
    web__set_str(d, "error", error);
    web__eng_flash(req, d, "findings");
    rc = web__page(req, resp, "remediation", web__t(req, "findings.remediation_title"), d, e);
    if (error)
        resp->status = status;
    return rc;
}

WEB__HANDLER(web__remediation_page)
{
    return remediation_page(req, resp, NULL, 200, e);
}

WEB__HANDLER(web__api_remediation)
{
    json_t *rows = NULL;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = remediation_rows(req, NULL, true, &rows, e);
    return web__send(resp, rc, &rows);
}

/* --- a remediation item -------------------------------------------------------------------- */

#define FIELD_REM_STATUS                                                                           \
    {                                                                                              \
        .name = "status", .kind = WEB_FK_SELECT, .label = "findings.status_label",                 \
        .options = app_remediation_statuses, .option_labels = "findings.rem_status",               \
        .match = "status"                                                                          \
    }

static const struct web_field remediation_fields[] = {
    FIELD_REM_ACTION, FIELD_REM_OWNER, FIELD_REM_DUE, FIELD_REM_STATUS, {0}};

static const char *remediation_back(struct web_req *req)
{
    return web__eng_path(req, req->params[1], "/remediation");
}

static const char *remediation_action(struct web_req *req, bool creating)
{
    (void)creating;
    return web__eng_path(req, req->params[1],
                         arena_printf(req->a, "/remediation/%s", web__enc(req, req->params[2])));
}

static int remediation_load(struct web_req *req, struct web_form *f, struct err *e)
{
    json_t *o;
    int rc = remediation_item(req, req->params[2], &o, e);
    if (rc)
        return rc;
    static const char *const names[] = {"action", "owner", "due", "status", NULL};
    for (size_t i = 0; names[i]; i++)
        web__form_set(f, names[i], json_string_value(json_object_get(o, names[i])));
    json_decref(o);
    return 0;
}

static int remediation_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    int rc = web__eng_need_to_submit(req, APP_ENG_RESPOND, e);
    return rc ? rc : web__people_datalist(f, e);
}

static int remediation_save(struct web_req *req, struct web_form *f, const char **key,
                            struct err *e)
{
    json_t *o;
    int rc = remediation_item(req, req->params[2], &o, e);
    if (rc)
        return rc;
    struct app_remediation patch = {
        .action = changed(f, "action", json_string_value(json_object_get(o, "action"))),
        .owner = changed(f, "owner", json_string_value(json_object_get(o, "owner"))),
        .due = changed(f, "due", json_string_value(json_object_get(o, "due"))),
        .status = changed(f, "status", json_string_value(json_object_get(o, "status")))};
    json_decref(o);
    *key = req->params[2];
    if (!patch.action && !patch.owner && !patch.due && !patch.status)
        return 0; /* prepare checked the right */
    struct app_who who;
    web__eng_who(req, &who);
    return app_remediation_edit(req->app, req->a, req->org.id, &who, req->params[2], &patch, e);
}

static const char *remediation_done(struct web_req *req, const char *key, bool creating)
{
    (void)creating;
    const char *to = web__next(req, remediation_back(req));
    return arena_printf(req->a, "%s#rem-%s", web__done(req, to, "remediation_saved"),
                        web__enc(req, key));
}

static const struct web_formspec remediation_spec = {
    .id = "remediation",
    .fields = remediation_fields,
    .title_new = "findings.edit_remediation",
    .title_edit = "findings.edit_remediation",
    .back_label = "findings.remediation_title",
    .back = remediation_back,
    .subject = finding_subject,
    .action = remediation_action,
    .load = remediation_load,
    .prepare = remediation_prepare,
    .save = remediation_save,
    .done = remediation_done,
    .api_out = remediation_out,
};

WEB__HANDLER(web__remediation_edit)
{
    int rc = web__fr_engagement(req, NULL, e);
    return rc ? rc : web__form_show(req, resp, &remediation_spec, false, e);
}

WEB__HANDLER(web__api_remediation_item)
{
    json_t *out = NULL;
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = remediation_item(req, req->params[2], &out, e);
    return web__send(resp, rc, &out);
}

/* POST .../remediation/{code}, PATCH in the API. */
WEB__HANDLER(web__remediation_update)
{
    int rc = web__fr_engagement(req, NULL, e);
    return rc ? rc : web__form_submit(req, resp, &remediation_spec, false, e);
}

/* POST .../remediation/{code}/retest: plans the retest of a done item, in
 * this engagement or the one given as "engagement" (when this one is
 * concluded).  A refusal the user can act on shows on the list. */
WEB__HANDLER(web__remediation_retest)
{
    json_t *o;
    const char *ref = NULL, *target = web__nonempty(web__f(req, "engagement"));
    int rc = web__fr_engagement(req, NULL, e);
    if (rc == 0)
        rc = remediation_item(req, req->params[2], &o, e);
    if (rc)
        return rc;
    json_decref(o);
    /* Who may not plan tests is told so before anything about the item. */
    rc = web__eng_need(req, APP_ENG_PLAN, e);
    if (rc)
        return rc;
    if (req->api && req->body_len) {
        struct web_form f;
        static const struct web_field fields[] = {
            {.name = "engagement", .kind = WEB_FK_TEXT, .label = "findings.retest_in"}, {0}};
        web__form_init(&f, req, "retest", fields, true);
        rc = web__form_take(&f, e);
        target = rc == 0 ? web__fv_or_null(&f, "engagement") : NULL;
        if (target)
            target = arena_strdup(req->a, target);
        web__form_release(&f);
        if (rc)
            return rc;
    }
    struct app_who who;
    struct err ae = ERR_INIT;
    web__eng_who(req, &who);
    rc = app_remediation_retest(req->app, req->a, req->org.id, &who, req->params[2], target, &ref,
                                &ae);
    if (rc == 0) {
        if (!req->api) {
            web__redirect(resp, arena_printf(req->a, "%s#rem-%s",
                                             web__done(req, remediation_back(req), "retest"),
                                             web__enc(req, req->params[2])));
            return 0;
        }
        rc = remediation_item(req, req->params[2], &o, e);
        if (rc == 0)
            web__json(resp, 201, o);
        return rc;
    }
    *e = ae;
    if (req->api || (rc != TL_EINPUT && rc != TL_ECONFLICT && rc != TL_EEXIST))
        return rc;
    return remediation_page(req, resp, ae.msg, web__status(rc), e);
}
