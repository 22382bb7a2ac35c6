/* test_js.c - jansson helpers: positioned parse errors and stable output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/js.h"

static json_t *parse_ok(const char *text)
{
    json_t *v = NULL;
    struct err e = ERR_INIT;
    if (js_parse("t.json", text, strlen(text), &v, &e) != 0)
        fail_msg("js_parse failed: %s: %s", e.where, e.msg);
    assert_non_null(v);
    return v;
}

static struct err parse_bad(const char *text, size_t len)
{
    json_t *v = (json_t *)1;
    struct err e = ERR_INIT;
    int rc = js_parse("t.json", text, len, &v, &e);
    if (rc != TL_EINPUT)
        fail_msg("js_parse returned %d for '%s'", rc, text);
    assert_null(v);
    assert_int_equal(e.code, TL_EINPUT);
    assert_true(strncmp(e.msg, "invalid JSON: ", 14) == 0);
    return e;
}

static void test_parse_values(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"name\": \"Tillit\", \"n\": 3, \"ok\": true, \"x\": null, "
                         "\"list\": [1.5, \"å\"]}");
    assert_true(json_is_object(v));
    assert_string_equal(json_string_value(json_object_get(v, "name")), "Tillit");
    assert_int_equal(json_integer_value(json_object_get(v, "n")), 3);
    assert_true(json_is_true(json_object_get(v, "ok")));
    assert_true(json_is_null(json_object_get(v, "x")));
    json_t *list = json_object_get(v, "list");
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_array_get(list, 1)), "å");
    json_decref(v);
    /* Any value may be the whole document. */
    v = parse_ok("42");
    assert_int_equal(json_integer_value(v), 42);
    json_decref(v);
    v = parse_ok(" \"s\" ");
    assert_string_equal(json_string_value(v), "s");
    json_decref(v);
    /* Only len bytes are read. */
    json_t *w = NULL;
    assert_int_equal(js_parse("t.json", "[1]garbage", 3, &w, NULL), 0);
    assert_int_equal(json_array_size(w), 1);
    json_decref(w);
}

static void test_parse_errors_have_positions(void **state)
{
    (void)state;
    const char *text = "{\"a\": 1,\n \"b\": }";
    struct err e = parse_bad(text, strlen(text));
    assert_string_equal(e.where, "t.json:2:7");
    assert_non_null(strstr(e.msg, "unexpected token"));

    text = "[1,\n2,\n  x]";
    e = parse_bad(text, strlen(text));
    assert_string_equal(e.where, "t.json:3:3");
    assert_non_null(strstr(e.msg, "invalid token"));

    text = "{} x";
    e = parse_bad(text, strlen(text));
    assert_string_equal(e.where, "t.json:1:4");
    assert_non_null(strstr(e.msg, "end of file expected"));

    /* Empty input has no position of its own: it is reported at 1:1. */
    e = parse_bad("", 0);
    assert_string_equal(e.where, "t.json:1:1");

    text = "{\"k\": \"\xff\"}";
    e = parse_bad(text, strlen(text));
    assert_true(strncmp(e.where, "t.json:1:", 9) == 0);
}

static void test_duplicate_keys_refused(void **state)
{
    (void)state;
    const char *text = "{\"a\":1,\"a\":2}";
    struct err e = parse_bad(text, strlen(text));
    assert_non_null(strstr(e.msg, "duplicate object key"));
    assert_string_equal(e.where, "t.json:1:10");

    text = "{\"a\": 1,\n\n   \"a\": 2}";
    e = parse_bad(text, strlen(text));
    assert_non_null(strstr(e.msg, "duplicate object key"));
    assert_true(strncmp(e.where, "t.json:3:", 9) == 0);

    text = "{\"o\": {\"k\": 1, \"k\": 1}}";
    e = parse_bad(text, strlen(text));
    assert_non_null(strstr(e.msg, "duplicate object key"));

    /* The same key in sibling objects is fine. */
    json_t *v = parse_ok("[{\"k\": 1}, {\"k\": 2}]");
    json_decref(v);
}

static void test_nul_refused(void **state)
{
    (void)state;
    const char *text = "\"a\\u0000b\"";
    struct err e = parse_bad(text, strlen(text));
    assert_non_null(strstr(e.msg, "\\u0000"));
    e = parse_bad("\"a\0b\"", 5);
    assert_true(strncmp(e.where, "t.json:1:", 9) == 0);
    e = parse_bad("[1]\0", 4);
    assert_true(strncmp(e.where, "t.json:1:", 9) == 0);
}

static void dump(struct sb *sb, const char *text, int pretty)
{
    json_t *v = parse_ok(text);
    sb_reset(sb);
    assert_int_equal(js_dump(sb, v, pretty), 0);
    json_decref(v);
}

static void test_dump_sorted_compact(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    dump(&sb, "{\"b\": 1, \"a\": [true, null, \"x\"], \"c\": {\"z\": 1, \"y\": 2}}", 0);
    assert_string_equal(sb.buf, "{\"a\":[true,null,\"x\"],\"b\":1,\"c\":{\"y\":2,\"z\":1}}");
    /* Insertion order does not matter: the same members give the same bytes. */
    json_t *o1 = json_object(), *o2 = json_object();
    json_object_set_new(o1, "zeta", json_integer(1));
    json_object_set_new(o1, "alpha", json_integer(2));
    json_object_set_new(o1, "mid", json_string("m"));
    json_object_set_new(o2, "mid", json_string("m"));
    json_object_set_new(o2, "alpha", json_integer(2));
    json_object_set_new(o2, "zeta", json_integer(1));
    struct sb sb2 = SB_INIT;
    sb_reset(&sb);
    assert_int_equal(js_dump(&sb, o1, 0), 0);
    assert_int_equal(js_dump(&sb2, o2, 0), 0);
    assert_string_equal(sb.buf, "{\"alpha\":2,\"mid\":\"m\",\"zeta\":1}");
    assert_string_equal(sb.buf, sb2.buf);
    json_decref(o1);
    json_decref(o2);
    sb_release(&sb2);
    /* Strings are escaped; UTF-8 is kept as is. */
    dump(&sb, "[\"q\\\"b\\\\n\\n\", \"åäö\", \"\\u0001\"]", 0);
    assert_string_equal(sb.buf, "[\"q\\\"b\\\\n\\n\",\"åäö\",\"\\u0001\"]");
    /* Scalars dump too. */
    dump(&sb, "\"s\"", 0);
    assert_string_equal(sb.buf, "\"s\"");
    dump(&sb, "-7", 0);
    assert_string_equal(sb.buf, "-7");
    sb_release(&sb);
}

static void test_dump_pretty_and_appends(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    dump(&sb, "{\"b\": 2, \"a\": 1}", 1);
    assert_string_equal(sb.buf, "{\n  \"a\": 1,\n  \"b\": 2\n}");
    /* js_dump appends. */
    json_t *v = parse_ok("[1]");
    sb_reset(&sb);
    sb_adds(&sb, "x=");
    assert_int_equal(js_dump(&sb, v, 0), 0);
    assert_string_equal(sb.buf, "x=[1]");
    json_decref(v);
    sb_release(&sb);
}

static void test_dump_capped(void **state)
{
    (void)state;
    struct sb sb;
    sb_init_capped(&sb, 8);
    json_t *v = parse_ok("{\"long key\": \"long value\"}");
    assert_int_equal(js_dump(&sb, v, 0), TL_ETOOBIG);
    assert_true(sb.len <= 8);
    json_decref(v);
    sb_release(&sb);
}

static void test_dump_round_trip(void **state)
{
    (void)state;
    const char *text = "{\"x\": [1, 2.5, -3, \"\\ud83d\\ude00\", {\"k\": null}], \"e\": {}, "
                       "\"f\": false, \"s\": \"tab\\there\"}";
    json_t *v = parse_ok(text);
    struct sb sb = SB_INIT;
    assert_int_equal(js_dump(&sb, v, 0), 0);
    json_t *w = parse_ok(sb.buf);
    assert_true(json_equal(v, w));
    /* Dumping what was dumped gives the same bytes. */
    struct sb sb2 = SB_INIT;
    assert_int_equal(js_dump(&sb2, w, 0), 0);
    assert_string_equal(sb.buf, sb2.buf);
    json_decref(v);
    json_decref(w);
    sb_release(&sb);
    sb_release(&sb2);
}

static void test_req_str_and_set_str(void **state)
{
    (void)state;
    json_t *o = parse_ok("{\"code\": \"AC-1\", \"n\": 5}");
    struct err e = ERR_INIT;
    const char *s = NULL;
    assert_int_equal(js_req_str(o, "$.controls[3]", "code", &s, &e), 0);
    assert_string_equal(s, "AC-1");
    assert_int_equal(js_req_str(o, "$.controls[3]", "name", &s, &e), TL_EINPUT);
    assert_string_equal(e.msg, "missing '$.controls[3].name'");
    assert_int_equal(js_req_str(o, "$.controls[3]", "n", &s, &e), TL_EINPUT);
    assert_string_equal(e.msg, "expected a string at '$.controls[3].n'");
    js_set_str(o, "name", "x");
    js_set_str(o, "gone", NULL);
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    assert_string_equal(sb.buf, "{\"code\":\"AC-1\",\"gone\":null,\"n\":5,\"name\":\"x\"}");
    sb_release(&sb);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_values),
        cmocka_unit_test(test_parse_errors_have_positions),
        cmocka_unit_test(test_duplicate_keys_refused),
        cmocka_unit_test(test_nul_refused),
        cmocka_unit_test(test_dump_sorted_compact),
        cmocka_unit_test(test_dump_pretty_and_appends),
        cmocka_unit_test(test_dump_capped),
        cmocka_unit_test(test_dump_round_trip),
        cmocka_unit_test(test_req_str_and_set_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
