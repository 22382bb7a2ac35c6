/* mem.h - allocation that never returns NULL, and secure wiping.
 *
 * xmalloc and friends abort with file:line on out-of-memory: there is no
 * useful recovery from it in a CLI command or a request handler.  Memory
 * from them is owned by the caller and released with free().
 */
#ifndef TL_MEM_H
#define TL_MEM_H

#include <stddef.h>

void *tl_xmalloc_at(size_t n, const char *file, int line);
void *tl_xcalloc_at(size_t nmemb, size_t size, const char *file, int line);
void *tl_xrealloc_at(void *p, size_t n, const char *file, int line);
char *tl_xstrdup_at(const char *s, const char *file, int line);

#define xmalloc(n) tl_xmalloc_at((n), __FILE__, __LINE__)
#define xcalloc(m, n) tl_xcalloc_at((m), (n), __FILE__, __LINE__)
#define xrealloc(p, n) tl_xrealloc_at((p), (n), __FILE__, __LINE__)
#define xstrdup(s) tl_xstrdup_at((s), __FILE__, __LINE__)

/** Overwrites n bytes at p with zeros in a way the compiler cannot drop. */
void mem_wipe(void *p, size_t n);

/** Multiplies a*b into *out; returns 0, or -1 when it would overflow. */
int mem_mul_ok(size_t a, size_t b, size_t *out);

#endif
