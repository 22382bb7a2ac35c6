/* vendor.c - 'tillit vendor' (being written). */
#include "cli/cli.h"

int cmd_vendor(int argc, const char **argv, struct cli_ctx *ctx)
{
    (void)argc;
    (void)argv;
    ERR_SET(&ctx->e, TL_EUNSUPPORTED, "'tillit vendor' is not available yet");
    return EXIT_USAGE;
}
