/* risk.c - 'tillit risk list|show|add|edit|link|remove'. */
#include "cli/cli.h"

#include "app/risk.h"
#include "base/js.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>

/* Parses a 1-5 score option; NULL leaves *out unchanged. */
static int parse_score(const char *opt, const char *s, int *out, struct err *e)
{
    if (!s)
        return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 5)
        return ERR_SET(e, TL_EUSAGE, "option '--%s' must be a whole number from 1 to 5, not '%s'",
                       opt, s);
    *out = (int)v;
    return 0;
}

/* Options shared by add and edit; strings land in the struct, scores and
 * lists in the raw holder and are converted by apply_opts. */
struct risk_opts {
    struct app_risk r;
    const char *likelihood, *impact, *res_l, *res_i, *fraud, *no_fraud, *no_residual, *controls;
};

/* clang-format off */
#define RISK_FIELD_OPTS(o)                                                                         \
    {"title", true, &(o).r.title}, {"description", true, &(o).r.description},                      \
        {"category", true, &(o).r.category}, {"likelihood", true, &(o).likelihood},                \
        {"impact", true, &(o).impact}, {"treatment", true, &(o).r.treatment},                      \
        {"residual-likelihood", true, &(o).res_l}, {"residual-impact", true, &(o).res_i},          \
        {"fraud", false, &(o).fraud}, {"owner", true, &(o).r.owner},                               \
        {"next-review", true, &(o).r.next_review}, {"control", true, &(o).controls}
/* clang-format on */

static int apply_opts(struct cli_ctx *ctx, struct risk_opts *o)
{
    struct err *e = &ctx->e;
    if (parse_score("likelihood", o->likelihood, &o->r.likelihood, e) ||
        parse_score("impact", o->impact, &o->r.impact, e) ||
        parse_score("residual-likelihood", o->res_l, &o->r.residual_likelihood, e) ||
        parse_score("residual-impact", o->res_i, &o->r.residual_impact, e))
        return TL_EUSAGE;
    if (o->no_residual && (o->res_l || o->res_i))
        return ERR_SET(e, TL_EUSAGE, "give residual values or '--no-residual', not both");
    if (o->fraud && o->no_fraud)
        return ERR_SET(e, TL_EUSAGE, "give '--fraud' or '--no-fraud', not both");
    if (o->no_residual)
        o->r.residual_likelihood = o->r.residual_impact = APP_RISK_CLEAR;
    if (o->fraud)
        o->r.is_fraud = 1;
    if (o->no_fraud)
        o->r.is_fraud = APP_RISK_CLEAR;
    if (o->controls)
        cli_split_list(&ctx->arena, o->controls, &o->r.controls, &o->r.n_controls);
    return 0;
}

static const char *itoa_a(struct arena *a, int v)
{
    return arena_printf(a, "%d", v);
}

static void list_row(struct cli_table *t, struct arena *a, const struct app_risk *r)
{
    int inherent = app_risk_inherent(r), residual = app_risk_residual(r);
    cli_table_row(t, (const char *[]){
                         r->code, r->title, r->category, itoa_a(a, r->likelihood),
                         itoa_a(a, r->impact), itoa_a(a, inherent), dom_risk_band(inherent),
                         r->treatment, residual ? itoa_a(a, residual) : "", cli_yes_no(r->is_fraud),
                         r->owner ? r->owner : "", r->next_review ? r->next_review : "",
                         app_strs_join(a, r->controls, r->n_controls, ",")});
}

static int risk_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *fraud = NULL, *treatment = NULL;
    const struct cli_opt opts[] = {{"fraud", false, &fraud}, {"treatment", true, &treatment}, {0}};
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt))
        return EXIT_USAGE;
    if (treatment && dom_enum_check(dom_treatments, treatment, "treatment", &ctx->e))
        return EXIT_USAGE;
    struct app_risk *risks;
    size_t n;
    int rc = app_risk_list(&ctx->app, &ctx->arena, ctx->org.id, &risks, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"code", "title", "category", "likelihood", "impact", "inherent",
                                    "band", "treatment", "residual", "fraud", "owner",
                                    "next_review", "controls", NULL});
    for (size_t i = 0; i < n; i++)
        if ((!fraud || risks[i].is_fraud) &&
            (!treatment || strcmp(treatment, risks[i].treatment) == 0))
            list_row(&t, &ctx->arena, &risks[i]);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static json_t *risk_json(const struct app_risk *r)
{
    int inherent = app_risk_inherent(r), residual = app_risk_residual(r);
    json_t *j = json_object();
    js_set_str(j, "code", r->code);
    js_set_str(j, "title", r->title);
    js_set_str(j, "description", r->description);
    js_set_str(j, "category", r->category);
    json_object_set_new(j, "likelihood", json_integer(r->likelihood));
    json_object_set_new(j, "impact", json_integer(r->impact));
    json_object_set_new(j, "inherent", json_integer(inherent));
    js_set_str(j, "band", dom_risk_band(inherent));
    js_set_str(j, "treatment", r->treatment);
    json_object_set_new(j, "residual_likelihood",
                        residual ? json_integer(r->residual_likelihood) : json_null());
    json_object_set_new(j, "residual_impact",
                        residual ? json_integer(r->residual_impact) : json_null());
    json_object_set_new(j, "residual", residual ? json_integer(residual) : json_null());
    js_set_str(j, "residual_band", residual ? dom_risk_band(residual) : NULL);
    json_object_set_new(j, "fraud", json_boolean(r->is_fraud));
    js_set_str(j, "owner", r->owner);
    js_set_str(j, "next_review", r->next_review);
    json_t *c = json_array();
    for (size_t i = 0; i < r->n_controls; i++)
        json_array_append_new(c, json_string(r->controls[i]));
    json_object_set_new(j, "controls", c);
    json_object_set_new(j, "version", json_integer(r->version));
    return j;
}

static void print_risk(FILE *out, struct arena *a, const struct app_risk *r)
{
    int inherent = app_risk_inherent(r), residual = app_risk_residual(r);
    fprintf(out,
            "code:         %s\ntitle:        %s\ndescription:  %s\ncategory:     %s\n"
            "likelihood:   %d\nimpact:       %d\ninherent:     %d (%s)\ntreatment:    %s\n",
            r->code, r->title, r->description, r->category, r->likelihood, r->impact, inherent,
            dom_risk_band(inherent), r->treatment);
    if (residual)
        fprintf(out, "residual:     %d (%s; likelihood %d, impact %d)\n", residual,
                dom_risk_band(residual), r->residual_likelihood, r->residual_impact);
    else
        fprintf(out, "residual:     (not assessed)\n");
    fprintf(out, "fraud:        %s\nowner:        %s\nnext review:  %s\ncontrols:     %s\n",
            cli_yes_no(r->is_fraud), r->owner ? r->owner : "(unassigned)",
            r->next_review ? r->next_review : "",
            app_strs_join(a, r->controls, r->n_controls, ", "));
    fprintf(out, "version:      %lld\n", (long long)r->version);
}

static int risk_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *code;
    enum cli_format fmt;
    if (cli_parse_show(ctx, argc, argv, &code, &fmt, "risk show CODE [--format table|json]"))
        return EXIT_USAGE;
    struct app_risk r;
    int rc = app_risk_get(&ctx->app, &ctx->arena, ctx->org.id, code, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON)
        cli_print_json(ctx->out, risk_json(&r));
    else
        print_risk(ctx->out, &ctx->arena, &r);
    return EXIT_OK;
}

static int risk_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct risk_opts o = {0};
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {RISK_FIELD_OPTS(o), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || apply_opts(ctx, &o))
        return EXIT_USAGE;
    if (n_pos != 1 || !o.r.title || !o.likelihood || !o.impact || !o.r.treatment)
        return cli_usage(ctx, "risk add CODE --title T --likelihood N --impact N --treatment T "
                              "[options]");
    o.r.code = pos[0];
    int rc = app_risk_create(&ctx->app, &ctx->arena, ctx->org.id, &o.r, &ctx->e);
    int inherent = app_risk_inherent(&o.r);
    return cli_done(ctx, rc, "added risk '%s' (inherent %d, %s)", o.r.code, inherent,
                    dom_risk_band(inherent));
}

static int risk_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct risk_opts o = {0};
    const char *if_version = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {RISK_FIELD_OPTS(o),
                                   {"no-fraud", false, &o.no_fraud},
                                   {"no-residual", false, &o.no_residual},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || apply_opts(ctx, &o) ||
        cli_if_version(if_version, &o.r.version, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1)
        return cli_usage(ctx, "risk edit CODE [--title T] [options]");
    int rc = app_risk_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &o.r, &ctx->e);
    return cli_done(ctx, rc, "updated risk '%s'", pos[0]);
}

static int risk_link(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *link = NULL, *unlink = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"control", true, &link}, {"unlink", true, &unlink}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !link == !unlink)
        return cli_usage(ctx, "risk link CODE --control CODE[,CODE...] | --unlink CODE[,CODE...]");
    const char **codes;
    size_t n;
    cli_split_list(&ctx->arena, link ? link : unlink, &codes, &n);
    if (n == 0) {
        ERR_SET(&ctx->e, TL_EUSAGE, "option '--%s' needs at least one control code",
                link ? "control" : "unlink");
        return EXIT_USAGE;
    }
    int rc = link ? app_risk_link(&ctx->app, &ctx->arena, ctx->org.id, pos[0], codes, n, &ctx->e)
                  : app_risk_unlink(&ctx->app, &ctx->arena, ctx->org.id, pos[0], codes, n, &ctx->e);
    return cli_done(ctx, rc, "%s risk '%s' %s control%s %s", link ? "linked" : "unlinked", pos[0],
                    link ? "to" : "from", n > 1 ? "s" : "",
                    app_strs_join(&ctx->arena, codes, n, ", "));
}

static int risk_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "risk remove CODE"))
        return EXIT_USAGE;
    int rc = app_risk_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed risk '%s'", pos[0]);
}

int cmd_risk(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"list", risk_list},         {"show", risk_show},
                                            {"add", risk_add},           {"edit", risk_edit},
                                            {"link", risk_link},         {"remove", risk_remove},
                                            {"matrix", cli_risk_matrix}, {NULL, NULL}};
    return cli_dispatch(ctx, "risk", verbs, argc, argv);
}
