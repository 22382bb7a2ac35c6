/* init.c - 'tillit init'. */
#include "cli/cli.h"

int cmd_init(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, NULL, pos, 0, &n_pos, &ctx->e) != 0)
        return EXIT_USAGE;
    int from, to;
    int rc = app_create_db(&ctx->app, ctx->db_url, &from, &to, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (from == 0)
        fprintf(ctx->out, "created %s (schema version %d)\n", store_name(ctx->app.store), to);
    else if (from < to)
        fprintf(ctx->out, "upgraded %s from schema version %d to %d\n", store_name(ctx->app.store),
                from, to);
    else
        fprintf(ctx->out, "%s is up to date (schema version %d)\n", store_name(ctx->app.store), to);
    return EXIT_OK;
}
