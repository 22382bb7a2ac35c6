/* test_crypto.c - SHA-256 vectors and ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/crypto.h"

static const char empty_sha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char abc_sha[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
/* FIPS 180-2, the two-block message. */
static const char two_block[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char two_block_sha[] =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

static int setup(void **state)
{
    (void)state;
    return crypto_init(NULL);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char out[SHA256_HEX];
    crypto_sha256_hex("", 0, out);
    assert_string_equal(out, empty_sha);
    crypto_sha256_hex("abc", 3, out);
    assert_string_equal(out, abc_sha);
    crypto_sha256_hex(two_block, strlen(two_block), out);
    assert_string_equal(out, two_block_sha);
    assert_int_equal(strlen(out), 64);
    /* Bytes after len are not hashed. */
    crypto_sha256_hex("abcdef", 3, out);
    assert_string_equal(out, abc_sha);
}

static void test_sha256_million_a(void **state)
{
    (void)state;
    /* FIPS 180-2: one million 'a', fed in uneven pieces. */
    static char chunk[1000];
    memset(chunk, 'a', sizeof(chunk));
    struct crypto_sha256 h;
    crypto_sha256_begin(&h);
    size_t done = 0, step = 1;
    while (done < 1000000) {
        size_t n = step;
        if (n > 1000000 - done)
            n = 1000000 - done;
        crypto_sha256_update(&h, chunk, n);
        done += n;
        step = step % 997 + 3;
    }
    char out[SHA256_HEX];
    crypto_sha256_end(&h, out);
    assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_incremental_equals_one_shot(void **state)
{
    (void)state;
    unsigned char data[4099];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 31 + 7);
    char one[SHA256_HEX];
    crypto_sha256_hex(data, sizeof(data), one);
    /* Every split point in the first 200 bytes, and some later ones. */
    for (size_t cut = 0; cut < sizeof(data); cut = cut < 200 ? cut + 1 : cut * 2 + 1) {
        struct crypto_sha256 h;
        char inc[SHA256_HEX];
        crypto_sha256_begin(&h);
        crypto_sha256_update(&h, data, cut);
        crypto_sha256_update(&h, data + cut, 0);
        crypto_sha256_update(&h, data + cut, sizeof(data) - cut);
        crypto_sha256_end(&h, inc);
        assert_string_equal(inc, one);
    }
    struct crypto_sha256 h;
    char inc[SHA256_HEX];
    crypto_sha256_begin(&h);
    crypto_sha256_end(&h, inc);
    assert_string_equal(inc, empty_sha);
    /* A different message gives a different digest. */
    data[100] ^= 1;
    crypto_sha256_hex(data, sizeof(data), inc);
    assert_string_not_equal(inc, one);
}

static void test_ids(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    enum { N = 2000 };
    static char ids[N][ID_BUF];
    int seen[256] = {0};
    for (int i = 0; i < N; i++) {
        crypto_new_id(ids[i]);
        assert_int_equal(strlen(ids[i]), 26);
        for (int j = 0; j < 26; j++) {
            if (!strchr(alphabet, ids[i][j]))
                fail_msg("id '%s' has '%c', outside the alphabet", ids[i], ids[i][j]);
            seen[(unsigned char)ids[i][j]]++;
        }
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < i; j++)
            assert_string_not_equal(ids[i], ids[j]);
    /* Every letter of the alphabet turns up: the ids use all 5 bits. */
    for (const char *c = alphabet; *c; c++)
        assert_true(seen[(unsigned char)*c] > 0);
    /* Crockford leaves out i, l, o and u. */
    assert_int_equal(seen['i'] + seen['l'] + seen['o'] + seen['u'], 0);
}

static void test_random_and_memcmp(void **state)
{
    (void)state;
    unsigned char a[32] = {0}, b[32] = {0};
    crypto_random(a, sizeof(a));
    crypto_random(b, sizeof(b));
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(crypto_memcmp(a, a, sizeof(a)), 0);
    assert_int_not_equal(crypto_memcmp(a, b, sizeof(a)), 0);
    memcpy(b, a, sizeof(a));
    b[31] ^= 0x80;
    assert_int_not_equal(crypto_memcmp(a, b, sizeof(a)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha256_million_a),
        cmocka_unit_test(test_incremental_equals_one_shot),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_random_and_memcmp),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
