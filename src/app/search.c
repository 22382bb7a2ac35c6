/* search.c - substring search over an organization's program.
 *
 * A LIKE per kind, on lower() of each column against the lowered query,
 * because LIKE is case-insensitive in SQLite and case-sensitive in
 * PostgreSQL, while lower() agrees on ASCII in both.  The programs are
 * small (hundreds of records), so a scan per search is cheap; an index
 * would not help a substring match anyway.
 */
#include "app/search.h"

#include "base/sb.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* One kind: its SQL returns key, title, then the texts to search. */
struct kind {
    const char *name;
    const char *sql; /* ? 1 = org_id, then the pattern once per text column, then the limit */
    int n_texts;
};

/* Every column a kind is searched by, lowered and matched with ESCAPE. */
#define M(col) "lower(" col ") LIKE ? ESCAPE '\\'"

static const struct kind kinds[] = {
    {"control",
     "SELECT code, title, code, title, description FROM control WHERE org_id = ? AND (" M(
         "code") " OR " M("title") " OR " M("description") ") ORDER BY code LIMIT ?",
     3},
    {"policy",
     "SELECT p.slug, p.title, p.slug, p.title, v.body FROM policy p JOIN policy_version v ON "
     "v.policy_id = p.id AND v.number = (SELECT max(x.number) FROM policy_version x WHERE "
     "x.policy_id = p.id) WHERE p.org_id = ? AND (" M("p.slug") " OR " M("p.title") " OR " M(
         "v.body") ") ORDER BY p.slug LIMIT ?",
     3},
    {"risk",
     "SELECT code, title, code, title, description FROM risk WHERE org_id = ? AND (" M(
         "code") " OR " M("title") " OR " M("description") ") ORDER BY code LIMIT ?",
     3},
    {"evidence",
     "SELECT id, original_name, original_name, source, note FROM evidence WHERE org_id = ? AND "
     "superseded_by IS NULL AND (" M("original_name") " OR " M("source") " OR " M(
         "note") ") ORDER BY added_at DESC, id LIMIT ?",
     3},
};

/* Position of needle (already lowered) in hay, ASCII case-insensitively, or NULL. */
static const char *find_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == (unsigned char)needle[i])
            i++;
        if (i == n)
            return p;
    }
    return NULL;
}

/* About 60 bytes each side of the match, cut on character boundaries,
 * with "…" where text was left out and line breaks as spaces. */
static const char *snippet(struct arena *a, const char *text, const char *at, size_t qlen)
{
    const size_t side = 60;
    const char *start = at - text > (ptrdiff_t)side ? at - side : text;
    while (start > text && ((unsigned char)*start & 0xc0) == 0x80)
        start--;
    const char *end = at + qlen;
    size_t rest = strlen(end);
    end += rest > side ? side : rest;
    while (*end && ((unsigned char)*end & 0xc0) == 0x80)
        end++;
    struct sb sb = SB_INIT;
    if (start > text)
        sb_adds(&sb, "\xe2\x80\xa6");
    for (const char *p = start; p < end; p++)
        sb_addc(&sb, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
    if (*end)
        sb_adds(&sb, "\xe2\x80\xa6");
    char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static int search_kind(struct app *app, struct arena *a, const struct kind *k, const char *org_id,
                       const char *lowered, const char *pattern, size_t limit,
                       struct app_search_hit **out, size_t *n, size_t *cap, struct err *e)
{
    struct store_stmt *st;
    int rc = store_prepare(app->store, k->sql, &st, e);
    if (rc)
        return rc;
    int i = 1;
    store_bind_text(st, i++, org_id);
    for (int t = 0; t < k->n_texts; t++)
        store_bind_text(st, i++, pattern);
    store_bind_int(st, i, (int64_t)limit);
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            struct app_search_hit *na = arena_calloc(a, nc, sizeof(*na));
            if (*n)
                memcpy(na, *out, *n * sizeof(*na));
            *out = na;
            *cap = nc;
        }
        struct app_search_hit *h = &(*out)[(*n)++];
        h->kind = k->name;
        h->key = arena_strdup(a, store_col_text(st, 0));
        h->title = arena_strdup(a, store_col_text(st, 1));
        h->snippet = NULL;
        /* The excerpt comes from the first longer text that matches. */
        for (int t = 0; t < k->n_texts && !h->snippet; t++) {
            const char *text = store_col_is_null(st, 2 + t) ? "" : store_col_text(st, 2 + t);
            const char *at = find_nocase(text, lowered);
            if (at && strlen(text) > 80)
                h->snippet = snippet(a, text, at, strlen(lowered));
        }
    }
    store_finalize(st);
    return rc == TL_DONE ? 0 : rc;
}

int app_search(struct app *app, struct arena *a, const char *org_id, const char *q, size_t limit,
               struct app_search_hit **out, size_t *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    while (q && isspace((unsigned char)*q))
        q++;
    size_t len = q ? strlen(q) : 0;
    while (len > 0 && isspace((unsigned char)q[len - 1]))
        len--;
    if (len < APP_SEARCH_MIN || len > APP_SEARCH_MAX)
        return ERR_SET(e, TL_EINPUT, "a search needs %d to %d characters", APP_SEARCH_MIN,
                       APP_SEARCH_MAX);
    char *lowered = arena_strndup(a, q, len);
    for (char *p = lowered; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    /* %...% around the query, its own \ % _ escaped */
    struct sb pat = SB_INIT;
    sb_addc(&pat, '%');
    for (const char *p = lowered; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            sb_addc(&pat, '\\');
        sb_addc(&pat, *p);
    }
    sb_addc(&pat, '%');
    char *pattern = arena_strdup(a, pat.buf);
    sb_release(&pat);
    size_t cap = 0;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < sizeof(kinds) / sizeof(kinds[0]); k++)
        rc = search_kind(app, a, &kinds[k], org_id, lowered, pattern, limit, out, n, &cap, e);
    return rc;
}
