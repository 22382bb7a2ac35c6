/* catalog.c - 'tillit catalog frameworks|criteria|show'. */
#include "cli/cli.h"

#include "base/js.h"

#include <string.h>
#include <strings.h>

static const char *const category_ids[] = {"security", "availability", "processing-integrity",
                                           "confidentiality", "privacy", NULL};

static json_t *text_json(const struct dom_text *t)
{
    json_t *o = json_object();
    js_set_str(o, "en", t->en);
    js_set_str(o, "sv", t->sv);
    return o;
}

static json_t *pof_json(const struct dom_pof *p)
{
    json_t *o = json_object();
    js_set_str(o, "id", p->id);
    js_set_str(o, "kind", dom_pof_kind_name(p->kind));
    json_t *ap = json_array();
    for (size_t i = 0; i < p->n_applies_to; i++)
        json_array_append_new(ap, json_string(p->applies_to[i]));
    json_object_set_new(o, "applies_to", ap);
    json_object_set_new(o, "title", text_json(&p->title));
    json_object_set_new(o, "text", text_json(&p->text));
    return o;
}

static json_t *criterion_json(const struct dom_catalog *c, const struct dom_criterion *cr)
{
    json_t *o = json_object();
    js_set_str(o, "id", cr->id);
    js_set_str(o, "framework", c->id);
    js_set_str(o, "category", cr->category);
    js_set_str(o, "series", cr->series);
    json_object_set_new(o, "title", text_json(&cr->title));
    json_object_set_new(o, "summary", text_json(&cr->summary));
    if (cr->principle) {
        json_t *p = json_object();
        json_object_set_new(p, "number", json_integer(cr->principle->number));
        js_set_str(p, "component", cr->principle->component);
        json_object_set_new(p, "title", text_json(&cr->principle->title));
        json_object_set_new(o, "coso_principle", p);
    } else {
        json_object_set_new(o, "coso_principle", json_null());
    }
    json_t *pofs = json_array();
    for (size_t i = 0; i < cr->n_pofs; i++)
        json_array_append_new(pofs, pof_json(&cr->pofs[i]));
    json_object_set_new(o, "points_of_focus", pofs);
    return o;
}

static int list_frameworks(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    const struct dom_catalog *c;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    int rc = app_catalog(&ctx->app, &c, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, (const char *[]){"id", "name", "version", "items", NULL});
    char n1[32], n2[32];
    snprintf(n1, sizeof(n1), "%zu", c->n_criteria);
    snprintf(n2, sizeof(n2), "%zu", c->n_principles);
    cli_table_row(&t, (const char *[]){c->id, dom_text_get(&c->name, ctx->lang), c->version, n1});
    cli_table_row(&t, (const char *[]){c->coso_id, dom_text_get(&c->coso_name, ctx->lang), "2013",
                                       n2});
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int check_category(struct cli_ctx *ctx, const char *cat)
{
    for (const char *const *p = category_ids; *p; p++)
        if (strcmp(*p, cat) == 0)
            return 0;
    ERR_SET(&ctx->e, TL_EUSAGE,
            "unknown category '%s' (expected one of: security, availability, "
            "processing-integrity, confidentiality, privacy)",
            cat);
    return TL_EUSAGE;
}

static int list_criteria(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *framework = NULL, *category = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format},
                                   {"framework", true, &framework},
                                   {"category", true, &category},
                                   {0}};
    enum cli_format fmt;
    const struct dom_catalog *c;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e) || (category && check_category(ctx, category)))
        return EXIT_USAGE;
    int rc = app_catalog(&ctx->app, &c, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (framework && strcmp(framework, c->id) != 0 && strcmp(framework, c->coso_id) != 0) {
        ERR_SET(&ctx->e, TL_EUSAGE, "unknown framework '%s' (expected one of: %s, %s)", framework,
                c->id, c->coso_id);
        return EXIT_USAGE;
    }
    bool coso = framework && strcmp(framework, c->coso_id) == 0;
    json_t *arr = json_array();
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"id", "category", "coso", "points_of_focus", "title", NULL});
    for (size_t i = 0; i < c->n_criteria; i++) {
        const struct dom_criterion *cr = &c->criteria[i];
        if ((category && strcmp(cr->category, category) != 0) || (coso && !cr->principle))
            continue;
        if (fmt == FMT_JSON) {
            json_array_append_new(arr, criterion_json(c, cr));
            continue;
        }
        char n[32], p[16] = "";
        snprintf(n, sizeof(n), "%zu", cr->n_pofs);
        if (cr->principle)
            snprintf(p, sizeof(p), "P%d", cr->principle->number);
        cli_table_row(&t, (const char *[]){cr->id, cr->category, p, n,
                                           dom_text_get(&cr->title, ctx->lang)});
    }
    if (fmt == FMT_JSON)
        cli_print_json(ctx->out, arr);
    else {
        json_decref(arr);
        cli_table_print(&t, fmt, ctx->out);
    }
    return EXIT_OK;
}

static void show_criterion_text(struct cli_ctx *ctx, const struct dom_criterion *cr)
{
    FILE *out = ctx->out;
    fprintf(out, "%s  %s\n", cr->id, dom_text_get(&cr->title, ctx->lang));
    fprintf(out, "category: %s   series: %s\n", cr->category, cr->series);
    if (cr->principle)
        fprintf(out, "COSO 2013 principle %d: %s\n", cr->principle->number,
                dom_text_get(&cr->principle->title, ctx->lang));
    fprintf(out, "\n%s\n\npoints of focus (%zu):\n", dom_text_get(&cr->summary, ctx->lang),
            cr->n_pofs);
    for (size_t i = 0; i < cr->n_pofs; i++) {
        const struct dom_pof *p = &cr->pofs[i];
        fprintf(out, "  %-12s [%s", p->id, dom_pof_kind_name(p->kind));
        for (size_t k = 0; k < p->n_applies_to; k++)
            fprintf(out, "%s%s", k ? "," : ": ", p->applies_to[k]);
        fprintf(out, "] %s\n               %s\n", dom_text_get(&p->title, ctx->lang),
                dom_text_get(&p->text, ctx->lang));
    }
}

static int show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    const struct dom_catalog *c;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 3, &fmt, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit catalog show ID");
        return EXIT_USAGE;
    }
    int rc = app_catalog(&ctx->app, &c, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const struct dom_criterion *cr = dom_catalog_criterion(c, pos[0]);
    const struct dom_pof *pof = cr ? NULL : dom_catalog_pof(c, pos[0], &cr);
    if (!cr) {
        ERR_SET(&ctx->e, TL_ENOTFOUND,
                "no criterion or point of focus '%s' in %s (see 'tillit catalog criteria')",
                pos[0], c->id);
        return EXIT_USAGE;
    }
    if (fmt == FMT_JSON)
        cli_print_json(ctx->out, pof ? pof_json(pof) : criterion_json(c, cr));
    else if (pof)
        fprintf(ctx->out, "%s  [%s] %s\n%s\n(point of focus of %s: %s)\n", pof->id,
                dom_pof_kind_name(pof->kind), dom_text_get(&pof->title, ctx->lang),
                dom_text_get(&pof->text, ctx->lang), cr->id, dom_text_get(&cr->title, ctx->lang));
    else
        show_criterion_text(ctx, cr);
    return EXIT_OK;
}

int cmd_catalog(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "frameworks") == 0)
        return list_frameworks(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "criteria") == 0)
        return list_criteria(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "show") == 0)
        return show(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "frameworks, criteria, show");
}
