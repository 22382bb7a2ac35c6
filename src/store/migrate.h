/* migrate.h - versioned schema migrations embedded in the binary.
 *
 * Migrations are files src/store/migrations/NNNN_name.sql, applied in
 * order, all pending ones in one transaction: a run either completes or
 * leaves the database as it was.  The applied versions are recorded in
 * schema_migrations.  A database whose version is newer than the newest
 * migration this binary knows is refused (TL_EVERSION) rather than touched.
 */
#ifndef TL_MIGRATE_H
#define TL_MIGRATE_H

#include "base/embed.h"
#include "base/err.h"
#include "store/store.h"

/** The migrations compiled into this binary (generated table). */
extern const struct embed_file store_migrations[];

/** The highest version in a migration table. */
int migrate_latest(const struct embed_file *migrations);

/** The database's schema version (0 for an empty database). */
int migrate_current(struct store *s, int *version, struct err *e);

/** Fails with TL_EVERSION when the database is newer than this binary, or
 *  (naming 'tillit init') when it is older. */
int migrate_check(struct store *s, const struct embed_file *migrations, struct err *e);

/** Applies every pending migration in one transaction; from and to report versions. */
int migrate_up(struct store *s, const struct embed_file *migrations, int *from, int *to,
               struct err *e);

#endif
