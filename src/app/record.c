/* record.c - audited changes and row snapshots. */
#include "app/record.h"

#include "app/audit.h"
#include "base/crypto.h"
#include "base/js.h"

#include <string.h>

char *app_new_id(struct arena *a)
{
    char id[ID_BUF];
    crypto_new_id(id);
    return arena_strdup(a, id);
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
    if (rc == TL_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < store_col_count(st); i++) {
            const char *name = store_col_name(st, i);
            if (store_col_is_null(st, i))
                json_object_set_new(o, name, json_null());
            else
                js_set_str(o, name, store_col_text(st, i));
        }
        struct sb sb = SB_INIT;
        js_dump(&sb, o, 0);
        *out = arena_strdup(a, sb.buf);
        sb_release(&sb);
        json_decref(o);
        rc = 0;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_change_begin(struct app *app, struct arena *a, struct app_change *c, struct err *e)
{
    int rc = store_begin(app->store, e);
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

void app_change_abort(struct app *app)
{
    store_rollback(app->store);
}

int app_person_id(struct app *app, struct arena *a, const char *org_id, const char *email,
                  const char **id, struct err *e)
{
    *id = NULL;
    if (!email || !*email)
        return 0;
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT id FROM person WHERE org_id = ? AND email = ?", "tt", org_id,
                            email);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *id = arena_strdup(a, store_col_text(st, 0));
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no person with email '%s' (add them with 'tillit person add')",
                       email);
    return rc < 0 ? rc : 0;
}
