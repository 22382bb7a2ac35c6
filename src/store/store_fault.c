/* store_fault.c - a test-only backend that fails on purpose.
 *
 * Wraps another store and makes the Nth statement (exec, prepare or step)
 * fail with TL_ESTORE, so tests can walk every error path of a use case and
 * check that nothing was left half-written (after sqlite's src/test_vfs.c).
 * Rollbacks always pass through: a failure must be recoverable.
 */
#include "store/store_impl.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

struct fault_store {
    struct store base;
    struct store *inner;
    long countdown; /* statements left before the fault; < 0 = never */
    long calls;     /* statements seen so far */
};

struct fault_stmt {
    struct store_stmt base;
    struct store_stmt *inner;
};

static struct fault_store *fs_of(struct store *s)
{
    return (struct fault_store *)s;
}

static struct store_stmt *in_of(struct store_stmt *st)
{
    return ((struct fault_stmt *)st)->inner;
}

/* Counts a statement; returns the injected error when its turn has come. */
static int tick(struct fault_store *f, struct err *e)
{
    f->calls++;
    if (f->countdown < 0)
        return 0;
    if (f->countdown-- == 0)
        return ERR_SET(e, TL_ESTORE, "injected fault at statement %ld", f->calls);
    return 0;
}

static void f_close(struct store *s)
{
    store_close(fs_of(s)->inner);
    free((void *)s->ops);
    free(s);
}

static int f_exec(struct store *s, const char *sql, struct err *e)
{
    struct fault_store *f = fs_of(s);
    if (strncmp(sql, "ROLLBACK", 8) != 0 && tick(f, e))
        return TL_ESTORE;
    return f->inner->ops->exec(f->inner, sql, e);
}

static int f_prepare(struct store *s, const char *sql, struct store_stmt **out, struct err *e)
{
    struct fault_store *f = fs_of(s);
    struct store_stmt *inner;
    if (tick(f, e))
        return TL_ESTORE;
    int rc = f->inner->ops->prepare(f->inner, sql, &inner, e);
    if (rc)
        return rc;
    struct fault_stmt *w = xmalloc(sizeof(*w));
    w->base.store = s;
    w->inner = inner;
    *out = &w->base;
    return 0;
}

static int f_step(struct store_stmt *st, struct err *e)
{
    if (tick(fs_of(st->store), e))
        return TL_ESTORE;
    return store_step(in_of(st), e);
}

static void f_finalize(struct store_stmt *st)
{
    store_finalize(in_of(st));
    free(st);
}

static void f_bind_text(struct store_stmt *st, int i, const char *v)
{
    store_bind_text(in_of(st), i, v);
}

static void f_bind_int(struct store_stmt *st, int i, int64_t v)
{
    store_bind_int(in_of(st), i, v);
}

static void f_bind_double(struct store_stmt *st, int i, double v)
{
    store_bind_double(in_of(st), i, v);
}

static void f_bind_null(struct store_stmt *st, int i)
{
    store_bind_null(in_of(st), i);
}

static void f_bind_blob(struct store_stmt *st, int i, const void *d, size_t n)
{
    store_bind_blob(in_of(st), i, d, n);
}

static void f_reset(struct store_stmt *st)
{
    store_reset(in_of(st));
}

static int f_col_count(struct store_stmt *st)
{
    return store_col_count(in_of(st));
}

static const char *f_col_name(struct store_stmt *st, int c)
{
    return store_col_name(in_of(st), c);
}

static bool f_col_is_null(struct store_stmt *st, int c)
{
    return store_col_is_null(in_of(st), c);
}

static const char *f_col_text(struct store_stmt *st, int c)
{
    return store_col_text(in_of(st), c);
}

static int64_t f_col_int(struct store_stmt *st, int c)
{
    return store_col_int(in_of(st), c);
}

static double f_col_double(struct store_stmt *st, int c)
{
    return store_col_double(in_of(st), c);
}

static const void *f_col_blob(struct store_stmt *st, int c, size_t *n)
{
    return store_col_blob(in_of(st), c, n);
}

static int64_t f_changes(struct store *s)
{
    return store_changes(fs_of(s)->inner);
}

static int f_set_tenant(struct store *s, const char *org_id, bool local, struct err *e)
{
    struct store *in = fs_of(s)->inner;
    return in->ops->set_tenant(in, org_id, local, e);
}

static int f_lock_key(struct store *s, const char *key, struct err *e)
{
    struct store *in = fs_of(s)->inner;
    return in->ops->lock_key(in, key, e);
}

static struct store_ops fault_ops = {
    .name = NULL, /* copied from the inner backend */
    .close = f_close,
    .exec = f_exec,
    .prepare = f_prepare,
    .bind_text = f_bind_text,
    .bind_int = f_bind_int,
    .bind_double = f_bind_double,
    .bind_null = f_bind_null,
    .bind_blob = f_bind_blob,
    .step = f_step,
    .reset = f_reset,
    .finalize = f_finalize,
    .col_count = f_col_count,
    .col_name = f_col_name,
    .col_is_null = f_col_is_null,
    .col_text = f_col_text,
    .col_int = f_col_int,
    .col_double = f_col_double,
    .col_blob = f_col_blob,
    .changes = f_changes,
};

struct store *store_fault_wrap(struct store *inner, long fail_at)
{
    struct fault_store *f = xcalloc(1, sizeof(*f));
    /* One ops table per wrapper: the backend name, its SQL and its
     * optional operations are the inner backend's. */
    struct store_ops *ops = xmalloc(sizeof(*ops));
    *ops = fault_ops;
    ops->name = inner->ops->name;
    ops->begin_sql = inner->ops->begin_sql;
    ops->table_exists_sql = inner->ops->table_exists_sql;
    ops->tables_sql = inner->ops->tables_sql;
    ops->fkeys_sql = inner->ops->fkeys_sql;
    ops->sees_all_sql = inner->ops->sees_all_sql;
    ops->set_tenant = inner->ops->set_tenant ? f_set_tenant : NULL;
    ops->lock_key = inner->ops->lock_key ? f_lock_key : NULL;
    f->base.ops = ops;
    memcpy(f->base.name, inner->name, sizeof(f->base.name));
    f->inner = inner;
    f->countdown = fail_at;
    return &f->base;
}

long store_fault_calls(const struct store *s)
{
    return ((const struct fault_store *)s)->calls;
}

void store_fault_unwrap(struct store *s)
{
    /* Frees the wrapper and its ops, leaving the inner store open. */
    free((void *)s->ops);
    free(s);
}
