/* test_sb.c - string buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/sb.h"

static void test_empty_is_nul_terminated(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    assert_non_null(sb.buf);
    assert_string_equal(sb.buf, "");
    sb_release(&sb);
}

static void test_add_and_format(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    sb_adds(&sb, "CC");
    sb_addf(&sb, "%d.%d", 6, 1);
    assert_string_equal(sb.buf, "CC6.1");
    assert_int_equal(sb.len, 5);
    for (int i = 0; i < 10000; i++)
        sb_addc(&sb, 'x');
    assert_int_equal(sb.len, 10005);
    assert_int_equal(sb.buf[sb.len], '\0');
    size_t len;
    char *p = sb_detach(&sb, &len);
    assert_int_equal(len, 10005);
    assert_string_equal(sb.buf, "");
    free(p);
}

static void test_cap_refuses_growth(void **state)
{
    (void)state;
    struct sb sb;
    sb_init_capped(&sb, 8);
    assert_int_equal(sb_adds(&sb, "12345678"), 0);
    assert_int_equal(sb_adds(&sb, "9"), TL_ETOOBIG);
    assert_string_equal(sb.buf, "12345678");
    assert_true(sb.overflow);
    sb_release(&sb);
}

static void test_escaping(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    sb_add_html(&sb, "<a href=\"x\">'&'</a>");
    assert_string_equal(sb.buf, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    sb_reset(&sb);
    sb_add_csv(&sb, "plain");
    sb_addc(&sb, ',');
    sb_add_csv(&sb, "a,\"b\"");
    assert_string_equal(sb.buf, "plain,\"a,\"\"b\"\"\"");
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_is_nul_terminated),
        cmocka_unit_test(test_add_and_format),
        cmocka_unit_test(test_cap_refuses_growth),
        cmocka_unit_test(test_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
