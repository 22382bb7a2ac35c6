/* vault.h - the content-addressed store of evidence blobs, and signed
 * evidence packages.
 *
 * A blob lives at <dir>/<first 2 hex digits>/<other 62> of its SHA-256 and
 * is never changed once there: the same bytes always land on the same
 * path, so adding a file twice stores it once.  A blob arrives in steps:
 * vault_source_check() refuses what cannot be stored (missing, not a
 * regular file, empty, over the size limit) before anything is written;
 * vault_stage() copies the file into a temporary file inside the vault,
 * hashing while it copies (bounded memory) and fsyncing; vault_publish()
 * renames it onto its address.  Callers publish while the transaction that
 * records the blob is open and vault_unpublish() when it fails, so that a
 * row never names a missing blob (docs/internals/vault.md).
 *
 * A package is a zip with files/<sha256>-<name>, manifest.json, its Ed25519
 * detached signature manifest.sig (hex) and public_key.txt (hex); it is
 * verified with nothing but the zip.
 *
 * Ownership: the caller owns struct vault and struct vault_blob; the
 * strings in them live in the arena given to vault_init / vault_stage.
 * A struct vault_pkg is owned by whoever created it until vault_pkg_finish
 * or vault_pkg_abort frees it.
 */
#ifndef TL_VAULT_H
#define TL_VAULT_H

#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VAULT_DEFAULT_MAX_BYTES ((uint64_t)100 << 20) /* 100 MiB */
#define VAULT_HEAD 512   /* leading bytes kept for media type detection */
#define VAULT_PK_HEX 65  /* Ed25519 public key: 64 hex digits + NUL */
#define VAULT_SK_HEX 129 /* Ed25519 secret key: 128 hex digits + NUL */

struct vault {
    const char *dir;    /* the vault directory */
    uint64_t max_bytes; /* largest blob accepted; 0 = no limit */
};

struct vault_blob {
    char sha256[SHA256_HEX];
    uint64_t size;
    const char *media_type; /* guessed from name and content (static string) */
    const char *tmp;        /* staged temporary file; NULL once published or discarded */
    const char *path;       /* the blob's address */
    bool existed;           /* the vault already held these bytes (deduplicated) */
    bool created;           /* vault_publish created the file */
};

enum vault_state { VAULT_OK, VAULT_MISSING, VAULT_CHANGED };

/* --- the blob store ------------------------------------------------------ */

/** Prepares v for the directory dir (created on first stage). dir is borrowed. */
void vault_init(struct vault *v, const char *dir, uint64_t max_bytes);

/** The vault directory for a database file: "<db>.vault". In a. */
char *vault_dir_for_db(struct arena *a, const char *db_path);

/** Checks that src can be stored: a readable, non-empty regular file no
 *  larger than v->max_bytes (TL_ENOTFOUND, TL_EINPUT or TL_ETOOBIG naming
 *  it).  Writes nothing. */
int vault_source_check(const struct vault *v, const char *src, uint64_t *size, struct err *e);

/** Copies src into a temporary file in the vault while hashing it, then
 *  fsyncs it.  Fails with TL_ETOOBIG (and leaves nothing) if the file
 *  grows past the limit while it is copied. */
int vault_stage(const struct vault *v, struct arena *a, const char *src, struct vault_blob *b,
                struct err *e);

/** Moves a staged blob onto its address (atomic rename, directory fsync).
 *  When the vault already holds the blob the staged copy is dropped and
 *  the stored one is left untouched. */
int vault_publish(const struct vault *v, struct vault_blob *b, struct err *e);

/** Removes the temporary file of a staged blob, if any. */
void vault_discard(struct vault_blob *b);

/** Undoes vault_publish: removes the blob if publish created it. */
void vault_unpublish(struct vault_blob *b);

/** The address of a blob (in a); NULL when sha256 is not 64 lowercase hex digits. */
char *vault_path(const struct vault *v, struct arena *a, const char *sha256);

/** Rehashes a stored blob: VAULT_OK, VAULT_MISSING, or VAULT_CHANGED when
 *  its bytes no longer hash to sha256 or its size differs. */
int vault_check(const struct vault *v, struct arena *a, const char *sha256, uint64_t size,
                enum vault_state *state, struct err *e);

/** A media type from a file name and its first bytes: magic numbers first
 *  (PDF, PNG, JPEG, GIF, zip and the office formats built on it, gzip),
 *  then the extension for text formats when the bytes look like text. */
const char *vault_media_type(const char *name, const unsigned char *head, size_t n);

/* --- signing keys -------------------------------------------------------- */

/** A new Ed25519 key pair as hex. The caller wipes sk_hex when done. */
void vault_keypair(char pk_hex[VAULT_PK_HEX], char sk_hex[VAULT_SK_HEX]);

/* --- packages ------------------------------------------------------------ */

struct vault_pkg;

/** Starts a package at path (written on vault_pkg_finish, replacing path). */
int vault_pkg_create(const char *path, struct vault_pkg **out, struct err *e);

/** Adds blob sha256 of v as "files/<sha256>-<name>" (stored uncompressed);
 *  *entry receives that name (in a).  A name already added is not added twice. */
int vault_pkg_add_blob(struct vault_pkg *p, const struct vault *v, struct arena *a,
                       const char *sha256, const char *name, const char **entry, struct err *e);

/** Adds manifest.json (the exact bytes given), manifest.sig and
 *  public_key.txt, writes the zip and frees p, even on failure. */
int vault_pkg_finish(struct vault_pkg *p, const char *manifest, size_t len, const char *sk_hex,
                     struct err *e);

/** Frees p without writing anything. NULL is a no-op. */
void vault_pkg_abort(struct vault_pkg *p);

struct vault_pkg_result {
    bool ok;
    int64_t files; /* files verified */
    char public_key[VAULT_PK_HEX];
    char bad[512]; /* the first bad file, or the part of the package at fault */
    char reason[256];
};

/** Verifies a package offline: the signature of manifest.json against the
 *  included public key (and, when key_hex is not NULL, that the key is
 *  that one), then every file listed against its size and SHA-256, and
 *  that no unlisted file is present.  Returns 0 with r->ok false at the
 *  first problem; fails only when path does not exist or key_hex is not
 *  a key in hex (TL_EUSAGE). */
int vault_pkg_verify(const char *path, const char *key_hex, struct vault_pkg_result *r,
                     struct err *e);

#endif
