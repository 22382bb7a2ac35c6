/* fuzz_js.c - js_parse on arbitrary bytes, then js_dump.
 *
 * A document that parses must dump, parse back to an equal value, and dump
 * to the same bytes again (sorted keys make the output stable).  A failure
 * must say where.  Every reference and buffer is released per input.
 */
#include "base/js.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(int cond)
{
    if (!cond)
        abort();
}

static void dump_twice(const json_t *v)
{
    struct sb one = SB_INIT, two = SB_INIT;
    check(js_dump(&one, v, 0) == 0);
    json_t *back = NULL;
    struct err e = ERR_INIT;
    check(js_parse("dumped.json", one.buf, one.len, &back, &e) == 0);
    check(json_equal(v, back));
    check(js_dump(&two, back, 0) == 0);
    check(one.len == two.len && memcmp(one.buf, two.buf, one.len) == 0);
    json_decref(back);
    sb_release(&two);
    /* Pretty output is the same value too. */
    sb_reset(&one);
    check(js_dump(&one, v, 1) == 0);
    check(js_parse("pretty.json", one.buf, one.len, &back, &e) == 0);
    check(json_equal(v, back));
    json_decref(back);
    sb_release(&one);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    struct err e = ERR_INIT;
    int rc = js_parse("fuzz.json", (const char *)data, size, &v, &e);
    if (rc == 0) {
        dump_twice(v);
        if (json_is_object(v)) {
            const char *s;
            if (js_req_str(v, "$", "id", &s, &e) == 0)
                check(s != NULL);
        }
        json_decref(v);
    } else {
        check(rc == TL_EINPUT && v == NULL);
        check(strncmp(e.msg, "invalid JSON: ", 14) == 0);
        check(strncmp(e.where, "fuzz.json:", 10) == 0);
    }
    return 0;
}
