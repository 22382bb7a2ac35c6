/* test_soc2.c - the SOC 2 report draft (report/soc2.c) and what it is
 * built from (app/report.c), on the demo organization with a Type II
 * engagement run through the testing API: sections I-V and DC1-DC9 in order,
 * Type II wording, tests and exceptions in section IV, the draft and its
 * open items, Swedish, broken templates; the registers; and the PDF of the
 * whole thing with every sample (TILLIT_TEST_KEEP=DIR keeps it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/demo.h"
#include "app/report.h"
#include "app/risk.h"
#include "base/crypto.h"
#include "report/registers.h"
#include "report/soc2.h"

struct fixture {
    char dir[64], path[128];
    struct app app;
    struct arena a;
    struct app_org org;
    struct app_who who;
    const char *slug;
};

/* A Type II engagement carried part of the way: every test planned, the
 * first six operating tests sampled and tested (one exception in the
 * second, with management's response), four of them concluded. */
static int make_engagement(struct fixture *f, struct err *e)
{
    struct app_engagement_in in = {.slug = "type2-2026",
                                   .kind = "type2",
                                   .period = "2026-01-01..2026-06-30",
                                   .firm = "Revisorerna AB",
                                   .itgc_reliance = -1};
    struct app_engagement eng;
    const char *warning = NULL;
    struct app_plan_result plan;
    struct app_test *tests = NULL;
    size_t n = 0;
    int rc = app_engagement_create(&f->app, &f->a, f->org.id, &f->who, &in, &eng, &warning, e);
    if (rc == 0)
        rc = app_test_plan(&f->app, &f->a, f->org.id, &f->who, in.slug, "en", &plan, e);
    if (rc == 0)
        rc = app_test_list(&f->app, &f->a, f->org.id, &f->who, in.slug, &tests, &n, e);
    const char *ids[30];
    for (int i = 0; i < 30; i++)
        ids[i] = arena_printf(&f->a, "ticket-%03d", i + 1);
    int done = 0;
    for (size_t i = 0; rc == 0 && i < n && done < 6; i++) {
        if (strcmp(tests[i].kind, "operating") != 0)
            continue;
        const char *ref = tests[i].ref;
        struct app_population_in pop = {.ids = ids, .n_ids = 30, .source = "tickets"};
        struct app_population_result pr;
        struct app_draw_result dr;
        rc = app_test_population(&f->app, &f->a, f->org.id, &f->who, ref, &pop, &pr, e);
        if (rc == 0)
            rc = app_sample_draw(&f->app, &f->a, f->org.id, &f->who, ref, "42", 5, &dr, e);
        for (size_t k = 0; rc == 0 && k < dr.n; k++) {
            bool bad = done == 1 && k == 0;
            struct app_result_in r = {.item = dr.items[k].item,
                                      .result = bad ? "exception" : "pass",
                                      .description = bad ? "approval missing on the ticket" : NULL};
            rc = app_test_result(&f->app, &f->a, f->org.id, &f->who, ref, &r, e);
        }
        struct app_conclude_result cr;
        if (rc == 0 && done < 4)
            rc = app_test_conclude(&f->app, &f->a, f->org.id, &f->who, ref, &cr, e);
        if (rc == 0 && done == 1 && cr.finding) {
            struct app_finding patch = {.response = "Approvals are now enforced by the tool."};
            rc = app_finding_edit(&f->app, &f->a, f->org.id, &f->who, cr.finding, &patch, e);
        }
        done++;
    }
    f->slug = in.slug;
    return rc;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct err e = ERR_INIT;
    snprintf(f->dir, sizeof(f->dir), "/tmp/tillit-soc2-XXXXXX");
    if (!f || !mkdtemp(f->dir) || crypto_init(&e))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    app_init(&f->app);
    snprintf(f->app.actor, sizeof(f->app.actor), "test");
    int from, to;
    const char *slug = NULL;
    struct app_demo_counts counts;
    f->who = (struct app_who){"admin", "test@example.com"};
    if (time_parse("2026-07-15T09:00:00Z", &f->app.now, &e) ||
        app_create_db(&f->app, f->path, &from, &to, &e) ||
        app_demo_create(&f->app, &f->a, NULL, &counts, &slug, &e) ||
        app_org_get(&f->app, &f->a, slug, &f->org, &e) || make_engagement(f, &e)) {
        fprintf(stderr, "setup: %s %s\n", e.where, e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    app_release(&f->app);
    arena_release(&f->a);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static const struct rpt_block *find_heading(const struct rpt_doc *d, const struct rpt_block *from,
                                            const char *prefix)
{
    for (const struct rpt_block *b = from ? from : d->first; b; b = b->next)
        if (b->kind == RPT_HEADING && strncmp(b->text, prefix, strlen(prefix)) == 0)
            return b;
    return NULL;
}

static bool doc_has(const struct rpt_doc *d, const char *needle)
{
    for (const struct rpt_block *b = d->first; b; b = b->next) {
        if (b->text && strstr(b->text, needle))
            return true;
        size_t n = b->kind == RPT_TABLE ? b->n_items * b->n_cols : b->n_items;
        if (b->kind != RPT_BARS)
            for (size_t i = 0; i < n; i++)
                if (strstr(b->items[i], needle))
                    return true;
    }
    return false;
}

static struct rpt_doc *build(struct fixture *f, const char *lang, bool samples,
                             struct app_report_data *d)
{
    struct err e = ERR_INIT;
    struct rpt_doc *doc = NULL;
    if (app_report_gather(&f->app, &f->a, &f->org, &f->who, NULL, d, &e) ||
        app_report_soc2(&f->app, &f->a, d, lang, samples, &doc, &e))
        fail_msg("%s %s", e.where, e.msg);
    return doc;
}

static void test_sections_in_order(void **state)
{
    struct fixture *f = *state;
    struct app_report_data d;
    struct rpt_doc *doc = build(f, "en", false, &d);
    assert_non_null(d.eng);
    assert_string_equal(d.eng->kind, "type2");
    assert_non_null(strstr(doc->title, "Type II"));
    const struct rpt_block *b = NULL;
    static const char *const order[] = {
        "I. Independent",
        "II. Management",
        "III. Description",
        "Services provided (DC1)",
        "Principal service commitments and system requirements (DC2)",
        "Components of the system (DC3)",
        "System incidents (DC4)",
        "Applicable criteria and related controls (DC5)",
        "Complementary user entity controls (DC6)",
        "Subservice organizations (DC7)",
        "Criteria not relevant to the system (DC8)",
        "Significant changes during the period (DC9)",
        "IV. Trust services criteria",
        "CC1.1",
        "CC9.2",
        "V. Other information"};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        b = find_heading(doc, b, order[i]);
        if (!b)
            fail_msg("heading '%s' missing or out of order", order[i]);
    }
    /* Type II wording, the period, carve-out and CSOCs of the demo (AWS). */
    assert_true(doc_has(doc, "throughout that period those controls worked as designed"));
    assert_true(doc_has(doc, "2026-01-01 – 2026-06-30"));
    assert_true(doc_has(doc, "DC1 to DC9"));
    assert_true(doc_has(doc, "No incident that caused a significant failure"));
    /* Section IV shows tests with their samples, and the planted exceptions. */
    assert_true(doc_has(doc, "of a population of"));
    assert_true(doc_has(doc, "Exceptions noted"));
    assert_false(doc_has(doc, "{{"));
}

static void test_draft_lists_open_items(void **state)
{
    struct fixture *f = *state;
    struct app_report_data d;
    struct rpt_doc *doc = build(f, "en", false, &d);
    bool concluded = strcmp(d.eng->phase, "concluded") == 0;
    assert_int_equal(doc->draft, !concluded);
    if (!concluded) {
        assert_string_equal(doc->draft_mark, "DRAFT");
        assert_true(doc->n_open_items >= 1);
        assert_non_null(strstr(doc->open_items[0], "is not concluded"));
    }
    /* Once concluded, the same report is final: no mark, no open items. */
    struct app_engagement done = *d.eng;
    done.phase = "concluded";
    d.eng = &done;
    struct err e0 = ERR_INIT;
    struct rpt_doc *final = NULL;
    assert_int_equal(app_report_soc2(&f->app, &f->a, &d, "en", false, &final, &e0), 0);
    assert_false(final->draft);
    assert_int_equal(final->n_open_items, 0);
    /* Without an engagement: a Type I draft that says so. */
    struct err e = ERR_INIT;
    struct app_report_data none;
    struct rpt_doc *d1 = NULL;
    assert_int_equal(app_report_gather(&f->app, &f->a, &f->org, &f->who, "", &none, &e), 0);
    assert_int_equal(app_report_soc2(&f->app, &f->a, &none, "en", false, &d1, &e), 0);
    assert_null(none.eng);
    assert_true(d1->draft);
    assert_non_null(strstr(d1->title, "Type I "));
    assert_non_null(strstr(d1->open_items[0], "No engagement"));
    assert_null(find_heading(d1, NULL, "Significant changes"));
}

static void test_swedish(void **state)
{
    struct fixture *f = *state;
    struct app_report_data d;
    struct rpt_doc *doc = build(f, "sv", false, &d);
    assert_non_null(strstr(doc->title, "typ II"));
    assert_non_null(find_heading(doc, NULL, "III. Beskrivning av systemet"));
    assert_non_null(find_heading(doc, NULL, "Underleverantörer (DC7)"));
    if (doc->draft)
        assert_string_equal(doc->draft_mark, "UTKAST");
}

static void test_broken_templates(void **state)
{
    struct fixture *f = *state;
    struct app_report_data d;
    struct err e = ERR_INIT;
    assert_int_equal(app_report_gather(&f->app, &f->a, &f->org, &f->who, NULL, &d, &e), 0);
    const char *real = NULL;
    size_t len = 0;
    assert_int_equal(app_content_read(&f->app, "report/soc2.yaml", &real, &len, &e), 0);
    char *text = arena_strdup(&f->a, real);
    char *at = strstr(text, "{{org.name}}: SOC 2");
    assert_non_null(at);
    memcpy(at, "{{org.nope}}", 12);
    struct rpt_soc2_in in = {.lang = "en",
                             .date = d.today,
                             .templates_path = "soc2.yaml",
                             .templates = text,
                             .templates_len = len,
                             .org = &d.org,
                             .catalog = d.catalog,
                             .scope = &d.scope,
                             .controls = d.controls,
                             .n_controls = d.n_controls,
                             .gap = &d.gap,
                             .eng = d.eng};
    struct rpt_doc *doc = NULL;
    assert_int_equal(rpt_soc2(&f->a, &in, &doc, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "org.nope"));
    static const char partial[] = "title: {en: Title}\n";
    in.templates = partial;
    in.templates_len = sizeof(partial) - 1;
    assert_int_equal(rpt_soc2(&f->a, &in, &doc, &e), TL_EINPUT);
    assert_non_null(strstr(e.msg, "missing text"));
}

static void test_registers(void **state)
{
    struct fixture *f = *state;
    struct app_report_data d;
    struct err e = ERR_INIT;
    build(f, "en", false, &d);
    struct app_risk *risks = NULL;
    size_t n = 0;
    assert_int_equal(app_risk_list(&f->app, &f->a, f->org.id, &risks, &n, &e), 0);
    struct rpt_doc *cm = rpt_control_matrix(&f->a, &d, risks, n, "en");
    const struct rpt_block *t = cm->first;
    while (t && t->kind != RPT_TABLE)
        t = t->next;
    assert_non_null(t);
    assert_int_equal(t->n_items, d.n_controls + 1);
    struct rpt_doc *wp = rpt_workpapers(&f->a, &d, "en");
    assert_true(doc_has(wp, "exception"));
    struct sb x = SB_INIT;
    assert_int_equal(rpt_render_xlsx(wp, &x, &e), 0);
    assert_true(x.len > 1000);
    sb_release(&x);
}

static void test_whole_report_as_pdf(void **state)
{
    struct fixture *f = *state;
    struct app_report_data d;
    struct rpt_doc *doc = build(f, "en", true, &d);
    assert_non_null(find_heading(doc, NULL, "Appendix: samples tested"));
    struct sb pdf = SB_INIT, docx = SB_INIT;
    struct err e = ERR_INIT;
    if (rpt_render_pdf(doc, &pdf, &e) || rpt_render_docx(doc, &docx, &e))
        fail_msg("%s", e.msg);
    assert_memory_equal(pdf.buf, "%PDF-", 5);
    const char *keep = getenv("TILLIT_TEST_KEEP");
    if (keep && *keep) {
        char path[256];
        snprintf(path, sizeof(path), "%s/soc2-type2.pdf", keep);
        if (sb_write_file(path, pdf.buf, pdf.len, &e) != 0)
            fail_msg("%s", e.msg);
        snprintf(path, sizeof(path), "%s/soc2-type2.docx", keep);
        if (sb_write_file(path, docx.buf, docx.len, &e) != 0)
            fail_msg("%s", e.msg);
    }
    sb_release(&pdf);
    sb_release(&docx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_in_order), cmocka_unit_test(test_draft_lists_open_items),
        cmocka_unit_test(test_swedish),           cmocka_unit_test(test_broken_templates),
        cmocka_unit_test(test_registers),         cmocka_unit_test(test_whole_report_as_pdf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
