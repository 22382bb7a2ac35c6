/* pdf_module.c - rpt_render_pdf() through the PDF module (pdf_module.h).
 *
 * The module is loaded once per process, under pthread_once, and stays
 * loaded: the function pointer it yields and the reason a load failed are
 * the only process-wide state here, written once and read-only after.
 * A process that never writes a PDF never maps cairo or pango.
 */
#include "report/pdf_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*pdf_render_fn)(const struct rpt_doc *d, struct sb *out, struct err *e);

static pthread_once_t module_once = PTHREAD_ONCE_INIT;
static pdf_render_fn module_render;
static char module_error[768];

/* Tries one path; true when the module is loaded from it. */
static bool try_load(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(module_error, sizeof(module_error), "%s", dlerror());
        return false;
    }
    module_render = (pdf_render_fn)(uintptr_t)dlsym(h, TILLIT_PDF_MODULE_SYMBOL);
    if (!module_render) {
        snprintf(module_error, sizeof(module_error), "%s: no symbol %s", path,
                 TILLIT_PDF_MODULE_SYMBOL);
        dlclose(h);
        return false;
    }
    return true;
}

static void load_module(void)
{
    const char *env = getenv("TILLIT_PDF_MODULE");
    if (env && *env) {
        try_load(env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(module_error, sizeof(module_error), "cannot find the running executable");
        return;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    static const char *const under[] = {"", "/..", "/../lib/tillit"};
    char first_error[sizeof(module_error)] = "";
    for (size_t i = 0; i < sizeof(under) / sizeof(under[0]); i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof(path), "%s%s/%s", exe, under[i], TILLIT_PDF_MODULE_FILE);
        if (access(path, F_OK) != 0)
            continue;
        if (try_load(path))
            return;
        if (!first_error[0])
            snprintf(first_error, sizeof(first_error), "%s", module_error);
    }
    if (first_error[0])
        snprintf(module_error, sizeof(module_error), "%s", first_error);
    else
        snprintf(module_error, sizeof(module_error),
                 "%s is not next to %s, nor in ../lib/tillit (set TILLIT_PDF_MODULE)",
                 TILLIT_PDF_MODULE_FILE, exe);
}

int rpt_render_pdf(const struct rpt_doc *d, struct sb *out, struct err *e)
{
    pthread_once(&module_once, load_module);
    if (!module_render)
        return ERR_SET(e, TL_EUNSUPPORTED, "PDF output needs the PDF module: %s", module_error);
    return module_render(d, out, e);
}
