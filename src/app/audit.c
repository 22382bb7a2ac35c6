/* audit.c - appending to and verifying the audit hash chains. */
#include "app/audit.h"

#include "base/js.h"

#include <stdio.h>
#include <string.h>

/* The hash of "no previous entry". */
static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

int audit_canonical(const struct audit_entry *en, struct sb *sb)
{
    /* Compact JSON with sorted keys (jansson's JSON_SORT_KEYS) over the stored
     * column values; before/after are hashed as the text that is stored. */
    json_t *o = json_object();
    js_set_str(o, "chain", en->chain);
    json_object_set_new(o, "seq", json_integer(en->seq));
    js_set_str(o, "at", en->at);
    js_set_str(o, "actor", en->actor);
    js_set_str(o, "action", en->action);
    js_set_str(o, "object_type", en->object_type);
    js_set_str(o, "object_id", en->object_id);
    js_set_str(o, "before", en->before);
    js_set_str(o, "after", en->after);
    js_set_str(o, "prev_hash", en->prev_hash);
    int rc = js_dump(sb, o, 0);
    json_decref(o);
    return rc;
}

static void entry_hash(const struct audit_entry *en, char out[SHA256_HEX])
{
    struct sb sb = SB_INIT;
    audit_canonical(en, &sb);
    crypto_sha256_hex(sb.buf, sb.len, out);
    sb_release(&sb);
}

/* Reads the chain head (last seq and hash) under the write lock the caller's
 * transaction already holds. */
static int chain_head(struct app *app, const char *chain, int64_t *seq, char hash[SHA256_HEX],
                      struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT seq, hash FROM audit_log WHERE chain = ? "
                            "ORDER BY seq DESC LIMIT 1",
                            "t", chain);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        *seq = store_col_int(st, 0);
        snprintf(hash, SHA256_HEX, "%s", store_col_text(st, 1));
        rc = 0;
    } else if (rc == TL_DONE) {
        *seq = 0;
        snprintf(hash, SHA256_HEX, "%s", genesis);
    }
    store_finalize(st);
    return rc;
}

int audit_append(struct app *app, const char *org_id, const char *action, const char *object_type,
                 const char *object_id, const char *before, const char *after, struct err *e)
{
    if (store_tx_depth(app->store) == 0)
        return ERR_SET(e, TL_EINTERNAL, "audit entry for '%s' outside a transaction", action);
    char prev[SHA256_HEX], hash[SHA256_HEX], at[TIME_BUF];
    int64_t seq;
    const char *chain = org_id ? org_id : "";
    int rc = store_lock_key(app->store, chain, e);
    if (rc == 0)
        rc = chain_head(app, chain, &seq, prev, e);
    if (rc)
        return rc;
    time_format(app->now, at);
    struct audit_entry en = {.chain = chain,
                             .seq = seq + 1,
                             .at = at,
                             .actor = app->actor,
                             .action = action,
                             .object_type = object_type,
                             .object_id = object_id,
                             .before = before,
                             .after = after,
                             .prev_hash = prev};
    entry_hash(&en, hash);
    return store_run(app->store, e,
                     "INSERT INTO audit_log (chain, seq, at, actor, action, object_type, "
                     "object_id, before_json, after_json, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "tittttttttt", chain, en.seq, at, app->actor, action, object_type, object_id,
                     before, after, prev, hash);
}

static void read_entry(struct store_stmt *st, struct arena *a, struct audit_entry *en)
{
    en->chain = arena_strdup(a, store_col_text(st, 0));
    en->seq = store_col_int(st, 1);
    en->at = arena_strdup(a, store_col_text(st, 2));
    en->actor = arena_strdup(a, store_col_text(st, 3));
    en->action = arena_strdup(a, store_col_text(st, 4));
    en->object_type = arena_strdup(a, store_col_text(st, 5));
    en->object_id = arena_strdup(a, store_col_text(st, 6));
    en->before = arena_strdup(a, store_col_text(st, 7));
    en->after = arena_strdup(a, store_col_text(st, 8));
    en->prev_hash = arena_strdup(a, store_col_text(st, 9));
    en->hash = arena_strdup(a, store_col_text(st, 10));
    const char *slug = store_col_text(st, 11);
    en->chain_name = arena_strdup(a, slug ? slug : (*en->chain ? en->chain : "installation"));
}

#define AUDIT_SELECT                                                                            \
    "SELECT l.chain, l.seq, l.at, l.actor, l.action, l.object_type, l.object_id, "             \
    "l.before_json, l.after_json, l.prev_hash, l.hash, o.slug "                                \
    "FROM audit_log l LEFT JOIN organization o ON o.id = l.chain "

/* Steps a prepared entry query, handing each entry to fn; finalizes st. */
static int walk(struct store_stmt *st, struct arena *a,
                int (*fn)(void *ud, const struct audit_entry *en), void *ud, struct err *e)
{
    int rc;
    while ((rc = store_step(st, e)) == TL_ROW) {
        struct audit_entry en;
        read_entry(st, a, &en);
        rc = fn(ud, &en);
        if (rc)
            break;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int audit_each(struct app *app, struct arena *a, const char *chain, int64_t limit,
               int (*fn)(void *ud, const struct audit_entry *en), void *ud, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            AUDIT_SELECT "WHERE (? IS NULL OR l.chain = ?) "
                                         "ORDER BY l.chain, l.seq LIMIT ?",
                            "tti", chain, chain, limit > 0 ? limit : INT64_MAX);
    return rc ? rc : walk(st, a, fn, ud, e);
}

int audit_each_newest(struct app *app, struct arena *a, const char *chain, int64_t limit,
                      int (*fn)(void *ud, const struct audit_entry *en), void *ud,
                      struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            AUDIT_SELECT "WHERE l.chain = ? ORDER BY l.seq DESC LIMIT ?", "ti",
                            chain, limit);
    return rc ? rc : walk(st, a, fn, ud, e);
}

struct verify_state {
    struct audit_verify_result *r;
    char chain[64];
    int64_t seq;
    char prev[SHA256_HEX];
};

static int fail_at(struct verify_state *vs, const struct audit_entry *en, const char *reason)
{
    vs->r->ok = false;
    snprintf(vs->r->bad_chain, sizeof(vs->r->bad_chain), "%s", en->chain_name);
    vs->r->bad_seq = en->seq;
    snprintf(vs->r->reason, sizeof(vs->r->reason), "%s", reason);
    return 1; /* stop the walk */
}

static int verify_one(void *ud, const struct audit_entry *en)
{
    struct verify_state *vs = ud;
    if (strcmp(vs->chain, en->chain) != 0) {
        snprintf(vs->chain, sizeof(vs->chain), "%s", en->chain);
        vs->seq = 0;
        snprintf(vs->prev, sizeof(vs->prev), "%s", genesis);
    }
    if (en->seq != vs->seq + 1)
        return fail_at(vs, en, "sequence has a gap");
    if (strcmp(en->prev_hash, vs->prev) != 0)
        return fail_at(vs, en, "does not link to the previous entry");
    char hash[SHA256_HEX];
    entry_hash(en, hash);
    if (strcmp(hash, en->hash) != 0)
        return fail_at(vs, en, "content does not match its hash");
    vs->seq = en->seq;
    snprintf(vs->prev, sizeof(vs->prev), "%s", en->hash);
    vs->r->verified++;
    return 0;
}

int audit_verify(struct app *app, struct audit_verify_result *r, struct err *e)
{
    memset(r, 0, sizeof(*r));
    r->ok = true;
    struct verify_state vs = {.r = r, .chain = "\x01"};
    struct arena a = ARENA_INIT;
    int rc = audit_each(app, &a, NULL, 0, verify_one, &vs, e);
    arena_release(&a);
    return rc;
}
