/* demo.c - 'tillit demo': the demo organization. */
#include "cli/cli.h"

#include "app/demo.h"

#include <string.h>

int cmd_demo(int argc, const char **argv, struct cli_ctx *ctx)
{
    /* 'demo data' writes files and needs a database only with --load. */
    if (argc > 0 && strcmp(argv[0], "data") == 0)
        return cli_demo_data(argc - 1, argv + 1, ctx);
    const char *slug = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"slug", true, &slug}, {0}};
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    struct app_demo_counts n;
    const char *created;
    int rc = app_open_db(&ctx->app, ctx->db_url, false, &ctx->e);
    if (rc == 0)
        rc = app_demo_create(&ctx->app, &ctx->arena, slug, &n, &created, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out,
            "created demo organization '%s': %zu people, %zu controls, %zu risks, %zu policies, "
            "%zu vendors\n",
            created, n.people, n.controls, n.risks, n.policies, n.vendors);
    return EXIT_OK;
}
