/* org.c - 'tillit org create|list|show|edit'. */
#include "cli/cli.h"

#include "base/js.h"

static json_t *org_json(const struct app_org *o)
{
    json_t *j = json_object();
    js_set_str(j, "slug", o->slug);
    js_set_str(j, "name", o->name);
    js_set_str(j, "legal_name", o->legal_name);
    js_set_str(j, "description", o->description);
    js_set_str(j, "industry", o->industry);
    js_set_str(j, "country", o->country);
    js_set_str(j, "language", o->language);
    return j;
}

/* The editable fields, shared by create and edit. */
#define ORG_FIELD_OPTS(o)                                                                          \
    {"name", true, &(o).name}, {"legal-name", true, &(o).legal_name},                              \
        {"description", true, &(o).description}, {"industry", true, &(o).industry},                \
        {"country", true, &(o).country}, {"language", true, &(o).language}

static int org_create(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_org in = {0}, out = {0};
    const char *pos[1];
    const struct cli_opt opts[] = {ORG_FIELD_OPTS(in), {0}};
    static const char usage[] = "org create SLUG --name NAME [options]";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, usage))
        return EXIT_USAGE;
    if (!in.name)
        return cli_usage(ctx, usage);
    in.slug = pos[0];
    int rc = app_org_create(&ctx->app, &ctx->arena, &in, &out, &ctx->e);
    return cli_done(ctx, rc, "created organization '%s' (%s)", out.slug, out.name);
}

static int org_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_org *orgs;
    size_t n;
    int rc = app_org_list(&ctx->app, &ctx->arena, &orgs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"slug", "name", "country", "language", "industry", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(&t, (const char *[]){orgs[i].slug, orgs[i].name, orgs[i].country,
                                           orgs[i].language, orgs[i].industry});
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int org_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, CLI_FORMATS_SHOW, &fmt, &ctx->e))
        return EXIT_USAGE;
    struct app_org o;
    int rc = app_org_resolve(&ctx->app, &ctx->arena, n_pos ? pos[0] : ctx->org_slug, &o, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON) {
        cli_print_json(ctx->out, org_json(&o));
        return EXIT_OK;
    }
    fprintf(ctx->out,
            "slug:        %s\nname:        %s\nlegal name:  %s\nindustry:    %s\n"
            "country:     %s\nlanguage:    %s\ndescription: %s\n",
            o.slug, o.name, o.legal_name, o.industry, o.country, o.language, o.description);
    return EXIT_OK;
}

static int org_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_org patch = {0};
    const char *pos[1];
    const struct cli_opt opts[] = {ORG_FIELD_OPTS(patch), {0}};
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, "org edit SLUG [--name NAME] [options]"))
        return EXIT_USAGE;
    int rc = app_org_update(&ctx->app, &ctx->arena, pos[0], &patch, &ctx->e);
    return cli_done(ctx, rc, "updated organization '%s'", pos[0]);
}

int cmd_org(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"create", org_create},
                                            {"list", org_list},
                                            {"show", org_show},
                                            {"edit", org_edit},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "org", verbs, argc, argv);
}
