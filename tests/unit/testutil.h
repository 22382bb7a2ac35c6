/* testutil.h - what the unit tests share: a database file in a fresh
 * temporary directory, an app over a new database with a pinned clock, and
 * the cmocka setup and teardown built from them.
 *
 * Whatever a helper creates, its counterpart removes: tu_dbfile_remove()
 * deletes the database files and the directory, tu_app_close() also
 * releases the app and its arena.  The structs belong to the caller.
 * Helpers that check something fail the running test (cmocka's fail_msg)
 * rather than return an error.  Include it after <cmocka.h>.
 */
#ifndef TL_TESTUTIL_H
#define TL_TESTUTIL_H

#include "app/record.h"

#include <stdint.h>

/* The clock of every app a test opens with tu_app_open(). */
#define TU_NOW "2026-03-01T12:00:00Z"

/* A database path in a directory of its own. */
struct tu_dbfile {
    char dir[64];   /* /tmp/tillit-test-NAME-XXXXXX */
    char path[128]; /* DIR/t.db, not created yet */
};

/** Makes the directory for test name; 0 or -1. */
int tu_dbfile_make(struct tu_dbfile *f, const char *name);

/** Deletes the database with its -wal, -shm and -journal files, then the
 *  directory (which must hold nothing else by then). */
void tu_dbfile_remove(const struct tu_dbfile *f);

/* An app over a new database. */
struct tu_app {
    struct tu_dbfile db;
    struct app app;
    struct arena a;            /* results of the test's app calls */
    struct app_org acme, beta; /* made by tu_setup_two_orgs(), else zero */
};

/** Creates the database of a new app acting as actor, its clock at TU_NOW
 *  (crypto_init() included); 0 or -1. */
int tu_app_open(struct tu_app *t, const char *name, const char *actor);

/** Releases the app and the arena and removes the database. */
void tu_app_close(struct tu_app *t);

/** Creates organization slug (its name is the slug too) into *out; 0 or the
 *  error code. */
int tu_make_org(struct tu_app *t, const char *slug, struct app_org *out);

/** cmocka setup: a new struct tu_app in *state, acting as "test", with
 *  organizations acme and beta for checks of tenant isolation; 0 or -1. */
int tu_setup_two_orgs(void **state, const char *name);

/** cmocka teardown of the struct tu_app in *state: closes and frees it. */
int tu_teardown(void **state);

/** The integer that sql (no parameters) returns; fails the test when it
 *  cannot run. */
int64_t tu_query_int(struct store *s, const char *sql);

/** The number of entries in the audit log, every chain included. */
int64_t tu_audit_count(struct app *app);

#endif
