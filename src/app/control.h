/* control.h - the organization's controls and the library they come from.
 *
 * A control is identified by its code (the natural key, unique per
 * organization); references are natural keys too: the owner is a person's
 * email, criteria and points of focus are catalog ids, linked risks are risk
 * codes.  Every function is scoped by an organization id, and every mutation
 * is one audited transaction whose before/after JSON is the whole control
 * including its criteria (app_control_json).  Results, strings and arrays
 * live in the caller's arena; the library lives in app->arena.
 */
#ifndef TL_CONTROL_H
#define TL_CONTROL_H

#include "app/record.h"
#include "domain/library.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One criterion a control addresses. */
struct app_control_map {
    const char *criterion; /* "CC6.1" */
    const char *pofs;      /* comma-separated point-of-focus ids, "" = none */
};

struct app_control {
    const char *code, *title, *description;
    const char *owner;                /* the owner's email; NULL or "" = no owner */
    const char *frequency;            /* dom_frequencies */
    const char *nature;               /* dom_natures */
    const char *type;                 /* dom_control_types */
    const char *status;               /* dom_statuses */
    int key;                          /* 1 = key control, 0 = not; -1 in an update = unchanged */
    const char *evidence;             /* evidence expected, one item per line */
    const char *library_code;         /* the library control it was adopted from, or NULL */
    const char *family;               /* read only: the family of library_code, or NULL */
    int64_t version;                  /* counts edits; in an update, the version it
                                       * was based on (0 = any): else TL_ECONFLICT */
    struct app_control_map *criteria; /* in catalog order */
    size_t n_criteria;
    const char **risks; /* read only: codes of linked risks, sorted */
    size_t n_risks;
};

/** An update that changes nothing until fields are set. */
#define APP_CONTROL_PATCH {.key = -1}

/** What app_control_list keeps; NULL fields do not filter. */
struct app_control_filter {
    const char *status;    /* one of dom_statuses */
    const char *criterion; /* controls mapped to it */
    const char *owner;     /* owner email */
    const char *family;    /* family of the library control adopted */
};

/** What app_control_adopt did. */
struct app_adopt_result {
    const char **adopted; /* codes, in the order asked (library order for all) */
    size_t n_adopted;
    const char **skipped; /* codes already in the program */
    size_t n_skipped;
};

/* --- the library --------------------------------------------------------- */

/** The control library, loaded from content (and checked against the
 *  catalog) on first use; it lives in app->arena for the app's lifetime. */
int app_library(struct app *app, const struct dom_library **out, struct err *e);

/* --- reading ------------------------------------------------------------- */

/** The controls of an organization that pass filter f (NULL = all), by code,
 *  with their criteria (risks are not filled in).  Invalid filter values fail
 *  with TL_EINPUT; an owner email nobody has fails with TL_ENOTFOUND. */
int app_control_list(struct app *app, struct arena *a, const char *org_id,
                     const struct app_control_filter *f, struct app_control **out, size_t *n,
                     struct err *e);

/** One control by code, with criteria and linked risks; TL_ENOTFOUND naming it. */
int app_control_get(struct app *app, struct arena *a, const char *org_id, const char *code,
                    struct app_control *out, struct err *e);

/** The JSON form of a control (keys as in struct app_control, criteria as
 *  [{criterion, points_of_focus: [...]}]); the audit log records this. */
char *app_control_json(struct arena *a, const struct app_control *c);

/* --- changing ------------------------------------------------------------ */

/** Creates a control from in: code and title are required; frequency,
 *  nature, type and status default to annual, preventive, manual and
 *  not-started; key -1 counts as 0.  in->criteria, when given, are mapped in
 *  the same change.  Fails with TL_EEXIST when the code is taken. */
int app_control_create(struct app *app, struct arena *a, const char *org_id,
                       const struct app_control *in, struct err *e);

/** Updates control code with the non-NULL fields of patch (key -1 =
 *  unchanged; owner "" = no owner).  patch->criteria, when non-NULL,
 *  replaces all mappings with n_criteria entries.  library_code is kept. */
int app_control_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                       const struct app_control *patch, struct err *e);

/** Deletes a control and its mappings.  Refused (TL_ECONFLICT) while risks
 *  are linked to it, naming them. */
int app_control_delete(struct app *app, struct arena *a, const char *org_id, const char *code,
                       struct err *e);

/** Maps control code to criterion with points of focus pofs (comma-separated,
 *  NULL or "" = none), replacing an existing mapping to that criterion.
 *  The criterion must exist and the pofs must be filed under it. */
int app_control_map(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const char *criterion, const char *pofs, struct err *e);

/** Removes the mapping of control code to criterion; TL_ENOTFOUND when absent. */
int app_control_unmap(struct app *app, struct arena *a, const char *org_id, const char *code,
                      const char *criterion, struct err *e);

/** Copies library controls into the organization's program, in its language:
 *  codes[0..n) (all of the library when codes is NULL), with owner (email,
 *  may be NULL) and status (NULL = not-started).  Codes already in the
 *  program are skipped and reported in r.  Unknown codes fail (TL_ENOTFOUND,
 *  all named) before anything is written; all or nothing, one audit entry
 *  ("control.adopt") per adopted control. */
int app_control_adopt(struct app *app, struct arena *a, const char *org_id, const char **codes,
                      size_t n, const char *owner, const char *status, struct app_adopt_result *r,
                      struct err *e);

#endif
