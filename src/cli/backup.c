/* backup.c - 'tillit backup', 'tillit restore' and 'tillit migrate --to'. */
#include "cli/cli.h"

#include "app/backup.h"

#include <string.h>

static void report(struct cli_ctx *ctx, const char *what, const struct app_copy_stats *st)
{
    fprintf(ctx->out, "%s %lld rows of %lld tables into %s", what, (long long)st->rows,
            (long long)st->tables, st->target);
    if (st->blobs)
        fprintf(ctx->out, "; %lld evidence files to %s", (long long)st->blobs, st->vault);
    fprintf(ctx->out, "\n");
}

int cmd_backup(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *out = NULL;
    const struct cli_opt opts[] = {{"output", true, &out}, {NULL, 0, NULL}};
    /* cli_parse knows long options only; -o is the short one users expect. */
    const char **args = arena_calloc(&ctx->arena, (size_t)argc + 1, sizeof(*args));
    for (int i = 0; i < argc; i++)
        args[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, args, opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (!out) {
        ERR_SET(&ctx->e, TL_EUSAGE, "backup needs -o FILE");
        return EXIT_USAGE;
    }
    struct app_copy_stats st;
    int rc = app_backup(&ctx->app, &ctx->arena, out, &st, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (strcmp(store_backend(ctx->app.store), "sqlite") == 0)
        fprintf(ctx->out, "backed up %s to %s", store_name(ctx->app.store), out);
    else
        fprintf(ctx->out, "backed up %lld rows of %lld tables to %s", (long long)st.rows,
                (long long)st.tables, out);
    if (st.blobs)
        fprintf(ctx->out, "; %lld evidence files to %s", (long long)st.blobs, st.vault);
    fprintf(ctx->out, "\n");
    return EXIT_OK;
}

int cmd_restore(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *vault = NULL;
    const struct cli_opt opts[] = {{"vault", true, &vault}, {NULL, 0, NULL}};
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "restore needs the backup FILE");
        return EXIT_USAGE;
    }
    struct app_copy_stats st;
    int rc = app_restore(&ctx->app, &ctx->arena, pos[0], ctx->db_url, vault, &st, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    report(ctx, "restored", &st);
    return EXIT_OK;
}

int cmd_migrate(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *to = NULL, *vault = NULL;
    const struct cli_opt opts[] = {{"to", true, &to}, {"vault", true, &vault}, {NULL, 0, NULL}};
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (!to) {
        ERR_SET(&ctx->e, TL_EUSAGE, "migrate needs --to URL (e.g. postgres://host/db)");
        return EXIT_USAGE;
    }
    struct app_copy_stats st;
    int rc = app_migrate_to(&ctx->app, &ctx->arena, to, vault, &st, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    report(ctx, "copied", &st);
    return EXIT_OK;
}
