/* checks.c - parsing check files and running them, read-only, over the
 * analysis database. */
#include "engine/checks.h"

#include "base/sb.h"
#include "base/yml.h"

#include <sqlite3.h>
#include <string.h>

/* --- parsing ------------------------------------------------------------------- */

static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* A required, non-empty list of scalars. */
static int str_list(struct arena *a, const struct yml_node *m, const char *key, const char ***out,
                    size_t *n, int *line, struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v))
        return yml_fail(e, m, TL_EINPUT, "missing required field '%s'", key);
    if (v->kind != YML_SEQ || v->n == 0)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be a non-empty list", key);
    *out = arena_calloc(a, v->n + 1, sizeof(char *));
    for (size_t i = 0; i < v->n; i++) {
        if (v->items[i]->kind != YML_SCALAR || !*v->items[i]->str)
            return yml_fail(e, v->items[i], TL_EINPUT, "items of '%s' must be strings", key);
        (*out)[i] = v->items[i]->str;
    }
    *n = v->n;
    if (line)
        *line = v->line;
    return 0;
}

/* title: {en, sv} (en required), or a plain string taken as English. */
static int text_pair(const struct yml_node *m, const char *key, bool required, const char **en,
                     const char **sv, struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    *en = *sv = NULL;
    if (!v || yml_is_null(v))
        return required ? yml_fail(e, m, TL_EINPUT, "missing required field '%s'", key) : 0;
    if (v->kind == YML_SCALAR) {
        *en = v->str;
        return 0;
    }
    static const char *const langs[] = {"en", "sv", NULL};
    int rc = v->kind == YML_MAP ? yml_check_keys(v, langs, e)
                                : yml_fail(e, v, TL_EINPUT, "field '%s' must be {en, sv}", key);
    if (rc == 0)
        rc = yml_req_str(v, "en", en, e);
    if (rc == 0)
        rc = yml_opt_str(v, "sv", NULL, sv, e);
    return rc;
}

/* The query text, and where it starts in the file. */
static int query(const struct yml_node *m, const char *key, const char *data, size_t len,
                 const char **out, struct eng_check_src *src, struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    int rc = yml_req_str(m, key, out, e);
    if (rc)
        return rc;
    src->line = v->line;
    src->col = v->col;
    src->block = false;
    /* Find the node's first byte: a block scalar's indicator means the text
     * starts on the next line, indented. */
    size_t off = 0;
    for (int l = 1; l < v->line && off < len; off++)
        if (data[off] == '\n')
            l++;
    off += (size_t)(v->col - 1);
    if (off < len && (data[off] == '|' || data[off] == '>')) {
        while (off < len && data[off] != '\n')
            off++;
        off++;
        size_t indent = 0;
        while (off + indent < len && data[off + indent] == ' ')
            indent++;
        src->line = v->line + 1;
        src->col = (int)indent + 1;
        src->block = true;
    } else if (off < len && (data[off] == '"' || data[off] == '\'')) {
        src->col++;
    }
    if (!**out)
        return yml_fail(e, v, TL_EINPUT, "field '%s' is empty", key);
    return 0;
}

int eng_check_parse(struct arena *a, const char *path, const char *data, size_t len,
                    struct eng_check *out, struct err *e)
{
    static const char *const keys[] = {"id",         "title",    "description",
                                       "controls",   "criteria", "datasets",
                                       "population", "sql",      NULL};
    memset(out, 0, sizeof(*out));
    out->path = arena_strdup(a, path);
    struct yml_node *root;
    int rc = yml_parse(a, out->path, data, len, &root, e);
    if (rc)
        return rc;
    if (root->kind != YML_MAP)
        return yml_fail(e, root, TL_EINPUT, "a check is a map of fields");
    rc = yml_check_keys(root, keys, e);
    if (rc == 0)
        rc = yml_req_str(root, "id", &out->id, e);
    if (rc == 0 && !id_ok(out->id))
        rc = yml_fail(e, yml_get(root, "id"), TL_EINPUT,
                      "invalid check id '%s' (lowercase letters, digits and '-')", out->id);
    if (rc == 0)
        rc = text_pair(root, "title", true, &out->title_en, &out->title_sv, e);
    if (rc == 0)
        rc = text_pair(root, "description", false, &out->desc_en, &out->desc_sv, e);
    if (rc == 0)
        rc =
            str_list(a, root, "controls", &out->controls, &out->n_controls, &out->controls_line, e);
    if (rc == 0)
        rc =
            str_list(a, root, "criteria", &out->criteria, &out->n_criteria, &out->criteria_line, e);
    if (rc == 0)
        rc = str_list(a, root, "datasets", &out->datasets, &out->n_datasets, NULL, e);
    for (size_t i = 0; rc == 0 && i < out->n_datasets; i++)
        if (!eng_dataset_name_ok(out->datasets[i]))
            rc = yml_fail(e, yml_get(root, "datasets")->items[i], TL_EINPUT,
                          "invalid dataset name '%s'", out->datasets[i]);
    if (rc == 0)
        rc = query(root, "population", data, len, &out->population, &out->population_src, e);
    if (rc == 0)
        rc = query(root, "sql", data, len, &out->sql, &out->sql_src, e);
    return rc;
}

/* --- running ---------------------------------------------------------------------- */

struct guard {
    const char *const *tables; /* what the check may read */
    size_t n_tables;
    const char **real; /* the tables and views of the database */
    size_t n_real;
    char denied[200]; /* why the authorizer said no */
};

static bool listed(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

/* Reading the declared tables is all a check may do.  SQLite reports reads
 * of common table expressions and table-valued functions (json_each) as
 * reads too, by their own names: a name that is no table of the database
 * is one of those and is allowed; the schema table only for the row ids
 * that table-valued functions look up. */
static int authorize(void *ud, int action, const char *a1, const char *a2, const char *dbname,
                     const char *trigger)
{
    struct guard *g = ud;
    (void)a2;
    (void)dbname;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_READ:
        if (listed(g->tables, g->n_tables, a1))
            return SQLITE_OK;
        if (a1 && (strcmp(a1, "sqlite_master") == 0 || strcmp(a1, "sqlite_schema") == 0)) {
            if (a2 && strcmp(a2, "ROWID") == 0)
                return SQLITE_OK;
        } else if (a1 && !listed((const char *const *)g->real, g->n_real, a1) &&
                   strncmp(a1, "sqlite_", 7) != 0) {
            return SQLITE_OK;
        }
        snprintf(g->denied, sizeof(g->denied), "reads table '%s', which is not one of its datasets",
                 a1 ? a1 : "?");
        return SQLITE_DENY;
    case SQLITE_UPDATE:
        /* SQLite asks this of the schema table itself the first time a
         * table-valued function (json_each) is used; a statement cannot
         * update the schema without PRAGMA writable_schema, which is
         * refused, and the connection is read-only besides. */
        if (a1 && (strcmp(a1, "sqlite_master") == 0 || strcmp(a1, "sqlite_schema") == 0))
            return SQLITE_OK;
        snprintf(g->denied, sizeof(g->denied), "writes to the database: checks only read");
        return SQLITE_DENY;
    case SQLITE_PRAGMA:
        snprintf(g->denied, sizeof(g->denied), "uses PRAGMA '%s': checks only read", a1 ? a1 : "?");
        return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        snprintf(g->denied, sizeof(g->denied), "attaches a database: checks only read");
        return SQLITE_DENY;
    default:
        snprintf(g->denied, sizeof(g->denied), "writes to the database: checks only read");
        return SQLITE_DENY;
    }
}

/* file:line:col of byte offset off of a query's text. */
static void where_in_file(const struct eng_check *c, const struct eng_check_src *src,
                          const char *text, int off, struct err *e)
{
    int line = src->line, col = src->col;
    if (off >= 0) {
        int last_nl = -1;
        for (int i = 0; i < off && text[i]; i++)
            if (text[i] == '\n') {
                line++;
                last_nl = i;
            }
        if (last_nl < 0)
            col = src->col + off;
        else
            col = (src->block ? src->col : 1) + (off - last_nl - 1);
    }
    err_where(e, c->path, line, col);
}

static int sql_fail(sqlite3 *db, const struct eng_check *c, const char *what,
                    const struct eng_check_src *src, const char *text, int shift,
                    const struct guard *g, struct err *e)
{
    int off = sqlite3_error_offset(db);
    const char *msg = sqlite3_errmsg(db);
    if (g->denied[0]) /* "not authorized", "access to t.c is prohibited" */
        ERR_SET(e, TL_EINPUT, "check '%s': %s %s", c->id, what, g->denied);
    else
        ERR_SET(e, TL_EINPUT, "check '%s': %s: %s", c->id, what, msg);
    where_in_file(c, src, text, off >= shift ? off - shift : -1, e);
    return TL_EINPUT;
}

/* Binds :as_of, :period_start, :period_end; any other parameter is an error. */
static int bind_params(sqlite3_stmt *st, const struct eng_check *c, const char *what,
                       const struct eng_check_src *src, const struct eng_check_params *p,
                       bool *uses_period, struct err *e)
{
    int n = sqlite3_bind_parameter_count(st);
    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        const char *v = NULL;
        if (name && strcmp(name, ":as_of") == 0) {
            v = p->as_of;
        } else if (name && strcmp(name, ":period_start") == 0) {
            v = p->period_start;
            *uses_period = true;
        } else if (name && strcmp(name, ":period_end") == 0) {
            v = p->period_end;
            *uses_period = true;
        } else {
            ERR_SET(e, TL_EINPUT,
                    "check '%s': %s uses parameter '%s' (known: :as_of, :period_start, "
                    ":period_end)",
                    c->id, what, name ? name : "?");
            err_where(e, c->path, src->line, src->col);
            return TL_EINPUT;
        }
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    }
    return 0;
}

/* Whether text is nothing but blanks, semicolons and comments. */
static bool only_trailer(const char *t)
{
    while (*t) {
        if (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || *t == ';') {
            t++;
        } else if (t[0] == '-' && t[1] == '-') {
            while (*t && *t != '\n')
                t++;
        } else if (t[0] == '/' && t[1] == '*') {
            const char *end = strstr(t + 2, "*/");
            if (!end)
                return true;
            t = end + 2;
        } else {
            return false;
        }
    }
    return true;
}

static int prepare(sqlite3 *db, const struct eng_check *c, const char *what,
                   const struct eng_check_src *src, const char *text, const char *sql, int shift,
                   struct guard *g, sqlite3_stmt **st, struct err *e)
{
    const char *tail = NULL;
    g->denied[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, st, &tail) != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return sql_fail(db, c, what, src, text, shift, g, e);
    }
    if (!*st) {
        ERR_SET(e, TL_EINPUT, "check '%s': %s is empty", c->id, what);
        err_where(e, c->path, src->line, src->col);
        return TL_EINPUT;
    }
    if (tail && !only_trailer(tail)) {
        sqlite3_finalize(*st);
        *st = NULL;
        ERR_SET(e, TL_EINPUT, "check '%s': %s holds more than one statement", c->id, what);
        tail += strspn(tail, " \t\r\n;");
        where_in_file(c, src, text, (int)(tail - sql) - shift, e);
        return TL_EINPUT;
    }
    return 0;
}

static json_t *value_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    case SQLITE_BLOB:
        return json_sprintf("<%d bytes>", sqlite3_column_bytes(st, i));
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        size_t n = (size_t)sqlite3_column_bytes(st, i);
        json_t *v = json_stringn(s, n);
        if (v)
            return v;
        /* Text cut inside a character (substr) is not UTF-8: keep what is. */
        return json_stringn(s, eng_utf8_check(s, n));
    }
    }
}

/* Strips trailing blanks and semicolons so the query can be wrapped. */
static char *trimmed(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                 s[n - 1] == ';'))
        n--;
    return arena_strndup(a, s, n);
}

static int count_population(sqlite3 *db, struct arena *a, const struct eng_check *c,
                            const struct eng_check_params *p, struct guard *g,
                            struct eng_check_result *out, struct err *e)
{
    static const char prefix[] = "SELECT count(*) FROM (\n";
    char *sql = arena_printf(a, "%s%s\n)", prefix, trimmed(a, c->population));
    int shift = (int)sizeof(prefix) - 1;
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, c, "population", &c->population_src, c->population, sql, shift, g, &st, e);
    if (rc == 0)
        rc = bind_params(st, c, "population", &c->population_src, p, &out->uses_period, e);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            out->population = sqlite3_column_int64(st, 0);
        else
            rc = sql_fail(db, c, "population", &c->population_src, c->population, shift, g, e);
    }
    sqlite3_finalize(st);
    return rc;
}

static int collect_exceptions(sqlite3 *db, struct arena *a, const struct eng_check *c,
                              const struct eng_check_params *p, size_t keep, struct guard *g,
                              struct eng_check_result *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, c, "sql", &c->sql_src, c->sql, c->sql, 0, g, &st, e);
    if (rc == 0)
        rc = bind_params(st, c, "sql", &c->sql_src, p, &out->uses_period, e);
    if (rc) {
        sqlite3_finalize(st);
        return rc;
    }
    out->n_cols = (size_t)sqlite3_column_count(st);
    out->cols = arena_calloc(a, out->n_cols + 1, sizeof(char *));
    for (size_t i = 0; i < out->n_cols; i++)
        out->cols[i] = arena_strdup(a, sqlite3_column_name(st, (int)i));
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((size_t)out->exceptions < keep) {
            json_t *row = json_object();
            for (size_t i = 0; i < out->n_cols; i++)
                json_object_set_new(row, out->cols[i], value_json(st, (int)i));
            json_array_append_new(out->rows, row);
        }
        out->exceptions++;
    }
    if (step != SQLITE_DONE)
        rc = sql_fail(db, c, "sql", &c->sql_src, c->sql, 0, g, e);
    sqlite3_finalize(st);
    return rc;
}

static int real_tables(sqlite3 *db, struct arena *a, struct guard *g, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) OVER (), name FROM sqlite_master "
                           "WHERE type IN ('table', 'view')",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_SET(e, TL_ESTORE, "analysis database: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!g->real)
            g->real = arena_calloc(a, (size_t)sqlite3_column_int64(st, 0) + 1, sizeof(char *));
        g->real[g->n_real++] = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return 0;
}

int eng_check_run(struct eng_adb *adb, struct arena *a, const struct eng_check *c,
                  const char *const *tables, size_t n_tables, const struct eng_check_params *p,
                  size_t keep, struct eng_check_result *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    out->rows = json_array();
    sqlite3 *db = eng__adb_handle(adb);
    struct guard g = {tables, n_tables, NULL, 0, ""};
    int rc = real_tables(db, a, &g, e);
    if (rc)
        return rc;
    sqlite3_set_authorizer(db, authorize, &g);
    rc = count_population(db, a, c, p, &g, out, e);
    if (rc == 0)
        rc = collect_exceptions(db, a, c, p, keep, &g, out, e);
    sqlite3_set_authorizer(db, NULL, NULL);
    return rc;
}
