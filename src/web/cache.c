/* cache.c - the server's cache of rendered bytes (cache.h).
 *
 * A fixed array of entries searched linearly by hash: the cache holds a
 * few hundred entries at most, and a scan of them costs less than one
 * database query.  Entries are made whole outside the lock and swapped in
 * under it, so a reader copies either the old bytes or the new ones.
 */
#include "web/cache.h"

#include "base/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key; /* NULL for an empty slot */
    uint64_t hash;
    char *stamp;
    char *data;
    size_t len;
    uint64_t last_used;
};

struct web_cache {
    pthread_mutex_t mu;
    struct entry *entries;
    size_t max_entries, max_bytes, bytes;
    uint64_t clock;
    struct web_cache_stats stats;
};

static uint64_t key_hash(const char *key)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    return h;
}

static void entry_clear(struct web_cache *c, struct entry *en)
{
    if (!en->key)
        return;
    c->bytes -= en->len;
    c->stats.entries--;
    free(en->key);
    free(en->stamp);
    free(en->data);
    memset(en, 0, sizeof(*en));
}

struct web_cache *web_cache_new(size_t max_entries, size_t max_bytes)
{
    struct web_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->mu, NULL);
    c->max_entries = max_entries ? max_entries : 1;
    c->max_bytes = max_bytes;
    c->entries = xcalloc(c->max_entries, sizeof(*c->entries));
    return c;
}

void web_cache_free(struct web_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->max_entries; i++)
        entry_clear(c, &c->entries[i]);
    free(c->entries);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static struct entry *find(struct web_cache *c, const char *key, uint64_t hash)
{
    for (size_t i = 0; i < c->max_entries; i++) {
        struct entry *en = &c->entries[i];
        if (en->key && en->hash == hash && strcmp(en->key, key) == 0)
            return en;
    }
    return NULL;
}

bool web_cache_get(struct web_cache *c, const char *key, const char *stamp, struct sb *out)
{
    uint64_t hash = key_hash(key);
    pthread_mutex_lock(&c->mu);
    struct entry *en = find(c, key, hash);
    bool hit = en && strcmp(en->stamp, stamp) == 0 && sb_grow(out, en->len) == 0 &&
               sb_add(out, en->data, en->len) == 0;
    if (hit) {
        en->last_used = ++c->clock;
        c->stats.hits++;
    } else {
        c->stats.misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

/* The least recently used entry, or NULL when the cache is empty. */
static struct entry *oldest(struct web_cache *c)
{
    struct entry *best = NULL;
    for (size_t i = 0; i < c->max_entries; i++) {
        struct entry *en = &c->entries[i];
        if (en->key && (!best || en->last_used < best->last_used))
            best = en;
    }
    return best;
}

static struct entry *empty_slot(struct web_cache *c)
{
    for (size_t i = 0; i < c->max_entries; i++)
        if (!c->entries[i].key)
            return &c->entries[i];
    return NULL;
}

void web_cache_put(struct web_cache *c, const char *key, const char *stamp, const char *data,
                   size_t len)
{
    bool keep = len <= c->max_bytes / 8;
    struct entry fresh = {0};
    if (keep) {
        fresh.key = xstrdup(key);
        fresh.hash = key_hash(key);
        fresh.stamp = xstrdup(stamp);
        fresh.data = xmalloc(len + 1);
        memcpy(fresh.data, data, len);
        fresh.data[len] = '\0';
        fresh.len = len;
    }
    pthread_mutex_lock(&c->mu);
    struct entry *old = find(c, key, key_hash(key));
    if (old)
        entry_clear(c, old);
    if (keep) {
        struct entry *slot = NULL;
        while (c->bytes + len > c->max_bytes || !(slot = empty_slot(c))) {
            entry_clear(c, oldest(c));
            c->stats.evictions++;
        }
        fresh.last_used = ++c->clock;
        *slot = fresh;
        c->bytes += len;
        c->stats.entries++;
        c->stats.puts++;
    }
    pthread_mutex_unlock(&c->mu);
}

struct web_cache_stats web_cache_stats(struct web_cache *c)
{
    pthread_mutex_lock(&c->mu);
    struct web_cache_stats s = c->stats;
    s.bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
    return s;
}
