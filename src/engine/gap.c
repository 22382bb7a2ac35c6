/* gap.c - criteria x controls x points of focus -> states and scores. */
#include "engine/gap.h"

#include "domain/program.h"

#include <string.h>
#include <strings.h>

const char *gap_state_name(enum gap_state s)
{
    static const char *const names[] = {"none",        "designed",  "implemented",
                                        "operating-unverified", "operating", "not-applicable"};
    return names[s];
}

double gap_state_points(enum gap_state s)
{
    switch (s) {
    case GAP_DESIGNED:
        return 0.5;
    case GAP_IMPLEMENTED:
    case GAP_UNVERIFIED:
        return 0.75;
    case GAP_OPERATING:
        return 1.0;
    default:
        return 0.0;
    }
}

/* The state one control contributes. An owner's "operating" without
 * evidence for the period counts as implemented-but-unverified. */
static enum gap_state control_state(const struct gap_control *c)
{
    int i = dom_enum_index(dom_statuses, c->status);
    switch (i) {
    case 1:
        return GAP_DESIGNED;
    case 2:
        return GAP_IMPLEMENTED;
    case 3:
        return c->evidence_covered ? GAP_OPERATING : GAP_UNVERIFIED;
    default:
        return GAP_NONE;
    }
}

static const char *na_reason(const struct gap_input *in, const char *target)
{
    for (size_t i = 0; i < in->n_na; i++)
        if (strcasecmp(in->na[i].target, target) == 0)
            return in->na[i].justification;
    return NULL;
}

static bool category_in_scope(const struct gap_input *in, const char *cat)
{
    int i = dom_enum_index(dom_categories, cat);
    return i >= 0 && in->in_scope[i];
}

bool gap_pof_applies(const struct gap_input *in, const struct dom_pof *p)
{
    switch (p->kind) {
    case POF_CATEGORY:
        for (size_t i = 0; i < p->n_applies_to; i++)
            if (category_in_scope(in, p->applies_to[i]))
                return true;
        return false;
    case POF_CONTROLLER:
        return in->privacy_controller;
    case POF_PROCESSOR:
        return in->privacy_processor;
    default:
        return true;
    }
}

/* True when the comma-separated list has id as one of its items. */
static bool list_has(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncasecmp(p, id, n) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

static void add_code(struct arena *a, const char ***list, size_t *n, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], code) == 0)
            return;
    const char **grown = arena_alloc(a, (*n + 1) * sizeof(char *));
    if (*n)
        memcpy(grown, *list, *n * sizeof(char *));
    grown[(*n)++] = code;
    *list = grown;
}

static void analyze_pofs(const struct gap_input *in, struct arena *a, struct gap_criterion *gc)
{
    const struct dom_criterion *cr = gc->criterion;
    gc->pofs = arena_calloc(a, cr->n_pofs, sizeof(*gc->pofs));
    gc->n_pofs = cr->n_pofs;
    for (size_t p = 0; p < cr->n_pofs; p++) {
        struct gap_pof *gp = &gc->pofs[p];
        gp->pof = &cr->pofs[p];
        gp->na_reason = na_reason(in, gp->pof->id);
        gp->applicable = !gc->na_reason && !gp->na_reason && gap_pof_applies(in, gp->pof);
        gp->state = gp->applicable ? GAP_NONE : GAP_NOT_APPLICABLE;
        for (size_t m = 0; m < in->n_mappings; m++) {
            const struct gap_mapping *mp = &in->mappings[m];
            if (strcasecmp(mp->criterion, cr->id) != 0 || !list_has(mp->pofs, gp->pof->id))
                continue;
            const struct gap_control *c = &in->controls[mp->control];
            add_code(a, &gp->controls, &gp->n_controls, c->code);
            enum gap_state s = control_state(c);
            if (gp->applicable && s > gp->state)
                gp->state = s;
        }
        if (gp->applicable) {
            gc->pofs_applicable++;
            if (gp->state != GAP_NONE)
                gc->pofs_covered++;
        }
    }
}

static void analyze_criterion(const struct gap_input *in, struct arena *a,
                              struct gap_criterion *gc)
{
    const struct dom_criterion *cr = gc->criterion;
    gc->na_reason = na_reason(in, cr->id);
    gc->state = gc->na_reason ? GAP_NOT_APPLICABLE : GAP_NONE;
    for (size_t m = 0; m < in->n_mappings; m++) {
        const struct gap_mapping *mp = &in->mappings[m];
        if (strcasecmp(mp->criterion, cr->id) != 0)
            continue;
        const struct gap_control *c = &in->controls[mp->control];
        add_code(a, &gc->controls, &gc->n_controls, c->code);
        enum gap_state s = control_state(c);
        if (!gc->na_reason && s > gc->state)
            gc->state = s;
    }
    analyze_pofs(in, a, gc);
    if (gc->na_reason) {
        gc->score = 0;
        return;
    }
    double factor = 1.0;
    if (gc->pofs_applicable > 0)
        factor = 0.5 + 0.5 * (double)gc->pofs_covered / (double)gc->pofs_applicable;
    gc->score = gap_state_points(gc->state) * factor;
}

static void score_add(struct gap_score *s, const struct gap_criterion *gc)
{
    s->by_state[gc->state]++;
    if (gc->state == GAP_NOT_APPLICABLE)
        return;
    s->criteria++;
    s->score += gc->score;
}

static void score_finish(struct gap_score *s)
{
    s->score = s->criteria ? 100.0 * s->score / (double)s->criteria : 0.0;
}

static struct gap_score *score_for(struct gap_score *list, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].key, key) == 0)
            return &list[i];
    return NULL;
}

static void build_scores(const struct gap_input *in, struct arena *a, struct gap_result *r)
{
    const struct dom_catalog *c = in->catalog;
    r->overall.key = "overall";
    r->categories = arena_calloc(a, c->n_categories, sizeof(struct gap_score));
    for (size_t i = 0; i < c->n_categories; i++)
        if (category_in_scope(in, c->categories[i].id))
            r->categories[r->n_categories++].key = c->categories[i].id;
    r->series = arena_calloc(a, c->n_series, sizeof(struct gap_score));
    for (size_t i = 0; i < c->n_series; i++)
        if (category_in_scope(in, c->series[i].category))
            r->series[r->n_series++].key = c->series[i].id;
    r->components = arena_calloc(a, c->n_components, sizeof(struct gap_score));
    for (size_t i = 0; i < c->n_components; i++)
        r->components[r->n_components++].key = c->components[i].id;
    for (size_t i = 0; i < r->n_criteria; i++) {
        const struct gap_criterion *gc = &r->criteria[i];
        const struct dom_criterion *cr = gc->criterion;
        score_add(&r->overall, gc);
        struct gap_score *s = score_for(r->categories, r->n_categories, cr->category);
        if (s)
            score_add(s, gc);
        s = score_for(r->series, r->n_series, cr->series);
        if (s)
            score_add(s, gc);
        if (cr->principle) {
            s = score_for(r->components, r->n_components, cr->principle->component);
            if (s)
                score_add(s, gc);
        }
    }
    score_finish(&r->overall);
    for (size_t i = 0; i < r->n_categories; i++)
        score_finish(&r->categories[i]);
    for (size_t i = 0; i < r->n_series; i++)
        score_finish(&r->series[i]);
    for (size_t i = 0; i < r->n_components; i++)
        score_finish(&r->components[i]);
}

int gap_analyze(const struct gap_input *in, struct arena *a, struct gap_result *out,
                struct err *e)
{
    memset(out, 0, sizeof(*out));
    for (size_t m = 0; m < in->n_mappings; m++)
        if (in->mappings[m].control >= in->n_controls)
            return ERR_SET(e, TL_EINTERNAL, "mapping %zu names control %zu of %zu", m,
                           in->mappings[m].control, in->n_controls);
    const struct dom_catalog *c = in->catalog;
    out->criteria = arena_calloc(a, c->n_criteria, sizeof(*out->criteria));
    for (size_t i = 0; i < c->n_criteria; i++) {
        if (!category_in_scope(in, c->criteria[i].category))
            continue;
        struct gap_criterion *gc = &out->criteria[out->n_criteria++];
        gc->criterion = &c->criteria[i];
        analyze_criterion(in, a, gc);
        if (gc->state == GAP_NONE)
            out->gaps_criteria++;
        for (size_t p = 0; p < gc->n_pofs; p++)
            if (gc->pofs[p].applicable && gc->pofs[p].state == GAP_NONE)
                out->gaps_pofs++;
    }
    build_scores(in, a, out);
    return 0;
}
