/* riskmatrix.c - 'tillit risk matrix': the risk assessment at a glance. */
#include "cli/cli.h"

#include "app/riskassess.h"
#include "base/js.h"

#include <string.h>

static json_t *grid_json(int g[5][5])
{
    json_t *rows = json_array();
    for (int l = 4; l >= 0; l--) {
        json_t *row = json_array();
        for (int i = 0; i < 5; i++)
            json_array_append_new(row, json_integer(g[l][i]));
        json_array_append_new(rows, row);
    }
    return rows;
}

static json_t *list_json(const char *const *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(items[i]));
    return arr;
}

static void print_grid(FILE *out, const char *title, int g[5][5])
{
    fprintf(out, "%s (rows: likelihood 5..1, columns: impact 1..5)\n", title);
    fprintf(out, "        I1  I2  I3  I4  I5\n");
    for (int l = 4; l >= 0; l--) {
        fprintf(out, "  L%d  ", l + 1);
        for (int i = 0; i < 5; i++)
            fprintf(out, "%4d", g[l][i]);
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void print_list(FILE *out, const char *title, const char *const *items, size_t n)
{
    fprintf(out, "%s (%zu):", title, n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : " ", items[i]);
    fputc('\n', out);
}

int cli_risk_matrix(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, (1u << FMT_TABLE) | (1u << FMT_JSON), &fmt, &ctx->e))
        return EXIT_USAGE;
    struct app_risk_assessment r;
    int rc = app_risk_assess(&ctx->app, &ctx->arena, ctx->org.id, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON) {
        json_t *o = json_object();
        json_object_set_new(o, "risks", json_integer((json_int_t)r.n_risks));
        json_object_set_new(o, "fraud_risks", json_integer((json_int_t)r.n_fraud));
        json_object_set_new(o, "fraud_assessment_missing", json_boolean(r.fraud_missing));
        json_object_set_new(o, "inherent", grid_json(r.inherent));
        json_object_set_new(o, "residual", grid_json(r.residual));
        json_object_set_new(o, "without_controls", list_json(r.without_controls, r.n_without_controls));
        json_object_set_new(o, "controls_mitigating_no_risk", list_json(r.idle_controls, r.n_idle_controls));
        json_object_set_new(o, "review_overdue", list_json(r.overdue, r.n_overdue));
        cli_print_json(ctx->out, o);
        return EXIT_OK;
    }
    fprintf(ctx->out, "%zu risks, %zu with residual values, %zu fraud risks\n\n", r.n_risks,
            r.n_assessed_residual, r.n_fraud);
    print_grid(ctx->out, "inherent risk", r.inherent);
    print_grid(ctx->out, "residual risk", r.residual);
    if (r.fraud_missing)
        fprintf(ctx->out, "missing: no fraud risk is assessed (CC3.3)\n");
    print_list(ctx->out, "risks without controls", r.without_controls, r.n_without_controls);
    print_list(ctx->out, "controls that mitigate no risk", r.idle_controls, r.n_idle_controls);
    print_list(ctx->out, "risks past their review date", r.overdue, r.n_overdue);
    return EXIT_OK;
}
