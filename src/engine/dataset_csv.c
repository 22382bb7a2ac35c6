/* dataset_csv.c - CSV exports, and the AWS IAM credential report (a CSV
 * with a documented header and its own words for "no value"). */
#include "engine/dataset.h"

#include "base/sb.h"

#include <sqlite3.h>
#include <string.h>

/* How one CSV flavour is read. */
struct csv_profile {
    /* Types of the columns by name, or NULL to infer them. */
    enum eng_type (*type_of)(const char *name);
    /* Values that mean "none" (NULL-terminated), loaded as NULL. */
    const char *const *nulls;
};

static int refuse_kind(const char *path, const char *kind_text, const char *looks, const char *hint,
                       struct err *e)
{
    return ERR_SET(e, TL_EINPUT, "'%s' is not %s: it looks like %s%s", path, kind_text, looks,
                   hint);
}

static int read_header(struct eng_csv *c, struct arena *a, const char *path,
                       struct eng_column **cols, size_t *n, struct err *e)
{
    const struct eng_field *f;
    size_t nf;
    int rc = eng_csv_next(c, &f, &nf, e);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_EINPUT, "'%s' is empty: a CSV needs a header line", path);
    if (rc < 0)
        return rc;
    const char **names = arena_calloc(a, nf, sizeof(char *));
    *cols = arena_calloc(a, nf, sizeof(**cols));
    for (size_t i = 0; i < nf; i++)
        names[i] = eng_snake_case(a, f[i].s);
    eng_unique_names(a, names, nf);
    for (size_t i = 0; i < nf; i++) {
        (*cols)[i].name = names[i];
        (*cols)[i].source = arena_strndup(a, f[i].s, f[i].len);
    }
    *n = nf;
    return 0;
}

static int ragged(const char *path, struct eng_csv *c, size_t got, size_t want, struct err *e)
{
    ERR_SET(e, TL_EINPUT, "row has %zu field%s, the header has %zu", got, got == 1 ? "" : "s",
            want);
    err_where(e, path, eng_csv_line(c), 0);
    return TL_EINPUT;
}

/* Blanks the profile's "no value" words in place (fields are the reader's). */
static void apply_nulls(const struct csv_profile *p, struct eng_field *f, size_t n)
{
    if (!p->nulls)
        return;
    for (size_t i = 0; i < n; i++)
        for (const char *const *w = p->nulls; *w; w++)
            if (f[i].len == strlen(*w) && memcmp(f[i].s, *w, f[i].len) == 0) {
                f[i].len = 0;
                break;
            }
}

/* Pass 1: shape and UTF-8 of every row, and the types of undeclared columns. */
static int infer_pass(struct eng_csv *c, const char *path, const struct csv_profile *p,
                      struct eng_column *cols, size_t n_cols, struct arena *a, struct err *e)
{
    struct eng__infer inf;
    eng__infer_init(&inf, a, cols, n_cols);
    struct eng_field *row = arena_calloc(a, n_cols, sizeof(*row));
    const struct eng_field *f;
    size_t nf;
    int rc;
    while ((rc = eng_csv_next(c, &f, &nf, e)) == TL_ROW) {
        if (nf != n_cols)
            return ragged(path, c, nf, n_cols, e);
        memcpy(row, f, n_cols * sizeof(*row));
        apply_nulls(p, row, n_cols);
        eng__infer_row(&inf, row);
    }
    if (rc < 0)
        return rc;
    eng__infer_apply(&inf, cols, n_cols);
    return 0;
}

/* Pass 2 (or the only pass, when every type is known): insert. */
static int insert_pass(struct eng_csv *c, const char *path, const struct csv_profile *p,
                       struct eng__table *t, struct arena *a, struct err *e)
{
    size_t n_cols = t->info.n_cols;
    struct eng_field *row = arena_calloc(a, n_cols, sizeof(*row));
    const struct eng_field *f;
    size_t nf;
    int rc;
    while ((rc = eng_csv_next(c, &f, &nf, e)) == TL_ROW) {
        if (nf != n_cols)
            return ragged(path, c, nf, n_cols, e);
        memcpy(row, f, n_cols * sizeof(*row));
        apply_nulls(p, row, n_cols);
        rc = eng__table_insert(t, row, eng_csv_line(c), e);
        if (rc)
            return rc;
    }
    return rc < 0 ? rc : 0;
}

static int load_csv_profile(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                            const struct csv_profile *p, struct eng_load_out *out,
                            struct eng_column *cols, size_t n_cols, struct eng_csv *c,
                            struct err *e)
{
    int rc = 0;
    bool all_typed = true;
    for (size_t i = 0; i < n_cols; i++) {
        if (p->type_of && cols[i].type == ENG_T_AUTO)
            cols[i].type = p->type_of(cols[i].name);
        all_typed = all_typed && cols[i].type != ENG_T_AUTO;
    }
    if (!all_typed) {
        rc = infer_pass(c, in->path, p, cols, n_cols, a, e);
        if (rc == 0)
            rc = eng_csv_rewind(c, e);
        const struct eng_field *f;
        size_t nf;
        if (rc == 0 && (rc = eng_csv_next(c, &f, &nf, e)) == TL_ROW)
            rc = 0; /* the header again */
    }
    struct eng__table t;
    memset(&t, 0, sizeof(t));
    if (rc == 0)
        rc = eng__table_create(&t, db, a, in->path, in->name, cols, n_cols, e);
    if (rc == 0)
        rc = insert_pass(c, in->path, p, &t, a, e);
    if (rc == 0)
        rc = eng__table_finish(&t, e);
    eng__table_release(&t);
    if (rc)
        return rc;
    out->tables = arena_calloc(a, 1, sizeof(*out->tables));
    out->tables[0] = t.info;
    out->n_tables = 1;
    return 0;
}

static int load_with(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                     const struct csv_profile *p, struct eng_load_out *out,
                     int (*check_header)(const struct eng_load_in *in, const struct eng_column *,
                                         size_t, struct err *),
                     struct err *e)
{
    struct eng__hasher h;
    int rc = eng__hash_start(&h, in->path, e);
    if (rc)
        return rc;
    struct eng_csv *c = NULL;
    rc = eng_csv_open(in->path, &c, e);
    struct eng_column *cols = NULL;
    size_t n_cols = 0;
    if (rc == 0)
        rc = read_header(c, a, in->path, &cols, &n_cols, e);
    if (rc == 0 && check_header)
        rc = check_header(in, cols, n_cols, e);
    if (rc == 0)
        rc = eng__declare(a, cols, n_cols, in->declared, in->n_declared, in->path, e);
    if (rc == 0)
        rc = load_csv_profile(db, a, in, p, out, cols, n_cols, c, e);
    eng_csv_close(c);
    /* Always joined, also after a failure: the thread reads the file. */
    struct err he = ERR_INIT;
    int hrc = eng__hash_finish(&h, out->sha256, &out->bytes, &he);
    if (rc == 0 && hrc) {
        if (e)
            *e = he;
        rc = hrc;
    }
    return rc;
}

/* --- plain CSV ------------------------------------------------------------------ */

int eng__load_csv(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                  struct eng_load_out *out, struct err *e)
{
    const char *looks = eng__sniff(in->path);
    if (strcmp(looks, "a missing file") == 0)
        return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s': no such file", in->path);
    if (strcmp(looks, "CSV or text") != 0 && strcmp(looks, "an AWS IAM credential report") != 0 &&
        strcmp(looks, "an empty file") != 0)
        return refuse_kind(in->path, "CSV", looks,
                           strstr(looks, "JSON") || strstr(looks, "GitHub")
                               ? " (see --kind json, jsonl or github-pulls)"
                               : "",
                           e);
    static const struct csv_profile plain = {NULL, NULL};
    return load_with(db, a, in, &plain, out, NULL, e);
}

/* --- the AWS IAM credential report -------------------------------------------------
 * Documented by AWS ("Getting credential reports for your AWS account",
 * IAM User Guide): a CSV whose header begins with these columns, with
 * ISO 8601 time stamps, true/false, and N/A, not_supported or
 * no_information where a value does not apply. */

static const char *const aws_header[] = {
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
};
#define AWS_REQUIRED 8 /* user .. mfa_active: always present */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum eng_type aws_type(const char *name)
{
    if (strcmp(name, "password_enabled") == 0 || ends_with(name, "_active"))
        return ENG_T_BOOLEAN;
    if (ends_with(name, "_time") || ends_with(name, "_last_used") ||
        ends_with(name, "_last_changed") || ends_with(name, "_next_rotation") ||
        ends_with(name, "_last_rotated") || ends_with(name, "_last_used_date"))
        return ENG_T_DATETIME;
    return ENG_T_TEXT;
}

static int aws_check_header(const struct eng_load_in *in, const struct eng_column *cols, size_t n,
                            struct err *e)
{
    size_t known = sizeof(aws_header) / sizeof(*aws_header);
    for (size_t i = 0; i < known && (i < AWS_REQUIRED || i < n); i++) {
        if (i < n && strcmp(cols[i].source, aws_header[i]) == 0)
            continue;
        return ERR_SET(e, TL_EINPUT,
                       "'%s' is not an AWS IAM credential report: column %zu is '%s', expected "
                       "'%s'",
                       in->path, i + 1, i < n ? cols[i].source : "(none)", aws_header[i]);
    }
    return 0;
}

int eng__load_aws_credentials(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                              struct eng_load_out *out, struct err *e)
{
    const char *looks = eng__sniff(in->path);
    if (strcmp(looks, "a missing file") == 0)
        return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s': no such file", in->path);
    if (strcmp(looks, "an AWS IAM credential report") != 0 && strcmp(looks, "CSV or text") != 0)
        return refuse_kind(in->path, "an AWS IAM credential report", looks,
                           strcmp(looks, "a GitHub pull request export") == 0
                               ? " (load it with --kind github-pulls)"
                               : "",
                           e);
    static const char *const nulls[] = {"N/A", "not_supported", "no_information", NULL};
    static const struct csv_profile aws = {aws_type, nulls};
    return load_with(db, a, in, &aws, out, aws_check_header, e);
}
