/* dataset_csv.c - CSV exports, and the AWS IAM credential report (a CSV
 * with a documented header and its own words for "no value").
 *
 * The second pass is a pipeline: a thread parses and converts records into
 * batches (their values copied into the batch), and the loading thread
 * binds whole batches, many rows per INSERT.  Parsing and SQLite then run
 * on two cores; the batches are few and bounded (PIPE_SLOTS of at most
 * PIPE_ROWS rows and PIPE_TEXT bytes), so memory stays flat.  The first
 * error, in file order, wins: the loader inserts the rows before it, then
 * reports it, and the transaction is rolled back anyway. */
#include "engine/dataset.h"

#include "base/mem.h"
#include "base/sb.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
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

/* Types of the undeclared columns over the first max rows (all of them
 * when max is 0); *all tells whether the file ended within them. */
static int infer_pass(struct eng_csv *c, const char *path, const struct csv_profile *p,
                      struct eng_column *cols, size_t n_cols, int64_t max, bool *all,
                      struct arena *a, struct err *e)
{
    struct eng__infer inf;
    eng__infer_init(&inf, a, cols, n_cols);
    struct eng_field *row = arena_calloc(a, n_cols, sizeof(*row));
    const struct eng_field *f;
    size_t nf;
    int rc;
    int64_t n = 0;
    *all = false;
    while ((max == 0 || n < max) && (rc = eng_csv_next(c, &f, &nf, e)) == TL_ROW) {
        if (nf != n_cols)
            return ragged(path, c, nf, n_cols, e);
        memcpy(row, f, n_cols * sizeof(*row));
        apply_nulls(p, row, n_cols);
        eng__infer_row(&inf, row);
        n++;
    }
    if (max == 0 || n < max) {
        if (rc < 0)
            return rc;
        *all = true;
    }
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

/* --- the pipelined second pass --------------------------------------------------- */

#define TL_EAGAIN_SPECULATION 1 /* internal: no thread for the speculative pass */
#define PIPE_SLOTS 3
#define PIPE_ROWS 2048
#define PIPE_TEXT ((size_t)2 << 20)

struct batch {
    struct eng__value *vals; /* PIPE_ROWS * n_cols */
    char *text;              /* the values' bytes; does not move while filled */
    size_t used, cap, rows;
    bool full, end;
    int rc; /* what ended the input after these rows: 0 or an error in e */
    struct err e;
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch slot[PIPE_SLOTS];
    size_t fill, take; /* next slot to fill, next to take */
    bool stop;         /* the loader failed: the parser stops */
    /* Speculation: inferred columns carry types guessed from the first rows;
     * the parser narrows fits[] over every row and notes a value that does
     * not fit its guess (it is loaded as NULL, and the load is redone). */
    bool speculative, mismatch;
    unsigned *fits;
    struct eng_csv *c;
    const char *path;
    const struct csv_profile *p;
    struct eng__table *t;
};

/* The next free slot, emptied; NULL when the loader stopped. */
static struct batch *acquire(struct pipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    struct batch *b = &pp->slot[pp->fill];
    while (b->full && !pp->stop)
        pthread_cond_wait(&pp->cv, &pp->mu);
    bool stop = pp->stop;
    pthread_mutex_unlock(&pp->mu);
    if (stop)
        return NULL;
    b->used = b->rows = 0;
    b->end = false;
    b->rc = 0;
    return b;
}

static void publish(struct pipe *pp, struct batch *b)
{
    pthread_mutex_lock(&pp->mu);
    b->full = true;
    pp->fill = (pp->fill + 1) % PIPE_SLOTS;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
}

/* Copies and converts one record into b; room for it was made. */
static int add_record(struct pipe *pp, struct batch *b, struct eng_field *f, int line)
{
    size_t nc = pp->t->info.n_cols;
    struct eng__value *row = b->vals + b->rows * nc;
    for (size_t i = 0; i < nc; i++) {
        char *dst = b->text + b->used;
        const struct eng_column *col = &pp->t->info.cols[i];
        int rc;
        if (pp->speculative && col->inferred && f[i].len) {
            unsigned fits = eng_value_fits(f[i].s, f[i].len);
            pp->fits[i] &= fits;
            if (col->type != ENG_T_TEXT && !(fits & (1u << (col->type - 1)))) {
                pp->mismatch = true;
                row[i].kind = ENG_V_NULL;
                continue;
            }
        }
        if (f[i].len && col->type == ENG_T_DATETIME) {
            rc = eng__convert(pp->t, i, &f[i], dst, line, &row[i], &b->e);
            b->used += ENG_DATETIME_BUF;
        } else {
            rc = eng__convert(pp->t, i, &f[i], NULL, line, &row[i], &b->e);
            if (rc == 0 && row[i].kind == ENG_V_TEXT) {
                memcpy(dst, row[i].s, row[i].len);
                row[i].s = dst;
                b->used += row[i].len;
            }
        }
        if (rc)
            return rc;
    }
    b->rows++;
    return 0;
}

static void *parse_thread(void *arg)
{
    struct pipe *pp = arg;
    size_t nc = pp->t->info.n_cols;
    struct eng_field *row = xcalloc(nc, sizeof(*row));
    struct batch *b = acquire(pp);
    while (b) {
        const struct eng_field *f;
        size_t nf;
        int rc = eng_csv_next(pp->c, &f, &nf, &b->e);
        if (rc == TL_ROW && nf != nc)
            rc = ragged(pp->path, pp->c, nf, nc, &b->e);
        if (rc != TL_ROW) {
            b->rc = rc < 0 ? rc : 0;
            b->end = true;
            publish(pp, b);
            break;
        }
        memcpy(row, f, nc * sizeof(*row));
        apply_nulls(pp->p, row, nc);
        size_t need = nc * ENG_DATETIME_BUF;
        for (size_t i = 0; i < nc; i++)
            need += row[i].len;
        if (b->rows == PIPE_ROWS || b->used + need > b->cap) {
            publish(pp, b);
            b = acquire(pp);
            if (!b)
                break;
            if (need > b->cap) { /* a huge record: the batch is empty, so it may move */
                b->cap = need;
                b->text = xrealloc(b->text, b->cap);
            }
        }
        rc = add_record(pp, b, row, eng_csv_line(pp->c));
        if (rc) { /* the rows before it stand */
            b->rc = rc;
            b->end = true;
            publish(pp, b);
            break;
        }
    }
    free(row);
    return NULL;
}

static int pipe_insert(struct pipe *pp, struct err *e)
{
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        struct batch *b = &pp->slot[pp->take];
        while (!b->full)
            pthread_cond_wait(&pp->cv, &pp->mu);
        pthread_mutex_unlock(&pp->mu);
        rc = eng__table_insert_values(pp->t, b->vals, b->rows, e);
        bool end = b->end;
        if (rc == 0 && end && b->rc) {
            rc = b->rc;
            if (e)
                *e = b->e;
        }
        pthread_mutex_lock(&pp->mu);
        b->full = false;
        pp->take = (pp->take + 1) % PIPE_SLOTS;
        if (rc)
            pp->stop = true;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
        if (rc || end)
            return rc;
    }
}

/* The insert pass on two threads; falls back to one when no thread can be
 * had (then without speculation: the types were inferred over all rows).
 * With fits non-NULL the inferred columns' types are a guess: *mismatch
 * says whether a value did not fit, and fits[] are every row's. */
static int pipelined_insert(struct eng_csv *c, const char *path, const struct csv_profile *p,
                            struct eng__table *t, unsigned *fits, bool *mismatch, struct arena *a,
                            struct err *e)
{
    struct pipe pp;
    memset(&pp, 0, sizeof(pp));
    pp.c = c;
    pp.path = path;
    pp.p = p;
    pp.t = t;
    pp.speculative = fits != NULL;
    pp.fits = fits;
    size_t nc = t->info.n_cols;
    for (int i = 0; i < PIPE_SLOTS; i++) {
        pp.slot[i].vals = xcalloc(PIPE_ROWS * nc, sizeof(struct eng__value));
        pp.slot[i].cap = PIPE_TEXT;
        pp.slot[i].text = xmalloc(PIPE_TEXT);
    }
    pthread_mutex_init(&pp.mu, NULL);
    pthread_cond_init(&pp.cv, NULL);
    pthread_t th;
    int rc;
    if (pthread_create(&th, NULL, parse_thread, &pp) == 0) {
        rc = pipe_insert(&pp, e);
        pthread_join(th, NULL);
        if (mismatch)
            *mismatch = pp.mismatch;
    } else if (fits) {
        rc = TL_EAGAIN_SPECULATION;
    } else {
        rc = insert_pass(c, path, p, t, a, e);
    }
    pthread_cond_destroy(&pp.cv);
    pthread_mutex_destroy(&pp.mu);
    for (int i = 0; i < PIPE_SLOTS; i++) {
        free(pp.slot[i].vals);
        free(pp.slot[i].text);
    }
    return rc;
}

/* Rows read to guess the types before the insert pass starts. */
#define GUESS_ROWS 20000

static int start_rows(struct eng_csv *c, struct err *e)
{
    const struct eng_field *f;
    size_t nf;
    int rc = eng_csv_rewind(c, e);
    if (rc == 0 && (rc = eng_csv_next(c, &f, &nf, e)) == TL_ROW)
        rc = 0; /* the header again */
    return rc;
}

static int insert_typed(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                        const struct csv_profile *p, struct eng_column *cols, size_t n_cols,
                        struct eng_csv *c, unsigned *fits, bool *mismatch, struct eng__table *t,
                        struct err *e)
{
    memset(t, 0, sizeof(*t));
    int rc = eng__table_create(t, db, a, in->path, in->name, cols, n_cols, e);
    if (rc == 0)
        rc = pipelined_insert(c, in->path, p, t, fits, mismatch, a, e);
    if (rc == 0)
        rc = eng__table_finish(t, e);
    eng__table_release(t);
    return rc;
}

/* Types are inferred over all rows, without reading the file twice when
 * the first rows tell: the types of the first GUESS_ROWS rows are used to
 * load, while every row's values narrow the types; if the whole file
 * agrees with the guess (the usual case) the load is done, else it is
 * redone, once, with the types of all rows. */
static int load_csv_profile(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                            const struct csv_profile *p, struct eng_load_out *out,
                            struct eng_column *cols, size_t n_cols, struct eng_csv *c,
                            struct err *e)
{
    int rc = 0;
    bool all_typed = true, all_read = true;
    for (size_t i = 0; i < n_cols; i++) {
        if (p->type_of && cols[i].type == ENG_T_AUTO)
            cols[i].type = p->type_of(cols[i].name);
        all_typed = all_typed && cols[i].type != ENG_T_AUTO;
    }
    struct eng_column *declared = arena_calloc(a, n_cols, sizeof(*declared));
    memcpy(declared, cols, n_cols * sizeof(*cols));
    if (!all_typed) {
        rc = infer_pass(c, in->path, p, cols, n_cols, GUESS_ROWS, &all_read, a, e);
        if (rc == 0)
            rc = start_rows(c, e);
    }
    unsigned *fits = NULL;
    bool mismatch = false;
    if (!all_read) {
        fits = arena_calloc(a, n_cols, sizeof(*fits));
        for (size_t i = 0; i < n_cols; i++)
            fits[i] = ENG_FITS_ALL;
    }
    struct eng__table t;
    if (rc == 0)
        rc = insert_typed(db, a, in, p, cols, n_cols, c, fits, &mismatch, &t, e);
    if (rc == TL_EAGAIN_SPECULATION) { /* no second thread: infer over all rows first */
        memcpy(cols, declared, n_cols * sizeof(*cols));
        rc = start_rows(c, e);
        if (rc == 0)
            rc = infer_pass(c, in->path, p, cols, n_cols, 0, &all_read, a, e);
        if (rc == 0)
            rc = start_rows(c, e);
        if (rc == 0)
            rc = insert_typed(db, a, in, p, cols, n_cols, c, NULL, NULL, &t, e);
    } else if (rc == 0 && fits) {
        bool same = true;
        for (size_t i = 0; i < n_cols; i++)
            if (cols[i].inferred) {
                enum eng_type all = eng_type_of_fits(fits[i]);
                same = same && all == cols[i].type;
                cols[i].type = all;
            }
        if (!same || mismatch) { /* a later row widened a type: load again */
            rc = start_rows(c, e);
            if (rc == 0)
                rc = insert_typed(db, a, in, p, cols, n_cols, c, NULL, NULL, &t, e);
        }
    }
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
