/* framework.c - 'tillit framework': import OSCAL catalogs, map their
 * controls to the trust services criteria, list them. */
#include "cli/cli.h"

#include "app/framework.h"

#include <string.h>

#define LIST_FORMATS ((1u << FMT_TABLE) | (1u << FMT_JSON) | (1u << FMT_CSV))

static int framework_import(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *slug = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"slug", true, &slug}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit framework import FILE.json [--slug SLUG]");
        return EXIT_USAGE;
    }
    struct sb data;
    sb_init_capped(&data, APP_FRAMEWORK_FILE_MAX);
    int rc = sb_read_file(&data, pos[0], &ctx->e);
    if (rc == TL_ETOOBIG)
        ERR_SET(&ctx->e, TL_ETOOBIG, "'%s' is larger than %u MiB", pos[0],
                APP_FRAMEWORK_FILE_MAX >> 20);
    struct app_framework fw;
    if (rc == 0)
        rc = app_framework_import(&ctx->app, &ctx->arena, ctx->org.id, pos[0], data.buf, data.len,
                                  slug, &fw, &ctx->e);
    sb_release(&data);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "imported framework '%s' (%s): %lld controls\n", fw.slug, fw.title,
            (long long)fw.controls);
    return EXIT_OK;
}

static int framework_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format f = FMT_TABLE;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        (format && cli_format(format, LIST_FORMATS, &f, &ctx->e)))
        return EXIT_USAGE;
    struct app_framework *fws = NULL;
    size_t n = 0;
    int rc = app_framework_list(&ctx->app, &ctx->arena, ctx->org.id, &fws, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(
        &t, &ctx->arena,
        (const char *[]){"slug", "title", "version", "controls", "mapped", "imported_at", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(
            &t, (const char *[]){fws[i].slug, fws[i].title, fws[i].fw_version,
                                 arena_printf(&ctx->arena, "%lld", (long long)fws[i].controls),
                                 arena_printf(&ctx->arena, "%lld", (long long)fws[i].mapped),
                                 fws[i].imported_at});
    cli_table_print(&t, f, ctx->out);
    return EXIT_OK;
}

static int framework_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format f = FMT_TABLE;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        (format && cli_format(format, LIST_FORMATS, &f, &ctx->e)))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit framework show SLUG [--format table|json|csv]");
        return EXIT_USAGE;
    }
    struct rpt_oscal_catalog cat;
    int rc = app_framework_catalog(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &cat, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"id", "label", "title", "group", "criteria", NULL});
    for (size_t i = 0; i < cat.n_controls; i++) {
        const struct rpt_oscal_control *c = &cat.controls[i];
        cli_table_row(
            &t, (const char *[]){c->id, c->label, c->title, c->group_title,
                                 app_strs_join(&ctx->arena, c->criteria, c->n_criteria, ",")});
    }
    cli_table_print(&t, f, ctx->out);
    return EXIT_OK;
}

static int framework_map(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *unmap = NULL, *pos[2];
    int n_pos;
    const struct cli_opt opts[] = {{"unmap", false, &unmap}, {0}};
    if (cli_parse(argc, argv, opts, pos, 2, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 2) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit framework map [SLUG:]CONTROL CRITERION [--unmap]");
        return EXIT_USAGE;
    }
    int rc = app_framework_map(&ctx->app, &ctx->arena, ctx->org.id, pos[0], pos[1], unmap != NULL,
                               &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "%s %s %s\n", unmap ? "unmapped" : "mapped", pos[0], pos[1]);
    return EXIT_OK;
}

static int framework_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, NULL, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit framework remove SLUG");
        return EXIT_USAGE;
    }
    int rc = app_framework_remove(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "removed framework '%s'\n", pos[0]);
    return EXIT_OK;
}

int cmd_framework(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char known[] = "import, list, show, map, remove";
    if (argc < 1)
        return cli_bad_verb(ctx, NULL, known);
    const char *verb = argv[0];
    if (strcmp(verb, "import") == 0)
        return framework_import(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "list") == 0)
        return framework_list(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "show") == 0)
        return framework_show(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "map") == 0)
        return framework_map(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "remove") == 0)
        return framework_remove(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, known);
}
