/* render_md.c - GitHub-flavoured Markdown. */
#include "report/doc.h"

#include <string.h>

static void md_text(struct sb *out, const char *s, int in_table)
{
    for (const char *p = s; *p; p++) {
        if (in_table && *p == '|')
            sb_adds(out, "\\|");
        else if (in_table && *p == '\n')
            sb_addc(out, ' ');
        else if (strchr("*_`[]<>", *p))
            sb_addf(out, "\\%c", *p);
        else
            sb_addc(out, *p);
    }
}

static void md_row(struct sb *out, const char *const *cells, size_t n)
{
    sb_adds(out, "|");
    for (size_t c = 0; c < n; c++) {
        sb_addc(out, ' ');
        md_text(out, cells[c], 1);
        sb_adds(out, " |");
    }
    sb_addc(out, '\n');
}

static void md_block(struct sb *out, const struct rpt_block *b)
{
    switch (b->kind) {
    case RPT_HEADING:
        sb_addf(out, "%.*s ", b->level + 1, "#####");
        md_text(out, b->text, 0);
        sb_adds(out, "\n\n");
        break;
    case RPT_PARA:
        md_text(out, b->text, 0);
        sb_adds(out, "\n\n");
        break;
    case RPT_LIST:
        for (size_t i = 0; i < b->n_items; i++) {
            sb_adds(out, "- ");
            md_text(out, b->items[i], 0);
            sb_addc(out, '\n');
        }
        sb_addc(out, '\n');
        break;
    case RPT_TABLE:
        md_row(out, b->items, b->n_cols);
        sb_adds(out, "|");
        for (size_t c = 0; c < b->n_cols; c++)
            sb_adds(out, " --- |");
        sb_addc(out, '\n');
        for (size_t r = 1; r < b->n_items; r++)
            md_row(out, b->items + r * b->n_cols, b->n_cols);
        sb_addc(out, '\n');
        break;
    case RPT_BARS:
        sb_adds(out, "**");
        md_text(out, b->text, 0);
        sb_adds(out, "**\n\n");
        for (size_t i = 0; i < b->n_items; i++) {
            int filled = (int)(b->values[i] / 5.0 + 0.5);
            sb_adds(out, "    ");
            sb_addf(out, "%-28.28s ", b->items[i]);
            for (int k = 0; k < 20; k++)
                sb_adds(out, k < filled ? "#" : ".");
            sb_addf(out, " %3.0f%%\n", b->values[i]);
        }
        sb_addc(out, '\n');
        break;
    case RPT_PAGEBREAK:
        sb_adds(out, "---\n\n");
        break;
    }
}

int rpt_render_md(const struct rpt_doc *d, struct sb *out)
{
    sb_adds(out, "# ");
    md_text(out, d->title, 0);
    sb_adds(out, "\n\n");
    if (*d->subtitle) {
        sb_adds(out, "*");
        md_text(out, d->subtitle, 0);
        sb_adds(out, "*\n\n");
    }
    if (d->draft) {
        sb_adds(out, "**");
        md_text(out, d->draft_mark, 0);
        sb_adds(out, "**\n\n");
        if (d->n_open_items || *d->open_items_title) {
            sb_adds(out, "## ");
            md_text(out, d->open_items_title, 0);
            sb_adds(out, "\n\n");
            for (size_t i = 0; i < d->n_open_items; i++) {
                sb_adds(out, "- ");
                md_text(out, d->open_items[i], 0);
                sb_addc(out, '\n');
            }
            sb_addc(out, '\n');
        }
    }
    for (const struct rpt_block *b = d->first; b; b = b->next)
        md_block(out, b);
    return 0;
}
