/* dashboard.c - an organization's start page: readiness overall and per
 * category, the gaps, controls by status, evidence that is missing or
 * stale, the next tasks of the plan, failing checks, open findings and the
 * latest audit entries.  The API's /dashboard returns the same figures.
 *
 * The page's main part costs a few milliseconds to compute (the gap
 * analysis, every control, the evidence due), so it is kept in the site's
 * cache (web/cache.h), rendered, per organization, language and role (and
 * auditor, whose findings depend on their access), and served again while
 * its stamp holds: the head of the organization's audit chain and today's
 * date.  Every change to what the page shows is an audited transaction
 * that moves the head (docs/internals/cache.md lists them), and what
 * depends on the date (staleness, late tasks, an auditor's access) changes
 * with it.  The head is read before the data, so what is stored is never
 * older than its stamp.  The frame around it (user, organization switcher,
 * CSRF token) is rendered for every request by web__page.
 */
#include "web/web_impl.h"

#include "app/audit.h"
#include "app/checks.h"
#include "app/control.h"
#include "app/evidence.h"
#include "app/gap.h"
#include "app/plan.h"
#include "app/testing.h"
#include "app/user.h"
#include "base/date.h"
#include "base/js.h"
#include "domain/program.h"
#include "web/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUE_SHOWN 5
#define TASKS_SHOWN 6
#define CHECKS_SHOWN 5 /* failing checks on the dashboard */
#define RECENT_SHOWN 10
#define CHECK_RUNS_READ 500 /* latest runs read to find each check's last result */
#define FINDINGS_SHOWN 8

static json_t *controls_json(struct web_req *req, const struct app_control *c, size_t n)
{
    json_t *o = json_object(), *by_status = json_array();
    for (size_t s = 0; dom_statuses[s]; s++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += strcmp(c[i].status, dom_statuses[s]) == 0;
        json_t *x = json_object();
        web__set_str(x, "status", dom_statuses[s]);
        web__set_str(x, "label", web__label(req, "status", dom_statuses[s]));
        web__set_int(x, "count", (long long)k);
        web__set_int(x, "percent", n ? (long long)(100 * k / n) : 0);
        json_array_append_new(by_status, x);
    }
    web__set_int(o, "total", (long long)n);
    json_object_set_new(o, "by_status", by_status);
    return o;
}

/* Most urgent first: missing evidence, then the most days late, then by code. */
static int by_urgency(const void *x, const void *y)
{
    const struct app_evidence_due *a = *(const struct app_evidence_due *const *)x;
    const struct app_evidence_due *b = *(const struct app_evidence_due *const *)y;
    bool am = strcmp(a->state, "stale") != 0, bm = strcmp(b->state, "stale") != 0;
    if (am != bm)
        return am ? -1 : 1;
    if (a->days_late != b->days_late)
        return a->days_late > b->days_late ? -1 : 1;
    return strcmp(a->code, b->code);
}

static json_t *due_json(struct web_req *req, const struct app_evidence_due *d, size_t n)
{
    json_t *o = json_object(), *items = json_array();
    size_t missing = 0, stale = 0;
    const struct app_evidence_due **order = arena_calloc(req->a, n + 1, sizeof(*order));
    for (size_t i = 0; i < n; i++) {
        order[i] = &d[i];
        if (strcmp(d[i].state, "stale") == 0)
            stale++;
        else
            missing++;
    }
    qsort(order, n, sizeof(*order), by_urgency);
    for (size_t i = 0; i < n && i < DUE_SHOWN; i++) {
        json_t *x = json_object();
        web__set_str(x, "code", order[i]->code);
        web__set_str(x, "title", order[i]->title);
        web__set_str(x, "owner", order[i]->owner);
        web__set_str(x, "state", order[i]->state);
        web__set_str(x, "state_label", web__label(req, "due", order[i]->state));
        web__set_str(x, "last", order[i]->last);
        web__set_int(x, "days_late", order[i]->days_late);
        json_array_append_new(items, x);
    }
    web__set_int(o, "missing", (long long)missing);
    web__set_int(o, "stale", (long long)stale);
    web__set_int(o, "total", (long long)n);
    web__set_int(o, "shown", (long long)json_array_size(items));
    web__set_int(o, "more", (long long)(n - json_array_size(items)));
    json_object_set_new(o, "items", items);
    return o;
}

static const char *date_str(struct arena *a, tl_date d)
{
    char buf[DATE_BUF];
    if (!d)
        return NULL;
    date_format(d, buf);
    return arena_strdup(a, buf);
}

static int by_due(const void *x, const void *y)
{
    const struct app_plan_task *a = *(const struct app_plan_task *const *)x;
    const struct app_plan_task *b = *(const struct app_plan_task *const *)y;
    return a->due < b->due ? -1 : a->due > b->due ? 1 : strcmp(a->code, b->code);
}

static json_t *plan_json(struct web_req *req, const struct app_plan *p)
{
    json_t *o = json_object(), *items = json_array();
    const struct app_plan_task **open = arena_calloc(req->a, p->n_tasks + 1, sizeof(*open));
    size_t n_open = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        if (strcmp(p->tasks[i].status, "done") != 0)
            open[n_open++] = &p->tasks[i];
    qsort(open, n_open, sizeof(*open), by_due);
    for (size_t i = 0; i < n_open && i < TASKS_SHOWN; i++) {
        json_t *x = json_object();
        web__set_str(x, "code", open[i]->code);
        web__set_str(x, "title", open[i]->title);
        web__set_str(x, "owner", open[i]->owner);
        web__set_str(x, "status", open[i]->status);
        web__set_str(x, "status_label", web__label(req, "task", open[i]->status));
        web__set_str(x, "due", date_str(req->a, open[i]->due));
        web__set_bool(x, "late", open[i]->late);
        json_array_append_new(items, x);
    }
    web__set_int(o, "tasks", (long long)p->n_tasks);
    web__set_int(o, "done", (long long)p->done);
    web__set_int(o, "late", (long long)p->late);
    web__set_int(o, "percent", p->effort_total ? 100 * p->effort_done / p->effort_total : 0);
    json_object_set_new(o, "upcoming", items);
    return o;
}

/* Failing runs, most exceptions first. */
static int by_exceptions(const void *x, const void *y)
{
    const struct app_check_run_row *a = *(const struct app_check_run_row *const *)x;
    const struct app_check_run_row *b = *(const struct app_check_run_row *const *)y;
    if (a->exceptions != b->exceptions)
        return a->exceptions > b->exceptions ? -1 : 1;
    return strcmp(a->check_id, b->check_id);
}

static json_t *check_item(struct web_req *req, const struct app_check_run_row *r)
{
    json_t *x = json_object();
    web__set_str(x, "check", r->check_id);
    web__set_str(x, "url",
                 web__org_path(req, arena_printf(req->a, "/checks/%s", web__enc(req, r->check_id))));
    web__set_int(x, "exceptions", (long long)r->exceptions);
    web__set_int(x, "population", (long long)r->population);
    web__set_str(x, "ran_at", r->ran_at);
    web__set_str(x, "evidence_id", r->evidence_id);
    return x;
}

/* The latest run of each check that has run; the failing ones with the
 * most exceptions listed (the checks page has them all). */
static int checks_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_check_run_row *r;
    size_t n;
    int rc = app_check_runs(req->app, req->a, req->org.id, NULL, CHECK_RUNS_READ, &r, &n, e);
    if (rc)
        return rc;
    const struct app_check_run_row **failing = arena_calloc(req->a, n + 1, sizeof(*failing));
    json_t *seen = json_object();
    size_t checks = 0, n_failing = 0;
    for (size_t i = 0; i < n; i++) { /* newest first: the first run of a check is its last */
        if (json_object_get(seen, r[i].check_id))
            continue;
        json_object_set_new(seen, r[i].check_id, json_true());
        checks++;
        if (strcmp(r[i].result, "fail") == 0)
            failing[n_failing++] = &r[i];
    }
    json_decref(seen);
    qsort(failing, n_failing, sizeof(*failing), by_exceptions);
    json_t *o = json_object(), *items = json_array();
    for (size_t i = 0; i < n_failing && i < CHECKS_SHOWN; i++)
        json_array_append_new(items, check_item(req, failing[i]));
    web__set_int(o, "checks_run", (long long)checks);
    web__set_int(o, "failing", (long long)n_failing);
    web__set_bool(o, "more", n_failing > CHECKS_SHOWN);
    json_object_set_new(o, "items", items);
    *out = o;
    return 0;
}

/* Findings of the engagements the user may see that are not closed. */
static int findings_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_who who = {req->role, req->user ? req->user->email : NULL};
    struct app_finding *f;
    size_t n;
    int rc = app_finding_list(req->app, req->a, req->org.id, &who, NULL, &f, &n, e);
    if (rc == TL_EPERM || rc == TL_ENOTFOUND) {
        n = 0; /* nothing this user may see */
        rc = 0;
    }
    if (rc)
        return rc;
    json_t *o = json_object(), *items = json_array();
    size_t open = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].status, "closed") == 0)
            continue;
        open++;
        if (json_array_size(items) >= FINDINGS_SHOWN)
            continue;
        json_t *x = json_object();
        web__set_str(x, "code", f[i].code);
        web__set_str(x, "engagement", f[i].engagement);
        web__set_str(x, "url",
                     web__org_path(req, arena_printf(req->a, "/engagements/%s/findings/%s",
                                                     web__enc(req, f[i].engagement),
                                                     web__enc(req, f[i].code))));
        web__set_str(x, "control", f[i].control);
        web__set_str(x, "title", f[i].title);
        web__set_str(x, "severity", f[i].severity);
        web__set_str(x, "status", f[i].status);
        json_array_append_new(items, x);
    }
    web__set_int(o, "open", (long long)open);
    json_object_set_new(o, "items", items);
    *out = o;
    return 0;
}

/* Everything but the audit entries, for the page and the API. */
static int dashboard_json(struct web_req *req, json_t **out, struct err *e)
{
    struct app_control *c;
    size_t n, n_due;
    const struct dom_catalog *cat;
    struct gap_result g;
    struct app_evidence_due *due;
    struct app_plan plan;
    int rc = app_control_list(req->app, req->a, req->org.id, NULL, &c, &n, e);
    if (rc == 0)
        rc = web__gap_run(req, &cat, &g, e);
    if (rc == 0)
        rc = app_evidence_due(req->app, req->a, req->org.id, &due, &n_due, e);
    if (rc)
        return rc;
    int prc = app_plan_get(req->app, req->a, req->org.id, &plan, e);
    if (prc && prc != TL_ENOTFOUND)
        return prc;
    json_t *o = json_object();
    json_object_set_new(o, "readiness", web__readiness_json(req, cat, &g));
    json_object_set_new(o, "controls", controls_json(req, c, n));
    json_object_set_new(o, "evidence_due", due_json(req, due, n_due));
    json_object_set_new(o, "plan", prc ? json_null() : plan_json(req, &plan));
    json_t *checks = NULL, *findings = NULL;
    rc = checks_json(req, &checks, e);
    if (rc == 0)
        rc = findings_json(req, &findings, e);
    json_object_set_new(o, "checks", checks ? checks : json_null());
    json_object_set_new(o, "findings", findings ? findings : json_null());
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* --- the cache ------------------------------------------------------------ */

static int keep_head(void *ud, const struct audit_entry *en)
{
    struct sb *head = ud;
    char seq[24];
    snprintf(seq, sizeof(seq), "%lld:", (long long)en->seq);
    sb_adds(head, seq);
    sb_adds(head, en->hash);
    return 1;
}

/* What a cached part is made from: the head of the organization's audit
 * chain (moved by every change) and today's date (app->now: TILLIT_NOW
 * pins it), as text. */
static int cache_stamp(struct web_req *req, const char **stamp, struct err *e)
{
    struct arena tmp = ARENA_INIT;
    struct sb head = SB_INIT;
    int rc = audit_each_newest(req->app, &tmp, req->org.id, 1, keep_head, &head, e);
    arena_release(&tmp);
    char today[DATE_BUF];
    date_format(time_date(req->app->now), today);
    if (head.len == 0)
        sb_addc(&head, '0');
    sb_addc(&head, ':');
    sb_adds(&head, today);
    if (rc == 0)
        *stamp = arena_strdup(req->a, head.buf);
    sb_release(&head);
    return rc;
}

/* Appends fields to a key, each with its length first, so that no value
 * (an organization's or a user's name) can pass for two. */
static void key_add(struct sb *key, const char *v)
{
    /* Without printf: a cached request builds a key of some twenty fields. */
    char digits[24];
    size_t n = strlen(v ? v : ""), i = sizeof(digits);
    do {
        digits[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n && i > 0);
    sb_add(key, digits + i, sizeof(digits) - i);
    sb_addc(key, ':');
    if (v)
        sb_adds(key, v);
    sb_addc(key, ';');
}

/* Whom a cached part is for: the organization, the language, the role, and
 * an auditor by email (the findings shown depend on their access). */
static void key_for(struct web_req *req, const char *what, struct sb *key)
{
    const char *role = req->role ? req->role : "";
    bool auditor = strcmp(role, "auditor") == 0;
    key_add(key, what);
    key_add(key, req->org.id);
    key_add(key, req->org.slug);
    key_add(key, req->lang);
    key_add(key, role);
    key_add(key, auditor && req->user ? req->user->email : "");
}

static const char *cache_key(struct web_req *req, const char *what)
{
    struct sb key = SB_INIT;
    key_for(req, what, &key);
    const char *out = arena_strdup(req->a, key.buf);
    sb_release(&key);
    return out;
}

/* Appends the cached bytes of what to out when they are current; otherwise
 * has build append them and keeps them.  The response says which with an
 * X-Cache header (hit_label or "miss": for tests and the benchmark).
 * Without a cache (unit tests without a site) it only builds. */
static int cached(struct web_req *req, struct web_resp *resp, const char *what,
                  const char *hit_label,
                  int (*build)(struct web_req *req, struct sb *out, struct err *e), struct sb *out,
                  struct err *e)
{
    struct web_cache *cache = req->site ? req->site->cache : NULL;
    const char *stamp = "", *key = cache_key(req, what);
    int rc = cache ? cache_stamp(req, &stamp, e) : 0;
    if (rc)
        return rc;
    if (cache && web_cache_get(cache, key, stamp, out)) {
        web_resp_header(resp, "X-Cache", hit_label);
        return 0;
    }
    size_t start = out->len;
    rc = build(req, out, e);
    if (rc == 0 && cache)
        web_cache_put(cache, key, stamp, out->buf + start, out->len - start);
    web_resp_header(resp, "X-Cache", "miss");
    return rc;
}

/* --- the page and the API --------------------------------------------------- */

/* The page's main part, rendered (templates/dashboard_main.html). */
static int build_main(struct web_req *req, struct sb *out, struct err *e)
{
    json_t *d, *recent;
    int rc = dashboard_json(req, &d, e);
    if (rc)
        return rc;
    rc = web__audit_rows(req, &recent, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    while (json_array_size(recent) > RECENT_SHOWN)
        json_array_remove(recent, json_array_size(recent) - 1);
    json_object_set_new(d, "recent", recent);
    json_t *org = json_object();
    web__set_str(org, "slug", req->org.slug);
    json_object_set_new(d, "org", org);
    web__set_str(d, "lang", req->lang);
    struct web_tmpl_env env = {req->site, web_site_strings(req->site, req->lang)};
    rc = web_tmpl_render(&env, "dashboard_main", d, out, e);
    json_decref(d);
    return rc;
}

static int build_api(struct web_req *req, struct sb *out, struct err *e)
{
    json_t *d;
    int rc = dashboard_json(req, &d, e);
    if (rc)
        return rc;
    rc = js_dump(out, d, 1);
    sb_addc(out, '\n');
    json_decref(d);
    return rc;
}

/* The key of the whole page for this request, or NULL when the page is
 * not to be kept: everything web__page (page.c) puts around the main part
 * besides the CSRF token, which is spliced in per request.  Its inputs are
 * the user (id, email, name), the organization (id, slug, name), the role,
 * the language, the path and the user's memberships (the organization
 * switcher); a query string (a flash message, ?q=, ?lang=) is not kept.
 * Whoever makes the layout show more of the request adds it here. */
static int page_key(struct web_req *req, const char **out, struct err *e)
{
    *out = NULL;
    if (!req->site || !req->site->cache || !req->session || !req->user || req->query.n > 0 ||
        strlen(req->session->csrf) < 16)
        return 0;
    struct app_membership *m;
    size_t n;
    int rc = app_user_memberships(req->app, req->a, req->user->id, &m, &n, e);
    if (rc)
        return rc;
    struct sb key = SB_INIT;
    key_for(req, "dashboard-page", &key);
    key_add(&key, req->user->id);
    key_add(&key, req->user->email);
    key_add(&key, req->user->name);
    key_add(&key, req->org.name);
    key_add(&key, req->path);
    key_add(&key, req->method);
    for (size_t i = 0; i < n; i++) {
        key_add(&key, m[i].org_id);
        key_add(&key, m[i].org_slug);
        key_add(&key, m[i].org_name);
        key_add(&key, m[i].role);
    }
    *out = arena_strdup(req->a, key.buf);
    sb_release(&key);
    return 0;
}

/* A page as kept: every occurrence of the session's CSRF token replaced
 * by a NUL byte (which no rendered page holds); false when there is none
 * to replace or the page holds a NUL. */
static bool page_cut(const struct sb *page, const char *csrf, struct sb *out)
{
    size_t n = strlen(csrf);
    if (memchr(page->buf, '\0', page->len))
        return false;
    const char *p = page->buf, *end = page->buf + page->len, *hit;
    size_t cuts = 0;
    while ((hit = strstr(p, csrf)) != NULL) {
        sb_add(out, p, (size_t)(hit - p));
        sb_addc(out, '\0');
        p = hit + n;
        cuts++;
    }
    sb_add(out, p, (size_t)(end - p));
    return cuts > 0;
}

/* The kept page with this session's CSRF token put back. */
static void page_splice(const struct sb *kept, const char *csrf, struct sb *out)
{
    const char *p = kept->buf, *end = kept->buf + kept->len;
    sb_grow(out, kept->len + 4 * strlen(csrf)); /* one allocation, as a rule */
    while (p < end) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
        sb_add(out, p, n);
        if (!nul)
            break;
        sb_adds(out, csrf);
        p = nul + 1;
    }
}

/* Serves the kept page when it is current; *served says whether it did. */
static int page_from_cache(struct web_req *req, struct web_resp *resp, const char *key,
                           const char *stamp, bool *served)
{
    struct sb kept = SB_INIT;
    *served = web_cache_get(req->site->cache, key, stamp, &kept);
    if (*served) {
        sb_reset(&resp->body);
        page_splice(&kept, req->session->csrf, &resp->body);
        resp->content_type = "text/html; charset=utf-8";
        web_resp_header(resp, "X-Cache", "hit");
    }
    sb_release(&kept);
    return 0;
}

/* Keeps the page just rendered, if the memberships it was keyed on still
 * hold.  The request's reads share one snapshot (server.c), so they can
 * only have moved if the request wrote (a session's last_seen), which ends
 * that snapshot: a grant in between would otherwise be kept under the old
 * key. */
static void page_keep(struct web_req *req, const struct web_resp *resp, const char *key,
                      const char *stamp)
{
    struct err e = ERR_INIT;
    const char *again;
    if (resp->status != 200 || page_key(req, &again, &e) != 0 || !again || strcmp(again, key) != 0)
        return;
    struct sb kept = SB_INIT;
    if (page_cut(&resp->body, req->session->csrf, &kept))
        web_cache_put(req->site->cache, key, stamp, kept.buf, kept.len);
    sb_release(&kept);
}

/* The page: whole from the cache when this user saw it as it is now
 * (X-Cache: hit); otherwise the main part, from the cache when someone
 * with the same language and role saw it (X-Cache: main) or computed
 * (miss), inside the layout. */
WEB__HANDLER(web__dashboard)
{
    const char *pkey = NULL, *stamp = "";
    int rc = page_key(req, &pkey, e);
    if (rc == 0 && pkey)
        rc = cache_stamp(req, &stamp, e);
    bool served = false;
    if (rc == 0 && pkey)
        rc = page_from_cache(req, resp, pkey, stamp, &served);
    if (rc || served)
        return rc;
    struct sb main = SB_INIT;
    rc = cached(req, resp, "dashboard", "main", build_main, &main, e);
    if (rc) {
        sb_release(&main);
        return rc;
    }
    json_t *d = json_object();
    json_object_set_new(d, "main", web__str(main.buf));
    sb_release(&main);
    rc = web__page(req, resp, "dashboard", web__t(req, "nav.dashboard"), d, e);
    if (rc == 0 && pkey)
        page_keep(req, resp, pkey, stamp);
    return rc;
}

WEB__HANDLER(web__api_dashboard)
{
    sb_reset(&resp->body);
    int rc = cached(req, resp, "api-dashboard", "hit", build_api, &resp->body, e);
    if (rc) {
        sb_reset(&resp->body);
        return rc;
    }
    resp->status = 200;
    resp->content_type = "application/json";
    return 0;
}
