/* library.c - building the control library from content YAML. */
#include "domain/library.h"

#include "base/sb.h"
#include "base/yml.h"
#include "domain/program.h"

#include <string.h>
#include <strings.h>

static const char *const control_keys[] = {"code",      "family",   "title",      "description",
                                           "frequency", "nature",   "type",       "key",
                                           "criteria",  "evidence", "test_steps", NULL};
static const char *const mapping_keys[] = {"id", "points_of_focus", NULL};

const char *const *dom_text_list_get(const struct dom_text_list *l, const char *lang, size_t *n)
{
    if (lang && strcmp(lang, "sv") == 0 && l->n_sv) {
        *n = l->n_sv;
        return l->sv;
    }
    *n = l->n_en;
    return l->en;
}

/* Reads {en: ..., sv: ...}; both are required. */
static int read_text(const struct yml_node *m, const char *key, struct dom_text *out, struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    if (!v)
        return yml_fail(e, m, TL_EINPUT, "missing required field '%s'", key);
    if (v->kind != YML_MAP)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be a mapping {en: ..., sv: ...}", key);
    int rc = yml_req_str(v, "en", &out->en, e);
    if (rc == 0)
        rc = yml_req_str(v, "sv", &out->sv, e);
    return rc;
}

/* Reads a list of strings under key of m (missing = empty). */
static int read_lines(struct arena *a, const struct yml_node *m, const char *key, const char ***out,
                      size_t *n, struct err *e)
{
    const struct yml_node *seq;
    int rc = yml_opt_seq(m, key, &seq, e);
    *out = NULL;
    *n = 0;
    if (rc || !seq)
        return rc;
    *out = arena_calloc(a, seq->n + 1, sizeof(char *));
    for (size_t i = 0; i < seq->n; i++) {
        if (seq->items[i]->kind != YML_SCALAR || !*seq->items[i]->str)
            return yml_fail(e, seq->items[i], TL_EINPUT, "items of '%s' must be text", key);
        (*out)[i] = seq->items[i]->str;
    }
    *n = seq->n;
    return 0;
}

/* Reads {en: [...], sv: [...]}; optional, English required when present. */
static int read_text_list(struct arena *a, const struct yml_node *m, const char *key,
                          struct dom_text_list *out, struct err *e)
{
    const struct yml_node *v = yml_get(m, key);
    memset(out, 0, sizeof(*out));
    if (!v || yml_is_null(v))
        return 0;
    if (v->kind != YML_MAP)
        return yml_fail(e, v, TL_EINPUT, "field '%s' must be a mapping {en: [...], sv: [...]}",
                        key);
    int rc = read_lines(a, v, "en", &out->en, &out->n_en, e);
    if (rc == 0)
        rc = read_lines(a, v, "sv", &out->sv, &out->n_sv, e);
    if (rc == 0 && out->n_en == 0)
        rc = yml_fail(e, v, TL_EINPUT, "field '%s' needs an 'en' list", key);
    return rc;
}

/* A required field whose value is one of list. */
static int read_enum(const struct yml_node *m, const char *key, const char *const *list,
                     const char **out, struct err *e)
{
    int rc = yml_req_str(m, key, out, e);
    if (rc == 0 && dom_enum_check(list, *out, key, e)) {
        const struct yml_node *v = yml_get(m, key);
        err_where(e, v->path ? v->path : "<input>", v->line, v->col);
        rc = TL_EINPUT;
    }
    return rc;
}

/* Position of a point of focus within its criterion. */
static size_t pof_index(const struct dom_criterion *cr, const char *id)
{
    for (size_t i = 0; i < cr->n_pofs; i++)
        if (cr->pofs[i].id == id)
            return i;
    return cr->n_pofs;
}

/* Puts the points of focus of a mapping in catalog order. */
static void sort_pofs(const struct dom_criterion *cr, struct dom_lib_mapping *map)
{
    for (size_t i = 1; i < map->n_pofs; i++) {
        const char *id = map->pofs[i];
        size_t rank = pof_index(cr, id), k = i;
        for (; k > 0 && pof_index(cr, map->pofs[k - 1]) > rank; k--)
            map->pofs[k] = map->pofs[k - 1];
        map->pofs[k] = id;
    }
}

/* Reads the points of focus of one mapping: each must exist and be filed
 * under the mapping's criterion. */
static int read_pofs(struct arena *a, const struct dom_catalog *c, const struct yml_node *m,
                     const struct dom_criterion *cr, struct dom_lib_mapping *map, struct err *e)
{
    const struct yml_node *seq;
    int rc = yml_opt_seq(m, "points_of_focus", &seq, e);
    if (rc || !seq)
        return rc;
    map->pofs = arena_calloc(a, seq->n + 1, sizeof(char *));
    for (size_t i = 0; i < seq->n; i++) {
        const struct yml_node *v = seq->items[i];
        const struct dom_criterion *owner = NULL;
        const struct dom_pof *pf =
            v->kind == YML_SCALAR ? dom_catalog_pof(c, v->str, &owner) : NULL;
        if (!pf)
            return yml_fail(e, v, TL_EINPUT, "unknown point of focus '%s'",
                            v->kind == YML_SCALAR ? v->str : "");
        if (owner != cr)
            return yml_fail(e, v, TL_EINPUT, "point of focus '%s' belongs to '%s', not to '%s'",
                            pf->id, owner->id, cr->id);
        for (size_t k = 0; k < map->n_pofs; k++)
            if (map->pofs[k] == pf->id)
                return yml_fail(e, v, TL_EINPUT, "point of focus '%s' is listed twice", pf->id);
        map->pofs[map->n_pofs++] = pf->id;
    }
    sort_pofs(cr, map);
    return 0;
}

static int read_mapping(struct arena *a, const struct dom_catalog *c, const struct yml_node *m,
                        struct dom_lib_mapping *map, struct err *e)
{
    const char *id;
    int rc = yml_check_keys(m, mapping_keys, e);
    if (rc == 0)
        rc = yml_req_str(m, "id", &id, e);
    if (rc)
        return rc;
    const struct dom_criterion *cr = dom_catalog_criterion(c, id);
    if (!cr)
        return yml_fail(e, yml_get(m, "id"), TL_EINPUT, "unknown criterion '%s' (not in %s)", id,
                        c->id);
    map->criterion = cr->id;
    return read_pofs(a, c, m, cr, map, e);
}

/* Position of a criterion in the catalog (TSC order). */
static size_t crit_index(const struct dom_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_criteria; i++)
        if (c->criteria[i].id == id)
            return i;
    return c->n_criteria;
}

/* Puts the mappings in catalog order (insertion sort: a control maps a few). */
static void sort_criteria(const struct dom_catalog *c, struct dom_lib_control *lc)
{
    for (size_t i = 1; i < lc->n_criteria; i++) {
        struct dom_lib_mapping m = lc->criteria[i];
        size_t rank = crit_index(c, m.criterion), k = i;
        for (; k > 0 && crit_index(c, lc->criteria[k - 1].criterion) > rank; k--)
            lc->criteria[k] = lc->criteria[k - 1];
        lc->criteria[k] = m;
    }
}

static int read_criteria(struct arena *a, const struct dom_catalog *c, const struct yml_node *m,
                         struct dom_lib_control *lc, struct err *e)
{
    const struct yml_node *seq;
    int rc = yml_opt_seq(m, "criteria", &seq, e);
    if (rc == 0 && (!seq || seq->n == 0))
        rc = yml_fail(e, m, TL_EINPUT, "control '%s' maps no criteria", lc->code);
    if (rc)
        return rc;
    lc->criteria = arena_calloc(a, seq->n, sizeof(*lc->criteria));
    for (size_t i = 0; i < seq->n; i++) {
        struct dom_lib_mapping *map = &lc->criteria[lc->n_criteria];
        rc = read_mapping(a, c, seq->items[i], map, e);
        if (rc)
            return rc;
        if (dom_lib_control_mapping(lc, map->criterion))
            return yml_fail(e, seq->items[i], TL_EINPUT, "criterion '%s' is listed twice",
                            map->criterion);
        lc->n_criteria++;
    }
    sort_criteria(c, lc);
    return 0;
}

/* Code and family: shapes checked with the model's rules, at the value's position. */
static int read_names(const struct yml_node *m, const struct dom_library *l,
                      struct dom_lib_control *lc, struct err *e)
{
    int rc = yml_req_str(m, "code", &lc->code, e);
    const struct yml_node *v = yml_get(m, "code");
    if (rc == 0 && dom_code_check(lc->code, "control code", e))
        rc = TL_EINPUT;
    if (rc == 0 && dom_library_control(l, lc->code))
        rc = ERR_SET(e, TL_EINPUT, "control code '%s' is used twice in the library", lc->code);
    if (rc == 0) {
        rc = yml_req_str(m, "family", &lc->family, e);
        v = yml_get(m, "family");
        if (rc == 0 && dom_slug_check(lc->family, "control family", e))
            rc = TL_EINPUT;
    }
    if (rc && v && e && !e->where[0])
        err_where(e, v->path ? v->path : "<input>", v->line, v->col);
    return rc;
}

static int read_control(struct arena *a, const struct dom_catalog *c, const struct yml_node *m,
                        const struct dom_library *l, struct dom_lib_control *lc, struct err *e)
{
    int rc = yml_check_keys(m, control_keys, e);
    if (rc == 0)
        rc = read_names(m, l, lc, e);
    if (rc == 0)
        rc = read_text(m, "title", &lc->title, e);
    if (rc == 0)
        rc = read_text(m, "description", &lc->description, e);
    if (rc == 0)
        rc = read_enum(m, "frequency", dom_frequencies, &lc->frequency, e);
    if (rc == 0)
        rc = read_enum(m, "nature", dom_natures, &lc->nature, e);
    if (rc == 0)
        rc = read_enum(m, "type", dom_control_types, &lc->type, e);
    if (rc == 0)
        rc = yml_opt_bool(m, "key", false, &lc->key, e);
    if (rc == 0)
        rc = read_criteria(a, c, m, lc, e);
    if (rc == 0)
        rc = read_text_list(a, m, "evidence", &lc->evidence, e);
    if (rc == 0)
        rc = read_text_list(a, m, "test_steps", &lc->test_steps, e);
    return rc;
}

int dom_library_add(struct dom_library *l, struct arena *a, const struct dom_catalog *c,
                    const char *path, const char *data, size_t len, struct err *e)
{
    struct yml_node *root;
    const struct yml_node *list = NULL;
    int rc = yml_parse(a, path, data, len, &root, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "controls", &list, e);
    if (rc == 0 && !list)
        rc = yml_fail(e, root, TL_EINPUT, "missing required list 'controls'");
    if (rc)
        return rc;
    /* Grow by copying: the library is read once, so the waste is small. */
    struct dom_lib_control *grown = arena_calloc(a, l->n_controls + list->n, sizeof(*grown));
    if (l->n_controls)
        memcpy(grown, l->controls, l->n_controls * sizeof(*grown));
    l->controls = grown;
    for (size_t i = 0; i < list->n && rc == 0; i++) {
        rc = read_control(a, c, list->items[i], l, &l->controls[l->n_controls], e);
        if (rc == 0)
            l->n_controls++;
    }
    return rc;
}

int dom_library_finish(struct dom_library *l, struct arena *a, struct err *e)
{
    if (l->n_controls == 0)
        return ERR_SET(e, TL_EINPUT, "the control library is empty");
    l->families = arena_calloc(a, l->n_controls, sizeof(char *));
    l->n_families = 0;
    for (size_t i = 0; i < l->n_controls; i++) {
        const char *f = l->controls[i].family;
        bool seen = false;
        for (size_t k = 0; k < l->n_families && !seen; k++)
            seen = strcmp(l->families[k], f) == 0;
        if (!seen)
            l->families[l->n_families++] = f;
    }
    return 0;
}

const struct dom_lib_control *dom_library_control(const struct dom_library *l, const char *code)
{
    for (size_t i = 0; i < l->n_controls; i++)
        if (l->controls[i].code && strcasecmp(l->controls[i].code, code) == 0)
            return &l->controls[i];
    return NULL;
}

const struct dom_lib_mapping *dom_lib_control_mapping(const struct dom_lib_control *lc,
                                                      const char *criterion)
{
    for (size_t i = 0; i < lc->n_criteria; i++)
        if (strcasecmp(lc->criteria[i].criterion, criterion) == 0)
            return &lc->criteria[i];
    return NULL;
}

int dom_library_family_check(const struct dom_library *l, const char *family, struct err *e)
{
    for (size_t i = 0; i < l->n_families; i++)
        if (strcmp(l->families[i], family) == 0)
            return 0;
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < l->n_families; i++)
        sb_addf(&sb, "%s%s", i ? ", " : "", l->families[i]);
    ERR_SET(e, TL_EINPUT, "unknown control family \"%s\" (expected one of: %s)", family, sb.buf);
    sb_release(&sb);
    return TL_EINPUT;
}

/* Marks in seen[] the point of focus of cr named by the token [s, s+n). */
static int mark_pof(const struct dom_criterion *cr, const char *s, size_t n, bool *seen,
                    struct err *e)
{
    for (size_t i = 0; i < cr->n_pofs; i++) {
        if (strlen(cr->pofs[i].id) == n && strncasecmp(cr->pofs[i].id, s, n) == 0) {
            seen[i] = true;
            return 0;
        }
    }
    if (n > 0 && n < 64)
        return ERR_SET(e, TL_EINPUT,
                       "point of focus '%.*s' is not one of criterion '%s' (see 'tillit catalog "
                       "show %s')",
                       (int)n, s, cr->id, cr->id);
    return ERR_SET(e, TL_EINPUT, "invalid point-of-focus list '%s'", s);
}

int dom_pofs_normalize(const struct dom_criterion *cr, struct arena *a, const char *pofs,
                       const char **out, struct err *e)
{
    *out = "";
    if (!pofs || !*pofs)
        return 0;
    bool *seen = arena_calloc(a, cr->n_pofs + 1, sizeof(bool));
    for (const char *p = pofs; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        int rc = mark_pof(cr, p, n, seen, e);
        if (rc)
            return rc;
        p += n;
    }
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < cr->n_pofs; i++)
        if (seen[i])
            sb_addf(&sb, "%s%s", sb.len ? "," : "", cr->pofs[i].id);
    *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return 0;
}
