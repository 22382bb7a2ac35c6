/* markdown.c - policy text (CommonMark + GFM) to HTML, safely.
 *
 * cmark-gfm without CMARK_OPT_UNSAFE replaces raw HTML with a comment and
 * drops javascript:, vbscript:, file: and non-image data: URLs, so what it
 * returns may go into a page unescaped ({{{...}}}).
 */
#include "web/web.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

int web_markdown(const char *md, struct sb *out, struct err *e)
{
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    if (!html)
        return ERR_SET(e, TL_EINTERNAL, "cannot render markdown");
    int rc = sb_adds(out, html);
    free(html);
    return rc;
}
