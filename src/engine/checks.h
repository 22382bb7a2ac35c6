/* checks.h - checks: SQL over datasets that returns the exceptions to a
 * control.
 *
 * A check is a YAML file (content/checks/<id>.yaml, docs/checks.md): an id,
 * a title and description in English and Swedish, the library controls and
 * criteria it gives evidence for, the datasets it reads, a population query
 * (the items tested) and an exception query (the items that fail).  Both
 * queries may use the parameters :as_of, :period_start and :period_end
 * (ISO dates).  A check runs on a read-only connection to the analysis
 * database whose authorizer allows nothing but reading the tables of the
 * check's own datasets: no writes, no pragmas, no ATTACH, and no table the
 * check did not declare.  Errors in the SQL name the check file and the
 * line (and column) in it.
 *
 * Ownership: a parsed check lives in the arena given to eng_check_parse.
 * A result's rows are a jansson array the caller owns (json_decref).
 */
#ifndef TL_CHECKS_H
#define TL_CHECKS_H

#include "base/arena.h"
#include "base/err.h"
#include "engine/dataset.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a query's text starts in its file, to turn an offset into file:line:col. */
struct eng_check_src {
    int line, col; /* of the first character of the text */
    bool block;    /* a block scalar (|): each line is indented by col - 1 */
};

struct eng_check {
    const char *id;
    const char *path; /* the file, for messages */
    const char *title_en, *title_sv, *desc_en, *desc_sv;
    const char **controls; /* library control codes */
    size_t n_controls;
    const char **criteria; /* catalog ids */
    size_t n_criteria;
    const char **datasets; /* dataset names */
    size_t n_datasets;
    const char *population, *sql;
    struct eng_check_src population_src, sql_src;
    int controls_line, criteria_line; /* for messages about unknown codes */
};

/** Parses one check file.  Unknown keys, a missing id, title.en,
 *  controls, criteria, datasets, population or sql, an invalid id or
 *  dataset name: TL_EINPUT with path:line:col. */
int eng_check_parse(struct arena *a, const char *path, const char *data, size_t len,
                    struct eng_check *out, struct err *e);

/* The values of the parameters a check may use. */
struct eng_check_params {
    const char *as_of;                     /* YYYY-MM-DD */
    const char *period_start, *period_end; /* YYYY-MM-DD, inclusive */
};

struct eng_check_result {
    int64_t population, exceptions;
    const char **cols; /* of the exception rows */
    size_t n_cols;
    json_t *rows;     /* the first `keep` exception rows, as objects (new reference) */
    bool uses_period; /* a query reads :period_start or :period_end */
};

/** Runs check c over db (opened read-only) allowing it to read tables
 *  [0, n_tables).  Keeps the first keep exception rows.  SQL that fails to
 *  prepare or run: TL_EINPUT naming the check file:line:col. */
int eng_check_run(struct eng_adb *db, struct arena *a, const struct eng_check *c,
                  const char *const *tables, size_t n_tables, const struct eng_check_params *p,
                  size_t keep, struct eng_check_result *out, struct err *e);

#endif
