/* dataset.c - loading exports into the analysis database, their
 * provenance in Tillit's database, and reading their rows. */
#include "app/dataset.h"

#include "base/js.h"
#include "base/sb.h"
#include "engine/dataset.h"

#include <stdlib.h>
#include <string.h>

#define DS_COLUMNS                                                                                 \
    "id, name, kind, source_name, file_sha256, size, rows, columns, tables, loaded_by, "           \
    "loaded_at, version"

static const char *base_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *p = path + n;
    while (p > path && p[-1] != '/')
        p--;
    return p;
}

int app_data_path(struct app *app, struct arena *a, const struct app_org *org, const char **path,
                  struct err *e)
{
    const char *dir = getenv("TILLIT_DATA_DIR");
    if (dir && *dir) {
        *path = arena_printf(a, "%s/%s.sqlite", dir, org->slug);
        return 0;
    }
    if (!app->store)
        return ERR_SET(e, TL_EINTERNAL, "datasets need an open database");
    if (strcmp(store_backend(app->store), "sqlite") != 0)
        return ERR_SET(e, TL_EUNSUPPORTED,
                       "datasets with a %s database need TILLIT_DATA_DIR (a directory for the "
                       "analysis databases)",
                       store_backend(app->store));
    *path = arena_printf(a, "%s.data/%s.sqlite", store_name(app->store), org->slug);
    return 0;
}

/* --- reading ---------------------------------------------------------------- */

static const char *col_dup(struct arena *a, struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? NULL : arena_strdup(a, store_col_text(st, col));
}

static void parse_meta(struct arena *a, struct app_dataset *d, const char *columns,
                       const char *tables)
{
    json_t *c = json_loads(columns ? columns : "[]", 0, NULL);
    json_t *t = json_loads(tables ? tables : "[]", 0, NULL);
    d->n_cols = json_is_array(c) ? json_array_size(c) : 0;
    d->cols = arena_calloc(a, d->n_cols + 1, sizeof(*d->cols));
    for (size_t i = 0; i < d->n_cols; i++) {
        json_t *o = json_array_get(c, i);
        d->cols[i].name = arena_strdup(a, json_string_value(json_object_get(o, "name")));
        d->cols[i].type = arena_strdup(a, json_string_value(json_object_get(o, "type")));
        d->cols[i].source = arena_strdup(a, json_string_value(json_object_get(o, "source")));
    }
    d->n_tables = json_is_array(t) ? json_array_size(t) : 0;
    d->tables = arena_calloc(a, d->n_tables + 1, sizeof(char *));
    for (size_t i = 0; i < d->n_tables; i++)
        d->tables[i] = arena_strdup(a, json_string_value(json_array_get(t, i)));
    json_decref(c);
    json_decref(t);
}

static void read_row(struct store_stmt *st, struct arena *a, struct app_dataset *d)
{
    memset(d, 0, sizeof(*d));
    d->id = col_dup(a, st, 0);
    d->name = col_dup(a, st, 1);
    d->kind = col_dup(a, st, 2);
    d->source_name = col_dup(a, st, 3);
    d->sha256 = col_dup(a, st, 4);
    d->size = store_col_int(st, 5);
    d->rows = store_col_int(st, 6);
    parse_meta(a, d, store_col_text(st, 7), store_col_text(st, 8));
    d->loaded_by = col_dup(a, st, 9);
    d->loaded_at = col_dup(a, st, 10);
    d->version = store_col_int(st, 11);
}

int app_dataset_list(struct app *app, struct arena *a, const char *org_id, struct app_dataset **out,
                     size_t *n, struct err *e)
{
    struct store_stmt *st;
    *out = NULL;
    *n = 0;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " DS_COLUMNS " FROM dataset WHERE org_id = ? ORDER BY name",
                            "t", org_id);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct app_dataset *grown = arena_calloc(a, cap, sizeof(*grown));
            if (*n)
                memcpy(grown, *out, *n * sizeof(*grown));
            *out = grown;
        }
        read_row(st, a, &(*out)[(*n)++]);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_dataset_get(struct app *app, struct arena *a, const char *org_id, const char *name,
                    struct app_dataset *out, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " DS_COLUMNS " FROM dataset WHERE org_id = ? AND name = ?",
                            "tt", org_id, name);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_row(st, a, out);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no dataset '%s' (see 'tillit data list')", name);
    return rc < 0 ? rc : 0;
}

/* --- loading ------------------------------------------------------------------- */

static const char *columns_json(struct arena *a, const struct eng_table_info *t)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < t->n_cols; i++) {
        json_t *o = json_object();
        js_set_str(o, "name", t->cols[i].name);
        js_set_str(o, "type", eng_type_name(t->cols[i].type));
        js_set_str(o, "source", t->cols[i].source);
        json_array_append_new(arr, o);
    }
    struct sb sb = SB_INIT;
    js_dump(&sb, arr, 0);
    json_decref(arr);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static const char *tables_json(struct arena *a, const struct eng_load_out *r)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->n_tables; i++)
        json_array_append_new(arr, json_string(r->tables[i].name));
    struct sb sb = SB_INIT;
    js_dump(&sb, arr, 0);
    json_decref(arr);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

/* Writes the provenance row: a new one, or the next version of the name. */
static int record_load(struct app *app, struct arena *a, const struct app_org *org,
                       const struct app_dataset_in *in, const struct eng_load_out *r,
                       const char *at, const char **id, struct err *e)
{
    const char *cols = columns_json(a, &r->tables[0]), *tables = tables_json(a, r);
    const char *src = base_name(in->path);
    if (*id)
        return store_run(app->store, e,
                         "UPDATE dataset SET kind = ?, source_name = ?, file_sha256 = ?, size = ?, "
                         "rows = ?, columns = ?, tables = ?, loaded_by = ?, loaded_at = ?, "
                         "version = version + 1 WHERE id = ? AND org_id = ?",
                         "tttiitttttt", in->kind, src, r->sha256, (int64_t)r->bytes,
                         r->tables[0].rows, cols, tables, app->actor, at, *id, org->id);
    *id = app_new_id(a);
    return store_run(app->store, e,
                     "INSERT INTO dataset (id, org_id, name, kind, source_name, file_sha256, size, "
                     "rows, columns, tables, loaded_by, loaded_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "ttttttiitttt", *id, org->id, in->name, in->kind, src, r->sha256,
                     (int64_t)r->bytes, r->tables[0].rows, cols, tables, app->actor, at);
}

int app_dataset_load(struct app *app, struct arena *a, const struct app_org *org,
                     const struct app_dataset_in *in, struct app_dataset *out, struct err *e)
{
    if (!in->name || !in->kind || !in->path)
        return ERR_SET(e, TL_EUSAGE, "a dataset needs a name, a kind and a file");
    if (!eng_dataset_name_ok(in->name))
        return ERR_SET(e, TL_EUSAGE,
                       "invalid dataset name '%s' (a lowercase letter, then up to 47 lowercase "
                       "letters, digits or '_')",
                       in->name);
    const char *path;
    int rc = app_data_path(app, a, org, &path, e);
    if (rc)
        return rc;
    char at[TIME_BUF];
    time_format(app->now, at);
    struct eng_adb *db;
    rc = eng_adb_open(path, false, &db, e);
    if (rc)
        return rc;
    struct eng_load_in li = {.name = in->name,
                             .kind = in->kind,
                             .path = in->path,
                             .declared = in->columns,
                             .n_declared = in->n_columns,
                             .loaded_at = at};
    struct eng_load_out r;
    rc = eng_load_begin(db, a, &li, &r, e);
    if (rc) {
        eng_adb_close(db);
        return rc;
    }
    /* The analysis database holds the rows and waits: Tillit's write lock
     * is taken only now, for the short provenance change. */
    struct app_change c = {.org_id = org->id,
                           .action = "dataset.load",
                           .object_type = "dataset",
                           .table = "dataset",
                           .object_key = in->name};
    rc = store_set_tenant(app->store, org->id, e);
    if (rc == 0) {
        struct store_stmt *st;
        rc = store_preparef(app->store, e, &st,
                            "SELECT id FROM dataset WHERE org_id = ? AND name = ?", "tt", org->id,
                            in->name);
        if (rc == 0) {
            if (store_step(st, e) == TL_ROW)
                c.id = arena_strdup(a, store_col_text(st, 0));
            store_finalize(st);
        }
    }
    if (rc == 0)
        rc = app_change_begin(app, a, &c, e);
    if (rc) {
        eng_adb_close(db); /* rolls the load back */
        return rc;
    }
    rc = record_load(app, a, org, in, &r, at, &c.id, e);
    /* Rows first, then the record of them: if Tillit's commit failed after
     * this one, the analysis database would hold rows whose fingerprint no
     * provenance matches, and checks refuse them (docs/internals/datasets.md). */
    if (rc == 0)
        rc = eng_load_commit(db, e);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    eng_adb_close(db);
    if (rc == 0)
        rc = app_dataset_get(app, a, org->id, in->name, out, e);
    return rc;
}

/* --- rows ------------------------------------------------------------------------- */

/* The dataset a table belongs to (its name, or a table of a multi-table kind). */
static int find_table(struct app *app, struct arena *a, const char *org_id, const char *table,
                      struct app_dataset *d, struct err *e)
{
    struct app_dataset *all;
    size_t n;
    int rc = app_dataset_list(app, a, org_id, &all, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t k = 0; k < all[i].n_tables; k++)
            if (strcmp(all[i].tables[k], table) == 0) {
                *d = all[i];
                return 0;
            }
    return rc ? rc : ERR_SET(e, TL_ENOTFOUND, "no dataset '%s' (see 'tillit data list')", table);
}

/* Opens the analysis database read-only after checking that it holds the
 * recorded version of dataset d. */
static int open_checked(struct app *app, struct arena *a, const struct app_org *org,
                        const struct app_dataset *d, struct eng_adb **db, struct err *e)
{
    const char *path, *sha;
    bool found;
    int rc = app_data_path(app, a, org, &path, e);
    if (rc == 0)
        rc = eng_adb_open(path, true, db, e);
    if (rc)
        return rc;
    rc = eng_adb_dataset_sha(*db, a, d->name, &sha, &found, e);
    if (rc == 0 && (!found || strcmp(sha, d->sha256) != 0))
        rc = ERR_SET(e, TL_ECONFLICT,
                     "the analysis database does not hold the recorded version of dataset '%s' "
                     "(load it again with 'tillit data load %s FILE --kind %s')",
                     d->name, d->name, d->kind);
    if (rc) {
        eng_adb_close(*db);
        *db = NULL;
    }
    return rc;
}

struct rows_ctx {
    struct arena *a;
    struct app_rows *out;
    int64_t limit;
    int64_t skip; /* rows still to pass over (q->offset) */
    size_t cap;
    struct eng__sha256 hash;
    struct sb line;
    bool whole;
    int date_col; /* index of the filtered column, -1 = none */
    const char *date_name;
    struct err *e;
    int rc;
};

static void hash_csv_line(struct rows_ctx *c, const char *const *vals, size_t n)
{
    sb_reset(&c->line);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&c->line, ',');
        if (vals[i])
            sb_add_csv(&c->line, vals[i]);
    }
    sb_addc(&c->line, '\n');
    eng__sha256_update(&c->hash, c->line.buf, c->line.len);
}

static int collect_row(void *ud, const char *const *cols, const char *const *vals, size_t n)
{
    struct rows_ctx *c = ud;
    struct app_rows *o = c->out;
    if (!vals) { /* the header */
        o->n_cols = n;
        o->cols = arena_calloc(c->a, n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++) {
            o->cols[i] = arena_strdup(c->a, cols[i]);
            if (c->date_name && strcmp(cols[i], c->date_name) == 0)
                c->date_col = (int)i;
        }
        if (c->whole)
            hash_csv_line(c, cols, n);
        return c->limit == 0 && !c->whole;
    }
    if (c->date_col >= 0 && vals[c->date_col]) {
        const char *v = vals[c->date_col];
        if (!(eng_value_fits(v, strlen(v)) & (ENG_FITS_DATE | ENG_FITS_DATETIME))) {
            c->rc =
                ERR_SET(c->e, TL_EINPUT, "column '%s' holds '%.40s', not a date", c->date_name, v);
            return 1;
        }
    }
    if (c->whole)
        hash_csv_line(c, vals, n);
    if (c->skip > 0) {
        c->skip--;
        return 0;
    }
    if (c->limit >= 0 && (int64_t)o->n_rows >= c->limit)
        return c->whole ? 0 : 1;
    if (o->n_rows == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        const char **grown = arena_calloc(c->a, c->cap * (n ? n : 1), sizeof(char *));
        if (o->n_rows)
            memcpy(grown, o->cells, o->n_rows * n * sizeof(char *));
        o->cells = grown;
    }
    for (size_t i = 0; i < n; i++)
        o->cells[o->n_rows * n + i] = arena_strdup(c->a, vals[i]);
    o->n_rows++;
    return 0;
}

static int period_bounds(const char *period, char start[DATE_BUF], char end[DATE_BUF],
                         struct err *e)
{
    struct tl_period p;
    if (!period)
        return ERR_SET(e, TL_EUSAGE, "a date column needs a period (START..END)");
    int rc = period_parse(period, &p, e);
    if (rc)
        return rc;
    date_format(p.start, start);
    date_format(p.end, end);
    return 0;
}

int app_dataset_rows(struct app *app, struct arena *a, const struct app_org *org,
                     const struct app_rows_query *q, struct app_rows *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    char start[DATE_BUF] = "", end[DATE_BUF] = "";
    struct app_dataset d = {0};
    int rc = q->date_column ? period_bounds(q->period, start, end, e) : 0;
    if (rc == 0)
        rc = find_table(app, a, org->id, q->table, &d, e);
    struct eng_adb *db = NULL;
    if (rc == 0)
        rc = open_checked(app, a, org, &d, &db, e);
    if (rc)
        return rc;
    struct rows_ctx c = {.a = a,
                         .out = out,
                         .limit = q->limit,
                         .skip = q->offset > 0 ? q->offset : 0,
                         .whole = q->whole,
                         .date_col = -1,
                         .date_name = q->date_column,
                         .e = e};
    sb_init(&c.line);
    eng__sha256_begin(&c.hash);
    rc = eng_adb_rows(db, q->table, q->date_column, start, end, -1, collect_row, &c,
                      q->whole ? &out->total : NULL, e);
    if (rc == 0)
        rc = c.rc;
    if (q->whole)
        eng__sha256_end(&c.hash, out->sha256);
    else
        out->total = -1;
    sb_release(&c.line);
    eng_adb_close(db);
    return rc;
}

int app_dataset_ids(struct app *app, struct arena *a, const struct app_org *org, const char *table,
                    const char *id_column, const char *date_column, const char *period,
                    const char ***ids, size_t *n, char sha256[SHA256_HEX], struct err *e)
{
    struct app_rows rows;
    struct app_rows_query q = {table, date_column, period, -1, true, 0};
    *ids = NULL;
    *n = 0;
    int rc = app_dataset_rows(app, a, org, &q, &rows, e);
    if (rc)
        return rc;
    size_t col = 0;
    while (col < rows.n_cols && strcmp(rows.cols[col], id_column) != 0)
        col++;
    if (col == rows.n_cols)
        return ERR_SET(e, TL_EINPUT, "dataset table '%s' has no column '%s'", table, id_column);
    *ids = arena_calloc(a, rows.n_rows + 1, sizeof(char *));
    for (size_t r = 0; r < rows.n_rows; r++)
        if (rows.cells[r * rows.n_cols + col])
            (*ids)[(*n)++] = rows.cells[r * rows.n_cols + col];
    memcpy(sha256, rows.sha256, SHA256_HEX);
    return 0;
}
