/* demodata.h - exports of the demo organization for the check pack: an HR
 * list, the identity provider's users, the AWS IAM credential report,
 * GitHub pull requests and the git history they were merged into, backup
 * jobs, a vulnerability scan, training records, policy acknowledgments,
 * storage volumes, incidents, change tickets, deployments, access reviews
 * and managed devices.
 *
 * Everything is dated relative to an as-of date (today, unless given) and
 * drawn from a generator seeded by the caller: the same seed, rows and
 * as-of date give byte-identical files.  Every record is compliant except
 * a few planted exceptions, the same for any seed and any row count; the
 * manifest (manifest.json in the directory, docs/checks.md) lists, per
 * check, the rows it must find.  --rows scales the large exports
 * (vulnerabilities, backup jobs, deployments and their change tickets),
 * which are written as they are generated: memory does not grow with rows.
 * Results live in the caller's arena.
 */
#ifndef TL_APP_DEMODATA_H
#define TL_APP_DEMODATA_H

#include "app/dataset.h"
#include "app/record.h"

#include <stddef.h>
#include <stdint.h>

#define APP_DEMO_DATA_MIN_ROWS 1000

struct app_demo_data_in {
    const char *dir; /* created if missing */
    uint64_t seed;
    int64_t rows;      /* 0 = the default size; else at least APP_DEMO_DATA_MIN_ROWS */
    const char *as_of; /* YYYY-MM-DD; NULL = today */
};

struct app_demo_data_file {
    const char *name; /* the dataset name the checks expect */
    const char *path; /* the file (or repository) written */
    const char *kind; /* what to load it as */
    int64_t rows;
};

struct app_demo_data {
    struct app_demo_data_file *files;
    size_t n_files;
    const char *as_of, *period_start, *period_end;
    const char *manifest; /* path of manifest.json */
    size_t planted;       /* exception rows planted, over all checks */
};

/** Writes the demo exports and the manifest into in->dir. */
int app_demo_data(struct app *app, struct arena *a, const struct app_demo_data_in *in,
                  struct app_demo_data *out, struct err *e);

/** Loads every file of gen as its dataset for org (app_dataset_load each). */
int app_demo_data_load(struct app *app, struct arena *a, const struct app_org *org,
                       const struct app_demo_data *gen, struct app_dataset **out, size_t *n,
                       struct err *e);

#endif
