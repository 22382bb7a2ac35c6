/* evidence.h - evidence: files that show a control operated, kept so that
 * their integrity can be proven.
 *
 * The bytes go to the vault (vault/vault.h), one blob per distinct
 * SHA-256; a row per item records the name, media type, the period the
 * item covers, who added it and when, and the controls it supports (by
 * code).  Evidence is never edited or deleted: it is superseded.  The
 * vault directory is $TILLIT_VAULT, else the database path + ".vault";
 * the size limit is $TILLIT_EVIDENCE_MAX_BYTES, else 100 MiB.  Every
 * function is scoped by an organization id; every change is one audited
 * transaction (one "evidence.add" entry per item).  Results, strings and
 * arrays live in the caller's arena.
 */
#ifndef TL_EVIDENCE_H
#define TL_EVIDENCE_H

#include "app/record.h"
#include "engine/coverage.h"
#include "vault/vault.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app_evidence {
    const char *id, *sha256, *media_type, *name, *source, *note;
    const char *added_by, *added_at;       /* actor; ISO 8601 timestamp */
    const char *period_start, *period_end; /* inclusive dates */
    const char *superseded_by;             /* NULL while current */
    int64_t size;
    const char **controls; /* codes, sorted */
    size_t n_controls;
    bool existed; /* set by add: the vault already held these bytes */
};

/** What to add: files and what they show. */
struct app_evidence_in {
    const char *const *files;
    size_t n_files;
    const char *controls; /* comma-separated codes; ignored by supersede */
    const char *period;   /* "START..END" or one date; NULL = today (a point in time) */
    const char *source, *note;
};

/* --- the vault ----------------------------------------------------------- */

/** The organization-independent vault of this app's database, from the
 *  environment (TILLIT_VAULT, TILLIT_EVIDENCE_MAX_BYTES; a bad limit is
 *  TL_EUSAGE naming it). */
int app_vault(struct app *app, struct arena *a, struct vault *v, struct err *e);

/* --- changing ------------------------------------------------------------ */

/** Adds each file as one evidence item supporting in->controls.  All or
 *  nothing: unknown controls, bad periods, missing, empty or oversized
 *  files fail before anything is written; blobs are published inside the
 *  transaction and removed again if it fails.  *out gets n_files items. */
int app_evidence_add(struct app *app, struct arena *a, const char *org_id,
                     const struct app_evidence_in *in, struct app_evidence **out, struct err *e);

/** Adds in->files[0] as a new item with the controls of item id, and marks
 *  id superseded by it.  The period, source and note default to the old
 *  item's.  Fails with TL_ECONFLICT when id is already superseded. */
int app_evidence_supersede(struct app *app, struct arena *a, const char *org_id, const char *id,
                           const struct app_evidence_in *in, struct app_evidence *out,
                           struct err *e);

/* --- reading ------------------------------------------------------------- */

/** Items of the organization, newest first: those supporting control code
 *  (NULL = all), superseded ones only when all is true. */
int app_evidence_list(struct app *app, struct arena *a, const char *org_id, const char *code,
                      bool all, struct app_evidence **out, size_t *n, struct err *e);

/** One item by id or unique id prefix (at least 6 characters). */
int app_evidence_get(struct app *app, struct arena *a, const char *org_id, const char *id,
                     struct app_evidence *out, struct err *e);

/** A blob that failed verification. */
struct app_evidence_bad {
    const char *sha256, *state; /* "missing" or "changed" */
    const char *id, *name;      /* one item that holds it */
};

/** Rehashes every blob the organization's evidence refers to.  *verified
 *  counts the intact ones; the others are listed in *bad. */
int app_evidence_verify(struct app *app, struct arena *a, const char *org_id, int64_t *verified,
                        struct app_evidence_bad **bad, size_t *n_bad, struct err *e);

/** A control whose evidence is missing or stale. */
struct app_evidence_due {
    const char *owner; /* email, NULL = no owner */
    const char *code, *title, *frequency;
    int window;        /* days evidence stays fresh */
    const char *last;  /* period end of the latest current item, NULL = none */
    int days_late;     /* days past the window; 0 when missing */
    const char *state; /* "missing" or "stale" */
};

/** Controls with no current evidence, or whose latest current evidence
 *  ended more than its frequency's window (eng_stale_days) before today;
 *  sorted by owner (no owner last), then code. */
int app_evidence_due(struct app *app, struct arena *a, const char *org_id,
                     struct app_evidence_due **out, size_t *n, struct err *e);

/** Coverage of one control over a window. */
struct app_evidence_cov {
    const char *code, *title, *frequency;
    const char *owner; /* email, NULL = no owner */
    struct eng_coverage cov;
};

/** Coverage of every control of the organization over window (a string
 *  "START..END", TL_EINPUT when malformed), by code, from current evidence. */
int app_evidence_coverage(struct app *app, struct arena *a, const char *org_id, const char *window,
                          struct app_evidence_cov **out, size_t *n, struct err *e);

/* --- packages ------------------------------------------------------------ */

struct app_evidence_export {
    int64_t items, files; /* evidence items and distinct files packed */
    char public_key[VAULT_PK_HEX];
};

/** Writes a signed package of the current evidence of control code (NULL =
 *  all) to path.  The organization's key pair is created on first use
 *  (audited as "org_key.create", public half only); the export itself is
 *  audited as "evidence.export".  Blobs are rehashed first: a missing or
 *  changed blob fails with TL_ECHECK naming it, and nothing is written. */
int app_evidence_export(struct app *app, struct arena *a, const struct app_org *org,
                        const char *code, const char *path, struct app_evidence_export *r,
                        struct err *e);

/** Verifies a package offline (no database): see vault_pkg_verify. */
int app_evidence_verify_package(const char *path, const char *key_hex, struct vault_pkg_result *r,
                                struct err *e);

#endif
