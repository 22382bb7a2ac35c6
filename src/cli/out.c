/* out.c - output: tables as text, CSV, JSON and markdown; one record; a closing line. */
#include "cli/cli.h"

#include "base/js.h"
#include "base/mem.h"

#include <stdarg.h>
#include <string.h>

void cli_table_init(struct cli_table *t, struct arena *a, const char *const *cols)
{
    memset(t, 0, sizeof(*t));
    t->a = a;
    while (cols[t->n_cols])
        t->n_cols++;
    t->cols = arena_calloc(a, t->n_cols, sizeof(char *));
    for (size_t i = 0; i < t->n_cols; i++)
        t->cols[i] = arena_strdup(a, cols[i]);
}

void cli_table_row(struct cli_table *t, const char *const *cells)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 32;
        const char **n = arena_calloc(t->a, cap * t->n_cols, sizeof(char *));
        if (t->n_rows)
            memcpy(n, t->cells, t->n_rows * t->n_cols * sizeof(char *));
        t->cells = n;
        t->cap_rows = cap;
    }
    for (size_t i = 0; i < t->n_cols; i++)
        t->cells[t->n_rows * t->n_cols + i] = arena_strdup(t->a, cells[i]);
    t->n_rows++;
}

/* Display width of UTF-8 text: counts code points, not bytes. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            w++;
    return w;
}

static void print_text(const struct cli_table *t, FILE *out)
{
    size_t *w = xcalloc(t->n_cols, sizeof(size_t));
    for (size_t c = 0; c < t->n_cols; c++) {
        w[c] = text_width(t->cols[c]);
        for (size_t r = 0; r < t->n_rows; r++) {
            const char *v = t->cells[r * t->n_cols + c];
            size_t vw = v ? text_width(v) : 0;
            if (vw > w[c])
                w[c] = vw > 60 ? 60 : vw;
        }
    }
    for (size_t r = 0; r <= t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *v = r == 0 ? t->cols[c] : t->cells[(r - 1) * t->n_cols + c];
            v = v ? v : "";
            bool last = c + 1 == t->n_cols;
            size_t vw = text_width(v);
            fputs(v, out);
            if (!last)
                for (size_t k = vw; k < w[c] + 2; k++)
                    fputc(' ', out);
        }
        fputc('\n', out);
    }
    free(w);
}

static void print_csv(const struct cli_table *t, FILE *out)
{
    struct sb sb = SB_INIT;
    for (size_t r = 0; r <= t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *v = r == 0 ? t->cols[c] : t->cells[(r - 1) * t->n_cols + c];
            if (c)
                sb_addc(&sb, ',');
            sb_add_csv(&sb, v ? v : "");
        }
        sb_adds(&sb, "\r\n");
    }
    fwrite(sb.buf, 1, sb.len, out);
    sb_release(&sb);
}

static void print_json(const struct cli_table *t, FILE *out)
{
    json_t *arr = json_array();
    for (size_t r = 0; r < t->n_rows; r++) {
        json_t *o = json_object();
        for (size_t c = 0; c < t->n_cols; c++)
            js_set_str(o, t->cols[c], t->cells[r * t->n_cols + c]);
        json_array_append_new(arr, o);
    }
    struct sb sb = SB_INIT;
    js_dump(&sb, arr, 1);
    fprintf(out, "%s\n", sb.buf);
    sb_release(&sb);
    json_decref(arr);
}

static void md_cell(const char *v, FILE *out)
{
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '|')
            fputs("\\|", out);
        else if (*p == '\n')
            fputc(' ', out);
        else
            fputc(*p, out);
    }
}

static void print_md(const struct cli_table *t, FILE *out)
{
    for (size_t r = 0; r <= t->n_rows; r++) {
        fputc('|', out);
        for (size_t c = 0; c < t->n_cols; c++) {
            fputc(' ', out);
            md_cell(r == 0 ? t->cols[c] : t->cells[(r - 1) * t->n_cols + c], out);
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t c = 0; c < t->n_cols; c++)
                fputs(" --- |", out);
            fputc('\n', out);
        }
    }
}

void cli_table_print(const struct cli_table *t, enum cli_format fmt, FILE *out)
{
    switch (fmt) {
    case FMT_CSV:
        print_csv(t, out);
        break;
    case FMT_JSON:
        print_json(t, out);
        break;
    case FMT_MD:
        print_md(t, out);
        break;
    default:
        print_text(t, out);
    }
}

void cli_print_json(FILE *out, json_t *v)
{
    struct sb sb = SB_INIT;
    js_dump(&sb, v, 1);
    fprintf(out, "%s\n", sb.buf);
    sb_release(&sb);
    json_decref(v);
}

int cli_fail(struct cli_ctx *ctx, int code)
{
    (void)ctx;
    return cli_exit_for(code);
}

int cli_done(struct cli_ctx *ctx, int rc, const char *fmt, ...)
{
    if (rc)
        return cli_exit_for(rc);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(ctx->out, fmt, ap);
    va_end(ap);
    fputc('\n', ctx->out);
    return EXIT_OK;
}

const char *cli_yes_no(bool b)
{
    return b ? "yes" : "no";
}

/* Values of a record shown as text start in this column. */
#define RECORD_NAME_WIDTH 15

void cli_print_record(FILE *out, enum cli_format fmt, const char *const *names,
                      const char *const *cells, size_t n)
{
    if (fmt == FMT_JSON) {
        json_t *j = json_object();
        for (size_t i = 0; i < n; i++)
            js_set_str(j, names[i], cells[i]);
        cli_print_json(out, j);
        return;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s:%*s%s\n", names[i], (int)(RECORD_NAME_WIDTH - strlen(names[i])), "",
                cells[i] ? cells[i] : "");
}
