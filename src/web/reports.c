/* reports.c - every report to download, from the browser and the API.
 *
 * The reports page lists the reports with a link per format and language;
 * /reports/<kind> builds one with the same app and report functions as
 * 'tillit report' and 'tillit engagement bridge-letter' (one path), so a
 * download equals the CLI's file for the same inputs.  The frameworks
 * imported from OSCAL catalogs are listed with their mappings to the
 * criteria.  Everything is built in the request's arena and the response's
 * buffer: nothing of a download outlives its response.
 */
#include "web/web_impl.h"

#include "app/engagement.h"
#include "app/framework.h"
#include "app/gap.h"
#include "app/pbc.h"
#include "app/report.h"
#include "app/risk.h"
#include "app/riskassess.h"
#include "base/date.h"
#include "report/oscal.h"
#include "report/readiness.h"
#include "report/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- formats ------------------------------------------------------------------ */

enum rfmt { F_PDF, F_DOCX, F_XLSX, F_HTML, F_MD, F_CSV, F_JSON, F_N };

struct rfmt_info {
    const char *name, *label, *type;
};

static const struct rfmt_info fmts[F_N] = {
    {"pdf", "PDF", "application/pdf"},
    {"docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"html", "HTML", "text/html; charset=utf-8"},
    {"md", "Markdown", "text/markdown; charset=utf-8"},
    {"csv", "CSV", "text/csv; charset=utf-8"},
    {"json", "JSON", "application/json"},
};

static const char *const langs[] = {"en", "sv", NULL};

/* --- what a download is made from ----------------------------------------------- */

struct rreq {
    enum rfmt f;
    const char *lang;       /* "en" or "sv" */
    const char *engagement; /* slug; NULL: as the CLI, the Type I or II created last */
    const char *date;       /* the end of a bridge letter */
    const char *framework;  /* an imported framework's catalog instead of the criteria */
    bool samples;           /* the SOC 2 report's appendix of sample items */
};

#define RK_ENGAGEMENT (1u << 0) /* per engagement (?engagement=) */
#define RK_NEEDS_ENG (1u << 1)  /* ... which there must be */
#define RK_DATE (1u << 2)       /* an end date (?date=): the bridge letter */
#define RK_TYPE2 (1u << 3)      /* only after a Type II period */
#define RK_ONE_LANG (1u << 4)   /* the same in every language (the PBC list's columns) */

struct rkind {
    const char *kind;         /* the path segment and the file name */
    const char *key;          /* UI strings reports.<key> and reports.<key>_text */
    const char *section;      /* program, engagement, oscal */
    const enum rfmt *formats; /* ending with F_N; the first is the default */
    unsigned flags;           /* RK_* */
    int (*make)(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e);
};

static struct app_who who_of(const struct web_req *req)
{
    return (struct app_who){req->role, req->user ? req->user->email : NULL};
}

static int gather(struct web_req *req, const char *slug, struct app_report_data *d, struct err *e)
{
    struct app_who who = who_of(req);
    return app_report_gather(req->app, req->a, &req->org, &who, slug, d, e);
}

/* A spreadsheet would run a cell starting with = + - @ as a formula: such
 * a cell gets a quote first, as on every CSV export of the site. */
static void csv_cell(struct arena *a, struct sb *out, const char *s)
{
    bool formula = *s && strchr("=+-@\t\r", *s);
    sb_add_csv(out, formula ? arena_printf(a, "'%s", s) : s);
}

/* The first table of a document as CSV: the control matrix is one table. */
static int render_csv(struct arena *a, const struct rpt_doc *d, struct sb *out, struct err *e)
{
    const struct rpt_block *t = d->first;
    while (t && t->kind != RPT_TABLE)
        t = t->next;
    if (!t)
        return ERR_SET(e, TL_EINTERNAL, "the report has no table");
    for (size_t row = 0; row < t->n_items; row++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            if (c)
                sb_addc(out, ',');
            const char *cell = t->items[row * t->n_cols + c];
            csv_cell(a, out, cell ? cell : "");
        }
        sb_adds(out, "\r\n");
    }
    return 0;
}

static int render(struct web_req *req, const struct rpt_doc *d, enum rfmt f, struct sb *out,
                  struct err *e)
{
    switch (f) {
    case F_PDF:
        return rpt_render_pdf(d, out, e);
    case F_DOCX:
        return rpt_render_docx(d, out, e);
    case F_XLSX:
        return rpt_render_xlsx(d, out, e);
    case F_HTML:
        return rpt_render_html(d, out);
    case F_MD:
        return rpt_render_md(d, out);
    case F_CSV:
        return render_csv(req->a, d, out, e);
    default:
        return ERR_SET(e, TL_EINTERNAL, "a document has no %s form", fmts[f].name);
    }
}

/* --- the reports: as 'tillit report' builds them (src/cli/report.c) ------------ */

static int make_readiness(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    struct app_report_data d;
    struct app_suggestion *sugg = NULL;
    size_t n_sugg = 0;
    int rc = gather(req, "", &d, e);
    if (rc == 0)
        rc = app_gap_suggest(req->app, req->a, &d.gap, req->org.id, r->lang, 20, &sugg, &n_sugg, e);
    if (rc)
        return rc;
    struct rpt_doc *doc =
        rpt_readiness(req->a, d.catalog, &d.gap, req->org.name, d.today, r->lang, sugg, n_sugg);
    doc->toc = true;
    return render(req, doc, r->f, out, e);
}

static int make_soc2(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    struct app_report_data d;
    struct rpt_doc *doc = NULL;
    int rc = gather(req, r->engagement, &d, e);
    if (rc == 0)
        rc = app_report_soc2(req->app, req->a, &d, r->lang, r->samples, &doc, e);
    return rc ? rc : render(req, doc, r->f, out, e);
}

/* The risk register and the control matrix: both list the risks. */
static int make_register(struct web_req *req, const struct rreq *r, bool matrix, struct sb *out,
                         struct err *e)
{
    struct app_report_data d;
    struct app_risk *risks = NULL;
    size_t n_risks = 0;
    struct app_risk_assessment ra;
    int rc = gather(req, "", &d, e);
    if (rc == 0)
        rc = app_risk_list(req->app, req->a, req->org.id, &risks, &n_risks, e);
    if (rc == 0 && !matrix)
        rc = app_risk_assess(req->app, req->a, req->org.id, &ra, e);
    if (rc)
        return rc;
    struct rpt_doc *doc =
        matrix ? rpt_control_matrix(req->a, &d, risks, n_risks, r->lang)
               : rpt_risk_register(req->a, req->org.name, d.today, risks, n_risks, &ra, r->lang);
    return render(req, doc, r->f, out, e);
}

static int make_risks(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    return make_register(req, r, false, out, e);
}

static int make_controls(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    return make_register(req, r, true, out, e);
}

static int make_workpapers(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    struct app_report_data d;
    int rc = gather(req, r->engagement, &d, e);
    return rc ? rc : render(req, rpt_workpapers(req->a, &d, r->lang), r->f, out, e);
}

/* app_pbc_export writes a file whose format follows its name: it writes
 * into a private temporary directory (mode 0700), the bytes are read back
 * and the directory is removed before the response goes out. */
static int make_pbc(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    struct app_who who = who_of(req);
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char *dir = arena_printf(req->a, "%s/tillit-pbc-XXXXXX", tmp);
    if (!mkdtemp(dir))
        return ERR_SET(e, TL_EIO, "cannot create a temporary directory in '%s'", tmp);
    const char *path = arena_printf(req->a, "%s/pbc.%s", dir, fmts[r->f].name);
    int rc = app_pbc_export(req->app, req->a, req->org.id, &who, r->engagement, path, e);
    if (rc == 0)
        rc = sb_read_file(out, path, e);
    remove(path);
    rmdir(dir);
    return rc;
}

static int make_bridge(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    struct app_who who = who_of(req);
    const char *md = NULL;
    int rc = app_engagement_bridge_letter(req->app, req->a, req->org.id, &who, r->engagement,
                                          r->date, r->lang, &md, e);
    if (rc)
        return rc;
    if (r->f == F_MD) {
        sb_adds(out, md);
        return 0;
    }
    /* One self-contained page, as the other HTML reports. */
    sb_addf(out, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
            r->lang);
    sb_add_html(out, req->org.name);
    sb_adds(out, "</title>\n<style>body{font-family:sans-serif;max-width:42rem;margin:2rem auto;"
                 "line-height:1.5}</style>\n</head>\n<body>\n");
    rc = web_markdown(md, out, e);
    sb_adds(out, "</body>\n</html>\n");
    return rc;
}

static int make_oscal(struct web_req *req, const struct rreq *r, const char *model, struct sb *out,
                      struct err *e)
{
    struct rpt_oscal_meta m = {
        .now = app__now(req->app, req->a), .seed = req->org.id, .lang = r->lang};
    if (strcmp(model, "catalog") == 0) {
        if (r->framework) {
            struct rpt_oscal_catalog cat;
            int rc = app_framework_catalog(req->app, req->a, req->org.id, r->framework, &cat, e);
            return rc ? rc : rpt_oscal_framework_catalog(&cat, &m, out, e);
        }
        const struct dom_catalog *c = NULL;
        int rc = app_catalog(req->app, &c, e);
        return rc ? rc : rpt_oscal_tsc_catalog(c, &m, out, e);
    }
    struct app_report_data d;
    int rc = gather(req, r->engagement, &d, e);
    if (rc)
        return rc;
    if (strcmp(model, "ssp") == 0)
        return rpt_oscal_ssp(&d, &m, out, e);
    if (strcmp(model, "assessment-results") == 0)
        return rpt_oscal_assessment_results(&d, &m, out, e);
    return rpt_oscal_poam(&d, &m, out, e);
}

static int make_oscal_catalog(struct web_req *req, const struct rreq *r, struct sb *out,
                              struct err *e)
{
    return make_oscal(req, r, "catalog", out, e);
}

static int make_oscal_ssp(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    return make_oscal(req, r, "ssp", out, e);
}

static int make_oscal_ar(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    return make_oscal(req, r, "assessment-results", out, e);
}

static int make_oscal_poam(struct web_req *req, const struct rreq *r, struct sb *out, struct err *e)
{
    return make_oscal(req, r, "poam", out, e);
}

/* The formats of a report, first the default, ending with F_N. */
#define FORMATS(...) ((const enum rfmt[]){__VA_ARGS__, F_N})

static const struct rkind kinds[] = {
    {"readiness", "readiness", "program", FORMATS(F_PDF, F_HTML, F_MD, F_DOCX, F_XLSX), 0,
     make_readiness},
    {"risks", "risks", "program", FORMATS(F_PDF, F_XLSX, F_DOCX, F_HTML, F_MD), 0, make_risks},
    {"controls", "controls", "program", FORMATS(F_XLSX, F_CSV, F_PDF, F_DOCX, F_HTML, F_MD), 0,
     make_controls},
    {"soc2", "soc2", "engagement", FORMATS(F_PDF, F_DOCX, F_HTML, F_MD), RK_ENGAGEMENT, make_soc2},
    {"workpapers", "workpapers", "engagement", FORMATS(F_XLSX, F_PDF, F_DOCX, F_HTML, F_MD),
     RK_ENGAGEMENT | RK_NEEDS_ENG, make_workpapers},
    {"pbc", "pbc", "engagement", FORMATS(F_XLSX, F_CSV), RK_ENGAGEMENT | RK_NEEDS_ENG | RK_ONE_LANG,
     make_pbc},
    {"bridge-letter", "bridge_letter", "engagement", FORMATS(F_MD, F_HTML),
     RK_ENGAGEMENT | RK_DATE | RK_TYPE2, make_bridge},
    {"oscal-catalog", "oscal_catalog", "oscal", FORMATS(F_JSON), 0, make_oscal_catalog},
    {"oscal-ssp", "oscal_ssp", "oscal", FORMATS(F_JSON), RK_ENGAGEMENT, make_oscal_ssp},
    {"oscal-assessment-results", "oscal_ar", "oscal", FORMATS(F_JSON), RK_ENGAGEMENT,
     make_oscal_ar},
    {"oscal-poam", "oscal_poam", "oscal", FORMATS(F_JSON), RK_ENGAGEMENT, make_oscal_poam},
    {NULL, NULL, NULL, NULL, 0, NULL},
};

static const char *const sections[] = {"program", "engagement", "oscal", NULL};

static const struct rkind *kind_named(const char *name)
{
    for (const struct rkind *k = kinds; k->kind; k++)
        if (strcmp(k->kind, name) == 0)
            return k;
    return NULL;
}

static const char *format_names(struct web_req *req, const struct rkind *k)
{
    struct sb s = SB_INIT;
    for (const enum rfmt *f = k->formats; *f != F_N; f++)
        sb_addf(&s, "%s%s", f != k->formats ? ", " : "", fmts[*f].name);
    const char *names = arena_strdup(req->a, s.buf);
    sb_release(&s);
    return names;
}

/* --- engagements ------------------------------------------------------------------- */

/* The engagements the user may see, newest first: none when the role sees
 * none (an auditor without access). */
static int engagements(struct web_req *req, struct app_engagement **list, size_t *n, struct err *e)
{
    struct app_who who = who_of(req);
    *list = NULL;
    *n = 0;
    int rc = app_engagement_list(req->app, req->a, req->org.id, &who, list, n, e);
    if (rc == TL_EPERM || rc == TL_ENOTFOUND) {
        *n = 0;
        *e = (struct err)ERR_INIT;
        return 0;
    }
    return rc;
}

/* The engagement the reports use when none is named: as the CLI, the Type
 * I or Type II engagement created last, else the newest. */
static const struct app_engagement *default_engagement(const struct app_engagement *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].kind, "readiness") != 0)
            return &list[i];
    return n ? &list[0] : NULL;
}

static const struct app_engagement *engagement_named(const struct app_engagement *list, size_t n,
                                                     const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].slug, slug) == 0)
            return &list[i];
    return NULL;
}

/* --- a download ---------------------------------------------------------------------- */

static int read_format(struct web_req *req, const struct rkind *k, struct rreq *r, struct err *e)
{
    const char *want = web__q(req, "format");
    r->f = k->formats[0];
    if (!want)
        return 0;
    for (const enum rfmt *f = k->formats; *f != F_N; f++)
        if (strcmp(want, fmts[*f].name) == 0) {
            r->f = *f;
            return 0;
        }
    return ERR_SET(e, TL_EINPUT, "report '%s' has no format '%s' (formats: %s)", k->kind, want,
                   format_names(req, k));
}

/* The engagement of a report that needs one: the one named, else the
 * default; an unknown one is TL_EINPUT naming it. */
static int read_engagement(struct web_req *req, const struct rkind *k, struct rreq *r,
                           struct err *e)
{
    r->engagement = (k->flags & RK_ENGAGEMENT) ? web__q(req, "engagement") : NULL;
    if (!(k->flags & RK_NEEDS_ENG) || r->engagement)
        return 0;
    struct app_engagement *list;
    size_t n;
    int rc = engagements(req, &list, &n, e);
    if (rc)
        return rc;
    const struct app_engagement *g = default_engagement(list, n);
    if (!g)
        return ERR_SET(e, TL_EINPUT,
                       "report '%s' needs an engagement ('engagement'), and there is none yet",
                       k->kind);
    r->engagement = g->slug;
    return 0;
}

static int read_query(struct web_req *req, const struct rkind *k, struct rreq *r, struct err *e)
{
    memset(r, 0, sizeof(*r));
    int rc = read_format(req, k, r, e);
    if (rc)
        return rc;
    r->lang = web__q(req, "lang");
    if (!r->lang)
        r->lang = req->lang;
    if (strcmp(r->lang, "en") != 0 && strcmp(r->lang, "sv") != 0)
        return ERR_SET(e, TL_EINPUT, "unknown language '%s' ('lang': en or sv)", r->lang);
    r->date = web__q(req, "date");
    if ((k->flags & RK_DATE) && !r->date)
        return ERR_SET(e, TL_EINPUT, "give the end date of the letter ('date', YYYY-MM-DD)");
    tl_date d;
    struct err de = ERR_INIT;
    if (r->date && date_parse(r->date, &d, &de) != 0)
        return ERR_SET(e, TL_EINPUT, "'date': %s", de.msg);
    r->framework = strcmp(k->kind, "oscal-catalog") == 0 ? web__q(req, "framework") : NULL;
    const char *samples = web__q(req, "samples");
    r->samples = samples && strcmp(samples, "0") != 0;
    return read_engagement(req, k, r, e);
}

/* The ?lang= of a download picks the report's language, not the site's:
 * the language cookie the router set for it is dropped again. */
static void keep_site_language(struct web_resp *resp)
{
    struct web_kvs *h = &resp->headers;
    size_t kept = 0;
    for (size_t i = 0; i < h->n; i++) {
        bool lang_cookie =
            strcmp(h->items[i].key, "Set-Cookie") == 0 &&
            strncmp(h->items[i].value, WEB_COOKIE_LANG "=", strlen(WEB_COOKIE_LANG) + 1) == 0;
        if (!lang_cookie)
            h->items[kept++] = h->items[i];
    }
    h->n = kept;
}

/* GET /o/{org}/reports/{kind} and /api/v1/orgs/{org}/reports/{kind}. */
WEB__HANDLER(web__report_download)
{
    const struct rkind *k = kind_named(req->params[1]);
    if (!k)
        return ERR_SET(e, TL_ENOTFOUND, "no report '%s'", req->params[1]);
    keep_site_language(resp);
    struct rreq r;
    int rc = read_query(req, k, &r, e);
    if (rc)
        return rc;
    struct sb out = SB_INIT;
    rc = k->make(req, &r, &out, e);
    if (rc) {
        sb_release(&out);
        /* The page exists: what was not found is something the query named. */
        return web__input_error(rc, e);
    }
    sb_release(&resp->body);
    resp->body = out;
    web__download(req, resp, fmts[r.f].type, k->kind, fmts[r.f].name);
    return 0;
}

/* --- the list of reports ------------------------------------------------------------ */

static const char *lang_label(struct web_req *req, const char *lang)
{
    return web__t(req, arena_printf(req->a, "lang.%s", lang));
}

/* The id of a link: the readiness report in the page's language has the
 * ids of the readiness page (report-pdf, report-html, ...). */
static const char *link_id(struct web_req *req, const struct rkind *k, enum rfmt f,
                           const char *lang)
{
    if (strcmp(k->kind, "readiness") == 0 && strcmp(lang, req->lang) == 0)
        return arena_printf(req->a, "report-%s", fmts[f].name);
    return arena_printf(req->a, "report-%s-%s-%s", k->kind, fmts[f].name, lang);
}

static const char *kind_url(struct web_req *req, const struct rkind *k)
{
    return req->api ? arena_printf(req->a, "/api/v1/orgs/%s/reports/%s",
                                   web__enc(req, req->org.slug), k->kind)
                    : web__org_path(req, arena_printf(req->a, "/reports/%s", k->kind));
}

static json_t *downloads_json(struct web_req *req, const struct rkind *k, const char *slug)
{
    const char *base = kind_url(req, k);
    const char *eng = slug ? arena_printf(req->a, "&engagement=%s", web__enc(req, slug)) : "";
    bool one = (k->flags & RK_ONE_LANG) != 0;
    json_t *arr = json_array();
    for (size_t l = 0; langs[l] && !(one && l); l++) {
        json_t *d = json_object(), *links = json_array();
        const char *lang = one ? NULL : langs[l];
        web__set_str(d, "lang", lang);
        web__set_str(d, "lang_label", one ? NULL : lang_label(req, lang));
        web__set_bool(d, "wide", one);
        for (const enum rfmt *f = k->formats; *f != F_N; f++) {
            json_t *o = json_object();
            web__set_str(o, "format", fmts[*f].name);
            web__set_str(o, "label", fmts[*f].label);
            web__set_str(o, "lang", lang);
            web__set_str(o, "url",
                         one ? arena_printf(req->a, "%s?format=%s%s", base, fmts[*f].name, eng)
                             : arena_printf(req->a, "%s?format=%s&lang=%s%s", base, fmts[*f].name,
                                            lang, eng));
            web__set_str(o, "id", link_id(req, k, *f, one ? "all" : lang));
            json_array_append_new(links, o);
        }
        json_object_set_new(d, "links", links);
        json_array_append_new(arr, d);
    }
    return arr;
}

/* Why a report cannot be had now, or NULL. */
static const char *unavailable(struct web_req *req, const struct rkind *k,
                               const struct app_engagement *g)
{
    if ((k->flags & RK_NEEDS_ENG) && !g)
        return web__t(req, "reports.needs_engagement");
    if ((k->flags & RK_TYPE2) && (!g || strcmp(g->kind, "type2") != 0))
        return web__t(req, "reports.needs_type2");
    return NULL;
}

static json_t *report_json(struct web_req *req, const struct rkind *k,
                           const struct app_engagement *g)
{
    json_t *o = json_object();
    const char *slug = (k->flags & RK_ENGAGEMENT) && g ? g->slug : NULL;
    web__set_str(o, "kind", k->kind);
    web__set_str(o, "title", web__t(req, arena_printf(req->a, "reports.%s", k->key)));
    web__set_str(o, "text", web__t(req, arena_printf(req->a, "reports.%s_text", k->key)));
    web__set_str(o, "url", kind_url(req, k));
    json_t *formats = json_array();
    for (const enum rfmt *f = k->formats; *f != F_N; f++)
        json_array_append_new(formats, web__str(fmts[*f].name));
    json_object_set_new(o, "formats", formats);
    web__set_str(o, "engagement", slug);
    web__set_bool(o, "per_engagement", (k->flags & RK_ENGAGEMENT) != 0);
    web__set_bool(o, "needs_date", (k->flags & RK_DATE) != 0);
    bool draft = strcmp(k->kind, "soc2") == 0 &&
                 (!g || strcmp(g->kind, "readiness") == 0 || strcmp(g->phase, "concluded") != 0);
    web__set_bool(o, "draft", draft);
    const char *why = unavailable(req, k, g);
    web__set_bool(o, "available", why == NULL);
    web__set_str(o, "unavailable", why);
    if (!why && (k->flags & RK_DATE))
        web__set_bool(o, "date_form", true);
    else if (!why)
        json_object_set_new(o, "downloads", downloads_json(req, k, slug));
    return o;
}

static json_t *engagement_options(struct web_req *req, const struct app_engagement *list, size_t n,
                                  const struct app_engagement *chosen)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct app_engagement *g = &list[i];
        const char *when = g->period_start
                               ? arena_printf(req->a, "%s..%s", g->period_start, g->period_end)
                               : (g->as_of ? g->as_of : "");
        const char *label =
            arena_printf(req->a, "%s · %s %s · %s", g->slug,
                         web__t(req, arena_printf(req->a, "reports.kind_%s", g->kind)), when,
                         web__t(req, arena_printf(req->a, "reports.phase_%s", g->phase)));
        json_t *o = web__choice(g->slug, label);
        web__set_bool(o, "selected", g == chosen);
        web__set_str(o, "kind", g->kind);
        web__set_str(o, "phase", g->phase);
        json_array_append_new(arr, o);
    }
    return arr;
}

static int frameworks_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_framework *fw = NULL;
    size_t n = 0;
    int rc = app_framework_list(req->app, req->a, req->org.id, &fw, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        const char *slug = web__enc(req, fw[i].slug);
        web__set_str(o, "slug", fw[i].slug);
        web__set_str(o, "title", fw[i].title);
        web__set_str(o, "version", fw[i].fw_version);
        web__set_str(o, "oscal_version", fw[i].oscal_version);
        web__set_str(o, "imported_at", fw[i].imported_at);
        web__set_str(o, "imported_by", fw[i].imported_by);
        web__set_int(o, "controls", fw[i].controls);
        web__set_int(o, "mapped", fw[i].mapped);
        web__set_str(o, "url",
                     req->api ? arena_printf(req->a, "/api/v1/orgs/%s/frameworks/%s",
                                             web__enc(req, req->org.slug), slug)
                              : web__org_path(req, arena_printf(req->a, "/frameworks/%s", slug)));
        web__set_str(o, "catalog_url",
                     arena_printf(req->a, "%s?format=json&framework=%s",
                                  kind_url(req, kind_named("oscal-catalog")), slug));
        json_array_append_new(arr, o);
    }
    *out = arr;
    return 0;
}

/* What the page shows and the API answers: the reports by section, for
 * the engagement chosen (?engagement=, else the default), and the
 * frameworks. */
static int reports_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_engagement *list;
    size_t n;
    int rc = engagements(req, &list, &n, e);
    if (rc)
        return rc;
    const char *want = web__q(req, "engagement");
    const struct app_engagement *g =
        want ? engagement_named(list, n, want) : default_engagement(list, n);
    if (want && !g)
        return ERR_SET(e, TL_EINPUT, "no engagement '%s' ('engagement')", want);
    json_t *frameworks;
    rc = frameworks_json(req, &frameworks, e);
    if (rc)
        return rc;
    json_t *o = json_object(), *secs = json_array(), *all = json_array();
    for (size_t s = 0; sections[s]; s++) {
        json_t *sec = json_object(), *reports = json_array();
        web__set_str(sec, "id", sections[s]);
        web__set_str(sec, "title",
                     web__t(req, arena_printf(req->a, "reports.section_%s", sections[s])));
        for (const struct rkind *k = kinds; k->kind; k++)
            if (strcmp(k->section, sections[s]) == 0) {
                json_t *r = report_json(req, k, g);
                json_array_append(all, r);
                json_array_append_new(reports, r);
            }
        json_object_set_new(sec, "reports", reports);
        json_array_append_new(secs, sec);
    }
    web__set_str(o, "engagement", g ? g->slug : NULL);
    json_object_set_new(o, "engagements", engagement_options(req, list, n, g));
    if (req->api) {
        json_decref(secs);
        json_object_set_new(o, "reports", all);
    } else {
        json_decref(all);
        json_object_set_new(o, "sections", secs);
    }
    json_object_set_new(o, "frameworks", frameworks);
    *out = o;
    return 0;
}

WEB__HANDLER(web__reports_page)
{
    json_t *d;
    int rc = reports_json(req, &d, e);
    if (rc)
        return rc;
    char today[DATE_BUF];
    date_format(time_date(req->app->now), today);
    web__set_str(d, "today", today);
    json_t *lang_options = json_array();
    for (size_t l = 0; langs[l]; l++) {
        json_t *c = web__choice(langs[l], lang_label(req, langs[l]));
        web__set_bool(c, "selected", strcmp(langs[l], req->lang) == 0);
        json_array_append_new(lang_options, c);
    }
    json_object_set_new(d, "lang_options", lang_options);
    return web__page(req, resp, "reports", web__t(req, "reports.title"), d, e);
}

WEB__HANDLER(web__api_reports)
{
    json_t *d = NULL;
    return web__send(resp, reports_json(req, &d, e), &d);
}

/* --- frameworks ---------------------------------------------------------------------- */

static const char *const framework_cols[] = {"id", "label", "title", "group", "criteria", NULL};

/* A framework (?mapped=1: only its controls mapped to a criterion). */
static int framework_json(struct web_req *req, json_t **out, json_t **rows, struct err *e)
{
    const char *slug = req->params[1];
    struct rpt_oscal_catalog cat;
    int rc = app_framework_catalog(req->app, req->a, req->org.id, slug, &cat, e);
    if (rc)
        return rc;
    const char *mapped = web__q(req, "mapped");
    bool only_mapped = mapped && strcmp(mapped, "0") != 0;
    json_t *o = json_object(), *arr = json_array();
    web__set_str(o, "slug", slug);
    web__set_str(o, "title", cat.title);
    web__set_str(o, "version", cat.version);
    web__set_str(o, "oscal_version", cat.oscal_version);
    web__set_int(o, "controls", (long long)cat.n_controls);
    size_t n_mapped = 0;
    for (size_t i = 0; i < cat.n_controls; i++) {
        const struct rpt_oscal_control *c = &cat.controls[i];
        n_mapped += c->n_criteria > 0;
        if (only_mapped && c->n_criteria == 0)
            continue;
        json_t *row = json_object(), *crit = json_array();
        web__set_str(row, "id", c->id);
        web__set_str(row, "label", c->label);
        web__set_str(row, "title", c->title);
        web__set_str(row, "group", c->group_title);
        for (size_t k = 0; k < c->n_criteria; k++)
            json_array_append_new(crit, web__str(c->criteria[k]));
        json_object_set_new(row, "criteria", crit);
        json_array_append_new(arr, row);
    }
    web__set_int(o, "mapped", (long long)n_mapped);
    web__set_bool(o, "only_mapped", only_mapped);
    web__set_str(o, "catalog_url",
                 arena_printf(req->a, "%s?format=json&framework=%s",
                              kind_url(req, kind_named("oscal-catalog")), web__enc(req, slug)));
    *out = o;
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__framework_page)
{
    json_t *d, *rows;
    int rc = framework_json(req, &d, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, framework_cols,
                    arena_printf(req->a, "framework-%s", req->params[1]))) {
        json_decref(rows);
        json_decref(d);
        return 0;
    }
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "rows", rows);
    static const char *const keys[] = {"mapped", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    const char *title = json_string_value(json_object_get(d, "title"));
    return web__page(req, resp, "framework", title ? title : req->params[1], d, e);
}

WEB__HANDLER(web__api_frameworks)
{
    json_t *d = NULL;
    return web__send(resp, frameworks_json(req, &d, e), &d);
}

WEB__HANDLER(web__api_framework)
{
    json_t *d, *rows;
    int rc = framework_json(req, &d, &rows, e);
    if (rc)
        return rc;
    json_object_set_new(d, "items", rows);
    web__json(resp, 200, d);
    return 0;
}
