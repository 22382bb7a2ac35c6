/* engagements.c - engagements in the browser and the API: the list and a
 * new engagement, an engagement's page (phases, auditors' access, the
 * sampling table, the test plan and its tests), what an auditor of it sees
 * (its controls and evidence) and the bridge letter.  The workpaper of one
 * test is workpapers.c.
 *
 * Every route here has the action APP_ENGAGE, which every role holds: the
 * app functions check app_eng_authz themselves, so an auditor sees only
 * the engagements granted to them (TL_ENOTFOUND for the others, TL_EPERM
 * once access ended or was revoked), and a viewer changes nothing.
 */
#include "web/web_impl.h"

#include "app/engagement.h"
#include "app/testing.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>

void web__eng_who(struct web_req *req, struct app_who *who)
{
    who->role = req->role;
    who->email = req->user ? req->user->email : NULL;
}

bool web__eng_may(struct web_req *req, const char *slug, int right)
{
    struct app_who who;
    struct err ignore = ERR_INIT;
    web__eng_who(req, &who);
    return app_eng_authz(req->app, req->a, req->org.id, &who, slug, (enum app_eng_right)right,
                         &ignore) == 0;
}

const char *web__eng_path(struct web_req *req, const char *slug, const char *suffix)
{
    return web__org_path(
        req, arena_printf(req->a, "/engagements/%s%s", web__enc(req, slug), suffix ? suffix : ""));
}

int web__eng_need(struct web_req *req, int right, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_eng_authz(req->app, req->a, req->org.id, &who, req->params[1],
                         (enum app_eng_right)right, e);
}

int web__eng_need_to_submit(struct web_req *req, int right, struct err *e)
{
    bool reading = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    return reading ? 0 : web__eng_need(req, right, e);
}

void web__eng_flash(struct web_req *req, json_t *d, const char *group)
{
    const char *done = web__q(req, "done");
    if (!done)
        return;
    const char *key = arena_printf(req->a, "%s.done.%s", group, done);
    const char *msg = web__t(req, key);
    if (strcmp(msg, key) != 0)
        web__set_str(d, "flash", msg);
}

static const char *eng_dates(struct web_req *req, const struct app_engagement *g)
{
    return g->as_of ? g->as_of : arena_printf(req->a, "%s..%s", g->period_start, g->period_end);
}

static json_t *eng_json(struct web_req *req, const struct app_engagement *g)
{
    json_t *o = json_object();
    web__set_str(o, "slug", g->slug);
    web__set_str(o, "kind", g->kind);
    web__set_str(o, "kind_label", web__label(req, "eng.kind", g->kind));
    web__set_str(o, "as_of", g->as_of);
    web__set_str(o, "period_start", g->period_start);
    web__set_str(o, "period_end", g->period_end);
    web__set_str(o, "dates", eng_dates(req, g));
    web__set_str(o, "categories", g->categories);
    web__set_str(o, "firm", g->firm);
    web__set_str(o, "phase", g->phase);
    web__set_str(o, "phase_label", web__label(req, "eng.phase", g->phase));
    web__set_bool(o, "itgc_reliance", g->itgc_reliance);
    web__set_bool(o, "custom_table", g->custom_table);
    web__set_bool(o, "concluded", strcmp(g->phase, "concluded") == 0);
    web__set_bool(o, "type2", strcmp(g->kind, "type2") == 0);
    web__set_int(o, "tests", (long long)g->tests);
    web__set_int(o, "tests_concluded", (long long)g->tests_concluded);
    web__set_int(o, "findings", (long long)g->findings);
    web__set_int(o, "requests_open", (long long)g->requests_open);
    web__set_str(o, "created_at", g->created_at);
    web__set_str(o, "concluded_at", g->concluded_at);
    web__set_str(o, "url", web__eng_path(req, g->slug, NULL));
    return o;
}

/* Open findings of an engagement (findings not closed). */
static int open_findings(struct web_req *req, const char *slug, long long *n, struct err *e)
{
    struct app_who who;
    struct app_finding *f;
    size_t count;
    web__eng_who(req, &who);
    int rc = app_finding_list(req->app, req->a, req->org.id, &who, slug, &f, &count, e);
    if (rc)
        return rc;
    *n = 0;
    for (size_t i = 0; i < count; i++)
        *n += strcmp(f[i].status, "closed") != 0;
    return 0;
}

/* --- the list ------------------------------------------------------------------------ */

static const char *const eng_cols[] = {
    "slug",          "kind",          "dates", "phase",      "tests", "tests_concluded",
    "findings_open", "requests_open", "firm",  "categories", NULL};

static int eng_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_who who;
    struct app_engagement *g;
    size_t n;
    web__eng_who(req, &who);
    int rc = app_engagement_list(req->app, req->a, req->org.id, &who, &g, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        long long open = 0;
        rc = open_findings(req, g[i].slug, &open, e);
        json_t *o = eng_json(req, &g[i]);
        web__set_int(o, "findings_open", open);
        json_array_append_new(arr, o);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *rows = arr;
    return 0;
}

static const char *const kinds_and_blank[] = {"readiness", "type1", "type2", NULL};

static const struct web_field create_fields[] = {
    {.name = "kind",
     .kind = WEB_FK_SELECT,
     .label = "eng.kind_label",
     .flags = WEB_FF_REQUIRED,
     .options = kinds_and_blank,
     .option_labels = "eng.kind",
     .match = "kind"},
    {.name = "as_of",
     .kind = WEB_FK_DATE,
     .label = "eng.as_of",
     .hint = "eng.as_of_hint",
     .match = "as-of|as of"},
    {.name = "period_start",
     .kind = WEB_FK_DATE,
     .label = "eng.period_start",
     .hint = "eng.period_hint",
     .match = "period"},
    {.name = "period_end", .kind = WEB_FK_DATE, .label = "eng.period_end", .match = "end"},
    {.name = "categories",
     .kind = WEB_FK_CHECKS,
     .label = "eng.categories",
     .hint = "eng.categories_hint",
     .options = dom_categories,
     .option_labels = "category",
     .match = "categories|category"},
    {.name = "firm", .kind = WEB_FK_TEXT, .label = "eng.firm", .match = "firm", .max = 200},
    {.name = "itgc_reliance",
     .kind = WEB_FK_CHECKBOX,
     .label = "eng.itgc_reliance",
     .hint = "eng.itgc_hint",
     .match = "itgc"},
    {.name = "slug",
     .kind = WEB_FK_TEXT,
     .label = "eng.slug",
     .hint = "eng.slug_hint",
     .match = "slug|engagement '",
     .max = 64},
    {0}};

static int list_page(struct web_req *req, struct web_resp *resp, struct web_form *f, struct err *e)
{
    json_t *rows;
    int rc = eng_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, eng_cols, "engagements")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object();
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "engagements", rows);
    web__set_str(d, "filter_query", "");
    bool setup = web__eng_may(req, NULL, APP_ENG_SETUP);
    web__set_bool(d, "may_create", setup);
    if (setup) {
        if (!f->values || !json_object_size(f->values)) {
            web__form_set(f, "kind", "type2");
            web__form_setb(f, "itgc_reliance", true);
        }
        json_object_set_new(
            d, "form",
            web__form_data(f, web__org_path(req, "/engagements"), web__t(req, "eng.create")));
    }
    web__eng_flash(req, d, "eng");
    bool failed = !web__form_ok(f);
    rc = web__page(req, resp, "engagements", web__t(req, "eng.title"), d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

WEB__HANDLER(web__engagements_page)
{
    struct web_form f;
    web__form_init(&f, req, "engagement", create_fields, true);
    int rc = list_page(req, resp, &f, e);
    web__form_release(&f);
    return rc;
}

WEB__HANDLER(web__api_engagements)
{
    json_t *rows = NULL;
    return web__send(resp, eng_rows(req, &rows, e), &rows);
}

/* The period "START..END" of the form, or NULL when neither date is given. */
static const char *form_period(struct web_form *f)
{
    const char *s = web__fv_or_null(f, "period_start"), *t = web__fv_or_null(f, "period_end");
    if (!s && !t)
        return NULL;
    if (!s || !t) {
        web__form_fail(f, s ? "period_end" : "period_start", web__t(f->req, "eng.period_both"));
        return NULL;
    }
    return arena_printf(f->req->a, "%s..%s", s, t);
}

/* POST /o/{org}/engagements and /api/v1/orgs/{org}/engagements. */
WEB__HANDLER(web__engagement_create)
{
    struct web_form f;
    struct app_who who;
    web__eng_who(req, &who);
    web__form_init(&f, req, "engagement", create_fields, true);
    int rc = app_eng_authz(req->app, req->a, req->org.id, &who, NULL, APP_ENG_SETUP, e);
    if (rc == 0)
        rc = web__form_take(&f, e);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    const char *warning = NULL;
    struct app_engagement g;
    if (rc == 0 && web__form_check(&f)) {
        int itgc = web__fb(&f, "itgc_reliance");
        struct app_engagement_in in = {.slug = web__fv_or_null(&f, "slug"),
                                       .kind = web__fv_or_null(&f, "kind"),
                                       .as_of = web__fv_or_null(&f, "as_of"),
                                       .period = form_period(&f),
                                       .categories = web__fv_or_null(&f, "categories"),
                                       .firm = web__fv_or_null(&f, "firm"),
                                       .itgc_reliance = itgc < 0 ? 1 : itgc};
        struct err ae = ERR_INIT;
        if (web__form_ok(&f))
            rc = app_engagement_create(req->app, req->a, req->org.id, &who, &in, &g, &warning, &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *o = eng_json(req, &g);
            web__set_str(o, "warning", warning);
            web__json(resp, 201, o);
        } else {
            web__redirect(resp, web__done(req, web__eng_path(req, g.slug, NULL),
                                          warning ? "created_short" : "created"));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = list_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}

/* --- one engagement ------------------------------------------------------------------- */

static const char *const test_cols[] = {
    "test",   "control", "control_title", "kind",      "method", "population_size", "sample_size",
    "tested", "passed",  "exceptions",    "deviation", "status", "conclusion",      NULL};

static const char *rate_text(struct web_req *req, double r)
{
    return r < 0 ? NULL : arena_printf(req->a, "%.1f %%", 100.0 * r);
}

json_t *web__test_json(struct web_req *req, const struct app_test *t)
{
    json_t *o = json_object();
    const char *seg = strchr(t->ref, ':') ? strchr(t->ref, ':') + 1 : t->ref;
    web__set_str(o, "ref", t->ref);
    web__set_str(o, "test", seg);
    web__set_str(o, "engagement", t->engagement);
    web__set_str(
        o, "url",
        web__eng_path(req, t->engagement, arena_printf(req->a, "/tests/%s", web__enc(req, seg))));
    web__set_str(o, "control", t->control);
    web__set_str(o, "control_title", t->control_title);
    web__set_str(o, "kind", t->kind);
    web__set_str(o, "kind_label", web__label(req, "eng.test_kind", t->kind));
    web__set_int(o, "retest_no", (long long)t->retest_no);
    web__set_str(o, "retest_of", t->retest_of);
    web__set_str(o, "method", t->method);
    web__set_str(o, "method_label", web__label(req, "eng.method", t->method));
    web__set_str(o, "steps", t->steps);
    web__set_str(o, "frequency", t->frequency);
    web__set_str(o, "control_type", t->control_type);
    web__set_bool(o, "key", t->key);
    web__set_int(o, "planned_size", (long long)t->planned_size);
    web__set_str(o, "size_basis", t->size_basis);
    if (t->population_size >= 0)
        web__set_int(o, "population_size", (long long)t->population_size);
    web__set_str(o, "population_hash", t->population_hash);
    web__set_str(o, "population_source", t->population_source);
    web__set_str(o, "population_at", t->population_at);
    web__set_str(o, "seed", t->seed);
    if (t->sample_size >= 0)
        web__set_int(o, "sample_size", (long long)t->sample_size);
    web__set_str(o, "drawn_at", t->drawn_at);
    web__set_str(o, "status", t->status);
    web__set_str(o, "status_label", web__label(req, "eng.test_status", t->status));
    web__set_bool(o, "concluded", strcmp(t->status, "concluded") == 0);
    web__set_str(o, "conclusion", t->conclusion);
    web__set_str(o, "conclusion_label",
                 t->conclusion ? web__label(req, "eng.conclusion", t->conclusion) : NULL);
    web__set_int(o, "tested", (long long)t->tested);
    web__set_int(o, "passed", (long long)t->passed);
    web__set_int(o, "exceptions", (long long)t->exceptions);
    web__set_int(o, "tolerable", (long long)t->tolerable);
    if (t->deviation_rate >= 0)
        json_object_set_new(o, "deviation_rate", json_real(t->deviation_rate));
    web__set_str(o, "deviation", rate_text(req, t->deviation_rate));
    web__set_str(o, "concluded_at", t->concluded_at);
    web__set_str(o, "concluded_by", t->concluded_by);
    return o;
}

/* Whether a test passes the page's filters (?kind=, ?status=, ?conclusion=). */
static bool test_shown(struct web_req *req, const struct app_test *t)
{
    const char *kind = web__q(req, "kind"), *status = web__q(req, "status");
    const char *conclusion = web__q(req, "conclusion");
    return (!kind || strcmp(kind, t->kind) == 0) && (!status || strcmp(status, t->status) == 0) &&
           (!conclusion || (t->conclusion && strcmp(conclusion, t->conclusion) == 0));
}

static int test_rows(struct web_req *req, const char *slug, json_t **rows, struct err *e)
{
    struct app_who who;
    struct app_test *t;
    size_t n;
    web__eng_who(req, &who);
    int rc = app_test_list(req->app, req->a, req->org.id, &who, slug, &t, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        if (test_shown(req, &t[i]))
            json_array_append_new(arr, web__test_json(req, &t[i]));
    *rows = arr;
    return 0;
}

static json_t *phases_json(struct web_req *req, const struct app_eng_phase *p, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        web__set_str(o, "phase", p[i].phase);
        web__set_str(o, "label", web__label(req, "eng.phase", p[i].phase));
        web__set_str(o, "state", p[i].state);
        web__set_str(o, "state_label", web__label(req, "eng.phase_state", p[i].state));
        web__set_str(o, "entered_at", p[i].entered_at);
        web__set_str(o, "entered_by", p[i].entered_by);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *auditors_json(struct web_req *req, const struct app_eng_auditor *au, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        web__set_str(o, "email", au[i].email);
        web__set_str(o, "until", au[i].until);
        web__set_str(o, "added_at", au[i].added_at);
        web__set_str(o, "added_by", au[i].added_by);
        web__set_str(o, "revoked_at", au[i].revoked_at);
        web__set_bool(o, "active", au[i].active);
        json_array_append_new(arr, o);
    }
    (void)req;
    return arr;
}

/* The engagement named by the route with its phases, auditors and sampling table. */
static int eng_detail(struct web_req *req, json_t **out, struct err *e)
{
    struct app_who who;
    struct app_engagement g;
    struct app_eng_phase *ph;
    struct app_eng_auditor *au;
    size_t n_ph, n_au;
    const struct dom_sampling_table *table;
    const char *yaml;
    const char *slug = req->params[1];
    web__eng_who(req, &who);
    int rc = app_engagement_get(req->app, req->a, req->org.id, &who, slug, &g, e);
    if (rc == 0)
        rc = app_engagement_phases(req->app, req->a, req->org.id, &who, slug, &ph, &n_ph, e);
    if (rc == 0)
        rc = app_engagement_auditors(req->app, req->a, req->org.id, &who, slug, &au, &n_au, e);
    if (rc == 0)
        rc = app_engagement_table(req->app, req->a, req->org.id, &who, slug, &table, &yaml, e);
    long long open = 0;
    if (rc == 0)
        rc = open_findings(req, slug, &open, e);
    if (rc)
        return rc;
    json_t *o = eng_json(req, &g);
    web__set_int(o, "findings_open", open);
    json_object_set_new(o, "phases", phases_json(req, ph, n_ph));
    json_object_set_new(o, "auditors", auditors_json(req, au, n_au));
    web__set_str(o, "sampling_table", yaml);
    *out = o;
    return 0;
}

static const struct web_field phase_fields[] = {{.name = "phase",
                                                 .kind = WEB_FK_SELECT,
                                                 .label = "eng.phase_label",
                                                 .flags = WEB_FF_REQUIRED,
                                                 .options = app_eng_phases,
                                                 .option_labels = "eng.phase",
                                                 .match = "phase|phases|test"},
                                                {0}};

static const struct web_field auditor_fields[] = {{.name = "email",
                                                   .kind = WEB_FK_EMAIL,
                                                   .label = "eng.auditor_email",
                                                   .flags = WEB_FF_REQUIRED,
                                                   .match = "email",
                                                   .max = 254},
                                                  {.name = "until",
                                                   .kind = WEB_FK_DATE,
                                                   .label = "eng.until",
                                                   .hint = "eng.until_hint",
                                                   .flags = WEB_FF_REQUIRED,
                                                   .match = "end date|until"},
                                                  {0}};

static const struct web_field revoke_fields[] = {
    {.name = "email", .kind = WEB_FK_HIDDEN, .label = "eng.auditor_email", .match = "email"}, {0}};

static const struct web_field plan_fields[] = {{0}};

static const char *const letter_formats[] = {"md", "html", NULL};
static const char *const letter_langs[] = {"en", "sv", NULL};

static const struct web_field bridge_fields[] = {{.name = "to",
                                                  .kind = WEB_FK_DATE,
                                                  .label = "eng.bridge_to",
                                                  .hint = "eng.bridge_hint",
                                                  .flags = WEB_FF_REQUIRED,
                                                  .match = "end|date"},
                                                 {.name = "lang",
                                                  .kind = WEB_FK_SELECT,
                                                  .label = "eng.bridge_lang",
                                                  .options = letter_langs,
                                                  .option_labels = "lang",
                                                  .match = "language"},
                                                 {.name = "format",
                                                  .kind = WEB_FK_SELECT,
                                                  .label = "eng.bridge_format",
                                                  .options = letter_formats,
                                                  .option_labels = "eng.letter_format",
                                                  .match = "format"},
                                                 {0}};

static const char *const test_kinds[] = {"design", "operating", NULL};
static const char *const test_statuses[] = {"planned", "in-progress", "concluded", NULL};

/* The choices of a filter select, the one in the query selected. */
static json_t *filter_options(struct web_req *req, const char *key, const char *const *values,
                              const char *labels)
{
    const char *q = web__q(req, key);
    json_t *arr = json_array();
    for (size_t i = 0; values[i]; i++) {
        json_t *o = web__choice(values[i], web__label(req, labels, values[i]));
        web__set_bool(o, "selected", q && strcmp(q, values[i]) == 0);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The forms of the engagement page; the one that failed, if any, replaces its default. */
struct eng_forms {
    struct web_form *failed;
};

static json_t *eng_form(struct web_req *req, struct eng_forms *fs, const char *id,
                        const struct web_field *fields, const char *action, const char *submit,
                        void (*defaults)(struct web_req *, struct web_form *))
{
    if (fs->failed && strcmp(fs->failed->id, id) == 0)
        return web__form_data(fs->failed, action, web__t(req, submit));
    struct web_form f;
    web__form_init(&f, req, id, fields, true);
    if (defaults)
        defaults(req, &f);
    json_t *o = web__form_data(&f, action, web__t(req, submit));
    web__form_release(&f);
    return o;
}

static void phase_defaults(struct web_req *req, struct web_form *f)
{
    (void)req;
    web__form_set(f, "phase", "fieldwork");
}

static void bridge_defaults(struct web_req *req, struct web_form *f)
{
    web__form_set(f, "lang", req->lang);
    web__form_set(f, "format", "md");
}

static int eng_page(struct web_req *req, struct web_resp *resp, struct web_form *failed,
                    struct err *e)
{
    const char *slug = req->params[1];
    json_t *rows = NULL, *g = NULL;
    int rc = eng_detail(req, &g, e);
    if (rc == 0)
        rc = test_rows(req, slug, &rows, e);
    if (rc) {
        json_decref(g);
        return rc;
    }
    if (web__export(req, resp, rows, test_cols, arena_printf(req->a, "%s-tests", slug))) {
        json_decref(rows);
        json_decref(g);
        return 0;
    }
    struct eng_forms fs = {failed};
    bool concluded = json_is_true(json_object_get(g, "concluded"));
    bool plan = !concluded && web__eng_may(req, slug, APP_ENG_PLAN);
    bool access = web__eng_may(req, slug, APP_ENG_ACCESS);
    json_t *d = json_object();
    web__set_bool(d, "may_plan", plan);
    web__set_bool(d, "may_access", access);
    if (plan) {
        json_object_set_new(d, "phase_form",
                            eng_form(req, &fs, "phase", phase_fields,
                                     web__eng_path(req, slug, "/phase"), "eng.phase_move",
                                     phase_defaults));
        json_object_set_new(d, "plan_form",
                            eng_form(req, &fs, "testplan", plan_fields,
                                     web__eng_path(req, slug, "/plan"), "eng.plan_generate", NULL));
    }
    if (access)
        json_object_set_new(d, "auditor_form",
                            eng_form(req, &fs, "auditor", auditor_fields,
                                     web__eng_path(req, slug, "/auditors"), "eng.auditor_grant",
                                     NULL));
    if (json_is_true(json_object_get(g, "type2")))
        json_object_set_new(d, "bridge_form",
                            eng_form(req, &fs, "bridge", bridge_fields,
                                     web__eng_path(req, slug, "/bridge-letter"),
                                     "eng.bridge_download", bridge_defaults));
    if (failed && strcmp(failed->id, "revoke") == 0)
        json_object_set_new(d, "revoke_form",
                            web__form_data(failed, web__eng_path(req, slug, "/auditors/revoke"),
                                           web__t(req, "eng.revoke")));
    json_object_set_new(d, "kind_options",
                        filter_options(req, "kind", test_kinds, "eng.test_kind"));
    json_object_set_new(d, "status_options",
                        filter_options(req, "status", test_statuses, "eng.test_status"));
    static const char *const keys[] = {"kind", "status", "conclusion", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "tests", rows);
    web__set_str(d, "base", web__eng_path(req, slug, NULL));
    json_object_set_new(d, "eng", g);
    web__eng_flash(req, d, "eng");
    rc = web__page(req, resp, "engagement", arena_printf(req->a, "%s", slug), d, e);
    if (failed && !web__form_ok(failed))
        resp->status = failed->status;
    return rc;
}

WEB__HANDLER(web__engagement_page)
{
    return eng_page(req, resp, NULL, e);
}

WEB__HANDLER(web__api_engagement)
{
    json_t *g = NULL;
    int rc = eng_detail(req, &g, e);
    if (rc == 0)
        web__json(resp, 200, g);
    return rc;
}

WEB__HANDLER(web__api_engagement_tests)
{
    json_t *rows = NULL;
    return web__send(resp, test_rows(req, req->params[1], &rows, e), &rows);
}

/* --- changes on an engagement ------------------------------------------------------------ */

int web__eng_submit(struct web_req *req, struct web_resp *resp, struct web_form *f,
                    const struct web__eng_action *act, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    int rc = act->check(req, e);
    if (rc == 0)
        rc = web__eng_need(req, act->right, e);
    if (rc == 0)
        rc = web__form_take(f, e);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(f, NULL, e->msg);
        rc = 0;
    }
    json_t *out = NULL;
    const char *done = act->done;
    if (rc == 0 && web__form_check(f)) {
        struct err ae = ERR_INIT;
        rc = act->run(req, f, &who, &out, &done, &ae);
        if (rc)
            rc = web__form_app_error(f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(f)) {
        if (req->api)
            web__json(resp, act->api_status, out ? out : json_object());
        else
            web__redirect(resp, web__done(req, act->back(req), done));
        if (!req->api)
            json_decref(out);
        return 0;
    }
    json_decref(out);
    if (rc)
        return rc;
    if (req->api) {
        web__form_problem(f, resp);
        return 0;
    }
    return act->page(req, resp, f, e);
}

static int eng_exists(struct web_req *req, struct err *e)
{
    struct app_who who;
    struct app_engagement g;
    web__eng_who(req, &who);
    return app_engagement_get(req->app, req->a, req->org.id, &who, req->params[1], &g, e);
}

static const char *eng_back(struct web_req *req)
{
    return web__eng_path(req, req->params[1], NULL);
}

static int eng_out(struct web_req *req, json_t **out, struct err *e)
{
    if (!req->api)
        return 0;
    return eng_detail(req, out, e);
}

static int run_phase(struct web_req *req, struct web_form *f, const struct app_who *who,
                     json_t **out, const char **done, struct err *e)
{
    (void)done;
    int rc = app_engagement_set_phase(req->app, req->a, req->org.id, who, req->params[1],
                                      web__fv(f, "phase"), e);
    return rc ? rc : eng_out(req, out, e);
}

static int run_plan(struct web_req *req, struct web_form *f, const struct app_who *who,
                    json_t **out, const char **done, struct err *e)
{
    (void)f;
    (void)done;
    struct app_plan_result r = {0};
    int rc = app_test_plan(req->app, req->a, req->org.id, who, req->params[1], req->lang, &r, e);
    if (rc == 0 && req->api) {
        *out = json_object();
        web__set_int(*out, "added", (long long)r.added);
        web__set_int(*out, "existing", (long long)r.existing);
    }
    return rc;
}

static int run_auditor_add(struct web_req *req, struct web_form *f, const struct app_who *who,
                           json_t **out, const char **done, struct err *e)
{
    (void)done;
    int rc = app_engagement_auditor_add(req->app, req->a, req->org.id, who, req->params[1],
                                        web__fv(f, "email"), web__fv(f, "until"), e);
    return rc ? rc : eng_out(req, out, e);
}

static int run_auditor_revoke(struct web_req *req, struct web_form *f, const struct app_who *who,
                              json_t **out, const char **done, struct err *e)
{
    (void)out;
    (void)done;
    /* Revoking someone without access is a mistake in the form: 400. */
    return web__input_error(app_engagement_auditor_revoke(req->app, req->a, req->org.id, who,
                                                          req->params[1], web__fv(f, "email"), e),
                            e);
}

static const struct web__eng_action phase_action = {"phase",  eng_exists, run_phase, eng_page,
                                                    eng_back, "phase",    200,       APP_ENG_PLAN};
static const struct web__eng_action plan_action = {"testplan", eng_exists, run_plan, eng_page,
                                                   eng_back,   "planned",  200,      APP_ENG_PLAN};
static const struct web__eng_action auditor_action = {
    "auditor", eng_exists, run_auditor_add, eng_page, eng_back, "auditor", 201, APP_ENG_ACCESS};
static const struct web__eng_action revoke_action = {
    "revoke", eng_exists, run_auditor_revoke, eng_page, eng_back, "revoked", 200, APP_ENG_ACCESS};

int web__eng_submit_form(struct web_req *req, struct web_resp *resp, const char *form_id,
                         const struct web_field *fields, const struct web__eng_action *act,
                         struct err *e)
{
    struct web_form f;
    web__form_init(&f, req, form_id, fields, true);
    int rc = web__eng_submit(req, resp, &f, act, e);
    web__form_release(&f);
    return rc;
}

static int eng_action(struct web_req *req, struct web_resp *resp, const struct web_field *fields,
                      const struct web__eng_action *act, struct err *e)
{
    return web__eng_submit_form(req, resp, act->form_id, fields, act, e);
}

WEB__HANDLER(web__engagement_phase)
{
    return eng_action(req, resp, phase_fields, &phase_action, e);
}

WEB__HANDLER(web__engagement_plan)
{
    return eng_action(req, resp, plan_fields, &plan_action, e);
}

WEB__HANDLER(web__engagement_auditor_add)
{
    return eng_action(req, resp, auditor_fields, &auditor_action, e);
}

WEB__HANDLER(web__engagement_auditor_revoke)
{
    /* DELETE .../auditors/{email} has no body: the email is in the path. */
    if (req->api) {
        struct app_who who;
        web__eng_who(req, &who);
        int rc = app_engagement_auditor_revoke(req->app, req->a, req->org.id, &who, req->params[1],
                                               req->params[2], e);
        json_t *g = NULL;
        if (rc == 0)
            rc = eng_detail(req, &g, e);
        if (rc == 0)
            web__json(resp, 200, g);
        return rc;
    }
    return eng_action(req, resp, revoke_fields, &revoke_action, e);
}

WEB__HANDLER(web__api_engagement_auditors)
{
    struct app_who who;
    struct app_eng_auditor *au;
    size_t n;
    web__eng_who(req, &who);
    int rc =
        app_engagement_auditors(req->app, req->a, req->org.id, &who, req->params[1], &au, &n, e);
    if (rc == 0)
        web__json(resp, 200, auditors_json(req, au, n));
    return rc;
}

WEB__HANDLER(web__api_engagement_table)
{
    struct app_who who;
    const struct dom_sampling_table *table;
    const char *yaml;
    web__eng_who(req, &who);
    int rc =
        app_engagement_table(req->app, req->a, req->org.id, &who, req->params[1], &table, &yaml, e);
    if (rc)
        return rc;
    json_t *o = json_object();
    web__set_str(o, "yaml", yaml);
    web__json(resp, 200, o);
    return 0;
}

/* --- the bridge letter ------------------------------------------------------------------- */

/* GET .../bridge-letter?to=DATE&lang=en|sv&format=md|html: a download.
 * A bad date re-shows the engagement page with the message (400). */
WEB__HANDLER(web__engagement_bridge)
{
    struct web_form f;
    web__form_init(&f, req, "bridge", bridge_fields, true);
    for (const struct web_field *x = bridge_fields; x->name; x++)
        if (web__q(req, x->name))
            web__form_set(&f, x->name, web__q(req, x->name));
    const char *md = NULL;
    int rc = eng_exists(req, e);
    if (rc == 0 && web__form_check(&f)) {
        struct app_who who;
        struct err ae = ERR_INIT;
        const char *lang = web__fv_or_null(&f, "lang");
        web__eng_who(req, &who);
        rc = app_engagement_bridge_letter(req->app, req->a, req->org.id, &who, req->params[1],
                                          web__fv(&f, "to"), lang ? lang : req->lang, &md, &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        const char *format = web__fv_or_null(&f, "format");
        const char *name = arena_printf(req->a, "%s-bridge-letter", req->params[1]);
        sb_reset(&resp->body);
        if (format && strcmp(format, "html") == 0) {
            sb_addf(&resp->body, "<!doctype html>\n<meta charset=\"utf-8\">\n<title>%s</title>\n",
                    name);
            rc = web_markdown(md, &resp->body, e);
            if (rc == 0)
                web__download(req, resp, "text/html; charset=utf-8", name, "html");
        } else {
            sb_adds(&resp->body, md);
            web__download(req, resp, "text/markdown; charset=utf-8", name, "md");
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = eng_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}

/* --- what an auditor of the engagement sees ------------------------------------------------ */

static const char *const control_cols[] = {"code",   "title",  "owner",    "frequency",
                                           "nature", "status", "criteria", NULL};

static int scope_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_who who;
    struct app_control *c;
    size_t n;
    web__eng_who(req, &who);
    int rc = app_engagement_scope(req->app, req->a, req->org.id, &who, req->params[1], &c, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        struct sb crit = SB_INIT;
        for (size_t k = 0; k < c[i].n_criteria; k++)
            sb_addf(&crit, "%s%s", k ? ", " : "", c[i].criteria[k].criterion);
        web__set_str(o, "code", c[i].code);
        web__set_str(o, "title", c[i].title);
        web__set_str(o, "description", c[i].description);
        web__set_str(o, "owner", c[i].owner);
        web__set_str(o, "frequency", c[i].frequency);
        web__set_str(o, "nature", c[i].nature);
        web__set_str(o, "status", c[i].status);
        web__set_str(o, "status_label", web__label(req, "status", c[i].status));
        web__set_str(o, "criteria", crit.buf);
        sb_release(&crit);
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

/* A list an auditor of the engagement sees: what names its export
 * (<slug>-<what>), its template (eng_<what>) and its title (eng.<what>);
 * the rows go into the page's data as key. */
static int auditor_list_page(struct web_req *req, struct web_resp *resp, json_t *rows,
                             const char *const *cols, const char *what, const char *key,
                             struct err *e)
{
    const char *slug = req->params[1];
    if (web__export(req, resp, rows, cols, arena_printf(req->a, "%s-%s", slug, what))) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object();
    web__set_str(d, "slug", slug);
    web__set_str(d, "base", web__eng_path(req, slug, NULL));
    web__set_str(d, "filter_query", "");
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, key, rows);
    const char *title = web__t(req, arena_printf(req->a, "eng.%s", what));
    return web__page(req, resp, arena_printf(req->a, "eng_%s", what),
                     arena_printf(req->a, "%s: %s", slug, title), d, e);
}

WEB__HANDLER(web__engagement_controls_page)
{
    json_t *rows;
    int rc = scope_rows(req, &rows, e);
    return rc ? rc : auditor_list_page(req, resp, rows, control_cols, "controls", "controls", e);
}

WEB__HANDLER(web__api_engagement_controls)
{
    json_t *rows = NULL;
    return web__send(resp, scope_rows(req, &rows, e), &rows);
}

static const char *const evidence_cols[] = {"id",           "name",       "media_type", "size",
                                            "period_start", "period_end", "controls",   "sha256",
                                            "added_at",     NULL};

/* The evidence engagement req->params[1] shows its auditors. */
static int eng_evidence(struct web_req *req, struct app_evidence **ev, size_t *n, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_engagement_evidence(req->app, req->a, req->org.id, &who, req->params[1], ev, n, e);
}

static int evidence_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_evidence *ev;
    size_t n;
    int rc = eng_evidence(req, &ev, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        struct sb ctl = SB_INIT;
        for (size_t k = 0; k < ev[i].n_controls; k++)
            sb_addf(&ctl, "%s%s", k ? ", " : "", ev[i].controls[k]);
        web__set_str(o, "id", ev[i].id);
        web__set_str(o, "short_id", arena_strndup(req->a, ev[i].id, 8));
        web__set_str(o, "name", ev[i].name);
        web__set_str(o, "media_type", ev[i].media_type);
        web__set_int(o, "size", (long long)ev[i].size);
        web__set_str(o, "period_start", ev[i].period_start);
        web__set_str(o, "period_end", ev[i].period_end);
        web__set_str(o, "controls", ctl.buf);
        web__set_str(o, "sha256", ev[i].sha256);
        web__set_str(o, "added_at", ev[i].added_at);
        web__set_str(
            o, "download",
            web__eng_path(req, req->params[1],
                          arena_printf(req->a, "/evidence/%s/download", web__enc(req, ev[i].id))));
        sb_release(&ctl);
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__engagement_evidence_page)
{
    json_t *rows;
    int rc = evidence_rows(req, &rows, e);
    return rc ? rc : auditor_list_page(req, resp, rows, evidence_cols, "evidence", "items", e);
}

WEB__HANDLER(web__api_engagement_evidence)
{
    json_t *rows = NULL;
    return web__send(resp, evidence_rows(req, &rows, e), &rows);
}

/* GET .../engagements/{eng}/evidence/{id}/download (and the API's .../content):
 * only an item the engagement shows (404 for any other, as for one that
 * does not exist); the file is then streamed as evidence.c does. */
WEB__HANDLER(web__engagement_evidence_download)
{
    struct app_evidence *ev;
    size_t n;
    int rc = eng_evidence(req, &ev, &n, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ev[i].id, req->params[2]) == 0) {
            /* web__evidence_download reads the id as its second parameter. */
            req->params[1] = ev[i].id;
            return web__evidence_download(req, resp, e);
        }
    }
    return ERR_SET(e, TL_ENOTFOUND, "no evidence '%s' in engagement '%s'", req->params[2],
                   req->params[1]);
}
