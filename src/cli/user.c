/* user.c - 'tillit user': accounts for the web face and the API. */
#include "cli/cli.h"

#include "app/user.h"
#include "base/mem.h"

#include <string.h>

/* Reads one line from stdin (without its newline) into a. */
static int read_password(struct cli_ctx *ctx, const char **out)
{
    char buf[1024];
    if (!fgets(buf, sizeof(buf), stdin))
        return ERR_SET(&ctx->e, TL_EUSAGE, "--password-stdin: no password on standard input");
    buf[strcspn(buf, "\r\n")] = '\0';
    *out = arena_strdup(&ctx->arena, buf);
    mem_wipe(buf, sizeof(buf));
    return 0;
}

static int user_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *role = NULL, *name = NULL, *pw_stdin = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"role", true, &role},
                                   {"name", true, &name},
                                   {"password-stdin", false, &pw_stdin},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit user add EMAIL [--role ROLE] [--org SLUG] [--name NAME] "
                "[--password-stdin]");
        return EXIT_USAGE;
    }
    const char *password = NULL, *generated = NULL;
    if (pw_stdin && read_password(ctx, &password))
        return EXIT_USAGE;
    /* Resolve the organization first: a failed grant must not leave a user
     * behind that the command said nothing about. */
    struct app_org org = {0};
    int rc = 0;
    if (role) {
        rc = app_role_check(role, &ctx->e);
        if (rc)
            return cli_exit_for(rc);
        rc = app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &org, &ctx->e);
        if (rc == TL_ENOTFOUND && !ctx->org_slug)
            ERR_SET(&ctx->e, TL_ENOTFOUND,
                    "no organization to give the role in: create one with 'tillit org create'");
        if (rc)
            return cli_exit_for(rc);
    }
    struct app_user u;
    rc = app_user_add(&ctx->app, &ctx->arena, pos[0], name, password, &generated, &u, &ctx->e);
    if (rc == 0 && role)
        rc = app_user_grant(&ctx->app, &ctx->arena, u.email, org.slug, role, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "created user '%s'\n", u.email);
    if (generated)
        fprintf(ctx->out, "password: %s\n", generated);
    if (role)
        fprintf(ctx->out, "role '%s' in '%s'\n", role, org.slug);
    return EXIT_OK;
}

static int user_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_user *users;
    size_t n;
    int rc = app_user_list(&ctx->app, &ctx->arena, &users, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"email", "name", "language", "disabled", "roles", NULL});
    for (size_t i = 0; i < n; i++) {
        struct app_membership *m;
        size_t nm;
        rc = app_user_memberships(&ctx->app, &ctx->arena, users[i].id, &m, &nm, &ctx->e);
        if (rc)
            return cli_exit_for(rc);
        struct sb roles = SB_INIT;
        for (size_t k = 0; k < nm; k++)
            sb_addf(&roles, "%s%s:%s", k ? "," : "", m[k].org_slug, m[k].role);
        cli_table_row(&t, (const char *[]){users[i].email, users[i].name, users[i].language,
                                           users[i].disabled ? "yes" : "no", roles.buf});
        sb_release(&roles);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int user_grant(int argc, const char **argv, struct cli_ctx *ctx, bool grant)
{
    const char *role = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"role", true, &role}, {0}};
    if (cli_parse(argc, argv, grant ? opts : NULL, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !ctx->org_slug || (grant && !role)) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit user %s",
                grant ? "grant EMAIL --org SLUG --role ROLE" : "revoke EMAIL --org SLUG");
        return EXIT_USAGE;
    }
    int rc = grant ? app_user_grant(&ctx->app, &ctx->arena, pos[0], ctx->org_slug, role, &ctx->e)
                   : app_user_revoke(&ctx->app, &ctx->arena, pos[0], ctx->org_slug, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (grant)
        fprintf(ctx->out, "'%s' is %s in '%s'\n", pos[0], role, ctx->org_slug);
    else
        fprintf(ctx->out, "'%s' is no longer a member of '%s'\n", pos[0], ctx->org_slug);
    return EXIT_OK;
}

static int user_token(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *name = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"name", true, &name}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit user token EMAIL [--name NAME]");
        return EXIT_USAGE;
    }
    const char *token;
    int rc = app_token_create(&ctx->app, &ctx->arena, pos[0], name, &token, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "%s\n", token);
    return EXIT_OK;
}

static int user_passwd(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pw_stdin = NULL, *pos[1], *password = NULL;
    int n_pos;
    const struct cli_opt opts[] = {{"password-stdin", false, &pw_stdin}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit user passwd EMAIL [--password-stdin]");
        return EXIT_USAGE;
    }
    if (pw_stdin && read_password(ctx, &password))
        return EXIT_USAGE;
    if (!password) {
        ERR_SET(&ctx->e, TL_EUSAGE, "give the new password with --password-stdin");
        return EXIT_USAGE;
    }
    int rc = app_user_set_password(&ctx->app, &ctx->arena, pos[0], password, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "changed the password of '%s' (their sessions ended)\n", pos[0]);
    return EXIT_OK;
}

int cmd_user(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "add") == 0)
        return user_add(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "list") == 0)
        return user_list(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "grant") == 0)
        return user_grant(argc - 1, argv + 1, ctx, true);
    if (verb && strcmp(verb, "revoke") == 0)
        return user_grant(argc - 1, argv + 1, ctx, false);
    if (verb && strcmp(verb, "token") == 0)
        return user_token(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "passwd") == 0)
        return user_passwd(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "add, list, grant, revoke, token, passwd");
}
