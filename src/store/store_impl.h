/* store_impl.h - what a storage backend provides (internal to store/).
 *
 * Each backend fills a struct store_ops and embeds struct store at the start
 * of its own connection struct.  store.c does the shared work (nesting of
 * transactions, parameter helpers) so that backends stay small.
 */
#ifndef TL_STORE_IMPL_H
#define TL_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
    const char *name;
    void (*close)(struct store *s);
    int (*exec)(struct store *s, const char *sql, struct err *e);
    int (*prepare)(struct store *s, const char *sql, struct store_stmt **out, struct err *e);
    void (*bind_text)(struct store_stmt *st, int i, const char *v);
    void (*bind_int)(struct store_stmt *st, int i, int64_t v);
    void (*bind_double)(struct store_stmt *st, int i, double v);
    void (*bind_null)(struct store_stmt *st, int i);
    void (*bind_blob)(struct store_stmt *st, int i, const void *data, size_t len);
    int (*step)(struct store_stmt *st, struct err *e);
    void (*reset)(struct store_stmt *st);
    void (*finalize)(struct store_stmt *st);
    int (*col_count)(struct store_stmt *st);
    const char *(*col_name)(struct store_stmt *st, int col);
    bool (*col_is_null)(struct store_stmt *st, int col);
    const char *(*col_text)(struct store_stmt *st, int col);
    int64_t (*col_int)(struct store_stmt *st, int col);
    double (*col_double)(struct store_stmt *st, int col);
    const void *(*col_blob)(struct store_stmt *st, int col, size_t *len);
    int64_t (*changes)(struct store *s);
    /* Optional (NULL = nothing to do): makes org_id the current tenant, for
     * the session or (local) for the open transaction only. */
    int (*set_tenant)(struct store *s, const char *org_id, bool local, struct err *e);
    /* Optional: takes a lock on key held until the transaction ends. */
    int (*lock_key)(struct store *s, const char *key, struct err *e);
    /* Optional (NULL = no scopes): store_read_begin / store_read_end. */
    void (*read_begin)(struct store *s);
    void (*read_end)(struct store *s);
    /* Optional: an online copy of the whole database into a new file. */
    int (*backup_file)(struct store *s, const char *path, struct err *e);
    /* SQL with one '?' for a table name, returning a row when it exists. */
    const char *table_exists_sql;
    /* The SQL that starts the outermost write transaction. */
    const char *begin_sql;
    /* SQL listing the base tables (one column: name). */
    const char *tables_sql;
    /* SQL listing foreign keys: table, column, referenced table. */
    const char *fkeys_sql;
    /* Optional: SQL returning a row when row-level security binds nothing. */
    const char *sees_all_sql;
};

struct store {
    const struct store_ops *ops;
    char name[512];
    int depth;           /* open transactions: 1 = BEGIN, >1 = savepoints */
    char tenant[64];     /* store_set_tenant(); "" = none */
    bool tenant_session; /* the session-level setting must be redone after the transaction */
};

struct store_stmt {
    struct store *store;
};

int store__sqlite_open(const char *path, int flags, struct store **out, struct err *e);
int store__pg_open(const char *url, int flags, struct store **out, struct err *e);

struct sb;
/** PostgreSQL: appends sql with its '?' placeholders rewritten as $1, $2, ...
 *  (outside literals, quoted names, comments and dollar quotes) to out;
 *  returns how many there were. */
int store__pg_translate(const char *sql, struct sb *out);

#endif
