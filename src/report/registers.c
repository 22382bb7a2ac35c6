/* registers.c - the control matrix, the risk register, the workpapers. */
#include "report/registers.h"

#include <stdio.h>
#include <string.h>

static const char *tr(const char *lang, const char *en, const char *sv)
{
    return strcmp(lang, "sv") == 0 ? sv : en;
}

static const char *num(struct arena *a, int64_t v)
{
    return v < 0 ? "" : arena_printf(a, "%lld", (long long)v);
}

struct rpt_doc *rpt_control_matrix(struct arena *a, const struct app_report_data *d,
                                   const struct app_risk *risks, size_t n_risks, const char *lang)
{
    struct rpt_doc *doc = rpt_doc_new(a, tr(lang, "Control matrix", "Kontrollmatris"),
                                      arena_printf(a, "%s · %s", d->org.name, d->today), lang);
    rpt_heading(doc, 1, tr(lang, "Controls", "Kontroller"));
    rpt_para(doc, tr(lang, "%zu controls.", "%zu kontroller."), d->n_controls);
    const char *head[] = {tr(lang, "Code", "Kod"),
                          tr(lang, "Title", "Titel"),
                          tr(lang, "Description", "Beskrivning"),
                          tr(lang, "Owner", "Ägare"),
                          tr(lang, "Frequency", "Frekvens"),
                          tr(lang, "Nature", "Karaktär"),
                          tr(lang, "Type", "Typ"),
                          tr(lang, "Key", "Nyckel"),
                          tr(lang, "Status", "Status"),
                          tr(lang, "Criteria", "Kriterier"),
                          tr(lang, "Risks", "Risker")};
    struct rpt_block *t = rpt_table(doc, head, 11);
    for (size_t i = 0; i < d->n_controls; i++) {
        const struct app_control *c = &d->controls[i];
        struct sb crit = SB_INIT, rk = SB_INIT;
        for (size_t k = 0; k < c->n_criteria; k++)
            sb_addf(&crit, "%s%s", k ? ", " : "", c->criteria[k].criterion);
        for (size_t r = 0; r < n_risks; r++)
            for (size_t k = 0; k < risks[r].n_controls; k++)
                if (strcmp(risks[r].controls[k], c->code) == 0)
                    sb_addf(&rk, "%s%s", rk.len ? ", " : "", risks[r].code);
        rpt_table_row(doc, t,
                      (const char *[]){c->code, c->title, c->description, c->owner ? c->owner : "",
                                       c->frequency, c->nature, c->type,
                                       c->key ? tr(lang, "yes", "ja") : tr(lang, "no", "nej"),
                                       c->status, crit.buf, rk.buf});
        sb_release(&crit);
        sb_release(&rk);
    }
    return doc;
}

static void matrix(struct rpt_doc *doc, struct arena *a, const char *title, const int m[5][5],
                   const char *lang)
{
    rpt_heading(doc, 2, title);
    const char *head[] = {
        tr(lang, "Likelihood \\ impact", "Sannolikhet \\ konsekvens"), "1", "2", "3", "4", "5"};
    struct rpt_block *t = rpt_table(doc, head, 6);
    for (int l = 5; l >= 1; l--) {
        const char *row[6];
        row[0] = num(a, l);
        for (int i = 1; i <= 5; i++)
            row[i] = m[l - 1][i - 1] ? num(a, m[l - 1][i - 1]) : "·";
        rpt_table_row(doc, t, row);
    }
}

struct rpt_doc *rpt_risk_register(struct arena *a, const char *org_name, const char *date,
                                  const struct app_risk *risks, size_t n_risks,
                                  const struct app_risk_assessment *ra, const char *lang)
{
    struct rpt_doc *doc = rpt_doc_new(a, tr(lang, "Risk register", "Riskregister"),
                                      arena_printf(a, "%s · %s", org_name, date), lang);
    rpt_heading(doc, 1, tr(lang, "Risk assessment", "Riskbedömning"));
    rpt_para(doc,
             tr(lang, "%zu risks, %zu of them fraud risks; %zu with a residual assessment.",
                "%zu risker, varav %zu bedrägeririsker; %zu med bedömd restrisk."),
             ra->n_risks, ra->n_fraud, ra->n_assessed_residual);
    if (ra->fraud_missing)
        rpt_para(doc, "%s",
                 tr(lang, "No fraud risk is assessed (CC3.3).",
                    "Ingen bedrägeririsk är bedömd (CC3.3)."));
    if (ra->n_without_controls)
        rpt_para(doc, "%s: %s", tr(lang, "Risks without a control", "Risker utan kontroll"),
                 app_strs_join(a, ra->without_controls, ra->n_without_controls, ", "));
    if (ra->n_overdue)
        rpt_para(doc, "%s: %s", tr(lang, "Reviews overdue", "Försenade översyner"),
                 app_strs_join(a, ra->overdue, ra->n_overdue, ", "));
    matrix(doc, a, tr(lang, "Inherent risk", "Inneboende risk"), ra->inherent, lang);
    matrix(doc, a, tr(lang, "Residual risk", "Restrisk"), ra->residual, lang);
    rpt_heading(doc, 1, tr(lang, "Risks", "Risker"));
    const char *head[] = {tr(lang, "Code", "Kod"),
                          tr(lang, "Title", "Titel"),
                          tr(lang, "Category", "Kategori"),
                          "L",
                          "I",
                          tr(lang, "Inherent", "Inneboende"),
                          tr(lang, "Treatment", "Hantering"),
                          tr(lang, "Residual", "Rest"),
                          tr(lang, "Fraud", "Bedrägeri"),
                          tr(lang, "Owner", "Ägare"),
                          tr(lang, "Controls", "Kontroller"),
                          tr(lang, "Next review", "Nästa översyn")};
    struct rpt_block *t = rpt_table(doc, head, 12);
    for (size_t i = 0; i < n_risks; i++) {
        const struct app_risk *r = &risks[i];
        int residual = app_risk_residual(r);
        rpt_table_row(doc, t,
                      (const char *[]){r->code, r->title, r->category, num(a, r->likelihood),
                                       num(a, r->impact), num(a, app_risk_inherent(r)),
                                       r->treatment, residual ? num(a, residual) : "",
                                       r->is_fraud ? tr(lang, "yes", "ja") : "",
                                       r->owner ? r->owner : "",
                                       app_strs_join(a, r->controls, r->n_controls, ", "),
                                       r->next_review ? r->next_review : ""});
    }
    return doc;
}

struct rpt_doc *rpt_workpapers(struct arena *a, const struct app_report_data *d, const char *lang)
{
    const struct app_engagement *eng = d->eng;
    struct rpt_doc *doc = rpt_doc_new(
        a, tr(lang, "Test workpapers", "Testdokumentation"),
        arena_printf(a, "%s · %s · %s", d->org.name, eng ? eng->slug : "-", d->today), lang);
    if (!eng) {
        rpt_draft(doc, tr(lang, "DRAFT", "UTKAST"), tr(lang, "Open items", "Öppna punkter"),
                  (const char *[]){tr(lang, "No engagement: nothing has been tested.",
                                      "Inget uppdrag: inget har testats.")},
                  1);
        return doc;
    }
    if (strcmp(eng->phase, "concluded") != 0) {
        const char **open = arena_calloc(a, d->n_tests + 1, sizeof(char *));
        size_t n = 0;
        for (size_t i = 0; i < d->n_tests; i++)
            if (strcmp(d->tests[i].test->status, "concluded") != 0)
                open[n++] =
                    arena_printf(a, "%s: %s", d->tests[i].test->ref, d->tests[i].test->status);
        rpt_draft(doc, tr(lang, "DRAFT", "UTKAST"), tr(lang, "Open items", "Öppna punkter"), open,
                  n);
    }
    rpt_heading(doc, 1, tr(lang, "Tests", "Tester"));
    const char *th[] = {tr(lang, "Test", "Test"),          tr(lang, "Control", "Kontroll"),
                        tr(lang, "Kind", "Slag"),          tr(lang, "Method", "Metod"),
                        tr(lang, "Procedure", "Procedur"), tr(lang, "Population", "Population"),
                        tr(lang, "Sample", "Urval"),       tr(lang, "Seed", "Frö"),
                        tr(lang, "Tested", "Testade"),     tr(lang, "Exceptions", "Avvikelser"),
                        tr(lang, "Status", "Status"),      tr(lang, "Conclusion", "Slutsats")};
    struct rpt_block *t = rpt_table(doc, th, 12);
    for (size_t i = 0; i < d->n_tests; i++) {
        const struct app_test *x = d->tests[i].test;
        rpt_table_row(doc, t,
                      (const char *[]){x->ref, x->control, x->kind, x->method, x->steps,
                                       num(a, x->population_size), num(a, x->sample_size),
                                       x->seed ? x->seed : "", num(a, x->tested),
                                       num(a, x->exceptions), x->status,
                                       x->conclusion ? x->conclusion : ""});
    }
    rpt_heading(doc, 1, tr(lang, "Samples", "Urval"));
    const char *sh[] = {tr(lang, "Test", "Test"),       "#",
                        tr(lang, "Item", "Post"),       tr(lang, "Date", "Datum"),
                        tr(lang, "Result", "Resultat"), tr(lang, "Description", "Beskrivning"),
                        tr(lang, "Evidence", "Bevis"),  tr(lang, "Tested by", "Testad av"),
                        tr(lang, "Tested at", "Testad")};
    t = rpt_table(doc, sh, 9);
    for (size_t i = 0; i < d->n_tests; i++)
        for (size_t k = 0; k < d->tests[i].n_samples; k++) {
            const struct app_sample_item *s = &d->tests[i].samples[k];
            rpt_table_row(doc, t,
                          (const char *[]){d->tests[i].test->ref, num(a, s->pos), s->item,
                                           s->item_date ? s->item_date : "",
                                           s->result ? s->result : "", s->description, s->evidence,
                                           s->tested_by ? s->tested_by : "",
                                           s->tested_at ? s->tested_at : ""});
        }
    rpt_heading(doc, 1, tr(lang, "Findings", "Avvikelser"));
    const char *fh[] = {tr(lang, "Code", "Kod"),
                        tr(lang, "Title", "Titel"),
                        tr(lang, "Control", "Kontroll"),
                        tr(lang, "Severity", "Allvar"),
                        tr(lang, "Status", "Status"),
                        tr(lang, "Root cause", "Grundorsak"),
                        tr(lang, "Management's response", "Ledningens svar")};
    t = rpt_table(doc, fh, 7);
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct app_finding *f = &d->findings[i];
        rpt_table_row(doc, t,
                      (const char *[]){f->code, f->title, f->control ? f->control : "", f->severity,
                                       f->status, f->root_cause, f->response});
    }
    rpt_heading(doc, 1, tr(lang, "Remediation", "Åtgärder"));
    const char *rh[] = {tr(lang, "Code", "Kod"),      tr(lang, "Finding", "Avvikelse"),
                        tr(lang, "Action", "Åtgärd"), tr(lang, "Owner", "Ägare"),
                        tr(lang, "Due", "Förfaller"), tr(lang, "Status", "Status"),
                        tr(lang, "Retest", "Omtest")};
    t = rpt_table(doc, rh, 7);
    for (size_t i = 0; i < d->n_remediations; i++) {
        const struct app_remediation *r = &d->remediations[i];
        rpt_table_row(doc, t,
                      (const char *[]){r->code, r->finding, r->action, r->owner ? r->owner : "",
                                       r->due ? r->due : "", r->status,
                                       r->retest ? r->retest : ""});
    }
    return doc;
}
