/* crypto.h - hashing, random and ids over libsodium.
 *
 * crypto_init() must run once before anything else here (main does it).
 * Digests are returned as lowercase hex in caller-supplied buffers.
 */
#ifndef TL_CRYPTO_H
#define TL_CRYPTO_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX 65 /* 64 hex digits + NUL */
#define ID_BUF 27     /* a Tillit id: 26 characters + NUL */

/** Initialises libsodium. Returns 0 or TL_EINTERNAL. */
int crypto_init(struct err *e);

/** SHA-256 of data as hex. */
void crypto_sha256_hex(const void *data, size_t len, char out[SHA256_HEX]);

/** Incremental SHA-256. */
struct crypto_sha256 {
    _Alignas(16) unsigned char state[128]; /* large enough for crypto_hash_sha256_state */
};
void crypto_sha256_begin(struct crypto_sha256 *h);
void crypto_sha256_update(struct crypto_sha256 *h, const void *data, size_t len);
void crypto_sha256_end(struct crypto_sha256 *h, char out[SHA256_HEX]);

/** Fills buf with n unpredictable bytes. */
void crypto_random(void *buf, size_t n);

/** A new random id: 26 characters of Crockford base32 (130 bits, lowercase). */
void crypto_new_id(char out[ID_BUF]);

/** Constant-time comparison of two equal-length buffers: 0 when equal. */
int crypto_memcmp(const void *a, const void *b, size_t n);

#endif
