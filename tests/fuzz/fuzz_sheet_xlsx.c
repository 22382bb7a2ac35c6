/* fuzz_sheet_xlsx.c - the SpreadsheetML reader (sheet_parse_xlsx_xml) on
 * arbitrary bytes: the input is split at the first NUL byte into the shared
 * strings part and the worksheet part (no NUL: worksheet only).
 *
 * Besides "does not crash": a success gives rows with increasing row
 * numbers up to SHEET_MAX_ROWS, at most SHEET_MAX_COLS cells each, all of
 * them valid UTF-8; a failure is TL_EINPUT (or TL_ETOOBIG) naming the part.
 */
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
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    const char *shared = nul ? text : NULL;
    size_t shared_len = nul ? (size_t)(nul - text) : 0;
    const char *ws = nul ? nul + 1 : text;
    size_t ws_len = nul ? size - shared_len - 1 : size;
    struct arena a = ARENA_INIT;
    struct sheet s;
    struct err e = ERR_INIT;
    int rc = sheet_parse_xlsx_xml(&a, "fuzz.xlsx", shared, shared_len, ws, ws_len, &s, &e);
    if (rc != 0) {
        check(rc == TL_EINPUT || rc == TL_ETOOBIG);
        check(e.msg[0] != '\0');
        check(rc == TL_ETOOBIG || strncmp(e.where, "fuzz.xlsx:xl/", 13) == 0);
    } else {
        int last = 0;
        for (size_t r = 0; r < s.n_rows; r++) {
            check(s.rows[r].line > last && s.rows[r].line <= SHEET_MAX_ROWS);
            last = s.rows[r].line;
            check(s.rows[r].n >= 1 && s.rows[r].n <= SHEET_MAX_COLS);
            for (size_t c = 0; c < s.rows[r].n; c++)
                check(sheet_utf8_ok(s.rows[r].cells[c], strlen(s.rows[r].cells[c])));
        }
    }
    arena_release(&a);
    return 0;
}
