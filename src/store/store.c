/* store.c - backend dispatch, nested transactions and binding helpers. */
#include "store/store_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int store_open(const char *url, int flags, struct store **out, struct err *e)
{
    *out = NULL;
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return store__pg_open(url, flags, out, e);
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    if (!*url)
        return ERR_SET(e, TL_EUSAGE, "empty database path");
    return store__sqlite_open(url, flags, out, e);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    while (s->depth > 0)
        store_rollback(s);
    s->ops->close(s);
}

const char *store_backend(const struct store *s)
{
    return s->ops->name;
}

const char *store_name(const struct store *s)
{
    return s->name;
}

int store_begin(struct store *s, struct err *e)
{
    char sql[64];
    if (s->depth == 0)
        snprintf(sql, sizeof(sql), "%s", s->ops->begin_sql);
    else
        snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", s->depth);
    int rc = s->ops->exec(s, sql, e);
    if (rc)
        return rc;
    s->depth++;
    /* Again for every transaction, not only once per session: behind a pooler
     * that hands out connections per transaction only this one holds. */
    if (s->depth == 1 && s->tenant[0] && s->ops->set_tenant) {
        rc = s->ops->set_tenant(s, s->tenant, true, e);
        if (rc)
            store_rollback(s);
    }
    return rc;
}

/* A tenant set inside a transaction ended with it: set it for the session. */
static void tx_ended(struct store *s)
{
    if (s->depth == 0 && s->tenant_session) {
        s->tenant_session = false;
        s->ops->set_tenant(s, s->tenant, false, NULL);
    }
}

int store_commit(struct store *s, struct err *e)
{
    if (s->depth <= 0)
        return ERR_SET(e, TL_EINTERNAL, "commit without a transaction");
    char sql[64];
    if (s->depth == 1)
        snprintf(sql, sizeof(sql), "COMMIT");
    else
        snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT sp%d", s->depth - 1);
    int rc = s->ops->exec(s, sql, e);
    if (rc == 0) {
        s->depth--;
        tx_ended(s);
    }
    return rc;
}

void store_rollback(struct store *s)
{
    if (s->depth <= 0)
        return;
    char sql[96];
    if (s->depth == 1)
        snprintf(sql, sizeof(sql), "ROLLBACK");
    else
        snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d",
                 s->depth - 1, s->depth - 1);
    s->ops->exec(s, sql, NULL);
    s->depth--;
    tx_ended(s);
}

void store_read_begin(struct store *s)
{
    if (s->depth == 0 && s->ops->read_begin)
        s->ops->read_begin(s);
}

void store_read_end(struct store *s)
{
    if (s->ops->read_end)
        s->ops->read_end(s);
}

int store_tx_depth(const struct store *s)
{
    return s->depth;
}

int store_set_tenant(struct store *s, const char *org_id, struct err *e)
{
    snprintf(s->tenant, sizeof(s->tenant), "%s", org_id ? org_id : "");
    if (!s->ops->set_tenant)
        return 0;
    bool local = s->depth > 0;
    if (local)
        s->tenant_session = true;
    return s->ops->set_tenant(s, s->tenant, local, e);
}

int store_lock_key(struct store *s, const char *key, struct err *e)
{
    if (s->depth == 0)
        return ERR_SET(e, TL_EINTERNAL, "lock on '%s' outside a transaction", key);
    return s->ops->lock_key ? s->ops->lock_key(s, key, e) : 0;
}

int store_sees_all(struct store *s, bool *out, struct err *e)
{
    int64_t one;
    *out = true;
    if (!s->ops->sees_all_sql)
        return 0;
    return store_query_int(s, e, &one, out, s->ops->sees_all_sql, "");
}

int store_backup_file(struct store *s, const char *path, struct err *e)
{
    if (!s->ops->backup_file)
        return ERR_SET(e, TL_EUNSUPPORTED, "a %s database has no file copy: use a logical dump",
                       s->ops->name);
    return s->ops->backup_file(s, path, e);
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
    return s->ops->exec(s, sql, e);
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct err *e)
{
    *out = NULL;
    return s->ops->prepare(s, sql, out, e);
}

void store_bind_text(struct store_stmt *st, int i, const char *v)
{
    if (v)
        st->store->ops->bind_text(st, i, v);
    else
        st->store->ops->bind_null(st, i);
}

void store_bind_int(struct store_stmt *st, int i, int64_t v)
{
    st->store->ops->bind_int(st, i, v);
}

void store_bind_double(struct store_stmt *st, int i, double v)
{
    st->store->ops->bind_double(st, i, v);
}

void store_bind_null(struct store_stmt *st, int i)
{
    st->store->ops->bind_null(st, i);
}

void store_bind_blob(struct store_stmt *st, int i, const void *data, size_t len)
{
    st->store->ops->bind_blob(st, i, data, len);
}

int store_step(struct store_stmt *st, struct err *e)
{
    return st->store->ops->step(st, e);
}

void store_reset(struct store_stmt *st)
{
    st->store->ops->reset(st);
}

void store_finalize(struct store_stmt *st)
{
    if (st)
        st->store->ops->finalize(st);
}

int store_col_count(struct store_stmt *st)
{
    return st->store->ops->col_count(st);
}

const char *store_col_name(struct store_stmt *st, int col)
{
    return st->store->ops->col_name(st, col);
}

bool store_col_is_null(struct store_stmt *st, int col)
{
    return st->store->ops->col_is_null(st, col);
}

const char *store_col_text(struct store_stmt *st, int col)
{
    return st->store->ops->col_text(st, col);
}

int64_t store_col_int(struct store_stmt *st, int col)
{
    return st->store->ops->col_int(st, col);
}

double store_col_double(struct store_stmt *st, int col)
{
    return st->store->ops->col_double(st, col);
}

const void *store_col_blob(struct store_stmt *st, int col, size_t *len)
{
    return st->store->ops->col_blob(st, col, len);
}

int64_t store_changes(struct store *s)
{
    return s->ops->changes(s);
}

int store_table_exists(struct store *s, const char *table, bool *out, struct err *e)
{
    int64_t one;
    return store_query_int(s, e, &one, out, s->ops->table_exists_sql, "t", table);
}

static void bind_params(struct store_stmt *st, const char *params, va_list ap)
{
    int i = 1;
    for (const char *p = params ? params : ""; *p; p++, i++) {
        switch (*p) {
        case 't':
            store_bind_text(st, i, va_arg(ap, const char *));
            break;
        case 'i':
            store_bind_int(st, i, va_arg(ap, int64_t));
            break;
        case 'd':
            store_bind_double(st, i, va_arg(ap, double));
            break;
        default:
            store_bind_null(st, i);
        }
    }
}

static int vprepare(struct store *s, struct err *e, struct store_stmt **out, const char *sql,
                    const char *params, va_list ap)
{
    int rc = store_prepare(s, sql, out, e);
    if (rc)
        return rc;
    bind_params(*out, params, ap);
    return 0;
}

int store_preparef(struct store *s, struct err *e, struct store_stmt **out, const char *sql,
                   const char *params, ...)
{
    va_list ap;
    va_start(ap, params);
    int rc = vprepare(s, e, out, sql, params, ap);
    va_end(ap);
    return rc;
}

int store_run(struct store *s, struct err *e, const char *sql, const char *params, ...)
{
    struct store_stmt *st;
    va_list ap;
    va_start(ap, params);
    int rc = vprepare(s, e, &st, sql, params, ap);
    va_end(ap);
    if (rc)
        return rc;
    rc = store_step(st, e);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int store_query_int(struct store *s, struct err *e, int64_t *out, bool *found, const char *sql,
                    const char *params, ...)
{
    struct store_stmt *st;
    va_list ap;
    va_start(ap, params);
    int rc = vprepare(s, e, &st, sql, params, ap);
    va_end(ap);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (found)
        *found = rc == TL_ROW;
    if (rc == TL_ROW)
        *out = store_col_int(st, 0);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- tables in dependency order ------------------------------------------ */

struct fkey {
    const char *table, *column, *ref;
};

static int index_of(const struct store_table *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int read_fkeys(struct store *s, struct arena *a, struct fkey **out, size_t *n, struct err *e)
{
    struct store_stmt *st;
    size_t cap = 16;
    *n = 0;
    *out = arena_calloc(a, cap, sizeof(**out));
    int rc = store_prepare(s, s->ops->fkeys_sql, &st, e);
    if (rc)
        return rc;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (*n == cap) {
            struct fkey *bigger = arena_calloc(a, cap * 2, sizeof(*bigger));
            memcpy(bigger, *out, cap * sizeof(*bigger));
            *out = bigger;
            cap *= 2;
        }
        (*out)[*n].table = arena_strdup(a, store_col_text(st, 0));
        (*out)[*n].column = arena_strdup(a, store_col_text(st, 1));
        (*out)[*n].ref = arena_strdup(a, store_col_text(st, 2));
        (*n)++;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static int read_tables(struct store *s, struct arena *a, struct store_table **out, size_t *n,
                       struct err *e)
{
    int64_t count = 0;
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s) t", s->ops->tables_sql);
    int rc = store_query_int(s, e, &count, NULL, sql, "");
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    struct store_stmt *st;
    rc = store_prepare(s, s->ops->tables_sql, &st, e);
    if (rc)
        return rc;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count)
        (*out)[(*n)++].name = arena_strdup(a, store_col_text(st, 0));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int store_tables(struct store *s, struct arena *a, struct store_table **out, size_t *n,
                 struct err *e)
{
    struct store_table *all;
    struct fkey *fk;
    size_t n_all, n_fk;
    int rc = read_tables(s, a, &all, &n_all, e);
    if (rc == 0)
        rc = read_fkeys(s, a, &fk, &n_fk, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < n_fk; i++) {
        if (strcmp(fk[i].table, fk[i].ref) != 0)
            continue;
        int t = index_of(all, n_all, fk[i].table);
        if (t < 0)
            continue;
        const char **cols = arena_calloc(a, all[t].n_self_refs + 1, sizeof(*cols));
        if (all[t].n_self_refs)
            memcpy(cols, all[t].self_refs, all[t].n_self_refs * sizeof(*cols));
        cols[all[t].n_self_refs++] = fk[i].column;
        all[t].self_refs = cols;
    }
    /* Kahn's algorithm, always taking the first ready table by name, so the
     * order is stable. A cycle through several tables cannot be satisfied
     * row by row: it is reported rather than copied half-way. */
    bool *placed = arena_calloc(a, n_all + 1, sizeof(*placed));
    *out = arena_calloc(a, n_all + 1, sizeof(**out));
    *n = 0;
    while (*n < n_all) {
        size_t pick = n_all;
        for (size_t i = 0; i < n_all && pick == n_all; i++) {
            if (placed[i])
                continue;
            bool ready = true;
            for (size_t k = 0; k < n_fk && ready; k++) {
                if (strcmp(fk[k].table, all[i].name) != 0 || strcmp(fk[k].ref, all[i].name) == 0)
                    continue;
                int r = index_of(all, n_all, fk[k].ref);
                ready = r < 0 || placed[r];
            }
            if (ready)
                pick = i;
        }
        if (pick == n_all)
            return ERR_SET(e, TL_EINTERNAL, "foreign keys of '%s' form a cycle", store_name(s));
        placed[pick] = true;
        (*out)[(*n)++] = all[pick];
    }
    return 0;
}
