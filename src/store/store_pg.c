/* store_pg.c - the PostgreSQL backend (libpq).
 *
 * Callers write SQL with '?' placeholders; prepare translates them to $1,
 * $2, ... outside string literals, quoted identifiers, comments and
 * dollar-quoted bodies.  Parameters travel as text with no declared type,
 * so the server infers each one's type from where it stands, as it does
 * for a quoted literal: '5' fits an INTEGER column and a TEXT one alike.
 * The one place with nothing to infer from, "? IS [NOT] NULL", gets an
 * explicit ::text.  Blobs travel in binary.
 *
 * A statement runs when it is first stepped, with every row fetched at
 * once: callers step one statement while running others on the same
 * connection, which libpq allows only between complete results.
 *
 * Transactions are READ COMMITTED.  What SQLite's BEGIN IMMEDIATE gives
 * for free, one writer at a time, is asked for where it matters with
 * store_lock_key() (a transaction-scoped advisory lock), for example
 * around the read of an audit chain's head.  The tenant (store_set_tenant)
 * becomes the setting tillit.org_id that the row-level security policies
 * of migration 0006 read: for the session at once, and again locally at
 * every outermost BEGIN so that it holds even behind a pooler that hands
 * out connections per transaction.
 */
#include "store/store_impl.h"

#include "base/mem.h"
#include "base/sb.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_store {
    struct store base;
    PGconn *conn;
    int64_t changes;
    bool readonly;
};

struct pg_stmt {
    struct store_stmt base;
    char *sql; /* translated to $n placeholders */
    int n_params;
    char **values;         /* owned copies; NULL = SQL NULL */
    int *lengths;          /* for binary parameters (blobs) */
    int *formats;          /* 0 text, 1 binary */
    PGresult *res;         /* NULL until the first step */
    int row;               /* the current row of res */
    unsigned char **blobs; /* decoded bytea per column of the current row */
    size_t *blob_lens;
};

static PGconn *conn_of(struct store *s)
{
    return ((struct pg_store *)s)->conn;
}

static struct pg_stmt *pst(struct store_stmt *st)
{
    return (struct pg_stmt *)st;
}

/* --- errors --------------------------------------------------------------- */

/* SQLSTATE classes: 23 integrity constraint violation, P0001 an exception
 * raised by our triggers (SQLite's RAISE(ABORT) is a constraint error too),
 * 40 serialization failure or deadlock: all are conflicts the caller can
 * explain or retry.  42501 is a privilege or row-level-security refusal. */
static int map_state(const char *state)
{
    if (!state)
        return TL_ESTORE;
    if (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0 || strncmp(state, "40", 2) == 0)
        return TL_ECONFLICT;
    if (strcmp(state, "42501") == 0)
        return TL_EPERM;
    return TL_ESTORE;
}

/* The message without libpq's "ERROR:  " prefix and trailing newline. */
static void clean_message(char *buf, size_t n, const char *msg)
{
    if (!msg || !*msg)
        msg = "unknown error";
    snprintf(buf, n, "%s", msg);
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        buf[--len] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
}

static int pg_fail_res(struct store *s, PGresult *res, struct err *e, const char *what)
{
    char msg[256];
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    clean_message(msg, sizeof(msg), primary ? primary : PQerrorMessage(conn_of(s)));
    int code = res ? map_state(PQresultErrorField(res, PG_DIAG_SQLSTATE)) : TL_ESTORE;
    if (PQstatus(conn_of(s)) != CONNECTION_OK)
        code = TL_ESTORE;
    return ERR_SET(e, code, "%s: %s", what, msg);
}

/* Notices (e.g. "relation already exists, skipping") are not ours to print. */
static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* --- placeholders ----------------------------------------------------------- */

/* Length of a dollar-quote tag starting at p ("$tag$" or "$$"), 0 if none. */
static size_t dollar_tag(const char *p)
{
    size_t n = 1;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    if (p[n] != '$' || (n > 1 && isdigit((unsigned char)p[1])))
        return 0;
    return n + 1;
}

/* Whether the words after a placeholder are "IS [NOT] NULL". */
static bool followed_by_is(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return (p[0] == 'I' || p[0] == 'i') && (p[1] == 'S' || p[1] == 's') &&
           isspace((unsigned char)p[2]);
}

/* Copies the quoted run starting at p (closing quote doubled to escape) into
 * out, returning the position after it. */
static const char *copy_quoted(struct sb *out, const char *p)
{
    char q = *p;
    const char *start = p++;
    for (;;) {
        if (!*p)
            break;
        if (*p == q && p[1] == q) {
            p += 2;
            continue;
        }
        if (*p++ == q)
            break;
    }
    sb_add(out, start, (size_t)(p - start));
    return p;
}

int store__pg_translate(const char *sql, struct sb *out)
{
    int n = 0;
    const char *p = sql;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            p = copy_quoted(out, p);
        } else if (p[0] == '-' && p[1] == '-') {
            const char *end = strchr(p, '\n');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            sb_add(out, p, len);
            p += len;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            size_t len = end ? (size_t)(end + 2 - p) : strlen(p);
            sb_add(out, p, len);
            p += len;
        } else if (*p == '$' && dollar_tag(p)) {
            size_t tag = dollar_tag(p);
            char closing[64];
            snprintf(closing, sizeof(closing), "%.*s", (int)tag, p);
            const char *end = tag < sizeof(closing) ? strstr(p + tag, closing) : NULL;
            size_t len = end ? (size_t)(end + tag - p) : strlen(p);
            sb_add(out, p, len);
            p += len;
        } else if (*p == '?') {
            n++;
            sb_addf(out, followed_by_is(p + 1) ? "$%d::text" : "$%d", n);
            p++;
        } else {
            sb_add(out, p, 1);
            p++;
        }
    }
    return n;
}

/* --- connection ----------------------------------------------------------- */

static void pg_close(struct store *s)
{
    PQfinish(conn_of(s));
    free(s);
}

/* Times are ISO 8601 text written by Tillit; the session settings only
 * keep the server's own messages and defaults predictable. */
static const char *setup_sql(bool readonly)
{
    return readonly ? "SET client_min_messages = warning; SET client_encoding = 'UTF8';"
                      "SET default_transaction_read_only = on"
                    : "SET client_min_messages = warning; SET client_encoding = 'UTF8'";
}

static int pg_set_tenant(struct store *s, const char *org_id, bool local, struct err *e);

/* A connection lost outside a transaction (the server restarted, a network
 * blip) is opened again before the next statement, with its settings and
 * tenant, so that a server's pooled connections outlive a database restart.
 * The statement that found it lost has failed already; it is not retried,
 * since whether it ran is unknown. Inside a transaction nothing is done:
 * that transaction is gone, and its rollback reports it. */
static void revive(struct store *s)
{
    struct pg_store *p = (struct pg_store *)s;
    if (PQstatus(p->conn) == CONNECTION_OK || s->depth > 0)
        return;
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK)
        return;
    PQclear(PQexec(p->conn, setup_sql(p->readonly)));
    if (s->tenant[0])
        pg_set_tenant(s, s->tenant, false, NULL);
}

static int pg_exec(struct store *s, const char *sql, struct err *e)
{
    revive(s);
    PGresult *res = PQexec(conn_of(s), sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = pg_fail_res(s, res, e, "database error");
    PQclear(res);
    return rc;
}

static int pg_prepare(struct store *s, const char *sql, struct store_stmt **out, struct err *e)
{
    (void)e;
    struct sb q = SB_INIT;
    int n = store__pg_translate(sql, &q);
    struct pg_stmt *w = xcalloc(1, sizeof(*w));
    w->base.store = s;
    w->sql = sb_detach(&q, NULL);
    w->n_params = n;
    if (n > 0) {
        w->values = xcalloc((size_t)n, sizeof(*w->values));
        w->lengths = xcalloc((size_t)n, sizeof(*w->lengths));
        w->formats = xcalloc((size_t)n, sizeof(*w->formats));
    }
    w->row = -1;
    *out = &w->base;
    return 0;
}

static void set_param(struct pg_stmt *w, int i, char *v, int len, int format)
{
    if (i < 1 || i > w->n_params) {
        free(v);
        return;
    }
    free(w->values[i - 1]);
    w->values[i - 1] = v;
    w->lengths[i - 1] = len;
    w->formats[i - 1] = format;
}

static void pg_bind_text(struct store_stmt *st, int i, const char *v)
{
    set_param(pst(st), i, xstrdup(v), 0, 0);
}

static void pg_bind_int(struct store_stmt *st, int i, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    set_param(pst(st), i, xstrdup(buf), 0, 0);
}

static void pg_bind_double(struct store_stmt *st, int i, double v)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.17g", v);
    set_param(pst(st), i, xstrdup(buf), 0, 0);
}

static void pg_bind_null(struct store_stmt *st, int i)
{
    set_param(pst(st), i, NULL, 0, 0);
}

static void pg_bind_blob(struct store_stmt *st, int i, const void *data, size_t len)
{
    if (len > (size_t)0x7fffffff)
        len = 0x7fffffff; /* libpq's limit; a Tillit blob is never near it */
    char *copy = xmalloc(len + 1);
    if (len)
        memcpy(copy, data, len);
    set_param(pst(st), i, copy, (int)len, 1);
}

static void free_blobs(struct pg_stmt *w)
{
    if (!w->blobs || !w->res)
        return;
    int n = PQnfields(w->res);
    for (int c = 0; c < n; c++) {
        PQfreemem(w->blobs[c]);
        w->blobs[c] = NULL;
    }
}

static void clear_result(struct pg_stmt *w)
{
    free_blobs(w);
    free(w->blobs);
    free(w->blob_lens);
    w->blobs = NULL;
    w->blob_lens = NULL;
    PQclear(w->res);
    w->res = NULL;
    w->row = -1;
}

static bool is_change(const char *status)
{
    return strncmp(status, "INSERT", 6) == 0 || strncmp(status, "UPDATE", 6) == 0 ||
           strncmp(status, "DELETE", 6) == 0 || strncmp(status, "MERGE", 5) == 0;
}

static int run(struct pg_stmt *w, struct err *e)
{
    struct pg_store *s = (struct pg_store *)w->base.store;
    revive(&s->base);
    PGresult *res = PQexecParams(s->conn, w->sql, w->n_params, NULL, (const char *const *)w->values,
                                 w->lengths, w->formats, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = pg_fail_res(&s->base, res, e, "database error");
        PQclear(res);
        return rc;
    }
    if (is_change(PQcmdStatus(res)))
        s->changes = strtoll(PQcmdTuples(res), NULL, 10);
    w->res = res;
    w->row = -1;
    if (PQnfields(res) > 0) {
        w->blobs = xcalloc((size_t)PQnfields(res), sizeof(*w->blobs));
        w->blob_lens = xcalloc((size_t)PQnfields(res), sizeof(*w->blob_lens));
    }
    return 0;
}

static int pg_step(struct store_stmt *st, struct err *e)
{
    struct pg_stmt *w = pst(st);
    if (!w->res) {
        int rc = run(w, e);
        if (rc)
            return rc;
    }
    free_blobs(w);
    if (w->row + 1 >= PQntuples(w->res)) {
        w->row = PQntuples(w->res);
        return TL_DONE;
    }
    w->row++;
    return TL_ROW;
}

static void pg_reset(struct store_stmt *st)
{
    struct pg_stmt *w = pst(st);
    clear_result(w);
    for (int i = 0; i < w->n_params; i++) {
        free(w->values[i]);
        w->values[i] = NULL;
        w->formats[i] = 0;
        w->lengths[i] = 0;
    }
}

static void pg_finalize(struct store_stmt *st)
{
    struct pg_stmt *w = pst(st);
    pg_reset(st);
    free(w->values);
    free(w->lengths);
    free(w->formats);
    free(w->sql);
    free(w);
}

static int pg_col_count(struct store_stmt *st)
{
    struct pg_stmt *w = pst(st);
    if (!w->res) {
        /* Column names before the first step: describe the statement. */
        PGresult *d = PQprepare(conn_of(st->store), "", w->sql, 0, NULL);
        PQclear(d);
        d = PQdescribePrepared(conn_of(st->store), "");
        int n = PQresultStatus(d) == PGRES_COMMAND_OK ? PQnfields(d) : 0;
        PQclear(d);
        return n;
    }
    return PQnfields(w->res);
}

static bool has_cell(struct pg_stmt *w, int col)
{
    return w->res && w->row >= 0 && w->row < PQntuples(w->res) && col >= 0 &&
           col < PQnfields(w->res);
}

static const char *pg_col_name(struct store_stmt *st, int col)
{
    struct pg_stmt *w = pst(st);
    if (!w->res || col < 0 || col >= PQnfields(w->res))
        return NULL;
    return PQfname(w->res, col);
}

static bool pg_col_is_null(struct store_stmt *st, int col)
{
    struct pg_stmt *w = pst(st);
    return !has_cell(w, col) || PQgetisnull(w->res, w->row, col);
}

static const char *pg_col_text(struct store_stmt *st, int col)
{
    struct pg_stmt *w = pst(st);
    if (pg_col_is_null(st, col))
        return NULL;
    return PQgetvalue(w->res, w->row, col);
}

/* Booleans come back as "t"/"f"; SQLite would give 1/0. */
static int64_t pg_col_int(struct store_stmt *st, int col)
{
    const char *v = pg_col_text(st, col);
    if (!v)
        return 0;
    if (strcmp(v, "t") == 0)
        return 1;
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct store_stmt *st, int col)
{
    const char *v = pg_col_text(st, col);
    return v ? strtod(v, NULL) : 0.0;
}

static const void *pg_col_blob(struct store_stmt *st, int col, size_t *len)
{
    struct pg_stmt *w = pst(st);
    *len = 0;
    const char *v = pg_col_text(st, col);
    if (!v)
        return NULL;
    if (PQftype(w->res, col) != 17 /* BYTEAOID */) {
        *len = strlen(v);
        return v;
    }
    if (!w->blobs[col])
        w->blobs[col] = PQunescapeBytea((const unsigned char *)v, &w->blob_lens[col]);
    *len = w->blobs[col] ? w->blob_lens[col] : 0;
    return w->blobs[col];
}

static int64_t pg_changes(struct store *s)
{
    return ((struct pg_store *)s)->changes;
}

static int pg_set_tenant(struct store *s, const char *org_id, bool local, struct err *e)
{
    const char *values[2] = {org_id ? org_id : "", local ? "true" : "false"};
    PGresult *res = PQexecParams(conn_of(s), "SELECT set_config('tillit.org_id', $1, $2::boolean)",
                                 2, NULL, values, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pg_fail_res(s, res, e, "cannot set the organization");
    PQclear(res);
    return rc;
}

static int pg_lock_key(struct store *s, const char *key, struct err *e)
{
    const char *values[1] = {key};
    PGresult *res = PQexecParams(conn_of(s), "SELECT pg_advisory_xact_lock(hashtext($1::text))", 1,
                                 NULL, values, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pg_fail_res(s, res, e, "cannot take a lock");
    PQclear(res);
    return rc;
}

static const struct store_ops pg_ops = {
    .name = "postgres",
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_is_null = pg_col_is_null,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_blob = pg_col_blob,
    .changes = pg_changes,
    .set_tenant = pg_set_tenant,
    .lock_key = pg_lock_key,
    .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .table_exists_sql = "SELECT 1 FROM information_schema.tables "
                        "WHERE table_schema = current_schema() AND table_name = ?",
    .tables_sql = "SELECT table_name FROM information_schema.tables "
                  "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                  "ORDER BY table_name",
    .fkeys_sql = "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text "
                 "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
                 "AND a.attnum = ANY (c.conkey) "
                 "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace "
                 "ORDER BY 1, 2",
    .sees_all_sql = "SELECT 1 FROM pg_roles r WHERE r.rolname = current_user "
                    "AND (r.rolsuper OR r.rolbypassrls OR NOT EXISTS (SELECT 1 FROM pg_tables t "
                    "WHERE t.schemaname = current_schema() AND t.rowsecurity "
                    "AND t.tableowner <> current_user))",
};

/* The URL without its password, for messages and store_name(). */
static void redact(char *out, size_t n, const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *rest = scheme ? scheme + 3 : url;
    const char *at = strchr(rest, '@');
    const char *slash = strchr(rest, '/');
    const char *colon = strchr(rest, ':');
    if (at && (!slash || at < slash) && colon && colon < at)
        snprintf(out, n, "%.*s%s", (int)(colon - url), url, at);
    else
        snprintf(out, n, "%s", url);
    char *pw = strstr(out, "password=");
    if (pw) {
        char *end = strchr(pw, '&');
        memmove(pw + 9, end ? end : pw + strlen(pw), strlen(end ? end : "") + 1);
    }
}

int store__pg_open(const char *url, int flags, struct store **out, struct err *e)
{
    struct pg_store *s = xcalloc(1, sizeof(*s));
    s->base.ops = &pg_ops;
    redact(s->base.name, sizeof(s->base.name), url);
    s->conn = PQconnectdb(url);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        char msg[256];
        clean_message(msg, sizeof(msg), s->conn ? PQerrorMessage(s->conn) : "out of memory");
        ERR_SET(e, TL_ESTORE, "cannot connect to '%s': %s", s->base.name, msg);
        pg_close(&s->base);
        return TL_ESTORE;
    }
    PQsetNoticeProcessor(s->conn, quiet_notices, NULL);
    s->readonly = (flags & STORE_READONLY) != 0;
    int rc = pg_exec(&s->base, setup_sql(s->readonly), e);
    if (rc) {
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
