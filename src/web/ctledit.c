/* ctledit.c - changing the control matrix: the library browser and
 * adopting from it, adding and editing controls, mapping a control to a
 * criterion with points of focus and unmapping it.
 */
#include "web/web_impl.h"

#include "app/control.h"
#include "domain/program.h"

#include <string.h>

/* --- the library ------------------------------------------------------------- */

static const char *const library_cols[] = {"code", "family", "title",    "frequency", "nature",
                                           "type", "key",    "criteria", "adopted",   NULL};

static int check_lib_filter(struct web_req *req, const struct dom_library *lib, struct err *e)
{
    const char *family = web__q(req, "family"), *criterion = web__q(req, "criterion");
    const struct dom_catalog *cat;
    int rc = family ? dom_library_family_check(lib, family, e) : 0;
    if (rc == 0 && criterion) {
        rc = app_catalog(req->app, &cat, e);
        if (rc == 0 && !dom_catalog_criterion(cat, criterion))
            rc = ERR_SET(e, TL_EINPUT, "unknown criterion '%s'", criterion);
    }
    return rc;
}

int web__library_rows(struct web_req *req, json_t **rows, struct err *e)
{
    const struct dom_library *lib;
    struct app_control *have;
    size_t n_have;
    int rc = app_library(req->app, &lib, e);
    if (rc == 0)
        rc = check_lib_filter(req, lib, e);
    if (rc == 0)
        rc = app_control_list(req->app, req->a, req->org.id, NULL, &have, &n_have, e);
    if (rc)
        return rc;
    const char *family = web__q(req, "family"), *criterion = web__q(req, "criterion");
    json_t *arr = json_array();
    for (size_t i = 0; i < lib->n_controls; i++) {
        const struct dom_lib_control *lc = &lib->controls[i];
        if ((family && strcmp(lc->family, family) != 0) ||
            (criterion && !dom_lib_control_mapping(lc, criterion)))
            continue;
        bool adopted = false;
        for (size_t k = 0; k < n_have && !adopted; k++)
            adopted = (have[k].library_code && strcmp(have[k].library_code, lc->code) == 0) ||
                      strcmp(have[k].code, lc->code) == 0;
        json_t *o = json_object(), *crit = json_array();
        web__set_str(o, "code", lc->code);
        web__set_str(o, "family", lc->family);
        web__set_str(o, "title", dom_text_get(&lc->title, req->lang));
        web__set_str(o, "description", dom_text_get(&lc->description, req->lang));
        web__set_str(o, "frequency", lc->frequency);
        web__set_str(o, "frequency_label", web__label(req, "frequency", lc->frequency));
        web__set_str(o, "nature", lc->nature);
        web__set_str(o, "type", lc->type);
        web__set_bool(o, "key", lc->key);
        for (size_t k = 0; k < lc->n_criteria; k++)
            json_array_append_new(crit, web__str(lc->criteria[k].criterion));
        json_object_set_new(o, "criteria", crit);
        web__set_bool(o, "adopted", adopted);
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

/* The library page; after a failed adoption, err says why and the boxes
 * the user ticked stay ticked. */
static int library_page(struct web_req *req, struct web_resp *resp, const char *err_msg,
                        struct err *e)
{
    const struct dom_library *lib;
    json_t *rows;
    int rc = app_library(req->app, &lib, e);
    if (rc == 0)
        rc = web__library_rows(req, &rows, e);
    if (rc)
        return rc;
    if (!err_msg && web__export(req, resp, rows, library_cols, "library")) {
        json_decref(rows);
        return 0;
    }
    size_t n_checked = 0;
    const char *const *checked = web__f_all(req, "code", &n_checked);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        bool on = false;
        for (size_t k = 0; k < n_checked && !on; k++)
            on = strcmp(checked[k], json_string_value(json_object_get(row, "code"))) == 0;
        web__set_bool(row, "checked", on);
    }
    json_t *d = json_object(), *fams = json_array(), *statuses = json_array();
    const char *family = web__q(req, "family");
    for (size_t k = 0; k < lib->n_families; k++) {
        json_t *o = web__choice(lib->families[k], NULL);
        web__set_bool(o, "selected", family && strcmp(family, lib->families[k]) == 0);
        json_array_append_new(fams, o);
    }
    const char *status = web__f(req, "status");
    for (size_t k = 0; dom_statuses[k]; k++) {
        json_t *o = web__choice(dom_statuses[k], web__label(req, "status", dom_statuses[k]));
        web__set_bool(o, "selected", status && strcmp(status, dom_statuses[k]) == 0);
        json_array_append_new(statuses, o);
    }
    struct web_form f;
    web__form_init(&f, req, "adopt", (const struct web_field[]){{0}}, true);
    rc = web__people_datalist(&f, e);
    json_t *people = json_incref(json_object_get(f.datalists, "people"));
    web__form_release(&f);
    if (rc) {
        json_decref(people);
        json_decref(rows);
        json_decref(d);
        json_decref(fams);
        json_decref(statuses);
        return rc;
    }
    json_object_set_new(d, "people", people);
    json_object_set_new(d, "families", fams);
    json_object_set_new(d, "statuses", statuses);
    web__set_str(d, "criterion", web__q(req, "criterion"));
    web__set_str(d, "owner", web__f(req, "owner"));
    web__set_str(d, "error", err_msg);
    static const char *const keys[] = {"family", "criterion", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    web__set_str(d, "next", req->path);
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "controls", rows);
    rc = web__page(req, resp, "library", web__t(req, "library.title"), d, e);
    if (err_msg)
        resp->status = 400;
    return rc;
}

WEB__HANDLER(web__library_page)
{
    return library_page(req, resp, NULL, e);
}

WEB__HANDLER(web__api_library)
{
    json_t *rows = NULL;
    return web__send(resp, web__library_rows(req, &rows, e), &rows);
}

/* POST /o/{org}/controls/adopt and /api/v1/orgs/{org}/controls/adopt:
 * code (repeated) or codes (JSON list), owner, status. */
WEB__HANDLER(web__control_adopt)
{
    static const struct web_field fields[] = {
        {.name = "codes", .kind = WEB_FK_CHECKS, .label = "library.title"},
        {.name = "owner", .kind = WEB_FK_EMAIL, .label = "controls.owner", .match = "person|owner"},
        {.name = "status",
         .kind = WEB_FK_SELECT,
         .label = "controls.status",
         .options = dom_statuses},
        {0}};
    struct web_form f;
    web__form_init(&f, req, "adopt", fields, true);
    int rc = web__form_take(&f, e);
    size_t n = 0;
    const char *const *codes = NULL;
    if (rc == 0 && !req->api) {
        codes = web__f_all(req, "code", &n);
    } else if (rc == 0) {
        const char *all = web__fv(&f, "codes");
        const char **list = arena_calloc(req->a, all ? strlen(all) + 2 : 1, sizeof(*list));
        for (const char *p = all; p && *p;) {
            const char *comma = strchr(p, ',');
            size_t k = comma ? (size_t)(comma - p) : strlen(p);
            if (k)
                list[n++] = arena_strndup(req->a, p, k);
            p += k + (comma ? 1 : 0);
        }
        codes = list;
    }
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    if (rc == 0 && n == 0)
        web__form_fail(&f, "codes", web__t(req, "library.none_chosen"));
    struct app_adopt_result r = {0};
    if (rc == 0 && web__form_check(&f)) {
        struct err ae = ERR_INIT;
        rc =
            app_control_adopt(req->app, req->a, req->org.id, (const char **)codes, n,
                              web__fv_or_null(&f, "owner"), web__fv_or_null(&f, "status"), &r, &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *o = json_object(), *ad = json_array(), *sk = json_array();
            for (size_t i = 0; i < r.n_adopted; i++)
                json_array_append_new(ad, web__str(r.adopted[i]));
            for (size_t i = 0; i < r.n_skipped; i++)
                json_array_append_new(sk, web__str(r.skipped[i]));
            json_object_set_new(o, "adopted", ad);
            json_object_set_new(o, "skipped", sk);
            web__json(resp, 200, o);
        } else {
            const char *to = r.n_adopted == 1 && !web__f(req, "next")
                                 ? web__org_path(req, arena_printf(req->a, "/controls/%s",
                                                                   web__enc(req, r.adopted[0])))
                                 : web__next(req, web__org_path(req, "/controls"));
            web__redirect(resp, web__done(req, to, r.n_adopted ? "adopted" : "already"));
        }
    } else if (rc == 0) {
        if (req->api) {
            web__form_problem(&f, resp);
        } else {
            const char *msg = f.error;
            const char *key;
            json_t *v;
            json_object_foreach(f.errors, key, v)
            {
                if (!msg)
                    msg = arena_strdup(req->a, json_string_value(v));
            }
            rc = library_page(req, resp, msg, e);
            if (rc == 0)
                resp->status = f.status;
        }
    }
    web__form_release(&f);
    return rc;
}

/* --- adding and editing ------------------------------------------------------------ */

static const struct web_field control_fields[] = {
    {.name = "code",
     .kind = WEB_FK_TEXT,
     .label = "controls.code",
     .flags = WEB_FF_REQUIRED | WEB_FF_NEW_ONLY,
     .hint = "controls.code_hint",
     .max = 32,
     .match = "code|already exists"},
    {.name = "title",
     .kind = WEB_FK_TEXT,
     .label = "controls.control",
     .flags = WEB_FF_REQUIRED,
     .max = 300},
    {.name = "description", .kind = WEB_FK_TEXTAREA, .label = "controls.description", .rows = 5},
    {.name = "owner",
     .kind = WEB_FK_EMAIL,
     .label = "controls.owner",
     .hint = "form.owner_hint",
     .match = "person|owner",
     .datalist = "people",
     .max = 254},
    {.name = "status",
     .kind = WEB_FK_SELECT,
     .label = "controls.status",
     .options = dom_statuses,
     .option_labels = "status"},
    {.name = "frequency",
     .kind = WEB_FK_SELECT,
     .label = "controls.frequency",
     .options = dom_frequencies,
     .option_labels = "frequency"},
    {.name = "nature",
     .kind = WEB_FK_SELECT,
     .label = "controls.nature",
     .options = dom_natures,
     .option_labels = "nature"},
    {.name = "type",
     .kind = WEB_FK_SELECT,
     .label = "controls.type",
     .options = dom_control_types,
     .option_labels = "type"},
    {.name = "key", .kind = WEB_FK_CHECKBOX, .label = "controls.key", .match = "key flag"},
    {.name = "evidence",
     .kind = WEB_FK_TEXTAREA,
     .label = "controls.evidence",
     .hint = "controls.evidence_hint",
     .rows = 4},
    WEB__VERSION_FIELD,
    {0}};

static const char *control_back(struct web_req *req)
{
    if (req->n_params > 1)
        return web__org_path(req,
                             arena_printf(req->a, "/controls/%s", web__enc(req, req->params[1])));
    return web__org_path(req, "/controls");
}

static const char *control_action(struct web_req *req, bool creating)
{
    return creating ? web__org_path(req, "/controls") : control_back(req);
}

static void control_defaults(struct web_req *req, struct web_form *f)
{
    (void)req;
    web__form_set(f, "status", "not-started");
    web__form_set(f, "frequency", "annual");
    web__form_set(f, "nature", "preventive");
    web__form_set(f, "type", "manual");
}

static int control_load(struct web_req *req, struct web_form *f, struct err *e)
{
    struct app_control c;
    int rc = app_control_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc)
        return rc;
    web__form_set(f, "code", c.code);
    web__form_set(f, "title", c.title);
    web__form_set(f, "description", c.description);
    web__form_set(f, "owner", c.owner);
    web__form_set(f, "status", c.status);
    web__form_set(f, "frequency", c.frequency);
    web__form_set(f, "nature", c.nature);
    web__form_set(f, "type", c.type);
    web__form_setb(f, "key", c.key == 1);
    web__form_set(f, "evidence", c.evidence);
    web__form_seti(f, "version", c.version);
    return 0;
}

static int control_save(struct web_req *req, struct web_form *f, const char **key, struct err *e)
{
    struct app_control c = APP_CONTROL_PATCH;
    c.title = web__fv(f, "title");
    c.description = web__fv(f, "description");
    c.owner = web__fv(f, "owner");
    c.status = web__fv_or_null(f, "status");
    c.frequency = web__fv_or_null(f, "frequency");
    c.nature = web__fv_or_null(f, "nature");
    c.type = web__fv_or_null(f, "type");
    c.key = web__fb(f, "key");
    c.evidence = web__fv(f, "evidence");
    if (f->creating) {
        c.code = web__fv(f, "code");
        *key = c.code;
        if (c.owner && !*c.owner)
            c.owner = NULL;
        return app_control_create(req->app, req->a, req->org.id, &c, e);
    }
    c.version = web__fi(f, "version", 0);
    *key = req->params[1];
    return app_control_update(req->app, req->a, req->org.id, req->params[1], &c, e);
}

static const char *control_done(struct web_req *req, const char *key, bool creating)
{
    const char *page = arena_printf(req->a, "/controls/%s", web__enc(req, key));
    return web__form_saved(req, web__org_path(req, page), creating);
}

static int control_api_out(struct web_req *req, const char *key, json_t **out, struct err *e)
{
    return web__control_detail(req, key, out, e);
}

static const struct web_formspec control_spec = {
    .id = "control",
    .fields = control_fields,
    .title_new = "controls.new",
    .title_edit = "controls.edit",
    .back_label = "controls.title",
    .back = control_back,
    .subject = web__form_subject_param1,
    .action = control_action,
    .defaults = control_defaults,
    .load = control_load,
    .prepare = web__form_people_prepare,
    .save = control_save,
    .done = control_done,
    .api_out = control_api_out,
};

WEB__FORM_HANDLERS(control, control_spec)

/* --- mapping ------------------------------------------------------------------------- */

static const struct web_field map_fields[] = {{.name = "criterion",
                                               .kind = WEB_FK_HIDDEN,
                                               .label = "controls.criterion",
                                               .flags = WEB_FF_REQUIRED,
                                               .match = "criterion"},
                                              {.name = "points_of_focus",
                                               .kind = WEB_FK_CHECKS,
                                               .label = "criteria.pofs",
                                               .match = "point of focus|points of focus|pof"},
                                              {0}};

/* The map page: choose a criterion, then its points of focus. */
static int map_page(struct web_req *req, struct web_resp *resp, struct web_form *f,
                    const char *criterion, struct err *e)
{
    const struct dom_catalog *cat;
    struct app_control c;
    int rc = app_catalog(req->app, &cat, e);
    if (rc == 0)
        rc = app_control_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc)
        return rc;
    const struct dom_criterion *cr = criterion ? dom_catalog_criterion(cat, criterion) : NULL;
    json_t *d = json_object(), *opts = json_array(), *pofs = json_array();
    for (size_t i = 0; i < cat->n_criteria; i++) {
        const struct dom_criterion *x = &cat->criteria[i];
        json_t *o = web__choice(
            x->id, arena_printf(req->a, "%s %s", x->id, dom_text_get(&x->title, req->lang)));
        web__set_bool(o, "selected", cr == x);
        json_array_append_new(opts, o);
    }
    json_object_set_new(d, "criteria", opts);
    if (cr) {
        for (size_t i = 0; i < cr->n_pofs; i++)
            json_array_append_new(
                pofs, web__choice(cr->pofs[i].id,
                                  arena_printf(req->a, "%s %s", cr->pofs[i].id,
                                               dom_text_get(&cr->pofs[i].title, req->lang))));
        web__form_choices(f, "points_of_focus", pofs);
        web__form_set(f, "criterion", cr->id);
        /* an existing mapping starts with its points of focus ticked */
        if (!web__fv(f, "points_of_focus"))
            for (size_t i = 0; i < c.n_criteria; i++)
                if (strcmp(c.criteria[i].criterion, cr->id) == 0)
                    web__form_set(f, "points_of_focus", c.criteria[i].pofs);
        web__set_str(d, "chosen", cr->id);
        web__set_str(d, "chosen_title", dom_text_get(&cr->title, req->lang));
        json_object_set_new(
            d, "form",
            web__form_data(
                f,
                web__org_path(req, arena_printf(req->a, "/controls/%s/map", web__enc(req, c.code))),
                web__t(req, "controls.map_submit")));
    } else {
        json_decref(pofs);
    }
    web__set_str(d, "code", c.code);
    web__set_str(d, "control_title", c.title);
    web__set_str(d, "back", control_back(req));
    const char *title = arena_printf(req->a, "%s: %s", web__t(req, "controls.map"), c.code);
    bool failed = !web__form_ok(f);
    rc = web__page(req, resp, "map", title, d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

WEB__HANDLER(web__control_map_form)
{
    struct web_form f;
    web__form_init(&f, req, "map", map_fields, true);
    const char *criterion = web__q(req, "criterion");
    int rc = map_page(req, resp, &f, criterion, e);
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/controls/{code}/map; PUT /api/v1/orgs/{org}/controls/{code}/criteria/{id}. */
WEB__HANDLER(web__control_map)
{
    struct app_control c;
    int rc = app_control_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc)
        return rc;
    struct web_form f;
    web__form_init(&f, req, "map", map_fields, true);
    rc = web__form_take(&f, e);
    if (rc == 0 && req->api && req->n_params > 2)
        web__form_set(&f, "criterion", req->params[2]);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    if (rc == 0 && web__form_check(&f)) {
        struct err ae = ERR_INIT;
        rc = app_control_map(req->app, req->a, req->org.id, c.code, web__fv(&f, "criterion"),
                             web__fv(&f, "points_of_focus"), &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *out = NULL;
            rc = web__control_detail(req, c.code, &out, e);
            if (rc == 0)
                web__json(resp, 200, out);
        } else {
            web__redirect(resp, web__done(req, control_back(req), "mapped"));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = map_page(req, resp, &f, web__fv(&f, "criterion"), e);
    }
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/controls/{code}/unmap; DELETE /api/v1/orgs/{org}/controls/{code}/criteria/{id}. */
WEB__HANDLER(web__control_unmap)
{
    const char *criterion = req->api ? req->params[2] : web__f(req, "criterion");
    if (!criterion || !*criterion)
        return ERR_SET(e, TL_EINPUT, "give the criterion to unmap");
    struct app_control c;
    int rc = app_control_get(req->app, req->a, req->org.id, req->params[1], &c, e);
    if (rc == 0)
        rc = web__input_error(
            app_control_unmap(req->app, req->a, req->org.id, c.code, criterion, e), e);
    if (rc)
        return rc;
    if (req->api) {
        json_t *out = NULL;
        rc = web__control_detail(req, c.code, &out, e);
        return web__send(resp, rc, &out);
    }
    web__redirect(resp, web__done(req, control_back(req), "unmapped"));
    return 0;
}
