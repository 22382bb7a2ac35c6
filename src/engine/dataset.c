/* dataset.c - column types, names, the table writer and the analysis
 * database.  The loaders of each kind are in dataset_*.c. */
#include "engine/dataset.h"

#include "base/date.h"
#include "base/mem.h"
#include "base/sb.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct eng_adb {
    sqlite3 *db;
    char *path;
    bool readonly, in_load;
};

const char *const eng_kinds[] = {"csv", "jsonl",        "json", "aws-iam-credential-report",
                                 "git", "github-pulls", NULL};

/* --- types ----------------------------------------------------------------- */

static const char *const type_names[] = {"auto", "integer",  "real", "boolean",
                                         "date", "datetime", "text"};

const char *eng_type_name(enum eng_type t)
{
    return (unsigned)t < sizeof(type_names) / sizeof(*type_names) ? type_names[t] : "?";
}

int eng_type_parse(const char *s, enum eng_type *out, struct err *e)
{
    for (int t = ENG_T_INTEGER; t <= ENG_T_TEXT; t++)
        if (strcmp(s, type_names[t]) == 0) {
            *out = (enum eng_type)t;
            return 0;
        }
    return ERR_SET(e, TL_EUSAGE,
                   "unknown column type '%s' (expected integer, real, boolean, date, datetime "
                   "or text)",
                   s);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* n digits at s as a number, or -1. */
static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* "YYYY-MM-DD" at s (len >= 10): the day, or false. */
static bool ymd_at(const char *s, int *y, int *m, int *d)
{
    if (s[4] != '-' || s[7] != '-')
        return false;
    *y = num(s, 4);
    *m = num(s + 5, 2);
    *d = num(s + 8, 2);
    return *y >= 0 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= date_days_in_month(*y, *m);
}

/* The time and zone after a date: "THH:MM[:SS[.f]][Z|+HH[:MM]]" at s.
 * Fills the seconds of the day and the zone offset in seconds. */
static bool time_at(const char *s, size_t len, int *secs, int *offset)
{
    if (len < 6 || (s[0] != 'T' && s[0] != 't' && s[0] != ' ') || s[3] != ':')
        return false;
    int h = num(s + 1, 2), mi = num(s + 4, 2), sec = 0;
    size_t i = 6;
    if (h < 0 || h > 23 || mi < 0 || mi > 59)
        return false;
    if (i < len && s[i] == ':') {
        if (len < i + 3 || (sec = num(s + i + 1, 2)) < 0 || sec > 60)
            return false;
        i += 3;
        if (i < len && (s[i] == '.' || s[i] == ',')) {
            size_t f = ++i;
            while (i < len && is_digit(s[i]))
                i++;
            if (i == f)
                return false;
        }
    }
    *offset = 0;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
        i++;
        if (len < i + 2 || (oh = num(s + i, 2)) < 0 || oh > 23)
            return false;
        i += 2;
        if (i < len && s[i] == ':')
            i++;
        if (i < len) {
            if (len < i + 2 || (om = num(s + i, 2)) < 0 || om > 59)
                return false;
            i += 2;
        }
        *offset = sign * (oh * 3600 + om * 60);
    }
    if (i != len)
        return false;
    *secs = h * 3600 + mi * 60 + (sec > 59 ? 59 : sec);
    return true;
}

static unsigned number_fits(const char *s, size_t len)
{
    size_t i = s[0] == '-' ? 1 : 0;
    size_t start = i;
    while (i < len && is_digit(s[i]))
        i++;
    size_t n = i - start;
    if (n == 0 || (n > 1 && s[start] == '0'))
        return 0;
    if (i == len) {
        /* An integer; past int64 it stays text (long ids must not round). */
        if (n < 19)
            return ENG_FITS_INTEGER | ENG_FITS_REAL;
        errno = 0;
        (void)strtoll(s, NULL, 10);
        return n == 19 && errno == 0 ? ENG_FITS_INTEGER | ENG_FITS_REAL : 0;
    }
    if (s[i] == '.') {
        size_t f = ++i;
        while (i < len && is_digit(s[i]))
            i++;
        if (i == f)
            return 0;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t x = i;
        while (i < len && is_digit(s[i]))
            i++;
        if (i == x || i - x > 3)
            return 0;
    }
    return i == len ? ENG_FITS_REAL : 0;
}

static bool word_is(const char *s, size_t len, const char *w)
{
    if (strlen(w) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((s[i] | 0x20) != w[i])
            return false;
    return true;
}

unsigned eng_value_fits(const char *s, size_t len)
{
    if (len == 0)
        return ENG_FITS_ALL;
    char c = s[0];
    if (c == 't' || c == 'T' || c == 'f' || c == 'F')
        return word_is(s, len, "true") || word_is(s, len, "false") ? ENG_FITS_BOOLEAN : 0;
    if (!is_digit(c) && c != '-')
        return 0;
    if (len >= 10 && is_digit(c) && s[4] == '-') {
        int y, m, d, secs, off;
        if (!ymd_at(s, &y, &m, &d))
            return 0;
        if (len == 10)
            return ENG_FITS_DATE | ENG_FITS_DATETIME;
        return time_at(s + 10, len - 10, &secs, &off) ? ENG_FITS_DATETIME : 0;
    }
    return number_fits(s, len);
}

enum eng_type eng_type_of_fits(unsigned fits)
{
    if (fits == ENG_FITS_ALL) /* no values at all */
        return ENG_T_TEXT;
    if (fits & ENG_FITS_INTEGER)
        return ENG_T_INTEGER;
    if (fits & ENG_FITS_REAL)
        return ENG_T_REAL;
    if (fits & ENG_FITS_BOOLEAN)
        return ENG_T_BOOLEAN;
    if (fits & ENG_FITS_DATE)
        return ENG_T_DATE;
    if (fits & ENG_FITS_DATETIME)
        return ENG_T_DATETIME;
    return ENG_T_TEXT;
}

int eng_datetime_norm(const char *s, size_t len, char out[ENG_DATETIME_BUF])
{
    int y, m, d, secs = 0, off = 0;
    if (len < 10 || !ymd_at(s, &y, &m, &d))
        return -1;
    if (len == 20 && s[10] == 'T' && s[19] == 'Z' && s[13] == ':' && s[16] == ':' &&
        num(s + 11, 2) <= 23 && num(s + 11, 2) >= 0 && num(s + 14, 2) >= 0 &&
        num(s + 14, 2) <= 59 && num(s + 17, 2) >= 0 && num(s + 17, 2) <= 59) {
        memcpy(out, s, 20); /* already canonical: the common case */
        out[20] = '\0';
        return 0;
    }
    if (len > 10 && !time_at(s + 10, len - 10, &secs, &off))
        return -1;
    tl_time t = (tl_time)date_from_ymd(y, m, d) * 86400 + secs - off;
    time_format(t, out);
    return 0;
}

/* --- names ------------------------------------------------------------------ */

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || is_digit(c);
}

char *eng_snake_case(struct arena *a, const char *s)
{
    struct sb sb = SB_INIT;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool last_sep = sb.len == 0 || sb.buf[sb.len - 1] == '_';
        if (is_upper(c)) {
            char prev = i ? s[i - 1] : 0, next = s[i + 1];
            if (!last_sep &&
                (is_lower_or_digit(prev) || (is_upper(prev) && next >= 'a' && next <= 'z')))
                sb_addc(&sb, '_');
            sb_addc(&sb, (char)(c - 'A' + 'a'));
        } else if (is_lower_or_digit(c) || (unsigned char)c >= 0x80) {
            sb_addc(&sb, c);
        } else if (!last_sep) {
            sb_addc(&sb, '_');
        }
    }
    while (sb.len && sb.buf[sb.len - 1] == '_')
        sb_setlen(&sb, sb.len - 1);
    char *out =
        sb.len && is_digit(sb.buf[0]) ? arena_printf(a, "c_%s", sb.buf) : arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static bool name_taken(const char **names, size_t n, size_t except, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (i != except && names[i] && strcmp(names[i], s) == 0)
            return true;
    return false;
}

void eng_unique_names(struct arena *a, const char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || !*names[i])
            names[i] = arena_printf(a, "column_%zu", i + 1);
        /* A name that an earlier column holds gets the first free suffix. */
        bool earlier = false;
        for (size_t j = 0; j < i; j++)
            earlier = earlier || strcmp(names[j], names[i]) == 0;
        if (!earlier)
            continue;
        for (int k = 2;; k++) {
            char *cand = arena_printf(a, "%s_%d", names[i], k);
            if (!name_taken(names, n, i, cand)) {
                names[i] = cand;
                break;
            }
        }
    }
}

bool eng_dataset_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 48 || s[0] < 'a' || s[0] > 'z' || strncmp(s, "sqlite_", 7) == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_lower_or_digit(s[i]) && s[i] != '_')
            return false;
    return true;
}

const char *eng__ident(struct arena *a, const char *name)
{
    struct sb sb = SB_INIT;
    sb_addc(&sb, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            sb_addc(&sb, '"');
        sb_addc(&sb, *p);
    }
    sb_addc(&sb, '"');
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

/* --- inference and declarations -------------------------------------------- */

void eng__infer_init(struct eng__infer *inf, struct arena *a, const struct eng_column *cols,
                     size_t n)
{
    inf->n = n;
    inf->fits = arena_calloc(a, n ? n : 1, sizeof(unsigned));
    for (size_t i = 0; i < n; i++)
        inf->fits[i] = cols[i].type == ENG_T_AUTO ? ENG_FITS_ALL : 0;
}

void eng__infer_row(struct eng__infer *inf, const struct eng_field *vals)
{
    for (size_t i = 0; i < inf->n; i++)
        if (inf->fits[i] && vals[i].len)
            inf->fits[i] &= eng_value_fits(vals[i].s, vals[i].len);
}

void eng__infer_apply(const struct eng__infer *inf, struct eng_column *cols, size_t n)
{
    for (size_t i = 0; i < n && i < inf->n; i++)
        if (cols[i].type == ENG_T_AUTO) {
            cols[i].type = eng_type_of_fits(inf->fits[i]);
            cols[i].inferred = true;
        }
}

int eng__declare(struct arena *a, struct eng_column *cols, size_t n, const char *const *declared,
                 size_t n_declared, const char *path, struct err *e)
{
    for (size_t d = 0; d < n_declared; d++) {
        const char *colon = strrchr(declared[d], ':');
        if (!colon || colon == declared[d])
            return ERR_SET(e, TL_EUSAGE, "--column '%s' is not NAME:TYPE", declared[d]);
        enum eng_type t = ENG_T_AUTO;
        int rc = eng_type_parse(colon + 1, &t, e);
        if (rc)
            return rc;
        const char *name =
            eng_snake_case(a, arena_strndup(a, declared[d], (size_t)(colon - declared[d])));
        size_t i = 0;
        while (i < n && strcmp(cols[i].name, name) != 0)
            i++;
        if (i == n) {
            struct sb list = SB_INIT;
            for (size_t k = 0; k < n; k++)
                sb_addf(&list, "%s%s", k ? ", " : "", cols[k].name);
            ERR_SET(e, TL_EUSAGE, "--column '%s': '%s' has no column '%s' (columns: %s)",
                    declared[d], path, name, list.buf);
            sb_release(&list);
            return TL_EUSAGE;
        }
        cols[i].type = t;
    }
    return 0;
}

/* --- the table writer -------------------------------------------------------- */

/* The declared SQL type.  Dates and date-times are text with TEXT affinity
 * (a type such as DATE would have NUMERIC affinity, and SQLite would try
 * to read every value as a number first); the comment keeps the Tillit
 * type visible in the schema. */
static const char *sql_type(enum eng_type t)
{
    switch (t) {
    case ENG_T_INTEGER:
        return "INTEGER";
    case ENG_T_REAL:
        return "REAL";
    case ENG_T_BOOLEAN:
        return "INTEGER /* boolean */";
    case ENG_T_DATE:
        return "TEXT /* date */";
    case ENG_T_DATETIME:
        return "TEXT /* datetime */";
    default:
        return "TEXT";
    }
}

static int sq_fail(sqlite3 *db, struct err *e, const char *what)
{
    return ERR_SET(e, TL_ESTORE, "analysis database: %s: %s", what, sqlite3_errmsg(db));
}

static int sq_exec(sqlite3 *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    ERR_SET(e, TL_ESTORE, "analysis database: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return TL_ESTORE;
}

int eng__table_create(struct eng__table *t, sqlite3 *db, struct arena *a, const char *path,
                      const char *name, struct eng_column *cols, size_t n_cols, struct err *e)
{
    memset(t, 0, sizeof(*t));
    t->db = db;
    t->a = a;
    t->path = path;
    t->info.name = name;
    t->info.cols = cols;
    t->info.n_cols = n_cols;
    t->dt = arena_calloc(a, n_cols ? n_cols : 1, sizeof(*t->dt));
    t->row = arena_calloc(a, n_cols ? n_cols : 1, sizeof(*t->row));
    if (n_cols == 0)
        return ERR_SET(e, TL_EINPUT, "'%s' has no columns", path);
    struct sb sql = SB_INIT;
    sb_addf(&sql, "DROP TABLE IF EXISTS %s; CREATE TABLE %s (", eng__ident(a, name),
            eng__ident(a, name));
    for (size_t i = 0; i < n_cols; i++)
        sb_addf(&sql, "%s%s %s", i ? ", " : "", eng__ident(a, cols[i].name),
                sql_type(cols[i].type));
    sb_adds(&sql, ")");
    int rc = sq_exec(db, sql.buf, e);
    /* Many rows per statement spare SQLite a statement's start and end per
     * row; SQLite allows 32766 parameters per statement. */
    t->many = 32000 / n_cols < 32 ? (32000 / n_cols ? 32000 / n_cols : 1) : 32;
    for (int k = 0; rc == 0 && k < 2; k++) {
        size_t rows = k ? t->many : 1;
        if (k && rows == 1)
            break;
        sb_reset(&sql);
        sb_addf(&sql, "INSERT INTO %s VALUES ", eng__ident(a, name));
        for (size_t r = 0; r < rows; r++) {
            sb_adds(&sql, r ? ", (" : "(");
            for (size_t i = 0; i < n_cols; i++)
                sb_adds(&sql, i ? ", ?" : "?");
            sb_adds(&sql, ")");
        }
        if (sqlite3_prepare_v3(db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT,
                               k ? &t->ins_many : &t->ins, NULL))
            rc = sq_fail(db, e, "preparing the insert");
    }
    sb_release(&sql);
    return rc;
}

static int bad_value(const struct eng__table *t, const struct eng_column *c,
                     const struct eng_field *v, int line, struct err *e)
{
    ERR_SET(e, TL_EINPUT, "column '%s' is %s, but '%.40s%s' is not", c->name,
            eng_type_name(c->type), v->s, v->len > 40 ? "..." : "");
    err_where(e, t->path, line, 0);
    return TL_EINPUT;
}

int eng__convert(const struct eng__table *t, size_t col, const struct eng_field *v,
                 char dt[ENG_DATETIME_BUF], int line, struct eng__value *out, struct err *e)
{
    const struct eng_column *c = &t->info.cols[col];
    if (!v->s || v->len == 0) {
        out->kind = ENG_V_NULL;
        return 0;
    }
    if (!c->inferred && c->type != ENG_T_TEXT && c->type != ENG_T_DATETIME &&
        !(eng_value_fits(v->s, v->len) & (1u << (c->type - 1))))
        return bad_value(t, c, v, line, e);
    switch (c->type) {
    case ENG_T_INTEGER:
        out->kind = ENG_V_INT;
        out->i = strtoll(v->s, NULL, 10);
        break;
    case ENG_T_REAL:
        out->kind = ENG_V_REAL;
        out->d = strtod(v->s, NULL);
        break;
    case ENG_T_BOOLEAN:
        out->kind = ENG_V_INT;
        out->i = (v->s[0] | 0x20) == 't';
        break;
    case ENG_T_DATETIME:
        if (eng_datetime_norm(v->s, v->len, dt) != 0)
            return bad_value(t, c, v, line, e);
        out->kind = ENG_V_TEXT;
        out->s = dt;
        out->len = 20;
        break;
    default:
        out->kind = ENG_V_TEXT;
        out->s = v->s;
        out->len = v->len;
        break;
    }
    return 0;
}

static void bind_row(sqlite3_stmt *st, int first, const struct eng__value *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int col = first + (int)i;
        switch (v[i].kind) {
        case ENG_V_INT:
            sqlite3_bind_int64(st, col, v[i].i);
            break;
        case ENG_V_REAL:
            sqlite3_bind_double(st, col, v[i].d);
            break;
        case ENG_V_TEXT:
            sqlite3_bind_text(st, col, v[i].s, (int)v[i].len, SQLITE_STATIC);
            break;
        default:
            sqlite3_bind_null(st, col);
            break;
        }
    }
}

int eng__table_insert_values(struct eng__table *t, const struct eng__value *vals, size_t n,
                             struct err *e)
{
    size_t nc = t->info.n_cols, done = 0;
    while (done < n) {
        bool bulk = t->ins_many && n - done >= t->many;
        sqlite3_stmt *st = bulk ? t->ins_many : t->ins;
        size_t rows = bulk ? t->many : 1;
        for (size_t r = 0; r < rows; r++)
            bind_row(st, (int)(r * nc) + 1, vals + (done + r) * nc, nc);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return sq_fail(t->db, e, "inserting rows");
        done += rows;
        t->info.rows += (int64_t)rows;
    }
    return 0;
}

int eng__table_insert(struct eng__table *t, const struct eng_field *vals, int line, struct err *e)
{
    size_t nc = t->info.n_cols;
    for (size_t i = 0; i < nc; i++) {
        int rc = eng__convert(t, i, &vals[i], t->dt[i], line, &t->row[i], e);
        if (rc)
            return rc;
    }
    return eng__table_insert_values(t, t->row, 1, e);
}

int eng__table_finish(struct eng__table *t, struct err *e)
{
    (void)e;
    eng__table_release(t);
    return 0;
}

void eng__table_release(struct eng__table *t)
{
    sqlite3_finalize(t->ins);
    sqlite3_finalize(t->ins_many);
    t->ins = t->ins_many = NULL;
}

/* --- the analysis database --------------------------------------------------- */

static int make_parent_dir(const char *path, struct err *e)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            rc = ERR_SET(e, TL_EIO, "cannot create directory '%s': %s", dir, strerror(errno));
    }
    free(dir);
    return rc;
}

int eng_adb_open(const char *path, bool readonly, struct eng_adb **out, struct err *e)
{
    struct stat st;
    if (readonly && stat(path, &st) != 0)
        return ERR_SET(e, TL_ENOTFOUND, "no datasets loaded yet (no analysis database '%s')", path);
    if (!readonly && make_parent_dir(path, e))
        return TL_EIO;
    struct eng_adb *db = xcalloc(1, sizeof(*db));
    db->path = xstrdup(path);
    db->readonly = readonly;
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = 0;
    if (sqlite3_open_v2(path, &db->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = ERR_SET(e, TL_ESTORE, "cannot open analysis database '%s': %s", path,
                     db->db ? sqlite3_errmsg(db->db) : "out of memory");
    } else {
        sqlite3_busy_timeout(db->db, 5000);
        sqlite3_extended_result_codes(db->db, 1);
        /* "name" is an identifier, never a string: a misspelt column in a
         * check must fail, not compare against the text of its name. */
        sqlite3_db_config(db->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
        sqlite3_db_config(db->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
        /* A scratch copy of exports: no fsync (a crash of the machine may
         * lose the last load, never Tillit's records), a rollback journal
         * so that a failed load leaves nothing behind. */
        rc = sq_exec(db->db,
                     readonly ? "PRAGMA query_only=ON; PRAGMA cache_size=-65536;"
                              : "PRAGMA page_size=16384; PRAGMA journal_mode=TRUNCATE;"
                                "PRAGMA synchronous=OFF;"
                                "PRAGMA cache_size=-16384;"
                                "CREATE TABLE IF NOT EXISTS _tillit_dataset ("
                                " name TEXT PRIMARY KEY, kind TEXT NOT NULL,"
                                " sha256 TEXT NOT NULL, rows INTEGER NOT NULL,"
                                " tables TEXT NOT NULL, loaded_at TEXT NOT NULL)",
                     e);
    }
    if (rc) {
        eng_adb_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

sqlite3 *eng__adb_handle(struct eng_adb *db)
{
    return db->db;
}

void eng_adb_close(struct eng_adb *db)
{
    if (!db)
        return;
    if (db->in_load)
        eng_load_abort(db);
    sqlite3_close_v2(db->db);
    free(db->path);
    free(db);
}

/* The tables a kind creates for a dataset. */
static size_t kind_tables(struct arena *a, const char *kind, const char *name, const char **out)
{
    out[0] = name;
    if (strcmp(kind, "github-pulls") == 0) {
        out[1] = arena_printf(a, "%s_reviews", name);
        return 2;
    }
    return 1;
}

/* Refuses a table name that another dataset owns. */
static int check_owner(struct eng_adb *db, struct arena *a, const char *name, const char *table,
                       struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT m.name FROM _tillit_dataset m, json_each(m.tables) t "
                           "WHERE t.value = ?1 AND m.name <> ?2",
                           -1, &st, NULL))
        return sq_fail(db->db, e, "reading datasets");
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = ERR_SET(e, TL_ECONFLICT,
                     "dataset name '%s' is taken: table '%s' belongs to dataset '%s'", name, table,
                     arena_strdup(a, (const char *)sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return rc;
}

/* Drops the tables of the dataset's previous version. */
static int drop_old(struct eng_adb *db, struct arena *a, const char *name, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT t.value FROM _tillit_dataset m, json_each(m.tables) t "
                           "WHERE m.name = ?1",
                           -1, &st, NULL))
        return sq_fail(db->db, e, "reading datasets");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    struct sb sql = SB_INIT;
    while (sqlite3_step(st) == SQLITE_ROW)
        sb_addf(&sql, "DROP TABLE IF EXISTS %s;",
                eng__ident(a, (const char *)sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    int rc = sql.len ? sq_exec(db->db, sql.buf, e) : 0;
    sb_release(&sql);
    return rc;
}

static int record_meta(struct eng_adb *db, struct arena *a, const struct eng_load_in *in,
                       const struct eng_load_out *out, struct err *e)
{
    struct sb tables = SB_INIT;
    sb_addc(&tables, '[');
    for (size_t i = 0; i < out->n_tables; i++)
        sb_addf(&tables, "%s\"%s\"", i ? "," : "", out->tables[i].name);
    sb_addc(&tables, ']');
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(db->db,
                           "INSERT OR REPLACE INTO _tillit_dataset "
                           "(name, kind, sha256, rows, tables, loaded_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &st, NULL)) {
        rc = sq_fail(db->db, e, "recording the dataset");
    } else {
        sqlite3_bind_text(st, 1, in->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, in->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, out->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, out->tables[0].rows);
        sqlite3_bind_text(st, 5, tables.buf, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, in->loaded_at ? in->loaded_at : "", -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sq_fail(db->db, e, "recording the dataset");
        sqlite3_finalize(st);
    }
    (void)a;
    sb_release(&tables);
    return rc;
}

typedef int (*loader_fn)(sqlite3 *, struct arena *, const struct eng_load_in *,
                         struct eng_load_out *, struct err *);

static loader_fn loader_for(const char *kind)
{
    static const struct {
        const char *kind;
        loader_fn fn;
    } loaders[] = {
        {"csv", eng__load_csv},   {"jsonl", eng__load_jsonl},
        {"json", eng__load_json}, {"aws-iam-credential-report", eng__load_aws_credentials},
        {"git", eng__load_git},   {"github-pulls", eng__load_pulls},
    };
    for (size_t i = 0; i < sizeof(loaders) / sizeof(*loaders); i++)
        if (strcmp(loaders[i].kind, kind) == 0)
            return loaders[i].fn;
    return NULL;
}

int eng_load_begin(struct eng_adb *db, struct arena *a, const struct eng_load_in *in,
                   struct eng_load_out *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    if (!eng_dataset_name_ok(in->name))
        return ERR_SET(e, TL_EUSAGE,
                       "invalid dataset name '%s' (a lowercase letter, then up to 47 lowercase "
                       "letters, digits or '_')",
                       in->name);
    loader_fn fn = loader_for(in->kind);
    if (!fn)
        return ERR_SET(e, TL_EUSAGE,
                       "unknown kind '%s' (expected csv, jsonl, json, aws-iam-credential-report, "
                       "git or github-pulls)",
                       in->kind);
    if (db->readonly || db->in_load)
        return ERR_SET(e, TL_EINTERNAL, "analysis database is read-only or busy loading");
    const char *tables[2];
    size_t n_tables = kind_tables(a, in->kind, in->name, tables);
    int rc = sq_exec(db->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    db->in_load = true;
    for (size_t i = 0; rc == 0 && i < n_tables; i++)
        rc = check_owner(db, a, in->name, tables[i], e);
    if (rc == 0)
        rc = drop_old(db, a, in->name, e);
    if (rc == 0)
        rc = fn(db->db, a, in, out, e);
    if (rc == 0)
        rc = record_meta(db, a, in, out, e);
    if (rc)
        eng_load_abort(db);
    return rc;
}

int eng_load_commit(struct eng_adb *db, struct err *e)
{
    if (!db->in_load)
        return ERR_SET(e, TL_EINTERNAL, "no load to commit");
    int rc = sq_exec(db->db, "COMMIT", e);
    if (rc) {
        eng_load_abort(db);
        return rc;
    }
    db->in_load = false;
    return 0;
}

void eng_load_abort(struct eng_adb *db)
{
    if (!db->in_load)
        return;
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    db->in_load = false;
}

int eng_adb_dataset_sha(struct eng_adb *db, struct arena *a, const char *name, const char **sha,
                        bool *found, struct err *e)
{
    sqlite3_stmt *st;
    *found = false;
    *sha = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT sha256 FROM _tillit_dataset WHERE name = ?1", -1, &st,
                           NULL))
        return sq_fail(db->db, e, "reading datasets");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        *sha = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(db->db, e, "reading datasets");
}

int eng_adb_rows(struct eng_adb *db, const char *table, const char *date_col, const char *start,
                 const char *end, int64_t limit,
                 int (*fn)(void *ud, const char *const *cols, const char *const *vals, size_t n),
                 void *ud, int64_t *total, struct err *e)
{
    struct arena a = ARENA_INIT;
    struct sb sql = SB_INIT;
    char next[DATE_BUF] = "";
    int rc = 0;
    sb_addf(&sql, "SELECT * FROM %s", eng__ident(&a, table));
    if (date_col) {
        tl_date s = 0, t = 0;
        if (date_parse(start, &s, e) || date_parse(end, &t, e)) {
            rc = TL_EINPUT;
            goto done;
        }
        if (s > t) {
            rc = ERR_SET(e, TL_EINPUT, "period '%s..%s' ends before it starts", start, end);
            goto done;
        }
        date_format(t + 1, next);
        /* Text comparison works for dates and for canonical date-times alike. */
        sb_addf(&sql, " WHERE %s >= ?1 AND %s < ?2", eng__ident(&a, date_col),
                eng__ident(&a, date_col));
    }
    sb_adds(&sql, " ORDER BY rowid");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        const char *msg = sqlite3_errmsg(db->db);
        if (strstr(msg, "no such column"))
            rc = ERR_SET(e, TL_ENOTFOUND, "table '%s' has no column '%s'", table, date_col);
        else if (strstr(msg, "no such table"))
            rc = ERR_SET(e, TL_ENOTFOUND, "no table '%s' in the analysis database", table);
        else
            rc = sq_fail(db->db, e, "reading rows");
        goto done;
    }
    if (date_col) {
        sqlite3_bind_text(st, 1, start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, next, -1, SQLITE_STATIC);
    }
    size_t n = (size_t)sqlite3_column_count(st);
    const char **cols = arena_calloc(&a, n + 1, sizeof(char *));
    const char **vals = arena_calloc(&a, n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        cols[i] = arena_strdup(&a, sqlite3_column_name(st, (int)i));
    int64_t count = 0;
    bool stopped = fn(ud, cols, NULL, n) != 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!stopped && (limit < 0 || count < limit)) {
            for (size_t i = 0; i < n; i++)
                vals[i] = (const char *)sqlite3_column_text(st, (int)i);
            if (fn(ud, cols, vals, n) != 0)
                stopped = true;
        } else {
            stopped = true;
        }
        count++;
        if (stopped && !total)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = sq_fail(db->db, e, "reading rows");
    sqlite3_finalize(st);
    if (total)
        *total = count;
done:
    sb_release(&sql);
    arena_release(&a);
    return rc;
}

/* --- hashing beside the load ---------------------------------------------------- */

static void *hash_thread(void *arg)
{
    struct eng__hasher *h = arg;
    int fd = open(h->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        h->err_no = errno;
        return NULL;
    }
    struct eng__sha256 ctx;
    eng__sha256_begin(&ctx);
    char *buf = xmalloc(1 << 20);
    for (;;) {
        ssize_t n = read(fd, buf, 1 << 20);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            h->err_no = errno;
        if (n <= 0)
            break;
        eng__sha256_update(&ctx, buf, (size_t)n);
        h->bytes += (uint64_t)n;
    }
    eng__sha256_end(&ctx, h->sha256);
    free(buf);
    close(fd);
    return NULL;
}

static int file_id(const char *path, uint64_t *size, uint64_t *mtime_ns, uint64_t *ino,
                   struct err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EIO, "cannot open '%s': %s", path,
                       strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ERR_SET(e, TL_EINPUT, "'%s' is not a regular file", path);
    *size = (uint64_t)st.st_size;
    *mtime_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
    *ino = (uint64_t)st.st_ino;
    return 0;
}

int eng__hash_start(struct eng__hasher *h, const char *path, struct err *e)
{
    memset(h, 0, sizeof(*h));
    int rc = file_id(path, &h->size, &h->mtime_ns, &h->ino, e);
    if (rc)
        return rc;
    h->path = xstrdup(path);
    pthread_t *t = xmalloc(sizeof(*t));
    if (pthread_create(t, NULL, hash_thread, h) != 0) {
        /* No thread to spare: hash here and now. */
        free(t);
        hash_thread(h);
        return 0;
    }
    h->thread = t;
    return 0;
}

int eng__hash_finish(struct eng__hasher *h, char out[SHA256_HEX], uint64_t *bytes, struct err *e)
{
    if (!h->path)
        return ERR_SET(e, TL_EINTERNAL, "no hash was started");
    if (h->thread) {
        pthread_join(*(pthread_t *)h->thread, NULL);
        free(h->thread);
        h->thread = NULL;
    }
    uint64_t size = 0, mtime = 0, ino = 0;
    int rc = file_id(h->path, &size, &mtime, &ino, e);
    if (rc == 0 && h->err_no)
        rc = ERR_SET(e, TL_EIO, "cannot read '%s': %s", h->path, strerror(h->err_no));
    if (rc == 0 && (size != h->size || mtime != h->mtime_ns || ino != h->ino || h->bytes != size))
        rc = ERR_SET(e, TL_EINPUT, "'%s' changed while it was being loaded", h->path);
    if (rc == 0) {
        memcpy(out, h->sha256, SHA256_HEX);
        if (bytes)
            *bytes = h->bytes;
    }
    free(h->path);
    h->path = NULL;
    return rc;
}

/* --- recognizing inputs --------------------------------------------------------- */

const char *eng__sniff(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return "a missing file";
    if (S_ISDIR(st.st_mode)) {
        struct sb p = SB_INIT;
        sb_addf(&p, "%s/HEAD", path);
        bool bare = stat(p.buf, &st) == 0;
        sb_reset(&p);
        sb_addf(&p, "%s/.git", path);
        bool work = stat(p.buf, &st) == 0;
        sb_release(&p);
        return bare || work ? "a git repository" : "a directory";
    }
    char head[4096];
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof(head) - 1, f);
        fclose(f);
    }
    head[n] = '\0';
    if (n == 0)
        return "an empty file";
    if (memchr(head, '\0', n))
        return "binary data";
    const char *p = head;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    p += strspn(p, " \t\r\n");
    if (*p == '[') {
        if (strstr(p, "\"number\"") && strstr(p, "\"head\"") && strstr(p, "\"base\""))
            return "a GitHub pull request export";
        return "a JSON array";
    }
    if (*p == '{') {
        /* JSON Lines: the first line is a whole object and another follows. */
        const char *nl = strchr(p, '\n');
        const char *after = nl ? nl + strspn(nl, " \t\r\n") : NULL;
        json_t *first = nl ? json_loadb(p, (size_t)(nl - p), 0, NULL) : NULL;
        bool lines = first && after && *after == '{';
        json_decref(first);
        if (lines)
            return "JSON Lines";
        if (strstr(p, "\"number\"") && strstr(p, "\"head\"") && strstr(p, "\"base\""))
            return "a GitHub pull request";
        return "a JSON object";
    }
    if (strncmp(p, "user,arn,user_creation_time,", 28) == 0)
        return "an AWS IAM credential report";
    return "CSV or text";
}
