/* engagement.h - engagements (readiness walkthroughs, Type I and Type II
 * audits), who may see and do what in them, and the bridge letter.
 *
 * An engagement belongs to an organization and is known by its slug
 * ("type2-2026"); an organization may have several, and a concluded one
 * is frozen: every change to it, its tests, requests and findings is
 * refused with TL_ECONFLICT.  Readiness and Type I engagements have an
 * as-of date; a Type II engagement a period of 3 to 12 months (under 6 is
 * allowed with a warning).  The controls in scope are those mapped to a
 * criterion of the engagement's categories.
 *
 * Who acts is a struct app_who: a role (app_roles) and, for an auditor,
 * an email.  An auditor sees an engagement only while granted access to it
 * (app_engagement_auditor_add: until a date, revocable), and within it only
 * its scope, controls, evidence and requests; auditors write workpapers
 * (populations, samples, results, conclusions, findings) and requests, never
 * the organization's program.  Every function below checks the right it
 * needs with app_eng_authz(), the check the web calls too.  Every change is
 * one audited transaction; results live in the caller's arena.
 */
#ifndef TL_ENGAGEMENT_H
#define TL_ENGAGEMENT_H

#include "app/control.h"
#include "app/evidence.h"
#include "app/record.h"
#include "domain/sampling.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Who acts: the member's role in the organization and their email. */
struct app_who {
    const char *role;  /* one of app_roles */
    const char *email; /* required for an auditor: their access is granted by email */
};

/** What an action in an engagement needs. */
enum app_eng_right {
    APP_ENG_READ,      /* see it: every role; an auditor only with access */
    APP_ENG_SETUP,     /* create engagements: admin, editor */
    APP_ENG_ACCESS,    /* grant and revoke auditors' access: admin */
    APP_ENG_PLAN,      /* test plan, procedures, sampling table, phase: admin, editor, auditor */
    APP_ENG_WORKPAPER, /* populations, samples, results, conclusions, findings: admin, auditor */
    APP_ENG_RESPOND,   /* management's response, remediation, retests: admin, editor */
    APP_ENG_PROVIDE,   /* submit requested items, attach evidence: admin, editor, contributor */
    APP_ENG_REQUEST,   /* add, edit, accept and return requests: admin, editor, auditor */
    APP_ENG_COMMENT,   /* comment on requests: every role but viewer */
};

/* Kinds and phases (NULL-terminated, in the order users see them). */
extern const char *const app_eng_kinds[];  /* readiness, type1, type2 */
extern const char *const app_eng_phases[]; /* planning, fieldwork, reporting, concluded */

struct app_engagement {
    const char *id, *org_id, *slug, *kind;
    const char *as_of;                     /* readiness, type1; else NULL */
    const char *period_start, *period_end; /* type2; else NULL */
    const char *categories;                /* comma-separated, catalog order */
    const char *firm, *phase, *created_at, *concluded_at;
    bool itgc_reliance;
    bool custom_table; /* its own sampling table (else the default) */
    int64_t version;
    int64_t tests, tests_concluded, findings, requests_open; /* filled by get and list */
};

struct app_engagement_in {
    const char *slug;       /* NULL = "<kind>-<year>", numbered when taken */
    const char *kind;       /* app_eng_kinds */
    const char *as_of;      /* YYYY-MM-DD: readiness and type1 only */
    const char *period;     /* START..END: type2 only */
    const char *categories; /* comma-separated; NULL = those in the organization's scope */
    const char *firm;       /* the audit firm, may be NULL */
    int itgc_reliance;      /* 1, 0, or -1 for the default (1) */
};

struct app_eng_phase {
    const char *phase;
    const char *state;      /* "done", "current" or "pending" */
    const char *entered_at; /* NULL while pending */
    const char *entered_by;
};

struct app_eng_auditor {
    const char *email, *until, *added_at, *added_by, *revoked_at;
    bool active; /* not revoked and until is today or later */
};

/* --- who acts --------------------------------------------------------------- */

/** The CLI's actor: role from $TILLIT_ROLE (default admin), email from
 *  $TILLIT_ACTOR.  TL_EUSAGE for an unknown role. */
int app_who_from_env(struct app_who *who, struct err *e);

/** The check: may who exercise right in engagement slug (NULL for rights
 *  outside any engagement, such as creating one)?  TL_ENOTFOUND ("no
 *  engagement 'x'") for an engagement that does not exist or that an
 *  auditor was never given; TL_EPERM naming the reason otherwise (role,
 *  access ended or revoked). */
int app_eng_authz(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, enum app_eng_right right, struct err *e);

/* --- engagements -------------------------------------------------------------- */

/** Creates an engagement in phase planning.  Refuses (TL_EINPUT) a period
 *  shorter than 3 or longer than 12 months, an as-of date on a Type II or a
 *  period on the others, unknown categories.  *warning (may be NULL) gets a
 *  text for a period under 6 months, else NULL. */
int app_engagement_create(struct app *app, struct arena *a, const char *org_id,
                          const struct app_who *who, const struct app_engagement_in *in,
                          struct app_engagement *out, const char **warning, struct err *e);

/** The engagements who may see, newest first. */
int app_engagement_list(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, struct app_engagement **out, size_t *n,
                        struct err *e);

/** One engagement by slug, with its counts. */
int app_engagement_get(struct app *app, struct arena *a, const char *org_id,
                       const struct app_who *who, const char *slug, struct app_engagement *out,
                       struct err *e);

/** The four phases with their state and when they were entered. */
int app_engagement_phases(struct app *app, struct arena *a, const char *org_id,
                          const struct app_who *who, const char *slug, struct app_eng_phase **out,
                          size_t *n, struct err *e);

/** Moves an engagement forward to phase (never back).  Concluding needs
 *  every test concluded (TL_ECONFLICT naming those that are not) and
 *  freezes the engagement. */
int app_engagement_set_phase(struct app *app, struct arena *a, const char *org_id,
                             const struct app_who *who, const char *slug, const char *phase,
                             struct err *e);

/** Gives the engagement its own sampling table (YAML text, checked by
 *  dom_sampling_parse; path names it in errors), or back to the default
 *  when yaml is NULL.  Tests already planned keep their sizes until their
 *  population is set. */
int app_engagement_set_table(struct app *app, struct arena *a, const char *org_id,
                             const struct app_who *who, const char *slug, const char *path,
                             const char *yaml, size_t len, struct err *e);

/** The sampling table in force and its YAML text. */
int app_engagement_table(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *slug,
                         const struct dom_sampling_table **table, const char **yaml, struct err *e);

/** The controls in scope (mapped to a criterion of its categories), by code. */
int app_engagement_scope(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *slug, struct app_control **out,
                         size_t *n, struct err *e);

/** The current evidence an auditor of the engagement sees: items of
 *  controls in scope whose period overlaps the engagement's (for an as-of
 *  date: began on or before it), and items attached to its requests or
 *  results, newest first. */
int app_engagement_evidence(struct app *app, struct arena *a, const char *org_id,
                            const struct app_who *who, const char *slug, struct app_evidence **out,
                            size_t *n, struct err *e);

/* --- auditors --------------------------------------------------------------- */

/** Grants email access to the engagement until date (inclusive, not in
 *  the past); granting again renews and un-revokes. */
int app_engagement_auditor_add(struct app *app, struct arena *a, const char *org_id,
                               const struct app_who *who, const char *slug, const char *email,
                               const char *until, struct err *e);

/** Ends email's access now; TL_ENOTFOUND when they have none. */
int app_engagement_auditor_revoke(struct app *app, struct arena *a, const char *org_id,
                                  const struct app_who *who, const char *slug, const char *email,
                                  struct err *e);

/** The auditors of an engagement, by email. */
int app_engagement_auditors(struct app *app, struct arena *a, const char *org_id,
                            const struct app_who *who, const char *slug,
                            struct app_eng_auditor **out, size_t *n, struct err *e);

/* --- after the period --------------------------------------------------------- */

/** A bridge letter draft in markdown (lang "en" or "sv") covering the days
 *  from the end of a Type II period to date to: of engagement slug, or of
 *  the Type II engagement whose period ended last when slug is NULL.  to
 *  must follow the period's end.  Open findings are listed. */
int app_engagement_bridge_letter(struct app *app, struct arena *a, const char *org_id,
                                 const struct app_who *who, const char *slug, const char *to,
                                 const char *lang, const char **markdown, struct err *e);

/* --- the demo ------------------------------------------------------------------ */

struct app_eng_demo {
    const char *slug;                /* the engagement created */
    size_t tests, tested, concluded; /* planned, with results, concluded */
    size_t exceptions, findings;     /* planted exceptions found, findings raised */
};

/** Carries a Type II engagement on the demo organization org_id (period
 *  2026-01-01..2026-06-30) through plan, populations, seeded samples and
 *  results (content/demo/engagement.yaml, with planted exceptions that
 *  become findings).  All or nothing. */
int app_engagement_demo(struct app *app, struct arena *a, const char *org_id,
                        struct app_eng_demo *out, struct err *e);

/* --- shared by engagement.c, testing.c and pbc.c -------------------------------- */

/** Loads engagement slug after checking right; with mutate, refuses a
 *  concluded engagement. */
int app__eng_open(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, enum app_eng_right right, bool mutate,
                  struct app_engagement *out, struct err *e);

/** The window an engagement covers: its period, or its as-of date twice. */
void app__eng_window(const struct app_engagement *eng, struct tl_period *p);

/** Months of its period (12 for an as-of date). */
int app__eng_months(const struct app_engagement *eng);

/** The sampling table in force for eng. */
int app__eng_table(struct app *app, struct arena *a, const struct app_engagement *eng,
                   const struct dom_sampling_table **t, struct err *e);

/** Checks comma-separated evidence ids (full ids or unique prefixes of at
 *  least 6 characters) against what who may see in eng; *out gets the
 *  full ids, comma-joined ("" for none). */
int app__eng_evidence_ids(struct app *app, struct arena *a, const char *org_id,
                          const struct app_who *who, const struct app_engagement *eng,
                          const char *ids, const char **out, struct err *e);

/** The right's check for a role alone (no engagement access). */
bool app__eng_role_grants(const char *role, enum app_eng_right right);

/** A copy of column col (NULL for SQL NULL). */
const char *app__col(struct arena *a, struct store_stmt *st, int col);

/** app->now's date as YYYY-MM-DD, and the timestamp, in a. */
const char *app__today(struct app *app, struct arena *a);
const char *app__now(struct app *app, struct arena *a);

#endif
