/* test_render_pdf.c - the PDF renderer (report/render_pdf.c): pages, table
 * of contents, running header and footer, tables across pages, the draft
 * mark.  Text is read back with pdftotext (poppler-utils) when it is
 * installed; without it those checks are skipped.  Set TILLIT_TEST_KEEP to
 * a directory to keep the PDFs for a look. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/doc.h"

static int count(const char *hay, size_t len, const char *needle)
{
    int n = 0;
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            n++;
    return n;
}

/* Page objects: "/Type /Page" not followed by 's' (that is /Pages). */
static int pages(const struct sb *pdf)
{
    return count(pdf->buf, pdf->len, "/Type /Page\n") + count(pdf->buf, pdf->len, "/Type /Page ") +
           count(pdf->buf, pdf->len, "/Type /Page>");
}

static bool have_pdftotext(void)
{
    return system("pdftotext -v >/dev/null 2>&1") == 0;
}

/* The text of the PDF with form feeds between pages, in a new sb. */
static void pdf_text(const struct sb *pdf, const char *name, struct sb *text)
{
    char path[256], cmd[600];
    const char *keep = getenv("TILLIT_TEST_KEEP");
    if (keep && *keep)
        snprintf(path, sizeof(path), "%s/%s.pdf", keep, name);
    else
        snprintf(path, sizeof(path), "/tmp/tillit-test-%d-%s.pdf", (int)getpid(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pdf->buf, 1, pdf->len, f), pdf->len);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
    FILE *pp = popen(cmd, "r");
    assert_non_null(pp);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), pp)) > 0)
        sb_add(text, buf, n);
    assert_int_equal(pclose(pp), 0);
    if (!(keep && *keep))
        unlink(path);
}

/* The text of page n (1-based) of a pdftotext output. */
static char *page_text(const struct sb *text, int n)
{
    const char *p = text->buf;
    for (int i = 1; i < n; i++) {
        p = strchr(p, '\f');
        if (!p)
            return strdup("");
        p++;
    }
    const char *end = strchr(p, '\f');
    return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

static struct rpt_doc *sample_doc(struct arena *a, size_t rows, bool draft)
{
    struct rpt_doc *d = rpt_doc_new(a, "Sample report", "Example AB · 2026-03-01", "en");
    d->toc = true;
    if (draft) {
        const char *items[] = {"Test T-07 has no conclusion", "Period not closed"};
        rpt_draft(d, "DRAFT", "Open items", items, 2);
    }
    rpt_heading(d, 1, "First section");
    rpt_para(d, "A paragraph with åäö and enough words to wrap at least once on an A4 page, "
                "because the body is about seventeen centimetres wide and this sentence goes on.");
    const char *li[] = {"one", "two", "three"};
    rpt_list(d, li, 3);
    rpt_heading(d, 2, "A chart");
    const char *labels[] = {"Security", "Availability", "Confidentiality"};
    double values[] = {92, 61, 12};
    rpt_bars(d, "Readiness by category", labels, values, 3);
    rpt_pagebreak(d);
    rpt_heading(d, 1, "Second section");
    rpt_heading(d, 2, "A long table");
    struct rpt_block *t = rpt_table(d, (const char *[]){"Control", "Sample", "Result", "Note"}, 4);
    for (size_t i = 0; i < rows; i++) {
        char code[32], sample[32];
        snprintf(code, sizeof(code), "AC-%02zu", i % 50);
        snprintf(sample, sizeof(sample), "item %zu", i + 1);
        rpt_table_row(d, t,
                      (const char *[]){code, sample, i % 7 == 3 ? "exception" : "passed",
                                       "inspected the ticket and its approval"});
    }
    rpt_heading(d, 1, "Third section");
    rpt_para(d, "The end.");
    return d;
}

static void test_renders_a_pdf(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb pdf = SB_INIT;
    struct rpt_doc *d = sample_doc(&a, 10, false);
    assert_int_equal(rpt_render_pdf(d, &pdf, &e), 0);
    assert_true(pdf.len > 1000);
    assert_memory_equal(pdf.buf, "%PDF-", 5);
    assert_non_null(strstr(pdf.buf + pdf.len - 8, "%%EOF"));
    /* title, contents, sections 1-2 (a page break between), section 3 fits */
    assert_true(pages(&pdf) >= 4);
    /* The fonts are embedded, not referenced. */
    assert_true(count(pdf.buf, pdf.len, "DejaVuSans") > 0);
    assert_true(count(pdf.buf, pdf.len, "/FontFile") > 0);
    sb_release(&pdf);
    arena_release(&a);
}

static void test_toc_header_footer(void **state)
{
    (void)state;
    if (!have_pdftotext())
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb pdf = SB_INIT, text = SB_INIT;
    struct rpt_doc *d = sample_doc(&a, 10, false);
    assert_int_equal(rpt_render_pdf(d, &pdf, &e), 0);
    pdf_text(&pdf, "toc", &text);
    int n = pages(&pdf);
    char *p1 = page_text(&text, 1), *p2 = page_text(&text, 2), *p3 = page_text(&text, 3);
    assert_non_null(strstr(p1, "Sample report"));
    assert_null(strstr(p1, "Page 1 of")); /* no furniture on the title page */
    assert_non_null(strstr(p2, "Contents"));
    /* The first section starts on page 3, right after the contents. */
    assert_non_null(strstr(p2, "First section"));
    assert_non_null(strstr(p3, "First section"));
    char want[64];
    snprintf(want, sizeof(want), "Page 3 of %d", n);
    assert_non_null(strstr(p3, want));
    assert_non_null(strstr(p3, "åäö"));
    assert_non_null(strstr(p3, "Security"));
    assert_non_null(strstr(p3, "92%"));
    /* The contents line of "Second section" names the page it starts on. */
    char *p4 = page_text(&text, 4);
    assert_non_null(strstr(p4, "Second section"));
    const char *line = strstr(p2, "Second section");
    assert_non_null(line);
    const char *eol = strchr(line, '\n');
    assert_non_null(eol);
    assert_true(eol[-1] == '4');
    free(p1);
    free(p2);
    free(p3);
    free(p4);
    sb_release(&text);
    sb_release(&pdf);
    arena_release(&a);
}

static void test_table_breaks_with_header(void **state)
{
    (void)state;
    if (!have_pdftotext())
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb pdf = SB_INIT, text = SB_INIT;
    struct rpt_doc *d = sample_doc(&a, 300, false);
    assert_int_equal(rpt_render_pdf(d, &pdf, &e), 0);
    pdf_text(&pdf, "table", &text);
    int n = pages(&pdf);
    assert_true(n >= 8);
    /* Every page of the table repeats the header row. */
    int with_header = 0;
    for (int i = 4; i <= n; i++) {
        char *t = page_text(&text, i);
        if (strstr(t, "Control") && strstr(t, "Sample") && strstr(t, "Result"))
            with_header++;
        char want[64];
        snprintf(want, sizeof(want), "Page %d of %d", i, n);
        assert_non_null(strstr(t, want));
        free(t);
    }
    assert_true(with_header >= n - 4);
    /* No row is lost: the last one is there, once. */
    assert_non_null(strstr(text.buf, "item 300"));
    assert_null(strstr(strstr(text.buf, "item 300") + 1, "item 300 "));
    sb_release(&text);
    sb_release(&pdf);
    arena_release(&a);
}

static void test_draft_on_every_page(void **state)
{
    (void)state;
    if (!have_pdftotext())
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb pdf = SB_INIT, text = SB_INIT;
    struct rpt_doc *d = sample_doc(&a, 120, true);
    assert_int_equal(rpt_render_pdf(d, &pdf, &e), 0);
    pdf_text(&pdf, "draft", &text);
    int n = pages(&pdf);
    for (int i = 1; i <= n; i++) {
        char *t = page_text(&text, i);
        if (!strstr(t, "DRAFT"))
            fail_msg("page %d of %d has no DRAFT mark", i, n);
        free(t);
    }
    /* The open items come after the contents, before the body. */
    char *p3 = page_text(&text, 3);
    assert_non_null(strstr(p3, "Open items"));
    assert_non_null(strstr(p3, "Test T-07 has no conclusion"));
    free(p3);
    sb_release(&text);
    sb_release(&pdf);
    arena_release(&a);
}

static void test_not_a_draft_has_no_mark(void **state)
{
    (void)state;
    if (!have_pdftotext())
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb pdf = SB_INIT, text = SB_INIT;
    assert_int_equal(rpt_render_pdf(sample_doc(&a, 5, false), &pdf, &e), 0);
    pdf_text(&pdf, "final", &text);
    assert_null(strstr(text.buf, "DRAFT"));
    assert_null(strstr(text.buf, "Open items"));
    sb_release(&text);
    sb_release(&pdf);
    arena_release(&a);
}

static void test_tall_row_and_bad_utf8(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb pdf = SB_INIT, big = SB_INIT;
    for (int i = 0; i < 900; i++)
        sb_addf(&big, "word%d ", i);
    struct rpt_doc *d = rpt_doc_new(&a, "Tall \xff row", "", "sv");
    rpt_heading(d, 1, "Rubrik");
    struct rpt_block *t = rpt_table(d, (const char *[]){"A", "B"}, 2);
    rpt_table_row(d, t, (const char *[]){"short", big.buf});
    rpt_table_row(d, t, (const char *[]){"after", "the tall one"});
    struct rpt_block *empty = rpt_table(d, (const char *[]){"only header"}, 1);
    (void)empty;
    if (rpt_render_pdf(d, &pdf, &e) != 0)
        fail_msg("%s", e.msg);
    assert_true(pages(&pdf) >= 3);
    if (have_pdftotext()) {
        struct sb text = SB_INIT;
        pdf_text(&pdf, "tall", &text);
        assert_non_null(strstr(text.buf, "word0 "));
        assert_non_null(strstr(text.buf, "word899"));
        assert_non_null(strstr(text.buf, "the tall one"));
        assert_non_null(strstr(text.buf, "Sida 2 av"));
        sb_release(&text);
    }
    sb_release(&big);
    sb_release(&pdf);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renders_a_pdf),
        cmocka_unit_test(test_toc_header_footer),
        cmocka_unit_test(test_table_breaks_with_header),
        cmocka_unit_test(test_draft_on_every_page),
        cmocka_unit_test(test_not_a_draft_has_no_mark),
        cmocka_unit_test(test_tall_row_and_bad_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
