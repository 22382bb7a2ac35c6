/* template.h - placeholders in policy text: {{org.name}} and friends.
 *
 * Pure: no I/O.  A placeholder is "{{", a name, "}}" on one line, with
 * optional spaces inside the braces ("{{ org.name }}").  The names a policy
 * may use are listed once, here.  Rendering replaces the placeholders it is
 * given values for, copies those named in a keep list through unchanged,
 * and fails on any other one, naming it and its line.  Values are inserted
 * verbatim and not scanned again.
 *
 * Policies resolve placeholders in two steps (see app/policy.h): the org.*
 * ones when the text is stored, the policy.* ones when it is shown.
 *
 * Ownership: output is appended to the caller's struct sb; nothing else is
 * allocated.
 */
#ifndef TL_TEMPLATE_H
#define TL_TEMPLATE_H

#include "base/err.h"
#include "base/sb.h"

#include <stddef.h>

/* Placeholders filled from the organization (NULL-terminated). */
extern const char *const dom_tpl_org_names[]; /* org.name, org.legal_name */

/* Placeholders filled from the policy and its version (NULL-terminated). */
extern const char *const dom_tpl_policy_names[]; /* policy.owner ... policy.review */

struct dom_tpl_var {
    const char *name;  /* "org.name" */
    const char *value; /* inserted verbatim; NULL inserts nothing */
};

/** Appends text to out with every placeholder whose name is one of vars
 *  (n_vars entries) replaced by its value; placeholders named in keep
 *  (NULL-terminated, may be NULL) are copied through as written.  Fails
 *  with TL_EINPUT "unknown placeholder '{{x}}' on line N" or "unterminated
 *  placeholder '{{x' on line N", or TL_ETOOBIG from a capped out; out may
 *  then hold a partial result. */
int dom_tpl_render(const char *text, const struct dom_tpl_var *vars, size_t n_vars,
                   const char *const *keep, struct sb *out, struct err *e);

#endif
