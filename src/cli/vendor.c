/* vendor.c - 'tillit vendor list|show|add|edit|remove'. */
#include "cli/cli.h"

#include "app/vendor.h"
#include "base/js.h"

#include <string.h>

#define VENDOR_COLS 9

static const char *const vendor_cols[VENDOR_COLS + 1] = {
    "slug",       "name",           "service",    "criticality", "data_shared",
    "soc_report", "soc_period_end", "soc_status", "subservice",  NULL};

static void vendor_cells(const struct app_vendor *v, const char *cells[VENDOR_COLS])
{
    const char *c[VENDOR_COLS] = {v->slug,
                                  v->name,
                                  v->service,
                                  v->criticality,
                                  v->data_shared,
                                  v->soc_report ? "yes" : "no",
                                  v->soc_period_end,
                                  v->soc_status,
                                  v->subservice};
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
    struct app_vendor out;
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {VENDOR_FIELD_OPTS(o), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || soc_flag(&o, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !o.v.name) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit vendor add SLUG --name NAME [options]");
        return EXIT_USAGE;
    }
    o.v.slug = pos[0];
    int rc = app_vendor_create(&ctx->app, &ctx->arena, ctx->org.id, &o.v, &out, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "added vendor '%s' (%s)\n", out.slug, out.name);
    return EXIT_OK;
}

static int vendor_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    struct app_vendor_filter f = {0};
    int n_pos;
    const struct cli_opt opts[] = {
        {"format", true, &format}, {"criticality", true, &f.criticality}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e))
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
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 3, &fmt, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit vendor show SLUG [--format table|json]");
        return EXIT_USAGE;
    }
    struct app_vendor v;
    int rc = app_vendor_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &v, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const char *cells[VENDOR_COLS];
    vendor_cells(&v, cells);
    if (fmt == FMT_JSON) {
        json_t *j = json_object();
        for (size_t i = 0; i < VENDOR_COLS; i++)
            js_set_str(j, vendor_cols[i], cells[i]);
        cli_print_json(ctx->out, j);
        return EXIT_OK;
    }
    for (size_t i = 0; i < VENDOR_COLS; i++)
        fprintf(ctx->out, "%s:%*s%s\n", vendor_cols[i], (int)(15 - strlen(vendor_cols[i])), "",
                cells[i] ? cells[i] : "");
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
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {VENDOR_FIELD_OPTS(o), {"slug", true, &o.v.slug}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || soc_flag(&o, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || vendor_patch_empty(&o.v)) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit vendor edit SLUG [--name NAME] [options] (give at least one "
                "option; see 'tillit help vendor')");
        return EXIT_USAGE;
    }
    int rc = app_vendor_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &o.v, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "updated vendor '%s'\n", o.v.slug ? o.v.slug : pos[0]);
    return EXIT_OK;
}

static int vendor_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit vendor remove SLUG");
        return EXIT_USAGE;
    }
    int rc = app_vendor_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "removed vendor '%s'\n", pos[0]);
    return EXIT_OK;
}

int cmd_vendor(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "list") == 0)
        return vendor_list(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "show") == 0)
        return vendor_show(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "add") == 0)
        return vendor_add(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "edit") == 0)
        return vendor_edit(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "remove") == 0)
        return vendor_remove(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "list, show, add, edit, remove");
}
