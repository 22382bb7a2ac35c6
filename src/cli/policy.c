/* policy.c - 'tillit policy templates|list|show|new|edit|approve|ack|acks|remove'. */
#include "cli/cli.h"

#include "app/policy.h"
#include "base/js.h"

#include <stdlib.h>
#include <string.h>

/* Parses --version N (a positive number); NULL leaves *out at 0 (= latest). */
static int parse_version(const char *s, int64_t *out, struct err *e)
{
    *out = 0;
    if (!s)
        return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 1)
        return ERR_SET(e, TL_EUSAGE, "option '--version' must be a positive number, not '%s'", s);
    *out = v;
    return 0;
}

/* Reads a policy text from path ("-" = standard input), capped. */
static int read_body(struct cli_ctx *ctx, const char *path, const char **out)
{
    struct sb sb;
    sb_init_capped(&sb, APP_POLICY_BODY_MAX);
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        char chunk[8192];
        size_t n;
        while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
            rc = sb_add(&sb, chunk, n);
        if (rc)
            ERR_SET(&ctx->e, rc, "standard input is larger than %u bytes", APP_POLICY_BODY_MAX);
    } else {
        rc = sb_read_file(&sb, path, &ctx->e);
    }
    if (rc == 0 && strlen(sb.buf) != sb.len)
        rc = ERR_SET(&ctx->e, TL_EINPUT, "'%s' holds NUL bytes: not a text file", path);
    if (rc == 0)
        *out = arena_own(&ctx->arena, sb_detach(&sb, NULL));
    sb_release(&sb);
    return rc;
}

static const char *num(struct arena *a, int64_t v)
{
    return arena_printf(a, "%lld", (long long)v);
}

static int policy_templates(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_policy_template *t;
    size_t n;
    int rc = app_policy_templates(&ctx->app, &ctx->arena, ctx->org.language, &t, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table tab;
    cli_table_init(&tab, &ctx->arena,
                   (const char *[]){"name", "title", "review", "criteria", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(&tab, (const char *[]){
                                t[i].name, t[i].title, t[i].review,
                                app_strs_join(&ctx->arena, t[i].criteria, t[i].n_criteria, ",")});
    cli_table_print(&tab, fmt, ctx->out);
    return EXIT_OK;
}

static int policy_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_policy *p;
    size_t n;
    int rc = app_policy_list(&ctx->app, &ctx->arena, ctx->org.id, &p, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    struct arena *a = &ctx->arena;
    cli_table_init(&t, a,
                   (const char *[]){"slug", "title", "owner", "version", "approved", "approved_on",
                                    "acks", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(&t, (const char *[]){p[i].slug, p[i].title, p[i].owner ? p[i].owner : "",
                                           num(a, p[i].current),
                                           p[i].approved ? num(a, p[i].approved) : "",
                                           p[i].approved_on ? p[i].approved_on : "",
                                           arena_printf(a, "%lld/%lld", (long long)p[i].acked,
                                                        (long long)p[i].active)});
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static json_t *policy_json(const struct app_policy *p, const struct app_policy_version *v,
                           const char *body)
{
    json_t *j = json_object();
    js_set_str(j, "slug", p->slug);
    js_set_str(j, "title", p->title);
    js_set_str(j, "owner", p->owner);
    js_set_str(j, "owner_name", p->owner_name);
    js_set_str(j, "review", p->review);
    js_set_str(j, "template", p->template);
    json_object_set_new(j, "version", json_integer(v->number));
    json_object_set_new(j, "current_version", json_integer(p->current));
    json_object_set_new(j, "edits", json_integer(p->version)); /* for --if-version */
    js_set_str(j, "approved_by", v->approved_by);
    js_set_str(j, "approved_on", v->approved_on);
    json_object_set_new(j, "acks", json_integer(v->acked));
    json_object_set_new(j, "active_people", json_integer(p->active));
    js_set_str(j, "body", body);
    return j;
}

static void print_policy(FILE *out, const struct app_policy *p, const struct app_policy_version *v)
{
    fprintf(out, "slug:      %s\ntitle:     %s\n", p->slug, p->title);
    if (p->owner)
        fprintf(out, "owner:     %s <%s>\n", p->owner_name, p->owner);
    else
        fprintf(out, "owner:     (unassigned)\n");
    fprintf(out, "review:    %s\ntemplate:  %s\nversion:   %lld of %lld\n", p->review,
            p->template ? p->template : "(own text)", (long long)v->number, (long long)p->current);
    fprintf(out, "edits:     %lld\n", (long long)p->version);
    if (v->approved_on)
        fprintf(out, "approved:  %s by %s\n", v->approved_on, v->approved_by);
    else
        fprintf(out, "approved:  (not yet approved)\n");
    fprintf(out, "acks:      %lld/%lld active people\n\n%s", (long long)v->acked,
            (long long)p->active, v->body);
    if (*v->body && v->body[strlen(v->body) - 1] != '\n')
        fputc('\n', out);
}

static int policy_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *version = NULL, *rendered = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format},
                                   {"version", true, &version},
                                   {"rendered", false, &rendered},
                                   {0}};
    enum cli_format fmt;
    int64_t number;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, CLI_FORMATS_SHOW, &fmt, &ctx->e) ||
        parse_version(version, &number, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1)
        return cli_usage(ctx, "policy show SLUG [--version N] [--rendered] [--format table|json]");
    struct app_policy p;
    struct app_policy_version v;
    const char *body = NULL;
    int rc = app_policy_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &p, &ctx->e);
    if (rc == 0)
        rc = app_policy_version_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], number, &v,
                                    &ctx->e);
    if (rc == 0)
        rc = rendered
                 ? app_policy_render(&ctx->app, &ctx->arena, ctx->org.id, &p, &v, &body, &ctx->e)
                 : 0;
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON)
        cli_print_json(ctx->out, policy_json(&p, &v, rendered ? body : v.body));
    else if (rendered)
        fputs(body, ctx->out);
    else
        print_policy(ctx->out, &p, &v);
    return EXIT_OK;
}

static int policy_new(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_policy in = {0};
    const char *file = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"template", true, &in.template}, {"file", true, &file},
                                   {"title", true, &in.title},       {"owner", true, &in.owner},
                                   {"review", true, &in.review},     {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !in.template == !file || (file && !in.title))
        return cli_usage(ctx, "policy new SLUG --template NAME [options] | "
                              "tillit policy new SLUG --title T --file BODY.md [options]");
    in.slug = pos[0];
    if (file && read_body(ctx, file, &in.body))
        return cli_exit_for(ctx->e.code);
    int rc = app_policy_create(&ctx->app, &ctx->arena, ctx->org.id, &in, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (in.template)
        fprintf(ctx->out, "created policy '%s' (version 1, from template '%s')\n", in.slug,
                in.template);
    else
        fprintf(ctx->out, "created policy '%s' (version 1)\n", in.slug);
    return EXIT_OK;
}

static int policy_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_policy patch = {0};
    const char *file = NULL, *if_version = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"file", true, &file},
                                   {"title", true, &patch.title},
                                   {"owner", true, &patch.owner},
                                   {"review", true, &patch.review},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_if_version(if_version, &patch.version, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || (!file && !patch.title && !patch.owner && !patch.review))
        return cli_usage(ctx, "policy edit SLUG [--file BODY.md] [--title T] [--owner EMAIL] "
                              "[--review R] [--if-version N]");
    if (file && read_body(ctx, file, &patch.body))
        return cli_exit_for(ctx->e.code);
    int64_t number;
    bool changed;
    int rc = app_policy_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &patch, &number,
                               &changed, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (!changed)
        fprintf(ctx->out, "policy '%s': no change\n", pos[0]);
    else if (number)
        fprintf(ctx->out, "updated policy '%s': new version %lld\n", pos[0], (long long)number);
    else
        fprintf(ctx->out, "updated policy '%s'\n", pos[0]);
    return EXIT_OK;
}

static int policy_approve(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *version = NULL, *by = NULL, *on = NULL, *pos[1];
    int n_pos;
    int64_t number;
    const struct cli_opt opts[] = {
        {"version", true, &version}, {"by", true, &by}, {"on", true, &on}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        parse_version(version, &number, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !by)
        return cli_usage(ctx, "policy approve SLUG --by EMAIL [--version N] [--on DATE]");
    int rc =
        app_policy_approve(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &number, by, on, &ctx->e);
    return cli_done(ctx, rc, "approved version %lld of policy '%s' (by %s)", (long long)number,
                    pos[0], by);
}

static int policy_ack(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *version = NULL, *people = NULL, *on = NULL, *pos[1];
    int n_pos;
    int64_t number;
    const struct cli_opt opts[] = {
        {"version", true, &version}, {"person", true, &people}, {"on", true, &on}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        parse_version(version, &number, &ctx->e))
        return EXIT_USAGE;
    const char **emails = NULL;
    size_t n = 0;
    if (people)
        cli_split_list(&ctx->arena, people, &emails, &n);
    if (n_pos != 1 || n == 0)
        return cli_usage(ctx, "policy ack SLUG --person EMAIL[,EMAIL...] [--version N] "
                              "[--on DATE]");
    int rc = app_policy_ack(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &number, emails, n, on,
                            &ctx->e);
    return cli_done(ctx, rc, "recorded %zu acknowledgment%s of version %lld of policy '%s'", n,
                    n == 1 ? "" : "s", (long long)number, pos[0]);
}

static int policy_acks(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *version = NULL, *pos[1];
    int n_pos;
    int64_t number;
    const struct cli_opt opts[] = {{"format", true, &format}, {"version", true, &version}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, CLI_FORMATS_LIST, &fmt, &ctx->e) ||
        parse_version(version, &number, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1)
        return cli_usage(ctx, "policy acks SLUG [--version N] [--format table|json|csv]");
    struct app_policy_ack *k;
    size_t n;
    int rc = app_policy_acks(&ctx->app, &ctx->arena, ctx->org.id, pos[0], number, &k, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"person", "name", "acknowledged", "acked_on", "active", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(&t, (const char *[]){k[i].email, k[i].name, cli_yes_no(k[i].acked_on != NULL),
                                           k[i].acked_on ? k[i].acked_on : "",
                                           cli_yes_no(k[i].active)});
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int policy_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "policy remove SLUG"))
        return EXIT_USAGE;
    int rc = app_policy_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed policy '%s'", pos[0]);
}

int cmd_policy(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"templates", policy_templates},
                                            {"list", policy_list},
                                            {"show", policy_show},
                                            {"new", policy_new},
                                            {"edit", policy_edit},
                                            {"approve", policy_approve},
                                            {"ack", policy_ack},
                                            {"acks", policy_acks},
                                            {"remove", policy_remove},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "policy", verbs, argc, argv);
}
