/* yaml_import.c - the plan of an import and applying it (steps 3 and 4).
 *
 * The organization as stored is read through the app_* list functions and
 * compared with the tree, record by record, by natural key.  Each
 * difference becomes a step: what the plan shows, and the function that
 * makes the change through the app_* functions (which check the model's
 * rules and write the audit log).  Steps are kept in the order they are
 * applied: the organization, people (without managers, then managers),
 * scope, controls, risks, policies, vendors, applicability; then the
 * deletions in reverse order of dependency, people last.
 *
 * A few things cannot be changed by any app function: the text, approval
 * and acknowledgments of an existing policy version, the template of a
 * policy, the library control a control was adopted from.  A tree that asks
 * for such a change is refused in the plan, with the position in the file.
 */
#include "app/gap.h"
#include "app/yamlio_impl.h"

#include "base/sb.h"
#include "domain/program.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- what is stored ------------------------------------------------------------ */

struct have_policy {
    struct app_policy p;
    struct app_policy_version *versions;
    size_t n_versions;
    struct app_policy_ack **acks; /* per version: the acknowledged ones only */
    size_t *n_acks;
};

struct state {
    bool exists;
    struct app_org org;
    struct app_system system;
    struct app_scope_category *categories;
    size_t n_categories;
    struct app_scope scope;
    struct app_person *people;
    size_t n_people;
    struct app_control *controls;
    size_t n_controls;
    struct app_risk *risks;
    size_t n_risks;
    struct have_policy *policies;
    size_t n_policies;
    struct app_vendor *vendors;
    size_t n_vendors;
    struct app_applicability *na;
    size_t n_na;
};

/* --- steps ------------------------------------------------------------------------ */

struct run {
    struct app *app;
    struct arena *a;
    const char *org_id;
    const struct app_yaml_tree *t;
};

enum op { OP_CREATE, OP_UPDATE, OP_DELETE, OP_HIDDEN };

struct step {
    enum op op;
    const char *kind, *key, *fields;
    int (*apply)(struct run *r, const struct step *s, struct err *e);
    const void *want; /* the tree's record; NULL for a deletion */
    const void *have; /* the stored record; NULL for a creation */
    unsigned mask;    /* updates: the fields that change */
};

struct app_yaml_steps {
    const struct app_yaml_tree *t;
    struct step *items;
    size_t n, cap;
};

struct plan {
    struct app *app;
    struct arena *a;
    const struct app_yaml_tree *t;
    struct state *have;
    struct app_yaml_steps *steps;
    struct app_yaml_errors *errs;
};

static void add_step(struct plan *p, enum op op, const char *kind, const char *key,
                     int (*apply)(struct run *, const struct step *, struct err *),
                     const void *want, const void *have, unsigned mask)
{
    struct app_yaml_steps *s = p->steps;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct step *grown = arena_calloc(p->a, cap, sizeof(*grown));
        if (s->n)
            memcpy(grown, s->items, s->n * sizeof(*grown));
        s->items = grown;
        s->cap = cap;
    }
    s->items[s->n++] = (struct step){op, kind, key, NULL, apply, want, have, mask};
}

/* The names of the fields set in mask, ", "-joined. */
static const char *field_names(struct arena *a, const char *const *names, unsigned mask)
{
    struct sb sb = SB_INIT;
    for (unsigned i = 0; names[i]; i++)
        if (mask & (1u << i))
            sb_addf(&sb, "%s%s", sb.len ? ", " : "", names[i]);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static void plan_error(struct plan *p, const struct yml_node *at, const char *fmt, ...)
    TL_PRINTF(3, 4);

static void plan_error(struct plan *p, const struct yml_node *at, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    app_yaml__error(p->a, p->errs, at && at->path ? at->path : "", at, "%s", msg);
}

static bool same(const char *x, const char *y)
{
    return app_yaml__same(x, y);
}

/* "" for NULL: what a patch passes to clear a value. */
static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* --- reading what is stored ---------------------------------------------------------- */

static int read_policies(struct app *app, struct arena *a, struct state *h, struct err *e)
{
    struct app_policy *list;
    size_t n;
    int rc = app_policy_list(app, a, h->org.id, &list, &n, e);
    if (rc)
        return rc;
    h->policies = arena_calloc(a, n + 1, sizeof(*h->policies));
    h->n_policies = n;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct have_policy *hp = &h->policies[i];
        hp->p = list[i];
        rc = app_policy_versions(app, a, h->org.id, hp->p.slug, &hp->versions, &hp->n_versions, e);
        hp->acks = arena_calloc(a, hp->n_versions + 1, sizeof(*hp->acks));
        hp->n_acks = arena_calloc(a, hp->n_versions + 1, sizeof(size_t));
        for (size_t v = 0; rc == 0 && v < hp->n_versions; v++) {
            struct app_policy_ack *acks;
            size_t n_acks;
            rc = app_policy_acks(app, a, h->org.id, hp->p.slug, hp->versions[v].number, &acks,
                                 &n_acks, e);
            hp->acks[v] = acks;
            for (size_t k = 0; rc == 0 && k < n_acks; k++)
                if (acks[k].acked_on)
                    acks[hp->n_acks[v]++] = acks[k];
        }
    }
    return rc;
}

/* Reads the organization slug as stored; *h stays empty when there is none,
 * as a new organization starts (app_org_create: security in scope, the other
 * categories out until assessed). */
static int read_state(struct app *app, struct arena *a, const char *slug, struct state *h,
                      struct err *e)
{
    memset(h, 0, sizeof(*h));
    int rc = app_org_get(app, a, slug, &h->org, e);
    if (rc == TL_ENOTFOUND) {
        size_t n = 0;
        while (dom_categories[n])
            n++;
        h->categories = arena_calloc(a, n + 1, sizeof(*h->categories));
        for (size_t i = 0; i < n; i++)
            h->categories[i] =
                (struct app_scope_category){dom_categories[i], i == 0, i ? "not assessed yet" : ""};
        h->n_categories = n;
        h->system = (struct app_system){"", "", "", 0, "controller"};
        err_clear(e);
        return 0;
    }
    if (rc)
        return rc;
    h->exists = true;
    const char *id = h->org.id;
    rc = app_scope_get(app, a, id, &h->scope, e);
    if (rc == 0) {
        h->system = h->scope.system;
        h->categories = h->scope.categories;
        h->n_categories = h->scope.n_categories;
        rc = app_person_list(app, a, id, NULL, &h->people, &h->n_people, e);
    }
    if (rc == 0)
        rc = app_control_list(app, a, id, NULL, &h->controls, &h->n_controls, e);
    if (rc == 0)
        rc = app_risk_list(app, a, id, &h->risks, &h->n_risks, e);
    if (rc == 0)
        rc = read_policies(app, a, h, e);
    if (rc == 0)
        rc = app_vendor_list(app, a, id, NULL, &h->vendors, &h->n_vendors, e);
    if (rc == 0)
        rc = app_applicability_list(app, a, id, &h->na, &h->n_na, e);
    return rc;
}

/* --- the organization --------------------------------------------------------------- */

static const char *const org_fields[] = {"name",    "legal_name", "description", "industry",
                                         "country", "language",   NULL};

static unsigned org_diff(const struct app_org *w, const struct app_org *h)
{
    const char *wv[] = {w->name,     w->legal_name, w->description,
                        w->industry, w->country,    w->language};
    const char *hv[] = {h->name,     h->legal_name, h->description,
                        h->industry, h->country,    h->language};
    unsigned mask = 0;
    for (unsigned i = 0; i < 6; i++)
        if (!same(wv[i], hv[i]))
            mask |= 1u << i;
    return mask;
}

static int apply_org_create(struct run *r, const struct step *s, struct err *e)
{
    struct app_org out;
    int rc = app_org_create(r->app, r->a, s->want, &out, e);
    if (rc == 0)
        r->org_id = out.id;
    return rc;
}

static int apply_org_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_org *w = s->want;
    struct app_org patch = {0};
    const char **slots[] = {&patch.name,     &patch.legal_name, &patch.description,
                            &patch.industry, &patch.country,    &patch.language};
    const char *values[] = {w->name,     w->legal_name, w->description,
                            w->industry, w->country,    w->language};
    for (unsigned i = 0; i < 6; i++)
        if (s->mask & (1u << i))
            *slots[i] = or_empty(values[i]);
    return app_org_update(r->app, r->a, w->slug, &patch, e);
}

/* --- people ----------------------------------------------------------------------------- */

static const char *const person_fields[] = {
    "name", "title", "department", "manager", "start", "end", "control_owner", "approver", NULL};
#define PERSON_MANAGER (1u << 3)

static unsigned person_diff(const struct app_person *w, const struct app_person *h)
{
    unsigned mask = 0;
    const char *wv[] = {w->name, w->title, w->department, w->manager, w->start_date, w->end_date};
    const char *hv[] = {h->name, h->title, h->department, h->manager, h->start_date, h->end_date};
    for (unsigned i = 0; i < 6; i++)
        if (!same(wv[i], hv[i]))
            mask |= 1u << i;
    if ((w->is_control_owner > 0) != (h->is_control_owner > 0))
        mask |= 1u << 6;
    if ((w->is_approver > 0) != (h->is_approver > 0))
        mask |= 1u << 7;
    return mask;
}

static int apply_person_create(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__person *w = s->want;
    struct app_person in = w->p;
    in.manager = NULL; /* set once everyone exists */
    return app_person_create(r->app, r->a, r->org_id, &in, NULL, e);
}

/* Everything but a new manager, which comes once everyone exists; a manager
 * who changes is cleared here, so that setting the new ones cannot close a
 * circle of reporting lines on the way. */
static int apply_person_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__person *w = s->want;
    const struct app_person *h = s->have;
    if (!(s->mask & ~PERSON_MANAGER) && !(h->manager && *h->manager))
        return 0;
    struct app_person patch = APP_PERSON_PATCH;
    patch.name = w->p.name;
    patch.title = or_empty(w->p.title);
    patch.department = or_empty(w->p.department);
    patch.start_date = or_empty(w->p.start_date);
    patch.end_date = or_empty(w->p.end_date);
    patch.is_control_owner = w->p.is_control_owner > 0;
    patch.is_approver = w->p.is_approver > 0;
    if (s->mask & PERSON_MANAGER)
        patch.manager = "";
    return app_person_update(r->app, r->a, r->org_id, w->p.email, &patch, e);
}

static int apply_person_manager(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__person *w = s->want;
    struct app_person patch = APP_PERSON_PATCH;
    patch.manager = w->p.manager;
    return app_person_update(r->app, r->a, r->org_id, w->p.email, &patch, e);
}

static int apply_person_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_person_delete(r->app, r->a, r->org_id, s->key, e);
}

static const struct app_person *have_person(const struct state *h, const char *email)
{
    for (size_t i = 0; i < h->n_people; i++)
        if (strcmp(h->people[i].email, email) == 0)
            return &h->people[i];
    return NULL;
}

static void plan_people(struct plan *p)
{
    const struct app_yaml_tree *t = p->t;
    for (size_t i = 0; i < t->n_people; i++) {
        const struct app_yaml__person *w = &t->people[i];
        const struct app_person *h = have_person(p->have, w->p.email);
        unsigned mask = h ? person_diff(&w->p, h) : 0;
        if (!h)
            add_step(p, OP_CREATE, "person", w->p.email, apply_person_create, w, NULL, 0);
        else if (mask)
            add_step(p, OP_UPDATE, "person", w->p.email, apply_person_update, w, h, mask);
    }
    for (size_t i = 0; i < t->n_people; i++) {
        const struct app_yaml__person *w = &t->people[i];
        const struct app_person *h = have_person(p->have, w->p.email);
        if (w->p.manager && (!h || !same(w->p.manager, h->manager)))
            add_step(p, OP_HIDDEN, "person", w->p.email, apply_person_manager, w, h, 0);
    }
}

/* --- scope ------------------------------------------------------------------------------- */

static const char *const system_fields[] = {"name", "boundaries", "commitments", "privacy_role",
                                            NULL};

static int apply_system(struct run *r, const struct step *s, struct err *e)
{
    const struct app_system *w = s->want;
    struct app_system patch = {0};
    if (s->mask & 1u)
        patch.name = or_empty(w->name);
    if (s->mask & 2u)
        patch.boundaries = or_empty(w->boundaries);
    if (s->mask & 4u)
        patch.commitments = or_empty(w->commitments);
    if (s->mask & 8u)
        patch.privacy_role = w->privacy_role;
    return app_system_update(r->app, r->a, r->org_id, &patch, e);
}

static const char *const category_fields[] = {"in_scope", "reason", NULL};

/* Reads the category again: a new organization's defaults are the app's. */
static int apply_category(struct run *r, const struct step *s, struct err *e)
{
    const struct app_scope_category *w = s->want;
    struct app_scope_category cur;
    int rc = app_scope_category_get(r->app, r->a, r->org_id, w->category, &cur, e);
    if (rc || (cur.in_scope == w->in_scope && same(cur.reason, w->reason)))
        return rc;
    return app_scope_category_set(r->app, r->a, r->org_id, w, e);
}

static const char *const service_fields[] = {"description", NULL};

static int apply_service_create(struct run *r, const struct step *s, struct err *e)
{
    return app_service_create(r->app, r->a, r->org_id, s->want, e);
}

static int apply_service_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_service *w = s->want;
    struct app_service patch = {.description = or_empty(w->description)};
    return app_service_update(r->app, r->a, r->org_id, w->name, &patch, e);
}

static int apply_service_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_service_delete(r->app, r->a, r->org_id, s->key, e);
}

static const char *const component_fields[] = {"description", "in_scope", "reason", NULL};

static int apply_component_create(struct run *r, const struct step *s, struct err *e)
{
    return app_component_create(r->app, r->a, r->org_id, s->want, e);
}

static int apply_component_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_component *w = s->want;
    struct app_component_patch patch = {0};
    if (s->mask & 1u)
        patch.description = or_empty(w->description);
    if (s->mask & 2u)
        patch.scope = w->in_scope ? APP_SCOPE_IN : APP_SCOPE_OUT;
    if (!w->in_scope && (s->mask & 4u))
        patch.reason = w->reason;
    return app_component_update(r->app, r->a, r->org_id, w->kind, w->name, &patch, e);
}

static int apply_component_delete(struct run *r, const struct step *s, struct err *e)
{
    const struct app_component *h = s->have;
    return app_component_delete(r->app, r->a, r->org_id, h->kind, h->name, e);
}

static const char *const subservice_fields[] = {"name", "method", "services", "csocs", NULL};

/* A CSOC as stored, paired or not with one of the tree. */
struct csoc_pair {
    const struct app_csoc *have;
    const struct app_yaml__csoc *want;
};

/* Pairs the tree's CSOCs of a subservice organization with the stored ones:
 * first identical ones, then same text (criteria to update).  Unpaired
 * stored ones are to be deleted, unpaired tree ones created.  Returns
 * whether anything changes. */
static bool pair_csocs(struct arena *a, const struct app_scope *scope, const char *slug,
                       const struct app_yaml__subservice *w, struct csoc_pair **out, size_t *n,
                       bool **want_paired)
{
    *out = arena_calloc(a, scope->n_csocs + 1, sizeof(**out));
    *n = 0;
    *want_paired = arena_calloc(a, w->n_csocs + 1, sizeof(bool));
    for (size_t i = 0; i < scope->n_csocs; i++)
        if (strcmp(scope->csocs[i].subservice, slug) == 0)
            (*out)[(*n)++].have = &scope->csocs[i];
    bool changes = false;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < w->n_csocs; k++) {
            for (size_t i = 0; i < *n && !(*want_paired)[k]; i++) {
                struct csoc_pair *cp = &(*out)[i];
                if (cp->want || strcmp(cp->have->text, w->csocs[k].text) != 0 ||
                    (pass == 0 && strcmp(cp->have->criteria, w->csocs[k].criteria) != 0))
                    continue;
                cp->want = &w->csocs[k];
                (*want_paired)[k] = true;
                changes |= pass == 1;
            }
        }
    }
    for (size_t i = 0; i < *n; i++)
        changes |= !(*out)[i].want;
    for (size_t k = 0; k < w->n_csocs; k++)
        changes |= !(*want_paired)[k];
    return changes;
}

static int create_csocs(struct run *r, const struct app_yaml__subservice *w, const bool *skip,
                        struct err *e)
{
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < w->n_csocs; k++) {
        if (skip && skip[k])
            continue;
        struct app_csoc in = {
            .subservice = w->s.slug, .text = w->csocs[k].text, .criteria = w->csocs[k].criteria};
        rc = app_csoc_create(r->app, r->a, r->org_id, &in, NULL, e);
    }
    return rc;
}

static int apply_subservice_create(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__subservice *w = s->want;
    int rc = app_subservice_create(r->app, r->a, r->org_id, &w->s, e);
    return rc ? rc : create_csocs(r, w, NULL, e);
}

/* The stored scope, for the CSOCs of an update (the plan reads it once). */
struct subservice_have {
    const struct app_subservice *s;
    const struct app_scope *scope;
};

static int apply_subservice_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__subservice *w = s->want;
    const struct subservice_have *h = s->have;
    int rc = 0;
    if (s->mask & 7u) {
        struct app_subservice patch = {0};
        if (s->mask & 1u)
            patch.name = w->s.name;
        if (s->mask & 2u)
            patch.method = w->s.method;
        if (s->mask & 4u)
            patch.services = or_empty(w->s.services);
        rc = app_subservice_update(r->app, r->a, r->org_id, w->s.slug, &patch, e);
    }
    if (rc || !(s->mask & 8u))
        return rc;
    struct csoc_pair *pairs;
    size_t n;
    bool *paired;
    pair_csocs(r->a, h->scope, w->s.slug, w, &pairs, &n, &paired);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!pairs[i].want)
            rc = app_csoc_delete(r->app, r->a, r->org_id, pairs[i].have->id, e);
        else if (strcmp(pairs[i].want->criteria, pairs[i].have->criteria) != 0) {
            struct app_csoc patch = {.criteria = pairs[i].want->criteria};
            rc = app_csoc_update(r->app, r->a, r->org_id, pairs[i].have->id, &patch, e);
        }
    }
    return rc ? rc : create_csocs(r, w, paired, e);
}

static int apply_subservice_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_subservice_delete(r->app, r->a, r->org_id, s->key, e);
}

static const char *const cuec_fields[] = {"text", "criteria", NULL};

static int apply_cuec_create(struct run *r, const struct step *s, struct err *e)
{
    return app_cuec_create(r->app, r->a, r->org_id, s->want, e);
}

static int apply_cuec_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_cuec *w = s->want;
    struct app_cuec patch = {0};
    if (s->mask & 1u)
        patch.text = w->text;
    if (s->mask & 2u)
        patch.criteria = or_empty(w->criteria);
    return app_cuec_update(r->app, r->a, r->org_id, w->code, &patch, e);
}

static int apply_cuec_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_cuec_delete(r->app, r->a, r->org_id, s->key, e);
}

static void plan_system(struct plan *p)
{
    const struct app_system *w = &p->t->system, *h = &p->have->system;
    unsigned mask = (same(w->name, h->name) ? 0u : 1u) |
                    (same(w->boundaries, h->boundaries) ? 0u : 2u) |
                    (same(w->commitments, h->commitments) ? 0u : 4u) |
                    (same(w->privacy_role, h->privacy_role) ? 0u : 8u);
    if (mask)
        add_step(p, OP_UPDATE, "system", "system", apply_system, w, h, mask);
    for (size_t i = 0; i < p->t->n_categories; i++) {
        const struct app_scope_category *wc = &p->t->categories[i], *hc = NULL;
        for (size_t k = 0; k < p->have->n_categories && !hc; k++)
            if (strcmp(p->have->categories[k].category, wc->category) == 0)
                hc = &p->have->categories[k];
        unsigned m = !hc ? 3u
                         : (hc->in_scope == wc->in_scope ? 0u : 1u) |
                               (same(hc->reason, wc->reason) ? 0u : 2u);
        if (m)
            add_step(p, OP_UPDATE, "category", wc->category, apply_category, wc, hc, m);
    }
}

static void plan_services(struct plan *p, bool deleting)
{
    const struct app_scope *hs = &p->have->scope;
    for (size_t i = 0; !deleting && i < p->t->n_services; i++) {
        const struct app_service *w = &p->t->services[i], *h = NULL;
        for (size_t k = 0; k < hs->n_services && !h; k++)
            if (strcmp(hs->services[k].name, w->name) == 0)
                h = &hs->services[k];
        if (!h)
            add_step(p, OP_CREATE, "service", w->name, apply_service_create, w, NULL, 0);
        else if (!same(h->description, w->description))
            add_step(p, OP_UPDATE, "service", w->name, apply_service_update, w, h, 1u);
    }
    for (size_t k = 0; deleting && k < hs->n_services; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_services && !kept; i++)
            kept = strcmp(hs->services[k].name, p->t->services[i].name) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "service", hs->services[k].name, apply_service_delete, NULL,
                     &hs->services[k], 0);
    }
}

static void plan_components(struct plan *p, bool deleting)
{
    const struct app_scope *hs = &p->have->scope;
    for (size_t i = 0; !deleting && i < p->t->n_components; i++) {
        const struct app_component *w = &p->t->components[i], *h = NULL;
        for (size_t k = 0; k < hs->n_components && !h; k++)
            if (strcmp(hs->components[k].kind, w->kind) == 0 &&
                strcmp(hs->components[k].name, w->name) == 0)
                h = &hs->components[k];
        const char *key = arena_printf(p->a, "%s/%s", w->kind, w->name);
        unsigned m = !h ? 0
                        : (same(h->description, w->description) ? 0u : 1u) |
                              (h->in_scope == w->in_scope ? 0u : 2u) |
                              (same(h->reason, w->reason) ? 0u : 4u);
        if (!h)
            add_step(p, OP_CREATE, "component", key, apply_component_create, w, NULL, 0);
        else if (m)
            add_step(p, OP_UPDATE, "component", key, apply_component_update, w, h, m);
    }
    for (size_t k = 0; deleting && k < hs->n_components; k++) {
        const struct app_component *h = &hs->components[k];
        bool kept = false;
        for (size_t i = 0; i < p->t->n_components && !kept; i++)
            kept = strcmp(h->kind, p->t->components[i].kind) == 0 &&
                   strcmp(h->name, p->t->components[i].name) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "component", arena_printf(p->a, "%s/%s", h->kind, h->name),
                     apply_component_delete, NULL, h, 0);
    }
}

static void plan_subservices(struct plan *p, bool deleting)
{
    const struct app_scope *hs = &p->have->scope;
    for (size_t i = 0; !deleting && i < p->t->n_subservices; i++) {
        const struct app_yaml__subservice *w = &p->t->subservices[i];
        const struct app_subservice *h = NULL;
        for (size_t k = 0; k < hs->n_subservices && !h; k++)
            if (strcmp(hs->subservices[k].slug, w->s.slug) == 0)
                h = &hs->subservices[k];
        if (!h) {
            add_step(p, OP_CREATE, "subservice", w->s.slug, apply_subservice_create, w, NULL, 0);
            continue;
        }
        struct csoc_pair *pairs;
        size_t n;
        bool *paired;
        unsigned m = (same(h->name, w->s.name) ? 0u : 1u) |
                     (same(h->method, w->s.method) ? 0u : 2u) |
                     (same(h->services, w->s.services) ? 0u : 4u) |
                     (pair_csocs(p->a, hs, w->s.slug, w, &pairs, &n, &paired) ? 8u : 0u);
        struct subservice_have *sh = arena_calloc(p->a, 1, sizeof(*sh));
        *sh = (struct subservice_have){h, hs};
        if (m)
            add_step(p, OP_UPDATE, "subservice", w->s.slug, apply_subservice_update, w, sh, m);
    }
    for (size_t k = 0; deleting && k < hs->n_subservices; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_subservices && !kept; i++)
            kept = strcmp(hs->subservices[k].slug, p->t->subservices[i].s.slug) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "subservice", hs->subservices[k].slug, apply_subservice_delete,
                     NULL, &hs->subservices[k], 0);
    }
}

static void plan_cuecs(struct plan *p, bool deleting)
{
    const struct app_scope *hs = &p->have->scope;
    for (size_t i = 0; !deleting && i < p->t->n_cuecs; i++) {
        const struct app_cuec *w = &p->t->cuecs[i], *h = NULL;
        for (size_t k = 0; k < hs->n_cuecs && !h; k++)
            if (strcmp(hs->cuecs[k].code, w->code) == 0)
                h = &hs->cuecs[k];
        unsigned m =
            !h ? 0
               : (same(h->text, w->text) ? 0u : 1u) | (same(h->criteria, w->criteria) ? 0u : 2u);
        if (!h)
            add_step(p, OP_CREATE, "cuec", w->code, apply_cuec_create, w, NULL, 0);
        else if (m)
            add_step(p, OP_UPDATE, "cuec", w->code, apply_cuec_update, w, h, m);
    }
    for (size_t k = 0; deleting && k < hs->n_cuecs; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_cuecs && !kept; i++)
            kept = strcmp(hs->cuecs[k].code, p->t->cuecs[i].code) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "cuec", hs->cuecs[k].code, apply_cuec_delete, NULL,
                     &hs->cuecs[k], 0);
    }
}

/* --- controls ---------------------------------------------------------------------------- */

static const char *const control_fields[] = {"title",    "description", "owner", "frequency",
                                             "nature",   "type",        "key",   "status",
                                             "evidence", "criteria",    NULL};

static bool same_criteria(const struct app_control *w, const struct app_control *h)
{
    if (w->n_criteria != h->n_criteria)
        return false;
    for (size_t i = 0; i < w->n_criteria; i++)
        if (strcmp(w->criteria[i].criterion, h->criteria[i].criterion) != 0 ||
            !same(w->criteria[i].pofs, h->criteria[i].pofs))
            return false;
    return true;
}

static unsigned control_diff(const struct app_control *w, const struct app_control *h)
{
    const char *wv[] = {w->title, w->description, w->owner, w->frequency, w->nature, w->type};
    const char *hv[] = {h->title, h->description, h->owner, h->frequency, h->nature, h->type};
    unsigned mask = 0;
    for (unsigned i = 0; i < 6; i++)
        if (!same(wv[i], hv[i]))
            mask |= 1u << i;
    if ((w->key == 1) != (h->key == 1))
        mask |= 1u << 6;
    if (!same(w->status, h->status))
        mask |= 1u << 7;
    if (!same(w->evidence, h->evidence))
        mask |= 1u << 8;
    if (!same_criteria(w, h))
        mask |= 1u << 9;
    return mask;
}

static int apply_control_create(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__control *w = s->want;
    return app_control_create(r->app, r->a, r->org_id, &w->c, e);
}

static int apply_control_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_control *w = &((const struct app_yaml__control *)s->want)->c;
    struct app_control patch = APP_CONTROL_PATCH;
    unsigned m = s->mask;
    patch.title = m & 1u ? w->title : NULL;
    patch.description = m & 2u ? or_empty(w->description) : NULL;
    patch.owner = m & 4u ? or_empty(w->owner) : NULL;
    patch.frequency = m & 8u ? w->frequency : NULL;
    patch.nature = m & 16u ? w->nature : NULL;
    patch.type = m & 32u ? w->type : NULL;
    patch.key = m & 64u ? w->key : -1;
    patch.status = m & 128u ? w->status : NULL;
    patch.evidence = m & 256u ? or_empty(w->evidence) : NULL;
    if (m & 512u) {
        patch.criteria = w->criteria;
        patch.n_criteria = w->n_criteria;
    }
    return app_control_update(r->app, r->a, r->org_id, w->code, &patch, e);
}

static int apply_control_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_control_delete(r->app, r->a, r->org_id, s->key, e);
}

static void plan_controls(struct plan *p, bool deleting)
{
    const struct state *h = p->have;
    for (size_t i = 0; !deleting && i < p->t->n_controls; i++) {
        const struct app_yaml__control *w = &p->t->controls[i];
        const struct app_control *hc = NULL;
        for (size_t k = 0; k < h->n_controls && !hc; k++)
            if (strcmp(h->controls[k].code, w->c.code) == 0)
                hc = &h->controls[k];
        if (!hc) {
            add_step(p, OP_CREATE, "control", w->c.code, apply_control_create, w, NULL, 0);
            continue;
        }
        if (!same(hc->library_code, w->c.library_code)) {
            plan_error(p, w->library_at ? w->library_at : w->node,
                       "the library control a control was adopted from cannot be changed "
                       "(control '%s' has library_code %s%s%s in the database)",
                       w->c.code, hc->library_code ? "'" : "",
                       hc->library_code ? hc->library_code : "null", hc->library_code ? "'" : "");
            continue;
        }
        unsigned m = control_diff(&w->c, hc);
        if (m)
            add_step(p, OP_UPDATE, "control", w->c.code, apply_control_update, w, hc, m);
    }
    for (size_t k = 0; deleting && k < h->n_controls; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_controls && !kept; i++)
            kept = strcmp(h->controls[k].code, p->t->controls[i].c.code) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "control", h->controls[k].code, apply_control_delete, NULL,
                     &h->controls[k], 0);
    }
}

/* --- risks -------------------------------------------------------------------------------- */

static const char *const risk_fields[] = {"title",
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

static bool same_list(const char *const *x, size_t nx, const char *const *y, size_t ny)
{
    if (nx != ny)
        return false;
    for (size_t i = 0; i < nx; i++)
        if (strcmp(x[i], y[i]) != 0)
            return false;
    return true;
}

static unsigned risk_diff(const struct app_risk *w, const struct app_risk *h)
{
    unsigned mask = 0;
    mask |= same(w->title, h->title) ? 0u : 1u << 0;
    mask |= same(w->description, h->description) ? 0u : 1u << 1;
    mask |= same(w->category, h->category) ? 0u : 1u << 2;
    mask |= w->likelihood == h->likelihood ? 0u : 1u << 3;
    mask |= w->impact == h->impact ? 0u : 1u << 4;
    mask |= same(w->treatment, h->treatment) ? 0u : 1u << 5;
    mask |= w->residual_likelihood == h->residual_likelihood ? 0u : 1u << 6;
    mask |= w->residual_impact == h->residual_impact ? 0u : 1u << 7;
    mask |= (w->is_fraud > 0) == (h->is_fraud > 0) ? 0u : 1u << 8;
    mask |= same(w->owner, h->owner) ? 0u : 1u << 9;
    mask |= same(w->next_review, h->next_review) ? 0u : 1u << 10;
    mask |= same_list(w->controls, w->n_controls, h->controls, h->n_controls) ? 0u : 1u << 11;
    return mask;
}

static int apply_risk_create(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__risk *w = s->want;
    return app_risk_create(r->app, r->a, r->org_id, &w->r, e);
}

/* APP_RISK_CLEAR for a value the tree takes away, else the value. */
static int risk_int(int want)
{
    return want ? want : APP_RISK_CLEAR;
}

static int apply_risk_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_risk *w = &((const struct app_yaml__risk *)s->want)->r;
    struct app_risk patch = {0};
    unsigned m = s->mask;
    patch.title = m & (1u << 0) ? w->title : NULL;
    patch.description = m & (1u << 1) ? or_empty(w->description) : NULL;
    patch.category = m & (1u << 2) ? or_empty(w->category) : NULL;
    patch.likelihood = m & (1u << 3) ? w->likelihood : 0;
    patch.impact = m & (1u << 4) ? w->impact : 0;
    patch.treatment = m & (1u << 5) ? w->treatment : NULL;
    patch.residual_likelihood = m & (1u << 6) ? risk_int(w->residual_likelihood) : 0;
    patch.residual_impact = m & (1u << 7) ? risk_int(w->residual_impact) : 0;
    patch.is_fraud = m & (1u << 8) ? risk_int(w->is_fraud > 0) : 0;
    patch.owner = m & (1u << 9) ? or_empty(w->owner) : NULL;
    patch.next_review = m & (1u << 10) ? or_empty(w->next_review) : NULL;
    if (m & (1u << 11)) {
        patch.controls = w->controls;
        patch.n_controls = w->n_controls;
    }
    return app_risk_update(r->app, r->a, r->org_id, w->code, &patch, e);
}

static int apply_risk_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_risk_delete(r->app, r->a, r->org_id, s->key, e);
}

static void plan_risks(struct plan *p, bool deleting)
{
    const struct state *h = p->have;
    for (size_t i = 0; !deleting && i < p->t->n_risks; i++) {
        const struct app_yaml__risk *w = &p->t->risks[i];
        const struct app_risk *hr = NULL;
        for (size_t k = 0; k < h->n_risks && !hr; k++)
            if (strcmp(h->risks[k].code, w->r.code) == 0)
                hr = &h->risks[k];
        unsigned m = hr ? risk_diff(&w->r, hr) : 0;
        if (!hr)
            add_step(p, OP_CREATE, "risk", w->r.code, apply_risk_create, w, NULL, 0);
        else if (m)
            add_step(p, OP_UPDATE, "risk", w->r.code, apply_risk_update, w, hr, m);
    }
    for (size_t k = 0; deleting && k < h->n_risks; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_risks && !kept; i++)
            kept = strcmp(h->risks[k].code, p->t->risks[i].r.code) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "risk", h->risks[k].code, apply_risk_delete, NULL, &h->risks[k],
                     0);
    }
}

/* --- policies ------------------------------------------------------------------------------ */

static const char *const policy_fields[] = {"title",     "owner", "review", "versions",
                                            "approvals", "acks",  NULL};
#define POLICY_META 7u
#define POLICY_VERSIONS (1u << 3)
#define POLICY_APPROVALS (1u << 4)
#define POLICY_ACKS (1u << 5)

static const struct app_policy_ack *have_ack(const struct have_policy *hp, size_t v,
                                             const char *email)
{
    for (size_t k = 0; hp && v < hp->n_versions && k < hp->n_acks[v]; k++)
        if (strcmp(hp->acks[v][k].email, email) == 0)
            return &hp->acks[v][k];
    return NULL;
}

/* Approves version v of the tree's policy; a person whom the tree no
 * longer marks as an approver approved it while they were one, and is made
 * one again for as long as it takes to record that. */
static int approve(struct run *r, const struct app_yaml__policy *w,
                   const struct app_yaml__version *v, struct err *e)
{
    struct app_person by;
    int64_t number = v->number;
    int rc = app_person_get(r->app, r->a, r->org_id, v->approved_by, &by, e);
    struct app_person grant = APP_PERSON_PATCH, revoke = APP_PERSON_PATCH;
    grant.is_approver = 1;
    revoke.is_approver = 0;
    bool lend = rc == 0 && !by.is_approver;
    if (lend)
        rc = app_person_update(r->app, r->a, r->org_id, by.email, &grant, e);
    if (rc == 0)
        rc = app_policy_approve(r->app, r->a, r->org_id, w->p.slug, &number, v->approved_by,
                                v->approved_on, e);
    if (rc == 0 && lend)
        rc = app_person_update(r->app, r->a, r->org_id, by.email, &revoke, e);
    return rc;
}

/* Records the tree's acknowledgments of version v not stored yet, one call
 * per date, oldest first. */
static int acknowledge(struct run *r, const struct app_yaml__policy *w,
                       const struct app_yaml__version *v, const struct have_policy *hp,
                       struct err *e)
{
    size_t vi = (size_t)v->number - 1, n = 0;
    const char **emails = arena_calloc(r->a, v->n_acks + 1, sizeof(char *));
    bool *done = arena_calloc(r->a, v->n_acks + 1, sizeof(bool));
    for (size_t k = 0; k < v->n_acks; k++)
        done[k] = have_ack(hp, vi, v->acks[k].person) != NULL;
    for (;;) {
        const char *day = NULL;
        for (size_t k = 0; k < v->n_acks; k++)
            if (!done[k] && (!day || strcmp(v->acks[k].on, day) < 0))
                day = v->acks[k].on;
        if (!day)
            return 0;
        n = 0;
        for (size_t k = 0; k < v->n_acks; k++) {
            if (!done[k] && strcmp(v->acks[k].on, day) == 0) {
                emails[n++] = v->acks[k].person;
                done[k] = true;
            }
        }
        int64_t number = v->number;
        int rc = app_policy_ack(r->app, r->a, r->org_id, w->p.slug, &number, emails, n, day, e);
        if (rc)
            return rc;
    }
}

/* New versions, approvals and acknowledgments of w (hp: what is stored, or NULL). */
static int add_versions(struct run *r, const struct app_yaml__policy *w,
                        const struct have_policy *hp, struct err *e)
{
    size_t stored = hp ? hp->n_versions : 1;
    int rc = 0;
    for (size_t i = stored; rc == 0 && i < w->n_versions; i++) {
        struct app_policy patch = {.body = w->versions[i].text};
        int64_t number = 0;
        bool changed;
        rc = app_policy_update(r->app, r->a, r->org_id, w->p.slug, &patch, &number, &changed, e);
        if (rc == 0 && number != w->versions[i].number)
            rc = ERR_SET(e, TL_EINTERNAL, "policy '%s': version %lld was stored as %lld", w->p.slug,
                         (long long)w->versions[i].number, (long long)number);
    }
    for (size_t i = 0; rc == 0 && i < w->n_versions; i++) {
        const struct app_yaml__version *v = &w->versions[i];
        bool approved = hp && i < hp->n_versions && hp->versions[i].approved_on;
        if (v->approved_on && !approved)
            rc = approve(r, w, v, e);
        if (rc == 0)
            rc = acknowledge(r, w, v, hp, e);
    }
    return rc;
}

static int apply_policy_create(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__policy *w = s->want;
    struct app_policy in = w->p;
    in.body = w->versions[0].text;
    int rc = app_policy_create(r->app, r->a, r->org_id, &in, e);
    return rc ? rc : add_versions(r, w, NULL, e);
}

static int apply_policy_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__policy *w = s->want;
    int rc = 0;
    if (s->mask & POLICY_META) {
        struct app_policy patch = {0};
        int64_t number;
        bool changed;
        patch.title = s->mask & 1u ? w->p.title : NULL;
        patch.owner = s->mask & 2u ? or_empty(w->p.owner) : NULL;
        patch.review = s->mask & 4u ? w->p.review : NULL;
        rc = app_policy_update(r->app, r->a, r->org_id, w->p.slug, &patch, &number, &changed, e);
    }
    return rc ? rc : add_versions(r, w, s->have, e);
}

static int apply_policy_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_policy_delete(r->app, r->a, r->org_id, s->key, e);
}

/* What the tree asks of a stored version: *mask gets the additions, and
 * what cannot change is reported. */
static void diff_version(struct plan *p, const struct app_yaml__policy *w, size_t i,
                         const struct have_policy *hp, unsigned *mask)
{
    const struct app_yaml__version *v = &w->versions[i];
    const struct app_policy_version *hv = &hp->versions[i];
    if (!same(v->body, hv->body))
        plan_error(p, v->file_at ? v->file_at : v->node,
                   "policy versions cannot be changed: the text of version %zu of policy '%s' "
                   "differs from the one stored (add a version instead)",
                   i + 1, w->p.slug);
    if (hv->approved_on &&
        (!same(v->approved_by, hv->approved_by) || !same(v->approved_on, hv->approved_on)))
        plan_error(p, v->approval_at ? v->approval_at : v->node,
                   "the approval of version %zu of policy '%s' cannot be changed (approved by %s "
                   "on %s)",
                   i + 1, w->p.slug, hv->approved_by ? hv->approved_by : "?", hv->approved_on);
    else if (!hv->approved_on && v->approved_on)
        *mask |= POLICY_APPROVALS;
    for (size_t k = 0; k < hp->n_acks[i]; k++) {
        const struct app_policy_ack *ha = &hp->acks[i][k];
        const struct app_yaml__ack *wa = NULL;
        for (size_t j = 0; j < v->n_acks && !wa; j++)
            if (strcmp(v->acks[j].person, ha->email) == 0)
                wa = &v->acks[j];
        if (!wa || !same(wa->on, ha->acked_on))
            plan_error(p, wa ? wa->node : v->node,
                       "acknowledgments cannot be changed: '%s' acknowledged version %zu of "
                       "policy '%s' on %s",
                       ha->email, i + 1, w->p.slug, ha->acked_on);
    }
    for (size_t j = 0; j < v->n_acks; j++)
        if (!have_ack(hp, i, v->acks[j].person))
            *mask |= POLICY_ACKS;
}

static unsigned diff_policy(struct plan *p, const struct app_yaml__policy *w,
                            const struct have_policy *hp)
{
    unsigned mask = (same(w->p.title, hp->p.title) ? 0u : 1u) |
                    (same(w->p.owner, hp->p.owner) ? 0u : 2u) |
                    (same(w->p.review, hp->p.review) ? 0u : 4u);
    if (!same(w->p.template, hp->p.template))
        plan_error(p, w->template_at ? w->template_at : w->node,
                   "the template of policy '%s' cannot be changed (it is %s%s%s in the database)",
                   w->p.slug, hp->p.template ? "'" : "", hp->p.template ? hp->p.template : "null",
                   hp->p.template ? "'" : "");
    if (w->n_versions < hp->n_versions)
        plan_error(p, yml_get(w->node, "versions"),
                   "policy versions cannot be removed: policy '%s' has %zu versions in the "
                   "database",
                   w->p.slug, hp->n_versions);
    for (size_t i = 0; i < w->n_versions && i < hp->n_versions; i++)
        diff_version(p, w, i, hp, &mask);
    for (size_t i = hp->n_versions; i < w->n_versions; i++) {
        mask |= POLICY_VERSIONS;
        if (w->versions[i].approved_on)
            mask |= POLICY_APPROVALS;
        if (w->versions[i].n_acks)
            mask |= POLICY_ACKS;
    }
    return mask;
}

static void plan_policies(struct plan *p, bool deleting)
{
    const struct state *h = p->have;
    for (size_t i = 0; !deleting && i < p->t->n_policies; i++) {
        const struct app_yaml__policy *w = &p->t->policies[i];
        const struct have_policy *hp = NULL;
        for (size_t k = 0; k < h->n_policies && !hp; k++)
            if (strcmp(h->policies[k].p.slug, w->p.slug) == 0)
                hp = &h->policies[k];
        unsigned m = hp ? diff_policy(p, w, hp) : 0;
        if (!hp)
            add_step(p, OP_CREATE, "policy", w->p.slug, apply_policy_create, w, NULL, 0);
        else if (m)
            add_step(p, OP_UPDATE, "policy", w->p.slug, apply_policy_update, w, hp, m);
    }
    for (size_t k = 0; deleting && k < h->n_policies; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_policies && !kept; i++)
            kept = strcmp(h->policies[k].p.slug, p->t->policies[i].p.slug) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "policy", h->policies[k].p.slug, apply_policy_delete, NULL,
                     &h->policies[k], 0);
    }
}

/* --- vendors -------------------------------------------------------------------------------- */

static const char *const vendor_fields[] = {"name",        "service",    "criticality",
                                            "data_shared", "soc_report", "soc_period_end",
                                            "subservice",  NULL};

static unsigned vendor_diff(const struct app_vendor *w, const struct app_vendor *h)
{
    unsigned mask = 0;
    mask |= same(w->name, h->name) ? 0u : 1u << 0;
    mask |= same(w->service, h->service) ? 0u : 1u << 1;
    mask |= same(w->criticality, h->criticality) ? 0u : 1u << 2;
    mask |= same(w->data_shared, h->data_shared) ? 0u : 1u << 3;
    mask |= (w->soc_report > 0) == (h->soc_report > 0) ? 0u : 1u << 4;
    mask |= same(w->soc_period_end, h->soc_period_end) ? 0u : 1u << 5;
    mask |= same(w->subservice, h->subservice) ? 0u : 1u << 6;
    return mask;
}

static int apply_vendor_create(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__vendor *w = s->want;
    return app_vendor_create(r->app, r->a, r->org_id, &w->v, NULL, e);
}

static int apply_vendor_update(struct run *r, const struct step *s, struct err *e)
{
    const struct app_vendor *w = &((const struct app_yaml__vendor *)s->want)->v;
    struct app_vendor patch = APP_VENDOR_PATCH;
    patch.name = w->name;
    patch.service = or_empty(w->service);
    patch.criticality = w->criticality;
    patch.data_shared = or_empty(w->data_shared);
    patch.soc_report = w->soc_report > 0;
    patch.soc_period_end = or_empty(w->soc_period_end);
    patch.subservice = or_empty(w->subservice);
    return app_vendor_update(r->app, r->a, r->org_id, w->slug, &patch, e);
}

static int apply_vendor_delete(struct run *r, const struct step *s, struct err *e)
{
    return app_vendor_delete(r->app, r->a, r->org_id, s->key, e);
}

static void plan_vendors(struct plan *p, bool deleting)
{
    const struct state *h = p->have;
    for (size_t i = 0; !deleting && i < p->t->n_vendors; i++) {
        const struct app_yaml__vendor *w = &p->t->vendors[i];
        const struct app_vendor *hv = NULL;
        for (size_t k = 0; k < h->n_vendors && !hv; k++)
            if (strcmp(h->vendors[k].slug, w->v.slug) == 0)
                hv = &h->vendors[k];
        unsigned m = hv ? vendor_diff(&w->v, hv) : 0;
        if (!hv)
            add_step(p, OP_CREATE, "vendor", w->v.slug, apply_vendor_create, w, NULL, 0);
        else if (m)
            add_step(p, OP_UPDATE, "vendor", w->v.slug, apply_vendor_update, w, hv, m);
    }
    for (size_t k = 0; deleting && k < h->n_vendors; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_vendors && !kept; i++)
            kept = strcmp(h->vendors[k].slug, p->t->vendors[i].v.slug) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "vendor", h->vendors[k].slug, apply_vendor_delete, NULL,
                     &h->vendors[k], 0);
    }
}

/* --- applicability -----------------------------------------------------------------------------
 */

static const char *const na_fields[] = {"justification", NULL};

static int apply_na_set(struct run *r, const struct step *s, struct err *e)
{
    const struct app_yaml__na *w = s->want;
    return app_gap_set_na(r->app, r->a, r->org_id, w->na.target, w->na.justification, e);
}

static int apply_na_clear(struct run *r, const struct step *s, struct err *e)
{
    return app_gap_clear_na(r->app, r->a, r->org_id, s->key, e);
}

static void plan_na(struct plan *p, bool deleting)
{
    const struct state *h = p->have;
    for (size_t i = 0; !deleting && i < p->t->n_na; i++) {
        const struct app_yaml__na *w = &p->t->na[i];
        const struct app_applicability *hn = NULL;
        for (size_t k = 0; k < h->n_na && !hn; k++)
            if (strcmp(h->na[k].target, w->na.target) == 0)
                hn = &h->na[k];
        if (!hn)
            add_step(p, OP_CREATE, "not-applicable", w->na.target, apply_na_set, w, NULL, 0);
        else if (!same(hn->justification, w->na.justification))
            add_step(p, OP_UPDATE, "not-applicable", w->na.target, apply_na_set, w, hn, 1u);
    }
    for (size_t k = 0; deleting && k < h->n_na; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_na && !kept; i++)
            kept = strcmp(h->na[k].target, p->t->na[i].na.target) == 0;
        if (!kept)
            add_step(p, OP_DELETE, "not-applicable", h->na[k].target, apply_na_clear, NULL,
                     &h->na[k], 0);
    }
}

/* Whether someone else still to be deleted reports to the person at k. */
static bool manages_pending(const struct state *h, const bool *pending, size_t k)
{
    for (size_t i = 0; i < h->n_people; i++)
        if (pending[i] && i != k && h->people[i].manager &&
            strcmp(h->people[i].manager, h->people[k].email) == 0)
            return true;
    return false;
}

/* People go last, and those who report to someone before their manager:
 * the app refuses to remove a person who still manages someone. */
static void plan_people_deletes(struct plan *p)
{
    const struct state *h = p->have;
    bool *pending = arena_calloc(p->a, h->n_people + 1, sizeof(bool));
    size_t left = 0;
    for (size_t k = 0; k < h->n_people; k++) {
        bool kept = false;
        for (size_t i = 0; i < p->t->n_people && !kept; i++)
            kept = strcmp(h->people[k].email, p->t->people[i].p.email) == 0;
        pending[k] = !kept;
        left += !kept;
    }
    while (left) {
        bool progress = false;
        for (size_t k = 0; k < h->n_people; k++) {
            if (!pending[k] || manages_pending(h, pending, k))
                continue;
            add_step(p, OP_DELETE, "person", h->people[k].email, apply_person_delete, NULL,
                     &h->people[k], 0);
            pending[k] = false;
            left--;
            progress = true;
        }
        /* A circle of managers (the app does not let one form) cannot be
         * ordered: take the rest as they come, and let the app say no. */
        for (size_t k = 0; !progress && k < h->n_people; k++) {
            if (!pending[k])
                continue;
            add_step(p, OP_DELETE, "person", h->people[k].email, apply_person_delete, NULL,
                     &h->people[k], 0);
            pending[k] = false;
            left--;
        }
    }
}

/* --- the plan --------------------------------------------------------------------------------- */

/* The field names of a step's kind, for its "update ...: fields" line. */
static const char *const *fields_of(const char *kind)
{
    static const struct {
        const char *kind;
        const char *const *fields;
    } table[] = {
        {"organization", org_fields},      {"person", person_fields},
        {"system", system_fields},         {"category", category_fields},
        {"service", service_fields},       {"component", component_fields},
        {"subservice", subservice_fields}, {"cuec", cuec_fields},
        {"control", control_fields},       {"risk", risk_fields},
        {"policy", policy_fields},         {"vendor", vendor_fields},
        {"not-applicable", na_fields},
    };
    static const char *const none[] = {NULL};
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i].kind, kind) == 0)
            return table[i].fields;
    return none;
}

static void make_changes(struct plan *p, struct app_yaml_plan *out)
{
    struct app_yaml_steps *s = p->steps;
    out->changes = arena_calloc(p->a, s->n + 1, sizeof(*out->changes));
    static const char *const ops[] = {"create", "update", "delete"};
    for (size_t i = 0; i < s->n; i++) {
        struct step *st = &s->items[i];
        if (st->op == OP_HIDDEN)
            continue;
        if (st->op == OP_UPDATE)
            st->fields = field_names(p->a, fields_of(st->kind), st->mask);
        out->changes[out->n_changes++] =
            (struct app_yaml_change){ops[st->op], st->kind, st->key, st->fields};
        out->n_create += st->op == OP_CREATE;
        out->n_update += st->op == OP_UPDATE;
        out->n_delete += st->op == OP_DELETE;
    }
}

int app_yaml_plan(struct app *app, struct arena *a, const struct app_yaml_tree *t,
                  struct app_yaml_plan **out, struct app_yaml_errors *errs, struct err *e)
{
    struct state *have = arena_calloc(a, 1, sizeof(*have));
    struct app_yaml_steps *steps = arena_calloc(a, 1, sizeof(*steps));
    struct plan p = {app, a, t, have, steps, errs};
    *out = NULL;
    steps->t = t;
    int rc = read_state(app, a, t->org.slug, have, e);
    if (rc)
        return rc;
    if (!have->exists)
        add_step(&p, OP_CREATE, "organization", t->org.slug, apply_org_create, &t->org, NULL, 0);
    else if (org_diff(&t->org, &have->org))
        add_step(&p, OP_UPDATE, "organization", t->org.slug, apply_org_update, &t->org, &have->org,
                 org_diff(&t->org, &have->org));
    plan_people(&p);
    plan_system(&p);
    plan_services(&p, false);
    plan_components(&p, false);
    plan_subservices(&p, false);
    plan_cuecs(&p, false);
    plan_controls(&p, false);
    plan_risks(&p, false);
    plan_policies(&p, false);
    plan_vendors(&p, false);
    plan_na(&p, false);
    /* Deletions: what depends on a record goes before it. */
    plan_na(&p, true);
    plan_vendors(&p, true);
    plan_policies(&p, true);
    plan_risks(&p, true);
    plan_controls(&p, true);
    plan_cuecs(&p, true);
    plan_subservices(&p, true);
    plan_components(&p, true);
    plan_services(&p, true);
    plan_people_deletes(&p);
    if (errs->n || errs->dropped)
        return TL_EINPUT;
    struct app_yaml_plan *plan = arena_calloc(a, 1, sizeof(*plan));
    plan->org_slug = t->org.slug;
    plan->org_exists = have->exists;
    plan->steps = steps;
    make_changes(&p, plan);
    *out = plan;
    return 0;
}

int app_yaml_apply(struct app *app, struct arena *a, const struct app_yaml_plan *p, struct err *e)
{
    const struct app_yaml_steps *s = p->steps;
    struct run r = {app, a, NULL, s->t};
    int rc = 0;
    if (p->org_exists) {
        struct app_org org;
        rc = app_org_get(app, a, p->org_slug, &org, e);
        r.org_id = org.id;
    }
    if (rc == 0 && s->n)
        rc = store_begin(app->store, e);
    if (rc || s->n == 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        const struct step *st = &s->items[i];
        rc = st->apply(&r, st, e);
        if (rc) {
            static const char *const ops[] = {"create", "update", "delete", "update"};
            err_wrap(e, "%s %s %s", ops[st->op], st->kind, st->key);
        }
    }
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc)
        store_rollback(app->store);
    return rc;
}
