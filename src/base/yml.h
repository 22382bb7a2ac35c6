/* yml.h - a YAML document tree over libyaml that keeps line and column.
 *
 * The prefix is yml_ because libyaml owns yaml_.  A parsed tree lives in the
 * caller's arena; nodes are never freed one by one.  Anchors, aliases and
 * tags other than the core ones are refused: Tillit's YAML is data that
 * people review, and aliases invite exponential expansion.  Nesting is
 * limited to YML_MAX_DEPTH.
 *
 * The emitter half writes the same subset deterministically: maps keep the
 * order they were built in, and strings are quoted only when needed.
 */
#ifndef TL_YML_H
#define TL_YML_H

#include "base/arena.h"
#include "base/err.h"
#include "base/sb.h"

#include <stdbool.h>
#include <stddef.h>

#define YML_MAX_DEPTH 64

enum yml_kind { YML_SCALAR, YML_SEQ, YML_MAP };

struct yml_node {
    enum yml_kind kind;
    int line, col;      /* 1-based position of the node's start */
    const char *path;   /* the file name given to yml_parse, for messages */
    const char *str;    /* YML_SCALAR: the value, NUL-terminated */
    bool quoted;        /* YML_SCALAR: written in quotes (so "null" is a string) */
    size_t n;           /* YML_SEQ: items; YML_MAP: pairs */
    struct yml_node **items; /* YML_SEQ: n items; YML_MAP: 2n nodes, key then value */
};

/** Parses one YAML document. Errors carry path:line:col. An empty input gives an empty map. */
int yml_parse(struct arena *a, const char *path, const char *data, size_t len,
              struct yml_node **root, struct err *e);

/** The value under key in a map, or NULL (also NULL when m is not a map). */
struct yml_node *yml_get(const struct yml_node *m, const char *key);

/** True when the node is a null scalar (~, null, or empty and unquoted). */
bool yml_is_null(const struct yml_node *n);

/** Sets e to "<msg>" at node's position and returns code. */
int yml_fail(struct err *e, const struct yml_node *n, int code, const char *fmt, ...)
    TL_PRINTF(4, 5);

/** Required string under key. Fails with position if missing or not a scalar. */
int yml_req_str(const struct yml_node *m, const char *key, const char **out, struct err *e);

/** Optional string: *out = dflt when missing or null. */
int yml_opt_str(const struct yml_node *m, const char *key, const char *dflt, const char **out,
                struct err *e);

/** Optional integer in [min, max]. */
int yml_opt_int(const struct yml_node *m, const char *key, long dflt, long min, long max,
                long *out, struct err *e);

/** Optional boolean (true/false). */
int yml_opt_bool(const struct yml_node *m, const char *key, bool dflt, bool *out, struct err *e);

/** Optional sequence: *out = NULL when missing; fails when present but not a sequence. */
int yml_opt_seq(const struct yml_node *m, const char *key, const struct yml_node **out,
                struct err *e);

/** Checks that every key of map m is one of the NULL-terminated list. */
int yml_check_keys(const struct yml_node *m, const char *const *allowed, struct err *e);

/* --- emitting ---------------------------------------------------------- */

/** Appends s as a YAML scalar, quoted and escaped only when it needs to be. */
int yml_emit_scalar(struct sb *sb, const char *s);

/** True when s must be quoted to read back as the same string. */
bool yml_needs_quotes(const char *s);

/** Appends a block literal (|) for multi-line text, indented by indent spaces. */
int yml_emit_block(struct sb *sb, const char *s, int indent);

#endif
