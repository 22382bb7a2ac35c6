/* fuzz_yml.c - yml_parse on arbitrary bytes, then a walk over the tree.
 *
 * Besides "does not crash", each input checks what the tree promises:
 * positions are 1-based, map keys are unique scalars that yml_get finds,
 * nesting stays within YML_MAX_DEPTH, and a failure always says where.
 * Scalars read back are fed to the emitter, whose output must parse back
 * to the same string (yml_emit_scalar and yml_emit_block).  Everything is
 * allocated in one arena, released at the end of each input.
 */
#include "base/sb.h"
#include "base/yml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Round trips are costly; a few per input find emitter bugs just as well. */
#define ROUND_TRIPS 8

struct walk {
    int round_trips;
};

static void check(int cond)
{
    if (!cond)
        abort();
}

/* Emits s as the value of a key, with emit, and parses it back. */
static void round_trip(const char *s, int block)
{
    struct sb sb = SB_INIT;
    sb_adds(&sb, "k: ");
    if (block)
        yml_emit_block(&sb, s, 2);
    else
        yml_emit_scalar(&sb, s);
    sb_addc(&sb, '\n');
    struct arena a = ARENA_INIT;
    struct yml_node *root = NULL;
    struct err e = ERR_INIT;
    check(yml_parse(&a, "emitted.yaml", sb.buf, sb.len, &root, &e) == 0);
    const struct yml_node *k = yml_get(root, "k");
    check(k && k->kind == YML_SCALAR && strcmp(k->str, s) == 0 && !yml_is_null(k));
    arena_release(&a);
    sb_release(&sb);
}

static void walk(struct walk *w, const struct yml_node *n, int depth)
{
    check(n != NULL);
    check(depth <= YML_MAX_DEPTH + 1);
    check(n->path && strcmp(n->path, "fuzz.yaml") == 0);
    switch (n->kind) {
    case YML_SCALAR:
        check(n->line >= 1 && n->col >= 1);
        check(n->str != NULL);
        if (w->round_trips < ROUND_TRIPS && (n->quoted || !yml_is_null(n))) {
            w->round_trips++;
            round_trip(n->str, 0);
            round_trip(n->str, 1);
        }
        break;
    case YML_SEQ:
        for (size_t i = 0; i < n->n; i++)
            walk(w, n->items[i], depth + 1);
        break;
    case YML_MAP:
        for (size_t i = 0; i < n->n; i++) {
            const struct yml_node *k = n->items[2 * i];
            check(k->kind == YML_SCALAR);
            /* Keys are unique, so the lookup finds this very pair. */
            check(yml_get(n, k->str) == n->items[2 * i + 1]);
            walk(w, k, depth + 1);
            walk(w, n->items[2 * i + 1], depth + 1);
        }
        break;
    default:
        abort();
    }
}

/* The typed accessors must fail cleanly, whatever the tree holds. */
static void accessors(const struct yml_node *root)
{
    struct err e = ERR_INIT;
    const char *s;
    long l;
    bool b;
    const struct yml_node *seq;
    static const char *const allowed[] = {"id", "name", NULL};
    static const char *const keys[] = {"id", "name", "count", "flag", "list", ""};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (yml_req_str(root, keys[i], &s, &e) == 0)
            check(s != NULL);
        else
            check(e.code == TL_EINPUT && e.msg[0]);
        (void)yml_opt_str(root, keys[i], NULL, &s, &e);
        if (yml_opt_int(root, keys[i], 0, -1000, 1000, &l, &e) == 0)
            check(l >= -1000 && l <= 1000);
        (void)yml_opt_bool(root, keys[i], false, &b, &e);
        if (yml_opt_seq(root, keys[i], &seq, &e) == 0)
            check(!seq || seq->kind == YML_SEQ);
    }
    (void)yml_check_keys(root, allowed, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct yml_node *root = NULL;
    struct err e = ERR_INIT;
    int rc = yml_parse(&a, "fuzz.yaml", (const char *)data, size, &root, &e);
    if (rc == 0) {
        struct walk w = {0};
        walk(&w, root, 0);
        accessors(root);
    } else {
        check(rc == TL_EINPUT && e.code == TL_EINPUT);
        check(e.msg[0] != '\0');
        check(strncmp(e.where, "fuzz.yaml", 9) == 0);
    }
    arena_release(&a);
    return 0;
}
