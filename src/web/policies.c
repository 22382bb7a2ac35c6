/* policies.c - policies in the browser: a new policy from a template,
 * editing (a changed text is a new version), approving (by the logged-in
 * user's own person record, who must be an approver), acknowledging (the
 * user's own person record), and who has acknowledged a version.
 */
#include "web/web_impl.h"

#include "app/policy.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *policy_path(struct web_req *req, const char *slug, const char *rest)
{
    return web__org_path(
        req, arena_printf(req->a, "/policies/%s%s", web__enc(req, slug), rest ? rest : ""));
}

/* --- templates -------------------------------------------------------------------- */

static int templates_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_policy_template *t;
    size_t n;
    int rc = app_policy_templates(req->app, req->a, req->lang, &t, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object(), *crit = json_array();
        web__set_str(o, "name", t[i].name);
        web__set_str(o, "title", t[i].title);
        web__set_str(o, "review", t[i].review);
        for (size_t k = 0; k < t[i].n_criteria; k++)
            json_array_append_new(crit, web__str(t[i].criteria[k]));
        json_object_set_new(o, "criteria", crit);
        json_array_append_new(arr, o);
    }
    *out = arr;
    return 0;
}

WEB__HANDLER(web__api_policy_templates)
{
    json_t *out = NULL;
    return web__send(resp, templates_json(req, &out, e), &out);
}

/* --- new and edit ----------------------------------------------------------------- */

static const struct web_field policy_fields[] = {{.name = "template",
                                                  .kind = WEB_FK_SELECT,
                                                  .label = "policies.template",
                                                  .flags = WEB_FF_NEW_ONLY | WEB_FF_BLANK,
                                                  .hint = "policies.template_hint",
                                                  .match = "template"},
                                                 {.name = "slug",
                                                  .kind = WEB_FK_TEXT,
                                                  .label = "policies.slug",
                                                  .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
                                                  .hint = "form.slug_hint",
                                                  .match = "slug|already exists",
                                                  .max = 64},
                                                 {.name = "title",
                                                  .kind = WEB_FK_TEXT,
                                                  .label = "policies.policy",
                                                  .hint = "policies.title_hint",
                                                  .match = "title",
                                                  .max = 300},
                                                 {.name = "owner",
                                                  .kind = WEB_FK_EMAIL,
                                                  .label = "policies.owner",
                                                  .hint = "form.owner_hint",
                                                  .match = "person|owner",
                                                  .datalist = "people",
                                                  .max = 254},
                                                 {.name = "review",
                                                  .kind = WEB_FK_SELECT,
                                                  .label = "policies.review",
                                                  .flags = WEB_FF_BLANK,
                                                  .options = dom_reviews,
                                                  .option_labels = "review"},
                                                 {.name = "body",
                                                  .kind = WEB_FK_TEXTAREA,
                                                  .label = "policies.text",
                                                  .hint = "policies.text_hint",
                                                  .match = "text|placeholder|body",
                                                  .rows = 24,
                                                  .max = APP_POLICY_BODY_MAX},
                                                 WEB__VERSION_FIELD,
                                                 {0}};

static const char *policies_back(struct web_req *req)
{
    if (req->n_params > 1)
        return policy_path(req, req->params[1], NULL);
    return web__org_path(req, "/policies");
}

static const char *policy_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/policies") : policies_back(req);
}

static int policy_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_policy p;
    int rc = app_policy_get(req->app, req->a, req->org.id, req->params[1], &p, e);
    if (rc)
        return rc;
    web__form_set(f, "slug", p.slug);
    web__form_set(f, "title", p.title);
    web__form_set(f, "owner", p.owner);
    web__form_set(f, "review", p.review);
    web__form_set(f, "body", p.body);
    web__form_seti(f, "version", p.version);
    return 0;
}

static int policy_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    int rc = web__people_datalist(f, e);
    if (rc || !f->creating)
        return rc;
    struct app_policy_template *t;
    size_t n;
    rc = app_policy_templates(req->app, req->a, req->lang, &t, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__choice(t[i].name, t[i].title));
    web__form_choices(f, "template", arr);
    return 0;
}

static int policy_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_policy p = {0};
    /* Creating, an empty title means the template's; editing, it is an error. */
    p.title = f->creating ? web__fv_or_null(f, "title") : web__fv(f, "title");
    p.owner = web__fv(f, "owner");
    p.review = web__fv_or_null(f, "review");
    p.body = web__fv(f, "body");
    if (f->creating) {
        p.slug = web__fv(f, "slug");
        p.template = web__fv_or_null(f, "template");
        if (p.body && !*p.body)
            p.body = NULL;
        if (p.owner && !*p.owner)
            p.owner = NULL;
        *key = p.slug;
        return app_policy_create(req->app, req->a, req->org.id, &p, e);
    }
    int64_t number = 0;
    bool changed = false;
    p.version = web__fi(f, "version", 0);
    *key = req->params[1];
    /* A browser sends the text with CRLF line ends: the stored text keeps
     * its LF ends, and an unchanged text is no new version. */
    if (p.body) {
        char *lf = arena_strdup(req->a, p.body), *w = lf;
        for (const char *r = p.body; *r; r++)
            if (!(r[0] == '\r' && r[1] == '\n'))
                *w++ = *r;
        *w = '\0';
        p.body = lf;
    }
    return app_policy_update(req->app, req->a, req->org.id, req->params[1], &p, &number, &changed,
                             e);
}

static const char *policy_done(struct web_req *req, const char *key, bool creating)
{
    return web__form_saved(req, policy_path(req, key, NULL), creating);
}

static int policy_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    return web__policy_detail(req, key, false, out, e);
}

static const struct web_formspec policy_spec = {
    .id = "policy",
    .fields = policy_fields,
    .title_new = "policies.new",
    .title_edit = "policies.edit",
    .intro = NULL,
    .back_label = "policies.title",
    .back = policies_back,
    .subject = web__form_subject_param1,
    .action = policy_action,
    .load = policy_load,
    .prepare = policy_prepare,
    .save = policy_save,
    .done = policy_done,
    .api_out = policy_out,
};

WEB__FORM_HANDLERS(policy, policy_spec)

/* --- the policy page ------------------------------------------------------------------ */

/* Adds to the policy page what the logged-in user may do: approve (an
 * editor's role; the app checks the person is an approver) and
 * acknowledge (their own person record, by email, once per version). */
static int user_actions(struct web_req *req, json_t *policy, struct err *e)
{
    const char *slug = json_string_value(json_object_get(policy, "slug"));
    struct app_policy_ack *acks;
    size_t n;
    int rc = app_policy_acks(req->app, req->a, req->org.id, slug, 0, &acks, &n, e);
    if (rc)
        return rc;
    bool listed = false, acked = false;
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(acks[i].email, req->user->email) == 0) {
            listed = true;
            acked = acks[i].acked_on != NULL;
            web__set_str(policy, "my_ack_on", acks[i].acked_on);
        }
    }
    web__set_bool(policy, "can_ack", listed && !acked);
    web__set_bool(policy, "acked_by_me", acked);
    web__set_bool(policy, "can_approve",
                  app_role_allows(req->role, APP_EDIT) &&
                      !json_is_true(json_object_get(policy, "is_approved")));
    return 0;
}

int web__policy_page_with(struct web_req *req, struct web_resp *resp, const char *error,
                          struct err *e)
{
    json_t *p;
    int rc = web__policy_detail(req, req->params[1], true, &p, e);
    if (rc == 0)
        rc = user_actions(req, p, e);
    if (rc) {
        json_decref(p);
        return rc;
    }
    const char *title = arena_strdup(req->a, json_string_value(json_object_get(p, "title")));
    json_t *d = json_object();
    json_object_set_new(d, "policy", p);
    web__set_str(d, "action_error", error);
    rc = web__page(req, resp, "policy", title, d, e);
    if (error)
        resp->status = 400;
    return rc;
}

/* --- approve and acknowledge ------------------------------------------------------------- */

/* A version number given as text: a whole number of at least 1. */
static int parse_version(const char *v, int64_t *number, struct err *e)
{
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end || n < 1)
        return ERR_SET(e, TL_EINPUT, "invalid version '%s'", v);
    *number = n;
    return 0;
}

static int version_field(struct web_req *req, int64_t *number, struct err *e)
{
    const char *v = web__f(req, "version");
    *number = 0;
    if (req->api && req->body_len) {
        /* {"version": N} or {} */
        static const struct web_field fields[] = {{.name = "version",
                                                   .kind = WEB_FK_NUMBER,
                                                   .label = "policies.version",
                                                   .min = 1,
                                                   .max = 1000000},
                                                  {0}};
        struct web_form f;
        web__form_init(&f, req, "v", fields, true);
        int rc = web__form_take(&f, e);
        if (rc == 0 && !web__form_check(&f))
            rc = ERR_SET(e, TL_EINPUT, "version must be a positive number");
        *number = web__fi(&f, "version", 0);
        web__form_release(&f);
        return rc;
    }
    return v && *v ? parse_version(v, number, e) : 0;
}

/* The policy the path names and the version the request gives (0: the current). */
static int policy_and_version(struct web_req *req, struct app_policy *p, int64_t *number,
                              struct err *e)
{
    int rc = app_policy_get(req->app, req->a, req->org.id, req->params[1], p, e);
    return rc ? rc : version_field(req, number, e);
}

/* An app failure that is the user's to fix is shown on the policy page. */
static int policy_action_done(struct web_req *req, struct web_resp *resp, int rc, struct err *ae,
                              const char *done, struct err *e)
{
    if (rc == 0) {
        if (req->api) {
            json_t *out = NULL;
            return web__send(resp, web__policy_detail(req, req->params[1], false, &out, e), &out);
        }
        web__redirect(resp, web__done(req, policy_path(req, req->params[1], NULL), done));
        return 0;
    }
    if (rc == TL_ENOTFOUND || rc == TL_EINPUT || rc == TL_EEXIST || rc == TL_EUSAGE ||
        rc == TL_EPERM) {
        if (req->api) {
            *e = *ae;
            return rc == TL_ENOTFOUND ? web__input_error(rc, e) : rc;
        }
        return web__policy_page_with(req, resp, ae->msg, e);
    }
    *e = *ae;
    return rc;
}

WEB__HANDLER(web__policy_approve)
{
    struct app_policy p;
    int64_t number = 0;
    int rc = policy_and_version(req, &p, &number, e);
    if (rc)
        return rc;
    struct err ae = ERR_INIT;
    rc = app_policy_approve(req->app, req->a, req->org.id, p.slug, &number, req->user->email, NULL,
                            &ae);
    return policy_action_done(req, resp, rc, &ae, "approved", e);
}

WEB__HANDLER(web__policy_ack)
{
    struct app_policy p;
    int64_t number = 0;
    int rc = policy_and_version(req, &p, &number, e);
    if (rc)
        return rc;
    struct err ae = ERR_INIT;
    const char *const emails[] = {req->user->email};
    rc = app_policy_ack(req->app, req->a, req->org.id, p.slug, &number, emails, 1, NULL, &ae);
    return policy_action_done(req, resp, rc, &ae, "acknowledged", e);
}

/* --- acknowledgments ------------------------------------------------------------------------ */

static const char *const ack_cols[] = {"email", "name", "acked_on", "active", NULL};

static int acks_rows(struct web_req *req, int64_t *number, json_t **rows, struct err *e)
{
    const char *v = web__q(req, "version");
    *number = 0;
    if (v) {
        int rc = parse_version(v, number, e);
        if (rc)
            return rc;
    }
    struct app_policy_ack *acks;
    size_t n;
    int rc = app_policy_acks(req->app, req->a, req->org.id, req->params[1], *number, &acks, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        web__set_str(o, "email", acks[i].email);
        web__set_str(o, "name", acks[i].name);
        web__set_str(o, "acked_on", acks[i].acked_on);
        web__set_bool(o, "active", acks[i].active);
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__policy_acks_page)
{
    struct app_policy p;
    int64_t number;
    json_t *rows;
    int rc = app_policy_get(req->app, req->a, req->org.id, req->params[1], &p, e);
    if (rc == 0)
        rc = acks_rows(req, &number, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, ack_cols, arena_printf(req->a, "%s-acks", p.slug))) {
        json_decref(rows);
        return 0;
    }
    size_t done = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        done += json_string_value(json_object_get(row, "acked_on")) != NULL;
    }
    json_t *d = json_object();
    web__set_str(d, "slug", p.slug);
    web__set_str(d, "policy_title", p.title);
    web__set_int(d, "version", number ? number : p.current);
    web__set_int(d, "acked", (long long)done);
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "acks", rows);
    static const char *const keys[] = {"version", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    return web__page(req, resp, "acks",
                     arena_printf(req->a, "%s: %s", p.title, web__t(req, "policies.acks")), d, e);
}

WEB__HANDLER(web__api_policy_acks)
{
    int64_t number;
    json_t *rows = NULL;
    return web__send(resp, acks_rows(req, &number, &rows, e), &rows);
}
