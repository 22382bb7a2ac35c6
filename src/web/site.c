/* site.c - what every request reads: templates, static files, UI strings.
 *
 * Loaded once when the server starts (through the app, so --content DIR
 * overrides apply) and never changed afterwards: worker threads read it
 * without locks.  The UI strings are jansson objects that nobody
 * increments or decrements while serving, because jansson's reference
 * counts would then be written from several threads.  The one part that
 * changes while serving is the cache of rendered bytes (web/cache.h), which
 * locks for itself; it starts empty, so it costs no memory until used.
 */
#include "web/web.h"

#include "base/yml.h"
#include "web/cache.h"

#include <stdlib.h>
#include <string.h>

/* Bounds of the cache: a dashboard's main part is ~10 KB, so this keeps a
 * few hundred organization, language and role combinations. */
#define SITE_CACHE_ENTRIES 256
#define SITE_CACHE_BYTES (4u << 20)

struct file_list {
    struct web_site *site;
    struct app *app;
    size_t cap;
    struct err *e;
};

static int add_file(void *ud, const char *path)
{
    struct file_list *fl = ud;
    struct web_site *s = fl->site;
    const char *data;
    size_t len;
    int rc = app_content_read(fl->app, path, &data, &len, fl->e);
    if (rc)
        return rc;
    if (s->n_files == fl->cap) {
        fl->cap = fl->cap ? fl->cap * 2 : 64;
        struct web_file *n = arena_calloc(&s->arena, fl->cap, sizeof(*n));
        if (s->n_files)
            memcpy(n, s->files, s->n_files * sizeof(*n));
        s->files = n;
    }
    struct web_file *f = &s->files[s->n_files++];
    f->path = arena_strdup(&s->arena, path);
    /* Embedded bytes are static (app_content_read): pointed at, not copied,
     * so that a page of them is read only when a request needs it.  A file
     * of an override directory lives in the loading app's arena: copied. */
    f->data = fl->app->content_dir ? arena_strndup(&s->arena, data, len) : data;
    f->len = len;
    return 0;
}

static json_t *yml_to_json(const struct yml_node *n)
{
    if (n->kind == YML_SCALAR) {
        json_t *v = json_string(n->str);
        return v ? v : json_string("");
    }
    if (n->kind == YML_SEQ) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n->n; i++)
            json_array_append_new(arr, yml_to_json(n->items[i]));
        return arr;
    }
    json_t *o = json_object();
    for (size_t i = 0; i < n->n; i++)
        json_object_set_new(o, n->items[2 * i]->str ? n->items[2 * i]->str : "",
                            yml_to_json(n->items[2 * i + 1]));
    return o;
}

static int load_strings(struct web_site *s, struct app *app, const char *lang, json_t **out,
                        struct err *e)
{
    char path[64];
    snprintf(path, sizeof(path), "i18n/%s.yaml", lang);
    const char *data;
    size_t len;
    struct yml_node *root;
    struct arena tmp = ARENA_INIT;
    int rc = app_content_read(app, path, &data, &len, e);
    if (rc == 0)
        rc = yml_parse(&tmp, path, data, len, &root, e);
    if (rc == 0)
        *out = yml_to_json(root);
    arena_release(&tmp);
    (void)s;
    return rc;
}

/* Swedish falls back to English key by key: a missing translation shows
 * the English text rather than a raw key. */
static void merge_missing(json_t *into, const json_t *from)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)from, key, v)
    {
        json_t *have = json_object_get(into, key);
        if (!have)
            json_object_set(into, key, v);
        else if (json_is_object(have) && json_is_object(v))
            merge_missing(have, v);
    }
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct web_file *)a)->path, ((const struct web_file *)b)->path);
}

int web_site_load(struct web_site *site, struct app *app, const struct web_config *cfg,
                  struct err *e)
{
    memset(site, 0, sizeof(*site));
    site->cfg = cfg;
    struct file_list fl = {site, app, 0, e};
    int rc = app_content_each(app, "templates/", add_file, &fl);
    if (rc == 0)
        rc = app_content_each(app, "static/", add_file, &fl);
    if (rc == 0 && site->n_files)
        qsort(site->files, site->n_files, sizeof(*site->files), by_path);
    if (rc == 0)
        rc = load_strings(site, app, "en", &site->strings_en, e);
    if (rc == 0)
        rc = load_strings(site, app, "sv", &site->strings_sv, e);
    if (rc == 0)
        merge_missing(site->strings_sv, site->strings_en);
    if (rc == 0)
        site->cache = web_cache_new(SITE_CACHE_ENTRIES, SITE_CACHE_BYTES);
    if (rc)
        err_wrap(e, "loading the web content");
    return rc;
}

void web_site_release(struct web_site *site)
{
    json_decref(site->strings_en);
    json_decref(site->strings_sv);
    web_cache_free(site->cache);
    arena_release(&site->arena);
    memset(site, 0, sizeof(*site));
}

const struct web_file *web_site_file(const struct web_site *site, const char *path)
{
    size_t lo = 0, hi = site->n_files;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(site->files[mid].path, path);
        if (c == 0)
            return &site->files[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const json_t *web_site_strings(const struct web_site *site, const char *lang)
{
    return lang && strcmp(lang, "sv") == 0 ? site->strings_sv : site->strings_en;
}
