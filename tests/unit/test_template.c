/* test_template.c - placeholder rendering (domain/template.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/template.h"

static const struct dom_tpl_var org_vars[] = {{"org.name", "Acme"}, {"org.legal_name", "Acme AB"}};

static void test_replaces_and_keeps(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    assert_int_equal(dom_tpl_render("{{org.name}} ({{ org.legal_name }}), owner {{policy.owner}}.",
                                    org_vars, 2, dom_tpl_policy_names, &sb, &e),
                     0);
    assert_string_equal(sb.buf, "Acme (Acme AB), owner {{policy.owner}}.");
    sb_release(&sb);
}

static void test_plain_text_unchanged(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    assert_int_equal(dom_tpl_render("no placeholders { here } }}", org_vars, 2, NULL, &sb, &e), 0);
    assert_string_equal(sb.buf, "no placeholders { here } }}");
    sb_reset(&sb);
    assert_int_equal(dom_tpl_render("", org_vars, 2, NULL, &sb, &e), 0);
    assert_string_equal(sb.buf, "");
    sb_release(&sb);
}

static void test_unknown_names_line(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    assert_int_equal(dom_tpl_render("# T\n\nok {{org.name}}\n{{org.nme}} here\n", org_vars, 2,
                                    dom_tpl_policy_names, &sb, &e),
                     TL_EINPUT);
    assert_string_equal(e.msg, "unknown placeholder '{{org.nme}}' on line 4");
    /* A name kept at one step is unknown where it is not kept. */
    sb_reset(&sb);
    assert_int_equal(dom_tpl_render("{{policy.version}}", org_vars, 2, NULL, &sb, &e), TL_EINPUT);
    assert_string_equal(e.msg, "unknown placeholder '{{policy.version}}' on line 1");
    sb_release(&sb);
}

static void test_unterminated(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    assert_int_equal(dom_tpl_render("a\nb {{org.name\n}}", org_vars, 2, NULL, &sb, &e), TL_EINPUT);
    assert_string_equal(e.msg, "unterminated placeholder '{{org.name' on line 2");
    sb_release(&sb);
}

static void test_values_not_rescanned(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    const struct dom_tpl_var v[] = {{"org.name", "{{evil}}"}, {"org.legal_name", NULL}};
    assert_int_equal(dom_tpl_render("[{{org.name}}][{{org.legal_name}}]", v, 2, NULL, &sb, &e), 0);
    assert_string_equal(sb.buf, "[{{evil}}][]");
    sb_release(&sb);
}

static void test_every_policy_name_known(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    const struct dom_tpl_var v[] = {{"policy.owner", "Ann"},
                                    {"policy.version", "3"},
                                    {"policy.effective_date", "2026-03-01"},
                                    {"policy.review", "annual"}};
    assert_int_equal(dom_tpl_render("{{policy.owner}} {{policy.version}} "
                                    "{{policy.effective_date}} {{policy.review}}",
                                    v, 4, dom_tpl_org_names, &sb, &e),
                     0);
    assert_string_equal(sb.buf, "Ann 3 2026-03-01 annual");
    sb_release(&sb);
}

static void test_cap_is_reported(void **state)
{
    (void)state;
    struct sb sb;
    struct err e = ERR_INIT;
    sb_init_capped(&sb, 8);
    assert_int_equal(dom_tpl_render("{{org.name}} and more text", org_vars, 2, NULL, &sb, &e),
                     TL_ETOOBIG);
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replaces_and_keeps),   cmocka_unit_test(test_plain_text_unchanged),
        cmocka_unit_test(test_unknown_names_line),   cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_values_not_rescanned), cmocka_unit_test(test_every_policy_name_known),
        cmocka_unit_test(test_cap_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
