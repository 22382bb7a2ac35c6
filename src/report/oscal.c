/* oscal.c - OSCAL catalogs in, OSCAL documents out.
 *
 * The schemas forbid empty arrays (minItems 1), strings with leading or
 * trailing blanks where a StringDatatype is asked for, and line breaks in
 * titles (MarkupLine): the writers below go through put_arr, put_str and
 * put_line, which leave out or repair what would not validate.
 */
#include "report/oscal.h"

#include "base/crypto.h"
#include "base/js.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- reading a catalog ------------------------------------------------------- */

struct parse {
    struct arena *a;
    struct err *e;
    const char *file;
    struct rpt_oscal_catalog *out;
    const char **paths; /* per control, for the duplicate check */
    size_t cap;
};

static int bad(struct parse *p, const char *jpath, int code, const char *fmt, ...) TL_PRINTF(4, 5);

static int bad(struct parse *p, const char *jpath, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ERR_SET(p->e, code, "%s: %s", jpath, msg);
    err_where(p->e, p->file, 0, 0);
    return code;
}

/* The OSCAL token (NCName) pattern: a letter or '_' first, then letters,
 * digits, '.', '-' or '_'.  Non-ASCII characters count as letters: the
 * schema's \p{L} and \p{N} accept almost all of them, and Tillit only needs
 * ids to be safe to store and to write back. */
static bool is_token(const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    if (!(isalpha(*c) || *c == '_' || *c >= 0x80))
        return false;
    for (c++; *c; c++)
        if (!(isalnum(*c) || *c == '.' || *c == '-' || *c == '_' || *c >= 0x80))
            return false;
    return true;
}

static int req_string(struct parse *p, const json_t *o, const char *jpath, const char *key,
                      const char **out)
{
    const json_t *v = json_object_get(o, key);
    if (!v)
        return bad(p, jpath, TL_EINPUT, "'%s' is missing", key);
    if (!json_is_string(v))
        return bad(p, arena_printf(p->a, "%s.%s", jpath, key), TL_EINPUT, "expected a string");
    *out = arena_strdup(p->a, json_string_value(v));
    return 0;
}

static int opt_string(struct parse *p, const json_t *o, const char *jpath, const char *key,
                      const char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = "";
    if (!v)
        return 0;
    if (!json_is_string(v))
        return bad(p, arena_printf(p->a, "%s.%s", jpath, key), TL_EINPUT, "expected a string");
    *out = arena_strdup(p->a, json_string_value(v));
    return 0;
}

/* An optional array member: NULL when absent, refused when not an array. */
static int opt_array(struct parse *p, const json_t *o, const char *jpath, const char *key,
                     const json_t **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_array(v))
        return bad(p, arena_printf(p->a, "%s.%s", jpath, key), TL_EINPUT, "expected an array");
    *out = v;
    return 0;
}

static const char *label_of(const json_t *o)
{
    const json_t *props = json_object_get(o, "props");
    size_t i;
    const json_t *prop;
    json_array_foreach(props, i, prop)
    {
        const char *name = json_string_value(json_object_get(prop, "name"));
        const char *value = json_string_value(json_object_get(prop, "value"));
        if (name && value && strcmp(name, "label") == 0)
            return value;
    }
    return NULL;
}

#define STATEMENT_MAX (64 * 1024)

/* Appends the prose of a part and its sub-parts, one per line, labelled. */
static int flatten(struct parse *p, const json_t *part, const char *jpath, int depth,
                   struct sb *out)
{
    if (depth > RPT_OSCAL_MAX_DEPTH)
        return bad(p, jpath, TL_ETOOBIG, "parts nested deeper than %d", RPT_OSCAL_MAX_DEPTH);
    if (!json_is_object(part))
        return bad(p, jpath, TL_EINPUT, "expected an object");
    const char *label = label_of(part), *prose = NULL;
    int rc = opt_string(p, part, jpath, "prose", &prose);
    if (rc)
        return rc;
    if (*prose || label) {
        if (out->len)
            sb_addc(out, '\n');
        if (label)
            sb_addf(out, "%s ", label);
        sb_adds(out, prose);
    }
    const json_t *parts;
    rc = opt_array(p, part, jpath, "parts", &parts);
    size_t i;
    const json_t *sub;
    json_array_foreach(parts, i, sub)
    {
        if (rc)
            break;
        rc = flatten(p, sub, arena_printf(p->a, "%s.parts[%zu]", jpath, i), depth + 1, out);
    }
    if (rc == 0 && out->len > STATEMENT_MAX)
        return bad(p, jpath, TL_ETOOBIG, "statement longer than %d bytes", STATEMENT_MAX);
    return rc;
}

static int statement(struct parse *p, const json_t *c, const char *jpath, const char **out)
{
    const json_t *parts;
    int rc = opt_array(p, c, jpath, "parts", &parts);
    *out = "";
    size_t i;
    const json_t *part;
    json_array_foreach(parts, i, part)
    {
        if (rc)
            return rc;
        const char *ppath = arena_printf(p->a, "%s.parts[%zu]", jpath, i);
        if (!json_is_object(part))
            return bad(p, ppath, TL_EINPUT, "expected an object");
        const char *name = json_string_value(json_object_get(part, "name"));
        if (!name)
            return bad(p, ppath, TL_EINPUT, "'name' is missing or not a string");
        if (strcmp(name, "statement") != 0)
            continue;
        struct sb sb = SB_INIT;
        rc = flatten(p, part, ppath, 0, &sb);
        *out = arena_strdup(p->a, sb.buf);
        sb_release(&sb);
        break;
    }
    return rc;
}

struct where {
    const char *parent, *group_id, *group_title;
};

static int controls(struct parse *p, const json_t *arr, const char *jpath, struct where w,
                    int depth);

static int control(struct parse *p, const json_t *c, const char *jpath, struct where w, int depth)
{
    if (!json_is_object(c))
        return bad(p, jpath, TL_EINPUT, "expected an object (a control)");
    struct rpt_oscal_catalog *out = p->out;
    if (out->n_controls >= RPT_OSCAL_MAX_CONTROLS)
        return bad(p, jpath, TL_ETOOBIG, "more than %d controls", RPT_OSCAL_MAX_CONTROLS);
    if (out->n_controls == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct rpt_oscal_control *grown = arena_calloc(p->a, cap, sizeof(*grown));
        const char **paths = arena_calloc(p->a, cap, sizeof(char *));
        if (out->n_controls) {
            memcpy(grown, out->controls, out->n_controls * sizeof(*grown));
            memcpy(paths, p->paths, out->n_controls * sizeof(char *));
        }
        out->controls = grown;
        p->paths = paths;
        p->cap = cap;
    }
    struct rpt_oscal_control *ctl = &out->controls[out->n_controls];
    int rc = req_string(p, c, jpath, "id", &ctl->id);
    if (rc == 0 && !is_token(ctl->id))
        rc = bad(p, arena_printf(p->a, "%s.id", jpath), TL_EINPUT,
                 "'%s' is not an OSCAL token (a letter or '_', then letters, digits, '.', "
                 "'-', '_')",
                 ctl->id);
    if (rc == 0)
        rc = req_string(p, c, jpath, "title", &ctl->title);
    if (rc == 0)
        rc = opt_string(p, c, jpath, "class", &ctl->klass);
    if (rc == 0)
        rc = statement(p, c, jpath, &ctl->statement);
    if (rc)
        return rc;
    const char *label = label_of(c);
    ctl->label = arena_strdup(p->a, label ? label : "");
    ctl->parent = w.parent;
    ctl->group_id = w.group_id;
    ctl->group_title = w.group_title;
    p->paths[out->n_controls] = jpath;
    out->n_controls++;
    const json_t *subs;
    rc = opt_array(p, c, jpath, "controls", &subs);
    if (rc == 0 && subs) {
        struct where inner = {ctl->id, w.group_id, w.group_title};
        rc = controls(p, subs, arena_printf(p->a, "%s.controls", jpath), inner, depth + 1);
    }
    return rc;
}

static int controls(struct parse *p, const json_t *arr, const char *jpath, struct where w,
                    int depth)
{
    if (depth > RPT_OSCAL_MAX_DEPTH)
        return bad(p, jpath, TL_ETOOBIG, "nested deeper than %d", RPT_OSCAL_MAX_DEPTH);
    size_t i;
    const json_t *c;
    json_array_foreach(arr, i, c)
    {
        int rc = control(p, c, arena_printf(p->a, "%s[%zu]", jpath, i), w, depth);
        if (rc)
            return rc;
    }
    return 0;
}

static int groups(struct parse *p, const json_t *arr, const char *jpath, int depth)
{
    if (depth > RPT_OSCAL_MAX_DEPTH)
        return bad(p, jpath, TL_ETOOBIG, "groups nested deeper than %d", RPT_OSCAL_MAX_DEPTH);
    size_t i;
    const json_t *g;
    json_array_foreach(arr, i, g)
    {
        const char *gpath = arena_printf(p->a, "%s[%zu]", jpath, i);
        if (!json_is_object(g))
            return bad(p, gpath, TL_EINPUT, "expected an object (a group)");
        struct where w = {NULL, "", ""};
        int rc = opt_string(p, g, gpath, "id", &w.group_id);
        if (rc == 0 && *w.group_id && !is_token(w.group_id))
            rc = bad(p, arena_printf(p->a, "%s.id", gpath), TL_EINPUT, "'%s' is not an OSCAL token",
                     w.group_id);
        if (rc == 0)
            rc = req_string(p, g, gpath, "title", &w.group_title);
        const json_t *sub = NULL;
        if (rc == 0)
            rc = opt_array(p, g, gpath, "controls", &sub);
        if (rc == 0 && sub)
            rc = controls(p, sub, arena_printf(p->a, "%s.controls", gpath), w, depth + 1);
        if (rc == 0)
            rc = opt_array(p, g, gpath, "groups", &sub);
        if (rc == 0 && sub)
            rc = groups(p, sub, arena_printf(p->a, "%s.groups", gpath), depth + 1);
        if (rc)
            return rc;
    }
    return 0;
}

struct id_at {
    const char *id;
    size_t i;
};

static int cmp_id_at(const void *x, const void *y)
{
    const struct id_at *p = x, *q = y;
    int c = strcmp(p->id, q->id);
    return c ? c : (p->i > q->i) - (p->i < q->i);
}

/* Sorting (id, position) pairs finds duplicates in n log n, which matters
 * for catalogs of thousands of controls, and names the later one. */
static int no_duplicates(struct parse *p)
{
    size_t n = p->out->n_controls;
    if (n < 2)
        return 0;
    struct id_at *ids = arena_calloc(p->a, n, sizeof(*ids));
    for (size_t i = 0; i < n; i++)
        ids[i] = (struct id_at){p->out->controls[i].id, i};
    qsort(ids, n, sizeof(*ids), cmp_id_at);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i].id, ids[i - 1].id) == 0)
            return bad(p, arena_printf(p->a, "%s.id", p->paths[ids[i].i]), TL_EINPUT,
                       "control id '%s' is used twice (first at %s)", ids[i].id,
                       p->paths[ids[i - 1].i]);
    return 0;
}

int rpt_oscal_parse_catalog(struct arena *a, const char *path, const char *data, size_t len,
                            struct rpt_oscal_catalog *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    json_t *root = NULL;
    int rc = js_parse(path, data, len, &root, e);
    if (rc)
        return rc;
    struct parse p = {.a = a, .e = e, .file = path, .out = out};
    const json_t *cat = json_object_get(root, "catalog");
    if (!json_is_object(root))
        rc = bad(&p, "$", TL_EINPUT, "not an OSCAL catalog: expected an object");
    else if (!cat)
        rc = bad(&p, "$", TL_EINPUT, "not an OSCAL catalog: no 'catalog' member");
    else if (!json_is_object(cat))
        rc = bad(&p, "$.catalog", TL_EINPUT, "expected an object");
    const json_t *meta = cat ? json_object_get(cat, "metadata") : NULL;
    if (rc == 0)
        rc = req_string(&p, cat, "$.catalog", "uuid", &out->uuid);
    if (rc == 0 && !meta)
        rc = bad(&p, "$.catalog", TL_EINPUT, "'metadata' is missing");
    if (rc == 0 && !json_is_object(meta))
        rc = bad(&p, "$.catalog.metadata", TL_EINPUT, "expected an object");
    if (rc == 0)
        rc = req_string(&p, meta, "$.catalog.metadata", "title", &out->title);
    if (rc == 0)
        rc = opt_string(&p, meta, "$.catalog.metadata", "version", &out->version);
    if (rc == 0)
        rc = opt_string(&p, meta, "$.catalog.metadata", "oscal-version", &out->oscal_version);
    const json_t *arr = NULL;
    if (rc == 0)
        rc = opt_array(&p, cat, "$.catalog", "controls", &arr);
    if (rc == 0 && arr)
        rc = controls(&p, arr, "$.catalog.controls", (struct where){NULL, "", ""}, 0);
    if (rc == 0)
        rc = opt_array(&p, cat, "$.catalog", "groups", &arr);
    if (rc == 0 && arr)
        rc = groups(&p, arr, "$.catalog.groups", 0);
    if (rc == 0 && out->n_controls == 0)
        rc = bad(&p, "$.catalog", TL_EINPUT, "the catalog has no controls");
    if (rc == 0)
        rc = no_duplicates(&p);
    json_decref(root);
    return rc;
}

/* --- writing ------------------------------------------------------------------ */

/* A type 5 style UUID: SHA-256 over seed and name, with the version and
 * variant bits the schema's pattern asks for. */
static const char *uuid_of(struct arena *a, const char *seed, const char *kind, const char *name)
{
    struct crypto_sha256 h;
    char hex[SHA256_HEX];
    crypto_sha256_begin(&h);
    crypto_sha256_update(&h, seed, strlen(seed));
    crypto_sha256_update(&h, "\n", 1);
    crypto_sha256_update(&h, kind, strlen(kind));
    crypto_sha256_update(&h, "\n", 1);
    crypto_sha256_update(&h, name, strlen(name));
    crypto_sha256_end(&h, hex);
    hex[12] = '5';
    hex[16] = "89ab"[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3];
    return arena_printf(a, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static bool is_uuid(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-Vxxx-Wxxx-xxxxxxxxxxxx";
    if (strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++) {
        char c = (char)tolower((unsigned char)s[i]);
        if (shape[i] == '-'   ? c != '-'
            : shape[i] == 'V' ? c != '4' && c != '5'
            : shape[i] == 'W' ? !strchr("89ab", c)
                              : !isxdigit((unsigned char)c))
            return false;
    }
    return true;
}

/* A StringDatatype: trimmed; NULL when nothing is left (leave it out). */
static const char *str_ok(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return n ? arena_strndup(a, s, n) : NULL;
}

static void put_str(struct arena *a, json_t *o, const char *key, const char *s)
{
    const char *v = str_ok(a, s);
    if (v)
        json_object_set_new(o, key, json_string(v));
}

/* A MarkupLine: one line, never empty. */
static void put_line(struct arena *a, json_t *o, const char *key, const char *s,
                     const char *fallback)
{
    const char *v = str_ok(a, s);
    if (!v)
        v = fallback;
    char *line = arena_strdup(a, v);
    for (char *c = line; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    json_object_set_new(o, key, json_string(line));
}

/* Arrays go in only when they have items (minItems 1). */
static void put_arr(json_t *o, const char *key, json_t *arr)
{
    if (json_array_size(arr))
        json_object_set_new(o, key, arr);
    else
        json_decref(arr);
}

static void prop(struct arena *a, json_t *props, const char *name, const char *value, bool ours)
{
    const char *v = str_ok(a, value);
    if (!v)
        return;
    json_t *p = json_object();
    json_object_set_new(p, "name", json_string(name));
    if (ours)
        json_object_set_new(p, "ns", json_string("urn:tillit:oscal"));
    json_object_set_new(p, "value", json_string(v));
    json_array_append_new(props, p);
}

static const char *token(struct arena *a, const char *s)
{
    char *t = arena_strdup(a, s);
    for (char *c = t; *c; c++)
        *c = isalnum((unsigned char)*c) || *c == '.' || *c == '-' ? (char)tolower((unsigned char)*c)
                                                                  : '-';
    return t;
}

static json_t *metadata(struct arena *a, const struct rpt_oscal_meta *m, const char *title,
                        const char *version)
{
    json_t *md = json_object();
    put_line(a, md, "title", title, "Tillit");
    json_object_set_new(md, "last-modified", json_string(m->now));
    put_line(a, md, "version", version, "1");
    json_object_set_new(md, "oscal-version", json_string(RPT_OSCAL_VERSION));
    return md;
}

static int dump(json_t *root, struct sb *out, struct err *e)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return ERR_SET(e, TL_EINTERNAL, "cannot serialise the OSCAL document");
    int rc = sb_adds(out, text);
    free(text);
    if (rc == 0)
        rc = sb_addc(out, '\n');
    return rc ? ERR_SET(e, rc, "OSCAL document too big") : 0;
}

/* The document's root: {"<kind>": {"uuid": ..., "metadata": ...}}. */
static json_t *document(struct arena *a, const struct rpt_oscal_meta *m, const char *kind,
                        const char *name, const char *title, const char *version, json_t **body)
{
    json_t *root = json_object();
    *body = json_object();
    json_object_set_new(*body, "uuid", json_string(uuid_of(a, m->seed, kind, name)));
    json_object_set_new(*body, "metadata", metadata(a, m, title, version));
    json_object_set_new(root, kind, *body);
    return root;
}

/* --- the TSC catalog ------------------------------------------------------------- */

static json_t *criterion_control(struct arena *a, const struct dom_criterion *cr, const char *lang)
{
    json_t *c = json_object();
    const char *id = token(a, cr->id);
    json_object_set_new(c, "id", json_string(id));
    json_object_set_new(c, "class", json_string("criterion"));
    put_line(a, c, "title", dom_text_get(&cr->title, lang), cr->id);
    json_t *props = json_array();
    prop(a, props, "label", cr->id, false);
    if (cr->principle)
        prop(a, props, "coso-principle", arena_printf(a, "%d", cr->principle->number), true);
    put_arr(c, "props", props);
    json_t *parts = json_array();
    const char *summary = str_ok(a, dom_text_get(&cr->summary, lang));
    if (summary) {
        json_t *st = json_object();
        json_object_set_new(st, "id", json_string(arena_printf(a, "%s_smt", id)));
        json_object_set_new(st, "name", json_string("statement"));
        json_object_set_new(st, "prose", json_string(summary));
        json_array_append_new(parts, st);
    }
    if (cr->n_pofs) {
        json_t *g = json_object(), *items = json_array();
        json_object_set_new(g, "id", json_string(arena_printf(a, "%s_pof", id)));
        json_object_set_new(g, "name", json_string("guidance"));
        json_object_set_new(
            g, "title", json_string(strcmp(lang, "sv") == 0 ? "Fokuspunkter" : "Points of focus"));
        for (size_t i = 0; i < cr->n_pofs; i++) {
            const struct dom_pof *pf = &cr->pofs[i];
            json_t *it = json_object(), *ip = json_array();
            json_object_set_new(it, "id", json_string(token(a, pf->id)));
            json_object_set_new(it, "name", json_string("item"));
            put_line(a, it, "title", dom_text_get(&pf->title, lang), pf->id);
            prop(a, ip, "label", pf->id, false);
            prop(a, ip, "kind", dom_pof_kind_name(pf->kind), true);
            for (size_t k = 0; k < pf->n_applies_to; k++)
                prop(a, ip, "applies-to", pf->applies_to[k], true);
            put_arr(it, "props", ip);
            put_str(a, it, "prose", dom_text_get(&pf->text, lang));
            json_array_append_new(items, it);
        }
        put_arr(g, "parts", items);
        json_array_append_new(parts, g);
    }
    put_arr(c, "parts", parts);
    return c;
}

int rpt_oscal_tsc_catalog(const struct dom_catalog *c, const struct rpt_oscal_meta *m,
                          struct sb *out, struct err *e)
{
    struct arena a = ARENA_INIT;
    json_t *body;
    json_t *root =
        document(&a, m, "catalog", c->id, dom_text_get(&c->name, m->lang), c->version, &body);
    json_t *cats = json_array();
    for (size_t k = 0; k < c->n_categories; k++) {
        const struct dom_category *cat = &c->categories[k];
        json_t *g = json_object(), *series = json_array();
        json_object_set_new(g, "id", json_string(token(&a, cat->id)));
        json_object_set_new(g, "class", json_string("category"));
        put_line(&a, g, "title", dom_text_get(&cat->name, m->lang), cat->id);
        for (size_t s = 0; s < c->n_series; s++) {
            const struct dom_series *se = &c->series[s];
            if (strcmp(se->category, cat->id) != 0)
                continue;
            json_t *sg = json_object(), *ctls = json_array();
            json_object_set_new(sg, "id", json_string(token(&a, se->id)));
            json_object_set_new(sg, "class", json_string("series"));
            put_line(&a, sg, "title", dom_text_get(&se->name, m->lang), se->id);
            for (size_t i = 0; i < c->n_criteria; i++)
                if (strcmp(c->criteria[i].series, se->id) == 0)
                    json_array_append_new(ctls, criterion_control(&a, &c->criteria[i], m->lang));
            put_arr(sg, "controls", ctls);
            json_array_append_new(series, sg);
        }
        put_arr(g, "groups", series);
        json_array_append_new(cats, g);
    }
    put_arr(body, "groups", cats);
    int rc = dump(root, out, e);
    arena_release(&a);
    return rc;
}

/* --- an imported framework --------------------------------------------------------- */

static json_t *framework_control(struct arena *a, const struct rpt_oscal_catalog *c, size_t i,
                                 size_t *next)
{
    const struct rpt_oscal_control *ctl = &c->controls[i];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(ctl->id));
    if (str_ok(a, ctl->klass) && is_token(ctl->klass))
        json_object_set_new(o, "class", json_string(ctl->klass));
    put_line(a, o, "title", ctl->title, ctl->id);
    json_t *props = json_array();
    prop(a, props, "label", ctl->label, false);
    for (size_t k = 0; k < ctl->n_criteria; k++)
        prop(a, props, "tsc-criterion", ctl->criteria[k], true);
    put_arr(o, "props", props);
    if (str_ok(a, ctl->statement)) {
        json_t *parts = json_array(), *st = json_object();
        json_object_set_new(st, "id", json_string(arena_printf(a, "%s_smt", ctl->id)));
        json_object_set_new(st, "name", json_string("statement"));
        json_object_set_new(st, "prose", json_string(ctl->statement));
        json_array_append_new(parts, st);
        json_object_set_new(o, "parts", parts);
    }
    /* Enhancements follow their parent in catalog order. */
    json_t *subs = json_array();
    size_t j = i + 1;
    while (j < c->n_controls && c->controls[j].parent &&
           strcmp(c->controls[j].parent, ctl->id) == 0)
        json_array_append_new(subs, framework_control(a, c, j, &j));
    put_arr(o, "controls", subs);
    *next = j;
    return o;
}

int rpt_oscal_framework_catalog(const struct rpt_oscal_catalog *c, const struct rpt_oscal_meta *m,
                                struct sb *out, struct err *e)
{
    struct arena a = ARENA_INIT;
    json_t *root = json_object(), *body = json_object();
    json_object_set_new(
        body, "uuid",
        json_string(is_uuid(c->uuid) ? c->uuid : uuid_of(&a, m->seed, "catalog", c->title)));
    json_object_set_new(body, "metadata", metadata(&a, m, c->title, c->version));
    json_object_set_new(root, "catalog", body);
    json_t *ungrouped = json_array(), *groups = json_array();
    json_t *group = NULL, *group_ctls = NULL;
    const char *group_key = NULL;
    size_t n_groups = 0;
    for (size_t i = 0; i < c->n_controls;) {
        const struct rpt_oscal_control *ctl = &c->controls[i];
        if (!*ctl->group_title && !*ctl->group_id) {
            json_array_append_new(ungrouped, framework_control(&a, c, i, &i));
            continue;
        }
        const char *key = arena_printf(&a, "%s\n%s", ctl->group_id, ctl->group_title);
        if (!group_key || strcmp(key, group_key) != 0) {
            group = json_object();
            group_ctls = json_array();
            n_groups++;
            json_object_set_new(
                group, "id",
                json_string(*ctl->group_id ? ctl->group_id : arena_printf(&a, "g%zu", n_groups)));
            put_line(&a, group, "title", ctl->group_title, ctl->group_id);
            json_object_set_new(group, "controls", group_ctls);
            json_array_append_new(groups, group);
            group_key = key;
        }
        json_array_append_new(group_ctls, framework_control(&a, c, i, &i));
    }
    put_arr(body, "controls", ungrouped);
    put_arr(body, "groups", groups);
    int rc = dump(root, out, e);
    arena_release(&a);
    return rc;
}

/* --- the program: SSP, assessment results, POA&M ------------------------------------------ */

static const char *system_name(const struct app_report_data *d)
{
    return *d->scope.system.name ? d->scope.system.name : d->org.name;
}

static const char *impl_state(enum gap_state s)
{
    switch (s) {
    case GAP_OPERATING:
    case GAP_UNVERIFIED:
    case GAP_IMPLEMENTED:
        return "implemented";
    case GAP_DESIGNED:
        return "partial";
    case GAP_NOT_APPLICABLE:
        return "not-applicable";
    case GAP_NONE:
        break;
    }
    return "planned";
}

static const struct app_control *find_control(const struct app_report_data *d, const char *code)
{
    for (size_t i = 0; i < d->n_controls; i++)
        if (strcmp(d->controls[i].code, code) == 0)
            return &d->controls[i];
    return NULL;
}

static json_t *component(struct arena *a, const char *uuid, const char *type, const char *title,
                         const char *description, json_t *props)
{
    json_t *c = json_object(), *status = json_object();
    json_object_set_new(c, "uuid", json_string(uuid));
    json_object_set_new(c, "type", json_string(type));
    put_line(a, c, "title", title, type);
    json_object_set_new(c, "description",
                        json_string(str_ok(a, description) ? description : title));
    if (props)
        put_arr(c, "props", props);
    json_object_set_new(status, "state", json_string("operational"));
    json_object_set_new(c, "status", status);
    return c;
}

int rpt_oscal_ssp(const struct app_report_data *d, const struct rpt_oscal_meta *m, struct sb *out,
                  struct err *e)
{
    struct arena a = ARENA_INIT;
    const char *sys = system_name(d);
    json_t *body;
    json_t *root = document(&a, m, "system-security-plan", sys,
                            arena_printf(&a, "System security plan: %s", sys), "1", &body);
    const char *profile = uuid_of(&a, m->seed, "resource", "tsc-catalog");
    json_t *imp = json_object();
    json_object_set_new(imp, "href", json_string(arena_printf(&a, "#%s", profile)));
    json_object_set_new(body, "import-profile", imp);

    json_t *chars = json_object(), *ids = json_array(), *sid = json_object();
    json_object_set_new(sid, "identifier-type", json_string("https://ietf.org/rfc/rfc4122"));
    json_object_set_new(sid, "id", json_string(uuid_of(&a, m->seed, "system", sys)));
    json_array_append_new(ids, sid);
    json_object_set_new(chars, "system-ids", ids);
    put_line(&a, chars, "system-name", sys, "system");
    const char *desc = str_ok(&a, d->org.description);
    json_object_set_new(chars, "description", json_string(desc ? desc : sys));
    json_t *info = json_object(), *types = json_array();
    for (size_t i = 0; i < d->scope.n_components; i++) {
        const struct app_component *c = &d->scope.components[i];
        if (strcmp(c->kind, "data") != 0 || !c->in_scope)
            continue;
        json_t *t = json_object();
        json_object_set_new(t, "uuid", json_string(uuid_of(&a, m->seed, "information", c->name)));
        put_line(&a, t, "title", c->name, "data");
        json_object_set_new(t, "description",
                            json_string(str_ok(&a, c->description) ? c->description : c->name));
        json_array_append_new(types, t);
    }
    if (json_array_size(types) == 0) {
        json_t *t = json_object();
        json_object_set_new(t, "uuid", json_string(uuid_of(&a, m->seed, "information", sys)));
        put_line(&a, t, "title", arena_printf(&a, "Information processed by %s", sys), "data");
        json_object_set_new(t, "description", json_string("No data components are recorded."));
        json_array_append_new(types, t);
    }
    json_object_set_new(info, "information-types", types);
    json_object_set_new(chars, "system-information", info);
    json_t *status = json_object(), *boundary = json_object();
    json_object_set_new(status, "state", json_string("operational"));
    json_object_set_new(chars, "status", status);
    const char *bounds = str_ok(&a, d->scope.system.boundaries);
    json_object_set_new(boundary, "description",
                        json_string(bounds ? bounds : "The boundaries are not described yet."));
    json_object_set_new(chars, "authorization-boundary", boundary);
    json_object_set_new(body, "system-characteristics", chars);

    json_t *impl = json_object(), *comps = json_array();
    const char *this_system = uuid_of(&a, m->seed, "component", "this-system");
    json_array_append_new(
        comps, component(&a, this_system, "this-system", sys, d->scope.system.commitments, NULL));
    for (size_t i = 0; i < d->scope.n_components; i++) {
        const struct app_component *c = &d->scope.components[i];
        json_t *props = json_array();
        prop(&a, props, "component-kind", c->kind, true);
        prop(&a, props, "in-scope", c->in_scope ? "yes" : "no", true);
        prop(&a, props, "out-of-scope-reason", c->reason, true);
        json_array_append_new(comps,
                              component(&a,
                                        uuid_of(&a, m->seed, "component",
                                                arena_printf(&a, "%s/%s", c->kind, c->name)),
                                        strcmp(c->kind, "software") == 0 ? "software" : c->kind,
                                        c->name, c->description, props));
    }
    for (size_t i = 0; i < d->scope.n_subservices; i++) {
        const struct app_subservice *so = &d->scope.subservices[i];
        json_t *props = json_array();
        prop(&a, props, "subservice-method", so->method, true);
        json_array_append_new(comps, component(&a, uuid_of(&a, m->seed, "subservice", so->slug),
                                               "service", so->name, so->services, props));
    }
    json_object_set_new(impl, "components", comps);
    json_object_set_new(body, "system-implementation", impl);

    json_t *ci = json_object(), *reqs = json_array();
    json_object_set_new(ci, "description",
                        json_string("How each trust services criterion in scope is met, and by "
                                    "which controls of the program."));
    for (size_t i = 0; i < d->gap.n_criteria; i++) {
        const struct gap_criterion *gc = &d->gap.criteria[i];
        json_t *r = json_object(), *bys = json_array(), *by = json_object(), *st = json_object();
        json_object_set_new(r, "uuid",
                            json_string(uuid_of(&a, m->seed, "requirement", gc->criterion->id)));
        json_object_set_new(r, "control-id", json_string(token(&a, gc->criterion->id)));
        json_t *props = json_array();
        for (size_t k = 0; k < gc->n_controls; k++)
            prop(&a, props, "control", gc->controls[k], true);
        put_arr(r, "props", props);
        struct sb text = SB_INIT;
        if (gc->state == GAP_NOT_APPLICABLE)
            sb_addf(&text, "Not applicable: %s", gc->na_reason ? gc->na_reason : "");
        for (size_t k = 0; k < gc->n_controls; k++) {
            const struct app_control *c = find_control(d, gc->controls[k]);
            if (c)
                sb_addf(&text, "%s%s: %s (%s)", text.len ? "\n\n" : "", c->code,
                        *c->description ? c->description : c->title, c->status);
        }
        if (!text.len)
            sb_adds(&text, "No control addresses this criterion yet.");
        json_object_set_new(by, "component-uuid", json_string(this_system));
        json_object_set_new(by, "uuid",
                            json_string(uuid_of(&a, m->seed, "by-component", gc->criterion->id)));
        json_object_set_new(by, "description", json_string(text.buf));
        sb_release(&text);
        json_object_set_new(st, "state", json_string(impl_state(gc->state)));
        json_object_set_new(by, "implementation-status", st);
        json_array_append_new(bys, by);
        json_object_set_new(r, "by-components", bys);
        json_array_append_new(reqs, r);
    }
    if (json_array_size(reqs) == 0) {
        json_decref(reqs);
        json_decref(ci);
        json_decref(root);
        arena_release(&a);
        return ERR_SET(e, TL_EINPUT, "no criteria in scope: nothing to put in a plan");
    }
    json_object_set_new(ci, "implemented-requirements", reqs);
    json_object_set_new(body, "control-implementation", ci);

    json_t *bm = json_object(), *res = json_array(), *r = json_object(), *links = json_array(),
           *link = json_object();
    json_object_set_new(r, "uuid", json_string(profile));
    json_object_set_new(r, "title",
                        json_string("Trust services criteria (tillit report oscal "
                                    "catalog)"));
    json_object_set_new(link, "href", json_string("tsc-catalog.json"));
    json_array_append_new(links, link);
    json_object_set_new(r, "rlinks", links);
    json_array_append_new(res, r);
    json_object_set_new(bm, "resources", res);
    json_object_set_new(body, "back-matter", bm);
    int rc = dump(root, out, e);
    arena_release(&a);
    return rc;
}

static const char *oscal_method(const char *method)
{
    if (strcmp(method, "inquiry") == 0)
        return "INTERVIEW";
    if (strcmp(method, "re-performance") == 0)
        return "TEST";
    return "EXAMINE";
}

/* A date (YYYY-MM-DD) as a DateTimeWithTimezone. */
static const char *at_midnight(struct arena *a, const char *date)
{
    return arena_printf(a, "%.10sT00:00:00Z", date);
}

static json_t *observation(struct arena *a, const struct rpt_oscal_meta *m,
                           const struct rpt_soc2_test *rt, const char **uuid)
{
    const struct app_test *t = rt->test;
    json_t *o = json_object(), *methods = json_array(), *types = json_array(),
           *props = json_array();
    *uuid = uuid_of(a, m->seed, "observation", t->ref);
    json_object_set_new(o, "uuid", json_string(*uuid));
    put_line(a, o, "title", arena_printf(a, "Test of %s (%s)", t->control, t->kind), t->ref);
    struct sb sb = SB_INIT;
    sb_addf(&sb, "%s. Method: %s.", t->control_title, t->method);
    if (t->steps && *t->steps)
        sb_addf(&sb, "\n\n%s", t->steps);
    if (t->sample_size >= 0)
        sb_addf(&sb,
                "\n\nSample of %lld from a population of %lld; %lld tested, %lld "
                "exceptions.",
                (long long)t->sample_size, (long long)t->population_size, (long long)t->tested,
                (long long)t->exceptions);
    for (size_t k = 0; k < rt->n_samples; k++)
        if (rt->samples[k].result && strcmp(rt->samples[k].result, "exception") == 0)
            sb_addf(&sb, "\n\nException, %s: %s", rt->samples[k].item, rt->samples[k].description);
    json_object_set_new(o, "description", json_string(sb.buf));
    sb_release(&sb);
    prop(a, props, "test", t->ref, true);
    prop(a, props, "status", t->status, true);
    prop(a, props, "conclusion", t->conclusion, true);
    if (t->sample_size >= 0)
        prop(a, props, "sample-size", arena_printf(a, "%lld", (long long)t->sample_size), true);
    if (t->population_size >= 0)
        prop(a, props, "population-size", arena_printf(a, "%lld", (long long)t->population_size),
             true);
    prop(a, props, "seed", t->seed, true);
    prop(a, props, "population-sha256", t->population_hash, true);
    put_arr(o, "props", props);
    json_array_append_new(methods, json_string(oscal_method(t->method)));
    json_object_set_new(o, "methods", methods);
    json_array_append_new(types, json_string("control-objective"));
    json_object_set_new(o, "types", types);
    json_object_set_new(
        o, "collected",
        json_string(t->concluded_at && strlen(t->concluded_at) >= 20 ? t->concluded_at : m->now));
    return o;
}

static bool test_covers(const struct gap_criterion *gc, const struct app_test *t)
{
    for (size_t k = 0; k < gc->n_controls; k++)
        if (strcmp(gc->controls[k], t->control) == 0)
            return true;
    return false;
}

int rpt_oscal_assessment_results(const struct app_report_data *d, const struct rpt_oscal_meta *m,
                                 struct sb *out, struct err *e)
{
    struct arena a = ARENA_INIT;
    const char *sys = system_name(d);
    const struct app_engagement *eng = d->eng;
    const char *name = eng ? eng->slug : "readiness";
    json_t *body;
    json_t *root = document(&a, m, "assessment-results", name,
                            arena_printf(&a, "Assessment results: %s, %s", sys, name), "1", &body);
    const char *plan = uuid_of(&a, m->seed, "resource", "assessment-plan");
    json_t *imp = json_object();
    json_object_set_new(imp, "href", json_string(arena_printf(&a, "#%s", plan)));
    json_object_set_new(body, "import-ap", imp);

    json_t *results = json_array(), *res = json_object();
    json_object_set_new(res, "uuid", json_string(uuid_of(&a, m->seed, "result", name)));
    put_line(&a, res, "title",
             eng ? arena_printf(&a, "Engagement %s (%s)", eng->slug, eng->kind)
                 : "Readiness: the gap analysis",
             name);
    json_object_set_new(
        res, "description",
        json_string(eng ? "The tests of the engagement, as observations, and one finding per "
                          "criterion in scope."
                        : "No engagement: one finding per criterion in scope, from the gap "
                          "analysis of the program."));
    const char *start = eng ? (eng->period_start ? eng->period_start : eng->as_of) : d->today;
    json_object_set_new(res, "start", json_string(at_midnight(&a, start)));
    if (eng && eng->period_end)
        json_object_set_new(res, "end",
                            json_string(arena_printf(&a, "%.10sT23:59:59Z", eng->period_end)));
    json_t *rc_obj = json_object(), *sels = json_array(), *sel = json_object(), *inc = json_array();
    for (size_t i = 0; i < d->gap.n_criteria; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "control-id",
                            json_string(token(&a, d->gap.criteria[i].criterion->id)));
        json_array_append_new(inc, c);
    }
    if (json_array_size(inc)) {
        json_object_set_new(sel, "include-controls", inc);
    } else {
        json_decref(inc);
        json_object_set_new(sel, "include-all", json_object());
    }
    json_array_append_new(sels, sel);
    json_object_set_new(rc_obj, "control-selections", sels);
    json_object_set_new(res, "reviewed-controls", rc_obj);

    json_t *obs = json_array(), *finds = json_array();
    const char **obs_uuid = arena_calloc(&a, d->n_tests + 1, sizeof(char *));
    for (size_t i = 0; i < d->n_tests; i++)
        json_array_append_new(obs, observation(&a, m, &d->tests[i], &obs_uuid[i]));
    for (size_t i = 0; i < d->gap.n_criteria; i++) {
        const struct gap_criterion *gc = &d->gap.criteria[i];
        json_t *f = json_object(), *target = json_object(), *st = json_object(),
               *related = json_array();
        bool satisfied;
        struct sb sb = SB_INIT;
        if (eng) {
            size_t tested = 0, failing = 0, open = 0;
            for (size_t k = 0; k < d->n_tests; k++) {
                const struct app_test *t = d->tests[k].test;
                if (!test_covers(gc, t))
                    continue;
                json_t *ro = json_object();
                json_object_set_new(ro, "observation-uuid", json_string(obs_uuid[k]));
                json_array_append_new(related, ro);
                if (strcmp(t->status, "concluded") != 0)
                    open++;
                else if (t->conclusion && strcmp(t->conclusion, "not-effective") == 0)
                    failing++;
                else
                    tested++;
            }
            satisfied = gc->state == GAP_NOT_APPLICABLE || (tested && !failing && !open);
            sb_addf(&sb, "%zu tests concluded effective, %zu not effective, %zu not concluded.",
                    tested, failing, open);
        } else {
            satisfied = gc->state == GAP_OPERATING || gc->state == GAP_NOT_APPLICABLE;
            sb_addf(&sb, "Gap analysis state: %s; score %.0f%%.", gap_state_name(gc->state),
                    gc->score * 100);
        }
        if (gc->state == GAP_NOT_APPLICABLE)
            sb_addf(&sb, " Not applicable: %s", gc->na_reason ? gc->na_reason : "");
        json_object_set_new(f, "uuid",
                            json_string(uuid_of(&a, m->seed, "finding", gc->criterion->id)));
        put_line(&a, f, "title",
                 arena_printf(&a, "%s %s", gc->criterion->id,
                              dom_text_get(&gc->criterion->title, m->lang)),
                 gc->criterion->id);
        json_object_set_new(f, "description", json_string(sb.buf));
        sb_release(&sb);
        json_object_set_new(target, "type", json_string("objective-id"));
        json_object_set_new(target, "target-id", json_string(token(&a, gc->criterion->id)));
        json_object_set_new(st, "state", json_string(satisfied ? "satisfied" : "not-satisfied"));
        json_object_set_new(target, "status", st);
        json_object_set_new(f, "target", target);
        put_arr(f, "related-observations", related);
        json_array_append_new(finds, f);
    }
    put_arr(res, "observations", obs);
    put_arr(res, "findings", finds);
    json_array_append_new(results, res);
    json_object_set_new(body, "results", results);

    json_t *bm = json_object(), *resources = json_array(), *r = json_object();
    json_object_set_new(r, "uuid", json_string(plan));
    json_object_set_new(r, "title",
                        json_string(eng ? arena_printf(&a, "Test plan of engagement %s", eng->slug)
                                        : "No assessment plan: readiness"));
    json_array_append_new(resources, r);
    json_object_set_new(bm, "resources", resources);
    json_object_set_new(body, "back-matter", bm);
    int rc = dump(root, out, e);
    arena_release(&a);
    return rc;
}

int rpt_oscal_poam(const struct app_report_data *d, const struct rpt_oscal_meta *m, struct sb *out,
                   struct err *e)
{
    struct arena a = ARENA_INIT;
    const char *sys = system_name(d);
    json_t *body;
    json_t *root = document(&a, m, "plan-of-action-and-milestones", sys,
                            arena_printf(&a, "Plan of action and milestones: %s", sys), "1", &body);
    json_t *sid = json_object();
    json_object_set_new(sid, "identifier-type", json_string("https://ietf.org/rfc/rfc4122"));
    json_object_set_new(sid, "id", json_string(uuid_of(&a, m->seed, "system", sys)));
    json_object_set_new(body, "system-id", sid);
    json_t *items = json_array();
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct app_finding *f = &d->findings[i];
        if (strcmp(f->status, "closed") == 0)
            continue;
        json_t *it = json_object(), *props = json_array();
        json_object_set_new(it, "uuid", json_string(uuid_of(&a, m->seed, "poam-finding", f->code)));
        put_line(&a, it, "title", arena_printf(&a, "%s %s", f->code, f->title), f->code);
        struct sb sb = SB_INIT;
        sb_adds(&sb, *f->description ? f->description : f->title);
        if (*f->root_cause)
            sb_addf(&sb, "\n\nRoot cause: %s", f->root_cause);
        if (*f->response)
            sb_addf(&sb, "\n\nManagement's response: %s", f->response);
        for (size_t k = 0; k < d->n_remediations; k++) {
            const struct app_remediation *r = &d->remediations[k];
            if (strcmp(r->finding, f->code) != 0)
                continue;
            sb_addf(&sb, "\n\nMilestone %s: %s (owner %s, due %s, %s)", r->code, r->action,
                    r->owner ? r->owner : "none", r->due ? r->due : "not set", r->status);
            prop(&a, props, "remediation", r->code, true);
            prop(&a, props, "due", r->due, true);
        }
        json_object_set_new(it, "description", json_string(sb.buf));
        sb_release(&sb);
        prop(&a, props, "severity", f->severity, true);
        prop(&a, props, "status", f->status, true);
        prop(&a, props, "control", f->control, true);
        put_arr(it, "props", props);
        json_array_append_new(items, it);
    }
    for (size_t i = 0; i < d->gap.n_criteria; i++) {
        const struct gap_criterion *gc = &d->gap.criteria[i];
        if (gc->state != GAP_NONE && gc->state != GAP_DESIGNED)
            continue;
        json_t *it = json_object(), *props = json_array();
        json_object_set_new(it, "uuid",
                            json_string(uuid_of(&a, m->seed, "poam-gap", gc->criterion->id)));
        put_line(&a, it, "title",
                 arena_printf(&a, "Gap: %s %s", gc->criterion->id,
                              dom_text_get(&gc->criterion->title, m->lang)),
                 gc->criterion->id);
        json_object_set_new(
            it, "description",
            json_string(gc->state == GAP_NONE
                            ? "No control addresses this criterion yet: adopt or write one."
                            : "The controls for this criterion are designed but not yet "
                              "implemented."));
        prop(&a, props, "criterion", gc->criterion->id, true);
        prop(&a, props, "gap-state", gap_state_name(gc->state), true);
        put_arr(it, "props", props);
        json_array_append_new(items, it);
    }
    if (json_array_size(items) == 0) {
        json_t *it = json_object();
        json_object_set_new(it, "uuid", json_string(uuid_of(&a, m->seed, "poam", "none")));
        json_object_set_new(it, "title", json_string("No open items"));
        json_object_set_new(it, "description",
                            json_string("No open finding and no criterion without a working "
                                        "control."));
        json_array_append_new(items, it);
    }
    json_object_set_new(body, "poam-items", items);
    int rc = dump(root, out, e);
    arena_release(&a);
    return rc;
}
