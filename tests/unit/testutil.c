/* testutil.c - temporary databases and app fixtures for the unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#include "base/crypto.h"

int tu_dbfile_make(struct tu_dbfile *f, const char *name)
{
    snprintf(f->dir, sizeof(f->dir), "/tmp/tillit-test-%s-XXXXXX", name);
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    return 0;
}

void tu_dbfile_remove(const struct tu_dbfile *f)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[160];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
}

int tu_app_open(struct tu_app *t, const char *name, const char *actor)
{
    if (crypto_init(NULL) != 0 || tu_dbfile_make(&t->db, name) != 0)
        return -1;
    app_init(&t->app);
    snprintf(t->app.actor, sizeof(t->app.actor), "%s", actor);
    if (time_parse(TU_NOW, &t->app.now, NULL) != 0)
        return -1;
    int from, to;
    struct err e = ERR_INIT;
    return app_create_db(&t->app, t->db.path, &from, &to, &e) == 0 ? 0 : -1;
}

void tu_app_close(struct tu_app *t)
{
    app_release(&t->app);
    arena_release(&t->a);
    tu_dbfile_remove(&t->db);
}

int tu_make_org(struct tu_app *t, const char *slug, struct app_org *out)
{
    struct err e = ERR_INIT;
    struct app_org in = {.slug = slug, .name = slug};
    return app_org_create(&t->app, &t->a, &in, out, &e);
}

int tu_setup_two_orgs(void **state, const char *name)
{
    struct tu_app *t = calloc(1, sizeof(*t));
    if (!t || tu_app_open(t, name, "test") != 0 || tu_make_org(t, "acme", &t->acme) != 0 ||
        tu_make_org(t, "beta", &t->beta) != 0)
        return -1;
    *state = t;
    return 0;
}

int tu_teardown(void **state)
{
    struct tu_app *t = *state;
    tu_app_close(t);
    free(t);
    return 0;
}

int64_t tu_query_int(struct store *s, const char *sql)
{
    int64_t n = -1;
    struct err e = ERR_INIT;
    if (store_query_int(s, &e, &n, NULL, sql, "") != 0)
        fail_msg("%s: %s", sql, e.msg);
    return n;
}

int64_t tu_audit_count(struct app *app)
{
    return tu_query_int(app->store, "SELECT count(*) FROM audit_log");
}
