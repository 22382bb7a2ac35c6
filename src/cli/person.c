/* person.c - 'tillit person list|show|add|edit|remove'. */
#include "cli/cli.h"

#include "app/person.h"
#include "base/js.h"

#include <string.h>

#define PERSON_COLS 10

static const char *const person_cols[PERSON_COLS + 1] = {
    "email",    "name",          "title",    "department", "manager", "start_date",
    "end_date", "control_owner", "approver", "active",     NULL};

static const char *yes_no(int flag)
{
    return flag ? "yes" : "no";
}

static void person_cells(const struct app_person *p, const char *cells[PERSON_COLS])
{
    const char *v[PERSON_COLS] = {p->email,
                                  p->name,
                                  p->title,
                                  p->department,
                                  p->manager,
                                  p->start_date,
                                  p->end_date,
                                  yes_no(p->is_control_owner),
                                  yes_no(p->is_approver),
                                  yes_no(p->active)};
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
    struct app_person out;
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {PERSON_FIELD_OPTS(o), {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || person_flags(&o, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !o.p.name) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit person add EMAIL --name NAME [options]");
        return EXIT_USAGE;
    }
    o.p.email = pos[0];
    int rc = app_person_create(&ctx->app, &ctx->arena, ctx->org.id, &o.p, &out, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "added person '%s' (%s)\n", out.email, out.name);
    return EXIT_OK;
}

static int person_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *active = NULL, *pos[1];
    struct app_person_filter f = {0};
    int n_pos;
    const struct cli_opt opts[] = {
        {"format", true, &format}, {"department", true, &f.department}, {"active", false, &active},
        {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e))
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

static void print_person(FILE *out, const struct app_person *p)
{
    const char *cells[PERSON_COLS];
    person_cells(p, cells);
    for (size_t i = 0; i < PERSON_COLS; i++)
        fprintf(out, "%s:%*s%s\n", person_cols[i], (int)(15 - strlen(person_cols[i])), "",
                cells[i] ? cells[i] : "");
}

static int person_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 3, &fmt, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit person show EMAIL [--format table|json]");
        return EXIT_USAGE;
    }
    struct app_person p;
    int rc = app_person_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &p, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt != FMT_JSON) {
        print_person(ctx->out, &p);
        return EXIT_OK;
    }
    const char *cells[PERSON_COLS];
    person_cells(&p, cells);
    json_t *j = json_object();
    for (size_t i = 0; i < PERSON_COLS; i++)
        js_set_str(j, person_cols[i], cells[i]);
    cli_print_json(ctx->out, j);
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
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {PERSON_FIELD_OPTS(o),
                                   {"email", true, &o.p.email},
                                   {"no-control-owner", false, &o.no_owner},
                                   {"no-approver", false, &o.no_approver},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) || person_flags(&o, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || person_patch_empty(&o.p)) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit person edit EMAIL [--name NAME] [options] (give at least one "
                "option; see 'tillit help person')");
        return EXIT_USAGE;
    }
    int rc = app_person_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &o.p, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "updated person '%s'\n", o.p.email ? o.p.email : pos[0]);
    return EXIT_OK;
}

static int person_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit person remove EMAIL");
        return EXIT_USAGE;
    }
    int rc = app_person_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "removed person '%s'\n", pos[0]);
    return EXIT_OK;
}

int cmd_person(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "list") == 0)
        return person_list(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "show") == 0)
        return person_show(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "add") == 0)
        return person_add(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "edit") == 0)
        return person_edit(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "remove") == 0)
        return person_remove(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "list, show, add, edit, remove");
}
