/* record.h - helpers every use case shares: audited changes, rows as JSON,
 * organization resolution.
 *
 * A change is: app_change_begin() (opens a transaction and snapshots the
 * record as JSON), the writes, then app_change_commit() (snapshots again,
 * appends the audit entry with before and after, commits) or
 * app_change_abort() (rolls back: nothing, not even the audit entry,
 * remains).  Snapshots and results live in the caller's arena.
 */
#ifndef TL_RECORD_H
#define TL_RECORD_H

#include "app/app.h"

#include <stdint.h>

struct app_change {
    const char *org_id;      /* NULL = installation-wide */
    const char *action;      /* "control.add", "risk.edit", ... */
    const char *object_type; /* "control" */
    const char *table;       /* table snapshotted for before/after, NULL = none */
    const char *id;          /* record id (may be set after begin, for creations) */
    const char *object_key;  /* human key for the log (code, slug, email); defaults to id */
    const char *before;      /* JSON snapshot, NULL when the record did not exist */
    const char *after;       /* set by commit, or preset by the caller to override */
};

/** Opens the transaction and snapshots c->table row c->id (if set) into c->before. */
int app_change_begin(struct app *app, struct arena *a, struct app_change *c, struct err *e);

/** Snapshots the row again, appends the audit entry and commits. Rolls back on failure. */
int app_change_commit(struct app *app, struct arena *a, struct app_change *c, struct err *e);

/** Rolls back the change's transaction. */
void app_change_abort(struct app *app);

/** The row of table whose id column equals id, as compact JSON (NULL when absent). */
int app_row_json(struct app *app, struct arena *a, const char *table, const char *id,
                 const char **out, struct err *e);

/** A new record id (26 characters, in a). */
char *app_new_id(struct arena *a);

struct app_org {
    const char *id, *slug, *name, *legal_name, *description, *industry, *country, *language;
    int64_t version;
};

/** Finds an organization by slug; TL_ENOTFOUND naming it when absent. */
int app_org_get(struct app *app, struct arena *a, const char *slug, struct app_org *out,
                struct err *e);

/** The organization to work on: slug when given; otherwise the only one.
 *  With none or several, fails with a message that says what to do. */
int app_org_resolve(struct app *app, struct arena *a, const char *slug, struct app_org *out,
                    struct err *e);

/** All organizations, by slug. */
int app_org_list(struct app *app, struct arena *a, struct app_org **out, size_t *n,
                 struct err *e);

/** Creates an organization with its scope rows (security in scope, other
 *  categories out "until assessed").  in->id is ignored; out gets the new one. */
int app_org_create(struct app *app, struct arena *a, const struct app_org *in,
                   struct app_org *out, struct err *e);

/** Updates the non-NULL fields of patch on organization slug. */
int app_org_update(struct app *app, struct arena *a, const char *slug,
                   const struct app_org *patch, struct err *e);

/** Looks up a person of the organization by email; *id NULL when email is NULL. */
int app_person_id(struct app *app, struct arena *a, const char *org_id, const char *email,
                  const char **id, struct err *e);

#endif
