/* records.c - adding and editing risks (and linking them to controls),
 * people and vendors: the forms of src/web/form.c over app/risk.h,
 * app/person.h and app/vendor.h, for the pages and the API alike.
 */
#include "web/web_impl.h"

#include "app/control.h"
#include "app/person.h"
#include "app/risk.h"
#include "app/scope.h"
#include "app/vendor.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>

static const char *const one_to_five[] = {"1", "2", "3", "4", "5", NULL};

/* A comma-separated list as an array in a (*n entries; never NULL). */
static const char **split(struct arena *a, const char *s, size_t *n)
{
    const char **out = arena_calloc(a, s ? strlen(s) / 2 + 2 : 1, sizeof(*out));
    *n = 0;
    for (const char *p = s; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        while (k > 0 && *p == ' ') {
            p++;
            k--;
        }
        size_t t = k;
        while (t > 0 && p[t - 1] == ' ')
            t--;
        if (t)
            out[(*n)++] = arena_strndup(a, p, t);
        p += k + (comma ? 1 : 0);
    }
    return out;
}

/* --- risks --------------------------------------------------------------------------- */

static const struct web_field risk_fields[] = {
    {.name = "code",
     .kind = WEB_FK_TEXT,
     .label = "risks.code",
     .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
     .hint = "controls.code_hint",
     .max = 32,
     .match = "code|already exists"},
    {.name = "title",
     .kind = WEB_FK_TEXT,
     .label = "risks.risk",
     .flags = WEB_FF_REQUIRED,
     .match = "title",
     .max = 300},
    {.name = "description", .kind = WEB_FK_TEXTAREA, .label = "controls.description", .rows = 4},
    {.name = "category", .kind = WEB_FK_TEXT, .label = "risks.category", .max = 100},
    {.name = "likelihood",
     .kind = WEB_FK_SELECT,
     .label = "risks.likelihood",
     .flags = WEB_FF_REQUIRED,
     .options = one_to_five,
     .option_labels = "scale_likelihood",
     .match = "likelihood"},
    {.name = "impact",
     .kind = WEB_FK_SELECT,
     .label = "risks.impact",
     .flags = WEB_FF_REQUIRED,
     .options = one_to_five,
     .option_labels = "scale_impact",
     .match = "impact"},
    {.name = "treatment",
     .kind = WEB_FK_SELECT,
     .label = "risks.treatment",
     .flags = WEB_FF_REQUIRED,
     .options = dom_treatments,
     .option_labels = "treatment",
     .match = "treatment|mitigated"},
    {.name = "residual_likelihood",
     .kind = WEB_FK_SELECT,
     .label = "risks.residual_likelihood",
     .flags = WEB_FF_BLANK,
     .options = one_to_five,
     .option_labels = "scale_likelihood",
     .match = "residual likelihood|residual score|residual values"},
    {.name = "residual_impact",
     .kind = WEB_FK_SELECT,
     .label = "risks.residual_impact",
     .flags = WEB_FF_BLANK,
     .options = one_to_five,
     .option_labels = "scale_impact",
     .match = "residual impact"},
    {.name = "is_fraud", .kind = WEB_FK_CHECKBOX, .label = "risks.is_fraud"},
    {.name = "owner",
     .kind = WEB_FK_EMAIL,
     .label = "risks.owner",
     .hint = "form.owner_hint",
     .match = "person|owner",
     .datalist = "people",
     .max = 254},
    {.name = "next_review", .kind = WEB_FK_DATE, .label = "risks.next_review", .match = "review"},
    {.name = "controls",
     .kind = WEB_FK_TEXT,
     .label = "risks.controls",
     .hint = "risks.controls_hint",
     .match = "control|controls",
     .datalist = "controls",
     .max = 2000},
    WEB__VERSION_FIELD,
    {0}};

static const char *risk_back(struct web_req *req)
{
    if (req->n_params > 1)
        return web__org_path(req, arena_printf(req->a, "/risks/%s", web__enc(req, req->params[1])));
    return web__org_path(req, "/risks");
}

static const char *risk_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/risks") : risk_back(req);
}

static void risk_defaults(struct web_req *req, struct web_form *f)
{
    (void)req;
    web__form_set(f, "likelihood", "3");
    web__form_set(f, "impact", "3");
    web__form_set(f, "treatment", "mitigate");
}

static void set_int_or_empty(struct web_form *f, const char *name, int v)
{
    if (v)
        web__form_seti(f, name, v);
    else
        web__form_set(f, name, "");
}

static int risk_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_risk r;
    int rc = app_risk_get(req->app, req->a, req->org.id, req->params[1], &r, e);
    if (rc)
        return rc;
    web__form_set(f, "code", r.code);
    web__form_set(f, "title", r.title);
    web__form_set(f, "description", r.description);
    web__form_set(f, "category", r.category);
    web__form_seti(f, "likelihood", r.likelihood);
    web__form_seti(f, "impact", r.impact);
    web__form_set(f, "treatment", r.treatment);
    set_int_or_empty(f, "residual_likelihood", r.residual_likelihood);
    set_int_or_empty(f, "residual_impact", r.residual_impact);
    web__form_setb(f, "is_fraud", r.is_fraud == 1);
    web__form_set(f, "owner", r.owner);
    web__form_set(f, "next_review", r.next_review);
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < r.n_controls; i++)
        sb_addf(&sb, "%s%s", i ? ", " : "", r.controls[i]);
    web__form_set(f, "controls", sb.buf);
    sb_release(&sb);
    web__form_seti(f, "version", r.version);
    return 0;
}

static int controls_datalist(struct web_req *req, struct web_form *f, struct err *e)
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
    return 0;
}

static int risk_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    int rc = web__people_datalist(f, e);
    return rc ? rc : controls_datalist(req, f, e);
}

/* A patch int: "" clears, absent keeps, a number sets. */
static int patch_int(const struct web_form *f, const char *name)
{
    const char *v = web__fv(f, name);
    if (!v)
        return 0;
    return *v ? (int)strtol(v, NULL, 10) : APP_RISK_CLEAR;
}

static int risk_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_risk r = {0};
    r.title = web__fv(f, "title");
    r.description = web__fv(f, "description");
    r.category = web__fv(f, "category");
    r.treatment = web__fv_or_null(f, "treatment");
    r.owner = web__fv(f, "owner");
    r.next_review = web__fv(f, "next_review");
    const char *ctl = web__fv(f, "controls");
    if (ctl)
        r.controls = split(req->a, ctl, &r.n_controls);
    int fraud = web__fb(f, "is_fraud");
    if (f->creating) {
        r.code = web__fv(f, "code");
        r.likelihood = web__fi(f, "likelihood", 0);
        r.impact = web__fi(f, "impact", 0);
        r.residual_likelihood = web__fi(f, "residual_likelihood", 0);
        r.residual_impact = web__fi(f, "residual_impact", 0);
        r.is_fraud = fraud == 1;
        if (r.owner && !*r.owner)
            r.owner = NULL;
        if (r.next_review && !*r.next_review)
            r.next_review = NULL;
        if (!r.description)
            r.description = "";
        if (!r.category)
            r.category = "";
        *key = r.code;
        return app_risk_create(req->app, req->a, req->org.id, &r, e);
    }
    r.likelihood = patch_int(f, "likelihood");
    r.impact = patch_int(f, "impact");
    r.residual_likelihood = patch_int(f, "residual_likelihood");
    r.residual_impact = patch_int(f, "residual_impact");
    r.is_fraud = fraud < 0 ? 0 : fraud ? 1 : APP_RISK_CLEAR;
    r.version = web__fi(f, "version", 0);
    *key = req->params[1];
    return app_risk_update(req->app, req->a, req->org.id, req->params[1], &r, e);
}

static const char *risk_done(struct web_req *req, const char *key, bool creating)
{
    const char *page = arena_printf(req->a, "/risks/%s", web__enc(req, key));
    return web__form_saved(req, web__org_path(req, page), creating);
}

static int risk_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_risk r;
    int rc = app_risk_get(req->app, req->a, req->org.id, key, &r, e);
    if (rc == 0) {
        *out = web__risk_json(req, &r);
        web__set_int(*out, "version", (long long)r.version);
    }
    return rc;
}

static const struct web_formspec risk_spec = {
    .id = "risk",
    .fields = risk_fields,
    .title_new = "risks.new",
    .title_edit = "risks.edit",
    .back_label = "risks.title",
    .back = risk_back,
    .subject = web__form_subject_param1,
    .action = risk_action,
    .defaults = risk_defaults,
    .load = risk_load,
    .prepare = risk_prepare,
    .save = risk_save,
    .done = risk_done,
    .api_out = risk_out,
};

WEB__FORM_HANDLERS(risk, risk_spec)

/* The risk's page: its facts, linked controls (unlink; link another). */
static int risk_page(struct web_req *req, struct web_resp *resp, const char *link_error,
                     struct err *e)
{
    struct app_risk r;
    struct app_control *c;
    size_t n;
    int rc = app_risk_get(req->app, req->a, req->org.id, req->params[1], &r, e);
    if (rc == 0)
        rc = app_control_list(req->app, req->a, req->org.id, NULL, &c, &n, e);
    if (rc)
        return rc;
    json_t *d = json_object(), *choices = json_array(), *hist;
    json_object_set_new(d, "risk", web__risk_json(req, &r));
    for (size_t i = 0; i < n; i++) {
        bool linked = false;
        for (size_t k = 0; k < r.n_controls && !linked; k++)
            linked = strcmp(r.controls[k], c[i].code) == 0;
        if (!linked)
            json_array_append_new(
                choices,
                web__choice(c[i].code, arena_printf(req->a, "%s %s", c[i].code, c[i].title)));
    }
    json_object_set_new(d, "link_choices", choices);
    web__set_str(d, "link_error", link_error);
    rc = web__history(req, "risk", r.code, &hist, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    json_object_set_new(d, "history", hist);
    rc = web__page(req, resp, "risk", arena_printf(req->a, "%s %s", r.code, r.title), d, e);
    if (link_error)
        resp->status = 400;
    return rc;
}

WEB__HANDLER(web__risk_page)
{
    return risk_page(req, resp, NULL, e);
}

WEB__HANDLER(web__api_risk)
{
    json_t *out = NULL;
    return web__send_record(resp, risk_out(req, req->params[1], &out, e), &out);
}

/* After a link or unlink: the risk for the API, else back to its page with
 * the notice. */
static int risk_links_changed(struct web_req *req, struct web_resp *resp, const char *code,
                              const char *notice, struct err *e)
{
    if (req->api) {
        json_t *out = NULL;
        return web__send(resp, risk_out(req, code, &out, e), &out);
    }
    web__redirect(resp, web__done(req, risk_back(req), notice));
    return 0;
}

/* POST /o/{org}/risks/{code}/link (control, repeated) and
 * POST /api/v1/orgs/{org}/risks/{code}/controls {"controls": [...]}. */
WEB__HANDLER(web__risk_link)
{
    struct app_risk r;
    int rc = app_risk_get(req->app, req->a, req->org.id, req->params[1], &r, e);
    if (rc)
        return rc;
    static const struct web_field fields[] = {
        {.name = "controls", .kind = WEB_FK_CHECKS, .label = "risks.controls"}, {0}};
    size_t n = 0;
    const char *const *codes;
    if (req->api) {
        struct web_form f;
        web__form_init(&f, req, "link", fields, true);
        rc = web__form_take(&f, e);
        codes = split(req->a, web__fv(&f, "controls"), &n);
        web__form_release(&f);
        if (rc)
            return rc;
    } else {
        codes = web__f_all(req, "control", &n);
    }
    struct err le = ERR_INIT;
    if (n == 0)
        rc = ERR_SET(&le, TL_EINPUT, "%s", web__t(req, "risks.choose_control"));
    else
        rc = web__input_error(app_risk_link(req->app, req->a, req->org.id, r.code, codes, n, &le),
                              &le);
    if (rc == TL_EINPUT || rc == TL_EEXIST) {
        if (req->api) {
            *e = le;
            return rc;
        }
        return risk_page(req, resp, le.msg, e);
    }
    if (rc) {
        *e = le;
        return rc;
    }
    return risk_links_changed(req, resp, r.code, "linked", e);
}

/* POST /o/{org}/risks/{code}/unlink (control) and
 * DELETE /api/v1/orgs/{org}/risks/{code}/controls/{control}. */
WEB__HANDLER(web__risk_unlink)
{
    struct app_risk r;
    int rc = app_risk_get(req->app, req->a, req->org.id, req->params[1], &r, e);
    if (rc)
        return rc;
    const char *control = req->api ? req->params[2] : web__f(req, "control");
    if (!control || !*control)
        return ERR_SET(e, TL_EINPUT, "give the control to unlink");
    struct err le = ERR_INIT;
    rc = web__input_error(app_risk_unlink(req->app, req->a, req->org.id, r.code,
                                          (const char *const[]){control}, 1, &le),
                          &le);
    if (rc == TL_EINPUT && !req->api)
        return risk_page(req, resp, le.msg, e);
    if (rc) {
        *e = le;
        return rc;
    }
    return risk_links_changed(req, resp, r.code, "unlinked", e);
}

/* --- people ------------------------------------------------------------------------------ */

static const struct web_field person_fields[] = {
    {.name = "email",
     .kind = WEB_FK_EMAIL,
     .label = "people.email",
     .flags = WEB_FF_REQUIRED,
     .match = "email|already exists",
     .max = 254},
    {.name = "name",
     .kind = WEB_FK_TEXT,
     .label = "people.name",
     .flags = WEB_FF_REQUIRED,
     .match = "name",
     .max = 200},
    {.name = "title", .kind = WEB_FK_TEXT, .label = "people.job_title", .max = 200},
    {.name = "department", .kind = WEB_FK_TEXT, .label = "people.department", .max = 200},
    {.name = "manager",
     .kind = WEB_FK_EMAIL,
     .label = "people.manager",
     .datalist = "people",
     .match = "manager|person with email",
     .max = 254},
    {.name = "start_date", .kind = WEB_FK_DATE, .label = "people.start_date", .match = "start"},
    {.name = "end_date", .kind = WEB_FK_DATE, .label = "people.end_date", .match = "end date|left"},
    {.name = "is_control_owner", .kind = WEB_FK_CHECKBOX, .label = "people.is_control_owner"},
    {.name = "is_approver", .kind = WEB_FK_CHECKBOX, .label = "people.is_approver"},
    WEB__VERSION_FIELD,
    {0}};

static const char *people_back(struct web_req *req)
{
    return web__org_path(req, "/people");
}

static const char *person_action(struct web_req *req, bool creating)
{
    return creating ? people_back(req)
                    : web__org_path(
                          req, arena_printf(req->a, "/people/%s", web__enc(req, req->params[1])));
}

static int person_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_person p;
    int rc = app_person_get(req->app, req->a, req->org.id, req->params[1], &p, e);
    if (rc)
        return rc;
    web__form_set(f, "email", p.email);
    web__form_set(f, "name", p.name);
    web__form_set(f, "title", p.title);
    web__form_set(f, "department", p.department);
    web__form_set(f, "manager", p.manager);
    web__form_set(f, "start_date", p.start_date);
    web__form_set(f, "end_date", p.end_date);
    web__form_setb(f, "is_control_owner", p.is_control_owner == 1);
    web__form_setb(f, "is_approver", p.is_approver == 1);
    web__form_seti(f, "version", p.version);
    return 0;
}

static int person_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_person p = APP_PERSON_PATCH;
    p.email = web__fv(f, "email");
    p.name = web__fv(f, "name");
    p.title = web__fv(f, "title");
    p.department = web__fv(f, "department");
    p.manager = web__fv(f, "manager");
    p.start_date = web__fv(f, "start_date");
    p.end_date = web__fv(f, "end_date");
    p.is_control_owner = web__fb(f, "is_control_owner");
    p.is_approver = web__fb(f, "is_approver");
    if (f->creating) {
        if (!p.title)
            p.title = "";
        if (!p.department)
            p.department = "";
        p.is_control_owner = p.is_control_owner == 1;
        p.is_approver = p.is_approver == 1;
        *key = p.email;
        return app_person_create(req->app, req->a, req->org.id, &p, NULL, e);
    }
    if (p.email && strcmp(p.email, req->params[1]) == 0)
        p.email = NULL; /* not a rename */
    p.version = web__fi(f, "version", 0);
    *key = p.email ? p.email : req->params[1];
    return app_person_update(req->app, req->a, req->org.id, req->params[1], &p, e);
}

static const char *person_done(struct web_req *req, const char *key, bool creating)
{
    (void)key;
    return web__form_saved(req, people_back(req), creating);
}

static int person_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_person p;
    int rc = app_person_get(req->app, req->a, req->org.id, key, &p, e);
    if (rc == 0) {
        *out = web__person_json(req, &p);
        web__set_int(*out, "version", (long long)p.version);
    }
    return rc;
}

static const struct web_formspec person_spec = {
    .id = "person",
    .fields = person_fields,
    .title_new = "people.new",
    .title_edit = "people.edit",
    .back_label = "people.title",
    .back = people_back,
    .subject = web__form_subject_param1,
    .action = person_action,
    .load = person_load,
    .prepare = web__form_people_prepare,
    .save = person_save,
    .done = person_done,
    .api_out = person_out,
};

WEB__FORM_HANDLERS(person, person_spec)

WEB__HANDLER(web__api_person)
{
    json_t *out = NULL;
    return web__send_record(resp, person_out(req, req->params[1], &out, e), &out);
}

/* --- vendors ------------------------------------------------------------------------------ */

static const struct web_field vendor_fields[] = {
    {.name = "slug",
     .kind = WEB_FK_TEXT,
     .label = "vendors.slug",
     .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
     .hint = "form.slug_hint",
     .match = "slug|already exists",
     .max = 64},
    {.name = "name",
     .kind = WEB_FK_TEXT,
     .label = "vendors.name",
     .flags = WEB_FF_REQUIRED,
     .match = "name",
     .max = 200},
    {.name = "service", .kind = WEB_FK_TEXT, .label = "vendors.service", .max = 300},
    {.name = "criticality",
     .kind = WEB_FK_SELECT,
     .label = "vendors.criticality",
     .options = dom_criticalities,
     .option_labels = "criticality"},
    {.name = "data_shared", .kind = WEB_FK_TEXT, .label = "vendors.data", .max = 500},
    {.name = "soc_report",
     .kind = WEB_FK_CHECKBOX,
     .label = "vendors.soc_report",
     .match = "soc_report|has a SOC report"},
    {.name = "soc_period_end",
     .kind = WEB_FK_DATE,
     .label = "vendors.soc_period_end",
     .match = "period end"},
    {.name = "subservice",
     .kind = WEB_FK_SELECT,
     .label = "vendors.subservice",
     .flags = WEB_FF_BLANK,
     .hint = "vendors.subservice_hint",
     .match = "subservice"},
    WEB__VERSION_FIELD,
    {0}};

static const char *vendors_back(struct web_req *req)
{
    return web__org_path(req, "/vendors");
}

static const char *vendor_action(struct web_req *req, bool creating)
{
    return creating ? vendors_back(req)
                    : web__org_path(
                          req, arena_printf(req->a, "/vendors/%s", web__enc(req, req->params[1])));
}

static void vendor_defaults(struct web_req *req, struct web_form *f)
{
    (void)req;
    web__form_set(f, "criticality", "medium");
}

static int vendor_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_vendor v;
    int rc = app_vendor_get(req->app, req->a, req->org.id, req->params[1], &v, e);
    if (rc)
        return rc;
    web__form_set(f, "slug", v.slug);
    web__form_set(f, "name", v.name);
    web__form_set(f, "service", v.service);
    web__form_set(f, "criticality", v.criticality);
    web__form_set(f, "data_shared", v.data_shared);
    web__form_setb(f, "soc_report", v.soc_report == 1);
    web__form_set(f, "soc_period_end", v.soc_period_end);
    web__form_set(f, "subservice", v.subservice);
    web__form_seti(f, "version", v.version);
    return 0;
}

static int vendor_prepare(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_subservice *s;
    size_t n;
    int rc = app_subservice_list(req->app, req->a, req->org.id, &s, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__choice(s[i].slug, s[i].name));
    web__form_choices(f, "subservice", arr);
    return 0;
}

static int vendor_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_vendor v = APP_VENDOR_PATCH;
    v.name = web__fv(f, "name");
    v.service = web__fv(f, "service");
    v.criticality = web__fv_or_null(f, "criticality");
    v.data_shared = web__fv(f, "data_shared");
    v.soc_report = web__fb(f, "soc_report");
    v.soc_period_end = web__fv(f, "soc_period_end");
    v.subservice = web__fv(f, "subservice");
    if (f->creating) {
        v.slug = web__fv(f, "slug");
        v.soc_report = v.soc_report == 1;
        if (!v.service)
            v.service = "";
        if (!v.data_shared)
            v.data_shared = "";
        *key = v.slug;
        return app_vendor_create(req->app, req->a, req->org.id, &v, NULL, e);
    }
    v.version = web__fi(f, "version", 0);
    *key = req->params[1];
    return app_vendor_update(req->app, req->a, req->org.id, req->params[1], &v, e);
}

static const char *vendor_done(struct web_req *req, const char *key, bool creating)
{
    (void)key;
    return web__form_saved(req, vendors_back(req), creating);
}

static int vendor_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_vendor v;
    int rc = app_vendor_get(req->app, req->a, req->org.id, key, &v, e);
    if (rc == 0) {
        *out = web__vendor_json(req, &v);
        web__set_int(*out, "version", (long long)v.version);
    }
    return rc;
}

static const struct web_formspec vendor_spec = {
    .id = "vendor",
    .fields = vendor_fields,
    .title_new = "vendors.new",
    .title_edit = "vendors.edit",
    .back_label = "vendors.title",
    .back = vendors_back,
    .subject = web__form_subject_param1,
    .action = vendor_action,
    .defaults = vendor_defaults,
    .load = vendor_load,
    .prepare = vendor_prepare,
    .save = vendor_save,
    .done = vendor_done,
    .api_out = vendor_out,
};

WEB__FORM_HANDLERS(vendor, vendor_spec)

WEB__HANDLER(web__api_vendor)
{
    json_t *out = NULL;
    return web__send_record(resp, vendor_out(req, req->params[1], &out, e), &out);
}
