/* vendor.c - 'tillit vendor list|show|add|edit|remove'. */
#include "cli/cli.h"

#include "app/vendor.h"

#include <string.h>

#define VENDOR_COLS 9

static const char *const vendor_cols[VENDOR_COLS + 1] = {
    "slug",       "name",           "service",    "criticality", "data_shared",
    "soc_report", "soc_period_end", "soc_status", "subservice",  NULL};

/* 'vendor show' adds the version an edit can be based on (--if-version). */
static const char *const vendor_show_cols[VENDOR_COLS + 2] = {
    "slug",           "name",       "service",    "criticality", "data_shared", "soc_report",
    "soc_period_end", "soc_status", "subservice", "version",     NULL};

static void vendor_cells(const struct app_vendor *v, const char *cells[VENDOR_COLS])
{
    const char *c[VENDOR_COLS] = {v->slug,           v->name,        v->service,
                                  v->criticality,    v->data_shared, cli_yes_no(v->soc_report),
                                  v->soc_period_end, v->soc_status,  v->subservice};
    memcpy(cells, c, sizeof(c));
}

/* The editable fields, shared by add and edit. */
struct vendor_opts {
    struct app_vendor v;
    const char *soc_report;
};

#define VENDOR_FIELD_OPTS(o)                                                                       \
    {"name", true, &(o).v.name}, {"service", true, &(o).v.service},                                \
        {"criticality", true, &(o).v.criticality}, {"data-shared", true, &(o).v.data_shared},      \
        {"soc-report", true, &(o).soc_report}, {"soc-period-end", true, &(o).v.soc_period_end},    \
        {"subservice", true, &(o).v.subservice}

/* --soc-report yes|no into a flag; APP_KEEP when not given. */
static int soc_flag(struct vendor_opts *o, struct err *e)
{
    if (!o->soc_report)
        o->v.soc_report = APP_KEEP;
    else if (strcmp(o->soc_report, "yes") == 0)
        o->v.soc_report = 1;
    else if (strcmp(o->soc_report, "no") == 0)
        o->v.soc_report = 0;
    else
        return ERR_SET(e, TL_EUSAGE, "unknown --soc-report '%s' (expected yes or no)",
                       o->soc_report);
    return 0;
}

static int vendor_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct vendor_opts o = {.v = APP_VENDOR_PATCH};
    struct app_vendor out = {0};
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {VENDOR_FIELD_OPTS(o), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || soc_flag(&o, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !o.v.name)
        return cli_usage(ctx, "vendor add SLUG --name NAME [options]");
    o.v.slug = pos[0];
    int rc = app_vendor_create(&ctx->app, &ctx->arena, ctx->org.id, &o.v, &out, &ctx->e);
    return cli_done(ctx, rc, "added vendor '%s' (%s)", out.slug, out.name);
}

static int vendor_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_vendor_filter f = {0};
    const struct cli_opt opts[] = {{"criticality", true, &f.criticality}, {0}};
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt))
        return EXIT_USAGE;
    struct app_vendor *vendors;
    size_t n;
    int rc = app_vendor_list(&ctx->app, &ctx->arena, ctx->org.id, &f, &vendors, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, vendor_cols);
    for (size_t i = 0; i < n; i++) {
        const char *cells[VENDOR_COLS];
        vendor_cells(&vendors[i], cells);
        cli_table_row(&t, cells);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int vendor_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *slug;
    enum cli_format fmt;
    if (cli_parse_show(ctx, argc, argv, &slug, &fmt, "vendor show SLUG [--format table|json]"))
        return EXIT_USAGE;
    struct app_vendor v;
    int rc = app_vendor_get(&ctx->app, &ctx->arena, ctx->org.id, slug, &v, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const char *cells[VENDOR_COLS + 1];
    vendor_cells(&v, cells);
    cells[VENDOR_COLS] = arena_printf(&ctx->arena, "%lld", (long long)v.version);
    cli_print_record(ctx->out, fmt, vendor_show_cols, cells, VENDOR_COLS + 1);
    return EXIT_OK;
}

static bool vendor_patch_empty(const struct app_vendor *v)
{
    return !v->slug && !v->name && !v->service && !v->criticality && !v->data_shared &&
           v->soc_report == APP_KEEP && !v->soc_period_end && !v->subservice;
}

static int vendor_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct vendor_opts o = {.v = APP_VENDOR_PATCH};
    const char *if_version = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {
        VENDOR_FIELD_OPTS(o), {"slug", true, &o.v.slug}, {"if-version", true, &if_version}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || soc_flag(&o, &ctx->e) ||
        cli_if_version(if_version, &o.v.version, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || vendor_patch_empty(&o.v))
        return cli_usage(ctx, "vendor edit SLUG [--name NAME] [options] (give at least one "
                              "option; see 'tillit help vendor')");
    int rc = app_vendor_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &o.v, &ctx->e);
    return cli_done(ctx, rc, "updated vendor '%s'", o.v.slug ? o.v.slug : pos[0]);
}

static int vendor_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "vendor remove SLUG"))
        return EXIT_USAGE;
    int rc = app_vendor_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed vendor '%s'", pos[0]);
}

int cmd_vendor(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"list", vendor_list},     {"show", vendor_show},
                                            {"add", vendor_add},       {"edit", vendor_edit},
                                            {"remove", vendor_remove}, {NULL, NULL}};
    return cli_dispatch(ctx, "vendor", verbs, argc, argv);
}
