/* pbc.h - the request list of an engagement ("provided by client"): what
 * the auditor asks the organization to provide.
 *
 * An item is known by its ref within the engagement ("PBC-001"); it names
 * the request, optionally a control (whose owner then gets the item, so an
 * auditor's request lands as a task for the control owner), an owner (a
 * person's email), a due date and a status: open -> submitted (by the
 * organization) -> accepted or returned (by the auditor); returned items
 * are submitted again.  Evidence is attached by id and never detached;
 * comments are appended.  The list is exchanged with audit firms as CSV or
 * XLSX with the columns ref, request, control, owner, due, status,
 * evidence (ids, comma-separated) and comments (one per line, "DATE AUTHOR:
 * TEXT"); importing what was exported changes nothing.  Rights are checked
 * with app_eng_authz (engagement.h); every change is audited; results live
 * in the caller's arena.
 */
#ifndef TL_PBC_H
#define TL_PBC_H

#include "app/engagement.h"

#include <stddef.h>
#include <stdint.h>

extern const char *const app_pbc_statuses[]; /* open, submitted, accepted, returned */

struct app_pbc_comment {
    const char *on;     /* YYYY-MM-DD */
    const char *author; /* the actor */
    const char *text;   /* one line */
};

struct app_pbc_item {
    const char *ref, *request;
    const char *control; /* code, or NULL */
    const char *owner;   /* email, or NULL */
    const char *due;     /* YYYY-MM-DD, or NULL */
    const char *status;
    const char *requested_by, *created_at;
    const char **evidence; /* ids, sorted */
    size_t n_evidence;
    struct app_pbc_comment *comments; /* oldest first */
    size_t n_comments;
    int64_t version;
};

struct app_pbc_filter {
    const char *status; /* NULL = all */
    const char *owner;  /* email, NULL = all */
};

struct app_pbc_import {
    size_t added, updated, unchanged;
    const char *ignored; /* columns not read, comma-separated, "" for none */
};

/** Adds a request (request text required; ref NULL = the next "PBC-nnn";
 *  the owner defaults to the control's owner).  *ref gets its ref. */
int app_pbc_add(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                const char *slug, const struct app_pbc_item *in, const char **ref, struct err *e);

/** The requests of an engagement matching f (NULL = all), by ref. */
int app_pbc_list(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                 const char *slug, const struct app_pbc_filter *f, struct app_pbc_item **out,
                 size_t *n, struct err *e);

/** One request by ref. */
int app_pbc_get(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                const char *slug, const char *ref, struct app_pbc_item *out, struct err *e);

/** Changes request, control, owner, due of a request (non-NULL fields; ""
 *  clears control, owner and due). */
int app_pbc_edit(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                 const char *slug, const char *ref, const struct app_pbc_item *patch,
                 struct err *e);

/** Sets the status: submitted needs APP_ENG_PROVIDE, the others
 *  APP_ENG_REQUEST. */
int app_pbc_set_status(struct app *app, struct arena *a, const char *org_id,
                       const struct app_who *who, const char *slug, const char *ref,
                       const char *status, struct err *e);

/** Attaches evidence (comma-separated ids or unique prefixes). */
int app_pbc_attach(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                   const char *slug, const char *ref, const char *evidence, struct err *e);

/** Appends a comment (one line of text) by app->actor. */
int app_pbc_comment(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *slug, const char *ref, const char *text, struct err *e);

/** Writes the list to path: XLSX when it ends in ".xlsx", else CSV. */
int app_pbc_export(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                   const char *slug, const char *path, struct err *e);

/** Reads a list (CSV or XLSX, first row the header; ref and request
 *  required) and adds or updates the requests it names, all or nothing:
 *  an error names the file and line.  Evidence and comments in the file
 *  that the request lacks are added. */
int app_pbc_import(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                   const char *slug, const char *path, struct app_pbc_import *r, struct err *e);

#endif
