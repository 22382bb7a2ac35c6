/* sample.c - ChaCha20-keyed sample selection (see sample.h and docs/sampling.md). */
#include "engine/sample.h"

#include "base/mem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int eng_seed_parse(const char *text, uint64_t *seed, struct err *e)
{
    uint64_t v = 0;
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > ENG_SEED_BUF - 1)
        return ERR_SET(e, TL_EINPUT,
                       "seed '%s' is not a number (expected 0 to 18446744073709551615)",
                       text ? text : "");
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return ERR_SET(e, TL_EINPUT,
                           "seed '%s' is not a number (expected 0 to 18446744073709551615)", text);
        uint64_t d = (uint64_t)(text[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return ERR_SET(e, TL_EINPUT, "seed '%s' is too large (at most 18446744073709551615)",
                           text);
        v = v * 10 + d;
    }
    *seed = v;
    return 0;
}

void eng_seed_format(uint64_t seed, char out[ENG_SEED_BUF])
{
    char tmp[ENG_SEED_BUF];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + seed % 10);
        seed /= 10;
    } while (seed);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void eng_rng_init(struct eng_rng *r, uint64_t seed)
{
    char text[ENG_SEED_BUF];
    eng_seed_format(seed, text);
    memset(r, 0, sizeof(*r));
    crypto_hash_sha256(r->key, (const unsigned char *)text, strlen(text));
    r->used = sizeof(r->block); /* nothing generated yet */
}

/* Block number r->counter of the keystream: XOR of zeros with the stream
 * from that block on, which is exactly crypto_stream_chacha20's output at
 * offset 64 * counter. */
static void refill(struct eng_rng *r)
{
    static const unsigned char zero_nonce[crypto_stream_chacha20_NONCEBYTES];
    memset(r->block, 0, sizeof(r->block));
    crypto_stream_chacha20_xor_ic(r->block, r->block, sizeof(r->block), zero_nonce, r->counter,
                                  r->key);
    r->counter++;
    r->used = 0;
}

uint64_t eng_rng_next(struct eng_rng *r)
{
    if (r->used + 8 > sizeof(r->block))
        refill(r);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | r->block[r->used + (size_t)i];
    r->used += 8;
    return v;
}

uint64_t eng_rng_below(struct eng_rng *r, uint64_t m)
{
    /* 2^64 mod m, computed in 64 bits: (2^64 - m) mod m. Values below it
     * would make the low residues more likely, so they are drawn again. */
    uint64_t threshold = (0 - m) % m;
    for (;;) {
        uint64_t v = eng_rng_next(r);
        if (v >= threshold)
            return v % m;
    }
}

int eng_sample_draw(uint64_t seed, size_t n, size_t k, size_t *out, struct err *e)
{
    if (n > ENG_POPULATION_MAX)
        return ERR_SET(e, TL_EINPUT, "a population of %zu items is larger than the %u allowed", n,
                       ENG_POPULATION_MAX);
    if (k == 0)
        return ERR_SET(e, TL_EINPUT, "a sample needs at least one item");
    if (k > n)
        return ERR_SET(e, TL_EINPUT, "a sample of %zu is larger than the population of %zu", k, n);
    uint32_t *a = xcalloc(n, sizeof(*a));
    for (size_t i = 0; i < n; i++)
        a[i] = (uint32_t)i;
    struct eng_rng r;
    eng_rng_init(&r, seed);
    for (size_t i = 0; i < k; i++) {
        size_t j = i + (size_t)eng_rng_below(&r, (uint64_t)(n - i));
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        out[i] = a[i];
    }
    free(a);
    sodium_memzero(&r, sizeof(r));
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int eng_population_sort(const char **ids, size_t n, struct err *e)
{
    if (n > 1)
        qsort(ids, n, sizeof(*ids), cmp_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            return ERR_SET(e, TL_EINPUT, "item '%s' occurs more than once in the population",
                           ids[i]);
    return 0;
}

void eng_population_hash(const char *const *ids, size_t n, char out[SHA256_HEX])
{
    struct crypto_sha256 h;
    crypto_sha256_begin(&h);
    for (size_t i = 0; i < n; i++) {
        if (i)
            crypto_sha256_update(&h, "\n", 1);
        crypto_sha256_update(&h, ids[i], strlen(ids[i]));
    }
    crypto_sha256_end(&h, out);
}
