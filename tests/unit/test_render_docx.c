/* test_render_docx.c - the DOCX renderer (report/render_docx.c): the
 * package has its parts, each part is well-formed XML (python3's minidom,
 * when python3 is installed), headings use the Heading1..4 styles, tables
 * repeat their header row, a draft carries its watermark; and, when
 * LibreOffice is installed, the file converts to a PDF with the text in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "report/doc.h"

static struct rpt_doc *sample_doc(struct arena *a, bool draft)
{
    struct rpt_doc *d = rpt_doc_new(a, "Report & <friends>", "Example AB · 2026-03-01", "en");
    d->toc = true;
    if (draft) {
        const char *items[] = {"Test of AC-01 not concluded"};
        rpt_draft(d, "DRAFT", "Open items", items, 1);
    }
    rpt_heading(d, 1, "Section one");
    rpt_para(d, "Text with \"quotes\", a tab\there, a newline\nand a control \x01 byte, bad \xff.");
    const char *li[] = {"alpha", "beta"};
    rpt_list(d, li, 2);
    rpt_heading(d, 2, "Numbers");
    const char *labels[] = {"Security", "Privacy", "Full"};
    double values[] = {75, 0, 100};
    rpt_bars(d, "Readiness", labels, values, 3);
    rpt_pagebreak(d);
    rpt_heading(d, 3, "Deep");
    rpt_heading(d, 4, "Deeper");
    struct rpt_block *t = rpt_table(d, (const char *[]){"Code", "Title"}, 2);
    for (int i = 0; i < 40; i++) {
        char code[16];
        snprintf(code, sizeof(code), "AC-%02d", i);
        rpt_table_row(d, t, (const char *[]){code, "Access is reviewed every quarter"});
    }
    return d;
}

/* The bytes of one entry of a zip held in memory (caller frees), or NULL. */
static char *entry(const struct sb *zipped, const char *name)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zipped->buf, zipped->len, 0, &ze);
    assert_non_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(z);
    char *data = NULL;
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        assert_non_null(f);
        data = calloc(1, st.size + 1);
        assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
    }
    zip_close(z);
    zip_error_fini(&ze);
    return data;
}

static void write_file(const char *path, const struct sb *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->buf, 1, b->len, f), b->len);
    fclose(f);
}

static const char *const parts[] = {
    "[Content_Types].xml", "_rels/.rels",
    "word/document.xml",   "word/_rels/document.xml.rels",
    "word/styles.xml",     "word/settings.xml",
    "word/numbering.xml",  "word/header1.xml",
    "word/header2.xml",    "word/footer1.xml",
    "word/footer2.xml",    "docProps/core.xml",
    "docProps/app.xml",    NULL,
};

static void test_package_parts(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_docx(sample_doc(&a, false), &out, &e), 0);
    assert_memory_equal(out.buf, "PK\x03\x04", 4);
    for (const char *const *p = parts; *p; p++) {
        char *x = entry(&out, *p);
        if (!x)
            fail_msg("missing part %s", *p);
        assert_non_null(strstr(x, "<?xml version=\"1.0\""));
        free(x);
    }
    char *doc = entry(&out, "word/document.xml");
    for (int l = 1; l <= 4; l++) {
        char want[64];
        snprintf(want, sizeof(want), "<w:pStyle w:val=\"Heading%d\"/>", l);
        assert_non_null(strstr(doc, want));
    }
    assert_non_null(strstr(doc, "<w:tblHeader/>"));
    assert_non_null(strstr(doc, "<w:br w:type=\"page\"/>"));
    assert_non_null(strstr(doc, " TOC \\o \"1-2\""));
    assert_non_null(strstr(doc, "w:anchor=\"_Toc1\""));
    assert_non_null(strstr(doc, "Report &amp; &lt;friends&gt;"));
    assert_non_null(strstr(doc, "<w:tab/><w:t xml:space=\"preserve\">here"));
    assert_non_null(strstr(doc, "<w:br/><w:t xml:space=\"preserve\">and a control  byte, "
                                "bad \xEF\xBF\xBD."));
    assert_null(strstr(doc, "TillitDraftMark"));
    char *styles = entry(&out, "word/styles.xml");
    assert_non_null(strstr(styles, "w:styleId=\"Heading4\""));
    assert_non_null(strstr(styles, "<w:outlineLvl w:val=\"3\"/>"));
    char *footer = entry(&out, "word/footer1.xml");
    assert_non_null(strstr(footer, " NUMPAGES "));
    free(footer);
    free(styles);
    free(doc);
    sb_release(&out);
    arena_release(&a);
}

static void test_draft_watermark(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_docx(sample_doc(&a, true), &out, &e), 0);
    char *h1 = entry(&out, "word/header1.xml"), *h2 = entry(&out, "word/header2.xml");
    assert_non_null(strstr(h1, "string=\"DRAFT\""));
    assert_non_null(strstr(h2, "string=\"DRAFT\""));
    char *doc = entry(&out, "word/document.xml");
    assert_non_null(strstr(doc, "Open items"));
    assert_non_null(strstr(doc, "Test of AC-01 not concluded"));
    free(doc);
    free(h1);
    free(h2);
    sb_release(&out);
    arena_release(&a);
}

static void test_same_bytes_twice(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb one = SB_INIT, two = SB_INIT;
    struct rpt_doc *d = sample_doc(&a, true);
    assert_int_equal(rpt_render_docx(d, &one, &e), 0);
    assert_int_equal(rpt_render_docx(d, &two, &e), 0);
    assert_int_equal(one.len, two.len);
    assert_memory_equal(one.buf, two.buf, one.len);
    sb_release(&one);
    sb_release(&two);
    arena_release(&a);
}

/* Every XML part parses (minidom), when python3 is there. */
static void test_well_formed(void **state)
{
    (void)state;
    if (system("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") != 0)
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_docx(sample_doc(&a, true), &out, &e), 0);
    char path[128], cmd[512];
    snprintf(path, sizeof(path), "/tmp/tillit-test-%d.docx", (int)getpid());
    write_file(path, &out);
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import sys, zipfile, xml.dom.minidom as m\n"
             "z = zipfile.ZipFile(sys.argv[1])\n"
             "[m.parseString(z.read(n)) for n in z.namelist()]' '%s'",
             path);
    int rc = system(cmd);
    unlink(path);
    assert_int_equal(rc, 0);
    sb_release(&out);
    arena_release(&a);
}

/* LibreOffice opens it: a headless conversion to PDF has the text. */
static void test_libreoffice_opens_it(void **state)
{
    (void)state;
    if (system("command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1") != 0)
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_docx(sample_doc(&a, true), &out, &e), 0);
    char dir[] = "/tmp/tillit-lo-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], cmd[1024];
    snprintf(path, sizeof(path), "%s/report.docx", dir);
    write_file(path, &out);
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && HOME='%s' timeout 120 soffice --headless --convert-to pdf report.docx "
             ">/dev/null 2>&1 && pdftotext report.pdf report.txt && grep -q 'Section one' "
             "report.txt && grep -q 'AC-39' report.txt && grep -q 'Open items' report.txt",
             dir, dir);
    int rc = system(cmd);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(rc, 0);
    sb_release(&out);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_parts),        cmocka_unit_test(test_draft_watermark),
        cmocka_unit_test(test_same_bytes_twice),     cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_libreoffice_opens_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
