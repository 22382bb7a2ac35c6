/* test_yml.c - YAML tree with positions, its errors, and the emitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/sb.h"
#include "base/yml.h"

static struct yml_node *parse_ok(struct arena *a, const char *text)
{
    struct err e = ERR_INIT;
    struct yml_node *root = NULL;
    int rc = yml_parse(a, "t.yaml", text, strlen(text), &root, &e);
    if (rc != 0)
        fail_msg("yml_parse failed: %s: %s\n--- input:\n%s", e.where, e.msg, text);
    assert_non_null(root);
    return root;
}

/* Parses text that must fail; returns the error. */
static struct err parse_bad(const char *text, size_t len)
{
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct yml_node *root = NULL;
    int rc = yml_parse(&a, "t.yaml", text, len, &root, &e);
    arena_release(&a);
    if (rc != TL_EINPUT)
        fail_msg("yml_parse returned %d for:\n%s", rc, text);
    assert_int_equal(e.code, TL_EINPUT);
    return e;
}

/* Parses text that must fail with msg at where ("t.yaml:LINE:COL"). */
static void assert_parse_error(const char *text, const char *msg, const char *where)
{
    struct err e = parse_bad(text, strlen(text));
    if (strcmp(e.msg, msg) != 0 || strcmp(e.where, where) != 0)
        fail_msg("for:\n%s\ngot %s: %s\nexpected %s: %s", text, e.where, e.msg, where, msg);
}

static void assert_pos(const struct yml_node *n, int line, int col)
{
    assert_non_null(n);
    if (n->line != line || n->col != col)
        fail_msg("node at %d:%d, expected %d:%d", n->line, n->col, line, col);
}

static void test_parse_tree_and_positions(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct yml_node *root = parse_ok(&a, "name: Tillit\n"
                                         "tags:\n"
                                         "  - a\n"
                                         "  - \"b c\"\n"
                                         "nested:\n"
                                         "  k: v\n"
                                         "flow: [1, two]\n");
    assert_int_equal(root->kind, YML_MAP);
    assert_int_equal(root->n, 4);
    assert_pos(root, 1, 1);
    assert_string_equal(root->path, "t.yaml");
    /* Keys come in order, each followed by its value. */
    assert_string_equal(root->items[0]->str, "name");
    assert_pos(root->items[0], 1, 1);
    struct yml_node *name = yml_get(root, "name");
    assert_int_equal(name->kind, YML_SCALAR);
    assert_string_equal(name->str, "Tillit");
    assert_false(name->quoted);
    assert_pos(name, 1, 7);
    struct yml_node *tags = yml_get(root, "tags");
    assert_int_equal(tags->kind, YML_SEQ);
    assert_int_equal(tags->n, 2);
    assert_pos(tags, 3, 3);
    assert_string_equal(tags->items[0]->str, "a");
    assert_pos(tags->items[0], 3, 5);
    assert_string_equal(tags->items[1]->str, "b c");
    assert_true(tags->items[1]->quoted);
    assert_pos(tags->items[1], 4, 5);
    struct yml_node *nested = yml_get(root, "nested");
    assert_int_equal(nested->kind, YML_MAP);
    assert_int_equal(nested->n, 1);
    assert_pos(nested, 6, 3);
    assert_string_equal(yml_get(nested, "k")->str, "v");
    assert_pos(yml_get(nested, "k"), 6, 6);
    struct yml_node *flow = yml_get(root, "flow");
    assert_int_equal(flow->kind, YML_SEQ);
    assert_pos(flow, 7, 7);
    assert_string_equal(flow->items[1]->str, "two");
    assert_pos(flow->items[1], 7, 11);
    /* Lookups that do not apply answer NULL. */
    assert_null(yml_get(root, "absent"));
    assert_null(yml_get(name, "x"));
    assert_null(yml_get(tags, "a"));
    assert_null(yml_get(NULL, "a"));
    arena_release(&a);
}

static void test_parse_scalars_and_empty(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct yml_node *root = parse_ok(&a, "just text\n");
    assert_int_equal(root->kind, YML_SCALAR);
    assert_string_equal(root->str, "just text");
    root = parse_ok(&a, "");
    assert_int_equal(root->kind, YML_MAP);
    assert_int_equal(root->n, 0);
    root = parse_ok(&a, "# only a comment\n");
    assert_int_equal(root->kind, YML_MAP);
    assert_int_equal(root->n, 0);
    root = parse_ok(&a, "- 1\n- - 2\n  - 3\n- {x: y}\n");
    assert_int_equal(root->kind, YML_SEQ);
    assert_int_equal(root->n, 3);
    assert_int_equal(root->items[1]->kind, YML_SEQ);
    assert_string_equal(root->items[1]->items[1]->str, "3");
    assert_string_equal(yml_get(root->items[2], "x")->str, "y");
    /* Block scalars keep their text. */
    root = parse_ok(&a, "t: |\n  one\n  two\nf: >\n  a\n  b\n");
    assert_string_equal(yml_get(root, "t")->str, "one\ntwo\n");
    assert_string_equal(yml_get(root, "f")->str, "a b\n");
    /* UTF-8 passes through unchanged. */
    root = parse_ok(&a, "sv: \"Kontrollmiljö – åäö\"\n");
    assert_string_equal(yml_get(root, "sv")->str, "Kontrollmiljö – åäö");
    arena_release(&a);
}

static void test_quoted_vs_plain_null(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct yml_node *root = parse_ok(&a, "a: null\n"
                                         "b: \"null\"\n"
                                         "c:\n"
                                         "d: ''\n"
                                         "e: ~\n"
                                         "f: 'x'\n"
                                         "g: NULL\n"
                                         "h: nulls\n");
    assert_true(yml_is_null(yml_get(root, "a")));
    assert_false(yml_is_null(yml_get(root, "b")));
    assert_true(yml_get(root, "b")->quoted);
    assert_string_equal(yml_get(root, "b")->str, "null");
    assert_true(yml_is_null(yml_get(root, "c")));
    assert_string_equal(yml_get(root, "c")->str, "");
    assert_false(yml_is_null(yml_get(root, "d")));
    assert_string_equal(yml_get(root, "d")->str, "");
    assert_true(yml_is_null(yml_get(root, "e")));
    assert_false(yml_is_null(yml_get(root, "f")));
    assert_true(yml_is_null(yml_get(root, "g")));
    assert_false(yml_is_null(yml_get(root, "h")));
    assert_false(yml_is_null(root)); /* a map is not null */
    assert_false(yml_is_null(NULL));
    /* A quoted "null" is a string where a string is required. */
    const char *s = NULL;
    struct err e = ERR_INIT;
    assert_int_equal(yml_req_str(root, "b", &s, &e), 0);
    assert_string_equal(s, "null");
    assert_int_equal(yml_req_str(root, "a", &s, &e), TL_EINPUT);
    arena_release(&a);
}

static void test_error_malformed(void **state)
{
    (void)state;
    const char *text = "a: 1\nb: [1, 2\nc: 3\n";
    struct err e = parse_bad(text, strlen(text));
    assert_true(strncmp(e.where, "t.yaml:", 7) == 0);
    int line = 0, col = 0;
    assert_int_equal(sscanf(e.where, "t.yaml:%d:%d", &line, &col), 2);
    assert_true(line >= 2);
    assert_true(col >= 1);
    assert_true(e.msg[0] != '\0');

    text = "key: value\n  bad: indent\n";
    e = parse_bad(text, strlen(text));
    assert_string_equal(e.where, "t.yaml:2:6");
    assert_non_null(strstr(e.msg, "mapping values are not allowed"));

    text = "a: \"unterminated\n";
    e = parse_bad(text, strlen(text));
    assert_true(strncmp(e.where, "t.yaml:", 7) == 0);
    assert_non_null(strstr(e.msg, "quoted scalar"));
}

static void test_error_duplicate_keys(void **state)
{
    (void)state;
    assert_parse_error("a: 1\nb: 2\na: 3\n", "duplicate key 'a'", "t.yaml:3:1");
    assert_parse_error("outer:\n  k: 1\n  j: 2\n  k: 3\n", "duplicate key 'k'", "t.yaml:4:3");
    assert_parse_error("{x: 1, y: 2, x: 3}", "duplicate key 'x'", "t.yaml:1:14");

    /* The same key in different maps is fine. */
    struct arena a = ARENA_INIT;
    parse_ok(&a, "- k: 1\n- k: 2\n");
    arena_release(&a);
}

static void test_error_anchors_aliases(void **state)
{
    (void)state;
    assert_parse_error("a: &x 1\nb: 2\n", "anchors are not supported", "t.yaml:1:4");
    assert_parse_error("a: 1\nb: *x\n", "aliases are not supported", "t.yaml:2:4");
    assert_parse_error("base: &b\n  k: v\nother:\n  <<: *b\n", "anchors are not supported",
                       "t.yaml:1:7");
    assert_parse_error("list: &l [1]\n", "anchors are not supported", "t.yaml:1:7");
}

static void test_error_tags(void **state)
{
    (void)state;
    /* Application tags are refused; core ones are accepted. */
    const char *text = "a: 1\nb: !custom x\n";
    struct err e = parse_bad(text, strlen(text));
    assert_non_null(strstr(e.msg, "tag"));
    assert_non_null(strstr(e.msg, "!custom"));
    assert_string_equal(e.where, "t.yaml:2:4");

    text = "a: !!python/object:os.system x\n";
    e = parse_bad(text, strlen(text));
    assert_non_null(strstr(e.msg, "tag"));

    text = "a: !seq [1]\n";
    e = parse_bad(text, strlen(text));
    assert_string_equal(e.where, "t.yaml:1:4");

    struct arena a = ARENA_INIT;
    struct yml_node *root = parse_ok(&a, "a: !!str null\nb: !!int 12\nc: !!seq [1]\n");
    assert_string_equal(yml_get(root, "a")->str, "null");
    assert_false(yml_is_null(yml_get(root, "a"))); /* !!str makes it a string */
    assert_string_equal(yml_get(root, "b")->str, "12");
    assert_int_equal(yml_get(root, "c")->kind, YML_SEQ);
    arena_release(&a);
}

static void test_error_depth_limit(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    /* YML_MAX_DEPTH nested sequences parse ... */
    for (int i = 0; i < YML_MAX_DEPTH; i++)
        sb_addc(&sb, '[');
    for (int i = 0; i < YML_MAX_DEPTH; i++)
        sb_addc(&sb, ']');
    struct arena a = ARENA_INIT;
    struct yml_node *n = parse_ok(&a, sb.buf);
    for (int i = 1; i < YML_MAX_DEPTH; i++) {
        assert_int_equal(n->kind, YML_SEQ);
        assert_int_equal(n->n, 1);
        n = n->items[0];
    }
    arena_release(&a);
    /* ... far deeper does not. */
    sb_reset(&sb);
    for (int i = 0; i < 1000; i++)
        sb_addc(&sb, '[');
    for (int i = 0; i < 1000; i++)
        sb_addc(&sb, ']');
    struct err e = parse_bad(sb.buf, sb.len);
    assert_string_equal(e.msg, "nesting is too deep");
    int line = 0, col = 0;
    assert_int_equal(sscanf(e.where, "t.yaml:%d:%d", &line, &col), 2);
    assert_int_equal(line, 1);
    assert_true(col > YML_MAX_DEPTH);
    /* Deep block maps are refused too. */
    sb_reset(&sb);
    for (int i = 0; i < 100; i++)
        sb_addf(&sb, "%*sk%d:\n", i, "", i);
    e = parse_bad(sb.buf, sb.len);
    assert_string_equal(e.msg, "nesting is too deep");
    sb_release(&sb);
}

static void test_error_other(void **state)
{
    (void)state;
    assert_parse_error("a: 1\n---\nb: 2\n", "only one YAML document per file is allowed",
                       "t.yaml:2:1");
    assert_parse_error("a: \"x\\0y\"\n", "NUL byte in a string", "t.yaml:1:4");
    assert_parse_error("? [k]\n: v\n", "mapping keys must be plain strings", "t.yaml:1:3");

    /* A raw NUL byte in the input. */
    struct err e = parse_bad("a: b\0c\n", 7);
    assert_true(strncmp(e.where, "t.yaml:1:", 9) == 0);

    /* Invalid UTF-8. */
    const char *text = "a: \xff\xfe\n";
    e = parse_bad(text, strlen(text));
    assert_true(strncmp(e.where, "t.yaml:", 7) == 0);
}

static void test_accessors(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct yml_node *root = parse_ok(&a, "name: Tillit\n"
                                         "count: 12\n"
                                         "big: 200\n"
                                         "word: twelve\n"
                                         "flag: true\n"
                                         "off: false\n"
                                         "weird: yes\n"
                                         "list: [1]\n"
                                         "nothing: null\n"
                                         "neg: -5\n");
    struct err e = ERR_INIT;
    const char *s = NULL;
    assert_int_equal(yml_req_str(root, "name", &s, &e), 0);
    assert_string_equal(s, "Tillit");

    assert_int_equal(yml_req_str(root, "missing", &s, &e), TL_EINPUT);
    assert_string_equal(e.msg, "missing required field 'missing'");
    assert_string_equal(e.where, "t.yaml:1:1");
    assert_int_equal(yml_req_str(root, "nothing", &s, &e), TL_EINPUT);
    assert_string_equal(e.msg, "missing required field 'nothing'");
    assert_int_equal(yml_req_str(root, "list", &s, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'list' must be a string");
    assert_string_equal(e.where, "t.yaml:8:7");

    assert_int_equal(yml_opt_str(root, "missing", "dflt", &s, &e), 0);
    assert_string_equal(s, "dflt");
    assert_int_equal(yml_opt_str(root, "nothing", NULL, &s, &e), 0);
    assert_null(s);
    assert_int_equal(yml_opt_str(root, "list", NULL, &s, &e), TL_EINPUT);

    long n = 0;
    assert_int_equal(yml_opt_int(root, "count", 0, 1, 100, &n, &e), 0);
    assert_int_equal(n, 12);
    assert_int_equal(yml_opt_int(root, "neg", 0, -10, 10, &n, &e), 0);
    assert_int_equal(n, -5);
    assert_int_equal(yml_opt_int(root, "missing", 7, 1, 100, &n, &e), 0);
    assert_int_equal(n, 7);
    assert_int_equal(yml_opt_int(root, "nothing", 9, 1, 100, &n, &e), 0);
    assert_int_equal(n, 9);
    err_clear(&e);
    assert_int_equal(yml_opt_int(root, "big", 0, 1, 100, &n, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'big' is 200 (expected 1 to 100)");
    assert_string_equal(e.where, "t.yaml:3:6");
    assert_int_equal(n, 9); /* untouched on failure */
    assert_int_equal(yml_opt_int(root, "word", 0, 1, 100, &n, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'word' must be an integer");
    assert_string_equal(e.where, "t.yaml:4:7");
    assert_int_equal(yml_opt_int(root, "list", 0, 1, 100, &n, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'list' must be an integer");

    bool b = false;
    assert_int_equal(yml_opt_bool(root, "flag", false, &b, &e), 0);
    assert_true(b);
    assert_int_equal(yml_opt_bool(root, "off", true, &b, &e), 0);
    assert_false(b);
    assert_int_equal(yml_opt_bool(root, "missing", true, &b, &e), 0);
    assert_true(b);
    assert_int_equal(yml_opt_bool(root, "weird", false, &b, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'weird' must be true or false");
    assert_string_equal(e.where, "t.yaml:7:8");
    assert_int_equal(yml_opt_bool(root, "count", false, &b, &e), TL_EINPUT);

    const struct yml_node *seq = NULL;
    assert_int_equal(yml_opt_seq(root, "list", &seq, &e), 0);
    assert_non_null(seq);
    assert_int_equal(seq->n, 1);
    assert_int_equal(yml_opt_seq(root, "missing", &seq, &e), 0);
    assert_null(seq);
    assert_int_equal(yml_opt_seq(root, "name", &seq, &e), TL_EINPUT);
    assert_string_equal(e.msg, "field 'name' must be a list");
    assert_string_equal(e.where, "t.yaml:1:7");

    static const char *const allowed[] = {"name", "count", "big",  "word",    "flag",
                                          "off",  "weird", "list", "nothing", NULL};
    assert_int_equal(yml_check_keys(root, allowed, &e), TL_EINPUT);
    assert_string_equal(e.msg, "unknown field 'neg'");
    assert_string_equal(e.where, "t.yaml:10:1");
    static const char *const all[] = {"name",  "count", "big",     "word", "flag", "off",
                                      "weird", "list",  "nothing", "neg",  NULL};
    assert_int_equal(yml_check_keys(root, all, &e), 0);
    assert_int_equal(yml_check_keys(yml_get(root, "list"), all, &e), TL_EINPUT);
    assert_string_equal(e.msg, "expected a mapping");

    /* yml_fail formats the message and the node's location. */
    assert_int_equal(yml_fail(&e, yml_get(root, "count"), TL_ECHECK, "bad %s", "count"), TL_ECHECK);
    assert_int_equal(e.code, TL_ECHECK);
    assert_string_equal(e.msg, "bad count");
    assert_string_equal(e.where, "t.yaml:2:8");
    assert_int_equal(yml_fail(NULL, root, TL_EINPUT, "x"), TL_EINPUT);
    arena_release(&a);
}

static void test_needs_quotes(void **state)
{
    (void)state;
    static const char *const quoted[] = {
        "true", "false", "null", "~",  "yes",  "No",    "123",   "-1",     "1.5",    "1e3",
        "",     "a: b",  "- x",  "#x", "x #y", "ends:", " lead", "trail ", "tab\tx", "line\nbreak",
        "[x]",  "{x}",   "*x",   "&x", "!x",   "%x",    "@x",    "`x",     "|x",     ">x",
        "'x",   "\"x",   "?x",   ",x",
    };
    for (size_t i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++)
        if (!yml_needs_quotes(quoted[i]))
            fail_msg("'%s' should need quotes", quoted[i]);
    static const char *const plain[] = {
        "hello",
        "hello world",
        "CC6.1",
        "a:b",
        "x#y",
        "1.2.3",
        "café",
        "Kontrollmiljö",
        "tillit-demo",
        "a, b",
        "http://example.com/x",
    };
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
        if (yml_needs_quotes(plain[i]))
            fail_msg("'%s' should not need quotes", plain[i]);
}

/* Emits s as the value of a key and as a list item and parses both back. */
static void check_scalar_round_trip(const char *s)
{
    struct sb sb = SB_INIT;
    sb_adds(&sb, "k: ");
    assert_int_equal(yml_emit_scalar(&sb, s), 0);
    sb_adds(&sb, "\nl:\n  - ");
    assert_int_equal(yml_emit_scalar(&sb, s), 0);
    sb_adds(&sb, "\n");
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct yml_node *root = NULL;
    if (yml_parse(&a, "t.yaml", sb.buf, sb.len, &root, &e) != 0)
        fail_msg("emitted YAML does not parse (%s: %s):\n%s", e.where, e.msg, sb.buf);
    struct yml_node *k = yml_get(root, "k");
    struct yml_node *l = yml_get(root, "l");
    assert_non_null(k);
    assert_non_null(l);
    if (k->kind != YML_SCALAR || strcmp(k->str, s) != 0 || yml_is_null(k))
        fail_msg("'%s' read back as '%s':\n%s", s, k->str ? k->str : "(node)", sb.buf);
    assert_int_equal(l->kind, YML_SEQ);
    assert_string_equal(l->items[0]->str, s);
    arena_release(&a);
    sb_release(&sb);
}

static const char *const tricky[] = {
    "",
    "true",
    "null",
    "Null",
    "~",
    "123",
    "-1",
    "0x1F",
    "1e3",
    ".5",
    "a: b",
    "- x",
    "#x",
    "x #y",
    "ends:",
    " lead",
    "trail ",
    "tab\there",
    "line1\nline2",
    "\n",
    "quote\"s",
    "back\\slash",
    "'single'",
    "\"double\"",
    "[flow]",
    "{map}",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "@at",
    "`tick",
    "|pipe",
    ">gt",
    "?q",
    "a,b",
    "---",
    "...",
    "cr\r\nlf",
    "ctl\x01x",
    "del\x7fx",
    "esc\x1b[0m",
    "café ☕ 日本語",
    "emoji 😀",
    "Kontrollmiljö – åäö",
    "nbsp\xc2\xa0x",
    "line\xe2\x80\xa8sep",
    "para\xe2\x80\xa9sep",
    "nel\xc2\x85x",
    "c1\xc2\x80x",
    "bom\xef\xbb\xbfx", "nonchar\xef\xbf\xbex", "\xef\xbf\xbf",
    "plain text",
    "CC6.1-PF01",
};

static void test_emit_scalar_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++)
        check_scalar_round_trip(tricky[i]);
}

static void test_emit_scalar_output(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    yml_emit_scalar(&sb, "plain");
    assert_string_equal(sb.buf, "plain");
    sb_reset(&sb);
    yml_emit_scalar(&sb, "true");
    assert_string_equal(sb.buf, "\"true\"");
    sb_reset(&sb);
    yml_emit_scalar(&sb, "a \"b\"\n\\");
    assert_string_equal(sb.buf, "\"a \\\"b\\\"\\n\\\\\"");
    sb_reset(&sb);
    yml_emit_scalar(&sb, "");
    assert_string_equal(sb.buf, "\"\"");
    sb_release(&sb);
}

static void check_block_round_trip(const char *s)
{
    struct sb sb = SB_INIT;
    sb_adds(&sb, "k: ");
    assert_int_equal(yml_emit_block(&sb, s, 2), 0);
    if (sb.buf[sb.len - 1] != '\n')
        sb_addc(&sb, '\n');
    sb_adds(&sb, "after: x\n");
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct yml_node *root = NULL;
    if (yml_parse(&a, "t.yaml", sb.buf, sb.len, &root, &e) != 0)
        fail_msg("emitted block does not parse (%s: %s):\n%s", e.where, e.msg, sb.buf);
    struct yml_node *k = yml_get(root, "k");
    assert_non_null(k);
    if (k->kind != YML_SCALAR || strcmp(k->str, s) != 0)
        fail_msg("block read back as '%s':\n%s", k->str ? k->str : "(node)", sb.buf);
    assert_string_equal(yml_get(root, "after")->str, "x");
    arena_release(&a);
    sb_release(&sb);
}

static void test_emit_block(void **state)
{
    (void)state;
    struct sb sb = SB_INIT;
    yml_emit_block(&sb, "line1\nline2", 2);
    assert_string_equal(sb.buf, "|-\n  line1\n  line2\n");
    sb_reset(&sb);
    yml_emit_block(&sb, "a\n\nb\n", 4);
    assert_string_equal(sb.buf, "|\n    a\n\n    b\n");
    sb_release(&sb);

    static const char *const texts[] = {
        "line1\nline2",
        "a\nb\n",
        "a\n\nb",
        "one line",
        "x\n  indented",
        " leading",
        "a\n\n",
        "",
        "\nstarts",
        "tab\tin\nx",
        "cr\r\nlf",
        ("ctl\x01" /* split: \x01c would be one escape */ "char\nx"),
        "del\x7f\nx",
        "ls\xe2\x80\xa8x\ny",
        "nel\xc2\x85x\ny",
        "c1\xc2\x80\ny",
        "ends with space \nx",
        "# hash\nx",
        "- dash\nx",
        "key: value\nx",
        "\"quoted\"\n'q'",
        "äö\n日本",
        "---\n...",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        check_block_round_trip(texts[i]);
    for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++)
        check_block_round_trip(tricky[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_tree_and_positions),
        cmocka_unit_test(test_parse_scalars_and_empty),
        cmocka_unit_test(test_quoted_vs_plain_null),
        cmocka_unit_test(test_error_malformed),
        cmocka_unit_test(test_error_duplicate_keys),
        cmocka_unit_test(test_error_anchors_aliases),
        cmocka_unit_test(test_error_tags),
        cmocka_unit_test(test_error_depth_limit),
        cmocka_unit_test(test_error_other),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_needs_quotes),
        cmocka_unit_test(test_emit_scalar_round_trip),
        cmocka_unit_test(test_emit_scalar_output),
        cmocka_unit_test(test_emit_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
