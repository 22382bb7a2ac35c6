/* store.h - the one storage interface the rest of Tillit uses.
 *
 * A struct store is one connection to one database (SQLite file now;
 * PostgreSQL through the same calls later).  SQL is written in the subset
 * both dialects share, with '?' placeholders; a backend translates where it
 * must.  Statements belong to their store and must be finalized before it is
 * closed.  Text returned by store_col_text() is owned by the statement and
 * valid until the next step, reset or finalize: copy what you keep.
 *
 * Transactions nest: the outermost store_begin() starts a write transaction,
 * inner ones become savepoints, so use cases compose.  Every begin is paired
 * with exactly one successful commit or one rollback: a commit that fails
 * leaves the transaction open, and the caller rolls it back.
 */
#ifndef TL_STORE_H
#define TL_STORE_H

#include "base/arena.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_stmt;

enum store_open_flags {
    STORE_CREATE = 1 << 0,   /* create the database when it does not exist */
    STORE_READONLY = 1 << 1, /* never write (audit verify, reports) */
};

/** Opens a database: a file path, "sqlite:PATH" or "postgres://..." (libpq URL). */
int store_open(const char *url, int flags, struct store **out, struct err *e);

/** Closes the connection. NULL is a no-op. Rolls back an open transaction. */
void store_close(struct store *s);

/** "sqlite" or "postgres". */
const char *store_backend(const struct store *s);

/** A human name for the database (the file path, or the URL without password). */
const char *store_name(const struct store *s);

/* --- transactions ------------------------------------------------------ */

int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
/** Rolls back the innermost open transaction or savepoint. Never fails. */
void store_rollback(struct store *s);
/** Depth of open transactions (0 = none). */
int store_tx_depth(const struct store *s);

/** Opens a read scope: the reads that follow, up to store_read_end(), share
 *  one read transaction (one snapshot, one lock) instead of one each.  A
 *  write ends the scope before it starts (store_begin, store_exec, or a
 *  statement that writes), so a scope never delays or fails a write, and
 *  what follows the write reads in autocommit.  For a server's requests,
 *  which read a handful of small things (session, membership, page).
 *  A no-op inside a transaction and on backends without file locks
 *  (PostgreSQL).  Never fails: without a scope the reads run as before. */
void store_read_begin(struct store *s);

/** Ends the read scope, if one is open. */
void store_read_end(struct store *s);

/** Makes org_id (NULL = none) the organization this connection works for:
 *  at once, and again at every outermost begin. Inside a transaction the
 *  change also ends with it, and the session setting follows after. */
int store_set_tenant(struct store *s, const char *org_id, struct err *e);

/** Takes a lock on key (any text) held until the outermost transaction
 *  ends, so that two connections serialise on it (an audit chain's head).
 *  SQLite's write transaction already excludes every other writer: a no-op
 *  there. Fails with TL_EINTERNAL outside a transaction. */
int store_lock_key(struct store *s, const char *key, struct err *e);

/* --- statements -------------------------------------------------------- */

/** Runs one or more statements without parameters or results. */
int store_exec(struct store *s, const char *sql, struct err *e);

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct err *e);

/** Binds parameter i (1-based). Text is copied; NULL text binds SQL NULL. */
void store_bind_text(struct store_stmt *st, int i, const char *v);
void store_bind_int(struct store_stmt *st, int i, int64_t v);
void store_bind_double(struct store_stmt *st, int i, double v);
void store_bind_null(struct store_stmt *st, int i);
void store_bind_blob(struct store_stmt *st, int i, const void *data, size_t len);

/** Steps: TL_ROW, TL_DONE, or a negative error (constraint failures are TL_ECONFLICT). */
int store_step(struct store_stmt *st, struct err *e);

/** Resets for re-execution with new bindings. */
void store_reset(struct store_stmt *st);

void store_finalize(struct store_stmt *st);

int store_col_count(struct store_stmt *st);
const char *store_col_name(struct store_stmt *st, int col);
bool store_col_is_null(struct store_stmt *st, int col);
/** Column text, NULL for SQL NULL. */
const char *store_col_text(struct store_stmt *st, int col);
int64_t store_col_int(struct store_stmt *st, int col);
double store_col_double(struct store_stmt *st, int col);
const void *store_col_blob(struct store_stmt *st, int col, size_t *len);

/** Whether a table of that name exists. */
int store_table_exists(struct store *s, const char *table, bool *out, struct err *e);

/** Rows changed by the last INSERT/UPDATE/DELETE. */
int64_t store_changes(struct store *s);

/* --- schema and whole-database copies (backup, restore, migrate --to) ---- */

struct store_table {
    const char *name;
    const char **self_refs; /* columns that refer to the same table */
    size_t n_self_refs;
};

/** The base tables, each after every table it refers to (foreign keys), so
 *  that rows copied in this order satisfy their references; ties by name.
 *  Results live in a. */
int store_tables(struct store *s, struct arena *a, struct store_table **out, size_t *n,
                 struct err *e);

/** Whether this connection sees every row of every table: row-level
 *  security does not bind it (owner, superuser). Always true for SQLite. */
int store_sees_all(struct store *s, bool *out, struct err *e);

/** SQLite: copies the whole database, while it is in use, into a new file
 *  at path (sqlite3_backup). Other backends: TL_EUNSUPPORTED. */
int store_backup_file(struct store *s, const char *path, struct err *e);

/* --- one-shot helpers ---------------------------------------------------
 * params is a string of type letters, one per '?': t = const char * (NULL
 * binds NULL), i = int64_t, d = double, n = NULL (no argument).
 */

/** Runs a statement that returns no rows. */
int store_run(struct store *s, struct err *e, const char *sql, const char *params, ...);

/** Runs a query whose first row's first column is an integer (*found = false when no row). */
int store_query_int(struct store *s, struct err *e, int64_t *out, bool *found, const char *sql,
                    const char *params, ...);

/** Prepares sql and binds params, ready to step. */
int store_preparef(struct store *s, struct err *e, struct store_stmt **out, const char *sql,
                   const char *params, ...);

/* --- fault injection (tests only) ------------------------------------------ */

/** Wraps inner so that statement number fail_at (0-based; exec, prepare and
 *  step each count, rollbacks excepted) fails with TL_ESTORE; fail_at < 0
 *  never fails and only counts. Close the wrapper with store_fault_unwrap(),
 *  which leaves inner open (store_close() on it closes both). */
struct store *store_fault_wrap(struct store *inner, long fail_at);

/** Statements the wrapper has seen. */
long store_fault_calls(const struct store *s);

/** Frees the wrapper only. */
void store_fault_unwrap(struct store *s);

#endif
