/* backup.h - copies of a whole installation: backup, restore, migrate --to.
 *
 * A backup of an SQLite installation is an SQLite file made with the online
 * backup API while the database stays in use; of a PostgreSQL one, a
 * logical dump in JSON lines that Tillit writes itself (format in
 * docs/postgres.md).  Either kind restores into either backend, and
 * migrate --to copies the open database into another: always into a
 * database that holds no tables yet, in one transaction, so a failed copy
 * leaves the target empty.  Rows are copied as stored, the audit log
 * included, and the copy then appends one entry of its own to the
 * installation chain, so 'tillit audit verify' covers it.  Evidence blobs
 * travel in "<file>.vault" beside a backup, and land in the target's vault
 * (docs/internals/vault.md), each rehashed on the way.
 *
 * Ownership: results live in the caller's struct; strings in the arena.
 */
#ifndef TL_APP_BACKUP_H
#define TL_APP_BACKUP_H

#include "app/app.h"

#include <stdint.h>

struct app_copy_stats {
    int64_t tables; /* tables that had rows */
    int64_t rows;
    int64_t blobs;      /* evidence blobs copied */
    const char *vault;  /* where the blobs went, NULL when there were none */
    const char *target; /* the target's name (without a password), after a copy */
};

/** Writes a backup of app's database to path (which must not exist): an
 *  SQLite file or a JSON-lines dump, as the backend allows; evidence blobs
 *  into "<path>.vault". PostgreSQL needs a role that sees every row (the
 *  tables' owner): anything less is refused rather than half-copied. */
int app_backup(struct app *app, struct arena *a, const char *path, struct app_copy_stats *st,
               struct err *e);

/** Restores the backup at path into the database at url, which must hold
 *  no tables (a new file or an empty PostgreSQL database), and leaves app
 *  (which has no database yet) opened on it. vault_dir receives the blobs;
 *  NULL = the target's usual vault (TILLIT_VAULT or "<db>.vault"). */
int app_restore(struct app *app, struct arena *a, const char *path, const char *url,
                const char *vault_dir, struct app_copy_stats *st, struct err *e);

/** Copies app's database into the empty database at url; vault_dir as for
 *  app_restore. app's database is only read. */
int app_migrate_to(struct app *app, struct arena *a, const char *url, const char *vault_dir,
                   struct app_copy_stats *st, struct err *e);

#endif
