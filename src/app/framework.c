/* framework.c - frameworks imported from OSCAL catalogs. */
#include "app/framework.h"

#include "domain/program.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A slug from a title: lowercase letters and digits, runs of anything else
 * as one '-', at most 48 characters. */
static const char *slug_of(struct arena *a, const char *title)
{
    char *s = arena_alloc(a, 49);
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)title; *c && n < 48; c++) {
        if (isalnum(*c))
            s[n++] = (char)tolower(*c);
        else if (n && s[n - 1] != '-')
            s[n++] = '-';
    }
    while (n && s[n - 1] == '-')
        n--;
    s[n] = '\0';
    return n ? s : "framework";
}

static int framework_id(struct app *app, struct arena *a, const char *org_id, const char *slug,
                        const char **id, struct err *e)
{
    int rc = app_id_by_key(app, a, "framework", "slug", org_id, slug, id, e);
    if (rc == 0 && !*id)
        rc = ERR_SET(e, TL_ENOTFOUND, "no framework '%s' (see 'tillit framework list')", slug);
    return rc;
}

static int insert_controls(struct app *app, const char *org_id, const char *fw_id,
                           const struct rpt_oscal_catalog *cat, struct err *e)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(app->store,
                           "INSERT INTO framework_control (framework_id, org_id, control_id, seq, "
                           "label, title, class, parent_id, group_id, group_title, statement) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           &st, e);
    for (size_t i = 0; rc == 0 && i < cat->n_controls; i++) {
        const struct rpt_oscal_control *c = &cat->controls[i];
        store_reset(st);
        store_bind_text(st, 1, fw_id);
        store_bind_text(st, 2, org_id);
        store_bind_text(st, 3, c->id);
        store_bind_int(st, 4, (int64_t)i + 1);
        store_bind_text(st, 5, c->label);
        store_bind_text(st, 6, c->title);
        store_bind_text(st, 7, c->klass);
        store_bind_text(st, 8, c->parent);
        store_bind_text(st, 9, c->group_id);
        store_bind_text(st, 10, c->group_title);
        store_bind_text(st, 11, c->statement);
        rc = store_step(st, e);
        if (rc == TL_DONE)
            rc = 0;
    }
    store_finalize(st);
    return rc;
}

int app_framework_import(struct app *app, struct arena *a, const char *org_id, const char *path,
                         const char *data, size_t len, const char *slug, struct app_framework *out,
                         struct err *e)
{
    struct rpt_oscal_catalog cat;
    int rc = rpt_oscal_parse_catalog(a, path, data, len, &cat, e);
    if (rc)
        return rc;
    if (!slug)
        slug = slug_of(a, cat.title);
    rc = dom_slug_check(slug, "framework", e);
    if (rc)
        return rc;
    const char *existing = NULL;
    rc = app_id_by_key(app, a, "framework", "slug", org_id, slug, &existing, e);
    if (rc == 0 && existing)
        rc =
            ERR_SET(e, TL_EEXIST, "framework '%s' exists already (give another with --slug)", slug);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "framework.import",
                           .object_type = "framework",
                           .table = "framework",
                           .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = store_run(app->store, e,
                   "INSERT INTO framework (id, org_id, slug, title, fw_version, oscal_version, "
                   "source_uuid, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ttttttttt", c.id, org_id, slug, cat.title, cat.version, cat.oscal_version,
                   cat.uuid, app__now(app, a), app->actor);
    if (rc == 0)
        rc = insert_controls(app, org_id, c.id, &cat, e);
    rc = app_change_end(app, a, &c, rc, e);
    if (rc == 0 && out) {
        memset(out, 0, sizeof(*out));
        out->slug = slug;
        out->title = cat.title;
        out->fw_version = cat.version;
        out->oscal_version = cat.oscal_version;
        out->source_uuid = cat.uuid;
        out->controls = (int64_t)cat.n_controls;
    }
    return rc;
}

int app_framework_list(struct app *app, struct arena *a, const char *org_id,
                       struct app_framework **out, size_t *n, struct err *e)
{
    struct store_stmt *st = NULL;
    int rc = store_preparef(
        app->store, e, &st,
        "SELECT f.slug, f.title, f.fw_version, f.oscal_version, f.source_uuid, f.imported_at, "
        "f.imported_by, (SELECT count(*) FROM framework_control c WHERE c.framework_id = f.id), "
        "(SELECT count(DISTINCT m.control_id) FROM framework_mapping m "
        "WHERE m.framework_id = f.id) FROM framework f WHERE f.org_id = ? ORDER BY f.slug",
        "t", org_id);
    size_t cap = 8;
    *n = 0;
    *out = arena_calloc(a, cap, sizeof(**out));
    while (rc == 0 && (rc = store_step(st, e)) == TL_ROW) {
        if (*n == cap) {
            struct app_framework *grown = arena_calloc(a, cap * 2, sizeof(*grown));
            memcpy(grown, *out, cap * sizeof(*grown));
            *out = grown;
            cap *= 2;
        }
        struct app_framework *f = &(*out)[(*n)++];
        f->slug = app__col(a, st, 0);
        f->title = app__col(a, st, 1);
        f->fw_version = app__col(a, st, 2);
        f->oscal_version = app__col(a, st, 3);
        f->source_uuid = app__col(a, st, 4);
        f->imported_at = app__col(a, st, 5);
        f->imported_by = app__col(a, st, 6);
        f->controls = store_col_int(st, 7);
        f->mapped = store_col_int(st, 8);
        rc = 0;
    }
    store_finalize(st);
    return rc == TL_DONE ? 0 : rc;
}

int app_framework_catalog(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          struct rpt_oscal_catalog *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    const char *fw = NULL;
    int rc = framework_id(app, a, org_id, slug, &fw, e);
    struct store_stmt *st = NULL;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT title, fw_version, oscal_version, source_uuid FROM framework "
                            "WHERE id = ? AND org_id = ?",
                            "tt", fw, org_id);
    if (rc == 0 && (rc = store_step(st, e)) == TL_ROW) {
        out->title = app__col(a, st, 0);
        out->version = app__col(a, st, 1);
        out->oscal_version = app__col(a, st, 2);
        out->uuid = app__col(a, st, 3);
        rc = 0;
    }
    store_finalize(st);
    st = NULL;
    if (rc)
        return rc;
    int64_t count = 0;
    rc = store_query_int(app->store, e, &count, NULL,
                         "SELECT count(*) FROM framework_control WHERE framework_id = ? AND "
                         "org_id = ?",
                         "tt", fw, org_id);
    if (rc)
        return rc;
    out->controls = arena_calloc(a, (size_t)count + 1, sizeof(*out->controls));
    rc = store_preparef(app->store, e, &st,
                        "SELECT control_id, label, title, class, parent_id, group_id, "
                        "group_title, statement FROM framework_control WHERE framework_id = ? "
                        "AND org_id = ? ORDER BY seq",
                        "tt", fw, org_id);
    while (rc == 0 && out->n_controls < (size_t)count && (rc = store_step(st, e)) == TL_ROW) {
        struct rpt_oscal_control *c = &out->controls[out->n_controls++];
        c->id = app__col(a, st, 0);
        c->label = app__col(a, st, 1);
        c->title = app__col(a, st, 2);
        c->klass = app__col(a, st, 3);
        c->parent = app__col(a, st, 4);
        c->group_id = app__col(a, st, 5);
        c->group_title = app__col(a, st, 6);
        c->statement = app__col(a, st, 7);
        rc = 0;
    }
    store_finalize(st);
    if (rc == TL_DONE)
        rc = 0;
    if (rc)
        return rc;
    /* Mappings, in control order: both lists are sorted the same way. */
    rc = store_preparef(app->store, e, &st,
                        "SELECT c.seq, m.criterion FROM framework_mapping m "
                        "JOIN framework_control c ON c.framework_id = m.framework_id AND "
                        "c.control_id = m.control_id WHERE m.framework_id = ? AND m.org_id = ? "
                        "ORDER BY c.seq, m.criterion",
                        "tt", fw, org_id);
    while (rc == 0 && (rc = store_step(st, e)) == TL_ROW) {
        int64_t seq = store_col_int(st, 0);
        if (seq < 1 || (size_t)seq > out->n_controls)
            continue;
        struct rpt_oscal_control *c = &out->controls[seq - 1];
        const char **grown = arena_calloc(a, c->n_criteria + 2, sizeof(char *));
        if (c->n_criteria)
            memcpy(grown, c->criteria, c->n_criteria * sizeof(char *));
        grown[c->n_criteria++] = app__col(a, st, 1);
        c->criteria = grown;
        rc = 0;
    }
    store_finalize(st);
    return rc == TL_DONE ? 0 : rc;
}

/* Splits "SLUG:ID" (or "ID" with the only framework) into its framework
 * id and control id, checking both exist. */
static int resolve_control(struct app *app, struct arena *a, const char *org_id, const char *ref,
                           const char **fw, const char **control, struct err *e)
{
    const char *colon = strchr(ref, ':');
    const char *slug = NULL;
    int rc = 0;
    if (colon) {
        slug = arena_strndup(a, ref, (size_t)(colon - ref));
        *control = colon + 1;
    } else {
        struct app_framework *all = NULL;
        size_t n = 0;
        rc = app_framework_list(app, a, org_id, &all, &n, e);
        if (rc)
            return rc;
        if (n != 1)
            return ERR_SET(e, TL_EUSAGE,
                           n ? "name the framework too: 'SLUG:%s' (see 'tillit framework list')"
                             : "no framework imported yet (see 'tillit framework import'): '%s'",
                           ref);
        slug = all[0].slug;
        *control = ref;
    }
    rc = framework_id(app, a, org_id, slug, fw, e);
    if (rc)
        return rc;
    int64_t found = 0;
    rc = store_query_int(app->store, e, &found, NULL,
                         "SELECT count(*) FROM framework_control WHERE framework_id = ? AND "
                         "org_id = ? AND control_id = ?",
                         "ttt", *fw, org_id, *control);
    if (rc == 0 && !found)
        rc = ERR_SET(e, TL_ENOTFOUND, "framework '%s' has no control '%s'", slug, *control);
    return rc;
}

int app_framework_map(struct app *app, struct arena *a, const char *org_id, const char *ref,
                      const char *criterion, bool unmap, struct err *e)
{
    const struct dom_catalog *cat = NULL;
    int rc = app_catalog(app, &cat, e);
    if (rc)
        return rc;
    const struct dom_criterion *cr = dom_catalog_criterion(cat, criterion);
    if (!cr)
        return ERR_SET(e, TL_ENOTFOUND, "no criterion '%s' (see 'tillit catalog criteria')",
                       criterion);
    const char *fw = NULL, *control = NULL;
    rc = resolve_control(app, a, org_id, ref, &fw, &control, e);
    if (rc)
        return rc;
    json_t *after = json_object();
    json_object_set_new(after, "control", json_string(ref));
    json_object_set_new(after, "criterion", json_string(cr->id));
    struct app_change c = {.org_id = org_id,
                           .action = unmap ? "framework.unmap" : "framework.map",
                           .object_type = "framework",
                           .object_key = ref,
                           .after = app_json_dump(a, after)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = fw;
    if (unmap) {
        rc = store_run(app->store, e,
                       "DELETE FROM framework_mapping WHERE framework_id = ? AND org_id = ? AND "
                       "control_id = ? AND criterion = ?",
                       "tttt", fw, org_id, control, cr->id);
        if (rc == 0 && store_changes(app->store) == 0)
            rc = ERR_SET(e, TL_ENOTFOUND, "'%s' is not mapped to %s", ref, cr->id);
    } else {
        rc = store_run(app->store, e,
                       "INSERT INTO framework_mapping (framework_id, org_id, control_id, "
                       "criterion, mapped_by, mapped_at) VALUES (?, ?, ?, ?, ?, ?)",
                       "tttttt", fw, org_id, control, cr->id, app->actor, app__now(app, a));
        if (rc == TL_ECONFLICT)
            rc = ERR_SET(e, TL_EEXIST, "'%s' is mapped to %s already", ref, cr->id);
    }
    return app_change_end(app, a, &c, rc, e);
}

int app_framework_remove(struct app *app, struct arena *a, const char *org_id, const char *slug,
                         struct err *e)
{
    const char *fw = NULL;
    int rc = framework_id(app, a, org_id, slug, &fw, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "framework.remove",
                           .object_type = "framework",
                           .table = "framework",
                           .id = fw,
                           .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    static const char *const tables[] = {"framework_mapping", "framework_control"};
    for (size_t i = 0; rc == 0 && i < 2; i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE framework_id = ? AND org_id = ?",
                 tables[i]);
        rc = store_run(app->store, e, sql, "tt", fw, org_id);
    }
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM framework WHERE id = ? AND org_id = ?", "tt", fw,
                       org_id);
    return app_change_end(app, a, &c, rc, e);
}
