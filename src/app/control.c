/* control.c - the organization's controls: reading, the control library,
 * and the audited changes (create, update, delete, map, adopt). */
#include "app/control.h"

#include "base/js.h"
#include "base/sb.h"
#include "domain/program.h"

#include <string.h>
#include <strings.h>

#define CONTROL_COLUMNS                                                                            \
    "c.id, c.code, c.title, c.description, p.email, c.frequency, c.nature, c.type, c.is_key, "     \
    "c.status, c.library_code, c.evidence_expected, c.version"
#define CONTROL_FROM "control c LEFT JOIN person p ON p.id = c.owner_id AND p.org_id = c.org_id"

/* A control as read, with the id the mappings refer to. */
struct control_row {
    const char *id;
    struct app_control c;
};

/* One control_criterion row. */
struct map_row {
    const char *control_id;
    struct app_control_map m;
};

/* --- the library --------------------------------------------------------- */

struct library_load {
    struct app *app;
    const struct dom_catalog *catalog;
    struct dom_library *lib;
    struct err *e;
};

static int load_library_file(void *ud, const char *path)
{
    struct library_load *ll = ud;
    const char *data;
    size_t len;
    int rc = app_content_read(ll->app, path, &data, &len, ll->e);
    if (rc == 0)
        rc = dom_library_add(ll->lib, &ll->app->arena, ll->catalog, path, data, len, ll->e);
    return rc;
}

int app_library(struct app *app, const struct dom_library **out, struct err *e)
{
    if (!app->library) {
        struct library_load ll = {app, NULL, NULL, e};
        int rc = app_catalog(app, &ll.catalog, e);
        if (rc)
            return rc;
        ll.lib = arena_calloc(&app->arena, 1, sizeof(*ll.lib));
        rc = app_content_each(app, "library/controls-", load_library_file, &ll);
        if (rc == 0)
            rc = dom_library_finish(ll.lib, &app->arena, e);
        if (rc)
            return err_wrap(e, "loading the control library");
        app->library = ll.lib;
    }
    *out = app->library;
    return 0;
}

/* --- reading ------------------------------------------------------------- */

static const char *col_dup(struct arena *a, struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? NULL : arena_strdup(a, store_col_text(st, col));
}

static void read_control_row(struct store_stmt *st, struct arena *a, const struct dom_library *lib,
                             struct control_row *r)
{
    struct app_control *c = &r->c;
    r->id = col_dup(a, st, 0);
    c->code = col_dup(a, st, 1);
    c->title = col_dup(a, st, 2);
    c->description = col_dup(a, st, 3);
    c->owner = col_dup(a, st, 4);
    c->frequency = col_dup(a, st, 5);
    c->nature = col_dup(a, st, 6);
    c->type = col_dup(a, st, 7);
    c->key = store_col_int(st, 8) ? 1 : 0;
    c->status = col_dup(a, st, 9);
    c->library_code = col_dup(a, st, 10);
    c->evidence = col_dup(a, st, 11);
    c->version = store_col_int(st, 12);
    const struct dom_lib_control *lc =
        c->library_code ? dom_library_control(lib, c->library_code) : NULL;
    c->family = lc ? lc->family : NULL;
}

/* Reads the controls of org_id (one when code is non-NULL), by code. */
static int read_controls(struct app *app, struct arena *a, const char *org_id, const char *code,
                         struct control_row **out, size_t *n, struct err *e)
{
    const struct dom_library *lib;
    int64_t count = 0;
    int rc = app_library(app, &lib, e);
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM control WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " CONTROL_COLUMNS " FROM " CONTROL_FROM
                            " WHERE c.org_id = ? AND (? IS NULL OR c.code = ?) ORDER BY c.code",
                            "ttt", org_id, code, code);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count)
        read_control_row(st, a, lib, &(*out)[(*n)++]);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Reads the mappings of org_id (of one control when control_id is non-NULL). */
static int read_maps(struct app *app, struct arena *a, const char *org_id, const char *control_id,
                     struct map_row **out, size_t *n, struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM control_criterion WHERE org_id = ? "
                             "AND (? IS NULL OR control_id = ?)",
                             "ttt", org_id, control_id, control_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT control_id, criterion, pofs FROM control_criterion "
                            "WHERE org_id = ? AND (? IS NULL OR control_id = ?)",
                            "ttt", org_id, control_id, control_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        struct map_row *m = &(*out)[(*n)++];
        m->control_id = col_dup(a, st, 0);
        m->m.criterion = col_dup(a, st, 1);
        m->m.pofs = col_dup(a, st, 2);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Position of a criterion in the catalog (TSC order); unknown ones last. */
static size_t crit_rank(const struct dom_catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->n_criteria; i++)
        if (strcasecmp(cat->criteria[i].id, id) == 0)
            return i;
    return cat->n_criteria;
}

/* Gives each control its mappings, in catalog order (insertion sort: a
 * control maps a handful of criteria). */
static void attach_maps(const struct dom_catalog *cat, struct arena *a, struct control_row *rows,
                        size_t n_rows, const struct map_row *maps, size_t n_maps)
{
    for (size_t r = 0; r < n_rows; r++) {
        struct app_control *c = &rows[r].c;
        c->criteria = arena_calloc(a, n_maps + 1, sizeof(*c->criteria));
        for (size_t i = 0; i < n_maps; i++) {
            if (strcmp(maps[i].control_id, rows[r].id) != 0)
                continue;
            size_t k = c->n_criteria++;
            size_t rank = crit_rank(cat, maps[i].m.criterion);
            for (; k > 0 && crit_rank(cat, c->criteria[k - 1].criterion) > rank; k--)
                c->criteria[k] = c->criteria[k - 1];
            c->criteria[k] = maps[i].m;
        }
    }
}

/* Controls with their mappings; one when code is non-NULL. */
static int load_controls(struct app *app, struct arena *a, const char *org_id, const char *code,
                         struct control_row **rows, size_t *n, struct err *e)
{
    const struct dom_catalog *cat;
    struct map_row *maps;
    size_t n_maps;
    int rc = app_catalog(app, &cat, e);
    if (rc == 0)
        rc = read_controls(app, a, org_id, code, rows, n, e);
    if (rc || (code && *n == 0))
        return rc;
    rc = read_maps(app, a, org_id, code ? (*rows)[0].id : NULL, &maps, &n_maps, e);
    if (rc == 0)
        attach_maps(cat, a, *rows, *n, maps, n_maps);
    return rc;
}

static bool has_criterion(const struct app_control *c, const char *criterion)
{
    for (size_t i = 0; i < c->n_criteria; i++)
        if (strcasecmp(c->criteria[i].criterion, criterion) == 0)
            return true;
    return false;
}

static bool filter_keeps(const struct app_control_filter *f, const struct app_control *c)
{
    if (f->status && strcmp(c->status, f->status) != 0)
        return false;
    if (f->owner && (!c->owner || strcmp(c->owner, f->owner) != 0))
        return false;
    if (f->family && (!c->family || strcmp(c->family, f->family) != 0))
        return false;
    return !f->criterion || has_criterion(c, f->criterion);
}

/* Checks filter values: a filter that can never match is a typo, not an
 * empty result. */
static int check_filter(struct app *app, struct arena *a, const char *org_id,
                        const struct app_control_filter *f, struct err *e)
{
    const struct dom_catalog *cat;
    const struct dom_library *lib;
    const char *person;
    int rc = app_catalog(app, &cat, e);
    if (rc == 0)
        rc = app_library(app, &lib, e);
    if (rc == 0 && f->status)
        rc = dom_enum_check(dom_statuses, f->status, "status", e);
    if (rc == 0 && f->family)
        rc = dom_library_family_check(lib, f->family, e);
    if (rc == 0 && f->criterion && !dom_catalog_criterion(cat, f->criterion))
        rc = ERR_SET(e, TL_EINPUT, "unknown criterion '%s' (see 'tillit catalog criteria')",
                     f->criterion);
    if (rc == 0 && f->owner)
        rc = app_person_id(app, a, org_id, f->owner, &person, e);
    return rc;
}

int app_control_list(struct app *app, struct arena *a, const char *org_id,
                     const struct app_control_filter *f, struct app_control **out, size_t *n,
                     struct err *e)
{
    struct control_row *rows;
    size_t n_rows;
    int rc = f ? check_filter(app, a, org_id, f, e) : 0;
    if (rc == 0)
        rc = load_controls(app, a, org_id, NULL, &rows, &n_rows, e);
    if (rc)
        return rc;
    *out = arena_calloc(a, n_rows + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < n_rows; i++)
        if (!f || filter_keeps(f, &rows[i].c))
            (*out)[(*n)++] = rows[i].c;
    return 0;
}

static int read_risks(struct app *app, struct arena *a, const char *org_id, const char *control_id,
                      struct app_control *c, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT r.code FROM risk_control rc JOIN risk r ON r.id = rc.risk_id "
                            "WHERE rc.control_id = ? AND rc.org_id = ? AND r.org_id = ? "
                            "ORDER BY r.code",
                            "ttt", control_id, org_id, org_id);
    if (rc)
        return rc;
    size_t cap = 0;
    c->risks = NULL;
    c->n_risks = 0;
    while ((rc = store_step(st, e)) == TL_ROW)
        app_strs_push(a, &c->risks, &c->n_risks, &cap, store_col_text(st, 0));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The control with its id (for writes) or TL_ENOTFOUND naming the code. */
static int get_row(struct app *app, struct arena *a, const char *org_id, const char *code,
                   struct control_row *out, struct err *e)
{
    struct control_row *rows;
    size_t n;
    int rc = load_controls(app, a, org_id, code, &rows, &n, e);
    if (rc)
        return rc;
    if (n == 0)
        return ERR_SET(e, TL_ENOTFOUND, "no control '%s' (see 'tillit control list')", code);
    *out = rows[0];
    return read_risks(app, a, org_id, out->id, &out->c, e);
}

int app_control_get(struct app *app, struct arena *a, const char *org_id, const char *code,
                    struct app_control *out, struct err *e)
{
    struct control_row r;
    int rc = get_row(app, a, org_id, code, &r, e);
    if (rc == 0)
        *out = r.c;
    return rc;
}

/* Adds the comma-separated list s to o under key as an array. */
static void set_split(json_t *o, const char *key, const char *s, const char *seps)
{
    json_t *arr = json_array();
    for (const char *p = s ? s : ""; *p;) {
        size_t n = strcspn(p, seps);
        if (n)
            json_array_append_new(arr, json_stringn(p, n));
        p += n;
        if (*p)
            p++;
    }
    json_object_set_new(o, key, arr);
}

char *app_control_json(struct arena *a, const struct app_control *c)
{
    json_t *o = json_object();
    js_set_str(o, "code", c->code);
    js_set_str(o, "title", c->title);
    js_set_str(o, "description", c->description);
    js_set_str(o, "owner", c->owner);
    js_set_str(o, "frequency", c->frequency);
    js_set_str(o, "nature", c->nature);
    js_set_str(o, "type", c->type);
    json_object_set_new(o, "key", json_boolean(c->key == 1));
    js_set_str(o, "status", c->status);
    set_split(o, "evidence_expected", c->evidence, "\n");
    js_set_str(o, "library_code", c->library_code);
    js_set_str(o, "family", c->family);
    json_object_set_new(o, "version", json_integer(c->version));
    json_t *crit = json_array();
    for (size_t i = 0; i < c->n_criteria; i++) {
        json_t *m = json_object();
        js_set_str(m, "criterion", c->criteria[i].criterion);
        set_split(m, "points_of_focus", c->criteria[i].pofs, ",");
        json_array_append_new(crit, m);
    }
    json_object_set_new(o, "criteria", crit);
    json_t *risks = json_array();
    for (size_t i = 0; i < c->n_risks; i++)
        json_array_append_new(risks, json_string(c->risks[i]));
    json_object_set_new(o, "risks", risks);
    return app_json_dump(a, o);
}

/* The control as JSON, for the audit log's before and after. */
static int snapshot(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const char **out, struct err *e)
{
    struct app_control c;
    int rc = app_control_get(app, a, org_id, code, &c, e);
    if (rc == 0)
        *out = app_control_json(a, &c);
    return rc;
}

/* --- validation ---------------------------------------------------------- */

/* Evidence items one per line, trimmed, without empty lines. */
static const char *normalize_evidence(struct arena *a, const char *s)
{
    struct sb sb = SB_INIT;
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\r\n");
        const char *q = p;
        size_t m = n;
        while (m && (*q == ' ' || *q == '\t'))
            q++, m--;
        while (m && (q[m - 1] == ' ' || q[m - 1] == '\t'))
            m--;
        if (m)
            sb_addf(&sb, "%s%.*s", sb.len ? "\n" : "", (int)m, q);
        p += n;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

/* Checks the fields set in c (NULL = not given). */
static int check_fields(const struct app_control *c, struct err *e)
{
    if (c->title && !*c->title)
        return ERR_SET(e, TL_EINPUT, "control title must not be empty");
    if (c->frequency && dom_enum_check(dom_frequencies, c->frequency, "frequency", e))
        return TL_EINPUT;
    if (c->nature && dom_enum_check(dom_natures, c->nature, "nature", e))
        return TL_EINPUT;
    if (c->type && dom_enum_check(dom_control_types, c->type, "type", e))
        return TL_EINPUT;
    if (c->status && dom_enum_check(dom_statuses, c->status, "status", e))
        return TL_EINPUT;
    if (c->key < -1 || c->key > 1)
        return ERR_SET(e, TL_EINPUT, "control key flag must be 0 or 1, not %d", c->key);
    return 0;
}

/* A criterion and its pofs in catalog spelling, or TL_EINPUT naming the bad one. */
static int check_map(struct app *app, struct arena *a, const char *criterion, const char *pofs,
                     struct app_control_map *out, struct err *e)
{
    const struct dom_catalog *cat;
    int rc = app_catalog(app, &cat, e);
    if (rc)
        return rc;
    const struct dom_criterion *cr = criterion ? dom_catalog_criterion(cat, criterion) : NULL;
    if (!cr)
        return ERR_SET(e, TL_EINPUT, "unknown criterion '%s' (see 'tillit catalog criteria')",
                       criterion ? criterion : "");
    out->criterion = cr->id;
    return dom_pofs_normalize(cr, a, pofs, &out->pofs, e);
}

/* Checks a whole list of mappings; the result is in catalog spelling. */
static int check_maps(struct app *app, struct arena *a, const struct app_control_map *in, size_t n,
                      struct app_control_map **out, struct err *e)
{
    *out = arena_calloc(a, n + 1, sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        int rc = check_map(app, a, in[i].criterion, in[i].pofs, &(*out)[i], e);
        if (rc)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (strcmp((*out)[k].criterion, (*out)[i].criterion) == 0)
                return ERR_SET(e, TL_EINPUT, "criterion '%s' is mapped twice", (*out)[i].criterion);
    }
    return 0;
}

/* Resolves the owner email: NULL = not given, "" = none (*id NULL). */
static int resolve_owner(struct app *app, struct arena *a, const char *org_id, const char *email,
                         const char **id, struct err *e)
{
    *id = NULL;
    if (!email || !*email)
        return 0;
    int rc = dom_email_check(email, e);
    return rc ? rc : app_person_id(app, a, org_id, email, id, e);
}

/* --- writing ------------------------------------------------------------- */

static int put_map(struct app *app, const char *org_id, const char *control_id,
                   const struct app_control_map *m, struct err *e)
{
    int rc = store_run(app->store, e,
                       "DELETE FROM control_criterion WHERE control_id = ? AND org_id = ? "
                       "AND criterion = ?",
                       "ttt", control_id, org_id, m->criterion);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO control_criterion (control_id, org_id, criterion, pofs) "
                       "VALUES (?, ?, ?, ?)",
                       "tttt", control_id, org_id, m->criterion, m->pofs);
    return rc;
}

static int put_maps(struct app *app, const char *org_id, const char *control_id,
                    const struct app_control_map *maps, size_t n, struct err *e)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_map(app, org_id, control_id, &maps[i], e);
    return rc;
}

/* Commits change c with the control's current JSON as "after" (code NULL:
 * the control is gone), or aborts when rc already failed. */
static int finish_change(struct app *app, struct arena *a, struct app_change *c, const char *code,
                         int rc, struct err *e)
{
    if (rc == 0 && code)
        rc = snapshot(app, a, c->org_id, code, &c->after, e);
    return app_change_end(app, a, c, rc, e);
}

static int insert_control(struct app *app, const char *org_id, const char *id,
                          const struct app_control *in, const char *owner_id, struct err *e)
{
    int rc = store_run(
        app->store, e,
        "INSERT INTO control (id, org_id, code, title, description, owner_id, frequency, nature, "
        "type, is_key, status, library_code, evidence_expected) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "tttttttttittt", id, org_id, in->code, in->title, in->description ? in->description : "",
        owner_id, in->frequency ? in->frequency : "annual", in->nature ? in->nature : "preventive",
        in->type ? in->type : "manual", (int64_t)(in->key == 1),
        in->status ? in->status : "not-started", in->library_code,
        in->evidence ? in->evidence : "");
    if (rc == TL_ECONFLICT)
        rc = ERR_SET(e, TL_EEXIST, "control '%s' already exists", in->code);
    return rc;
}

/* Validates in, then creates it as one audited change named action. */
static int create_change(struct app *app, struct arena *a, const char *org_id,
                         const struct app_control *in, const char *action, struct err *e)
{
    struct app_control_map *maps;
    const char *owner_id;
    if (!in->code || !in->title)
        return ERR_SET(e, TL_EUSAGE, "a control needs a code and a title");
    int rc = dom_code_check(in->code, "control code", e);
    if (rc == 0)
        rc = check_fields(in, e);
    if (rc == 0)
        rc = check_maps(app, a, in->criteria, in->criteria ? in->n_criteria : 0, &maps, e);
    if (rc == 0)
        rc = resolve_owner(app, a, org_id, in->owner, &owner_id, e);
    if (rc)
        return rc;
    struct app_control row = *in;
    if (in->evidence)
        row.evidence = normalize_evidence(a, in->evidence);
    struct app_change c = {.org_id = org_id,
                           .action = action,
                           .object_type = "control",
                           .id = app_new_id(a),
                           .object_key = in->code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = insert_control(app, org_id, c.id, &row, owner_id, e);
    if (rc == 0)
        rc = put_maps(app, org_id, c.id, maps, in->criteria ? in->n_criteria : 0, e);
    return finish_change(app, a, &c, in->code, rc, e);
}

int app_control_create(struct app *app, struct arena *a, const char *org_id,
                       const struct app_control *in, struct err *e)
{
    return create_change(app, a, org_id, in, "control.add", e);
}

/* Opens an audited change on an existing control: before = its JSON. */
static int begin_edit(struct app *app, struct arena *a, const char *org_id, const char *code,
                      const char *action, struct app_change *c, struct control_row *r,
                      struct err *e)
{
    *c = (struct app_change){
        .org_id = org_id, .action = action, .object_type = "control", .object_key = code};
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    rc = app_lock_record(app, org_id, "control", code, e);
    if (rc == 0)
        rc = get_row(app, a, org_id, code, r, e);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    c->id = r->id;
    c->object_key = r->c.code;
    c->before = app_control_json(a, &r->c);
    return 0;
}

static int update_row(struct app *app, const char *org_id, const char *id,
                      const struct app_control *p, const char *evidence, const char *owner_id,
                      struct err *e)
{
    return store_run(app->store, e,
                     "UPDATE control SET title = coalesce(?, title), "
                     "description = coalesce(?, description), "
                     "owner_id = CASE WHEN ? = 1 THEN ? ELSE owner_id END, "
                     "frequency = coalesce(?, frequency), nature = coalesce(?, nature), "
                     "type = coalesce(?, type), is_key = CASE WHEN ? < 0 THEN is_key ELSE ? END, "
                     "status = coalesce(?, status), "
                     "evidence_expected = coalesce(?, evidence_expected), version = version + 1 "
                     "WHERE id = ? AND org_id = ?",
                     "ttittttiitttt", p->title, p->description, (int64_t)(p->owner != NULL),
                     owner_id, p->frequency, p->nature, p->type, (int64_t)p->key, (int64_t)p->key,
                     p->status, evidence, id, org_id);
}

/* Replaces all mappings of a control. */
static int replace_maps(struct app *app, const char *org_id, const char *control_id,
                        const struct app_control_map *maps, size_t n, struct err *e)
{
    int rc = store_run(app->store, e,
                       "DELETE FROM control_criterion WHERE control_id = ? AND org_id = ?", "tt",
                       control_id, org_id);
    return rc ? rc : put_maps(app, org_id, control_id, maps, n, e);
}

int app_control_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                       const struct app_control *patch, struct err *e)
{
    struct app_control_map *maps = NULL;
    const char *owner_id;
    int rc = check_fields(patch, e);
    if (rc == 0 && patch->criteria)
        rc = check_maps(app, a, patch->criteria, patch->n_criteria, &maps, e);
    if (rc == 0)
        rc = resolve_owner(app, a, org_id, patch->owner, &owner_id, e);
    struct app_change c;
    struct control_row r;
    if (rc == 0)
        rc = begin_edit(app, a, org_id, code, "control.edit", &c, &r, e);
    if (rc)
        return rc;
    rc = app_check_version(app, a, org_id, "control", r.c.code, r.c.version, patch->version, e);
    if (rc)
        return finish_change(app, a, &c, r.c.code, rc, e);
    const char *evidence = patch->evidence ? normalize_evidence(a, patch->evidence) : NULL;
    rc = update_row(app, org_id, r.id, patch, evidence, owner_id, e);
    if (rc == 0 && maps)
        rc = replace_maps(app, org_id, r.id, maps, patch->n_criteria, e);
    return finish_change(app, a, &c, r.c.code, rc, e);
}

static int refuse_linked(const struct app_control *c, struct err *e)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < c->n_risks && i < 10; i++)
        sb_addf(&sb, "%s'%s'", i ? ", " : "", c->risks[i]);
    ERR_SET(e, TL_ECONFLICT, "control '%s' is linked to risk%s %s%s: unlink %s first", c->code,
            c->n_risks > 1 ? "s" : "", sb.buf, c->n_risks > 10 ? ", ..." : "",
            c->n_risks > 1 ? "them" : "it");
    sb_release(&sb);
    return TL_ECONFLICT;
}

int app_control_delete(struct app *app, struct arena *a, const char *org_id, const char *code,
                       struct err *e)
{
    struct app_change c;
    struct control_row r;
    int rc = begin_edit(app, a, org_id, code, "control.remove", &c, &r, e);
    if (rc)
        return rc;
    if (r.c.n_risks)
        rc = refuse_linked(&r.c, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "DELETE FROM control_criterion WHERE control_id = ? AND org_id = ?", "tt",
                       r.id, org_id);
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM control WHERE id = ? AND org_id = ?", "tt", r.id,
                       org_id);
    return finish_change(app, a, &c, NULL, rc, e);
}

static int bump_version(struct app *app, const char *org_id, const char *id, struct err *e)
{
    return store_run(app->store, e,
                     "UPDATE control SET version = version + 1 WHERE id = ? AND org_id = ?", "tt",
                     id, org_id);
}

int app_control_map(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const char *criterion, const char *pofs, struct err *e)
{
    struct app_control_map m;
    struct app_change c;
    struct control_row r;
    int rc = check_map(app, a, criterion, pofs, &m, e);
    if (rc == 0)
        rc = begin_edit(app, a, org_id, code, "control.map", &c, &r, e);
    if (rc)
        return rc;
    rc = put_map(app, org_id, r.id, &m, e);
    if (rc == 0)
        rc = bump_version(app, org_id, r.id, e);
    return finish_change(app, a, &c, r.c.code, rc, e);
}

int app_control_unmap(struct app *app, struct arena *a, const char *org_id, const char *code,
                      const char *criterion, struct err *e)
{
    struct app_change c;
    struct control_row r;
    int rc = begin_edit(app, a, org_id, code, "control.unmap", &c, &r, e);
    if (rc)
        return rc;
    const char *mapped = NULL;
    for (size_t i = 0; i < r.c.n_criteria && !mapped; i++)
        if (strcasecmp(r.c.criteria[i].criterion, criterion) == 0)
            mapped = r.c.criteria[i].criterion;
    if (!mapped)
        rc = ERR_SET(e, TL_ENOTFOUND, "control '%s' is not mapped to criterion '%s'", r.c.code,
                     criterion);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "DELETE FROM control_criterion WHERE control_id = ? AND org_id = ? "
                       "AND criterion = ?",
                       "ttt", r.id, org_id, mapped);
    if (rc == 0)
        rc = bump_version(app, org_id, r.id, e);
    return finish_change(app, a, &c, r.c.code, rc, e);
}

/* --- adopting library controls -------------------------------------------- */

/* The organization's copy of a library control, in language lang. */
static void from_library(struct arena *a, const struct dom_lib_control *lc, const char *lang,
                         const char *owner, const char *status, struct app_control *out)
{
    size_t n_ev;
    const char *const *ev = dom_text_list_get(&lc->evidence, lang, &n_ev);
    *out = (struct app_control){.code = lc->code,
                                .title = dom_text_get(&lc->title, lang),
                                .description = dom_text_get(&lc->description, lang),
                                .owner = owner,
                                .frequency = lc->frequency,
                                .nature = lc->nature,
                                .type = lc->type,
                                .status = status,
                                .key = lc->key ? 1 : 0,
                                .evidence = app_strs_join(a, ev, n_ev, "\n"),
                                .library_code = lc->code,
                                .n_criteria = lc->n_criteria};
    out->criteria = arena_calloc(a, lc->n_criteria + 1, sizeof(*out->criteria));
    for (size_t i = 0; i < lc->n_criteria; i++) {
        out->criteria[i].criterion = lc->criteria[i].criterion;
        const struct dom_lib_mapping *m = &lc->criteria[i];
        out->criteria[i].pofs = app_strs_join(a, m->pofs, m->n_pofs, ",");
    }
}

/* The library controls asked for, without repeats; every unknown code is named. */
static int pick_library(struct arena *a, const struct dom_library *lib, const char **codes,
                        size_t n, const struct dom_lib_control ***out, size_t *n_out, struct err *e)
{
    size_t total = codes ? n : lib->n_controls;
    struct sb unknown = SB_INIT;
    size_t n_unknown = 0;
    *out = arena_calloc(a, total + 1, sizeof(**out));
    *n_out = 0;
    for (size_t i = 0; i < total; i++) {
        const struct dom_lib_control *lc =
            codes ? dom_library_control(lib, codes[i]) : &lib->controls[i];
        if (!lc && n_unknown++ < 10)
            sb_addf(&unknown, "%s'%s'", n_unknown > 1 ? ", " : "", codes[i]);
        bool dup = false;
        for (size_t k = 0; lc && k < *n_out && !dup; k++)
            dup = (*out)[k] == lc;
        if (lc && !dup)
            (*out)[(*n_out)++] = lc;
    }
    int rc = 0;
    if (n_unknown)
        rc = ERR_SET(e, TL_ENOTFOUND, "no library control%s %s%s (see 'tillit control library')",
                     n_unknown > 1 ? "s" : "", unknown.buf, n_unknown > 10 ? ", ..." : "");
    sb_release(&unknown);
    return rc;
}

static int code_taken(struct app *app, const char *org_id, const char *code, bool *taken,
                      struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM control WHERE org_id = ? AND code = ?", "tt",
                             org_id, code);
    *taken = n > 0;
    return rc;
}

/* Adopts each picked control inside the caller's transaction. */
static int adopt_each(struct app *app, struct arena *a, const char *org_id, const char *lang,
                      const struct dom_lib_control **pick, size_t n, const char *owner,
                      const char *status, struct app_adopt_result *r, struct err *e)
{
    r->adopted = arena_calloc(a, n + 1, sizeof(char *));
    r->skipped = arena_calloc(a, n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        bool taken;
        int rc = code_taken(app, org_id, pick[i]->code, &taken, e);
        if (rc == 0 && taken) {
            r->skipped[r->n_skipped++] = pick[i]->code;
            continue;
        }
        struct app_control in;
        from_library(a, pick[i], lang, owner, status, &in);
        if (rc == 0)
            rc = create_change(app, a, org_id, &in, "control.adopt", e);
        if (rc)
            return err_wrap(e, "adopting '%s'", pick[i]->code);
        r->adopted[r->n_adopted++] = pick[i]->code;
    }
    return 0;
}

int app_control_adopt(struct app *app, struct arena *a, const char *org_id, const char **codes,
                      size_t n, const char *owner, const char *status, struct app_adopt_result *r,
                      struct err *e)
{
    const struct dom_library *lib;
    const struct dom_lib_control **pick;
    const char *owner_id = NULL;
    struct app_org org;
    size_t n_pick;
    memset(r, 0, sizeof(*r));
    int rc = app_library(app, &lib, e);
    if (rc == 0 && status)
        rc = dom_enum_check(dom_statuses, status, "status", e);
    if (rc == 0)
        rc = resolve_owner(app, a, org_id, owner, &owner_id, e);
    if (rc == 0)
        rc = pick_library(a, lib, codes, n, &pick, &n_pick, e);
    if (rc == 0)
        rc = app_org_get_by_id(app, a, org_id, &org, e);
    if (rc == 0)
        rc = store_begin(app->store, e);
    if (rc)
        return rc;
    rc = adopt_each(app, a, org_id, org.language, pick, n_pick, owner, status, r, e);
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        memset(r, 0, sizeof(*r));
    }
    return rc;
}
