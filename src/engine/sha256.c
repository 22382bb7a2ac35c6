/* sha256.c - SHA-256 of large exports, with the x86 SHA extensions when
 * the processor has them.
 *
 * Loading a dataset hashes the whole file for its provenance.  libsodium's
 * portable SHA-256 runs at about 120 MB/s here, slower than the loader
 * parses CSV, so the hash alone would set the pace of a load; the SHA
 * instructions (Intel since Goldmont and Ice Lake, AMD since Zen) do about
 * 1.5 GB/s.  The digest is the same either way (tests/unit/test_sha256.c
 * compares them); without the instructions, or on another architecture,
 * this is libsodium.  The block function follows Intel's published
 * description of the SHA extensions (Gulley et al., "Intel SHA
 * Extensions", 2013): the state is kept as ABEF/CDGH, each sha256rnds2
 * does two rounds, and sha256msg1/msg2 extend the message schedule.
 */
#include "engine/dataset.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define ENG_SHA_NI 1
#endif

static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#ifdef ENG_SHA_NI
__attribute__((target("sha,sse4.1,ssse3"))) static void
ni_blocks(uint32_t state[8], const unsigned char *data, size_t nblocks)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xb1);       /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1b);         /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8); /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xf0);      /* CDGH */
    for (; nblocks; nblocks--, data += 64) {
        __m128i abef = s0, cdgh = s1, m[4];
        for (int i = 0; i < 16; i++) {
            if (i < 4)
                m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), mask);
            __m128i msg = _mm_add_epi32(m[i & 3], _mm_loadu_si128((const __m128i *)&k256[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            if (i >= 3 && i <= 14) {
                __m128i t = _mm_alignr_epi8(m[i & 3], m[(i - 1) & 3], 4);
                m[(i + 1) & 3] = _mm_add_epi32(m[(i + 1) & 3], t);
                m[(i + 1) & 3] = _mm_sha256msg2_epu32(m[(i + 1) & 3], m[i & 3]);
            }
            msg = _mm_shuffle_epi32(msg, 0x0e);
            s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
            if (i >= 1 && i <= 12)
                m[(i - 1) & 3] = _mm_sha256msg1_epu32(m[(i - 1) & 3], m[i & 3]);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1b);   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xb1);    /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xf0); /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)&state[0], s0);
    _mm_storeu_si128((__m128i *)&state[4], s1);
}

static bool have_ni(void)
{
    static int known = -1;
    if (known < 0) {
        unsigned a, b, c, d;
        bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
        bool sse41 = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9));
        known = sha && sse41;
    }
    return known == 1;
}
#endif

void eng__sha256_begin(struct eng__sha256 *h)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memset(h, 0, sizeof(*h));
#ifdef ENG_SHA_NI
    h->ni = have_ni();
#endif
    if (h->ni)
        memcpy(h->state, iv, sizeof(iv));
    else
        crypto_sha256_begin(&h->portable);
}

void eng__sha256_update(struct eng__sha256 *h, const void *data, size_t len)
{
    if (!h->ni) {
        crypto_sha256_update(&h->portable, data, len);
        return;
    }
#ifdef ENG_SHA_NI
    const unsigned char *p = data;
    h->total += len;
    if (h->fill) {
        size_t take = 64 - h->fill < len ? 64 - h->fill : len;
        memcpy(h->block + h->fill, p, take);
        h->fill += take;
        p += take;
        len -= take;
        if (h->fill < 64)
            return;
        ni_blocks(h->state, h->block, 1);
        h->fill = 0;
    }
    if (len >= 64) {
        ni_blocks(h->state, p, len / 64);
        p += len & ~(size_t)63;
        len &= 63;
    }
    memcpy(h->block, p, len);
    h->fill = len;
#endif
}

void eng__sha256_end(struct eng__sha256 *h, char out[SHA256_HEX])
{
    if (!h->ni) {
        crypto_sha256_end(&h->portable, out);
        return;
    }
#ifdef ENG_SHA_NI
    uint64_t bits = h->total * 8;
    unsigned char pad[72] = {0x80};
    size_t n = (h->fill < 56 ? 56 : 120) - h->fill;
    for (int i = 0; i < 8; i++)
        pad[n + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
    eng__sha256_update(h, pad, n + 8);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        unsigned v = (h->state[i / 4] >> (24 - 8 * (i % 4))) & 0xff;
        out[2 * i] = hex[v >> 4];
        out[2 * i + 1] = hex[v & 15];
    }
    out[64] = '\0';
#endif
}
