/* backup.c - backup, restore and migrate --to (see backup.h).
 *
 * Every copy is one walk over tables in foreign-key order (store_tables)
 * feeding a sink that inserts into the target.  Rows that refer to rows of
 * their own table (a person's manager, superseded evidence) are inserted
 * with that column NULL and given it once the whole table is in, so the
 * order of rows within a table never matters; evidence's trigger allows
 * exactly that update (superseded_by from NULL to a value).
 */
#include "app/backup.h"

#include "app/audit.h"
#include "app/evidence.h"
#include "base/js.h"
#include "store/migrate.h"
#include "vault/vault.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DUMP_FORMAT 1

/* --- the sink: rows into the target --------------------------------------- */

struct pending {
    const char *id, *value;
    size_t col;
};

struct sink {
    struct store *to;
    struct arena *a;
    const struct store_table *tables; /* the target's */
    size_t n_tables;
    const char *table;
    const char **cols;
    size_t n_cols;
    bool *deferred; /* per column: a reference to the same table */
    size_t id_col;
    struct store_stmt *ins;
    struct pending *pend;
    size_t n_pend, cap_pend;
    int64_t rows;
    struct app_copy_stats *st;
};

/* Names come from a dump file too: only plain lowercase identifiers pass,
 * so that quoting them is enough. */
static bool plain_name(const char *s)
{
    if (!s || !*s || strlen(s) > 63)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (p > s && *p >= '0' && *p <= '9')))
            return false;
    return true;
}

static const struct store_table *find_table(const struct sink *k, const char *name)
{
    for (size_t i = 0; i < k->n_tables; i++)
        if (strcmp(k->tables[i].name, name) == 0)
            return &k->tables[i];
    return NULL;
}

static int sink_begin(struct sink *k, const char *table, const char **cols, size_t n, struct err *e)
{
    const struct store_table *t = find_table(k, table);
    if (!plain_name(table) || !t)
        return ERR_SET(e, TL_EINPUT, "no table '%s' in the target database", table);
    struct sb sql = SB_INIT;
    sb_addf(&sql, "INSERT INTO \"%s\" (", table);
    k->deferred = arena_calloc(k->a, n + 1, sizeof(*k->deferred));
    k->id_col = n;
    for (size_t i = 0; i < n; i++) {
        if (!plain_name(cols[i])) {
            sb_release(&sql);
            return ERR_SET(e, TL_EINPUT, "bad column name in table '%s'", table);
        }
        sb_addf(&sql, "%s\"%s\"", i ? ", " : "", cols[i]);
        if (strcmp(cols[i], "id") == 0)
            k->id_col = i;
        for (size_t r = 0; r < t->n_self_refs; r++)
            if (strcmp(t->self_refs[r], cols[i]) == 0)
                k->deferred[i] = true;
    }
    for (size_t i = 0; i < n; i++)
        if (k->deferred[i] && k->id_col == n) {
            sb_release(&sql);
            return ERR_SET(e, TL_EUNSUPPORTED, "table '%s' refers to itself without an id column",
                           table);
        }
    sb_adds(&sql, ") VALUES (");
    for (size_t i = 0; i < n; i++)
        sb_adds(&sql, i ? ", ?" : "?");
    sb_adds(&sql, ")");
    int rc = store_prepare(k->to, sql.buf, &k->ins, e);
    sb_release(&sql);
    if (rc)
        return rc;
    k->table = arena_strdup(k->a, table);
    k->cols = cols;
    k->n_cols = n;
    k->n_pend = 0;
    k->rows = 0;
    return 0;
}

static void defer(struct sink *k, const char *id, size_t col, const char *value)
{
    if (k->n_pend == k->cap_pend) {
        size_t cap = k->cap_pend ? k->cap_pend * 2 : 64;
        struct pending *p = arena_calloc(k->a, cap, sizeof(*p));
        if (k->n_pend)
            memcpy(p, k->pend, k->n_pend * sizeof(*p));
        k->pend = p;
        k->cap_pend = cap;
    }
    k->pend[k->n_pend++] = (struct pending){arena_strdup(k->a, id), arena_strdup(k->a, value), col};
}

/* vals[i] NULL = SQL NULL. */
static int sink_row(struct sink *k, const char *const *vals, struct err *e)
{
    store_reset(k->ins);
    for (size_t i = 0; i < k->n_cols; i++) {
        if (k->deferred[i] && vals[i]) {
            defer(k, vals[k->id_col], i, vals[i]);
            store_bind_null(k->ins, (int)i + 1);
        } else {
            store_bind_text(k->ins, (int)i + 1, vals[i]);
        }
    }
    int rc = store_step(k->ins, e);
    if (rc < 0)
        return err_wrap(e, "copying table '%s'", k->table);
    k->rows++;
    return 0;
}

static int sink_end(struct sink *k, struct err *e)
{
    store_finalize(k->ins);
    k->ins = NULL;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < k->n_pend; i++) {
        char sql[200];
        snprintf(sql, sizeof(sql), "UPDATE \"%s\" SET \"%s\" = ? WHERE id = ?", k->table,
                 k->cols[k->pend[i].col]);
        rc = store_run(k->to, e, sql, "tt", k->pend[i].value, k->pend[i].id);
    }
    if (rc)
        return err_wrap(e, "copying table '%s'", k->table);
    if (k->rows) {
        k->st->tables++;
        k->st->rows += k->rows;
    }
    return 0;
}

/* --- sources --------------------------------------------------------------- */

/* Every table of from except schema_migrations (the target has its own),
 * each as SELECT *. */
static int copy_store(struct store *from, struct sink *k, struct err *e)
{
    struct store_table *t;
    size_t n;
    int rc = store_tables(from, k->a, &t, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (strcmp(t[i].name, "schema_migrations") == 0 || !plain_name(t[i].name))
            continue;
        struct store_stmt *st;
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", t[i].name);
        rc = store_prepare(from, sql, &st, e);
        if (rc)
            break;
        rc = store_step(st, e);
        if (rc == TL_ROW) {
            int nc = store_col_count(st);
            const char **cols = arena_calloc(k->a, (size_t)nc + 1, sizeof(*cols));
            const char **vals = arena_calloc(k->a, (size_t)nc + 1, sizeof(*vals));
            for (int c = 0; c < nc; c++)
                cols[c] = arena_strdup(k->a, store_col_name(st, c));
            rc = sink_begin(k, t[i].name, cols, (size_t)nc, e);
            while (rc == 0) {
                for (int c = 0; c < nc; c++)
                    vals[c] = store_col_text(st, c);
                rc = sink_row(k, vals, e);
                if (rc == 0)
                    rc = store_step(st, e);
                if (rc == TL_DONE)
                    rc = sink_end(k, e);
                else if (rc == TL_ROW)
                    rc = 0;
                else
                    break;
                if (!k->ins)
                    break;
            }
            if (k->ins) {
                store_finalize(k->ins);
                k->ins = NULL;
            }
        } else if (rc == TL_DONE) {
            rc = 0;
        }
        store_finalize(st);
    }
    return rc;
}

/* --- the dump format -------------------------------------------------------- */

static int write_json(FILE *f, json_t *v, const char *path, struct err *e)
{
    struct sb sb = SB_INIT;
    js_dump(&sb, v, 0);
    json_decref(v);
    sb_addc(&sb, '\n');
    size_t n = fwrite(sb.buf, 1, sb.len, f);
    bool ok = n == sb.len;
    sb_release(&sb);
    return ok ? 0 : ERR_SET(e, TL_EIO, "cannot write '%s': %s", path, strerror(errno));
}

static int dump_table(struct store *s, const char *table, FILE *f, const char *path,
                      struct app_copy_stats *st, struct err *e)
{
    struct store_stmt *q;
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
    int rc = store_prepare(s, sql, &q, e);
    if (rc)
        return rc;
    rc = store_step(q, e);
    int nc = rc == TL_ROW ? store_col_count(q) : 0;
    int64_t rows = 0;
    if (rc == TL_ROW) {
        json_t *head = json_object();
        json_t *cols = json_array();
        for (int c = 0; c < nc; c++)
            json_array_append_new(cols, json_string(store_col_name(q, c)));
        js_set_str(head, "table", table);
        json_object_set_new(head, "columns", cols);
        int w = write_json(f, head, path, e);
        if (w)
            rc = w;
    }
    while (rc == TL_ROW) {
        json_t *row = json_array();
        for (int c = 0; c < nc; c++) {
            const char *v = store_col_text(q, c);
            json_array_append_new(row, v ? json_string(v) : json_null());
        }
        int w = write_json(f, row, path, e);
        if (w) {
            rc = w;
            break;
        }
        rows++;
        rc = store_step(q, e);
    }
    store_finalize(q);
    if (rc < 0)
        return rc;
    if (rows) {
        st->tables++;
        st->rows += rows;
    }
    return 0;
}

static int write_dump(struct app *app, struct arena *a, const char *path, struct app_copy_stats *st,
                      struct err *e)
{
    int version;
    int rc = migrate_current(app->store, &version, e);
    if (rc)
        return rc;
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp-backup", path);
    FILE *f = fopen(tmp, "wbx");
    if (!f)
        return ERR_SET(e, TL_EIO, "cannot create '%s': %s", tmp, strerror(errno));
    char at[TIME_BUF];
    time_format(app->now, at);
    json_t *head = json_object();
    js_set_str(head, "tillit", "dump");
    json_object_set_new(head, "format", json_integer(DUMP_FORMAT));
    json_object_set_new(head, "schema_version", json_integer(version));
    js_set_str(head, "backend", store_backend(app->store));
    js_set_str(head, "created_at", at);
    rc = write_json(f, head, tmp, e);
    struct store_table *t;
    size_t n = 0;
    if (rc == 0)
        rc = store_tables(app->store, a, &t, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (strcmp(t[i].name, "schema_migrations") != 0)
            rc = dump_table(app->store, t[i].name, f, tmp, st, e);
    if (rc == 0) {
        json_t *end = json_object();
        json_object_set_new(end, "end", json_true());
        json_object_set_new(end, "rows", json_integer(st->rows));
        rc = write_json(f, end, tmp, e);
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = rc ? rc : ERR_SET(e, TL_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (fclose(f) != 0)
        rc = rc ? rc : ERR_SET(e, TL_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (rc == 0 && rename(tmp, path) != 0)
        rc = ERR_SET(e, TL_EIO, "cannot write '%s': %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

struct reader {
    FILE *f;
    const char *path;
    char *line;
    size_t cap;
    int64_t lineno;
};

/* The next line as JSON; *out NULL at the end of the file. */
static int next_json(struct reader *r, json_t **out, struct err *e)
{
    *out = NULL;
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0)
        return errno ? ERR_SET(e, TL_EIO, "cannot read '%s': %s", r->path, strerror(errno)) : 0;
    r->lineno++;
    json_error_t je;
    *out = json_loadb(r->line, (size_t)n, 0, &je);
    if (!*out)
        return ERR_SET(e, TL_EINPUT, "'%s' line %lld: not a Tillit dump line: %s", r->path,
                       (long long)r->lineno, je.text);
    return 0;
}

static int load_table_head(struct sink *k, struct reader *r, json_t *head, struct err *e)
{
    const char *table = json_string_value(json_object_get(head, "table"));
    json_t *cols = json_object_get(head, "columns");
    size_t n = json_array_size(cols);
    if (!table || n == 0)
        return ERR_SET(e, TL_EINPUT, "'%s' line %lld: expected a table", r->path,
                       (long long)r->lineno);
    const char **names = arena_calloc(k->a, n + 1, sizeof(*names));
    for (size_t i = 0; i < n; i++) {
        const char *c = json_string_value(json_array_get(cols, i));
        names[i] = c ? arena_strdup(k->a, c) : "";
    }
    return sink_begin(k, table, names, n, e);
}

static int load_row(struct sink *k, struct reader *r, json_t *row, struct err *e)
{
    if (json_array_size(row) != k->n_cols)
        return ERR_SET(e, TL_EINPUT, "'%s' line %lld: expected %zu values", r->path,
                       (long long)r->lineno, k->n_cols);
    const char **vals = arena_calloc(k->a, k->n_cols + 1, sizeof(*vals));
    for (size_t i = 0; i < k->n_cols; i++) {
        json_t *v = json_array_get(row, i);
        if (!json_is_null(v) && !json_is_string(v))
            return ERR_SET(e, TL_EINPUT, "'%s' line %lld: values are strings or null", r->path,
                           (long long)r->lineno);
        vals[i] = json_string_value(v);
    }
    return sink_row(k, vals, e);
}

/* Loads the rows of a dump whose header has been read. */
static int load_dump(struct reader *r, struct sink *k, struct err *e)
{
    int rc = 0;
    bool ended = false;
    while (rc == 0 && !ended) {
        json_t *v;
        rc = next_json(r, &v, e);
        if (rc)
            break;
        if (!v) {
            rc = ERR_SET(e, TL_EINPUT, "'%s' ends early: the dump is incomplete", r->path);
            break;
        }
        if (json_is_array(v)) {
            rc = k->ins ? load_row(k, r, v, e)
                        : ERR_SET(e, TL_EINPUT, "'%s' line %lld: a row before its table", r->path,
                                  (long long)r->lineno);
        } else if (json_is_object(v)) {
            if (k->ins)
                rc = sink_end(k, e);
            ended = json_is_true(json_object_get(v, "end"));
            if (rc == 0 && !ended)
                rc = load_table_head(k, r, v, e);
        } else {
            rc = ERR_SET(e, TL_EINPUT, "'%s' line %lld: not a Tillit dump line", r->path,
                         (long long)r->lineno);
        }
        json_decref(v);
    }
    if (k->ins) {
        store_finalize(k->ins);
        k->ins = NULL;
    }
    return rc;
}

/* --- evidence blobs ---------------------------------------------------------- */

static bool same_dir(const char *x, const char *y)
{
    struct stat a, b;
    if (strcmp(x, y) == 0)
        return true;
    return stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Copies the blobs that rows of s's evidence table name from the vault in
 * src_dir to the one in dst_dir, rehashing each. */
static int copy_blobs(struct store *s, struct arena *a, const char *src_dir, const char *dst_dir,
                      struct app_copy_stats *st, struct err *e)
{
    if (same_dir(src_dir, dst_dir))
        return 0;
    bool has_table = false;
    int rc = store_table_exists(s, "evidence", &has_table, e);
    if (rc || !has_table)
        return rc;
    struct vault src, dst;
    vault_init(&src, src_dir, 0);
    vault_init(&dst, dst_dir, 0);
    struct store_stmt *q;
    rc = store_prepare(s, "SELECT DISTINCT sha256 FROM evidence ORDER BY sha256", &q, e);
    if (rc)
        return rc;
    while ((rc = store_step(q, e)) == TL_ROW) {
        const char *sha = store_col_text(q, 0);
        const char *from = vault_path(&src, a, sha);
        const char *to = vault_path(&dst, a, sha);
        if (!from || !to) {
            rc = ERR_SET(e, TL_EINPUT, "evidence names a bad hash '%s'", sha);
            break;
        }
        struct stat sb;
        if (stat(to, &sb) == 0)
            continue;
        if (stat(from, &sb) != 0) {
            rc = ERR_SET(e, TL_ENOTFOUND,
                         "evidence blob '%s' is missing from '%s' (see 'tillit evidence verify')",
                         sha, src_dir);
            break;
        }
        struct vault_blob b;
        rc = vault_stage(&dst, a, from, &b, e);
        if (rc)
            break;
        if (strcmp(b.sha256, sha) != 0) {
            vault_discard(&b);
            rc = ERR_SET(e, TL_ECHECK, "evidence blob '%s' in '%s' does not match its hash", sha,
                         src_dir);
            break;
        }
        rc = vault_publish(&dst, &b, e);
        if (rc)
            break;
        st->blobs++;
        st->vault = dst_dir;
    }
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

/* --- the three operations ------------------------------------------------------ */

/* The vault a database uses (TILLIT_VAULT or beside the file), or dir. */
static int vault_of(struct app *app, struct arena *a, const char *dir, const char **out,
                    struct err *e)
{
    if (dir) {
        *out = dir;
        return 0;
    }
    struct vault v;
    int rc = app_vault(app, a, &v, e);
    if (rc == 0)
        *out = v.dir;
    return rc;
}

static int must_see_all(struct store *s, struct err *e)
{
    bool all;
    int rc = store_sees_all(s, &all, e);
    if (rc == 0 && !all)
        rc = ERR_SET(e, TL_EPERM,
                     "row-level security hides rows from this role on '%s': connect as the "
                     "owner of Tillit's tables (docs/postgres.md)",
                     store_name(s));
    return rc;
}

int app_backup(struct app *app, struct arena *a, const char *path, struct app_copy_stats *st,
               struct err *e)
{
    memset(st, 0, sizeof(*st));
    struct stat sb;
    if (stat(path, &sb) == 0)
        return ERR_SET(e, TL_EEXIST, "'%s' already exists", path);
    int rc = must_see_all(app->store, e);
    if (rc)
        return rc;
    if (strcmp(store_backend(app->store), "sqlite") == 0) {
        rc = store_backup_file(app->store, path, e);
        if (rc == 0)
            rc = store_query_int(app->store, e, &st->rows, NULL, "SELECT count(*) FROM audit_log",
                                 "");
    } else {
        rc = write_dump(app, a, path, st, e);
    }
    const char *vault = NULL;
    bool evidence = false;
    if (rc == 0)
        rc = store_table_exists(app->store, "evidence", &evidence, e);
    int64_t n_evidence = 0;
    if (rc == 0 && evidence)
        rc = store_query_int(app->store, e, &n_evidence, NULL, "SELECT count(*) FROM evidence", "");
    if (rc == 0 && n_evidence > 0)
        rc = vault_of(app, a, NULL, &vault, e);
    if (rc == 0 && vault)
        rc = copy_blobs(app->store, a, vault, vault_dir_for_db(a, path), st, e);
    if (rc)
        unlink(path);
    return rc;
}

/* Opens url, which must hold no tables, and creates the schema there in a
 * transaction left open for the copy. */
static int open_target(struct app *tgt, const char *url, int version, struct err *e)
{
    int latest = migrate_latest(store_migrations);
    if (version != latest)
        return ERR_SET(e, TL_EVERSION,
                       "the source has schema version %d and this tillit %d: copy with the "
                       "tillit that matches it, then upgrade",
                       version, latest);
    int rc = store_open(url, STORE_CREATE, &tgt->store, e);
    if (rc)
        return rc;
    struct arena tmp = ARENA_INIT;
    struct store_table *t;
    size_t n = 0;
    rc = store_tables(tgt->store, &tmp, &t, &n, e);
    arena_release(&tmp);
    if (rc == 0 && n > 0)
        rc = ERR_SET(e, TL_EEXIST, "'%s' is not empty: copy into a new database",
                     store_name(tgt->store));
    int from, to;
    if (rc == 0)
        rc = store_begin(tgt->store, e);
    if (rc == 0) {
        rc = migrate_up(tgt->store, store_migrations, &from, &to, e);
        if (rc)
            store_rollback(tgt->store);
    }
    return rc;
}

/* Finishes a copy into tgt: the audit entry, the blobs, the commit. */
static int finish_target(struct app *tgt, struct arena *a, const char *action, const char *source,
                         const char *src_vault, const char *vault_dir, struct app_copy_stats *st,
                         struct err *e)
{
    json_t *o = json_object();
    js_set_str(o, "source", source);
    json_object_set_new(o, "rows", json_integer(st->rows));
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    json_decref(o);
    int rc =
        audit_append(tgt, NULL, action, "installation", store_name(tgt->store), NULL, sb.buf, e);
    sb_release(&sb);
    const char *dst_vault = NULL;
    bool any = false;
    if (rc == 0 && src_vault) {
        int64_t n = 0;
        rc = store_query_int(tgt->store, e, &n, NULL, "SELECT count(*) FROM evidence", "");
        any = n > 0;
    }
    if (rc == 0 && any)
        rc = vault_of(tgt, a, vault_dir, &dst_vault, e);
    if (rc == 0 && any)
        rc = copy_blobs(tgt->store, a, src_vault, dst_vault, st, e);
    if (rc == 0)
        rc = store_commit(tgt->store, e);
    if (rc)
        store_rollback(tgt->store);
    else
        st->target = arena_strdup(a, store_name(tgt->store));
    return rc;
}

static bool is_sqlite_file(const char *path)
{
    char head[16] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    return n == sizeof(head) && memcmp(head, "SQLite format 3", 16) == 0;
}

static int restore_sqlite(struct app *app, struct arena *a, const char *path, const char *url,
                          const char *vault_dir, struct app_copy_stats *st, struct err *e)
{
    struct store *from;
    int rc = store_open(path, STORE_READONLY, &from, e);
    int version = 0;
    if (rc == 0)
        rc = migrate_current(from, &version, e);
    if (rc == 0)
        rc = open_target(app, url, version, e);
    if (rc == 0) {
        struct sink k = {.to = app->store, .a = a, .st = st};
        struct store_table *t;
        rc = store_tables(app->store, a, &t, &k.n_tables, e);
        k.tables = t;
        if (rc == 0)
            rc = copy_store(from, &k, e);
        if (rc == 0)
            rc =
                finish_target(app, a, "restore", path, vault_dir_for_db(a, path), vault_dir, st, e);
        else
            store_rollback(app->store);
    }
    store_close(from);
    return rc;
}

static int restore_dump(struct app *app, struct arena *a, const char *path, const char *url,
                        const char *vault_dir, struct app_copy_stats *st, struct err *e)
{
    struct reader r = {.path = path};
    r.f = fopen(path, "rb");
    if (!r.f)
        return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
    json_t *head;
    int rc = next_json(&r, &head, e);
    int version = 0;
    if (rc == 0) {
        const char *magic = json_string_value(json_object_get(head, "tillit"));
        if (!magic || strcmp(magic, "dump") != 0 ||
            json_integer_value(json_object_get(head, "format")) != DUMP_FORMAT)
            rc = ERR_SET(e, TL_EINPUT, "'%s' is not a Tillit backup", path);
        version = (int)json_integer_value(json_object_get(head, "schema_version"));
        json_decref(head);
    }
    if (rc == 0)
        rc = open_target(app, url, version, e);
    if (rc == 0) {
        struct sink k = {.to = app->store, .a = a, .st = st};
        struct store_table *t;
        rc = store_tables(app->store, a, &t, &k.n_tables, e);
        k.tables = t;
        if (rc == 0)
            rc = load_dump(&r, &k, e);
        if (rc == 0)
            rc =
                finish_target(app, a, "restore", path, vault_dir_for_db(a, path), vault_dir, st, e);
        else
            store_rollback(app->store);
    }
    free(r.line);
    fclose(r.f);
    return rc;
}

int app_restore(struct app *app, struct arena *a, const char *path, const char *url,
                const char *vault_dir, struct app_copy_stats *st, struct err *e)
{
    memset(st, 0, sizeof(*st));
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ERR_SET(e, TL_ENOTFOUND, "no backup at '%s'", path);
    int rc = is_sqlite_file(path) ? restore_sqlite(app, a, path, url, vault_dir, st, e)
                                  : restore_dump(app, a, path, url, vault_dir, st, e);
    if (rc) {
        store_close(app->store);
        app->store = NULL;
    }
    return rc;
}

int app_migrate_to(struct app *app, struct arena *a, const char *url, const char *vault_dir,
                   struct app_copy_stats *st, struct err *e)
{
    memset(st, 0, sizeof(*st));
    int version = 0;
    int rc = must_see_all(app->store, e);
    if (rc == 0)
        rc = migrate_current(app->store, &version, e);
    int64_t n_evidence = 0;
    bool evidence = false;
    if (rc == 0)
        rc = store_table_exists(app->store, "evidence", &evidence, e);
    if (rc == 0 && evidence)
        rc = store_query_int(app->store, e, &n_evidence, NULL, "SELECT count(*) FROM evidence", "");
    const char *src_vault = NULL;
    if (rc == 0 && n_evidence > 0)
        rc = vault_of(app, a, NULL, &src_vault, e);
    if (rc)
        return rc;
    struct app tgt;
    app_init(&tgt);
    memcpy(tgt.actor, app->actor, sizeof(tgt.actor));
    tgt.now = app->now;
    rc = open_target(&tgt, url, version, e);
    if (rc == 0) {
        struct sink k = {.to = tgt.store, .a = a, .st = st};
        struct store_table *t;
        rc = store_tables(tgt.store, a, &t, &k.n_tables, e);
        k.tables = t;
        if (rc == 0)
            rc = copy_store(app->store, &k, e);
        if (rc == 0)
            rc = finish_target(&tgt, a, "migrate-to", store_name(app->store), src_vault, vault_dir,
                               st, e);
        else
            store_rollback(tgt.store);
    }
    app_release(&tgt);
    return rc;
}
