/* arena.c - region allocator.  Blocks grow geometrically up to 1 MiB; a
 * request larger than a block gets a block of its own. */
#include "base/arena.h"

#include "base/mem.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

struct arena_owned {
    struct arena_owned *next;
    void *p;
};

#define ARENA_MIN_BLOCK 4096u
#define ARENA_MAX_BLOCK (1u << 20)

void arena_release(struct arena *a)
{
    struct arena_owned *o = a->owned;
    while (o) {
        struct arena_owned *next = o->next;
        free(o->p);
        free(o);
        o = next;
    }
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->owned = NULL;
    a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    /* Rounding up (and the block header) must not wrap around to a small
     * size; no sane caller asks for this much. */
    if (n > SIZE_MAX / 2)
        abort();
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    struct arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
        if (size > ARENA_MAX_BLOCK)
            size = ARENA_MAX_BLOCK;
        if (size < n)
            size = n;
        b = xmalloc(sizeof(*b) + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    size_t total;
    if (mem_mul_ok(count, size, &total) != 0)
        abort(); /* a caller bug: sizes come from our own structures */
    void *p = arena_alloc(a, total);
    memset(p, 0, total);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *p = arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
    if (n >= 0)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    else
        p[0] = '\0';
    va_end(ap);
    return p;
}

void *arena_own(struct arena *a, void *p)
{
    if (!p)
        return NULL;
    struct arena_owned *o = xmalloc(sizeof(*o));
    o->p = p;
    o->next = a->owned;
    a->owned = o;
    return p;
}
