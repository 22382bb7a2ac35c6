/* org.c - organizations: the tenant every other record belongs to. */
#include "app/record.h"

#include "base/sb.h"
#include "domain/program.h"

#include <string.h>

#define ORG_COLUMNS "id, slug, name, legal_name, description, industry, country, language, version"

static void read_org(struct store_stmt *st, struct arena *a, struct app_org *o)
{
    o->id = arena_strdup(a, store_col_text(st, 0));
    o->slug = arena_strdup(a, store_col_text(st, 1));
    o->name = arena_strdup(a, store_col_text(st, 2));
    o->legal_name = arena_strdup(a, store_col_text(st, 3));
    o->description = arena_strdup(a, store_col_text(st, 4));
    o->industry = arena_strdup(a, store_col_text(st, 5));
    o->country = arena_strdup(a, store_col_text(st, 6));
    o->language = arena_strdup(a, store_col_text(st, 7));
    o->version = store_col_int(st, 8);
}

/* Reads the organization whose column key_col (a constant: "slug" or "id")
 * equals key; *found tells whether there is one. */
static int find_org(struct app *app, struct arena *a, const char *key_col, const char *key,
                    struct app_org *out, bool *found, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(
        app->store, e, &st,
        arena_printf(a, "SELECT " ORG_COLUMNS " FROM organization WHERE %s = ?", key_col), "t",
        key);
    if (rc)
        return rc;
    rc = store_step(st, e);
    *found = rc == TL_ROW;
    if (*found)
        read_org(st, a, out);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_org_get(struct app *app, struct arena *a, const char *slug, struct app_org *out,
                struct err *e)
{
    bool found;
    int rc = find_org(app, a, "slug", slug, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no organization '%s' (see 'tillit org list')", slug);
    return rc;
}

int app_org_get_by_id(struct app *app, struct arena *a, const char *id, struct app_org *out,
                      struct err *e)
{
    bool found;
    int rc = find_org(app, a, "id", id, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no organization with id '%s'", id);
    return rc;
}

int app_org_list(struct app *app, struct arena *a, struct app_org **out, size_t *n,
                 struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL, "SELECT count(*) FROM organization", "");
    if (rc)
        return rc;
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT " ORG_COLUMNS " FROM organization ORDER BY slug", "");
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count)
        read_org(st, a, &(*out)[(*n)++]);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_org_resolve(struct app *app, struct arena *a, const char *slug, struct app_org *out,
                    struct err *e)
{
    if (slug)
        return app_org_get(app, a, slug, out, e);
    struct app_org *orgs;
    size_t n;
    int rc = app_org_list(app, a, &orgs, &n, e);
    if (rc)
        return rc;
    if (n == 1) {
        *out = orgs[0];
        return 0;
    }
    if (n == 0)
        return ERR_SET(e, TL_ENOTFOUND,
                       "no organization yet: create one with 'tillit org create SLUG --name NAME' "
                       "or 'tillit demo'");
    struct sb list = SB_INIT;
    for (size_t i = 0; i < n && i < 10; i++)
        sb_addf(&list, "%s%s", i ? ", " : "", orgs[i].slug);
    ERR_SET(e, TL_EUSAGE, "%zu organizations exist: choose one with --org (%s%s)", n, list.buf,
            n > 10 ? ", ..." : "");
    sb_release(&list);
    return TL_EUSAGE;
}

static int check_org(const struct app_org *o, struct err *e)
{
    if (o->slug && dom_slug_check(o->slug, "organization slug", e))
        return TL_EINPUT;
    if (o->name && !*o->name)
        return ERR_SET(e, TL_EINPUT, "organization name must not be empty");
    if (o->language && dom_enum_check(dom_languages, o->language, "language", e))
        return TL_EINPUT;
    return 0;
}

/* A new organization starts with security in scope and every other
 * category out of scope "until assessed": the gap analysis then asks for a
 * decision instead of silently assuming one. */
static int create_scope_rows(struct app *app, const char *org_id, struct err *e)
{
    int rc = store_run(app->store, e, "INSERT INTO system_scope (org_id) VALUES (?)", "t", org_id);
    for (int i = 0; rc == 0 && dom_categories[i]; i++) {
        bool security = strcmp(dom_categories[i], "security") == 0;
        rc = store_run(app->store, e,
                       "INSERT INTO scope_category (org_id, category, in_scope, reason) "
                       "VALUES (?, ?, ?, ?)",
                       "ttit", org_id, dom_categories[i], (int64_t)(security ? 1 : 0),
                       security ? "" : "not assessed yet");
    }
    return rc;
}

int app_org_create(struct app *app, struct arena *a, const struct app_org *in,
                   struct app_org *out, struct err *e)
{
    if (!in->slug || !in->name)
        return ERR_SET(e, TL_EUSAGE, "an organization needs a slug and a name");
    int rc = check_org(in, e);
    if (rc)
        return rc;
    char at[TIME_BUF];
    time_format(app->now, at);
    struct app_change c = {.action = "org.create", .object_type = "organization",
                           .table = "organization", .object_key = in->slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    c.org_id = c.id;
    rc = store_set_tenant(app->store, c.id, e);
    if (rc == 0)
        rc = store_run(
            app->store, e,
            "INSERT INTO organization (id, slug, name, legal_name, description, industry, "
            "country, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "ttttttttt", c.id, in->slug, in->name, app_text_or_empty(in->legal_name),
            app_text_or_empty(in->description), app_text_or_empty(in->industry),
            app_text_or_empty(in->country), in->language ? in->language : "en", at);
    if (rc == TL_ECONFLICT)
        ERR_SET(e, TL_EEXIST, "organization '%s' already exists", in->slug);
    if (rc == 0)
        rc = create_scope_rows(app, c.id, e);
    rc = app_change_end(app, a, &c, rc, e);
    if (rc == 0 && out)
        rc = app_org_get(app, a, in->slug, out, e);
    return rc;
}

int app_org_update(struct app *app, struct arena *a, const char *slug,
                   const struct app_org *patch, struct err *e)
{
    struct app_org cur;
    int rc = check_org(patch, e);
    if (rc == 0)
        rc = app_org_get(app, a, slug, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = cur.id, .action = "org.edit", .object_type = "organization",
                           .table = "organization", .id = cur.id, .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE organization SET name = coalesce(?, name), "
                   "legal_name = coalesce(?, legal_name), description = coalesce(?, description), "
                   "industry = coalesce(?, industry), country = coalesce(?, country), "
                   "language = coalesce(?, language), version = version + 1 WHERE id = ?",
                   "ttttttt", patch->name, patch->legal_name, patch->description, patch->industry,
                   patch->country, patch->language, cur.id);
    return app_change_end(app, a, &c, rc, e);
}
