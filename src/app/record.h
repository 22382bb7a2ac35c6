/* record.h - helpers every use case shares: audited changes, rows as JSON,
 * lookups by natural key, optional text fields, organization resolution.
 *
 * A change is: app_change_begin() (opens a transaction and snapshots the
 * record as JSON), the writes, then app_change_commit() (snapshots again,
 * appends the audit entry with before and after, commits) or
 * app_change_abort() (rolls back: nothing, not even the audit entry,
 * remains); app_change_end() picks one of the two by the writes' result.
 * Snapshots and results live in the caller's arena; a json_t handed back
 * is a new reference the caller owns.
 */
#ifndef TL_RECORD_H
#define TL_RECORD_H

#include "app/app.h"

#include <jansson.h>
#include <stdbool.h>
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

/** Ends a change after its writes: commits it when rc is 0, otherwise rolls
 *  it back and returns rc unchanged. */
int app_change_end(struct app *app, struct arena *a, struct app_change *c, int rc, struct err *e);

/** Removes row c->id of c->table in organization c->org_id as one audited
 *  change (begin, delete, commit).  A row that other records still refer to
 *  fails with TL_ECONFLICT and leaves nothing behind. */
int app_change_delete(struct app *app, struct arena *a, struct app_change *c, struct err *e);

/** The row of table whose id column equals id, as compact JSON (NULL when absent). */
int app_row_json(struct app *app, struct arena *a, const char *table, const char *id,
                 const char **out, struct err *e);

/** The current row of st as a JSON object keyed by column name, NULL
 *  columns as null (a new reference). */
json_t *app_row_object(struct store_stmt *st);

/** Compact JSON text of o (sorted keys), in a.  Takes the reference to o. */
char *app_json_dump(struct arena *a, json_t *o);

/** The id of the row of table in organization org_id whose column key_col
 *  equals key, in a; *id is NULL when there is none, for the caller to name
 *  what is missing.  table and key_col are constants from our code. */
int app_id_by_key(struct app *app, struct arena *a, const char *table, const char *key_col,
                  const char *org_id, const char *key, const char **id, struct err *e);

/** Appends a copy of s to *arr, an arena array of *n strings with room for
 *  *cap (0 to start) that stays NULL-terminated; it grows by doubling and
 *  leaves outgrown copies in a. */
void app_strs_push(struct arena *a, const char ***arr, size_t *n, size_t *cap, const char *s);

/** The n strings of items joined with sep between them, in a ("" for none). */
char *app_strs_join(struct arena *a, const char *const *items, size_t n, const char *sep);

/** Serialises changes of one record (object_type and key within org_id)
 *  until the transaction ends, so that a read-modify-write cannot lose a
 *  concurrent one: a no-op cost under SQLite's single writer, a lock on
 *  PostgreSQL. Call inside the change's transaction, before reading. */
int app_lock_record(struct app *app, const char *org_id, const char *object_type, const char *key,
                    struct err *e);

/** Optimistic concurrency: when expected is not 0 and differs from the
 *  record's current version, fails with TL_ECONFLICT naming who changed it
 *  and when (from the last audit entry of the object). */
int app_check_version(struct app *app, struct arena *a, const char *org_id, const char *object_type,
                      const char *key, int64_t current, int64_t expected, struct err *e);

/** A new record id (26 characters, in a). */
char *app_new_id(struct arena *a);

/* --- optional text fields ------------------------------------------------- */

/** Whether s is NULL or "". */
bool app_text_is_empty(const char *s);

/** s, or "" for NULL: the stored form of a text column that is never NULL. */
const char *app_text_or_empty(const char *s);

/** s, or NULL when s is NULL or "": the stored form of an optional column. */
const char *app_text_or_null(const char *s);

/** What a patch makes of a field: its own value when it sets one (non-NULL),
 *  otherwise the current one. */
const char *app_text_patched(const char *patch, const char *cur);

/* --- organizations (org.c) ------------------------------------------------ */

struct app_org {
    const char *id, *slug, *name, *legal_name, *description, *industry, *country, *language;
    int64_t version;
};

/** Finds an organization by slug; TL_ENOTFOUND naming it when absent. */
int app_org_get(struct app *app, struct arena *a, const char *slug, struct app_org *out,
                struct err *e);

/** Finds an organization by record id; TL_ENOTFOUND naming the id when absent. */
int app_org_get_by_id(struct app *app, struct arena *a, const char *id, struct app_org *out,
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
