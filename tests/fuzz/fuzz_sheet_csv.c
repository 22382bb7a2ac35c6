/* fuzz_sheet_csv.c - sheet_parse_csv on arbitrary bytes.
 *
 * Besides "does not crash": a parse that succeeds gives rows that all have
 * the first row's width, lines that increase, and cells that are valid
 * UTF-8 and re-encode (sb_add_csv) to text that parses back to the same
 * cells; a failure is TL_EINPUT (or TL_ETOOBIG) with a position.
 * Everything lives in one arena, released at the end of each input.
 */
#include "base/sb.h"
#include "base/sheet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(int cond)
{
    if (!cond)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct sheet s;
    struct err e = ERR_INIT;
    int rc = sheet_parse_csv(&a, "fuzz.csv", (const char *)data, size, &s, &e);
    if (rc != 0) {
        check(rc == TL_EINPUT || rc == TL_ETOOBIG);
        check(e.msg[0] != '\0');
        check(rc == TL_ETOOBIG || strncmp(e.where, "fuzz.csv:", 9) == 0);
        arena_release(&a);
        return 0;
    }
    struct sb out = SB_INIT;
    int last = 0;
    for (size_t r = 0; r < s.n_rows; r++) {
        check(s.rows[r].n == s.rows[0].n);
        check(s.rows[r].line > last);
        last = s.rows[r].line;
        for (size_t c = 0; c < s.rows[r].n; c++) {
            const char *cell = s.rows[r].cells[c];
            check(sheet_utf8_ok(cell, strlen(cell)));
            if (c)
                sb_addc(&out, ',');
            sb_add_csv(&out, cell);
        }
        sb_adds(&out, "\r\n");
    }
    /* Re-encoded, the sheet reads back the same, except that rows whose only
     * cell is empty are blank lines, which the reader leaves out, and that a
     * leading U+FEFF (unquoted by sb_add_csv) reads as a byte order mark. */
    if (out.len >= 3 && memcmp(out.buf, "\xef\xbb\xbf", 3) == 0) {
        sb_release(&out);
        arena_release(&a);
        return 0;
    }
    struct sheet back;
    check(sheet_parse_csv(&a, "back.csv", out.buf, out.len, &back, &e) == 0);
    size_t k = 0;
    for (size_t r = 0; r < s.n_rows; r++) {
        if (s.rows[r].n == 1 && s.rows[r].cells[0][0] == '\0')
            continue;
        check(k < back.n_rows && back.rows[k].n == s.rows[r].n);
        for (size_t c = 0; c < s.rows[r].n; c++)
            check(strcmp(back.rows[k].cells[c], s.rows[r].cells[c]) == 0);
        k++;
    }
    check(k == back.n_rows);
    sb_release(&out);
    arena_release(&a);
    return 0;
}
