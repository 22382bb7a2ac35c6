/* dataset_json.c - JSON and JSON Lines exports, and GitHub pull requests.
 *
 * A record is a JSON object.  Nested objects are flattened into columns
 * named by their path ("user": {"login": ...} -> user_login); arrays are
 * kept as compact JSON text.  Columns are the union of the keys of all
 * records, in the order first seen.  A JSON document is read whole (it
 * must fit in memory; JSON Lines is the streaming form); JSON Lines is read
 * a line at a time, twice: once for the columns and their types, once to
 * insert.
 */
#include "engine/dataset.h"

#include "base/js.h"
#include "base/mem.h"
#include "base/sb.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define JSON_DOC_MAX ((size_t)1 << 30) /* a JSON document read whole */
#define JSONL_LINE_MAX ((size_t)64 << 20)

/* --- columns found in records ------------------------------------------------ */

struct jcols {
    struct arena *a;
    struct eng_column *cols;
    unsigned *fits;
    size_t n, cap;
    size_t *slots; /* open addressing on source path: index + 1, 0 = empty */
    size_t n_slots;
    /* Values of the current record, as text, aligned to cols. */
    struct sb text;
    size_t *off; /* offset into text + 1, 0 = no value */
    size_t *len;
    size_t cap_vals;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void jcols_init(struct jcols *j, struct arena *a)
{
    memset(j, 0, sizeof(*j));
    j->a = a;
    j->n_slots = 256;
    j->slots = xcalloc(j->n_slots, sizeof(size_t));
    sb_init(&j->text);
}

static void jcols_release(struct jcols *j)
{
    free(j->slots);
    free(j->cols);
    free(j->fits);
    free(j->off);
    free(j->len);
    sb_release(&j->text);
}

static size_t *slot_of(struct jcols *j, const char *source)
{
    size_t mask = j->n_slots - 1, i = (size_t)hash_str(source) & mask;
    while (j->slots[i] && strcmp(j->cols[j->slots[i] - 1].source, source) != 0)
        i = (i + 1) & mask;
    return &j->slots[i];
}

static void rehash(struct jcols *j)
{
    free(j->slots);
    j->n_slots *= 2;
    j->slots = xcalloc(j->n_slots, sizeof(size_t));
    for (size_t k = 0; k < j->n; k++)
        *slot_of(j, j->cols[k].source) = k + 1;
}

/* The column for a source path; added (when allowed) if new, else -1. */
static long column_for(struct jcols *j, const char *source, const char *name, bool add)
{
    size_t *slot = slot_of(j, source);
    if (*slot)
        return (long)*slot - 1;
    if (!add)
        return -1;
    if (j->n == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 32;
        j->cols = xrealloc(j->cols, j->cap * sizeof(*j->cols));
        j->fits = xrealloc(j->fits, j->cap * sizeof(*j->fits));
    }
    j->cols[j->n] = (struct eng_column){arena_strdup(j->a, name), arena_strdup(j->a, source),
                                        ENG_T_AUTO, false};
    j->fits[j->n] = ENG_FITS_ALL;
    *slot = ++j->n;
    if (j->n * 2 > j->n_slots)
        rehash(j);
    return (long)j->n - 1;
}

/* Room for a value of every column; new slots start empty. */
static void ensure_vals(struct jcols *j)
{
    if (j->cap_vals >= j->n)
        return;
    size_t old = j->cap_vals;
    j->cap_vals = j->n * 2;
    j->off = xrealloc(j->off, j->cap_vals * sizeof(size_t));
    j->len = xrealloc(j->len, j->cap_vals * sizeof(size_t));
    memset(j->off + old, 0, (j->cap_vals - old) * sizeof(size_t));
}

static void vals_reset(struct jcols *j)
{
    ensure_vals(j);
    if (j->cap_vals)
        memset(j->off, 0, j->cap_vals * sizeof(size_t));
    sb_reset(&j->text);
}

static int dump_cb(const char *buf, size_t size, void *data)
{
    return sb_add(data, buf, size) == 0 ? 0 : -1;
}

/* Appends the text of a scalar (or an array as JSON) for column col. */
static void set_value(struct jcols *j, long col, const json_t *v)
{
    if (col < 0 || json_is_null(v))
        return;
    size_t start = j->text.len;
    if (json_is_string(v))
        sb_add(&j->text, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        sb_addf(&j->text, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        sb_addf(&j->text, "%.17g", json_real_value(v));
    else if (json_is_boolean(v))
        sb_adds(&j->text, json_is_true(v) ? "true" : "false");
    else
        json_dump_callback(v, dump_cb, &j->text, JSON_COMPACT | JSON_ENCODE_ANY);
    sb_addc(&j->text, '\0');
    j->off[col] = start + 1;
    j->len[col] = j->text.len - start - 1;
}

/* Flattens object o under prefix into the current values; with add, new
 * keys become columns (the first pass), otherwise they cannot appear. */
static void flatten(struct jcols *j, const json_t *o, const char *src_prefix,
                    const char *name_prefix, bool add)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        struct arena tmp = ARENA_INIT;
        const char *seg = eng_snake_case(&tmp, key);
        const char *src = *src_prefix ? arena_printf(&tmp, "%s.%s", src_prefix, key) : key;
        const char *name = *name_prefix ? arena_printf(&tmp, "%s_%s", name_prefix, seg) : seg;
        if (!*name)
            name = "column";
        if (json_is_object(v)) {
            flatten(j, v, src, name, add);
        } else {
            long col = column_for(j, src, name, add);
            ensure_vals(j);
            set_value(j, col, v);
        }
        arena_release(&tmp);
    }
}

/* The current values as fields (NULL where absent). */
static void current_fields(struct jcols *j, struct eng_field *f)
{
    for (size_t i = 0; i < j->n; i++)
        f[i] = j->off[i] ? (struct eng_field){j->text.buf + j->off[i] - 1, j->len[i]}
                         : (struct eng_field){NULL, 0};
}

static void infer_current(struct jcols *j)
{
    for (size_t i = 0; i < j->n; i++)
        if (j->fits[i] && j->off[i] && j->len[i])
            j->fits[i] &= eng_value_fits(j->text.buf + j->off[i] - 1, j->len[i]);
}

/* Final column names and types once all records were seen. */
static int finish_columns(struct jcols *j, const struct eng_load_in *in, struct err *e)
{
    const char **names = arena_calloc(j->a, j->n + 1, sizeof(char *));
    for (size_t i = 0; i < j->n; i++)
        names[i] = j->cols[i].name;
    eng_unique_names(j->a, names, j->n);
    for (size_t i = 0; i < j->n; i++)
        j->cols[i].name = names[i];
    int rc = eng__declare(j->a, j->cols, j->n, in->declared, in->n_declared, in->path, e);
    for (size_t i = 0; rc == 0 && i < j->n; i++)
        if (j->cols[i].type == ENG_T_AUTO) {
            j->cols[i].type = eng_type_of_fits(j->fits[i]);
            j->cols[i].inferred = true;
        }
    return rc;
}

static struct eng_table_info *one_table(struct arena *a, const struct eng__table *t)
{
    struct eng_table_info *info = arena_calloc(a, 1, sizeof(*info));
    *info = t->info;
    info->cols = arena_calloc(a, t->info.n_cols, sizeof(*info->cols));
    memcpy(info->cols, t->info.cols, t->info.n_cols * sizeof(*info->cols));
    return info;
}

/* --- a JSON document ------------------------------------------------------------ */

static int read_doc(const char *path, struct arena *a, json_t **doc, struct eng_load_out *out,
                    struct err *e)
{
    struct sb sb;
    sb_init_capped(&sb, JSON_DOC_MAX);
    int rc = sb_read_file(&sb, path, e);
    if (rc == TL_ETOOBIG)
        ERR_SET(e, TL_ETOOBIG,
                "'%s' is larger than %zu MiB: export it as JSON Lines (--kind jsonl)", path,
                JSON_DOC_MAX >> 20);
    if (rc == 0) {
        crypto_sha256_hex(sb.buf, sb.len, out->sha256);
        out->bytes = sb.len;
        rc = js_parse(path, sb.buf, sb.len, doc, e);
    }
    sb_release(&sb);
    (void)a;
    return rc;
}

/* The array of records: the document, or the one member of an object
 * that holds an array of objects ({"Volumes": [...], "NextToken": null}). */
static int find_records(const char *path, json_t *doc, json_t **records, struct err *e)
{
    if (json_is_array(doc)) {
        *records = doc;
        return 0;
    }
    if (json_is_object(doc)) {
        const char *key;
        json_t *v;
        int n = 0;
        json_object_foreach(doc, key, v)
        {
            if (json_is_array(v) &&
                (json_array_size(v) == 0 || json_is_object(json_array_get(v, 0)))) {
                *records = v;
                n++;
            }
        }
        if (n == 1)
            return 0;
        if (n > 1)
            return ERR_SET(e, TL_EINPUT,
                           "'%s' holds several arrays of records: split it, one array per file",
                           path);
    }
    return ERR_SET(e, TL_EINPUT,
                   "no records in '%s': expected an array of objects, or an object holding one",
                   path);
}

int eng__load_json(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                   struct eng_load_out *out, struct err *e)
{
    const char *looks = eng__sniff(in->path);
    if (strcmp(looks, "a missing file") == 0)
        return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s': no such file", in->path);
    if (strcmp(looks, "JSON Lines") == 0 || strstr(looks, "CSV") || strstr(looks, "AWS") ||
        strstr(looks, "git") || strcmp(looks, "binary data") == 0)
        return ERR_SET(e, TL_EINPUT, "'%s' is not a JSON document: it looks like %s%s", in->path,
                       looks, strcmp(looks, "JSON Lines") == 0 ? " (use --kind jsonl)" : "");
    json_t *doc = NULL, *records = NULL;
    int rc = read_doc(in->path, a, &doc, out, e);
    if (rc == 0)
        rc = find_records(in->path, doc, &records, e);
    struct jcols j;
    jcols_init(&j, a);
    size_t i;
    json_t *rec;
    if (rc == 0) {
        json_array_foreach(records, i, rec)
        {
            if (!json_is_object(rec)) {
                rc = ERR_SET(e, TL_EINPUT, "'%s': record %zu is not an object", in->path, i + 1);
                break;
            }
            vals_reset(&j);
            flatten(&j, rec, "", "", true);
            infer_current(&j);
        }
    }
    if (rc == 0 && j.n == 0)
        rc = ERR_SET(e, TL_EINPUT, "'%s' has no records with fields", in->path);
    if (rc == 0)
        rc = finish_columns(&j, in, e);
    struct eng__table t;
    memset(&t, 0, sizeof(t));
    if (rc == 0)
        rc = eng__table_create(&t, db, a, in->path, in->name, j.cols, j.n, e);
    struct eng_field *f = arena_calloc(a, j.n + 1, sizeof(*f));
    if (rc == 0) {
        json_array_foreach(records, i, rec)
        {
            vals_reset(&j);
            flatten(&j, rec, "", "", false);
            current_fields(&j, f);
            rc = eng__table_insert(&t, f, 0, e);
            if (rc) {
                err_wrap(e, "record %zu", i + 1);
                break;
            }
        }
    }
    if (rc == 0) {
        out->tables = one_table(a, &t);
        out->n_tables = 1;
    }
    eng__table_release(&t);
    jcols_release(&j);
    json_decref(doc);
    return rc;
}

/* --- JSON Lines ---------------------------------------------------------------- */

struct lines {
    FILE *f;
    const char *path;
    char *buf;
    size_t cap;
    int line;
};

static int lines_open(struct lines *l, const char *path, struct err *e)
{
    memset(l, 0, sizeof(*l));
    l->path = path;
    l->f = fopen(path, "rb");
    if (!l->f)
        return ERR_SET(e, errno == ENOENT ? TL_ENOTFOUND : TL_EIO, "cannot open '%s': %s", path,
                       strerror(errno));
    return 0;
}

static void lines_rewind(struct lines *l)
{
    rewind(l->f);
    l->line = 0;
}

static void lines_close(struct lines *l)
{
    if (l->f)
        fclose(l->f);
    free(l->buf);
}

/* The next non-blank line parsed: TL_ROW with *obj (a new reference), TL_DONE, or an error. */
static int lines_next(struct lines *l, json_t **obj, struct err *e)
{
    for (;;) {
        errno = 0;
        ssize_t n = getline(&l->buf, &l->cap, l->f);
        if (n < 0) {
            if (errno)
                return ERR_SET(e, TL_EIO, "cannot read '%s': %s", l->path, strerror(errno));
            return TL_DONE;
        }
        l->line++;
        if ((size_t)n > JSONL_LINE_MAX)
            return ERR_SET(e, TL_ETOOBIG, "%s:%d: line is longer than %zu MiB", l->path, l->line,
                           JSONL_LINE_MAX >> 20);
        const char *p = l->buf;
        p += strspn(p, " \t\r\n");
        if (!*p)
            continue;
        if ((size_t)(p - l->buf) == 0 && n >= 3 && l->line == 1 &&
            memcmp(l->buf, "\xef\xbb\xbf", 3) == 0)
            p += 3;
        json_error_t je;
        *obj = json_loadb(p, (size_t)n - (size_t)(p - l->buf), JSON_REJECT_DUPLICATES, &je);
        if (!*obj) {
            ERR_SET(e, TL_EINPUT, "invalid JSON: %s", je.text);
            err_where(e, l->path, l->line, je.column > 0 ? je.column + (int)(p - l->buf) : 0);
            return TL_EINPUT;
        }
        if (!json_is_object(*obj)) {
            json_decref(*obj);
            ERR_SET(e, TL_EINPUT, "expected a JSON object on each line");
            err_where(e, l->path, l->line, 0);
            return TL_EINPUT;
        }
        return TL_ROW;
    }
}

int eng__load_jsonl(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                    struct eng_load_out *out, struct err *e)
{
    const char *looks = eng__sniff(in->path);
    if (strcmp(looks, "a missing file") == 0)
        return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s': no such file", in->path);
    if (strcmp(looks, "JSON Lines") != 0 && strcmp(looks, "a JSON object") != 0 &&
        strcmp(looks, "a GitHub pull request") != 0)
        return ERR_SET(e, TL_EINPUT, "'%s' is not JSON Lines: it looks like %s%s", in->path, looks,
                       strstr(looks, "JSON") || strstr(looks, "GitHub") ? " (use --kind json)"
                                                                        : "");
    struct eng__hasher h;
    int rc = eng__hash_start(&h, in->path, e);
    if (rc)
        return rc;
    struct lines l;
    rc = lines_open(&l, in->path, e);
    if (rc) {
        eng__hash_finish(&h, out->sha256, &out->bytes, NULL);
        return rc;
    }
    struct jcols j;
    jcols_init(&j, a);
    json_t *obj;
    while ((rc = lines_next(&l, &obj, e)) == TL_ROW) {
        vals_reset(&j);
        flatten(&j, obj, "", "", true);
        infer_current(&j);
        json_decref(obj);
    }
    if (rc == 0 && j.n == 0)
        rc = ERR_SET(e, TL_EINPUT, "'%s' has no records with fields", in->path);
    if (rc == 0)
        rc = finish_columns(&j, in, e);
    struct eng__table t;
    memset(&t, 0, sizeof(t));
    if (rc == 0)
        rc = eng__table_create(&t, db, a, in->path, in->name, j.cols, j.n, e);
    struct eng_field *f = arena_calloc(a, j.n + 1, sizeof(*f));
    if (rc == 0) {
        lines_rewind(&l);
        while ((rc = lines_next(&l, &obj, e)) == TL_ROW) {
            vals_reset(&j);
            flatten(&j, obj, "", "", false);
            json_decref(obj);
            current_fields(&j, f);
            rc = eng__table_insert(&t, f, l.line, e);
            if (rc)
                break;
        }
    }
    struct err he = ERR_INIT;
    int hrc = eng__hash_finish(&h, out->sha256, &out->bytes, &he);
    if (rc == 0 && hrc) {
        if (e)
            *e = he;
        rc = hrc;
    }
    if (rc == 0) {
        out->tables = one_table(a, &t);
        out->n_tables = 1;
    }
    eng__table_release(&t);
    jcols_release(&j);
    lines_close(&l);
    return rc;
}

/* --- GitHub pull requests -------------------------------------------------------
 * The objects GitHub's REST API returns for pull requests (GET
 * /repos/{owner}/{repo}/pulls and /pulls/{number}), in one JSON array, each
 * optionally with a "reviews" member holding what GET
 * /repos/{owner}/{repo}/pulls/{number}/reviews returns for it. */

struct gh_col {
    const char *name;
    const char *path; /* dotted path in the object; "" = computed */
    enum eng_type type;
};

static const struct gh_col pull_cols[] = {
    {"number", "number", ENG_T_INTEGER},
    {"title", "title", ENG_T_TEXT},
    {"state", "state", ENG_T_TEXT},
    {"draft", "draft", ENG_T_BOOLEAN},
    {"author", "user.login", ENG_T_TEXT},
    {"author_association", "author_association", ENG_T_TEXT},
    {"created_at", "created_at", ENG_T_DATETIME},
    {"updated_at", "updated_at", ENG_T_DATETIME},
    {"closed_at", "closed_at", ENG_T_DATETIME},
    {"merged_at", "merged_at", ENG_T_DATETIME},
    {"merged", "", ENG_T_BOOLEAN},
    {"merged_by", "merged_by.login", ENG_T_TEXT},
    {"base_ref", "base.ref", ENG_T_TEXT},
    {"base_repo", "base.repo.full_name", ENG_T_TEXT},
    {"head_ref", "head.ref", ENG_T_TEXT},
    {"head_sha", "head.sha", ENG_T_TEXT},
    {"merge_commit_sha", "merge_commit_sha", ENG_T_TEXT},
    {"html_url", "html_url", ENG_T_TEXT},
    {"labels", "", ENG_T_TEXT},
    {"reviews", "", ENG_T_INTEGER},
};

static const struct gh_col review_cols[] = {
    {"pull_number", "", ENG_T_INTEGER},
    {"id", "id", ENG_T_INTEGER},
    {"reviewer", "user.login", ENG_T_TEXT},
    {"state", "state", ENG_T_TEXT},
    {"submitted_at", "submitted_at", ENG_T_DATETIME},
    {"commit_id", "commit_id", ENG_T_TEXT},
    {"author_association", "author_association", ENG_T_TEXT},
};

#define N_PULL_COLS (sizeof(pull_cols) / sizeof(*pull_cols))
#define N_REVIEW_COLS (sizeof(review_cols) / sizeof(*review_cols))

static const json_t *get_path(const json_t *o, const char *path)
{
    char seg[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(seg))
            return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        o = json_is_object(o) ? json_object_get(o, seg) : NULL;
        path += n + (path[n] == '.');
    }
    return o;
}

/* Text of a scalar into sb (NUL-separated), or a NULL field. */
static struct eng_field scalar(struct sb *sb, const json_t *v, size_t *mark)
{
    if (!v || json_is_null(v) || json_is_object(v) || json_is_array(v))
        return (struct eng_field){NULL, 0};
    size_t start = sb->len;
    if (json_is_string(v))
        sb_add(sb, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        sb_addf(sb, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        sb_addf(sb, "%.17g", json_real_value(v));
    else
        sb_adds(sb, json_is_true(v) ? "true" : "false");
    sb_addc(sb, '\0');
    *mark = start;
    return (struct eng_field){NULL, sb->len - start - 1};
}

/* Fields point into sb, which may move while it grows: offsets first. */
static void fix_fields(struct sb *sb, struct eng_field *f, const size_t *marks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        f[i].s = marks[i] == (size_t)-1 ? NULL : sb->buf + marks[i];
}

static void joined_logins(struct sb *sb, const json_t *arr, const char *key, size_t *mark)
{
    size_t i;
    json_t *v;
    *mark = sb->len;
    bool any = false;
    json_array_foreach((json_t *)arr, i, v)
    {
        const json_t *s = json_object_get(v, key);
        if (json_is_string(s)) {
            sb_addf(sb, "%s%s", any ? "," : "", json_string_value(s));
            any = true;
        }
    }
    sb_addc(sb, '\0');
}

static struct eng_column *gh_columns(struct arena *a, const struct gh_col *spec, size_t n)
{
    struct eng_column *cols = arena_calloc(a, n, sizeof(*cols));
    for (size_t i = 0; i < n; i++)
        cols[i] = (struct eng_column){spec[i].name, *spec[i].path ? spec[i].path : spec[i].name,
                                      spec[i].type, false};
    return cols;
}

static int pull_row(struct eng__table *t, const json_t *pr, size_t idx, struct sb *sb,
                    struct err *e)
{
    struct eng_field f[N_PULL_COLS];
    size_t marks[N_PULL_COLS];
    sb_reset(sb);
    for (size_t c = 0; c < N_PULL_COLS; c++) {
        marks[c] = (size_t)-1;
        f[c] = (struct eng_field){NULL, 0};
        const char *name = pull_cols[c].name;
        if (*pull_cols[c].path) {
            f[c] = scalar(sb, get_path(pr, pull_cols[c].path), &marks[c]);
        } else if (strcmp(name, "merged") == 0) {
            const json_t *m = json_object_get(pr, "merged");
            const json_t *at = json_object_get(pr, "merged_at");
            bool merged = json_is_boolean(m) ? json_is_true(m) : json_is_string(at);
            marks[c] = sb->len;
            sb_adds(sb, merged ? "true" : "false");
            sb_addc(sb, '\0');
            f[c].len = merged ? 4 : 5;
        } else if (strcmp(name, "labels") == 0) {
            const json_t *l = json_object_get(pr, "labels");
            if (json_is_array(l) && json_array_size(l)) {
                joined_logins(sb, l, "name", &marks[c]);
                f[c].len = strlen(sb->buf + marks[c]);
            }
        } else if (strcmp(name, "reviews") == 0) {
            const json_t *r = json_object_get(pr, "reviews");
            if (json_is_array(r)) {
                marks[c] = sb->len;
                sb_addf(sb, "%zu", json_array_size(r));
                sb_addc(sb, '\0');
                f[c].len = strlen(sb->buf + marks[c]);
            }
        }
    }
    fix_fields(sb, f, marks, N_PULL_COLS);
    int rc = eng__table_insert(t, f, 0, e);
    return rc ? err_wrap(e, "pull request %zu", idx + 1) : 0;
}

static int review_rows(struct eng__table *t, const json_t *pr, size_t idx, struct sb *sb,
                       struct err *e)
{
    const json_t *reviews = json_object_get(pr, "reviews");
    if (!reviews || json_is_null(reviews))
        return 0;
    if (!json_is_array(reviews))
        return ERR_SET(e, TL_EINPUT, "pull request %zu: 'reviews' is not an array", idx + 1);
    size_t i;
    json_t *rv;
    json_array_foreach((json_t *)reviews, i, rv)
    {
        struct eng_field f[N_REVIEW_COLS];
        size_t marks[N_REVIEW_COLS];
        sb_reset(sb);
        for (size_t c = 0; c < N_REVIEW_COLS; c++) {
            marks[c] = (size_t)-1;
            f[c] = (struct eng_field){NULL, 0};
            if (*review_cols[c].path)
                f[c] = scalar(sb, get_path(rv, review_cols[c].path), &marks[c]);
            else
                f[c] = scalar(sb, json_object_get(pr, "number"), &marks[c]);
        }
        fix_fields(sb, f, marks, N_REVIEW_COLS);
        int rc = eng__table_insert(t, f, 0, e);
        if (rc)
            return err_wrap(e, "pull request %zu, review %zu", idx + 1, i + 1);
    }
    return 0;
}

static int check_pulls(const char *path, const json_t *doc, struct err *e)
{
    const char *looks = "JSON that is not a list of pull requests";
    if (json_is_array(doc)) {
        size_t i;
        json_t *pr;
        json_array_foreach((json_t *)doc, i, pr)
        {
            if (!json_is_object(pr) || !json_is_integer(json_object_get(pr, "number")) ||
                !json_is_object(json_object_get(pr, "head")) ||
                !json_is_object(json_object_get(pr, "base")))
                return ERR_SET(e, TL_EINPUT,
                               "'%s' is not a GitHub pull request export: item %zu is not a "
                               "pull request (with number, head and base)",
                               path, i + 1);
        }
        return 0;
    }
    if (json_is_object(doc) && json_is_integer(json_object_get(doc, "number")))
        looks = "a single pull request; wrap it in [ ]";
    return ERR_SET(e, TL_EINPUT, "'%s' is not a GitHub pull request export (an array): it is %s",
                   path, looks);
}

int eng__load_pulls(sqlite3 *db, struct arena *a, const struct eng_load_in *in,
                    struct eng_load_out *out, struct err *e)
{
    const char *looks = eng__sniff(in->path);
    if (strcmp(looks, "a missing file") == 0)
        return ERR_SET(e, TL_ENOTFOUND, "cannot open '%s': no such file", in->path);
    if (strstr(looks, "CSV") || strstr(looks, "AWS") || strstr(looks, "git") ||
        strstr(looks, "JSON Lines") || strcmp(looks, "binary data") == 0 ||
        strcmp(looks, "an empty file") == 0)
        return ERR_SET(
            e, TL_EINPUT, "'%s' is not a GitHub pull request export: it looks like %s%s", in->path,
            looks, strstr(looks, "AWS") ? " (load it with --kind aws-iam-credential-report)" : "");
    if (in->n_declared)
        return ERR_SET(e, TL_EUSAGE, "--column does not apply to --kind github-pulls");
    json_t *doc = NULL;
    int rc = read_doc(in->path, a, &doc, out, e);
    if (rc == 0)
        rc = check_pulls(in->path, doc, e);
    struct eng__table pulls, reviews;
    memset(&pulls, 0, sizeof(pulls));
    memset(&reviews, 0, sizeof(reviews));
    if (rc == 0)
        rc = eng__table_create(&pulls, db, a, in->path, in->name,
                               gh_columns(a, pull_cols, N_PULL_COLS), N_PULL_COLS, e);
    if (rc == 0)
        rc = eng__table_create(&reviews, db, a, in->path, arena_printf(a, "%s_reviews", in->name),
                               gh_columns(a, review_cols, N_REVIEW_COLS), N_REVIEW_COLS, e);
    struct sb sb = SB_INIT;
    size_t i;
    json_t *pr;
    if (rc == 0) {
        json_array_foreach(doc, i, pr)
        {
            rc = pull_row(&pulls, pr, i, &sb, e);
            if (rc == 0)
                rc = review_rows(&reviews, pr, i, &sb, e);
            if (rc)
                break;
        }
    }
    sb_release(&sb);
    if (rc == 0) {
        out->tables = arena_calloc(a, 2, sizeof(*out->tables));
        out->tables[0] = *one_table(a, &pulls);
        out->tables[1] = *one_table(a, &reviews);
        out->n_tables = 2;
    }
    eng__table_release(&pulls);
    eng__table_release(&reviews);
    json_decref(doc);
    return rc;
}
