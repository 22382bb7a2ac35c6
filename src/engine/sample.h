/* sample.h - reproducible sample selection: the same population and seed
 * give the same sample on any machine.
 *
 * The generator is ChaCha20 (libsodium crypto_stream_chacha20) keyed by the
 * SHA-256 of the seed written as canonical decimal text, with an all-zero
 * nonce; its keystream is read 8 bytes at a time as little-endian 64-bit
 * integers.  A number below m is drawn by rejection (no modulo bias), and k
 * distinct indices out of n by a partial Fisher-Yates shuffle.  The
 * population is the set of item ids sorted bytewise; an index refers to
 * that order, and the population hash is SHA-256 over the sorted ids
 * joined by '\n'.  docs/sampling.md states the algorithm so that an auditor
 * can re-implement it.  Pure computation (no I/O); the caller owns every
 * buffer passed in, and eng_sample_draw() allocates only a scratch array
 * that it frees.
 */
#ifndef TL_SAMPLE_H
#define TL_SAMPLE_H

#include "base/crypto.h"
#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

/* Digits of the largest seed, 18446744073709551615, plus a NUL. */
#define ENG_SEED_BUF 21

/* The largest population eng_sample_draw accepts. */
#define ENG_POPULATION_MAX 1000000u

struct eng_rng {
    unsigned char key[32];
    unsigned char block[64];
    uint64_t counter; /* the ChaCha20 block counter of the next block */
    size_t used;      /* bytes of block consumed */
};

/** Parses a seed: decimal digits only (no sign, no spaces), at most
 *  2^64 - 1.  Fails with TL_EINPUT "seed 'x' is not a number (...)". */
int eng_seed_parse(const char *text, uint64_t *seed, struct err *e);

/** The canonical text of a seed (no leading zeros), the bytes hashed into the key. */
void eng_seed_format(uint64_t seed, char out[ENG_SEED_BUF]);

/** Starts the generator of seed. */
void eng_rng_init(struct eng_rng *r, uint64_t seed);

/** The next 8 keystream bytes as a little-endian integer. */
uint64_t eng_rng_next(struct eng_rng *r);

/** A uniform integer in [0, m), m >= 1: draws until a value is at least
 *  2^64 mod m, then returns it mod m. */
uint64_t eng_rng_below(struct eng_rng *r, uint64_t m);

/** Draws k distinct indices out of [0, n) for seed into out[0..k), in
 *  draw order: for i = 0 .. k-1, j = i + below(n - i), swap a[i] and a[j],
 *  out[i] = a[i], where a starts as 0, 1, ..., n-1.  Fails with TL_EINPUT
 *  when k is 0, k > n or n > ENG_POPULATION_MAX. */
int eng_sample_draw(uint64_t seed, size_t n, size_t k, size_t *out, struct err *e);

/** Sorts ids bytewise in place and fails with TL_EINPUT naming the first
 *  id that occurs twice. */
int eng_population_sort(const char **ids, size_t n, struct err *e);

/** SHA-256 over ids (already sorted) joined by '\n', without a final newline. */
void eng_population_hash(const char *const *ids, size_t n, char out[SHA256_HEX]);

#endif
