/* engdemo.c - the demo engagement: a Type II audit of the demo organization
 * carried from plan to concluded tests (content/demo/engagement.yaml). */
#include "app/engagement.h"

#include "app/pbc.h"
#include "app/testing.h"
#include "base/date.h"
#include "base/yml.h"

#include <string.h>

#define DEMO_FILE "demo/engagement.yaml"

static const char *const top_keys[] = {"engagement", "auditors", "tests", "requests", NULL};
static const char *const eng_keys[] = {"slug", "kind", "period", "firm", NULL};
static const char *const auditor_keys[] = {"email", "access_days", NULL};
static const char *const test_keys[] = {"control",    "population", "seed",
                                        "exceptions", "finding",    NULL};
static const char *const pop_keys[] = {"prefix", "from", "to", "width", NULL};
static const char *const exc_keys[] = {"item", "text", NULL};
static const char *const finding_keys[] = {"root_cause", "response", "remediation", NULL};
static const char *const rem_keys[] = {"action", "owner", "due", "status", NULL};
static const char *const req_keys[] = {"ref",    "request", "control", "due",
                                       "status", "comment", NULL};

static const struct app_who demo_who = {"admin", NULL};

/* The population an entry describes: prefix + from..to, zero-padded to width. */
static int demo_population(struct arena *a, const struct yml_node *p, const char ***ids, size_t *n,
                           struct err *e)
{
    const char *prefix;
    long from, to, width;
    int rc = yml_check_keys(p, pop_keys, e);
    if (rc == 0)
        rc = yml_req_str(p, "prefix", &prefix, e);
    if (rc == 0)
        rc = yml_opt_int(p, "from", 1, 0, 1000000, &from, e);
    if (rc == 0)
        rc = yml_opt_int(p, "to", from, from, from + 100000, &to, e);
    if (rc == 0)
        rc = yml_opt_int(p, "width", 3, 1, 9, &width, e);
    if (rc)
        return rc;
    *n = (size_t)(to - from + 1);
    *ids = arena_calloc(a, *n + 1, sizeof(**ids));
    for (long i = from; i <= to; i++)
        (*ids)[i - from] = arena_printf(a, "%s%0*ld", prefix, (int)width, i);
    return 0;
}

/* The planted exception text of item, or NULL. */
static const char *planted(const struct yml_node *excs, const char *item, struct err *e, int *rc)
{
    for (size_t i = 0; excs && i < excs->n && *rc == 0; i++) {
        const struct yml_node *x = excs->items[i];
        const char *it, *text;
        *rc = yml_check_keys(x, exc_keys, e);
        if (*rc == 0)
            *rc = yml_req_str(x, "item", &it, e);
        if (*rc == 0)
            *rc = yml_req_str(x, "text", &text, e);
        if (*rc == 0 && strcmp(it, item) == 0)
            return text;
    }
    return NULL;
}

static int demo_finding(struct app *app, struct arena *a, const char *org_id, const char *code,
                        const struct yml_node *f, struct err *e)
{
    struct app_finding patch = {0};
    const struct yml_node *rem = yml_get(f, "remediation");
    int rc = yml_check_keys(f, finding_keys, e);
    if (rc == 0)
        rc = yml_opt_str(f, "root_cause", NULL, &patch.root_cause, e);
    if (rc == 0)
        rc = app_finding_edit(app, a, org_id, &demo_who, code, &patch, e);
    patch.root_cause = NULL;
    if (rc == 0)
        rc = yml_opt_str(f, "response", NULL, &patch.response, e);
    if (rc == 0 && patch.response)
        rc = app_finding_edit(app, a, org_id, &demo_who, code, &patch, e);
    if (rc || !rem)
        return rc;
    struct app_remediation in = {0};
    const char *status = NULL, *rem_code = NULL;
    rc = yml_check_keys(rem, rem_keys, e);
    if (rc == 0)
        rc = yml_req_str(rem, "action", &in.action, e);
    if (rc == 0)
        rc = yml_opt_str(rem, "owner", NULL, &in.owner, e);
    if (rc == 0)
        rc = yml_opt_str(rem, "due", NULL, &in.due, e);
    if (rc == 0)
        rc = yml_opt_str(rem, "status", NULL, &status, e);
    if (rc == 0)
        rc = app_remediation_add(app, a, org_id, &demo_who, code, &in, &rem_code, e);
    if (rc == 0 && status) {
        struct app_remediation p = {.status = status};
        rc = app_remediation_edit(app, a, org_id, &demo_who, rem_code, &p, e);
    }
    return rc;
}

/* An auditor's access in the demo ends access_days after today, so that the
 * demo engagement can be created on any date (an end in the past is refused). */
static int access_until(struct app *app, struct arena *a, const struct yml_node *auditor,
                        const char **until, struct err *e)
{
    long days;
    int rc = yml_opt_int(auditor, "access_days", 90, 1, 3660, &days, e);
    if (rc)
        return rc;
    char buf[DATE_BUF];
    date_format(time_date(app->now) + (tl_date)days, buf);
    *until = arena_strdup(a, buf);
    return 0;
}

/* Walks the test of design through, then the operating test: population,
 * draw, results (planted exceptions fail), conclusion, finding details. */
static int demo_test(struct app *app, struct arena *a, const char *org_id, const char *slug,
                     const struct yml_node *t, struct app_eng_demo *out, struct err *e)
{
    const char *code, *seed;
    const struct yml_node *excs = NULL;
    int rc = yml_check_keys(t, test_keys, e);
    if (rc == 0)
        rc = yml_req_str(t, "control", &code, e);
    if (rc == 0)
        rc = yml_req_str(t, "seed", &seed, e);
    if (rc == 0)
        rc = yml_opt_seq(t, "exceptions", &excs, e);
    const struct yml_node *pop = yml_get(t, "population");
    if (rc == 0 && !pop)
        rc = yml_fail(e, t, TL_EINPUT, "missing required field 'population'");
    if (rc)
        return rc;
    const char *design = arena_printf(a, "%s:%s:design", slug, code);
    const char *operating = arena_printf(a, "%s:%s", slug, code);
    struct app_result_in walk = {.result = "pass"};
    struct app_conclude_result cr;
    rc = app_test_result(app, a, org_id, &demo_who, design, &walk, e);
    if (rc == 0)
        rc = app_test_conclude(app, a, org_id, &demo_who, design, &cr, e);
    const char **ids = NULL;
    size_t n = 0;
    if (rc == 0)
        rc = demo_population(a, pop, &ids, &n, e);
    struct app_population_in in = {.ids = ids, .n_ids = n, .source = "demo data"};
    struct app_population_result pr;
    if (rc == 0)
        rc = app_test_population(app, a, org_id, &demo_who, operating, &in, &pr, e);
    struct app_draw_result dr = {0};
    if (rc == 0)
        rc = app_sample_draw(app, a, org_id, &demo_who, operating, seed, 0, &dr, e);
    for (size_t i = 0; rc == 0 && i < dr.n; i++) {
        const char *text = planted(excs, dr.items[i].item, e, &rc);
        struct app_result_in r = {
            .item = dr.items[i].item, .result = text ? "exception" : "pass", .description = text};
        if (rc == 0)
            rc = app_test_result(app, a, org_id, &demo_who, operating, &r, e);
        if (rc == 0 && text)
            out->exceptions++;
    }
    if (rc == 0)
        rc = app_test_conclude(app, a, org_id, &demo_who, operating, &cr, e);
    if (rc == 0 && cr.finding) {
        out->findings++;
        const struct yml_node *f = yml_get(t, "finding");
        if (f)
            rc = demo_finding(app, a, org_id, cr.finding, f, e);
    }
    return rc ? err_wrap(e, "demo test of '%s'", code) : 0;
}

static int demo_request(struct app *app, struct arena *a, const char *org_id, const char *slug,
                        const struct yml_node *r, struct err *e)
{
    struct app_pbc_item in = {0};
    const char *status = NULL, *comment = NULL, *ref = NULL;
    int rc = yml_check_keys(r, req_keys, e);
    if (rc == 0)
        rc = yml_opt_str(r, "ref", NULL, &in.ref, e);
    if (rc == 0)
        rc = yml_req_str(r, "request", &in.request, e);
    if (rc == 0)
        rc = yml_opt_str(r, "control", NULL, &in.control, e);
    if (rc == 0)
        rc = yml_opt_str(r, "due", NULL, &in.due, e);
    if (rc == 0)
        rc = yml_opt_str(r, "status", NULL, &status, e);
    if (rc == 0)
        rc = yml_opt_str(r, "comment", NULL, &comment, e);
    if (rc == 0)
        rc = app_pbc_add(app, a, org_id, &demo_who, slug, &in, &ref, e);
    /* Accepted and returned items were submitted first. */
    if (rc == 0 && status && strcmp(status, "open") != 0)
        rc = app_pbc_set_status(app, a, org_id, &demo_who, slug, ref, "submitted", e);
    if (rc == 0 && status && strcmp(status, "open") != 0 && strcmp(status, "submitted") != 0)
        rc = app_pbc_set_status(app, a, org_id, &demo_who, slug, ref, status, e);
    if (rc == 0 && comment)
        rc = app_pbc_comment(app, a, org_id, &demo_who, slug, ref, comment, e);
    return rc;
}

static int demo_run(struct app *app, struct arena *a, const char *org_id,
                    const struct yml_node *root, struct app_eng_demo *out, struct err *e)
{
    const struct yml_node *eng = yml_get(root, "engagement"), *auditors = NULL, *tests = NULL,
                          *requests = NULL;
    struct app_engagement_in in = {.itgc_reliance = 1};
    int rc = yml_check_keys(root, top_keys, e);
    if (rc == 0 && !eng)
        rc = yml_fail(e, root, TL_EINPUT, "missing required field 'engagement'");
    if (rc == 0)
        rc = yml_check_keys(eng, eng_keys, e);
    if (rc == 0)
        rc = yml_opt_str(eng, "slug", NULL, &in.slug, e);
    if (rc == 0)
        rc = yml_req_str(eng, "kind", &in.kind, e);
    if (rc == 0)
        rc = yml_opt_str(eng, "period", NULL, &in.period, e);
    if (rc == 0)
        rc = yml_opt_str(eng, "firm", NULL, &in.firm, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "auditors", &auditors, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "tests", &tests, e);
    if (rc == 0)
        rc = yml_opt_seq(root, "requests", &requests, e);
    struct app_engagement g;
    if (rc == 0)
        rc = app_engagement_create(app, a, org_id, &demo_who, &in, &g, NULL, e);
    if (rc)
        return rc;
    out->slug = g.slug;
    for (size_t i = 0; rc == 0 && auditors && i < auditors->n; i++) {
        const char *email, *until = NULL;
        rc = yml_check_keys(auditors->items[i], auditor_keys, e);
        if (rc == 0)
            rc = yml_req_str(auditors->items[i], "email", &email, e);
        if (rc == 0)
            rc = access_until(app, a, auditors->items[i], &until, e);
        if (rc == 0)
            rc = app_engagement_auditor_add(app, a, org_id, &demo_who, g.slug, email, until, e);
    }
    struct app_plan_result pr;
    if (rc == 0)
        rc = app_engagement_set_phase(app, a, org_id, &demo_who, g.slug, "fieldwork", e);
    if (rc == 0)
        rc = app_test_plan(app, a, org_id, &demo_who, g.slug, NULL, &pr, e);
    for (size_t i = 0; rc == 0 && tests && i < tests->n; i++)
        rc = demo_test(app, a, org_id, g.slug, tests->items[i], out, e);
    for (size_t i = 0; rc == 0 && requests && i < requests->n; i++)
        rc = demo_request(app, a, org_id, g.slug, requests->items[i], e);
    struct app_test *ts = NULL;
    size_t n = 0;
    if (rc == 0)
        rc = app_test_list(app, a, org_id, &demo_who, g.slug, &ts, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        out->tests++;
        out->tested += ts[i].tested > 0;
        out->concluded += strcmp(ts[i].status, "concluded") == 0;
    }
    return rc;
}

int app_engagement_demo(struct app *app, struct arena *a, const char *org_id,
                        struct app_eng_demo *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    const char *data;
    size_t len;
    struct yml_node *root;
    int rc = app_content_read(app, DEMO_FILE, &data, &len, e);
    if (rc == 0)
        rc = yml_parse(a, DEMO_FILE, data, len, &root, e);
    if (rc == 0)
        rc = store_begin(app->store, e);
    if (rc)
        return rc;
    rc = demo_run(app, a, org_id, root, out, e);
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}
