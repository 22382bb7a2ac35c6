/* data.c - 'tillit data load|list|show' and 'tillit demo data'. */
#include "cli/cli.h"

#include "app/dataset.h"
#include "app/demodata.h"
#include "base/js.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *num(struct cli_ctx *ctx, int64_t n)
{
    return arena_printf(&ctx->arena, "%lld", (long long)n);
}

/* Takes every --column NAME:TYPE (or --column=NAME:TYPE) out of argv. */
static const char **pull_columns(struct cli_ctx *ctx, int *argc, const char **argv, size_t *n,
                                 int *rc)
{
    const char **cols = arena_calloc(&ctx->arena, (size_t)*argc + 1, sizeof(char *));
    int out = 0;
    *n = 0;
    *rc = 0;
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], "--column") == 0) {
            if (i + 1 >= *argc) {
                *rc = ERR_SET(&ctx->e, TL_EUSAGE, "option '--column' needs a value");
                return cols;
            }
            cols[(*n)++] = argv[++i];
        } else if (strncmp(argv[i], "--column=", 9) == 0) {
            cols[(*n)++] = argv[i] + 9;
        } else {
            argv[out++] = argv[i];
        }
    }
    *argc = out;
    return cols;
}

static void print_loaded(struct cli_ctx *ctx, const struct app_dataset *d, double secs)
{
    fprintf(ctx->out,
            "loaded dataset '%s' (%s) from '%s': %lld rows, %zu columns, sha256 %.12s in %.2f s "
            "(%.0f rows/s)\n",
            d->name, d->kind, d->source_name, (long long)d->rows, d->n_cols, d->sha256, secs,
            secs > 0 ? (double)d->rows / secs : 0.0);
    fprintf(ctx->out, "columns:");
    for (size_t i = 0; i < d->n_cols; i++)
        fprintf(ctx->out, "%s %s %s", i ? "," : "", d->cols[i].name, d->cols[i].type);
    fprintf(ctx->out, "\n");
    if (d->n_tables > 1) {
        fprintf(ctx->out, "tables:");
        for (size_t i = 0; i < d->n_tables; i++)
            fprintf(ctx->out, "%s %s", i ? "," : "", d->tables[i]);
        fprintf(ctx->out, "\n");
    }
}

static int data_load(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_dataset_in in = {0};
    int rc;
    in.columns = pull_columns(ctx, &argc, argv, &in.n_columns, &rc);
    if (rc)
        return EXIT_USAGE;
    const char *pos[2];
    int n_pos;
    const struct cli_opt opts[] = {{"kind", true, &in.kind}, {0}};
    if (cli_parse(argc, argv, opts, pos, 2, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 2 || !in.kind) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit data load NAME FILE --kind csv|jsonl|json|"
                "aws-iam-credential-report|git|github-pulls [--column NAME:TYPE ...]");
        return EXIT_USAGE;
    }
    in.name = pos[0];
    in.path = pos[1];
    struct app_dataset d;
    double t0 = seconds();
    rc = app_dataset_load(&ctx->app, &ctx->arena, &ctx->org, &in, &d, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    print_loaded(ctx, &d, seconds() - t0);
    return EXIT_OK;
}

static int data_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_dataset *all;
    size_t n;
    int rc = app_dataset_list(&ctx->app, &ctx->arena, ctx->org.id, &all, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    static const char *const cols[] = {"name",   "kind",      "rows",      "columns", "source",
                                       "sha256", "loaded_at", "loaded_by", "version", NULL};
    struct cli_table t;
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t i = 0; i < n; i++) {
        const struct app_dataset *d = &all[i];
        const char *sha = fmt == FMT_TABLE ? arena_strndup(&ctx->arena, d->sha256, 12) : d->sha256;
        const char *cells[] = {
            d->name, d->kind,      num(ctx, d->rows), num(ctx, (int64_t)d->n_cols), d->source_name,
            sha,     d->loaded_at, d->loaded_by,      num(ctx, d->version)};
        cli_table_row(&t, cells);
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static json_t *dataset_json(const struct app_dataset *d)
{
    json_t *o = json_object(), *cols = json_array(), *tables = json_array();
    js_set_str(o, "name", d->name);
    js_set_str(o, "kind", d->kind);
    js_set_str(o, "source", d->source_name);
    js_set_str(o, "sha256", d->sha256);
    json_object_set_new(o, "size", json_integer(d->size));
    json_object_set_new(o, "rows", json_integer(d->rows));
    js_set_str(o, "loaded_at", d->loaded_at);
    js_set_str(o, "loaded_by", d->loaded_by);
    json_object_set_new(o, "version", json_integer(d->version));
    for (size_t i = 0; i < d->n_cols; i++) {
        json_t *c = json_object();
        js_set_str(c, "name", d->cols[i].name);
        js_set_str(c, "type", d->cols[i].type);
        js_set_str(c, "source", d->cols[i].source);
        json_array_append_new(cols, c);
    }
    for (size_t i = 0; i < d->n_tables; i++)
        json_array_append_new(tables, json_string(d->tables[i]));
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "tables", tables);
    return o;
}

static int parse_count(struct cli_ctx *ctx, const char *opt, const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (s && (*s < '0' || *s > '9' || *end || errno || v < 0))
        return ERR_SET(&ctx->e, TL_EUSAGE, "%s must be a whole number, not '%s'", opt, s);
    if (s)
        *out = v;
    return 0;
}

static int data_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *limit_s = NULL, *table = NULL, *pos[1];
    int n_pos;
    int64_t limit = 10;
    const struct cli_opt opts[] = {
        {"format", true, &format}, {"limit", true, &limit_s}, {"table", true, &table}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e) || parse_count(ctx, "--limit", limit_s, &limit))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit data show NAME [--table TABLE] [--limit N] "
                "[--format table|json|csv]");
        return EXIT_USAGE;
    }
    struct app_dataset d;
    int rc = app_dataset_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &d, &ctx->e);
    struct app_rows rows;
    struct app_rows_query q = {.table = table ? table : d.name, .limit = limit};
    if (rc == 0 && table) {
        bool ours = false;
        for (size_t i = 0; i < d.n_tables; i++)
            ours = ours || strcmp(d.tables[i], table) == 0;
        if (!ours)
            rc = ERR_SET(&ctx->e, TL_ENOTFOUND, "dataset '%s' has no table '%s'", d.name, table);
    }
    if (rc == 0)
        rc = app_dataset_rows(&ctx->app, &ctx->arena, &ctx->org, &q, &rows, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    const char **cols = arena_calloc(&ctx->arena, rows.n_cols + 1, sizeof(char *));
    memcpy(cols, rows.cols, rows.n_cols * sizeof(char *));
    cli_table_init(&t, &ctx->arena, cols);
    for (size_t r = 0; r < rows.n_rows; r++)
        cli_table_row(&t, rows.cells + r * rows.n_cols);
    if (fmt == FMT_CSV) {
        cli_table_print(&t, fmt, ctx->out);
        return EXIT_OK;
    }
    if (fmt == FMT_JSON) {
        json_t *o = dataset_json(&d), *arr = json_array();
        for (size_t r = 0; r < rows.n_rows; r++) {
            json_t *row = json_object();
            for (size_t c = 0; c < rows.n_cols; c++)
                js_set_str(row, rows.cols[c], rows.cells[r * rows.n_cols + c]);
            json_array_append_new(arr, row);
        }
        json_object_set_new(o, "first_rows", arr);
        cli_print_json(ctx->out, o);
        return EXIT_OK;
    }
    fprintf(ctx->out, "dataset:   %s (%s, version %lld)\n", d.name, d.kind, (long long)d.version);
    fprintf(ctx->out, "source:    %s (%lld bytes)\nsha256:    %s\n", d.source_name,
            (long long)d.size, d.sha256);
    fprintf(ctx->out, "rows:      %lld\nloaded:    %s by %s\n", (long long)d.rows, d.loaded_at,
            d.loaded_by);
    if (d.n_tables > 1) {
        fprintf(ctx->out, "tables:   ");
        for (size_t i = 0; i < d.n_tables; i++)
            fprintf(ctx->out, " %s", d.tables[i]);
        fprintf(ctx->out, "\n");
    }
    static const char *const ccols[] = {"column", "type", "source", NULL};
    struct cli_table ct;
    cli_table_init(&ct, &ctx->arena, ccols);
    for (size_t i = 0; i < d.n_cols; i++) {
        const char *cells[] = {d.cols[i].name, d.cols[i].type, d.cols[i].source};
        cli_table_row(&ct, cells);
    }
    fprintf(ctx->out, "\n");
    cli_table_print(&ct, FMT_TABLE, ctx->out);
    fprintf(ctx->out, "\nfirst %zu rows of %s:\n", rows.n_rows, q.table);
    cli_table_print(&t, FMT_TABLE, ctx->out);
    return EXIT_OK;
}

int cmd_data(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    if (verb && strcmp(verb, "load") == 0)
        return data_load(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "list") == 0)
        return data_list(argc - 1, argv + 1, ctx);
    if (verb && strcmp(verb, "show") == 0)
        return data_show(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, "load, list, show");
}

/* --- tillit demo data ------------------------------------------------------ */

int cli_demo_data(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *rows_s = NULL, *seed_s = NULL, *dir = "demo-data", *as_of = NULL, *load = NULL;
    const char *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"rows", true, &rows_s}, {"seed", true, &seed_s},
                                   {"dir", true, &dir},     {"as-of", true, &as_of},
                                   {"load", false, &load},  {0}};
    int64_t rows = 0, seed = 1;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        parse_count(ctx, "--rows", rows_s, &rows) || parse_count(ctx, "--seed", seed_s, &seed))
        return EXIT_USAGE;
    struct app_demo_data_in in = {.dir = dir, .seed = (uint64_t)seed, .rows = rows, .as_of = as_of};
    struct app_demo_data gen;
    double t0 = seconds();
    int rc = app_demo_data(&ctx->app, &ctx->arena, &in, &gen, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    int64_t total = 0;
    for (size_t i = 0; i < gen.n_files; i++)
        total += gen.files[i].rows;
    fprintf(ctx->out,
            "wrote %zu demo exports to '%s' (%lld rows, as of %s, seed %lld) in %.2f s; %zu "
            "planted exceptions are listed in '%s'\n",
            gen.n_files, dir, (long long)total, gen.as_of, (long long)seed, seconds() - t0,
            gen.planted, gen.manifest);
    if (!load)
        return EXIT_OK;
    rc = app_open_db(&ctx->app, ctx->db_url, false, &ctx->e);
    if (rc == 0)
        rc = app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &ctx->org, &ctx->e);
    if (rc == 0)
        rc = store_set_tenant(ctx->app.store, ctx->org.id, &ctx->e);
    struct app_dataset *loaded;
    size_t n;
    t0 = seconds();
    if (rc == 0)
        rc = app_demo_data_load(&ctx->app, &ctx->arena, &ctx->org, &gen, &loaded, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    for (size_t i = 0; i < n; i++)
        fprintf(ctx->out, "loaded dataset '%s' (%s): %lld rows\n", loaded[i].name, loaded[i].kind,
                (long long)loaded[i].rows);
    fprintf(ctx->out, "loaded %zu datasets into organization '%s' in %.2f s\n", n, ctx->org.slug,
            seconds() - t0);
    return EXIT_OK;
}
