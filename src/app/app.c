/* app.c - opening the database and loading the catalog. */
#include "app/app.h"

#include "app/audit.h"
#include "base/embed.h"
#include "store/migrate.h"

#include <stdio.h>
#include <string.h>

void app_init(struct app *app)
{
    memset(app, 0, sizeof(*app));
    snprintf(app->actor, sizeof(app->actor), "system");
}

void app_release(struct app *app)
{
    store_close(app->store);
    app->store = NULL;
    arena_release(&app->arena);
    app->catalog_loaded = false;
    app->library = NULL;
}

int app_open_db(struct app *app, const char *url, bool readonly, struct err *e)
{
    struct store *s;
    int rc = store_open(url, readonly ? STORE_READONLY : 0, &s, e);
    if (rc)
        return rc;
    rc = migrate_check(s, store_migrations, e);
    if (rc) {
        store_close(s);
        return rc;
    }
    app->store = s;
    return 0;
}

int app_create_db(struct app *app, const char *url, int *from, int *to, struct err *e)
{
    struct store *s;
    int rc = store_open(url, STORE_CREATE, &s, e);
    if (rc)
        return rc;
    app->store = s;
    /* Migrations and the first audit entry commit together: a new
     * installation never exists without its first entry. */
    rc = store_begin(s, e);
    if (rc)
        return rc;
    rc = migrate_up(s, store_migrations, from, to, e);
    if (rc == 0 && *from == 0) {
        char detail[128];
        snprintf(detail, sizeof(detail), "{\"schema_version\":%d}", *to);
        rc = audit_append(app, NULL, "init", "installation", store_name(s), NULL, detail, e);
    } else if (rc == 0 && *from < *to) {
        char detail[128];
        snprintf(detail, sizeof(detail), "{\"schema_version\":%d}", *to);
        char before[128];
        snprintf(before, sizeof(before), "{\"schema_version\":%d}", *from);
        rc = audit_append(app, NULL, "migrate", "installation", store_name(s), before, detail, e);
    }
    if (rc == 0)
        rc = store_commit(s, e);
    if (rc)
        store_rollback(s);
    return rc;
}

struct catalog_load {
    struct app *app;
    struct err *e;
};

static int load_criteria_file(void *ud, const char *path)
{
    struct catalog_load *cl = ud;
    const char *data;
    size_t len;
    int rc = app_content_read(cl->app, path, &data, &len, cl->e);
    if (rc == 0)
        rc = dom_catalog_add_criteria(&cl->app->catalog, &cl->app->arena, path, data, len, cl->e);
    return rc;
}

typedef int (*catalog_part_fn)(struct dom_catalog *, struct arena *, const char *, const char *,
                               size_t, struct err *);

static int load_part(struct app *app, const char *path, catalog_part_fn fn, struct err *e)
{
    const char *data;
    size_t len;
    int rc = app_content_read(app, path, &data, &len, e);
    if (rc == 0)
        rc = fn(&app->catalog, &app->arena, path, data, len, e);
    return rc;
}

int app_catalog(struct app *app, const struct dom_catalog **out, struct err *e)
{
    if (!app->catalog_loaded) {
        struct catalog_load cl = {app, e};
        memset(&app->catalog, 0, sizeof(app->catalog));
        int rc = load_part(app, "frameworks/tsc-2017/framework.yaml", dom_catalog_add_framework, e);
        if (rc == 0)
            rc = app_content_each(app, "frameworks/tsc-2017/criteria-", load_criteria_file, &cl);
        if (rc == 0)
            rc = load_part(app, "frameworks/coso-2013.yaml", dom_catalog_add_coso, e);
        if (rc == 0)
            rc = dom_catalog_finish(&app->catalog, e);
        if (rc)
            return err_wrap(e, "loading the criteria catalog");
        app->catalog_loaded = true;
    }
    *out = &app->catalog;
    return 0;
}
