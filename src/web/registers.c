/* registers.c - vendors, the risk register with its heat map, policies. */
#include "web/web_impl.h"

#include "app/policy.h"
#include "app/risk.h"
#include "app/vendor.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>

static const char *label(struct web_req *req, const char *group, const char *value)
{
    return web__t(req, arena_printf(req->a, "%s.%s", group, value ? value : ""));
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* --- vendors -------------------------------------------------------------- */

static const char *const vendor_cols[] = {
    "slug",       "name",           "service",    "criticality", "data_shared",
    "soc_report", "soc_period_end", "soc_status", "subservice",  NULL};

json_t *web__vendor_json(struct web_req *req, const struct app_vendor *v)
{
    json_t *o = json_object();
    web__set_str(o, "slug", v->slug);
    web__set_str(o, "name", v->name);
    web__set_str(o, "service", v->service);
    web__set_str(o, "criticality", v->criticality);
    web__set_str(o, "criticality_label", label(req, "criticality", v->criticality));
    web__set_str(o, "data_shared", v->data_shared);
    web__set_bool(o, "soc_report", v->soc_report == 1);
    web__set_str(o, "soc_period_end", nonempty(v->soc_period_end));
    web__set_str(o, "soc_status", v->soc_status);
    web__set_str(o, "soc_status_label", label(req, "soc", v->soc_status));
    web__set_str(o, "subservice", nonempty(v->subservice));
    return o;
}

int web__vendor_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_vendor_filter f = {.criticality = web__q(req, "criticality")};
    struct app_vendor *v;
    size_t n;
    int rc = app_vendor_list(req->app, req->a, req->org.id, &f, &v, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__vendor_json(req, &v[i]));
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__vendors_page)
{
    json_t *rows;
    int rc = web__vendor_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, vendor_cols, "vendors")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object(), *opts = json_array();
    const char *crit = web__q(req, "criticality");
    for (size_t i = 0; dom_criticalities[i]; i++) {
        json_t *o = json_object();
        web__set_str(o, "value", dom_criticalities[i]);
        web__set_str(o, "label", label(req, "criticality", dom_criticalities[i]));
        web__set_bool(o, "selected", crit && strcmp(crit, dom_criticalities[i]) == 0);
        json_array_append_new(opts, o);
    }
    json_object_set_new(d, "criticalities", opts);
    if (crit) {
        struct sb qs = SB_INIT;
        sb_adds(&qs, "&criticality=");
        web_url_encode(&qs, crit);
        web__set_str(d, "filter_query", qs.buf);
        sb_release(&qs);
    }
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "vendors", rows);
    return web__page(req, resp, "vendors", web__t(req, "nav.vendors"), d, e);
}

/* --- risks ---------------------------------------------------------------- */

static const char *const risk_cols[] = {
    "code",      "title",    "category", "likelihood", "impact",      "inherent", "band",
    "treatment", "residual", "is_fraud", "owner",      "next_review", "controls", NULL};

json_t *web__risk_json(struct web_req *req, const struct app_risk *r)
{
    json_t *o = json_object(), *ctl = json_array();
    int inherent = app_risk_inherent(r), residual = app_risk_residual(r);
    web__set_str(o, "code", r->code);
    web__set_str(o, "title", r->title);
    web__set_str(o, "description", r->description);
    web__set_str(o, "category", r->category);
    web__set_int(o, "likelihood", r->likelihood);
    web__set_int(o, "impact", r->impact);
    web__set_int(o, "inherent", inherent);
    web__set_str(o, "band", dom_risk_band(inherent));
    web__set_str(o, "band_label", label(req, "band", dom_risk_band(inherent)));
    web__set_str(o, "treatment", r->treatment);
    web__set_str(o, "treatment_label", label(req, "treatment", r->treatment));
    if (residual) {
        web__set_int(o, "residual", residual);
        web__set_int(o, "residual_likelihood", r->residual_likelihood);
        web__set_int(o, "residual_impact", r->residual_impact);
    } else {
        json_object_set_new(o, "residual", json_null());
        json_object_set_new(o, "residual_likelihood", json_null());
        json_object_set_new(o, "residual_impact", json_null());
    }
    web__set_bool(o, "is_fraud", r->is_fraud == 1);
    web__set_str(o, "owner", nonempty(r->owner));
    web__set_str(o, "next_review", nonempty(r->next_review));
    for (size_t k = 0; k < r->n_controls; k++)
        json_array_append_new(ctl, web__str(r->controls[k]));
    json_object_set_new(o, "controls", ctl);
    return o;
}

int web__risk_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_risk *r;
    size_t n;
    int rc = app_risk_list(req->app, req->a, req->org.id, &r, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__risk_json(req, &r[i]));
    *rows = arr;
    return 0;
}

/* A 5 x 5 heat map as inline SVG: likelihood up, impact across, each cell
 * coloured by its rating band and labelled with how many risks sit there.
 * Everything in it is numbers and our own strings, escaped anyway. */
static void heat_map(struct web_req *req, const json_t *rows, struct sb *svg)
{
    int count[6][6] = {{0}};
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        long l = (long)json_integer_value(json_object_get(row, "likelihood"));
        long m = (long)json_integer_value(json_object_get(row, "impact"));
        if (l >= 1 && l <= 5 && m >= 1 && m <= 5)
            count[l][m]++;
    }
    const int cell = 48, left = 40, top = 8;
    sb_addf(svg,
            "<svg class=\"heatmap\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
            "aria-labelledby=\"hm-t\"><title id=\"hm-t\">",
            left + 5 * cell + 8, top + 5 * cell + 40, left + 5 * cell + 8, top + 5 * cell + 40);
    sb_add_html(svg, web__t(req, "risks.heatmap_title"));
    sb_adds(svg, "</title>");
    for (int l = 5; l >= 1; l--) {
        for (int m = 1; m <= 5; m++) {
            int x = left + (m - 1) * cell, y = top + (5 - l) * cell;
            sb_addf(svg,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"band-%s\"/>"
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"hm-n\">%s</text>",
                    x, y, cell - 2, cell - 2, dom_risk_band(dom_risk_score(l, m)), x + cell / 2 - 1,
                    y + cell / 2 + 5, count[l][m] ? arena_printf(req->a, "%d", count[l][m]) : "");
        }
        sb_addf(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>", left - 6,
                top + (5 - l) * cell + cell / 2 + 5, l);
    }
    for (int m = 1; m <= 5; m++)
        sb_addf(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>",
                left + (m - 1) * cell + cell / 2, top + 5 * cell + 14, m);
    sb_addf(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", left + 5 * cell / 2,
            top + 5 * cell + 34);
    sb_add_html(svg, web__t(req, "risks.impact"));
    sb_adds(svg, "</text></svg>");
}

WEB__HANDLER(web__risks_page)
{
    json_t *rows;
    int rc = web__risk_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, risk_cols, "risks")) {
        json_decref(rows);
        return 0;
    }
    struct sb svg = SB_INIT;
    heat_map(req, rows, &svg);
    json_t *d = json_object();
    web__set_str(d, "heatmap", svg.buf);
    sb_release(&svg);
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "risks", rows);
    return web__page(req, resp, "risks", web__t(req, "nav.risks"), d, e);
}

/* --- policies ------------------------------------------------------------- */

static const char *const policy_cols[] = {"slug",     "title",       "owner", "review", "current",
                                          "approved", "approved_on", "acked", "active", NULL};

static json_t *policy_row(struct web_req *req, const struct app_policy *p)
{
    json_t *o = json_object();
    web__set_str(o, "slug", p->slug);
    web__set_str(o, "title", p->title);
    web__set_str(o, "owner", p->owner);
    web__set_str(o, "owner_name", p->owner_name);
    web__set_str(o, "review", p->review);
    web__set_str(o, "review_label", label(req, "review", p->review));
    web__set_int(o, "current", p->current);
    web__set_int(o, "approved", p->approved);
    web__set_bool(o, "is_approved", p->approved > 0 && p->approved == p->current);
    web__set_str(o, "approved_by", p->approved_by);
    web__set_str(o, "approved_on", p->approved_on);
    web__set_int(o, "acked", p->acked);
    web__set_int(o, "active", p->active);
    return o;
}

int web__policy_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_policy *p;
    size_t n;
    int rc = app_policy_list(req->app, req->a, req->org.id, &p, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, policy_row(req, &p[i]));
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__policies_page)
{
    json_t *rows;
    int rc = web__policy_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, policy_cols, "policies")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object();
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "policies", rows);
    return web__page(req, resp, "policies", web__t(req, "nav.policies"), d, e);
}

/* The policy with its current (or ?version=N) text rendered from markdown
 * in safe mode: the only HTML of a page that comes from user input, and
 * cmark-gfm drops raw HTML and dangerous links from it. */
int web__policy_detail(struct web_req *req, const char *slug, bool html, json_t **out,
                       struct err *e)
{
    struct app_policy p;
    struct app_policy_version v, *versions;
    size_t nv;
    const char *text;
    const char *vq = web__q(req, "version");
    char *end = NULL;
    long long number = vq ? strtoll(vq, &end, 10) : 0;
    if (vq && (*end || number < 1))
        return ERR_SET(e, TL_EINPUT, "invalid version '%s'", vq);
    int rc = app_policy_get(req->app, req->a, req->org.id, slug, &p, e);
    if (rc == 0)
        rc = app_policy_version_get(req->app, req->a, req->org.id, slug, number, &v, e);
    if (rc == 0)
        rc = app_policy_versions(req->app, req->a, req->org.id, slug, &versions, &nv, e);
    if (rc == 0)
        rc = app_policy_render(req->app, req->a, req->org.id, &p, &v, &text, e);
    if (rc)
        return rc;
    json_t *o = policy_row(req, &p), *vs = json_array();
    web__set_int(o, "version", p.version); /* the edit counter: ETag, If-Match */
    web__set_int(o, "shown_version", v.number);
    web__set_str(o, "shown_approved_on", v.approved_on);
    web__set_str(o, "shown_approved_by", v.approved_by);
    web__set_str(o, "text", text);
    if (html) {
        struct sb sb = SB_INIT;
        rc = web_markdown(text, &sb, e);
        web__set_str(o, "html", sb.buf);
        sb_release(&sb);
    }
    for (size_t i = nv; i > 0; i--) {
        json_t *x = json_object();
        web__set_int(x, "number", versions[i - 1].number);
        web__set_str(x, "approved_on", versions[i - 1].approved_on);
        web__set_str(x, "approved_by", versions[i - 1].approved_by);
        web__set_int(x, "acked", versions[i - 1].acked);
        web__set_bool(x, "shown", versions[i - 1].number == v.number);
        json_array_append_new(vs, x);
    }
    json_object_set_new(o, "versions", vs);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

WEB__HANDLER(web__policy_page)
{
    return web__policy_page_with(req, resp, NULL, e);
}

/* --- the API ---------------------------------------------------------------- */

/* v is read after rc has been computed: the builder fills it. */
static int send(struct web_resp *resp, int rc, json_t *const *v)
{
    if (rc == 0)
        web__json(resp, 200, *v);
    return rc;
}

WEB__HANDLER(web__api_vendors)
{
    json_t *rows = NULL;
    return send(resp, web__vendor_rows(req, &rows, e), &rows);
}

WEB__HANDLER(web__api_risks)
{
    json_t *rows = NULL;
    return send(resp, web__risk_rows(req, &rows, e), &rows);
}

WEB__HANDLER(web__api_policies)
{
    json_t *rows = NULL;
    return send(resp, web__policy_rows(req, &rows, e), &rows);
}

WEB__HANDLER(web__api_policy)
{
    json_t *p = NULL;
    return web__send_record(resp, web__policy_detail(req, req->params[1], false, &p, e), &p);
}
