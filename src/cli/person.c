/* person.c - 'tillit person' (being written). */
#include "cli/cli.h"

int cmd_person(int argc, const char **argv, struct cli_ctx *ctx)
{
    (void)argc;
    (void)argv;
    ERR_SET(&ctx->e, TL_EUNSUPPORTED, "'tillit person' is not available yet");
    return EXIT_USAGE;
}
