/* render_docx.c - WordprocessingML (.docx) written with libzip.
 *
 * The package is the smallest one Word and LibreOffice open without
 * complaint: content types, relationships, the document, styles (real
 * Heading1..4 with outline levels, so the navigation pane and the table of
 * contents work), numbering for bullets, settings, a header and footer for
 * the title page and one for the rest, and the core properties.  The table
 * of contents is a TOC field whose cached entries link to bookmarks on the
 * headings; settings ask Word to refresh its page numbers on opening.
 * Charts become tables whose bars are shaded cells.  A draft carries a
 * watermark in both headers (the VML shape Word itself writes for one) and
 * its mark in the footer.  Entries get a fixed date so the same document
 * gives the same bytes.
 */
#include "report/doc.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* A4 and 2 cm margins, in twentieths of a point. */
#define PAGE_W 11906
#define PAGE_H 16838
#define MARGIN 1134
#define BODY_W (PAGE_W - 2 * MARGIN)

static const char w_ns[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

static const char xml_decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/* Appends s escaped for XML text and attributes.  Bytes that are not UTF-8
 * become U+FFFD and control characters XML 1.0 forbids are dropped, so the
 * part stays well-formed whatever the database holds. */
static void x_esc(struct sb *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c == '&')
                sb_adds(out, "&amp;");
            else if (c == '<')
                sb_adds(out, "&lt;");
            else if (c == '>')
                sb_adds(out, "&gt;");
            else if (c == '"')
                sb_adds(out, "&quot;");
            else if (c >= 0x20 || c == '\t' || c == '\n')
                sb_addc(out, (char)c);
            p++;
            continue;
        }
        size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        size_t k = 1;
        while (n && k < n && (p[k] & 0xC0) == 0x80)
            k++;
        if (n == 0 || k < n) {
            sb_adds(out, "\xEF\xBF\xBD");
            p += n == 0 ? 1 : k;
            continue;
        }
        sb_add(out, p, n);
        p += n;
    }
}

/* A run of text with run properties rpr (may be ""): tabs and line breaks
 * become <w:tab/> and <w:br/>. */
static void run(struct sb *out, const char *text, const char *rpr)
{
    sb_addf(out, "<w:r>%s%s%s", *rpr ? "<w:rPr>" : "", rpr, *rpr ? "</w:rPr>" : "");
    const char *s = text;
    while (*s) {
        size_t n = strcspn(s, "\t\n");
        if (n) {
            struct sb piece = SB_INIT;
            sb_add(&piece, s, n);
            sb_adds(out, "<w:t xml:space=\"preserve\">");
            x_esc(out, piece.buf);
            sb_adds(out, "</w:t>");
            sb_release(&piece);
        }
        s += n;
        if (*s == '\t')
            sb_adds(out, "<w:tab/>");
        else if (*s == '\n')
            sb_adds(out, "<w:br/>");
        if (*s)
            s++;
    }
    sb_adds(out, "</w:r>");
}

static void para(struct sb *out, const char *style, const char *text, const char *rpr)
{
    sb_addf(out, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
    run(out, text, rpr);
    sb_adds(out, "</w:p>");
}

static void page_break(struct sb *out)
{
    sb_adds(out, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
}

/* --- blocks ------------------------------------------------------------------ */

static void heading(struct sb *out, const struct rpt_block *b, int id)
{
    sb_addf(out,
            "<w:p><w:pPr><w:pStyle w:val=\"Heading%d\"/></w:pPr>"
            "<w:bookmarkStart w:id=\"%d\" w:name=\"_Toc%d\"/>",
            b->level, id, id);
    run(out, b->text, "");
    sb_addf(out, "<w:bookmarkEnd w:id=\"%d\"/></w:p>", id);
}

static void list(struct sb *out, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sb_adds(out, "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/>"
                     "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>");
        run(out, items[i], "");
        sb_adds(out, "</w:p>");
    }
}

static void cell(struct sb *out, int width, const char *fill, const char *style, const char *text)
{
    sb_addf(out, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
    if (fill)
        sb_addf(out, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>", fill);
    sb_adds(out, "</w:tcPr>");
    para(out, style, text, "");
    sb_adds(out, "</w:tc>");
}

static void table(struct sb *out, const struct rpt_block *b)
{
    size_t nc = b->n_cols;
    if (nc == 0)
        return;
    double *w = xcalloc(nc, sizeof(double));
    int *tw = xcalloc(nc, sizeof(int));
    /* 8 pt text: about 110 twips a character, capitals included. */
    rpt__widths(b, BODY_W, 110, 2 * 108 + 20, w);
    sb_adds(out, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TillitTable\"/>"
                 "<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/>"
                 "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" "
                 "w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
    for (size_t c = 0; c < nc; c++) {
        tw[c] = (int)w[c];
        sb_addf(out, "<w:gridCol w:w=\"%d\"/>", tw[c]);
    }
    sb_adds(out, "</w:tblGrid>");
    for (size_t r = 0; r < b->n_items; r++) {
        /* The header row repeats on every page; rows break only between
         * lines when they are taller than a page. */
        sb_adds(out, r == 0 ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" : "<w:tr>");
        for (size_t c = 0; c < nc; c++)
            cell(out, tw[c],
                 r == 0       ? "E6ECF3"
                 : r % 2 == 0 ? "F6F8FA"
                              : NULL,
                 r == 0 ? "TableHeader" : "TableText", b->items[r * nc + c]);
        sb_adds(out, "</w:tr>");
    }
    sb_adds(out, "</w:tbl>");
    /* Two tables in a row would merge: a paragraph keeps them apart. */
    sb_adds(out, "<w:p><w:pPr><w:pStyle w:val=\"TableGap\"/></w:pPr></w:p>");
    free(w);
    free(tw);
}

static const char *bar_fill(double v)
{
    return v >= 80 ? "1A7F37" : v >= 50 ? "9A6700" : "CF222E";
}

/* A chart as a table: label, a bar (a one-row table of a shaded and an
 * empty cell, as wide as the value), the value. */
static void bars(struct sb *out, const struct rpt_block *b)
{
    const int label_w = 3300, value_w = 900, bar_w = BODY_W - label_w - value_w;
    para(out, "ChartTitle", b->text, "");
    sb_addf(out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
            "<w:tblCellMar><w:left w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"40\" w:type=\"dxa\"/>"
            "</w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w=\"%d\"/><w:gridCol w:w=\"%d\"/>"
            "<w:gridCol w:w=\"%d\"/></w:tblGrid>",
            BODY_W, label_w, bar_w, value_w);
    for (size_t i = 0; i < b->n_items; i++) {
        double v = b->values[i];
        int fill = (int)((bar_w - 80) * v / 100.0), rest = bar_w - 80 - fill;
        sb_adds(out, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        cell(out, label_w, NULL, "ChartLabel", b->items[i]);
        sb_addf(out,
                "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/>"
                "</w:tcPr><w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
                "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/>"
                "<w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
                bar_w, bar_w - 80);
        if (fill > 0)
            sb_addf(out, "<w:gridCol w:w=\"%d\"/>", fill);
        if (rest > 0)
            sb_addf(out, "<w:gridCol w:w=\"%d\"/>", rest);
        sb_adds(out, "</w:tblGrid><w:tr><w:trPr><w:trHeight w:val=\"200\" w:hRule=\"exact\"/>"
                     "</w:trPr>");
        if (fill > 0)
            sb_addf(out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:shd w:val=\"clear\" "
                    "w:color=\"auto\" w:fill=\"%s\"/></w:tcPr><w:p><w:pPr><w:pStyle "
                    "w:val=\"BarCell\"/></w:pPr></w:p></w:tc>",
                    fill, bar_fill(v));
        if (rest > 0)
            sb_addf(out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:shd w:val=\"clear\" "
                    "w:color=\"auto\" w:fill=\"E6E9EE\"/></w:tcPr><w:p><w:pPr><w:pStyle "
                    "w:val=\"BarCell\"/></w:pPr></w:p></w:tc>",
                    rest);
        sb_adds(out, "</w:tr></w:tbl><w:p><w:pPr><w:pStyle w:val=\"BarCell\"/></w:pPr></w:p>"
                     "</w:tc>");
        char num[16];
        snprintf(num, sizeof(num), "%.0f%%", v);
        cell(out, value_w, NULL, "ChartValue", num);
        sb_adds(out, "</w:tr>");
    }
    sb_adds(out, "</w:tbl><w:p><w:pPr><w:pStyle w:val=\"TableGap\"/></w:pPr></w:p>");
}

static bool is_sv(const struct rpt_doc *d)
{
    return strcmp(d->lang, "sv") == 0;
}

/* The TOC field, with one cached entry per level 1-2 heading. */
static void toc(struct sb *out, const struct rpt_doc *d)
{
    para(out, "TOCHeading", is_sv(d) ? "Innehåll" : "Contents", "");
    int id = 0;
    bool first = true;
    for (const struct rpt_block *b = d->first; b; b = b->next) {
        if (b->kind != RPT_HEADING)
            continue;
        id++;
        if (b->level > 2)
            continue;
        sb_addf(out,
                "<w:p><w:pPr><w:pStyle w:val=\"TOC%d\"/><w:tabs><w:tab w:val=\"right\" "
                "w:leader=\"dot\" w:pos=\"%d\"/></w:tabs></w:pPr>",
                b->level, BODY_W);
        if (first)
            sb_adds(out, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText "
                         "xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u </w:instrText></w:r>"
                         "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
        first = false;
        sb_addf(out, "<w:hyperlink w:anchor=\"_Toc%d\" w:history=\"1\">", id);
        run(out, b->text, "");
        sb_addf(out,
                "<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                "<w:r><w:instrText xml:space=\"preserve\"> PAGEREF _Toc%d \\h </w:instrText></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t></w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:hyperlink></w:p>",
                id);
    }
    if (first)
        return;
    sb_adds(out, "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>");
}

static void document(struct sb *out, const struct rpt_doc *d)
{
    sb_addf(out, "%s<w:document %s><w:body>", xml_decl, w_ns);
    /* The title page. */
    for (int i = 0; i < 6; i++)
        sb_adds(out, "<w:p/>");
    para(out, "Title", d->title, "");
    para(out, "Subtitle", d->subtitle, "");
    if (d->draft)
        para(out, "DraftMark", d->draft_mark, "");
    if (d->toc) {
        page_break(out);
        toc(out, d);
    }
    if (d->draft && (d->n_open_items || *d->open_items_title)) {
        page_break(out);
        para(out, "OpenItems", d->open_items_title, "");
        list(out, d->open_items, d->n_open_items);
    }
    page_break(out);
    int id = 0;
    for (const struct rpt_block *b = d->first; b; b = b->next) {
        switch (b->kind) {
        case RPT_HEADING:
            heading(out, b, ++id);
            break;
        case RPT_PARA:
            para(out, "BodyText", b->text, "");
            break;
        case RPT_LIST:
            list(out, b->items, b->n_items);
            break;
        case RPT_TABLE:
            table(out, b);
            break;
        case RPT_BARS:
            bars(out, b);
            break;
        case RPT_PAGEBREAK:
            page_break(out);
            break;
        }
    }
    sb_addf(out,
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
            "<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>"
            "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
            "<w:footerReference w:type=\"first\" r:id=\"rIdFooterFirst\"/>"
            "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" "
            "w:left=\"%d\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:titlePg/>"
            "</w:sectPr></w:body></w:document>",
            PAGE_W, PAGE_H, MARGIN + 300, MARGIN, MARGIN + 200, MARGIN);
}

/* --- page furniture ------------------------------------------------------------ */

/* The watermark shape Word writes for "Insert > Watermark": WordArt text on
 * a path, centred on the page, behind the text. */
static void watermark(struct sb *out, const char *mark)
{
    sb_adds(out,
            "<w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr><w:r><w:pict>"
            "<v:shapetype id=\"_x0000_t136\" coordsize=\"21600,21600\" o:spt=\"136\" "
            "adj=\"10800\" path=\"m@7,l@8,m@5,21600l@6,21600e\"><v:formulas>"
            "<v:f eqn=\"sum #0 0 10800\"/><v:f eqn=\"prod #0 2 1\"/>"
            "<v:f eqn=\"sum 21600 0 @1\"/><v:f eqn=\"sum 0 0 @2\"/><v:f eqn=\"sum 21600 0 @3\"/>"
            "<v:f eqn=\"if @0 @3 0\"/><v:f eqn=\"if @0 21600 @1\"/><v:f eqn=\"if @0 0 @2\"/>"
            "<v:f eqn=\"if @0 @4 21600\"/><v:f eqn=\"mid @5 @6\"/><v:f eqn=\"mid @8 @5\"/>"
            "<v:f eqn=\"mid @7 @8\"/><v:f eqn=\"mid @6 @7\"/><v:f eqn=\"sum @6 0 @5\"/>"
            "</v:formulas><v:path textpathok=\"t\" o:connecttype=\"custom\" "
            "o:connectlocs=\"@9,0;@10,10800;@11,21600;@12,10800\" "
            "o:connectangles=\"270,180,90,0\"/><v:textpath on=\"t\" fitshape=\"t\"/>"
            "<v:handles><v:h position=\"#0,bottomRight\" xrange=\"6629,14971\"/></v:handles>"
            "<o:lock v:ext=\"edit\" text=\"t\" shapetype=\"t\"/></v:shapetype>"
            "<v:shape id=\"TillitDraftMark\" o:spid=\"_x0000_s2049\" type=\"#_x0000_t136\" "
            "style=\"position:absolute;margin-left:0;margin-top:0;width:440pt;height:150pt;"
            "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
            "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
            "mso-position-vertical-relative:margin\" o:allowincell=\"f\" fillcolor=\"#b42318\" "
            "stroked=\"f\"><v:fill opacity=\".18\"/><v:textpath style=\"font-family:&quot;DejaVu "
            "Sans&quot;;font-size:1pt;font-weight:bold\" string=\"");
    x_esc(out, mark);
    sb_adds(out, "\"/></v:shape></w:pict></w:r></w:p>");
}

static const char hf_ns[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"";

static void header(struct sb *out, const struct rpt_doc *d, bool first)
{
    sb_addf(out, "%s<w:hdr %s>", xml_decl, hf_ns);
    if (d->draft)
        watermark(out, d->draft_mark);
    if (!first)
        para(out, "Header", d->title, "");
    else if (!d->draft)
        sb_adds(out, "<w:p/>");
    sb_adds(out, "</w:hdr>");
}

static void footer(struct sb *out, const struct rpt_doc *d, bool first)
{
    sb_addf(out, "%s<w:ftr %s>", xml_decl, hf_ns);
    if (first) {
        sb_adds(out, "<w:p/></w:ftr>");
        return;
    }
    sb_adds(out, "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>");
    run(out, d->subtitle, "");
    sb_adds(out, "<w:r><w:tab/></w:r>");
    if (d->draft)
        run(out, d->draft_mark, "<w:b/><w:color w:val=\"B42318\"/>");
    sb_adds(out, "<w:r><w:tab/></w:r>");
    run(out, is_sv(d) ? "Sida " : "Page ", "");
    sb_adds(out, "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>");
    run(out, is_sv(d) ? " av " : " of ", "");
    sb_adds(out, "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"
                 "</w:p></w:ftr>");
}

/* --- the fixed parts ---------------------------------------------------------- */

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/word/header2.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    "</Types>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
    "</Relationships>";

static const char document_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships/settings\" Target=\"settings.xml\"/>"
    "<Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships/numbering\" Target=\"numbering.xml\"/>"
    "<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships/header\" Target=\"header1.xml\"/>"
    "<Relationship Id=\"rIdHeaderFirst\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>"
    "<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships/footer\" Target=\"footer1.xml\"/>"
    "<Relationship Id=\"rIdFooterFirst\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>"
    "</Relationships>";

static const char settings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"709\"/>"
    "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
    "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
    "</w:settings>";

static const char numbering[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>"
    "<w:lvlText w:val=\"\xE2\x80\xA2\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"567\" "
    "w:hanging=\"283\"/></w:pPr><w:rPr><w:color w:val=\"1F3A5F\"/></w:rPr></w:lvl>"
    "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
    "</w:numbering>";

/* Styles: sizes are half-points (19 = 9.5 pt), spacing twentieths. */
static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"DejaVu Sans\" "
    "w:hAnsi=\"DejaVu Sans\" w:eastAsia=\"DejaVu Sans\" w:cs=\"DejaVu Sans\"/>"
    "<w:color w:val=\"1B1F24\"/><w:sz w:val=\"19\"/><w:szCs w:val=\"19\"/><w:lang "
    "w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" "
    "w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:qFormat/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"140\"/></w:pPr>"
    "</w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Subtitle\"/><w:qFormat/><w:pPr>"
    "<w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/>"
    "<w:sz w:val=\"56\"/><w:szCs w:val=\"56\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"480\"/></w:pPr>"
    "<w:rPr><w:color w:val=\"525C6B\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>"
    "</w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"DraftMark\"><w:name w:val=\"Draft Mark\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:rPr><w:b/><w:color w:val=\"B42318\"/><w:sz w:val=\"60\"/>"
    "</w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"OpenItems\"><w:name w:val=\"Open Items\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"ListBullet\"/><w:pPr><w:keepNext/>"
    "<w:spacing w:after=\"200\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"B42318\"/>"
    "<w:sz w:val=\"34\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:keepLines/><w:pBdr><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"2\" "
    "w:color=\"1F3A5F\"/></w:pBdr><w:spacing w:before=\"360\" w:after=\"160\"/>"
    "<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/>"
    "<w:sz w:val=\"34\"/><w:szCs w:val=\"34\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:keepLines/><w:spacing w:before=\"280\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/>"
    "</w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/><w:sz w:val=\"27\"/><w:szCs w:val=\"27\"/>"
    "</w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:keepLines/><w:spacing w:before=\"220\" w:after=\"100\"/><w:outlineLvl w:val=\"2\"/>"
    "</w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/><w:sz w:val=\"23\"/><w:szCs w:val=\"23\"/>"
    "</w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading4\"><w:name w:val=\"heading 4\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:keepLines/><w:spacing w:before=\"180\" w:after=\"80\"/><w:outlineLvl w:val=\"3\"/>"
    "</w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>"
    "</w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:b/>"
    "<w:color w:val=\"1F3A5F\"/><w:sz w:val=\"34\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TOC1\"><w:name w:val=\"toc 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"80\" "
    "w:after=\"40\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TOC2\"><w:name w:val=\"toc 2\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"40\"/>"
    "<w:ind w:left=\"284\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr>"
    "<w:spacing w:after=\"60\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
    "<w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TableHeader\"><w:name w:val=\"Table Header\"/>"
    "<w:basedOn w:val=\"TableText\"/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/></w:rPr>"
    "</w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TableGap\"><w:name w:val=\"Table Gap\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"120\"/></w:pPr><w:rPr>"
    "<w:sz w:val=\"12\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ChartTitle\"><w:name w:val=\"Chart Title\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" "
    "w:after=\"80\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ChartLabel\"><w:name w:val=\"Chart Label\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:rPr><w:sz w:val=\"15\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ChartValue\"><w:name w:val=\"Chart Value\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:rPr><w:b/>"
    "<w:sz w:val=\"15\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"BarCell\"><w:name w:val=\"Bar Cell\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:line=\"20\" w:lineRule=\"exact\"/></w:pPr>"
    "<w:rPr><w:sz w:val=\"2\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" "
    "w:space=\"4\" w:color=\"BCC4CE\"/></w:pBdr></w:pPr><w:rPr><w:b/><w:color "
    "w:val=\"1F3A5F\"/><w:sz w:val=\"15\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:pBdr><w:top w:val=\"single\" w:sz=\"4\" "
    "w:space=\"4\" w:color=\"BCC4CE\"/></w:pBdr><w:tabs><w:tab w:val=\"center\" w:pos=\"4819\"/>"
    "<w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs></w:pPr><w:rPr><w:color w:val=\"525C6B\"/>"
    "<w:sz w:val=\"15\"/></w:rPr></w:style>"
    "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/>"
    "<w:rPr><w:color w:val=\"1F3A5F\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name "
    "w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
    "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" "
    "w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "<w:style w:type=\"table\" w:styleId=\"TillitTable\"><w:name w:val=\"Tillit Table\"/>"
    "<w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>"
    "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BCC4CE\"/>"
    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BCC4CE\"/>"
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BCC4CE\"/>"
    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BCC4CE\"/>"
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BCC4CE\"/>"
    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BCC4CE\"/>"
    "</w:tblBorders><w:tblCellMar><w:top w:w=\"50\" w:type=\"dxa\"/><w:left w:w=\"108\" "
    "w:type=\"dxa\"/><w:bottom w:w=\"50\" w:type=\"dxa\"/><w:right w:w=\"108\" "
    "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>";

static void core_props(struct sb *out, const struct rpt_doc *d)
{
    sb_addf(out,
            "%s<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
            "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
            "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>",
            xml_decl);
    x_esc(out, d->title);
    sb_adds(out, "</dc:title><dc:subject>");
    x_esc(out, d->subtitle);
    sb_addf(out, "</dc:subject><dc:creator>Tillit</dc:creator><dc:language>%s</dc:language>",
            is_sv(d) ? "sv-SE" : "en-GB");
    sb_adds(out, "</cp:coreProperties>");
}

static const char app_props[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-"
    "properties\"><Application>Tillit</Application></Properties>";

/* --- the package ----------------------------------------------------------------- */

#define N_PARTS 12

struct part {
    const char *name;
    struct sb sb;
};

static int zip_fail(struct err *e, const char *what, zip_error_t *ze)
{
    int rc =
        ERR_SET(e, TL_EINTERNAL, "cannot write the docx: %s: %s", what, zip_error_strerror(ze));
    zip_error_fini(ze);
    return rc;
}

/* Zips parts into out, in memory. */
static int package(struct part *parts, size_t n, struct sb *out, struct err *e)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!mem)
        return zip_fail(e, "buffer", &ze);
    zip_source_keep(mem);
    zip_t *z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    if (!z) {
        zip_source_free(mem);
        return zip_fail(e, "open", &ze);
    }
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, parts[i].sb.buf, parts[i].sb.len, 0);
        zip_int64_t idx = src ? zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(src);
            int rc = ERR_SET(e, TL_EINTERNAL, "cannot write the docx: %s: %s", parts[i].name,
                             zip_strerror(z));
            zip_discard(z);
            zip_source_free(mem);
            return rc;
        }
        zip_file_set_mtime(z, (zip_uint64_t)idx, 946684800, 0); /* 2000-01-01 */
    }
    if (zip_close(z) != 0) {
        int rc = ERR_SET(e, TL_EINTERNAL, "cannot write the docx: %s", zip_strerror(z));
        zip_discard(z);
        zip_source_free(mem);
        return rc;
    }
    int rc = 0;
    zip_stat_t st;
    if (zip_source_stat(mem, &st) != 0 || zip_source_open(mem) != 0) {
        rc = ERR_SET(e, TL_EINTERNAL, "cannot read the docx back: %s",
                     zip_error_strerror(zip_source_error(mem)));
    } else {
        char buf[65536];
        zip_int64_t got;
        while ((got = zip_source_read(mem, buf, sizeof(buf))) > 0)
            if (sb_add(out, buf, (size_t)got) != 0) {
                rc = ERR_SET(e, TL_ETOOBIG, "docx too big");
                break;
            }
        if (got < 0 && rc == 0)
            rc = ERR_SET(e, TL_EINTERNAL, "cannot read the docx back");
        zip_source_close(mem);
    }
    zip_source_free(mem);
    return rc;
}

int rpt_render_docx(const struct rpt_doc *d, struct sb *out, struct err *e)
{
    struct part parts[N_PARTS] = {
        {"[Content_Types].xml", SB_INIT}, {"_rels/.rels", SB_INIT},
        {"word/document.xml", SB_INIT},   {"word/_rels/document.xml.rels", SB_INIT},
        {"word/styles.xml", SB_INIT},     {"word/settings.xml", SB_INIT},
        {"word/numbering.xml", SB_INIT},  {"word/header1.xml", SB_INIT},
        {"word/header2.xml", SB_INIT},    {"word/footer1.xml", SB_INIT},
        {"word/footer2.xml", SB_INIT},    {"docProps/core.xml", SB_INIT},
    };
    struct sb app = SB_INIT;
    sb_adds(&parts[0].sb, content_types);
    sb_adds(&parts[1].sb, package_rels);
    document(&parts[2].sb, d);
    sb_adds(&parts[3].sb, document_rels);
    sb_adds(&parts[4].sb, styles);
    sb_adds(&parts[5].sb, settings);
    sb_adds(&parts[6].sb, numbering);
    header(&parts[7].sb, d, false);
    header(&parts[8].sb, d, true);
    footer(&parts[9].sb, d, false);
    footer(&parts[10].sb, d, true);
    core_props(&parts[11].sb, d);
    sb_adds(&app, app_props);
    struct part all[N_PARTS + 1];
    memcpy(all, parts, sizeof(parts));
    all[N_PARTS] = (struct part){"docProps/app.xml", app};
    int rc = package(all, N_PARTS + 1, out, e);
    for (size_t i = 0; i < N_PARTS; i++)
        sb_release(&parts[i].sb);
    sb_release(&app);
    return rc;
}
