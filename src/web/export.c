/* export.c - list pages as spreadsheets (XLSX, through libxlsxwriter).
 *
 * libxlsxwriter 1.1.4 writes workbooks only to files, so the workbook is
 * written to a private temporary file, read back into the response and
 * removed.  Lists are small (what one page shows), so holding the finished
 * file in memory is fine; uploads are the only bodies that must stream.
 * Cells are typed from the JSON rows: strings are written as strings (a
 * leading '=' stays text, never a formula), integers and reals as numbers,
 * booleans as booleans, lists joined with ';'.
 */
#include "web/web_impl.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static void write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const json_t *v)
{
    if (json_is_string(v)) {
        worksheet_write_string(ws, r, c, json_string_value(v), NULL);
    } else if (json_is_integer(v)) {
        worksheet_write_number(ws, r, c, (double)json_integer_value(v), NULL);
    } else if (json_is_real(v)) {
        worksheet_write_number(ws, r, c, json_real_value(v), NULL);
    } else if (json_is_boolean(v)) {
        worksheet_write_boolean(ws, r, c, json_is_true(v), NULL);
    } else if (json_is_array(v)) {
        struct sb joined = SB_INIT;
        size_t i;
        const json_t *it;
        json_array_foreach(v, i, it)
        {
            if (json_is_string(it))
                sb_addf(&joined, "%s%s", joined.len ? ";" : "", json_string_value(it));
        }
        if (joined.len)
            worksheet_write_string(ws, r, c, joined.buf, NULL);
        sb_release(&joined);
    }
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\. */
static void sheet_name(const char *name, char out[32])
{
    size_t n = 0;
    for (const char *p = name; *p && n < 31; p++)
        out[n++] = strchr("[]:*?/\\", *p) ? '-' : *p;
    out[n] = '\0';
    if (n == 0)
        snprintf(out, 32, "Sheet1");
}

int web__xlsx(const json_t *rows, const char *const *cols, const char *sheet, struct sb *out,
              struct err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/tillit-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return ERR_SET(e, TL_EIO, "cannot create a temporary file in '%s'", dir ? dir : "/tmp");
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return ERR_SET(e, TL_EINTERNAL, "cannot start a workbook");
    }
    char name[32];
    sheet_name(sheet, name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_col_t n_cols = 0;
    for (; cols[n_cols]; n_cols++) {
        worksheet_write_string(ws, 0, n_cols, cols[n_cols], bold);
        worksheet_set_column(ws, n_cols, n_cols, 18, NULL);
    }
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (lxw_col_t c = 0; c < n_cols; c++)
            write_cell(ws, (lxw_row_t)(i + 1), c, json_object_get(row, cols[c]));
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (n_cols)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(rows), n_cols - 1);
    lxw_error err = workbook_close(wb);
    int rc = 0;
    if (err != LXW_NO_ERROR)
        rc = ERR_SET(e, TL_EINTERNAL, "cannot write the workbook: %s", lxw_strerror(err));
    else
        rc = sb_read_file(out, path, e);
    unlink(path);
    return rc;
}
