/* yaml.c - 'tillit export yaml DIR' and 'tillit import yaml DIR': the
 * program of an organization as reviewable YAML files (docs/yaml.md). */
#include "cli/cli.h"

#include "app/yamlio.h"

#include <string.h>

/* The format word both commands take first; only yaml so far. */
static int check_format(struct cli_ctx *ctx, int n_pos, const char **pos, const char *usage)
{
    if (n_pos == 0)
        return cli_bad_verb(ctx, NULL, "yaml");
    if (strcmp(pos[0], "yaml") != 0)
        return cli_bad_verb(ctx, pos[0], "yaml");
    if (n_pos != 2) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: %s", usage);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cmd_export(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *force = NULL, *pos[2];
    int n_pos;
    const struct cli_opt opts[] = {{"force", false, &force}, {0}};
    if (cli_parse(argc, argv, opts, pos, 2, &n_pos, &ctx->e))
        return EXIT_USAGE;
    int code = check_format(ctx, n_pos, pos, "tillit export yaml DIR [--org SLUG] [--force]");
    if (code)
        return code;
    struct app_org org;
    size_t n_files;
    int rc = app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &org, &ctx->e);
    if (rc == 0)
        rc = app_yaml_export(&ctx->app, &ctx->arena, org.slug, pos[1], force != NULL, &n_files,
                             &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "exported organization '%s' to %s (%zu files)\n", org.slug, pos[1], n_files);
    return EXIT_OK;
}

/* Prints the mistakes, one per line, and leaves the summary in ctx->e. */
static int report(struct cli_ctx *ctx, const struct app_yaml_errors *errs, const char *dir)
{
    for (size_t i = 0; i < errs->n; i++)
        fprintf(stderr, "%s\n", errs->lines[i]);
    size_t total = errs->n + errs->dropped;
    if (errs->dropped)
        ERR_SET(&ctx->e, TL_EINPUT,
                "%zu mistakes in '%s' (the first %zu are shown): nothing was imported", total, dir,
                errs->n);
    else
        ERR_SET(&ctx->e, TL_EINPUT, "%zu mistake%s in '%s': nothing was imported", total,
                total == 1 ? "" : "s", dir);
    return EXIT_USAGE;
}

static void print_plan(struct cli_ctx *ctx, const struct app_yaml_plan *p)
{
    for (size_t i = 0; i < p->n_changes; i++) {
        const struct app_yaml_change *c = &p->changes[i];
        fprintf(ctx->out, "%s %s %s%s%s\n", c->op, c->kind, c->key, c->fields ? ": " : "",
                c->fields ? c->fields : "");
    }
    fprintf(ctx->out, "%zu to create, %zu to update, %zu to delete\n", p->n_create, p->n_update,
            p->n_delete);
}

int cmd_import(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *dry_run = NULL, *pos[2];
    int n_pos;
    const struct cli_opt opts[] = {{"dry-run", false, &dry_run}, {0}};
    if (cli_parse(argc, argv, opts, pos, 2, &n_pos, &ctx->e))
        return EXIT_USAGE;
    int code = check_format(ctx, n_pos, pos, "tillit import yaml DIR [--dry-run]");
    if (code)
        return code;
    const char *dir = pos[1];
    struct app_yaml_errors errs = {0};
    struct app_yaml_file *files;
    struct app_yaml_ctx yc;
    struct app_yaml_tree *tree;
    struct app_yaml_plan *plan;
    size_t n_files;
    int rc = app_yaml_read_dir(&ctx->arena, dir, &files, &n_files, &errs, &ctx->e);
    if (rc == 0)
        rc = app_yaml_context(&ctx->app, &ctx->arena, &yc, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (app_yaml_parse(&ctx->arena, &yc, files, n_files, &tree, &errs))
        return report(ctx, &errs, dir);
    rc = app_yaml_plan(&ctx->app, &ctx->arena, tree, &plan, &errs, &ctx->e);
    if (rc == TL_EINPUT && errs.n)
        return report(ctx, &errs, dir);
    if (rc)
        return cli_exit_for(rc);
    if (ctx->org_slug && strcmp(ctx->org_slug, plan->org_slug) != 0) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "--org '%s' does not match the organization of the tree ('%s' in "
                "organization.yaml)",
                ctx->org_slug, plan->org_slug);
        return EXIT_USAGE;
    }
    print_plan(ctx, plan);
    if (dry_run) {
        fprintf(ctx->out, "dry run: nothing was changed\n");
        return EXIT_OK;
    }
    rc = app_yaml_apply(&ctx->app, &ctx->arena, plan, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "imported organization '%s' from %s\n", plan->org_slug, dir);
    return EXIT_OK;
}
