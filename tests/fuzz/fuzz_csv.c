/* fuzz_csv.c - the streaming CSV reader on arbitrary bytes.
 *
 * Every record the reader returns has fields that are NUL-terminated at
 * their length, hold no NUL, and are valid UTF-8; every value's type
 * classification is stable (a value that fits a type parses as it).  A
 * failure says where, as file:line.  A second pass (rewind) returns the
 * same records.  Everything is released per input.
 */
#include "base/sb.h"
#include "engine/dataset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(int cond)
{
    if (!cond)
        abort();
}

/* Reads all records into sb (fields separated by \x1f, records by \x1e). */
static int pass(struct eng_csv *c, struct sb *sb, struct err *e)
{
    const struct eng_field *f;
    size_t n;
    int rc;
    while ((rc = eng_csv_next(c, &f, &n, e)) == TL_ROW) {
        check(n > 0 && eng_csv_line(c) > 0);
        for (size_t i = 0; i < n; i++) {
            check(strlen(f[i].s) == f[i].len);
            check(eng_utf8_check(f[i].s, f[i].len) == f[i].len);
            unsigned fits = eng_value_fits(f[i].s, f[i].len);
            char dt[ENG_DATETIME_BUF];
            if (f[i].len && (fits & ENG_FITS_DATETIME))
                check(eng_datetime_norm(f[i].s, f[i].len, dt) == 0 &&
                      eng_value_fits(dt, strlen(dt)) & ENG_FITS_DATETIME);
            sb_add(sb, f[i].s, f[i].len);
            sb_addc(sb, 0x1f);
        }
        sb_addc(sb, 0x1e);
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eng_csv *c;
    struct err e = ERR_INIT;
    check(eng_csv_open_mem("fuzz.csv", (const char *)data, size, &c, &e) == 0);
    struct sb one = SB_INIT, two = SB_INIT;
    int rc = pass(c, &one, &e);
    if (rc != TL_DONE) {
        check(rc == TL_EINPUT || rc == TL_ETOOBIG);
        check(strncmp(e.where, "fuzz.csv:", 9) == 0 || strstr(e.msg, "fuzz.csv:"));
    }
    struct err e2 = ERR_INIT;
    check(eng_csv_rewind(c, &e2) == 0);
    int rc2 = pass(c, &two, &e2);
    check(rc2 == rc && one.len == two.len && memcmp(one.buf, two.buf, one.len) == 0);
    sb_release(&one);
    sb_release(&two);
    eng_csv_close(c);
    return 0;
}
