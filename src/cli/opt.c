/* opt.c - option parsing for commands. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_opt *find_opt(const struct cli_opt *opts, const char *name, size_t n)
{
    for (const struct cli_opt *o = opts; o && o->name; o++)
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
            return o;
    return NULL;
}

int cli_parse(int argc, const char **argv, const struct cli_opt *opts, const char **pos,
              int max_pos, int *n_pos, struct err *e)
{
    *n_pos = 0;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (*n_pos >= max_pos)
                return ERR_SET(e, TL_EUSAGE, "unexpected argument '%s'", a);
            pos[(*n_pos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (a[1] != '-')
            return ERR_SET(e, TL_EUSAGE, "unknown option '%s'", a);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = find_opt(opts, name, n);
        if (!o)
            return ERR_SET(e, TL_EUSAGE, "unknown option '--%.*s'", (int)n, name);
        if (!o->has_value) {
            if (eq)
                return ERR_SET(e, TL_EUSAGE, "option '--%s' takes no value", o->name);
            *o->value = "1";
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            return ERR_SET(e, TL_EUSAGE, "option '--%s' needs a value", o->name);
        }
    }
    return 0;
}

int cli_if_version(const char *s, int64_t *out, struct err *e)
{
    if (!s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || v <= 0)
        return ERR_SET(e, TL_EUSAGE, "--if-version needs a positive version number, not '%s'", s);
    *out = (int64_t)v;
    return 0;
}

int cli_format(const char *s, unsigned allowed, enum cli_format *out, struct err *e)
{
    static const char *const names[] = {"table", "json", "csv", "md", "html"};
    struct sb list = SB_INIT;
    for (int i = 0; i < 5; i++) {
        if (!(allowed & (1u << i)))
            continue;
        if (s && strcmp(s, names[i]) == 0) {
            *out = (enum cli_format)i;
            sb_release(&list);
            return 0;
        }
        sb_addf(&list, "%s%s", list.len ? ", " : "", names[i]);
    }
    if (!s) {
        *out = FMT_TABLE;
        sb_release(&list);
        return 0;
    }
    ERR_SET(e, TL_EUSAGE, "unknown format '%s' (expected one of: %s)", s, list.buf);
    sb_release(&list);
    return TL_EUSAGE;
}

int cli_bad_verb(struct cli_ctx *ctx, const char *verb, const char *known)
{
    if (!verb)
        ERR_SET(&ctx->e, TL_EUSAGE, "'%s' needs a subcommand (one of: %s)", ctx->command, known);
    else
        ERR_SET(&ctx->e, TL_EUSAGE, "unknown subcommand '%s %s' (expected one of: %s)",
                ctx->command, verb, known);
    return EXIT_USAGE;
}

int cli_usage(struct cli_ctx *ctx, const char *text)
{
    ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit %s", text);
    return EXIT_USAGE;
}

int cli_parse_args(struct cli_ctx *ctx, int argc, const char **argv, const struct cli_opt *opts,
                   const char **pos, int min, int max, const char *usage)
{
    int n_pos;
    if (cli_parse(argc, argv, opts, pos, max, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos < min)
        return cli_usage(ctx, usage);
    for (int i = n_pos; i < max; i++)
        pos[i] = NULL;
    return 0;
}

/* opts with {"format", true, format} first; the copy ends with a zeroed entry. */
static const struct cli_opt *with_format(struct arena *a, const struct cli_opt *opts,
                                         const char **format)
{
    size_t n = 0;
    while (opts && opts[n].name)
        n++;
    struct cli_opt *all = arena_calloc(a, n + 2, sizeof(*all));
    all[0] = (struct cli_opt){"format", true, format};
    if (n)
        memcpy(all + 1, opts, n * sizeof(*all));
    return all;
}

int cli_parse_list(struct cli_ctx *ctx, int argc, const char **argv, const struct cli_opt *opts,
                   enum cli_format *fmt)
{
    return cli_parse_formats(ctx, argc, argv, opts, CLI_FORMATS_LIST, fmt);
}

int cli_parse_formats(struct cli_ctx *ctx, int argc, const char **argv,
                      const struct cli_opt *opts, unsigned allowed, enum cli_format *fmt)
{
    const char *format = NULL, *pos[1];
    const struct cli_opt *all = with_format(&ctx->arena, opts, &format);
    int n_pos;
    if (cli_parse(argc, argv, all, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, allowed, fmt, &ctx->e))
        return EXIT_USAGE;
    return 0;
}

int cli_parse_args_list(struct cli_ctx *ctx, int argc, const char **argv,
                        const struct cli_opt *opts, const char **pos, int min, int max,
                        const char *usage, enum cli_format *fmt)
{
    const char *format = NULL;
    const struct cli_opt *all = with_format(&ctx->arena, opts, &format);
    if (cli_parse_args(ctx, argc, argv, all, pos, min, max, usage) ||
        cli_format(format, CLI_FORMATS_LIST, fmt, &ctx->e))
        return EXIT_USAGE;
    return 0;
}

int cli_parse_show(struct cli_ctx *ctx, int argc, const char **argv, const char **key,
                   enum cli_format *fmt, const char *usage)
{
    const char *format = NULL, *pos[1];
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    int n_pos;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, CLI_FORMATS_SHOW, fmt, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1)
        return cli_usage(ctx, usage);
    *key = pos[0];
    return 0;
}

/* "list, show, add": the names of verbs, for a usage error. */
static const char *verb_names(struct arena *a, const struct cli_verb *verbs)
{
    struct sb sb = SB_INIT;
    for (const struct cli_verb *v = verbs; v->name; v++)
        sb_addf(&sb, "%s%s", v == verbs ? "" : ", ", v->name);
    char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return s;
}

int cli_dispatch(struct cli_ctx *ctx, const char *noun, const struct cli_verb *verbs, int argc,
                 const char **argv)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    for (const struct cli_verb *v = verbs; verb && v->name; v++)
        if (strcmp(v->name, verb) == 0)
            return v->fn(argc - 1, argv + 1, ctx);
    ctx->command = noun;
    return cli_bad_verb(ctx, verb, verb_names(&ctx->arena, verbs));
}

void cli_split_list(struct arena *a, const char *s, const char ***out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    *out = arena_calloc(a, cap + 1, sizeof(char *));
    *n = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        const char *b = s, *end = s + len;
        while (b < end && *b == ' ')
            b++;
        while (end > b && end[-1] == ' ')
            end--;
        if (end > b)
            (*out)[(*n)++] = arena_strndup(a, b, (size_t)(end - b));
        s += len + (s[len] == ',');
    }
}
