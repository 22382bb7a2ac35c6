/* test_engagement.c - engagements and testing in app/: who may do what
 * (the auditor's restrictions above all), frozen concluded tests and
 * engagements, bad input that changes nothing, tenant isolation; over a
 * real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/evidence.h"
#include "app/pbc.h"
#include "app/person.h"
#include "app/testing.h"
#include "base/crypto.h"

struct fixture {
    char dir[64];
    char path[128];
    struct app app;
    struct arena a;
    struct app_org acme, beta;
};

static const struct app_who admin = {"admin", NULL};
static const struct app_who editor = {"editor", NULL};
static const struct app_who viewer = {"viewer", NULL};
static const struct app_who contributor = {"contributor", NULL};
static const struct app_who auditor = {"auditor", "Karin@Firm.example"};
static const struct app_who stranger = {"auditor", "eve@other.example"};

static void add_control(struct fixture *f, const char *code, const char *frequency,
                        const char *criterion, int key)
{
    struct err e = ERR_INIT;
    struct app_control_map m = {criterion, ""};
    struct app_control c = {.code = code,
                            .title = code,
                            .frequency = frequency,
                            .owner = "ann@acme.io",
                            .key = key,
                            .criteria = &m,
                            .n_criteria = 1};
    if (app_control_create(&f->app, &f->a, f->acme.id, &c, &e) != 0)
        fail_msg("control '%s': %s", code, e.msg);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f || crypto_init(NULL) != 0)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/tillit-test-eng-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    app_init(&f->app);
    snprintf(f->app.actor, sizeof(f->app.actor), "test");
    if (time_parse("2026-07-15T12:00:00Z", &f->app.now, NULL) != 0)
        return -1;
    int from, to;
    struct err e = ERR_INIT;
    struct app_org acme = {.slug = "acme", .name = "Acme"}, beta = {.slug = "beta", .name = "Beta"};
    struct app_person ann = {.email = "ann@acme.io", .name = "Ann", .is_control_owner = 1};
    if (app_create_db(&f->app, f->path, &from, &to, &e) != 0 ||
        app_org_create(&f->app, &f->a, &acme, &f->acme, &e) != 0 ||
        app_org_create(&f->app, &f->a, &beta, &f->beta, &e) != 0 ||
        app_person_create(&f->app, &f->a, f->acme.id, &ann, NULL, &e) != 0)
        return -1;
    *state = f;
    add_control(f, "CHG-01", "event-driven", "CC8.1", 0);
    add_control(f, "IAM-05", "event-driven", "CC6.2", 1);
    add_control(f, "BCP-01", "daily", "A1.2", 1); /* availability only */
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    app_release(&f->app);
    arena_release(&f->a);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t audit_count(struct fixture *f)
{
    int64_t n = -1;
    struct err e = ERR_INIT;
    if (store_query_int(f->app.store, &e, &n, NULL, "SELECT count(*) FROM audit_log", "") != 0)
        fail_msg("%s", e.msg);
    return n;
}

static void create_type2(struct fixture *f, const char *slug, const char *period)
{
    struct err e = ERR_INIT;
    struct app_engagement_in in = {.slug = slug,
                                   .kind = "type2",
                                   .period = period,
                                   .categories = "security",
                                   .itgc_reliance = 1};
    struct app_engagement g;
    if (app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e) != 0)
        fail_msg("create '%s': %s", slug, e.msg);
}

/* 20 changes CHG-001 .. CHG-020 as the population of ref. */
static void set_population(struct fixture *f, const struct app_who *who, const char *ref, size_t n)
{
    const char *ids[40];
    char buf[40][16];
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof(buf[i]), "CHG-%03zu", i + 1);
        ids[i] = buf[i];
    }
    struct app_population_in in = {.ids = ids, .n_ids = n};
    struct app_population_result r;
    struct err e = ERR_INIT;
    if (app_test_population(&f->app, &f->a, f->acme.id, who, ref, &in, &r, &e) != 0)
        fail_msg("population of '%s': %s", ref, e.msg);
}

static void test_create_rules(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct app_engagement g;
    const char *warning = NULL;
    int64_t before = audit_count(f);
    struct app_engagement_in in = {.kind = "type2", .period = "2026-01-01..2026-02-28"};
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     TL_EINPUT);
    assert_string_equal(e.msg, "period '2026-01-01..2026-02-28' is shorter than 3 months: a "
                               "type2 period is 3 to 12 months");
    in.period = "2026-01-01..2027-01-01";
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "longer than 12 months"));
    in = (struct app_engagement_in){.kind = "type2", .as_of = "2026-06-30"};
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     TL_EINPUT);
    in = (struct app_engagement_in){.kind = "type1", .period = "2026-01-01..2026-06-30"};
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     TL_EINPUT);
    in = (struct app_engagement_in){.kind = "type3", .as_of = "2026-06-30"};
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     TL_EINPUT);
    in = (struct app_engagement_in){
        .kind = "type1", .as_of = "2026-06-30", .categories = "security,colour"};
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     TL_EINPUT);
    assert_int_equal(audit_count(f), before); /* nothing changed */
    /* Exactly 12 and exactly 3 months pass; under 6 warns. */
    in = (struct app_engagement_in){.kind = "type2", .period = "2026-01-01..2026-12-31"};
    assert_int_equal(
        app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, &warning, &e), 0);
    assert_null(warning);
    assert_string_equal(g.slug, "type2-2026");
    assert_string_equal(g.categories, "security"); /* the organization's scope */
    in.period = "2026-01-01..2026-03-31";
    assert_int_equal(
        app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, &warning, &e), 0);
    assert_non_null(warning);
    assert_string_equal(g.slug, "type2-2026-2");
    in = (struct app_engagement_in){
        .kind = "readiness", .as_of = "2026-03-01", .categories = "availability"};
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     0);
    assert_string_equal(g.categories, "security,availability");
    /* Roles: viewers, contributors and auditors create no engagements. */
    in.slug = "other";
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &viewer, &in, &g, NULL, &e),
                     TL_EPERM);
    assert_string_equal(e.msg, "the role 'viewer' may not create engagements");
    assert_int_equal(
        app_engagement_create(&f->app, &f->a, f->acme.id, &contributor, &in, &g, NULL, &e),
        TL_EPERM);
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &auditor, &in, &g, NULL, &e),
                     TL_EPERM);
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &editor, &in, &g, NULL, &e),
                     0);
}

static void test_auditor_access(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    create_type2(f, "y2026", "2026-01-01..2026-06-30");
    create_type2(f, "y2025", "2025-01-01..2025-06-30");
    struct app_engagement g;
    /* Not granted: the engagement does not exist for them. */
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &auditor, "y2026", &g, &e),
                     TL_ENOTFOUND);
    assert_string_equal(e.msg, "no engagement 'y2026' (see 'tillit engagement list')");
    /* Only an admin grants access, and not in the past. */
    assert_int_equal(app_engagement_auditor_add(&f->app, &f->a, f->acme.id, &editor, "y2026",
                                                auditor.email, "2026-12-31", &e),
                     TL_EPERM);
    assert_int_equal(app_engagement_auditor_add(&f->app, &f->a, f->acme.id, &admin, "y2026",
                                                auditor.email, "2026-07-14", &e),
                     TL_EINPUT);
    assert_int_equal(app_engagement_auditor_add(&f->app, &f->a, f->acme.id, &admin, "y2026",
                                                auditor.email, "2026-12-31", &e),
                     0);
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &auditor, "y2026", &g, &e), 0);
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &auditor, "y2025", &g, &e),
                     TL_ENOTFOUND);
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &stranger, "y2026", &g, &e),
                     TL_ENOTFOUND);
    struct app_engagement *list;
    size_t n;
    assert_int_equal(app_engagement_list(&f->app, &f->a, f->acme.id, &auditor, &list, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].slug, "y2026");
    assert_int_equal(app_engagement_list(&f->app, &f->a, f->acme.id, &admin, &list, &n, &e), 0);
    assert_int_equal(n, 2);
    /* An auditor without an email is nobody. */
    struct app_who anon = {"auditor", NULL};
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &anon, "y2026", &g, &e),
                     TL_EPERM);
    /* The auditor writes workpapers and plans tests, not the program. */
    struct app_plan_result pr;
    assert_int_equal(app_test_plan(&f->app, &f->a, f->acme.id, &auditor, "y2026", "en", &pr, &e),
                     0);
    assert_int_equal(pr.added, 4); /* CHG-01 and IAM-05, design and operating; not BCP-01 */
    assert_int_equal(app_engagement_auditor_add(&f->app, &f->a, f->acme.id, &auditor, "y2026",
                                                "x@firm.example", "2026-12-31", &e),
                     TL_EPERM);
    set_population(f, &auditor, "y2026:CHG-01", 20);
    struct app_draw_result dr;
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", "7", 0, &dr, &e), 0);
    assert_int_equal(dr.size, 5); /* 13-52 changes: 5 */
    /* Editors and contributors write no workpapers. */
    struct app_result_in r = {.item = dr.items[0].item, .result = "pass"};
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &editor, "y2026:CHG-01", &r, &e),
                     TL_EPERM);
    assert_string_equal(e.msg, "the role 'editor' may not write test workpapers");
    for (size_t i = 0; i < dr.n; i++) {
        r.item = dr.items[i].item;
        r.result = i == 0 ? "exception" : "pass";
        r.description = i == 0 ? "approved after the deploy" : NULL;
        assert_int_equal(
            app_test_result(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", &r, &e), 0);
    }
    struct app_conclude_result cr;
    assert_int_equal(
        app_test_conclude(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", &cr, &e), 0);
    assert_string_equal(cr.conclusion, "not-effective");
    assert_string_equal(cr.finding, "F-1");
    /* Management's response is the organization's; severity the auditor's. */
    struct app_finding resp = {.response = "we agree"};
    assert_int_equal(app_finding_edit(&f->app, &f->a, f->acme.id, &auditor, "F-1", &resp, &e),
                     TL_EPERM);
    assert_int_equal(app_finding_edit(&f->app, &f->a, f->acme.id, &editor, "F-1", &resp, &e), 0);
    struct app_finding sev = {.severity = "low"};
    assert_int_equal(app_finding_edit(&f->app, &f->a, f->acme.id, &editor, "F-1", &sev, &e),
                     TL_EPERM);
    assert_int_equal(app_finding_edit(&f->app, &f->a, f->acme.id, &auditor, "F-1", &sev, &e), 0);
    struct app_remediation rem = {.action = "fix it", .owner = "ann@acme.io", .due = "2026-09-01"};
    const char *code;
    assert_int_equal(
        app_remediation_add(&f->app, &f->a, f->acme.id, &auditor, "F-1", &rem, &code, &e),
        TL_EPERM);
    assert_int_equal(
        app_remediation_add(&f->app, &f->a, f->acme.id, &admin, "F-1", &rem, &code, &e), 0);
    /* An auditor's request lands with the control's owner. */
    struct app_pbc_item req = {.request = "all changes", .control = "CHG-01"};
    const char *ref;
    assert_int_equal(app_pbc_add(&f->app, &f->a, f->acme.id, &auditor, "y2026", &req, &ref, &e), 0);
    struct app_pbc_item it;
    assert_int_equal(app_pbc_get(&f->app, &f->a, f->acme.id, &auditor, "y2026", ref, &it, &e), 0);
    assert_string_equal(it.owner, "ann@acme.io");
    assert_int_equal(
        app_pbc_set_status(&f->app, &f->a, f->acme.id, &auditor, "y2026", ref, "submitted", &e),
        TL_EPERM);
    assert_int_equal(
        app_pbc_set_status(&f->app, &f->a, f->acme.id, &contributor, "y2026", ref, "submitted", &e),
        0);
    assert_int_equal(
        app_pbc_set_status(&f->app, &f->a, f->acme.id, &contributor, "y2026", ref, "accepted", &e),
        TL_EPERM);
    assert_int_equal(
        app_pbc_set_status(&f->app, &f->a, f->acme.id, &auditor, "y2026", ref, "accepted", &e), 0);
    assert_int_equal(app_pbc_comment(&f->app, &f->a, f->acme.id, &viewer, "y2026", ref, "hi", &e),
                     TL_EPERM);
    assert_int_equal(app_pbc_comment(&f->app, &f->a, f->acme.id, &auditor, "y2026", ref, "ok", &e),
                     0);
    /* Findings of engagements the auditor cannot see stay hidden. */
    struct app_finding *fs;
    assert_int_equal(app_finding_list(&f->app, &f->a, f->acme.id, &auditor, NULL, &fs, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(app_finding_list(&f->app, &f->a, f->acme.id, &stranger, NULL, &fs, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(app_finding_get(&f->app, &f->a, f->acme.id, &stranger, "F-1", &fs[0], &e),
                     TL_ENOTFOUND);
    /* Access ends on its date... */
    tl_time saved = f->app.now;
    assert_int_equal(time_parse("2027-01-01T00:00:00Z", &f->app.now, NULL), 0);
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &auditor, "y2026", &g, &e),
                     TL_EPERM);
    assert_string_equal(e.msg,
                        "access of 'karin@firm.example' to engagement 'y2026' ended on 2026-12-31");
    f->app.now = saved;
    /* ...or when revoked. */
    assert_int_equal(app_engagement_auditor_revoke(&f->app, &f->a, f->acme.id, &admin, "y2026",
                                                   "karin@firm.example", &e),
                     0);
    assert_int_equal(app_test_list(&f->app, &f->a, f->acme.id, &auditor, "y2026",
                                   &(struct app_test *){NULL}, &n, &e),
                     TL_EPERM);
    assert_non_null(strstr(e.msg, "was revoked on 2026-07-15"));
    assert_int_equal(app_engagement_auditor_revoke(&f->app, &f->a, f->acme.id, &admin, "y2026",
                                                   "karin@firm.example", &e),
                     TL_ENOTFOUND);
    /* Another organization sees none of it. */
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->beta.id, &admin, "y2026", &g, &e),
                     TL_ENOTFOUND);
    assert_int_equal(app_finding_get(&f->app, &f->a, f->beta.id, &admin, "F-1", &fs[0], &e),
                     TL_ENOTFOUND);
}

static const char *write_file(struct fixture *f, const char *name, const char *text)
{
    char *p = arena_printf(&f->a, "%s/%s", f->dir, name);
    FILE *fp = fopen(p, "w");
    if (!fp)
        fail_msg("cannot write %s", p);
    fputs(text, fp);
    fclose(fp);
    return p;
}

static const char *add_evidence(struct fixture *f, const char *name, const char *control,
                                const char *period)
{
    const char *file = write_file(f, name, name);
    struct app_evidence_in in = {
        .files = &file, .n_files = 1, .controls = control, .period = period};
    struct app_evidence *out;
    struct err e = ERR_INIT;
    if (app_evidence_add(&f->app, &f->a, f->acme.id, &in, &out, &e) != 0)
        fail_msg("evidence '%s': %s", name, e.msg);
    return out[0].id;
}

static void test_auditor_sees_scope_and_period(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    create_type2(f, "y2026", "2026-01-01..2026-06-30");
    assert_int_equal(app_engagement_auditor_add(&f->app, &f->a, f->acme.id, &admin, "y2026",
                                                auditor.email, "2026-12-31", &e),
                     0);
    const char *in_scope = add_evidence(f, "a.txt", "CHG-01", "2026-02-01..2026-02-28");
    const char *out_scope = add_evidence(f, "b.txt", "BCP-01", "2026-02-01..2026-02-28");
    const char *too_old = add_evidence(f, "c.txt", "CHG-01", "2025-01-01..2025-03-31");
    struct app_control *cs;
    size_t n;
    assert_int_equal(
        app_engagement_scope(&f->app, &f->a, f->acme.id, &auditor, "y2026", &cs, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(cs[0].code, "CHG-01");
    assert_string_equal(cs[1].code, "IAM-05");
    struct app_evidence *ev;
    assert_int_equal(
        app_engagement_evidence(&f->app, &f->a, f->acme.id, &auditor, "y2026", &ev, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].id, in_scope);
    /* Evidence outside what they see cannot be cited in a result... */
    struct app_plan_result pr;
    assert_int_equal(app_test_plan(&f->app, &f->a, f->acme.id, &admin, "y2026", "en", &pr, &e), 0);
    set_population(f, &admin, "y2026:CHG-01", 3);
    struct app_draw_result dr;
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", "1", 0, &dr, &e), 0);
    struct app_result_in r = {.item = dr.items[0].item, .result = "pass", .evidence = out_scope};
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", &r, &e),
                     TL_ENOTFOUND);
    r.evidence = too_old;
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", &r, &e),
                     TL_ENOTFOUND);
    r.evidence = in_scope;
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &auditor, "y2026:CHG-01", &r, &e),
                     0);
    /* ...but what the organization attaches to a request becomes visible. */
    struct app_pbc_item req = {.request = "backups"};
    const char *ref;
    assert_int_equal(app_pbc_add(&f->app, &f->a, f->acme.id, &auditor, "y2026", &req, &ref, &e), 0);
    assert_int_equal(
        app_pbc_attach(&f->app, &f->a, f->acme.id, &editor, "y2026", ref, out_scope, &e), 0);
    assert_int_equal(
        app_engagement_evidence(&f->app, &f->a, f->acme.id, &auditor, "y2026", &ev, &n, &e), 0);
    assert_int_equal(n, 2);
}

static void test_concluded_test_is_frozen(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    create_type2(f, "y2026", "2026-01-01..2026-06-30");
    struct app_plan_result pr;
    assert_int_equal(app_test_plan(&f->app, &f->a, f->acme.id, &admin, "y2026", "en", &pr, &e), 0);
    set_population(f, &admin, "y2026:IAM-05", 10);
    struct app_draw_result dr;
    int64_t before = audit_count(f);
    /* Bad input first: nothing of it lands. */
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", "x1", 0, &dr, &e),
        TL_EINPUT);
    assert_non_null(strstr(e.msg, "seed 'x1' is not a number"));
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", "1", 11, &dr, &e),
        TL_EINPUT);
    assert_string_equal(e.msg, "a sample of 11 is larger than the population of 10");
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &admin, "y2026:NOPE-1", "1", 0, &dr, &e),
        TL_ENOTFOUND);
    assert_int_equal(audit_count(f), before);
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", "1", 0, &dr, &e), 0);
    assert_int_equal(dr.size, 2);
    struct app_result_in r = {.item = "CHG-999", .result = "pass"};
    before = audit_count(f);
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &r, &e),
                     TL_EINPUT);
    assert_string_equal(e.msg, "item 'CHG-999' is not in the sample of test 'y2026:IAM-05'");
    r = (struct app_result_in){.item = dr.items[0].item, .result = "exception"};
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &r, &e),
                     TL_EINPUT); /* an exception needs a description */
    struct app_conclude_result cr;
    assert_int_equal(app_test_conclude(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &cr, &e),
                     TL_EINPUT);
    assert_non_null(strstr(e.msg, "2 of 2 sample items have no result"));
    assert_int_equal(audit_count(f), before);
    for (size_t i = 0; i < dr.n; i++) {
        r = (struct app_result_in){.item = dr.items[i].item, .result = "pass"};
        assert_int_equal(
            app_test_result(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &r, &e), 0);
    }
    assert_int_equal(app_test_conclude(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &cr, &e),
                     0);
    assert_string_equal(cr.conclusion, "effective");
    assert_null(cr.finding);
    /* Concluded: nobody changes it, whatever their role. */
    before = audit_count(f);
    assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &r, &e),
                     TL_ECONFLICT);
    assert_string_equal(e.msg, "test 'y2026:IAM-05' is concluded and cannot change");
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", "2", 0, &dr, &e),
        TL_ECONFLICT);
    assert_int_equal(
        app_test_edit(&f->app, &f->a, f->acme.id, &editor, "y2026:IAM-05", "inquiry", NULL, &e),
        TL_ECONFLICT);
    const char *ids[] = {"X"};
    struct app_population_in pin = {.ids = ids, .n_ids = 1};
    struct app_population_result pres;
    assert_int_equal(
        app_test_population(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &pin, &pres, &e),
        TL_ECONFLICT);
    assert_int_equal(app_test_conclude(&f->app, &f->a, f->acme.id, &admin, "y2026:IAM-05", &cr, &e),
                     TL_ECONFLICT);
    assert_int_equal(audit_count(f), before);
    /* The database refuses it as well. */
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE eng_test SET conclusion = 'not-effective' "
                               "WHERE conclusion = 'effective'",
                               ""),
                     TL_ECONFLICT);
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE test_sample SET result = 'exception', "
                               "description = 'x'",
                               ""),
                     TL_ECONFLICT);
    /* The sample still verifies. */
    struct app_verify_result vr;
    assert_int_equal(
        app_sample_verify(&f->app, &f->a, f->acme.id, &viewer, "y2026:IAM-05", NULL, &vr, &e), 0);
    assert_true(vr.ok);
}

static void test_concluded_engagement_is_frozen(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    struct app_engagement_in in = {
        .slug = "ready", .kind = "readiness", .as_of = "2026-06-30", .categories = "security"};
    struct app_engagement g;
    assert_int_equal(app_engagement_create(&f->app, &f->a, f->acme.id, &admin, &in, &g, NULL, &e),
                     0);
    struct app_plan_result pr;
    assert_int_equal(app_test_plan(&f->app, &f->a, f->acme.id, &admin, "ready", "en", &pr, &e), 0);
    assert_int_equal(pr.added, 2); /* design only */
    assert_int_equal(
        app_engagement_set_phase(&f->app, &f->a, f->acme.id, &admin, "ready", "concluded", &e),
        TL_ECONFLICT);
    assert_non_null(strstr(e.msg, "2 test(s) are not concluded: ready:CHG-01:design"));
    const char *refs[] = {"ready:CHG-01", "ready:IAM-05"};
    for (int i = 0; i < 2; i++) {
        struct app_result_in r = {.result = "pass"};
        struct app_conclude_result cr;
        assert_int_equal(app_test_result(&f->app, &f->a, f->acme.id, &admin, refs[i], &r, &e), 0);
        assert_int_equal(app_test_conclude(&f->app, &f->a, f->acme.id, &admin, refs[i], &cr, &e),
                         0);
    }
    assert_int_equal(
        app_engagement_set_phase(&f->app, &f->a, f->acme.id, &admin, "ready", "concluded", &e), 0);
    int64_t before = audit_count(f);
    struct app_pbc_item req = {.request = "x"};
    const char *ref;
    assert_int_equal(app_pbc_add(&f->app, &f->a, f->acme.id, &admin, "ready", &req, &ref, &e),
                     TL_ECONFLICT);
    assert_string_equal(e.msg, "engagement 'ready' is concluded and read-only");
    assert_int_equal(app_test_plan(&f->app, &f->a, f->acme.id, &admin, "ready", "en", &pr, &e),
                     TL_ECONFLICT);
    assert_int_equal(
        app_engagement_set_phase(&f->app, &f->a, f->acme.id, &admin, "ready", "reporting", &e),
        TL_ECONFLICT);
    assert_int_equal(audit_count(f), before);
    /* Still readable. */
    assert_int_equal(app_engagement_get(&f->app, &f->a, f->acme.id, &viewer, "ready", &g, &e), 0);
    assert_string_equal(g.phase, "concluded");
    assert_int_equal(g.tests_concluded, 2);
}

static void test_verify_catches_tampering(void **state)
{
    struct fixture *f = *state;
    struct err e = ERR_INIT;
    create_type2(f, "y2026", "2026-01-01..2026-06-30");
    struct app_plan_result pr;
    assert_int_equal(app_test_plan(&f->app, &f->a, f->acme.id, &admin, "y2026", "en", &pr, &e), 0);
    set_population(f, &admin, "y2026:CHG-01", 30);
    struct app_draw_result dr;
    assert_int_equal(
        app_sample_draw(&f->app, &f->a, f->acme.id, &admin, "y2026:CHG-01", "42", 0, &dr, &e), 0);
    struct app_verify_result vr;
    assert_int_equal(
        app_sample_verify(&f->app, &f->a, f->acme.id, &admin, "y2026:CHG-01", NULL, &vr, &e), 0);
    assert_true(vr.ok);
    /* A sample row swapped for a friendlier item. */
    const char *other = strcmp(dr.items[0].item, "CHG-030") == 0 ? "CHG-029" : "CHG-030";
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE test_sample SET item = ? WHERE pos = 1 AND item = ?", "tt",
                               other, dr.items[0].item),
                     0);
    assert_int_equal(
        app_sample_verify(&f->app, &f->a, f->acme.id, &admin, "y2026:CHG-01", NULL, &vr, &e), 0);
    assert_false(vr.ok);
    assert_int_equal(vr.n_problems, 1);
    assert_non_null(strstr(vr.problems[0], "sample item 1 is '"));
    assert_non_null(strstr(vr.problems[0], dr.items[0].item));
    /* A population item renamed: the hash no longer matches. */
    assert_int_equal(store_run(f->app.store, &e, "UPDATE test_sample SET item = ? WHERE pos = 1",
                               "t", dr.items[0].item),
                     0);
    assert_int_equal(store_run(f->app.store, &e,
                               "UPDATE test_population SET item = 'CHG-000' WHERE idx = 0", ""),
                     0);
    assert_int_equal(
        app_sample_verify(&f->app, &f->a, f->acme.id, &admin, "y2026:CHG-01", NULL, &vr, &e), 0);
    assert_false(vr.ok);
    assert_non_null(strstr(vr.problems[0], "the population hash is"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auditor_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auditor_sees_scope_and_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concluded_test_is_frozen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concluded_engagement_is_frozen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_catches_tampering, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
