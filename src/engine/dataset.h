/* dataset.h - datasets: exports (CSV, JSON, JSON Lines, git history, GitHub
 * pull requests, the AWS IAM credential report) loaded into the analysis
 * database, where checks query them.
 *
 * The analysis database is a scratch SQLite file per organization, separate
 * from Tillit's own database.  It is reached with sqlite3 directly, not
 * through store/: it holds copies of the organization's exports (tables
 * whose columns come from the files), never program records, and checks
 * need what the store interface deliberately hides (an authorizer, error
 * offsets, bulk loading pragmas).  See docs/internals/datasets.md.
 *
 * A load is two passes over the input: the first validates it (RFC 4180,
 * UTF-8, a consistent number of fields) and infers the type of each column
 * over all rows; the second inserts the typed values.  Both stream with a
 * bounded buffer, so memory does not grow with the file.  A load runs in
 * one transaction of the analysis database that eng_load_begin() leaves
 * open: the caller records the provenance in Tillit's database and then
 * commits (eng_load_commit) or aborts (eng_load_abort); an aborted load
 * leaves the analysis database as it was.
 *
 * Ownership: struct eng_adb and struct eng_csv are owned by whoever opened
 * them and closed with eng_adb_close / eng_csv_close.  Results (names,
 * column lists, rows) live in the arena passed in.  Fields returned by
 * eng_csv_next() are owned by the reader and valid until the next call.
 */
#ifndef TL_DATASET_H
#define TL_DATASET_H

#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- column types ------------------------------------------------------- */

enum eng_type {
    ENG_T_AUTO,     /* not declared: inferred over all rows */
    ENG_T_INTEGER,  /* 64-bit, no leading zeros ("007" stays text) */
    ENG_T_REAL,     /* decimal or exponent notation */
    ENG_T_BOOLEAN,  /* true/false in any case, stored as 1/0 */
    ENG_T_DATE,     /* YYYY-MM-DD, stored as that text */
    ENG_T_DATETIME, /* ISO 8601 with time, stored as UTC "YYYY-MM-DDTHH:MM:SSZ" */
    ENG_T_TEXT,
};

/* What a value can be read as (a bit per type; text always fits). */
#define ENG_FITS_INTEGER (1u << 0)
#define ENG_FITS_REAL (1u << 1)
#define ENG_FITS_BOOLEAN (1u << 2)
#define ENG_FITS_DATE (1u << 3)
#define ENG_FITS_DATETIME (1u << 4)
#define ENG_FITS_ALL 0x1fu

#define ENG_DATETIME_BUF 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/** "integer", "real", "boolean", "date", "datetime", "text" ("auto" for ENG_T_AUTO). */
const char *eng_type_name(enum eng_type t);

/** Parses a type name; TL_EUSAGE listing the names otherwise. */
int eng_type_parse(const char *s, enum eng_type *out, struct err *e);

/** The types the len bytes at s can be read as (ENG_FITS_*).  An empty
 *  value fits everything: it is loaded as NULL. */
unsigned eng_value_fits(const char *s, size_t len);

/** The column type for the intersection of its values' fits: the first of
 *  integer, real, boolean, date, datetime that all values fit, else text. */
enum eng_type eng_type_of_fits(unsigned fits);

/** Normalizes a date or date-time value to UTC "YYYY-MM-DDTHH:MM:SSZ" (a
 *  bare date is midnight; no zone means UTC; fractions of a second are
 *  dropped).  Returns 0, or -1 when the value is not one. */
int eng_datetime_norm(const char *s, size_t len, char out[ENG_DATETIME_BUF]);

/* --- names -------------------------------------------------------------- */

/** A header as a snake_case column name: "User Name" -> "user_name",
 *  "VolumeId" -> "volume_id", "2fa" -> "c_2fa", "" -> "". In a. */
char *eng_snake_case(struct arena *a, const char *s);

/** Makes names[0..n) usable and distinct: empty ones become "column_<i+1>",
 *  repeats get "_2", "_3"...  Replaces entries with copies in a. */
void eng_unique_names(struct arena *a, const char **names, size_t n);

/** Whether s is a valid dataset name: [a-z][a-z0-9_]{0,47}. */
bool eng_dataset_name_ok(const char *s);

/* --- UTF-8 -------------------------------------------------------------- */

/** Offset of the first byte of s[0..len) that is not well-formed UTF-8
 *  (overlongs, surrogates and code points past U+10FFFF are refused), or
 *  len when all of it is. */
size_t eng_utf8_check(const char *s, size_t len);

/* --- CSV ----------------------------------------------------------------- */

/* A field: NUL-terminated text of len bytes (no NUL inside). */
struct eng_field {
    const char *s;
    size_t len;
};

struct eng_csv;

#define ENG_CSV_MAX_RECORD ((size_t)64 << 20) /* one record, for bounded memory */

/** Opens a CSV file for streaming (RFC 4180: comma separator, CRLF or LF
 *  records, double quotes with "" escapes, fields spanning lines; a UTF-8
 *  byte order mark is skipped, empty lines are skipped). */
int eng_csv_open(const char *path, struct eng_csv **out, struct err *e);

/** The same over bytes in memory (borrowed until close); name is for messages. */
int eng_csv_open_mem(const char *name, const char *data, size_t len, struct eng_csv **out,
                     struct err *e);

/** Reads the next record: TL_ROW with *fields / *n set, TL_DONE at the end,
 *  or TL_EINPUT naming file:line (unterminated quote: the line it opened;
 *  invalid UTF-8 or a NUL byte: file:line:col of the byte; text after a
 *  closing quote: file:line:col) or TL_ETOOBIG for a record over
 *  ENG_CSV_MAX_RECORD. */
int eng_csv_next(struct eng_csv *c, const struct eng_field **fields, size_t *n, struct err *e);

/** The line on which the last record returned started (1-based). */
int eng_csv_line(const struct eng_csv *c);

/** Starts over from the first byte (a second pass). */
int eng_csv_rewind(struct eng_csv *c, struct err *e);

void eng_csv_close(struct eng_csv *c);

/* --- the analysis database -------------------------------------------- */

struct eng_adb;

/** Opens (creating file and directory unless readonly) an analysis
 *  database.  A writable one runs with synchronous=OFF and a rollback
 *  journal in TRUNCATE mode: a crash of the machine may lose a load, a
 *  failed load rolls back (docs/internals/datasets.md). */
int eng_adb_open(const char *path, bool readonly, struct eng_adb **out, struct err *e);

/** Closes; rolls back a load still open.  NULL is a no-op. */
void eng_adb_close(struct eng_adb *db);

/** The kinds of input a dataset can be loaded from, NULL-terminated:
 *  csv, jsonl, json, aws-iam-credential-report, git, github-pulls. */
extern const char *const eng_kinds[];

struct eng_column {
    const char *name;   /* snake_case, as in SQL */
    const char *source; /* the header or JSON path it came from */
    enum eng_type type;
    bool inferred; /* the type came from the values, which all fit it */
};

struct eng_table_info {
    const char *name;
    struct eng_column *cols;
    size_t n_cols;
    int64_t rows;
};

struct eng_load_in {
    const char *name;            /* dataset name (eng_dataset_name_ok) */
    const char *kind;            /* one of eng_kinds */
    const char *path;            /* the file, or for git the repository */
    const char *const *declared; /* "column:type" overrides */
    size_t n_declared;
    const char *loaded_at; /* recorded in the analysis database */
};

struct eng_load_out {
    char sha256[SHA256_HEX];       /* of the file; for git, of the commit ids loaded */
    uint64_t bytes;                /* the file's size (0 for git) */
    struct eng_table_info *tables; /* the dataset's table first, then any others */
    size_t n_tables;
};

/** Reads in->path as in->kind into the dataset's tables, replacing any
 *  previous version, inside a transaction left open on success.  A file of
 *  another kind is recognized and refused naming what it looks like. */
int eng_load_begin(struct eng_adb *db, struct arena *a, const struct eng_load_in *in,
                   struct eng_load_out *out, struct err *e);

/** Commits the open load. */
int eng_load_commit(struct eng_adb *db, struct err *e);

/** Rolls the open load back: the analysis database is as before. */
void eng_load_abort(struct eng_adb *db);

/** The fingerprint the analysis database holds for dataset name (the
 *  SHA-256 recorded by its load), so that callers can tell whether it is
 *  the version they recorded; *found false when it holds none. */
int eng_adb_dataset_sha(struct eng_adb *db, struct arena *a, const char *name, const char **sha,
                        bool *found, struct err *e);

/* --- reading rows --------------------------------------------------------- */

/** Rows of table in insertion order, as text (NULL for SQL NULL).  With
 *  date_col, only rows whose date or date-time column falls within
 *  [start, end] (inclusive dates).  fn is called first with vals NULL
 *  (the header), then for each row; it stops after limit rows (limit < 0:
 *  all) or when fn returns non-zero.  With total non-NULL the rows are
 *  counted to the end: *total is how many matched. */
int eng_adb_rows(struct eng_adb *db, const char *table, const char *date_col, const char *start,
                 const char *end, int64_t limit,
                 int (*fn)(void *ud, const char *const *cols, const char *const *vals, size_t n),
                 void *ud, int64_t *total, struct err *e);

/* --- internals shared by the loaders (dataset*.c) ----------------------- */

struct sqlite3;
struct sqlite3_stmt;

/* A value converted for binding (text borrowed from the caller). */
enum eng__vkind { ENG_V_NULL, ENG_V_INT, ENG_V_REAL, ENG_V_TEXT };

struct eng__value {
    enum eng__vkind kind;
    int64_t i;
    double d;
    const char *s;
    size_t len;
};

/* A table being written: created with its typed columns, filled through
 * prepared INSERTs (one row, or many per statement) whose text bindings
 * borrow the caller's values: they must stay valid until the insert returns. */
struct eng__table {
    struct sqlite3 *db;
    struct arena *a;
    const char *path; /* input, for messages */
    struct eng_table_info info;
    struct sqlite3_stmt *ins;      /* one row */
    struct sqlite3_stmt *ins_many; /* many rows per statement, NULL when many is 1 */
    size_t many;
    char (*dt)[ENG_DATETIME_BUF]; /* normalized date-times of the row being bound */
    struct eng__value *row;       /* its converted values */
};

/* Converts value v of column col; a date-time is normalized into dt, which
 * out then borrows.  A value that does not fit a declared type fails with
 * TL_EINPUT naming the column, the value and line. */
int eng__convert(const struct eng__table *t, size_t col, const struct eng_field *v,
                 char dt[ENG_DATETIME_BUF], int line, struct eng__value *out, struct err *e);

/* Inserts n rows of converted values (row-major, n_cols each), many rows
 * per statement. */
int eng__table_insert_values(struct eng__table *t, const struct eng__value *vals, size_t n,
                             struct err *e);

/* Column typing over a pass: one mask of ENG_FITS_* per column. */
struct eng__infer {
    unsigned *fits;
    size_t n;
};

/* Columns already typed (declared) are not inferred. */
void eng__infer_init(struct eng__infer *inf, struct arena *a, const struct eng_column *cols,
                     size_t n);
void eng__infer_row(struct eng__infer *inf, const struct eng_field *vals);
/* Final types: declared where given (cols[i].type != ENG_T_AUTO), inferred otherwise. */
void eng__infer_apply(const struct eng__infer *inf, struct eng_column *cols, size_t n);

/* Applies "column:type" overrides to cols (names matched after snake_case). */
int eng__declare(struct arena *a, struct eng_column *cols, size_t n, const char *const *declared,
                 size_t n_declared, const char *path, struct err *e);

int eng__table_create(struct eng__table *t, struct sqlite3 *db, struct arena *a, const char *path,
                      const char *name, struct eng_column *cols, size_t n_cols, struct err *e);
/* Converts and inserts one row of n_cols values (s == NULL or len 0: NULL);
 * line names the input line in conversion errors (0 = none). */
int eng__table_insert(struct eng__table *t, const struct eng_field *vals, int line, struct err *e);
int eng__table_finish(struct eng__table *t, struct err *e);
void eng__table_release(struct eng__table *t);

/* Loaders, one per kind: fill out->tables (and sha256, bytes). */
int eng__load_csv(struct sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                  struct eng_load_out *out, struct err *e);
int eng__load_aws_credentials(struct sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                              struct eng_load_out *out, struct err *e);
int eng__load_json(struct sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                   struct eng_load_out *out, struct err *e);
int eng__load_jsonl(struct sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                    struct eng_load_out *out, struct err *e);
int eng__load_pulls(struct sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                    struct eng_load_out *out, struct err *e);
int eng__load_git(struct sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                  struct eng_load_out *out, struct err *e);

/* What the first bytes of a file look like, for refusing the wrong kind:
 * "a GitHub pull request export", "an AWS IAM credential report", "JSON",
 * "JSON Lines", "CSV", "a git repository", "an empty file", "binary data". */
const char *eng__sniff(const char *path);

/* SHA-256 with the processor's SHA instructions where it has them, else
 * libsodium's (sha256.c); the same digest either way. */
struct eng__sha256 {
    bool ni;
    uint32_t state[8];
    unsigned char block[64];
    size_t fill;
    uint64_t total;
    struct crypto_sha256 portable;
};

void eng__sha256_begin(struct eng__sha256 *h);
void eng__sha256_update(struct eng__sha256 *h, const void *data, size_t len);
void eng__sha256_end(struct eng__sha256 *h, char out[SHA256_HEX]);

/* Hashes a file on a thread of its own while the loader reads it, and
 * notices a file that changes meanwhile (size, modification time, inode
 * before and after).  The SHA-256 of a large export costs as much as
 * parsing it; on another core it costs nothing. */
struct eng__hasher {
    char *path;
    void *thread; /* pthread_t, owned */
    char sha256[SHA256_HEX];
    uint64_t bytes;
    int err_no; /* errno of a failed read, 0 = none */
    uint64_t size, mtime_ns, ino;
};

int eng__hash_start(struct eng__hasher *h, const char *path, struct err *e);
/* Waits for the hash; fails when the file changed since eng__hash_start. */
int eng__hash_finish(struct eng__hasher *h, char out[SHA256_HEX], uint64_t *bytes, struct err *e);

/* The connection of an analysis database (for checks.c). */
struct sqlite3 *eng__adb_handle(struct eng_adb *db);

/* An identifier quoted for SQL ("x" -> "\"x\""), in a. */
const char *eng__ident(struct arena *a, const char *name);

#endif
