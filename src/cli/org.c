/* org.c - 'tillit org create|list|show|edit'. */
#include "cli/cli.h"

#include "base/js.h"

#include <string.h>

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
    struct app_org in = {0}, out;
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {ORG_FIELD_OPTS(in), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !in.name) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit org create SLUG --name NAME [options]");
        return EXIT_USAGE;
    }
    in.slug = pos[0];
    int rc = app_org_create(&ctx->app, &ctx->arena, &in, &out, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "created organization '%s' (%s)\n", out.slug, out.name);
    return EXIT_OK;
}

static int org_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e))
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
        cli_format(format, 3, &fmt, &ctx->e))
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
    int n_pos;
    const struct cli_opt opts[] = {ORG_FIELD_OPTS(patch), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit org edit SLUG [--name NAME] [options]");
        return EXIT_USAGE;
    }
    int rc = app_org_update(&ctx->app, &ctx->arena, pos[0], &patch, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "updated organization '%s'\n", pos[0]);
    return EXIT_OK;
}

int cmd_org(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "create") == 0)
        return org_create(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "list") == 0)
        return org_list(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "show") == 0)
        return org_show(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "edit") == 0)
        return org_edit(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "create, list, show, edit");
}
