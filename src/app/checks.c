/* checks.c - the check pack: loading it from content, running checks over
 * the analysis database, and recording each run with its evidence. */
#include "app/checks.h"

#include "app/control.h"
#include "app/dataset.h"
#include "app/evidence.h"
#include "base/js.h"
#include "base/sb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECKS_DIR "checks/"

/* --- loading the pack ----------------------------------------------------------- */

struct pack {
    struct app *app;
    struct arena *a;
    const char *lang;
    struct app_check *items;
    size_t n, cap;
    struct err *e;
};

/* The path to show for a content file: the override when there is one. */
static const char *shown_path(struct app *app, struct arena *a, const char *path)
{
    if (app->content_dir) {
        char *full = arena_printf(a, "%s/%s", app->content_dir, path);
        struct stat st;
        if (stat(full, &st) == 0)
            return full;
    }
    return arena_printf(a, "content/%s", path);
}

static const char *pick(const char *lang, const char *en, const char *sv)
{
    return lang && strcmp(lang, "sv") == 0 && sv ? sv : en;
}

/* Controls must be in the library and criteria in the catalog. */
static int check_refs(struct app *app, const struct eng_check *c, struct err *e)
{
    const struct dom_library *lib;
    const struct dom_catalog *cat;
    int rc = app_library(app, &lib, e);
    if (rc == 0)
        rc = app_catalog(app, &cat, e);
    for (size_t i = 0; rc == 0 && i < c->n_controls; i++)
        if (!dom_library_control(lib, c->controls[i])) {
            rc = ERR_SET(e, TL_EINPUT, "check '%s': unknown library control '%s'", c->id,
                         c->controls[i]);
            err_where(e, c->path, c->controls_line, 0);
        }
    for (size_t i = 0; rc == 0 && i < c->n_criteria; i++)
        if (!dom_catalog_criterion(cat, c->criteria[i])) {
            rc = ERR_SET(e, TL_EINPUT, "check '%s': unknown criterion '%s'", c->id, c->criteria[i]);
            err_where(e, c->path, c->criteria_line, 0);
        }
    return rc;
}

static int load_one(void *ud, const char *path)
{
    struct pack *p = ud;
    size_t len = strlen(path);
    if (len < 5 || strcmp(path + len - 5, ".yaml") != 0)
        return 0;
    const char *data;
    size_t n;
    int rc = app_content_read(p->app, path, &data, &n, p->e);
    if (rc)
        return rc;
    struct eng_check *c = arena_calloc(p->a, 1, sizeof(*c));
    const char *shown = shown_path(p->app, p->a, path);
    rc = eng_check_parse(p->a, shown, data, n, c, p->e);
    if (rc)
        return rc;
    const char *base = path + strlen(CHECKS_DIR);
    if (strlen(c->id) != strlen(base) - 5 || strncmp(c->id, base, strlen(c->id)) != 0) {
        ERR_SET(p->e, TL_EINPUT, "check id '%s' does not match its file name '%s'", c->id, base);
        err_where(p->e, shown, 1, 0);
        return TL_EINPUT;
    }
    rc = check_refs(p->app, c, p->e);
    if (rc)
        return rc;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        struct app_check *grown = arena_calloc(p->a, p->cap, sizeof(*grown));
        if (p->n)
            memcpy(grown, p->items, p->n * sizeof(*grown));
        p->items = grown;
    }
    struct app_check *ck = &p->items[p->n++];
    ck->def = c;
    ck->id = c->id;
    ck->title = pick(p->lang, c->title_en, c->title_sv);
    ck->description = pick(p->lang, c->desc_en, c->desc_sv);
    ck->path = shown;
    return 0;
}

int app_check_list(struct app *app, struct arena *a, const char *lang, struct app_check **out,
                   size_t *n, struct err *e)
{
    struct pack p = {.app = app, .a = a, .lang = lang, .e = e};
    int rc = app_content_each(app, CHECKS_DIR, load_one, &p);
    *out = p.items;
    *n = p.n;
    return rc;
}

int app_check_get(struct app *app, struct arena *a, const char *lang, const char *id,
                  struct app_check *out, struct err *e)
{
    struct app_check *all;
    size_t n;
    int rc = app_check_list(app, a, lang, &all, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (strcmp(all[i].id, id) == 0) {
            *out = all[i];
            return 0;
        }
    return rc ? rc : ERR_SET(e, TL_ENOTFOUND, "no check '%s' (see 'tillit check list')", id);
}

/* --- dates ------------------------------------------------------------------------ */

struct run_dates {
    char as_of[DATE_BUF], start[DATE_BUF], end[DATE_BUF];
};

static int run_dates(const struct app *app, const struct app_check_run_in *in, struct run_dates *d,
                     struct err *e)
{
    tl_date today = time_date(app->now), as_of = today;
    struct tl_period p;
    int rc = 0;
    if (in->period) {
        rc = period_parse(in->period, &p, e);
        if (rc) {
            err_field(e, "period");
            return rc;
        }
        as_of = p.end;
    }
    if (in->as_of) {
        rc = date_parse(in->as_of, &as_of, e);
        if (rc) {
            err_field(e, "as-of");
            return rc;
        }
    }
    if (!in->period) {
        p.end = as_of;
        p.start = date_add_months(as_of, -12) + 1;
    }
    date_format(as_of, d->as_of);
    date_format(p.start, d->start);
    date_format(p.end, d->end);
    if (as_of > today)
        return ERR_SET(e, TL_EINPUT, "as-of date '%s' is in the future: checks judge the past",
                       d->as_of);
    if (p.end > as_of)
        return ERR_SET(e, TL_EINPUT, "period '%s..%s' ends after the as-of date %s", d->start,
                       d->end, d->as_of);
    return 0;
}

/* --- running ---------------------------------------------------------------------- */

struct ds_map {
    struct app_dataset *items;
    size_t n;
};

static const struct app_dataset *ds_find(const struct ds_map *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i].name, name) == 0)
            return &m->items[i];
    return NULL;
}

/* Why a check cannot run, or NULL. */
static const char *missing_dataset(struct arena *a, const struct eng_check *c,
                                   const struct ds_map *m)
{
    for (size_t i = 0; i < c->n_datasets; i++)
        if (!ds_find(m, c->datasets[i]))
            return arena_printf(a, "dataset '%s' is not loaded", c->datasets[i]);
    return NULL;
}

static const char *json_text(struct arena *a, json_t *v, int pretty)
{
    struct sb sb = SB_INIT;
    js_dump(&sb, v, pretty);
    const char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    json_decref(v);
    return s;
}

/* The exception rows as kept with the run.  Unlike json_text(), the keys
 * stay in the order of the SQL's columns (jansson keeps insertion order),
 * so that a page showing a recorded run shows its columns as the check
 * returned them: the first names the exception. */
static const char *rows_text(struct arena *a, const json_t *rows)
{
    char *s = json_dumps(rows, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *out = arena_strdup(a, s ? s : "[]");
    free(s);
    return out;
}

static const char *sql_hash(struct arena *a, const struct eng_check *c)
{
    struct crypto_sha256 h;
    char hex[SHA256_HEX];
    crypto_sha256_begin(&h);
    crypto_sha256_update(&h, c->population, strlen(c->population));
    crypto_sha256_update(&h, "", 1);
    crypto_sha256_update(&h, c->sql, strlen(c->sql));
    crypto_sha256_end(&h, hex);
    return arena_strdup(a, hex);
}

static json_t *datasets_of(const struct eng_check *c, const struct ds_map *m, bool full)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n_datasets; i++) {
        const struct app_dataset *d = ds_find(m, c->datasets[i]);
        json_t *o = json_object();
        js_set_str(o, "name", d->name);
        js_set_str(o, "sha256", d->sha256);
        json_object_set_new(o, "rows", json_integer(d->rows));
        if (full) {
            js_set_str(o, "kind", d->kind);
            js_set_str(o, "source_name", d->source_name);
            js_set_str(o, "loaded_at", d->loaded_at);
            js_set_str(o, "loaded_by", d->loaded_by);
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The kept rows as text cells for display. */
static void rows_as_cells(struct arena *a, struct app_check_run *r, const json_t *rows)
{
    r->n_rows = json_array_size(rows);
    r->cells = arena_calloc(a, r->n_rows * r->n_cols + 1, sizeof(char *));
    for (size_t i = 0; i < r->n_rows; i++)
        for (size_t k = 0; k < r->n_cols; k++) {
            json_t *v = json_object_get(json_array_get(rows, i), r->cols[k]);
            const char **cell = &r->cells[i * r->n_cols + k];
            if (json_is_string(v))
                *cell = arena_strdup(a, json_string_value(v));
            else if (json_is_integer(v))
                *cell = arena_printf(a, "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v))
                *cell = arena_printf(a, "%g", json_real_value(v));
        }
}

/* Tables the check may read: those of its datasets. */
static const char **tables_of(struct arena *a, const struct eng_check *c, const struct ds_map *m,
                              size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < c->n_datasets; i++)
        total += ds_find(m, c->datasets[i])->n_tables;
    const char **t = arena_calloc(a, total + 1, sizeof(char *));
    *n = 0;
    for (size_t i = 0; i < c->n_datasets; i++) {
        const struct app_dataset *d = ds_find(m, c->datasets[i]);
        for (size_t k = 0; k < d->n_tables; k++)
            t[(*n)++] = d->tables[k];
    }
    return t;
}

static int run_one(struct eng_adb *db, struct arena *a, const struct ds_map *m,
                   const struct run_dates *d, struct app_check_run *r, struct err *e)
{
    const struct eng_check *c = r->check.def;
    size_t n_tables;
    const char **tables = tables_of(a, c, m, &n_tables);
    struct eng_check_params p = {d->as_of, d->start, d->end};
    struct eng_check_result res;
    int rc = eng_check_run(db, a, c, tables, n_tables, &p, APP_CHECK_KEEP_ROWS, &res, e);
    if (rc == 0) {
        r->population = res.population;
        r->exceptions = res.exceptions;
        r->status = res.exceptions ? APP_CHECK_FAIL : APP_CHECK_PASS;
        r->cols = res.cols;
        r->n_cols = res.n_cols;
        rows_as_cells(a, r, res.rows);
        r->rows_json = rows_text(a, res.rows);
        r->as_of = arena_strdup(a, d->as_of);
        r->period_start = arena_strdup(a, res.uses_period ? d->start : d->as_of);
        r->period_end = arena_strdup(a, res.uses_period ? d->end : d->as_of);
        r->sql_sha256 = sql_hash(a, c);
        r->datasets_json = json_text(a, datasets_of(c, m, false), 0);
    }
    json_decref(res.rows);
    return rc;
}

/* --- recording ---------------------------------------------------------------------- */

/* The organization's controls that are (or were adopted from) the check's. */
static int adopted_controls(struct app *app, struct arena *a, const char *org_id,
                            const struct eng_check *c, const char **list, struct err *e)
{
    struct sb sb = SB_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->n_controls; i++) {
        struct store_stmt *st;
        rc = store_preparef(app->store, e, &st,
                            "SELECT code FROM control WHERE org_id = ? AND (code = ? OR "
                            "library_code = ?) ORDER BY code",
                            "ttt", org_id, c->controls[i], c->controls[i]);
        while (rc == 0 && (rc = store_step(st, e)) == TL_ROW) {
            const char *code = store_col_text(st, 0);
            struct sb probe = SB_INIT;
            sb_addf(&probe, ",%s,", code);
            struct sb hay = SB_INIT;
            sb_addf(&hay, ",%s,", sb.buf);
            if (!strstr(hay.buf, probe.buf))
                sb_addf(&sb, "%s%s", sb.len ? "," : "", code);
            sb_release(&probe);
            sb_release(&hay);
            rc = 0;
        }
        if (rc == TL_DONE)
            rc = 0;
        store_finalize(st);
    }
    *list = sb.len ? arena_strdup(a, sb.buf) : NULL;
    sb_release(&sb);
    return rc < 0 ? rc : 0;
}

/* The full result, as the evidence file holds it. */
static const char *report_json(struct app *app, struct arena *a, const struct app_org *org,
                               const struct app_check_run *r, const struct ds_map *m,
                               const char *ran_at)
{
    const struct eng_check *c = r->check.def;
    json_t *o = json_object();
    js_set_str(o, "check", c->id);
    js_set_str(o, "title", c->title_en);
    json_t *ctl = json_array(), *cri = json_array();
    for (size_t i = 0; i < c->n_controls; i++)
        json_array_append_new(ctl, json_string(c->controls[i]));
    for (size_t i = 0; i < c->n_criteria; i++)
        json_array_append_new(cri, json_string(c->criteria[i]));
    json_object_set_new(o, "controls", ctl);
    json_object_set_new(o, "criteria", cri);
    js_set_str(o, "organization", org->slug);
    js_set_str(o, "run_id", r->run_id);
    js_set_str(o, "ran_at", ran_at);
    js_set_str(o, "ran_by", app->actor);
    js_set_str(o, "as_of", r->as_of);
    json_t *period = json_object();
    js_set_str(period, "start", r->period_start);
    js_set_str(period, "end", r->period_end);
    json_object_set_new(o, "period", period);
    json_object_set_new(o, "datasets", datasets_of(c, m, true));
    js_set_str(o, "population_sql", c->population);
    js_set_str(o, "sql", c->sql);
    js_set_str(o, "sql_sha256", r->sql_sha256);
    json_object_set_new(o, "population", json_integer(r->population));
    json_object_set_new(o, "exceptions", json_integer(r->exceptions));
    js_set_str(o, "result", r->status == APP_CHECK_PASS ? "pass" : "fail");
    json_t *rows = json_loads(r->rows_json, 0, NULL);
    json_object_set_new(o, "exception_rows", rows ? rows : json_array());
    json_object_set_new(o, "exception_rows_complete",
                        json_boolean(r->exceptions <= APP_CHECK_KEEP_ROWS));
    return json_text(a, o, 1);
}

/* Writes the report to a private temporary file named for the evidence list. */
static int write_report(struct arena *a, const struct app_check_run *r, const char *json,
                        const char **dir, const char **file, struct err *e)
{
    const char *tmp = getenv("TMPDIR");
    char *d = arena_printf(a, "%s/tillit-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(d))
        return ERR_SET(e, TL_EIO, "cannot create a temporary directory: %s", strerror(errno));
    *dir = d;
    *file = arena_printf(a, "%s/check-%s-%s.json", d, r->check.id, r->as_of);
    return sb_write_file(*file, json, strlen(json), e);
}

static int record_evidence(struct app *app, struct arena *a, const struct app_org *org,
                           struct app_check_run *r, const struct ds_map *m, const char *ran_at,
                           struct err *e)
{
    const char *controls;
    int rc = adopted_controls(app, a, org->id, r->check.def, &controls, e);
    if (rc)
        return rc;
    if (!controls) {
        struct sb list = SB_INIT;
        for (size_t i = 0; i < r->check.def->n_controls; i++)
            sb_addf(&list, "%s%s", i ? ", " : "", r->check.def->controls[i]);
        r->evidence_note = arena_printf(a,
                                        "not recorded as evidence: none of its controls (%s) "
                                        "is in the program",
                                        list.buf);
        sb_release(&list);
        return 0;
    }
    const char *dir = NULL, *file = NULL;
    rc = write_report(a, r, report_json(app, a, org, r, m, ran_at), &dir, &file, e);
    if (rc == 0) {
        const char *files[1] = {file};
        struct app_evidence_in in = {
            .files = files,
            .n_files = 1,
            .controls = controls,
            .period = strcmp(r->period_start, r->period_end) == 0
                          ? r->period_end
                          : arena_printf(a, "%s..%s", r->period_start, r->period_end),
            .source = arena_printf(a, "tillit check run %s", r->check.id),
            .note = arena_printf(a, "population %lld, exceptions %lld: %s",
                                 (long long)r->population, (long long)r->exceptions,
                                 r->status == APP_CHECK_PASS ? "pass" : "fail"),
        };
        struct app_evidence *ev;
        rc = app_evidence_add(app, a, org->id, &in, &ev, e);
        if (rc == 0)
            r->evidence_id = ev[0].id;
    }
    if (file)
        unlink(file);
    if (dir)
        rmdir(dir);
    return rc;
}

static int record_run(struct app *app, struct arena *a, const struct app_org *org,
                      struct app_check_run *r, const struct ds_map *m, struct err *e)
{
    char at[TIME_BUF];
    time_format(app->now, at);
    struct app_change c = {.org_id = org->id,
                           .action = "check.run",
                           .object_type = "check_run",
                           .table = "check_run",
                           .object_key = r->check.id};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    r->run_id = c.id = app_new_id(a);
    rc = record_evidence(app, a, org, r, m, at, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO check_run (id, org_id, check_id, ran_at, ran_by, as_of, "
                       "period_start, period_end, population, exceptions, result, datasets, "
                       "sql_sha256, exception_rows, evidence_id) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "ttttttttiittttt", c.id, org->id, r->check.id, at, app->actor, r->as_of,
                       r->period_start, r->period_end, r->population, r->exceptions,
                       r->status == APP_CHECK_PASS ? "pass" : "fail", r->datasets_json,
                       r->sql_sha256, r->rows_json, r->evidence_id);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    /* The audit entry summarizes; the rows are in the run and its evidence. */
    json_t *after = json_object();
    js_set_str(after, "id", c.id);
    js_set_str(after, "check_id", r->check.id);
    js_set_str(after, "as_of", r->as_of);
    js_set_str(after, "period_start", r->period_start);
    js_set_str(after, "period_end", r->period_end);
    json_object_set_new(after, "population", json_integer(r->population));
    json_object_set_new(after, "exceptions", json_integer(r->exceptions));
    js_set_str(after, "result", r->status == APP_CHECK_PASS ? "pass" : "fail");
    json_object_set_new(after, "datasets", json_loads(r->datasets_json, 0, NULL));
    js_set_str(after, "sql_sha256", r->sql_sha256);
    js_set_str(after, "evidence_id", r->evidence_id);
    c.after = json_text(a, after, 0);
    return app_change_commit(app, a, &c, e);
}

/* Refuses datasets whose rows in the analysis database are not the ones recorded. */
static int verify_datasets(struct eng_adb *db, struct arena *a, const struct ds_map *m,
                           struct err *e)
{
    for (size_t i = 0; i < m->n; i++) {
        const char *sha;
        bool found;
        int rc = eng_adb_dataset_sha(db, a, m->items[i].name, &sha, &found, e);
        if (rc)
            return rc;
        if (!found || strcmp(sha, m->items[i].sha256) != 0)
            return ERR_SET(e, TL_ECONFLICT,
                           "the analysis database does not hold the recorded version of dataset "
                           "'%s' (load it again with 'tillit data load %s FILE --kind %s')",
                           m->items[i].name, m->items[i].name, m->items[i].kind);
    }
    return 0;
}

int app_check_run(struct app *app, struct arena *a, const struct app_org *org,
                  const struct app_check_run_in *in, struct app_check_run **out, size_t *n,
                  struct err *e)
{
    *out = NULL;
    *n = 0;
    struct run_dates d;
    int rc = run_dates(app, in, &d, e);
    struct app_check *checks = NULL;
    size_t n_checks = 0;
    if (rc == 0 && in->id) {
        checks = arena_calloc(a, 1, sizeof(*checks));
        n_checks = 1;
        rc = app_check_get(app, a, in->lang, in->id, checks, e);
    } else if (rc == 0) {
        rc = app_check_list(app, a, in->lang, &checks, &n_checks, e);
    }
    struct ds_map m = {0};
    if (rc == 0)
        rc = app_dataset_list(app, a, org->id, &m.items, &m.n, e);
    if (rc)
        return rc;
    struct app_check_run *runs = arena_calloc(a, n_checks + 1, sizeof(*runs));
    bool any = false;
    for (size_t i = 0; i < n_checks; i++) {
        runs[i].check = checks[i];
        runs[i].skipped = missing_dataset(a, checks[i].def, &m);
        if (runs[i].skipped) {
            runs[i].status = APP_CHECK_SKIPPED;
            if (in->id)
                return ERR_SET(e, TL_ENOTFOUND,
                               "check '%s' cannot run: %s (see 'tillit data load')", in->id,
                               runs[i].skipped);
        } else {
            any = true;
        }
    }
    struct eng_adb *db = NULL;
    if (any) {
        const char *path;
        rc = app_data_path(app, a, org, &path, e);
        if (rc == 0)
            rc = eng_adb_open(path, true, &db, e);
        if (rc == 0)
            rc = verify_datasets(db, a, &m, e);
    }
    /* Every check runs before anything is recorded: a check whose SQL fails
     * leaves no partial set of runs behind. */
    for (size_t i = 0; rc == 0 && i < n_checks; i++)
        if (runs[i].status != APP_CHECK_SKIPPED)
            rc = run_one(db, a, &m, &d, &runs[i], e);
    eng_adb_close(db);
    /* All runs are recorded in one transaction: all or none. */
    if (rc == 0 && any) {
        rc = store_begin(app->store, e);
        for (size_t i = 0; rc == 0 && i < n_checks; i++)
            if (runs[i].status != APP_CHECK_SKIPPED)
                rc = record_run(app, a, org, &runs[i], &m, e);
        if (rc == 0)
            rc = store_commit(app->store, e);
        else if (store_tx_depth(app->store) > 0)
            store_rollback(app->store);
    }
    if (rc)
        return rc;
    *out = runs;
    *n = n_checks;
    return 0;
}

/* --- history ------------------------------------------------------------------------ */

#define RUN_COLUMNS                                                                                \
    "SELECT id, check_id, ran_at, ran_by, as_of, period_start, period_end, population, "           \
    "exceptions, result, sql_sha256, datasets, evidence_id FROM check_run WHERE org_id = ? "

static void read_run(struct store_stmt *st, struct arena *a, struct app_check_run_row *r)
{
    const char **s[] = {&r->id,    &r->check_id,     &r->ran_at,    &r->ran_by,
                        &r->as_of, &r->period_start, &r->period_end};
    for (int i = 0; i < 7; i++)
        *s[i] = arena_strdup(a, store_col_text(st, i));
    r->population = store_col_int(st, 7);
    r->exceptions = store_col_int(st, 8);
    r->result = arena_strdup(a, store_col_text(st, 9));
    r->sql_sha256 = arena_strdup(a, store_col_text(st, 10));
    r->datasets_json = arena_strdup(a, store_col_text(st, 11));
    r->evidence_id = store_col_is_null(st, 12) ? NULL : arena_strdup(a, store_col_text(st, 12));
    r->rows_json = NULL;
}

int app_check_runs(struct app *app, struct arena *a, const char *org_id, const char *check_id,
                   int64_t limit, struct app_check_run_row **out, size_t *n, struct err *e)
{
    struct store_stmt *st;
    *out = NULL;
    *n = 0;
    int rc = check_id ? store_preparef(app->store, e, &st,
                                       RUN_COLUMNS "AND check_id = ? "
                                                   "ORDER BY ran_at DESC, id DESC LIMIT ?",
                                       "tti", org_id, check_id, limit)
                      : store_preparef(app->store, e, &st,
                                       RUN_COLUMNS "ORDER BY ran_at DESC, id DESC LIMIT ?", "ti",
                                       org_id, limit);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct app_check_run_row *grown = arena_calloc(a, cap, sizeof(*grown));
            if (*n)
                memcpy(grown, *out, *n * sizeof(*grown));
            *out = grown;
        }
        read_run(st, a, &(*out)[(*n)++]);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_check_run_get(struct app *app, struct arena *a, const char *org_id, const char *run_id,
                      struct app_check_run_row *out, struct err *e)
{
    struct store_stmt *st;
    memset(out, 0, sizeof(*out));
    int rc =
        store_preparef(app->store, e, &st,
                       "SELECT id, check_id, ran_at, ran_by, as_of, period_start, "
                       "period_end, population, exceptions, result, sql_sha256, datasets, "
                       "evidence_id, exception_rows FROM check_run WHERE org_id = ? AND id = ?",
                       "tt", org_id, run_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        read_run(st, a, out);
        out->rows_json = arena_strdup(a, store_col_text(st, 13));
    }
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no check run '%s'", run_id);
    return rc < 0 ? rc : 0;
}
