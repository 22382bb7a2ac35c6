/* engagement.c - 'tillit engagement create|list|show|phase|scope|evidence|
 * sampling-table|auditor|bridge-letter|demo'. */
#include "cli/cli.h"

#include "app/engagement.h"
#include "base/js.h"

#include <string.h>

static int who_of(struct cli_ctx *ctx, struct app_who *who)
{
    return app_who_from_env(who, &ctx->e) ? EXIT_USAGE : 0;
}

static const char *num(struct cli_ctx *ctx, int64_t n)
{
    return arena_printf(&ctx->arena, "%lld", (long long)n);
}

static const char *when(struct cli_ctx *ctx, const struct app_engagement *g)
{
    if (g->as_of)
        return g->as_of;
    return arena_printf(&ctx->arena, "%s..%s", g->period_start, g->period_end);
}

static int eng_create(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_engagement_in in = {.itgc_reliance = 1};
    const char *no_itgc = NULL, *pos[1];
    const struct cli_opt opts[] = {{"kind", true, &in.kind},
                                   {"as-of", true, &in.as_of},
                                   {"period", true, &in.period},
                                   {"categories", true, &in.categories},
                                   {"firm", true, &in.firm},
                                   {"slug", true, &in.slug},
                                   {"no-itgc-reliance", false, &no_itgc},
                                   {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 0, 0,
                       "engagement create --kind readiness|type1|type2 "
                       "[--as-of DATE | --period START..END] [options]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    if (!in.kind)
        return cli_usage(ctx, "engagement create --kind readiness|type1|type2 "
                              "[--as-of DATE | --period START..END] [options]");
    in.itgc_reliance = no_itgc ? 0 : 1;
    struct app_engagement g = {0};
    const char *warning = NULL;
    int rc = app_engagement_create(&ctx->app, &ctx->arena, ctx->org.id, &who, &in, &g, &warning,
                                   &ctx->e);
    if (rc == 0 && warning)
        fprintf(stderr, "tillit: warning: %s\n", warning);
    return cli_done(ctx, rc, "created engagement '%s' (%s, %s; %s)", rc ? "" : g.slug,
                    rc ? "" : g.kind, rc ? "" : when(ctx, &g), rc ? "" : g.categories);
}

static const char *const eng_cols[] = {"slug",     "kind",          "date",  "categories",
                                       "firm",     "phase",         "tests", "concluded",
                                       "findings", "open_requests", NULL};

static void eng_cells(struct cli_ctx *ctx, const struct app_engagement *g, const char **c)
{
    c[0] = g->slug;
    c[1] = g->kind;
    c[2] = when(ctx, g);
    c[3] = g->categories;
    c[4] = g->firm;
    c[5] = g->phase;
    c[6] = num(ctx, g->tests);
    c[7] = num(ctx, g->tests_concluded);
    c[8] = num(ctx, g->findings);
    c[9] = num(ctx, g->requests_open);
}

static int eng_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt) || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_engagement *gs;
    size_t n;
    int rc = app_engagement_list(&ctx->app, &ctx->arena, ctx->org.id, &who, &gs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, eng_cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[10];
        eng_cells(ctx, &gs[i], c);
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int eng_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *slug;
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_show(ctx, argc, argv, &slug, &fmt,
                       "engagement show SLUG [--format table|json]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_engagement g;
    struct app_eng_phase *ph;
    size_t n_ph;
    int rc = app_engagement_get(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, &g, &ctx->e);
    if (rc == 0)
        rc = app_engagement_phases(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, &ph, &n_ph,
                                   &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const names[] = {
        "slug",     "kind",          "date",           "categories",  "firm",
        "phase",    "itgc_reliance", "sampling_table", "tests",       "concluded",
        "findings", "open_requests", "created_at",     "concluded_at"};
    const char *cells[14];
    eng_cells(ctx, &g, cells);
    const char *c[14] = {cells[0],
                         cells[1],
                         cells[2],
                         cells[3],
                         cells[4],
                         cells[5],
                         cli_yes_no(g.itgc_reliance),
                         g.custom_table ? "custom" : "default",
                         cells[6],
                         cells[7],
                         cells[8],
                         cells[9],
                         g.created_at,
                         g.concluded_at};
    if (fmt == FMT_JSON) {
        json_t *o = json_object();
        for (size_t i = 0; i < 14; i++)
            js_set_str(o, names[i], c[i]);
        json_t *arr = json_array();
        for (size_t i = 0; i < n_ph; i++) {
            json_t *p = json_object();
            js_set_str(p, "phase", ph[i].phase);
            js_set_str(p, "state", ph[i].state);
            js_set_str(p, "entered_at", ph[i].entered_at);
            js_set_str(p, "entered_by", ph[i].entered_by);
            json_array_append_new(arr, p);
        }
        json_object_set_new(o, "phases", arr);
        cli_print_json(ctx->out, o);
        return EXIT_OK;
    }
    cli_print_record(ctx->out, fmt, names, c, 14);
    fprintf(ctx->out, "\nphases:\n");
    for (size_t i = 0; i < n_ph; i++)
        fprintf(ctx->out, "  %-10s %-8s %s%s%s\n", ph[i].phase, ph[i].state,
                ph[i].entered_at ? ph[i].entered_at : "", ph[i].entered_by ? " by " : "",
                ph[i].entered_by ? ph[i].entered_by : "");
    return EXIT_OK;
}

static int eng_phase(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2];
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 2, 2,
                       "engagement phase SLUG planning|fieldwork|reporting|concluded") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    int rc = app_engagement_set_phase(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], pos[1],
                                      &ctx->e);
    return cli_done(ctx, rc, "engagement '%s' is now in phase '%s'", pos[0], pos[1]);
}

static int eng_scope(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    const char *format = NULL;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, "engagement scope SLUG [--format F]") ||
        cli_format(format, CLI_FORMATS_LIST, &fmt, &ctx->e) || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_control *cs;
    size_t n;
    int rc =
        app_engagement_scope(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &cs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const cols[] = {"code", "title", "owner",    "frequency",
                                       "type", "key",   "criteria", NULL};
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        struct sb crit = SB_INIT;
        for (size_t k = 0; k < cs[i].n_criteria; k++)
            sb_addf(&crit, "%s%s", k ? "," : "", cs[i].criteria[k].criterion);
        const char *c[] = {cs[i].code,
                           cs[i].title,
                           cs[i].owner,
                           cs[i].frequency,
                           cs[i].type,
                           cli_yes_no(cs[i].key),
                           arena_strdup(&ctx->arena, crit.buf)};
        sb_release(&crit);
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int eng_evidence(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    const char *format = NULL;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, "engagement evidence SLUG [--format F]") ||
        cli_format(format, CLI_FORMATS_LIST, &fmt, &ctx->e) || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_evidence *ev;
    size_t n;
    int rc = app_engagement_evidence(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &ev, &n,
                                     &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const cols[] = {"id", "name", "period", "controls", "sha256", NULL};
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        struct sb codes = SB_INIT;
        for (size_t k = 0; k < ev[i].n_controls; k++)
            sb_addf(&codes, "%s%s", k ? "," : "", ev[i].controls[k]);
        const char *c[] = {
            ev[i].id, ev[i].name,
            arena_printf(&ctx->arena, "%s..%s", ev[i].period_start, ev[i].period_end),
            arena_strdup(&ctx->arena, codes.buf), ev[i].sha256};
        sb_release(&codes);
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int eng_table(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    const char *file = NULL, *dflt = NULL;
    const struct cli_opt opts[] = {{"file", true, &file}, {"default", false, &dflt}, {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "engagement sampling-table SLUG [--file TABLE.yaml | --default]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    if (file && dflt) {
        ERR_SET(&ctx->e, TL_EUSAGE, "options '--file' and '--default' contradict each other");
        return EXIT_USAGE;
    }
    if (!file && !dflt) {
        const struct dom_sampling_table *t;
        const char *yaml;
        int rc = app_engagement_table(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &t, &yaml,
                                      &ctx->e);
        if (rc)
            return cli_exit_for(rc);
        fputs(yaml, ctx->out);
        return EXIT_OK;
    }
    struct sb sb;
    sb_init_capped(&sb, 1024 * 1024);
    int rc = file ? sb_read_file(&sb, file, &ctx->e) : 0;
    if (rc == 0)
        rc = app_engagement_set_table(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], file,
                                      file ? sb.buf : NULL, sb.len, &ctx->e);
    sb_release(&sb);
    if (rc)
        return cli_exit_for(rc);
    if (file)
        fprintf(ctx->out, "engagement '%s' uses the sampling table from '%s'\n", pos[0], file);
    else
        fprintf(ctx->out, "engagement '%s' uses the default sampling table\n", pos[0]);
    return EXIT_OK;
}

static int auditor_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2], *until = NULL;
    const struct cli_opt opts[] = {{"until", true, &until}, {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 2, 2,
                       "engagement auditor add SLUG EMAIL --until DATE") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    if (!until)
        return cli_usage(ctx, "engagement auditor add SLUG EMAIL --until DATE");
    int rc = app_engagement_auditor_add(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], pos[1],
                                        until, &ctx->e);
    return cli_done(ctx, rc, "'%s' has access to engagement '%s' until %s", pos[1], pos[0], until);
}

static int auditor_revoke(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2];
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 2, 2, "engagement auditor revoke SLUG EMAIL") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    int rc = app_engagement_auditor_revoke(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0],
                                           pos[1], &ctx->e);
    return cli_done(ctx, rc, "revoked the access of '%s' to engagement '%s'", pos[1], pos[0]);
}

static int auditor_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *format = NULL;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "engagement auditor list SLUG [--format F]") ||
        cli_format(format, CLI_FORMATS_LIST, &fmt, &ctx->e) || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_eng_auditor *au;
    size_t n;
    int rc = app_engagement_auditors(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &au, &n,
                                     &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const cols[] = {"email",    "until",      "active", "added_at",
                                       "added_by", "revoked_at", NULL};
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[] = {au[i].email,    au[i].until,    cli_yes_no(au[i].active),
                           au[i].added_at, au[i].added_by, au[i].revoked_at};
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int eng_auditor(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {
        {"add", auditor_add}, {"revoke", auditor_revoke}, {"list", auditor_list}, {NULL, NULL}};
    return cli_dispatch(ctx, "engagement auditor", verbs, argc, argv);
}

static int eng_bridge(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *to = NULL;
    const struct cli_opt opts[] = {{"to", true, &to}, {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 0, 1,
                       "engagement bridge-letter [SLUG] --to DATE [--lang en|sv]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    if (!to)
        return cli_usage(ctx, "engagement bridge-letter [SLUG] --to DATE [--lang en|sv]");
    const char *md;
    int rc = app_engagement_bridge_letter(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], to,
                                          ctx->lang, &md, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fputs(md, ctx->out);
    return EXIT_OK;
}

static int eng_demo(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 0, 0, "engagement demo"))
        return EXIT_USAGE;
    struct app_eng_demo d = {0};
    int rc = app_engagement_demo(&ctx->app, &ctx->arena, ctx->org.id, &d, &ctx->e);
    return cli_done(ctx, rc,
                    "demo engagement '%s': %zu tests planned, %zu with results, %zu concluded; "
                    "%zu exceptions raised %zu findings",
                    rc ? "" : d.slug, d.tests, d.tested, d.concluded, d.exceptions, d.findings);
}

int cmd_engagement(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"create", eng_create},
                                            {"list", eng_list},
                                            {"show", eng_show},
                                            {"phase", eng_phase},
                                            {"scope", eng_scope},
                                            {"evidence", eng_evidence},
                                            {"sampling-table", eng_table},
                                            {"auditor", eng_auditor},
                                            {"bridge-letter", eng_bridge},
                                            {"demo", eng_demo},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "engagement", verbs, argc, argv);
}
