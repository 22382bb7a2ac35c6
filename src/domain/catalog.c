/* catalog.c - building the criteria catalog from content YAML. */
#include "domain/catalog.h"

#include "base/yml.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *dom_text_get(const struct dom_text *t, const char *lang)
{
    if (lang && strcmp(lang, "sv") == 0 && t->sv && *t->sv)
        return t->sv;
    return t->en ? t->en : "";
}

const char *dom_pof_kind_name(enum dom_pof_kind k)
{
    static const char *const names[] = {"coso", "tsc", "category", "controller", "processor"};
    return names[k];
}

/* Reads {en: ..., sv: ...}; both are required. */
static int read_text(const struct yml_node *m, const char *key, struct dom_text *out,
                     struct err *e)
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

/* Iterates a required list under key of root. */
static int req_list(const struct yml_node *root, const char *key, const struct yml_node **out,
                    struct err *e)
{
    int rc = yml_opt_seq(root, key, out, e);
    if (rc == 0 && !*out)
        rc = yml_fail(e, root, TL_EINPUT, "missing required list '%s'", key);
    return rc;
}

static int parse_kind(const struct yml_node *m, enum dom_pof_kind *out, struct err *e)
{
    static const char *const names[] = {"coso", "tsc", "category", "controller", "processor"};
    const char *k;
    int rc = yml_req_str(m, "kind", &k, e);
    if (rc)
        return rc;
    for (int i = 0; i < 5; i++) {
        if (strcmp(k, names[i]) == 0) {
            *out = (enum dom_pof_kind)i;
            return 0;
        }
    }
    return yml_fail(e, yml_get(m, "kind"), TL_EINPUT,
                    "unknown point-of-focus kind \"%s\" (expected one of: coso, tsc, category, "
                    "controller, processor)",
                    k);
}

static int parse_pof(struct arena *a, const struct yml_node *m, struct dom_pof *p, struct err *e)
{
    int rc = yml_req_str(m, "id", &p->id, e);
    if (rc == 0)
        rc = parse_kind(m, &p->kind, e);
    if (rc == 0)
        rc = read_text(m, "title", &p->title, e);
    if (rc == 0)
        rc = read_text(m, "text", &p->text, e);
    const struct yml_node *ap = NULL;
    if (rc == 0)
        rc = yml_opt_seq(m, "applies_to", &ap, e);
    if (rc)
        return rc;
    if (ap && ap->n) {
        p->applies_to = arena_calloc(a, ap->n, sizeof(char *));
        for (size_t i = 0; i < ap->n; i++) {
            if (ap->items[i]->kind != YML_SCALAR)
                return yml_fail(e, ap->items[i], TL_EINPUT, "categories must be strings");
            p->applies_to[i] = ap->items[i]->str;
        }
        p->n_applies_to = ap->n;
    }
    if (p->kind == POF_CATEGORY && p->n_applies_to == 0)
        return yml_fail(e, m, TL_EINPUT, "point of focus '%s' of kind category needs applies_to",
                        p->id);
    return 0;
}

static int parse_criterion(struct arena *a, const struct yml_node *m, struct dom_criterion *c,
                           struct err *e)
{
    int rc = yml_req_str(m, "id", &c->id, e);
    if (rc == 0)
        rc = yml_req_str(m, "category", &c->category, e);
    if (rc == 0)
        rc = yml_req_str(m, "series", &c->series, e);
    if (rc == 0)
        rc = read_text(m, "title", &c->title, e);
    if (rc == 0)
        rc = read_text(m, "summary", &c->summary, e);
    const struct yml_node *pofs = NULL;
    if (rc == 0)
        rc = req_list(m, "points_of_focus", &pofs, e);
    if (rc)
        return rc;
    c->pofs = arena_calloc(a, pofs->n, sizeof(*c->pofs));
    c->n_pofs = pofs->n;
    for (size_t i = 0; i < pofs->n && rc == 0; i++)
        rc = parse_pof(a, pofs->items[i], &c->pofs[i], e);
    return rc;
}

/* Grows an arena array by copying: catalogs are read once, so the waste is small. */
static void *grow(struct arena *a, void *old, size_t n_old, size_t n_add, size_t size)
{
    void *p = arena_calloc(a, n_old + n_add, size);
    if (n_old)
        memcpy(p, old, n_old * size);
    return p;
}

int dom_catalog_add_criteria(struct dom_catalog *c, struct arena *a, const char *path,
                             const char *data, size_t len, struct err *e)
{
    struct yml_node *root;
    const struct yml_node *list;
    int rc = yml_parse(a, path, data, len, &root, e);
    if (rc == 0)
        rc = req_list(root, "criteria", &list, e);
    if (rc)
        return rc;
    c->criteria = grow(a, c->criteria, c->n_criteria, list->n, sizeof(*c->criteria));
    for (size_t i = 0; i < list->n && rc == 0; i++) {
        rc = parse_criterion(a, list->items[i], &c->criteria[c->n_criteria], e);
        if (rc == 0)
            c->n_pofs += c->criteria[c->n_criteria++].n_pofs;
    }
    return rc;
}

int dom_catalog_add_framework(struct dom_catalog *c, struct arena *a, const char *path,
                              const char *data, size_t len, struct err *e)
{
    struct yml_node *root;
    const struct yml_node *cats, *series;
    int rc = yml_parse(a, path, data, len, &root, e);
    if (rc == 0)
        rc = yml_req_str(root, "id", &c->id, e);
    if (rc == 0)
        rc = read_text(root, "name", &c->name, e);
    if (rc == 0)
        rc = yml_opt_str(root, "version", "", &c->version, e);
    if (rc == 0)
        rc = req_list(root, "categories", &cats, e);
    if (rc == 0)
        rc = req_list(root, "series", &series, e);
    if (rc)
        return rc;
    c->categories = arena_calloc(a, cats->n, sizeof(*c->categories));
    c->n_categories = cats->n;
    for (size_t i = 0; i < cats->n && rc == 0; i++) {
        struct dom_category *cat = &c->categories[i];
        rc = yml_req_str(cats->items[i], "id", &cat->id, e);
        if (rc == 0)
            rc = read_text(cats->items[i], "name", &cat->name, e);
        if (rc == 0)
            rc = read_text(cats->items[i], "summary", &cat->summary, e);
    }
    c->series = arena_calloc(a, series->n, sizeof(*c->series));
    c->n_series = series->n;
    for (size_t i = 0; i < series->n && rc == 0; i++) {
        struct dom_series *s = &c->series[i];
        rc = yml_req_str(series->items[i], "id", &s->id, e);
        if (rc == 0)
            rc = yml_req_str(series->items[i], "category", &s->category, e);
        if (rc == 0)
            rc = read_text(series->items[i], "name", &s->name, e);
    }
    return rc;
}

static int parse_component(struct dom_catalog *c, struct arena *a, const struct yml_node *m,
                           struct dom_coso_component *comp, struct err *e)
{
    const struct yml_node *pr;
    int rc = yml_req_str(m, "id", &comp->id, e);
    if (rc == 0)
        rc = read_text(m, "name", &comp->name, e);
    if (rc == 0)
        rc = req_list(m, "principles", &pr, e);
    if (rc)
        return rc;
    c->principles = grow(a, c->principles, c->n_principles, pr->n, sizeof(*c->principles));
    for (size_t i = 0; i < pr->n && rc == 0; i++) {
        struct dom_coso_principle *p = &c->principles[c->n_principles];
        long number;
        p->component = comp->id;
        rc = yml_opt_int(pr->items[i], "number", 0, 1, 17, &number, e);
        if (rc == 0 && number == 0)
            rc = yml_fail(e, pr->items[i], TL_EINPUT, "missing required field 'number'");
        p->number = (int)number;
        if (rc == 0)
            rc = read_text(pr->items[i], "title", &p->title, e);
        if (rc == 0)
            rc = yml_req_str(pr->items[i], "tsc", &p->tsc, e);
        if (rc == 0)
            c->n_principles++;
    }
    return rc;
}

int dom_catalog_add_coso(struct dom_catalog *c, struct arena *a, const char *path,
                         const char *data, size_t len, struct err *e)
{
    struct yml_node *root;
    const struct yml_node *comps;
    int rc = yml_parse(a, path, data, len, &root, e);
    if (rc == 0)
        rc = yml_req_str(root, "id", &c->coso_id, e);
    if (rc == 0)
        rc = read_text(root, "name", &c->coso_name, e);
    if (rc == 0)
        rc = req_list(root, "components", &comps, e);
    if (rc)
        return rc;
    c->components = arena_calloc(a, comps->n, sizeof(*c->components));
    c->n_components = comps->n;
    for (size_t i = 0; i < comps->n && rc == 0; i++)
        rc = parse_component(c, a, comps->items[i], &c->components[i], e);
    return rc;
}

const struct dom_criterion *dom_catalog_criterion(const struct dom_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_criteria; i++)
        if (strcasecmp(c->criteria[i].id, id) == 0)
            return &c->criteria[i];
    return NULL;
}

const struct dom_pof *dom_catalog_pof(const struct dom_catalog *c, const char *id,
                                      const struct dom_criterion **crit)
{
    for (size_t i = 0; i < c->n_criteria; i++) {
        for (size_t j = 0; j < c->criteria[i].n_pofs; j++) {
            if (strcasecmp(c->criteria[i].pofs[j].id, id) == 0) {
                if (crit)
                    *crit = &c->criteria[i];
                return &c->criteria[i].pofs[j];
            }
        }
    }
    return NULL;
}

const struct dom_category *dom_catalog_category(const struct dom_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_categories; i++)
        if (strcmp(c->categories[i].id, id) == 0)
            return &c->categories[i];
    return NULL;
}

const struct dom_coso_component *dom_catalog_component(const struct dom_catalog *c,
                                                       const char *id)
{
    for (size_t i = 0; i < c->n_components; i++)
        if (strcmp(c->components[i].id, id) == 0)
            return &c->components[i];
    return NULL;
}

static int check_criterion(const struct dom_catalog *c, size_t i, struct err *e)
{
    const struct dom_criterion *cr = &c->criteria[i];
    if (!dom_catalog_category(c, cr->category))
        return ERR_SET(e, TL_EINPUT, "criterion '%s' names unknown category '%s'", cr->id,
                       cr->category);
    bool series_ok = false;
    for (size_t s = 0; s < c->n_series && !series_ok; s++)
        series_ok = strcmp(c->series[s].id, cr->series) == 0;
    if (!series_ok)
        return ERR_SET(e, TL_EINPUT, "criterion '%s' names unknown series '%s'", cr->id,
                       cr->series);
    for (size_t j = 0; j < i; j++)
        if (strcmp(c->criteria[j].id, cr->id) == 0)
            return ERR_SET(e, TL_EINPUT, "criterion '%s' is listed twice", cr->id);
    for (size_t p = 0; p < cr->n_pofs; p++) {
        const struct dom_pof *pf = &cr->pofs[p];
        /* "CC1.12-PF01" must not pass for a point of focus of CC1.1. */
        size_t idlen = strlen(cr->id);
        if (strncmp(pf->id, cr->id, idlen) != 0 || pf->id[idlen] != '-')
            return ERR_SET(e, TL_EINPUT, "point of focus '%s' is filed under '%s'", pf->id,
                           cr->id);
        for (size_t k = 0; k < pf->n_applies_to; k++)
            if (!dom_catalog_category(c, pf->applies_to[k]))
                return ERR_SET(e, TL_EINPUT, "point of focus '%s' names unknown category '%s'",
                               pf->id, pf->applies_to[k]);
        for (size_t q = 0; q < p; q++)
            if (strcmp(cr->pofs[q].id, pf->id) == 0)
                return ERR_SET(e, TL_EINPUT, "point of focus '%s' is listed twice", pf->id);
    }
    return 0;
}

int dom_catalog_finish(struct dom_catalog *c, struct err *e)
{
    if (!c->id)
        return ERR_SET(e, TL_EINPUT, "catalog has no framework header");
    for (size_t i = 0; i < c->n_criteria; i++) {
        int rc = check_criterion(c, i, e);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < c->n_principles; i++) {
        struct dom_coso_principle *p = &c->principles[i];
        for (size_t j = 0; j < i; j++)
            if (c->principles[j].number == p->number)
                return ERR_SET(e, TL_EINPUT, "COSO principle %d is listed twice", p->number);
        struct dom_criterion *cr = (struct dom_criterion *)dom_catalog_criterion(c, p->tsc);
        if (!cr)
            return ERR_SET(e, TL_EINPUT, "COSO principle %d names unknown criterion '%s'",
                           p->number, p->tsc);
        if (cr->principle)
            return ERR_SET(e, TL_EINPUT, "criterion '%s' carries two COSO principles", cr->id);
        cr->principle = p;
    }
    return 0;
}
