/* render_html.c - a self-contained HTML page: inline CSS, charts as inline
 * SVG, a print stylesheet; no scripts, fonts or images from elsewhere. */
#include "report/doc.h"

static const char css[] =
    "body{font:15px/1.5 'DejaVu Sans',system-ui,sans-serif;color:#1b1f24;max-width:60rem;"
    "margin:2rem auto;padding:0 1rem}"
    "h1{font-size:1.8rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ccd}"
    ".subtitle{color:#4a5260;margin-top:0}"
    "table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}"
    "th,td{border:1px solid #c8ccd4;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#eef1f5}tr:nth-child(even) td{background:#f8f9fb}"
    "figure{margin:1rem 0}figcaption{font-weight:bold;margin-bottom:.3rem}"
    ".pb{break-after:page}"
    ".draft{color:#b42318;font-weight:bold;letter-spacing:.2em}"
    ".open-items{border:2px solid #b42318;padding:.2rem 1rem;margin:1rem 0}"
    ".open-items h2{border:0;color:#b42318;margin-top:.5rem}"
    ".watermark{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:7rem;"
    "font-weight:bold;color:rgba(180,35,24,.12);transform:rotate(-35deg);pointer-events:none;"
    "z-index:-1}"
    "nav.toc ul{list-style:none;padding-left:0}nav.toc li.l2{padding-left:1.5rem}"
    "@media print{body{margin:0;max-width:none}th{background:#eee!important}"
    "a{color:inherit}}";

static void add_bars(struct sb *out, const struct rpt_block *b)
{
    const int row = 26, label_w = 210, bar_w = 360;
    int h = (int)b->n_items * row + 8;
    sb_adds(out, "<figure><figcaption>");
    sb_add_html(out, b->text);
    sb_addf(out,
            "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
            "viewBox=\"0 0 %d %d\" width=\"100%%\" style=\"max-width:%dpx\"><title>",
            label_w + bar_w + 60, h, label_w + bar_w + 60);
    sb_add_html(out, b->text);
    sb_adds(out, "</title>");
    for (size_t i = 0; i < b->n_items; i++) {
        int y = (int)i * row + 4;
        double v = b->values[i];
        const char *color = v >= 80 ? "#1a7f37" : v >= 50 ? "#9a6700" : "#cf222e";
        sb_addf(out, "<text x=\"0\" y=\"%d\" font-size=\"13\" fill=\"#1b1f24\">", y + 15);
        sb_add_html(out, b->items[i]);
        sb_addf(out,
                "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#e6e9ee\"/>"
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#1b1f24\">%.0f%%</text>",
                label_w, y, bar_w, label_w, y, bar_w * v / 100.0, color, label_w + bar_w + 6,
                y + 15, v);
    }
    sb_adds(out, "</svg></figure>\n");
}

static void add_table(struct sb *out, const struct rpt_block *b)
{
    sb_adds(out, "<table>\n<thead><tr>");
    for (size_t c = 0; c < b->n_cols; c++) {
        sb_adds(out, "<th scope=\"col\">");
        sb_add_html(out, b->items[c]);
        sb_adds(out, "</th>");
    }
    sb_adds(out, "</tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < b->n_items; r++) {
        sb_adds(out, "<tr>");
        for (size_t c = 0; c < b->n_cols; c++) {
            sb_adds(out, "<td>");
            sb_add_html(out, b->items[r * b->n_cols + c]);
            sb_adds(out, "</td>");
        }
        sb_adds(out, "</tr>\n");
    }
    sb_adds(out, "</tbody></table>\n");
}

static void add_block(struct sb *out, const struct rpt_block *b, int *heading)
{
    switch (b->kind) {
    case RPT_HEADING:
        sb_addf(out, "<h%d id=\"h%d\">", b->level + 1, ++*heading);
        sb_add_html(out, b->text);
        sb_addf(out, "</h%d>\n", b->level + 1);
        break;
    case RPT_PARA:
        sb_adds(out, "<p>");
        sb_add_html(out, b->text);
        sb_adds(out, "</p>\n");
        break;
    case RPT_LIST:
        sb_adds(out, "<ul>");
        for (size_t i = 0; i < b->n_items; i++) {
            sb_adds(out, "<li>");
            sb_add_html(out, b->items[i]);
            sb_adds(out, "</li>");
        }
        sb_adds(out, "</ul>\n");
        break;
    case RPT_TABLE:
        add_table(out, b);
        break;
    case RPT_BARS:
        add_bars(out, b);
        break;
    case RPT_PAGEBREAK:
        sb_adds(out, "<div class=\"pb\"></div>\n");
        break;
    }
}

/* The draft mark, the open items and the table of contents: what comes
 * between the title and the body. Heading ids count headings in order. */
static void add_front(struct sb *out, const struct rpt_doc *d)
{
    if (d->draft) {
        sb_adds(out, "<div class=\"watermark\" aria-hidden=\"true\">");
        sb_add_html(out, d->draft_mark);
        sb_adds(out, "</div>\n<p class=\"draft\">");
        sb_add_html(out, d->draft_mark);
        sb_adds(out, "</p>\n");
        if (d->n_open_items || *d->open_items_title) {
            sb_adds(out, "<section class=\"open-items\"><h2>");
            sb_add_html(out, d->open_items_title);
            sb_adds(out, "</h2><ul>");
            for (size_t i = 0; i < d->n_open_items; i++) {
                sb_adds(out, "<li>");
                sb_add_html(out, d->open_items[i]);
                sb_adds(out, "</li>");
            }
            sb_adds(out, "</ul></section>\n");
        }
    }
    if (!d->toc)
        return;
    sb_addf(out, "<nav class=\"toc\"><h2>%s</h2><ul>",
            d->lang[0] == 's' && d->lang[1] == 'v' ? "Innehåll" : "Contents");
    int n = 0;
    for (const struct rpt_block *b = d->first; b; b = b->next) {
        if (b->kind != RPT_HEADING)
            continue;
        n++;
        if (b->level > 2)
            continue;
        sb_addf(out, "<li class=\"l%d\"><a href=\"#h%d\">", b->level, n);
        sb_add_html(out, b->text);
        sb_adds(out, "</a></li>");
    }
    sb_adds(out, "</ul></nav>\n");
}

int rpt_render_html(const struct rpt_doc *d, struct sb *out)
{
    sb_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>",
            d->lang);
    sb_add_html(out, d->title);
    sb_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", css);
    sb_add_html(out, d->title);
    sb_adds(out, "</h1>\n<p class=\"subtitle\">");
    sb_add_html(out, d->subtitle);
    sb_adds(out, "</p>\n");
    add_front(out, d);
    int heading = 0;
    for (const struct rpt_block *b = d->first; b; b = b->next)
        add_block(out, b, &heading);
    return sb_adds(out, "</main>\n</body>\n</html>\n");
}
