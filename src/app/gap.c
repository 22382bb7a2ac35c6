/* gap.c - gathering an organization's program for the gap engine. */
#include "app/gap.h"

#include "app/control.h"
#include "app/evidence.h"
#include "app/plan.h"
#include "app/scope.h"
#include "base/sb.h"
#include "domain/program.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads the categories in scope and the privacy role. */
static int load_scope(struct app *app, const char *org_id, struct gap_input *in, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT category, in_scope FROM scope_category WHERE org_id = ?", "t",
                            org_id);
    if (rc)
        return rc;
    while ((rc = store_step(st, e)) == TL_ROW) {
        int i = dom_enum_index(dom_categories, store_col_text(st, 0));
        if (i >= 0)
            in->in_scope[i] = store_col_int(st, 1) != 0;
    }
    store_finalize(st);
    in->in_scope[0] = true; /* security always */
    if (rc < 0)
        return rc;
    rc = store_preparef(app->store, e, &st,
                        "SELECT privacy_role FROM system_scope WHERE org_id = ?", "t", org_id);
    if (rc)
        return rc;
    in->privacy_controller = true;
    if ((rc = store_step(st, e)) == TL_ROW) {
        const char *role = store_col_text(st, 0);
        in->privacy_controller = strcmp(role, "processor") != 0;
        in->privacy_processor = strcmp(role, "controller") != 0;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static int load_controls(struct app *app, struct arena *a, const char *org_id,
                         struct gap_input *in, const char ***ids, struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM control WHERE org_id = ?", "t", org_id);
    if (rc)
        return rc;
    struct gap_control *controls = arena_calloc(a, (size_t)n + 1, sizeof(*controls));
    *ids = arena_calloc(a, (size_t)n + 1, sizeof(char *));
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT id, code, status FROM control WHERE org_id = ? ORDER BY code", "t",
                        org_id);
    if (rc)
        return rc;
    size_t i = 0;
    while ((rc = store_step(st, e)) == TL_ROW && i < (size_t)n) {
        (*ids)[i] = arena_strdup(a, store_col_text(st, 0));
        controls[i].code = arena_strdup(a, store_col_text(st, 1));
        controls[i].status = arena_strdup(a, store_col_text(st, 2));
        controls[i].evidence_covered = false; /* set by load_evidence */
        i++;
    }
    store_finalize(st);
    in->controls = controls;
    in->n_controls = i;
    return rc < 0 ? rc : 0;
}

static int control_index(const char **ids, size_t n, const char *id)
{
    /* ids are few hundred at most; the mapping query is ordered the same way,
     * so a linear scan from the last hit is effectively constant time. */
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return (int)i;
    return -1;
}

static int load_mappings(struct app *app, struct arena *a, const char *org_id,
                         struct gap_input *in, const char **ids, struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM control_criterion WHERE org_id = ?", "t",
                             org_id);
    if (rc)
        return rc;
    struct gap_mapping *maps = arena_calloc(a, (size_t)n + 1, sizeof(*maps));
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT control_id, criterion, pofs FROM control_criterion "
                        "WHERE org_id = ?",
                        "t", org_id);
    if (rc)
        return rc;
    size_t i = 0;
    while ((rc = store_step(st, e)) == TL_ROW && i < (size_t)n) {
        int c = control_index(ids, in->n_controls, store_col_text(st, 0));
        if (c < 0)
            continue;
        maps[i].control = (size_t)c;
        maps[i].criterion = arena_strdup(a, store_col_text(st, 1));
        maps[i].pofs = arena_strdup(a, store_col_text(st, 2));
        i++;
    }
    store_finalize(st);
    in->mappings = maps;
    in->n_mappings = i;
    return rc < 0 ? rc : 0;
}

static int load_na(struct app *app, struct arena *a, const char *org_id, struct gap_input *in,
                   struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM applicability WHERE org_id = ?", "t", org_id);
    if (rc)
        return rc;
    struct gap_na *na = arena_calloc(a, (size_t)n + 1, sizeof(*na));
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT target, justification FROM applicability WHERE org_id = ?", "t",
                        org_id);
    if (rc)
        return rc;
    size_t i = 0;
    while ((rc = store_step(st, e)) == TL_ROW && i < (size_t)n) {
        na[i].target = arena_strdup(a, store_col_text(st, 0));
        na[i].justification = arena_strdup(a, store_col_text(st, 1));
        i++;
    }
    store_finalize(st);
    in->na = na;
    in->n_na = i;
    return rc < 0 ? rc : 0;
}

/* The observation window the score is judged against: the Type II plan's
 * window from its start to today (or its end, if sooner). *found is false
 * without a Type II plan whose window has begun. */
static int target_window(struct app *app, struct arena *a, const char *org_id, char **window,
                         bool *found, struct err *e)
{
    struct app_plan p;
    *found = false;
    int rc = app_plan_get(app, a, org_id, &p, e);
    if (rc == TL_ENOTFOUND) {
        err_clear(e);
        return 0;
    }
    if (rc || strcmp(p.target, "type2") != 0)
        return rc;
    tl_date today = time_date(app->now);
    for (size_t i = 0; i < p.n_tasks; i++) {
        const struct app_plan_task *t = &p.tasks[i];
        if (strcmp(t->code, "observation") != 0 || t->start > today)
            continue;
        char s[DATE_BUF], d[DATE_BUF];
        date_format(t->start, s);
        date_format(t->due < today ? t->due : today, d);
        *window = arena_printf(a, "%s..%s", s, d);
        *found = true;
    }
    return 0;
}

static struct gap_control *find_control(struct gap_input *in, const char *code)
{
    for (size_t i = 0; i < in->n_controls; i++)
        if (strcmp(in->controls[i].code, code) == 0)
            return (struct gap_control *)&in->controls[i];
    return NULL;
}

/* Marks the controls whose evidence proves them operating: over the Type II
 * window when one is under way (every expected occurrence evidenced),
 * otherwise current evidence that is not stale for the control's frequency. */
static int load_evidence(struct app *app, struct arena *a, const char *org_id,
                         struct gap_input *in, struct err *e)
{
    char *window = NULL;
    bool in_window;
    int rc = target_window(app, a, org_id, &window, &in_window, e);
    if (rc)
        return rc;
    if (in_window) {
        struct app_evidence_cov *cov;
        size_t n;
        rc = app_evidence_coverage(app, a, org_id, window, &cov, &n, e);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            struct gap_control *c = find_control(in, cov[i].code);
            if (c)
                c->evidence_covered = cov[i].cov.state == ENG_COV_COVERED;
        }
        return rc;
    }
    struct app_evidence_due *due;
    size_t n;
    rc = app_evidence_due(app, a, org_id, &due, &n, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < in->n_controls; i++)
        ((struct gap_control *)&in->controls[i])->evidence_covered = true;
    for (size_t i = 0; i < n; i++) {
        struct gap_control *c = find_control(in, due[i].code);
        if (c)
            c->evidence_covered = false;
    }
    return 0;
}

int app_gap(struct app *app, struct arena *a, const char *org_id, struct gap_result *out,
            struct err *e)
{
    struct gap_input in = {0};
    const char **ids = NULL;
    int rc = app_catalog(app, &in.catalog, e);
    if (rc == 0)
        rc = load_scope(app, org_id, &in, e);
    if (rc == 0)
        rc = load_controls(app, a, org_id, &in, &ids, e);
    if (rc == 0)
        rc = load_mappings(app, a, org_id, &in, ids, e);
    if (rc == 0)
        rc = load_na(app, a, org_id, &in, e);
    if (rc == 0)
        rc = load_evidence(app, a, org_id, &in, e);
    if (rc == 0)
        rc = gap_analyze(&in, a, out, e);
    return rc;
}

/* Resolves target to the catalog's spelling of a criterion or point of focus. */
static int resolve_target(struct app *app, const char *target, const char **id, struct err *e)
{
    const struct dom_catalog *c;
    int rc = app_catalog(app, &c, e);
    if (rc)
        return rc;
    const struct dom_criterion *cr = dom_catalog_criterion(c, target);
    const struct dom_pof *p = cr ? NULL : dom_catalog_pof(c, target, NULL);
    if (!cr && !p)
        return ERR_SET(e, TL_ENOTFOUND, "no criterion or point of focus '%s'", target);
    *id = cr ? cr->id : p->id;
    return 0;
}

int app_gap_set_na(struct app *app, struct arena *a, const char *org_id, const char *target,
                   const char *justification, struct err *e)
{
    const char *id = NULL;
    int rc = resolve_target(app, target, &id, e);
    if (rc)
        return rc;
    if (!justification || strspn(justification, " \t\r\n") == strlen(justification))
        return ERR_SET(e, TL_EINPUT,
                       "marking '%s' not applicable needs a written justification (--reason)", id);
    char today[DATE_BUF];
    date_format(time_date(app->now), today);
    struct app_change c = {.org_id = org_id, .action = "gap.not-applicable",
                           .object_type = "applicability", .object_key = id};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "INSERT INTO applicability (org_id, target, justification, decided_by, "
                   "decided_on) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, target) DO UPDATE "
                   "SET justification = excluded.justification, decided_by = excluded.decided_by, "
                   "decided_on = excluded.decided_on",
                   "ttttt", org_id, id, justification, app->actor, today);
    if (rc == 0) {
        c.after = arena_printf(a, "{\"target\":\"%s\",\"applicable\":false}", id);
        rc = app_change_commit(app, a, &c, e);
    } else {
        app_change_abort(app);
    }
    return rc;
}

int app_gap_clear_na(struct app *app, struct arena *a, const char *org_id, const char *target,
                     struct err *e)
{
    const char *id = NULL;
    int rc = resolve_target(app, target, &id, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id, .action = "gap.applicable",
                           .object_type = "applicability", .object_key = id};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e, "DELETE FROM applicability WHERE org_id = ? AND target = ?",
                   "tt", org_id, id);
    if (rc == 0 && store_changes(app->store) == 0)
        rc = ERR_SET(e, TL_ENOTFOUND, "'%s' is not marked not applicable", id);
    if (rc == 0) {
        c.after = arena_printf(a, "{\"target\":\"%s\",\"applicable\":true}", id);
        rc = app_change_commit(app, a, &c, e);
    } else {
        app_change_abort(app);
    }
    return rc;
}

/* --- suggestions ---------------------------------------------------------- */

static const struct gap_criterion *find_gc(const struct gap_result *g, const char *id)
{
    for (size_t i = 0; i < g->n_criteria; i++)
        if (strcasecmp(g->criteria[i].criterion->id, id) == 0)
            return &g->criteria[i];
    return NULL;
}

static bool pof_open(const struct gap_criterion *gc, const char *pof)
{
    for (size_t i = 0; i < gc->n_pofs; i++)
        if (strcmp(gc->pofs[i].pof->id, pof) == 0)
            return gc->pofs[i].applicable && gc->pofs[i].state == GAP_NONE;
    return false;
}

/* Counts what a library control would close and lists it. */
static void score_suggestion(const struct gap_result *g, const struct dom_lib_control *lc,
                             struct arena *a, struct app_suggestion *s)
{
    struct sb closes = SB_INIT;
    for (size_t m = 0; m < lc->n_criteria; m++) {
        const struct gap_criterion *gc = find_gc(g, lc->criteria[m].criterion);
        if (!gc)
            continue;
        if (gc->state == GAP_NONE) {
            s->closes_criteria++;
            sb_addf(&closes, "%s%s", closes.len ? "," : "", gc->criterion->id);
        }
        for (size_t p = 0; p < lc->criteria[m].n_pofs; p++) {
            if (pof_open(gc, lc->criteria[m].pofs[p])) {
                s->closes_pofs++;
                sb_addf(&closes, "%s%s", closes.len ? "," : "", lc->criteria[m].pofs[p]);
            }
        }
    }
    s->closes = arena_strdup(a, closes.buf);
    sb_release(&closes);
}

static int by_weight(const void *x, const void *y)
{
    const struct app_suggestion *a = x, *b = y;
    size_t wa = 2 * a->closes_criteria + a->closes_pofs;
    size_t wb = 2 * b->closes_criteria + b->closes_pofs;
    if (wa != wb)
        return wa < wb ? 1 : -1;
    return strcmp(a->code, b->code);
}

static bool adopted(const struct gap_result *g, const char *code)
{
    /* A library control keeps its code when adopted; any control of that code
     * mapped anywhere counts as adopted. */
    for (size_t i = 0; i < g->n_criteria; i++)
        for (size_t k = 0; k < g->criteria[i].n_controls; k++)
            if (strcasecmp(g->criteria[i].controls[k], code) == 0)
                return true;
    return false;
}

int app_gap_suggest(struct app *app, struct arena *a, const struct gap_result *gap,
                    const char *org_id, const char *lang, size_t limit,
                    struct app_suggestion **out, size_t *n, struct err *e)
{
    (void)org_id;
    const struct dom_library *lib;
    int rc = app_library(app, &lib, e);
    if (rc)
        return rc;
    struct app_suggestion *all = arena_calloc(a, lib->n_controls + 1, sizeof(*all));
    size_t k = 0;
    for (size_t i = 0; i < lib->n_controls; i++) {
        const struct dom_lib_control *lc = &lib->controls[i];
        if (adopted(gap, lc->code))
            continue;
        struct app_suggestion s = {.code = lc->code, .title = dom_text_get(&lc->title, lang)};
        score_suggestion(gap, lc, a, &s);
        if (s.closes_criteria + s.closes_pofs > 0)
            all[k++] = s;
    }
    qsort(all, k, sizeof(*all), by_weight);
    *out = all;
    *n = limit && k > limit ? limit : k;
    return 0;
}

int app_privacy_role_set(struct app *app, struct arena *a, const char *org_id, const char *role,
                         struct err *e)
{
    struct app_system patch = {.privacy_role = role};
    return app_system_update(app, a, org_id, &patch, e);
}

int app_privacy_role_get(struct app *app, struct arena *a, const char *org_id, const char **role,
                         struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT privacy_role FROM system_scope WHERE org_id = ?", "t", org_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    *role = rc == TL_ROW ? arena_strdup(a, store_col_text(st, 0)) : "controller";
    store_finalize(st);
    return rc < 0 ? rc : 0;
}
