/* help.c - 'tillit help' and 'tillit version'. */
#include "cli/cli.h"

#include <string.h>

static const char exit_codes[] =
    "Exit codes:\n"
    "  0  success\n"
    "  1  a check failed (audit verify, evidence verify): the command ran, the answer is no\n"
    "  2  bad usage or bad input: unknown command or option, invalid value, missing\n"
    "     object; nothing was changed\n"
    "  3  storage or internal error: unreadable or corrupt database, a database from\n"
    "     a newer tillit, I/O failure\n";

static void overview(FILE *out)
{
    fprintf(out, "tillit - SOC 2 compliance, from scope to report\n\n"
                 "usage: tillit [--db PATH] [--org SLUG] [--lang en|sv] [--content DIR]\n"
                 "              COMMAND [ARGS]\n\n"
                 "Commands:\n");
    for (const struct cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fprintf(out, "\nThe database is --db PATH, else $TILLIT_DB, else ./tillit.db.\n"
                 "'tillit help COMMAND' shows a command's options; 'tillit help exit-codes'\n"
                 "lists exit codes. Documentation: docs/cli.md.\n");
}

int cmd_help(int argc, const char **argv, struct cli_ctx *ctx)
{
    if (argc == 0) {
        overview(ctx->out);
        return EXIT_OK;
    }
    if (argc > 1)
        return ERR_SET(&ctx->e, TL_EUSAGE, "unexpected argument '%s'", argv[1]), EXIT_USAGE;
    if (strcmp(argv[0], "exit-codes") == 0) {
        fputs(exit_codes, ctx->out);
        return EXIT_OK;
    }
    for (const struct cli_command *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, argv[0]) == 0) {
            fputs(c->usage, ctx->out);
            return EXIT_OK;
        }
    }
    ERR_SET(&ctx->e, TL_EUSAGE, "no help for unknown command '%s'", argv[0]);
    return EXIT_USAGE;
}

int cmd_version(int argc, const char **argv, struct cli_ctx *ctx)
{
    if (argc > 0)
        return ERR_SET(&ctx->e, TL_EUSAGE, "unexpected argument '%s'", argv[0]), EXIT_USAGE;
    fprintf(ctx->out, "tillit %s\n", TILLIT_VERSION);
    return EXIT_OK;
}
