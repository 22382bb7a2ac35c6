/* app.h - the use-case layer: the only layer the CLI and the web call.
 *
 * A struct app holds what one process works with: the database connection,
 * the content (embedded or overridden with --content DIR), the loaded
 * catalog, who is acting and what "now" is.  The caller owns the struct;
 * app_release() closes the store and frees the app arena.  Everything the
 * app loads for its lifetime (the catalog) lives in app->arena.
 */
#ifndef TL_APP_H
#define TL_APP_H

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "domain/catalog.h"
#include "store/store.h"

#include <stdbool.h>

struct app {
    struct store *store;      /* NULL until app_open_db() */
    struct arena arena;       /* app lifetime allocations */
    const char *content_dir;  /* --content DIR, or NULL for the embedded tree */
    char actor[128];          /* who acts: "cli:alice", "web:user@example.com" */
    tl_time now;              /* pinned by TILLIT_NOW in tests */
    struct dom_catalog catalog;
    bool catalog_loaded;
    const struct dom_library *library; /* app_library(): loaded on first use, in arena */
};

/** Prepares an app with no database; actor and now are set by the caller. */
void app_init(struct app *app);

/** Closes the store and frees everything the app loaded. */
void app_release(struct app *app);

/** Opens an existing database and checks its schema version. */
int app_open_db(struct app *app, const char *url, bool readonly, struct err *e);

/** Creates (or upgrades) a database: migrations, then the first audit entry. */
int app_create_db(struct app *app, const char *url, int *from, int *to, struct err *e);

/** The criteria catalog, loaded from content on first use. */
int app_catalog(struct app *app, const struct dom_catalog **out, struct err *e);

/* --- content ------------------------------------------------------------ */

/** Reads a content file (override directory first, then embedded). Bytes are
 *  NUL-terminated and live in app->arena (or are static when embedded). */
int app_content_read(struct app *app, const char *path, const char **data, size_t *len,
                     struct err *e);

/** Calls fn for every content path starting with prefix, sorted (embedded
 *  and override merged). Stops at the first non-zero return. */
int app_content_each(struct app *app, const char *prefix,
                     int (*fn)(void *ud, const char *path), void *ud);

#endif
