/* plan.c - 'tillit plan': the project plan. */
#include "cli/cli.h"

#include "app/plan.h"
#include "base/js.h"
#include "report/ics.h"

#include <stdlib.h>
#include <string.h>

#define PLAN_FORMATS ((1u << FMT_TABLE) | (1u << FMT_JSON) | (1u << FMT_CSV))

static const char *date_str(struct arena *a, tl_date d)
{
    char buf[DATE_BUF];
    if (!d)
        return NULL;
    date_format(d, buf);
    return arena_strdup(a, buf);
}

static void print_ics(struct cli_ctx *ctx, const struct app_plan *p)
{
    struct sb sb = SB_INIT;
    char *name = arena_printf(&ctx->arena, "SOC 2 plan: %s", ctx->org.name);
    rpt_ics_begin(&sb, name);
    for (size_t i = 0; i < p->n_tasks; i++) {
        const struct app_plan_task *t = &p->tasks[i];
        char *uid = arena_printf(&ctx->arena, "%s.%s@tillit", t->code, ctx->org.slug);
        char *desc = arena_printf(&ctx->arena, "Phase %s. Owner: %s. Status: %s.", t->phase,
                                  t->owner ? t->owner : "unassigned", t->status);
        rpt_ics_event(&sb, uid, ctx->app.now, t->start, t->due, t->title, desc);
    }
    rpt_ics_end(&sb);
    fwrite(sb.buf, 1, sb.len, ctx->out);
    sb_release(&sb);
}

static json_t *plan_json(struct cli_ctx *ctx, const struct app_plan *p)
{
    json_t *o = json_object();
    struct arena *a = &ctx->arena;
    js_set_str(o, "start", date_str(a, p->start));
    js_set_str(o, "target", p->target);
    json_object_set_new(o, "days_per_week", json_integer(p->days_per_week));
    json_object_set_new(o, "observation_months", json_integer(p->observation_months));
    json_object_set_new(o, "tasks_done", json_integer((json_int_t)p->done));
    json_object_set_new(o, "tasks_late", json_integer((json_int_t)p->late));
    json_t *tasks = json_array();
    for (size_t i = 0; i < p->n_tasks; i++) {
        const struct app_plan_task *t = &p->tasks[i];
        json_t *j = json_object();
        js_set_str(j, "code", t->code);
        js_set_str(j, "phase", t->phase);
        js_set_str(j, "title", t->title);
        js_set_str(j, "owner", t->owner);
        js_set_str(j, "status", t->status);
        js_set_str(j, "depends_on", t->depends);
        js_set_str(j, "start", date_str(a, t->start));
        js_set_str(j, "due", date_str(a, t->due));
        js_set_str(j, "done_on", date_str(a, t->done_on));
        json_object_set_new(j, "late", json_boolean(t->late));
        json_object_set_new(j, "version", json_integer(t->version));
        json_array_append_new(tasks, j);
    }
    json_object_set_new(o, "tasks", tasks);
    return o;
}

static void print_plan(struct cli_ctx *ctx, const struct app_plan *p, enum cli_format fmt)
{
    if (fmt == FMT_JSON) {
        cli_print_json(ctx->out, plan_json(ctx, p));
        return;
    }
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"code", "phase", "start", "due", "status", "late", "owner",
                                    "title", "version", NULL});
    for (size_t i = 0; i < p->n_tasks; i++) {
        const struct app_plan_task *k = &p->tasks[i];
        cli_table_row(&t,
                      (const char *[]){k->code, k->phase, date_str(&ctx->arena, k->start),
                                       date_str(&ctx->arena, k->due), k->status,
                                       k->late ? "late" : "", k->owner, k->title,
                                       arena_printf(&ctx->arena, "%lld", (long long)k->version)});
    }
    cli_table_print(&t, fmt, ctx->out);
}

static int parse_int(struct cli_ctx *ctx, const char *opt, const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < -1000 || v > 1000) {
        ERR_SET(&ctx->e, TL_EUSAGE, "--%s must be a number, not '%s'", opt, s);
        return TL_EUSAGE;
    }
    *out = (int)v;
    return 0;
}

static int parse_format(struct cli_ctx *ctx, const char *format, enum cli_format *fmt, bool *ics)
{
    *ics = format && strcmp(format, "ics") == 0;
    if (*ics) {
        *fmt = FMT_TABLE;
        return 0;
    }
    if (cli_format(format, PLAN_FORMATS, fmt, &ctx->e) == 0)
        return 0;
    ERR_SET(&ctx->e, TL_EUSAGE, "unknown format '%s' (expected one of: table, json, csv, ics)",
            format);
    return TL_EUSAGE;
}

static int show(struct cli_ctx *ctx, const char *format)
{
    enum cli_format fmt;
    bool ics;
    if (parse_format(ctx, format, &fmt, &ics))
        return EXIT_USAGE;
    struct app_plan p;
    int rc = app_plan_get(&ctx->app, &ctx->arena, ctx->org.id, &p, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (ics)
        print_ics(ctx, &p);
    else
        print_plan(ctx, &p, fmt);
    return EXIT_OK;
}

static int create(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *start = NULL, *target = NULL, *dpw = "1", *obs = "6", *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {
        {"start", true, &start},       {"target", true, &target},
        {"days-per-week", true, &dpw}, {"observation-months", true, &obs},
        {"format", true, &format},     {0}};
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (!start && !target)
        return show(ctx, format);
    struct plan_params p = {.today = time_date(ctx->app.now)};
    if (!start || !target) {
        ERR_SET(&ctx->e, TL_EUSAGE, "a new plan needs --start DATE and --target type1|type2");
        return EXIT_USAGE;
    }
    if (date_parse(start, &p.start, &ctx->e) ||
        parse_int(ctx, "days-per-week", dpw, &p.days_per_week) ||
        parse_int(ctx, "observation-months", obs, &p.observation_months))
        return EXIT_USAGE;
    bool warning = false;
    int rc = app_plan_create(&ctx->app, &ctx->arena, ctx->org.id, &p, target, &warning, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (warning)
        fprintf(stderr,
                "tillit: warning: an observation window of %d months is shorter than "
                "the 6 months customers usually expect of a first Type II\n",
                p.observation_months);
    return show(ctx, format);
}

static int status(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, NULL, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    struct app_plan p;
    int rc = app_plan_get(&ctx->app, &ctx->arena, ctx->org.id, &p, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    int pct = p.effort_total ? 100 * p.effort_done / p.effort_total : 0;
    fprintf(ctx->out, "plan: %s from %s, finishing %s\n", p.target, date_str(&ctx->arena, p.start),
            p.n_tasks ? date_str(&ctx->arena, p.tasks[p.n_tasks - 1].due) : "-");
    fprintf(ctx->out, "progress: %zu of %zu tasks done (%d%% of staff effort), %zu late\n", p.done,
            p.n_tasks, pct, p.late);
    for (size_t i = 0; i < p.n_tasks; i++)
        if (p.tasks[i].late)
            fprintf(ctx->out, "late: %s (due %s, %s) %s\n", p.tasks[i].code,
                    date_str(&ctx->arena, p.tasks[i].due),
                    p.tasks[i].owner ? p.tasks[i].owner : "unassigned", p.tasks[i].title);
    for (size_t i = 0; i < p.n_tasks; i++) {
        if (strcmp(p.tasks[i].status, "done") != 0 && !p.tasks[i].late) {
            fprintf(ctx->out, "next: %s (due %s) %s\n", p.tasks[i].code,
                    date_str(&ctx->arena, p.tasks[i].due), p.tasks[i].title);
            break;
        }
    }
    return EXIT_OK;
}

static int task(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *st = NULL, *done_on = NULL, *owner = NULL, *if_version = NULL, *pos[1];
    int64_t expected = 0;
    int n_pos;
    const struct cli_opt opts[] = {{"status", true, &st},
                                   {"done-on", true, &done_on},
                                   {"owner", true, &owner},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_if_version(if_version, &expected, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || (!st && !owner)) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit plan task CODE [--status todo|doing|done] [--done-on DATE] "
                "[--owner EMAIL] [--if-version N]");
        return EXIT_USAGE;
    }
    int rc = app_plan_task_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], st, done_on, owner,
                                  expected, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "updated task '%s'\n", pos[0]);
    return EXIT_OK;
}

int cmd_plan(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "show") == 0) {
        const char *format = NULL, *pos[1];
        int n_pos;
        const struct cli_opt opts[] = {{"format", true, &format}, {0}};
        if (cli_parse(argc - 1, argv + 1, opts, pos, 0, &n_pos, &ctx->e))
            return EXIT_USAGE;
        return show(ctx, format);
    }
    if (verb && strcmp(verb, "status") == 0)
        return status(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "task") == 0)
        return task(argc - 1, argv + 1, ctx);
    if (verb && verb[0] != '-')
        return cli_bad_verb(ctx, verb, "show, status, task (or --start ... to lay out a plan)");
    return create(argc, argv, ctx);
}
