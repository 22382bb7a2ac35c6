/* store_sqlite.c - the SQLite backend.
 *
 * Opened with WAL, foreign keys on, synchronous=NORMAL and a busy timeout,
 * so that a CLI command and a running server can share one file.  Write
 * transactions start with BEGIN IMMEDIATE: taking the write lock up front
 * means a transaction never fails half-way on SQLITE_BUSY when it first
 * writes, and it serialises audit-log appends (the chain head is read under
 * the lock).
 */
#include "store/store_impl.h"

#include "base/mem.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sq_store {
    struct store base;
    sqlite3 *db;
};

struct sq_stmt {
    struct store_stmt base;
    sqlite3_stmt *st;
};

static sqlite3 *db_of(struct store *s)
{
    return ((struct sq_store *)s)->db;
}

static sqlite3_stmt *st_of(struct store_stmt *st)
{
    return ((struct sq_stmt *)st)->st;
}

static int map_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return TL_ECONFLICT;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return TL_ESTORE;
    default:
        return TL_ESTORE;
    }
}

static int sq_fail(struct store *s, int rc, struct err *e, const char *what)
{
    const char *msg = sqlite3_errmsg(db_of(s));
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        return ERR_SET(e, TL_ESTORE, "'%s' is not a valid Tillit database: %s", s->name, msg);
    return ERR_SET(e, map_code(rc), "%s: %s", what, msg);
}

static void sq_close(struct store *s)
{
    sqlite3_close_v2(db_of(s));
    free(s);
}

static int sq_exec(struct store *s, const char *sql, struct err *e)
{
    int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(s, rc, e, "database error");
    return 0;
}

static int sq_prepare(struct store *s, const char *sql, struct store_stmt **out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db_of(s), sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(s, rc, e, "cannot prepare statement");
    struct sq_stmt *w = xmalloc(sizeof(*w));
    w->base.store = s;
    w->st = st;
    *out = &w->base;
    return 0;
}

static void sq_bind_text(struct store_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st_of(st), i, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_int(struct store_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st_of(st), i, v);
}

static void sq_bind_double(struct store_stmt *st, int i, double v)
{
    sqlite3_bind_double(st_of(st), i, v);
}

static void sq_bind_null(struct store_stmt *st, int i)
{
    sqlite3_bind_null(st_of(st), i);
}

static void sq_bind_blob(struct store_stmt *st, int i, const void *data, size_t len)
{
    sqlite3_bind_blob64(st_of(st), i, data, len, SQLITE_TRANSIENT);
}

static int sq_step(struct store_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st_of(st));
    if (rc == SQLITE_ROW)
        return TL_ROW;
    if (rc == SQLITE_DONE)
        return TL_DONE;
    return sq_fail(st->store, rc, e, "database error");
}

static void sq_reset(struct store_stmt *st)
{
    sqlite3_reset(st_of(st));
    sqlite3_clear_bindings(st_of(st));
}

static void sq_finalize(struct store_stmt *st)
{
    sqlite3_finalize(st_of(st));
    free(st);
}

static int sq_col_count(struct store_stmt *st)
{
    return sqlite3_column_count(st_of(st));
}

static const char *sq_col_name(struct store_stmt *st, int col)
{
    return sqlite3_column_name(st_of(st), col);
}

static bool sq_col_is_null(struct store_stmt *st, int col)
{
    return sqlite3_column_type(st_of(st), col) == SQLITE_NULL;
}

static const char *sq_col_text(struct store_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st_of(st), col);
}

static int64_t sq_col_int(struct store_stmt *st, int col)
{
    return sqlite3_column_int64(st_of(st), col);
}

static double sq_col_double(struct store_stmt *st, int col)
{
    return sqlite3_column_double(st_of(st), col);
}

static const void *sq_col_blob(struct store_stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(st_of(st), col);
    *len = (size_t)sqlite3_column_bytes(st_of(st), col);
    return p;
}

static int64_t sq_changes(struct store *s)
{
    return sqlite3_changes64(db_of(s));
}

/* The online backup API copies every page within one read transaction
 * (step -1): with WAL, writers go on meanwhile and the copy is the database
 * as of one moment.  It goes to a temporary name first, so that path never
 * holds half a copy. */
static int sq_backup_file(struct store *s, const char *path, struct err *e)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return ERR_SET(e, TL_EEXIST, "'%s' already exists", path);
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp-backup", path);
    unlink(tmp);
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", db_of(s), "main") : NULL;
    if (b) {
        for (int tries = 0; tries < 100; tries++) {
            rc = sqlite3_backup_step(b, -1);
            if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
                break;
            sqlite3_sleep(50);
        }
        sqlite3_backup_finish(b);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    int fail = 0;
    if (rc != SQLITE_OK || !b)
        fail = ERR_SET(e, TL_EIO, "cannot write the backup '%s': %s", path,
                       dst ? sqlite3_errmsg(dst) : "out of memory");
    if (sqlite3_close(dst) != SQLITE_OK && !fail)
        fail = ERR_SET(e, TL_EIO, "cannot write the backup '%s'", path);
    if (!fail && rename(tmp, path) != 0)
        fail = ERR_SET(e, TL_EIO, "cannot write the backup '%s': %s", path, strerror(errno));
    if (fail)
        unlink(tmp);
    return fail;
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .col_is_null = sq_col_is_null,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_blob = sq_col_blob,
    .changes = sq_changes,
    .backup_file = sq_backup_file,
    .begin_sql = "BEGIN IMMEDIATE",
    .table_exists_sql = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
    .tables_sql = "SELECT name FROM sqlite_schema WHERE type = 'table' "
                  "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name",
    .fkeys_sql = "SELECT m.name, p.\"from\", p.\"table\" FROM sqlite_schema m "
                 "JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table' ORDER BY 1, 2",
};

/* Runs the connection pragmas; the first real read also tells us whether
 * the file is a database at all. */
static int configure(struct sq_store *s, int flags, struct err *e)
{
    /* Generous: SQLite's busy handler polls rather than queues, so with
     * several servers and CLI writers a waiter can be passed over a few
     * times before it gets the write lock. */
    sqlite3_busy_timeout(s->db, 30000);
    const char *pragmas = (flags & STORE_READONLY)
                              ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                "PRAGMA foreign_keys=ON;";
    int rc = sq_exec(&s->base, "SELECT count(*) FROM sqlite_schema", e);
    if (rc == 0)
        rc = sq_exec(&s->base, pragmas, e);
    return rc;
}

int store__sqlite_open(const char *path, int flags, struct store **out, struct err *e)
{
    struct stat sb;
    if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
        return ERR_SET(e, TL_ENOTFOUND, "no database at '%s' (run 'tillit init' to create one)",
                       path);
    struct sq_store *s = xcalloc(1, sizeof(*s));
    s->base.ops = &sqlite_ops;
    snprintf(s->base.name, sizeof(s->base.name), "%s", path);
    int oflags = SQLITE_OPEN_NOMUTEX;
    oflags |= (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        ERR_SET(e, TL_ESTORE, "cannot open database '%s': %s", path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(&s->base);
        return TL_ESTORE;
    }
    sqlite3_extended_result_codes(s->db, 1);
    rc = configure(s, flags, e);
    if (rc) {
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

#ifndef HAVE_POSTGRES
int store__pg_open(const char *url, int flags, struct store **out, struct err *e)
{
    (void)url;
    (void)flags;
    (void)out;
    return ERR_SET(e, TL_EUNSUPPORTED, "this tillit was built without PostgreSQL support");
}
#endif
