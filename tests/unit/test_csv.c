/* test_csv.c - the streaming CSV reader: RFC 4180 quoting, line endings,
 * the byte order mark, and the errors that name file:line(:col). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sb.h"
#include "engine/dataset.h"

/* Reads all of data; returns the reader's final code and the records as
 * "a|b|c\n" lines in out (fields joined by '|'). */
static int read_all(const char *data, size_t len, struct sb *out, struct err *e)
{
    struct eng_csv *c;
    assert_int_equal(eng_csv_open_mem("t.csv", data, len, &c, e), 0);
    const struct eng_field *f;
    size_t n;
    int rc;
    while ((rc = eng_csv_next(c, &f, &n, e)) == TL_ROW) {
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(strlen(f[i].s), f[i].len);
            sb_addf(out, "%s%s", i ? "|" : "", f[i].s);
        }
        sb_addf(out, "@%d\n", eng_csv_line(c));
    }
    eng_csv_close(c);
    return rc;
}

static void expect(const char *data, const char *want)
{
    struct sb out = SB_INIT;
    struct err e = ERR_INIT;
    int rc = read_all(data, strlen(data), &out, &e);
    if (rc != TL_DONE)
        fail_msg("unexpected error: %s at %s", e.msg, e.where);
    assert_string_equal(out.buf, want);
    sb_release(&out);
}

static void expect_error_len(const char *data, size_t len, const char *msg, const char *where)
{
    struct sb out = SB_INIT;
    struct err e = ERR_INIT;
    assert_int_equal(read_all(data, len, &out, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, msg));
    assert_string_equal(e.where, where);
    sb_release(&out);
}

static void expect_error(const char *data, const char *msg, const char *where)
{
    expect_error_len(data, strlen(data), msg, where);
}

static void test_plain(void **state)
{
    (void)state;
    expect("a,b,c\n1,2,3\n", "a|b|c@1\n1|2|3@2\n");
    expect("a,b\n1,2", "a|b@1\n1|2@2\n"); /* no final newline */
    expect("a,,c\n,,\n", "a||c@1\n||@2\n");
    expect("", "");
}

static void test_quotes(void **state)
{
    (void)state;
    expect("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "a,b|say \"hi\"|@1\n");
    expect("x,\"\"\"\"\n", "x|\"@1\n");
    /* A quote inside an unquoted field is data. */
    expect("5\" screen,ok\n", "5\" screen|ok@1\n");
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    expect("id,note\n1,\"line one\nline two\"\n2,x\n",
           "id|note@1\n1|line one\nline two@2\n2|x@4\n");
    expect("a\n\"x\r\ny\"\n", "a@1\nx\r\ny@2\n");
}

static void test_crlf_bom_blank(void **state)
{
    (void)state;
    expect("a,b\r\n1,2\r\n", "a|b@1\n1|2@2\n");
    expect("\xef\xbb\xbf"
           "a,b\n1,2\n",
           "a|b@1\n1|2@2\n");
    expect("a,b\n\n1,2\n\r\n3,4\n\n", "a|b@1\n1|2@3\n3|4@5\n");
    /* A lone CR inside an unquoted field is data, not a line break. */
    expect("a\rb,c\n", "a\rb|c@1\n");
    expect("\"a\",\"b\"\r", "a|b@1\n");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    expect_error("a,b\n1,\"open\n2,3\n4,5\n", "unterminated quoted field", "t.csv:2:3");
}

static void test_text_after_quote(void **state)
{
    (void)state;
    expect_error("a,b\n\"x\"y,2\n", "unexpected text after a closing quote", "t.csv:2:4");
    expect_error("a\n\"x\"\ry\n", "unexpected text after a closing quote", "t.csv:2:4");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_error("name\nok\nbj\xf6rn\n", "invalid UTF-8", "t.csv:3:3");
    expect_error("a,b\n\"x\ny\xc3\",2\n", "invalid UTF-8", "t.csv:3:2");
    expect_error("a\n\xed\xa0\x80\n", "invalid UTF-8", "t.csv:2:1");  /* a surrogate */
    expect_error("a\n\xc0\xaf\n", "invalid UTF-8", "t.csv:2:1");      /* overlong */
    expect_error("a\nx\xf0\x9f\x98\n", "invalid UTF-8", "t.csv:2:2"); /* cut short */
    expect_error_len("a\nx\0y\n", 6, "NUL byte", "t.csv:2:2");
    expect("a\nBj\xc3\xb6rn \xf0\x9f\x98\x80\n", "a@1\nBj\xc3\xb6rn \xf0\x9f\x98\x80@2\n");
}

static void test_utf8_check(void **state)
{
    (void)state;
    assert_int_equal(eng_utf8_check("abc", 3), 3);
    assert_int_equal(eng_utf8_check("a\xc3\xa5", 3), 3);
    assert_int_equal(eng_utf8_check("a\xc3", 2), 1);
    assert_int_equal(eng_utf8_check("\xf4\x90\x80\x80", 4), 0); /* past U+10FFFF */
    assert_int_equal(eng_utf8_check("ab\xff", 3), 2);
}

/* Records that straddle the 1 MiB read buffer are parsed whole, and a
 * field longer than the buffer grows it. */
static void test_buffer_boundaries(void **state)
{
    (void)state;
    struct sb in = SB_INIT, want = SB_INIT, out = SB_INIT;
    sb_adds(&in, "id,text\n");
    sb_adds(&want, "id|text@1\n");
    int line = 2;
    for (int i = 0; in.len < (3u << 20); i++) {
        sb_addf(&in,
                "%d,\"r\xc3\xa4"
                "d %d\nsecond \"\"line\"\"\"\n",
                i, i);
        sb_addf(&want,
                "%d|r\xc3\xa4"
                "d %d\nsecond \"line\"@%d\n",
                i, i, line);
        line += 2;
    }
    struct sb big = SB_INIT;
    for (int i = 0; i < (3 << 20) / 10; i++)
        sb_adds(&big, "0123456789");
    sb_addf(&in, "big,%s\n", big.buf);
    sb_addf(&want, "big|%s@%d\n", big.buf, line);
    struct err e = ERR_INIT;
    assert_int_equal(read_all(in.buf, in.len, &out, &e), TL_DONE);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.buf, want.buf, want.len);
    sb_release(&in);
    sb_release(&want);
    sb_release(&out);
    sb_release(&big);
}

static void test_rewind(void **state)
{
    (void)state;
    const char *data = "a,b\n1,2\n";
    struct eng_csv *c;
    struct err e = ERR_INIT;
    assert_int_equal(eng_csv_open_mem("t.csv", data, strlen(data), &c, &e), 0);
    const struct eng_field *f;
    size_t n;
    int rows = 0;
    while (eng_csv_next(c, &f, &n, &e) == TL_ROW)
        rows++;
    assert_int_equal(rows, 2);
    assert_int_equal(eng_csv_rewind(c, &e), 0);
    assert_int_equal(eng_csv_next(c, &f, &n, &e), TL_ROW);
    assert_string_equal(f[0].s, "a");
    assert_int_equal(eng_csv_line(c), 1);
    assert_int_equal(eng_csv_next(c, &f, &n, &e), TL_ROW);
    assert_string_equal(f[1].s, "2");
    assert_int_equal(eng_csv_line(c), 2);
    assert_int_equal(eng_csv_next(c, &f, &n, &e), TL_DONE);
    eng_csv_close(c);
}

static void test_file_errors(void **state)
{
    (void)state;
    struct eng_csv *c;
    struct err e = ERR_INIT;
    assert_int_equal(eng_csv_open("/nonexistent/x.csv", &c, &e), TL_ENOTFOUND);
    assert_non_null(strstr(e.msg, "/nonexistent/x.csv"));
}

/* --- types ------------------------------------------------------------------- */

static enum eng_type type_of(const char *const *vals)
{
    unsigned fits = ENG_FITS_ALL;
    for (; *vals; vals++)
        fits &= eng_value_fits(*vals, strlen(*vals));
    return eng_type_of_fits(fits);
}

static void test_type_inference(void **state)
{
    (void)state;
    assert_int_equal(type_of((const char *[]){"1", "-20", "0", "", NULL}), ENG_T_INTEGER);
    assert_int_equal(type_of((const char *[]){"1", "2.5", "1e3", NULL}), ENG_T_REAL);
    assert_int_equal(type_of((const char *[]){"007", "8", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"9223372036854775807", NULL}), ENG_T_INTEGER);
    assert_int_equal(type_of((const char *[]){"9223372036854775808", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"12345678901234567890123", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"true", "FALSE", "True", NULL}), ENG_T_BOOLEAN);
    assert_int_equal(type_of((const char *[]){"true", "1", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"yes", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"2026-02-28", "2024-02-29", NULL}), ENG_T_DATE);
    assert_int_equal(type_of((const char *[]){"2026-02-30", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"2026-02-28", "2026-03-01T10:00:00Z", NULL}),
                     ENG_T_DATETIME);
    assert_int_equal(type_of((const char *[]){"2026-03-01 10:00", "2026-03-01T10:00:00.123+02:00",
                                              "2026-03-01T23:59:59-0500", NULL}),
                     ENG_T_DATETIME);
    assert_int_equal(type_of((const char *[]){"2026-03-01T25:00:00Z", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"", "", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"1.", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"nan", NULL}), ENG_T_TEXT);
    assert_int_equal(type_of((const char *[]){"-", NULL}), ENG_T_TEXT);
}

static void test_datetime_norm(void **state)
{
    (void)state;
    char out[ENG_DATETIME_BUF];
    assert_int_equal(eng_datetime_norm("2026-03-01T10:00:00Z", 20, out), 0);
    assert_string_equal(out, "2026-03-01T10:00:00Z");
    assert_int_equal(eng_datetime_norm("2026-03-01", 10, out), 0);
    assert_string_equal(out, "2026-03-01T00:00:00Z");
    assert_int_equal(eng_datetime_norm("2026-03-01T01:30:00+02:00", 25, out), 0);
    assert_string_equal(out, "2026-02-28T23:30:00Z");
    assert_int_equal(eng_datetime_norm("2026-03-01 10:00", 16, out), 0);
    assert_string_equal(out, "2026-03-01T10:00:00Z");
    assert_int_equal(eng_datetime_norm("2025-12-31T23:00:00.999-01:00", 29, out), 0);
    assert_string_equal(out, "2026-01-01T00:00:00Z");
    assert_int_equal(eng_datetime_norm("2026-03-01T10:00:00X", 20, out), -1);
    assert_int_equal(eng_datetime_norm("yesterday", 9, out), -1);
}

static void test_type_names(void **state)
{
    (void)state;
    enum eng_type t;
    struct err e = ERR_INIT;
    assert_int_equal(eng_type_parse("datetime", &t, &e), 0);
    assert_int_equal(t, ENG_T_DATETIME);
    assert_string_equal(eng_type_name(ENG_T_BOOLEAN), "boolean");
    assert_int_equal(eng_type_parse("timestamp", &t, &e), TL_EUSAGE);
    assert_non_null(strstr(e.msg, "'timestamp'"));
}

/* --- names ------------------------------------------------------------------- */

static void test_snake_case(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    static const char *const cases[][2] = {
        {"User Name", "user_name"},
        {"VolumeId", "volume_id"},
        {"userID", "user_id"},
        {"HTTPServer", "http_server"},
        {"access_key_1_active", "access_key_1_active"},
        {"E-mail address ", "e_mail_address"},
        {"  Start date (UTC)", "start_date_utc"},
        {"2fa", "c_2fa"},
        {"Anst\xc3\xa4llningsdatum", "anst\xc3\xa4llningsdatum"},
        {"---", ""},
        {"mfa_active", "mfa_active"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        assert_string_equal(eng_snake_case(&a, cases[i][0]), cases[i][1]);
    const char *names[] = {"id", "", "id", "id_2", "name"};
    eng_unique_names(&a, names, 5);
    assert_string_equal(names[0], "id");
    assert_string_equal(names[1], "column_2");
    assert_string_equal(names[2], "id_3");
    assert_string_equal(names[3], "id_2");
    assert_string_equal(names[4], "name");
    assert_true(eng_dataset_name_ok("hr"));
    assert_true(eng_dataset_name_ok("aws_iam_2026"));
    assert_false(eng_dataset_name_ok("HR"));
    assert_false(eng_dataset_name_ok("1hr"));
    assert_false(eng_dataset_name_ok("sqlite_master"));
    assert_false(eng_dataset_name_ok("a-b"));
    assert_false(eng_dataset_name_ok(""));
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_crlf_bom_blank),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_text_after_quote),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_utf8_check),
        cmocka_unit_test(test_buffer_boundaries),
        cmocka_unit_test(test_rewind),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_type_inference),
        cmocka_unit_test(test_datetime_norm),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_snake_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
