/* gap.c - 'tillit gap' and 'tillit readiness'. */
#include "cli/cli.h"

#include "app/gap.h"
#include "base/js.h"
#include "report/readiness.h"

#include <stdlib.h>
#include <string.h>

#define GAP_FORMATS ((1u << FMT_TABLE) | (1u << FMT_JSON) | (1u << FMT_CSV) | (1u << FMT_MD) | \
                     (1u << FMT_HTML))

static json_t *codes_json(const char *const *codes, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(codes[i]));
    return arr;
}

static json_t *pof_json(const struct gap_pof *p)
{
    json_t *o = json_object();
    js_set_str(o, "id", p->pof->id);
    js_set_str(o, "kind", dom_pof_kind_name(p->pof->kind));
    json_object_set_new(o, "applicable", json_boolean(p->applicable));
    js_set_str(o, "state", gap_state_name(p->state));
    js_set_str(o, "not_applicable_reason", p->na_reason);
    json_object_set_new(o, "controls", codes_json(p->controls, p->n_controls));
    return o;
}

static json_t *criterion_json(const struct gap_criterion *gc)
{
    json_t *o = json_object();
    js_set_str(o, "id", gc->criterion->id);
    js_set_str(o, "category", gc->criterion->category);
    js_set_str(o, "series", gc->criterion->series);
    js_set_str(o, "state", gap_state_name(gc->state));
    js_set_str(o, "not_applicable_reason", gc->na_reason);
    json_object_set_new(o, "score", json_real(gc->score));
    json_object_set_new(o, "controls", codes_json(gc->controls, gc->n_controls));
    json_object_set_new(o, "pofs_applicable", json_integer((json_int_t)gc->pofs_applicable));
    json_object_set_new(o, "pofs_covered", json_integer((json_int_t)gc->pofs_covered));
    json_t *pofs = json_array();
    for (size_t i = 0; i < gc->n_pofs; i++)
        json_array_append_new(pofs, pof_json(&gc->pofs[i]));
    json_object_set_new(o, "points_of_focus", pofs);
    return o;
}

static json_t *score_json(const struct gap_score *s)
{
    json_t *o = json_object();
    js_set_str(o, "key", s->key);
    json_object_set_new(o, "score", json_real(s->score));
    json_object_set_new(o, "criteria", json_integer((json_int_t)s->criteria));
    json_t *by = json_object();
    for (int st = 0; st <= GAP_NOT_APPLICABLE; st++)
        json_object_set_new(by, gap_state_name((enum gap_state)st),
                            json_integer((json_int_t)s->by_state[st]));
    json_object_set_new(o, "by_state", by);
    return o;
}

static json_t *scores_json(const struct gap_score *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, score_json(&s[i]));
    return arr;
}

static json_t *readiness_json(const struct gap_result *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "overall", score_json(&g->overall));
    json_object_set_new(o, "categories", scores_json(g->categories, g->n_categories));
    json_object_set_new(o, "coso_components", scores_json(g->components, g->n_components));
    json_object_set_new(o, "series", scores_json(g->series, g->n_series));
    json_object_set_new(o, "gaps_criteria", json_integer((json_int_t)g->gaps_criteria));
    json_object_set_new(o, "gaps_points_of_focus", json_integer((json_int_t)g->gaps_pofs));
    return o;
}

static json_t *suggestions_json(const struct app_suggestion *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        js_set_str(o, "code", s[i].code);
        js_set_str(o, "title", s[i].title);
        json_object_set_new(o, "closes_criteria", json_integer((json_int_t)s[i].closes_criteria));
        json_object_set_new(o, "closes_points_of_focus",
                            json_integer((json_int_t)s[i].closes_pofs));
        js_set_str(o, "closes", s[i].closes);
        json_array_append_new(arr, o);
    }
    return arr;
}

struct gap_view {
    struct gap_result g;
    struct app_suggestion *sugg;
    size_t n_sugg;
    const struct dom_catalog *catalog;
};

static int run_gap(struct cli_ctx *ctx, bool suggest, struct gap_view *v)
{
    int rc = app_catalog(&ctx->app, &v->catalog, &ctx->e);
    if (rc == 0)
        rc = app_gap(&ctx->app, &ctx->arena, ctx->org.id, &v->g, &ctx->e);
    if (rc == 0 && suggest)
        rc = app_gap_suggest(&ctx->app, &ctx->arena, &v->g, ctx->org.id, ctx->lang, 20, &v->sugg,
                             &v->n_sugg, &ctx->e);
    return rc;
}

static int print_doc(struct cli_ctx *ctx, const struct gap_view *v, enum cli_format fmt)
{
    char today[DATE_BUF];
    date_format(time_date(ctx->app.now), today);
    struct rpt_doc *d = rpt_readiness(&ctx->arena, v->catalog, &v->g, ctx->org.name, today,
                                      ctx->lang, v->sugg, v->n_sugg);
    struct sb sb = SB_INIT;
    if (fmt == FMT_HTML)
        rpt_render_html(d, &sb);
    else
        rpt_render_md(d, &sb);
    fwrite(sb.buf, 1, sb.len, ctx->out);
    sb_release(&sb);
    return EXIT_OK;
}

static void gap_rows(struct cli_ctx *ctx, const struct gap_result *g, const char *state,
                     struct cli_table *t)
{
    for (size_t i = 0; i < g->n_criteria; i++) {
        const struct gap_criterion *gc = &g->criteria[i];
        if (state && strcmp(state, gap_state_name(gc->state)) != 0)
            continue;
        struct sb ctl = SB_INIT;
        for (size_t k = 0; k < gc->n_controls; k++)
            sb_addf(&ctl, "%s%s", k ? "," : "", gc->controls[k]);
        char *score = arena_printf(&ctx->arena, "%.0f", gc->score * 100);
        char *pofs = arena_printf(&ctx->arena, "%zu/%zu", gc->pofs_covered, gc->pofs_applicable);
        cli_table_row(t, (const char *[]){gc->criterion->id, gc->criterion->category,
                                          gap_state_name(gc->state), score, pofs, ctl.buf});
        sb_release(&ctl);
    }
}

static int check_state(struct cli_ctx *ctx, const char *state)
{
    for (int s = 0; s <= GAP_NOT_APPLICABLE; s++)
        if (strcmp(state, gap_state_name((enum gap_state)s)) == 0)
            return 0;
    ERR_SET(&ctx->e, TL_EUSAGE,
            "unknown state '%s' (expected one of: none, designed, implemented, "
            "operating-unverified, operating, not-applicable)",
            state);
    return TL_EUSAGE;
}

static int gap_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *suggest = NULL, *state = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {
        {"format", true, &format}, {"suggest", false, &suggest}, {"state", true, &state}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, GAP_FORMATS, &fmt, &ctx->e) || (state && check_state(ctx, state)))
        return EXIT_USAGE;
    struct gap_view v = {0};
    int rc = run_gap(ctx, suggest != NULL, &v);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_HTML || fmt == FMT_MD)
        return print_doc(ctx, &v, fmt);
    if (fmt == FMT_JSON) {
        json_t *o = json_object();
        js_set_str(o, "organization", ctx->org.slug);
        json_t *arr = json_array();
        for (size_t i = 0; i < v.g.n_criteria; i++)
            if (!state || strcmp(state, gap_state_name(v.g.criteria[i].state)) == 0)
                json_array_append_new(arr, criterion_json(&v.g.criteria[i]));
        json_object_set_new(o, "criteria", arr);
        json_object_set_new(o, "readiness", readiness_json(&v.g));
        if (suggest)
            json_object_set_new(o, "suggestions", suggestions_json(v.sugg, v.n_sugg));
        cli_print_json(ctx->out, o);
        return EXIT_OK;
    }
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"criterion", "category", "state", "score", "pofs",
                                    "controls", NULL});
    gap_rows(ctx, &v.g, state, &t);
    cli_table_print(&t, fmt, ctx->out);
    if (suggest && fmt == FMT_TABLE) {
        struct cli_table s;
        cli_table_init(&s, &ctx->arena,
                       (const char *[]){"suggested", "closes_criteria", "closes_pofs", "title",
                                        NULL});
        for (size_t i = 0; i < v.n_sugg; i++) {
            char *cc = arena_printf(&ctx->arena, "%zu", v.sugg[i].closes_criteria);
            char *cp = arena_printf(&ctx->arena, "%zu", v.sugg[i].closes_pofs);
            cli_table_row(&s, (const char *[]){v.sugg[i].code, cc, cp, v.sugg[i].title});
        }
        fputc('\n', ctx->out);
        cli_table_print(&s, fmt, ctx->out);
    }
    return EXIT_OK;
}

static int gap_na(int argc, const char **argv, struct cli_ctx *ctx, bool clear)
{
    const char *reason = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"reason", true, &reason}, {0}};
    if (cli_parse(argc, argv, clear ? NULL : opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, clear ? "usage: tillit gap applicable ID"
                                          : "usage: tillit gap na ID --reason TEXT");
        return EXIT_USAGE;
    }
    int rc = clear ? app_gap_clear_na(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e)
                   : app_gap_set_na(&ctx->app, &ctx->arena, ctx->org.id, pos[0], reason, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, clear ? "'%s' is applicable again\n" : "marked '%s' not applicable\n",
            pos[0]);
    return EXIT_OK;
}

int cmd_gap(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "na") == 0)
        return gap_na(argc - 1, argv + 1, ctx, false);
    if (verb && strcmp(verb, "applicable") == 0)
        return gap_na(argc - 1, argv + 1, ctx, true);
    if (verb && verb[0] != '-')
        return cli_bad_verb(ctx, verb, "na, applicable (or options of 'tillit gap')");
    return gap_show(argc, argv, ctx);
}

static void readiness_rows(struct cli_table *t, struct cli_ctx *ctx, const char *kind,
                           const struct gap_score *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *score = arena_printf(&ctx->arena, "%.1f", s[i].score);
        char *crit = arena_printf(&ctx->arena, "%zu", s[i].criteria);
        char *gaps = arena_printf(&ctx->arena, "%zu", s[i].by_state[GAP_NONE]);
        char *unv = arena_printf(&ctx->arena, "%zu", s[i].by_state[GAP_UNVERIFIED]);
        cli_table_row(t, (const char *[]){kind, s[i].key, score, crit, gaps, unv});
    }
}

int cmd_readiness(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_formats(ctx, argc, argv, NULL, GAP_FORMATS, &fmt))
        return EXIT_USAGE;
    struct gap_view v = {0};
    int rc = run_gap(ctx, fmt == FMT_HTML || fmt == FMT_MD, &v);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_HTML || fmt == FMT_MD)
        return print_doc(ctx, &v, fmt);
    if (fmt == FMT_JSON) {
        cli_print_json(ctx->out, readiness_json(&v.g));
        return EXIT_OK;
    }
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"scope", "key", "score", "criteria", "gaps", "unverified",
                                    NULL});
    readiness_rows(&t, ctx, "overall", &v.g.overall, 1);
    readiness_rows(&t, ctx, "category", v.g.categories, v.g.n_categories);
    readiness_rows(&t, ctx, "coso", v.g.components, v.g.n_components);
    readiness_rows(&t, ctx, "series", v.g.series, v.g.n_series);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}
