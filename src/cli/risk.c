/* risk.c - 'tillit risk' (being written). */
#include "cli/cli.h"

int cmd_risk(int argc, const char **argv, struct cli_ctx *ctx)
{
    (void)argc;
    (void)argv;
    ERR_SET(&ctx->e, TL_EUNSUPPORTED, "'tillit risk' is not available yet");
    return EXIT_USAGE;
}
