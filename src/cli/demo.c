/* demo.c - 'tillit demo': the demo organization. */
#include "cli/cli.h"

#include "app/demo.h"

int cmd_demo(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *slug = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"slug", true, &slug}, {0}};
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    struct app_demo_counts n;
    const char *created;
    int rc = app_demo_create(&ctx->app, &ctx->arena, slug, &n, &created, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out,
            "created demo organization '%s': %zu people, %zu controls, %zu risks, %zu policies, "
            "%zu vendors\n",
            created, n.people, n.controls, n.risks, n.policies, n.vendors);
    return EXIT_OK;
}
