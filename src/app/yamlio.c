/* yamlio.c - what export and import share: messages, reading a tree's
 * directory, the context a tree is checked against, and the list of
 * not-applicable decisions. */
#include "app/yamlio_impl.h"

#include "base/sb.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Largest file of a tree read, in bytes: policy texts are at most
 * APP_POLICY_BODY_MAX, and no record comes near this. */
#define TREE_FILE_MAX (4u << 20)

void app_yaml__error(struct arena *a, struct app_yaml_errors *errs, const char *path,
                     const struct yml_node *n, const char *fmt, ...)
{
    if (errs->n >= APP_YAML_MAX_ERRORS) {
        errs->dropped++;
        return;
    }
    if (!errs->lines)
        errs->lines = arena_calloc(a, APP_YAML_MAX_ERRORS, sizeof(char *));
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n)
        errs->lines[errs->n++] =
            arena_printf(a, "%s:%d:%d: %s", n->path ? n->path : path, n->line, n->col, msg);
    else
        errs->lines[errs->n++] = arena_printf(a, "%s: %s", path, msg);
}

bool app_yaml__same(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

int app_yaml__csoc_order(const char *text_a, const char *crit_a, const char *text_b,
                         const char *crit_b)
{
    int d = strcmp(text_a ? text_a : "", text_b ? text_b : "");
    return d ? d : strcmp(crit_a ? crit_a : "", crit_b ? crit_b : "");
}

/* --- context ---------------------------------------------------------------- */

int app_yaml_context(struct app *app, struct arena *a, struct app_yaml_ctx *out, struct err *e)
{
    struct app_policy_template *t;
    size_t n;
    memset(out, 0, sizeof(*out));
    int rc = app_catalog(app, &out->catalog, e);
    if (rc == 0)
        rc = app_library(app, &out->library, e);
    if (rc == 0)
        rc = app_policy_templates(app, a, "en", &t, &n, e);
    if (rc)
        return rc;
    out->templates = arena_calloc(a, n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        out->templates[i] = t[i].name;
    out->n_templates = n;
    out->today = time_date(app->now);
    return 0;
}

/* --- reading a tree ------------------------------------------------------------ */

struct file_list {
    struct arena *a;
    struct app_yaml_file *files;
    size_t n, cap;
};

static int add_file(struct file_list *l, const char *full, const char *rel, struct err *e)
{
    struct sb sb;
    sb_init_capped(&sb, TREE_FILE_MAX);
    int rc = sb_read_file(&sb, full, e);
    if (rc) {
        sb_release(&sb);
        return rc;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct app_yaml_file *grown = arena_calloc(l->a, cap, sizeof(*grown));
        if (l->n)
            memcpy(grown, l->files, l->n * sizeof(*grown));
        l->files = grown;
        l->cap = cap;
    }
    struct app_yaml_file *f = &l->files[l->n++];
    f->path = arena_strdup(l->a, rel);
    f->len = sb.len;
    f->data = arena_strndup(l->a, sb.buf, sb.len);
    sb_release(&sb);
    return 0;
}

/* Reads rel when it is a regular file; a missing one is left to the parser. */
static int read_one(struct file_list *l, const char *dir, const char *rel,
                    struct app_yaml_errors *errs, struct err *e)
{
    char *full = arena_printf(l->a, "%s/%s", dir, rel);
    struct stat st;
    if (stat(full, &st) != 0)
        return 0;
    if (!S_ISREG(st.st_mode)) {
        app_yaml__error(l->a, errs, rel, NULL, "not a regular file");
        return 0;
    }
    int rc = add_file(l, full, rel, e);
    if (rc == TL_ETOOBIG) {
        app_yaml__error(l->a, errs, rel, NULL, "file is larger than %u bytes", TREE_FILE_MAX);
        return 0;
    }
    return rc;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Names in dir/sub, sorted: hidden files are skipped, except those a
 * record can be named (an email may start with a dot). */
static int list_dir(struct arena *a, const char *path, const char ***names, size_t *n,
                    struct err *e)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? 0 : ERR_SET(e, TL_EIO, "cannot read directory '%s'", path);
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        size_t len = strlen(name);
        if (name[0] == '.' && (len < 6 || strcmp(name + len - 5, ".yaml") != 0))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            const char **grown = arena_calloc(a, cap, sizeof(char *));
            if (*n)
                memcpy(grown, *names, *n * sizeof(char *));
            *names = grown;
        }
        (*names)[(*n)++] = arena_strdup(a, name);
    }
    closedir(d);
    if (*n)
        qsort(*names, *n, sizeof(char *), by_name);
    return 0;
}

int app_yaml_read_dir(struct arena *a, const char *dir, struct app_yaml_file **files, size_t *n,
                      struct app_yaml_errors *errs, struct err *e)
{
    static const char *const top[] = {"organization.yaml", "scope.yaml", "applicability.yaml",
                                      NULL};
    static const char *const subs[] = {APP_YAML_PEOPLE,   APP_YAML_CONTROLS, APP_YAML_RISKS,
                                       APP_YAML_POLICIES, APP_YAML_VENDORS,  NULL};
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ERR_SET(e, TL_ENOTFOUND, "no directory '%s'", dir);
    struct file_list l = {.a = a};
    int rc = 0;
    for (size_t i = 0; rc == 0 && top[i]; i++)
        rc = read_one(&l, dir, top[i], errs, e);
    for (size_t i = 0; rc == 0 && subs[i]; i++) {
        const char **names;
        size_t count;
        rc = list_dir(a, arena_printf(a, "%s/%s", dir, subs[i]), &names, &count, e);
        for (size_t k = 0; rc == 0 && k < count; k++)
            rc = read_one(&l, dir, arena_printf(a, "%s/%s", subs[i], names[k]), errs, e);
    }
    *files = l.files ? l.files : arena_calloc(a, 1, sizeof(**files));
    *n = l.n;
    return rc;
}

/* --- applicability ----------------------------------------------------------------- */

static int by_target(const void *x, const void *y)
{
    return strcmp(((const struct app_applicability *)x)->target,
                  ((const struct app_applicability *)y)->target);
}

int app_applicability_list(struct app *app, struct arena *a, const char *org_id,
                           struct app_applicability **out, size_t *n, struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM applicability WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT target, justification FROM applicability WHERE org_id = ?", "t",
                            org_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        (*out)[*n].target = arena_strdup(a, store_col_text(st, 0));
        (*out)[*n].justification = arena_strdup(a, store_col_text(st, 1));
        (*n)++;
    }
    store_finalize(st);
    /* Byte order whatever the database's collation, for a stable export. */
    qsort(*out, *n, sizeof(**out), by_target);
    return rc < 0 ? rc : 0;
}
