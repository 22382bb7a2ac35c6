/* doc.h - the document tree every report is built as, and its renderers.
 *
 * A report is built once as a tree of blocks (headings, paragraphs, lists,
 * tables, bar charts, page breaks) and rendered by backends that know
 * nothing about SOC 2.  The tree and all its text live in the arena given
 * to rpt_doc_new(); nothing is freed separately.  Text is plain UTF-8:
 * renderers do their own escaping.
 */
#ifndef TL_DOC_H
#define TL_DOC_H

#include "base/arena.h"
#include "base/sb.h"

#include <stdbool.h>
#include <stddef.h>

enum rpt_block_kind { RPT_HEADING, RPT_PARA, RPT_LIST, RPT_TABLE, RPT_BARS, RPT_PAGEBREAK };

struct rpt_block {
    enum rpt_block_kind kind;
    int level;          /* RPT_HEADING: 1..4 */
    const char *text;   /* RPT_HEADING, RPT_PARA; RPT_BARS: chart title */
    const char **items; /* RPT_LIST: items; RPT_TABLE: cells row-major, header first;
                           RPT_BARS: labels */
    size_t n_items;     /* RPT_LIST: items; RPT_TABLE: rows incl. header; RPT_BARS: bars */
    size_t n_cols;      /* RPT_TABLE */
    size_t cap_rows;    /* RPT_TABLE: rows allocated (rows grow by doubling) */
    double *values;     /* RPT_BARS: 0..100 */
    struct rpt_block *next;
};

struct rpt_doc {
    struct arena *a;
    const char *title;
    const char *subtitle;
    const char *lang; /* "en" or "sv", for the html lang attribute */
    /* Paginating renderers (PDF, DOCX) put a table of contents of the level
     * 1 and 2 headings after the title page when toc is set. */
    bool toc;
    /* A draft (rpt_draft) carries draft_mark ("DRAFT") on every page or
     * sheet, and lists its open items under open_items_title before the
     * body: a report is never silently incomplete. */
    bool draft;
    const char *draft_mark;
    const char *open_items_title;
    const char **open_items;
    size_t n_open_items;
    struct rpt_block *first, *last;
};

/** A new empty document whose memory lives in a. */
struct rpt_doc *rpt_doc_new(struct arena *a, const char *title, const char *subtitle,
                            const char *lang);

/** Marks d a draft: every page shows mark (e.g. "DRAFT") and the items
 *  (n, copied) are listed under title before the body. */
void rpt_draft(struct rpt_doc *d, const char *mark, const char *title, const char *const *items,
               size_t n);

void rpt_heading(struct rpt_doc *d, int level, const char *text);
void rpt_para(struct rpt_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rpt_list(struct rpt_doc *d, const char *const *items, size_t n);
void rpt_pagebreak(struct rpt_doc *d);

/** Starts a table with n_cols header cells; add rows with rpt_table_row. */
struct rpt_block *rpt_table(struct rpt_doc *d, const char *const *header, size_t n_cols);
void rpt_table_row(struct rpt_doc *d, struct rpt_block *t, const char *const *cells);

/** A horizontal bar chart of percentages (0..100). */
void rpt_bars(struct rpt_doc *d, const char *title, const char *const *labels,
              const double *values, size_t n);

/** Renders a self-contained HTML page (inline CSS and SVG, no external assets). */
int rpt_render_html(const struct rpt_doc *d, struct sb *out);

/** Renders GitHub-flavoured Markdown. */
int rpt_render_md(const struct rpt_doc *d, struct sb *out);

/** Shares width total among the columns of table b (into w[n_cols]), from
 *  the length of their text at adv points per character plus pad per
 *  column: each gets at least its longest word, the rest by text length.
 *  Internal to the renderers. */
void rpt__widths(const struct rpt_block *b, double total, double adv, double pad, double *w);

/* The binary renderers append a whole file to out and fail with a struct
 * err (TL_EINTERNAL from the library underneath, TL_EIO for temporary
 * files); out may then hold a partial result. */

/** Renders an A4 PDF with cairo and pango: embedded DejaVu fonts, title
 *  page, table of contents with page numbers, running header and footer
 *  ("page x of y"), tables that break across pages repeating their header
 *  row, vector bar charts, and the draft mark on every page. */
int rpt_render_pdf(const struct rpt_doc *d, struct sb *out, struct err *e);

/** Renders a WordprocessingML document (.docx) with real Heading1..4
 *  styles, tables with repeated header rows, page breaks, a page x of y
 *  footer, and a DRAFT watermark in the header of a draft. */
int rpt_render_docx(const struct rpt_doc *d, struct sb *out, struct err *e);

/** Renders a workbook (.xlsx): a first sheet with the text of the report
 *  (charts as native bar charts), then one sheet per table, named after
 *  the heading above it, with a frozen bold header row and a filter. */
int rpt_render_xlsx(const struct rpt_doc *d, struct sb *out, struct err *e);

#endif
