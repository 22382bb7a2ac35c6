/* audit.c - 'tillit audit log|verify'. */
#include "cli/cli.h"

#include "app/audit.h"

#include <stdlib.h>
#include <string.h>

struct log_rows {
    struct cli_table *t;
};

static int add_row(void *ud, const struct audit_entry *en)
{
    struct log_rows *lr = ud;
    char seq[32];
    snprintf(seq, sizeof(seq), "%lld", (long long)en->seq);
    cli_table_row(lr->t, (const char *[]){en->chain_name, seq, en->at, en->actor, en->action,
                                          en->object_type, en->object_id, en->hash});
    return 0;
}

/* "installation" selects the installation chain; anything else is an
 * organization slug. */
static int resolve_chain(struct cli_ctx *ctx, const char *name, const char **chain)
{
    if (!name) {
        *chain = NULL;
        return 0;
    }
    if (strcmp(name, "installation") == 0) {
        *chain = "";
        return 0;
    }
    struct store_stmt *st;
    int rc = store_preparef(ctx->app.store, &ctx->e, &st,
                            "SELECT id FROM organization WHERE slug = ?", "t", name);
    if (rc)
        return rc;
    rc = store_step(st, &ctx->e);
    if (rc == TL_ROW)
        *chain = arena_strdup(&ctx->arena, store_col_text(st, 0));
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(&ctx->e, TL_ENOTFOUND, "no organization '%s'", name);
    return rc < 0 ? rc : 0;
}

static int audit_log(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *chain_name = NULL, *limit_s = NULL, *pos[1], *chain = NULL;
    int n_pos;
    const struct cli_opt opts[] = {
        {"format", true, &format}, {"chain", true, &chain_name}, {"limit", true, &limit_s}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e))
        return EXIT_USAGE;
    long limit = 0;
    if (limit_s) {
        char *end;
        limit = strtol(limit_s, &end, 10);
        if (*end || limit <= 0) {
            ERR_SET(&ctx->e, TL_EUSAGE, "--limit must be a positive number, not '%s'", limit_s);
            return EXIT_USAGE;
        }
    }
    int rc = resolve_chain(ctx, chain_name, &chain);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"chain", "seq", "at", "actor", "action", "object_type",
                                    "object_id", "hash", NULL});
    struct log_rows lr = {&t};
    rc = audit_each(&ctx->app, &ctx->arena, chain, limit, add_row, &lr, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int audit_verify_cmd(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, NULL, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    struct audit_verify_result r;
    int rc = audit_verify(&ctx->app, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (!r.ok) {
        ERR_SET(&ctx->e, TL_ECHECK,
                "audit entry %lld of chain '%s' %s (%lld entries before it verified)",
                (long long)r.bad_seq, r.bad_chain, r.reason, (long long)r.verified);
        return EXIT_CHECK;
    }
    fprintf(ctx->out, "%lld entries verified\n", (long long)r.verified);
    return EXIT_OK;
}

int cmd_audit(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "log") == 0)
        return audit_log(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "verify") == 0)
        return audit_verify_cmd(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "log, verify");
}
