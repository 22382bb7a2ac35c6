/* program.h - the vocabulary and rules of a compliance program.
 *
 * Pure: no I/O, no allocation.  The enumerations below are the single
 * source of the allowed values that the schema's CHECK constraints, the
 * CLI, the YAML importer and the web forms all accept; each list ends with
 * NULL and is in the order users see it.
 */
#ifndef TL_PROGRAM_H
#define TL_PROGRAM_H

#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

extern const char *const dom_categories[];      /* security ... privacy */
extern const char *const dom_frequencies[];     /* continuous ... event-driven */
extern const char *const dom_natures[];         /* preventive, detective, corrective */
extern const char *const dom_control_types[];   /* manual, automated, it-dependent-manual */
extern const char *const dom_statuses[];        /* not-started, designed, implemented, operating */
extern const char *const dom_treatments[];      /* mitigate, accept, transfer, avoid */
extern const char *const dom_criticalities[];   /* low, medium, high, critical */
extern const char *const dom_component_kinds[]; /* infrastructure ... data */
extern const char *const dom_sub_methods[];     /* carve-out, inclusive */
extern const char *const dom_reviews[];         /* quarterly, semi-annual, annual */
extern const char *const dom_languages[];       /* en, sv */

/** Index of value in list, or -1. */
int dom_enum_index(const char *const *list, const char *value);

/** Fails with 'unknown <what> "<value>" (expected one of: a, b, c)'. */
int dom_enum_check(const char *const *list, const char *value, const char *what, struct err *e);

/** Validates a slug: 1-64 of [a-z0-9-], starting with a letter or digit. */
int dom_slug_check(const char *slug, const char *what, struct err *e);

/** Validates a control or risk code: 1-32 of [A-Za-z0-9._-]. */
int dom_code_check(const char *code, const char *what, struct err *e);

/** Validates an email address loosely: one '@', a dot after it, no spaces. */
int dom_email_check(const char *email, struct err *e);

/** Inherent (or residual) score of likelihood x impact, both 1-5. */
int dom_risk_score(int likelihood, int impact);

/** The rating band of a score: "low" (1-4), "medium" (5-9), "high" (10-16), "critical" (17-25). */
const char *dom_risk_band(int score);

/** Model rules of a risk: 1-5 ranges, a mitigated risk needs a control,
 *  residual values come in pairs and do not exceed the inherent ones. */
int dom_risk_check(const char *code, int likelihood, int impact, const char *treatment,
                   int residual_likelihood, int residual_impact, size_t n_controls,
                   struct err *e);

/** A category left out of scope needs a reason; security is never left out. */
int dom_scope_category_check(const char *category, bool in_scope, const char *reason,
                             struct err *e);

#endif
