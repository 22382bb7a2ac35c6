/* sheet.h - tables read from CSV and XLSX files (rows of text cells).
 *
 * Both readers are strict, because the files come from outside (an audit
 * firm's request list, an export of tickets): a CSV must be RFC 4180 in
 * UTF-8 with the same number of fields on every row; an XLSX is read
 * through libzip, and only its first worksheet (xl/worksheets/sheet1.xml)
 * and shared strings (xl/sharedStrings.xml) are parsed, by a minimal XML
 * reader that refuses DTDs, unknown entities, mismatched tags, nesting
 * deeper than SHEET_MAX_DEPTH and anything over the limits below.  Errors
 * carry "file:line:col" (for XLSX "file:part:line:col").  Cells hold text
 * as written: numbers keep their digits, booleans read TRUE or FALSE.
 *
 * A parsed sheet lives in the caller's arena; nothing else is allocated
 * past the call.
 */
#ifndef TL_SHEET_H
#define TL_SHEET_H

#include "base/arena.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

#define SHEET_MAX_ROWS 1048576            /* Excel's limit */
#define SHEET_MAX_COLS 1024               /* columns we accept (Excel allows 16384) */
#define SHEET_MAX_CELL (256 * 1024)       /* bytes of one cell */
#define SHEET_MAX_PART (64 * 1024 * 1024) /* bytes of one file or XLSX part */
#define SHEET_MAX_DEPTH 64                /* XML nesting */

struct sheet_row {
    const char **cells; /* n cells, never NULL; missing XLSX cells are "" */
    size_t n;
    int line; /* CSV: the line the row starts on; XLSX: the row number */
};

struct sheet {
    struct sheet_row *rows; /* empty CSV lines and empty XLSX rows are left out */
    size_t n_rows;
};

/** Whether s[0..n) is UTF-8 without NUL bytes, overlong forms or surrogates. */
bool sheet_utf8_ok(const char *s, size_t n);

/** The cell at col of row r, or "" beyond its end. */
const char *sheet_cell(const struct sheet_row *r, size_t col);

/** Parses CSV text (a UTF-8 byte order mark is skipped).  Fails with
 *  TL_EINPUT at path:line:col for an unterminated quote, a stray quote,
 *  text after a closing quote, invalid UTF-8, a NUL byte or a row whose
 *  number of fields differs from the first row's. */
int sheet_parse_csv(struct arena *a, const char *path, const char *data, size_t len,
                    struct sheet *out, struct err *e);

/** Parses the XML of a worksheet with its shared strings (shared may be
 *  NULL when the workbook has none).  Pure: this is what fuzzing targets. */
int sheet_parse_xlsx_xml(struct arena *a, const char *path, const char *shared, size_t shared_len,
                         const char *sheet_xml, size_t sheet_len, struct sheet *out, struct err *e);

/** Reads the first worksheet of the XLSX file at path. */
int sheet_read_xlsx(struct arena *a, const char *path, struct sheet *out, struct err *e);

/** Reads path as XLSX when its name ends in ".xlsx" (any case), else as CSV. */
int sheet_read(struct arena *a, const char *path, struct sheet *out, struct err *e);

#endif
