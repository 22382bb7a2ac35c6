/* embed.h - files compiled into the binary by tools/embed.
 *
 * A table of embedded files ends with an entry whose path is NULL.  The data
 * is static and NUL-terminated (len excludes the NUL), so text files can be
 * used as C strings.  Tables are sorted by path.
 */
#ifndef TL_EMBED_H
#define TL_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *path; /* relative to the embedded directory, '/'-separated */
    const unsigned char *data;
    size_t len;
};

/** Finds path in a table; NULL when absent. */
const struct embed_file *embed_find(const struct embed_file *table, const char *path);

#endif
