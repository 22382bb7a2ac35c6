/* policy.c - 'tillit policy' (being written). */
#include "cli/cli.h"

int cmd_policy(int argc, const char **argv, struct cli_ctx *ctx)
{
    (void)argc;
    (void)argv;
    ERR_SET(&ctx->e, TL_EUNSUPPORTED, "'tillit policy' is not available yet");
    return EXIT_USAGE;
}
