/* testing.c - 'tillit test', 'tillit finding', 'tillit remediation' and
 * 'tillit pbc': the workpapers of an engagement. */
#include "cli/cli.h"

#include "app/pbc.h"
#include "app/testing.h"
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

static const char *num_or_empty(struct cli_ctx *ctx, int64_t n)
{
    return n < 0 ? NULL : num(ctx, n);
}

static const char *rate(struct cli_ctx *ctx, double r)
{
    return r < 0 ? NULL : arena_printf(&ctx->arena, "%.1f%%", 100.0 * r);
}

/* --- tests ------------------------------------------------------------------ */

static int test_plan(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "test plan ENGAGEMENT") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_plan_result r = {0};
    int rc = app_test_plan(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], NULL, &r, &ctx->e);
    return cli_done(ctx, rc, "planned %zu test(s) in engagement '%s' (%zu already planned)",
                    r.added, pos[0], r.existing);
}

static const char *const test_cols[] = {
    "test",   "kind",   "method",     "frequency", "key",    "planned",    "population", "seed",
    "sample", "tested", "exceptions", "deviation", "status", "conclusion", NULL};

static void test_cells(struct cli_ctx *ctx, const struct app_test *t, const char **c)
{
    c[0] = t->ref;
    c[1] = t->kind;
    c[2] = t->method;
    c[3] = t->frequency;
    c[4] = cli_yes_no(t->key);
    c[5] = t->planned_size ? num(ctx, t->planned_size) : "by population";
    c[6] = num_or_empty(ctx, t->population_size);
    c[7] = t->seed;
    c[8] = num_or_empty(ctx, t->sample_size);
    c[9] = num(ctx, t->tested);
    c[10] = num(ctx, t->exceptions);
    c[11] = rate(ctx, t->deviation_rate);
    c[12] = t->status;
    c[13] = t->conclusion;
}

static int test_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args_list(ctx, argc, argv, NULL, pos, 1, 1,
                            "test list ENGAGEMENT [--format table|json|csv]", &fmt) ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_test *ts;
    size_t n;
    int rc = app_test_list(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &ts, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, test_cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[14];
        test_cells(ctx, &ts[i], c);
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int test_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *ref;
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_show(ctx, argc, argv, &ref, &fmt, "test show TEST [--format table|json]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_test t;
    int rc = app_test_get(&ctx->app, &ctx->arena, ctx->org.id, &who, ref, &t, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const names[] = {
        "test",         "control",      "title",     "kind",      "retest_of",  "method",
        "frequency",    "type",         "key",       "planned",   "size_basis", "population",
        "sha256",       "source",       "seed",      "sample",    "drawn_at",   "tested",
        "passed",       "exceptions",   "tolerable", "deviation", "status",     "conclusion",
        "concluded_at", "concluded_by", "steps"};
    const char *c[] = {t.ref,
                       t.control,
                       t.control_title,
                       t.kind,
                       t.retest_of,
                       t.method,
                       t.frequency,
                       t.control_type,
                       cli_yes_no(t.key),
                       t.planned_size ? num(ctx, t.planned_size) : "by population",
                       t.size_basis,
                       num_or_empty(ctx, t.population_size),
                       t.population_hash,
                       t.population_source,
                       t.seed,
                       num_or_empty(ctx, t.sample_size),
                       t.drawn_at,
                       num(ctx, t.tested),
                       num(ctx, t.passed),
                       num(ctx, t.exceptions),
                       t.conclusion ? num(ctx, t.tolerable) : NULL,
                       rate(ctx, t.deviation_rate),
                       t.status,
                       t.conclusion,
                       t.concluded_at,
                       t.concluded_by,
                       t.steps};
    size_t n = sizeof(names) / sizeof(names[0]);
    if (fmt == FMT_JSON) {
        cli_print_record(ctx->out, fmt, names, c, n);
        return EXIT_OK;
    }
    cli_print_record(ctx->out, fmt, names, c, n - 1);
    fprintf(ctx->out, "\nprocedure:\n");
    int step = 1;
    for (const char *p = t.steps; p && *p; step++) {
        size_t len = strcspn(p, "\n");
        fprintf(ctx->out, "  %d. %.*s\n", step, (int)len, p);
        p += len + (p[len] == '\n');
    }
    return EXIT_OK;
}

static int test_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *method = NULL, *steps = NULL, *file = NULL;
    const struct cli_opt opts[] = {
        {"method", true, &method}, {"steps", true, &steps}, {"steps-file", true, &file}, {0}};
    struct app_who who;
    const char *usage = "test edit TEST [--method M] [--steps 'STEP|STEP...' | --steps-file F]";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, usage) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (steps && file) {
        ERR_SET(&ctx->e, TL_EUSAGE, "options '--steps' and '--steps-file' contradict each other");
        return EXIT_USAGE;
    }
    struct sb sb;
    sb_init_capped(&sb, 1024 * 1024);
    int rc = 0;
    if (file) {
        rc = sb_read_file(&sb, file, &ctx->e);
        while (rc == 0 && sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
            sb_setlen(&sb, sb.len - 1);
        steps = sb.buf;
    } else if (steps) {
        for (const char *p = steps; *p; p++)
            sb_addc(&sb, *p == '|' ? '\n' : *p);
        steps = sb.buf;
    }
    if (rc == 0)
        rc = app_test_edit(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], method, steps,
                           &ctx->e);
    sb_release(&sb);
    return cli_done(ctx, rc, "updated test '%s'", pos[0]);
}

static int test_population(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_population_in in = {0};
    const struct cli_opt opts[] = {CLI_POPULATION_OPTS(in), {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "test population TEST [--file FILE | --dataset NAME] [--column C] "
                       "[--date-column D]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    if (!in.path && !in.dataset) {
        const char **items;
        size_t n;
        int rc = app_test_population_items(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0],
                                           &items, &n, &ctx->e);
        if (rc)
            return cli_exit_for(rc);
        for (size_t i = 0; i < n; i++)
            fprintf(ctx->out, "%s\n", items[i]);
        return EXIT_OK;
    }
    struct app_population_result r;
    int rc =
        app_test_population(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &in, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "population of test '%s': %lld item(s)", pos[0], (long long)r.size);
    if (r.outside)
        fprintf(ctx->out, " (%lld read, %lld dated outside the period)", (long long)r.read,
                (long long)r.outside);
    fprintf(ctx->out, ", sha256 %s\nthe sampling table gives %lld (%s)\n", r.hash,
            (long long)r.planned_size, r.size_basis);
    if (r.sample_dropped)
        fprintf(stderr, "tillit: warning: the sample drawn from the previous population was "
                        "removed: draw it again\n");
    return EXIT_OK;
}

static int test_result(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2], *pass = NULL, *exception = NULL, *evidence = NULL, *note = NULL;
    const struct cli_opt opts[] = {{"pass", false, &pass},
                                   {"exception", true, &exception},
                                   {"evidence", true, &evidence},
                                   {"note", true, &note},
                                   {0}};
    struct app_who who;
    const char *usage = "test result TEST [ITEM] --pass [--note TEXT] | --exception TEXT "
                        "[--evidence ID,...]";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 2, usage) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (!!pass == !!exception)
        return cli_usage(ctx, usage);
    if (exception && note) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "an exception is described by its text: '--note' is for a pass");
        return EXIT_USAGE;
    }
    struct app_result_in in = {.item = pos[1],
                               .result = pass ? "pass" : "exception",
                               .description = pass ? note : exception,
                               .evidence = evidence};
    int rc = app_test_result(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &in, &ctx->e);
    return cli_done(ctx, rc, "recorded %s for %s of test '%s'", in.result,
                    pos[1] ? arena_printf(&ctx->arena, "item '%s'", pos[1]) : "the walkthrough",
                    pos[0]);
}

static int test_results(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char *const cols[] = {"pos",      "item",      "result",    "description",
                                       "evidence", "tested_by", "tested_at", NULL};
    const char *pos[1];
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args_list(ctx, argc, argv, NULL, pos, 1, 1,
                            "test results TEST [--format table|json|csv]", &fmt) ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_sample_item *items;
    size_t n;
    int rc =
        app_sample_list(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &items, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[] = {num(ctx, items[i].pos), items[i].item,     items[i].result,
                           items[i].description,   items[i].evidence, items[i].tested_by,
                           items[i].tested_at};
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int test_conclude(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "test conclude TEST") || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_conclude_result r;
    int rc = app_test_conclude(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out,
            "test '%s' concluded: %s (%lld exception(s) in %lld tested, deviation rate %.1f%%, "
            "%lld tolerated)\n",
            pos[0], r.conclusion, (long long)r.exceptions, (long long)r.tested,
            100.0 * r.deviation_rate, (long long)r.tolerable);
    if (r.finding)
        fprintf(ctx->out, "raised finding %s\n", r.finding);
    return EXIT_OK;
}

int cmd_test(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"plan", test_plan},
                                            {"list", test_list},
                                            {"show", test_show},
                                            {"edit", test_edit},
                                            {"population", test_population},
                                            {"result", test_result},
                                            {"results", test_results},
                                            {"conclude", test_conclude},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "test", verbs, argc, argv);
}

/* --- findings ------------------------------------------------------------------ */

static const char *join_list(struct cli_ctx *ctx, const char *const *items, size_t n)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", items[i]);
    const char *out = arena_strdup(&ctx->arena, sb.buf);
    sb_release(&sb);
    return out;
}

static int finding_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char *const cols[] = {"code",   "engagement", "test",  "severity",
                                       "status", "title",      "items", NULL};
    const char *pos[1];
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args_list(ctx, argc, argv, NULL, pos, 0, 1,
                            "finding list [ENGAGEMENT] [--format table|json|csv]", &fmt) ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_finding *fs;
    size_t n;
    int rc = app_finding_list(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &fs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[] = {fs[i].code,
                           fs[i].engagement,
                           fs[i].test,
                           fs[i].severity,
                           fs[i].status,
                           fs[i].title,
                           join_list(ctx, fs[i].items, fs[i].n_items)};
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int finding_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *code;
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_show(ctx, argc, argv, &code, &fmt, "finding show CODE [--format table|json]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_finding f;
    int rc = app_finding_get(&ctx->app, &ctx->arena, ctx->org.id, &who, code, &f, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const names[] = {"code",       "engagement", "test",       "control",
                                        "severity",   "status",     "title",      "items",
                                        "root_cause", "response",   "created_at", "description"};
    const char *c[] = {f.code,       f.engagement, f.test,       f.control,
                       f.severity,   f.status,     f.title,      join_list(ctx, f.items, f.n_items),
                       f.root_cause, f.response,   f.created_at, f.description};
    cli_print_record(ctx->out, fmt, names, c, sizeof(names) / sizeof(names[0]));
    return EXIT_OK;
}

static int finding_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *items = NULL;
    struct app_finding in = {0};
    const struct cli_opt opts[] = {{"title", true, &in.title},
                                   {"description", true, &in.description},
                                   {"severity", true, &in.severity},
                                   {"items", true, &items},
                                   {0}};
    struct app_who who;
    const char *usage = "finding add TEST --title TEXT --severity low|medium|high "
                        "[--description TEXT] [--items ITEM,...]";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, usage) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (items)
        cli_split_list(&ctx->arena, items, &in.items, &in.n_items);
    const char *code = NULL;
    int rc =
        app_finding_add(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &in, &code, &ctx->e);
    return cli_done(ctx, rc, "raised finding %s on test '%s'", rc ? "" : code, pos[0]);
}

static int finding_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_finding p = {0};
    const struct cli_opt opts[] = {{"title", true, &p.title},
                                   {"description", true, &p.description},
                                   {"severity", true, &p.severity},
                                   {"root-cause", true, &p.root_cause},
                                   {"response", true, &p.response},
                                   {"status", true, &p.status},
                                   {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "finding edit CODE [--title T] [--description T] [--severity S] "
                       "[--root-cause T] [--response T] [--status open|remediating|closed]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    int rc = app_finding_edit(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &p, &ctx->e);
    return cli_done(ctx, rc, "updated finding %s", pos[0]);
}

int cmd_finding(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"list", finding_list},
                                            {"show", finding_show},
                                            {"add", finding_add},
                                            {"edit", finding_edit},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "finding", verbs, argc, argv);
}

/* --- remediation ---------------------------------------------------------------- */

static int rem_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char *const cols[] = {"code",   "finding", "action", "owner", "due",
                                       "status", "done_on", "retest", NULL};
    const char *finding = NULL;
    const struct cli_opt opts[] = {{"finding", true, &finding}, {0}};
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt) || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_remediation *rs;
    size_t n;
    int rc =
        app_remediation_list(&ctx->app, &ctx->arena, ctx->org.id, &who, finding, &rs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[] = {rs[i].code, rs[i].finding, rs[i].action,  rs[i].owner,
                           rs[i].due,  rs[i].status,  rs[i].done_on, rs[i].retest};
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int rem_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_remediation in = {0};
    const struct cli_opt opts[] = {
        {"action", true, &in.action}, {"owner", true, &in.owner}, {"due", true, &in.due}, {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "remediation add FINDING --action TEXT [--owner EMAIL] [--due DATE]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    const char *code = NULL;
    int rc =
        app_remediation_add(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &in, &code, &ctx->e);
    return cli_done(ctx, rc, "added remediation item %s to finding %s", rc ? "" : code, pos[0]);
}

static int rem_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_remediation p = {0};
    const struct cli_opt opts[] = {{"action", true, &p.action},
                                   {"owner", true, &p.owner},
                                   {"due", true, &p.due},
                                   {"status", true, &p.status},
                                   {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "remediation edit CODE [--action T] [--owner EMAIL] [--due DATE] "
                       "[--status open|in-progress|done]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    int rc = app_remediation_edit(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &p, &ctx->e);
    return cli_done(ctx, rc, "updated remediation item %s", pos[0]);
}

static int rem_retest(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *slug = NULL;
    const struct cli_opt opts[] = {{"engagement", true, &slug}, {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "remediation retest CODE [--engagement SLUG]") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    const char *ref = NULL;
    int rc = app_remediation_retest(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], slug, &ref,
                                    &ctx->e);
    return cli_done(ctx, rc, "planned retest '%s' for remediation item %s", rc ? "" : ref, pos[0]);
}

int cmd_remediation(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"list", rem_list},
                                            {"add", rem_add},
                                            {"edit", rem_edit},
                                            {"retest", rem_retest},
                                            {NULL, NULL}};
    return cli_dispatch(ctx, "remediation", verbs, argc, argv);
}

/* --- the request list -------------------------------------------------------------- */

/* Splits "ENGAGEMENT:REF". */
static int split_ref(struct cli_ctx *ctx, const char *arg, const char **slug, const char **ref)
{
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg || !colon[1]) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "'%s' is not a request (expected ENGAGEMENT:REF, e.g. "
                "type2-2026:PBC-001)",
                arg);
        return EXIT_USAGE;
    }
    *slug = arena_strndup(&ctx->arena, arg, (size_t)(colon - arg));
    *ref = colon + 1;
    return 0;
}

static int pbc_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_pbc_item in = {0};
    const struct cli_opt opts[] = {{"request", true, &in.request}, {"control", true, &in.control},
                                   {"owner", true, &in.owner},     {"due", true, &in.due},
                                   {"ref", true, &in.ref},         {0}};
    struct app_who who;
    const char *usage = "pbc add ENGAGEMENT --request TEXT [--control CODE] [--owner EMAIL] "
                        "[--due DATE] [--ref REF]";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, usage) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (!in.request)
        return cli_usage(ctx, usage);
    const char *ref = NULL;
    int rc = app_pbc_add(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &in, &ref, &ctx->e);
    return cli_done(ctx, rc, "added request %s:%s", pos[0], rc ? "" : ref);
}

static const char *const pbc_cols[] = {"ref",    "request",  "control",  "owner", "due",
                                       "status", "evidence", "comments", NULL};

static void pbc_cells(struct cli_ctx *ctx, const struct app_pbc_item *it, const char **c)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < it->n_comments; i++)
        sb_addf(&sb, "%s%s %s: %s", i ? "\n" : "", it->comments[i].on, it->comments[i].author,
                it->comments[i].text);
    c[0] = it->ref;
    c[1] = it->request;
    c[2] = it->control;
    c[3] = it->owner;
    c[4] = it->due;
    c[5] = it->status;
    c[6] = join_list(ctx, it->evidence, it->n_evidence);
    c[7] = arena_strdup(&ctx->arena, sb.buf);
    sb_release(&sb);
}

static int pbc_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_pbc_filter f = {0};
    const struct cli_opt opts[] = {{"status", true, &f.status}, {"owner", true, &f.owner}, {0}};
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args_list(ctx, argc, argv, opts, pos, 1, 1,
                            "pbc list ENGAGEMENT [--status S] [--owner EMAIL] [--format F]",
                            &fmt) ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_pbc_item *items;
    size_t n;
    int rc =
        app_pbc_list(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &f, &items, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, pbc_cols);
    for (size_t i = 0; i < n; i++) {
        const char *c[8];
        pbc_cells(ctx, &items[i], c);
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int pbc_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *arg, *slug, *ref;
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_show(ctx, argc, argv, &arg, &fmt,
                       "pbc show ENGAGEMENT:REF [--format table|json]") ||
        split_ref(ctx, arg, &slug, &ref) || who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_pbc_item it;
    int rc = app_pbc_get(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, ref, &it, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const char *c[8];
    pbc_cells(ctx, &it, c);
    cli_print_record(ctx->out, fmt, pbc_cols, c, 8);
    return EXIT_OK;
}

static int pbc_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *slug, *ref;
    struct app_pbc_item p = {0};
    const struct cli_opt opts[] = {{"request", true, &p.request},
                                   {"control", true, &p.control},
                                   {"owner", true, &p.owner},
                                   {"due", true, &p.due},
                                   {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "pbc edit ENGAGEMENT:REF [--request T] [--control CODE] [--owner EMAIL] "
                       "[--due DATE]") ||
        split_ref(ctx, pos[0], &slug, &ref) || who_of(ctx, &who))
        return EXIT_USAGE;
    int rc = app_pbc_edit(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, ref, &p, &ctx->e);
    return cli_done(ctx, rc, "updated request %s", pos[0]);
}

static int pbc_status(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2], *slug, *ref;
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 2, 2,
                       "pbc status ENGAGEMENT:REF open|submitted|accepted|returned") ||
        split_ref(ctx, pos[0], &slug, &ref) || who_of(ctx, &who))
        return EXIT_USAGE;
    int rc =
        app_pbc_set_status(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, ref, pos[1], &ctx->e);
    return cli_done(ctx, rc, "request %s is %s", pos[0], pos[1]);
}

static int pbc_attach(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *slug, *ref, *evidence = NULL;
    const struct cli_opt opts[] = {{"evidence", true, &evidence}, {0}};
    struct app_who who;
    const char *usage = "pbc attach ENGAGEMENT:REF --evidence ID[,ID...]";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, usage) ||
        split_ref(ctx, pos[0], &slug, &ref) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (!evidence)
        return cli_usage(ctx, usage);
    int rc =
        app_pbc_attach(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, ref, evidence, &ctx->e);
    return cli_done(ctx, rc, "attached evidence to request %s", pos[0]);
}

static int pbc_comment(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *slug, *ref, *text = NULL;
    const struct cli_opt opts[] = {{"text", true, &text}, {0}};
    struct app_who who;
    const char *usage = "pbc comment ENGAGEMENT:REF --text TEXT";
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1, usage) ||
        split_ref(ctx, pos[0], &slug, &ref) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (!text)
        return cli_usage(ctx, usage);
    int rc = app_pbc_comment(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, ref, text, &ctx->e);
    return cli_done(ctx, rc, "commented on request %s", pos[0]);
}

static int pbc_export(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *out = NULL;
    const struct cli_opt opts[] = {{"output", true, &out}, {0}};
    struct app_who who;
    const char *usage = "pbc export ENGAGEMENT --output FILE.csv|FILE.xlsx";
    /* -o is the short form of --output, as in 'evidence export'. */
    const char **args = arena_calloc(&ctx->arena, (size_t)argc + 1, sizeof(*args));
    for (int i = 0; i < argc; i++)
        args[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
    if (cli_parse_args(ctx, argc, args, opts, pos, 1, 1, usage) || who_of(ctx, &who))
        return EXIT_USAGE;
    if (!out)
        return cli_usage(ctx, usage);
    int rc = app_pbc_export(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], out, &ctx->e);
    return cli_done(ctx, rc, "wrote the request list of engagement '%s' to '%s'", pos[0], out);
}

static int pbc_import(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[2];
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 2, 2,
                       "pbc import ENGAGEMENT FILE.csv|FILE.xlsx") ||
        who_of(ctx, &who))
        return EXIT_USAGE;
    struct app_pbc_import r = {0};
    int rc = app_pbc_import(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], pos[1], &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (*r.ignored)
        fprintf(stderr, "tillit: warning: columns not read: %s\n", r.ignored);
    fprintf(ctx->out, "imported '%s': %zu added, %zu updated, %zu unchanged\n", pos[1], r.added,
            r.updated, r.unchanged);
    return EXIT_OK;
}

int cmd_pbc(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {{"add", pbc_add},         {"list", pbc_list},
                                            {"show", pbc_show},       {"edit", pbc_edit},
                                            {"status", pbc_status},   {"attach", pbc_attach},
                                            {"comment", pbc_comment}, {"export", pbc_export},
                                            {"import", pbc_import},   {NULL, NULL}};
    return cli_dispatch(ctx, "pbc", verbs, argc, argv);
}
