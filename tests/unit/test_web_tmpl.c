/* test_web_tmpl.c - the page template language and request parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */
#include <string.h>

#include "web/web.h"

static char out_buf[4096];

/* Renders text with data (a JSON literal) and returns the output. */
static const char *render(const char *text, const char *data, int *rc)
{
    struct web_tmpl_env env = {NULL, NULL};
    json_t *strings = json_pack("{s:{s:s}}", "nav", "home", "Hem & <start>");
    env.strings = strings;
    json_t *d = json_loads(data, 0, NULL);
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    *rc = web_tmpl_render_text(&env, text, strlen(text), d, &sb, &e);
    snprintf(out_buf, sizeof(out_buf), "%s", sb.buf);
    sb_release(&sb);
    json_decref(d);
    json_decref(strings);
    return out_buf;
}

static void test_values_are_escaped(void **state)
{
    (void)state;
    int rc;
    assert_string_equal(render("<p>{{name}}</p>", "{\"name\":\"<script>'x'&\\\"\"}", &rc),
                        "<p>&lt;script&gt;&#39;x&#39;&amp;&quot;</p>");
    assert_int_equal(rc, 0);
    assert_string_equal(render("{{{html}}}", "{\"html\":\"<b>ok</b>\"}", &rc), "<b>ok</b>");
    assert_string_equal(render("{{n}} {{f}} {{t}} {{z}} {{missing}}.",
                               "{\"n\":42,\"f\":false,\"t\":true,\"z\":null}", &rc),
                        "42  true  .");
    assert_string_equal(render("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", &rc), "deep");
    assert_string_equal(render("{{t.nav.home}}", "{}", &rc), "Hem &amp; &lt;start&gt;");
}

static void test_sections(void **state)
{
    (void)state;
    int rc;
    assert_string_equal(render("{{#xs}}[{{.}}]{{/xs}}", "{\"xs\":[\"a\",\"<b>\"]}", &rc),
                        "[a][&lt;b&gt;]");
    assert_string_equal(render("{{#xs}}{{n}}:{{top}} {{/xs}}",
                               "{\"top\":\"T\",\"xs\":[{\"n\":1},{\"n\":2,\"top\":\"own\"}]}", &rc),
                        "1:T 2:own ");
    assert_string_equal(render("{{#o}}{{k}}{{/o}}", "{\"o\":{\"k\":\"v\"}}", &rc), "v");
    assert_string_equal(render("{{#e}}x{{/e}}{{^e}}empty{{/e}}", "{\"e\":[]}", &rc), "empty");
    assert_string_equal(render("{{^z}}zero{{/z}}{{#s}}no{{/s}}", "{\"z\":0,\"s\":\"\"}", &rc),
                        "zero");
    assert_string_equal(render("{{#a}}{{#a}}in{{/a}}{{/a}}", "{\"a\":true}", &rc), "in");
    assert_string_equal(render("a{{! a comment }}b", "{}", &rc), "ab");
    assert_string_equal(render("{ {x} }", "{}", &rc), "{ {x} }");
}

/* A list's guard renders once ({{?xs}}), where {{#xs}} around {{#xs}}
 * would repeat the rows once per row; a flag guards without entering. */
static void test_guards(void **state)
{
    (void)state;
    int rc;
    assert_string_equal(render("{{?xs}}<ul>{{#xs}}<li>{{.}}</li>{{/xs}}</ul>{{/xs}}",
                               "{\"xs\":[\"a\",\"b\",\"c\"]}", &rc),
                        "<ul><li>a</li><li>b</li><li>c</li></ul>");
    assert_int_equal(rc, 0);
    assert_string_equal(render("{{?xs}}never{{/xs}}{{^xs}}none{{/xs}}", "{\"xs\":[]}", &rc),
                        "none");
    assert_string_equal(render("{{#xs}}{{#can.edit}}[{{.}}]{{/can.edit}}{{/xs}}",
                               "{\"can\":{\"edit\":true},\"xs\":[\"a\",\"b\"]}", &rc),
                        "[a][b]");
    assert_string_equal(
        render("{{?o}}{{k}}{{/o}}", "{\"o\":{\"k\":\"inner\"},\"k\":\"outer\"}", &rc), "outer");
}

static void test_malformed(void **state)
{
    (void)state;
    int rc;
    render("{{#a}}never closed", "{\"a\":true}", &rc);
    assert_int_equal(rc, TL_EINPUT);
    render("{{/a}}", "{}", &rc);
    assert_int_equal(rc, TL_EINPUT);
    render("{{open", "{}", &rc);
    assert_int_equal(rc, TL_EINPUT);
    render("{{> nosuch}}", "{}", &rc);
    assert_int_equal(rc, TL_ENOTFOUND);
}

static void test_form_parsing(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_kvs kv = {0};
    const char body[] = "a=1&b=x+y%21&empty=&noval&c=%3Cs%3E&bad=%zz&nul=ab%00cd&&";
    assert_int_equal(web_parse_form(&kv, &a, body, strlen(body)), 0);
    assert_string_equal(web_kvs_get(&kv, "a", false), "1");
    assert_string_equal(web_kvs_get(&kv, "b", false), "x y!");
    assert_string_equal(web_kvs_get(&kv, "empty", false), "");
    assert_string_equal(web_kvs_get(&kv, "noval", false), "");
    assert_string_equal(web_kvs_get(&kv, "c", false), "<s>");
    assert_string_equal(web_kvs_get(&kv, "bad", false), "%zz");
    assert_string_equal(web_kvs_get(&kv, "nul", false), "ab");
    assert_null(web_kvs_get(&kv, "A", false));

    struct web_kvs many = {0};
    struct sb big = SB_INIT;
    for (int i = 0; i < WEB_PARAMS_MAX + 1; i++)
        sb_addf(&big, "k%d=v&", i);
    assert_int_equal(web_parse_form(&many, &a, big.buf, big.len), TL_ETOOBIG);
    sb_release(&big);

    struct web_kvs ck = {0};
    web_parse_cookies(&ck, &a, "a=1; tillit_session=abc ;q=\"quoted\"; junk");
    assert_string_equal(web_kvs_get(&ck, "a", false), "1");
    assert_string_equal(web_kvs_get(&ck, "tillit_session", false), "abc ");
    assert_string_equal(web_kvs_get(&ck, "q", false), "quoted");

    struct sb enc = SB_INIT;
    web_url_encode(&enc, "/o/a b?&=ö");
    assert_string_equal(enc.buf, "%2Fo%2Fa%20b%3F%26%3D%C3%B6");
    sb_release(&enc);
    arena_release(&a);
}

static void test_markdown_is_safe(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    struct err e = ERR_INIT;
    assert_int_equal(web_markdown("# T\n\n<script>x()</script>\n\n[a](javascript:x())\n\n"
                                  "<img src=x onerror=y>",
                                  &sb, &e),
                     0);
    assert_non_null(strstr(sb.buf, "<h2>T</h2>")); /* the page's h1 is the title */
    assert_null(strstr(sb.buf, "<script"));
    assert_null(strstr(sb.buf, "javascript:"));
    assert_null(strstr(sb.buf, "onerror"));
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_are_escaped),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_form_parsing),
        cmocka_unit_test(test_markdown_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
