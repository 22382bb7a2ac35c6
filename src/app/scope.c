/* scope.c - the system in scope: the system, categories, services,
 * components, subservice organizations, CSOCs and CUECs (see scope.h). */
#include "app/scope.h"

#include "app/record.h"
#include "base/crypto.h"
#include "base/sb.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>

/* Caps on what one field may hold, so that a web form or an import cannot
 * store megabytes where a sentence is expected. */
#define SCOPE_NAME_MAX 200
#define SCOPE_TEXT_MAX 20000

/* --- reading rows ------------------------------------------------------------ */

/* A growing array of records in an arena; outgrown copies are left behind. */
struct rows {
    struct arena *a;
    char *items;
    size_t n, cap, size;
};

static void *rows_push(struct rows *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char *items = arena_calloc(r->a, cap, r->size);
        if (r->n)
            memcpy(items, r->items, r->n * r->size);
        r->items = items;
        r->cap = cap;
    }
    return r->items + r->n++ * r->size;
}

/* Reads every row of st with read() into a new array (never NULL); finalizes st. */
static int read_all(struct store_stmt *st, struct arena *a, size_t size,
                    void (*read)(struct store_stmt *, struct arena *, void *), void **items,
                    size_t *n, struct err *e)
{
    struct rows r = {a, NULL, 0, 0, size};
    int rc;
    while ((rc = store_step(st, e)) == TL_ROW)
        read(st, a, rows_push(&r));
    store_finalize(st);
    *items = r.n ? r.items : arena_calloc(a, 1, size);
    *n = r.n;
    return rc < 0 ? rc : 0;
}

/* Reads the first row of st into item; *found tells whether there was one. Finalizes st. */
static int read_one(struct store_stmt *st, struct arena *a,
                    void (*read)(struct store_stmt *, struct arena *, void *), void *item,
                    bool *found, struct err *e)
{
    int rc = store_step(st, e);
    *found = rc == TL_ROW;
    if (*found)
        read(st, a, item);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Column i as text in the arena; "" for NULL. */
static const char *col(struct store_stmt *st, struct arena *a, int i)
{
    const char *v = store_col_text(st, i);
    return arena_strdup(a, v ? v : "");
}

/* --- snapshots for the audit log ------------------------------------------------- */

/* Appends every row of st to arr as an object; finalizes st. */
static int rows_array(struct store_stmt *st, json_t *arr, struct err *e)
{
    int rc;
    while ((rc = store_step(st, e)) == TL_ROW)
        json_array_append_new(arr, app_row_object(st));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The first row of st as compact JSON, NULL when there is none; finalizes st.
 * For the tables keyed by something other than an id column (system_scope,
 * scope_category), which app_change cannot snapshot by itself. */
static int snapshot(struct store_stmt *st, struct arena *a, const char **out, struct err *e)
{
    *out = NULL;
    int rc = store_step(st, e);
    if (rc == TL_ROW)
        *out = app_json_dump(a, app_row_object(st));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- checking input -------------------------------------------------------------- */

static bool blank(const char *s)
{
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* A name or text field: a required one must not be blank; none may exceed max bytes. */
static int check_text(const char *v, const char *field, bool required, size_t max, struct err *e)
{
    if (required && blank(v))
        return ERR_SET(e, TL_EINPUT, "%s must not be empty", field);
    size_t n = v ? strlen(v) : 0;
    if (n > max)
        return ERR_SET(e, TL_EINPUT, "%s is too long (%zu bytes, at most %zu)", field, n, max);
    return 0;
}

/* Whether the comma-separated list holds item. */
static bool list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len;
        if (*p)
            p++;
    }
    return false;
}

/* Looks up one item of a criteria list (p, len; blanks around it allowed)
 * and appends its catalog spelling to list unless it is already there. */
static int add_criterion(const struct dom_catalog *cat, const char *p, size_t len, const char *all,
                         struct sb *list, struct err *e)
{
    char id[64];
    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    if (len == 0)
        return ERR_SET(e, TL_EINPUT, "empty criterion in criteria '%s'", all);
    snprintf(id, sizeof(id), "%.*s", (int)len, p);
    const struct dom_criterion *c = len < sizeof(id) ? dom_catalog_criterion(cat, id) : NULL;
    if (!c)
        return ERR_SET(e, TL_EINPUT, "unknown criterion '%.*s' (see 'tillit catalog criteria')",
                       (int)len, p);
    if (!list_has(list->buf, c->id))
        sb_addf(list, "%s%s", list->len ? "," : "", c->id);
    return 0;
}

/* Checks a comma-separated list of criterion ids against the catalog and
 * gives it back in the catalog's spelling without blanks or repeats, so
 * that "cc6.1, CC6.1" and "CC6.1" are stored alike.  NULL stays NULL
 * (keep), and a blank list is "" (none). */
static int check_criteria(struct app *app, struct arena *a, const char *in, const char **out,
                          struct err *e)
{
    *out = in;
    if (!in)
        return 0;
    if (blank(in)) {
        *out = "";
        return 0;
    }
    const struct dom_catalog *cat;
    int rc = app_catalog(app, &cat, e);
    struct sb list = SB_INIT;
    const char *p = in;
    while (rc == 0) {
        size_t len = strcspn(p, ",");
        rc = add_criterion(cat, p, len, in, &list, e);
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    if (rc == 0)
        *out = arena_strdup(a, list.buf);
    sb_release(&list);
    return rc;
}

/* --- edits: locked, re-read, version-checked ---------------------------------------- */

/* Opens the audited change c of an edit and locks its record (c->object_type,
 * c->object_key) until the transaction ends, so that the record read next is
 * the one the edit changes. */
static int begin_edit(struct app *app, struct arena *a, struct app_change *c, struct err *e)
{
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    rc = app_lock_record(app, c->org_id, c->object_type, c->object_key, e);
    if (rc)
        app_change_abort(app);
    return rc;
}

/* After the record was read in the change's transaction: refuses an edit
 * based on a version other than current (TL_ECONFLICT naming who changed
 * it), else makes row id of c->table the change's record and snapshots it. */
static int edit_checked(struct app *app, struct arena *a, struct app_change *c, const char *id,
                        int64_t current, int64_t expected, struct err *e)
{
    int rc =
        app_check_version(app, a, c->org_id, c->object_type, c->object_key, current, expected, e);
    if (rc)
        return rc;
    c->id = id;
    return app_row_json(app, a, c->table, id, &c->before, e);
}

/* --- the system ---------------------------------------------------------------------- */

static void read_system(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_system *s = item;
    s->name = col(st, a, 0);
    s->boundaries = col(st, a, 1);
    s->commitments = col(st, a, 2);
    s->version = store_col_int(st, 3);
    s->privacy_role = col(st, a, 4);
}

int app_system_get(struct app *app, struct arena *a, const char *org_id, struct app_system *out,
                   struct err *e)
{
    struct store_stmt *st;
    bool found;
    *out = (struct app_system){"", "", "", 0, "controller"};
    int rc = store_preparef(app->store, e, &st,
                            "SELECT name, boundaries, commitments, version, privacy_role "
                            "FROM system_scope "
                            "WHERE org_id = ?",
                            "t", org_id);
    return rc ? rc : read_one(st, a, read_system, out, &found, e);
}

static int system_snapshot(struct app *app, struct arena *a, const char *org_id, const char **out,
                           struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st, "SELECT * FROM system_scope WHERE org_id = ?", "t",
                            org_id);
    return rc ? rc : snapshot(st, a, out, e);
}

static int check_system(const struct app_system *p, struct err *e)
{
    static const char *const roles[] = {"controller", "processor", "both", NULL};
    if (!p->name && !p->boundaries && !p->commitments && !p->privacy_role)
        return ERR_SET(e, TL_EUSAGE,
                       "nothing to change: give a name, boundaries, commitments or privacy role");
    if (p->privacy_role && dom_enum_check(roles, p->privacy_role, "privacy role", e))
        return TL_EINPUT;
    int rc = check_text(p->name, "system name", false, SCOPE_NAME_MAX, e);
    if (rc == 0)
        rc = check_text(p->boundaries, "system boundaries", false, SCOPE_TEXT_MAX, e);
    if (rc == 0)
        rc = check_text(p->commitments, "system commitments", false, SCOPE_TEXT_MAX, e);
    return rc;
}

int app_system_update(struct app *app, struct arena *a, const char *org_id,
                      const struct app_system *patch, struct err *e)
{
    int rc = check_system(patch, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "scope.set", .object_type = "system", .object_key = "system"};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    struct app_system cur;
    rc = app_lock_record(app, org_id, "system", "system", e);
    if (rc == 0)
        rc = app_system_get(app, a, org_id, &cur, e);
    if (rc == 0)
        rc = app_check_version(app, a, org_id, "system", "system", cur.version, patch->version, e);
    if (rc == 0)
        rc = system_snapshot(app, a, org_id, &c.before, e);
    /* The row is made with the organization; recreate it if it went missing. */
    if (rc == 0 && !c.before)
        rc = store_run(app->store, e, "INSERT INTO system_scope (org_id) VALUES (?)", "t", org_id);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE system_scope SET name = coalesce(?, name), "
                       "boundaries = coalesce(?, boundaries), "
                       "commitments = coalesce(?, commitments), "
                       "privacy_role = coalesce(?, privacy_role), version = version + 1 "
                       "WHERE org_id = ?",
                       "ttttt", patch->name, patch->boundaries, patch->commitments,
                       patch->privacy_role, org_id);
    if (rc == 0)
        rc = system_snapshot(app, a, org_id, &c.after, e);
    return app_change_end(app, a, &c, rc, e);
}

/* --- categories ---------------------------------------------------------------------- */

static void read_category(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_scope_category *c = item;
    c->category = col(st, a, 0);
    c->in_scope = store_col_int(st, 1) != 0;
    c->reason = col(st, a, 2);
}

static int category_order(const void *x, const void *y)
{
    const struct app_scope_category *a = x, *b = y;
    return dom_enum_index(dom_categories, a->category) -
           dom_enum_index(dom_categories, b->category);
}

int app_scope_category_list(struct app *app, struct arena *a, const char *org_id,
                            struct app_scope_category **out, size_t *n, struct err *e)
{
    struct store_stmt *st;
    void *items;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT category, in_scope, reason FROM scope_category "
                            "WHERE org_id = ?",
                            "t", org_id);
    if (rc == 0)
        rc = read_all(st, a, sizeof(**out), read_category, &items, n, e);
    if (rc)
        return rc;
    *out = items;
    qsort(*out, *n, sizeof(**out), category_order);
    return 0;
}

int app_scope_category_get(struct app *app, struct arena *a, const char *org_id,
                           const char *category, struct app_scope_category *out, struct err *e)
{
    struct store_stmt *st;
    bool found;
    int rc = dom_enum_check(dom_categories, category, "category", e);
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT category, in_scope, reason FROM scope_category "
                            "WHERE org_id = ? AND category = ?",
                            "tt", org_id, category);
    if (rc == 0)
        rc = read_one(st, a, read_category, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no scope decision for category '%s'", category);
    return rc;
}

static int category_snapshot(struct app *app, struct arena *a, const char *org_id,
                             const char *category, const char **out, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT * FROM scope_category WHERE org_id = ? AND category = ?", "tt",
                            org_id, category);
    return rc ? rc : snapshot(st, a, out, e);
}

static int check_category(const struct app_scope_category *in, const char *reason, struct err *e)
{
    int rc = dom_scope_category_check(in->category, in->in_scope, reason, e);
    if (rc == 0 && in->in_scope && *reason)
        rc = ERR_SET(e, TL_EINPUT,
                     "category '%s' in scope takes no reason (a reason is for leaving it out)",
                     in->category);
    return rc ? rc : check_text(reason, "reason", false, SCOPE_TEXT_MAX, e);
}

int app_scope_category_set(struct app *app, struct arena *a, const char *org_id,
                           const struct app_scope_category *in, struct err *e)
{
    const char *reason = blank(in->reason) ? "" : in->reason;
    int rc = check_category(in, reason, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.category",
                           .object_type = "scope_category",
                           .object_key = in->category};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = category_snapshot(app, a, org_id, in->category, &c.before, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       c.before ? "UPDATE scope_category SET in_scope = ?, reason = ? "
                                  "WHERE org_id = ? AND category = ?"
                                : "INSERT INTO scope_category (in_scope, reason, org_id, category) "
                                  "VALUES (?, ?, ?, ?)",
                       "ittt", (int64_t)in->in_scope, reason, org_id, in->category);
    if (rc == 0)
        rc = category_snapshot(app, a, org_id, in->category, &c.after, e);
    return app_change_end(app, a, &c, rc, e);
}

/* --- services -------------------------------------------------------------------------- */

#define SERVICE_SELECT "SELECT id, name, description, version FROM service "

static void read_service(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_service *s = item;
    s->id = col(st, a, 0);
    s->name = col(st, a, 1);
    s->description = col(st, a, 2);
    s->version = store_col_int(st, 3);
}

int app_service_list(struct app *app, struct arena *a, const char *org_id, struct app_service **out,
                     size_t *n, struct err *e)
{
    struct store_stmt *st;
    void *items;
    int rc = store_preparef(app->store, e, &st, SERVICE_SELECT "WHERE org_id = ? ORDER BY name",
                            "t", org_id);
    if (rc == 0)
        rc = read_all(st, a, sizeof(**out), read_service, &items, n, e);
    if (rc == 0)
        *out = items;
    return rc;
}

int app_service_get(struct app *app, struct arena *a, const char *org_id, const char *name,
                    struct app_service *out, struct err *e)
{
    struct store_stmt *st;
    bool found;
    int rc = store_preparef(app->store, e, &st, SERVICE_SELECT "WHERE org_id = ? AND name = ?",
                            "tt", org_id, name);
    if (rc == 0)
        rc = read_one(st, a, read_service, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no service '%s' (see 'tillit scope service list')", name);
    return rc;
}

static int check_service(const struct app_service *s, bool creating, struct err *e)
{
    int rc = check_text(s->name, "service name", creating || s->name, SCOPE_NAME_MAX, e);
    return rc ? rc : check_text(s->description, "service description", false, SCOPE_TEXT_MAX, e);
}

int app_service_create(struct app *app, struct arena *a, const char *org_id,
                       const struct app_service *in, struct err *e)
{
    int rc = check_service(in, true, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.service.add",
                           .object_type = "service",
                           .table = "service",
                           .object_key = in->name};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = store_run(app->store, e,
                   "INSERT INTO service (id, org_id, name, description) VALUES (?, ?, ?, ?)",
                   "tttt", c.id, org_id, in->name, in->description ? in->description : "");
    if (rc == TL_ECONFLICT)
        rc = ERR_SET(e, TL_EEXIST, "service '%s' already exists", in->name);
    return app_change_end(app, a, &c, rc, e);
}

/* Writes the non-NULL fields of patch to service id; a name taken is TL_EEXIST. */
static int write_service(struct app *app, const char *org_id, const char *id,
                         const struct app_service *patch, struct err *e)
{
    int rc = store_run(app->store, e,
                       "UPDATE service SET name = coalesce(?, name), "
                       "description = coalesce(?, description), version = version + 1 "
                       "WHERE id = ? AND org_id = ?",
                       "tttt", patch->name, patch->description, id, org_id);
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "service '%s' already exists", patch->name);
    return rc;
}

int app_service_update(struct app *app, struct arena *a, const char *org_id, const char *name,
                       const struct app_service *patch, struct err *e)
{
    struct app_service cur = {0};
    struct app_change c = {.org_id = org_id,
                           .action = "scope.service.edit",
                           .object_type = "service",
                           .table = "service",
                           .object_key = name};
    int rc = begin_edit(app, a, &c, e);
    if (rc)
        return rc;
    rc = app_service_get(app, a, org_id, name, &cur, e);
    if (rc == 0 && !patch->name && !patch->description)
        rc = ERR_SET(e, TL_EUSAGE, "nothing to change for service '%s'", name);
    if (rc == 0)
        rc = check_service(patch, false, e);
    if (rc == 0)
        rc = edit_checked(app, a, &c, cur.id, cur.version, patch->version, e);
    if (rc == 0)
        rc = write_service(app, org_id, cur.id, patch, e);
    return app_change_end(app, a, &c, rc, e);
}

int app_service_delete(struct app *app, struct arena *a, const char *org_id, const char *name,
                       struct err *e)
{
    struct app_service cur = {0};
    int rc = app_service_get(app, a, org_id, name, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.service.remove",
                           .object_type = "service",
                           .table = "service",
                           .id = cur.id,
                           .object_key = name};
    return app_change_delete(app, a, &c, e);
}

/* --- components ------------------------------------------------------------------------- */

#define COMPONENT_SELECT                                                                           \
    "SELECT id, kind, name, description, in_scope, reason, version FROM component "

static void read_component(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_component *c = item;
    c->id = col(st, a, 0);
    c->kind = col(st, a, 1);
    c->name = col(st, a, 2);
    c->description = col(st, a, 3);
    c->in_scope = store_col_int(st, 4) != 0;
    c->reason = col(st, a, 5);
    c->version = store_col_int(st, 6);
}

/* Components in the order users see them: by kind as in dom_component_kinds, then by name. */
static int component_order(const void *x, const void *y)
{
    const struct app_component *a = x, *b = y;
    int d =
        dom_enum_index(dom_component_kinds, a->kind) - dom_enum_index(dom_component_kinds, b->kind);
    return d ? d : strcmp(a->name, b->name);
}

int app_component_list(struct app *app, struct arena *a, const char *org_id, const char *kind,
                       struct app_component **out, size_t *n, struct err *e)
{
    struct store_stmt *st;
    void *items;
    int rc = kind ? dom_enum_check(dom_component_kinds, kind, "component kind", e) : 0;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            COMPONENT_SELECT "WHERE org_id = ? AND kind = coalesce(?, kind)", "tt",
                            org_id, kind);
    if (rc == 0)
        rc = read_all(st, a, sizeof(**out), read_component, &items, n, e);
    if (rc)
        return rc;
    *out = items;
    qsort(*out, *n, sizeof(**out), component_order);
    return 0;
}

int app_component_get(struct app *app, struct arena *a, const char *org_id, const char *kind,
                      const char *name, struct app_component *out, struct err *e)
{
    struct store_stmt *st;
    bool found;
    int rc = dom_enum_check(dom_component_kinds, kind, "component kind", e);
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            COMPONENT_SELECT "WHERE org_id = ? AND kind = ? AND name = ?", "ttt",
                            org_id, kind, name);
    if (rc == 0)
        rc = read_one(st, a, read_component, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no %s component '%s' (see 'tillit scope component list')",
                       kind, name);
    return rc;
}

/* In scope takes no reason; out of scope needs one. */
static int check_component_scope(const char *kind, const char *name, bool in_scope,
                                 const char *reason, struct err *e)
{
    if (in_scope && !blank(reason))
        return ERR_SET(e, TL_EINPUT,
                       "%s component '%s' in scope takes no reason (a reason is for leaving "
                       "it out)",
                       kind, name);
    if (!in_scope && blank(reason))
        return ERR_SET(e, TL_EINPUT, "%s component '%s' left out of scope needs a reason", kind,
                       name);
    return check_text(reason, "reason", false, SCOPE_TEXT_MAX, e);
}

static int check_component(const struct app_component *c, struct err *e)
{
    int rc = dom_enum_check(dom_component_kinds, c->kind, "component kind", e);
    if (rc == 0)
        rc = check_text(c->name, "component name", true, SCOPE_NAME_MAX, e);
    if (rc == 0)
        rc = check_text(c->description, "component description", false, SCOPE_TEXT_MAX, e);
    return rc ? rc : check_component_scope(c->kind, c->name, c->in_scope, c->reason, e);
}

int app_component_create(struct app *app, struct arena *a, const char *org_id,
                         const struct app_component *in, struct err *e)
{
    int rc = check_component(in, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.component.add",
                           .object_type = "component",
                           .table = "component",
                           .object_key = arena_printf(a, "%s/%s", in->kind, in->name)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = store_run(app->store, e,
                   "INSERT INTO component (id, org_id, kind, name, description, in_scope, reason) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   "tttttit", c.id, org_id, in->kind, in->name,
                   in->description ? in->description : "", (int64_t)in->in_scope,
                   in->in_scope ? "" : in->reason);
    if (rc == TL_ECONFLICT)
        rc = ERR_SET(e, TL_EEXIST, "%s component '%s' already exists", in->kind, in->name);
    return app_change_end(app, a, &c, rc, e);
}

/* The component as it will be after patch: *in_scope and *reason. */
static int patched_scope(const struct app_component *cur, const struct app_component_patch *p,
                         bool *in_scope, const char **reason, struct err *e)
{
    if (!p->description && p->scope == APP_SCOPE_KEEP && !p->reason)
        return ERR_SET(e, TL_EUSAGE, "nothing to change for %s component '%s'", cur->kind,
                       cur->name);
    *in_scope = p->scope == APP_SCOPE_KEEP ? cur->in_scope : p->scope == APP_SCOPE_IN;
    *reason = p->reason ? p->reason : (*in_scope ? "" : cur->reason);
    int rc = check_component_scope(cur->kind, cur->name, *in_scope, *reason, e);
    return rc ? rc : check_text(p->description, "component description", false, SCOPE_TEXT_MAX, e);
}

int app_component_update(struct app *app, struct arena *a, const char *org_id, const char *kind,
                         const char *name, const struct app_component_patch *patch, struct err *e)
{
    struct app_component cur = {0};
    bool in_scope = true;
    const char *reason = "";
    struct app_change c = {.org_id = org_id,
                           .action = "scope.component.edit",
                           .object_type = "component",
                           .table = "component",
                           .object_key = arena_printf(a, "%s/%s", kind, name)};
    int rc = begin_edit(app, a, &c, e);
    if (rc)
        return rc;
    rc = app_component_get(app, a, org_id, kind, name, &cur, e);
    if (rc == 0)
        rc = patched_scope(&cur, patch, &in_scope, &reason, e);
    if (rc == 0)
        rc = edit_checked(app, a, &c, cur.id, cur.version, patch->version, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE component SET description = coalesce(?, description), in_scope = ?, "
                       "reason = ?, version = version + 1 WHERE id = ? AND org_id = ?",
                       "tittt", patch->description, (int64_t)in_scope, in_scope ? "" : reason,
                       cur.id, org_id);
    return app_change_end(app, a, &c, rc, e);
}

int app_component_delete(struct app *app, struct arena *a, const char *org_id, const char *kind,
                         const char *name, struct err *e)
{
    struct app_component cur = {0};
    int rc = app_component_get(app, a, org_id, kind, name, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.component.remove",
                           .object_type = "component",
                           .table = "component",
                           .id = cur.id,
                           .object_key = arena_printf(a, "%s/%s", kind, name)};
    return app_change_delete(app, a, &c, e);
}

/* --- subservice organizations ---------------------------------------------------------- */

#define SUBSERVICE_SELECT                                                                          \
    "SELECT s.id, s.slug, s.name, s.method, s.services, (SELECT count(*) FROM csoc c "             \
    "WHERE c.subservice_id = s.id AND c.org_id = s.org_id), s.version FROM subservice_org s "

static void read_subservice(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_subservice *s = item;
    s->id = col(st, a, 0);
    s->slug = col(st, a, 1);
    s->name = col(st, a, 2);
    s->method = col(st, a, 3);
    s->services = col(st, a, 4);
    s->n_csocs = store_col_int(st, 5);
    s->version = store_col_int(st, 6);
}

int app_subservice_list(struct app *app, struct arena *a, const char *org_id,
                        struct app_subservice **out, size_t *n, struct err *e)
{
    struct store_stmt *st;
    void *items;
    int rc = store_preparef(app->store, e, &st,
                            SUBSERVICE_SELECT "WHERE s.org_id = ? ORDER BY s.slug", "t", org_id);
    if (rc == 0)
        rc = read_all(st, a, sizeof(**out), read_subservice, &items, n, e);
    if (rc == 0)
        *out = items;
    return rc;
}

int app_subservice_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                       struct app_subservice *out, struct err *e)
{
    struct store_stmt *st;
    bool found;
    int rc =
        store_preparef(app->store, e, &st, SUBSERVICE_SELECT "WHERE s.org_id = ? AND s.slug = ?",
                       "tt", org_id, slug);
    if (rc == 0)
        rc = read_one(st, a, read_subservice, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND,
                       "no subservice organization '%s' (see 'tillit scope subservice list')",
                       slug);
    return rc;
}

/* Checks the fields given; creating requires slug, name and method. */
static int check_subservice(const struct app_subservice *s, bool creating, struct err *e)
{
    int rc = creating ? dom_slug_check(s->slug ? s->slug : "", "subservice slug", e) : 0;
    if (rc == 0)
        rc = check_text(s->name, "subservice name", creating || s->name, SCOPE_NAME_MAX, e);
    if (rc == 0 && (creating || s->method))
        rc = dom_enum_check(dom_sub_methods, s->method, "method", e);
    return rc ? rc : check_text(s->services, "subservice services", false, SCOPE_TEXT_MAX, e);
}

int app_subservice_create(struct app *app, struct arena *a, const char *org_id,
                          const struct app_subservice *in, struct err *e)
{
    int rc = check_subservice(in, true, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.subservice.add",
                           .object_type = "subservice_org",
                           .table = "subservice_org",
                           .object_key = in->slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = store_run(app->store, e,
                   "INSERT INTO subservice_org (id, org_id, slug, name, services, method) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   "tttttt", c.id, org_id, in->slug, in->name, in->services ? in->services : "",
                   in->method);
    if (rc == TL_ECONFLICT)
        rc = ERR_SET(e, TL_EEXIST, "subservice organization '%s' already exists", in->slug);
    return app_change_end(app, a, &c, rc, e);
}

int app_subservice_update(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          const struct app_subservice *patch, struct err *e)
{
    struct app_subservice cur = {0};
    struct app_change c = {.org_id = org_id,
                           .action = "scope.subservice.edit",
                           .object_type = "subservice_org",
                           .table = "subservice_org",
                           .object_key = slug};
    int rc = begin_edit(app, a, &c, e);
    if (rc)
        return rc;
    rc = app_subservice_get(app, a, org_id, slug, &cur, e);
    if (rc == 0 && !patch->name && !patch->method && !patch->services)
        rc = ERR_SET(e, TL_EUSAGE, "nothing to change for subservice organization '%s'", slug);
    if (rc == 0)
        rc = check_subservice(patch, false, e);
    if (rc == 0)
        rc = edit_checked(app, a, &c, cur.id, cur.version, patch->version, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE subservice_org SET name = coalesce(?, name), "
                       "method = coalesce(?, method), services = coalesce(?, services), "
                       "version = version + 1 WHERE id = ? AND org_id = ?",
                       "ttttt", patch->name, patch->method, patch->services, cur.id, org_id);
    return app_change_end(app, a, &c, rc, e);
}

/* A subservice organization may not go while a vendor links to it. */
static int check_unlinked(struct app *app, struct arena *a, const char *org_id,
                          const struct app_subservice *s, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT slug FROM vendor WHERE org_id = ? AND subservice_id = ? "
                            "ORDER BY slug",
                            "tt", org_id, s->id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    const char *vendor = rc == TL_ROW ? col(st, a, 0) : NULL;
    store_finalize(st);
    if (vendor)
        return ERR_SET(e, TL_ECONFLICT,
                       "subservice organization '%s' is linked to vendor '%s': unlink the vendor "
                       "first",
                       s->slug, vendor);
    return rc < 0 ? rc : 0;
}

/* The subservice organization's row with its CSOCs under "csocs", so that
 * the audit entry of a removal keeps everything the removal took away. */
static int subservice_snapshot(struct app *app, struct arena *a, const char *org_id, const char *id,
                               const char **out, struct err *e)
{
    json_t *subs = json_array(), *csocs = json_array();
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT * FROM subservice_org WHERE id = ? AND org_id = ?", "tt", id,
                            org_id);
    if (rc == 0)
        rc = rows_array(st, subs, e);
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT * FROM csoc WHERE subservice_id = ? AND org_id = ? "
                            "ORDER BY text, id",
                            "tt", id, org_id);
    if (rc == 0)
        rc = rows_array(st, csocs, e);
    json_t *o = json_array_get(subs, 0);
    *out = NULL;
    if (rc == 0 && o) {
        json_object_set(o, "csocs", csocs);
        *out = app_json_dump(a, json_incref(o));
    }
    json_decref(subs);
    json_decref(csocs);
    return rc;
}

int app_subservice_delete(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          struct err *e)
{
    struct app_subservice cur = {0};
    int rc = app_subservice_get(app, a, org_id, slug, &cur, e);
    if (rc == 0)
        rc = check_unlinked(app, a, org_id, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.subservice.remove",
                           .object_type = "subservice_org",
                           .id = cur.id,
                           .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = subservice_snapshot(app, a, org_id, cur.id, &c.before, e);
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM csoc WHERE subservice_id = ? AND org_id = ?",
                       "tt", cur.id, org_id);
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM subservice_org WHERE id = ? AND org_id = ?",
                       "tt", cur.id, org_id);
    return app_change_end(app, a, &c, rc, e);
}

/* --- CSOCs ----------------------------------------------------------------------------- */

#define CSOC_SELECT                                                                                \
    "SELECT c.id, s.slug, c.text, c.criteria, c.version FROM csoc c "                              \
    "JOIN subservice_org s ON s.id = c.subservice_id AND s.org_id = c.org_id "

static void read_csoc(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_csoc *c = item;
    c->id = col(st, a, 0);
    c->subservice = col(st, a, 1);
    c->text = col(st, a, 2);
    c->criteria = col(st, a, 3);
    c->version = store_col_int(st, 4);
}

int app_csoc_list(struct app *app, struct arena *a, const char *org_id, const char *subservice,
                  struct app_csoc **out, size_t *n, struct err *e)
{
    struct app_subservice sub;
    struct store_stmt *st;
    void *items;
    int rc = subservice ? app_subservice_get(app, a, org_id, subservice, &sub, e) : 0;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            CSOC_SELECT "WHERE c.org_id = ? AND s.slug = coalesce(?, s.slug) "
                                        "ORDER BY s.slug, c.text, c.id",
                            "tt", org_id, subservice);
    if (rc == 0)
        rc = read_all(st, a, sizeof(**out), read_csoc, &items, n, e);
    if (rc == 0)
        *out = items;
    return rc;
}

/* An id prefix is 1-26 letters and digits; ids are lowercase, so the prefix is folded. */
static int fold_id_prefix(const char *id, char out[ID_BUF], struct err *e)
{
    size_t n = strlen(id);
    bool ok = n >= 1 && n < ID_BUF;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = id[i];
        ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    if (!ok)
        return ERR_SET(e, TL_EINPUT,
                       "invalid csoc id '%s' (an id, or its first characters, from 'tillit scope "
                       "csoc list')",
                       id);
    out[n] = '\0';
    return 0;
}

int app_csoc_get(struct app *app, struct arena *a, const char *org_id, const char *id,
                 struct app_csoc *out, struct err *e)
{
    char prefix[ID_BUF];
    struct store_stmt *st;
    struct app_csoc *found;
    size_t n;
    void *items;
    int rc = fold_id_prefix(id, prefix, e);
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            CSOC_SELECT "WHERE c.org_id = ? AND substr(c.id, 1, ?) = ? "
                                        "ORDER BY c.id",
                            "tit", org_id, (int64_t)strlen(prefix), prefix);
    if (rc == 0)
        rc = read_all(st, a, sizeof(*out), read_csoc, &items, &n, e);
    if (rc)
        return rc;
    found = items;
    if (n == 0)
        return ERR_SET(e, TL_ENOTFOUND, "no csoc '%s' (see 'tillit scope csoc list')", id);
    if (n > 1)
        return ERR_SET(e, TL_EINPUT,
                       "csoc id '%s' is ambiguous: %zu csocs start with it (%s, %s%s)", id, n,
                       found[0].id, found[1].id, n > 2 ? ", ..." : "");
    *out = found[0];
    return 0;
}

/* Checks the fields given; creating requires text.  *criteria gets the
 * criteria in catalog spelling. */
static int check_csoc(struct app *app, struct arena *a, const struct app_csoc *c, bool creating,
                      const char **criteria, struct err *e)
{
    int rc = check_text(c->text, "csoc text", creating || c->text, SCOPE_TEXT_MAX, e);
    return rc ? rc : check_criteria(app, a, c->criteria, criteria, e);
}

int app_csoc_create(struct app *app, struct arena *a, const char *org_id, const struct app_csoc *in,
                    const char **id, struct err *e)
{
    struct app_subservice sub;
    const char *criteria;
    int rc = check_csoc(app, a, in, true, &criteria, e);
    if (rc == 0)
        rc = app_subservice_get(app, a, org_id, in->subservice ? in->subservice : "", &sub, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "scope.csoc.add", .object_type = "csoc", .table = "csoc"};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = c.object_key = app_new_id(a);
    rc = store_run(app->store, e,
                   "INSERT INTO csoc (id, org_id, subservice_id, text, criteria) "
                   "VALUES (?, ?, ?, ?, ?)",
                   "ttttt", c.id, org_id, sub.id, in->text, criteria ? criteria : "");
    rc = app_change_end(app, a, &c, rc, e);
    if (rc == 0 && id)
        *id = c.id;
    return rc;
}

int app_csoc_update(struct app *app, struct arena *a, const char *org_id, const char *id,
                    const struct app_csoc *patch, struct err *e)
{
    struct app_csoc cur = {0};
    const char *criteria = NULL;
    /* The lock needs the whole id, which a prefix names only once read. */
    int rc = app_csoc_get(app, a, org_id, id, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.csoc.edit",
                           .object_type = "csoc",
                           .table = "csoc",
                           .object_key = cur.id};
    rc = begin_edit(app, a, &c, e);
    if (rc)
        return rc;
    rc = app_csoc_get(app, a, org_id, c.object_key, &cur, e);
    if (rc == 0 && !patch->text && !patch->criteria)
        rc = ERR_SET(e, TL_EUSAGE, "nothing to change for csoc '%s'", cur.id);
    if (rc == 0)
        rc = check_csoc(app, a, patch, false, &criteria, e);
    if (rc == 0)
        rc = edit_checked(app, a, &c, cur.id, cur.version, patch->version, e);
    if (rc == 0)
        rc =
            store_run(app->store, e,
                      "UPDATE csoc SET text = coalesce(?, text), criteria = coalesce(?, criteria), "
                      "version = version + 1 WHERE id = ? AND org_id = ?",
                      "tttt", patch->text, criteria, cur.id, org_id);
    return app_change_end(app, a, &c, rc, e);
}

int app_csoc_delete(struct app *app, struct arena *a, const char *org_id, const char *id,
                    struct err *e)
{
    struct app_csoc cur = {0};
    int rc = app_csoc_get(app, a, org_id, id, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.csoc.remove",
                           .object_type = "csoc",
                           .table = "csoc",
                           .id = cur.id,
                           .object_key = cur.id};
    return app_change_delete(app, a, &c, e);
}

/* --- CUECs ------------------------------------------------------------------------------- */

#define CUEC_SELECT "SELECT id, code, text, criteria, version FROM cuec "

static void read_cuec(struct store_stmt *st, struct arena *a, void *item)
{
    struct app_cuec *c = item;
    c->id = col(st, a, 0);
    c->code = col(st, a, 1);
    c->text = col(st, a, 2);
    c->criteria = col(st, a, 3);
    c->version = store_col_int(st, 4);
}

int app_cuec_list(struct app *app, struct arena *a, const char *org_id, struct app_cuec **out,
                  size_t *n, struct err *e)
{
    struct store_stmt *st;
    void *items;
    int rc = store_preparef(app->store, e, &st, CUEC_SELECT "WHERE org_id = ? ORDER BY code", "t",
                            org_id);
    if (rc == 0)
        rc = read_all(st, a, sizeof(**out), read_cuec, &items, n, e);
    if (rc == 0)
        *out = items;
    return rc;
}

int app_cuec_get(struct app *app, struct arena *a, const char *org_id, const char *code,
                 struct app_cuec *out, struct err *e)
{
    struct store_stmt *st;
    bool found;
    int rc = store_preparef(app->store, e, &st, CUEC_SELECT "WHERE org_id = ? AND code = ?", "tt",
                            org_id, code);
    if (rc == 0)
        rc = read_one(st, a, read_cuec, out, &found, e);
    if (rc == 0 && !found)
        return ERR_SET(e, TL_ENOTFOUND, "no cuec '%s' (see 'tillit scope cuec list')", code);
    return rc;
}

/* Checks the fields given; creating requires code and text.  *criteria gets
 * the criteria in catalog spelling. */
static int check_cuec(struct app *app, struct arena *a, const struct app_cuec *c, bool creating,
                      const char **criteria, struct err *e)
{
    int rc = creating ? dom_code_check(c->code ? c->code : "", "cuec code", e) : 0;
    if (rc == 0)
        rc = check_text(c->text, "cuec text", creating || c->text, SCOPE_TEXT_MAX, e);
    return rc ? rc : check_criteria(app, a, c->criteria, criteria, e);
}

int app_cuec_create(struct app *app, struct arena *a, const char *org_id, const struct app_cuec *in,
                    struct err *e)
{
    const char *criteria;
    int rc = check_cuec(app, a, in, true, &criteria, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.cuec.add",
                           .object_type = "cuec",
                           .table = "cuec",
                           .object_key = in->code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = store_run(app->store, e,
                   "INSERT INTO cuec (id, org_id, code, text, criteria) VALUES (?, ?, ?, ?, ?)",
                   "ttttt", c.id, org_id, in->code, in->text, criteria ? criteria : "");
    if (rc == TL_ECONFLICT)
        rc = ERR_SET(e, TL_EEXIST, "cuec '%s' already exists", in->code);
    return app_change_end(app, a, &c, rc, e);
}

int app_cuec_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const struct app_cuec *patch, struct err *e)
{
    struct app_cuec cur = {0};
    const char *criteria = NULL;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.cuec.edit",
                           .object_type = "cuec",
                           .table = "cuec",
                           .object_key = code};
    int rc = begin_edit(app, a, &c, e);
    if (rc)
        return rc;
    rc = app_cuec_get(app, a, org_id, code, &cur, e);
    if (rc == 0 && !patch->text && !patch->criteria)
        rc = ERR_SET(e, TL_EUSAGE, "nothing to change for cuec '%s'", code);
    if (rc == 0)
        rc = check_cuec(app, a, patch, false, &criteria, e);
    if (rc == 0)
        rc = edit_checked(app, a, &c, cur.id, cur.version, patch->version, e);
    if (rc == 0)
        rc =
            store_run(app->store, e,
                      "UPDATE cuec SET text = coalesce(?, text), criteria = coalesce(?, criteria), "
                      "version = version + 1 WHERE id = ? AND org_id = ?",
                      "tttt", patch->text, criteria, cur.id, org_id);
    return app_change_end(app, a, &c, rc, e);
}

int app_cuec_delete(struct app *app, struct arena *a, const char *org_id, const char *code,
                    struct err *e)
{
    struct app_cuec cur = {0};
    int rc = app_cuec_get(app, a, org_id, code, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "scope.cuec.remove",
                           .object_type = "cuec",
                           .table = "cuec",
                           .id = cur.id,
                           .object_key = code};
    return app_change_delete(app, a, &c, e);
}

/* --- the whole scope ----------------------------------------------------------------------- */

int app_scope_get(struct app *app, struct arena *a, const char *org_id, struct app_scope *out,
                  struct err *e)
{
    int rc = app_system_get(app, a, org_id, &out->system, e);
    if (rc == 0)
        rc = app_scope_category_list(app, a, org_id, &out->categories, &out->n_categories, e);
    if (rc == 0)
        rc = app_service_list(app, a, org_id, &out->services, &out->n_services, e);
    if (rc == 0)
        rc = app_component_list(app, a, org_id, NULL, &out->components, &out->n_components, e);
    if (rc == 0)
        rc = app_subservice_list(app, a, org_id, &out->subservices, &out->n_subservices, e);
    if (rc == 0)
        rc = app_csoc_list(app, a, org_id, NULL, &out->csocs, &out->n_csocs, e);
    if (rc == 0)
        rc = app_cuec_list(app, a, org_id, &out->cuecs, &out->n_cuecs, e);
    return rc;
}
