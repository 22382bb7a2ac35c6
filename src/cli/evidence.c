/* evidence.c - 'tillit evidence add|list|show|supersede|verify|due|coverage|
 * export|verify-package'.
 *
 * The command's row asks the dispatcher for no setup: verify-package runs
 * on a package alone, without a database, so every other verb opens the
 * database (read-only unless it writes) and resolves the organization itself.
 */
#include "cli/cli.h"

#include "app/evidence.h"
#include "base/js.h"

#include <string.h>

static int open_org(struct cli_ctx *ctx, bool writes)
{
    int rc = app_open_db(&ctx->app, ctx->db_url, !writes, &ctx->e);
    if (rc == 0)
        rc = app_org_resolve(&ctx->app, &ctx->arena, ctx->org_slug, &ctx->org, &ctx->e);
    if (rc == 0)
        rc = store_set_tenant(ctx->app.store, ctx->org.id, &ctx->e);
    return rc;
}

static const char *num(struct cli_ctx *ctx, int64_t n)
{
    return arena_printf(&ctx->arena, "%lld", (long long)n);
}

static const char *join(struct cli_ctx *ctx, const char *const *list, size_t n)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s", i ? ", " : "", list[i]);
    const char *s = arena_strdup(&ctx->arena, sb.buf);
    sb_release(&sb);
    return s;
}

static const char *period_text(struct cli_ctx *ctx, const struct app_evidence *ev)
{
    if (strcmp(ev->period_start, ev->period_end) == 0)
        return ev->period_start;
    return arena_printf(&ctx->arena, "%s..%s", ev->period_start, ev->period_end);
}

/* --- add, supersede ------------------------------------------------------- */

static void print_added(struct cli_ctx *ctx, const char *verb, const struct app_evidence *ev)
{
    fprintf(ctx->out, "%s evidence %s '%s' for %s (%s, %s, %lld bytes)%s\n", verb, ev->id, ev->name,
            join(ctx, ev->controls, ev->n_controls), period_text(ctx, ev), ev->media_type,
            (long long)ev->size, ev->existed ? "; the same content was already in the vault" : "");
}

static int evidence_add(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_evidence_in in = {0};
    const char **pos = arena_calloc(&ctx->arena, (size_t)argc + 1, sizeof(char *));
    int n_pos;
    const struct cli_opt opts[] = {{"control", true, &in.controls},
                                   {"period", true, &in.period},
                                   {"source", true, &in.source},
                                   {"note", true, &in.note},
                                   {0}};
    if (cli_parse(argc, argv, opts, pos, argc, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos == 0 || !in.controls) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit evidence add FILE... --control CODE[,CODE] [--period START..END] "
                "[--source TEXT] [--note TEXT]");
        return EXIT_USAGE;
    }
    in.files = pos;
    in.n_files = (size_t)n_pos;
    struct app_evidence *out;
    int rc = open_org(ctx, true);
    if (rc == 0)
        rc = app_evidence_add(&ctx->app, &ctx->arena, ctx->org.id, &in, &out, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    for (size_t i = 0; i < in.n_files; i++)
        print_added(ctx, "added", &out[i]);
    return EXIT_OK;
}

static int evidence_supersede(int argc, const char **argv, struct cli_ctx *ctx)
{
    struct app_evidence_in in = {0};
    const char *pos[2];
    int n_pos;
    const struct cli_opt opts[] = {
        {"period", true, &in.period}, {"source", true, &in.source}, {"note", true, &in.note}, {0}};
    if (cli_parse(argc, argv, opts, pos, 2, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 2) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit evidence supersede ID FILE [--period START..END] "
                "[--source TEXT] [--note TEXT]");
        return EXIT_USAGE;
    }
    in.files = &pos[1];
    in.n_files = 1;
    struct app_evidence out;
    int rc = open_org(ctx, true);
    if (rc == 0)
        rc =
            app_evidence_supersede(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &in, &out, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    print_added(ctx, "added", &out);
    fprintf(ctx->out, "evidence %s is superseded by %s\n", pos[0], out.id);
    return EXIT_OK;
}

/* --- list, show ------------------------------------------------------------ */

static void list_rows(struct cli_ctx *ctx, const struct app_evidence *items, size_t n,
                      enum cli_format fmt)
{
    struct cli_table t;
    if (fmt == FMT_TABLE)
        cli_table_init(&t, &ctx->arena,
                       (const char *[]){"id", "name", "media_type", "size", "period", "controls",
                                        "added_at", "superseded_by", NULL});
    else
        cli_table_init(&t, &ctx->arena,
                       (const char *[]){"id", "name", "media_type", "size", "sha256",
                                        "period_start", "period_end", "controls", "source", "note",
                                        "added_by", "added_at", "superseded_by", NULL});
    for (size_t i = 0; i < n; i++) {
        const struct app_evidence *ev = &items[i];
        const char *ctl = join(ctx, ev->controls, ev->n_controls);
        if (fmt == FMT_TABLE)
            cli_table_row(&t, (const char *[]){ev->id, ev->name, ev->media_type, num(ctx, ev->size),
                                               period_text(ctx, ev), ctl, ev->added_at,
                                               ev->superseded_by});
        else
            cli_table_row(&t, (const char *[]){ev->id, ev->name, ev->media_type, num(ctx, ev->size),
                                               ev->sha256, ev->period_start, ev->period_end, ctl,
                                               ev->source, ev->note, ev->added_by, ev->added_at,
                                               ev->superseded_by});
    }
    cli_table_print(&t, fmt, ctx->out);
}

static int evidence_list(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *control = NULL, *all = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {
        {"format", true, &format}, {"control", true, &control}, {"all", false, &all}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e))
        return EXIT_USAGE;
    struct app_evidence *items;
    size_t n;
    int rc = open_org(ctx, false);
    if (rc == 0)
        rc = app_evidence_list(&ctx->app, &ctx->arena, ctx->org.id, control, all != NULL, &items,
                               &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    list_rows(ctx, items, n, fmt);
    return EXIT_OK;
}

static json_t *show_json(const struct app_evidence *ev)
{
    json_t *j = json_object(), *ctl = json_array();
    js_set_str(j, "id", ev->id);
    js_set_str(j, "name", ev->name);
    js_set_str(j, "media_type", ev->media_type);
    json_object_set_new(j, "size", json_integer(ev->size));
    js_set_str(j, "sha256", ev->sha256);
    js_set_str(j, "period_start", ev->period_start);
    js_set_str(j, "period_end", ev->period_end);
    for (size_t i = 0; i < ev->n_controls; i++)
        json_array_append_new(ctl, json_string(ev->controls[i]));
    json_object_set_new(j, "controls", ctl);
    js_set_str(j, "source", ev->source);
    js_set_str(j, "note", ev->note);
    js_set_str(j, "added_by", ev->added_by);
    js_set_str(j, "added_at", ev->added_at);
    js_set_str(j, "superseded_by", ev->superseded_by);
    return j;
}

static int evidence_show(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e) ||
        cli_format(format, 3, &fmt, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit evidence show ID [--format table|json]");
        return EXIT_USAGE;
    }
    struct app_evidence ev;
    int rc = open_org(ctx, false);
    if (rc == 0)
        rc = app_evidence_get(&ctx->app, &ctx->arena, ctx->org.id, pos[0], &ev, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (fmt == FMT_JSON) {
        cli_print_json(ctx->out, show_json(&ev));
        return EXIT_OK;
    }
    fprintf(ctx->out,
            "id:            %s\nname:          %s\nmedia type:    %s\nsize:          %lld bytes\n"
            "sha256:        %s\nperiod:        %s\ncontrols:      %s\nsource:        %s\n"
            "note:          %s\nadded by:      %s\nadded at:      %s\nsuperseded by: %s\n",
            ev.id, ev.name, ev.media_type, (long long)ev.size, ev.sha256, period_text(ctx, &ev),
            join(ctx, ev.controls, ev.n_controls), ev.source, ev.note, ev.added_by, ev.added_at,
            ev.superseded_by ? ev.superseded_by : "-");
    return EXIT_OK;
}

/* --- verify, due, coverage ------------------------------------------------- */

static int evidence_verify(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, NULL, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    int64_t verified;
    struct app_evidence_bad *bad;
    size_t n_bad;
    int rc = open_org(ctx, false);
    if (rc == 0)
        rc = app_evidence_verify(&ctx->app, &ctx->arena, ctx->org.id, &verified, &bad, &n_bad,
                                 &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    for (size_t i = 0; i < n_bad; i++)
        fprintf(ctx->out, "%-8s %s  evidence %s '%s'\n", bad[i].state, bad[i].sha256, bad[i].id,
                bad[i].name);
    if (n_bad) {
        ERR_SET(&ctx->e, TL_ECHECK, "%zu of %lld blobs failed verification", n_bad,
                (long long)(verified + (int64_t)n_bad));
        return EXIT_CHECK;
    }
    fprintf(ctx->out, "%lld blobs verified\n", (long long)verified);
    return EXIT_OK;
}

static int evidence_due(int argc, const char **argv, struct cli_ctx *ctx)
{
    enum cli_format fmt;
    if (cli_parse_list(ctx, argc, argv, NULL, &fmt))
        return EXIT_USAGE;
    struct app_evidence_due *due;
    size_t n;
    int rc = open_org(ctx, false);
    if (rc == 0)
        rc = app_evidence_due(&ctx->app, &ctx->arena, ctx->org.id, &due, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"owner", "control", "title", "frequency", "window_days",
                                    "last_evidence", "state", "days_late", NULL});
    for (size_t i = 0; i < n; i++)
        cli_table_row(&t, (const char *[]){due[i].owner ? due[i].owner : "(no owner)", due[i].code,
                                           due[i].title, due[i].frequency, num(ctx, due[i].window),
                                           due[i].last, due[i].state,
                                           due[i].last ? num(ctx, due[i].days_late) : NULL});
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

static int evidence_coverage(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *period = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format}, {"period", true, &period}, {0}};
    enum cli_format fmt;
    if (cli_parse(argc, argv, opts, pos, 0, &n_pos, &ctx->e) ||
        cli_format(format, 7, &fmt, &ctx->e))
        return EXIT_USAGE;
    if (!period) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit evidence coverage --period START..END [--format table|json|csv]");
        return EXIT_USAGE;
    }
    struct app_evidence_cov *cov;
    size_t n;
    int rc = open_org(ctx, false);
    if (rc == 0)
        rc = app_evidence_coverage(&ctx->app, &ctx->arena, ctx->org.id, period, &cov, &n, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    struct cli_table t;
    cli_table_init(&t, &ctx->arena,
                   (const char *[]){"control", "title", "owner", "frequency", "expected", "covered",
                                    "periods", "outside", "state", NULL});
    for (size_t i = 0; i < n; i++) {
        const struct eng_coverage *c = &cov[i].cov;
        cli_table_row(&t, (const char *[]){cov[i].code, cov[i].title,
                                           cov[i].owner ? cov[i].owner : "(no owner)",
                                           cov[i].frequency, num(ctx, c->expected),
                                           num(ctx, c->covered), num(ctx, c->periods),
                                           num(ctx, c->outside), eng_cov_state_name(c->state)});
    }
    cli_table_print(&t, fmt, ctx->out);
    return EXIT_OK;
}

/* --- packages ------------------------------------------------------------ */

/* cli_parse knows long options only; -o is the one short option users expect here. */
static const char **expand_short(struct cli_ctx *ctx, int argc, const char **argv)
{
    const char **out = arena_calloc(&ctx->arena, (size_t)argc + 1, sizeof(char *));
    for (int i = 0; i < argc; i++)
        out[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
    return out;
}

static int evidence_export(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *control = NULL, *all = NULL, *output = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {
        {"control", true, &control}, {"all", false, &all}, {"output", true, &output}, {0}};
    if (cli_parse(argc, expand_short(ctx, argc, argv), opts, pos, 0, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (!output || (control != NULL) == (all != NULL)) {
        ERR_SET(&ctx->e, TL_EUSAGE,
                "usage: tillit evidence export --control CODE|--all -o FILE.zip");
        return EXIT_USAGE;
    }
    struct app_evidence_export r;
    int rc = open_org(ctx, true);
    if (rc == 0)
        rc = app_evidence_export(&ctx->app, &ctx->arena, &ctx->org, control, output, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    fprintf(ctx->out, "exported %lld evidence items (%lld files) to '%s'\nsigned with key %s\n",
            (long long)r.items, (long long)r.files, output, r.public_key);
    return EXIT_OK;
}

static int evidence_verify_package(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *key = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"key", true, &key}, {0}};
    if (cli_parse(argc, argv, opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    if (n_pos != 1) {
        ERR_SET(&ctx->e, TL_EUSAGE, "usage: tillit evidence verify-package FILE.zip [--key HEX]");
        return EXIT_USAGE;
    }
    struct vault_pkg_result r;
    int rc = app_evidence_verify_package(pos[0], key, &r, &ctx->e);
    if (rc)
        return cli_exit_for(rc);
    if (!r.ok) {
        ERR_SET(&ctx->e, TL_ECHECK, "package '%s': '%s' %s", pos[0], r.bad, r.reason);
        return EXIT_CHECK;
    }
    fprintf(ctx->out, "package verified: %lld files\nsigned with key %s\n", (long long)r.files,
            r.public_key);
    return EXIT_OK;
}

struct verb {
    const char *name;
    int (*fn)(int argc, const char **argv, struct cli_ctx *ctx);
};

static const struct verb verbs[] = {
    {"add", evidence_add},
    {"list", evidence_list},
    {"show", evidence_show},
    {"supersede", evidence_supersede},
    {"verify", evidence_verify},
    {"due", evidence_due},
    {"coverage", evidence_coverage},
    {"export", evidence_export},
    {"verify-package", evidence_verify_package},
    {NULL, NULL},
};

int cmd_evidence(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *verb = argc > 0 ? argv[0] : NULL;
    for (const struct verb *v = verbs; verb && v->name; v++)
        if (strcmp(verb, v->name) == 0)
            return v->fn(argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb,
                        "add, list, show, supersede, verify, due, coverage, export, "
                        "verify-package");
}
