/* tmpl.c - the template language of the pages (a mustache subset).
 *
 * Templates are interpreted straight from their text: no compiled form to
 * cache or invalidate, and the cost is one scan per render, which is small
 * next to the queries behind a page.  {{?list}} guards a block once (a
 * table around {{#list}} rows) where {{#list}} would repeat it per item.
 * Every {{value}} is HTML-escaped;
 * only {{{value}}} is not, and pages use it for HTML that we produced
 * ourselves (a rendered page body, sanitised markdown, an SVG chart).
 */
#include "web/web.h"

#include <stdio.h>
#include <string.h>

#define TMPL_STACK 32   /* nested sections */
#define TMPL_INCLUDES 8 /* nested {{> partial}} */
#define TMPL_NAME_MAX 128

struct render {
    const struct web_tmpl_env *env;
    const json_t *stack[TMPL_STACK];
    size_t depth;
    int includes;
    struct sb *out;
    struct err *e;
};

struct tag {
    char sigil; /* 0 for a value, '{' raw, '#', '?', '^', '/', '>', '!' */
    char name[TMPL_NAME_MAX];
    size_t start; /* offset of "{{" */
    size_t end;   /* offset just past the closing braces */
};

/* Parses the tag starting at text[pos] ("{{"). Returns 0 or TL_EINPUT. */
static int parse_tag(const char *text, size_t len, size_t pos, struct tag *t, struct err *e)
{
    size_t i = pos + 2;
    bool triple = i < len && text[i] == '{';
    const char *close = triple ? "}}}" : "}}";
    size_t clen = triple ? 3 : 2;
    if (triple)
        i++;
    size_t j = i;
    while (j + clen <= len && memcmp(text + j, close, clen) != 0)
        j++;
    if (j + clen > len)
        return ERR_SET(e, TL_EINPUT, "template: unclosed tag at offset %zu", pos);
    t->start = pos;
    t->end = j + clen;
    t->sigil = triple ? '{' : 0;
    while (i < j && text[i] == ' ')
        i++;
    if (!triple && i < j && strchr("#?^/>!", text[i]))
        t->sigil = text[i++];
    while (i < j && text[i] == ' ')
        i++;
    size_t k = j;
    while (k > i && text[k - 1] == ' ')
        k--;
    if (t->sigil == '!')
        k = i;
    if (k - i >= sizeof(t->name))
        return ERR_SET(e, TL_EINPUT, "template: name too long at offset %zu", pos);
    memcpy(t->name, text + i, k - i);
    t->name[k - i] = '\0';
    return 0;
}

/* Descends a dotted path from v. */
static const json_t *descend(const json_t *v, const char *path)
{
    char seg[TMPL_NAME_MAX];
    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof(seg))
            return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        v = json_is_object(v) ? json_object_get(v, seg) : NULL;
        path = dot ? dot + 1 : path + n;
    }
    return v;
}

static const json_t *lookup(const struct render *r, const char *name)
{
    if (strcmp(name, ".") == 0)
        return r->depth ? r->stack[r->depth - 1] : NULL;
    if (strncmp(name, "t.", 2) == 0)
        return descend(r->env->strings, name + 2);
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    char first[TMPL_NAME_MAX];
    memcpy(first, name, n);
    first[n] = '\0';
    for (size_t i = r->depth; i > 0; i--) {
        const json_t *v =
            json_is_object(r->stack[i - 1]) ? json_object_get(r->stack[i - 1], first) : NULL;
        if (v)
            return dot ? descend(v, dot + 1) : v;
    }
    return NULL;
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    return true;
}

static void emit(struct render *r, const json_t *v, bool raw)
{
    if (json_is_string(v)) {
        if (raw)
            sb_add(r->out, json_string_value(v), json_string_length(v));
        else
            sb_add_html(r->out, json_string_value(v));
    } else if (json_is_integer(v)) {
        sb_addf(r->out, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        sb_addf(r->out, "%g", json_real_value(v));
    } else if (json_is_true(v)) {
        sb_adds(r->out, "true");
    }
}

/* Offset of the next "{{" at or after pos, or len when there is none. */
static size_t find_open(const char *text, size_t len, size_t pos)
{
    while (pos + 1 < len) {
        const char *p = memchr(text + pos, '{', len - pos - 1);
        if (!p)
            return len;
        pos = (size_t)(p - text);
        if (text[pos + 1] == '{')
            return pos;
        pos++;
    }
    return len;
}

/* Finds the {{/name}} closing the section whose open tag ends at from. */
static int section_end(const char *text, size_t len, size_t from, const char *name,
                       struct tag *close, struct err *e)
{
    int depth = 1;
    size_t pos = from;
    for (;;) {
        size_t at = find_open(text, len, pos);
        if (at >= len)
            return ERR_SET(e, TL_EINPUT, "template: section '%s' is not closed", name);
        struct tag t;
        int rc = parse_tag(text, len, at, &t, e);
        if (rc)
            return rc;
        if ((t.sigil == '#' || t.sigil == '?' || t.sigil == '^') && strcmp(t.name, name) == 0)
            depth++;
        if (t.sigil == '/' && strcmp(t.name, name) == 0 && --depth == 0) {
            *close = t;
            return 0;
        }
        pos = t.end;
    }
}

static int render_text(struct render *r, const char *text, size_t len);

static int push_render(struct render *r, const json_t *v, const char *text, size_t len)
{
    if (r->depth >= TMPL_STACK)
        return ERR_SET(r->e, TL_EINPUT, "template: sections nested too deeply");
    r->stack[r->depth++] = v;
    int rc = render_text(r, text, len);
    r->depth--;
    return rc;
}

static int section(struct render *r, const struct tag *open, const char *inner, size_t n)
{
    const json_t *v = lookup(r, open->name);
    if (open->sigil == '^')
        return truthy(v) ? 0 : render_text(r, inner, n);
    if (open->sigil == '?')
        return truthy(v) ? render_text(r, inner, n) : 0;
    if (!truthy(v))
        return 0;
    if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item)
        {
            int rc = push_render(r, item, inner, n);
            if (rc)
                return rc;
        }
        return 0;
    }
    /* A true scalar (a flag like can.edit) guards without entering: {{.}}
     * inside it still means the list item around it. */
    if (!json_is_object(v))
        return render_text(r, inner, n);
    return push_render(r, v, inner, n);
}

static int include(struct render *r, const char *name)
{
    if (r->includes >= TMPL_INCLUDES)
        return ERR_SET(r->e, TL_EINPUT, "template: includes nested too deeply at '%s'", name);
    char path[TMPL_NAME_MAX + 32];
    snprintf(path, sizeof(path), "templates/%s.html", name);
    const struct web_file *f = r->env->site ? web_site_file(r->env->site, path) : NULL;
    if (!f)
        return ERR_SET(r->e, TL_ENOTFOUND, "template '%s' not found", name);
    r->includes++;
    int rc = render_text(r, f->data, f->len);
    r->includes--;
    return rc;
}

static int render_text(struct render *r, const char *text, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        size_t at = find_open(text, len, pos);
        if (at >= len) {
            sb_add(r->out, text + pos, len - pos);
            return 0;
        }
        sb_add(r->out, text + pos, at - pos);
        struct tag t;
        int rc = parse_tag(text, len, at, &t, r->e);
        if (rc)
            return rc;
        pos = t.end;
        switch (t.sigil) {
        case 0:
        case '{':
            emit(r, lookup(r, t.name), t.sigil == '{');
            break;
        case '!':
            break;
        case '>':
            rc = include(r, t.name);
            break;
        case '/':
            return ERR_SET(r->e, TL_EINPUT, "template: '%s' closed but not open", t.name);
        default: {
            struct tag close = {0};
            rc = section_end(text, len, t.end, t.name, &close, r->e);
            if (rc == 0) {
                rc = section(r, &t, text + t.end, close.start - t.end);
                pos = close.end;
            }
            break;
        }
        }
        if (rc)
            return rc;
    }
    return 0;
}

int web_tmpl_render_text(const struct web_tmpl_env *env, const char *text, size_t len,
                         const json_t *data, struct sb *out, struct err *e)
{
    struct render r = {.env = env, .out = out, .e = e};
    r.stack[r.depth++] = data;
    return render_text(&r, text, len);
}

int web_tmpl_render(const struct web_tmpl_env *env, const char *name, const json_t *data,
                    struct sb *out, struct err *e)
{
    struct render r = {.env = env, .out = out, .e = e};
    r.stack[r.depth++] = data;
    return include(&r, name);
}
