/* control.c - 'tillit control library|adopt|list|show|add|edit|map|remove'. */
#include "cli/cli.h"

#include "app/control.h"

#include <string.h>

/* --- control library ------------------------------------------------------ */

static const char *lib_criteria(struct arena *a, const struct dom_lib_control *lc)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < lc->n_criteria; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", lc->criteria[i].criterion);
    char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return s;
}

/* Checks the library filters; an impossible filter is a typo. */
static int check_lib_filter(struct cli_ctx *ctx, const struct dom_library *lib, const char *family,
                            const char *criterion)
{
    const struct dom_catalog *cat;
    int rc = app_catalog(&ctx->app, &cat, &ctx->e);
    if (rc == 0 && family)
        rc = dom_library_family_check(lib, family, &ctx->e);
    if (rc == 0 && criterion && !dom_catalog_criterion(cat, criterion))
        rc = ERR_SET(&ctx->e, TL_EINPUT, "unknown criterion '%s' (see 'tillit catalog criteria')",
                     criterion);
    return rc;
}

static int control_library(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *family = NULL, *criterion = NULL;
    const struct cli_opt opts[] = {{"family", true, &family}, {"criterion", true, &criterion}, {0}};
    enum cli_format fmt;
    const struct dom_library *lib;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt))
        return EXIT_USAGE;
    int rc = app_library(&ctx->app, &lib, &ctx->e);
    if (rc == 0)
        rc = check_lib_filter(ctx, lib, family, criterion);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"code", "family", "title", "frequency", "nature", "type", "key",
                                    "criteria", NULL});
    for (size_t i = 0; i < lib->n_controls; i++) {
        const struct dom_lib_control *lc = &lib->controls[i];
        if ((family && strcmp(lc->family, family) != 0) ||
            (criterion && !dom_lib_control_mapping(lc, criterion)))
            continue;
        cli_table_row(&t,
                      (const char *[]){lc->code, lc->family, dom_text_get(&lc->title, ctx->lang),
                                       lc->frequency, lc->nature, lc->type, cli_yes_no(lc->key),
                                       lib_criteria(&ctx->arena, lc)});
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

/* --- control adopt -------------------------------------------------------- */

static void print_adopted(struct cli_ctx *ctx, const struct app_adopt_result *r)
{
    for (size_t i = 0; i < r->n_skipped; i++)
        fprintf(ctx->out, "skipped %s: already in the program\n", r->skipped[i]);
    fprintf(ctx->out, "adopted %zu control%s from the library", r->n_adopted,
            r->n_adopted == 1 ? "" : "s");
    if (r->n_skipped)
        fprintf(ctx->out, " (%zu already adopted)", r->n_skipped);
    fputc('\n', ctx->out);
}

static int control_adopt(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *all = NULL, *owner = NULL, *status = NULL;
    const char **pos = arena_calloc(&ctx->arena, (size_t)argc + 1, sizeof(char *));
    int n_pos;
    const struct cli_opt opts[] = {
        {"all", false, &all}, {"owner", true, &owner}, {"status", true, &status}, {0}};
    if (cli_parse(argc, argv, opts, pos, argc, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if ((n_pos == 0) == !all)
        return cli_usage(ctx, "control adopt CODE...|--all [--owner EMAIL] [--status STATUS]");
    struct app_adopt_result r;
    int rc = app_control_adopt(&ctx->app, &ctx->arena, ctx->org.id, all ? NULL : pos, (size_t)n_pos,
                               owner, status, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    print_adopted(ctx, &r);
    return EXIT_OK;
}

/* --- control list ----------------------------------------------------------- */

static const char *criteria_list(struct arena *a, const struct app_control *c)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < c->n_criteria; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", c->criteria[i].criterion);
    char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return s;
}

static int control_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_control_filter f = {0};
    const struct cli_opt opts[] = {{"status", true, &f.status},
                                   {"criterion", true, &f.criterion},
                                   {"owner", true, &f.owner},
                                   {"family", true, &f.family},
                                   {0}};
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, opts, &fmt))
        return EXIT_USAGE;
    struct app_control *cs;
    size_t n;
    int rc = app_control_list(&ctx->app, &ctx->arena, ctx->org.id, &f, &cs, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(
        &t, &ctx->arena,
        (const char *[]){"code", "title", "status", "frequency", "owner", "key", "criteria", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(&t,
                      (const char *[]){cs[i].code, cs[i].title, cs[i].status, cs[i].frequency,
                                       cs[i].owner ? cs[i].owner : "", cli_yes_no(cs[i].key == 1),
                                       criteria_list(&ctx->arena, &cs[i])});
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

/* --- control show ----------------------------------------------------------- */

static void show_lines(FILE *out, const char *text, const char *bullet)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        fprintf(out, "  %s%.*s\n", bullet, (int)n, p);
        p += n;
        if (*p)
            p++;
    }
}

/* A mapping with the titles of its criterion and points of focus. */
static void show_mapping(struct cli_ctx *ctx, const struct dom_catalog *cat,
                         const struct app_control_map *m)
{
    const struct dom_criterion *cr = dom_catalog_criterion(cat, m->criterion);
    fprintf(ctx->out, "  %-8s %s\n", m->criterion, cr ? dom_text_get(&cr->title, ctx->lang) : "");
    for (const char *p = m->pofs; *p;) {
        size_t n = strcspn(p, ",");
        char *id = arena_strndup(&ctx->arena, p, n);
        const struct dom_pof *pf = dom_catalog_pof(cat, id, NULL);
        fprintf(ctx->out, "    %-12s %s\n", id, pf ? dom_text_get(&pf->title, ctx->lang) : "");
        p += n;
        if (*p)
            p++;
    }
}

static void show_text(struct cli_ctx *ctx, const struct dom_catalog *cat,
                      const struct app_control *c)
{
    FILE *out = ctx->out;
    fprintf(out,
            "code:          %s\ntitle:         %s\nstatus:        %s\nowner:         %s\n"
            "frequency:     %s\nnature:        %s\ntype:          %s\nkey:           %s\n",
            c->code, c->title, c->status, c->owner ? c->owner : "-", c->frequency, c->nature,
            c->type, cli_yes_no(c->key == 1));
    if (c->library_code)
        fprintf(out, "library:       %s (%s)\n", c->library_code, c->family ? c->family : "-");
    fprintf(out, "version:       %lld\n\ndescription:\n", (long long)c->version);
    show_lines(out, c->description, "");
    fprintf(out, "\nevidence expected:\n");
    show_lines(out, c->evidence, "- ");
    fprintf(out, "\ncriteria (%zu):\n", c->n_criteria);
    for (size_t i = 0; i < c->n_criteria; i++)
        show_mapping(ctx, cat, &c->criteria[i]);
    fprintf(out, "\nrisks:");
    for (size_t i = 0; i < c->n_risks; i++)
        fprintf(out, "%s%s", i ? ", " : " ", c->risks[i]);
    fprintf(out, "%s\n", c->n_risks ? "" : " none");
}

static int control_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *code;
    enum cli_format fmt;
    if (cli_parse_show(ctx, argc, argv, &code, &fmt, "control show CODE [--format table|json]"))
        return EXIT_USAGE;
    struct app_control c;
    const struct dom_catalog *cat;
    int rc = app_control_get(&ctx->app, &ctx->arena, ctx->org.id, code, &c, &ctx->e);
    if (rc == 0)
        rc = app_catalog(&ctx->app, &cat, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON)
        cli_print_json(ctx->out, json_loads(app_control_json(&ctx->arena, &c), 0, NULL));
    else
        show_text(ctx, cat, &c);
    return EXIT_OK;
}

/* --- control add / edit ------------------------------------------------------ */

/* The editable fields, shared by add and edit. */
#define CONTROL_FIELD_OPTS(c)                                                                      \
    {"title", true, &(c).title}, {"description", true, &(c).description},                          \
        {"owner", true, &(c).owner}, {"frequency", true, &(c).frequency},                          \
        {"nature", true, &(c).nature}, {"type", true, &(c).type}, {"status", true, &(c).status},   \
        {"evidence", true, &(c).evidence}

/* --evidence takes items separated by '|'; the app keeps one per line. */
static const char *evidence_lines(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    char *lines = arena_strdup(a, s);
    for (char *p = lines; *p; p++)
        if (*p == '|')
            *p = '\n';
    return lines;
}

static int control_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_control in = {.key = 0};
    const char *key = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {CONTROL_FIELD_OPTS(in), {"key", false, &key}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || !in.title)
        return cli_usage(ctx, "control add CODE --title TITLE [options]");
    in.code = pos[0];
    in.key = key ? 1 : 0;
    in.evidence = evidence_lines(&ctx->arena, in.evidence);
    int rc = app_control_create(&ctx->app, &ctx->arena, ctx->org.id, &in, &ctx->e);
    return cli_done(ctx, rc, "added control '%s'", in.code);
}

static bool patch_empty(const struct app_control *p)
{
    return !p->title && !p->description && !p->owner && !p->frequency && !p->nature && !p->type &&
           !p->status && !p->evidence && p->key < 0;
}

static int control_edit(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_control patch = APP_CONTROL_PATCH;
    const char *key = NULL, *no_key = NULL, *if_version = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {CONTROL_FIELD_OPTS(patch),
                                   {"key", false, &key},
                                   {"no-key", false, &no_key},
                                   {"if-version", true, &if_version},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_if_version(if_version, &patch.version, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1 || (key && no_key))
        return cli_usage(ctx, "control edit CODE [--key|--no-key] [options]");
    patch.key = key ? 1 : no_key ? 0 : -1;
    patch.evidence = evidence_lines(&ctx->arena, patch.evidence);
    if (patch_empty(&patch)) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "nothing to change for control '%s' (see 'tillit help control')", pos[0]);
        return EXIT_USAGE;
    }
    int rc = app_control_update(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &patch, &ctx->e);
    return cli_done(ctx, rc, "updated control '%s'", pos[0]);
}

/* --- control map / remove ------------------------------------------------------ */

/* Confirms a (un)mapping in the catalog's spelling, with the pofs now mapped. */
static int print_mapped(struct cli_ctx *ctx, const char *code, const char *criterion, bool unmap)
{
    const struct dom_catalog *cat;
    int rc = app_catalog(&ctx->app, &cat, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const struct dom_criterion *cr = dom_catalog_criterion(cat, criterion);
    const char *id = cr ? cr->id : criterion;
    if (unmap) {
        fprintf(ctx->out, "unmapped control '%s' from %s\n", code, id);
        return EXIT_OK;
    }
    struct app_control c;
    rc = app_control_get(&ctx->app, &ctx->arena, ctx->org.id, code, &c, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    const char *pofs = "";
    for (size_t i = 0; i < c.n_criteria; i++)
        if (strcmp(c.criteria[i].criterion, id) == 0)
            pofs = c.criteria[i].pofs;
    fprintf(ctx->out, "mapped control '%s' to %s%s%s\n", code, id, *pofs ? ": " : "", pofs);
    return EXIT_OK;
}

static int control_map(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pofs = NULL, *unmap = NULL, *pos[2];
    int n_pos;
    const struct cli_opt opts[] = {{"pof", true, &pofs}, {"unmap", true, &unmap}, {0}};
    if (cli_parse(argc, argv, opts, pos, 2, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != (unmap ? 1 : 2) || (unmap && pofs))
        return cli_usage(ctx, "control map CODE CRITERION [--pof PF,...] | "
                              "tillit control map CODE --unmap CRITERION");
    int rc =
        unmap ? app_control_unmap(&ctx->app, &ctx->arena, ctx->org.id, pos[0], unmap, &ctx->e)
              : app_control_map(&ctx->app, &ctx->arena, ctx->org.id, pos[0], pos[1], pofs, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    return print_mapped(ctx, pos[0], unmap ? unmap : pos[1], unmap != NULL);
}

static int control_remove(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    if (cli_parse_args(ctx, argc, argv, NULL, pos, 1, 1, "control remove CODE"))
        return EXIT_USAGE;
    int rc = app_control_delete(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ctx->e);
    return cli_done(ctx, rc, "removed control '%s'", pos[0]);
}

int cmd_control(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const struct cli_verb verbs[] = {
        {"library", control_library}, {"adopt", control_adopt},   {"list", control_list},
        {"show", control_show},       {"add", control_add},       {"edit", control_edit},
        {"map", control_map},         {"remove", control_remove}, {NULL, NULL}};
    return cli_dispatch(ctx, "control", verbs, argc, argv);
}
