/* report.c - gathering what the reports are built from. */
#include "app/report.h"

#include "app/audit.h"

#include <string.h>

/* Changes to the system (DC9): additions and removals of controls and any
 * change of scope, dated within the period.  Edits of a control's text are
 * left out: they are routine, and the audit log keeps them all. */
#define CHANGES_MAX 60

struct changes {
    struct arena *a;
    const char *from, *to;
    struct rpt_soc2_change *out;
    size_t n, more;
};

static int on_entry(void *ud, const struct audit_entry *en)
{
    struct changes *c = ud;
    if (strncmp(en->at, c->from, 10) < 0 || strncmp(en->at, c->to, 10) > 0)
        return 0;
    const char *a = en->action;
    bool wanted = strncmp(a, "scope.", 6) == 0 || strcmp(a, "control.add") == 0 ||
                  strcmp(a, "control.adopt") == 0 || strcmp(a, "control.remove") == 0;
    if (!wanted)
        return 0;
    if (c->n == CHANGES_MAX) {
        c->more++;
        return 0;
    }
    c->out[c->n++] =
        (struct rpt_soc2_change){arena_strndup(c->a, en->at, 10), arena_strdup(c->a, a),
                                 arena_strdup(c->a, en->object_id ? en->object_id : "")};
    return 0;
}

static int period_changes(struct app *app, struct arena *a, const char *org_id,
                          const struct app_engagement *eng, struct app_report_data *out,
                          struct err *e)
{
    if (!eng || strcmp(eng->kind, "type2") != 0)
        return 0;
    struct changes c = {.a = a, .from = eng->period_start, .to = eng->period_end};
    c.out = arena_calloc(a, CHANGES_MAX + 1, sizeof(*c.out));
    int rc = audit_each(app, a, org_id, 0, on_entry, &c, e);
    if (rc)
        return rc;
    if (c.more)
        c.out[c.n++] = (struct rpt_soc2_change){"…", arena_printf(a, "+%zu", c.more), ""};
    out->changes = c.out;
    out->n_changes = c.n;
    return 0;
}

static int pick_engagement(struct app *app, struct arena *a, const char *org_id,
                           const struct app_who *who, const char *slug,
                           const struct app_engagement **out, struct err *e)
{
    *out = NULL;
    if (slug && !*slug)
        return 0;
    if (slug) {
        struct app_engagement *eng = arena_calloc(a, 1, sizeof(*eng));
        int rc = app_engagement_get(app, a, org_id, who, slug, eng, e);
        if (rc == 0)
            *out = eng;
        return rc;
    }
    struct app_engagement *list = NULL;
    size_t n = 0;
    int rc = app_engagement_list(app, a, org_id, who, &list, &n, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].kind, "readiness") != 0) {
            *out = &list[i];
            break;
        }
    return 0;
}

static int engagement_data(struct app *app, struct arena *a, const char *org_id,
                           const struct app_who *who, struct app_report_data *out, struct err *e)
{
    const char *slug = out->eng->slug;
    struct app_test *tests = NULL;
    size_t n = 0;
    int rc = app_test_list(app, a, org_id, who, slug, &tests, &n, e);
    if (rc)
        return rc;
    out->tests = arena_calloc(a, n + 1, sizeof(*out->tests));
    for (size_t i = 0; i < n; i++) {
        struct rpt_soc2_test *t = &out->tests[i];
        t->test = &tests[i];
        struct app_sample_item *items = NULL;
        size_t k = 0;
        rc = app_sample_list(app, a, org_id, who, tests[i].ref, &items, &k, e);
        if (rc)
            return rc;
        t->samples = items;
        t->n_samples = k;
    }
    out->n_tests = n;
    rc = app_finding_list(app, a, org_id, who, slug, &out->findings, &out->n_findings, e);
    if (rc == 0)
        rc = app_remediation_list(app, a, org_id, who, NULL, &out->remediations,
                                  &out->n_remediations, e);
    return rc;
}

int app_report_gather(struct app *app, struct arena *a, const struct app_org *org,
                      const struct app_who *who, const char *slug, struct app_report_data *out,
                      struct err *e)
{
    memset(out, 0, sizeof(*out));
    out->org = *org;
    out->today = app__today(app, a);
    int rc = app_catalog(app, &out->catalog, e);
    if (rc == 0)
        rc = app_scope_get(app, a, org->id, &out->scope, e);
    if (rc == 0)
        rc = app_control_list(app, a, org->id, NULL, &out->controls, &out->n_controls, e);
    if (rc == 0)
        rc = app_gap(app, a, org->id, &out->gap, e);
    if (rc == 0)
        rc = pick_engagement(app, a, org->id, who, slug, &out->eng, e);
    if (rc == 0 && out->eng)
        rc = engagement_data(app, a, org->id, who, out, e);
    if (rc == 0)
        rc = period_changes(app, a, org->id, out->eng, out, e);
    return rc;
}

int app_report_soc2(struct app *app, struct arena *a, const struct app_report_data *data,
                    const char *lang, bool samples, struct rpt_doc **out, struct err *e)
{
    const char *path = "report/soc2.yaml";
    const char *text = NULL;
    size_t len = 0;
    int rc = app_content_read(app, path, &text, &len, e);
    if (rc)
        return rc;
    struct rpt_soc2_in in = {
        .lang = lang,
        .date = data->today,
        .templates_path = path,
        .templates = text,
        .templates_len = len,
        .org = &data->org,
        .catalog = data->catalog,
        .scope = &data->scope,
        .controls = data->controls,
        .n_controls = data->n_controls,
        .gap = &data->gap,
        .eng = data->eng,
        .tests = data->tests,
        .n_tests = data->n_tests,
        .findings = data->findings,
        .n_findings = data->n_findings,
        .changes = data->changes,
        .n_changes = data->n_changes,
        .samples = samples,
    };
    return rpt_soc2(a, &in, out, e);
}
