/* workpapers.c - the workpaper of one test of an engagement, in the browser
 * and the API: the control and method, the procedure steps (editable), the
 * population (pasted ids or a dataset), the sample drawn with a seed and
 * its verification, a result per sample item, and the conclusion.
 *
 * The test is named in the path by the part of its ref after the
 * engagement ("CHG-01", "CHG-01:design"), so the app's ref is
 * "<engagement>:<test>".  A concluded test shows no forms, and a POST to it
 * gets the app's refusal (409) with the page.
 */
#include "web/web_impl.h"

#include "app/testing.h"

#include <stdlib.h>
#include <string.h>

static const char *test_ref(struct web_req *req)
{
    return arena_printf(req->a, "%s:%s", req->params[1], req->params[2]);
}

static const char *test_path(struct web_req *req)
{
    return web__eng_path(req, req->params[1],
                         arena_printf(req->a, "/tests/%s", web__enc(req, req->params[2])));
}

static int test_get(struct web_req *req, struct app_test *t, struct err *e)
{
    struct app_who who;
    web__eng_who(req, &who);
    return app_test_get(req->app, req->a, req->org.id, &who, test_ref(req), t, e);
}

static int test_exists(struct web_req *req, struct err *e)
{
    struct app_test t;
    return test_get(req, &t, e);
}

static json_t *item_json(struct web_req *req, const struct app_sample_item *s)
{
    json_t *o = json_object();
    web__set_int(o, "pos", (long long)s->pos);
    if (s->idx >= 0)
        web__set_int(o, "index", (long long)s->idx);
    web__set_str(o, "item", s->item);
    web__set_str(o, "item_date", s->item_date);
    web__set_str(o, "result", s->result);
    web__set_str(o, "result_label", s->result ? web__label(req, "eng.result", s->result) : NULL);
    web__set_bool(o, "is_exception", s->result && strcmp(s->result, "exception") == 0);
    web__set_str(o, "description", s->description);
    web__set_str(o, "evidence", s->evidence);
    web__set_str(o, "tested_by", s->tested_by);
    web__set_str(o, "tested_at", s->tested_at);
    return o;
}

static json_t *items_json(struct web_req *req, const struct app_sample_item *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, item_json(req, &s[i]));
    return arr;
}

/* The test with its sample, for the page and GET .../tests/{test}. */
static int test_detail(struct web_req *req, struct app_test *t, json_t **out, struct err *e)
{
    struct app_who who;
    struct app_sample_item *s;
    size_t n;
    web__eng_who(req, &who);
    int rc = test_get(req, t, e);
    if (rc == 0)
        rc = app_sample_list(req->app, req->a, req->org.id, &who, test_ref(req), &s, &n, e);
    if (rc)
        return rc;
    json_t *o = web__test_json(req, t);
    json_object_set_new(o, "sample", items_json(req, s, n));
    *out = o;
    return 0;
}

WEB__HANDLER(web__api_test)
{
    struct app_test t;
    json_t *o = NULL;
    int rc = test_detail(req, &t, &o, e);
    if (rc == 0)
        web__json(resp, 200, o);
    return rc;
}

/* --- the forms ------------------------------------------------------------------------- */

static const struct web_field edit_fields[] = {{.name = "method",
                                                .kind = WEB_FK_SELECT,
                                                .label = "eng.method_label",
                                                .options = app_test_methods,
                                                .option_labels = "eng.method",
                                                .match = "method"},
                                               {.name = "steps",
                                                .kind = WEB_FK_TEXTAREA,
                                                .label = "eng.steps",
                                                .hint = "eng.steps_hint",
                                                .match = "steps|procedure",
                                                .max = 20000,
                                                .rows = 8},
                                               {0}};

static const struct web_field population_fields[] = {{.name = "items",
                                                      .kind = WEB_FK_TEXTAREA,
                                                      .label = "eng.items",
                                                      .hint = "eng.items_hint",
                                                      .match = "item|items|list|line|population",
                                                      .max = 1 << 20,
                                                      .rows = 8},
                                                     {.name = "dataset",
                                                      .kind = WEB_FK_TEXT,
                                                      .label = "eng.dataset",
                                                      .hint = "eng.dataset_hint",
                                                      .match = "dataset",
                                                      .max = 200},
                                                     {.name = "column",
                                                      .kind = WEB_FK_TEXT,
                                                      .label = "eng.column",
                                                      .hint = "eng.column_hint",
                                                      .match = "column",
                                                      .max = 200},
                                                     {.name = "date_column",
                                                      .kind = WEB_FK_TEXT,
                                                      .label = "eng.date_column",
                                                      .hint = "eng.date_column_hint",
                                                      .match = "date-column|date column|period",
                                                      .max = 200},
                                                     {0}};

static const struct web_field draw_fields[] = {{.name = "seed",
                                                .kind = WEB_FK_TEXT,
                                                .label = "eng.seed",
                                                .hint = "eng.seed_hint",
                                                .flags = WEB_FF_REQUIRED,
                                                .match = "seed",
                                                .max = 40},
                                               {.name = "size",
                                                .kind = WEB_FK_NUMBER,
                                                .label = "eng.size",
                                                .hint = "eng.size_hint",
                                                .min = 1,
                                                .max = APP_POPULATION_MAX,
                                                .match = "size|sample of"},
                                               {0}};

static const struct web_field result_fields[] = {
    {.name = "item", .kind = WEB_FK_HIDDEN, .label = "eng.item", .match = "item"},
    {.name = "result",
     .kind = WEB_FK_SELECT,
     .label = "eng.result_label",
     .flags = WEB_FF_REQUIRED,
     .options = app_test_results,
     .option_labels = "eng.result",
     .match = "result"},
    {.name = "description",
     .kind = WEB_FK_TEXT,
     .label = "eng.description",
     .match = "description|exception",
     .max = 4000},
    {.name = "evidence", .kind = WEB_FK_TEXT, .label = "eng.evidence_ids", .match = "evidence"},
    {0}};

static const struct web_field conclude_fields[] = {{0}};

/* The form with id for the page: the failed one when it is that form. */
static json_t *page_form(struct web_req *req, struct web_form *failed, const char *id,
                         const struct web_field *fields, const char *suffix, const char *submit,
                         const struct app_test *t)
{
    const char *action = arena_printf(req->a, "%s%s", test_path(req), suffix);
    if (failed && strcmp(failed->id, id) == 0)
        return web__form_data(failed, action, web__t(req, submit));
    struct web_form f;
    web__form_init(&f, req, id, fields, true);
    if (strcmp(id, "test") == 0) {
        web__form_set(&f, "method", t->method);
        web__form_set(&f, "steps", t->steps);
    }
    json_t *o = web__form_data(&f, action, web__t(req, submit));
    web__form_release(&f);
    return o;
}

/* The result forms go inline in the sample's rows: each row gets the
 * values and message of the failed form when it is that row's. */
static void row_forms(json_t *sample, struct web_form *failed)
{
    size_t i;
    json_t *row;
    json_array_foreach(sample, i, row)
    {
        json_t *pos = json_object_get(row, "pos");
        char id[48];
        snprintf(id, sizeof(id), "result-%lld", (long long)json_integer_value(pos));
        json_object_set_new(row, "form_id", json_string(id));
        const char *result = json_string_value(json_object_get(row, "result"));
        bool failed_here = failed && strcmp(failed->id, id) == 0;
        if (failed_here)
            result = web__fv(failed, "result");
        web__set_bool(row, "sel_exception", result && strcmp(result, "exception") == 0);
        if (!failed_here)
            continue;
        const char *key;
        json_t *v;
        json_object_foreach(failed->values, key, v)
        {
            json_object_set(row, arena_printf(failed->req->a, "v_%s", key), v);
        }
        const char *msg = failed->error;
        json_object_foreach(failed->errors, key, v)
        {
            if (!msg)
                msg = json_string_value(v);
        }
        web__set_str(row, "error", msg);
    }
}

static void add_verify(struct web_req *req, json_t *d, const struct app_test *t)
{
    if (!web__q(req, "verify") || !t->seed)
        return;
    struct app_who who;
    struct app_verify_result r;
    struct err ve = ERR_INIT;
    web__eng_who(req, &who);
    json_t *o = json_object();
    if (app_sample_verify(req->app, req->a, req->org.id, &who, test_ref(req), NULL, &r, &ve)) {
        web__set_bool(o, "ok", false);
        web__set_str(o, "problem", ve.msg);
    } else {
        json_t *probs = json_array();
        for (size_t i = 0; i < r.n_problems; i++)
            json_array_append_new(probs, web__str(r.problems[i]));
        web__set_bool(o, "ok", r.ok);
        json_object_set_new(o, "problems", probs);
    }
    json_object_set_new(d, "verify", o);
}

static int test_page(struct web_req *req, struct web_resp *resp, struct web_form *failed,
                     struct err *e)
{
    struct app_test t;
    json_t *tj = NULL;
    int rc = test_detail(req, &t, &tj, e);
    if (rc)
        return rc;
    const char *slug = req->params[1];
    bool open = strcmp(t.status, "concluded") != 0;
    bool edit = open && web__eng_may(req, slug, APP_ENG_PLAN);
    bool work = open && web__eng_may(req, slug, APP_ENG_WORKPAPER);
    bool walkthrough = !t.seed && strcmp(t.kind, "design") == 0;
    json_t *d = json_object();
    web__set_bool(d, "may_edit", edit);
    web__set_bool(d, "may_work", work);
    web__set_bool(d, "walkthrough", walkthrough);
    web__set_bool(d, "has_population", t.population_size >= 0);
    web__set_str(d, "base", web__eng_path(req, slug, NULL));
    web__set_str(d, "action", test_path(req));
    json_t *steps = json_array();
    for (const char *p = t.steps ? t.steps : ""; *p;) {
        size_t n = strcspn(p, "\n");
        if (n)
            json_array_append_new(steps, web__str(arena_strndup(req->a, p, n)));
        p += n + (p[n] ? 1 : 0);
    }
    json_object_set_new(d, "steps", steps);
    if (edit)
        json_object_set_new(d, "test_form",
                            page_form(req, failed, "test", edit_fields, "", "form.save", &t));
    if (work) {
        json_object_set_new(d, "population_form",
                            page_form(req, failed, "population", population_fields, "/population",
                                      "eng.population_set", &t));
        json_object_set_new(d, "draw_form",
                            page_form(req, failed, "draw", draw_fields, "/draw", "eng.draw", &t));
        json_object_set_new(
            d, "conclude_form",
            page_form(req, failed, "conclude", conclude_fields, "/conclude", "eng.conclude", &t));
    }
    row_forms(json_object_get(tj, "sample"), failed);
    if (walkthrough && work && json_array_size(json_object_get(tj, "sample")) == 0) {
        json_t *row = json_object();
        web__set_int(row, "pos", 1);
        web__set_str(row, "item", "walkthrough");
        json_array_append_new(json_object_get(tj, "sample"), row);
        row_forms(json_object_get(tj, "sample"), failed);
    }
    /* A refusal whose form the page does not show (a concluded test). */
    if (failed && !web__form_ok(failed) && !work && !edit) {
        const char *key, *msg = failed->error;
        json_t *v;
        json_object_foreach(failed->errors, key, v)
        {
            if (!msg)
                msg = json_string_value(v);
        }
        web__set_str(d, "alert", msg);
    }
    add_verify(req, d, &t);
    json_object_set_new(d, "test", tj);
    web__eng_flash(req, d, "eng");
    rc = web__page(req, resp, "test", t.ref, d, e);
    if (failed && !web__form_ok(failed))
        resp->status = failed->status;
    return rc;
}

WEB__HANDLER(web__test_page)
{
    return test_page(req, resp, NULL, e);
}

/* --- changes ----------------------------------------------------------------------------- */

static int test_out(struct web_req *req, json_t **out, struct err *e)
{
    struct app_test t;
    return req->api ? test_detail(req, &t, out, e) : 0;
}

static int run_edit(struct web_req *req, struct web_form *f, const struct app_who *who,
                    json_t **out, const char **done, struct err *e)
{
    (void)done;
    int rc = app_test_edit(req->app, req->a, req->org.id, who, test_ref(req),
                           web__fv_or_null(f, "method"), web__fv(f, "steps"), e);
    return rc ? rc : test_out(req, out, e);
}

/* The non-empty lines of text, trimmed by the app. */
static const char **lines(struct arena *a, const char *text, size_t *n)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    const char **ids = arena_calloc(a, cap + 1, sizeof(*ids));
    *n = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\r\n");
        size_t k = 0;
        while (k < len && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (k < len)
            ids[(*n)++] = arena_strndup(a, p, len);
        p += len;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    return ids;
}

static int run_population(struct web_req *req, struct web_form *f, const struct app_who *who,
                          json_t **out, const char **done, struct err *e)
{
    (void)done;
    struct app_population_in in = {.dataset = web__fv_or_null(f, "dataset"),
                                   .column = web__fv_or_null(f, "column"),
                                   .date_column = web__fv_or_null(f, "date_column")};
    const char *items = web__fv_or_null(f, "items");
    if (items && !in.dataset) {
        in.ids = lines(req->a, items, &in.n_ids);
        in.source = req->api ? "list sent to the API" : "list pasted in the browser";
    }
    if (!in.dataset && !in.n_ids) {
        web__form_fail(f, "items", web__t(req, "eng.population_none"));
        return 0;
    }
    struct app_population_result r;
    int rc = app_test_population(req->app, req->a, req->org.id, who, test_ref(req), &in, &r, e);
    if (rc == 0 && req->api) {
        *out = json_object();
        web__set_int(*out, "size", (long long)r.size);
        web__set_int(*out, "read", (long long)r.read);
        web__set_int(*out, "outside", (long long)r.outside);
        web__set_str(*out, "hash", r.hash);
        web__set_int(*out, "planned_size", (long long)r.planned_size);
        web__set_str(*out, "size_basis", r.size_basis);
        web__set_bool(*out, "sample_dropped", r.sample_dropped);
    }
    return rc;
}

static int run_draw(struct web_req *req, struct web_form *f, const struct app_who *who,
                    json_t **out, const char **done, struct err *e)
{
    struct app_draw_result r;
    int rc = app_sample_draw(req->app, req->a, req->org.id, who, test_ref(req), web__fv(f, "seed"),
                             web__fi(f, "size", 0), &r, e);
    if (rc)
        return rc;
    if (r.warning)
        *done = "drawn_small";
    if (req->api) {
        *out = json_object();
        web__set_str(*out, "seed", r.seed);
        web__set_str(*out, "population_hash", r.population_hash);
        web__set_int(*out, "population_size", (long long)r.population_size);
        web__set_int(*out, "size", (long long)r.size);
        web__set_int(*out, "table_size", (long long)r.table_size);
        web__set_str(*out, "warning", r.warning);
        json_object_set_new(*out, "items", items_json(req, r.items, r.n));
    }
    return 0;
}

static int run_result(struct web_req *req, struct web_form *f, const struct app_who *who,
                      json_t **out, const char **done, struct err *e)
{
    (void)done;
    const char *item = web__fv_or_null(f, "item");
    struct app_result_in in = {.item = item,
                               .result = web__fv_or_null(f, "result"),
                               .description = web__fv_or_null(f, "description"),
                               .evidence = web__fv_or_null(f, "evidence")};
    int rc = web__input_error(
        app_test_result(req->app, req->a, req->org.id, who, test_ref(req), &in, e), e);
    return rc ? rc : test_out(req, out, e);
}

static int run_conclude(struct web_req *req, struct web_form *f, const struct app_who *who,
                        json_t **out, const char **done, struct err *e)
{
    (void)f;
    (void)done;
    struct app_conclude_result r;
    int rc = app_test_conclude(req->app, req->a, req->org.id, who, test_ref(req), &r, e);
    if (rc == 0 && req->api) {
        *out = json_object();
        web__set_str(*out, "conclusion", r.conclusion);
        web__set_int(*out, "tested", (long long)r.tested);
        web__set_int(*out, "exceptions", (long long)r.exceptions);
        web__set_int(*out, "tolerable", (long long)r.tolerable);
        json_object_set_new(*out, "deviation_rate", json_real(r.deviation_rate));
        web__set_str(*out, "finding", r.finding);
    }
    return rc;
}

static const struct web__eng_action edit_action = {"test",    test_exists, run_edit, test_page,
                                                   test_path, "saved",     200,      APP_ENG_PLAN};
static const struct web__eng_action population_action = {
    "population", test_exists, run_population,   test_page, test_path,
    "population", 200,         APP_ENG_WORKPAPER};
static const struct web__eng_action draw_action = {
    "draw", test_exists, run_draw, test_page, test_path, "drawn", 201, APP_ENG_WORKPAPER};
static const struct web__eng_action result_action = {
    "result", test_exists, run_result, test_page, test_path, "result", 200, APP_ENG_WORKPAPER};
static const struct web__eng_action conclude_action = {"conclude", test_exists,      run_conclude,
                                                       test_page,  test_path,        "concluded",
                                                       200,        APP_ENG_WORKPAPER};

static int test_action(struct web_req *req, struct web_resp *resp, const struct web_field *fields,
                       const struct web__eng_action *act, struct err *e)
{
    return web__eng_submit_form(req, resp, act->form_id, fields, act, e);
}

WEB__HANDLER(web__test_edit)
{
    return test_action(req, resp, edit_fields, &edit_action, e);
}

WEB__HANDLER(web__test_population)
{
    return test_action(req, resp, population_fields, &population_action, e);
}

WEB__HANDLER(web__sample_draw)
{
    return test_action(req, resp, draw_fields, &draw_action, e);
}

WEB__HANDLER(web__test_conclude)
{
    return test_action(req, resp, conclude_fields, &conclude_action, e);
}

/* The result forms are one per sample item: the form's id names the
 * item's row ("result-3"), so that a refusal shows next to it. */
static const char *result_form_id(struct web_req *req)
{
    const char *item = web__f(req, "item");
    struct app_who who;
    struct app_sample_item *s;
    size_t n;
    struct err ignore = ERR_INIT;
    web__eng_who(req, &who);
    if (req->api ||
        app_sample_list(req->app, req->a, req->org.id, &who, test_ref(req), &s, &n, &ignore))
        return "result";
    for (size_t i = 0; i < n; i++)
        if (item && strcmp(s[i].item, item) == 0)
            return arena_printf(req->a, "result-%lld", (long long)s[i].pos);
    return "result-1";
}

WEB__HANDLER(web__test_result)
{
    return web__eng_submit_form(req, resp, result_form_id(req), result_fields, &result_action, e);
}

/* --- reading through the API ------------------------------------------------------------------ */

WEB__HANDLER(web__api_test_population)
{
    struct app_who who;
    const char **items;
    size_t n;
    web__eng_who(req, &who);
    int rc = app_test_population_items(req->app, req->a, req->org.id, &who, test_ref(req), &items,
                                       &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__str(items[i]));
    web__json(resp, 200, arr);
    return 0;
}

WEB__HANDLER(web__api_samples)
{
    struct app_who who;
    struct app_sample_item *s;
    size_t n;
    web__eng_who(req, &who);
    int rc = app_sample_list(req->app, req->a, req->org.id, &who, test_ref(req), &s, &n, e);
    if (rc == 0)
        web__json(resp, 200, items_json(req, s, n));
    return rc;
}

WEB__HANDLER(web__api_sample_verify)
{
    struct app_who who;
    struct app_verify_result r;
    web__eng_who(req, &who);
    int rc = app_sample_verify(req->app, req->a, req->org.id, &who, test_ref(req), NULL, &r, e);
    if (rc)
        return rc;
    json_t *o = json_object(), *probs = json_array();
    for (size_t i = 0; i < r.n_problems; i++)
        json_array_append_new(probs, web__str(r.problems[i]));
    web__set_bool(o, "ok", r.ok);
    web__set_int(o, "population_size", (long long)r.population_size);
    web__set_int(o, "sample_size", (long long)r.sample_size);
    json_object_set_new(o, "problems", probs);
    web__json(resp, 200, o);
    return 0;
}
