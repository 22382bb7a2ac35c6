/* checks.h - the check pack (content/checks/ID.yaml): listing checks,
 * running them over the organization's datasets, and recording each run.
 *
 * A check's controls must be library controls and its criteria catalog
 * criteria; a check file that names others fails to load, naming its
 * file:line.  A run counts the check's population and collects its
 * exception rows on a read-only connection to the analysis database
 * (engine/checks.h), then records, in one audited change per check
 * ("check.run"): a check_run row (population, exceptions, result, the
 * SHA-256 of each dataset read and of the SQL, the first
 * APP_CHECK_KEEP_ROWS exception rows) and, when the organization has
 * adopted any of the check's controls, an evidence item for them holding
 * the full result as JSON.  Results live in the caller's arena.
 */
#ifndef TL_APP_CHECKS_H
#define TL_APP_CHECKS_H

#include "app/record.h"
#include "engine/checks.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_CHECK_KEEP_ROWS 1000 /* exception rows kept with a run */

struct app_check {
    const struct eng_check *def;
    const char *id;
    const char *title, *description; /* in the language asked for (English when missing) */
    const char *path;                /* the file, for messages */
};

/* --- the pack --------------------------------------------------------------- */

/** Every check of the content (embedded, overridden by --content DIR), by
 *  id, checked against the control library and the catalog. */
int app_check_list(struct app *app, struct arena *a, const char *lang, struct app_check **out,
                   size_t *n, struct err *e);

/** One check by id; TL_ENOTFOUND naming it. */
int app_check_get(struct app *app, struct arena *a, const char *lang, const char *id,
                  struct app_check *out, struct err *e);

/* --- running ---------------------------------------------------------------- */

struct app_check_run_in {
    const char *id;     /* one check; NULL = all of them */
    const char *as_of;  /* YYYY-MM-DD; NULL = today (or the end of period) */
    const char *period; /* START..END; NULL = the 12 months that end on as_of */
    const char *lang;
};

enum app_check_status { APP_CHECK_PASS, APP_CHECK_FAIL, APP_CHECK_SKIPPED };

struct app_check_run {
    struct app_check check;
    enum app_check_status status;
    const char *skipped; /* why it did not run (a dataset it needs is not loaded) */
    const char *run_id;
    int64_t population, exceptions;
    const char **cols; /* of the exception rows */
    size_t n_cols;
    const char **cells; /* the kept exception rows as text, row-major; NULL = SQL NULL */
    size_t n_rows;
    const char *rows_json; /* the kept rows, a JSON array of objects */
    const char *as_of, *period_start, *period_end;
    const char *sql_sha256;
    const char *datasets_json; /* [{"name", "sha256", "rows"}] */
    const char *evidence_id;   /* the evidence item of the run, or NULL ... */
    const char *evidence_note; /* ... and then why not */
};

/** Runs the check in->id (NULL: every check) for org.  A check whose
 *  datasets are not all loaded is skipped when running all, and fails
 *  with TL_ENOTFOUND naming the dataset when asked for by id.  Malformed
 *  dates, an as-of date in the future: TL_EINPUT.  A dataset whose rows
 *  are not the version recorded: TL_ECONFLICT.  Runs are recorded as
 *  described above; *out gets one entry per check, in id order. */
int app_check_run(struct app *app, struct arena *a, const struct app_org *org,
                  const struct app_check_run_in *in, struct app_check_run **out, size_t *n,
                  struct err *e);

/** A recorded run, for history. */
struct app_check_run_row {
    const char *id, *check_id, *ran_at, *ran_by, *as_of, *period_start, *period_end;
    int64_t population, exceptions;
    const char *result, *sql_sha256, *datasets_json, *evidence_id;
    const char *rows_json; /* app_check_run_get only: the kept exception rows, a JSON array of
                              objects whose members are in the order of the SQL's columns
                              (alphabetical in runs recorded before that order was kept) */
};

/** The latest runs of check_id (NULL = any), newest first, at most limit. */
int app_check_runs(struct app *app, struct arena *a, const char *org_id, const char *check_id,
                   int64_t limit, struct app_check_run_row **out, size_t *n, struct err *e);

/** One recorded run of org_id by id, with its kept exception rows;
 *  TL_ENOTFOUND naming it. */
int app_check_run_get(struct app *app, struct arena *a, const char *org_id, const char *run_id,
                      struct app_check_run_row *out, struct err *e);

#endif
