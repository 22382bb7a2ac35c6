/* cli.h - the command-line face: dispatch table, options, output.
 *
 * Faces stay thin: a command parses its arguments, calls app_*, and formats
 * what comes back.  The dispatcher (cli.c) does the setup a command's flags
 * ask for before it runs: open the database, resolve the organization.
 * A command returns an exit code from enum cli_exit; on failure it leaves
 * the details in ctx->e and the dispatcher prints them once.
 */
#ifndef TL_CLI_H
#define TL_CLI_H

#include "app/app.h"
#include "app/record.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/sb.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit codes (documented in docs/cli.md and 'tillit help exit-codes'). */
enum cli_exit {
    EXIT_OK = 0,      /* success */
    EXIT_CHECK = 1,   /* ran fine, but a check failed (audit verify, evidence verify) */
    EXIT_USAGE = 2,   /* bad usage or bad input; nothing was changed */
    EXIT_SYSTEM = 3,  /* storage or internal error */
};

enum cli_flags {
    CLI_NEEDS_DB = 1 << 0,  /* open the database before running */
    CLI_NEEDS_ORG = 1 << 1, /* resolve --org (implies CLI_NEEDS_DB) */
    CLI_WRITES = 1 << 2,    /* opens the database read-write */
};

enum cli_format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_MD, FMT_HTML };

/* The formats of a listing and of a single record (cli_format's allowed sets). */
#define CLI_FORMATS_LIST ((1u << FMT_TABLE) | (1u << FMT_JSON) | (1u << FMT_CSV))
#define CLI_FORMATS_SHOW ((1u << FMT_TABLE) | (1u << FMT_JSON))

struct cli_ctx {
    struct app app;
    struct arena arena;  /* command-scoped memory */
    struct err e;
    FILE *out;
    const char *db_url;  /* --db, TILLIT_DB, or ./tillit.db */
    const char *org_slug; /* --org or TILLIT_ORG */
    const char *lang;    /* --lang en|sv */
    const char *command; /* the command name, for messages */
    struct app_org org;  /* resolved when the command has CLI_NEEDS_ORG */
};

struct cli_command {
    const char *name;
    int (*fn)(int argc, const char **argv, struct cli_ctx *ctx);
    unsigned flags;
    const char *summary;
    const char *usage; /* full help text */
};

/** The command table (cli.c). Ends with a NULL name. */
extern const struct cli_command cli_commands[];

/** Runs the CLI; returns the process exit code. */
int cli_main(int argc, const char **argv, FILE *out, FILE *errf);

/** Maps an error code to an exit code. */
int cli_exit_for(int code);

/* --- option parsing ----------------------------------------------------- */

struct cli_opt {
    const char *name;   /* long name without dashes, e.g. "format" */
    bool has_value;
    const char **value; /* receives the value (or "1" for flags) */
};

/** Parses --name value / --name=value options in any position; positional
 *  arguments are collected into pos (at most max_pos). Unknown options and
 *  extra arguments are usage errors naming them. */
int cli_parse(int argc, const char **argv, const struct cli_opt *opts, const char **pos,
              int max_pos, int *n_pos, struct err *e);

/** Parses --if-version N (a positive edit count) into *out; NULL leaves 0 (any). */
int cli_if_version(const char *s, int64_t *out, struct err *e);

/** Parses a --format value against the allowed set (bitmask of 1 << enum cli_format). */
int cli_format(const char *s, unsigned allowed, enum cli_format *out, struct err *e);

/** Prints a JSON value (pretty, sorted keys) and drops the reference. */
void cli_print_json(FILE *out, json_t *v);

/** Exit code for an error already in ctx->e. */
int cli_fail(struct cli_ctx *ctx, int code);

/** Usage error for a subcommand: names the verb and the known ones. */
int cli_bad_verb(struct cli_ctx *ctx, const char *verb, const char *known);

/** Sets the usage error "usage: tillit TEXT" in ctx->e; returns EXIT_USAGE. */
int cli_usage(struct cli_ctx *ctx, const char *text);

/** cli_parse() taking between min and max positionals (pos[n..max) become
 *  NULL); too few is cli_usage(ctx, usage).  Returns 0 or EXIT_USAGE. */
int cli_parse_args(struct cli_ctx *ctx, int argc, const char **argv, const struct cli_opt *opts,
                   const char **pos, int min, int max, const char *usage);

/** The arguments of a listing: opts (may be NULL) plus --format
 *  table|json|csv, and no positional.  Returns 0 or EXIT_USAGE. */
int cli_parse_list(struct cli_ctx *ctx, int argc, const char **argv, const struct cli_opt *opts,
                   enum cli_format *fmt);

/** As cli_parse_list, with the formats allowed (a mask of 1 << FMT_*). */
int cli_parse_formats(struct cli_ctx *ctx, int argc, const char **argv,
                      const struct cli_opt *opts, unsigned allowed, enum cli_format *fmt);

/** The arguments of 'NOUN show KEY [--format table|json]': *key gets the one
 *  positional; none is cli_usage(ctx, usage).  Returns 0 or EXIT_USAGE. */
int cli_parse_show(struct cli_ctx *ctx, int argc, const char **argv, const char **key,
                   enum cli_format *fmt, const char *usage);

/** cli_parse_args() with --format table|json|csv added to opts (which may be
 *  NULL): a listing that takes positionals.  Returns 0 or EXIT_USAGE. */
int cli_parse_args_list(struct cli_ctx *ctx, int argc, const char **argv,
                        const struct cli_opt *opts, const char **pos, int min, int max,
                        const char *usage, enum cli_format *fmt);

/** The options naming a test's population, into a struct app_population_in:
 *  --file, --dataset, --column, --date-column. */
/* clang-format off */
#define CLI_POPULATION_OPTS(in)                                                                    \
    {"file", true, &(in).path}, {"dataset", true, &(in).dataset},                                  \
    {"column", true, &(in).column}, {"date-column", true, &(in).date_column}
/* clang-format on */

/** Splits a comma-separated list into trimmed, non-empty items in a; an
 *  empty string gives an empty (non-NULL) list. */
void cli_split_list(struct arena *a, const char *s, const char ***out, size_t *n);

/* --- subcommands ---------------------------------------------------------- */

struct cli_verb {
    const char *name;
    int (*fn)(int argc, const char **argv, struct cli_ctx *ctx);
};

/** Runs the verb argv[0] of noun ("person", "scope service") from verbs,
 *  which ends with a NULL name.  A missing or unknown verb is a usage error
 *  naming noun and listing the verbs in table order. */
int cli_dispatch(struct cli_ctx *ctx, const char *noun, const struct cli_verb *verbs, int argc,
                 const char **argv);

/** Ends a command after its app call: a failed rc gives its exit code (the
 *  details are in ctx->e) and prints nothing; rc 0 prints fmt as one line
 *  and gives EXIT_OK. */
int cli_done(struct cli_ctx *ctx, int rc, const char *fmt, ...) TL_PRINTF(3, 4);

/* --- tabular output ------------------------------------------------------ */

struct cli_table {
    const char **cols;
    size_t n_cols;
    const char **cells; /* row-major */
    size_t n_rows, cap_rows;
    struct arena *a;
};

/** Starts a table with columns (NULL-terminated list), cells in arena a. */
void cli_table_init(struct cli_table *t, struct arena *a, const char *const *cols);

/** Appends a row of n_cols strings (copied; NULL prints as empty / JSON null). */
void cli_table_row(struct cli_table *t, const char *const *cells);

/** Writes the table as an aligned table, CSV, JSON (array of objects) or markdown. */
void cli_table_print(const struct cli_table *t, enum cli_format fmt, FILE *out);

/** Writes one record of n named cells: a JSON object of strings (FMT_JSON)
 *  or "name:  value" lines with the values aligned.  NULL cells print as
 *  empty, or as JSON null. */
void cli_print_record(FILE *out, enum cli_format fmt, const char *const *names,
                      const char *const *cells, size_t n);

/** "yes" or "no". */
const char *cli_yes_no(bool b);

/* --- commands (one file each) --------------------------------------------- */

int cmd_person(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_vendor(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_control(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_risk(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_policy(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_scope(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_gap(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_readiness(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_plan(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_demo(int argc, const char **argv, struct cli_ctx *ctx);
/** 'tillit risk matrix' (riskmatrix.c). */
int cli_risk_matrix(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_org(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_init(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_catalog(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_evidence(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_data(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_check(int argc, const char **argv, struct cli_ctx *ctx);
/** 'tillit demo data' (data.c). */
int cli_demo_data(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_engagement(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_test(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_sample(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_finding(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_remediation(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_pbc(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_export(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_import(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_audit(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_serve(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_user(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_backup(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_restore(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_migrate(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_report(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_framework(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_help(int argc, const char **argv, struct cli_ctx *ctx);
int cmd_version(int argc, const char **argv, struct cli_ctx *ctx);

#endif
