/* yamlio.h - compliance as code: an organization's program as a tree of
 * YAML files, exported for review in git and imported back.
 *
 * The tree (docs/yaml.md) names every record by its natural key (control
 * code, risk code, person email, policy and vendor slug, ...), holds no
 * internal ids and no timestamps, and is written in a stable order, so that
 * exporting an unchanged program gives byte-identical files and a changed
 * one gives a diff a reviewer can read.
 *
 * Import runs in four steps, each a function here:
 *  1. app_yaml_read_dir(): the files of the tree, as bytes;
 *  2. app_yaml_parse(): parses and validates every file against the
 *     catalog, the library and the policy templates.  It is pure (no
 *     database, no I/O) and collects every mistake it finds, up to
 *     APP_YAML_MAX_ERRORS, as "path:line:col: message";
 *  3. app_yaml_plan(): compares the tree with the organization as stored
 *     (read through the app_* functions) and lists what to create, update
 *     and delete; changes the app cannot make (an existing policy version's
 *     text, ...) are reported as errors in the same form;
 *  4. app_yaml_apply(): makes the changes through the app_* functions, so
 *     that each is validated and audited as if typed at the CLI, all inside
 *     one transaction: on any failure nothing remains.
 *
 * Ownership: everything these functions return (files, trees, plans,
 * messages) lives in the caller's arena; inputs are borrowed.
 */
#ifndef TL_YAMLIO_H
#define TL_YAMLIO_H

#include "app/record.h"
#include "domain/library.h"

#include <stdbool.h>
#include <stddef.h>

/* Import stops collecting mistakes after this many. */
#define APP_YAML_MAX_ERRORS 50

/** One file of a tree: its path relative to the tree's directory, with '/'. */
struct app_yaml_file {
    const char *path;
    const char *data; /* NUL-terminated; len bytes */
    size_t len;
};

/** The mistakes found in a tree, each "path:line:col: message". */
struct app_yaml_errors {
    const char **lines; /* at most APP_YAML_MAX_ERRORS */
    size_t n;
    size_t dropped; /* mistakes found beyond the limit */
};

/** What a tree is checked against. */
struct app_yaml_ctx {
    const struct dom_catalog *catalog;
    const struct dom_library *library;
    const char **templates; /* names of the policy templates */
    size_t n_templates;
    tl_date today; /* approvals, acknowledgments and SOC periods are not later */
};

/** A parsed and validated tree (opaque; see yamlio_impl.h). */
struct app_yaml_tree;

/** One line of a plan: "update risk R-03: likelihood, owner". */
struct app_yaml_change {
    const char *op;     /* "create", "update" or "delete" */
    const char *kind;   /* "control", "risk", ... */
    const char *key;    /* the record's natural key */
    const char *fields; /* updates: the fields that change, ", "-separated */
};

struct app_yaml_steps;

/** What an import would do to make the organization look like the tree. */
struct app_yaml_plan {
    const char *org_slug;
    bool org_exists;
    struct app_yaml_change *changes; /* in the order they are applied */
    size_t n_changes;
    size_t n_create, n_update, n_delete;
    struct app_yaml_steps *steps; /* for app_yaml_apply */
};

/** A criterion or point of focus marked not applicable. */
struct app_applicability {
    const char *target; /* catalog id */
    const char *justification;
};

/* --- the parts of an import ------------------------------------------------ */

/** The catalog, library and policy templates of app, and its today. */
int app_yaml_context(struct app *app, struct arena *a, struct app_yaml_ctx *out, struct err *e);

/** Reads the files of the tree under dir.  Entries of the record
 *  directories that are not regular files are reported in errs; a missing
 *  dir is TL_ENOTFOUND, a read failure TL_EIO. */
int app_yaml_read_dir(struct arena *a, const char *dir, struct app_yaml_file **files, size_t *n,
                      struct app_yaml_errors *errs, struct err *e);

/** Parses and validates the n files as one tree.  Returns 0 with *out set,
 *  or TL_EINPUT with every mistake (up to the limit) in errs. */
int app_yaml_parse(struct arena *a, const struct app_yaml_ctx *ctx,
                   const struct app_yaml_file *files, size_t n, struct app_yaml_tree **out,
                   struct app_yaml_errors *errs);

/** Compares tree t with the organization it names (absent: everything is
 *  created).  Returns TL_EINPUT with errs filled when the tree asks for a
 *  change that cannot be made; other failures are the store's. */
int app_yaml_plan(struct app *app, struct arena *a, const struct app_yaml_tree *t,
                  struct app_yaml_plan **out, struct app_yaml_errors *errs, struct err *e);

/** Makes the changes of plan p in one transaction, stopping at the first
 *  failure (e names the record) with everything rolled back. */
int app_yaml_apply(struct app *app, struct arena *a, const struct app_yaml_plan *p, struct err *e);

/* --- export ---------------------------------------------------------------- */

/** Writes the program of organization slug as a tree under dir (created
 *  when missing).  A dir that holds anything is refused (TL_EEXIST) unless
 *  force, which first deletes the files a tree is made of and nothing else.
 *  *n_files gets the number of files written. */
int app_yaml_export(struct app *app, struct arena *a, const char *slug, const char *dir, bool force,
                    size_t *n_files, struct err *e);

/* --- applicability ---------------------------------------------------------- */

/** The not-applicable decisions of the organization, ordered by target.
 *  (gap.h sets and clears them; this lists them for the export.) */
int app_applicability_list(struct app *app, struct arena *a, const char *org_id,
                           struct app_applicability **out, size_t *n, struct err *e);

#endif
