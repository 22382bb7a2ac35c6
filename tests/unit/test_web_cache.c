/* test_web_cache.c - the server's cache of rendered bytes: hits only on the
 * same key and stamp, replacement, the bounds (entries, bytes, large
 * values) with the least recently used going first, and threads reading
 * while others write never seeing a mixed entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "web/cache.h"

static bool get(struct web_cache *c, const char *key, const char *stamp, const char *want)
{
    struct sb out = SB_INIT;
    bool hit = web_cache_get(c, key, stamp, &out);
    if (hit && want)
        assert_string_equal(out.buf, want);
    if (!hit)
        assert_int_equal(out.len, 0);
    sb_release(&out);
    return hit;
}

static void test_hit_needs_key_and_stamp(void **state)
{
    (void)state;
    struct web_cache *c = web_cache_new(8, 1 << 20);
    assert_false(get(c, "acme|en|admin", "7:abc:2026-03-01", NULL));
    web_cache_put(c, "acme|en|admin", "7:abc:2026-03-01", "<p>acme</p>", 11);
    assert_true(get(c, "acme|en|admin", "7:abc:2026-03-01", "<p>acme</p>"));
    /* another language, role or organization is another key */
    assert_false(get(c, "acme|sv|admin", "7:abc:2026-03-01", NULL));
    assert_false(get(c, "acme|en|viewer", "7:abc:2026-03-01", NULL));
    assert_false(get(c, "beta|en|admin", "7:abc:2026-03-01", NULL));
    /* a change (the chain head moved) or another day is a miss */
    assert_false(get(c, "acme|en|admin", "8:def:2026-03-01", NULL));
    assert_false(get(c, "acme|en|admin", "7:abc:2026-03-02", NULL));
    struct web_cache_stats st = web_cache_stats(c);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 6);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.bytes, 11);
    web_cache_free(c);
}

static void test_put_replaces(void **state)
{
    (void)state;
    struct web_cache *c = web_cache_new(8, 1 << 20);
    web_cache_put(c, "k", "1", "old", 3);
    web_cache_put(c, "k", "2", "newer", 5);
    assert_false(get(c, "k", "1", NULL));
    assert_true(get(c, "k", "2", "newer"));
    struct web_cache_stats st = web_cache_stats(c);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.bytes, 5);
    /* a get appends: what the caller had stays */
    struct sb out = SB_INIT;
    sb_adds(&out, "<main>");
    assert_true(web_cache_get(c, "k", "2", &out));
    assert_string_equal(out.buf, "<main>newer");
    sb_release(&out);
    web_cache_free(c);
}

static void test_bounds_evict_least_recently_used(void **state)
{
    (void)state;
    struct web_cache *c = web_cache_new(3, 1 << 20);
    web_cache_put(c, "a", "s", "A", 1);
    web_cache_put(c, "b", "s", "B", 1);
    web_cache_put(c, "c", "s", "C", 1);
    assert_true(get(c, "a", "s", "A")); /* b is now the least recently used */
    web_cache_put(c, "d", "s", "D", 1);
    assert_false(get(c, "b", "s", NULL));
    assert_true(get(c, "a", "s", "A"));
    assert_true(get(c, "c", "s", "C"));
    assert_true(get(c, "d", "s", "D"));
    assert_int_equal(web_cache_stats(c).evictions, 1);
    web_cache_free(c);

    /* bytes: 800 allowed, values of 100 (an eighth): the ninth pushes one out */
    char v[100];
    memset(v, 'x', sizeof(v));
    c = web_cache_new(64, 800);
    for (int i = 0; i < 9; i++) {
        char key[8];
        snprintf(key, sizeof(key), "k%d", i);
        web_cache_put(c, key, "s", v, sizeof(v));
    }
    struct web_cache_stats st = web_cache_stats(c);
    assert_int_equal(st.entries, 8);
    assert_true(st.bytes <= 800);
    assert_false(get(c, "k0", "s", NULL));
    assert_true(get(c, "k8", "s", NULL));
    /* a value over an eighth of the bytes is not kept, and drops the old one */
    char big[101];
    memset(big, 'y', sizeof(big));
    web_cache_put(c, "k8", "t", big, sizeof(big));
    assert_false(get(c, "k8", "s", NULL));
    assert_false(get(c, "k8", "t", NULL));
    web_cache_free(c);
    web_cache_free(NULL);
}

/* Writers store values that are one letter repeated, each of a length of
 * its own; readers check that what they get is never a mix. */
#define VALUE_LEN 4000

struct worker {
    struct web_cache *c;
    int id;
    int bad;
};

static void *writer(void *ud)
{
    struct worker *w = ud;
    char v[VALUE_LEN];
    for (int i = 0; i < 2000; i++) {
        char letter = (char)('a' + (i + w->id) % 26);
        size_t len = (size_t)(VALUE_LEN - (i % 97));
        memset(v, letter, len);
        char stamp[8];
        snprintf(stamp, sizeof(stamp), "%d", i % 3);
        web_cache_put(w->c, (i & 1) ? "odd" : "even", stamp, v, len);
    }
    return NULL;
}

static void *reader(void *ud)
{
    struct worker *w = ud;
    for (int i = 0; i < 6000; i++) {
        struct sb out = SB_INIT;
        char stamp[8];
        snprintf(stamp, sizeof(stamp), "%d", i % 3);
        if (web_cache_get(w->c, (i & 1) ? "odd" : "even", stamp, &out)) {
            for (size_t k = 1; k < out.len; k++)
                if (out.buf[k] != out.buf[0])
                    w->bad++;
            if (out.len < VALUE_LEN - 96)
                w->bad++;
        }
        sb_release(&out);
    }
    return NULL;
}

static void test_threads_never_see_half_an_entry(void **state)
{
    (void)state;
    struct web_cache *c = web_cache_new(4, 1 << 20);
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){c, i, 0};
        pthread_create(&t[i], NULL, i < 2 ? writer : reader, &w[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(w[2].bad + w[3].bad, 0);
    assert_true(web_cache_stats(c).entries <= 2);
    web_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_needs_key_and_stamp),
        cmocka_unit_test(test_put_replaces),
        cmocka_unit_test(test_bounds_evict_least_recently_used),
        cmocka_unit_test(test_threads_never_see_half_an_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
