/* gap.c - the gap analysis and readiness pages: criteria with their state,
 * suggested library controls to adopt, not-applicable decisions, and the
 * readiness report (the same document as 'tillit readiness --format html',
 * also as Markdown and PDF) to download.
 */
#include "web/web_impl.h"

#include "app/gap.h"
#include "base/date.h"
#include "report/readiness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SUGGESTIONS 10

static const char *level(double score)
{
    return score < 50 ? "low" : score < 80 ? "mid" : "high";
}

static json_t *score_json(struct web_req *req, const struct gap_score *s, const char *name)
{
    json_t *o = json_object(), *by = json_object();
    long long pct = llround(s->score);
    web__set_str(o, "key", s->key);
    web__set_str(o, "name", name ? name : s->key);
    json_object_set_new(o, "score", json_real(s->score));
    web__set_int(o, "percent", pct);
    web__set_str(o, "level", level(s->score));
    web__set_int(o, "criteria", (long long)s->criteria);
    web__set_int(o, "gaps", (long long)s->by_state[GAP_NONE]);
    for (int st = 0; st <= GAP_NOT_APPLICABLE; st++)
        web__set_int(by, gap_state_name((enum gap_state)st), (long long)s->by_state[st]);
    json_object_set_new(o, "by_state", by);
    (void)req;
    return o;
}

json_t *web__readiness_json(struct web_req *req, const struct dom_catalog *cat,
                            const struct gap_result *g)
{
    json_t *o = json_object(), *cats = json_array(), *series = json_array(), *comps = json_array();
    json_object_set_new(o, "overall", score_json(req, &g->overall, web__t(req, "gap.overall")));
    for (size_t i = 0; i < g->n_categories; i++) {
        const struct dom_category *k = dom_catalog_category(cat, g->categories[i].key);
        json_array_append_new(
            cats, score_json(req, &g->categories[i], k ? dom_text_get(&k->name, req->lang) : NULL));
    }
    for (size_t i = 0; i < g->n_series; i++) {
        const char *name = NULL;
        for (size_t k = 0; k < cat->n_series; k++)
            if (strcmp(cat->series[k].id, g->series[i].key) == 0)
                name = arena_printf(req->a, "%s %s", cat->series[k].id,
                                    dom_text_get(&cat->series[k].name, req->lang));
        json_array_append_new(series, score_json(req, &g->series[i], name));
    }
    for (size_t i = 0; i < g->n_components; i++) {
        const struct dom_coso_component *k = dom_catalog_component(cat, g->components[i].key);
        json_array_append_new(comps, score_json(req, &g->components[i],
                                                k ? dom_text_get(&k->name, req->lang) : NULL));
    }
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "series", series);
    json_object_set_new(o, "coso_components", comps);
    web__set_int(o, "gaps_criteria", (long long)g->gaps_criteria);
    web__set_int(o, "gaps_points_of_focus", (long long)g->gaps_pofs);
    return o;
}

int web__gap_run(struct web_req *req, const struct dom_catalog **cat, struct gap_result *g,
                 struct err *e)
{
    int rc = app_catalog(req->app, cat, e);
    if (rc == 0)
        rc = app_gap(req->app, req->a, req->org.id, g, e);
    return rc;
}

static json_t *codes(const char *const *c, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__str(c[i]));
    return arr;
}

static json_t *criterion_row(struct web_req *req, const struct gap_criterion *gc)
{
    json_t *o = json_object();
    const char *state = gap_state_name(gc->state);
    web__set_str(o, "id", gc->criterion->id);
    web__set_str(o, "category", gc->criterion->category);
    web__set_str(o, "series", gc->criterion->series);
    web__set_str(o, "title", dom_text_get(&gc->criterion->title, req->lang));
    web__set_str(o, "state", state);
    web__set_str(o, "state_label", web__label(req, "gapstate", state));
    web__set_bool(o, "is_gap", gc->state == GAP_NONE);
    web__set_bool(o, "not_applicable", gc->state == GAP_NOT_APPLICABLE);
    web__set_str(o, "not_applicable_reason", gc->na_reason);
    web__set_int(o, "score", llround(gc->score * 100));
    web__set_int(o, "pofs_applicable", (long long)gc->pofs_applicable);
    web__set_int(o, "pofs_covered", (long long)gc->pofs_covered);
    json_object_set_new(o, "controls", codes(gc->controls, gc->n_controls));
    return o;
}

static const char *const gap_cols[] = {"id",
                                       "category",
                                       "state",
                                       "score",
                                       "pofs_applicable",
                                       "pofs_covered",
                                       "controls",
                                       "not_applicable_reason",
                                       "title",
                                       NULL};

static bool state_known(const char *s)
{
    for (int st = 0; st <= GAP_NOT_APPLICABLE; st++)
        if (strcmp(s, gap_state_name((enum gap_state)st)) == 0)
            return true;
    return false;
}

int web__gap_rows(struct web_req *req, const struct gap_result *g, json_t **rows, struct err *e)
{
    const char *state = web__q(req, "state"), *category = web__q(req, "category");
    if (state && !state_known(state))
        return ERR_SET(e, TL_EINPUT,
                       "unknown state '%s' (expected one of: none, designed, implemented, "
                       "operating-unverified, operating, not-applicable)",
                       state);
    json_t *arr = json_array();
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        if (state && strcmp(state, gap_state_name(gc->state)) != 0)
            continue;
        if (category && strcmp(category, gc->criterion->category) != 0)
            continue;
        json_array_append_new(arr, criterion_row(req, gc));
    }
    *rows = arr;
    return 0;
}

static json_t *suggestions_json(struct web_req *req, const struct app_suggestion *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        web__set_str(o, "code", s[i].code);
        web__set_str(o, "title", s[i].title);
        web__set_int(o, "closes_criteria", (long long)s[i].closes_criteria);
        web__set_int(o, "closes_points_of_focus", (long long)s[i].closes_pofs);
        web__set_str(o, "closes", s[i].closes);
        json_array_append_new(arr, o);
    }
    (void)req;
    return arr;
}

static json_t *state_options(struct web_req *req, const char *chosen)
{
    json_t *arr = json_array();
    for (int st = 0; st <= GAP_NOT_APPLICABLE; st++) {
        const char *name = gap_state_name((enum gap_state)st);
        json_t *o = web__choice(name, web__label(req, "gapstate", name));
        web__set_bool(o, "selected", chosen && strcmp(chosen, name) == 0);
        json_array_append_new(arr, o);
    }
    return arr;
}

WEB__HANDLER(web__gap_page)
{
    const struct dom_catalog *cat;
    struct gap_result g;
    struct app_suggestion *sugg = NULL;
    size_t n_sugg = 0;
    json_t *rows;
    int rc = web__gap_run(req, &cat, &g, e);
    if (rc == 0)
        rc = web__gap_rows(req, &g, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, gap_cols, "gap")) {
        json_decref(rows);
        return 0;
    }
    rc = app_gap_suggest(req->app, req->a, &g, req->org.id, req->lang, SUGGESTIONS, &sugg, &n_sugg,
                         e);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    json_t *d = json_object(), *cats = json_array();
    const char *category = web__q(req, "category");
    for (size_t i = 0; i < g.n_categories; i++) {
        const struct dom_category *k = dom_catalog_category(cat, g.categories[i].key);
        json_t *o = web__choice(g.categories[i].key, k ? dom_text_get(&k->name, req->lang) : NULL);
        web__set_bool(o, "selected", category && strcmp(category, g.categories[i].key) == 0);
        json_array_append_new(cats, o);
    }
    json_object_set_new(d, "category_options", cats);
    json_object_set_new(d, "state_options", state_options(req, web__q(req, "state")));
    json_object_set_new(d, "readiness", web__readiness_json(req, cat, &g));
    json_object_set_new(d, "suggestions", suggestions_json(req, sugg, n_sugg));
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "criteria", rows);
    web__set_str(d, "next", arena_printf(req->a, "%s", req->path));
    static const char *const keys[] = {"state", "category", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    return web__page(req, resp, "gap", web__t(req, "gap.title"), d, e);
}

WEB__HANDLER(web__api_gap)
{
    const struct dom_catalog *cat;
    struct gap_result g;
    struct app_suggestion *sugg = NULL;
    size_t n_sugg = 0;
    json_t *rows;
    int rc = web__gap_run(req, &cat, &g, e);
    if (rc == 0)
        rc = web__gap_rows(req, &g, &rows, e);
    if (rc)
        return rc;
    rc = app_gap_suggest(req->app, req->a, &g, req->org.id, req->lang, 20, &sugg, &n_sugg, e);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    json_t *o = json_object();
    json_object_set_new(o, "criteria", rows);
    json_object_set_new(o, "readiness", web__readiness_json(req, cat, &g));
    json_object_set_new(o, "suggestions", suggestions_json(req, sugg, n_sugg));
    web__json(resp, 200, o);
    return 0;
}

/* --- readiness ------------------------------------------------------------- */

WEB__HANDLER(web__readiness_page)
{
    const struct dom_catalog *cat;
    struct gap_result g;
    int rc = web__gap_run(req, &cat, &g, e);
    if (rc)
        return rc;
    const char *format = web__q(req, "format");
    if (format && strcmp(format, "json") == 0) {
        sb_reset(&resp->body);
        json_t *r = web__readiness_json(req, cat, &g);
        web__json(resp, 200, r);
        web__download(req, resp, "application/json", "readiness", "json");
        return 0;
    }
    if (format &&
        (strcmp(format, "html") == 0 || strcmp(format, "md") == 0 || strcmp(format, "pdf") == 0)) {
        struct app_suggestion *sugg = NULL;
        size_t n_sugg = 0;
        rc = app_gap_suggest(req->app, req->a, &g, req->org.id, req->lang, 20, &sugg, &n_sugg, e);
        if (rc)
            return rc;
        char today[DATE_BUF];
        date_format(time_date(req->app->now), today);
        struct rpt_doc *doc =
            rpt_readiness(req->a, cat, &g, req->org.name, today, req->lang, sugg, n_sugg);
        sb_reset(&resp->body);
        if (strcmp(format, "html") == 0) {
            rc = rpt_render_html(doc, &resp->body);
            web__download(req, resp, "text/html; charset=utf-8", "readiness", "html");
        } else if (strcmp(format, "md") == 0) {
            rc = rpt_render_md(doc, &resp->body);
            web__download(req, resp, "text/markdown; charset=utf-8", "readiness", "md");
        } else {
            rc = rpt_render_pdf(doc, &resp->body, e);
            web__download(req, resp, "application/pdf", "readiness", "pdf");
        }
        return rc;
    }
    if (format)
        return ERR_SET(e, TL_EINPUT, "unknown format '%s' (expected one of: html, md, pdf, json)",
                       format);
    json_t *d = json_object();
    json_object_set_new(d, "readiness", web__readiness_json(req, cat, &g));
    return web__page(req, resp, "readiness", web__t(req, "readiness.title"), d, e);
}

WEB__HANDLER(web__api_readiness)
{
    const struct dom_catalog *cat;
    struct gap_result g;
    int rc = web__gap_run(req, &cat, &g, e);
    if (rc == 0)
        web__json(resp, 200, web__readiness_json(req, cat, &g));
    return rc;
}

/* --- not applicable ------------------------------------------------------------ */

static const struct web_field na_fields[] = {{.name = "target",
                                              .kind = WEB_FK_TEXT,
                                              .label = "gap.target",
                                              .flags = WEB_FF_REQUIRED,
                                              .hint = "gap.target_hint",
                                              .match = "criterion|point of focus|target",
                                              .max = 64},
                                             {.name = "justification",
                                              .kind = WEB_FK_TEXTAREA,
                                              .label = "gap.justification",
                                              .flags = WEB_FF_REQUIRED,
                                              .hint = "gap.justification_hint",
                                              .match = "justification|reason",
                                              .rows = 4,
                                              .max = 4000},
                                             {0}};

static int na_page(struct web_req *req, struct web_resp *resp, struct web_form *f, struct err *e)
{
    json_t *d = json_object();
    const char *title = web__t(req, "gap.na_title");
    web__set_str(d, "heading", title);
    web__set_str(d, "back", web__org_path(req, "/gap"));
    web__set_str(d, "back_label", web__t(req, "gap.title"));
    web__set_str(d, "intro", web__t(req, "gap.na_intro"));
    json_object_set_new(
        d, "form", web__form_data(f, web__org_path(req, "/gap/na"), web__t(req, "gap.na_submit")));
    bool failed = !web__form_ok(f);
    int rc = web__page(req, resp, "form", title, d, e);
    if (failed)
        resp->status = f->status;
    return rc;
}

WEB__HANDLER(web__gap_na_form)
{
    struct web_form f;
    web__form_init(&f, req, "na", na_fields, true);
    web__form_set(&f, "target", web__q(req, "target"));
    int rc = na_page(req, resp, &f, e);
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/gap/na and PUT /api/v1/orgs/{org}/gap/na/{target}. */
WEB__HANDLER(web__gap_na)
{
    struct web_form f;
    web__form_init(&f, req, "na", na_fields, true);
    int rc = web__form_take(&f, e);
    if (rc == 0 && req->api && req->n_params > 1)
        web__form_set(&f, "target", req->params[1]);
    if (rc == TL_EINPUT && req->api) {
        web__form_fail(&f, NULL, e->msg);
        rc = 0;
    }
    if (rc == 0 && web__form_check(&f)) {
        struct err ae = ERR_INIT;
        rc = app_gap_set_na(req->app, req->a, req->org.id, web__fv(&f, "target"),
                            web__fv(&f, "justification"), &ae);
        if (rc)
            rc = web__form_app_error(&f, rc, &ae);
        if (rc)
            *e = ae;
    }
    if (rc == 0 && web__form_ok(&f)) {
        if (req->api) {
            json_t *o = json_object();
            web__set_str(o, "target", web__fv(&f, "target"));
            web__set_str(o, "justification", web__fv(&f, "justification"));
            web__json(resp, 200, o);
        } else {
            web__redirect(resp, web__done(req, web__next(req, web__org_path(req, "/gap")), "na"));
        }
    } else if (rc == 0) {
        if (req->api)
            web__form_problem(&f, resp);
        else
            rc = na_page(req, resp, &f, e);
    }
    web__form_release(&f);
    return rc;
}

/* POST /o/{org}/gap/applicable and DELETE /api/v1/orgs/{org}/gap/na/{target}. */
WEB__HANDLER(web__gap_applicable)
{
    const char *target = req->api ? req->params[1] : web__f(req, "target");
    if (!target || !*target)
        return ERR_SET(e, TL_EINPUT, "give the criterion or point of focus ('target')");
    int rc = web__input_error(app_gap_clear_na(req->app, req->a, req->org.id, target, e), e);
    if (rc)
        return rc;
    if (req->api) {
        resp->status = 204;
        return 0;
    }
    web__redirect(resp, web__done(req, web__next(req, web__org_path(req, "/gap")), "applicable"));
    return 0;
}
