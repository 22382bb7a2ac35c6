/* person.c - 'tillit person list|show|add|edit|remove'. */
#include "cli/cli.h"

#include "app/person.h"

#include <string.h>

#define PERSON_COLS 10

static const char *const person_cols[PERSON_COLS + 1] = {
    "email",    "name",          "title",    "department", "manager", "start_date",
    "end_date", "control_owner", "approver", "active",     NULL};

/* 'person show' adds the version an edit can be based on (--if-version). */
static const char *const person_show_cols[PERSON_COLS + 2] = {
    "email",    "name",          "title",    "department", "manager", "start_date",
    "end_date", "control_owner", "approver", "active",     "version", NULL};

static void person_cells(const struct app_person *p, const char *cells[PERSON_COLS])
{
    const char *v[PERSON_COLS] = {p->email,
                                  p->name,
                                  p->title,
                                  p->department,
                                  p->manager,
                                  p->start_date,
                                  p->end_date,
                                  cli_yes_no(p->is_control_owner),
                                  cli_yes_no(p->is_approver),
                                  cli_yes_no(p->active)};
    memcpy(cells, v, sizeof(v));
}

/* The editable fields, shared by add and edit; flags arrive as "1". */
struct person_opts {
    struct app_person p;
    const char *owner, *no_owner, *approver, *no_approver;
};

#define PERSON_FIELD_OPTS(o)                                                                       \
    {"name", true, &(o).p.name}, {"title", true, &(o).p.title},                                    \
        {"department", true, &(o).p.department}, {"manager", true, &(o).p.manager},                \
        {"start", true, &(o).p.start_date}, {"end", true, &(o).p.end_date},                        \
        {"control-owner", false, &(o).owner}, {"approver", false, &(o).approver}

/* Turns --X / --no-X into a flag: 1, 0, or APP_KEEP when neither is given. */
static int flag_of(const char *on, const char *off, const char *name, int *out, struct err *e)
{
    if (on && off)
        return ERR_SET(e, TL_EUSAGE, "options '--%s' and '--no-%s' contradict each other", name,
                       name);
    *out = on ? 1 : off ? 0 : APP_KEEP;
    return 0;
}

static int person_flags(struct person_opts *o, struct err *e)
{
    if (flag_of(o->owner, o->no_owner, "control-owner", &o->p.is_control_owner, e) ||
        flag_of(o->approver, o->no_approver, "approver", &o->p.is_approver, e))
        return TL_EUSAGE;
    return 0;
}

static int person_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct person_opts o = {.p = APP_PERSON_PATCH};
    struct app_person out = {0};
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {PERSON_FIELD_OPTS(o), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || person_flags(&o, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !o.p.name)
        return cli_usage(ctx, "person add EMAIL --name NAME [options]");
    o.p.email = pos[0];
    int rc = app_person_create(&ctx->app, &ctx->arena, ctx->org.id, &o.p, &out, &ctx->e);
    return cli_done(ctx, rc, "added person '%s' (%s)", out.email, out.name);
}

static int person_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *active = NULL;
    struct app_person_filter f = {0};
    const struct cli_opt opts[] = {
        {"department", true, &f.department}, {"active", false, &active}, {0}};
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt))
        return EXIT_USAGE;
    f.active_only = active != NULL;
    struct app_person *people;
    size_t n;
    int rc = app_person_list(&ctx->app, &ctx->arena, ctx->org.id, &f, &people, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, person_cols);
    for (size_t i = 0; i < n; i++) {
        const char *cells[PERSON_COLS];
        person_cells(&people[i], cells);
        cli_table_row(&t, cells);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int person_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *email;
    enum cli_format fmt;
    if (cli_parse_show(ctx, argc, argv, &email, &fmt, "person show EMAIL [--format table|json]"))
        return EXIT_USAGE;
    struct app_person p;
    int rc = app_person_get(&ctx->app, &ctx->arena, ctx->org.id, email, &p, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const char *cells[PERSON_COLS + 1];
    person_cells(&p, cells);
    cells[PERSON_COLS] = arena_printf(&ctx->arena, "%lld", (long long)p.version);
    cli_print_record(ctx->out, fmt, person_show_cols, cells, PERSON_COLS + 1);
    return EXIT_OK;
}

static bool person_patch_empty(const struct app_person *p)
{
    return !p->email && !p->name && !p->title && !p->department && !p->manager &&
           !p->start_date && !p->end_date && p->is_control_owner == APP_KEEP &&
           p->is_approver == APP_KEEP;
}

static int person_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct person_opts o = {.p = APP_PERSON_PATCH};
    const char *if_version = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {PERSON_FIELD_OPTS(o),
                                   {"email", true, &o.p.email},
                                   {"no-control-owner", false, &o.no_owner},
                                   {"no-approver", false, &o.no_approver},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || person_flags(&o, &ctx->e) ||
        cli_if_version(if_version, &o.p.version, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || person_patch_empty(&o.p))
        return cli_usage(ctx, "person edit EMAIL [--name NAME] [options] (give at least one "
                              "option; see 'tillit help person')");
    int rc = app_person_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &o.p, &ctx->e);
    return cli_done(ctx, rc, "updated person '%s'", o.p.email ? o.p.email : pos[0]);
}

static int person_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "person remove EMAIL"))
        return EXIT_USAGE;
    int rc = app_person_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed person '%s'", pos[0]);
}

int cmd_person(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"list", person_list},     {"show", person_show},
                                            {"add", person_add},       {"edit", person_edit},
                                            {"remove", person_remove}, {NULL, NULL}};
    return cli_dispatch(ctx, "person", verbs, argc, argv);
}
