/* search.h - finding controls, policies, risks and evidence of an
 * organization by code, title or text (the search box of the web face).
 *
 * Matching is a case-insensitive substring match (ASCII case folding, the
 * same in SQLite and PostgreSQL), with the query's own % and _ taken
 * literally.  Every query is scoped by the organization.  Results, and
 * every string in them, live in the caller's arena.
 */
#ifndef TL_APP_SEARCH_H
#define TL_APP_SEARCH_H

#include "app/app.h"

#include <stddef.h>

#define APP_SEARCH_MIN 2   /* shortest query, in bytes */
#define APP_SEARCH_MAX 200 /* longest query, in bytes */

struct app_search_hit {
    const char *kind;    /* "control", "policy", "risk" or "evidence" */
    const char *key;     /* control code, policy slug, risk code or evidence id */
    const char *title;   /* title, or the evidence's file name */
    const char *snippet; /* the text around the first match in a longer text, or NULL */
};

/** Hits for q in organization org_id, kind by kind in the order above,
 *  each kind ordered by its key and cut at limit hits: controls by code,
 *  title and description; policies by slug, title and the text of their
 *  current version; risks by code, title and description; current
 *  evidence by file name, source and note.  A query shorter than
 *  APP_SEARCH_MIN or longer than APP_SEARCH_MAX bytes (after trimming
 *  blanks) is TL_EINPUT. */
int app_search(struct app *app, struct arena *a, const char *org_id, const char *q, size_t limit,
               struct app_search_hit **out, size_t *n, struct err *e);

#endif
