/* readiness.c - the readiness report. */
#include "report/readiness.h"

#include <stdio.h>
#include <string.h>

static const char *tr(const char *lang, const char *en, const char *sv)
{
    return strcmp(lang, "sv") == 0 ? sv : en;
}

static void score_bars(struct rpt_doc *d, struct arena *a, const char *title,
                       const struct gap_score *s, size_t n, const char *(*label)(const void *,
                                                                               const char *),
                       const void *ctx)
{
    const char **labels = arena_calloc(a, n + 1, sizeof(char *));
    double *values = arena_calloc(a, n + 1, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        labels[i] = label ? label(ctx, s[i].key) : s[i].key;
        values[i] = s[i].score;
    }
    rpt_bars(d, title, labels, values, n);
}

struct label_ctx {
    const struct dom_catalog *c;
    const char *lang;
};

static const char *category_label(const void *ctx, const char *key)
{
    const struct label_ctx *lc = ctx;
    const struct dom_category *cat = dom_catalog_category(lc->c, key);
    return cat ? dom_text_get(&cat->name, lc->lang) : key;
}

static const char *component_label(const void *ctx, const char *key)
{
    const struct label_ctx *lc = ctx;
    const struct dom_coso_component *comp = dom_catalog_component(lc->c, key);
    return comp ? dom_text_get(&comp->name, lc->lang) : key;
}

static void gap_table(struct rpt_doc *d, struct arena *a, const struct gap_result *g,
                      const char *lang)
{
    const char *head[] = {tr(lang, "Criterion", "Kriterium"), tr(lang, "State", "Status"),
                          tr(lang, "Score", "Poäng"), tr(lang, "Points of focus", "Fokuspunkter"),
                          tr(lang, "Controls", "Kontroller")};
    struct rpt_block *t = rpt_table(d, head, 5);
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        struct sb ctl = SB_INIT;
        for (size_t k = 0; k < gc->n_controls; k++)
            sb_addf(&ctl, "%s%s", k ? ", " : "", gc->controls[k]);
        char *crit = arena_printf(a, "%s %s", gc->criterion->id,
                                  dom_text_get(&gc->criterion->title, lang));
        char *score = arena_printf(a, "%.0f%%", gc->score * 100);
        char *pofs = arena_printf(a, "%zu/%zu", gc->pofs_covered, gc->pofs_applicable);
        rpt_table_row(d, t,
                      (const char *[]){crit, gap_state_name(gc->state),
                                       gc->state == GAP_NOT_APPLICABLE ? "n/a" : score, pofs,
                                       ctl.buf});
        sb_release(&ctl);
    }
}

static void open_items(struct rpt_doc *d, struct arena *a, const struct gap_result *g,
                       const char *lang)
{
    size_t n = 0;
    const char **items = arena_calloc(a, g->gaps_criteria + g->gaps_pofs + 1, sizeof(char *));
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        if (gc->state == GAP_NONE)
            items[n++] = arena_printf(a, "%s — %s", gc->criterion->id,
                                      dom_text_get(&gc->criterion->title, lang));
        for (size_t p = 0; p < gc->n_pofs; p++)
            if (gc->pofs[p].applicable && gc->pofs[p].state == GAP_NONE)
                items[n++] = arena_printf(a, "%s — %s", gc->pofs[p].pof->id,
                                          dom_text_get(&gc->pofs[p].pof->title, lang));
    }
    if (n)
        rpt_list(d, items, n);
    else
        rpt_para(d, "%s", tr(lang, "No open gaps.", "Inga öppna luckor."));
}

struct rpt_doc *rpt_readiness(struct arena *a, const struct dom_catalog *c,
                              const struct gap_result *g, const char *org_name,
                              const char *date, const char *lang,
                              const struct app_suggestion *sugg, size_t n_sugg)
{
    struct label_ctx lc = {c, lang};
    char *sub = arena_printf(a, "%s · %s", org_name, date);
    struct rpt_doc *d =
        rpt_doc_new(a, tr(lang, "SOC 2 readiness", "SOC 2-beredskap"), sub, lang);
    rpt_para(d, tr(lang, "Overall readiness: %.0f%% over %zu applicable criteria. Open gaps: %zu "
                         "criteria and %zu points of focus.",
                   "Total beredskap: %.0f %% över %zu tillämpliga kriterier. Öppna luckor: %zu "
                   "kriterier och %zu fokuspunkter."),
             g->overall.score, g->overall.criteria, g->gaps_criteria, g->gaps_pofs);
    rpt_para(d, "%s",
             tr(lang,
                "A criterion earns 0.5 when its best control is designed, 0.75 when implemented "
                "(or operating without evidence for the period), 1.0 when operating with "
                "evidence, scaled by 0.5 + 0.5 x the share of its applicable points of focus "
                "covered. Scores are averages over applicable criteria.",
                "Ett kriterium får 0,5 när dess bästa kontroll är utformad, 0,75 när den är "
                "införd (eller i drift utan bevis för perioden) och 1,0 när den är i drift med "
                "bevis, multiplicerat med 0,5 + 0,5 x andelen täckta tillämpliga fokuspunkter. "
                "Poängen är medelvärden över tillämpliga kriterier."));
    score_bars(d, a, tr(lang, "Readiness by category", "Beredskap per kategori"), g->categories,
               g->n_categories, category_label, &lc);
    score_bars(d, a, tr(lang, "Readiness by COSO component", "Beredskap per COSO-komponent"),
               g->components, g->n_components, component_label, &lc);
    score_bars(d, a, tr(lang, "Readiness by series", "Beredskap per serie"), g->series,
               g->n_series, NULL, NULL);
    rpt_heading(d, 1, tr(lang, "Criteria", "Kriterier"));
    gap_table(d, a, g, lang);
    rpt_heading(d, 1, tr(lang, "Open gaps", "Öppna luckor"));
    open_items(d, a, g, lang);
    if (n_sugg) {
        rpt_heading(d, 1, tr(lang, "Suggested controls", "Föreslagna kontroller"));
        struct rpt_block *t = rpt_table(
            d, (const char *[]){tr(lang, "Control", "Kontroll"), tr(lang, "Title", "Titel"),
                                tr(lang, "Closes", "Stänger")},
            3);
        for (size_t i = 0; i < n_sugg; i++)
            rpt_table_row(d, t, (const char *[]){sugg[i].code, sugg[i].title, sugg[i].closes});
    }
    return d;
}
