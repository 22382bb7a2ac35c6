/* doc.c - building the document tree. */
#include "report/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct rpt_doc *rpt_doc_new(struct arena *a, const char *title, const char *subtitle,
                            const char *lang)
{
    struct rpt_doc *d = arena_calloc(a, 1, sizeof(*d));
    d->a = a;
    d->title = arena_strdup(a, title);
    d->subtitle = arena_strdup(a, subtitle ? subtitle : "");
    d->lang = arena_strdup(a, lang ? lang : "en");
    return d;
}

static struct rpt_block *append(struct rpt_doc *d, enum rpt_block_kind kind)
{
    struct rpt_block *b = arena_calloc(d->a, 1, sizeof(*b));
    b->kind = kind;
    if (d->last)
        d->last->next = b;
    else
        d->first = b;
    d->last = b;
    return b;
}

static const char **copy_strings(struct arena *a, const char *const *src, size_t n)
{
    const char **dst = arena_calloc(a, n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        dst[i] = arena_strdup(a, src[i] ? src[i] : "");
    return dst;
}

void rpt_heading(struct rpt_doc *d, int level, const char *text)
{
    struct rpt_block *b = append(d, RPT_HEADING);
    b->level = level < 1 ? 1 : level > 4 ? 4 : level;
    b->text = arena_strdup(d->a, text);
}

void rpt_para(struct rpt_doc *d, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *text = arena_alloc(d->a, n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(text, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    append(d, RPT_PARA)->text = text;
}

void rpt_list(struct rpt_doc *d, const char *const *items, size_t n)
{
    struct rpt_block *b = append(d, RPT_LIST);
    b->items = copy_strings(d->a, items, n);
    b->n_items = n;
}

void rpt_pagebreak(struct rpt_doc *d)
{
    append(d, RPT_PAGEBREAK);
}

struct rpt_block *rpt_table(struct rpt_doc *d, const char *const *header, size_t n_cols)
{
    struct rpt_block *b = append(d, RPT_TABLE);
    b->n_cols = n_cols;
    b->items = copy_strings(d->a, header, n_cols);
    b->n_items = 1;
    return b;
}

void rpt_table_row(struct rpt_doc *d, struct rpt_block *t, const char *const *cells)
{
    /* Rows are appended by copying: tables are built once, and the arena
     * makes the old arrays free to drop. */
    const char **grown = arena_alloc(d->a, (t->n_items + 1) * t->n_cols * sizeof(char *));
    memcpy(grown, t->items, t->n_items * t->n_cols * sizeof(char *));
    for (size_t c = 0; c < t->n_cols; c++)
        grown[t->n_items * t->n_cols + c] = arena_strdup(d->a, cells[c] ? cells[c] : "");
    t->items = grown;
    t->n_items++;
}

void rpt_bars(struct rpt_doc *d, const char *title, const char *const *labels,
              const double *values, size_t n)
{
    struct rpt_block *b = append(d, RPT_BARS);
    b->text = arena_strdup(d->a, title);
    b->items = copy_strings(d->a, labels, n);
    b->values = arena_calloc(d->a, n + 1, sizeof(double));
    for (size_t i = 0; i < n; i++)
        b->values[i] = values[i] < 0 ? 0 : values[i] > 100 ? 100 : values[i];
    b->n_items = n;
}
