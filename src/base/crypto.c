/* crypto.c - libsodium wrappers. */
#include "base/crypto.h"

#include <sodium.h>
#include <string.h>

_Static_assert(sizeof(struct crypto_sha256) >= sizeof(crypto_hash_sha256_state),
               "crypto_sha256 too small for libsodium's state");

int crypto_init(struct err *e)
{
    if (sodium_init() < 0)
        return ERR_SET(e, TL_EINTERNAL, "cannot initialise libsodium");
    return 0;
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void crypto_sha256_hex(const void *data, size_t len, char out[SHA256_HEX])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, data, len);
    to_hex(d, sizeof(d), out);
}

void crypto_sha256_begin(struct crypto_sha256 *h)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)h->state);
}

void crypto_sha256_update(struct crypto_sha256 *h, const void *data, size_t len)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)h->state, data, len);
}

void crypto_sha256_end(struct crypto_sha256 *h, char out[SHA256_HEX])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final((crypto_hash_sha256_state *)h->state, d);
    to_hex(d, sizeof(d), out);
}

void crypto_random(void *buf, size_t n)
{
    randombytes_buf(buf, n);
}

void crypto_new_id(char out[ID_BUF])
{
    static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    unsigned char r[ID_BUF - 1];
    randombytes_buf(r, sizeof(r));
    for (size_t i = 0; i < sizeof(r); i++)
        out[i] = alphabet[r[i] & 31];
    out[ID_BUF - 1] = '\0';
}

int crypto_memcmp(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n);
}
