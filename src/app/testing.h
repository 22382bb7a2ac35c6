/* testing.h - tests of controls in an engagement: the plan, populations,
 * seeded samples, results and conclusions; findings and remediation.
 *
 * A test is named "ENGAGEMENT:CONTROL[:KIND]" (type2-2026:CHG-01): KIND is
 * design, operating or retest (the latest retest); without it the operating
 * test is meant when there is one, else the test of design.  A population
 * is a set of item ids (sorted bytewise; its SHA-256 is recorded); a sample
 * is drawn from it with a seed (engine/sample.h) and stored with the seed
 * and the population hash, so that app_sample_verify() can recompute it.
 * A result is recorded per sample item; app_test_conclude() derives the
 * conclusion by the rule of the engagement's sampling table
 * (dom_conclude), raises a finding for the exceptions, and freezes the
 * test: a concluded test never changes (TL_ECONFLICT).  Rights are checked
 * with app_eng_authz (engagement.h); every change is one audited
 * transaction; results live in the caller's arena.
 */
#ifndef TL_TESTING_H
#define TL_TESTING_H

#include "app/engagement.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *const app_test_methods[];         /* inquiry ... re-performance */
extern const char *const app_test_results[];         /* pass, exception */
extern const char *const app_finding_severities[];   /* low, medium, high */
extern const char *const app_finding_statuses[];     /* open, remediating, closed */
extern const char *const app_remediation_statuses[]; /* open, in-progress, done */

/* The largest population a test takes (engine/sample.h). */
#define APP_POPULATION_MAX 1000000

struct app_test {
    const char *id, *ref;   /* ref: "type2-2026:CHG-01" or with ":design" / ":retest2" */
    const char *engagement; /* slug */
    const char *control, *control_title;
    const char *kind;           /* design, operating */
    int64_t retest_no;          /* 0, or the retest's number */
    const char *retest_of;      /* the ref of the test retested, or NULL */
    const char *method, *steps; /* steps: one per line */
    const char *frequency, *control_type;
    bool key;
    int64_t planned_size; /* 0 = set by the population */
    const char *size_basis;
    int64_t population_size; /* -1 = none yet */
    const char *population_hash, *population_source, *population_at;
    const char *seed;    /* NULL = not drawn */
    int64_t sample_size; /* -1 = not drawn */
    const char *drawn_at;
    const char *status;                 /* planned, in-progress, concluded */
    const char *conclusion;             /* NULL until concluded */
    int64_t tested, passed, exceptions; /* results so far */
    int64_t tolerable;                  /* exceptions the table tolerates for the sample */
    double deviation_rate;              /* exceptions / tested, -1 when nothing is tested */
    const char *concluded_at, *concluded_by;
    int64_t version;
};

struct app_sample_item {
    int64_t pos; /* draw order, from 1 */
    int64_t idx; /* index into the sorted population, -1 for a walkthrough */
    const char *item, *item_date;
    const char *result;                 /* NULL, "pass" or "exception" */
    const char *description, *evidence; /* evidence: comma-separated ids */
    const char *tested_by, *tested_at;
};

/* --- the plan ------------------------------------------------------------ */

struct app_plan_result {
    size_t added, existing; /* tests created, tests already there */
};

/** Plans a test of design of every control in scope (readiness, type1), and
 *  for type2 also a test of operating effectiveness; procedure steps come
 *  from the control library in the organization's language (lang), the
 *  sample size from the table.  Controls already planned are left alone. */
int app_test_plan(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, const char *lang, struct app_plan_result *r, struct err *e);

/** The tests of an engagement, by control code, kind, retest. */
int app_test_list(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, struct app_test **out, size_t *n, struct err *e);

/** One test by ref. */
int app_test_get(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                 const char *ref, struct app_test *out, struct err *e);

/** Changes the method and/or the procedure steps (NULL = unchanged). */
int app_test_edit(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *ref, const char *method, const char *steps, struct err *e);

/* --- populations and samples --------------------------------------------------- */

struct app_population_in {
    const char *path;        /* a list (one id per line), or a .csv / .xlsx file */
    const char *dataset;     /* or a dataset (app/dataset.h) by name, instead of path */
    const char *column;      /* the id column of a table or dataset; NULL = "id" */
    const char *date_column; /* keeps the rows dated within the period (type2) */
    const char *const *ids;  /* instead of a file: n_ids ids */
    size_t n_ids;
    const char *source; /* what to record as the source when ids are given */
};

struct app_population_result {
    int64_t size;    /* items kept */
    int64_t read;    /* items read */
    int64_t outside; /* rows dated outside the period */
    const char *hash;
    int64_t planned_size; /* the sample size the table gives for it */
    const char *size_basis;
    bool sample_dropped; /* a sample drawn from the previous population was removed */
};

/** Sets the population of a test (replacing an earlier one while no result
 *  is recorded).  Ids are trimmed; empty, duplicate or over-long ids, ids
 *  with control characters, bad dates and an empty population fail with
 *  TL_EINPUT naming the line. */
int app_test_population(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, const char *ref,
                        const struct app_population_in *in, struct app_population_result *r,
                        struct err *e);

/** The population of a test in index order. */
int app_test_population_items(struct app *app, struct arena *a, const char *org_id,
                              const struct app_who *who, const char *ref, const char ***items,
                              size_t *n, struct err *e);

struct app_draw_result {
    const char *seed; /* canonical decimal */
    const char *population_hash;
    int64_t population_size, size, table_size;
    const char *warning; /* a size below the table's, else NULL */
    struct app_sample_item *items;
    size_t n;
};

/** Draws the sample of a test with seed (decimal text): size items, or the
 *  table's size when size is 0.  Refuses a seed that is not a number, a
 *  size larger than the population, and a redraw once results exist. */
int app_sample_draw(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, const char *seed, int64_t size, struct app_draw_result *r,
                    struct err *e);

struct app_verify_result {
    bool ok;
    int64_t population_size, sample_size;
    const char **problems; /* what differs, first first */
    size_t n_problems;
};

/** Recomputes the population hash and the selection from the stored seed
 *  and compares them with what is stored (and with the ids of file, when
 *  not NULL, read like a population).  A difference is not an error: r->ok
 *  is false and r->problems name it. */
int app_sample_verify(struct app *app, struct arena *a, const char *org_id,
                      const struct app_who *who, const char *ref,
                      const struct app_population_in *file, struct app_verify_result *r,
                      struct err *e);

/** The sample of a test with results, in draw order. */
int app_sample_list(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, struct app_sample_item **out, size_t *n, struct err *e);

/* --- results and conclusions -------------------------------------------------- */

struct app_result_in {
    const char *item;        /* a sample item; NULL = the walkthrough of a test of design */
    const char *result;      /* pass, exception */
    const char *description; /* required for an exception */
    const char *evidence;    /* comma-separated evidence ids, may be NULL */
};

/** Records (or replaces) the result of one sample item. */
int app_test_result(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, const struct app_result_in *in, struct err *e);

struct app_conclude_result {
    const char *conclusion;
    int64_t tested, exceptions, tolerable;
    double deviation_rate;
    const char *finding; /* code of the finding raised, or NULL */
};

/** Concludes a test once every sample item has a result; the conclusion
 *  follows dom_conclude.  Exceptions raise one finding (severity high when
 *  not effective, else medium). */
int app_test_conclude(struct app *app, struct arena *a, const char *org_id,
                      const struct app_who *who, const char *ref, struct app_conclude_result *r,
                      struct err *e);

/* --- findings ------------------------------------------------------------------ */

struct app_finding {
    const char *code, *engagement, *test, *control; /* test: ref or NULL */
    const char *title, *description, *severity, *root_cause, *response, *status, *created_at;
    const char **items; /* sample items it was raised from */
    size_t n_items;
    int64_t version;
};

/** Findings of engagement slug (NULL = every engagement who may see), by code. */
int app_finding_list(struct app *app, struct arena *a, const char *org_id,
                     const struct app_who *who, const char *slug, struct app_finding **out,
                     size_t *n, struct err *e);

int app_finding_get(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *code, struct app_finding *out, struct err *e);

/** Raises a finding on a test (title and severity required; items are
 *  exceptions of its sample, comma-separated, may be NULL).  *code gets "F-n". */
int app_finding_add(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, const struct app_finding *in, const char **code,
                    struct err *e);

/** Changes the non-NULL fields: title, description, severity and root cause
 *  need APP_ENG_WORKPAPER, response APP_ENG_RESPOND, status either. */
int app_finding_edit(struct app *app, struct arena *a, const char *org_id,
                     const struct app_who *who, const char *code, const struct app_finding *patch,
                     struct err *e);

/* --- remediation ---------------------------------------------------------------- */

struct app_remediation {
    const char *code, *finding, *action, *owner, *due, *status, *done_on;
    const char *retest; /* ref of the retest, or NULL */
    const char *created_at;
    int64_t version;
};

/** Adds a remediation item to finding code (action required; owner an
 *  email of a person, due a date).  *out_code gets "REM-n". */
int app_remediation_add(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, const char *finding,
                        const struct app_remediation *in, const char **out_code, struct err *e);

/** Remediation items of a finding (NULL = all who may see), by code. */
int app_remediation_list(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *finding,
                         struct app_remediation **out, size_t *n, struct err *e);

/** Changes action, owner, due, status (non-NULL fields).  Stays possible
 *  after the engagement concluded: remediation outlives the audit. */
int app_remediation_edit(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *code,
                         const struct app_remediation *patch, struct err *e);

/** Plans a retest of the remediated control: a new operating test (copying
 *  method and steps) in engagement slug, or in the finding's engagement
 *  when slug is NULL.  The item must be done.  *ref gets the new test. */
int app_remediation_retest(struct app *app, struct arena *a, const char *org_id,
                           const struct app_who *who, const char *code, const char *slug,
                           const char **ref, struct err *e);

#endif
