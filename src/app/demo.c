/* demo.c - loading the demo organization from content/demo/demo.yaml. */
#include "app/demo.h"

#include "app/control.h"
#include "app/gap.h"
#include "app/person.h"
#include "app/policy.h"
#include "app/risk.h"
#include "app/scope.h"
#include "app/vendor.h"
#include "base/yml.h"

#include <stdlib.h>
#include <string.h>

#define DEMO_PATH "demo/demo.yaml"

struct demo {
    struct app *app;
    struct arena *a;
    const char *org_id;
    struct app_demo_counts *counts;
    struct err *e;
};

static const char *str(const struct yml_node *m, const char *key)
{
    const struct yml_node *v = yml_get(m, key);
    return v && v->kind == YML_SCALAR && !yml_is_null(v) ? v->str : NULL;
}

static bool flag(const struct yml_node *m, const char *key)
{
    const char *s = str(m, key);
    return s && strcmp(s, "true") == 0;
}

static long num(const struct yml_node *m, const char *key)
{
    const char *s = str(m, key);
    return s ? strtol(s, NULL, 10) : 0;
}

/* A YAML list of scalars as a comma-joined string ("" when absent). */
static const char *joined(struct arena *a, const struct yml_node *m, const char *key)
{
    const struct yml_node *v = yml_get(m, key);
    struct sb sb = SB_INIT;
    for (size_t i = 0; v && v->kind == YML_SEQ && i < v->n; i++)
        sb_addf(&sb, "%s%s", i ? "," : "", v->items[i]->str);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

/* A YAML list of scalars as an array. */
static const char **strings(struct arena *a, const struct yml_node *m, const char *key, size_t *n)
{
    const struct yml_node *v = yml_get(m, key);
    *n = v && v->kind == YML_SEQ ? v->n : 0;
    const char **out = arena_calloc(a, *n + 1, sizeof(char *));
    for (size_t i = 0; i < *n; i++)
        out[i] = v->items[i]->str;
    return out;
}

static const struct yml_node *list(const struct yml_node *m, const char *key)
{
    static const struct yml_node empty = {.kind = YML_SEQ};
    const struct yml_node *v = yml_get(m, key);
    return v && v->kind == YML_SEQ ? v : &empty;
}

/* Names the demo record that failed, so a broken content file is findable. */
static int at(struct demo *d, const struct yml_node *n, int rc)
{
    if (rc && d->e && !d->e->where[0])
        err_where(d->e, DEMO_PATH, n->line, n->col);
    return rc;
}

static int load_scope(struct demo *d, const struct yml_node *s)
{
    struct app_system sys = {.name = str(s, "name"), .boundaries = str(s, "boundaries"),
                             .commitments = str(s, "commitments")};
    int rc = at(d, s, app_system_update(d->app, d->a, d->org_id, &sys, d->e));
    if (rc == 0 && str(s, "privacy_role"))
        rc = at(d, s, app_privacy_role_set(d->app, d->a, d->org_id, str(s, "privacy_role"), d->e));
    const struct yml_node *l = list(s, "categories");
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        struct app_scope_category c = {.category = str(l->items[i], "category"),
                                       .in_scope = flag(l->items[i], "in_scope"),
                                       .reason = str(l->items[i], "reason")};
        rc = at(d, l->items[i], app_scope_category_set(d->app, d->a, d->org_id, &c, d->e));
    }
    l = list(s, "services");
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        struct app_service sv = {.name = str(l->items[i], "name"),
                                 .description = str(l->items[i], "description")};
        rc = at(d, l->items[i], app_service_create(d->app, d->a, d->org_id, &sv, d->e));
    }
    l = list(s, "components");
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct yml_node *c = l->items[i];
        struct app_component comp = {.kind = str(c, "kind"), .name = str(c, "name"),
                                     .description = str(c, "description"),
                                     .in_scope = flag(c, "in_scope"), .reason = str(c, "reason")};
        rc = at(d, c, app_component_create(d->app, d->a, d->org_id, &comp, d->e));
    }
    return rc;
}

static int load_subservices(struct demo *d, const struct yml_node *s)
{
    int rc = 0;
    const struct yml_node *l = list(s, "subservice_orgs");
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct yml_node *so = l->items[i];
        struct app_subservice sub = {.slug = str(so, "slug"), .name = str(so, "name"),
                                     .method = str(so, "method"), .services = str(so, "services")};
        rc = at(d, so, app_subservice_create(d->app, d->a, d->org_id, &sub, d->e));
        const struct yml_node *cl = list(so, "csocs");
        for (size_t k = 0; rc == 0 && k < cl->n; k++) {
            struct app_csoc c = {.subservice = sub.slug, .text = str(cl->items[k], "text"),
                                 .criteria = joined(d->a, cl->items[k], "criteria")};
            const char *id;
            rc = at(d, cl->items[k], app_csoc_create(d->app, d->a, d->org_id, &c, &id, d->e));
        }
    }
    l = list(s, "cuecs");
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        struct app_cuec c = {.code = str(l->items[i], "code"), .text = str(l->items[i], "text"),
                             .criteria = joined(d->a, l->items[i], "criteria")};
        rc = at(d, l->items[i], app_cuec_create(d->app, d->a, d->org_id, &c, d->e));
    }
    return rc;
}

static int load_people(struct demo *d, const struct yml_node *l)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct yml_node *p = l->items[i];
        struct app_person in = {.email = str(p, "email"), .name = str(p, "name"),
                                .title = str(p, "title"), .department = str(p, "department"),
                                .manager = str(p, "manager"), .start_date = str(p, "start"),
                                .end_date = str(p, "end"),
                                .is_control_owner = flag(p, "control_owner"),
                                .is_approver = flag(p, "approver")};
        struct app_person out;
        rc = at(d, p, app_person_create(d->app, d->a, d->org_id, &in, &out, d->e));
        d->counts->people += rc == 0;
    }
    return rc;
}

/* Adopts the listed library controls, then sets each one's owner and status. */
static int load_controls(struct demo *d, const struct yml_node *l)
{
    const char **codes = arena_calloc(d->a, l->n + 1, sizeof(char *));
    for (size_t i = 0; i < l->n; i++)
        codes[i] = str(l->items[i], "code");
    struct app_adopt_result r;
    int rc = at(d, l, app_control_adopt(d->app, d->a, d->org_id, codes, l->n, NULL, NULL, &r, d->e));
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        struct app_control patch = {.key = -1, .owner = str(l->items[i], "owner"),
                                    .status = str(l->items[i], "status")};
        rc = at(d, l->items[i],
                app_control_update(d->app, d->a, d->org_id, codes[i], &patch, d->e));
        d->counts->controls += rc == 0;
    }
    return rc;
}

static int load_risks(struct demo *d, const struct yml_node *l)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct yml_node *r = l->items[i];
        struct app_risk in = {.code = str(r, "code"), .title = str(r, "title"),
                              .description = str(r, "description"), .category = str(r, "category"),
                              .likelihood = (int)num(r, "likelihood"), .impact = (int)num(r, "impact"),
                              .treatment = str(r, "treatment"),
                              .residual_likelihood = (int)num(r, "residual_likelihood"),
                              .residual_impact = (int)num(r, "residual_impact"),
                              .is_fraud = flag(r, "fraud"), .owner = str(r, "owner"),
                              .next_review = str(r, "next_review")};
        in.controls = strings(d->a, r, "controls", &in.n_controls);
        rc = at(d, r, app_risk_create(d->app, d->a, d->org_id, &in, d->e));
        d->counts->risks += rc == 0;
    }
    return rc;
}

/* The first n active people, in the demo's order, acknowledge the policy a
 * week after it was approved. */
static int load_acks(struct demo *d, const struct yml_node *p, const struct yml_node *people,
                     const char *slug, const char *approved_on)
{
    long n = num(p, "acks");
    if (n <= 0 || !approved_on)
        return 0;
    tl_date on;
    if (date_parse(approved_on, &on, d->e))
        return at(d, p, TL_EINPUT);
    char ack_on[DATE_BUF];
    date_format(on + 7, ack_on);
    const char **emails = arena_calloc(d->a, people->n + 1, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < people->n && (long)k < n; i++)
        if (!str(people->items[i], "end"))
            emails[k++] = str(people->items[i], "email");
    int64_t number = 0;
    return at(d, p, app_policy_ack(d->app, d->a, d->org_id, slug, &number, emails, k, ack_on, d->e));
}

static int load_policies(struct demo *d, const struct yml_node *l, const struct yml_node *people)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct yml_node *p = l->items[i];
        struct app_policy in = {.slug = str(p, "slug"), .template = str(p, "template"),
                                .owner = str(p, "owner"), .review = str(p, "review")};
        rc = at(d, p, app_policy_create(d->app, d->a, d->org_id, &in, d->e));
        const char *by = str(p, "approved_by"), *on = str(p, "approved_on");
        int64_t number = 0;
        if (rc == 0 && by)
            rc = at(d, p, app_policy_approve(d->app, d->a, d->org_id, in.slug, &number, by, on, d->e));
        if (rc == 0)
            rc = load_acks(d, p, people, in.slug, by ? on : NULL);
        d->counts->policies += rc == 0;
    }
    return rc;
}

static int load_vendors(struct demo *d, const struct yml_node *l)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct yml_node *v = l->items[i];
        struct app_vendor in = {.slug = str(v, "slug"), .name = str(v, "name"),
                                .service = str(v, "service"), .criticality = str(v, "criticality"),
                                .data_shared = str(v, "data_shared"),
                                .soc_report = flag(v, "soc_report"),
                                .soc_period_end = str(v, "soc_period_end"),
                                .subservice = str(v, "subservice")};
        struct app_vendor out;
        rc = at(d, v, app_vendor_create(d->app, d->a, d->org_id, &in, &out, d->e));
        d->counts->vendors += rc == 0;
    }
    return rc;
}

static int load_na(struct demo *d, const struct yml_node *l)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l->n; i++)
        rc = at(d, l->items[i],
                app_gap_set_na(d->app, d->a, d->org_id, str(l->items[i], "target"),
                               str(l->items[i], "justification"), d->e));
    return rc;
}

static int load_program(struct demo *d, const struct yml_node *root)
{
    const struct yml_node *scope = yml_get(root, "scope");
    const struct yml_node *people = list(root, "people");
    int rc = load_people(d, people);
    if (rc == 0 && scope)
        rc = load_scope(d, scope);
    if (rc == 0 && scope)
        rc = load_subservices(d, scope);
    if (rc == 0)
        rc = load_controls(d, list(root, "controls"));
    if (rc == 0)
        rc = load_risks(d, list(root, "risks"));
    if (rc == 0)
        rc = load_policies(d, list(root, "policies"), people);
    if (rc == 0)
        rc = load_vendors(d, list(root, "vendors"));
    if (rc == 0)
        rc = load_na(d, list(root, "not_applicable"));
    return rc;
}

int app_demo_create(struct app *app, struct arena *a, const char *slug,
                    struct app_demo_counts *counts, const char **created_slug, struct err *e)
{
    const char *data;
    size_t len;
    struct yml_node *root;
    memset(counts, 0, sizeof(*counts));
    int rc = app_content_read(app, DEMO_PATH, &data, &len, e);
    if (rc == 0)
        rc = yml_parse(a, DEMO_PATH, data, len, &root, e);
    const struct yml_node *o = rc == 0 ? yml_get(root, "organization") : NULL;
    if (rc == 0 && !o)
        rc = ERR_SET(e, TL_EINPUT, "%s has no organization", DEMO_PATH);
    if (rc)
        return rc;
    struct app_org in = {.slug = slug ? slug : str(o, "slug"), .name = str(o, "name"),
                         .legal_name = str(o, "legal_name"), .description = str(o, "description"),
                         .industry = str(o, "industry"), .country = str(o, "country"),
                         .language = str(o, "language")};
    struct app_org org;
    rc = store_begin(app->store, e);
    if (rc)
        return rc;
    rc = app_org_create(app, a, &in, &org, e);
    struct demo d = {app, a, org.id, counts, e};
    if (rc == 0)
        rc = load_program(&d, root);
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc)
        store_rollback(app->store);
    *created_slug = in.slug;
    return rc;
}
