/* audit.h - the tamper-evident audit log.
 *
 * Every mutation in Tillit appends one entry, inside the mutation's own
 * transaction, so the entry exists exactly when the change does.  Entries
 * form one hash chain per organization and one for installation-wide
 * events; each entry's hash is SHA-256 over its canonical form, which
 * includes the previous entry's hash (docs/internals/audit.md).  The
 * database itself refuses UPDATE and DELETE on the log.
 */
#ifndef TL_AUDIT_H
#define TL_AUDIT_H

#include "app/app.h"
#include "base/crypto.h"
#include "base/sb.h"

#include <stdint.h>

/** Appends an entry.  Must run inside a transaction (store_begin).
 *  org_id NULL = installation chain.  before/after are JSON text or NULL. */
int audit_append(struct app *app, const char *org_id, const char *action, const char *object_type,
                 const char *object_id, const char *before, const char *after, struct err *e);

struct audit_entry {
    const char *chain; /* organization id, "" for installation */
    const char *chain_name; /* organization slug, "installation" */
    int64_t seq;
    const char *at, *actor, *action, *object_type, *object_id;
    const char *before, *after; /* JSON text or NULL */
    const char *prev_hash, *hash;
};

/** The canonical text an entry's hash covers (appended to sb). */
int audit_canonical(const struct audit_entry *en, struct sb *sb);

/** Lists entries, oldest first, optionally of one chain (org id, "" = installation).
 *  The strings of each entry live in a; fn may stop the walk by returning non-zero. */
int audit_each(struct app *app, struct arena *a, const char *chain, int64_t limit,
               int (*fn)(void *ud, const struct audit_entry *en), void *ud, struct err *e);

/** Like audit_each for one chain, newest first, at most limit entries: what
 *  a "recent changes" list needs without reading the whole chain. */
int audit_each_newest(struct app *app, struct arena *a, const char *chain, int64_t limit,
                      int (*fn)(void *ud, const struct audit_entry *en), void *ud,
                      struct err *e);

struct audit_verify_result {
    int64_t verified;      /* entries whose hash and link matched */
    bool ok;
    char bad_chain[64];    /* where the first mismatch is */
    int64_t bad_seq;
    char reason[160];
};

/** Recomputes every chain. r->ok is false at the first entry that does not match. */
int audit_verify(struct app *app, struct audit_verify_result *r, struct err *e);

#endif
