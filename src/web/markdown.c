/* markdown.c - policy text (CommonMark + GFM) to HTML, safely.
 *
 * cmark-gfm without CMARK_OPT_UNSAFE replaces raw HTML with a comment and
 * drops javascript:, vbscript:, file: and non-image data: URLs, so what it
 * returns may go into a page unescaped ({{{...}}}).  Headings move one
 * level down (# becomes <h2>): the page's one <h1> is the policy's title.
 */
#include "web/web.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

int web_markdown(const char *md, struct sb *out, struct err *e)
{
    int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
    cmark_node *doc = cmark_parse_document(md, strlen(md), opts);
    if (!doc)
        return ERR_SET(e, TL_EINTERNAL, "cannot parse markdown");
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            int level = cmark_node_get_heading_level(n);
            cmark_node_set_heading_level(n, level < 6 ? level + 1 : 6);
        }
    }
    cmark_iter_free(it);
    char *html = cmark_render_html(doc, opts, NULL);
    cmark_node_free(doc);
    if (!html)
        return ERR_SET(e, TL_EINTERNAL, "cannot render markdown");
    int rc = sb_adds(out, html);
    free(html);
    return rc;
}
