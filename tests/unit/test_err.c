/* test_err.c - error codes, ERR_SET, context and input locations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/err.h"

static void test_names_and_texts(void **state)
{
    (void)state;
    assert_string_equal(err_name(TL_OK), "OK");
    assert_string_equal(err_name(TL_ENOTFOUND), "ENOTFOUND");
    assert_string_equal(err_name(TL_EUNSUPPORTED), "EUNSUPPORTED");
    assert_string_equal(err_text(TL_ENOTFOUND), "not found");
    assert_string_equal(err_text(TL_ECONFLICT), "conflicting change");
    assert_string_equal(err_text(TL_EVERSION), "incompatible version");
    /* Values are stable: they appear in logs. */
    assert_int_equal(TL_EUSAGE, -1);
    assert_int_equal(TL_ESTORE, -7);
    assert_int_equal(TL_EUNSUPPORTED, -13);
}

static void test_unknown_code(void **state)
{
    (void)state;
    assert_string_equal(err_name(-999), "EUNKNOWN");
    assert_string_equal(err_text(-999), "unknown error");
    assert_string_equal(err_name(1), "EUNKNOWN");
}

static void test_set_captures_location(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    int line = __LINE__ + 1;
    int rc = ERR_SET(&e, TL_EINPUT, "cannot read '%s' (%d)", "x.csv", 7);
    assert_int_equal(rc, TL_EINPUT);
    assert_int_equal(e.code, TL_EINPUT);
    assert_string_equal(e.msg, "cannot read 'x.csv' (7)");
    assert_string_equal(e.where, "");
    assert_non_null(e.file);
    assert_non_null(strstr(e.file, "test_err.c"));
    assert_int_equal(e.line, line);
    assert_string_equal(e.func, "test_set_captures_location");
}

static void test_set_null_err_returns_code(void **state)
{
    (void)state;
    assert_int_equal(ERR_SET(NULL, TL_EIO, "ignored %d", 1), TL_EIO);
    err_where(NULL, "x", 1, 1);
    err_field(NULL, "x");
    err_clear(NULL);
}

static void test_set_clears_previous_where(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    ERR_SET(&e, TL_EINPUT, "first");
    err_where(&e, "a.yaml", 3, 4);
    ERR_SET(&e, TL_ENOTFOUND, "second");
    assert_int_equal(e.code, TL_ENOTFOUND);
    assert_string_equal(e.msg, "second");
    assert_string_equal(e.where, "");
}

static void test_set_truncates_long_message(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char big[2000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ERR_SET(&e, TL_EINPUT, "%s", big);
    assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
}

static void test_wrap_prefixes(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    ERR_SET(&e, TL_ENOTFOUND, "content file 'x' not found");
    err_where(&e, "x.yaml", 1, 2);
    int rc = err_wrap(&e, "loading %s", "catalog");
    assert_int_equal(rc, TL_ENOTFOUND);
    assert_int_equal(e.code, TL_ENOTFOUND);
    assert_string_equal(e.msg, "loading catalog: content file 'x' not found");
    assert_string_equal(e.where, "x.yaml:1:2");
    rc = err_wrap(&e, "outer");
    assert_string_equal(e.msg, "outer: loading catalog: content file 'x' not found");
    assert_int_equal(err_wrap(NULL, "x"), TL_EINTERNAL);
}

static void test_wrap_truncates(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char big[600];
    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ERR_SET(&e, TL_EINPUT, "%s", big);
    err_wrap(&e, "ctx");
    assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
    assert_memory_equal(e.msg, "ctx: yyy", 8);
}

static void test_where_formats(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_where(&e, "controls.yaml", 12, 5);
    assert_string_equal(e.where, "controls.yaml:12:5");
    err_where(&e, "controls.yaml", 12, 0);
    assert_string_equal(e.where, "controls.yaml:12");
    err_where(&e, "controls.yaml", 0, 0);
    assert_string_equal(e.where, "controls.yaml");
    /* A column without a line means nothing: the line is what is omitted. */
    err_where(&e, "controls.yaml", 0, 9);
    assert_string_equal(e.where, "controls.yaml");
    err_field(&e, "frequency");
    assert_string_equal(e.where, "field 'frequency'");
}

static void test_clear(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    ERR_SET(&e, TL_EIO, "disk");
    err_where(&e, "p", 1, 1);
    err_clear(&e);
    assert_int_equal(e.code, TL_OK);
    assert_string_equal(e.msg, "");
    assert_string_equal(e.where, "");
    assert_null(e.file);
    assert_int_equal(e.line, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_texts),
        cmocka_unit_test(test_unknown_code),
        cmocka_unit_test(test_set_captures_location),
        cmocka_unit_test(test_set_null_err_returns_code),
        cmocka_unit_test(test_set_clears_previous_where),
        cmocka_unit_test(test_set_truncates_long_message),
        cmocka_unit_test(test_wrap_prefixes),
        cmocka_unit_test(test_wrap_truncates),
        cmocka_unit_test(test_where_formats),
        cmocka_unit_test(test_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
