/* test_sample.c - reproducible sample selection (engine/sample.h): a pinned
 * population, seed and selection that must never change, and statistical
 * sanity of the generator (every index reachable, no duplicates, no bias). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "engine/sample.h"

static int setup(void **state)
{
    (void)state;
    return crypto_init(NULL);
}

/* ITEM-001 .. ITEM-250, handed over in a scrambled order: the population is
 * the set of ids, so the order it arrives in must not matter. */
static void make_population(char ids[250][16], const char *ptrs[250])
{
    for (int i = 0; i < 250; i++) {
        int k = (i * 97) % 250; /* 97 is prime to 250: a permutation */
        snprintf(ids[i], 16, "ITEM-%03d", k + 1);
        ptrs[i] = ids[i];
    }
}

/* Computed once with the reference implementation in docs/sampling.md
 * (tools/sampleref.py, pure Python) and frozen: if this test fails, samples
 * drawn by earlier versions can no longer be reproduced. */
static const size_t pinned_42[25] = {57, 187, 208, 35, 11,  123, 25,  155, 27, 120, 43,  12, 225,
                                     20, 103, 157, 23, 162, 48,  145, 141, 67, 134, 192, 221};
static const char pinned_hash[] =
    "4ca05d6ca5827ac199f86009209cdd2f5112e15e6c28bedb037a5d3fef55a816";

static void test_pinned_selection(void **state)
{
    (void)state;
    char ids[250][16];
    const char *ptrs[250];
    make_population(ids, ptrs);
    struct err e = ERR_INIT;
    assert_int_equal(eng_population_sort(ptrs, 250, &e), 0);
    assert_string_equal(ptrs[0], "ITEM-001");
    assert_string_equal(ptrs[249], "ITEM-250");
    char hash[SHA256_HEX];
    eng_population_hash(ptrs, 250, hash);
    assert_string_equal(hash, pinned_hash);
    size_t out[25];
    assert_int_equal(eng_sample_draw(42, 250, 25, out, &e), 0);
    for (int i = 0; i < 25; i++)
        assert_int_equal(out[i], pinned_42[i]);
    assert_string_equal(ptrs[out[0]], "ITEM-058");
    assert_string_equal(ptrs[out[24]], "ITEM-222");
    /* The same seed again, and a prefix: drawing fewer gives the first ones. */
    size_t again[25], fewer[5];
    assert_int_equal(eng_sample_draw(42, 250, 25, again, &e), 0);
    assert_memory_equal(out, again, sizeof(out));
    assert_int_equal(eng_sample_draw(42, 250, 5, fewer, &e), 0);
    assert_memory_equal(out, fewer, sizeof(fewer));
}

/* The keystream is libsodium's crypto_stream_chacha20 with key SHA-256("42"):
 * its first 8 bytes, little-endian, pinned. */
static void test_keystream(void **state)
{
    (void)state;
    struct eng_rng r;
    eng_rng_init(&r, 42);
    uint64_t v[9];
    for (int i = 0; i < 9; i++)
        v[i] = eng_rng_next(&r);
    assert_true(v[0] == UINT64_C(0x4323a03b70180e79));
    /* 8 values per block: the 9th starts block 1 of the keystream. */
    assert_true(v[8] == UINT64_C(0x18bb3e44dc86ab47));
    eng_rng_init(&r, 43);
    assert_true(eng_rng_next(&r) != v[0]);
}

static void test_seed_parse(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    uint64_t s = 1;
    assert_int_equal(eng_seed_parse("0", &s, &e), 0);
    assert_true(s == 0);
    assert_int_equal(eng_seed_parse("007", &s, &e), 0);
    assert_true(s == 7);
    assert_int_equal(eng_seed_parse("18446744073709551615", &s, &e), 0);
    assert_true(s == UINT64_MAX);
    static const char *const bad[] = {"",
                                      "-1",
                                      "+1",
                                      " 1",
                                      "1 ",
                                      "4x",
                                      "1e3",
                                      "0x10",
                                      "18446744073709551616",
                                      "99999999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(eng_seed_parse(bad[i], &s, &e), TL_EINPUT);
        assert_non_null(strstr(e.msg, "seed"));
    }
    assert_int_equal(eng_seed_parse(NULL, &s, &e), TL_EINPUT);
    char buf[ENG_SEED_BUF];
    eng_seed_format(0, buf);
    assert_string_equal(buf, "0");
    eng_seed_format(UINT64_MAX, buf);
    assert_string_equal(buf, "18446744073709551615");
    /* "007" and "7" are one seed: the key hashes the canonical text. */
    size_t a[3], b[3];
    assert_int_equal(eng_seed_parse("007", &s, &e), 0);
    assert_int_equal(eng_sample_draw(s, 100, 3, a, &e), 0);
    assert_int_equal(eng_sample_draw(7, 100, 3, b, &e), 0);
    assert_memory_equal(a, b, sizeof(a));
}

static void test_draw_refuses(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    size_t out[4];
    assert_int_equal(eng_sample_draw(1, 3, 4, out, &e), TL_EINPUT);
    assert_string_equal(e.msg, "a sample of 4 is larger than the population of 3");
    assert_int_equal(eng_sample_draw(1, 3, 0, out, &e), TL_EINPUT);
    assert_int_equal(eng_sample_draw(1, ENG_POPULATION_MAX + 1u, 1, out, &e), TL_EINPUT);
    /* The whole population is a permutation of it. */
    size_t all[3];
    assert_int_equal(eng_sample_draw(9, 3, 3, all, &e), 0);
    assert_int_equal(all[0] + all[1] + all[2], 3);
    assert_true(all[0] != all[1] && all[1] != all[2] && all[0] != all[2]);
}

static void test_below_bounds(void **state)
{
    (void)state;
    struct eng_rng r;
    eng_rng_init(&r, 5);
    for (int i = 0; i < 2000; i++)
        assert_true(eng_rng_below(&r, 3) < 3);
    for (int i = 0; i < 200; i++)
        assert_true(eng_rng_below(&r, 1) == 0);
    /* Just over 2^63: almost half of all values are rejected, and every
     * value returned is still below m. */
    uint64_t m = (UINT64_C(1) << 63) + 1;
    for (int i = 0; i < 200; i++)
        assert_true(eng_rng_below(&r, m) < m);
}

/* Every index is reachable, and over many seeds each is drawn about equally
 * often: 10000 draws of 1 out of 10, each count within 5 standard
 * deviations (sd = sqrt(10000 * 0.1 * 0.9) = 30) of 1000, and the
 * chi-square statistic far below its 0.1% critical value (27.9, 9 df). */
static void test_uniform_and_reachable(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    int counts[10] = {0};
    for (uint64_t seed = 0; seed < 10000; seed++) {
        size_t out[1];
        assert_int_equal(eng_sample_draw(seed, 10, 1, out, &e), 0);
        assert_true(out[0] < 10);
        counts[out[0]]++;
    }
    double chi2 = 0;
    for (int i = 0; i < 10; i++) {
        assert_true(counts[i] > 850 && counts[i] < 1150);
        chi2 += (counts[i] - 1000.0) * (counts[i] - 1000.0) / 1000.0;
    }
    assert_true(chi2 < 27.9);
    /* Position matters too: the 5th item drawn from 7 reaches every index. */
    int seen[7] = {0};
    for (uint64_t seed = 0; seed < 500; seed++) {
        size_t out[5];
        assert_int_equal(eng_sample_draw(seed, 7, 5, out, &e), 0);
        seen[out[4]]++;
    }
    for (int i = 0; i < 7; i++)
        assert_true(seen[i] > 0);
}

static void test_no_duplicates(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    enum { N = 1000 };
    static size_t out[N];
    static unsigned char hit[N];
    for (uint64_t seed = 100; seed < 110; seed++) {
        size_t k = seed == 100 ? N : 25 + (size_t)seed % 100;
        assert_int_equal(eng_sample_draw(seed, N, k, out, &e), 0);
        memset(hit, 0, sizeof(hit));
        for (size_t i = 0; i < k; i++) {
            assert_true(out[i] < N);
            assert_int_equal(hit[out[i]], 0);
            hit[out[i]] = 1;
        }
    }
}

static void test_population_sort_and_hash(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    const char *ids[] = {"b", "a", "B", "é", "a"};
    assert_int_equal(eng_population_sort(ids, 5, &e), TL_EINPUT);
    assert_string_equal(e.msg, "item 'a' occurs more than once in the population");
    const char *ok[] = {"b", "a", "B", "\xc3\xa9"};
    assert_int_equal(eng_population_sort(ok, 4, &e), 0);
    /* Bytewise: upper case before lower case, UTF-8 after ASCII. */
    assert_string_equal(ok[0], "B");
    assert_string_equal(ok[1], "a");
    assert_string_equal(ok[2], "b");
    assert_string_equal(ok[3], "\xc3\xa9");
    char h[SHA256_HEX], want[SHA256_HEX];
    eng_population_hash(ok, 4, h);
    const char joined[] = "B\na\nb\n\xc3\xa9";
    crypto_sha256_hex(joined, sizeof(joined) - 1, want);
    assert_string_equal(h, want);
    eng_population_hash(NULL, 0, h);
    crypto_sha256_hex("", 0, want);
    assert_string_equal(h, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinned_selection), cmocka_unit_test(test_keystream),
        cmocka_unit_test(test_seed_parse),       cmocka_unit_test(test_draw_refuses),
        cmocka_unit_test(test_below_bounds),     cmocka_unit_test(test_uniform_and_reachable),
        cmocka_unit_test(test_no_duplicates),    cmocka_unit_test(test_population_sort_and_hash),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
