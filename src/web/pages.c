/* pages.c - the program pages: dashboard, criteria, controls, people,
 * audit log.  Each list is built once as JSON rows (web__*_rows) that the
 * page renders, the CSV/JSON export writes and the API returns, so the
 * three can never disagree about what a user may see.
 */
#include "web/web_impl.h"

#include "app/audit.h"
#include "app/control.h"
#include "app/evidence.h"
#include "app/person.h"
#include "base/crypto.h"
#include "domain/program.h"

#include <stdio.h>
#include <string.h>

#define AUDIT_RECENT 200 /* entries an audit page shows, newest first */

static const char *label(struct web_req *req, const char *group, const char *value)
{
    return web__t(req, arena_printf(req->a, "%s.%s", group, value ? value : ""));
}

/* --- criteria ------------------------------------------------------------- */

/* How many of the organization's controls map to each criterion. */
static int coverage(struct web_req *req, json_t **out, struct err *e)
{
    struct app_control *c;
    size_t n;
    int rc = app_control_list(req->app, req->a, req->org.id, NULL, &c, &n, e);
    if (rc)
        return rc;
    json_t *cov = json_object();
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < c[i].n_criteria; k++) {
            const char *id = c[i].criteria[k].criterion;
            json_t *have = json_object_get(cov, id);
            json_object_set_new(cov, id, json_integer(have ? json_integer_value(have) + 1 : 1));
        }
    }
    *out = cov;
    return 0;
}

int web__criteria_rows(struct web_req *req, const char *category, json_t **rows, struct err *e)
{
    const struct dom_catalog *cat;
    json_t *cov;
    int rc = app_catalog(req->app, &cat, e);
    if (rc == 0 && category && !dom_catalog_category(cat, category))
        return ERR_SET(e, TL_EINPUT, "unknown category '%s'", category);
    if (rc == 0)
        rc = coverage(req, &cov, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < cat->n_criteria; i++) {
        const struct dom_criterion *c = &cat->criteria[i];
        if (category && strcmp(c->category, category) != 0)
            continue;
        json_t *o = json_object();
        web__set_str(o, "id", c->id);
        web__set_str(o, "category", c->category);
        web__set_str(o, "series", c->series);
        web__set_str(o, "title", dom_text_get(&c->title, req->lang));
        web__set_int(o, "points_of_focus", (long long)c->n_pofs);
        json_t *k = json_object_get(cov, c->id);
        web__set_int(o, "controls", k ? json_integer_value(k) : 0);
        json_array_append_new(arr, o);
    }
    json_decref(cov);
    *rows = arr;
    return 0;
}

static const char *const criteria_cols[] = {
    "id", "category", "series", "title", "points_of_focus", "controls", NULL};

WEB__HANDLER(web__criteria_page)
{
    const struct dom_catalog *cat;
    const char *category = web__q(req, "category");
    json_t *rows;
    int rc = app_catalog(req->app, &cat, e);
    if (rc == 0)
        rc = web__criteria_rows(req, category, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, criteria_cols, "criteria")) {
        json_decref(rows);
        return 0;
    }
    /* Grouped for the page: category, then series, then criteria. */
    json_t *cats = json_array(), *options = json_array();
    for (size_t i = 0; i < cat->n_categories; i++) {
        const struct dom_category *k = &cat->categories[i];
        json_t *opt = json_object();
        web__set_str(opt, "value", k->id);
        web__set_str(opt, "label", dom_text_get(&k->name, req->lang));
        web__set_bool(opt, "selected", category && strcmp(category, k->id) == 0);
        json_array_append_new(options, opt);
        if (category && strcmp(category, k->id) != 0)
            continue;
        json_t *co = json_object(), *list = json_array();
        web__set_str(co, "id", k->id);
        web__set_str(co, "name", dom_text_get(&k->name, req->lang));
        web__set_str(co, "summary", dom_text_get(&k->summary, req->lang));
        size_t i_row;
        json_t *row;
        json_array_foreach(rows, i_row, row)
        {
            if (strcmp(json_string_value(json_object_get(row, "category")), k->id) == 0)
                json_array_append(list, row);
        }
        json_object_set_new(co, "criteria", list);
        json_array_append_new(cats, co);
    }
    json_t *d = json_object();
    json_object_set_new(d, "categories", cats);
    json_object_set_new(d, "category_options", options);
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_decref(rows);
    return web__page(req, resp, "criteria", web__t(req, "nav.criteria"), d, e);
}

static int criterion_json(struct web_req *req, const char *id, json_t **out, struct err *e)
{
    const struct dom_catalog *cat;
    int rc = app_catalog(req->app, &cat, e);
    if (rc)
        return rc;
    const struct dom_criterion *c = dom_catalog_criterion(cat, id);
    if (!c)
        return ERR_SET(e, TL_ENOTFOUND, "no criterion '%s'", id);
    json_t *o = json_object(), *pofs = json_array(), *controls = json_array();
    web__set_str(o, "id", c->id);
    web__set_str(o, "category", c->category);
    web__set_str(o, "series", c->series);
    web__set_str(o, "title", dom_text_get(&c->title, req->lang));
    web__set_str(o, "summary", dom_text_get(&c->summary, req->lang));
    if (c->principle)
        web__set_int(o, "coso_principle", c->principle->number);
    for (size_t i = 0; i < c->n_pofs; i++) {
        json_t *p = json_object();
        web__set_str(p, "id", c->pofs[i].id);
        web__set_str(p, "kind", dom_pof_kind_name(c->pofs[i].kind));
        web__set_str(p, "title", dom_text_get(&c->pofs[i].title, req->lang));
        web__set_str(p, "text", dom_text_get(&c->pofs[i].text, req->lang));
        json_array_append_new(pofs, p);
    }
    json_object_set_new(o, "points_of_focus", pofs);
    struct app_control_filter f = {.criterion = c->id};
    struct app_control *ctl;
    size_t n;
    rc = app_control_list(req->app, req->a, req->org.id, &f, &ctl, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *k = json_object();
        web__set_str(k, "code", ctl[i].code);
        web__set_str(k, "title", ctl[i].title);
        web__set_str(k, "status", ctl[i].status);
        web__set_str(k, "status_label", label(req, "status", ctl[i].status));
        json_array_append_new(controls, k);
    }
    json_object_set_new(o, "controls", controls);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

WEB__HANDLER(web__criterion_page)
{
    json_t *c;
    int rc = criterion_json(req, req->params[1], &c, e);
    if (rc)
        return rc;
    const char *title = arena_printf(req->a, "%s %s", json_string_value(json_object_get(c, "id")),
                                     json_string_value(json_object_get(c, "title")));
    json_t *d = json_object();
    json_object_set_new(d, "criterion", c);
    return web__page(req, resp, "criterion", title, d, e);
}

WEB__HANDLER(web__api_criterion)
{
    json_t *c;
    int rc = criterion_json(req, req->params[1], &c, e);
    if (rc == 0)
        web__json(resp, 200, c);
    return rc;
}

/* --- controls ------------------------------------------------------------- */

static json_t *control_row(struct web_req *req, const struct app_control *c)
{
    json_t *o = json_object(), *crit = json_array();
    web__set_str(o, "code", c->code);
    web__set_str(o, "title", c->title);
    web__set_str(o, "status", c->status);
    web__set_str(o, "status_label", label(req, "status", c->status));
    web__set_str(o, "owner", c->owner && *c->owner ? c->owner : NULL);
    web__set_str(o, "frequency", c->frequency);
    web__set_str(o, "nature", c->nature);
    web__set_str(o, "type", c->type);
    web__set_bool(o, "key", c->key == 1);
    for (size_t i = 0; i < c->n_criteria; i++)
        json_array_append_new(crit, web__str(c->criteria[i].criterion));
    json_object_set_new(o, "criteria", crit);
    return o;
}

static const char *const control_cols[] = {"code",   "title", "status", "owner",    "frequency",
                                           "nature", "type",  "key",    "criteria", NULL};

int web__control_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_control_filter f = {.status = web__q(req, "status"),
                                   .criterion = web__q(req, "criterion"),
                                   .owner = web__q(req, "owner")};
    struct app_control *c;
    size_t n;
    int rc = app_control_list(req->app, req->a, req->org.id, &f, &c, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, control_row(req, &c[i]));
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__controls_page)
{
    json_t *rows;
    int rc = web__control_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, control_cols, "controls")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object(), *statuses = json_array();
    const char *status = web__q(req, "status");
    for (size_t i = 0; dom_statuses[i]; i++) {
        json_t *s = json_object();
        web__set_str(s, "value", dom_statuses[i]);
        web__set_str(s, "label", label(req, "status", dom_statuses[i]));
        web__set_bool(s, "selected", status && strcmp(status, dom_statuses[i]) == 0);
        json_array_append_new(statuses, s);
    }
    json_object_set_new(d, "statuses", statuses);
    web__set_str(d, "criterion", web__q(req, "criterion"));
    web__set_str(d, "owner", web__q(req, "owner"));
    /* The export links carry the filters of what is shown. */
    struct sb qs = SB_INIT;
    static const char *const keys[] = {"status", "criterion", "owner"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = web__q(req, keys[i]);
        if (!v)
            continue;
        sb_addf(&qs, "&%s=", keys[i]);
        web_url_encode(&qs, v);
    }
    web__set_str(d, "filter_query", qs.buf);
    sb_release(&qs);
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "controls", rows);
    return web__page(req, resp, "controls", web__t(req, "nav.controls"), d, e);
}

int web__control_detail(struct web_req *req, const char *code, json_t **out, struct err *e)
{
    struct app_control c;
    const struct dom_catalog *cat;
    int rc = app_control_get(req->app, req->a, req->org.id, code, &c, e);
    if (rc == 0)
        rc = app_catalog(req->app, &cat, e);
    if (rc)
        return rc;
    json_t *o = control_row(req, &c), *maps = json_array(), *risks = json_array();
    web__set_str(o, "description", c.description);
    web__set_str(o, "evidence_expected", c.evidence);
    web__set_str(o, "library_code", c.library_code);
    web__set_int(o, "version", (long long)c.version);
    web__set_str(o, "frequency_label", label(req, "frequency", c.frequency));
    web__set_str(o, "nature_label", label(req, "nature", c.nature));
    web__set_str(o, "type_label", label(req, "type", c.type));
    for (size_t i = 0; i < c.n_criteria; i++) {
        json_t *m = json_object(), *pofs = json_array();
        const struct dom_criterion *cr = dom_catalog_criterion(cat, c.criteria[i].criterion);
        web__set_str(m, "criterion", c.criteria[i].criterion);
        web__set_str(m, "title", cr ? dom_text_get(&cr->title, req->lang) : "");
        const char *p = c.criteria[i].pofs ? c.criteria[i].pofs : "";
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            if (n)
                json_array_append_new(pofs, web__str(arena_strndup(req->a, p, n)));
            p += n + (comma ? 1 : 0);
        }
        json_object_set_new(m, "points_of_focus", pofs);
        json_array_append_new(maps, m);
    }
    json_object_set_new(o, "mappings", maps);
    for (size_t i = 0; i < c.n_risks; i++)
        json_array_append_new(risks, web__str(c.risks[i]));
    json_object_set_new(o, "risks", risks);
    struct app_evidence *ev;
    size_t n_ev;
    rc = app_evidence_list(req->app, req->a, req->org.id, c.code, false, &ev, &n_ev, e);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_t *evs = json_array();
    for (size_t i = 0; i < n_ev; i++) {
        json_t *x = json_object();
        web__set_str(x, "id", ev[i].id);
        web__set_str(x, "name", ev[i].name);
        web__set_str(x, "period_start", ev[i].period_start);
        web__set_str(x, "period_end", ev[i].period_end);
        web__set_str(x, "period",
                     strcmp(ev[i].period_start, ev[i].period_end) == 0
                         ? ev[i].period_start
                         : arena_printf(req->a, "%s..%s", ev[i].period_start, ev[i].period_end));
        web__set_str(x, "added_at", ev[i].added_at);
        json_array_append_new(evs, x);
    }
    json_object_set_new(o, "evidence", evs);
    *out = o;
    return 0;
}

/* The audit entries about one record, newest first (at most 50). */
struct history {
    struct web_req *req;
    const char *type, *key;
    json_t *rows;
};

static int keep_history(void *ud, const struct audit_entry *en)
{
    struct history *h = ud;
    if (!en->object_type || strcmp(en->object_type, h->type) != 0 || !en->object_id ||
        strcmp(en->object_id, h->key) != 0)
        return 0;
    json_t *o = json_object();
    web__set_int(o, "seq", (long long)en->seq);
    web__set_str(o, "at", en->at);
    web__set_str(o, "actor", en->actor);
    web__set_str(o, "action", en->action);
    json_array_insert_new(h->rows, 0, o);
    if (json_array_size(h->rows) > 50)
        json_array_remove(h->rows, 50);
    return 0;
}

int web__history(struct web_req *req, const char *type, const char *key, json_t **rows,
                 struct err *e)
{
    struct history h = {req, type, key, json_array()};
    struct arena tmp = ARENA_INIT;
    int rc = audit_each(req->app, &tmp, req->org.id, 0, keep_history, &h, e);
    arena_release(&tmp);
    if (rc) {
        json_decref(h.rows);
        return rc;
    }
    *rows = h.rows;
    return 0;
}

WEB__HANDLER(web__control_page)
{
    json_t *c;
    int rc = web__control_detail(req, req->params[1], &c, e);
    if (rc)
        return rc;
    const char *title = arena_printf(req->a, "%s %s", json_string_value(json_object_get(c, "code")),
                                     json_string_value(json_object_get(c, "title")));
    json_t *d = json_object(), *hist;
    json_object_set_new(d, "control", c);
    rc = web__history(req, "control", json_string_value(json_object_get(c, "code")), &hist, e);
    if (rc) {
        json_decref(d);
        return rc;
    }
    json_object_set_new(d, "history", hist);
    return web__page(req, resp, "control", title, d, e);
}

/* --- people --------------------------------------------------------------- */

static const char *const people_cols[] = {"email",       "name",    "title",
                                          "department",  "manager", "start_date",
                                          "end_date",    "active",  "is_control_owner",
                                          "is_approver", NULL};

json_t *web__person_json(struct web_req *req, const struct app_person *p)
{
    (void)req;
    json_t *o = json_object();
    web__set_str(o, "email", p->email);
    web__set_str(o, "name", p->name);
    web__set_str(o, "title", p->title);
    web__set_str(o, "department", p->department);
    web__set_str(o, "manager", p->manager && *p->manager ? p->manager : NULL);
    web__set_str(o, "start_date", p->start_date && *p->start_date ? p->start_date : NULL);
    web__set_str(o, "end_date", p->end_date && *p->end_date ? p->end_date : NULL);
    web__set_bool(o, "active", p->active == 1);
    web__set_bool(o, "is_control_owner", p->is_control_owner == 1);
    web__set_bool(o, "is_approver", p->is_approver == 1);
    return o;
}

int web__people_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_person_filter f = {.department = web__q(req, "department"),
                                  .active_only = web__q(req, "active") != NULL};
    struct app_person *p;
    size_t n;
    int rc = app_person_list(req->app, req->a, req->org.id, &f, &p, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, web__person_json(req, &p[i]));
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__people_page)
{
    json_t *rows;
    int rc = web__people_rows(req, &rows, e);
    if (rc)
        return rc;
    if (web__export(req, resp, rows, people_cols, "people")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object();
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "people", rows);
    web__set_str(d, "department", web__q(req, "department"));
    web__set_bool(d, "active", web__q(req, "active") != NULL);
    static const char *const keys[] = {"department", "active", NULL};
    web__set_str(d, "filter_query", web__filter_query(req, keys));
    return web__page(req, resp, "people", web__t(req, "nav.people"), d, e);
}

/* --- audit log ------------------------------------------------------------ */

struct recent {
    struct web_req *req;
    json_t *ring[AUDIT_RECENT];
    size_t n; /* entries seen */
};

static int keep_recent(void *ud, const struct audit_entry *en)
{
    struct recent *r = ud;
    json_t *o = json_object();
    web__set_int(o, "seq", (long long)en->seq);
    web__set_str(o, "at", en->at);
    web__set_str(o, "actor", en->actor);
    web__set_str(o, "action", en->action);
    web__set_str(o, "object_type", en->object_type);
    web__set_str(o, "object_id", en->object_id);
    web__set_str(o, "hash", en->hash);
    size_t slot = r->n % AUDIT_RECENT;
    json_decref(r->ring[slot]);
    r->ring[slot] = o;
    r->n++;
    return 0;
}

int web__audit_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct recent *r = arena_calloc(req->a, 1, sizeof(*r));
    r->req = req;
    struct arena tmp = ARENA_INIT;
    /* Only the newest entries are read: the chain can be long. */
    int rc = audit_each_newest(req->app, &tmp, req->org.id, AUDIT_RECENT, keep_recent, r, e);
    arena_release(&tmp);
    json_t *arr = json_array();
    size_t kept = r->n < AUDIT_RECENT ? r->n : AUDIT_RECENT;
    for (size_t i = 0; i < kept; i++) { /* already newest first */
        json_array_append_new(arr, r->ring[i]);
        r->ring[i] = NULL;
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *rows = arr;
    return 0;
}

/* Verifies this organization's chain alone.  audit_verify() walks every
 * chain of the installation and stops at the first bad one, which would let
 * one tenant's page report on another's; this walk sees only req->org. */
struct chain_check {
    int64_t seq, verified, bad_seq;
    char prev[SHA256_HEX];
    const char *reason;
};

static int check_entry(void *ud, const struct audit_entry *en)
{
    struct chain_check *c = ud;
    char hash[SHA256_HEX];
    struct sb sb = SB_INIT;
    audit_canonical(en, &sb);
    crypto_sha256_hex(sb.buf, sb.len, hash);
    sb_release(&sb);
    if (en->seq != c->seq + 1)
        c->reason = "sequence has a gap";
    else if (strcmp(en->prev_hash, c->prev) != 0)
        c->reason = "does not link to the previous entry";
    else if (strcmp(hash, en->hash) != 0)
        c->reason = "content does not match its hash";
    if (c->reason) {
        c->bad_seq = en->seq;
        return 1;
    }
    c->seq = en->seq;
    snprintf(c->prev, sizeof(c->prev), "%s", en->hash);
    c->verified++;
    return 0;
}

int web__audit_check(struct web_req *req, json_t **result, struct err *e)
{
    struct chain_check c = {0};
    memset(c.prev, '0', SHA256_HEX - 1);
    struct arena tmp = ARENA_INIT;
    int rc = audit_each(req->app, &tmp, req->org.id, 0, check_entry, &c, e);
    arena_release(&tmp);
    if (rc)
        return rc;
    json_t *o = json_object();
    web__set_bool(o, "ok", c.reason == NULL);
    web__set_int(o, "verified", (long long)c.verified);
    if (c.reason) {
        web__set_int(o, "bad_seq", (long long)c.bad_seq);
        web__set_str(o, "reason", c.reason);
    }
    *result = o;
    return 0;
}

static const char *const audit_cols[] = {"seq",         "at",        "actor", "action",
                                         "object_type", "object_id", "hash",  NULL};

static int audit_page(struct web_req *req, struct web_resp *resp, json_t *verify, struct err *e)
{
    json_t *rows;
    int rc = web__audit_rows(req, &rows, e);
    if (rc) {
        json_decref(verify);
        return rc;
    }
    if (!verify && web__export(req, resp, rows, audit_cols, "audit-log")) {
        json_decref(rows);
        return 0;
    }
    json_t *d = json_object();
    web__set_int(d, "count", (long long)json_array_size(rows));
    json_object_set_new(d, "entries", rows);
    if (verify)
        json_object_set_new(d, "verify", verify);
    return web__page(req, resp, "audit", web__t(req, "nav.audit"), d, e);
}

WEB__HANDLER(web__audit_page)
{
    return audit_page(req, resp, NULL, e);
}

WEB__HANDLER(web__audit_verify)
{
    json_t *v;
    int rc = web__audit_check(req, &v, e);
    return rc ? rc : audit_page(req, resp, v, e);
}
