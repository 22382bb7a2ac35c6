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
    double *values;     /* RPT_BARS: 0..100 */
    struct rpt_block *next;
};

struct rpt_doc {
    struct arena *a;
    const char *title;
    const char *subtitle;
    const char *lang; /* "en" or "sv", for the html lang attribute */
    struct rpt_block *first, *last;
};

/** A new empty document whose memory lives in a. */
struct rpt_doc *rpt_doc_new(struct arena *a, const char *title, const char *subtitle,
                            const char *lang);

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

#endif
