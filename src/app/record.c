/* record.c - audited changes, row snapshots, lookups by natural key and
 * optional text fields. */
#include "app/record.h"

#include "app/audit.h"
#include "base/crypto.h"
#include "base/js.h"

#include <stdio.h>
#include <string.h>

char *app_new_id(struct arena *a)
{
    char id[ID_BUF];
    crypto_new_id(id);
    return arena_strdup(a, id);
}

json_t *app_row_object(struct store_stmt *st)
{
    json_t *o = json_object();
    for (int i = 0; i < store_col_count(st); i++) {
        const char *name = store_col_name(st, i);
        if (store_col_is_null(st, i))
            json_object_set_new(o, name, json_null());
        else
            js_set_str(o, name, store_col_text(st, i));
    }
    return o;
}

char *app_json_dump(struct arena *a, json_t *o)
{
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    json_decref(o);
    return s;
}

int app_row_json(struct app *app, struct arena *a, const char *table, const char *id,
                 const char **out, struct err *e)
{
    /* table is always a constant from our code, never user input. */
    char *sql = arena_printf(a, "SELECT * FROM %s WHERE id = ?", table);
    struct store_stmt *st;
    *out = NULL;
    int rc = store_preparef(app->store, e, &st, sql, "t", id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *out = app_json_dump(a, app_row_object(st));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_change_begin(struct app *app, struct arena *a, struct app_change *c, struct err *e)
{
    int rc = c->org_id ? store_set_tenant(app->store, c->org_id, e) : 0;
    if (rc == 0)
        rc = store_begin(app->store, e);
    if (rc)
        return rc;
    c->before = NULL;
    if (c->table && c->id)
        rc = app_row_json(app, a, c->table, c->id, &c->before, e);
    if (rc)
        store_rollback(app->store);
    return rc;
}

int app_change_commit(struct app *app, struct arena *a, struct app_change *c, struct err *e)
{
    int rc = 0;
    if (!c->after && c->table && c->id)
        rc = app_row_json(app, a, c->table, c->id, &c->after, e);
    if (rc == 0)
        rc = audit_append(app, c->org_id, c->action, c->object_type,
                          c->object_key ? c->object_key : (c->id ? c->id : ""), c->before,
                          c->after, e);
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc)
        store_rollback(app->store);
    return rc;
}

int app_lock_record(struct app *app, const char *org_id, const char *object_type, const char *key,
                    struct err *e)
{
    char lock[256];
    snprintf(lock, sizeof(lock), "%s:%s:%s", object_type, org_id ? org_id : "", key);
    return store_lock_key(app->store, lock, e);
}

int app_check_version(struct app *app, struct arena *a, const char *org_id, const char *object_type,
                      const char *key, int64_t current, int64_t expected, struct err *e)
{
    if (expected == 0 || expected == current)
        return 0;
    const char *who = "someone", *when = "an unknown time";
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT actor, at FROM audit_log WHERE chain = ? AND object_type = ? "
                            "AND object_id = ? ORDER BY seq DESC LIMIT 1",
                            "ttt", org_id ? org_id : "", object_type, key);
    if (rc)
        return rc;
    if (store_step(st, e) == TL_ROW) {
        who = arena_strdup(a, store_col_text(st, 0));
        when = arena_strdup(a, store_col_text(st, 1));
    }
    store_finalize(st);
    return ERR_SET(e, TL_ECONFLICT,
                   "%s '%s' was changed by %s at %s (version %lld, not %lld): look at it again "
                   "and redo the edit",
                   object_type, key, who, when, (long long)current, (long long)expected);
}

void app_change_abort(struct app *app)
{
    store_rollback(app->store);
}

int app_change_end(struct app *app, struct arena *a, struct app_change *c, int rc, struct err *e)
{
    if (rc == 0)
        return app_change_commit(app, a, c, e);
    app_change_abort(app);
    return rc;
}

int app_change_delete(struct app *app, struct arena *a, struct app_change *c, struct err *e)
{
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    /* c->table is always a constant from our code, never user input. */
    rc = store_run(app->store, e,
                   arena_printf(a, "DELETE FROM %s WHERE id = ? AND org_id = ?", c->table), "tt",
                   c->id, c->org_id);
    return app_change_end(app, a, c, rc, e);
}

int app_id_by_key(struct app *app, struct arena *a, const char *table, const char *key_col,
                  const char *org_id, const char *key, const char **id, struct err *e)
{
    /* table and key_col are always constants from our code, never user input. */
    char *sql = arena_printf(a, "SELECT id FROM %s WHERE org_id = ? AND %s = ?", table, key_col);
    struct store_stmt *st;
    *id = NULL;
    int rc = store_preparef(app->store, e, &st, sql, "tt", org_id, key);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *id = arena_strdup(a, store_col_text(st, 0));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

void app_strs_push(struct arena *a, const char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 8;
        const char **grown = arena_calloc(a, grown_cap + 1, sizeof(char *));
        if (*n)
            memcpy(grown, *arr, *n * sizeof(char *));
        *arr = grown;
        *cap = grown_cap;
    }
    (*arr)[(*n)++] = arena_strdup(a, s);
}

char *app_strs_join(struct arena *a, const char *const *items, size_t n, const char *sep)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s", i ? sep : "", items[i]);
    char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return s;
}

int app_person_id(struct app *app, struct arena *a, const char *org_id, const char *email,
                  const char **id, struct err *e)
{
    *id = NULL;
    if (app_text_is_empty(email))
        return 0;
    int rc = app_id_by_key(app, a, "person", "email", org_id, email, id, e);
    if (rc == 0 && !*id)
        return ERR_SET(e, TL_ENOTFOUND,
                       "no person with email '%s' (add them with 'tillit person add')", email);
    return rc;
}

bool app_text_is_empty(const char *s)
{
    return !s || !*s;
}

const char *app_text_or_empty(const char *s)
{
    return s ? s : "";
}

const char *app_text_or_null(const char *s)
{
    return app_text_is_empty(s) ? NULL : s;
}

const char *app_text_patched(const char *patch, const char *cur)
{
    return patch ? patch : cur;
}
