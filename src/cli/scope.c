/* scope.c - 'tillit scope' (being written). */
#include "cli/cli.h"

int cmd_scope(int argc, const char **argv, struct cli_ctx *ctx)
{
    (void)argc;
    (void)argv;
    ERR_SET(&ctx->e, TL_EUNSUPPORTED, "'tillit scope' is not available yet");
    return EXIT_USAGE;
}
