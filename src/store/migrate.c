/* migrate.c - schema migrations. */
#include "store/migrate.h"

#include <stdlib.h>
#include <string.h>

static int version_of(const char *path)
{
    /* "0001_foundation.sql" -> 1; files that do not start with digits are skipped. */
    if (path[0] < '0' || path[0] > '9')
        return -1;
    return (int)strtol(path, NULL, 10);
}

static bool is_for_backend(const char *path, const char *backend)
{
    /* "NNNN_x.sql" is for every backend; "NNNN_x.pg.sql" only for postgres,
     * "NNNN_x.sqlite.sql" only for sqlite. */
    size_t n = strlen(path);
    if (n > 7 && strcmp(path + n - 7, ".pg.sql") == 0)
        return strcmp(backend, "postgres") == 0;
    if (n > 11 && strcmp(path + n - 11, ".sqlite.sql") == 0)
        return strcmp(backend, "sqlite") == 0;
    return n > 4 && strcmp(path + n - 4, ".sql") == 0;
}

int migrate_latest(const struct embed_file *migrations)
{
    int latest = 0;
    for (const struct embed_file *f = migrations; f->path; f++) {
        int v = version_of(f->path);
        if (v > latest)
            latest = v;
    }
    return latest;
}

int migrate_current(struct store *s, int *version, struct err *e)
{
    bool exists = false;
    int rc = store_table_exists(s, "schema_migrations", &exists, e);
    if (rc)
        return rc;
    if (!exists) {
        *version = 0;
        return 0;
    }
    int64_t v = 0;
    rc = store_query_int(s, e, &v, NULL, "SELECT coalesce(max(version), 0) FROM schema_migrations",
                         "");
    *version = (int)v;
    return rc;
}

/* No schema_migrations: an empty database (what PostgreSQL has before
 * 'tillit init', like a missing SQLite file) or someone else's. */
static int no_schema(struct store *s, struct err *e)
{
    struct arena a = ARENA_INIT;
    struct store_table *t;
    size_t n = 0;
    int rc = store_tables(s, &a, &t, &n, e);
    arena_release(&a);
    if (rc)
        return rc;
    if (n == 0)
        return ERR_SET(e, TL_ENOTFOUND, "no database at '%s' yet (run 'tillit init' to create one)",
                       store_name(s));
    return ERR_SET(e, TL_EVERSION, "'%s' is not a Tillit database (no schema): run 'tillit init'",
                   store_name(s));
}

int migrate_check(struct store *s, const struct embed_file *migrations, struct err *e)
{
    int current;
    int rc = migrate_current(s, &current, e);
    if (rc)
        return rc;
    int latest = migrate_latest(migrations);
    if (current > latest)
        return ERR_SET(e, TL_EVERSION,
                       "database '%s' has schema version %d, newer than this tillit supports "
                       "(%d): upgrade tillit",
                       store_name(s), current, latest);
    if (current == 0)
        return no_schema(s, e);
    if (current < latest)
        return ERR_SET(e, TL_EVERSION,
                       "database '%s' has schema version %d, older than this tillit (%d): run "
                       "'tillit init' to upgrade it",
                       store_name(s), current, latest);
    return 0;
}

/* Applies every file of one version that is meant for this backend, then
 * records the version once. */
static int apply_version(struct store *s, const struct embed_file *migrations, int version,
                         struct err *e)
{
    const char *name = NULL;
    for (const struct embed_file *f = migrations; f->path; f++) {
        if (version_of(f->path) != version || !is_for_backend(f->path, store_backend(s)))
            continue;
        if (store_exec(s, (const char *)f->data, e) != 0)
            return err_wrap(e, "migration '%s'", f->path);
        if (!name)
            name = f->path;
    }
    if (!name)
        return ERR_SET(e, TL_EINTERNAL, "migration %04d is missing", version);
    return store_run(s, e, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", "it",
                     (int64_t)version, name);
}

int migrate_up(struct store *s, const struct embed_file *migrations, int *from, int *to,
               struct err *e)
{
    int current = 0;
    int rc = store_begin(s, e);
    if (rc)
        return rc;
    /* Only when missing: a PostgreSQL role that may not create tables (the
     * one servers use, docs/postgres.md) is refused even CREATE ... IF NOT
     * EXISTS, and an up-to-date database needs nothing from it. */
    bool exists = false;
    rc = store_table_exists(s, "schema_migrations", &exists, e);
    if (rc == 0 && !exists)
        rc = store_exec(s,
                        "CREATE TABLE schema_migrations ("
                        " version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                        e);
    if (rc == 0)
        rc = migrate_current(s, &current, e);
    int latest = migrate_latest(migrations);
    if (rc == 0 && current > latest)
        rc = ERR_SET(e, TL_EVERSION,
                     "database '%s' has schema version %d, newer than this tillit supports (%d): "
                     "upgrade tillit",
                     store_name(s), current, latest);
    for (int v = current + 1; rc == 0 && v <= latest; v++)
        rc = apply_version(s, migrations, v, e);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    rc = store_commit(s, e);
    if (rc)
        store_rollback(s);
    if (rc == 0) {
        *from = current;
        *to = latest;
    }
    return rc;
}
