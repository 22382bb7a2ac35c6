/* dataset.h - datasets: the organization's exports, loaded for checks and
 * for test populations, with their provenance.
 *
 * The rows live in the organization's analysis database (engine/dataset.h),
 * a SQLite file at $TILLIT_DATA_DIR/<org slug>.sqlite, else next to Tillit's
 * database at <database>.data/<org slug>.sqlite.  Tillit's database keeps
 * the provenance of each dataset (the file's SHA-256 and name, rows,
 * columns and types, who loaded it and when); every load is one audited
 * change ("dataset.load").  A load that fails leaves both databases as
 * they were.  Every function is scoped by an organization; results,
 * strings and arrays live in the caller's arena.
 */
#ifndef TL_APP_DATASET_H
#define TL_APP_DATASET_H

#include "app/record.h"
#include "base/crypto.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app_dataset_col {
    const char *name;   /* the column in SQL */
    const char *type;   /* integer, real, boolean, date, datetime, text */
    const char *source; /* the header (or JSON path) it was read from */
};

struct app_dataset {
    const char *id, *name, *kind;
    const char *source_name; /* the file or repository, without directories */
    const char *sha256;      /* of the file (git: of the commit ids loaded) */
    const char *loaded_by, *loaded_at;
    int64_t size, rows, version;
    struct app_dataset_col *cols; /* of the dataset's main table */
    size_t n_cols;
    const char **tables; /* the dataset's tables: its name first */
    size_t n_tables;
};

struct app_dataset_in {
    const char *name; /* [a-z][a-z0-9_]*, at most 48 characters */
    const char *kind; /* csv, jsonl, json, aws-iam-credential-report, git, github-pulls */
    const char *path;
    const char *const *columns; /* "NAME:TYPE" declarations overriding inference */
    size_t n_columns;
};

/** Where the analysis database of org lives (see above). A database that
 *  is not a file (PostgreSQL) needs $TILLIT_DATA_DIR: TL_EUNSUPPORTED. */
int app_data_path(struct app *app, struct arena *a, const struct app_org *org, const char **path,
                  struct err *e);

/* --- loading ------------------------------------------------------------ */

/** Loads in->path as dataset in->name, replacing an earlier version of
 *  that name.  A file that is not of the kind given (a pull request export
 *  given as a credential report), malformed input (with file:line), an
 *  unknown column in a declaration: TL_EINPUT or TL_EUSAGE, and nothing
 *  changes.  *out is the new provenance. */
int app_dataset_load(struct app *app, struct arena *a, const struct app_org *org,
                     const struct app_dataset_in *in, struct app_dataset *out, struct err *e);

/* --- reading ------------------------------------------------------------ */

/** The datasets of an organization, by name. */
int app_dataset_list(struct app *app, struct arena *a, const char *org_id, struct app_dataset **out,
                     size_t *n, struct err *e);

/** One dataset by name; TL_ENOTFOUND naming it. */
int app_dataset_get(struct app *app, struct arena *a, const char *org_id, const char *name,
                    struct app_dataset *out, struct err *e);

/** Rows of a dataset's table, as text (NULL cells are SQL NULL). */
struct app_rows {
    const char **cols;
    size_t n_cols;
    const char **cells; /* row-major, n_rows * n_cols */
    size_t n_rows;
    int64_t total;           /* rows that matched (also those past the limit) */
    char sha256[SHA256_HEX]; /* of the matching rows as CSV, header first (see below) */
};

struct app_rows_query {
    const char *table;       /* a dataset name, or one of its tables ("github_pulls_reviews") */
    const char *date_column; /* keep rows whose date or date-time falls in period; NULL = all */
    const char *period;      /* "START..END" (inclusive dates) with date_column */
    int64_t limit;           /* rows to return; < 0 = all */
    bool whole;              /* read every matching row: total and sha256 cover them all;
                                false stops after limit (total -1, sha256 "") */
    int64_t offset;          /* matching rows to pass over before the first returned (a page) */
};

/** Rows of q->table in the order they were loaded.  With q->whole the hash
 *  covers every matching row (not only those returned): the header and then each row,
 *  as RFC 4180 CSV with LF line ends, so that a population drawn from a
 *  dataset can be recorded and recomputed.  The dataset's rows must be the
 *  version recorded (else TL_ECONFLICT: reload it).  A column that is not
 *  there, or is not a date or date-time, fails with TL_EINPUT naming it. */
int app_dataset_rows(struct app *app, struct arena *a, const struct app_org *org,
                     const struct app_rows_query *q, struct app_rows *out, struct err *e);

/** A population from a dataset: the values of id_column in the rows of
 *  table dated within period by date_column (NULL = every row), in load
 *  order, with the count and the hash of those rows (as app_dataset_rows).
 *  Rows whose id is NULL are skipped. */
int app_dataset_ids(struct app *app, struct arena *a, const struct app_org *org, const char *table,
                    const char *id_column, const char *date_column, const char *period,
                    const char ***ids, size_t *n, char sha256[SHA256_HEX], struct err *e);

#endif
