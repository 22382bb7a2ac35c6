/* gap.h - the gap analysis of an organization, and not-applicable decisions.
 *
 * app_gap() gathers the organization's scope, controls, mappings and
 * decisions in four indexed queries and hands them to engine/gap.c.  The
 * result and everything it points to live in the caller's arena.
 */
#ifndef TL_APP_GAP_H
#define TL_APP_GAP_H

#include "app/record.h"
#include "engine/gap.h"

/** Runs the gap analysis of organization org_id. */
int app_gap(struct app *app, struct arena *a, const char *org_id, struct gap_result *out,
            struct err *e);

/** Marks a criterion or point of focus not applicable. The justification is
 *  required (TL_EINPUT without one); the decision is audited. */
int app_gap_set_na(struct app *app, struct arena *a, const char *org_id, const char *target,
                   const char *justification, struct err *e);

/** Withdraws a not-applicable decision (TL_ENOTFOUND when there is none). */
int app_gap_clear_na(struct app *app, struct arena *a, const char *org_id, const char *target,
                     struct err *e);

/** Sets the organization's role for personal information in scope
 *  (controller, processor or both): it decides which privacy points of
 *  focus apply.  Audited as "scope.privacy-role". */
int app_privacy_role_set(struct app *app, struct arena *a, const char *org_id, const char *role,
                         struct err *e);

/** The organization's privacy role. */
int app_privacy_role_get(struct app *app, struct arena *a, const char *org_id, const char **role,
                         struct err *e);

struct app_suggestion {
    const char *code;   /* library control code */
    const char *title;  /* in lang */
    size_t closes_criteria; /* uncovered criteria it maps to */
    size_t closes_pofs;     /* uncovered points of focus it covers */
    const char *closes; /* comma-joined ids it would close */
};

/** Library controls not yet adopted, ranked by how much of the gap each would
 *  close (criteria count double), best first; at most limit. */
int app_gap_suggest(struct app *app, struct arena *a, const struct gap_result *gap,
                    const char *org_id, const char *lang, size_t limit,
                    struct app_suggestion **out, size_t *n, struct err *e);

#endif
