/* yml.c - YAML tree with positions, built from libyaml's event stream. */
#include "base/yml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct builder {
    struct arena *a;
    const char *path;
    yaml_parser_t parser;
    struct err *e;
};

static struct yml_node *node_new(struct builder *b, enum yml_kind kind, const yaml_mark_t *m)
{
    struct yml_node *n = arena_calloc(b->a, 1, sizeof(*n));
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    n->path = b->path;
    return n;
}

static int parse_fail(struct builder *b, const yaml_mark_t *m, const char *what)
{
    ERR_SET(b->e, TL_EINPUT, "%s", what);
    err_where(b->e, b->path, (int)m->line + 1, (int)m->column + 1);
    return TL_EINPUT;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
    if (yaml_parser_parse(&b->parser, ev))
        return 0;
    const char *problem = b->parser.problem ? b->parser.problem : "malformed YAML";
    char msg[300];
    if (b->parser.context)
        snprintf(msg, sizeof(msg), "%s %s", problem, b->parser.context);
    else
        snprintf(msg, sizeof(msg), "%s", problem);
    return parse_fail(b, &b->parser.problem_mark, msg);
}

static int parse_node(struct builder *b, yaml_event_t *ev, int depth, struct yml_node **out);

/* Reads children until the closing event; maps get key/value pairs. */
static int parse_children(struct builder *b, struct yml_node *n, yaml_event_type_t end, int depth)
{
    size_t cap = 0;
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(b, &ev);
        if (rc)
            return rc;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            break;
        }
        struct yml_node *child = NULL;
        rc = parse_node(b, &ev, depth + 1, &child);
        yaml_event_delete(&ev);
        if (rc)
            return rc;
        /* While building, n counts nodes (a map's keys and values alike);
         * a map's count is halved to pairs at the end. */
        size_t used = n->n;
        if (used == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct yml_node **items = arena_alloc(b->a, ncap * sizeof(*items));
            if (used)
                memcpy(items, n->items, used * sizeof(*items));
            n->items = items;
            cap = ncap;
        }
        n->items[n->n++] = child;
    }
    if (n->kind == YML_MAP) {
        for (size_t i = 0; i < n->n; i += 2) {
            struct yml_node *k = n->items[i];
            if (k->kind != YML_SCALAR) {
                ERR_SET(b->e, TL_EINPUT, "mapping keys must be plain strings");
                err_where(b->e, b->path, k->line, k->col);
                return TL_EINPUT;
            }
            for (size_t j = 0; j < i; j += 2) {
                if (strcmp(n->items[j]->str, k->str) == 0) {
                    ERR_SET(b->e, TL_EINPUT, "duplicate key '%s'", k->str);
                    err_where(b->e, b->path, k->line, k->col);
                    return TL_EINPUT;
                }
            }
        }
        n->n /= 2;
    }
    return 0;
}

/* Anchors are refused (see yml.h) and so are tags outside the core schema:
 * nothing here would honour them, and silently dropping one changes what
 * the author meant. */
static int check_props(struct builder *b, const yaml_event_t *ev, const yaml_char_t *anchor,
                       const yaml_char_t *tag)
{
    static const char *const core[] = {YAML_STR_TAG,  YAML_INT_TAG, YAML_FLOAT_TAG, YAML_BOOL_TAG,
                                       YAML_NULL_TAG, YAML_SEQ_TAG, YAML_MAP_TAG,   NULL};
    if (anchor)
        return parse_fail(b, &ev->start_mark, "anchors are not supported");
    if (!tag)
        return 0;
    for (const char *const *c = core; *c; c++)
        if (strcmp((const char *)tag, *c) == 0)
            return 0;
    ERR_SET(b->e, TL_EINPUT, "unsupported tag '%s'", (const char *)tag);
    err_where(b->e, b->path, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1);
    return TL_EINPUT;
}

static int parse_node(struct builder *b, yaml_event_t *ev, int depth, struct yml_node **out)
{
    if (depth > YML_MAX_DEPTH)
        return parse_fail(b, &ev->start_mark, "nesting is too deep");
    int rc;
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        rc = check_props(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
        if (rc)
            return rc;
        struct yml_node *n = node_new(b, YML_SCALAR, &ev->start_mark);
        n->str = arena_strndup(b->a, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        if (strlen(n->str) != ev->data.scalar.length)
            return parse_fail(b, &ev->start_mark, "NUL byte in a string");
        /* "!!str null" is a string, as a quoted one is. */
        n->quoted =
            ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
            (ev->data.scalar.tag && strcmp((const char *)ev->data.scalar.tag, YAML_STR_TAG) == 0);
        *out = n;
        return 0;
    }
    case YAML_SEQUENCE_START_EVENT: {
        rc = check_props(b, ev, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
        if (rc)
            return rc;
        struct yml_node *n = node_new(b, YML_SEQ, &ev->start_mark);
        *out = n;
        return parse_children(b, n, YAML_SEQUENCE_END_EVENT, depth);
    }
    case YAML_MAPPING_START_EVENT: {
        rc = check_props(b, ev, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
        if (rc)
            return rc;
        struct yml_node *n = node_new(b, YML_MAP, &ev->start_mark);
        *out = n;
        return parse_children(b, n, YAML_MAPPING_END_EVENT, depth);
    }
    case YAML_ALIAS_EVENT:
        return parse_fail(b, &ev->start_mark, "aliases are not supported");
    default:
        return parse_fail(b, &ev->start_mark, "unexpected YAML event");
    }
}

int yml_parse(struct arena *a, const char *path, const char *data, size_t len,
              struct yml_node **root, struct err *e)
{
    struct builder b = {.a = a, .path = arena_strdup(a, path), .e = e};
    if (!yaml_parser_initialize(&b.parser))
        return ERR_SET(e, TL_EINTERNAL, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)data, len);
    yaml_parser_set_encoding(&b.parser, YAML_UTF8_ENCODING);
    *root = NULL;
    int rc = 0;
    int docs = 0;
    for (;;) {
        yaml_event_t ev;
        rc = next_event(&b, &ev);
        if (rc)
            break;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            rc = parse_fail(&b, &ev.start_mark, "only one YAML document per file is allowed");
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
            t == YAML_MAPPING_START_EVENT || t == YAML_ALIAS_EVENT)
            rc = parse_node(&b, &ev, 0, root);
        yaml_event_delete(&ev);
        if (rc)
            break;
    }
    yaml_parser_delete(&b.parser);
    if (rc == 0 && !*root) {
        yaml_mark_t m = {0, 0, 0};
        *root = node_new(&b, YML_MAP, &m);
    }
    return rc;
}

struct yml_node *yml_get(const struct yml_node *m, const char *key)
{
    if (!m || m->kind != YML_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[2 * i]->str, key) == 0)
            return m->items[2 * i + 1];
    return NULL;
}

bool yml_is_null(const struct yml_node *n)
{
    if (!n || n->kind != YML_SCALAR || n->quoted)
        return false;
    return n->str[0] == '\0' || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
           strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

int yml_fail(struct err *e, const struct yml_node *n, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->code = code;
    e->file = __FILE__;
    e->line = __LINE__;
    e->func = __func__;
    if (n)
        err_where(e, n->path ? n->path : "<input>", n->line, n->col);
    else
        e->where[0] = '\0';
    return code;
}

int yml_req_str(const struct yml_node *m, const char *key, const char **out, struct err *e)
{
    struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v))
        return yml_fail(e, m, TL_EINPUT, "missing required field '%s'", key);
    if (v->kind != YML_SCALAR)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be a string", key);
    *out = v->str;
    return 0;
}

int yml_opt_str(const struct yml_node *m, const char *key, const char *dflt, const char **out,
                struct err *e)
{
    struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v)) {
        *out = dflt;
        return 0;
    }
    if (v->kind != YML_SCALAR)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be a string", key);
    *out = v->str;
    return 0;
}

int yml_opt_int(const struct yml_node *m, const char *key, long dflt, long min, long max,
                long *out, struct err *e)
{
    struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v)) {
        *out = dflt;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long x = v->kind == YML_SCALAR ? strtol(v->str, &end, 10) : 0;
    if (v->kind != YML_SCALAR || !end || end == v->str || *end || errno)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be an integer", key);
    if (x < min || x > max)
        return yml_fail(e, v, TL_EINPUT, "field '%s' is %ld (expected %ld to %ld)", key, x, min,
                        max);
    *out = x;
    return 0;
}

int yml_opt_bool(const struct yml_node *m, const char *key, bool dflt, bool *out, struct err *e)
{
    struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v)) {
        *out = dflt;
        return 0;
    }
    if (v->kind == YML_SCALAR && strcmp(v->str, "true") == 0)
        *out = true;
    else if (v->kind == YML_SCALAR && strcmp(v->str, "false") == 0)
        *out = false;
    else
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be true or false", key);
    return 0;
}

int yml_opt_seq(const struct yml_node *m, const char *key, const struct yml_node **out,
                struct err *e)
{
    struct yml_node *v = yml_get(m, key);
    *out = NULL;
    if (!v || yml_is_null(v))
        return 0;
    if (v->kind != YML_SEQ)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be a list", key);
    *out = v;
    return 0;
}

int yml_check_keys(const struct yml_node *m, const char *const *allowed, struct err *e)
{
    if (!m || m->kind != YML_MAP)
        return yml_fail(e, m, TL_EINPUT, "expected a mapping");
    for (size_t i = 0; i < m->n; i++) {
        const struct yml_node *k = m->items[2 * i];
        bool ok = false;
        for (const char *const *p = allowed; *p && !ok; p++)
            ok = strcmp(*p, k->str) == 0;
        if (!ok)
            return yml_fail(e, k, TL_EINPUT, "unknown field '%s'", k->str);
    }
    return 0;
}

/* --- emitting ---------------------------------------------------------- */

static bool looks_special(const char *s)
{
    static const char *const words[] = {"null", "Null", "NULL", "~",   "true", "True", "TRUE",
                                        "false", "False", "FALSE", "yes", "no",   "Yes",  "No",
                                        "YES", "NO",   "on",   "off", "On",   "Off",  NULL};
    for (const char *const *w = words; *w; w++)
        if (strcmp(s, *w) == 0)
            return true;
    /* Anything that would read back as a number. */
    char *end = NULL;
    errno = 0;
    (void)strtod(s, &end);
    return end && end != s && *end == '\0';
}

/* Characters YAML does not read back verbatim from a plain scalar or a
 * literal block, beyond the ASCII controls: the C1 controls and the
 * noncharacters U+FFFE and U+FFFF (which the reader refuses raw; NEL is
 * also a line break) and the Unicode line and paragraph separators (which
 * it folds).  Writes the double-quoted escape to esc and returns the length
 * of the UTF-8 sequence at p, or 0 when p starts no such character. */
static size_t unicode_escape(const unsigned char *p, char esc[8])
{
    if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
        snprintf(esc, 8, "\\x%02x", p[1]);
        return 2;
    }
    if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
        snprintf(esc, 8, "\\u%04x", 0x2000 + (p[2] - 0x80));
        return 3;
    }
    if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
        snprintf(esc, 8, "\\u%04x", 0xffc0 + (p[2] - 0x80));
        return 3;
    }
    return 0;
}

bool yml_needs_quotes(const char *s)
{
    if (!*s || looks_special(s))
        return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]))
        return true;
    size_t n = strlen(s);
    if (s[n - 1] == ' ' || s[n - 1] == ':')
        return true;
    char esc[8];
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || unicode_escape(p, esc))
            return true;
        if (*p == ':' && (p[1] == ' ' || p[1] == '\0'))
            return true;
        if (*p == '#' && p > (const unsigned char *)s && p[-1] == ' ')
            return true;
    }
    return false;
}

int yml_emit_scalar(struct sb *sb, const char *s)
{
    if (!yml_needs_quotes(s))
        return sb_adds(sb, s);
    int rc = sb_addc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p && rc == 0; p++) {
        switch (*p) {
        case '"':
            rc = sb_adds(sb, "\\\"");
            break;
        case '\\':
            rc = sb_adds(sb, "\\\\");
            break;
        case '\n':
            rc = sb_adds(sb, "\\n");
            break;
        case '\t':
            rc = sb_adds(sb, "\\t");
            break;
        case '\r':
            rc = sb_adds(sb, "\\r");
            break;
        default: {
            char esc[8];
            size_t k = unicode_escape(p, esc);
            if (k) {
                rc = sb_adds(sb, esc);
                p += k - 1;
            } else if (*p < 0x20 || *p == 0x7f) {
                rc = sb_addf(sb, "\\x%02x", *p);
            } else {
                rc = sb_addc(sb, (char)*p);
            }
        }
        }
    }
    return rc ? rc : sb_addc(sb, '"');
}

int yml_emit_block(struct sb *sb, const char *s, int indent)
{
    /* A block literal keeps text verbatim; "|-" strips the final newline so
     * the value reads back exactly when it has none. */
    size_t n = strlen(s);
    /* Text a plain block cannot carry exactly goes out as a quoted scalar:
     * leading spaces, extra final newlines, and any control character or
     * Unicode line break other than '\n' (YAML refuses the first raw and
     * folds the second). */
    if (n == 0 || s[0] == ' ' || s[0] == '\n' || (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n'))
        return yml_emit_scalar(sb, s);
    char esc[8];
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f || unicode_escape(p, esc) ||
            (*p == '\n' && p[1] == ' '))
            return yml_emit_scalar(sb, s);
    bool trailing_nl = s[n - 1] == '\n';
    int rc = sb_adds(sb, trailing_nl ? "|\n" : "|-\n");
    const char *p = s;
    while (rc == 0 && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0)
            rc = sb_addf(sb, "%*s%.*s\n", indent, "", (int)len, p);
        else
            rc = sb_addc(sb, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return rc;
}
