/* test_sha256.c - the engine's SHA-256 (SHA instructions when present)
 * gives libsodium's digest for every length and any split of the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/dataset.h"

static void digest_split(const unsigned char *data, size_t len, size_t step, char out[SHA256_HEX])
{
    struct eng__sha256 h;
    eng__sha256_begin(&h);
    for (size_t i = 0; i < len; i += step)
        eng__sha256_update(&h, data + i, len - i < step ? len - i : step);
    eng__sha256_end(&h, out);
}

static void test_known_vectors(void **state)
{
    (void)state;
    char out[SHA256_HEX];
    digest_split((const unsigned char *)"", 0, 1, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest_split((const unsigned char *)"abc", 3, 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest_split((const unsigned char *)two, strlen(two), 7, out);
    assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_matches_libsodium(void **state)
{
    (void)state;
    size_t max = 4096 + 129;
    unsigned char *data = xmalloc(max);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < max; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    static const size_t steps[] = {1, 3, 55, 56, 63, 64, 65, 1000, 5000};
    for (size_t len = 0; len < max; len += len < 200 ? 1 : 61) {
        char want[SHA256_HEX];
        crypto_sha256_hex(data, len, want);
        for (size_t s = 0; s < sizeof(steps) / sizeof(*steps); s++) {
            char got[SHA256_HEX];
            digest_split(data, len, steps[s], got);
            assert_string_equal(got, want);
        }
    }
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_matches_libsodium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
