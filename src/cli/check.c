/* check.c - 'tillit check list|show|run'.
 *
 * The command's row asks the dispatcher for no setup: list and show read
 * the check pack (content), which needs no database; run opens the
 * database and resolves the organization itself.
 */
#include "cli/cli.h"

#include "app/checks.h"
#include "base/js.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *join(struct cli_ctx *ctx, const char *const *list, size_t n, const char *sep)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s", i ? sep : "", list[i]);
    const char *s = arena_strdup(&ctx->arena, sb.buf);
    sb_release(&sb);
    return s;
}

static json_t *str_array(const char *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

static int check_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_check *all;
    size_t n;
    int rc = app_check_list(&ctx->app, &ctx->arena, ctx->lang, &all, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const cols[] = {"id", "title", "controls", "criteria", "datasets", NULL};
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        const struct eng_check *c = all[i].def;
        const char *cells[] = {all[i].id, all[i].title, join(ctx, c->controls, c->n_controls, ","),
                               join(ctx, c->criteria, c->n_criteria, ","),
                               join(ctx, c->datasets, c->n_datasets, ",")};
        cli_table_row(&t, cells);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

/* The last runs, when there is a database with the organization. */
static void show_runs(struct cli_ctx *ctx, const char *id, json_t *j)
{
    struct err quiet = ERR_INIT;
    struct app_org org;
    if (app_open_db(&ctx->app, ctx->db_url, true, &quiet) != 0 ||
        app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &org, &quiet) != 0 ||
        store_set_tenant(ctx->app.store, org.id, &quiet) != 0)
        return;
    struct app_check_run_row *runs;
    size_t n;
    if (app_check_runs(&ctx->app, &ctx->arena, org.id, id, 5, &runs, &n, &quiet) != 0)
        return;
    json_t *arr = json_array();
    if (!j && n)
        fprintf(ctx->out, "\nlast runs (%s):\n", org.slug);
    for (size_t i = 0; i < n; i++) {
        const struct app_check_run_row *r = &runs[i];
        if (!j) {
            fprintf(ctx->out, "  %s  %-4s  as of %s  population %lld, exceptions %lld%s%s\n",
                    r->ran_at, r->result, r->as_of, (long long)r->population,
                    (long long)r->exceptions, r->evidence_id ? "  evidence " : "",
                    r->evidence_id ? r->evidence_id : "");
            continue;
        }
        json_t *o = json_object();
        js_set_str(o, "id", r->id);
        js_set_str(o, "ran_at", r->ran_at);
        js_set_str(o, "as_of", r->as_of);
        js_set_str(o, "result", r->result);
        json_object_set_new(o, "population", json_integer(r->population));
        json_object_set_new(o, "exceptions", json_integer(r->exceptions));
        js_set_str(o, "evidence_id", r->evidence_id);
        json_array_append_new(arr, o);
    }
    if (j)
        json_object_set_new(j, "runs", arr);
    else
        json_decref(arr);
}

static int check_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 3, &fmt, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit check show ID [--format table|json]");
        return EXIT_USAGE;
    }
    struct app_check ck;
    int rc = app_check_get(&ctx->app, &ctx->arena, ctx->lang, pos[0], &ck, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const struct eng_check *c = ck.def;
    if (fmt == FMT_JSON) {
        json_t *j = json_object();
        js_set_str(j, "id", ck.id);
        js_set_str(j, "title", ck.title);
        js_set_str(j, "description", ck.description);
        js_set_str(j, "file", ck.path);
        json_object_set_new(j, "controls", str_array(c->controls, c->n_controls));
        json_object_set_new(j, "criteria", str_array(c->criteria, c->n_criteria));
        json_object_set_new(j, "datasets", str_array(c->datasets, c->n_datasets));
        js_set_str(j, "population", c->population);
        js_set_str(j, "sql", c->sql);
        show_runs(ctx, ck.id, j);
        cli_print_json(ctx->out, j);
        return EXIT_OK;
    }
    fprintf(ctx->out, "id:          %s\ntitle:       %s\n", ck.id, ck.title);
    if (ck.description)
        fprintf(ctx->out, "description: %s\n", ck.description);
    fprintf(ctx->out, "file:        %s\ncontrols:    %s\ncriteria:    %s\ndatasets:    %s\n",
            ck.path, join(ctx, c->controls, c->n_controls, ", "),
            join(ctx, c->criteria, c->n_criteria, ", "),
            join(ctx, c->datasets, c->n_datasets, ", "));
    fprintf(ctx->out, "\npopulation:\n%s\nsql:\n%s", c->population, c->sql);
    show_runs(ctx, ck.id, NULL);
    return EXIT_OK;
}

/* --- run --------------------------------------------------------------------------- */

static const char *status_name(enum app_check_status s)
{
    return s == APP_CHECK_PASS ? "pass" : s == APP_CHECK_FAIL ? "fail" : "skipped";
}

static json_t *run_json(const struct app_check_run *r)
{
    json_t *o = json_object();
    js_set_str(o, "check", r->check.id);
    js_set_str(o, "title", r->check.title);
    js_set_str(o, "result", status_name(r->status));
    if (r->status == APP_CHECK_SKIPPED) {
        js_set_str(o, "reason", r->skipped);
        return o;
    }
    json_object_set_new(o, "population", json_integer(r->population));
    json_object_set_new(o, "exceptions", json_integer(r->exceptions));
    js_set_str(o, "as_of", r->as_of);
    js_set_str(o, "period_start", r->period_start);
    js_set_str(o, "period_end", r->period_end);
    js_set_str(o, "run_id", r->run_id);
    js_set_str(o, "evidence_id", r->evidence_id);
    if (r->evidence_note)
        js_set_str(o, "evidence_note", r->evidence_note);
    js_set_str(o, "sql_sha256", r->sql_sha256);
    json_t *ds = json_loads(r->datasets_json, 0, NULL);
    json_object_set_new(o, "datasets", ds ? ds : json_array());
    json_object_set_new(o, "columns", str_array(r->cols, r->n_cols));
    json_t *rows = json_loads(r->rows_json, 0, NULL);
    json_object_set_new(o, "rows", rows ? rows : json_array());
    return o;
}

static void print_run(struct cli_ctx *ctx, const struct app_check_run *r, int64_t limit)
{
    if (r->status == APP_CHECK_SKIPPED) {
        fprintf(ctx->out, "SKIP  %s: %s\n", r->check.id, r->skipped);
        return;
    }
    fprintf(ctx->out, "%s  %s: %s\n      population %lld, exceptions %lld; ",
            r->status == APP_CHECK_PASS ? "PASS" : "FAIL", r->check.id, r->check.title,
            (long long)r->population, (long long)r->exceptions);
    if (r->evidence_id)
        fprintf(ctx->out, "evidence %s\n", r->evidence_id);
    else
        fprintf(ctx->out, "%s\n", r->evidence_note ? r->evidence_note : "no evidence");
    if (r->n_rows == 0)
        return;
    struct cli_table t;
    const char **cols = arena_calloc(&ctx->arena, r->n_cols + 1, sizeof(char *));
    memcpy(cols, r->cols, r->n_cols * sizeof(char *));
    cli_table_init(&t, &ctx->arena, cols);
    size_t shown = (int64_t)r->n_rows < limit ? r->n_rows : (size_t)limit;
    for (size_t i = 0; i < shown; i++)
        cli_table_row(&t, r->cells + i * r->n_cols);
    cli_table_print(&t, FMT_TABLE, ctx->out);
    if ((int64_t)shown < r->exceptions)
        fprintf(ctx->out,
                "... and %lld more (the first %d are in the run's evidence and "
                "--format json)\n",
                (long long)(r->exceptions - (int64_t)shown), APP_CHECK_KEEP_ROWS);
    fprintf(ctx->out, "\n");
}

static int check_run(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *all = NULL, *limit_s = NULL, *pos[1];
    struct app_check_run_in in = {.lang = ctx->lang};
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format},  {"all", false, &all},
                                   {"as-of", true, &in.as_of}, {"period", true, &in.period},
                                   {"limit", true, &limit_s},  {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 3, &fmt, &ctx->e))
        return EXIT_USAGE;
    int64_t limit = 20;
    if (limit_s) {
        char *end;
        errno = 0;
        long long v = strtoll(limit_s, &end, 10);
        if (*limit_s < '0' || *limit_s > '9' || *end || errno) {
            ERR_SET(&ctx->e, TL_EUSAGE, "--limit must be a whole number, not '%s'", limit_s);
            return EXIT_USAGE;
        }
        limit = v;
    }
    if ((n_pos == 1) == (all != NULL)) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit check run ID|--all [--as-of DATE] [--period START..END] "
                "[--format table|json] [--limit N]");
        return EXIT_USAGE;
    }
    in.id = n_pos ? pos[0] : NULL;
    int rc = app_open_db(&ctx->app, ctx->db_url, false, &ctx->e);
    if (rc == 0)
        rc = app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &ctx->org, &ctx->e);
    if (rc == 0)
        rc = store_set_tenant(ctx->app.store, ctx->org.id, &ctx->e);
    struct app_check_run *runs = NULL;
    size_t n = 0;
    if (rc == 0)
        rc = app_check_run(&ctx->app, &ctx->arena, &ctx->org, &in, &runs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    size_t pass = 0, fail = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        pass += runs[i].status == APP_CHECK_PASS;
        fail += runs[i].status == APP_CHECK_FAIL;
        skipped += runs[i].status == APP_CHECK_SKIPPED;
    }
    if (fmt == FMT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, run_json(&runs[i]));
        cli_print_json(ctx->out, arr);
    } else {
        for (size_t i = 0; i < n; i++)
            print_run(ctx, &runs[i], limit);
        const struct app_check_run *ran = NULL, *period = NULL;
        for (size_t i = 0; i < n; i++) {
            if (runs[i].status == APP_CHECK_SKIPPED)
                continue;
            ran = ran ? ran : &runs[i];
            if (!period && strcmp(runs[i].period_start, runs[i].period_end) != 0)
                period = &runs[i];
        }
        fprintf(ctx->out, "%zu check%s: %zu passed, %zu failed, %zu skipped", n, n == 1 ? "" : "s",
                pass, fail, skipped);
        if (ran)
            fprintf(ctx->out, " (as of %s", ran->as_of);
        if (period)
            fprintf(ctx->out, ", period %s..%s", period->period_start, period->period_end);
        fprintf(ctx->out, "%s\n", ran ? ")" : "");
    }
    return fail ? EXIT_CHECK : EXIT_OK;
}

int cmd_check(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "list") == 0)
        return check_list(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "show") == 0)
        return check_show(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "run") == 0)
        return check_run(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "list, show, run");
}
