/* embed.c - lookups in embedded file tables. */
#include "base/embed.h"

#include <string.h>

const struct embed_file *embed_find(const struct embed_file *table, const char *path)
{
    for (const struct embed_file *f = table; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}
