/* opt.c - option parsing for commands. */
#include "cli/cli.h"

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
