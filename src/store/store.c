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
    if (rc == 0)
        s->depth++;
    return rc;
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
    if (rc == 0)
        s->depth--;
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
}

int store_tx_depth(const struct store *s)
{
    return s->depth;
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
