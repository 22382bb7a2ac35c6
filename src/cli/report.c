/* report.c - 'tillit report': the SOC 2 report draft, the registers, the
 * PBC list and the OSCAL exports, rendered to a file. */
#include "cli/cli.h"

#include "app/framework.h"
#include "app/gap.h"
#include "app/pbc.h"
#include "app/report.h"
#include "app/risk.h"
#include "app/riskassess.h"
#include "report/oscal.h"
#include "report/readiness.h"
#include "report/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum rfmt { R_PDF, R_DOCX, R_XLSX, R_HTML, R_MD, R_CSV };

static const char *const rfmt_names[] = {"pdf", "docx", "xlsx", "html", "md", "csv", NULL};

/* cli_parse knows long options only; -o is the short one users expect. */
static const char **expand_short(struct cli_ctx *ctx, int argc, const char **argv)
{
    const char **out = arena_calloc(&ctx->arena, (size_t)argc + 1, sizeof(char *));
    for (int i = 0; i < argc; i++)
        out[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
    return out;
}

static int parse_format(struct cli_ctx *ctx, const char *s, unsigned allowed, enum rfmt *out)
{
    struct sb names = SB_INIT;
    for (int i = 0; rfmt_names[i]; i++) {
        if (!(allowed & (1u << i)))
            continue;
        if (s && strcmp(s, rfmt_names[i]) == 0) {
            *out = (enum rfmt)i;
            sb_release(&names);
            return 0;
        }
        sb_addf(&names, "%s%s", names.len ? ", " : "", rfmt_names[i]);
    }
    if (s)
        ERR_SET(&ctx->e, TL_EUSAGE, "unknown format '%s' (expected %s)", s, names.buf);
    else
        ERR_SET(&ctx->e, TL_EUSAGE, "--format is required (%s)", names.buf);
    sb_release(&names);
    return TL_EUSAGE;
}

/* Writes bytes to path ("-" or NULL: standard output, refused for binary
 * formats on a terminal). */
static int write_out(struct cli_ctx *ctx, const char *path, const struct sb *b, bool binary)
{
    if (!path || strcmp(path, "-") == 0) {
        if (binary && ctx->out == stdout && isatty(STDOUT_FILENO))
            return ERR_SET(&ctx->e, TL_EUSAGE,
                           "refusing to write a binary file to a terminal: "
                           "give -o FILE");
        fwrite(b->buf, 1, b->len, ctx->out);
        return 0;
    }
    int rc = sb_write_file(path, b->buf, b->len, &ctx->e);
    if (rc == 0)
        fprintf(ctx->out, "wrote '%s' (%zu bytes)\n", path, b->len);
    return rc;
}

static int render(struct cli_ctx *ctx, const struct rpt_doc *d, enum rfmt f, const char *path)
{
    struct sb b = SB_INIT;
    int rc = 0;
    switch (f) {
    case R_PDF:
        rc = rpt_render_pdf(d, &b, &ctx->e);
        break;
    case R_DOCX:
        rc = rpt_render_docx(d, &b, &ctx->e);
        break;
    case R_XLSX:
        rc = rpt_render_xlsx(d, &b, &ctx->e);
        break;
    case R_HTML:
        rc = rpt_render_html(d, &b);
        break;
    case R_MD:
        rc = rpt_render_md(d, &b);
        break;
    case R_CSV:
        rc = ERR_SET(&ctx->e, TL_EUSAGE, "a document has no CSV form");
        break;
    }
    if (rc == 0)
        rc = write_out(ctx, path, &b, f == R_PDF || f == R_DOCX || f == R_XLSX);
    sb_release(&b);
    return rc;
}

static int gather(struct cli_ctx *ctx, const char *engagement, struct app_report_data *d)
{
    struct app_who who;
    int rc = app_who_from_env(&who, &ctx->e);
    if (rc == 0)
        rc = app_report_gather(&ctx->app, &ctx->arena, &ctx->org, &who, engagement, d, &ctx->e);
    return rc;
}

/* --- the documents ---------------------------------------------------------- */

#define DOC_FORMATS ((1u << R_PDF) | (1u << R_DOCX) | (1u << R_HTML) | (1u << R_MD))
#define ALL_FORMATS (DOC_FORMATS | (1u << R_XLSX))

static int report_soc2(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *output = NULL, *engagement = NULL, *samples = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format},
                                   {"output", true, &output},
                                   {"engagement", true, &engagement},
                                   {"samples", false, &samples},
                                   {0}};
    enum rfmt f;
    if (cli_parse(argc, expand_short(ctx, argc, argv), opts, pos, 0, &n_pos, &ctx->e) ||
        parse_format(ctx, format, DOC_FORMATS, &f))
        return EXIT_USAGE;
    struct app_report_data d;
    struct rpt_doc *doc = NULL;
    int rc = gather(ctx, engagement, &d);
    if (rc == 0)
        rc = app_report_soc2(&ctx->app, &ctx->arena, &d, ctx->lang, samples != NULL, &doc, &ctx->e);
    if (rc == 0)
        rc = render(ctx, doc, f, output);
    return cli_exit_for(rc);
}

static int report_register(const char *what, int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *output = NULL, *engagement = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format},
                                   {"output", true, &output},
                                   {"engagement", true, &engagement},
                                   {0}};
    enum rfmt f;
    if (cli_parse(argc, expand_short(ctx, argc, argv), opts, pos, 0, &n_pos, &ctx->e) ||
        parse_format(ctx, format, ALL_FORMATS, &f))
        return EXIT_USAGE;
    struct app_report_data d;
    struct rpt_doc *doc = NULL;
    int rc = gather(ctx, strcmp(what, "workpapers") == 0 ? engagement : "", &d);
    if (rc == 0 && strcmp(what, "readiness") == 0) {
        struct app_suggestion *sugg = NULL;
        size_t n_sugg = 0;
        rc = app_gap_suggest(&ctx->app, &ctx->arena, &d.gap, ctx->org.id, ctx->lang, 20, &sugg,
                             &n_sugg, &ctx->e);
        if (rc == 0) {
            doc = rpt_readiness(&ctx->arena, d.catalog, &d.gap, ctx->org.name, d.today, ctx->lang,
                                sugg, n_sugg);
            doc->toc = true;
        }
    } else if (rc == 0 && (strcmp(what, "risks") == 0 || strcmp(what, "controls") == 0)) {
        struct app_risk *risks = NULL;
        size_t n_risks = 0;
        rc = app_risk_list(&ctx->app, &ctx->arena, ctx->org.id, &risks, &n_risks, &ctx->e);
        struct app_risk_assessment ra;
        if (rc == 0 && what[0] == 'r')
            rc = app_risk_assess(&ctx->app, &ctx->arena, ctx->org.id, &ra, &ctx->e);
        if (rc == 0)
            doc = what[0] == 'r' ? rpt_risk_register(&ctx->arena, ctx->org.name, d.today, risks,
                                                     n_risks, &ra, ctx->lang)
                                 : rpt_control_matrix(&ctx->arena, &d, risks, n_risks, ctx->lang);
    } else if (rc == 0) {
        doc = rpt_workpapers(&ctx->arena, &d, ctx->lang);
    }
    if (rc == 0)
        rc = render(ctx, doc, f, output);
    return cli_exit_for(rc);
}

/* --- the PBC list ------------------------------------------------------------ */

/* app_pbc_export writes a file whose format follows its name.  It writes
 * into a private temporary directory under the name the format needs, and
 * the bytes are read back, so that they go where -o says (standard output
 * included) whatever that is called. */
static int pbc_bytes(struct cli_ctx *ctx, const char *slug, enum rfmt f, struct sb *out)
{
    struct app_who who;
    int rc = app_who_from_env(&who, &ctx->e);
    if (rc)
        return rc;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof(dir), "%s/tillit-pbc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return ERR_SET(&ctx->e, TL_EIO, "cannot create a temporary directory in '%s'",
                       tmp && *tmp ? tmp : "/tmp");
    snprintf(path, sizeof(path), "%s/pbc.%s", dir, f == R_XLSX ? "xlsx" : "csv");
    rc = app_pbc_export(&ctx->app, &ctx->arena, ctx->org.id, &who, slug, path, &ctx->e);
    if (rc == 0)
        rc = sb_read_file(out, path, &ctx->e);
    remove(path);
    rmdir(dir);
    return rc;
}

static int report_pbc(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *output = NULL, *engagement = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"format", true, &format},
                                   {"output", true, &output},
                                   {"engagement", true, &engagement},
                                   {0}};
    enum rfmt f;
    if (cli_parse(argc, expand_short(ctx, argc, argv), opts, pos, 0, &n_pos, &ctx->e) ||
        parse_format(ctx, format, (1u << R_XLSX) | (1u << R_CSV), &f))
        return EXIT_USAGE;
    if (!engagement || !*engagement) {
        ERR_SET(&ctx->e, TL_EUSAGE, "--engagement is required (the engagement's slug)");
        return EXIT_USAGE;
    }
    struct sb b = SB_INIT;
    int rc = pbc_bytes(ctx, engagement, f, &b);
    if (rc == 0)
        rc = write_out(ctx, output, &b, f == R_XLSX);
    sb_release(&b);
    return cli_exit_for(rc);
}

/* --- OSCAL ------------------------------------------------------------------- */

static int report_oscal(int argc, const char **argv, struct cli_ctx *ctx)
{
    const char *output = NULL, *engagement = NULL, *framework = NULL, *pos[1];
    int n_pos;
    const struct cli_opt opts[] = {{"output", true, &output},
                                   {"engagement", true, &engagement},
                                   {"framework", true, &framework},
                                   {0}};
    if (cli_parse(argc, expand_short(ctx, argc, argv), opts, pos, 1, &n_pos, &ctx->e))
        return EXIT_USAGE;
    static const char known[] = "catalog, ssp, assessment-results, poam";
    if (n_pos != 1)
        return cli_bad_verb(ctx, NULL, known);
    const char *kind = pos[0];
    char now[40];
    snprintf(now, sizeof(now), "%s", app__now(&ctx->app, &ctx->arena));
    struct rpt_oscal_meta m = {.now = now, .seed = ctx->org.id, .lang = ctx->lang};
    struct sb b = SB_INIT;
    int rc = 0;
    if (strcmp(kind, "catalog") == 0) {
        if (framework) {
            struct rpt_oscal_catalog cat;
            rc = app_framework_catalog(&ctx->app, &ctx->arena, ctx->org.id, framework, &cat,
                                       &ctx->e);
            if (rc == 0)
                rc = rpt_oscal_framework_catalog(&cat, &m, &b, &ctx->e);
        } else {
            const struct dom_catalog *c = NULL;
            rc = app_catalog(&ctx->app, &c, &ctx->e);
            if (rc == 0)
                rc = rpt_oscal_tsc_catalog(c, &m, &b, &ctx->e);
        }
    } else if (strcmp(kind, "ssp") == 0 || strcmp(kind, "assessment-results") == 0 ||
               strcmp(kind, "poam") == 0) {
        struct app_report_data d;
        rc = gather(ctx, engagement, &d);
        if (rc == 0 && kind[0] == 's')
            rc = rpt_oscal_ssp(&d, &m, &b, &ctx->e);
        else if (rc == 0 && kind[0] == 'a')
            rc = rpt_oscal_assessment_results(&d, &m, &b, &ctx->e);
        else if (rc == 0)
            rc = rpt_oscal_poam(&d, &m, &b, &ctx->e);
    } else {
        sb_release(&b);
        return cli_bad_verb(ctx, kind, known);
    }
    if (rc == 0)
        rc = write_out(ctx, output, &b, false);
    sb_release(&b);
    return cli_exit_for(rc);
}

int cmd_report(int argc, const char **argv, struct cli_ctx *ctx)
{
    static const char known[] = "soc2, readiness, risks, controls, workpapers, pbc, oscal";
    if (argc < 1)
        return cli_bad_verb(ctx, NULL, known);
    const char *verb = argv[0];
    if (strcmp(verb, "soc2") == 0)
        return report_soc2(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "oscal") == 0)
        return report_oscal(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "pbc") == 0)
        return report_pbc(argc - 1, argv + 1, ctx);
    if (strcmp(verb, "readiness") == 0 || strcmp(verb, "risks") == 0 ||
        strcmp(verb, "controls") == 0 || strcmp(verb, "workpapers") == 0)
        return report_register(verb, argc - 1, argv + 1, ctx);
    return cli_bad_verb(ctx, verb, known);
}
