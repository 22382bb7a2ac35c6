/* doc.c - building the document tree. */
#include "report/doc.h"

#include "base/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

void rpt_draft(struct rpt_doc *d, const char *mark, const char *title, const char *const *items,
               size_t n)
{
    d->draft = true;
    d->draft_mark = arena_strdup(d->a, mark && *mark ? mark : "DRAFT");
    d->open_items_title = arena_strdup(d->a, title ? title : "");
    d->open_items = copy_strings(d->a, items, n);
    d->n_open_items = n;
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
    /* Rows grow by doubling: a workpaper table holds thousands of rows, and
     * copying the array per row would cost quadratic arena memory. */
    if (t->n_items >= t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        const char **grown = arena_calloc(d->a, cap * t->n_cols, sizeof(char *));
        memcpy(grown, t->items, t->n_items * t->n_cols * sizeof(char *));
        t->items = grown;
        t->cap_rows = cap;
    }
    for (size_t c = 0; c < t->n_cols; c++)
        t->items[t->n_items * t->n_cols + c] = arena_strdup(d->a, cells[c] ? cells[c] : "");
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

/* Characters in the longest word of s, and in all of s. */
static void word_lengths(const char *s, size_t *longest, size_t *total)
{
    size_t run = 0, n = 0, best = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c & 0xC0) == 0x80)
            continue;
        n++;
        /* Hyphens do not end a word: codes such as "AST-02" must not break. */
        if (*c == ' ' || *c == '\n' || *c == '\t' || *c == '/' || *c == ',') {
            run = 0;
        } else if (++run > best) {
            best = run;
        }
    }
    *longest = best;
    *total = n;
}

/* Column widths from the text they hold, estimated from character counts
 * (one average advance per character) rather than shaped: estimates are
 * enough to share out the width, and measuring every cell twice more would
 * double the cost of long tables.  Each column gets at least its longest
 * word, the rest goes by the length of its text. */
void rpt__widths(const struct rpt_block *b, double total, double adv, double pad, double *w)
{
    size_t nc = b->n_cols;
    double *want = xcalloc(nc, sizeof(double));
    double *least = xcalloc(nc, sizeof(double));
    for (size_t c = 0; c < nc; c++) {
        size_t longest = 0, chars = 0;
        word_lengths(b->items[c], &longest, &chars);
        /* A longest word gets room for capitals and bold (codes such as
         * "GOV-01" are wider than average text); lengths go by average. */
        least[c] = longest * adv * 1.4;
        want[c] = chars * adv * 1.22; /* header cells are bold */
        size_t step = b->n_items > 400 ? b->n_items / 400 : 1;
        for (size_t r = 1; r < b->n_items; r += step) {
            word_lengths(b->items[r * nc + c], &longest, &chars);
            if (longest * adv * 1.4 > least[c])
                least[c] = longest * adv * 1.4;
            if (chars * adv > want[c])
                want[c] = chars * adv;
        }
    }
    double cap = total / (double)nc;
    double sum_least = 0, sum_want = 0;
    for (size_t c = 0; c < nc; c++) {
        if (least[c] > cap)
            least[c] = cap;
        least[c] += pad;
        want[c] += pad;
        if (want[c] < least[c])
            want[c] = least[c];
        sum_least += least[c];
        sum_want += want[c];
    }
    if (sum_want <= total) {
        for (size_t c = 0; c < nc; c++)
            w[c] = want[c] + (total - sum_want) * want[c] / sum_want;
    } else if (sum_least >= total) {
        for (size_t c = 0; c < nc; c++)
            w[c] = total * least[c] / sum_least;
    } else {
        /* Share what is left after the minimums by the square root of what
         * each column would like beyond it, so one long column does not
         * squeeze the others to their minimum. */
        double extra = 0;
        for (size_t c = 0; c < nc; c++)
            extra += sqrt(want[c] - least[c]);
        for (size_t c = 0; c < nc; c++)
            w[c] = least[c] + (extra > 0 ? (total - sum_least) * sqrt(want[c] - least[c]) / extra
                                         : (total - sum_least) / nc);
    }
    free(want);
    free(least);
}
