/* sample.c - 'tillit sample draw|verify|show': seeded, reproducible samples. */
#include "cli/cli.h"

#include "app/testing.h"
#include "base/js.h"

#include <stdlib.h>
#include <string.h>

static const char *const sample_cols[] = {"pos",         "index",    "item",      "date", "result",
                                          "description", "evidence", "tested_by", NULL};

static void print_items(struct cli_ctx *ctx, const struct app_sample_item *items, size_t n,
                        enum cli_format fmt)
{
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, sample_cols);
    for (size_t i = 0; i < n; i++) {
        const struct app_sample_item *s = &items[i];
        const char *c[] = {arena_printf(&ctx->arena, "%lld", (long long)s->pos),
                           s->idx >= 0 ? arena_printf(&ctx->arena, "%lld", (long long)s->idx)
                                       : NULL,
                           s->item,
                           s->item_date,
                           s->result,
                           s->description,
                           s->evidence,
                           s->tested_by};
        cli_table_row(&t, c);
    }
    cli_table_print(&t, fmt, ctx->out);
}

static int sample_draw(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1], *seed = NULL, *size = NULL;
    const struct cli_opt opts[] = {{"seed", true, &seed}, {"size", true, &size}, {0}};
    enum cli_format fmt;
    struct app_who who;
    const char *usage = "sample draw TEST --seed N [--size K] [--format table|json|csv]";
    if (cli_parse_args_list(ctx, argc, argv, opts, pos, 1, 1, usage, &fmt) ||
        app_who_from_env(&who, &ctx->e))
        return EXIT_USAGE;
    if (!seed)
        return cli_usage(ctx, usage);
    int64_t k = 0;
    if (size) {
        char *end = NULL;
        long long v = strtoll(size, &end, 10);
        if (!*size || !end || *end || v < 1) {
            ERR_SET(&ctx->e, TL_EINPUT, "sample size '%s' is not a number of at least 1", size);
            return EXIT_USAGE;
        }
        k = v;
    }
    struct app_draw_result r;
    int rc =
        app_sample_draw(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], seed, k, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (r.warning)
        fprintf(stderr, "tillit: warning: %s\n", r.warning);
    if (fmt == FMT_TABLE)
        fprintf(ctx->out,
                "drew %lld of %lld items for test '%s' with seed %s\n"
                "population sha256 %s\n\n",
                (long long)r.size, (long long)r.population_size, pos[0], r.seed, r.population_hash);
    print_items(ctx, r.items, r.n, fmt);
    return EXIT_OK;
}

static int sample_verify(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    struct app_population_in file = {0};
    const struct cli_opt opts[] = {CLI_POPULATION_OPTS(file), {0}};
    struct app_who who;
    if (cli_parse_args(ctx, argc, argv, opts, pos, 1, 1,
                       "sample verify TEST [--file POPULATION | --dataset NAME] [--column C] "
                       "[--date-column D]") ||
        app_who_from_env(&who, &ctx->e))
        return EXIT_USAGE;
    struct app_verify_result r;
    struct app_test t;
    int rc = app_sample_verify(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0],
                               file.path || file.dataset ? &file : NULL, &r, &ctx->e);
    if (rc == 0)
        rc = app_test_get(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &t, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (!r.ok) {
        for (size_t i = 0; i < r.n_problems; i++)
            fprintf(ctx->out, "mismatch: %s\n", r.problems[i]);
        ERR_SET(&ctx->e, TL_ECHECK, "the sample of test '%s' does not verify: %s", t.ref,
                r.problems[0]);
        return EXIT_CHECK;
    }
    fprintf(ctx->out,
            "sample of test '%s' verified: %lld items drawn with seed %s from a population of "
            "%lld (sha256 %s)%s\n",
            t.ref, (long long)r.sample_size, t.seed, (long long)r.population_size,
            t.population_hash,
            file.path || file.dataset ? ", which matches the population given" : "");
    return EXIT_OK;
}

static int sample_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    enum cli_format fmt;
    struct app_who who;
    if (cli_parse_args_list(ctx, argc, argv, NULL, pos, 1, 1,
                            "sample show TEST [--format table|json|csv]", &fmt) ||
        app_who_from_env(&who, &ctx->e))
        return EXIT_USAGE;
    struct app_sample_item *items;
    size_t n;
    int rc =
        app_sample_list(&ctx->app, &ctx->arena, ctx->org.id, &who, pos[0], &items, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    print_items(ctx, items, n, fmt);
    return EXIT_OK;
}

int cmd_sample(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {
        {"draw", sample_draw}, {"verify", sample_verify}, {"show", sample_show}, {NULL, NULL}};
    return cli_dispatch(ctx, "sample", verbs, argc, argv);
}
