/* control.c - 'tillit control' (being written). */
#include "cli/cli.h"

int cmd_control(int argc, const char **argv, struct cli_ctx *ctx)
{
    (void)argc;
    (void)argv;
    ERR_SET(&ctx->e, TL_EUNSUPPORTED, "'tillit control' is not available yet");
    return EXIT_USAGE;
}
