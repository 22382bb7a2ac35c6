/* cache.h - a bounded, thread-safe cache of rendered bytes for the server.
 *
 * An entry is the bytes stored under a key (what the bytes are about: an
 * organization, a language, a role ...) with a stamp (what they were made
 * from: the organization's audit chain head and today's date).  A lookup
 * hits only when the stamp it brings equals the stored one, so an entry is
 * never served after the data it was made from changed: the caller reads
 * the current stamp first and computes from data at least that new.  A
 * put replaces what the key held.  The cache holds at most max_entries
 * entries and max_bytes of values; past either the least recently used
 * entries go, and a value larger than an eighth of max_bytes is not kept.
 *
 * Threads: every call takes the cache's mutex for as long as it copies
 * bytes in or out, so a reader never sees a half-written entry.  Values
 * are copied: nothing returned points into the cache.  The cache owns its
 * entries; web_cache_free() frees them all.
 */
#ifndef TL_WEB_CACHE_H
#define TL_WEB_CACHE_H

#include "base/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct web_cache;

struct web_cache_stats {
    uint64_t hits, misses, puts, evictions;
    size_t entries, bytes;
};

/** A new empty cache with these bounds. */
struct web_cache *web_cache_new(size_t max_entries, size_t max_bytes);

/** Frees every entry and the cache.  NULL is a no-op. */
void web_cache_free(struct web_cache *c);

/** Appends the value stored under key to out and returns true when its
 *  stamp equals stamp; otherwise returns false and leaves out alone. */
bool web_cache_get(struct web_cache *c, const char *key, const char *stamp, struct sb *out);

/** Stores a copy of data[0..len) under key with stamp, replacing what key
 *  held.  A value too large to keep only removes the old one. */
void web_cache_put(struct web_cache *c, const char *key, const char *stamp, const char *data,
                   size_t len);

/** The counters and current size (a snapshot). */
struct web_cache_stats web_cache_stats(struct web_cache *c);

#endif
