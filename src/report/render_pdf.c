/* render_pdf.c - an A4 PDF with cairo and pango.
 *
 * Layout runs twice over the same code.  The first pass only measures: it
 * learns how many pages there are and on which page each heading lands.
 * The second pass draws, and can therefore print "page x of y" and the
 * page numbers of the table of contents.  Both passes measure with the
 * same pango context on the same PDF surface, so they break pages at the
 * same places; the draw pass checks that its headings land where the
 * first pass said.
 *
 * Text is shaped by pango over fontconfig with DejaVu Sans (Debian's
 * fonts-dejavu-core); cairo embeds the subsets it uses.  Tables break
 * between rows and repeat their header row on every page they continue
 * on; a row taller than a page is split between lines.  Charts are cairo
 * paths, never bitmaps.  A draft gets its mark across every page, drawn
 * last and translucent so that it shows over table fills.
 *
 * This file is the PDF module (tillit-pdf.so), not part of tillit_core: the
 * cairo/pango stack stays out of processes that never write a PDF (an idle
 * `tillit serve` would carry ~4.5 MB of its pages).  pdf_module.c loads it
 * on first use and calls tillit_pdf_render(), which is rpt_render_pdf().
 */
#include "report/doc.h"

#include "base/mem.h"
#include "report/pdf_module.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

/* A4 in points, and the frame of the body. */
#define PAGE_W 595.2756
#define PAGE_H 841.8898
#define LEFT 56.7
#define RIGHT (PAGE_W - 56.7)
#define BODY_W (RIGHT - LEFT)
#define TOP 76.0
#define BOTTOM (PAGE_H - 66.0)
#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.0
#define BAR_ROW 17.0

enum font {
    F_BODY,
    F_BOLD,
    F_SMALL,
    F_SMALL_BOLD,
    F_CELL,
    F_CELL_BOLD,
    F_H1,
    F_H2,
    F_H3,
    F_H4,
    F_TITLE,
    F_SUBTITLE,
    F_MARK,
    F_STAMP,
    F__COUNT
};

static const char *const font_spec[F__COUNT] = {
    "DejaVu Sans 9.5",       "DejaVu Sans Bold 9.5", "DejaVu Sans 7.5",     "DejaVu Sans Bold 7.5",
    "DejaVu Sans 7.8",       "DejaVu Sans Bold 7.8", "DejaVu Sans Bold 17", "DejaVu Sans Bold 13.5",
    "DejaVu Sans Bold 11.5", "DejaVu Sans Bold 10",  "DejaVu Sans Bold 28", "DejaVu Sans 14",
    "DejaVu Sans Bold 104",  "DejaVu Sans Bold 30",
};

struct rgb {
    double r, g, b;
};

static const struct rgb ink = {0.106, 0.122, 0.141};
static const struct rgb muted = {0.32, 0.36, 0.42};
static const struct rgb accent = {0.122, 0.227, 0.373};
static const struct rgb rule = {0.74, 0.77, 0.81};
static const struct rgb head_fill = {0.902, 0.925, 0.953};
static const struct rgb zebra = {0.965, 0.973, 0.984};
static const struct rgb red = {0.706, 0.137, 0.094};

struct pdf {
    const struct rpt_doc *d;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontMap *fontmap;
    PangoContext *ctx;
    PangoFontDescription *font[F__COUNT];
    PangoLayout *lay;         /* paragraphs, headings, lists, charts */
    PangoLayout *furn;        /* page furniture: header, footer, watermark */
    bool draw;                /* the second pass */
    int page;                 /* 1-based */
    int pages;                /* the second pass: pages the first counted */
    double y;                 /* where the next block starts */
    bool empty;               /* nothing placed on the body of this page yet */
    const char *section;      /* the level-1 heading in force */
    const char *page_section; /* what the running header of this page shows */
    bool section_on_page;     /* a level-1 heading was placed on this page */
    int *heading_page;        /* per heading, in order: its page (first pass) */
    size_t n_headings, heading;
    int outline_parent;
    bool mismatch; /* the draw pass placed a heading elsewhere */
    struct err *e;
};

static bool is_sv(const struct pdf *p)
{
    return strcmp(p->d->lang, "sv") == 0;
}

static void color(struct pdf *p, struct rgb c)
{
    cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

/* Pango warns on invalid UTF-8 and drops the rest of the text; the
 * database is meant to hold UTF-8, but a report must not lose text over
 * one bad byte. */
static void set_text(PangoLayout *l, const char *s)
{
    if (g_utf8_validate(s, -1, NULL)) {
        pango_layout_set_text(l, s, -1);
        return;
    }
    gchar *ok = g_utf8_make_valid(s, -1);
    pango_layout_set_text(l, ok, -1);
    g_free(ok);
}

/* Sets up l for text in font f at width (<= 0: one unbroken line;
 * ellipsize: one line cut with "..."), and returns its height. */
static double shape(struct pdf *p, PangoLayout *l, enum font f, const char *text, double width,
                    bool ellipsize)
{
    pango_layout_set_font_description(l, p->font[f]);
    pango_layout_set_width(l, width > 0 ? pango_units_from_double(width) : -1);
    pango_layout_set_ellipsize(l, ellipsize ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
    set_text(l, text);
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return h / (double)PANGO_SCALE;
}

static double text_width(PangoLayout *l)
{
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return w / (double)PANGO_SCALE;
}

/* Words longer than the width (hashes, URLs) break between characters
 * rather than run into the next column. */
static PangoLayout *new_layout(struct pdf *p)
{
    PangoLayout *l = pango_layout_new(p->ctx);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    return l;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y)
{
    if (!p->draw)
        return;
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

/* --- page furniture ------------------------------------------------------ */

static void watermark(struct pdf *p)
{
    cairo_t *cr = p->cr;
    shape(p, p->furn, F_MARK, p->d->draft_mark, -1, false);
    double w = text_width(p->furn);
    int lw = 0, lh = 0;
    pango_layout_get_size(p->furn, &lw, &lh);
    double scale = w > PAGE_H * 0.9 ? PAGE_H * 0.9 / w : 1.0;
    cairo_save(cr);
    cairo_translate(cr, PAGE_W / 2, PAGE_H / 2);
    cairo_rotate(cr, -atan2(PAGE_H, PAGE_W));
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgba(cr, red.r, red.g, red.b, 0.13);
    cairo_move_to(cr, -w / 2, -lh / (2.0 * PANGO_SCALE));
    pango_cairo_show_layout(cr, p->furn);
    cairo_restore(cr);
}

static void hline(struct pdf *p, double y, double x0, double x1, double width, struct rgb c)
{
    cairo_set_line_width(p->cr, width);
    color(p, c);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

static void furniture(struct pdf *p)
{
    const struct rpt_doc *d = p->d;
    /* Header: the title on the left, the section on the right. */
    double right_w = 0;
    if (p->page_section && *p->page_section) {
        shape(p, p->furn, F_SMALL, p->page_section, BODY_W * 0.55, true);
        right_w = text_width(p->furn);
        color(p, muted);
        show(p, p->furn, RIGHT - right_w, 40);
    }
    shape(p, p->furn, F_SMALL_BOLD, d->title, BODY_W - right_w - 12, true);
    color(p, accent);
    show(p, p->furn, LEFT, 40);
    hline(p, 54, LEFT, RIGHT, 0.6, rule);

    /* Footer: subtitle, draft mark, page x of y. */
    hline(p, PAGE_H - 52, LEFT, RIGHT, 0.6, rule);
    char num[64];
    snprintf(num, sizeof(num), is_sv(p) ? "Sida %d av %d" : "Page %d of %d", p->page, p->pages);
    shape(p, p->furn, F_SMALL, num, -1, false);
    double num_w = text_width(p->furn);
    color(p, muted);
    show(p, p->furn, RIGHT - num_w, PAGE_H - 46);
    if (d->draft) {
        shape(p, p->furn, F_SMALL_BOLD, d->draft_mark, -1, false);
        color(p, red);
        show(p, p->furn, (LEFT + RIGHT) / 2 - text_width(p->furn) / 2, PAGE_H - 46);
    }
    shape(p, p->furn, F_SMALL, d->subtitle, BODY_W * 0.4, true);
    color(p, muted);
    show(p, p->furn, LEFT, PAGE_H - 46);
}

static void finish_page(struct pdf *p)
{
    if (!p->draw)
        return;
    if (p->page > 1)
        furniture(p);
    if (p->d->draft)
        watermark(p);
    cairo_show_page(p->cr);
}

static void new_page(struct pdf *p)
{
    finish_page(p);
    p->page++;
    p->y = TOP;
    p->empty = true;
    p->page_section = p->section;
    p->section_on_page = false;
}

/* Starts a new page unless h more points fit on this one (or nothing is
 * on it yet: what does not fit on an empty page is split instead). */
static void need(struct pdf *p, double h)
{
    if (!p->empty && p->y + h > BOTTOM)
        new_page(p);
}

static void placed(struct pdf *p, double h)
{
    p->y += h;
    p->empty = false;
}

/* --- text ------------------------------------------------------------- */

/* Places the text in p->lay at x, breaking pages between lines when it does
 * not fit, then leaves after points of space. */
static void flow(struct pdf *p, double x, double after)
{
    int w = 0, h = 0;
    pango_layout_get_size(p->lay, &w, &h);
    double height = h / (double)PANGO_SCALE;
    if (p->y + height <= BOTTOM) {
        show(p, p->lay, x, p->y);
        placed(p, height + after);
        return;
    }
    PangoLayoutIter *it = pango_layout_get_iter(p->lay);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double top = logical.y / (double)PANGO_SCALE;
        double lh = logical.height / (double)PANGO_SCALE;
        double base = pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
        need(p, lh);
        if (p->draw) {
            cairo_move_to(p->cr, x + logical.x / (double)PANGO_SCALE, p->y + (base - top));
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        placed(p, lh);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    p->y += after;
}

static void paragraph(struct pdf *p, const char *text)
{
    shape(p, p->lay, F_BODY, text, BODY_W, false);
    pango_layout_set_spacing(p->lay, pango_units_from_double(1.5));
    color(p, ink);
    flow(p, LEFT, 7);
    pango_layout_set_spacing(p->lay, 0);
}

static void list(struct pdf *p, const char *const *items, size_t n, double indent)
{
    for (size_t i = 0; i < n; i++) {
        double h = shape(p, p->lay, F_BODY, items[i], BODY_W - indent - 14, false);
        need(p, h < 40 ? h : 14);
        shape(p, p->furn, F_BODY, "\u2022", -1, false);
        color(p, accent);
        show(p, p->furn, LEFT + indent + 2, p->y);
        color(p, ink);
        flow(p, LEFT + indent + 14, 3);
    }
    p->y += 5;
}

static void heading(struct pdf *p, const struct rpt_block *b)
{
    static const enum font fonts[] = {F_H1, F_H2, F_H3, F_H4};
    static const double before[] = {16, 13, 10, 8};
    size_t idx = p->heading++;
    double h = shape(p, p->lay, fonts[b->level - 1], b->text, BODY_W, false);
    /* Keep a heading with the start of what follows it. */
    need(p, before[b->level - 1] + h + 48);
    if (!p->empty)
        p->y += before[b->level - 1];
    if (!p->draw) {
        p->heading_page[idx] = p->page;
    } else {
        if (p->heading_page[idx] != p->page)
            p->mismatch = true;
        char dest[48];
        snprintf(dest, sizeof(dest), "name='h%zu'", idx + 1);
        cairo_tag_begin(p->cr, CAIRO_TAG_DEST, dest);
        color(p, accent);
        show(p, p->lay, LEFT, p->y);
        cairo_tag_end(p->cr, CAIRO_TAG_DEST);
        if (b->level <= 2) {
            char link[48];
            snprintf(link, sizeof(link), "dest='h%zu'", idx + 1);
            gchar *title = g_utf8_make_valid(b->text, -1);
            int id = cairo_pdf_surface_add_outline(
                p->surface, b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : p->outline_parent, title, link,
                0);
            g_free(title);
            if (b->level == 1)
                p->outline_parent = id;
        }
    }
    placed(p, h);
    if (b->level == 1) {
        p->section = b->text;
        if (!p->section_on_page) {
            p->page_section = b->text;
            p->section_on_page = true;
        }
        if (p->draw)
            hline(p, p->y + 2.5, LEFT, RIGHT, 1.2, accent);
        p->y += 6;
    }
    p->y += 5;
}

/* --- tables ------------------------------------------------------------- */

struct table {
    const struct rpt_block *b;
    size_t nc;
    double *w;
    PangoLayout **head, **cell;
    double head_h;
    const char **last; /* per column: the text cell[c] holds, and its height */
    double *last_h;
    double part_top; /* where the table's part on this page begins */
};

static double shape_row(struct pdf *p, struct table *t, PangoLayout **ls, const char *const *cells,
                        enum font f)
{
    /* Columns repeat themselves (a control's code on each of its samples,
     * "pass", the method): a cell layout that already holds the text is
     * neither shaped again nor measured, which halves the cost of long
     * workpaper tables. */
    double h = 0;
    bool cells_of_body = ls == t->cell;
    for (size_t c = 0; c < t->nc; c++) {
        double ch;
        if (cells_of_body && t->last[c] && strcmp(t->last[c], cells[c]) == 0) {
            ch = t->last_h[c];
        } else {
            ch = shape(p, ls[c], f, cells[c], t->w[c] - 2 * CELL_PAD_X, false);
            if (cells_of_body) {
                t->last[c] = cells[c];
                t->last_h[c] = ch;
            }
        }
        if (ch > h)
            h = ch;
    }
    return h + 2 * CELL_PAD_Y;
}

/* Rows are drawn as a fill (zebra or header) and a rule below; the column
 * rules of a page's part of the table are drawn once, when that part ends
 * (end_part).  Boxing every cell would triple the drawing operations of a
 * long workpaper table and its share of the PDF. */
static void row_fill(struct pdf *p, double h, const struct rgb *fill)
{
    if (!p->draw || !fill)
        return;
    cairo_rectangle(p->cr, LEFT, p->y, BODY_W, h);
    color(p, *fill);
    cairo_fill(p->cr);
}

static void end_part(struct pdf *p, struct table *t)
{
    if (!p->draw || p->y <= t->part_top)
        return;
    cairo_set_line_width(p->cr, 0.5);
    color(p, rule);
    double x = LEFT;
    for (size_t c = 0; c <= t->nc; c++) {
        cairo_move_to(p->cr, x, t->part_top);
        cairo_line_to(p->cr, x, p->y);
        if (c < t->nc)
            x += t->w[c];
    }
    cairo_move_to(p->cr, LEFT, t->part_top);
    cairo_line_to(p->cr, RIGHT, t->part_top);
    cairo_stroke(p->cr);
}

static void draw_row(struct pdf *p, struct table *t, PangoLayout **ls, double h,
                     const struct rgb *fill)
{
    row_fill(p, h, fill);
    double x = LEFT;
    color(p, ink);
    for (size_t c = 0; c < t->nc; c++) {
        show(p, ls[c], x + CELL_PAD_X, p->y + CELL_PAD_Y);
        x += t->w[c];
    }
    placed(p, h);
    if (p->draw)
        hline(p, p->y, LEFT, RIGHT, 0.5, rule);
}

static void table_head(struct pdf *p, struct table *t)
{
    t->part_top = p->y;
    draw_row(p, t, t->head, t->head_h, &head_fill);
    if (p->draw)
        hline(p, p->y, LEFT, RIGHT, 1.0, accent);
}

/* The table goes on on the next page, under its header again. */
static void continue_table(struct pdf *p, struct table *t)
{
    end_part(p, t);
    new_page(p);
    table_head(p, t);
}

/* A row taller than a page: each page takes the lines of every cell that
 * fit, under a repeated header, until all are placed. */
static void split_row(struct pdf *p, struct table *t, const struct rgb *fill)
{
    int *next = xcalloc(t->nc, sizeof(int));
    for (;;) {
        double room = BOTTOM - p->y - 2 * CELL_PAD_Y, used = 0;
        int *upto = xcalloc(t->nc, sizeof(int));
        bool more = false;
        for (size_t c = 0; c < t->nc; c++) {
            int n = pango_layout_get_line_count(t->cell[c]);
            double h = 0;
            int i = next[c];
            for (; i < n; i++) {
                PangoRectangle lr;
                pango_layout_line_get_extents(pango_layout_get_line_readonly(t->cell[c], i), NULL,
                                              &lr);
                double lh = lr.height / (double)PANGO_SCALE;
                if (h + lh > room && i > next[c])
                    break;
                h += lh;
            }
            upto[c] = i;
            if (i < n)
                more = true;
            if (h > used)
                used = h;
        }
        row_fill(p, used + 2 * CELL_PAD_Y, fill);
        double x = LEFT;
        for (size_t c = 0; c < t->nc; c++) {
            double y = p->y + CELL_PAD_Y;
            for (int i = next[c]; i < upto[c] && p->draw; i++) {
                PangoLayoutLine *line = pango_layout_get_line_readonly(t->cell[c], i);
                PangoRectangle lr;
                pango_layout_line_get_extents(line, NULL, &lr);
                color(p, ink);
                cairo_move_to(p->cr, x + CELL_PAD_X, y - lr.y / (double)PANGO_SCALE);
                pango_cairo_show_layout_line(p->cr, line);
                y += lr.height / (double)PANGO_SCALE;
            }
            next[c] = upto[c];
            x += t->w[c];
        }
        free(upto);
        placed(p, used + 2 * CELL_PAD_Y);
        if (p->draw)
            hline(p, p->y, LEFT, RIGHT, 0.5, rule);
        if (!more)
            break;
        continue_table(p, t);
    }
    free(next);
}

static void table(struct pdf *p, const struct rpt_block *b)
{
    if (b->n_cols == 0)
        return;
    struct table t = {.b = b, .nc = b->n_cols};
    t.w = xcalloc(t.nc, sizeof(double));
    t.head = xcalloc(t.nc, sizeof(PangoLayout *));
    t.cell = xcalloc(t.nc, sizeof(PangoLayout *));
    t.last = xcalloc(t.nc, sizeof(char *));
    t.last_h = xcalloc(t.nc, sizeof(double));
    for (size_t c = 0; c < t.nc; c++) {
        t.head[c] = new_layout(p);
        t.cell[c] = new_layout(p);
    }
    rpt__widths(b, BODY_W, 4.6, 2 * CELL_PAD_X + 1, t.w);
    t.head_h = shape_row(p, &t, t.head, b->items, F_CELL_BOLD);
    double first = b->n_items > 1 ? shape_row(p, &t, t.cell, b->items + t.nc, F_CELL) : 0;
    /* The header goes with the first row: to the next page when the row
     * would fit there but not here, so no header is left alone. */
    need(p, t.head_h + (first <= BOTTOM - TOP - t.head_h ? first : 60));
    table_head(p, &t);
    for (size_t r = 1; r < b->n_items; r++) {
        double h = r == 1 ? first : shape_row(p, &t, t.cell, b->items + r * t.nc, F_CELL);
        const struct rgb *fill = r % 2 == 0 ? &zebra : NULL;
        if (p->y + h > BOTTOM) {
            if (h > BOTTOM - TOP - t.head_h) {
                split_row(p, &t, fill);
                continue;
            }
            continue_table(p, &t);
        }
        draw_row(p, &t, t.cell, h, fill);
    }
    end_part(p, &t);
    p->y += 10;
    for (size_t c = 0; c < t.nc; c++) {
        g_object_unref(t.head[c]);
        g_object_unref(t.cell[c]);
    }
    free(t.head);
    free(t.cell);
    free(t.last);
    free(t.last_h);
    free(t.w);
}

/* --- charts ------------------------------------------------------------- */

static struct rgb bar_color(double v)
{
    if (v >= 80)
        return (struct rgb){0.102, 0.498, 0.216};
    if (v >= 50)
        return (struct rgb){0.604, 0.404, 0.0};
    return (struct rgb){0.812, 0.133, 0.180};
}

static void bars(struct pdf *p, const struct rpt_block *b)
{
    const double label_w = 175, value_w = 36;
    const double bar_x = LEFT + label_w + 8, bar_w = BODY_W - label_w - 8 - value_w - 6;
    double th = shape(p, p->lay, F_BOLD, b->text, BODY_W, false);
    need(p, th + 6 + BAR_ROW * (b->n_items < 3 ? (double)b->n_items : 3));
    color(p, ink);
    show(p, p->lay, LEFT, p->y);
    placed(p, th + 6);
    for (size_t i = 0; i < b->n_items; i++) {
        if (p->y + BAR_ROW > BOTTOM)
            new_page(p);
        double v = b->values[i];
        double y = p->y;
        shape(p, p->lay, F_SMALL, b->items[i], label_w, true);
        color(p, ink);
        show(p, p->lay, LEFT, y + 3);
        if (p->draw) {
            cairo_rectangle(p->cr, bar_x, y + 2, bar_w, BAR_ROW - 5);
            color(p, head_fill);
            cairo_fill(p->cr);
            cairo_rectangle(p->cr, bar_x, y + 2, bar_w * v / 100.0, BAR_ROW - 5);
            color(p, bar_color(v));
            cairo_fill(p->cr);
        }
        char num[16];
        snprintf(num, sizeof(num), "%.0f%%", v);
        shape(p, p->lay, F_SMALL_BOLD, num, -1, false);
        color(p, ink);
        show(p, p->lay, RIGHT - text_width(p->lay), y + 3);
        placed(p, BAR_ROW);
    }
    p->y += 10;
}

/* --- front matter -------------------------------------------------------- */

static void title_page(struct pdf *p)
{
    const struct rpt_doc *d = p->d;
    if (p->draw) {
        cairo_rectangle(p->cr, 0, 0, PAGE_W, 300);
        color(p, accent);
        cairo_fill(p->cr);
    }
    double h = shape(p, p->lay, F_TITLE, d->title, BODY_W, false);
    if (p->draw)
        cairo_set_source_rgb(p->cr, 1, 1, 1);
    show(p, p->lay, LEFT, 270 - h);
    shape(p, p->lay, F_SUBTITLE, d->subtitle, BODY_W, false);
    color(p, ink);
    show(p, p->lay, LEFT, 330);
    if (d->draft) {
        shape(p, p->lay, F_STAMP, d->draft_mark, -1, false);
        double w = text_width(p->lay);
        if (p->draw) {
            cairo_rectangle(p->cr, LEFT, 390, w + 24, 52);
            color(p, red);
            cairo_set_line_width(p->cr, 2.5);
            cairo_stroke(p->cr);
        }
        color(p, red);
        show(p, p->lay, LEFT + 12, 397);
    }
    shape(p, p->lay, F_SMALL, "Tillit", -1, false);
    color(p, muted);
    show(p, p->lay, LEFT, PAGE_H - 70);
}

static void toc(struct pdf *p)
{
    double h = shape(p, p->lay, F_H1, is_sv(p) ? "Innehåll" : "Contents", BODY_W, false);
    color(p, accent);
    show(p, p->lay, LEFT, p->y);
    placed(p, h + 14);
    size_t idx = 0;
    for (const struct rpt_block *b = p->d->first; b; b = b->next) {
        if (b->kind != RPT_HEADING)
            continue;
        idx++;
        if (b->level > 2)
            continue;
        const double line = b->level == 1 ? 19 : 15.5;
        if (p->y + line > BOTTOM)
            new_page(p);
        double indent = b->level == 1 ? 0 : 16;
        enum font f = b->level == 1 ? F_BOLD : F_BODY;
        char num[16];
        snprintf(num, sizeof(num), "%d", p->heading_page[idx - 1]);
        char link[48];
        snprintf(link, sizeof(link), "dest='h%zu'", idx);
        if (p->draw)
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, link);
        shape(p, p->lay, f, b->text, BODY_W - indent - 48, true);
        double tw = text_width(p->lay);
        color(p, ink);
        show(p, p->lay, LEFT + indent, p->y);
        shape(p, p->lay, f, num, -1, false);
        double nw = text_width(p->lay);
        show(p, p->lay, RIGHT - nw, p->y);
        if (p->draw) {
            const double dots[] = {0.6, 3.2};
            cairo_set_dash(p->cr, dots, 2, 0);
            cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_ROUND);
            hline(p, p->y + 9.5, LEFT + indent + tw + 6, RIGHT - nw - 6, 0.9, muted);
            cairo_set_dash(p->cr, NULL, 0, 0);
            cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_BUTT);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        }
        placed(p, line);
    }
}

static void open_items(struct pdf *p)
{
    const struct rpt_doc *d = p->d;
    double h = shape(p, p->lay, F_H1, d->open_items_title, BODY_W, false);
    color(p, red);
    show(p, p->lay, LEFT, p->y);
    placed(p, h);
    if (p->draw)
        hline(p, p->y + 2.5, LEFT, RIGHT, 1.2, red);
    p->y += 14;
    list(p, d->open_items, d->n_open_items, 0);
}

/* --- the passes ----------------------------------------------------------- */

static void block(struct pdf *p, const struct rpt_block *b)
{
    switch (b->kind) {
    case RPT_HEADING:
        heading(p, b);
        break;
    case RPT_PARA:
        paragraph(p, b->text);
        break;
    case RPT_LIST:
        list(p, b->items, b->n_items, 0);
        break;
    case RPT_TABLE:
        table(p, b);
        break;
    case RPT_BARS:
        bars(p, b);
        break;
    case RPT_PAGEBREAK:
        if (!p->empty)
            new_page(p);
        break;
    }
}

static void run(struct pdf *p, bool draw)
{
    p->draw = draw;
    p->page = 1;
    p->y = TOP;
    p->empty = true;
    p->section = p->page_section = NULL;
    p->section_on_page = false;
    p->heading = 0;
    p->outline_parent = CAIRO_PDF_OUTLINE_ROOT;
    title_page(p);
    if (p->d->toc) {
        new_page(p);
        toc(p);
    }
    if (p->d->draft && (p->d->n_open_items || *p->d->open_items_title)) {
        new_page(p);
        open_items(p);
    }
    new_page(p);
    for (const struct rpt_block *b = p->d->first; b; b = b->next)
        block(p, b);
    finish_page(p);
}

static cairo_status_t write_sb(void *closure, const unsigned char *data, unsigned int len)
{
    return sb_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static int setup(struct pdf *p, struct sb *out)
{
    p->surface = cairo_pdf_surface_create_for_stream(write_sb, out, PAGE_W, PAGE_H);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
        return ERR_SET(p->e, TL_EINTERNAL, "cannot create a PDF surface: %s",
                       cairo_status_to_string(cairo_surface_status(p->surface)));
    const struct rpt_doc *d = p->d;
    /* cairo refuses metadata that is not UTF-8, failing the whole file. */
    gchar *title = g_utf8_make_valid(d->title, -1), *subject = g_utf8_make_valid(d->subtitle, -1);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    g_free(title);
    g_free(subject);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "Tillit");
    p->cr = cairo_create(p->surface);
    /* A font map of our own, dropped at the end, keeps pango's caches from
     * growing across reports in a long-running server. */
    p->fontmap = pango_cairo_font_map_new();
    p->ctx = pango_font_map_create_context(p->fontmap);
    pango_cairo_update_context(p->cr, p->ctx);
    /* PDF units are points: 72 "dpi" makes a 10 pt font 10 units high.
     * Unhinted metrics keep measurement independent of the device. */
    pango_cairo_context_set_resolution(p->ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(p->ctx, pango_language_from_string(d->lang));
    for (int f = 0; f < F__COUNT; f++)
        p->font[f] = pango_font_description_from_string(font_spec[f]);
    p->lay = new_layout(p);
    p->furn = new_layout(p);
    return 0;
}

static void teardown(struct pdf *p)
{
    if (p->lay)
        g_object_unref(p->lay);
    if (p->furn)
        g_object_unref(p->furn);
    for (int f = 0; f < F__COUNT; f++)
        if (p->font[f])
            pango_font_description_free(p->font[f]);
    if (p->ctx)
        g_object_unref(p->ctx);
    if (p->fontmap)
        g_object_unref(p->fontmap);
    if (p->cr)
        cairo_destroy(p->cr);
    if (p->surface)
        cairo_surface_destroy(p->surface);
    free(p->heading_page);
}

int tillit_pdf_render(const struct rpt_doc *d, struct sb *out, struct err *e)
{
    struct pdf p = {.d = d, .e = e};
    for (const struct rpt_block *b = d->first; b; b = b->next)
        if (b->kind == RPT_HEADING)
            p.n_headings++;
    p.heading_page = xcalloc(p.n_headings + 1, sizeof(int));
    int rc = setup(&p, out);
    if (rc == 0) {
        run(&p, false);
        p.pages = p.page;
        run(&p, true);
        if (p.mismatch || p.page != p.pages)
            rc = ERR_SET(e, TL_EINTERNAL, "pdf layout differs between passes (%d/%d pages)", p.page,
                         p.pages);
    }
    if (rc == 0) {
        cairo_surface_finish(p.surface);
        cairo_status_t st = cairo_surface_status(p.surface);
        if (st == CAIRO_STATUS_SUCCESS)
            st = cairo_status(p.cr);
        if (st != CAIRO_STATUS_SUCCESS)
            rc = ERR_SET(e, st == CAIRO_STATUS_WRITE_ERROR ? TL_ETOOBIG : TL_EINTERNAL,
                         "cannot write the PDF: %s", cairo_status_to_string(st));
    }
    teardown(&p);
    return rc;
}
