/* arena.h - region allocator for request- and command-scoped memory.
 *
 * Everything allocated from an arena lives until arena_release(); nothing
 * is freed one by one.  A function that takes a struct arena * allocates its
 * results there, and those results never outlive the arena.  Heap memory
 * owned by someone else can be linked to the arena (arena_own) so that it
 * is freed with it.
 */
#ifndef TL_ARENA_H
#define TL_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena_owned;

struct arena {
    struct arena_block *head;
    struct arena_owned *owned;
    size_t total; /* bytes handed out, for tests and limits */
};

#define ARENA_INIT {NULL, NULL, 0}

/** Frees every block and linked allocation; the arena is empty again. */
void arena_release(struct arena *a);

/** Returns n bytes aligned for any type; never NULL (aborts when n > SIZE_MAX / 2). */
void *arena_alloc(struct arena *a, size_t n);

/** Like arena_alloc, zero-filled, for count * size bytes (overflow-checked). */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/** Copies a NUL-terminated string into the arena (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);

/** Copies n bytes and adds a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/** Formats into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Links heap memory p (from malloc) to the arena: freed by arena_release. Takes ownership. */
void *arena_own(struct arena *a, void *p);

#endif
