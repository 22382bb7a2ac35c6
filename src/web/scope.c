/* scope.c - the system in scope (the system description of the report):
 * the system's name, boundaries and commitments, the trust services
 * categories in or out with a reason, services, components, subservice
 * organizations with their CSOCs, and CUECs.  One page shows it all; each
 * record has a form (src/web/form.c), and the API takes the same fields.
 */
#include "web/web_impl.h"

#include "app/scope.h"
#include "domain/program.h"

#include <string.h>

/* --- the whole scope as JSON ------------------------------------------------------ */

/* Each record with its version (what an edit is based on, docs/web.md). */
static json_t *service_json(const struct app_service *s)
{
    json_t *x = json_object();
    web__set_str(x, "name", s->name);
    web__set_str(x, "description", s->description);
    web__set_int(x, "version", (long long)s->version);
    return x;
}

static json_t *component_json(struct web_req *req, const struct app_component *c)
{
    json_t *x = json_object();
    web__set_str(x, "kind", c->kind);
    web__set_str(x, "kind_label", web__label(req, "kind", c->kind));
    web__set_str(x, "name", c->name);
    web__set_str(x, "description", c->description);
    web__set_bool(x, "in_scope", c->in_scope);
    web__set_str(x, "reason", c->reason);
    web__set_int(x, "version", (long long)c->version);
    return x;
}

static json_t *subservice_json(struct web_req *req, const struct app_subservice *so)
{
    json_t *x = json_object();
    web__set_str(x, "slug", so->slug);
    web__set_str(x, "name", so->name);
    web__set_str(x, "method", so->method);
    web__set_str(x, "method_label", web__label(req, "method", so->method));
    web__set_str(x, "services", so->services);
    web__set_int(x, "version", (long long)so->version);
    return x;
}

static json_t *csoc_json(const struct app_csoc *c)
{
    json_t *x = json_object();
    web__set_str(x, "id", c->id);
    web__set_str(x, "text", c->text);
    web__set_str(x, "criteria", c->criteria);
    web__set_int(x, "version", (long long)c->version);
    return x;
}

static json_t *cuec_json(const struct app_cuec *c)
{
    json_t *x = json_object();
    web__set_str(x, "code", c->code);
    web__set_str(x, "text", c->text);
    web__set_str(x, "criteria", c->criteria);
    web__set_int(x, "version", (long long)c->version);
    return x;
}

static json_t *scope_json(struct web_req *req, const struct app_scope *s)
{
    json_t *o = json_object(), *sys = json_object(), *cats = json_array(), *svcs = json_array(),
           *comps = json_array(), *subs = json_array(), *cuecs = json_array();
    web__set_str(sys, "name", s->system.name);
    web__set_str(sys, "boundaries", s->system.boundaries);
    web__set_str(sys, "commitments", s->system.commitments);
    web__set_int(sys, "version", (long long)s->system.version);
    json_object_set_new(o, "system", sys);
    for (size_t i = 0; i < s->n_categories; i++) {
        json_t *x = json_object();
        web__set_str(x, "category", s->categories[i].category);
        web__set_str(x, "label", web__label(req, "category", s->categories[i].category));
        web__set_bool(x, "in_scope", s->categories[i].in_scope);
        web__set_str(x, "reason", s->categories[i].reason);
        json_array_append_new(cats, x);
    }
    for (size_t i = 0; i < s->n_services; i++)
        json_array_append_new(svcs, service_json(&s->services[i]));
    for (size_t i = 0; i < s->n_components; i++)
        json_array_append_new(comps, component_json(req, &s->components[i]));
    for (size_t i = 0; i < s->n_subservices; i++) {
        const struct app_subservice *so = &s->subservices[i];
        json_t *x = subservice_json(req, so), *csocs = json_array();
        for (size_t k = 0; k < s->n_csocs; k++)
            if (strcmp(s->csocs[k].subservice, so->slug) == 0)
                json_array_append_new(csocs, csoc_json(&s->csocs[k]));
        json_object_set_new(x, "csocs", csocs);
        json_array_append_new(subs, x);
    }
    for (size_t i = 0; i < s->n_cuecs; i++)
        json_array_append_new(cuecs, cuec_json(&s->cuecs[i]));
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "services", svcs);
    json_object_set_new(o, "components", comps);
    json_object_set_new(o, "subservice_orgs", subs);
    json_object_set_new(o, "cuecs", cuecs);
    return o;
}

static const char *const component_cols[] = {"kind",     "name",   "description",
                                             "in_scope", "reason", NULL};

WEB__HANDLER(web__scope_page)
{
    struct app_scope s;
    int rc = app_scope_get(req->app, req->a, req->org.id, &s, e);
    if (rc)
        return rc;
    json_t *d = scope_json(req, &s);
    const char *format = web__q(req, "format");
    if (format && strcmp(format, "json") == 0) {
        web__json(resp, 200, d);
        web__download(req, resp, "application/json", "scope", "json");
        return 0;
    }
    if (web__export(req, resp, json_object_get(d, "components"), component_cols,
                    "scope-components")) {
        json_decref(d);
        return 0;
    }
    /* Names are free text: the page's links carry them encoded. */
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "services"), i, x)
    {
        web__set_str(
            x, "href",
            web__org_path(
                req, arena_printf(req->a, "/scope/services/%s",
                                  web__enc(req, json_string_value(json_object_get(x, "name"))))));
    }
    json_array_foreach(json_object_get(d, "components"), i, x)
    {
        web__set_str(
            x, "href",
            web__org_path(
                req, arena_printf(req->a, "/scope/components/%s/%s",
                                  json_string_value(json_object_get(x, "kind")),
                                  web__enc(req, json_string_value(json_object_get(x, "name"))))));
    }
    return web__page(req, resp, "scope", web__t(req, "scope.title"), d, e);
}

WEB__HANDLER(web__api_scope)
{
    struct app_scope s;
    int rc = app_scope_get(req->app, req->a, req->org.id, &s, e);
    if (rc == 0)
        web__json(resp, 200, scope_json(req, &s));
    return rc;
}

/* --- common pieces --------------------------------------------------------------------- */

static const char *scope_back(struct web_req *req)
{
    return web__org_path(req, "/scope");
}

static const char *scope_done(struct web_req *req, const char *key, bool creating)
{
    (void)key;
    return web__form_saved(req, scope_back(req), creating);
}

static int scope_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    (void)key;
    struct app_scope s;
    int rc = app_scope_get(req->app, req->a, req->org.id, &s, e);
    if (rc == 0)
        *out = scope_json(req, &s);
    return rc;
}

static const char *param(struct web_req *req, size_t i)
{
    return i < req->n_params ? req->params[i] : NULL;
}

/* "/scope/<what>[/<p1>[/<p2>]]" with the params encoded. */
static const char *record_path(struct web_req *req, const char *what, size_t n)
{
    const char *p = arena_printf(req->a, "/scope/%s", what);
    for (size_t i = 1; i <= n && i < req->n_params; i++)
        p = arena_printf(req->a, "%s/%s", p, web__enc(req, req->params[i]));
    return web__org_path(req, p);
}

/* --- the system ----------------------------------------------------------------------- */

static const struct web_field system_fields[] = {
    {.name = "name", .kind = WEB_FK_TEXT, .label = "scope.system_name", .max = 200},
    {.name = "boundaries",
     .kind = WEB_FK_TEXTAREA,
     .label = "scope.boundaries",
     .hint = "scope.boundaries_hint",
     .rows = 8},
    {.name = "commitments",
     .kind = WEB_FK_TEXTAREA,
     .label = "scope.commitments",
     .hint = "scope.commitments_hint",
     .rows = 8},
    WEB__VERSION_FIELD,
    {0}};

static const char *system_action(struct web_req *req, bool creating)
{
    (void)creating;
    return web__org_path(req, "/scope/system");
}

static int system_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_system s;
    int rc = app_system_get(req->app, req->a, req->org.id, &s, e);
    if (rc == 0) {
        web__form_set(f, "name", s.name);
        web__form_set(f, "boundaries", s.boundaries);
        web__form_set(f, "commitments", s.commitments);
        web__form_seti(f, "version", s.version);
    }
    return rc;
}

static int system_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_system p = {.name = web__fv(f, "name"),
                           .boundaries = web__fv(f, "boundaries"),
                           .commitments = web__fv(f, "commitments"),
                           .version = web__fi(f, "version", 0)};
    *key = "system";
    return app_system_update(req->app, req->a, req->org.id, &p, e);
}

static const struct web_formspec system_spec = {
    .id = "system",
    .fields = system_fields,
    .title_new = "scope.system_edit",
    .title_edit = "scope.system_edit",
    .back_label = "scope.title",
    .back = scope_back,
    .action = system_action,
    .load = system_load,
    .save = system_save,
    .done = scope_done,
    .api_out = scope_out,
};

WEB__HANDLER(web__scope_system_form)
{
    return web__form_show(req, resp, &system_spec, false, e);
}

WEB__HANDLER(web__scope_system_save)
{
    return web__form_submit(req, resp, &system_spec, false, e);
}

/* --- categories ------------------------------------------------------------------------ */

static const struct web_field category_fields[] = {{.name = "in_scope",
                                                    .kind = WEB_FK_CHECKBOX,
                                                    .label = "scope.in_scope",
                                                    .match = "always in scope"},
                                                   {.name = "reason",
                                                    .kind = WEB_FK_TEXTAREA,
                                                    .label = "scope.reason",
                                                    .hint = "scope.reason_hint",
                                                    .match = "reason",
                                                    .rows = 3,
                                                    .max = 2000},
                                                   {0}};

static const char *category_subject(struct web_req *req)
{
    return web__label(req, "category", req->params[1]);
}

static const char *category_action(struct web_req *req, bool creating)
{
    (void)creating;
    return record_path(req, "categories", 1);
}

static int category_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_scope_category c;
    int rc = app_scope_category_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc == TL_EINPUT)
        return ERR_SET(e, TL_ENOTFOUND, "no category '%s'", req->params[1]);
    if (rc == 0) {
        web__form_setb(f, "in_scope", c.in_scope);
        web__form_set(f, "reason", c.reason);
    }
    return rc;
}

static int category_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_scope_category c;
    int rc = app_scope_category_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc)
        return rc;
    int in = web__fb(f, "in_scope");
    if (in >= 0)
        c.in_scope = in;
    const char *reason = web__fv(f, "reason");
    c.reason = c.in_scope ? "" : reason ? reason : c.reason;
    *key = c.category;
    return app_scope_category_set(req->app, req->a, req->org.id, &c, e);
}

static const struct web_formspec category_spec = {
    .id = "category",
    .fields = category_fields,
    .title_new = "scope.category_edit",
    .title_edit = "scope.category_edit",
    .intro = "scope.category_intro",
    .back_label = "scope.title",
    .back = scope_back,
    .subject = category_subject,
    .action = category_action,
    .load = category_load,
    .save = category_save,
    .done = scope_done,
    .api_out = scope_out,
};

WEB__HANDLER(web__scope_category_form)
{
    return web__form_show(req, resp, &category_spec, false, e);
}

WEB__HANDLER(web__scope_category_save)
{
    return web__form_submit(req, resp, &category_spec, false, e);
}

/* --- services ------------------------------------------------------------------------- */

static const struct web_field service_fields[] = {
    {.name = "name",
     .kind = WEB_FK_TEXT,
     .label = "scope.service_name",
     .flags = WEB_FF_REQUIRED,
     .match = "name|already exists",
     .max = 200},
    {.name = "description", .kind = WEB_FK_TEXTAREA, .label = "scope.description", .rows = 4},
    WEB__VERSION_FIELD,
    {0}};

static const char *service_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/scope/services") : record_path(req, "services", 1);
}

static int service_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_service s;
    int rc = app_service_get(req->app, req->a, req->org.id, req->params[1], &s, e);
    if (rc == 0) {
        web__form_set(f, "name", s.name);
        web__form_set(f, "description", s.description);
        web__form_seti(f, "version", s.version);
    }
    return rc;
}

static int service_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_service s = {.name = web__fv(f, "name"), .description = web__fv(f, "description")};
    if (f->creating) {
        *key = s.name;
        return app_service_create(req->app, req->a, req->org.id, &s, e);
    }
    *key = s.name ? s.name : req->params[1];
    if (s.name && strcmp(s.name, req->params[1]) == 0)
        s.name = NULL; /* not a rename */
    if (!s.name && !s.description)
        return 0;
    s.version = web__fi(f, "version", 0);
    return app_service_update(req->app, req->a, req->org.id, req->params[1], &s, e);
}

/* The API's answer to a saved service: the service with its version. */
static int service_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_service s;
    int rc = app_service_get(req->app, req->a, req->org.id, key, &s, e);
    if (rc == 0)
        *out = service_json(&s);
    return rc;
}

static const char *service_remove(struct web_req *req)
{
    return arena_printf(req->a, "%s/delete", record_path(req, "services", 1));
}

static const struct web_formspec service_spec = {
    .remove = service_remove,
    .id = "service",
    .fields = service_fields,
    .title_new = "scope.service_new",
    .title_edit = "scope.service_edit",
    .back_label = "scope.title",
    .back = scope_back,
    .subject = web__form_subject_param1,
    .action = service_action,
    .load = service_load,
    .save = service_save,
    .done = scope_done,
    .api_out = service_out,
};

/* --- components ---------------------------------------------------------------------- */

static const struct web_field component_fields[] = {
    {.name = "kind",
     .kind = WEB_FK_SELECT,
     .label = "scope.kind",
     .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
     .options = dom_component_kinds,
     .option_labels = "kind"},
    {.name = "name",
     .kind = WEB_FK_TEXT,
     .label = "scope.component_name",
     .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
     .match = "name|already exists",
     .max = 200},
    {.name = "description", .kind = WEB_FK_TEXTAREA, .label = "scope.description", .rows = 4},
    {.name = "in_scope", .kind = WEB_FK_CHECKBOX, .label = "scope.in_scope"},
    {.name = "reason",
     .kind = WEB_FK_TEXTAREA,
     .label = "scope.reason",
     .hint = "scope.reason_hint",
     .match = "reason",
     .rows = 3,
     .max = 2000},
    WEB__VERSION_FIELD,
    {0}};

static const char *component_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/scope/components") : record_path(req, "components", 2);
}

static const char *component_subject(struct web_req *req)
{
    return arena_printf(req->a, "%s (%s)", req->params[2], web__label(req, "kind", req->params[1]));
}

static void component_defaults(struct web_req *req, struct web_form *f)
{
    (void)req;
    web__form_setb(f, "in_scope", true);
}

static int component_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_component c;
    int rc =
        app_component_get(req->app, req->a, req->org.id, req->params[1], req->params[2], &c, e);
    if (rc == TL_EINPUT)
        return ERR_SET(e, TL_ENOTFOUND, "no component '%s'", req->params[2]);
    if (rc == 0) {
        web__form_set(f, "kind", c.kind);
        web__form_set(f, "name", c.name);
        web__form_set(f, "description", c.description);
        web__form_setb(f, "in_scope", c.in_scope);
        web__form_set(f, "reason", c.reason);
        web__form_seti(f, "version", c.version);
    }
    return rc;
}

static int component_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    int in = web__fb(f, "in_scope");
    if (f->creating) {
        struct app_component c = {.kind = web__fv(f, "kind"),
                                  .name = web__fv(f, "name"),
                                  .description = web__fv(f, "description"),
                                  .in_scope = in != 0,
                                  .reason = in != 0 ? "" : web__fv(f, "reason")};
        *key = arena_printf(req->a, "%s/%s", c.kind ? c.kind : "", c.name ? c.name : "");
        return app_component_create(req->app, req->a, req->org.id, &c, e);
    }
    struct app_component_patch p = {.description = web__fv(f, "description"),
                                    .version = web__fi(f, "version", 0)};
    p.scope = in < 0 ? APP_SCOPE_KEEP : in ? APP_SCOPE_IN : APP_SCOPE_OUT;
    if (in == 0)
        p.reason = web__fv_or_null(f, "reason");
    *key = arena_printf(req->a, "%s/%s", req->params[1], req->params[2]);
    return app_component_update(req->app, req->a, req->org.id, req->params[1], req->params[2], &p,
                                e);
}

/* The API's answer to a saved component (key "kind/name"): it with its version. */
static int component_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    const char *slash = strchr(key, '/');
    const char *kind = slash ? arena_strndup(req->a, key, (size_t)(slash - key)) : key;
    struct app_component c;
    int rc = app_component_get(req->app, req->a, req->org.id, kind, slash ? slash + 1 : "", &c, e);
    if (rc == 0)
        *out = component_json(req, &c);
    return rc;
}

/* The component in the audit log: "kind/name". */
static const char *component_audit_key(struct web_req *req)
{
    return arena_printf(req->a, "%s/%s", req->params[1], req->params[2]);
}

static const char *component_remove(struct web_req *req)
{
    return arena_printf(req->a, "%s/delete", record_path(req, "components", 2));
}

static const struct web_formspec component_spec = {
    .remove = component_remove,
    .id = "component",
    .fields = component_fields,
    .title_new = "scope.component_new",
    .title_edit = "scope.component_edit",
    .back_label = "scope.title",
    .back = scope_back,
    .subject = component_subject,
    .action = component_action,
    .defaults = component_defaults,
    .audit_key = component_audit_key,
    .load = component_load,
    .save = component_save,
    .done = scope_done,
    .api_out = component_out,
};

/* --- subservice organizations ------------------------------------------------------- */

static const struct web_field subservice_fields[] = {
    {.name = "slug",
     .kind = WEB_FK_TEXT,
     .label = "scope.slug",
     .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
     .hint = "form.slug_hint",
     .match = "slug|already exists",
     .max = 64},
    {.name = "name",
     .kind = WEB_FK_TEXT,
     .label = "scope.subservice_name",
     .flags = WEB_FF_REQUIRED,
     .match = "name",
     .max = 200},
    {.name = "method",
     .kind = WEB_FK_SELECT,
     .label = "scope.method",
     .flags = WEB_FF_REQUIRED,
     .options = dom_sub_methods,
     .option_labels = "method",
     .hint = "scope.method_hint"},
    {.name = "services", .kind = WEB_FK_TEXTAREA, .label = "scope.sub_services", .rows = 3},
    WEB__VERSION_FIELD,
    {0}};

static const char *subservice_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/scope/subservices") : record_path(req, "subservices", 1);
}

static void subservice_defaults(struct web_req *req, struct web_form *f)
{
    (void)req;
    web__form_set(f, "method", "carve-out");
}

static int subservice_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_subservice s;
    int rc = app_subservice_get(req->app, req->a, req->org.id, req->params[1], &s, e);
    if (rc == 0) {
        web__form_set(f, "slug", s.slug);
        web__form_set(f, "name", s.name);
        web__form_set(f, "method", s.method);
        web__form_set(f, "services", s.services);
        web__form_seti(f, "version", s.version);
    }
    return rc;
}

static int subservice_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_subservice s = {.slug = web__fv(f, "slug"),
                               .name = web__fv(f, "name"),
                               .method = web__fv_or_null(f, "method"),
                               .services = web__fv(f, "services")};
    if (f->creating) {
        *key = s.slug;
        return app_subservice_create(req->app, req->a, req->org.id, &s, e);
    }
    *key = req->params[1];
    if (!s.name && !s.method && !s.services)
        return 0;
    s.version = web__fi(f, "version", 0);
    return app_subservice_update(req->app, req->a, req->org.id, req->params[1], &s, e);
}

/* The API's answer to a saved subservice organization: it with its version. */
static int subservice_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_subservice s;
    int rc = app_subservice_get(req->app, req->a, req->org.id, key, &s, e);
    if (rc == 0) {
        *out = subservice_json(req, &s);
        web__set_int(*out, "csocs", (long long)s.n_csocs);
    }
    return rc;
}

static const char *subservice_remove(struct web_req *req)
{
    return arena_printf(req->a, "%s/delete", record_path(req, "subservices", 1));
}

static const struct web_formspec subservice_spec = {
    .remove = subservice_remove,
    .id = "subservice",
    .fields = subservice_fields,
    .title_new = "scope.subservice_new",
    .title_edit = "scope.subservice_edit",
    .back_label = "scope.title",
    .back = scope_back,
    .subject = web__form_subject_param1,
    .action = subservice_action,
    .defaults = subservice_defaults,
    .audit_type = "subservice_org",
    .load = subservice_load,
    .save = subservice_save,
    .done = scope_done,
    .api_out = subservice_out,
};

/* --- CSOCs ------------------------------------------------------------------------------ */

static const struct web_field csoc_fields[] = {{.name = "text",
                                                .kind = WEB_FK_TEXTAREA,
                                                .label = "scope.csoc_text",
                                                .flags = WEB_FF_REQUIRED,
                                                .match = "text",
                                                .rows = 4,
                                                .max = 4000},
                                               {.name = "criteria",
                                                .kind = WEB_FK_TEXT,
                                                .label = "scope.criteria",
                                                .hint = "scope.criteria_hint",
                                                .match = "criterion|criteria",
                                                .max = 500},
                                               WEB__VERSION_FIELD,
                                               {0}};

/* Creating: /scope/subservices/{slug}/csocs; editing: /scope/csocs/{id}. */
static const char *csoc_action(struct web_req *req, bool creating)
{
    if (creating)
        return web__org_path(req, arena_printf(req->a, "/scope/subservices/%s/csocs",
                                               web__enc(req, req->params[1])));
    return record_path(req, "csocs", 1);
}

static int csoc_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_csoc c;
    int rc = app_csoc_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc == TL_EINPUT)
        return ERR_SET(e, TL_ENOTFOUND, "no csoc '%s'", req->params[1]);
    if (rc == 0) {
        web__form_set(f, "text", c.text);
        web__form_set(f, "criteria", c.criteria);
        web__form_seti(f, "version", c.version);
    }
    return rc;
}

static int csoc_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_csoc c = {.text = web__fv(f, "text"), .criteria = web__fv(f, "criteria")};
    if (f->creating) {
        struct app_subservice s;
        int rc = app_subservice_get(req->app, req->a, req->org.id, req->params[1], &s, e);
        if (rc)
            return rc;
        c.subservice = s.slug;
        return app_csoc_create(req->app, req->a, req->org.id, &c, key, e);
    }
    *key = req->params[1];
    if (!c.text && !c.criteria)
        return 0;
    c.version = web__fi(f, "version", 0);
    return app_csoc_update(req->app, req->a, req->org.id, req->params[1], &c, e);
}

/* The API's answer to a saved CSOC (key: its id or a prefix): it with its version. */
static int csoc_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_csoc c;
    int rc = app_csoc_get(req->app, req->a, req->org.id, key, &c, e);
    if (rc == 0) {
        *out = csoc_json(&c);
        web__set_str(*out, "subservice", c.subservice);
    }
    return rc;
}

/* The CSOC in the audit log: its whole id (the path may give a prefix). */
static const char *csoc_audit_key(struct web_req *req)
{
    struct app_csoc c;
    struct err e = ERR_INIT;
    if (app_csoc_get(req->app, req->a, req->org.id, req->params[1], &c, &e) != 0)
        return req->params[1];
    return c.id;
}

static const char *csoc_remove(struct web_req *req)
{
    return arena_printf(req->a, "%s/delete", record_path(req, "csocs", 1));
}

static const struct web_formspec csoc_spec = {
    .id = "csoc",
    .fields = csoc_fields,
    .title_new = "scope.csoc_new",
    .title_edit = "scope.csoc_edit",
    .intro = "scope.csoc_intro",
    .back_label = "scope.title",
    .back = scope_back,
    .remove = csoc_remove,
    .audit_key = csoc_audit_key,
    .action = csoc_action,
    .load = csoc_load,
    .save = csoc_save,
    .done = scope_done,
    .api_out = csoc_out,
};

/* --- CUECs ------------------------------------------------------------------------------ */

static const struct web_field cuec_fields[] = {{.name = "code",
                                                .kind = WEB_FK_TEXT,
                                                .label = "scope.cuec_code",
                                                .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
                                                .match = "code|already exists",
                                                .max = 32},
                                               {.name = "text",
                                                .kind = WEB_FK_TEXTAREA,
                                                .label = "scope.cuec_text",
                                                .flags = WEB_FF_REQUIRED,
                                                .match = "text",
                                                .rows = 4,
                                                .max = 4000},
                                               {.name = "criteria",
                                                .kind = WEB_FK_TEXT,
                                                .label = "scope.criteria",
                                                .hint = "scope.criteria_hint",
                                                .match = "criterion|criteria",
                                                .max = 500},
                                               WEB__VERSION_FIELD,
                                               {0}};

static const char *cuec_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/scope/cuecs") : record_path(req, "cuecs", 1);
}

static int cuec_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_cuec c;
    int rc = app_cuec_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc == 0) {
        web__form_set(f, "code", c.code);
        web__form_set(f, "text", c.text);
        web__form_set(f, "criteria", c.criteria);
        web__form_seti(f, "version", c.version);
    }
    return rc;
}

static int cuec_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_cuec c = {
        .code = web__fv(f, "code"), .text = web__fv(f, "text"), .criteria = web__fv(f, "criteria")};
    if (f->creating) {
        *key = c.code;
        return app_cuec_create(req->app, req->a, req->org.id, &c, e);
    }
    *key = req->params[1];
    if (!c.text && !c.criteria)
        return 0;
    c.version = web__fi(f, "version", 0);
    return app_cuec_update(req->app, req->a, req->org.id, req->params[1], &c, e);
}

/* The API's answer to a saved CUEC: it with its version. */
static int cuec_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    struct app_cuec c;
    int rc = app_cuec_get(req->app, req->a, req->org.id, key, &c, e);
    if (rc == 0)
        *out = cuec_json(&c);
    return rc;
}

static const char *cuec_remove(struct web_req *req)
{
    return arena_printf(req->a, "%s/delete", record_path(req, "cuecs", 1));
}

static const struct web_formspec cuec_spec = {
    .remove = cuec_remove,
    .id = "cuec",
    .fields = cuec_fields,
    .title_new = "scope.cuec_new",
    .title_edit = "scope.cuec_edit",
    .intro = "scope.cuec_intro",
    .back_label = "scope.title",
    .back = scope_back,
    .subject = web__form_subject_param1,
    .action = cuec_action,
    .load = cuec_load,
    .save = cuec_save,
    .done = scope_done,
    .api_out = cuec_out,
};

/* --- handlers ---------------------------------------------------------------------------- */

WEB__FORM_HANDLERS(scope_service, service_spec)
WEB__FORM_HANDLERS(scope_component, component_spec)
WEB__FORM_HANDLERS(scope_subservice, subservice_spec)
WEB__FORM_HANDLERS(scope_csoc, csoc_spec)
WEB__FORM_HANDLERS(scope_cuec, cuec_spec)

/* Removing: POST .../delete on a page, DELETE on the API. */
static int removed(struct web_req *req, struct web_resp *resp, int rc)
{
    if (rc)
        return rc;
    if (req->api) {
        resp->status = 204;
        return 0;
    }
    web__redirect(resp, web__done(req, scope_back(req), "removed"));
    return 0;
}

WEB__HANDLER(web__scope_service_delete)
{
    return removed(req, resp, app_service_delete(req->app, req->a, req->org.id, param(req, 1), e));
}

WEB__HANDLER(web__scope_component_delete)
{
    return removed(
        req, resp,
        app_component_delete(req->app, req->a, req->org.id, param(req, 1), param(req, 2), e));
}

WEB__HANDLER(web__scope_subservice_delete)
{
    return removed(req, resp,
                   app_subservice_delete(req->app, req->a, req->org.id, param(req, 1), e));
}

WEB__HANDLER(web__scope_csoc_delete)
{
    return removed(req, resp, app_csoc_delete(req->app, req->a, req->org.id, param(req, 1), e));
}

WEB__HANDLER(web__scope_cuec_delete)
{
    return removed(req, resp, app_cuec_delete(req->app, req->a, req->org.id, param(req, 1), e));
}

/* --- one record through the API, with its version as the ETag ------------------------- */

WEB__HANDLER(web__api_scope_service)
{
    json_t *out = NULL;
    return web__send_record(resp, service_out(req, param(req, 1), &out, e), &out);
}

WEB__HANDLER(web__api_scope_component)
{
    json_t *out = NULL;
    const char *key = arena_printf(req->a, "%s/%s", param(req, 1), param(req, 2));
    int rc = component_out(req, key, &out, e);
    if (rc == TL_EINPUT)
        rc = ERR_SET(e, TL_ENOTFOUND, "no component '%s'", param(req, 2));
    return web__send_record(resp, rc, &out);
}

WEB__HANDLER(web__api_scope_subservice)
{
    json_t *out = NULL;
    return web__send_record(resp, subservice_out(req, param(req, 1), &out, e), &out);
}

WEB__HANDLER(web__api_scope_csoc)
{
    json_t *out = NULL;
    int rc = csoc_out(req, param(req, 1), &out, e);
    if (rc == TL_EINPUT)
        rc = ERR_SET(e, TL_ENOTFOUND, "no csoc '%s'", param(req, 1));
    return web__send_record(resp, rc, &out);
}

WEB__HANDLER(web__api_scope_cuec)
{
    json_t *out = NULL;
    return web__send_record(resp, cuec_out(req, param(req, 1), &out, e), &out);
}
