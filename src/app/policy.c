/* policy.c - policies: templates, versions, approval, acknowledgment. */
#include "app/policy.h"

#include "app/record.h"
#include "base/js.h"
#include "base/yml.h"
#include "domain/program.h"
#include "domain/template.h"

#include <string.h>

#define INDEX_PATH "policies/index.yaml"

/* A person (alias pe or ap) is active on date ?: employed that day, that
 * is started (or start unknown) and not yet left, as 'person list --active'
 * counts.  ISO dates compare as text. */
#define ACTIVE_PE                                                                                  \
    "(? BETWEEN coalesce(nullif(pe.start_date, ''), '0000-01-01') "                                \
    "AND coalesce(nullif(pe.end_date, ''), '9999-12-31'))"
#define ACTIVE_AP                                                                                  \
    "(? BETWEEN coalesce(nullif(ap.start_date, ''), '0000-01-01') "                                \
    "AND coalesce(nullif(ap.end_date, ''), '9999-12-31'))"

static void today(const struct app *app, char buf[DATE_BUF])
{
    date_format(time_date(app->now), buf);
}

/* --- templates ------------------------------------------------------------ */

static int read_template(struct arena *a, const struct yml_node *m, const char *lang,
                         struct app_policy_template *t, struct err *e)
{
    const struct yml_node *title = yml_get(m, "title"), *crit;
    int rc = yml_req_str(m, "name", &t->name, e);
    if (rc == 0 && !title)
        rc = yml_fail(e, m, TL_EINPUT, "policy template '%s' has no title", t->name);
    if (rc == 0)
        rc = yml_req_str(title, lang, &t->title, e);
    if (rc == 0)
        rc = yml_opt_str(m, "review", "annual", &t->review, e);
    if (rc == 0 && dom_enum_check(dom_reviews, t->review, "review", e)) {
        char msg[sizeof(e->msg)];
        memcpy(msg, e->msg, sizeof(msg));
        rc = yml_fail(e, yml_get(m, "review"), TL_EINPUT, "%s", msg);
    }
    if (rc == 0)
        rc = yml_opt_seq(m, "criteria", &crit, e);
    if (rc)
        return rc;
    t->n_criteria = crit ? crit->n : 0;
    t->criteria = arena_calloc(a, t->n_criteria + 1, sizeof(char *));
    for (size_t i = 0; i < t->n_criteria; i++) {
        if (crit->items[i]->kind != YML_SCALAR)
            return yml_fail(e, crit->items[i], TL_EINPUT, "a criterion must be an id");
        t->criteria[i] = crit->items[i]->str;
    }
    return 0;
}

int app_policy_templates(struct app *app, struct arena *a, const char *lang,
                         struct app_policy_template **out, size_t *n, struct err *e)
{
    const char *data;
    size_t len;
    struct yml_node *root;
    const struct yml_node *list;
    int rc = dom_enum_check(dom_languages, lang, "language", e);
    if (rc == 0)
        rc = app_content_read(app, INDEX_PATH, &data, &len, e);
    if (rc == 0)
        rc = yml_parse(a, INDEX_PATH, data, len, &root, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "policies", &list, e);
    if (rc)
        return rc;
    *n = 0;
    *out = arena_calloc(a, (list ? list->n : 0) + 1, sizeof(**out));
    for (size_t i = 0; list && i < list->n; i++) {
        rc = read_template(a, list->items[i], lang, &(*out)[i], e);
        if (rc)
            return rc;
        *n = i + 1;
    }
    return 0;
}

/* The template called name with its text in lang. */
static int load_template(struct app *app, struct arena *a, const char *name, const char *lang,
                         struct app_policy_template *t, const char **body, struct err *e)
{
    struct app_policy_template *all;
    size_t n, len;
    int rc = app_policy_templates(app, a, lang, &all, &n, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].name, name) != 0)
            continue;
        *t = all[i];
        char *path = arena_printf(a, "policies/%s.%s.md", name, lang);
        return app_content_read(app, path, body, &len, e);
    }
    return ERR_SET(e, TL_ENOTFOUND, "no policy template '%s' (see 'tillit policy templates')",
                   name);
}

/* --- reading -------------------------------------------------------------- */

/* Columns of a policy with its current and approved versions; binds
 * today, then org id. */
#define POLICY_SELECT                                                                              \
    "SELECT p.id, p.slug, p.title, o.email, o.name, p.review, p.template, p.version, "             \
    "(SELECT max(v.number) FROM policy_version v WHERE v.policy_id = p.id), "                      \
    "(SELECT max(v.number) FROM policy_version v WHERE v.policy_id = p.id "                        \
    " AND v.approved_on IS NOT NULL), "                                                            \
    "(SELECT count(*) FROM policy_ack k JOIN person pe ON pe.id = k.person_id "                    \
    " WHERE k.policy_id = p.id AND k.number = (SELECT max(v.number) FROM policy_version v "        \
    " WHERE v.policy_id = p.id) AND " ACTIVE_PE ") "                                               \
    "FROM policy p LEFT JOIN person o ON o.id = p.owner_id WHERE p.org_id = ? "

static void read_policy(struct store_stmt *st, struct arena *a, struct app_policy *p,
                        const char **id)
{
    memset(p, 0, sizeof(*p));
    if (id)
        *id = arena_strdup(a, store_col_text(st, 0));
    p->slug = arena_strdup(a, store_col_text(st, 1));
    p->title = arena_strdup(a, store_col_text(st, 2));
    p->owner = arena_strdup(a, store_col_text(st, 3));
    p->owner_name = arena_strdup(a, store_col_text(st, 4));
    p->review = arena_strdup(a, store_col_text(st, 5));
    p->template = arena_strdup(a, store_col_text(st, 6));
    p->version = store_col_int(st, 7);
    p->current = store_col_int(st, 8);
    p->approved = store_col_int(st, 9);
    p->acked = store_col_int(st, 10);
}

static int count_active(struct app *app, const char *org_id, int64_t *n, struct err *e)
{
    char day[DATE_BUF];
    today(app, day);
    return store_query_int(app->store, e, n, NULL,
                           "SELECT count(*) FROM person pe WHERE pe.org_id = ? AND " ACTIVE_PE,
                           "tt", org_id, day);
}

/* Fills approved_by/approved_on of p from its latest approved version. */
static int load_approval(struct app *app, struct arena *a, const char *id, struct app_policy *p,
                         struct err *e)
{
    if (!p->approved)
        return 0;
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT pe.email, v.approved_on FROM policy_version v LEFT JOIN "
                            "person pe ON pe.id = v.approved_by WHERE v.policy_id = ? AND "
                            "v.number = ?",
                            "ti", id, p->approved);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        p->approved_by = arena_strdup(a, store_col_text(st, 0));
        p->approved_on = arena_strdup(a, store_col_text(st, 1));
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_policy_list(struct app *app, struct arena *a, const char *org_id, struct app_policy **out,
                    size_t *n, struct err *e)
{
    char day[DATE_BUF];
    today(app, day);
    int64_t count = 0, active = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM policy WHERE org_id = ?", "t", org_id);
    if (rc == 0)
        rc = count_active(app, org_id, &active, e);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st, POLICY_SELECT "ORDER BY p.slug", "tt", day, org_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    const char **ids = arena_calloc(a, (size_t)count + 1, sizeof(char *));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        read_policy(st, a, &(*out)[*n], &ids[*n]);
        (*out)[(*n)++].active = active;
    }
    store_finalize(st);
    for (size_t i = 0; rc >= 0 && i < *n; i++)
        rc = load_approval(app, a, ids[i], &(*out)[i], e);
    return rc < 0 ? rc : 0;
}

/* Finds policy slug (without its text); *id gets its record id. */
static int find_policy(struct app *app, struct arena *a, const char *org_id, const char *slug,
                       struct app_policy *out, const char **id, struct err *e)
{
    char day[DATE_BUF];
    today(app, day);
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st, POLICY_SELECT "AND p.slug = ?", "ttt", day, org_id,
                            slug);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_policy(st, a, out, id);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no policy '%s' (see 'tillit policy list')", slug);
    if (rc < 0)
        return rc;
    rc = count_active(app, org_id, &out->active, e);
    return rc ? rc : load_approval(app, a, *id, out, e);
}

#define VERSION_SELECT                                                                             \
    "SELECT v.number, v.body, pe.email, pe.name, v.approved_on, "                                  \
    "(SELECT count(*) FROM policy_ack k JOIN person ap ON ap.id = k.person_id "                    \
    " WHERE k.policy_id = v.policy_id AND k.number = v.number AND " ACTIVE_AP ") "                 \
    "FROM policy_version v LEFT JOIN person pe ON pe.id = v.approved_by "                          \
    "WHERE v.policy_id = ? AND v.org_id = ? "

static void read_version(struct store_stmt *st, struct arena *a, struct app_policy_version *v)
{
    v->number = store_col_int(st, 0);
    v->body = arena_strdup(a, store_col_text(st, 1));
    v->approved_by = arena_strdup(a, store_col_text(st, 2));
    v->approved_by_name = arena_strdup(a, store_col_text(st, 3));
    v->approved_on = arena_strdup(a, store_col_text(st, 4));
    v->acked = store_col_int(st, 5);
}

/* Version number (0 = latest) of the policy with record id. */
static int find_version(struct app *app, struct arena *a, const char *org_id, const char *id,
                        const char *slug, int64_t number, struct app_policy_version *out,
                        struct err *e)
{
    char day[DATE_BUF];
    today(app, day);
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            VERSION_SELECT "AND (v.number = ? OR (? = 0 AND v.number = "
                                           "(SELECT max(number) FROM policy_version "
                                           "WHERE policy_id = v.policy_id)))",
                            "tttii", day, id, org_id, number, number);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_version(st, a, out);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "policy '%s' has no version %lld", slug, (long long)number);
    return rc < 0 ? rc : 0;
}

/* The policy with the text of its current version; *id gets its record id. */
static int find_current(struct app *app, struct arena *a, const char *org_id, const char *slug,
                        struct app_policy *out, const char **id, struct err *e)
{
    struct app_policy_version v;
    int rc = find_policy(app, a, org_id, slug, out, id, e);
    if (rc == 0)
        rc = find_version(app, a, org_id, *id, slug, 0, &v, e);
    if (rc == 0)
        out->body = v.body;
    return rc;
}

int app_policy_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                   struct app_policy *out, struct err *e)
{
    const char *id;
    return find_current(app, a, org_id, slug, out, &id, e);
}

int app_policy_version_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                           int64_t number, struct app_policy_version *out, struct err *e)
{
    const char *id;
    struct app_policy p;
    int rc = find_policy(app, a, org_id, slug, &p, &id, e);
    return rc ? rc : find_version(app, a, org_id, id, slug, number, out, e);
}

int app_policy_versions(struct app *app, struct arena *a, const char *org_id, const char *slug,
                        struct app_policy_version **out, size_t *n, struct err *e)
{
    const char *id;
    struct app_policy p;
    char day[DATE_BUF];
    today(app, day);
    struct store_stmt *st;
    int rc = find_policy(app, a, org_id, slug, &p, &id, e);
    if (rc == 0)
        rc = store_preparef(app->store, e, &st, VERSION_SELECT "ORDER BY v.number", "ttt", day, id,
                            org_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)p.current + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)p.current)
        read_version(st, a, &(*out)[(*n)++]);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_policy_acks(struct app *app, struct arena *a, const char *org_id, const char *slug,
                    int64_t number, struct app_policy_ack **out, size_t *n, struct err *e)
{
    const char *id;
    struct app_policy p;
    struct app_policy_version v;
    char day[DATE_BUF];
    today(app, day);
    int rc = find_policy(app, a, org_id, slug, &p, &id, e);
    if (rc == 0)
        rc = find_version(app, a, org_id, id, slug, number, &v, e);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT pe.email, pe.name, k.acked_on, CASE WHEN " ACTIVE_PE
                            " THEN 1 ELSE 0 END FROM person pe LEFT JOIN policy_ack k "
                            "ON k.person_id = pe.id AND k.policy_id = ? AND k.number = ? "
                            "WHERE pe.org_id = ? AND (k.acked_on IS NOT NULL OR " ACTIVE_PE ") "
                            "ORDER BY pe.email",
                            "ttitt", day, id, v.number, org_id, day);
    if (rc)
        return rc;
    size_t cap = 16;
    *out = arena_calloc(a, cap, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (*n == cap) {
            struct app_policy_ack *grown = arena_calloc(a, cap * 2, sizeof(**out));
            memcpy(grown, *out, cap * sizeof(**out));
            *out = grown;
            cap *= 2;
        }
        struct app_policy_ack *k = &(*out)[(*n)++];
        k->email = arena_strdup(a, store_col_text(st, 0));
        k->name = arena_strdup(a, store_col_text(st, 1));
        k->acked_on = arena_strdup(a, store_col_text(st, 2));
        k->active = store_col_int(st, 3) != 0;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- rendering ------------------------------------------------------------ */

static const char *legal_name(const struct app_org *org)
{
    return org->legal_name && *org->legal_name ? org->legal_name : org->name;
}

int app_policy_render(struct app *app, struct arena *a, const char *org_id,
                      const struct app_policy *p, const struct app_policy_version *v,
                      const char **out, struct err *e)
{
    struct app_org org;
    int rc = app_org_get_by_id(app, a, org_id, &org, e);
    if (rc)
        return rc;
    const struct dom_tpl_var vars[] = {
        {"org.name", org.name},
        {"org.legal_name", legal_name(&org)},
        {"policy.owner", p->owner_name ? p->owner_name : "(unassigned)"},
        {"policy.version", arena_printf(a, "%lld", (long long)v->number)},
        {"policy.effective_date", v->approved_on ? v->approved_on : "(not yet approved)"},
        {"policy.review", p->review},
    };
    struct sb sb;
    sb_init_capped(&sb, 2 * APP_POLICY_BODY_MAX);
    rc = dom_tpl_render(v->body, vars, sizeof(vars) / sizeof(vars[0]), NULL, &sb, e);
    if (rc == 0)
        *out = arena_strdup(a, sb.buf);
    else
        err_wrap(e, "policy '%s' version %lld", p->slug, (long long)v->number);
    sb_release(&sb);
    return rc;
}

/* Fills the organization's placeholders of text for storing; what names
 * the text in messages. */
static int store_form(struct arena *a, const struct app_org *org, const char *text,
                      const char *what, const char **out, struct err *e)
{
    if (strlen(text) > APP_POLICY_BODY_MAX)
        return ERR_SET(e, TL_ETOOBIG, "%s is larger than %u bytes", what, APP_POLICY_BODY_MAX);
    if (!text[strspn(text, " \t\r\n")])
        return ERR_SET(e, TL_EINPUT, "%s is empty", what);
    const struct dom_tpl_var vars[] = {{"org.name", org->name},
                                       {"org.legal_name", legal_name(org)}};
    struct sb sb;
    sb_init_capped(&sb, 2 * APP_POLICY_BODY_MAX);
    int rc = dom_tpl_render(text, vars, 2, dom_tpl_policy_names, &sb, e);
    if (rc == 0)
        *out = arena_strdup(a, sb.buf);
    else
        err_wrap(e, "%s", what);
    sb_release(&sb);
    return rc;
}

/* --- changing ------------------------------------------------------------- */

static json_t *meta_json(const struct app_policy *p, int64_t current)
{
    json_t *o = json_object();
    js_set_str(o, "slug", p->slug);
    js_set_str(o, "title", p->title);
    js_set_str(o, "owner", p->owner);
    js_set_str(o, "review", p->review);
    js_set_str(o, "template", p->template);
    json_object_set_new(o, "current_version", json_integer(current));
    return o;
}

static int check_meta(const struct app_policy *p, struct err *e)
{
    if (p->slug && dom_slug_check(p->slug, "policy slug", e))
        return TL_EINPUT;
    if (p->title && !p->title[strspn(p->title, " \t")])
        return ERR_SET(e, TL_EINPUT, "policy title must not be empty");
    if (p->review && dom_enum_check(dom_reviews, p->review, "review", e))
        return TL_EINPUT;
    return 0;
}

/* Completes in from its template: title, review and text. */
static int from_template(struct app *app, struct arena *a, const struct app_org *org,
                         struct app_policy *in, struct err *e)
{
    struct app_policy_template t = {0};
    const char *body;
    int rc = load_template(app, a, in->template, org->language, &t, &body, e);
    if (rc)
        return rc;
    if (!in->title)
        in->title = t.title;
    if (!in->review)
        in->review = t.review;
    if (!in->body)
        in->body = body;
    return 0;
}

static int insert_policy(struct app *app, struct arena *a, const char *org_id, const char *id,
                         const struct app_policy *p, struct err *e)
{
    const char *owner_id;
    int rc = app_person_id(app, a, org_id, p->owner, &owner_id, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO policy (id, org_id, slug, title, owner_id, review, template) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       "ttttttt", id, org_id, p->slug, p->title, owner_id, p->review, p->template);
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "policy '%s' already exists", p->slug);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO policy_version (policy_id, org_id, number, body) "
                       "VALUES (?, ?, 1, ?)",
                       "ttt", id, org_id, p->body);
    return rc;
}

/* Completes a new policy: defaults from its template, text in stored form. */
static int prepare_new(struct app *app, struct arena *a, const char *org_id, struct app_policy *p,
                       struct err *e)
{
    struct app_org org;
    bool own_text = p->body != NULL;
    if (!p->slug)
        return ERR_SET(e, TL_EUSAGE, "a policy needs a slug");
    int rc = check_meta(p, e);
    if (rc == 0)
        rc = app_org_get_by_id(app, a, org_id, &org, e);
    if (rc == 0 && !p->body && !p->template)
        rc = ERR_SET(e, TL_EUSAGE, "policy '%s' needs a text or a template", p->slug);
    if (rc == 0 && p->template)
        rc = from_template(app, a, &org, p, e);
    if (rc == 0 && !p->title)
        rc = ERR_SET(e, TL_EUSAGE, "policy '%s' needs a title", p->slug);
    if (rc == 0)
        rc = store_form(a, &org, p->body,
                        own_text ? arena_printf(a, "text of policy '%s'", p->slug)
                                 : arena_printf(a, "template '%s'", p->template),
                        &p->body, e);
    if (rc == 0 && !p->review)
        p->review = "annual";
    return rc;
}

int app_policy_create(struct app *app, struct arena *a, const char *org_id,
                      const struct app_policy *in, struct err *e)
{
    struct app_policy p = *in;
    int rc = prepare_new(app, a, org_id, &p, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "policy.new", .object_type = "policy", .object_key = p.slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = insert_policy(app, a, org_id, c.id, &p, e);
    if (rc == 0) {
        json_t *after = meta_json(&p, 1);
        js_set_str(after, "body", p.body);
        c.after = app_json_dump(a, after);
    }
    return app_change_end(app, a, &c, rc, e);
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Writes what differs between cur and patch; *new_number gets the new
 * version's number, or 0. */
static int write_update(struct app *app, struct arena *a, const char *org_id, const char *id,
                        const struct app_policy *cur, const struct app_policy *next,
                        int64_t *new_number, struct err *e)
{
    const char *owner_id;
    int rc = app_person_id(app, a, org_id, next->owner, &owner_id, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE policy SET title = ?, owner_id = ?, review = ?, "
                       "version = version + 1 WHERE id = ? AND org_id = ?",
                       "ttttt", next->title, owner_id, next->review, id, org_id);
    *new_number = 0;
    if (rc == 0 && !same(cur->body, next->body)) {
        *new_number = cur->current + 1;
        rc = store_run(app->store, e,
                       "INSERT INTO policy_version (policy_id, org_id, number, body) "
                       "VALUES (?, ?, ?, ?)",
                       "ttit", id, org_id, *new_number, next->body);
    }
    return rc;
}

/* The policy after an edit, for the audit log: with its text only when the
 * edit made a new version (new_number non-zero). */
static json_t *edited_json(const struct app_policy *next, int64_t current, int64_t new_number)
{
    json_t *o = meta_json(next, new_number ? new_number : current);
    if (new_number)
        js_set_str(o, "body", next->body);
    return o;
}

static void merge(struct app_policy *next, const struct app_policy *patch)
{
    if (patch->title)
        next->title = patch->title;
    if (patch->owner)
        next->owner = *patch->owner ? patch->owner : NULL;
    if (patch->review)
        next->review = patch->review;
    if (patch->body)
        next->body = patch->body;
}

/* Validates a patch and fills the organization's placeholders of its text. */
static int prepare_patch(struct app *app, struct arena *a, const char *org_id, const char *slug,
                         struct app_policy *fix, struct err *e)
{
    struct app_org org;
    fix->slug = NULL;
    int rc = check_meta(fix, e);
    if (rc || !fix->body)
        return rc;
    rc = app_org_get_by_id(app, a, org_id, &org, e);
    if (rc == 0)
        rc = store_form(a, &org, fix->body, arena_printf(a, "text of policy '%s'", slug),
                        &fix->body, e);
    return rc;
}

int app_policy_update(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      const struct app_policy *patch, int64_t *new_number, bool *changed,
                      struct err *e)
{
    struct app_policy fix = *patch, cur, next;
    *new_number = 0;
    *changed = false;
    int rc = prepare_patch(app, a, org_id, slug, &fix, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "policy.edit", .object_type = "policy", .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    const char *id = NULL;
    rc = app_lock_record(app, org_id, "policy", slug, e);
    if (rc == 0)
        rc = find_current(app, a, org_id, slug, &cur, &id, e);
    if (rc == 0)
        rc = app_check_version(app, a, org_id, "policy", slug, cur.version, patch->version, e);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    next = cur;
    merge(&next, &fix);
    *changed = !same(cur.title, next.title) || !same(cur.owner, next.owner) ||
               !same(cur.review, next.review) || !same(cur.body, next.body);
    if (!*changed) {
        app_change_abort(app);
        return 0;
    }
    c.id = id;
    c.before = app_json_dump(a, meta_json(&cur, cur.current));
    rc = write_update(app, a, org_id, id, &cur, &next, new_number, e);
    if (rc == 0)
        c.after = app_json_dump(a, edited_json(&next, cur.current, *new_number));
    return app_change_end(app, a, &c, rc, e);
}

/* --- approval and acknowledgment ------------------------------------------ */

struct person_row {
    const char *id, *end_date;
    bool is_approver;
};

static int find_person(struct app *app, struct arena *a, const char *org_id, const char *email,
                       struct person_row *p, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT id, end_date, is_approver FROM person WHERE org_id = ? AND "
                            "email = ?",
                            "tt", org_id, email);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        p->id = arena_strdup(a, store_col_text(st, 0));
        p->end_date = arena_strdup(a, store_col_text(st, 1));
        p->is_approver = store_col_int(st, 2) != 0;
    }
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no person with email '%s' (see 'tillit person list')",
                       email);
    return rc < 0 ? rc : 0;
}

/* Resolves on (NULL = today) into day, refusing dates in the future. */
static int check_day(struct app *app, const char *on, const char *what, char day[DATE_BUF],
                     struct err *e)
{
    char now[DATE_BUF];
    tl_date d;
    today(app, now);
    if (!on) {
        memcpy(day, now, DATE_BUF);
        return 0;
    }
    if (date_parse(on, &d, e))
        return err_wrap(e, "%s", what);
    date_format(d, day);
    if (strcmp(day, now) > 0)
        return ERR_SET(e, TL_EINPUT, "%s '%s' is in the future (today is %s)", what, on, now);
    return 0;
}

static int check_employed(const struct person_row *p, const char *email, const char *day,
                          struct err *e)
{
    if (p->end_date && *p->end_date && strcmp(p->end_date, day) < 0)
        return ERR_SET(e, TL_EINPUT, "person '%s' left on %s, before %s", email, p->end_date, day);
    return 0;
}

static json_t *version_event(const char *slug, int64_t number)
{
    json_t *o = json_object();
    js_set_str(o, "slug", slug);
    json_object_set_new(o, "version", json_integer(number));
    return o;
}

/* Opens a change on version *number of policy slug: *id and *v are set. */
static int begin_on_version(struct app *app, struct arena *a, const char *org_id, const char *slug,
                            int64_t *number, struct app_change *c, struct app_policy_version *v,
                            struct err *e)
{
    struct app_policy p;
    const char *id = NULL;
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    rc = find_policy(app, a, org_id, slug, &p, &id, e);
    if (rc == 0)
        rc = find_version(app, a, org_id, id, slug, *number, v, e);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    c->id = id;
    *number = v->number;
    return 0;
}

static int check_approval(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          const struct app_policy_version *v, const char *by, const char *day,
                          struct person_row *p, struct err *e)
{
    if (v->approved_on)
        return ERR_SET(
            e, TL_EEXIST, "version %lld of policy '%s' is already approved (by %s on %s)",
            (long long)v->number, slug, v->approved_by ? v->approved_by : "?", v->approved_on);
    int rc = find_person(app, a, org_id, by, p, e);
    if (rc)
        return rc;
    if (!p->is_approver)
        return ERR_SET(e, TL_EINPUT,
                       "person '%s' is not an approver (only people marked as approvers may "
                       "approve policies)",
                       by);
    return check_employed(p, by, day, e);
}

int app_policy_approve(struct app *app, struct arena *a, const char *org_id, const char *slug,
                       int64_t *number, const char *by, const char *on, struct err *e)
{
    char day[DATE_BUF];
    int rc = check_day(app, on, "approval date", day, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "policy.approve", .object_type = "policy", .object_key = slug};
    struct app_policy_version v;
    struct person_row p;
    rc = begin_on_version(app, a, org_id, slug, number, &c, &v, e);
    if (rc)
        return rc;
    rc = check_approval(app, a, org_id, slug, &v, by, day, &p, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE policy_version SET approved_by = ?, approved_on = ? "
                       "WHERE policy_id = ? AND number = ? AND org_id = ?",
                       "tttit", p.id, day, c.id, v.number, org_id);
    if (rc == 0) {
        json_t *after = version_event(slug, v.number);
        js_set_str(after, "approved_by", by);
        js_set_str(after, "approved_on", day);
        c.before = app_json_dump(a, version_event(slug, v.number));
        c.after = app_json_dump(a, after);
    }
    return app_change_end(app, a, &c, rc, e);
}

static int add_ack(struct app *app, struct arena *a, const char *org_id, const char *policy_id,
                   const char *slug, int64_t number, const char *email, const char *day,
                   struct err *e)
{
    struct person_row p;
    int rc = find_person(app, a, org_id, email, &p, e);
    if (rc == 0)
        rc = check_employed(&p, email, day, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO policy_ack (policy_id, org_id, number, person_id, acked_on) "
                       "VALUES (?, ?, ?, ?, ?)",
                       "ttitt", policy_id, org_id, number, p.id, day);
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "person '%s' already acknowledged version %lld of policy '%s'",
                       email, (long long)number, slug);
    return rc;
}

int app_policy_ack(struct app *app, struct arena *a, const char *org_id, const char *slug,
                   int64_t *number, const char *const *emails, size_t n, const char *on,
                   struct err *e)
{
    char day[DATE_BUF];
    int rc = check_day(app, on, "acknowledgment date", day, e);
    if (rc == 0 && n == 0)
        rc = ERR_SET(e, TL_EUSAGE, "no people given to acknowledge policy '%s'", slug);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "policy.ack", .object_type = "policy", .object_key = slug};
    struct app_policy_version v;
    rc = begin_on_version(app, a, org_id, slug, number, &c, &v, e);
    if (rc)
        return rc;
    json_t *people = json_array();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = add_ack(app, a, org_id, c.id, slug, v.number, emails[i], day, e);
        json_array_append_new(people, json_string(emails[i]));
    }
    json_t *after = version_event(slug, v.number);
    js_set_str(after, "acked_on", day);
    json_object_set_new(after, "people", people);
    c.after = app_json_dump(a, after);
    return app_change_end(app, a, &c, rc, e);
}

int app_policy_delete(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      struct err *e)
{
    struct app_change c = {
        .org_id = org_id, .action = "policy.remove", .object_type = "policy", .object_key = slug};
    struct app_policy p;
    const char *id = NULL;
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = find_policy(app, a, org_id, slug, &p, &id, e);
    if (rc == 0) {
        c.before = app_json_dump(a, meta_json(&p, p.current));
        rc = store_run(app->store, e, "DELETE FROM policy_ack WHERE policy_id = ? AND org_id = ?",
                       "tt", id, org_id);
    }
    if (rc == 0)
        rc = store_run(app->store, e,
                       "DELETE FROM policy_version WHERE policy_id = ? AND org_id = ?", "tt", id,
                       org_id);
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM policy WHERE id = ? AND org_id = ?", "tt", id,
                       org_id);
    c.id = id;
    return app_change_end(app, a, &c, rc, e);
}
