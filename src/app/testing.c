/* testing.c - tests of controls: plan, populations, samples, results,
 * conclusions, findings and remediation (see testing.h). */
#include "app/testing.h"

#include "app/dataset.h"
#include "base/js.h"
#include "base/sb.h"
#include "base/sheet.h"
#include "domain/program.h"
#include "engine/sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const app_test_methods[] = {"inquiry", "observation", "inspection", "re-performance",
                                        NULL};
const char *const app_test_results[] = {"pass", "exception", NULL};
const char *const app_finding_severities[] = {"low", "medium", "high", NULL};
const char *const app_finding_statuses[] = {"open", "remediating", "closed", NULL};
const char *const app_remediation_statuses[] = {"open", "in-progress", "done", NULL};

#define ID_MAX 256 /* bytes of a population item id */

/* --- naming tests ------------------------------------------------------------------ */

static const char *make_ref(struct arena *a, const char *slug, const char *eng_kind,
                            const char *code, const char *kind, int64_t retest_no)
{
    if (retest_no > 0)
        return arena_printf(a, "%s:%s:retest%lld", slug, code, (long long)retest_no);
    if (strcmp(kind, "design") == 0 && strcmp(eng_kind, "type2") == 0)
        return arena_printf(a, "%s:%s:design", slug, code);
    return arena_printf(a, "%s:%s", slug, code);
}

/* A test with what its queries need. */
struct test_ctx {
    struct app_engagement eng;
    struct app_test t;
    const char *control_id;
    const char *org_language;
};

#define TEST_COLUMNS                                                                               \
    "t.id, c.code, c.title, t.kind, t.retest_no, t.method, t.steps, t.frequency, "                 \
    "t.control_type, t.is_key, t.planned_size, t.size_basis, t.population_size, "                  \
    "t.population_hash, t.population_source, t.population_at, t.seed, t.sample_size, "             \
    "t.drawn_at, t.status, t.conclusion, t.tolerable, t.concluded_at, t.concluded_by, "            \
    "t.version, "                                                                                  \
    "(SELECT count(*) FROM test_sample s WHERE s.org_id = t.org_id AND s.test_id = t.id "          \
    "AND s.result IS NOT NULL), "                                                                  \
    "(SELECT count(*) FROM test_sample s WHERE s.org_id = t.org_id AND s.test_id = t.id "          \
    "AND s.result = 'pass'), "                                                                     \
    "(SELECT count(*) FROM test_sample s WHERE s.org_id = t.org_id AND s.test_id = t.id "          \
    "AND s.result = 'exception'), "                                                                \
    "e.slug, e.kind, t.control_id, oe.slug, oe.kind, ot.kind, ot.retest_no"
#define TEST_FROM                                                                                  \
    "eng_test t JOIN control c ON c.id = t.control_id AND c.org_id = t.org_id "                    \
    "JOIN engagement e ON e.id = t.engagement_id AND e.org_id = t.org_id "                         \
    "LEFT JOIN eng_test ot ON ot.id = t.retest_of AND ot.org_id = t.org_id "                       \
    "LEFT JOIN engagement oe ON oe.id = ot.engagement_id AND oe.org_id = ot.org_id"

static int64_t col_int_or(struct store_stmt *st, int col, int64_t dflt)
{
    return store_col_is_null(st, col) ? dflt : store_col_int(st, col);
}

static void read_test(struct store_stmt *st, struct arena *a, struct app_test *t,
                      const char **control_id)
{
    memset(t, 0, sizeof(*t));
    t->id = app__col(a, st, 0);
    t->control = app__col(a, st, 1);
    t->control_title = app__col(a, st, 2);
    t->kind = app__col(a, st, 3);
    t->retest_no = store_col_int(st, 4);
    t->method = app__col(a, st, 5);
    t->steps = app__col(a, st, 6);
    t->frequency = app__col(a, st, 7);
    t->control_type = app__col(a, st, 8);
    t->key = store_col_int(st, 9) != 0;
    t->planned_size = store_col_int(st, 10);
    t->size_basis = app__col(a, st, 11);
    t->population_size = col_int_or(st, 12, -1);
    t->population_hash = app__col(a, st, 13);
    t->population_source = app__col(a, st, 14);
    t->population_at = app__col(a, st, 15);
    t->seed = app__col(a, st, 16);
    t->sample_size = col_int_or(st, 17, -1);
    t->drawn_at = app__col(a, st, 18);
    t->status = app__col(a, st, 19);
    t->conclusion = app__col(a, st, 20);
    t->tolerable = col_int_or(st, 21, 0);
    t->concluded_at = app__col(a, st, 22);
    t->concluded_by = app__col(a, st, 23);
    t->version = store_col_int(st, 24);
    t->tested = store_col_int(st, 25);
    t->passed = store_col_int(st, 26);
    t->exceptions = store_col_int(st, 27);
    t->engagement = app__col(a, st, 28);
    const char *eng_kind = store_col_text(st, 29);
    if (control_id)
        *control_id = app__col(a, st, 30);
    t->ref = make_ref(a, t->engagement, eng_kind, t->control, t->kind, t->retest_no);
    if (!store_col_is_null(st, 31))
        t->retest_of = make_ref(a, store_col_text(st, 31), store_col_text(st, 32), t->control,
                                store_col_text(st, 33), store_col_int(st, 34));
    t->deviation_rate = t->tested ? (double)t->exceptions / (double)t->tested : -1.0;
}

static int no_test(struct err *e, const char *ref)
{
    return ERR_SET(e, TL_ENOTFOUND,
                   "no test '%s' (tests are named ENGAGEMENT:CONTROL[:design|:operating|:retestN]; "
                   "see 'tillit test list ENGAGEMENT')",
                   ref);
}

/* Finds the test ref names; right is checked on its engagement; with mutate
 * neither the engagement nor the test may be concluded. */
static int open_test(struct app *app, struct arena *a, const char *org_id,
                     const struct app_who *who, const char *ref, enum app_eng_right right,
                     bool mutate, struct test_ctx *x, struct err *e)
{
    memset(x, 0, sizeof(*x));
    if (!ref || !*ref)
        return ERR_SET(e, TL_EINPUT, "a test is required (ENGAGEMENT:CONTROL)");
    char *copy = arena_strdup(a, ref);
    char *code = strchr(copy, ':');
    if (!code)
        return no_test(e, ref);
    *code++ = '\0';
    char *sel = strchr(code, ':');
    if (sel)
        *sel++ = '\0';
    int rc = app__eng_open(app, a, org_id, who, copy, right, mutate, &x->eng, e);
    if (rc)
        return rc;
    /* Selector: kind and retest number; "retest" alone = the latest retest. */
    const char *kind = NULL;
    int64_t retest = 0;
    bool latest_retest = false;
    if (sel) {
        if (strcmp(sel, "design") == 0 || strcmp(sel, "operating") == 0) {
            kind = sel;
        } else if (strncmp(sel, "retest", 6) == 0) {
            latest_retest = sel[6] == '\0';
            char *end = NULL;
            retest = latest_retest ? 0 : strtoll(sel + 6, &end, 10);
            if (!latest_retest && (!end || *end || retest < 1))
                return no_test(e, ref);
        } else {
            return no_test(e, ref);
        }
    }
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT " TEST_COLUMNS " FROM " TEST_FROM
                        " WHERE t.org_id = ? AND t.engagement_id = ? AND c.code = ? "
                        "AND (? IS NULL OR t.kind = ?) "
                        "AND ((? = 1 AND t.retest_no > 0) OR (? = 0 AND t.retest_no = ?)) "
                        "ORDER BY t.retest_no DESC, t.kind DESC LIMIT 1",
                        "tttttiii", org_id, x->eng.id, code, kind, kind, (int64_t)latest_retest,
                        (int64_t)latest_retest, retest);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_test(st, a, &x->t, &x->control_id);
    store_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == TL_DONE)
        return no_test(e, ref);
    if (mutate && strcmp(x->t.status, "concluded") == 0)
        return ERR_SET(e, TL_ECONFLICT, "test '%s' is concluded and cannot change", x->t.ref);
    return 0;
}

static int org_language(struct app *app, struct arena *a, const char *org_id, const char **lang,
                        struct err *e)
{
    struct store_stmt *st;
    *lang = "en";
    int rc = store_preparef(app->store, e, &st, "SELECT language FROM organization WHERE id = ?",
                            "t", org_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *lang = app__col(a, st, 0);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The sample size the table gives test t of eng for a population of pop (-1 = unknown). */
static int table_size(struct app *app, struct arena *a, const struct app_engagement *eng,
                      const char *kind, const char *frequency, const char *type, int64_t pop,
                      int64_t *size, const char **basis, struct err *e)
{
    const struct dom_sampling_table *t;
    int rc = app__eng_table(app, a, eng, &t, e);
    if (rc)
        return rc;
    struct dom_sample_basis b = {
        .design = strcmp(kind, "design") == 0,
        .frequency = frequency,
        .automated = strcmp(type, "automated") == 0,
        .itgc_reliance = eng->itgc_reliance,
        .period_months = app__eng_months(eng),
        .population = pop,
    };
    char why[160];
    rc = dom_sample_size(t, &b, size, why, sizeof(why), e);
    if (rc == 0)
        *basis = arena_strdup(a, why);
    return rc;
}

/* --- the plan ---------------------------------------------------------------------- */

static const char *design_steps(struct arena *a, const struct app_control *c, bool sv)
{
    struct sb sb = SB_INIT;
    if (sv) {
        sb_addf(&sb, "Fråga kontrollägaren hur kontrollen utförs, av vem och hur ofta.\n");
        sb_addf(&sb, "Följ en förekomst av kontrollen från början till slut och granska det "
                     "underlag den lämnar (genomgång).\n");
        sb_addf(&sb, "Bedöm om kontrollen, utförd som beskriven, uppfyller kriterierna");
    } else {
        sb_addf(&sb, "Inquire of the control owner how, by whom and how often the control is "
                     "performed.\n");
        sb_addf(&sb, "Walk one occurrence of the control through from start to end and inspect "
                     "the evidence it leaves.\n");
        sb_addf(&sb, "Assess whether the control, performed as described, meets the criteria");
    }
    for (size_t i = 0; i < c->n_criteria; i++)
        sb_addf(&sb, "%s%s", i ? ", " : " ", c->criteria[i].criterion);
    sb_addc(&sb, '.');
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static const char *operating_steps(struct arena *a, const struct dom_library *lib,
                                   const struct app_control *c, const char *lang)
{
    bool sv = strcmp(lang, "sv") == 0;
    const struct dom_lib_control *lc =
        c->library_code ? dom_library_control(lib, c->library_code) : NULL;
    struct sb sb = SB_INIT;
    if (lc) {
        size_t n;
        const char *const *steps = dom_text_list_get(&lc->test_steps, lang, &n);
        for (size_t i = 0; i < n; i++)
            sb_addf(&sb, "%s%s", i ? "\n" : "", steps[i]);
    }
    if (sb.len == 0 && c->evidence && *c->evidence) {
        const char *p = c->evidence;
        while (*p) {
            size_t len = strcspn(p, "\n");
            if (len)
                sb_addf(&sb, "%s%s %.*s", sb.len ? "\n" : "",
                        sv ? "Granska:" : "Inspect:", (int)len, p);
            p += len + (p[len] == '\n');
        }
    }
    if (sb.len == 0)
        sb_adds(&sb, sv ? "Välj ett urval förekomster under perioden och granska underlag som "
                          "visar att kontrollen utfördes som beskriven."
                        : "Select a sample of occurrences in the period and inspect evidence that "
                          "the control was performed as described.");
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static int insert_test(struct app *app, struct arena *a, const char *org_id,
                       const struct app_engagement *eng, const char *control_id,
                       const struct app_control *c, const char *kind, int64_t retest_no,
                       const char *retest_of, const char *method, const char *steps,
                       const char **id_out, struct err *e)
{
    int64_t size = 0;
    const char *basis = "";
    int rc = table_size(app, a, eng, kind, c->frequency, c->type, -1, &size, &basis, e);
    if (rc)
        return rc;
    const char *id = app_new_id(a);
    struct app_change ch = {.org_id = org_id,
                            .action = "test.add",
                            .object_type = "test",
                            .table = "eng_test",
                            .object_key =
                                make_ref(a, eng->slug, eng->kind, c->code, kind, retest_no)};
    rc = app_change_begin(app, a, &ch, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "INSERT INTO eng_test (id, org_id, engagement_id, control_id, kind, retest_no, "
                   "retest_of, method, steps, frequency, control_type, is_key, planned_size, "
                   "size_basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "tttttitttttiit", id, org_id, eng->id, control_id, kind, retest_no, retest_of,
                   method, steps, c->frequency, c->type, (int64_t)(c->key ? 1 : 0), size, basis);
    ch.id = id;
    if (rc == 0)
        rc = app_change_commit(app, a, &ch, e);
    else
        app_change_abort(app);
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

static int control_id_of(struct app *app, struct arena *a, const char *org_id, const char *code,
                         const char **id, struct err *e)
{
    struct store_stmt *st;
    int rc =
        store_preparef(app->store, e, &st, "SELECT id FROM control WHERE org_id = ? AND code = ?",
                       "tt", org_id, code);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *id = app__col(a, st, 0);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no control '%s'", code);
    return rc < 0 ? rc : 0;
}

static int plan_control(struct app *app, struct arena *a, const char *org_id,
                        const struct app_engagement *eng, const struct dom_library *lib,
                        const struct app_control *c, const char *lang, struct app_plan_result *r,
                        struct err *e)
{
    static const char *const kinds[] = {"design", "operating"};
    bool type2 = strcmp(eng->kind, "type2") == 0;
    const char *control_id = NULL;
    int rc = control_id_of(app, a, org_id, c->code, &control_id, e);
    for (size_t k = 0; rc == 0 && k < (type2 ? 2u : 1u); k++) {
        bool exists;
        int64_t n = 0;
        rc = store_query_int(app->store, e, &n, &exists,
                             "SELECT count(*) FROM eng_test WHERE org_id = ? AND engagement_id = ? "
                             "AND control_id = ? AND kind = ? AND retest_no = 0",
                             "tttt", org_id, eng->id, control_id, kinds[k]);
        if (rc)
            break;
        if (n) {
            r->existing++;
            continue;
        }
        bool design = k == 0;
        const char *method = design                              ? "inspection"
                             : strcmp(c->type, "automated") == 0 ? "re-performance"
                                                                 : "inspection";
        const char *steps =
            design ? design_steps(a, c, strcmp(lang, "sv") == 0) : operating_steps(a, lib, c, lang);
        rc = insert_test(app, a, org_id, eng, control_id, c, kinds[k], 0, NULL, method, steps, NULL,
                         e);
        if (rc == 0)
            r->added++;
    }
    return rc;
}

int app_test_plan(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, const char *lang, struct app_plan_result *r, struct err *e)
{
    struct app_engagement eng;
    const struct dom_library *lib;
    struct app_control *scope;
    size_t n_scope;
    memset(r, 0, sizeof(*r));
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_PLAN, true, &eng, e);
    if (rc == 0)
        rc = app_library(app, &lib, e);
    if (rc == 0)
        rc = app_engagement_scope(app, a, org_id, who, slug, &scope, &n_scope, e);
    if (rc == 0 && !lang)
        rc = org_language(app, a, org_id, &lang, e);
    if (rc == 0)
        rc = store_begin(app->store, e);
    if (rc)
        return rc;
    for (size_t i = 0; rc == 0 && i < n_scope; i++)
        rc = plan_control(app, a, org_id, &eng, lib, &scope[i], lang, r, e);
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        memset(r, 0, sizeof(*r));
    }
    return rc;
}

/* --- reading tests ---------------------------------------------------------------- */

int app_test_list(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, struct app_test **out, size_t *n, struct err *e)
{
    struct app_engagement eng;
    int64_t count = 0;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &eng, e);
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM eng_test WHERE org_id = ? AND engagement_id = ?",
                             "tt", org_id, eng.id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " TEST_COLUMNS " FROM " TEST_FROM
                            " WHERE t.org_id = ? AND t.engagement_id = ? "
                            "ORDER BY c.code, t.retest_no, t.kind",
                            "tt", org_id, eng.id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count)
        read_test(st, a, &(*out)[(*n)++], NULL);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_test_get(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                 const char *ref, struct app_test *out, struct err *e)
{
    struct test_ctx x;
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_READ, false, &x, e);
    if (rc == 0)
        *out = x.t;
    return rc;
}

static int set_status_in_progress(struct app *app, const char *org_id, const char *test_id,
                                  struct err *e)
{
    return store_run(app->store, e,
                     "UPDATE eng_test SET status = 'in-progress', version = version + 1 "
                     "WHERE org_id = ? AND id = ?",
                     "tt", org_id, test_id);
}

int app_test_edit(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *ref, const char *method, const char *steps, struct err *e)
{
    struct test_ctx x;
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_PLAN, true, &x, e);
    if (rc)
        return rc;
    if (!method && !steps)
        return ERR_SET(e, TL_EINPUT, "nothing to change: give a method or procedure steps");
    if (method && dom_enum_check(app_test_methods, method, "test method", e) != 0)
        return TL_EINPUT;
    if (steps && (strlen(steps) > 20000 || !sheet_utf8_ok(steps, strlen(steps))))
        return ERR_SET(e, TL_EINPUT, "procedure steps must be UTF-8 text of at most 20000 bytes");
    struct app_change c = {.org_id = org_id,
                           .action = "test.edit",
                           .object_type = "test",
                           .table = "eng_test",
                           .id = x.t.id,
                           .object_key = x.t.ref};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE eng_test SET method = coalesce(?, method), steps = coalesce(?, steps), "
                   "version = version + 1 WHERE org_id = ? AND id = ?",
                   "tttt", method, steps, org_id, x.t.id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* --- populations -------------------------------------------------------------------- */

struct pop_item {
    const char *id, *date;
    int line;
};

static int cmp_item(const void *x, const void *y)
{
    return strcmp(((const struct pop_item *)x)->id, ((const struct pop_item *)y)->id);
}

static char *trim_dup(struct arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return arena_strndup(a, s, n);
}

static int check_id(const char *where, int line, const char *id, struct err *e)
{
    size_t n = strlen(id);
    if (n == 0)
        return ERR_SET(e, TL_EINPUT, "%s:%d: empty item id", where, line);
    if (n > ID_MAX)
        return ERR_SET(e, TL_EINPUT, "%s:%d: item id longer than %d bytes", where, line, ID_MAX);
    if (!sheet_utf8_ok(id, n))
        return ERR_SET(e, TL_EINPUT, "%s:%d: item id is not valid UTF-8", where, line);
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return ERR_SET(e, TL_EINPUT, "%s:%d: item id '%s' holds a control character", where,
                           line, id);
    return 0;
}

/* A date cell: YYYY-MM-DD, a timestamp starting with one, or (XLSX) an
 * Excel serial day number. */
static int parse_item_date(const char *where, int line, const char *s, bool serials, tl_date *d,
                           struct err *e)
{
    size_t n = strlen(s);
    if (n >= 10 && (s[10] == '\0' || s[10] == 'T' || s[10] == ' ')) {
        char day[DATE_BUF];
        memcpy(day, s, 10);
        day[10] = '\0';
        if (date_parse(day, d, NULL) == 0)
            return 0;
    }
    if (serials && n > 0 && n < 12) {
        char *end = NULL;
        double v = strtod(s, &end);
        if (end && *end == '\0' && v >= 1 && v < 2958466) {
            /* Excel counts from 1900-01-00 and takes 1900 for a leap year. */
            long days = (long)floor(v);
            *d = date_from_ymd(1899, 12, 31) + (tl_date)days - (days > 59 ? 1 : 0);
            return 0;
        }
    }
    return ERR_SET(e, TL_EINPUT, "%s:%d: '%s' is not a date (YYYY-MM-DD)", where, line, s);
}

/* The index of the column named name (case-insensitive) in the header, or -1. */
static long find_column(const struct sheet_row *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++) {
        const char *c = h->cells[i];
        size_t len = strlen(c);
        while (len && c[len - 1] == ' ')
            len--;
        if (len == strlen(name) && strncasecmp(c, name, len) == 0)
            return (long)i;
    }
    return -1;
}

static int missing_column(struct arena *a, const char *path, const struct sheet_row *h,
                          const char *name, const char *option, struct err *e)
{
    struct sb cols = SB_INIT;
    for (size_t i = 0; i < h->n && i < 20; i++)
        sb_addf(&cols, "%s%s", i ? ", " : "", h->cells[i]);
    ERR_SET(e, TL_EINPUT, "'%s' has no column '%s' (columns: %s; choose one with %s)", path, name,
            cols.buf, option);
    sb_release(&cols);
    (void)a;
    return TL_EINPUT;
}

struct pop_read {
    struct pop_item *items;
    size_t n;
    int64_t read, outside;
    const char *source;
};

static int read_table(struct arena *a, const struct app_engagement *eng,
                      const struct app_population_in *in, struct pop_read *pr, struct err *e)
{
    struct sheet sh;
    int rc = sheet_read(a, in->path, &sh, e);
    if (rc)
        return rc;
    if (sh.n_rows == 0)
        return ERR_SET(e, TL_EINPUT, "'%s' is empty (expected a header row)", in->path);
    const struct sheet_row *h = &sh.rows[0];
    const char *idname = in->column ? in->column : "id";
    long idc = find_column(h, idname), datec = -1;
    if (idc < 0)
        return missing_column(a, in->path, h, idname, "--column", e);
    if (in->date_column) {
        if (!eng->period_start)
            return ERR_SET(e, TL_EINPUT,
                           "engagement '%s' has an as-of date, not a period: --date-column "
                           "filters a population to a period",
                           eng->slug);
        datec = find_column(h, in->date_column);
        if (datec < 0)
            return missing_column(a, in->path, h, in->date_column, "--date-column", e);
    }
    size_t len = strlen(in->path);
    bool serials = len >= 5 && strcasecmp(in->path + len - 5, ".xlsx") == 0;
    pr->items = arena_calloc(a, sh.n_rows, sizeof(*pr->items));
    for (size_t r = 1; r < sh.n_rows; r++) {
        const struct sheet_row *row = &sh.rows[r];
        const char *id =
            trim_dup(a, sheet_cell(row, (size_t)idc), strlen(sheet_cell(row, (size_t)idc)));
        pr->read++;
        rc = check_id(in->path, row->line, id, e);
        if (rc)
            return rc;
        const char *date = NULL;
        if (datec >= 0) {
            tl_date d;
            const char *cell = sheet_cell(row, (size_t)datec);
            rc = parse_item_date(in->path, row->line, cell, serials, &d, e);
            if (rc)
                return rc;
            char buf[DATE_BUF];
            date_format(d, buf);
            if (strcmp(buf, eng->period_start) < 0 || strcmp(buf, eng->period_end) > 0) {
                pr->outside++;
                continue;
            }
            date = arena_strdup(a, buf);
        }
        pr->items[pr->n++] = (struct pop_item){id, date, row->line};
    }
    pr->source = arena_printf(a, "%s (column '%s'%s%s%s)", in->path, idname,
                              datec >= 0 ? ", dated within the period by '" : "",
                              datec >= 0 ? in->date_column : "", datec >= 0 ? "'" : "");
    return 0;
}

static int read_list(struct arena *a, const struct app_population_in *in, struct pop_read *pr,
                     struct err *e)
{
    struct sb sb;
    sb_init_capped(&sb, SHEET_MAX_PART);
    int rc = sb_read_file(&sb, in->path, e);
    if (rc) {
        sb_release(&sb);
        return rc == TL_ETOOBIG ? ERR_SET(e, TL_ETOOBIG, "'%s' is larger than %d bytes", in->path,
                                          SHEET_MAX_PART)
                                : rc;
    }
    size_t lines = 1;
    for (size_t i = 0; i < sb.len; i++)
        lines += sb.buf[i] == '\n';
    pr->items = arena_calloc(a, lines, sizeof(*pr->items));
    const char *p = sb.buf, *end = sb.buf + sb.len;
    if (sb.len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    for (int line = 1; rc == 0 && p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (memchr(p, '\0', n))
            rc = ERR_SET(e, TL_EINPUT, "%s:%d: NUL byte in text", in->path, line);
        const char *id = trim_dup(a, p, n);
        p += n + (nl ? 1 : 0);
        if (rc || !*id)
            continue;
        pr->read++;
        rc = check_id(in->path, line, id, e);
        if (rc == 0)
            pr->items[pr->n++] = (struct pop_item){id, NULL, line};
    }
    sb_release(&sb);
    pr->source = in->path;
    return rc;
}

/* Reads, checks and sorts the items of a population. */
/* The ids of a dataset's column, filtered to the period by a date column. */
static int read_dataset(struct app *app, struct arena *a, const struct app_engagement *eng,
                        const struct app_population_in *in, struct pop_read *pr, struct err *e)
{
    struct store_stmt *st;
    const char *slug = NULL;
    int rc = store_preparef(app->store, e, &st, "SELECT slug FROM organization WHERE id = ?", "t",
                            eng->org_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        slug = app__col(a, st, 0);
    store_finalize(st);
    if (rc < 0)
        return rc;
    struct app_org org;
    rc = app_org_get(app, a, slug ? slug : "", &org, e);
    if (rc)
        return rc;
    const char *column = in->column ? in->column : "id", *period = NULL;
    if (in->date_column) {
        if (!eng->period_start)
            return ERR_SET(e, TL_EINPUT,
                           "engagement '%s' has an as-of date, not a period: --date-column "
                           "filters a population to a period",
                           eng->slug);
        period = arena_printf(a, "%s..%s", eng->period_start, eng->period_end);
    }
    const char **ids = NULL;
    size_t n = 0;
    char hash[SHA256_HEX];
    rc = app_dataset_ids(app, a, &org, in->dataset, column, in->date_column, period, &ids, &n, hash,
                         e);
    if (rc)
        return rc;
    const char *where = arena_printf(a, "dataset '%s' row", in->dataset);
    pr->items = arena_calloc(a, n + 1, sizeof(*pr->items));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *id = trim_dup(a, ids[i], strlen(ids[i]));
        pr->read++;
        rc = check_id(where, (int)i + 1, id, e);
        pr->items[pr->n++] = (struct pop_item){id, NULL, (int)i + 1};
    }
    pr->source =
        arena_printf(a, "dataset '%s' (column '%s'%s%s%s; rows sha256 %s)", in->dataset, column,
                     in->date_column ? ", dated within the period by '" : "",
                     in->date_column ? in->date_column : "", in->date_column ? "'" : "", hash);
    return rc;
}

static int read_population(struct app *app, struct arena *a, const struct app_engagement *eng,
                           const struct app_population_in *in, struct pop_read *pr, struct err *e)
{
    memset(pr, 0, sizeof(*pr));
    int rc = 0;
    if (in->dataset && (in->path || in->ids))
        return ERR_SET(e, TL_EINPUT, "a population comes from a file or a dataset, not both");
    if (in->dataset) {
        rc = read_dataset(app, a, eng, in, pr, e);
    } else if (in->ids) {
        pr->items = arena_calloc(a, in->n_ids + 1, sizeof(*pr->items));
        for (size_t i = 0; rc == 0 && i < in->n_ids; i++) {
            const char *id = trim_dup(a, in->ids[i], strlen(in->ids[i]));
            pr->read++;
            rc = check_id("list", (int)i + 1, id, e);
            pr->items[pr->n++] = (struct pop_item){id, NULL, (int)i + 1};
        }
        pr->source = in->source ? in->source : "list";
    } else if (!in->path) {
        return ERR_SET(e, TL_EINPUT,
                       "a population needs a file or a dataset (--file PATH | --dataset NAME)");
    } else {
        size_t len = strlen(in->path);
        bool table = in->column || in->date_column ||
                     (len >= 4 && strcasecmp(in->path + len - 4, ".csv") == 0) ||
                     (len >= 5 && strcasecmp(in->path + len - 5, ".xlsx") == 0);
        rc = table ? read_table(a, eng, in, pr, e) : read_list(a, in, pr, e);
    }
    if (rc)
        return rc;
    if (pr->n > APP_POPULATION_MAX)
        return ERR_SET(e, TL_EINPUT, "a population of %zu items is larger than the %d allowed",
                       pr->n, APP_POPULATION_MAX);
    if (pr->n == 0)
        return ERR_SET(e, TL_EINPUT,
                       "the population is empty (%lld item(s) read, %lld dated outside the period)",
                       (long long)pr->read, (long long)pr->outside);
    qsort(pr->items, pr->n, sizeof(*pr->items), cmp_item);
    for (size_t i = 1; i < pr->n; i++)
        if (strcmp(pr->items[i - 1].id, pr->items[i].id) == 0)
            return ERR_SET(e, TL_EINPUT,
                           "item '%s' occurs twice in the population (lines %d and %d)",
                           pr->items[i].id,
                           pr->items[i - 1].line < pr->items[i].line ? pr->items[i - 1].line
                                                                     : pr->items[i].line,
                           pr->items[i - 1].line < pr->items[i].line ? pr->items[i].line
                                                                     : pr->items[i - 1].line);
    return 0;
}

static const char *population_hash(struct arena *a, const struct pop_item *items, size_t n)
{
    const char **ids = arena_calloc(a, n + 1, sizeof(*ids));
    for (size_t i = 0; i < n; i++)
        ids[i] = items[i].id;
    char hash[SHA256_HEX];
    eng_population_hash(ids, n, hash);
    return arena_strdup(a, hash);
}

static int has_results(struct app *app, const char *org_id, const char *test_id, bool *any,
                       struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM test_sample WHERE org_id = ? AND test_id = ? "
                             "AND result IS NOT NULL",
                             "tt", org_id, test_id);
    *any = n > 0;
    return rc;
}

static int store_population(struct app *app, const char *org_id, const char *test_id,
                            const struct pop_read *pr, struct err *e)
{
    int rc = store_run(app->store, e, "DELETE FROM test_sample WHERE org_id = ? AND test_id = ?",
                       "tt", org_id, test_id);
    if (rc == 0)
        rc =
            store_run(app->store, e, "DELETE FROM test_population WHERE org_id = ? AND test_id = ?",
                      "tt", org_id, test_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_prepare(app->store,
                           "INSERT INTO test_population (test_id, org_id, idx, item, item_date) "
                           "VALUES (?, ?, ?, ?, ?)",
                           &st, e);
    if (rc)
        return rc;
    for (size_t i = 0; rc == 0 && i < pr->n; i++) {
        store_bind_text(st, 1, test_id);
        store_bind_text(st, 2, org_id);
        store_bind_int(st, 3, (int64_t)i);
        store_bind_text(st, 4, pr->items[i].id);
        store_bind_text(st, 5, pr->items[i].date);
        rc = store_step(st, e);
        rc = rc == TL_DONE ? 0 : rc;
        store_reset(st);
    }
    store_finalize(st);
    return rc;
}

int app_test_population(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, const char *ref,
                        const struct app_population_in *in, struct app_population_result *r,
                        struct err *e)
{
    struct test_ctx x;
    struct pop_read pr;
    memset(r, 0, sizeof(*r));
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_WORKPAPER, true, &x, e);
    if (rc)
        return rc;
    bool any;
    rc = has_results(app, org_id, x.t.id, &any, e);
    if (rc == 0 && any)
        return ERR_SET(e, TL_ECONFLICT,
                       "test '%s' already has results: its population cannot change", x.t.ref);
    if (rc == 0)
        rc = read_population(app, a, &x.eng, in, &pr, e);
    int64_t size = 0;
    const char *basis = "";
    if (rc == 0)
        rc = table_size(app, a, &x.eng, x.t.kind, x.t.frequency, x.t.control_type, (int64_t)pr.n,
                        &size, &basis, e);
    if (rc)
        return rc;
    const char *hash = population_hash(a, pr.items, pr.n);
    struct app_change c = {.org_id = org_id,
                           .action = "test.population",
                           .object_type = "test",
                           .table = "eng_test",
                           .id = x.t.id,
                           .object_key = x.t.ref};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_population(app, org_id, x.t.id, &pr, e);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE eng_test SET population_size = ?, population_hash = ?, "
                       "population_source = ?, population_at = ?, planned_size = ?, "
                       "size_basis = ?, seed = NULL, sample_size = NULL, drawn_at = NULL, "
                       "status = 'in-progress', version = version + 1 "
                       "WHERE org_id = ? AND id = ?",
                       "itttittt", (int64_t)pr.n, hash, pr.source, app__now(app, a), size, basis,
                       org_id, x.t.id);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    if (rc == 0) {
        r->size = (int64_t)pr.n;
        r->read = pr.read;
        r->outside = pr.outside;
        r->hash = hash;
        r->planned_size = size;
        r->size_basis = basis;
        r->sample_dropped = x.t.seed != NULL;
    }
    return rc;
}

/* The stored population of a test in index order (items and indices). */
static int load_population(struct app *app, struct arena *a, const char *org_id,
                           const struct test_ctx *x, const char ***items, int64_t **idx,
                           const char ***dates, size_t *n, struct err *e)
{
    int64_t count = 0;
    int rc =
        store_query_int(app->store, e, &count, NULL,
                        "SELECT count(*) FROM test_population WHERE org_id = ? AND test_id = ?",
                        "tt", org_id, x->t.id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT idx, item, item_date FROM test_population "
                            "WHERE org_id = ? AND test_id = ? ORDER BY idx",
                            "tt", org_id, x->t.id);
    if (rc)
        return rc;
    *items = arena_calloc(a, (size_t)count + 1, sizeof(**items));
    if (idx)
        *idx = arena_calloc(a, (size_t)count + 1, sizeof(**idx));
    if (dates)
        *dates = arena_calloc(a, (size_t)count + 1, sizeof(**dates));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        if (idx)
            (*idx)[*n] = store_col_int(st, 0);
        if (dates)
            (*dates)[*n] = app__col(a, st, 2);
        (*items)[(*n)++] = app__col(a, st, 1);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_test_population_items(struct app *app, struct arena *a, const char *org_id,
                              const struct app_who *who, const char *ref, const char ***items,
                              size_t *n, struct err *e)
{
    struct test_ctx x;
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_READ, false, &x, e);
    return rc ? rc : load_population(app, a, org_id, &x, items, NULL, NULL, n, e);
}

/* --- samples ------------------------------------------------------------------------ */

static char *draw_json(struct arena *a, const struct test_ctx *x, const char *seed,
                       const char *hash, int64_t pop, const struct app_sample_item *items, size_t n)
{
    json_t *o = json_object();
    js_set_str(o, "test", x->t.ref);
    js_set_str(o, "seed", seed);
    js_set_str(o, "population_hash", hash);
    json_object_set_new(o, "population_size", json_integer(pop));
    json_object_set_new(o, "sample_size", json_integer((json_int_t)n));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_object();
        json_object_set_new(it, "pos", json_integer(items[i].pos));
        json_object_set_new(it, "idx", json_integer(items[i].idx));
        js_set_str(it, "item", items[i].item);
        json_array_append_new(arr, it);
    }
    json_object_set_new(o, "sample", arr);
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    json_decref(o);
    return out;
}

int app_sample_draw(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, const char *seed, int64_t size, struct app_draw_result *r,
                    struct err *e)
{
    struct test_ctx x;
    memset(r, 0, sizeof(*r));
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_WORKPAPER, true, &x, e);
    if (rc)
        return rc;
    uint64_t s;
    if (eng_seed_parse(seed, &s, e) != 0)
        return TL_EINPUT;
    if (x.t.population_size < 0)
        return ERR_SET(e, TL_EINPUT,
                       "test '%s' has no population yet (set one with 'tillit test population')",
                       x.t.ref);
    bool any;
    rc = has_results(app, org_id, x.t.id, &any, e);
    if (rc == 0 && any)
        return ERR_SET(e, TL_ECONFLICT,
                       "test '%s' already has results: its sample cannot be drawn again", x.t.ref);
    if (size < 0)
        return ERR_SET(e, TL_EINPUT, "a sample size must be at least 1");
    const char **items, **dates;
    size_t n;
    int64_t table = 0;
    const char *basis;
    if (rc == 0)
        rc = load_population(app, a, org_id, &x, &items, NULL, &dates, &n, e);
    if (rc == 0)
        rc = table_size(app, a, &x.eng, x.t.kind, x.t.frequency, x.t.control_type, (int64_t)n,
                        &table, &basis, e);
    if (rc)
        return rc;
    int64_t k = size ? size : table;
    if (k > (int64_t)n)
        return ERR_SET(e, TL_EINPUT, "a sample of %lld is larger than the population of %zu",
                       (long long)k, n);
    size_t *picks = arena_calloc(a, (size_t)k + 1, sizeof(*picks));
    rc = eng_sample_draw(s, n, (size_t)k, picks, e);
    if (rc)
        return rc;
    char canon[ENG_SEED_BUF];
    eng_seed_format(s, canon);
    r->items = arena_calloc(a, (size_t)k + 1, sizeof(*r->items));
    r->n = (size_t)k;
    for (size_t i = 0; i < r->n; i++) {
        r->items[i].pos = (int64_t)i + 1;
        r->items[i].idx = (int64_t)picks[i];
        r->items[i].item = items[picks[i]];
        r->items[i].item_date = dates[picks[i]];
    }
    r->seed = arena_strdup(a, canon);
    r->population_hash = x.t.population_hash;
    r->population_size = (int64_t)n;
    r->size = k;
    r->table_size = table;
    if (k < table)
        r->warning = arena_printf(a,
                                  "a sample of %lld is smaller than the %lld the table gives "
                                  "for test '%s' (%s)",
                                  (long long)k, (long long)table, x.t.ref, basis);
    struct app_change c = {
        .org_id = org_id, .action = "sample.draw", .object_type = "test", .object_key = x.t.ref};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    if (x.t.seed)
        c.before = draw_json(a, &x, x.t.seed, x.t.population_hash, (int64_t)n, NULL, 0);
    rc = store_run(app->store, e, "DELETE FROM test_sample WHERE org_id = ? AND test_id = ?", "tt",
                   org_id, x.t.id);
    for (size_t i = 0; rc == 0 && i < r->n; i++)
        rc = store_run(app->store, e,
                       "INSERT INTO test_sample (test_id, org_id, pos, idx, item) "
                       "VALUES (?, ?, ?, ?, ?)",
                       "ttiit", x.t.id, org_id, r->items[i].pos, r->items[i].idx, r->items[i].item);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE eng_test SET seed = ?, sample_size = ?, drawn_at = ?, "
                       "status = 'in-progress', version = version + 1 WHERE org_id = ? AND id = ?",
                       "tittt", canon, k, app__now(app, a), org_id, x.t.id);
    c.after = draw_json(a, &x, canon, x.t.population_hash, (int64_t)n, r->items, r->n);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

static void problem(struct arena *a, struct app_verify_result *r, size_t cap, const char *text)
{
    if (r->n_problems < cap)
        r->problems[r->n_problems] = arena_strdup(a, text);
    r->n_problems++;
}

#define VERIFY_MAX_PROBLEMS 20

int app_sample_verify(struct app *app, struct arena *a, const char *org_id,
                      const struct app_who *who, const char *ref,
                      const struct app_population_in *file, struct app_verify_result *r,
                      struct err *e)
{
    struct test_ctx x;
    memset(r, 0, sizeof(*r));
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_READ, false, &x, e);
    if (rc)
        return rc;
    if (!x.t.seed)
        return ERR_SET(e, TL_EINPUT, "test '%s' has no drawn sample to verify", x.t.ref);
    uint64_t seed;
    if (eng_seed_parse(x.t.seed, &seed, NULL) != 0) {
        r->problems = arena_calloc(a, VERIFY_MAX_PROBLEMS + 1, sizeof(char *));
        problem(a, r, VERIFY_MAX_PROBLEMS,
                arena_printf(a, "the recorded seed '%s' is not a number", x.t.seed));
        return 0;
    }
    const char **items;
    int64_t *idx;
    size_t n;
    rc = load_population(app, a, org_id, &x, &items, &idx, NULL, &n, e);
    if (rc)
        return rc;
    r->problems = arena_calloc(a, VERIFY_MAX_PROBLEMS + 1, sizeof(char *));
    r->population_size = (int64_t)n;
    /* The population: indices 0..n-1, sorted, matching the recorded size and hash. */
    for (size_t i = 0; i < n; i++) {
        if (idx[i] != (int64_t)i) {
            problem(a, r, VERIFY_MAX_PROBLEMS,
                    arena_printf(a, "population index %zu is missing (found %lld)", i,
                                 (long long)idx[i]));
            break;
        }
        if (i && strcmp(items[i - 1], items[i]) >= 0) {
            problem(a, r, VERIFY_MAX_PROBLEMS,
                    arena_printf(a, "population item %zu ('%s') is out of order", i, items[i]));
            break;
        }
    }
    if ((int64_t)n != x.t.population_size)
        problem(a, r, VERIFY_MAX_PROBLEMS,
                arena_printf(a, "the population has %zu items, the test recorded %lld", n,
                             (long long)x.t.population_size));
    char hash[SHA256_HEX];
    eng_population_hash(items, n, hash);
    if (!x.t.population_hash || strcmp(hash, x.t.population_hash) != 0)
        problem(a, r, VERIFY_MAX_PROBLEMS,
                arena_printf(a, "the population hash is %s, the test recorded %s", hash,
                             x.t.population_hash ? x.t.population_hash : "none"));
    if (file) {
        struct pop_read pr;
        rc = read_population(app, a, &x.eng, file, &pr, e);
        if (rc)
            return rc;
        const char *fh = population_hash(a, pr.items, pr.n);
        if (!x.t.population_hash || strcmp(fh, x.t.population_hash) != 0)
            problem(a, r, VERIFY_MAX_PROBLEMS,
                    arena_printf(a,
                                 "the population in '%s' (%zu items, hash %s) is not the one "
                                 "recorded (%lld items, hash %s)",
                                 pr.source, pr.n, fh, (long long)x.t.population_size,
                                 x.t.population_hash ? x.t.population_hash : "none"));
    }
    /* The sample: recompute from the seed and compare row by row. */
    struct app_sample_item *stored;
    size_t n_stored;
    rc = app_sample_list(app, a, org_id, who, ref, &stored, &n_stored, e);
    if (rc)
        return rc;
    int64_t k = x.t.sample_size;
    r->sample_size = k;
    if ((int64_t)n_stored != k)
        problem(a, r, VERIFY_MAX_PROBLEMS,
                arena_printf(a, "the sample has %zu items, the draw recorded %lld", n_stored,
                             (long long)k));
    if (k < 1 || k > (int64_t)n) {
        problem(
            a, r, VERIFY_MAX_PROBLEMS,
            arena_printf(a, "a sample of %lld cannot be drawn from %zu items", (long long)k, n));
    } else {
        size_t *picks = arena_calloc(a, (size_t)k + 1, sizeof(*picks));
        rc = eng_sample_draw(seed, n, (size_t)k, picks, e);
        if (rc)
            return rc;
        for (size_t i = 0; i < (size_t)k; i++) {
            const struct app_sample_item *s = NULL;
            for (size_t j = 0; j < n_stored && !s; j++)
                if (stored[j].pos == (int64_t)i + 1)
                    s = &stored[j];
            const char *want = items[picks[i]];
            if (!s)
                problem(a, r, VERIFY_MAX_PROBLEMS,
                        arena_printf(a, "sample item %zu is missing (the seed gives '%s')", i + 1,
                                     want));
            else if (strcmp(s->item, want) != 0 || s->idx != (int64_t)picks[i])
                problem(a, r, VERIFY_MAX_PROBLEMS,
                        arena_printf(a,
                                     "sample item %zu is '%s' (index %lld), the seed gives '%s' "
                                     "(index %zu)",
                                     i + 1, s->item, (long long)s->idx, want, picks[i]));
        }
    }
    if (r->n_problems > VERIFY_MAX_PROBLEMS) {
        r->problems[VERIFY_MAX_PROBLEMS] =
            arena_printf(a, "... and %zu more", r->n_problems - VERIFY_MAX_PROBLEMS);
        r->n_problems = VERIFY_MAX_PROBLEMS + 1;
    }
    r->ok = r->n_problems == 0;
    return 0;
}

int app_sample_list(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, struct app_sample_item **out, size_t *n, struct err *e)
{
    struct test_ctx x;
    int64_t count = 0;
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_READ, false, &x, e);
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM test_sample WHERE org_id = ? AND test_id = ?",
                             "tt", org_id, x.t.id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT s.pos, s.idx, s.item, p.item_date, s.result, s.description, "
                            "s.evidence, s.tested_by, s.tested_at FROM test_sample s "
                            "LEFT JOIN test_population p ON p.test_id = s.test_id "
                            "AND p.org_id = s.org_id AND p.idx = s.idx "
                            "WHERE s.org_id = ? AND s.test_id = ? ORDER BY s.pos",
                            "tt", org_id, x.t.id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        struct app_sample_item *it = &(*out)[(*n)++];
        it->pos = store_col_int(st, 0);
        it->idx = col_int_or(st, 1, -1);
        it->item = app__col(a, st, 2);
        it->item_date = app__col(a, st, 3);
        it->result = app__col(a, st, 4);
        it->description = app__col(a, st, 5);
        it->evidence = app__col(a, st, 6);
        it->tested_by = app__col(a, st, 7);
        it->tested_at = app__col(a, st, 8);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- results ------------------------------------------------------------------------ */

#define WALKTHROUGH "walkthrough"

static char *sample_row_json(struct app *app, struct arena *a, const char *org_id,
                             const char *test_id, const char *item)
{
    struct store_stmt *st;
    struct err ignore = ERR_INIT;
    if (store_preparef(app->store, &ignore, &st,
                       "SELECT pos, idx, item, result, description, evidence, tested_by, "
                       "tested_at FROM test_sample WHERE org_id = ? AND test_id = ? AND item = ?",
                       "ttt", org_id, test_id, item) != 0)
        return NULL;
    char *out = NULL;
    if (store_step(st, &ignore) == TL_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < store_col_count(st); i++)
            if (store_col_is_null(st, i))
                json_object_set_new(o, store_col_name(st, i), json_null());
            else
                js_set_str(o, store_col_name(st, i), store_col_text(st, i));
        struct sb sb = SB_INIT;
        js_dump(&sb, o, 0);
        out = arena_strdup(a, sb.buf);
        sb_release(&sb);
        json_decref(o);
    }
    store_finalize(st);
    return out;
}

int app_test_result(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, const struct app_result_in *in, struct err *e)
{
    struct test_ctx x;
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_WORKPAPER, true, &x, e);
    if (rc)
        return rc;
    if (!in->result || dom_enum_check(app_test_results, in->result, "result", e) != 0)
        return in->result ? TL_EINPUT
                          : ERR_SET(e, TL_EINPUT, "a result is required (pass or exception)");
    bool exception = strcmp(in->result, "exception") == 0;
    const char *desc = in->description ? in->description : "";
    if (exception && !*desc)
        return ERR_SET(e, TL_EINPUT, "an exception needs a description");
    if (strlen(desc) > 4000 || !sheet_utf8_ok(desc, strlen(desc)))
        return ERR_SET(e, TL_EINPUT, "a description must be UTF-8 text of at most 4000 bytes");
    const char *evidence = "";
    rc = app__eng_evidence_ids(app, a, org_id, who, &x.eng, in->evidence, &evidence, e);
    if (rc)
        return rc;
    bool walkthrough = false;
    const char *item = in->item;
    if (!item || (strcmp(item, WALKTHROUGH) == 0 && !x.t.seed)) {
        if (x.t.seed)
            return ERR_SET(e, TL_EINPUT, "give the sample item: test '%s' has a sample of %lld",
                           x.t.ref, (long long)x.t.sample_size);
        if (strcmp(x.t.kind, "design") != 0)
            return ERR_SET(e, TL_EINPUT,
                           "test '%s' has no sample yet (draw one with 'tillit sample draw')",
                           x.t.ref);
        walkthrough = true;
        item = WALKTHROUGH;
    } else {
        int64_t found = 0;
        rc = store_query_int(app->store, e, &found, NULL,
                             "SELECT count(*) FROM test_sample WHERE org_id = ? AND test_id = ? "
                             "AND item = ?",
                             "ttt", org_id, x.t.id, item);
        if (rc)
            return rc;
        if (!found)
            return ERR_SET(e, TL_EINPUT, "item '%s' is not in the sample of test '%s'", item,
                           x.t.ref);
    }
    struct app_change c = {.org_id = org_id,
                           .action = "test.result",
                           .object_type = "test",
                           .object_key = arena_printf(a, "%s#%s", x.t.ref, item)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = sample_row_json(app, a, org_id, x.t.id, item);
    if (walkthrough && !c.before)
        rc = store_run(app->store, e,
                       "INSERT INTO test_sample (test_id, org_id, pos, idx, item) "
                       "VALUES (?, ?, 1, NULL, ?)",
                       "ttt", x.t.id, org_id, item);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "UPDATE test_sample SET result = ?, description = ?, evidence = ?, "
                       "tested_by = ?, tested_at = ? WHERE org_id = ? AND test_id = ? AND item = ?",
                       "tttttttt", in->result, desc, evidence, app->actor, app__now(app, a), org_id,
                       x.t.id, item);
    if (rc == 0 && strcmp(x.t.status, "planned") == 0)
        rc = set_status_in_progress(app, org_id, x.t.id, e);
    c.after = sample_row_json(app, a, org_id, x.t.id, item);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* --- findings (shared by conclude and add) ------------------------------------------- */

static int next_code(struct app *app, const char *org_id, const char *table, const char *prefix,
                     struct arena *a, const char **code, struct err *e)
{
    struct store_stmt *st;
    char *sql = arena_printf(a, "SELECT code FROM %s WHERE org_id = ?", table);
    int rc = store_preparef(app->store, e, &st, sql, "t", org_id);
    if (rc)
        return rc;
    long max = 0;
    size_t pn = strlen(prefix);
    while ((rc = store_step(st, e)) == TL_ROW) {
        const char *c = store_col_text(st, 0);
        if (strncmp(c, prefix, pn) == 0) {
            long v = strtol(c + pn, NULL, 10);
            if (v > max)
                max = v;
        }
    }
    store_finalize(st);
    *code = arena_printf(a, "%s%ld", prefix, max + 1);
    return rc < 0 ? rc : 0;
}

static const char *finding_json(struct app *app, struct arena *a, const char *id)
{
    const char *row = NULL;
    struct err ignore = ERR_INIT;
    app_row_json(app, a, "finding", id, &row, &ignore);
    if (!row)
        return NULL;
    json_t *o = NULL;
    if (js_parse("finding", row, strlen(row), &o, &ignore) != 0)
        return row;
    json_t *items = json_array();
    struct store_stmt *st;
    if (store_preparef(app->store, &ignore, &st,
                       "SELECT fi.item FROM finding_item fi JOIN finding f ON f.id = "
                       "fi.finding_id AND f.org_id = fi.org_id WHERE fi.finding_id = ? "
                       "ORDER BY fi.item",
                       "t", id) == 0) {
        while (store_step(st, &ignore) == TL_ROW)
            json_array_append_new(items, json_string(store_col_text(st, 0)));
        store_finalize(st);
    }
    json_object_set_new(o, "items", items);
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    json_decref(o);
    return out;
}

/* Creates a finding on test x from items (exceptions of its sample). */
static int create_finding(struct app *app, struct arena *a, const char *org_id,
                          const struct test_ctx *x, const char *title, const char *description,
                          const char *severity, const char *const *items, size_t n_items,
                          const char **code_out, struct err *e)
{
    const char *code;
    int rc = next_code(app, org_id, "finding", "F-", a, &code, e);
    if (rc)
        return rc;
    const char *id = app_new_id(a);
    struct app_change c = {
        .org_id = org_id, .action = "finding.add", .object_type = "finding", .object_key = code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "INSERT INTO finding (id, org_id, engagement_id, test_id, code, title, "
                   "description, severity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ttttttttt", id, org_id, x->eng.id, x->t.id, code, title, description, severity,
                   app__now(app, a));
    for (size_t i = 0; rc == 0 && i < n_items; i++)
        rc = store_run(app->store, e,
                       "INSERT INTO finding_item (finding_id, org_id, test_id, item) "
                       "VALUES (?, ?, ?, ?)",
                       "tttt", id, org_id, x->t.id, items[i]);
    c.after = finding_json(app, a, id);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    if (rc == 0 && code_out)
        *code_out = code;
    return rc;
}

/* The exceptions of test x not yet covered by a finding. */
static int uncovered_exceptions(struct app *app, struct arena *a, const char *org_id,
                                const struct test_ctx *x, const char ***items, const char ***descs,
                                size_t *n, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT s.item, s.description FROM test_sample s "
                            "WHERE s.org_id = ? AND s.test_id = ? AND s.result = 'exception' "
                            "AND NOT EXISTS (SELECT 1 FROM finding_item fi WHERE fi.org_id = "
                            "s.org_id AND fi.test_id = s.test_id AND fi.item = s.item) "
                            "ORDER BY s.pos",
                            "tt", org_id, x->t.id);
    if (rc)
        return rc;
    size_t cap = (size_t)(x->t.exceptions > 0 ? x->t.exceptions : 0) + 1;
    *items = arena_calloc(a, cap, sizeof(**items));
    *descs = arena_calloc(a, cap, sizeof(**descs));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < cap) {
        (*items)[*n] = app__col(a, st, 0);
        (*descs)[(*n)++] = app__col(a, st, 1);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- conclusions ---------------------------------------------------------------------- */

static int check_all_tested(struct app *app, struct arena *a, const char *org_id,
                            const struct test_ctx *x, struct err *e)
{
    struct store_stmt *st;
    int64_t total = 0;
    int rc = store_query_int(app->store, e, &total, NULL,
                             "SELECT count(*) FROM test_sample WHERE org_id = ? AND test_id = ?",
                             "tt", org_id, x->t.id);
    if (rc)
        return rc;
    if (total == 0)
        return ERR_SET(e, TL_EINPUT, "test '%s' has no results to conclude on%s", x->t.ref,
                       strcmp(x->t.kind, "design") == 0
                           ? " (record the walkthrough with 'tillit test result')"
                           : " (draw a sample and record its results)");
    rc = store_preparef(app->store, e, &st,
                        "SELECT item FROM test_sample WHERE org_id = ? AND test_id = ? "
                        "AND result IS NULL ORDER BY pos",
                        "tt", org_id, x->t.id);
    if (rc)
        return rc;
    struct sb sb = SB_INIT;
    int64_t missing = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (missing < 5)
            sb_addf(&sb, "%s%s", missing ? ", " : "", store_col_text(st, 0));
        missing++;
    }
    store_finalize(st);
    if (rc == 0 && missing)
        rc = ERR_SET(e, TL_EINPUT,
                     "cannot conclude test '%s': %lld of %lld sample items have no result (%s%s)",
                     x->t.ref, (long long)missing, (long long)total, sb.buf,
                     missing > 5 ? ", ..." : "");
    sb_release(&sb);
    (void)a;
    return rc < 0 ? rc : 0;
}

static const char *finding_text(struct arena *a, const struct test_ctx *x, const char *conclusion,
                                int64_t tested, const char *const *items, const char *const *descs,
                                size_t n, bool sv, const char **title)
{
    double rate = tested ? 100.0 * (double)n / (double)tested : 0.0;
    if (sv)
        *title = arena_printf(a, "%s: %zu avvikelse(r) av %lld testade (%s)", x->t.control, n,
                              (long long)tested,
                              strcmp(x->t.kind, "design") == 0 ? "utformning" : "funktion");
    else
        *title = arena_printf(a, "%s: %zu exception(s) in %lld tested (%s test)", x->t.control, n,
                              (long long)tested, x->t.kind);
    struct sb sb = SB_INIT;
    if (sv)
        sb_addf(&sb,
                "Test %s (%s) fann %zu avvikelse(r) i ett urval om %lld (avvikelsegrad "
                "%.1f %%); slutsats: %s.\n",
                x->t.ref, x->t.method, n, (long long)tested, rate, conclusion);
    else
        sb_addf(&sb,
                "Test %s (%s) found %zu exception(s) in a sample of %lld (deviation rate "
                "%.1f%%); conclusion: %s.\n",
                x->t.ref, x->t.method, n, (long long)tested, rate, conclusion);
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "- %s: %s\n", items[i], descs[i]);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

int app_test_conclude(struct app *app, struct arena *a, const char *org_id,
                      const struct app_who *who, const char *ref, struct app_conclude_result *r,
                      struct err *e)
{
    struct test_ctx x;
    memset(r, 0, sizeof(*r));
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_WORKPAPER, true, &x, e);
    if (rc == 0)
        rc = check_all_tested(app, a, org_id, &x, e);
    const struct dom_sampling_table *table;
    if (rc == 0)
        rc = app__eng_table(app, a, &x.eng, &table, e);
    const char *lang = "en";
    if (rc == 0)
        rc = org_language(app, a, org_id, &lang, e);
    if (rc)
        return rc;
    int64_t tested = x.t.tested, exc = x.t.exceptions;
    int tol = dom_tolerable_exceptions(table, tested, x.t.key);
    enum dom_conclusion cc = dom_conclude(table, tested, exc, x.t.key);
    r->conclusion = dom_conclusions[cc];
    r->tested = tested;
    r->exceptions = exc;
    r->tolerable = tol;
    r->deviation_rate = tested ? (double)exc / (double)tested : 0.0;
    rc = store_begin(app->store, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "test.conclude",
                           .object_type = "test",
                           .table = "eng_test",
                           .id = x.t.id,
                           .object_key = x.t.ref};
    rc = app_change_begin(app, a, &c, e);
    if (rc == 0) {
        rc = store_run(app->store, e,
                       "UPDATE eng_test SET status = 'concluded', conclusion = ?, tested = ?, "
                       "exceptions = ?, tolerable = ?, concluded_at = ?, concluded_by = ?, "
                       "version = version + 1 WHERE org_id = ? AND id = ?",
                       "tiiitttt", r->conclusion, tested, exc, (int64_t)tol, app__now(app, a),
                       app->actor, org_id, x.t.id);
        if (rc == 0)
            rc = app_change_commit(app, a, &c, e);
        else
            app_change_abort(app);
    }
    const char **items = NULL, **descs = NULL;
    size_t n = 0;
    if (rc == 0 && exc > 0)
        rc = uncovered_exceptions(app, a, org_id, &x, &items, &descs, &n, e);
    if (rc == 0 && n > 0) {
        const char *title;
        const char *desc = finding_text(a, &x, r->conclusion, tested, items, descs, n,
                                        strcmp(lang, "sv") == 0, &title);
        const char *severity = cc == DOM_NOT_EFFECTIVE ? "high" : "medium";
        rc = create_finding(app, a, org_id, &x, title, desc, severity, items, n, &r->finding, e);
    }
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        memset(r, 0, sizeof(*r));
    }
    return rc;
}

/* --- findings ------------------------------------------------------------------------- */

#define FINDING_COLUMNS                                                                            \
    "f.id, f.code, e.slug, f.title, f.description, f.severity, f.root_cause, f.response, "         \
    "f.status, f.created_at, f.version, c.code, t.kind, t.retest_no, e.kind, f.engagement_id"
#define FINDING_FROM                                                                               \
    "finding f JOIN engagement e ON e.id = f.engagement_id AND e.org_id = f.org_id "               \
    "LEFT JOIN eng_test t ON t.id = f.test_id AND t.org_id = f.org_id "                            \
    "LEFT JOIN control c ON c.id = t.control_id AND c.org_id = t.org_id"

static void read_finding(struct store_stmt *st, struct arena *a, struct app_finding *f,
                         const char **id)
{
    memset(f, 0, sizeof(*f));
    *id = app__col(a, st, 0);
    f->code = app__col(a, st, 1);
    f->engagement = app__col(a, st, 2);
    f->title = app__col(a, st, 3);
    f->description = app__col(a, st, 4);
    f->severity = app__col(a, st, 5);
    f->root_cause = app__col(a, st, 6);
    f->response = app__col(a, st, 7);
    f->status = app__col(a, st, 8);
    f->created_at = app__col(a, st, 9);
    f->version = store_col_int(st, 10);
    f->control = app__col(a, st, 11);
    if (f->control)
        f->test = make_ref(a, f->engagement, store_col_text(st, 14), f->control,
                           store_col_text(st, 12), store_col_int(st, 13));
}

static int finding_items(struct app *app, struct arena *a, const char *org_id, const char *id,
                         struct app_finding *f, struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(
        app->store, e, &count, NULL,
        "SELECT count(*) FROM finding_item WHERE org_id = ? AND finding_id = ?", "tt", org_id, id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT item FROM finding_item WHERE org_id = ? AND finding_id = ? "
                            "ORDER BY item",
                            "tt", org_id, id);
    if (rc)
        return rc;
    f->items = arena_calloc(a, (size_t)count + 1, sizeof(*f->items));
    while ((rc = store_step(st, e)) == TL_ROW && f->n_items < (size_t)count)
        f->items[f->n_items++] = app__col(a, st, 0);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_finding_list(struct app *app, struct arena *a, const char *org_id,
                     const struct app_who *who, const char *slug, struct app_finding **out,
                     size_t *n, struct err *e)
{
    struct app_engagement eng = {0};
    int rc = slug ? app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &eng, e)
                  : app_eng_authz(app, a, org_id, who, NULL, APP_ENG_READ, e);
    int64_t count = 0;
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM finding WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " FINDING_COLUMNS " FROM " FINDING_FROM
                            " WHERE f.org_id = ? AND (? IS NULL OR f.engagement_id = ?) "
                            "ORDER BY f.created_at, f.code",
                            "ttt", org_id, eng.id, eng.id);
    if (rc)
        return rc;
    struct app_finding *all = arena_calloc(a, (size_t)count + 1, sizeof(*all));
    const char **ids = arena_calloc(a, (size_t)count + 1, sizeof(*ids));
    size_t k = 0;
    while ((rc = store_step(st, e)) == TL_ROW && k < (size_t)count) {
        read_finding(st, a, &all[k], &ids[k]);
        k++;
    }
    store_finalize(st);
    if (rc < 0)
        return rc;
    *out = arena_calloc(a, k + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        if (!slug) {
            struct err ignore = ERR_INIT;
            int ok = app_eng_authz(app, a, org_id, who, all[i].engagement, APP_ENG_READ, &ignore);
            if (ok == TL_ENOTFOUND || ok == TL_EPERM)
                continue;
            if (ok)
                return ERR_SET(e, ok, "%s", ignore.msg);
        }
        rc = finding_items(app, a, org_id, ids[i], &all[i], e);
        if (rc)
            return rc;
        (*out)[(*n)++] = all[i];
    }
    return 0;
}

/* A finding by code with its id, after checking right on its engagement. */
static int open_finding(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, const char *code, enum app_eng_right right,
                        bool mutate, struct app_finding *out, const char **id,
                        struct app_engagement *eng, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " FINDING_COLUMNS " FROM " FINDING_FROM
                            " WHERE f.org_id = ? AND f.code = ?",
                            "tt", org_id, code ? code : "");
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_finding(st, a, out, id);
    store_finalize(st);
    if (rc < 0)
        return rc;
    int found = rc == TL_ROW;
    if (found)
        rc = app__eng_open(app, a, org_id, who, out->engagement, right, mutate, eng, e);
    if (!found || rc == TL_ENOTFOUND)
        return ERR_SET(e, TL_ENOTFOUND, "no finding '%s' (see 'tillit finding list')",
                       code ? code : "");
    if (rc == 0)
        rc = finding_items(app, a, org_id, *id, out, e);
    return rc;
}

int app_finding_get(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *code, struct app_finding *out, struct err *e)
{
    const char *id;
    struct app_engagement eng;
    return open_finding(app, a, org_id, who, code, APP_ENG_READ, false, out, &id, &eng, e);
}

static int check_text(const char *what, const char *s, size_t max, bool required, struct err *e)
{
    if (!s)
        return required ? ERR_SET(e, TL_EINPUT, "%s is required", what) : 0;
    if (required && !*s)
        return ERR_SET(e, TL_EINPUT, "%s must not be empty", what);
    if (strlen(s) > max || !sheet_utf8_ok(s, strlen(s)))
        return ERR_SET(e, TL_EINPUT, "%s must be UTF-8 text of at most %zu bytes", what, max);
    return 0;
}

int app_finding_add(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *ref, const struct app_finding *in, const char **code, struct err *e)
{
    struct test_ctx x;
    int rc = open_test(app, a, org_id, who, ref, APP_ENG_WORKPAPER, false, &x, e);
    if (rc == 0 && strcmp(x.eng.phase, "concluded") == 0)
        rc = ERR_SET(e, TL_ECONFLICT, "engagement '%s' is concluded and read-only", x.eng.slug);
    if (rc == 0)
        rc = check_text("a finding's title", in->title, 300, true, e);
    if (rc == 0)
        rc = check_text("a finding's description", in->description, 8000, false, e);
    if (rc == 0 &&
        (!in->severity || dom_enum_check(app_finding_severities, in->severity, "severity", e) != 0))
        rc = in->severity ? TL_EINPUT
                          : ERR_SET(e, TL_EINPUT, "a severity is required (low, medium, high)");
    if (rc)
        return rc;
    for (size_t i = 0; i < in->n_items; i++) {
        int64_t ok = 0;
        rc = store_query_int(app->store, e, &ok, NULL,
                             "SELECT count(*) FROM test_sample WHERE org_id = ? AND test_id = ? "
                             "AND item = ? AND result = 'exception'",
                             "ttt", org_id, x.t.id, in->items[i]);
        if (rc)
            return rc;
        if (!ok)
            return ERR_SET(e, TL_EINPUT, "item '%s' is not an exception in the sample of test '%s'",
                           in->items[i], x.t.ref);
    }
    return create_finding(app, a, org_id, &x, in->title, in->description ? in->description : "",
                          in->severity, in->items, in->n_items, code, e);
}

int app_finding_edit(struct app *app, struct arena *a, const char *org_id,
                     const struct app_who *who, const char *code, const struct app_finding *patch,
                     struct err *e)
{
    struct app_finding f;
    const char *id;
    struct app_engagement eng;
    bool auditor_fields =
        patch->title || patch->description || patch->severity || patch->root_cause;
    if (!auditor_fields && !patch->response && !patch->status)
        return ERR_SET(e, TL_EINPUT, "nothing to change in finding '%s'", code ? code : "");
    int rc = open_finding(app, a, org_id, who, code, APP_ENG_READ, false, &f, &id, &eng, e);
    /* The auditor's fields need workpaper rights, the response the
     * organization's; the status either, and it may still change after the
     * engagement concluded (findings are followed up), unlike the rest. */
    if (rc == 0 && auditor_fields)
        rc = app_eng_authz(app, a, org_id, who, eng.slug, APP_ENG_WORKPAPER, e);
    if (rc == 0 && patch->response)
        rc = app_eng_authz(app, a, org_id, who, eng.slug, APP_ENG_RESPOND, e);
    if (rc == 0 && !auditor_fields && !patch->response) {
        rc = app_eng_authz(app, a, org_id, who, eng.slug, APP_ENG_RESPOND, e);
        if (rc == TL_EPERM)
            rc = app_eng_authz(app, a, org_id, who, eng.slug, APP_ENG_WORKPAPER, e);
    }
    if (rc == 0 && (auditor_fields || patch->response) && strcmp(eng.phase, "concluded") == 0)
        rc = ERR_SET(e, TL_ECONFLICT, "engagement '%s' is concluded and read-only", eng.slug);
    if (rc == 0)
        rc = check_text("a finding's title", patch->title, 300, false, e);
    if (rc == 0 && patch->title && !*patch->title)
        rc = ERR_SET(e, TL_EINPUT, "a finding's title must not be empty");
    if (rc == 0)
        rc = check_text("a finding's description", patch->description, 8000, false, e);
    if (rc == 0)
        rc = check_text("the root cause", patch->root_cause, 8000, false, e);
    if (rc == 0)
        rc = check_text("management's response", patch->response, 8000, false, e);
    if (rc == 0 && patch->severity &&
        dom_enum_check(app_finding_severities, patch->severity, "severity", e) != 0)
        rc = TL_EINPUT;
    if (rc == 0 && patch->status &&
        dom_enum_check(app_finding_statuses, patch->status, "finding status", e) != 0)
        rc = TL_EINPUT;
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "finding.edit", .object_type = "finding", .object_key = f.code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = finding_json(app, a, id);
    rc = store_run(app->store, e,
                   "UPDATE finding SET title = coalesce(?, title), "
                   "description = coalesce(?, description), severity = coalesce(?, severity), "
                   "root_cause = coalesce(?, root_cause), response = coalesce(?, response), "
                   "status = coalesce(?, status), version = version + 1 "
                   "WHERE org_id = ? AND id = ?",
                   "tttttttt", patch->title, patch->description, patch->severity, patch->root_cause,
                   patch->response, patch->status, org_id, id);
    c.after = finding_json(app, a, id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* --- remediation ------------------------------------------------------------------------ */

#define REM_COLUMNS                                                                                \
    "r.id, r.code, f.code, r.action, p.email, r.due, r.status, r.done_on, r.created_at, "          \
    "r.version, r.retest_test_id, f.engagement_id"
#define REM_FROM                                                                                   \
    "remediation r JOIN finding f ON f.id = r.finding_id AND f.org_id = r.org_id "                 \
    "LEFT JOIN person p ON p.id = r.owner_id AND p.org_id = r.org_id"

static int retest_ref(struct app *app, struct arena *a, const char *org_id, const char *test_id,
                      const char **ref, struct err *e)
{
    struct store_stmt *st;
    *ref = NULL;
    if (!test_id)
        return 0;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT e.slug, e.kind, c.code, t.kind, t.retest_no FROM eng_test t "
                            "JOIN engagement e ON e.id = t.engagement_id AND e.org_id = t.org_id "
                            "JOIN control c ON c.id = t.control_id AND c.org_id = t.org_id "
                            "WHERE t.org_id = ? AND t.id = ?",
                            "tt", org_id, test_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *ref = make_ref(a, store_col_text(st, 0), store_col_text(st, 1), store_col_text(st, 2),
                        store_col_text(st, 3), store_col_int(st, 4));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static void read_rem(struct store_stmt *st, struct arena *a, struct app_remediation *r,
                     const char **id, const char **test_id, const char **eng_id)
{
    memset(r, 0, sizeof(*r));
    *id = app__col(a, st, 0);
    r->code = app__col(a, st, 1);
    r->finding = app__col(a, st, 2);
    r->action = app__col(a, st, 3);
    r->owner = app__col(a, st, 4);
    r->due = app__col(a, st, 5);
    r->status = app__col(a, st, 6);
    r->done_on = app__col(a, st, 7);
    r->created_at = app__col(a, st, 8);
    r->version = store_col_int(st, 9);
    *test_id = app__col(a, st, 10);
    *eng_id = app__col(a, st, 11);
}

static int check_due(const char *due, const char **out, struct arena *a, struct err *e)
{
    *out = NULL;
    if (!due || !*due)
        return 0;
    tl_date d;
    if (date_parse(due, &d, e) != 0)
        return err_wrap(e, "due date");
    char buf[DATE_BUF];
    date_format(d, buf);
    *out = arena_strdup(a, buf);
    return 0;
}

int app_remediation_add(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, const char *finding,
                        const struct app_remediation *in, const char **out_code, struct err *e)
{
    struct app_finding f;
    const char *fid, *owner_id = NULL, *due = NULL, *code;
    struct app_engagement eng;
    int rc = open_finding(app, a, org_id, who, finding, APP_ENG_RESPOND, false, &f, &fid, &eng, e);
    if (rc == 0)
        rc = check_text("a remediation action", in->action, 4000, true, e);
    if (rc == 0)
        rc = app_person_id(app, a, org_id, in->owner, &owner_id, e);
    if (rc == 0)
        rc = check_due(in->due, &due, a, e);
    if (rc == 0)
        rc = next_code(app, org_id, "remediation", "REM-", a, &code, e);
    if (rc)
        return rc;
    const char *id = app_new_id(a);
    struct app_change c = {.org_id = org_id,
                           .action = "remediation.add",
                           .object_type = "remediation",
                           .table = "remediation",
                           .object_key = code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "INSERT INTO remediation (id, org_id, finding_id, code, action, owner_id, due, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   "tttttttt", id, org_id, fid, code, in->action, owner_id, due, app__now(app, a));
    if (rc == 0 && strcmp(f.status, "open") == 0)
        rc = store_run(app->store, e,
                       "UPDATE finding SET status = 'remediating', version = version + 1 "
                       "WHERE org_id = ? AND id = ?",
                       "tt", org_id, fid);
    c.id = id;
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    if (rc == 0 && out_code)
        *out_code = code;
    return rc;
}

int app_remediation_list(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *finding,
                         struct app_remediation **out, size_t *n, struct err *e)
{
    struct app_finding f;
    const char *fid = NULL;
    struct app_engagement eng;
    int rc =
        finding ? open_finding(app, a, org_id, who, finding, APP_ENG_READ, false, &f, &fid, &eng, e)
                : app_eng_authz(app, a, org_id, who, NULL, APP_ENG_READ, e);
    int64_t count = 0;
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM remediation WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " REM_COLUMNS ", (SELECT slug FROM engagement g WHERE g.id = "
                            "f.engagement_id AND g.org_id = f.org_id) FROM " REM_FROM
                            " WHERE r.org_id = ? AND (? IS NULL OR r.finding_id = ?) "
                            "ORDER BY r.created_at, r.code",
                            "ttt", org_id, fid, fid);
    if (rc)
        return rc;
    struct app_remediation *all = arena_calloc(a, (size_t)count + 1, sizeof(*all));
    const char **tests = arena_calloc(a, (size_t)count + 1, sizeof(*tests));
    const char **slugs = arena_calloc(a, (size_t)count + 1, sizeof(*slugs));
    size_t k = 0;
    while ((rc = store_step(st, e)) == TL_ROW && k < (size_t)count) {
        const char *id, *eng_id;
        read_rem(st, a, &all[k], &id, &tests[k], &eng_id);
        slugs[k] = app__col(a, st, 12);
        k++;
    }
    store_finalize(st);
    if (rc < 0)
        return rc;
    *out = arena_calloc(a, k + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        if (!finding) {
            struct err ignore = ERR_INIT;
            int ok = app_eng_authz(app, a, org_id, who, slugs[i], APP_ENG_READ, &ignore);
            if (ok == TL_ENOTFOUND || ok == TL_EPERM)
                continue;
            if (ok)
                return ERR_SET(e, ok, "%s", ignore.msg);
        }
        rc = retest_ref(app, a, org_id, tests[i], &all[i].retest, e);
        if (rc)
            return rc;
        (*out)[(*n)++] = all[i];
    }
    return 0;
}

/* A remediation item by code, after checking right on its finding's engagement. */
static int open_rem(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *code, enum app_eng_right right, struct app_remediation *out,
                    const char **id, const char **test_id, struct app_finding *f, const char **fid,
                    struct err *e)
{
    struct store_stmt *st;
    const char *eng_id = NULL;
    int rc =
        store_preparef(app->store, e, &st,
                       "SELECT " REM_COLUMNS " FROM " REM_FROM " WHERE r.org_id = ? AND r.code = ?",
                       "tt", org_id, code ? code : "");
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_rem(st, a, out, id, test_id, &eng_id);
    store_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no remediation item '%s' (see 'tillit remediation list')",
                       code ? code : "");
    struct app_engagement eng;
    rc = open_finding(app, a, org_id, who, out->finding, right, false, f, fid, &eng, e);
    if (rc == TL_ENOTFOUND)
        return ERR_SET(e, TL_ENOTFOUND, "no remediation item '%s' (see 'tillit remediation list')",
                       code);
    if (rc == 0)
        rc = retest_ref(app, a, org_id, *test_id, &out->retest, e);
    return rc;
}

int app_remediation_edit(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *code,
                         const struct app_remediation *patch, struct err *e)
{
    struct app_remediation r;
    struct app_finding f;
    const char *id, *test_id, *fid, *owner_id = NULL, *due = NULL;
    if (!patch->action && !patch->owner && !patch->due && !patch->status)
        return ERR_SET(e, TL_EINPUT, "nothing to change in remediation item '%s'",
                       code ? code : "");
    int rc = open_rem(app, a, org_id, who, code, APP_ENG_RESPOND, &r, &id, &test_id, &f, &fid, e);
    if (rc == 0 && patch->action)
        rc = check_text("a remediation action", patch->action, 4000, true, e);
    if (rc == 0 && patch->owner && *patch->owner)
        rc = app_person_id(app, a, org_id, patch->owner, &owner_id, e);
    if (rc == 0 && patch->due)
        rc = check_due(patch->due, &due, a, e);
    if (rc == 0 && patch->status &&
        dom_enum_check(app_remediation_statuses, patch->status, "remediation status", e) != 0)
        rc = TL_EINPUT;
    if (rc)
        return rc;
    const char *done_on = r.done_on;
    if (patch->status)
        done_on = strcmp(patch->status, "done") == 0 ? (r.done_on ? r.done_on : app__today(app, a))
                                                     : NULL;
    struct app_change c = {.org_id = org_id,
                           .action = "remediation.edit",
                           .object_type = "remediation",
                           .table = "remediation",
                           .id = id,
                           .object_key = r.code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE remediation SET action = coalesce(?, action), "
                   "owner_id = CASE WHEN ? = 1 THEN ? ELSE owner_id END, "
                   "due = CASE WHEN ? = 1 THEN ? ELSE due END, status = coalesce(?, status), "
                   "done_on = ?, version = version + 1 WHERE org_id = ? AND id = ?",
                   "titittttt", patch->action, (int64_t)(patch->owner != NULL), owner_id,
                   (int64_t)(patch->due != NULL), due, patch->status, done_on, org_id, id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

int app_remediation_retest(struct app *app, struct arena *a, const char *org_id,
                           const struct app_who *who, const char *code, const char *slug,
                           const char **ref, struct err *e)
{
    struct app_remediation r;
    struct app_finding f;
    const char *id, *test_id, *fid;
    int rc = open_rem(app, a, org_id, who, code, APP_ENG_READ, &r, &id, &test_id, &f, &fid, e);
    if (rc)
        return rc;
    if (strcmp(r.status, "done") != 0)
        return ERR_SET(e, TL_ECONFLICT,
                       "remediation item '%s' is %s: a control is retested once it is remediated "
                       "(set --status done)",
                       r.code, r.status);
    if (r.retest)
        return ERR_SET(e, TL_EEXIST, "remediation item '%s' already has a retest: '%s'", r.code,
                       r.retest);
    if (!f.test)
        return ERR_SET(e, TL_EINPUT, "finding '%s' is not tied to a test", f.code);
    struct test_ctx orig;
    rc = open_test(app, a, org_id, who, f.test, APP_ENG_READ, false, &orig, e);
    if (rc)
        return rc;
    struct app_engagement target;
    rc = app__eng_open(app, a, org_id, who, slug ? slug : orig.eng.slug, APP_ENG_PLAN, true,
                       &target, e);
    if (rc == TL_ECONFLICT && !slug)
        return ERR_SET(e, TL_ECONFLICT,
                       "engagement '%s' is concluded: plan the retest in another one "
                       "(--engagement SLUG)",
                       orig.eng.slug);
    if (rc)
        return rc;
    struct app_control c;
    rc = app_control_get(app, a, org_id, orig.t.control, &c, e);
    int64_t next = 0;
    if (rc == 0)
        rc = store_query_int(
            app->store, e, &next, NULL,
            "SELECT coalesce(max(retest_no), 0) + 1 FROM eng_test "
            "WHERE org_id = ? AND engagement_id = ? AND control_id = ? AND kind = ?",
            "tttt", org_id, target.id, orig.control_id, orig.t.kind);
    if (rc == 0)
        rc = store_begin(app->store, e);
    if (rc)
        return rc;
    const char *new_id = NULL;
    rc = insert_test(app, a, org_id, &target, orig.control_id, &c, orig.t.kind, next, orig.t.id,
                     orig.t.method, orig.t.steps, &new_id, e);
    struct app_change ch = {.org_id = org_id,
                            .action = "remediation.edit",
                            .object_type = "remediation",
                            .table = "remediation",
                            .id = id,
                            .object_key = r.code};
    if (rc == 0)
        rc = app_change_begin(app, a, &ch, e);
    if (rc == 0) {
        rc = store_run(app->store, e,
                       "UPDATE remediation SET retest_test_id = ?, version = version + 1 "
                       "WHERE org_id = ? AND id = ?",
                       "ttt", new_id, org_id, id);
        if (rc == 0)
            rc = app_change_commit(app, a, &ch, e);
        else
            app_change_abort(app);
    }
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        return rc;
    }
    *ref = make_ref(a, target.slug, target.kind, orig.t.control, orig.t.kind, next);
    return 0;
}
