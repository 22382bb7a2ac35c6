/* mem.c - aborting allocators. */
#include "base/mem.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n, const char *file, int line)
{
    /* The one place below the faces that prints: there is no caller left to
     * tell, and the process is about to end. */
    fprintf(stderr, "tillit: out of memory allocating %zu bytes at %s:%d\n", n, file, line);
    abort();
}

void *tl_xmalloc_at(size_t n, const char *file, int line)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n, file, line);
    return p;
}

void *tl_xcalloc_at(size_t nmemb, size_t size, const char *file, int line)
{
    size_t total;
    if (mem_mul_ok(nmemb, size, &total) != 0)
        oom(SIZE_MAX, file, line);
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        oom(total, file, line);
    return p;
}

void *tl_xrealloc_at(void *p, size_t n, const char *file, int line)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n, file, line);
    return q;
}

char *tl_xstrdup_at(const char *s, const char *file, int line)
{
    size_t n = strlen(s) + 1;
    char *p = tl_xmalloc_at(n, file, line);
    memcpy(p, s, n);
    return p;
}

void mem_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

int mem_mul_ok(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b)
        return -1;
    *out = a * b;
    return 0;
}
