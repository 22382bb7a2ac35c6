/* test_render_xlsx.c - the XLSX renderer (report/render_xlsx.c): a text
 * sheet first, one sheet per table named after its heading (unique, legal
 * names), a frozen header row with a filter, numbers as numbers, charts,
 * the draft mark on every sheet; and every part is well-formed XML. */
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
        data = calloc(1, st.size + 1);
        assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
    }
    zip_close(z);
    zip_error_fini(&ze);
    return data;
}

static struct rpt_doc *sample_doc(struct arena *a, bool draft)
{
    struct rpt_doc *d = rpt_doc_new(a, "Control matrix", "Example AB", "en");
    if (draft)
        rpt_draft(d, "DRAFT", "Open items", (const char *[]){"two tests open"}, 1);
    rpt_heading(d, 1, "Controls");
    rpt_para(d, "Every control with its criteria.");
    struct rpt_block *t = rpt_table(d, (const char *[]){"Code", "Samples", "Note", "Ratio"}, 4);
    rpt_table_row(d, t, (const char *[]){"AC-01", "25", "bad \xff byte", "0.5"});
    rpt_table_row(d, t, (const char *[]){"007", "-3", "", "1.5.2"});
    /* Same heading twice, and one with characters sheet names refuse. */
    rpt_heading(d, 1, "Controls");
    rpt_table(d, (const char *[]){"A"}, 1);
    rpt_heading(d, 2, "Risks: [high]/critical? a very long heading indeed");
    rpt_table(d, (const char *[]){"B"}, 1);
    rpt_bars(d, "Readiness", (const char *[]){"Security", "Privacy"}, (double[]){80, 20}, 2);
    return d;
}

static void test_sheets(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_xlsx(sample_doc(&a, false), &out, &e), 0);
    assert_memory_equal(out.buf, "PK\x03\x04", 4);
    char *wb = entry(&out, "xl/workbook.xml");
    assert_non_null(wb);
    assert_non_null(strstr(wb, "name=\"Report\""));
    assert_non_null(strstr(wb, "name=\"Controls\""));
    assert_non_null(strstr(wb, "name=\"Controls 2\""));
    assert_non_null(strstr(wb, "name=\"Risks highcritical a very long\""));
    char *s2 = entry(&out, "xl/worksheets/sheet2.xml");
    assert_non_null(s2);
    assert_non_null(strstr(s2, "<autoFilter ref=\"A1:D3\"/>"));
    assert_non_null(strstr(s2, "state=\"frozen\""));
    assert_non_null(strstr(s2, "<v>25</v>"));
    assert_non_null(strstr(s2, "<v>-3</v>"));
    assert_null(strstr(s2, "tabColor"));
    char *strings = entry(&out, "xl/sharedStrings.xml");
    assert_non_null(strstr(strings, "bad \xEF\xBF\xBD byte"));
    assert_non_null(strstr(strings, ">007<"));
    assert_non_null(strstr(strings, ">1.5.2<"));
    char *chart = entry(&out, "xl/charts/chart1.xml");
    assert_non_null(chart);
    free(chart);
    free(strings);
    free(s2);
    free(wb);
    sb_release(&out);
    arena_release(&a);
}

static void test_draft_on_every_sheet(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_xlsx(sample_doc(&a, true), &out, &e), 0);
    for (int i = 1; i <= 4; i++) {
        char name[64];
        snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", i);
        char *s = entry(&out, name);
        assert_non_null(s);
        assert_non_null(strstr(s, "tabColor"));
        assert_non_null(strstr(s, "DRAFT</oddHeader>"));
        free(s);
    }
    char *strings = entry(&out, "xl/sharedStrings.xml");
    assert_non_null(strstr(strings, "two tests open"));
    free(strings);
    sb_release(&out);
    arena_release(&a);
}

static void test_well_formed(void **state)
{
    (void)state;
    if (system("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") != 0)
        skip();
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct sb out = SB_INIT;
    assert_int_equal(rpt_render_xlsx(sample_doc(&a, true), &out, &e), 0);
    char path[128], cmd[512];
    snprintf(path, sizeof(path), "/tmp/tillit-test-%d.xlsx", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(out.buf, 1, out.len, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import sys, zipfile, xml.dom.minidom as m\n"
             "z = zipfile.ZipFile(sys.argv[1])\n"
             "[m.parseString(z.read(n)) for n in z.namelist() if n.endswith(\"ml\") or "
             "n.endswith(\".rels\")]' '%s'",
             path);
    int rc = system(cmd);
    unlink(path);
    assert_int_equal(rc, 0);
    sb_release(&out);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheets),
        cmocka_unit_test(test_draft_on_every_sheet),
        cmocka_unit_test(test_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
