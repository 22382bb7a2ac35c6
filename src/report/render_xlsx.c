/* render_xlsx.c - a workbook (.xlsx) with libxlsxwriter.
 *
 * The first sheet carries the text of the report: title, subtitle, the
 * draft mark and open items, headings, paragraphs and lists, and each chart
 * as its data plus a native bar chart.  Every table becomes a sheet of its
 * own, named after the heading above it, because auditors sort and filter
 * workpapers: a bold frozen header row, a filter over the whole range,
 * columns sized to their text, numbers stored as numbers.  A line on the
 * first sheet links to each table's sheet.  A draft's sheets have a red tab
 * and the mark in their printed header.
 *
 * libxlsxwriter (1.1) writes only to a named file, so the workbook goes to
 * a temporary file that is read back and removed.
 */
#include "report/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define COLOR_ACCENT 0x1F3A5F
#define COLOR_RED 0xB42318
#define COLOR_HEAD 0xE6ECF3
#define COLOR_MUTED 0x525C6B
#define CELL_MAX 32767 /* characters Excel keeps in one cell */
#define SHEET_NAME_MAX 31

struct xlsx {
    const struct rpt_doc *d;
    lxw_workbook *wb;
    lxw_worksheet *main;
    const char *main_name;
    lxw_format *title, *subtitle, *draft, *h[4], *text, *head, *cell, *num, *pct, *link;
    char **names; /* sheet names given so far */
    size_t n_names;
    lxw_row_t row; /* next row of the main sheet */
    int err;       /* first lxw_error seen */
};

/* Text as Excel takes it: valid UTF-8 (bad bytes become U+FFFD), no
 * control characters XML forbids, at most CELL_MAX characters. */
static void clean(struct sb *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0;
    while (*p && chars < CELL_MAX) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        size_t k = 1;
        while (n > 1 && k < n && (p[k] & 0xC0) == 0x80)
            k++;
        if (n == 0 || k < n) {
            sb_adds(out, "\xEF\xBF\xBD");
            p += n == 0 ? 1 : k;
        } else {
            if (n > 1 || c >= 0x20 || c == '\t' || c == '\n')
                sb_add(out, p, n);
            p += n;
        }
        chars++;
    }
}

static void note(struct xlsx *x, lxw_error rc)
{
    if (rc != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = (int)rc;
}

static void put_string(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                       lxw_format *f)
{
    if (!*s) {
        if (f)
            note(x, worksheet_write_blank(ws, r, c, f));
        return;
    }
    struct sb t = SB_INIT;
    clean(&t, s);
    note(x, worksheet_write_string(ws, r, c, t.buf, f));
    sb_release(&t);
}

/* A plain decimal number ("25", "-3", "0.5"), not a code with leading
 * zeros ("007") that must stay text. */
static bool is_number(const char *s, double *v)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (!(*p >= '0' && *p <= '9'))
        return false;
    if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        return false;
    size_t digits = strspn(p, "0123456789");
    if (digits > 15)
        return false;
    p += digits;
    if (*p == '.') {
        p++;
        size_t frac = strspn(p, "0123456789");
        if (frac == 0)
            return false;
        p += frac;
    }
    if (*p)
        return false;
    *v = strtod(s, NULL);
    return true;
}

/* --- sheet names ------------------------------------------------------------- */

static bool name_taken(const struct xlsx *x, const char *name)
{
    for (size_t i = 0; i < x->n_names; i++)
        if (strcasecmp(x->names[i], name) == 0)
            return true;
    return false;
}

/* Copies at most max characters of s, dropping what sheet names may not
 * hold ([]:*?/\ and quotes at either end). */
static void sheet_chars(struct sb *out, const char *s, size_t max)
{
    struct sb c = SB_INIT;
    clean(&c, s);
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)c.buf; *p && chars < max;) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        if (n == 1 && (strchr("[]:*?/\\", *p) || *p < 0x20)) {
            p++;
            continue;
        }
        sb_add(out, p, n);
        p += n;
        chars++;
    }
    while (out->len && (out->buf[out->len - 1] == ' ' || out->buf[out->len - 1] == '\''))
        sb_setlen(out, out->len - 1);
    size_t lead = strspn(out->buf, "' ");
    if (lead) {
        memmove(out->buf, out->buf + lead, out->len - lead + 1);
        out->len -= lead;
    }
    sb_release(&c);
}

static char *unique_name(struct xlsx *x, const char *want, size_t table_no)
{
    struct sb base = SB_INIT;
    sheet_chars(&base, want ? want : "", SHEET_NAME_MAX);
    if (!base.len)
        sb_addf(&base, "Table %zu", table_no);
    struct sb name = SB_INIT;
    sb_adds(&name, base.buf);
    for (int i = 2; name_taken(x, name.buf) || strcasecmp(name.buf, "History") == 0; i++) {
        char suffix[16];
        snprintf(suffix, sizeof(suffix), " %d", i);
        sb_reset(&name);
        sheet_chars(&name, base.buf, SHEET_NAME_MAX - strlen(suffix));
        sb_adds(&name, suffix);
    }
    sb_release(&base);
    x->names = realloc(x->names, (x->n_names + 1) * sizeof(char *));
    if (!x->names)
        abort();
    x->names[x->n_names++] = sb_detach(&name, NULL);
    return x->names[x->n_names - 1];
}

/* --- sheets ---------------------------------------------------------------- */

static void mark_draft(struct xlsx *x, lxw_worksheet *ws)
{
    if (!x->d->draft)
        return;
    worksheet_set_tab_color(ws, COLOR_RED);
    struct sb h = SB_INIT, mark = SB_INIT;
    clean(&mark, x->d->draft_mark);
    sb_adds(&h, "&C&\"-,Bold\"&KB42318");
    for (const char *p = mark.buf; *p && h.len < 240; p++) {
        if (*p == '&')
            sb_addc(&h, '&');
        sb_addc(&h, *p);
    }
    note(x, worksheet_set_header(ws, h.buf));
    sb_release(&h);
    sb_release(&mark);
}

static void page_setup(struct xlsx *x, lxw_worksheet *ws)
{
    worksheet_set_paper(ws, 9); /* A4 */
    note(x, worksheet_set_footer(ws, strcmp(x->d->lang, "sv") == 0 ? "&L&A&RSida &P av &N"
                                                                   : "&L&A&RPage &P of &N"));
    mark_draft(x, ws);
}

static void table_sheet(struct xlsx *x, const struct rpt_block *b, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        note(x, LXW_ERROR_SHEETNAME_ALREADY_USED);
        return;
    }
    page_setup(x, ws);
    worksheet_set_landscape(ws);
    size_t nc = b->n_cols;
    for (size_t c = 0; c < nc; c++) {
        size_t widest = 0;
        size_t step = b->n_items > 2000 ? b->n_items / 2000 : 1;
        for (size_t r = 0; r < b->n_items; r += step) {
            const char *s = b->items[r * nc + c];
            size_t len = 0;
            for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                len += (*p & 0xC0) != 0x80;
            if (len > widest)
                widest = len;
        }
        double w = widest < 8 ? 8 : widest > 60 ? 60 : (double)widest;
        note(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w + 2, NULL));
    }
    for (size_t r = 0; r < b->n_items; r++)
        for (size_t c = 0; c < nc; c++) {
            const char *s = b->items[r * nc + c];
            double v = 0;
            if (r > 0 && is_number(s, &v))
                note(x, worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, x->num));
            else
                put_string(x, ws, (lxw_row_t)r, (lxw_col_t)c, s, r == 0 ? x->head : x->cell);
        }
    worksheet_freeze_panes(ws, 1, 0);
    note(x, worksheet_repeat_rows(ws, 0, 0));
    worksheet_fit_to_pages(ws, 1, 0);
    if (nc > 0)
        note(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(b->n_items - 1), (lxw_col_t)(nc - 1)));
}

/* A chart on the main sheet: its data in columns A-B, a bar chart beside. */
static void chart(struct xlsx *x, const struct rpt_block *b)
{
    put_string(x, x->main, x->row++, 0, b->text, x->h[3]);
    lxw_row_t first = x->row;
    for (size_t i = 0; i < b->n_items; i++) {
        put_string(x, x->main, x->row, 0, b->items[i], x->text);
        note(x, worksheet_write_number(x->main, x->row, 1, b->values[i] / 100.0, x->pct));
        x->row++;
    }
    if (b->n_items == 0)
        return;
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_BAR);
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(s, x->main_name, first, 0, x->row - 1, 0);
    chart_series_set_values(s, x->main_name, first, 1, x->row - 1, 1);
    lxw_chart_fill fill = {.color = COLOR_ACCENT};
    chart_series_set_fill(s, &fill);
    struct sb t = SB_INIT;
    clean(&t, b->text);
    chart_title_set_name(ch, t.buf);
    sb_release(&t);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    /* In a bar chart the x axis is the value axis (horizontal). */
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_max(ch->x_axis, 1);
    chart_axis_set_num_format(ch->x_axis, "0%");
    chart_axis_set_reverse(ch->y_axis);
    lxw_chart_options opt = {.x_scale = 1.2, .y_scale = 0.5 + 0.08 * (double)b->n_items};
    note(x, worksheet_insert_chart_opt(x->main, first - 1, 3, ch, &opt));
    /* Leave room for the chart when it is taller than its data. */
    lxw_row_t rows = (lxw_row_t)(15 * opt.y_scale);
    if (x->row < first - 1 + rows)
        x->row = first - 1 + rows;
    x->row++;
}

static void block(struct xlsx *x, const struct rpt_block *b, const char **heading, size_t *tables)
{
    switch (b->kind) {
    case RPT_HEADING:
        if (x->row > 4)
            x->row++;
        put_string(x, x->main, x->row++, 0, b->text, x->h[b->level - 1]);
        *heading = b->text;
        break;
    case RPT_PARA:
        put_string(x, x->main, x->row++, 0, b->text, x->text);
        break;
    case RPT_LIST:
        for (size_t i = 0; i < b->n_items; i++) {
            struct sb item = SB_INIT;
            sb_addf(&item, "\u2022 %s", b->items[i]);
            put_string(x, x->main, x->row++, 0, item.buf, x->text);
            sb_release(&item);
        }
        break;
    case RPT_TABLE: {
        const char *name = unique_name(x, *heading, ++*tables);
        table_sheet(x, b, name);
        struct sb url = SB_INIT, label = SB_INIT;
        sb_adds(&url, "internal:'");
        for (const char *p = name; *p; p++) {
            if (*p == '\'')
                sb_addc(&url, '\'');
            sb_addc(&url, *p);
        }
        sb_adds(&url, "'!A1");
        sb_addf(&label, "\u2192 %s (%zu)", name, b->n_items ? b->n_items - 1 : 0);
        note(x, worksheet_write_url_opt(x->main, x->row++, 0, url.buf, x->link, label.buf, NULL));
        sb_release(&url);
        sb_release(&label);
        break;
    }
    case RPT_BARS:
        chart(x, b);
        break;
    case RPT_PAGEBREAK:
        break;
    }
}

static void formats(struct xlsx *x)
{
    lxw_workbook *wb = x->wb;
    x->title = workbook_add_format(wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 18);
    format_set_font_color(x->title, COLOR_ACCENT);
    x->subtitle = workbook_add_format(wb);
    format_set_font_size(x->subtitle, 12);
    format_set_font_color(x->subtitle, COLOR_MUTED);
    x->draft = workbook_add_format(wb);
    format_set_bold(x->draft);
    format_set_font_size(x->draft, 14);
    format_set_font_color(x->draft, COLOR_RED);
    static const double sizes[4] = {15, 13, 11.5, 10.5};
    for (int i = 0; i < 4; i++) {
        x->h[i] = workbook_add_format(wb);
        format_set_bold(x->h[i]);
        format_set_font_size(x->h[i], sizes[i]);
        format_set_font_color(x->h[i], COLOR_ACCENT);
    }
    x->text = workbook_add_format(wb);
    format_set_text_wrap(x->text);
    format_set_align(x->text, LXW_ALIGN_VERTICAL_TOP);
    x->head = workbook_add_format(wb);
    format_set_bold(x->head);
    format_set_bg_color(x->head, COLOR_HEAD);
    format_set_bottom(x->head, LXW_BORDER_MEDIUM);
    format_set_bottom_color(x->head, COLOR_ACCENT);
    format_set_text_wrap(x->head);
    format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
    x->cell = workbook_add_format(wb);
    format_set_text_wrap(x->cell);
    format_set_align(x->cell, LXW_ALIGN_VERTICAL_TOP);
    x->num = workbook_add_format(wb);
    format_set_align(x->num, LXW_ALIGN_VERTICAL_TOP);
    x->pct = workbook_add_format(wb);
    format_set_num_format(x->pct, "0%");
    x->link = workbook_get_default_url_format(wb);
}

static void front(struct xlsx *x)
{
    const struct rpt_doc *d = x->d;
    note(x, worksheet_set_column(x->main, 0, 0, 100, NULL));
    note(x, worksheet_set_column(x->main, 1, 1, 10, NULL));
    put_string(x, x->main, x->row++, 0, d->title, x->title);
    put_string(x, x->main, x->row++, 0, d->subtitle, x->subtitle);
    if (d->draft) {
        put_string(x, x->main, x->row++, 0, d->draft_mark, x->draft);
        if (d->n_open_items || *d->open_items_title) {
            x->row++;
            put_string(x, x->main, x->row++, 0, d->open_items_title, x->h[1]);
            for (size_t i = 0; i < d->n_open_items; i++) {
                struct sb item = SB_INIT;
                sb_addf(&item, "\u2022 %s", d->open_items[i]);
                put_string(x, x->main, x->row++, 0, item.buf, x->text);
                sb_release(&item);
            }
        }
    }
    x->row++;
}

static int write_workbook(struct xlsx *x, const char *path, struct err *e)
{
    const struct rpt_doc *d = x->d;
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL, .use_zip64 = 0};
    x->wb = workbook_new_opt(path, &opt);
    if (!x->wb)
        return ERR_SET(e, TL_EINTERNAL, "cannot create a workbook");
    struct sb title = SB_INIT, subject = SB_INIT;
    clean(&title, d->title);
    clean(&subject, d->subtitle);
    lxw_doc_properties props = {
        .title = title.buf, .subject = subject.buf, .author = "Tillit", .created = 946684800};
    note(x, workbook_set_properties(x->wb, &props));
    formats(x);
    x->main_name = unique_name(x, strcmp(d->lang, "sv") == 0 ? "Rapport" : "Report", 0);
    x->main = workbook_add_worksheet(x->wb, x->main_name);
    page_setup(x, x->main);
    front(x);
    const char *heading = NULL;
    size_t tables = 0;
    for (const struct rpt_block *b = d->first; b; b = b->next)
        block(x, b, &heading, &tables);
    lxw_error rc = workbook_close(x->wb);
    sb_release(&title);
    sb_release(&subject);
    if (rc != LXW_NO_ERROR)
        return ERR_SET(e, TL_EINTERNAL, "cannot write the workbook: %s", lxw_strerror(rc));
    if (x->err != LXW_NO_ERROR)
        return ERR_SET(e, TL_EINTERNAL, "cannot write the workbook: %s",
                       lxw_strerror((lxw_error)x->err));
    return 0;
}

int rpt_render_xlsx(const struct rpt_doc *d, struct sb *out, struct err *e)
{
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/tillit-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return ERR_SET(e, TL_EIO, "cannot create a temporary file in '%s'",
                       tmp && *tmp ? tmp : "/tmp");
    close(fd);
    struct xlsx x = {.d = d};
    int rc = write_workbook(&x, path, e);
    if (rc == 0)
        rc = sb_read_file(out, path, e);
    unlink(path);
    for (size_t i = 0; i < x.n_names; i++)
        free(x.names[i]);
    free(x.names);
    return rc;
}
