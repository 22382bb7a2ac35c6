/* store_sqlite.c - the SQLite backend.
 *
 * Opened with WAL, foreign keys on, synchronous=NORMAL and a busy timeout,
 * so that a CLI command and a running server can share one file.  Write
 * transactions start with BEGIN IMMEDIATE: taking the write lock up front
 * means a transaction never fails half-way on SQLITE_BUSY when it first
 * writes, and it serialises audit-log appends (the chain head is read under
 * the lock).
 *
 * Statements are cached per connection (docs/internals/cache.md): a
 * prepare of SQL text this connection has prepared before takes the
 * statement it kept (prepared with SQLITE_PREPARE_PERSISTENT) instead of
 * compiling the text again, and a finalize resets it and gives it back.
 * The cache holds SQ_CACHE_MAX statements, the least recently used one
 * making room for a new text; a statement of the same text that is still
 * in use (a caller stepping it while it prepares the same SQL again) is
 * prepared uncached.  Closing the connection finalizes them all.
 *
 * A read scope (store_read_begin) is a deferred BEGIN: the reads of a
 * request then take the database's shared lock and a WAL read mark once,
 * not once per statement (each is a pair of fcntl() calls, which were a
 * sixth of a cached dashboard request).  Before anything that may write
 * (an exec, BEGIN IMMEDIATE, a statement that is not read-only) the scope
 * is committed, so the write starts as it would have without it: never
 * from an old snapshot, which in WAL mode could not be upgraded.
 */
#include "store/store_impl.h"

#include "base/mem.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SQ_CACHE_MAX 96 /* statements kept per connection: a dashboard uses ~40 */

/* A kept statement: its SQL text, and whether a caller holds it now. */
struct sq_cached {
    char *sql; /* xmalloc'd; NULL for an empty slot */
    uint64_t hash;
    sqlite3_stmt *st;
    uint64_t last_used; /* the connection's use counter when last taken */
    bool in_use;
};

struct sq_store {
    struct store base;
    sqlite3 *db;
    struct sq_cached cache[SQ_CACHE_MAX];
    uint64_t uses;
    bool read_scope;                          /* a deferred BEGIN of store_read_begin is open */
    sqlite3_stmt *scope_begin, *scope_commit; /* prepared on first use */
};

struct sq_stmt {
    struct store_stmt base;
    sqlite3_stmt *st;
    struct sq_cached *slot; /* the cache slot it came from, NULL when uncached */
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

static void sq_read_end(struct store *s);

static void cache_clear(struct sq_store *s)
{
    for (size_t i = 0; i < SQ_CACHE_MAX; i++) {
        struct sq_cached *c = &s->cache[i];
        sqlite3_finalize(c->st);
        free(c->sql);
        memset(c, 0, sizeof(*c));
    }
}

static void sq_close(struct store *s)
{
    struct sq_store *q = (struct sq_store *)s;
    sq_read_end(s);
    cache_clear(q);
    sqlite3_finalize(q->scope_begin);
    sqlite3_finalize(q->scope_commit);
    sqlite3_close_v2(db_of(s));
    free(s);
}

/* Steps the statement kept in *st for sql (prepared the first time). */
static int run_kept(sqlite3 *db, sqlite3_stmt **st, const char *sql)
{
    if (!*st && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    int rc = sqlite3_step(*st);
    sqlite3_reset(*st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void sq_read_end(struct store *s)
{
    struct sq_store *q = (struct sq_store *)s;
    if (!q->read_scope)
        return;
    q->read_scope = false;
    /* COMMIT, not ROLLBACK: a read still being stepped goes on (SQLite lets
     * a transaction without writes commit under a pending read). */
    if (run_kept(q->db, &q->scope_commit, "COMMIT") != SQLITE_OK && !sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

static void sq_read_begin(struct store *s)
{
    struct sq_store *q = (struct sq_store *)s;
    if (!q->read_scope && sqlite3_get_autocommit(q->db))
        q->read_scope = run_kept(q->db, &q->scope_begin, "BEGIN DEFERRED") == SQLITE_OK;
}

static int sq_exec(struct store *s, const char *sql, struct err *e)
{
    sq_read_end(s); /* BEGIN IMMEDIATE, pragmas, DDL: never inside a read scope */
    int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(s, rc, e, "database error");
    return 0;
}

/* A hash to tell texts apart before strcmp() confirms: the length and the
 * first and last 48 bytes (FNV-1a).  Hashing every byte of every text
 * cost more than the lookup it served. */
static uint64_t sql_hash(const char *sql)
{
    size_t n = strlen(sql), head = n < 48 ? n : 48, tail = n - head < 48 ? n - head : 48;
    uint64_t h = 0xcbf29ce484222325u ^ n;
    const unsigned char *p = (const unsigned char *)sql;
    for (size_t i = 0; i < head; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    for (size_t i = n - tail; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

/* The kept statement of sql, or NULL; *in_use says it exists but is taken. */
static struct sq_cached *cache_find(struct sq_store *s, const char *sql, uint64_t hash,
                                    bool *in_use)
{
    *in_use = false;
    for (size_t i = 0; i < SQ_CACHE_MAX; i++) {
        struct sq_cached *c = &s->cache[i];
        if (c->sql && c->hash == hash && strcmp(c->sql, sql) == 0) {
            if (!c->in_use)
                return c;
            *in_use = true;
        }
    }
    return NULL;
}

/* An empty slot, else the least recently used free one (its statement
 * finalized), else NULL when every slot is in use. */
static struct sq_cached *cache_victim(struct sq_store *s)
{
    struct sq_cached *best = NULL;
    for (size_t i = 0; i < SQ_CACHE_MAX; i++) {
        struct sq_cached *c = &s->cache[i];
        if (!c->sql)
            return c;
        if (!c->in_use && (!best || c->last_used < best->last_used))
            best = c;
    }
    if (best) {
        sqlite3_finalize(best->st);
        free(best->sql);
        memset(best, 0, sizeof(*best));
    }
    return best;
}

static int sq_prepare(struct store *s, const char *sql, struct store_stmt **out, struct err *e)
{
    struct sq_store *q = (struct sq_store *)s;
    uint64_t hash = sql_hash(sql);
    bool taken;
    struct sq_cached *slot = cache_find(q, sql, hash, &taken);
    sqlite3_stmt *st = slot ? slot->st : NULL;
    if (!slot) {
        slot = taken ? NULL : cache_victim(q);
        int rc =
            sqlite3_prepare_v3(q->db, sql, -1, slot ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
        if (rc != SQLITE_OK)
            return sq_fail(s, rc, e, "cannot prepare statement");
        if (slot && st) {
            slot->sql = xstrdup(sql);
            slot->hash = hash;
            slot->st = st;
        } else {
            slot = NULL; /* only whitespace or a comment: nothing to keep */
        }
    }
    if (slot) {
        slot->in_use = true;
        slot->last_used = ++q->uses;
    }
    struct sq_stmt *w = xmalloc(sizeof(*w));
    w->base.store = s;
    w->st = st;
    w->slot = slot;
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
    if (((struct sq_store *)st->store)->read_scope && !sqlite3_stmt_readonly(st_of(st)))
        sq_read_end(st->store);
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

/* A kept statement goes back reset and unbound, as a new one would be. */
static void sq_finalize(struct store_stmt *st)
{
    struct sq_stmt *w = (struct sq_stmt *)st;
    if (w->slot) {
        sqlite3_reset(w->st);
        sqlite3_clear_bindings(w->st);
        w->slot->in_use = false;
    } else {
        sqlite3_finalize(w->st);
    }
    free(w);
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
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
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

/* SQLite counts every allocation under one process-wide mutex unless told
 * not to (SQLITE_CONFIG_MEMSTATUS): with a server's connections on several
 * threads that mutex was contended on every statement.  Tillit never asks
 * SQLite for its memory statistics.  The setting must come before SQLite
 * initializes, so it is made once, before the first connection; should
 * something have initialized SQLite earlier, it is refused and harmless. */
static pthread_once_t sqlite_setup_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store__sqlite_open(const char *path, int flags, struct store **out, struct err *e)
{
    pthread_once(&sqlite_setup_once, sqlite_setup);
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
