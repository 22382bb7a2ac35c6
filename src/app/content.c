/* content.c - the content tree: embedded at build time, overridable per file
 * with --content DIR (a file in DIR wins over the embedded one). */
#include "app/app.h"

#include "base/embed.h"
#include "base/mem.h"
#include "base/sb.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern const struct embed_file content_files[];

#define CONTENT_FILE_MAX (16u << 20)

int app_content_read(struct app *app, const char *path, const char **data, size_t *len,
                     struct err *e)
{
    if (app->content_dir) {
        char *full = arena_printf(&app->arena, "%s/%s", app->content_dir, path);
        struct stat st;
        if (stat(full, &st) == 0) {
            struct sb sb;
            sb_init_capped(&sb, CONTENT_FILE_MAX);
            int rc = sb_read_file(&sb, full, e);
            if (rc) {
                sb_release(&sb);
                return rc;
            }
            *len = sb.len;
            *data = arena_own(&app->arena, sb_detach(&sb, NULL));
            return 0;
        }
    }
    const struct embed_file *f = embed_find(content_files, path);
    if (!f)
        return ERR_SET(e, TL_ENOTFOUND, "content file '%s' not found", path);
    *data = (const char *)f->data;
    *len = f->len;
    return 0;
}

struct path_list {
    char **paths;
    size_t n, cap;
};

static void list_add(struct path_list *l, const char *p)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->paths[i], p) == 0)
            return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->paths = xrealloc(l->paths, l->cap * sizeof(char *));
    }
    l->paths[l->n++] = xstrdup(p);
}

/* Adds files under dir/rel recursively (override directories are small). */
static void scan_dir(struct path_list *l, const char *root, const char *rel, const char *prefix)
{
    struct sb full = SB_INIT;
    sb_addf(&full, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(full.buf);
    sb_release(&full);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        struct sb sub = SB_INIT;
        sb_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        struct sb abs = SB_INIT;
        sb_addf(&abs, "%s/%s", root, sub.buf);
        struct stat st;
        if (stat(abs.buf, &st) == 0 && S_ISDIR(st.st_mode))
            scan_dir(l, root, sub.buf, prefix);
        else if (strncmp(sub.buf, prefix, strlen(prefix)) == 0)
            list_add(l, sub.buf);
        sb_release(&sub);
        sb_release(&abs);
    }
    closedir(d);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int app_content_each(struct app *app, const char *prefix,
                     int (*fn)(void *ud, const char *path), void *ud)
{
    struct path_list l = {0};
    for (const struct embed_file *f = content_files; f->path; f++)
        if (strncmp(f->path, prefix, strlen(prefix)) == 0)
            list_add(&l, f->path);
    if (app->content_dir)
        scan_dir(&l, app->content_dir, "", prefix);
    if (l.n)
        qsort(l.paths, l.n, sizeof(char *), by_path);
    /* A file of --content DIR that overrides an embedded one is listed once. */
    int rc = 0;
    for (size_t i = 0; i < l.n; i++) {
        bool again = i > 0 && strcmp(l.paths[i], l.paths[i - 1]) == 0;
        if (rc == 0 && !again)
            rc = fn(ud, l.paths[i]);
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.paths[i]);
    free(l.paths);
    return rc;
}
