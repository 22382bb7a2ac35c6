/* gap.h - the gap analysis and the readiness score.
 *
 * Pure computation over what the app layer gathers: the catalog, the
 * categories in scope, the organization's controls with their mappings and
 * evidence state, and the not-applicable decisions.  The result lives in
 * the caller's arena.  The scoring formula is documented in
 * docs/readiness.md; a user can recompute every figure by hand from the
 * gap table.
 */
#ifndef TL_GAP_H
#define TL_GAP_H

#include "base/arena.h"
#include "base/err.h"
#include "domain/catalog.h"

#include <stdbool.h>
#include <stddef.h>

/* The state of a criterion or point of focus, weakest first. */
enum gap_state {
    GAP_NONE,          /* no control, or only controls not started */
    GAP_DESIGNED,      /* best control is designed */
    GAP_IMPLEMENTED,   /* best control is implemented */
    GAP_UNVERIFIED,    /* a control is claimed operating, without evidence for the period */
    GAP_OPERATING,     /* operating, with evidence that covers the period */
    GAP_NOT_APPLICABLE /* marked not applicable, with a justification */
};

/** "none", "designed", "implemented", "operating-unverified", "operating", "not-applicable". */
const char *gap_state_name(enum gap_state s);

/** The points a state earns in the score (see docs/readiness.md). */
double gap_state_points(enum gap_state s);

struct gap_control {
    const char *code;
    const char *status;    /* dom_statuses value */
    bool evidence_covered; /* evidence covers the target period at its frequency */
};

struct gap_mapping {
    size_t control; /* index into the controls array */
    const char *criterion;
    const char *pofs; /* comma-separated point-of-focus ids, may be "" */
};

struct gap_na {
    const char *target; /* criterion or point-of-focus id */
    const char *justification;
};

struct gap_input {
    const struct dom_catalog *catalog;
    bool in_scope[5]; /* indexed like dom_categories */
    bool privacy_controller, privacy_processor;
    const struct gap_control *controls;
    size_t n_controls;
    const struct gap_mapping *mappings;
    size_t n_mappings;
    const struct gap_na *na;
    size_t n_na;
};

struct gap_pof {
    const struct dom_pof *pof;
    bool applicable;           /* false: its category is out of scope, or marked N/A */
    const char *na_reason;     /* when marked N/A */
    enum gap_state state;
    const char **controls;     /* codes of controls that cover it */
    size_t n_controls;
};

struct gap_criterion {
    const struct dom_criterion *criterion;
    enum gap_state state;
    const char *na_reason;
    const char **controls; /* codes of controls mapped to it, any status */
    size_t n_controls;
    struct gap_pof *pofs;
    size_t n_pofs;
    size_t pofs_applicable, pofs_covered;
    double score; /* 0..1, see docs/readiness.md */
};

struct gap_score {
    const char *key;  /* "overall", a category id, "CC6", a COSO component id */
    size_t criteria;  /* applicable criteria counted */
    double score;     /* 0..100 */
    size_t by_state[6];
};

struct gap_result {
    struct gap_criterion *criteria; /* the criteria of categories in scope, catalog order */
    size_t n_criteria;
    struct gap_score overall;
    struct gap_score *categories; /* in scope, catalog order */
    size_t n_categories;
    struct gap_score *series;     /* CC1 ... CC9 (and A1, C1, PI1, P1..P8 when in scope) */
    size_t n_series;
    struct gap_score *components; /* COSO components */
    size_t n_components;
    size_t gaps_criteria; /* applicable criteria in state none */
    size_t gaps_pofs;     /* applicable points of focus in state none */
};

/** Runs the analysis. Fails only on inconsistent input (a mapping to an unknown control). */
int gap_analyze(const struct gap_input *in, struct arena *a, struct gap_result *out,
                struct err *e);

/** Whether a point of focus applies given the categories in scope and privacy role. */
bool gap_pof_applies(const struct gap_input *in, const struct dom_pof *p);

#endif
