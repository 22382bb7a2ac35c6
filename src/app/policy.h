/* policy.h - use cases of policies: templates, versions, approval and
 * acknowledgment.
 *
 * A policy is known by its slug, unique in its organization.  Its text is
 * kept as numbered versions (1, 2, ...): every change of text makes a new
 * version, and approval and acknowledgments belong to one version.  People
 * are referred to by email.
 *
 * Placeholders (domain/template.h) are resolved in two steps:
 * - org.name and org.legal_name when the text is stored (creation and
 *   every new version).  The approved text is then the text people read:
 *   renaming the organization later does not silently change an approved
 *   policy.
 * - policy.owner, policy.version, policy.effective_date and policy.review
 *   when the text is shown or exported (app_policy_render), because they
 *   change without the text changing: a new owner, an approval.
 * Stored text may therefore hold policy.* placeholders, and only known
 * ones: an unknown placeholder is refused when the text is stored, so
 * rendering a stored version cannot fail on one.
 *
 * "Active people" are those employed today (the date of app->now): started,
 * or with no start date, and without an end date or ending today or later
 * (as 'person list --active').
 *
 * Ownership: every string and array a function returns lives in the
 * caller's arena; inputs are borrowed and never kept.
 */
#ifndef TL_APP_POLICY_H
#define TL_APP_POLICY_H

#include "app/app.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest policy text accepted, in bytes. */
#define APP_POLICY_BODY_MAX (1u << 20)

struct app_policy_template {
    const char *name;      /* "access-control": content/policies/<name>.<lang>.md */
    const char *title;     /* in the language asked for */
    const char *review;    /* suggested cadence, one of dom_reviews */
    const char **criteria; /* criterion ids the policy supports */
    size_t n_criteria;
};

struct app_policy {
    const char *slug;
    const char *title;
    const char *owner;      /* person email, NULL when unassigned; in a patch "" unassigns */
    const char *owner_name; /* output only */
    const char *review;     /* one of dom_reviews */
    const char *template;   /* template it was made from, NULL for own text */
    const char *body;       /* output: text of the current version; input: new text */
    int64_t current;        /* number of the latest version */
    int64_t approved;       /* latest approved version, 0 when none */
    const char *approved_by, *approved_on; /* of that version (email, date), or NULL */
    int64_t acked;                         /* active people who acknowledged the current version */
    int64_t active;                        /* active people of the organization */
    int64_t version; /* edit counter (not the text's version number: current); in an
                      * update, the counter it was based on (0 = any): else TL_ECONFLICT */
};

struct app_policy_version {
    int64_t number;
    const char *body;
    const char *approved_by;      /* email, NULL when not approved */
    const char *approved_by_name; /* NULL when not approved */
    const char *approved_on;      /* YYYY-MM-DD, NULL when not approved */
    int64_t acked;                /* active people who acknowledged this version */
};

struct app_policy_ack {
    const char *email, *name;
    const char *acked_on; /* YYYY-MM-DD, NULL when not acknowledged */
    bool active;
};

/* --- templates ------------------------------------------------------------ */

/** The policy templates of the content tree (policies/index.yaml) in index
 *  order, titles in lang ("en" or "sv").  Errors carry file:line:col. */
int app_policy_templates(struct app *app, struct arena *a, const char *lang,
                         struct app_policy_template **out, size_t *n, struct err *e);

/* --- reading -------------------------------------------------------------- */

/** All policies of the organization, ordered by slug (body left NULL). */
int app_policy_list(struct app *app, struct arena *a, const char *org_id, struct app_policy **out,
                    size_t *n, struct err *e);

/** The policy with that slug, with the text of its current version;
 *  TL_ENOTFOUND naming it when absent. */
int app_policy_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                   struct app_policy *out, struct err *e);

/** All versions of a policy, oldest first. */
int app_policy_versions(struct app *app, struct arena *a, const char *org_id, const char *slug,
                        struct app_policy_version **out, size_t *n, struct err *e);

/** Version number of a policy (0 = the latest); TL_ENOTFOUND "policy 'x'
 *  has no version N" when it does not exist. */
int app_policy_version_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                           int64_t number, struct app_policy_version *out, struct err *e);

/** Who should acknowledge version number (0 = the latest): every active
 *  person, plus anyone who acknowledged it and has left since; by email. */
int app_policy_acks(struct app *app, struct arena *a, const char *org_id, const char *slug,
                    int64_t number, struct app_policy_ack **out, size_t *n, struct err *e);

/** The text of version v of policy p with every placeholder filled in
 *  (see the header comment): owner's name or "(unassigned)", the version
 *  number, the approval date or "(not yet approved)", the review cadence. */
int app_policy_render(struct app *app, struct arena *a, const char *org_id,
                      const struct app_policy *p, const struct app_policy_version *v,
                      const char **out, struct err *e);

/* --- changing ------------------------------------------------------------- */

/** Creates a policy with version 1.  The text is in->body when set, else the
 *  template in->template in the organization's language (in->template is
 *  recorded either way); title and review default to the template's (review
 *  otherwise to "annual").  Audited as "policy.new". */
int app_policy_create(struct app *app, struct arena *a, const char *org_id,
                      const struct app_policy *in, struct err *e);

/** Applies the set fields of patch (title, owner, review, body; NULL =
 *  unchanged) to policy slug.  A body different from the current text
 *  makes a new version, whose number goes to *new_number (0 when no
 *  version was made); *changed says whether anything changed at all.
 *  Nothing changed writes nothing, not even an audit entry.  Audited as
 *  "policy.edit".  A patch->version other than 0 that is not the policy's
 *  edit counter fails with TL_ECONFLICT naming who changed it and when. */
int app_policy_update(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      const struct app_policy *patch, int64_t *new_number, bool *changed,
                      struct err *e);

/** Records that person by (an approver, employed on that date) approved
 *  version *number (0 = the latest; set to the number approved) on date on
 *  (NULL = today; never in the future).  A version is approved once.
 *  Audited as "policy.approve". */
int app_policy_approve(struct app *app, struct arena *a, const char *org_id, const char *slug,
                       int64_t *number, const char *by, const char *on, struct err *e);

/** Records that each person of emails (n) acknowledged version *number
 *  (0 = the latest; set to the number used) on date on (NULL = today).
 *  All or nothing: an unknown person, one who already acknowledged that
 *  version, or one who had left by that date fails the whole call.
 *  Audited as one "policy.ack" entry. */
int app_policy_ack(struct app *app, struct arena *a, const char *org_id, const char *slug,
                   int64_t *number, const char *const *emails, size_t n, const char *on,
                   struct err *e);

/** Deletes policy slug with its versions, approvals and acknowledgments
 *  (the audit entry "policy.remove" keeps what it was). */
int app_policy_delete(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      struct err *e);

#endif
