/* risk.h - use cases of the risk register: list, get, create, update,
 * link to controls, delete.
 *
 * A risk is known by its code, unique in its organization; people are
 * referred to by email and controls by code, so that the CLI, the web and
 * the YAML import all speak in natural keys.  The model rules
 * (dom_risk_check: 1-5 ranges, residual pairs not above the inherent score,
 * a mitigated risk needs a linked control) are checked inside the same
 * transaction as the change, against the linked controls as they will be
 * after it: a failing change rolls back and leaves nothing, not even an
 * audit entry.
 *
 * Ownership: every string and array a function returns lives in the
 * caller's arena; inputs are borrowed and never kept.
 */
#ifndef TL_APP_RISK_H
#define TL_APP_RISK_H

#include "app/app.h"

#include <stddef.h>
#include <stdint.h>

/* In a patch (app_risk_update) an int field of 0 means "unchanged" and
 * APP_RISK_CLEAR removes the value: residual_* go back to none, is_fraud
 * to no.  A string field NULL means unchanged and "" clears it. */
#define APP_RISK_CLEAR (-1)

struct app_risk {
    const char *code; /* natural key, 1-32 of [A-Za-z0-9._-] */
    const char *title;
    const char *description;                  /* "" when none */
    const char *category;                     /* free text, "" when none */
    int likelihood, impact;                   /* 1-5 */
    const char *treatment;                    /* one of dom_treatments */
    int residual_likelihood, residual_impact; /* 1-5, or 0 when not assessed */
    int is_fraud;                             /* 0 or 1 (CC3.3) */
    const char *owner;                        /* person email, NULL when unassigned */
    const char *next_review;                  /* YYYY-MM-DD, NULL when none */
    const char **controls;                    /* control codes, sorted */
    size_t n_controls;
    int64_t version; /* edit counter; ignored by create; in an update, the version
                      * it was based on (0 = any): else TL_ECONFLICT */
};

/** The inherent score (likelihood x impact) of r. */
int app_risk_inherent(const struct app_risk *r);

/** The residual score, or 0 when r has no residual assessment. */
int app_risk_residual(const struct app_risk *r);

/** All risks of the organization, ordered by code, with their controls. */
int app_risk_list(struct app *app, struct arena *a, const char *org_id, struct app_risk **out,
                  size_t *n, struct err *e);

/** The risk with that code; TL_ENOTFOUND naming it when absent. */
int app_risk_get(struct app *app, struct arena *a, const char *org_id, const char *code,
                 struct app_risk *out, struct err *e);

/** Creates a risk from in (in->version ignored; in->controls are control
 *  codes of the same organization, duplicates allowed).  Audited as
 *  "risk.add".  TL_EEXIST when the code is taken, TL_ENOTFOUND for an
 *  unknown owner or control, TL_EINPUT when a model rule fails. */
int app_risk_create(struct app *app, struct arena *a, const char *org_id, const struct app_risk *in,
                    struct err *e);

/** Applies the set fields of patch to risk code (see APP_RISK_CLEAR);
 *  patch->controls non-NULL replaces the linked controls with that list
 *  (n_controls 0 unlinks all).  patch->code must be NULL: codes do not
 *  change.  Audited as "risk.edit". */
int app_risk_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const struct app_risk *patch, struct err *e);

/** Links controls (codes) to risk code.  TL_EEXIST when one is linked
 *  already.  Audited as "risk.link". */
int app_risk_link(struct app *app, struct arena *a, const char *org_id, const char *code,
                  const char *const *controls, size_t n, struct err *e);

/** Unlinks controls (codes) from risk code.  Fails with TL_ENOTFOUND when
 *  one is not linked, and with TL_EINPUT when a mitigated risk would keep
 *  no control.  Audited as "risk.unlink". */
int app_risk_unlink(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const char *const *controls, size_t n, struct err *e);

/** Deletes risk code and its control links.  Audited as "risk.remove". */
int app_risk_delete(struct app *app, struct arena *a, const char *org_id, const char *code,
                    struct err *e);

#endif
