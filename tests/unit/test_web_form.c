/* test_web_form.c - forms: taking a submission (form body or JSON),
 * checking fields, and putting the app's messages next to the right field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */
#include <string.h>

#include "web/web_impl.h"

static const char *const colours[] = {"red", "green", NULL};

static const struct web_field fields[] = {
    {.name = "code", .kind = WEB_FK_TEXT, .label = "f.code", .flags = WEB_FF_REQUIRED, .max = 5},
    {.name = "colour", .kind = WEB_FK_SELECT, .label = "f.colour", .options = colours},
    {.name = "when", .kind = WEB_FK_DATE, .label = "f.when", .match = "date"},
    {.name = "n", .kind = WEB_FK_NUMBER, .label = "f.n", .min = 1, .max = 5},
    {.name = "flag", .kind = WEB_FK_CHECKBOX, .label = "f.flag"},
    {.name = "email", .kind = WEB_FK_EMAIL, .label = "f.email", .match = "email"},
    {.name = "manager",
     .kind = WEB_FK_EMAIL,
     .label = "f.manager",
     .match = "manager|person with email"},
    {.name = "tags", .kind = WEB_FK_CHECKS, .label = "f.tags", .options = colours},
    {0}};

static void req_init(struct web_req *req, struct arena *a, const char *body, bool api,
                     const char *type)
{
    memset(req, 0, sizeof(*req));
    req->a = a;
    req->lang = "en";
    req->api = api;
    req->body = body;
    req->body_len = strlen(body);
    if (type)
        web_kvs_add(&req->headers, a, "Content-Type", type);
    if (!api)
        assert_int_equal(web_parse_form(&req->form, a, body, strlen(body)), 0);
}

static void test_take_and_check_a_form(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_req req;
    req_init(&req, &a,
             "code=+AB+&colour=blue&when=2026-02-30&n=9&tags=red&tags=green&email=x@y.example",
             false, "application/x-www-form-urlencoded");
    struct web_form f;
    struct err e = ERR_INIT;
    web__form_init(&f, &req, "t", fields, true);
    assert_int_equal(web__form_take(&f, &e), 0);
    assert_string_equal(web__fv(&f, "code"), "AB"); /* trimmed */
    assert_int_equal(web__fb(&f, "flag"), 0);       /* a box not ticked is sent as nothing */
    assert_string_equal(web__fv(&f, "tags"), "red,green");
    assert_false(web__form_check(&f));
    assert_string_equal(json_string_value(json_object_get(f.errors, "colour")), "form.choose");
    assert_string_equal(json_string_value(json_object_get(f.errors, "when")), "form.date");
    assert_string_equal(json_string_value(json_object_get(f.errors, "n")), "form.number");
    assert_null(json_object_get(f.errors, "code"));
    assert_null(json_object_get(f.errors, "tags"));
    web__form_release(&f);

    req_init(&req, &a, "code=TOOLONG", false, "application/x-www-form-urlencoded");
    web__form_init(&f, &req, "t", fields, true);
    assert_int_equal(web__form_take(&f, &e), 0);
    assert_false(web__form_check(&f));
    assert_string_equal(json_string_value(json_object_get(f.errors, "code")), "form.too_long");
    web__form_release(&f);

    req_init(&req, &a, "colour=red", false, "application/x-www-form-urlencoded");
    web__form_init(&f, &req, "t", fields, true);
    assert_int_equal(web__form_take(&f, &e), 0);
    assert_false(web__form_check(&f));
    assert_string_equal(json_string_value(json_object_get(f.errors, "code")), "form.required");
    web__form_release(&f);
    arena_release(&a);
}

static void test_take_json(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_req req;
    struct web_form f;
    struct err e = ERR_INIT;
    req_init(&req, &a,
             "{\"code\": \"X\", \"n\": 3, \"flag\": true, \"tags\": [\"red\"], \"email\": null}",
             true, "application/json");
    web__form_init(&f, &req, "t", fields, false);
    assert_int_equal(web__form_take(&f, &e), 0);
    assert_string_equal(web__fv(&f, "n"), "3");
    assert_int_equal(web__fb(&f, "flag"), 1);
    assert_string_equal(web__fv(&f, "tags"), "red");
    assert_string_equal(web__fv(&f, "email"), ""); /* null clears */
    assert_null(web__fv(&f, "colour"));            /* left out: unchanged */
    assert_true(web__form_check(&f));
    web__form_release(&f);

    req_init(&req, &a, "{\"code\": \"X\", \"shade\": \"dark\"}", true, "application/json");
    web__form_init(&f, &req, "t", fields, true);
    assert_int_equal(web__form_take(&f, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "shade"));
    web__form_release(&f);

    req_init(&req, &a, "[1]", true, "application/json");
    web__form_init(&f, &req, "t", fields, true);
    assert_int_equal(web__form_take(&f, &e), TL_EINPUT);
    web__form_release(&f);
    arena_release(&a);
}

static void test_app_errors_find_their_field(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_req req;
    struct web_form f;
    struct err e = ERR_INIT;
    req_init(&req, &a, "", false, NULL);

    web__form_init(&f, &req, "t", fields, true);
    ERR_SET(&e, TL_ENOTFOUND, "no person with email 'x@y.example'");
    assert_int_equal(web__form_app_error(&f, TL_ENOTFOUND, &e), 0);
    /* "person with email" says manager, although "email" matches too */
    assert_non_null(json_object_get(f.errors, "manager"));
    assert_null(json_object_get(f.errors, "email"));
    assert_int_equal(f.status, 400);
    web__form_release(&f);

    web__form_init(&f, &req, "t", fields, true);
    ERR_SET(&e, TL_EEXIST, "code 'X' already exists");
    assert_int_equal(web__form_app_error(&f, TL_EEXIST, &e), 0);
    assert_non_null(json_object_get(f.errors, "code"));
    assert_int_equal(f.status, 409);
    web__form_release(&f);

    web__form_init(&f, &req, "t", fields, true);
    ERR_SET(&e, TL_EINPUT, "something about nothing here");
    assert_int_equal(web__form_app_error(&f, TL_EINPUT, &e), 0);
    assert_int_equal(json_object_size(f.errors), 0);
    assert_string_equal(f.error, "something about nothing here");
    web__form_release(&f);

    web__form_init(&f, &req, "t", fields, true);
    ERR_SET(&e, TL_ESTORE, "disk on fire");
    assert_int_equal(web__form_app_error(&f, TL_ESTORE, &e), TL_ESTORE);
    assert_true(web__form_ok(&f));
    web__form_release(&f);
    arena_release(&a);
}

static void test_form_data(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_req req;
    struct web_form f;
    req_init(&req, &a, "", false, NULL);
    web__form_init(&f, &req, "t", fields, true);
    web__form_set(&f, "colour", "green");
    web__form_set(&f, "tags", "red,green");
    web__form_fail(&f, "code", "bad");
    json_t *d = web__form_data(&f, "/x", "Save");
    json_t *fl = json_object_get(d, "fields");
    json_t *code = json_array_get(fl, 0), *colour = json_array_get(fl, 1);
    assert_string_equal(json_string_value(json_object_get(code, "id")), "t-code");
    assert_string_equal(json_string_value(json_object_get(code, "describedby")), "t-code-error");
    assert_true(json_is_true(
        json_object_get(json_array_get(json_object_get(colour, "options"), 1), "selected")));
    json_t *tags = json_array_get(fl, 7);
    assert_true(json_is_true(
        json_object_get(json_array_get(json_object_get(tags, "options"), 0), "selected")));
    assert_int_equal(json_array_size(json_object_get(d, "error_list")), 1);
    assert_true(json_is_true(json_object_get(d, "has_errors")));
    json_decref(d);
    web__form_release(&f);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_and_check_a_form),
        cmocka_unit_test(test_take_json),
        cmocka_unit_test(test_app_errors_find_their_field),
        cmocka_unit_test(test_form_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
