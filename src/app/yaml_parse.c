/* yaml_parse.c - parsing and validating a YAML tree (step 2 of an import).
 *
 * Pure: the files come in as bytes and the catalog, library and templates
 * in a struct app_yaml_ctx, so the fuzz target runs this without a
 * database.  Every mistake is reported and parsing goes on, so that one
 * run lists all of them; a record with a mistake is still kept when its
 * key is known, so that references to it do not add noise.
 */
#include "app/yamlio_impl.h"

#include "base/sb.h"
#include "domain/program.h"
#include "domain/template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse {
    struct arena *a;
    const struct app_yaml_ctx *ctx;
    struct app_yaml_errors *errs;
    const struct app_yaml_file *files;
    size_t n_files;
    bool *used; /* files[i] was read (markdown: referenced by a policy) */
    struct app_yaml_tree *t;
};

static void fail(struct parse *p, const struct yml_node *n, const char *fmt, ...) TL_PRINTF(3, 4);

static void fail(struct parse *p, const struct yml_node *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    app_yaml__error(p->a, p->errs, n && n->path ? n->path : "", n, "%s", msg);
}

static void fail_file(struct parse *p, const char *path, const char *fmt, ...) TL_PRINTF(3, 4);

static void fail_file(struct parse *p, const char *path, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    app_yaml__error(p->a, p->errs, path, NULL, "%s", msg);
}

/* Reports the message of e at node n. */
static void fail_err(struct parse *p, const struct yml_node *n, const struct err *e)
{
    fail(p, n, "%s", e->msg);
}

static bool blank(const char *s)
{
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* A growing array in the arena; outgrown copies are left behind. */
static void *push(struct arena *a, void **items, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char *grown = arena_calloc(a, ncap, size);
        if (*n)
            memcpy(grown, *items, *n * size);
        *items = grown;
        *cap = ncap;
    }
    return (char *)*items + (*n)++ * size;
}

/* --- fields ------------------------------------------------------------------ */

/* Checks that m is a mapping whose keys are all in allowed (NULL-terminated);
 * every unknown key is reported. */
static bool check_keys(struct parse *p, const struct yml_node *m, const char *const *allowed)
{
    if (!m || m->kind != YML_MAP) {
        fail(p, m, "expected a mapping");
        return false;
    }
    for (size_t i = 0; i < m->n; i++) {
        const struct yml_node *k = m->items[2 * i];
        bool ok = false;
        for (const char *const *q = allowed; *q && !ok; q++)
            ok = strcmp(*q, k->str) == 0;
        if (!ok)
            fail(p, k, "unknown field '%s'", k->str);
    }
    return true;
}

/* The string under key; *out NULL when missing or null.  A required field
 * must be there and not be empty.  False after a reported mistake. */
static bool get_str(struct parse *p, const struct yml_node *m, const char *key, bool required,
                    const char **out)
{
    const struct yml_node *v = yml_get(m, key);
    *out = NULL;
    if (!v || yml_is_null(v)) {
        if (required)
            fail(p, m, "missing required field '%s'", key);
        return !required;
    }
    if (v->kind != YML_SCALAR) {
        fail(p, v, "field '%s' must be a string", key);
        return false;
    }
    if (required && !v->str[0]) {
        fail(p, v, "field '%s' must not be empty", key);
        return false;
    }
    *out = v->str;
    return true;
}

/* Optional text stored as "" when absent (the app's NOT NULL DEFAULT ''). */
static const char *get_text(struct parse *p, const struct yml_node *m, const char *key)
{
    const char *s;
    get_str(p, m, key, false, &s);
    return s ? s : "";
}

static bool get_bool(struct parse *p, const struct yml_node *m, const char *key, bool dflt,
                     bool *out)
{
    const struct yml_node *v = yml_get(m, key);
    *out = dflt;
    if (!v || yml_is_null(v))
        return true;
    if (v->kind == YML_SCALAR && !v->quoted && strcmp(v->str, "true") == 0)
        *out = true;
    else if (v->kind == YML_SCALAR && !v->quoted && strcmp(v->str, "false") == 0)
        *out = false;
    else {
        fail(p, v, "field '%s' must be true or false", key);
        return false;
    }
    return true;
}

/* An integer in [min, max]; *out = 0 when missing or null (reported when required). */
static bool get_int(struct parse *p, const struct yml_node *m, const char *key, bool required,
                    long min, long max, long *out)
{
    const struct yml_node *v = yml_get(m, key);
    *out = 0;
    if (!v || yml_is_null(v)) {
        if (required)
            fail(p, m, "missing required field '%s'", key);
        return !required;
    }
    long x = 0;
    bool ok = v->kind == YML_SCALAR && v->str[0] && strlen(v->str) < 12;
    for (const char *c = ok ? v->str : ""; ok && *c; c++)
        ok = (*c >= '0' && *c <= '9') || (c == v->str && *c == '-' && c[1]);
    if (ok)
        x = strtol(v->str, NULL, 10);
    if (!ok) {
        fail(p, v, "field '%s' must be an integer", key);
        return false;
    }
    if (x < min || x > max) {
        fail(p, v, "field '%s' is %ld (expected %ld to %ld)", key, x, min, max);
        return false;
    }
    *out = x;
    return true;
}

/* A value of list under key, with dom_enum_check's message; dflt when missing. */
static bool get_enum(struct parse *p, const struct yml_node *m, const char *key,
                     const char *const *list, const char *what, const char *dflt, const char **out)
{
    const char *s;
    if (!get_str(p, m, key, dflt == NULL, &s)) {
        *out = dflt;
        return false;
    }
    *out = s ? s : dflt;
    struct err e = ERR_INIT;
    if (s && dom_enum_check(list, s, what, &e)) {
        fail_err(p, yml_get(m, key), &e);
        *out = dflt;
        return false;
    }
    return true;
}

/* A YYYY-MM-DD date or NULL; *d gets its day when given. */
static bool get_date(struct parse *p, const struct yml_node *m, const char *key, bool required,
                     const char **out, tl_date *d)
{
    if (!get_str(p, m, key, required, out))
        return false;
    struct err e = ERR_INIT;
    if (*out && date_parse(*out, d, &e)) {
        fail(p, yml_get(m, key), "field '%s': %s", key, e.msg);
        *out = NULL;
        return false;
    }
    return true;
}

/* The sequence under key; NULL when missing, null or not a sequence (reported). */
static const struct yml_node *get_seq(struct parse *p, const struct yml_node *m, const char *key)
{
    const struct yml_node *v = yml_get(m, key);
    if (!v || yml_is_null(v))
        return NULL;
    if (v->kind != YML_SEQ) {
        fail(p, v, "field '%s' must be a list", key);
        return NULL;
    }
    return v;
}

/* A list item that must be a string. */
static const char *item_str(struct parse *p, const struct yml_node *n, const char *what)
{
    if (n->kind != YML_SCALAR || yml_is_null(n) || !n->str[0]) {
        fail(p, n, "%s must be a non-empty string", what);
        return NULL;
    }
    return n->str;
}

/* The key a file name gives: "controls/IAM-01.yaml" -> "IAM-01". */
static const char *file_key(struct arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t n = strlen(name);
    return arena_strndup(a, name, n > 5 ? n - 5 : 0);
}

/* Reports a key that differs from the file name. */
static void check_file_key(struct parse *p, const struct yml_node *m, const char *field,
                           const char *value, const char *path)
{
    const char *want = file_key(p->a, path);
    if (value && strcmp(value, want) != 0)
        fail(p, yml_get(m, field), "%s '%s' does not match the file name '%s.yaml'", field, value,
             want);
}

/* --- criteria ------------------------------------------------------------------- */

/* A list of criterion ids, in the catalog's spelling, ","-joined in the
 * order given (as the app stores CSOC and CUEC criteria). */
static const char *get_criteria(struct parse *p, const struct yml_node *m, const char *key)
{
    const struct yml_node *seq = get_seq(p, m, key);
    struct sb sb = SB_INIT;
    const char **seen = arena_calloc(p->a, (seq ? seq->n : 0) + 1, sizeof(char *));
    size_t n_seen = 0;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const char *id = item_str(p, seq->items[i], "a criterion");
        const struct dom_criterion *c = id ? dom_catalog_criterion(p->ctx->catalog, id) : NULL;
        if (id && !c)
            fail(p, seq->items[i], "unknown criterion '%s' (see 'tillit catalog criteria')", id);
        if (!c)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n_seen && !dup; k++)
            dup = seen[k] == c->id;
        if (dup) {
            fail(p, seq->items[i], "criterion '%s' is listed twice", c->id);
            continue;
        }
        seen[n_seen++] = c->id;
        sb_addf(&sb, "%s%s", sb.len ? "," : "", c->id);
    }
    const char *out = arena_strdup(p->a, sb.buf);
    sb_release(&sb);
    return out;
}

static size_t crit_rank(const struct dom_catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->n_criteria; i++)
        if (strcmp(cat->criteria[i].id, id) == 0)
            return i;
    return cat->n_criteria;
}

/* The points of focus of one mapping, checked to be filed under cr, in
 * catalog order ","-joined (as app_control_map stores them). */
static const char *get_pofs(struct parse *p, const struct yml_node *m,
                            const struct dom_criterion *cr)
{
    const struct yml_node *seq = get_seq(p, m, "points_of_focus");
    struct sb list = SB_INIT;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *item = seq->items[i];
        const char *id = item_str(p, item, "a point of focus");
        const struct dom_criterion *owner = NULL;
        const struct dom_pof *pof = id ? dom_catalog_pof(p->ctx->catalog, id, &owner) : NULL;
        if (id && !pof)
            fail(p, item, "unknown point of focus '%s' (see 'tillit catalog show %s')", id,
                 cr ? cr->id : "CRITERION");
        else if (pof && cr && owner != cr)
            fail(p, item, "point of focus '%s' is not one of criterion '%s' (it belongs to '%s')",
                 pof->id, cr->id, owner ? owner->id : "?");
        else if (pof && cr &&
                 strstr(arena_printf(p->a, ",%s,", list.buf), arena_printf(p->a, ",%s,", pof->id)))
            fail(p, item, "point of focus '%s' is listed twice", pof->id);
        else if (pof && cr)
            sb_addf(&list, "%s%s", list.len ? "," : "", pof->id);
    }
    const char *out = "";
    struct err e = ERR_INIT;
    if (cr && list.len && dom_pofs_normalize(cr, p->a, list.buf, &out, &e))
        fail_err(p, m, &e);
    sb_release(&list);
    return out;
}

/* The criteria a control maps, sorted into catalog order. */
static void get_control_criteria(struct parse *p, const struct yml_node *m, struct app_control *c)
{
    static const char *const keys[] = {"id", "points_of_focus", NULL};
    const struct yml_node *seq = get_seq(p, m, "criteria");
    size_t n = seq ? seq->n : 0;
    c->criteria = arena_calloc(p->a, n + 1, sizeof(*c->criteria));
    c->n_criteria = 0;
    for (size_t i = 0; i < n; i++) {
        const struct yml_node *item = seq->items[i];
        const char *id;
        if (!check_keys(p, item, keys) || !get_str(p, item, "id", true, &id))
            continue;
        const struct dom_criterion *cr = dom_catalog_criterion(p->ctx->catalog, id);
        if (!cr) {
            fail(p, yml_get(item, "id"), "unknown criterion '%s' (see 'tillit catalog criteria')",
                 id);
            get_pofs(p, item, NULL);
            continue;
        }
        const char *pofs = get_pofs(p, item, cr);
        bool dup = false;
        for (size_t k = 0; k < c->n_criteria && !dup; k++)
            dup = strcmp(c->criteria[k].criterion, cr->id) == 0;
        if (dup) {
            fail(p, yml_get(item, "id"), "criterion '%s' is mapped twice", cr->id);
            continue;
        }
        size_t k = c->n_criteria++, rank = crit_rank(p->ctx->catalog, cr->id);
        for (; k > 0 && crit_rank(p->ctx->catalog, c->criteria[k - 1].criterion) > rank; k--)
            c->criteria[k] = c->criteria[k - 1];
        c->criteria[k] = (struct app_control_map){cr->id, pofs};
    }
}

/* --- organization.yaml ----------------------------------------------------------- */

static void parse_org(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"slug",     "name",    "legal_name", "description",
                                       "industry", "country", "language",   NULL};
    struct app_org *o = &p->t->org;
    if (!check_keys(p, root, keys))
        return;
    struct err e = ERR_INIT;
    if (get_str(p, root, "slug", true, &o->slug) &&
        dom_slug_check(o->slug, "organization slug", &e))
        fail_err(p, yml_get(root, "slug"), &e);
    get_str(p, root, "name", true, &o->name);
    o->legal_name = get_text(p, root, "legal_name");
    o->description = get_text(p, root, "description");
    o->industry = get_text(p, root, "industry");
    o->country = get_text(p, root, "country");
    get_enum(p, root, "language", dom_languages, "language", "en", &o->language);
}

/* --- scope.yaml ------------------------------------------------------------------- */

static void parse_system(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"name", "boundaries", "commitments", "privacy_role", NULL};
    static const char *const roles[] = {"controller", "processor", "both", NULL};
    const struct yml_node *m = yml_get(root, "system");
    struct app_system *s = &p->t->system;
    *s = (struct app_system){"", "", "", 0, "controller"};
    if (!m || yml_is_null(m) || !check_keys(p, m, keys))
        return;
    s->name = get_text(p, m, "name");
    s->boundaries = get_text(p, m, "boundaries");
    s->commitments = get_text(p, m, "commitments");
    get_enum(p, m, "privacy_role", roles, "privacy role", "controller", &s->privacy_role);
}

static void parse_categories(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"category", "in_scope", "reason", NULL};
    size_t n_all = 0;
    while (dom_categories[n_all])
        n_all++;
    struct app_scope_category *cats = arena_calloc(p->a, n_all + 1, sizeof(*cats));
    bool *seen = arena_calloc(p->a, n_all + 1, sizeof(bool));
    const struct yml_node *seq = get_seq(p, root, "categories");
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *m = seq->items[i];
        const char *cat, *reason;
        bool in;
        if (!check_keys(p, m, keys) ||
            !get_enum(p, m, "category", dom_categories, "category", NULL, &cat))
            continue;
        int k = dom_enum_index(dom_categories, cat);
        if (seen[k]) {
            fail(p, yml_get(m, "category"), "category '%s' is listed twice", cat);
            continue;
        }
        seen[k] = true;
        bool ok = get_str(p, m, "reason", false, &reason);
        if (!yml_get(m, "in_scope") || yml_is_null(yml_get(m, "in_scope"))) {
            fail(p, m, "missing required field 'in_scope'");
            continue;
        }
        if (!get_bool(p, m, "in_scope", true, &in) || !ok)
            continue;
        struct err e = ERR_INIT;
        if (dom_scope_category_check(cat, in, reason ? reason : "", &e))
            fail_err(p, m, &e);
        else if (in && !blank(reason))
            fail(p, yml_get(m, "reason"),
                 "category '%s' in scope takes no reason (a reason is for leaving it out)", cat);
        cats[k] = (struct app_scope_category){cat, in, blank(reason) ? "" : reason};
    }
    for (size_t k = 0; k < n_all; k++) {
        if (!seen[k])
            fail(p, seq ? seq : root,
                 "category '%s' is missing (every category is in scope or out with a reason)",
                 dom_categories[k]);
        if (!cats[k].category)
            cats[k] = (struct app_scope_category){dom_categories[k], k == 0, ""};
    }
    p->t->categories = cats;
    p->t->n_categories = n_all;
}

/* Categories of a scope.yaml that could not be read (already reported). */
static void default_categories(struct parse *p)
{
    size_t n = 0;
    while (dom_categories[n])
        n++;
    p->t->categories = arena_calloc(p->a, n + 1, sizeof(*p->t->categories));
    for (size_t k = 0; k < n; k++)
        p->t->categories[k] = (struct app_scope_category){dom_categories[k], k == 0, ""};
    p->t->n_categories = n;
}

static void parse_services(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"name", "description", NULL};
    const struct yml_node *seq = get_seq(p, root, "services");
    size_t cap = 0;
    void *items = NULL;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *m = seq->items[i];
        const char *name;
        if (!check_keys(p, m, keys) || !get_str(p, m, "name", true, &name))
            continue;
        bool dup = false;
        for (size_t k = 0; k < p->t->n_services && !dup; k++)
            dup = strcmp(p->t->services[k].name, name) == 0;
        if (dup) {
            fail(p, yml_get(m, "name"), "service '%s' is listed twice", name);
            continue;
        }
        struct app_service *s = push(p->a, &items, &p->t->n_services, &cap, sizeof(*s));
        p->t->services = items;
        s->name = name;
        s->description = get_text(p, m, "description");
    }
}

static void check_component(struct parse *p, const struct yml_node *m,
                            const struct app_component *c)
{
    if (c->in_scope && !blank(c->reason))
        fail(p, yml_get(m, "reason"),
             "%s component '%s' in scope takes no reason (a reason is for leaving it out)", c->kind,
             c->name);
    else if (!c->in_scope && blank(c->reason))
        fail(p, m, "%s component '%s' left out of scope needs a reason", c->kind, c->name);
}

static void parse_components(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"kind", "name", "description", "in_scope", "reason", NULL};
    const struct yml_node *seq = get_seq(p, root, "components");
    size_t cap = 0;
    void *items = NULL;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *m = seq->items[i];
        struct app_component c = {0};
        bool in;
        if (!check_keys(p, m, keys))
            continue;
        bool ok = get_enum(p, m, "kind", dom_component_kinds, "component kind", NULL, &c.kind);
        ok = get_str(p, m, "name", true, &c.name) && ok;
        ok = get_bool(p, m, "in_scope", true, &in) && ok;
        if (!ok)
            continue;
        c.in_scope = in;
        c.description = get_text(p, m, "description");
        c.reason = get_text(p, m, "reason");
        check_component(p, m, &c);
        if (blank(c.reason))
            c.reason = "";
        bool dup = false;
        for (size_t k = 0; k < p->t->n_components && !dup; k++)
            dup = strcmp(p->t->components[k].kind, c.kind) == 0 &&
                  strcmp(p->t->components[k].name, c.name) == 0;
        if (dup) {
            fail(p, yml_get(m, "name"), "%s component '%s' is listed twice", c.kind, c.name);
            continue;
        }
        struct app_component *slot = push(p->a, &items, &p->t->n_components, &cap, sizeof(c));
        p->t->components = items;
        *slot = c;
    }
}

static int csoc_cmp(const void *x, const void *y)
{
    const struct app_yaml__csoc *a = x, *b = y;
    return app_yaml__csoc_order(a->text, a->criteria, b->text, b->criteria);
}

static void parse_csocs(struct parse *p, const struct yml_node *m, struct app_yaml__subservice *s)
{
    static const char *const keys[] = {"text", "criteria", NULL};
    const struct yml_node *seq = get_seq(p, m, "csocs");
    size_t n = seq ? seq->n : 0;
    s->csocs = arena_calloc(p->a, n + 1, sizeof(*s->csocs));
    for (size_t i = 0; i < n; i++) {
        const struct yml_node *item = seq->items[i];
        const char *text;
        if (!check_keys(p, item, keys) || !get_str(p, item, "text", true, &text))
            continue;
        if (blank(text)) {
            fail(p, yml_get(item, "text"), "csoc text must not be empty");
            continue;
        }
        s->csocs[s->n_csocs++] =
            (struct app_yaml__csoc){text, get_criteria(p, item, "criteria"), item};
    }
    qsort(s->csocs, s->n_csocs, sizeof(*s->csocs), csoc_cmp);
}

static void parse_subservices(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"slug", "name", "method", "services", "csocs", NULL};
    const struct yml_node *seq = get_seq(p, root, "subservice_orgs");
    size_t cap = 0;
    void *items = NULL;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *m = seq->items[i];
        struct app_yaml__subservice s = {.node = m};
        struct err e = ERR_INIT;
        if (!check_keys(p, m, keys) || !get_str(p, m, "slug", true, &s.s.slug))
            continue;
        if (dom_slug_check(s.s.slug, "subservice slug", &e)) {
            fail_err(p, yml_get(m, "slug"), &e);
            continue;
        }
        get_str(p, m, "name", true, &s.s.name);
        if (s.s.name && blank(s.s.name))
            fail(p, yml_get(m, "name"), "subservice name must not be empty");
        get_enum(p, m, "method", dom_sub_methods, "method", NULL, &s.s.method);
        s.s.services = get_text(p, m, "services");
        parse_csocs(p, m, &s);
        bool dup = false;
        for (size_t k = 0; k < p->t->n_subservices && !dup; k++)
            dup = strcmp(p->t->subservices[k].s.slug, s.s.slug) == 0;
        if (dup) {
            fail(p, yml_get(m, "slug"), "subservice organization '%s' is listed twice", s.s.slug);
            continue;
        }
        struct app_yaml__subservice *slot =
            push(p->a, &items, &p->t->n_subservices, &cap, sizeof(s));
        p->t->subservices = items;
        *slot = s;
    }
}

static void parse_cuecs(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"code", "text", "criteria", NULL};
    const struct yml_node *seq = get_seq(p, root, "cuecs");
    size_t cap = 0;
    void *items = NULL;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *m = seq->items[i];
        struct app_cuec c = {0};
        struct err e = ERR_INIT;
        if (!check_keys(p, m, keys) || !get_str(p, m, "code", true, &c.code))
            continue;
        if (dom_code_check(c.code, "cuec code", &e)) {
            fail_err(p, yml_get(m, "code"), &e);
            continue;
        }
        if (get_str(p, m, "text", true, &c.text) && blank(c.text))
            fail(p, yml_get(m, "text"), "cuec text must not be empty");
        c.criteria = get_criteria(p, m, "criteria");
        bool dup = false;
        for (size_t k = 0; k < p->t->n_cuecs && !dup; k++)
            dup = strcmp(p->t->cuecs[k].code, c.code) == 0;
        if (dup) {
            fail(p, yml_get(m, "code"), "cuec '%s' is listed twice", c.code);
            continue;
        }
        struct app_cuec *slot = push(p->a, &items, &p->t->n_cuecs, &cap, sizeof(c));
        p->t->cuecs = items;
        *slot = c;
    }
}

static void parse_scope(struct parse *p, const struct yml_node *root)
{
    static const char *const keys[] = {"system",          "categories", "services", "components",
                                       "subservice_orgs", "cuecs",      NULL};
    if (!check_keys(p, root, keys))
        return;
    parse_system(p, root);
    parse_categories(p, root);
    parse_services(p, root);
    parse_components(p, root);
    parse_subservices(p, root);
    parse_cuecs(p, root);
}

/* --- applicability.yaml --------------------------------------------------------------- */

static int na_cmp(const void *x, const void *y)
{
    const struct app_yaml__na *a = x, *b = y;
    return strcmp(a->na.target, b->na.target);
}

static void parse_applicability(struct parse *p, const struct yml_node *root)
{
    static const char *const top[] = {"not_applicable", NULL};
    static const char *const keys[] = {"target", "justification", NULL};
    if (!check_keys(p, root, top))
        return;
    const struct yml_node *seq = get_seq(p, root, "not_applicable");
    size_t n = seq ? seq->n : 0;
    p->t->na = arena_calloc(p->a, n + 1, sizeof(*p->t->na));
    for (size_t i = 0; i < n; i++) {
        const struct yml_node *m = seq->items[i];
        const char *target, *why;
        if (!check_keys(p, m, keys) || !get_str(p, m, "target", true, &target))
            continue;
        const struct dom_criterion *cr = dom_catalog_criterion(p->ctx->catalog, target);
        const struct dom_pof *pof = cr ? NULL : dom_catalog_pof(p->ctx->catalog, target, NULL);
        if (!cr && !pof) {
            fail(p, yml_get(m, "target"), "no criterion or point of focus '%s'", target);
            continue;
        }
        const char *id = cr ? cr->id : pof->id;
        if (!get_str(p, m, "justification", true, &why))
            continue;
        if (blank(why)) {
            fail(p, yml_get(m, "justification"),
                 "marking '%s' not applicable needs a written justification", id);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < p->t->n_na && !dup; k++)
            dup = strcmp(p->t->na[k].na.target, id) == 0;
        if (dup) {
            fail(p, yml_get(m, "target"), "'%s' is listed twice", id);
            continue;
        }
        p->t->na[p->t->n_na++] = (struct app_yaml__na){{id, why}, m};
    }
    qsort(p->t->na, p->t->n_na, sizeof(*p->t->na), na_cmp);
}

/* --- people/<email>.yaml ----------------------------------------------------------------- */

static void parse_person(struct parse *p, const struct yml_node *root, const char *path,
                         struct app_yaml__person *out)
{
    static const char *const keys[] = {"email", "name", "title",         "department", "manager",
                                       "start", "end",  "control_owner", "approver",   NULL};
    struct app_person *ps = &out->p;
    struct err e = ERR_INIT;
    tl_date start = 0, end = 0;
    bool owner, approver;
    out->node = root;
    if (!check_keys(p, root, keys))
        return;
    if (get_str(p, root, "email", true, &ps->email)) {
        if (dom_email_check(ps->email, &e))
            fail_err(p, yml_get(root, "email"), &e);
        check_file_key(p, root, "email", ps->email, path);
    }
    get_str(p, root, "name", true, &ps->name);
    ps->title = get_text(p, root, "title");
    ps->department = get_text(p, root, "department");
    if (get_str(p, root, "manager", false, &ps->manager) && ps->manager) {
        out->manager_at = yml_get(root, "manager");
        if (ps->email && strcmp(ps->manager, ps->email) == 0)
            fail(p, out->manager_at, "person '%s' cannot be their own manager", ps->email);
    }
    bool dates = get_date(p, root, "start", false, &ps->start_date, &start);
    dates = get_date(p, root, "end", false, &ps->end_date, &end) && dates;
    if (dates && ps->start_date && ps->end_date && end < start)
        fail(p, yml_get(root, "end"), "end date '%s' is before the start date '%s'", ps->end_date,
             ps->start_date);
    get_bool(p, root, "control_owner", false, &owner);
    get_bool(p, root, "approver", false, &approver);
    ps->is_control_owner = owner;
    ps->is_approver = approver;
}

/* --- controls/<code>.yaml ------------------------------------------------------------------- */

/* Evidence items one per line, trimmed as the app stores them. */
static const char *get_evidence(struct parse *p, const struct yml_node *root)
{
    const struct yml_node *seq = get_seq(p, root, "evidence");
    struct sb sb = SB_INIT;
    for (size_t i = 0; seq && i < seq->n; i++) {
        const struct yml_node *item = seq->items[i];
        const char *s = item_str(p, item, "an evidence item");
        if (!s)
            continue;
        if (strpbrk(s, "\r\n")) {
            fail(p, item, "an evidence item is one line (make two items)");
            continue;
        }
        size_t lead = strspn(s, " \t"), n = strlen(s);
        while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == lead) {
            fail(p, item, "an evidence item must not be blank");
            continue;
        }
        sb_addf(&sb, "%s%.*s", sb.len ? "\n" : "", (int)(n - lead), s + lead);
    }
    const char *out = arena_strdup(p->a, sb.buf);
    sb_release(&sb);
    return out;
}

static void parse_control(struct parse *p, const struct yml_node *root, const char *path,
                          struct app_yaml__control *out)
{
    static const char *const keys[] = {
        "code", "title",  "description",  "owner",    "frequency", "nature", "type",
        "key",  "status", "library_code", "evidence", "criteria",  NULL};
    struct app_control *c = &out->c;
    struct err e = ERR_INIT;
    bool key;
    out->node = root;
    if (!check_keys(p, root, keys))
        return;
    if (get_str(p, root, "code", true, &c->code)) {
        if (dom_code_check(c->code, "control code", &e))
            fail_err(p, yml_get(root, "code"), &e);
        check_file_key(p, root, "code", c->code, path);
    }
    get_str(p, root, "title", true, &c->title);
    c->description = get_text(p, root, "description");
    get_str(p, root, "owner", false, &c->owner);
    get_enum(p, root, "frequency", dom_frequencies, "frequency", "annual", &c->frequency);
    get_enum(p, root, "nature", dom_natures, "nature", "preventive", &c->nature);
    get_enum(p, root, "type", dom_control_types, "type", "manual", &c->type);
    get_bool(p, root, "key", false, &key);
    c->key = key ? 1 : 0;
    get_enum(p, root, "status", dom_statuses, "status", "not-started", &c->status);
    if (get_str(p, root, "library_code", false, &c->library_code) && c->library_code) {
        out->library_at = yml_get(root, "library_code");
        if (!dom_library_control(p->ctx->library, c->library_code))
            fail(p, out->library_at, "unknown library control '%s' (see 'tillit control library')",
                 c->library_code);
    }
    c->evidence = get_evidence(p, root);
    get_control_criteria(p, root, c);
}

/* --- risks/<code>.yaml ---------------------------------------------------------------------- */

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void parse_risk_controls(struct parse *p, const struct yml_node *root, struct app_risk *r)
{
    const struct yml_node *seq = get_seq(p, root, "controls");
    size_t n = seq ? seq->n : 0;
    r->controls = arena_calloc(p->a, n + 1, sizeof(char *));
    r->n_controls = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = item_str(p, seq->items[i], "a control code");
        bool dup = false;
        for (size_t k = 0; code && k < r->n_controls && !dup; k++)
            dup = strcmp(r->controls[k], code) == 0;
        if (dup)
            fail(p, seq->items[i], "control '%s' is listed twice", code);
        else if (code)
            r->controls[r->n_controls++] = code;
    }
    qsort(r->controls, r->n_controls, sizeof(char *), str_cmp);
}

static void parse_risk(struct parse *p, const struct yml_node *root, const char *path,
                       struct app_yaml__risk *out)
{
    static const char *const keys[] = {"code",
                                       "title",
                                       "description",
                                       "category",
                                       "likelihood",
                                       "impact",
                                       "treatment",
                                       "residual_likelihood",
                                       "residual_impact",
                                       "fraud",
                                       "owner",
                                       "next_review",
                                       "controls",
                                       NULL};
    struct app_risk *r = &out->r;
    struct err e = ERR_INIT;
    long l, i, rl, ri;
    bool fraud;
    tl_date d;
    out->node = root;
    if (!check_keys(p, root, keys))
        return;
    if (get_str(p, root, "code", true, &r->code)) {
        if (dom_code_check(r->code, "risk code", &e))
            fail_err(p, yml_get(root, "code"), &e);
        check_file_key(p, root, "code", r->code, path);
    }
    get_str(p, root, "title", true, &r->title);
    r->description = get_text(p, root, "description");
    r->category = get_text(p, root, "category");
    bool ok = get_int(p, root, "likelihood", true, 1, 5, &l);
    ok = get_int(p, root, "impact", true, 1, 5, &i) && ok;
    ok = get_enum(p, root, "treatment", dom_treatments, "treatment", NULL, &r->treatment) && ok;
    ok = get_int(p, root, "residual_likelihood", false, 1, 5, &rl) && ok;
    ok = get_int(p, root, "residual_impact", false, 1, 5, &ri) && ok;
    get_bool(p, root, "fraud", false, &fraud);
    get_str(p, root, "owner", false, &r->owner);
    get_date(p, root, "next_review", false, &r->next_review, &d);
    parse_risk_controls(p, root, r);
    r->likelihood = (int)l;
    r->impact = (int)i;
    r->residual_likelihood = (int)rl;
    r->residual_impact = (int)ri;
    r->is_fraud = fraud;
    if (ok && r->code &&
        dom_risk_check(r->code, r->likelihood, r->impact, r->treatment, r->residual_likelihood,
                       r->residual_impact, r->n_controls, &e))
        fail_err(p, root, &e);
}

/* --- vendors/<slug>.yaml --------------------------------------------------------------------- */

static void parse_vendor(struct parse *p, const struct yml_node *root, const char *path,
                         struct app_yaml__vendor *out)
{
    static const char *const keys[] = {"slug",           "name",        "service",
                                       "criticality",    "data_shared", "soc_report",
                                       "soc_period_end", "subservice",  NULL};
    struct app_vendor *v = &out->v;
    struct err e = ERR_INIT;
    bool soc;
    tl_date end;
    out->node = root;
    if (!check_keys(p, root, keys))
        return;
    if (get_str(p, root, "slug", true, &v->slug)) {
        if (dom_slug_check(v->slug, "vendor slug", &e))
            fail_err(p, yml_get(root, "slug"), &e);
        check_file_key(p, root, "slug", v->slug, path);
    }
    get_str(p, root, "name", true, &v->name);
    v->service = get_text(p, root, "service");
    get_enum(p, root, "criticality", dom_criticalities, "criticality", "medium", &v->criticality);
    v->data_shared = get_text(p, root, "data_shared");
    bool ok = get_bool(p, root, "soc_report", false, &soc);
    v->soc_report = soc;
    ok = get_date(p, root, "soc_period_end", false, &v->soc_period_end, &end) && ok;
    get_str(p, root, "subservice", false, &v->subservice);
    if (!ok)
        return;
    char today[DATE_BUF];
    date_format(p->ctx->today, today);
    if (v->soc_period_end && end > p->ctx->today)
        fail(p, yml_get(root, "soc_period_end"),
             "SOC period end '%s' is in the future (today is %s)", v->soc_period_end, today);
    else if (soc && !v->soc_period_end)
        fail(p, root, "vendor '%s' has a SOC report on file: give its period end (soc_period_end)",
             v->slug ? v->slug : "");
    else if (!soc && v->soc_period_end)
        fail(p, yml_get(root, "soc_period_end"),
             "SOC period end '%s' needs a SOC report on file (soc_report: true)",
             v->soc_period_end);
}

/* --- policies/<slug>.yaml -------------------------------------------------------------------- */

static int file_index(const struct parse *p, const char *path)
{
    for (size_t i = 0; i < p->n_files; i++)
        if (strcmp(p->files[i].path, path) == 0)
            return (int)i;
    return -1;
}

/* The text of a version as the app stores it: organization placeholders
 * filled in, policy ones kept, anything else refused. */
static const char *store_form(struct parse *p, const struct yml_node *at, const char *slug,
                              int64_t number, const char *text, size_t len)
{
    const struct app_org *o = &p->t->org;
    const char *what =
        arena_printf(p->a, "text of version %lld of policy '%s'", (long long)number, slug);
    if (strlen(text) != len) {
        fail(p, at, "%s holds a NUL byte", what);
        return NULL;
    }
    if (len > APP_POLICY_BODY_MAX) {
        fail(p, at, "%s is larger than %u bytes", what, APP_POLICY_BODY_MAX);
        return NULL;
    }
    if (blank(text)) {
        fail(p, at, "%s is empty", what);
        return NULL;
    }
    const char *name = o->name ? o->name : "";
    const struct dom_tpl_var vars[] = {
        {"org.name", name},
        {"org.legal_name", o->legal_name && *o->legal_name ? o->legal_name : name}};
    struct sb sb;
    struct err e = ERR_INIT;
    sb_init_capped(&sb, 2 * APP_POLICY_BODY_MAX);
    const char *out = NULL;
    if (dom_tpl_render(text, vars, 2, dom_tpl_policy_names, &sb, &e))
        fail(p, at, "%s: %s", what, e.msg);
    else
        out = arena_strdup(p->a, sb.buf);
    sb_release(&sb);
    return out;
}

static int ack_cmp(const void *x, const void *y)
{
    const struct app_yaml__ack *a = x, *b = y;
    return strcmp(a->person, b->person);
}

static void parse_acks(struct parse *p, const struct yml_node *m, struct app_yaml__version *v)
{
    static const char *const keys[] = {"person", "on", NULL};
    const struct yml_node *seq = get_seq(p, m, "acks");
    size_t n = seq ? seq->n : 0;
    char today[DATE_BUF];
    date_format(p->ctx->today, today);
    v->acks = arena_calloc(p->a, n + 1, sizeof(*v->acks));
    for (size_t i = 0; i < n; i++) {
        const struct yml_node *item = seq->items[i];
        struct app_yaml__ack k = {.node = item};
        tl_date d;
        if (!check_keys(p, item, keys))
            continue;
        bool ok = get_str(p, item, "person", true, &k.person);
        if (!get_date(p, item, "on", true, &k.on, &d) || !ok)
            continue;
        if (d > p->ctx->today) {
            fail(p, yml_get(item, "on"), "acknowledgment date '%s' is in the future (today is %s)",
                 k.on, today);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < v->n_acks && !dup; j++)
            dup = strcmp(v->acks[j].person, k.person) == 0;
        if (dup) {
            fail(p, yml_get(item, "person"), "person '%s' acknowledged version %lld twice",
                 k.person, (long long)v->number);
            continue;
        }
        v->acks[v->n_acks++] = k;
    }
    qsort(v->acks, v->n_acks, sizeof(*v->acks), ack_cmp);
}

static void parse_approval(struct parse *p, const struct yml_node *m, struct app_yaml__version *v)
{
    tl_date d;
    char today[DATE_BUF];
    date_format(p->ctx->today, today);
    bool ok = get_str(p, m, "approved_by", false, &v->approved_by);
    ok = get_date(p, m, "approved_on", false, &v->approved_on, &d) && ok;
    v->approval_at = yml_get(m, "approved_by");
    if (ok && !v->approved_by != !v->approved_on)
        fail(p, m, "give approved_by and approved_on together (or neither)");
    else if (ok && v->approved_on && d > p->ctx->today)
        fail(p, yml_get(m, "approved_on"), "approval date '%s' is in the future (today is %s)",
             v->approved_on, today);
    else if (ok)
        return;
    v->approved_by = v->approved_on = NULL;
}

static void parse_version(struct parse *p, const struct yml_node *m, const char *slug,
                          int64_t expect, struct app_yaml__version *v)
{
    static const char *const keys[] = {"number",      "file", "approved_by",
                                       "approved_on", "acks", NULL};
    long number;
    v->node = m;
    v->number = expect;
    if (!check_keys(p, m, keys))
        return;
    if (get_int(p, m, "number", true, 1, 1000000, &number) && number != expect) {
        fail(p, yml_get(m, "number"),
             "policy '%s' has no version %ld: versions are numbered 1, 2, ... in order (expected "
             "%lld here)",
             slug, number, (long long)expect);
        /* Its text is not "unreferenced" as well: one mistake, one message. */
        const char *file;
        int i = get_str(p, m, "file", false, &file) && file
                    ? file_index(p, arena_printf(p->a, APP_YAML_POLICIES "/%s", file))
                    : -1;
        if (i >= 0)
            p->used[i] = true;
        return;
    }
    parse_approval(p, m, v);
    parse_acks(p, m, v);
    if (!get_str(p, m, "file", true, &v->file))
        return;
    v->file_at = yml_get(m, "file");
    const char *want = arena_printf(p->a, "%s.v%lld.md", slug, (long long)expect);
    if (strcmp(v->file, want) != 0) {
        fail(p, v->file_at, "the text of version %lld goes in '%s', not '%s'", (long long)expect,
             want, v->file);
        return;
    }
    const char *path = arena_printf(p->a, APP_YAML_POLICIES "/%s", want);
    int i = file_index(p, path);
    if (i < 0) {
        fail(p, v->file_at, "missing file '%s'", path);
        return;
    }
    p->used[i] = true;
    v->text = p->files[i].data;
    v->body = store_form(p, v->file_at, slug, expect, p->files[i].data, p->files[i].len);
}

static void parse_policy(struct parse *p, const struct yml_node *root, const char *path,
                         struct app_yaml__policy *out)
{
    static const char *const keys[] = {"slug",     "title",    "owner", "review",
                                       "template", "versions", NULL};
    struct app_policy *pol = &out->p;
    struct err e = ERR_INIT;
    out->node = root;
    if (!check_keys(p, root, keys))
        return;
    if (get_str(p, root, "slug", true, &pol->slug)) {
        if (dom_slug_check(pol->slug, "policy slug", &e))
            fail_err(p, yml_get(root, "slug"), &e);
        check_file_key(p, root, "slug", pol->slug, path);
    }
    if (get_str(p, root, "title", true, &pol->title) && pol->title &&
        !pol->title[strspn(pol->title, " \t")])
        fail(p, yml_get(root, "title"), "policy title must not be empty");
    get_str(p, root, "owner", false, &pol->owner);
    get_enum(p, root, "review", dom_reviews, "review", "annual", &pol->review);
    if (get_str(p, root, "template", false, &pol->template) && pol->template) {
        out->template_at = yml_get(root, "template");
        bool known = false;
        for (size_t i = 0; i < p->ctx->n_templates && !known; i++)
            known = strcmp(p->ctx->templates[i], pol->template) == 0;
        if (!known)
            fail(p, out->template_at, "no policy template '%s' (see 'tillit policy templates')",
                 pol->template);
    }
    const struct yml_node *seq = get_seq(p, root, "versions");
    if (!seq || seq->n == 0) {
        if (!yml_get(root, "versions") || yml_is_null(yml_get(root, "versions")) || seq)
            fail(p, seq ? seq : root, "a policy needs at least one version (versions)");
        return;
    }
    const char *slug = pol->slug ? pol->slug : file_key(p->a, path);
    out->versions = arena_calloc(p->a, seq->n + 1, sizeof(*out->versions));
    for (size_t i = 0; i < seq->n; i++) {
        struct app_yaml__version *v = &out->versions[out->n_versions++];
        parse_version(p, seq->items[i], slug, (int64_t)i + 1, v);
        if (i > 0 && v->body && out->versions[i - 1].body &&
            strcmp(v->body, out->versions[i - 1].body) == 0)
            fail(p, v->file_at,
                 "version %zu has the same text as version %zu (a new version is a change of "
                 "text)",
                 i + 1, i);
    }
}

/* --- files -------------------------------------------------------------------------------- */

/* Whether path is "<dir>/<key>.yaml" with a non-empty key and no further '/'. */
static bool is_record(const char *path, const char *dir)
{
    size_t d = strlen(dir), n = strlen(path);
    return strncmp(path, dir, d) == 0 && path[d] == '/' && !strchr(path + d + 1, '/') &&
           n > d + 6 && strcmp(path + n - 5, ".yaml") == 0;
}

/* Whether path is "policies/<slug>.v<N>.md"; *slug_len gets the slug's length. */
static bool is_policy_text(const char *path, size_t *slug_len)
{
    static const char dir[] = APP_YAML_POLICIES "/";
    size_t d = sizeof(dir) - 1, n = strlen(path);
    if (strncmp(path, dir, d) != 0 || strchr(path + d, '/') || n < d + 6 ||
        strcmp(path + n - 3, ".md") != 0)
        return false;
    size_t end = n - 3, k = end;
    while (k > d && path[k - 1] >= '0' && path[k - 1] <= '9')
        k--;
    if (k == end || k < d + 3 || path[k - 1] != 'v' || path[k - 2] != '.')
        return false;
    *slug_len = k - 2 - d;
    return true;
}

static struct yml_node *parse_file(struct parse *p, size_t i)
{
    struct yml_node *root = NULL;
    struct err e = ERR_INIT;
    p->used[i] = true;
    if (yml_parse(p->a, p->files[i].path, p->files[i].data, p->files[i].len, &root, &e)) {
        app_yaml__error(p->a, p->errs, e.where[0] ? e.where : p->files[i].path, NULL, "%s", e.msg);
        return NULL;
    }
    return root;
}

/* Parses every file under dir with fn into an array of records of size bytes. */
static void parse_records(struct parse *p, const char *dir, size_t size, void **out, size_t *n,
                          void (*fn)(struct parse *, const struct yml_node *, const char *, void *))
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < p->n_files; i++) {
        if (!is_record(p->files[i].path, dir))
            continue;
        struct yml_node *root = parse_file(p, i);
        if (root)
            fn(p, root, p->files[i].path, push(p->a, out, n, &cap, size));
    }
    if (!*out)
        *out = arena_calloc(p->a, 1, size);
}

static void person_fn(struct parse *p, const struct yml_node *r, const char *path, void *out)
{
    parse_person(p, r, path, out);
}

static void control_fn(struct parse *p, const struct yml_node *r, const char *path, void *out)
{
    parse_control(p, r, path, out);
}

static void risk_fn(struct parse *p, const struct yml_node *r, const char *path, void *out)
{
    parse_risk(p, r, path, out);
}

static void policy_fn(struct parse *p, const struct yml_node *r, const char *path, void *out)
{
    parse_policy(p, r, path, out);
}

static void vendor_fn(struct parse *p, const struct yml_node *r, const char *path, void *out)
{
    parse_vendor(p, r, path, out);
}

/* Parses a top-level file; a missing required one is reported. */
static void parse_top(struct parse *p, const char *name, bool required,
                      void (*fn)(struct parse *, const struct yml_node *))
{
    int i = file_index(p, name);
    if (i < 0) {
        if (required)
            fail_file(p, name, "missing file (every tree has one; see docs/yaml.md)");
        return;
    }
    struct yml_node *root = parse_file(p, (size_t)i);
    if (root)
        fn(p, root);
}

/* Files the tree does not know, and policy texts no policy names. */
static void check_unused(struct parse *p)
{
    for (size_t i = 0; i < p->n_files; i++) {
        const char *path = p->files[i].path;
        size_t slug_len;
        if (p->used[i])
            continue;
        if (!is_policy_text(path, &slug_len)) {
            fail_file(p, path,
                      "unexpected file (records are <key>.yaml; policy texts <slug>.v<N>.md)");
            continue;
        }
        /* A policy that failed to parse leaves its texts unread: say nothing more. */
        char *yaml =
            arena_printf(p->a, "%.*s.yaml", (int)(slug_len + sizeof(APP_YAML_POLICIES)), path);
        bool parsed = false;
        for (size_t k = 0; k < p->t->n_policies && !parsed; k++)
            parsed = p->t->policies[k].p.slug && p->t->policies[k].node &&
                     strcmp(p->t->policies[k].node->path, yaml) == 0;
        if (parsed || file_index(p, yaml) < 0)
            fail_file(p, path, "not the text of any version listed in '%s'", yaml);
    }
}

/* --- references --------------------------------------------------------------------------- */

static const struct app_yaml__person *find_person(const struct app_yaml_tree *t, const char *email)
{
    for (size_t i = 0; email && i < t->n_people; i++)
        if (t->people[i].p.email && strcmp(t->people[i].p.email, email) == 0)
            return &t->people[i];
    return NULL;
}

/* Reports a reference to a person the tree does not have. */
static const struct app_yaml__person *check_person_ref(struct parse *p, const struct yml_node *at,
                                                       const char *field, const char *email)
{
    if (!email)
        return NULL;
    const struct app_yaml__person *ps = find_person(p->t, email);
    if (!ps)
        fail(p, at, "%s '%s' is not a person of the tree (no file " APP_YAML_PEOPLE "/%s.yaml)",
             field, email, email);
    return ps;
}

/* Reports a person who had left before day (what the app refuses). */
static void check_employed(struct parse *p, const struct yml_node *at,
                           const struct app_yaml__person *ps, const char *day, const char *what)
{
    if (ps && ps->p.end_date && day && strcmp(ps->p.end_date, day) < 0)
        fail(p, at, "person '%s' left on %s, before %s on %s", ps->p.email, ps->p.end_date, what,
             day);
}

/* Reports reporting lines that go round in a circle, once per circle. */
static void check_manager_cycles(struct parse *p)
{
    const struct app_yaml_tree *t = p->t;
    for (size_t i = 0; i < t->n_people; i++) {
        const struct app_yaml__person *self = &t->people[i], *cur = self;
        bool cycle = false, smallest = true;
        for (size_t steps = 0; cur && cur->p.manager && steps <= t->n_people; steps++) {
            cur = find_person(t, cur->p.manager);
            if (cur && strcmp(cur->p.email, self->p.email) < 0)
                smallest = false;
            if (cur == self) {
                cycle = true;
                break;
            }
        }
        if (cycle && smallest && self->p.manager && strcmp(self->p.manager, self->p.email) != 0)
            fail(p, self->manager_at, "managers of person '%s' go round in a circle back to them",
                 self->p.email);
    }
}

static bool has_control(const struct app_yaml_tree *t, const char *code)
{
    for (size_t i = 0; i < t->n_controls; i++)
        if (t->controls[i].c.code && strcmp(t->controls[i].c.code, code) == 0)
            return true;
    return false;
}

static bool has_subservice(const struct app_yaml_tree *t, const char *slug)
{
    for (size_t i = 0; i < t->n_subservices; i++)
        if (strcmp(t->subservices[i].s.slug, slug) == 0)
            return true;
    return false;
}

static void check_policy_refs(struct parse *p, const struct app_yaml__policy *pol)
{
    check_person_ref(p, yml_get(pol->node, "owner"), "owner", pol->p.owner);
    for (size_t v = 0; v < pol->n_versions; v++) {
        const struct app_yaml__version *ver = &pol->versions[v];
        const struct app_yaml__person *by =
            check_person_ref(p, ver->approval_at, "approved_by", ver->approved_by);
        check_employed(p, ver->approval_at, by, ver->approved_on, "approving");
        for (size_t k = 0; k < ver->n_acks; k++) {
            const struct yml_node *at = yml_get(ver->acks[k].node, "person");
            const struct app_yaml__person *ps =
                check_person_ref(p, at, "person", ver->acks[k].person);
            check_employed(p, at, ps, ver->acks[k].on, "acknowledging");
        }
    }
}

static void check_refs(struct parse *p)
{
    const struct app_yaml_tree *t = p->t;
    for (size_t i = 0; i < t->n_people; i++)
        check_person_ref(p, t->people[i].manager_at, "manager", t->people[i].p.manager);
    check_manager_cycles(p);
    for (size_t i = 0; i < t->n_controls; i++)
        check_person_ref(p, yml_get(t->controls[i].node, "owner"), "owner", t->controls[i].c.owner);
    for (size_t i = 0; i < t->n_risks; i++) {
        const struct app_yaml__risk *r = &t->risks[i];
        check_person_ref(p, yml_get(r->node, "owner"), "owner", r->r.owner);
        const struct yml_node *seq = yml_get(r->node, "controls");
        for (size_t k = 0; seq && seq->kind == YML_SEQ && k < seq->n; k++) {
            const struct yml_node *item = seq->items[k];
            if (item->kind == YML_SCALAR && item->str[0] && !has_control(t, item->str))
                fail(p, item,
                     "control '%s' is not a control of the tree (no file " APP_YAML_CONTROLS
                     "/%s.yaml)",
                     item->str, item->str);
        }
    }
    for (size_t i = 0; i < t->n_policies; i++)
        check_policy_refs(p, &t->policies[i]);
    for (size_t i = 0; i < t->n_vendors; i++) {
        const struct app_yaml__vendor *v = &t->vendors[i];
        if (v->v.subservice && !has_subservice(t, v->v.subservice))
            fail(p, yml_get(v->node, "subservice"),
                 "subservice organization '%s' is not in scope.yaml (subservice_orgs)",
                 v->v.subservice);
    }
}

/* Drops records whose key is unknown (their file had a mistake already reported). */
#define KEEP_KEYED(arr, n, field)                                                                  \
    do {                                                                                           \
        size_t kept_ = 0;                                                                          \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            if ((arr)[i_].field)                                                                   \
                (arr)[kept_++] = (arr)[i_];                                                        \
        (n) = kept_;                                                                               \
    } while (0)

int app_yaml_parse(struct arena *a, const struct app_yaml_ctx *ctx,
                   const struct app_yaml_file *files, size_t n, struct app_yaml_tree **out,
                   struct app_yaml_errors *errs)
{
    struct parse p = {.a = a, .ctx = ctx, .errs = errs, .files = files, .n_files = n};
    p.used = arena_calloc(a, n + 1, sizeof(bool));
    p.t = arena_calloc(a, 1, sizeof(*p.t));
    void *items;
    *out = NULL;
    parse_top(&p, "organization.yaml", true, parse_org);
    parse_top(&p, "scope.yaml", true, parse_scope);
    if (!p.t->categories)
        default_categories(&p);
    p.t->na = arena_calloc(a, 1, sizeof(*p.t->na));
    parse_top(&p, "applicability.yaml", false, parse_applicability);
    parse_records(&p, APP_YAML_PEOPLE, sizeof(*p.t->people), &items, &p.t->n_people, person_fn);
    p.t->people = items;
    parse_records(&p, APP_YAML_CONTROLS, sizeof(*p.t->controls), &items, &p.t->n_controls,
                  control_fn);
    p.t->controls = items;
    parse_records(&p, APP_YAML_RISKS, sizeof(*p.t->risks), &items, &p.t->n_risks, risk_fn);
    p.t->risks = items;
    parse_records(&p, APP_YAML_POLICIES, sizeof(*p.t->policies), &items, &p.t->n_policies,
                  policy_fn);
    p.t->policies = items;
    parse_records(&p, APP_YAML_VENDORS, sizeof(*p.t->vendors), &items, &p.t->n_vendors, vendor_fn);
    p.t->vendors = items;
    check_unused(&p);
    KEEP_KEYED(p.t->people, p.t->n_people, p.email);
    KEEP_KEYED(p.t->controls, p.t->n_controls, c.code);
    KEEP_KEYED(p.t->risks, p.t->n_risks, r.code);
    KEEP_KEYED(p.t->policies, p.t->n_policies, p.slug);
    KEEP_KEYED(p.t->vendors, p.t->n_vendors, v.slug);
    check_refs(&p);
    if (errs->n || errs->dropped)
        return TL_EINPUT;
    *out = p.t;
    return 0;
}
