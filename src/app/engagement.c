/* engagement.c - engagements, access and rights, the scope an auditor
 * sees, and the bridge letter (see engagement.h). */
#include "app/engagement.h"

#include "app/scope.h"
#include "app/user.h"
#include "base/js.h"
#include "base/sb.h"
#include "domain/program.h"
#include "domain/template.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *const app_eng_kinds[] = {"readiness", "type1", "type2", NULL};
const char *const app_eng_phases[] = {"planning", "fieldwork", "reporting", "concluded", NULL};

#define ENG_COLUMNS                                                                                \
    "e.id, e.slug, e.kind, e.as_of, e.period_start, e.period_end, e.categories, e.firm, "          \
    "e.phase, e.itgc_reliance, e.sampling_table IS NOT NULL, e.created_at, e.concluded_at, "       \
    "e.version, "                                                                                  \
    "(SELECT count(*) FROM eng_test t WHERE t.org_id = e.org_id AND t.engagement_id = e.id), "     \
    "(SELECT count(*) FROM eng_test t WHERE t.org_id = e.org_id AND t.engagement_id = e.id "       \
    "AND t.status = 'concluded'), "                                                                \
    "(SELECT count(*) FROM finding f WHERE f.org_id = e.org_id AND f.engagement_id = e.id), "      \
    "(SELECT count(*) FROM pbc_item p WHERE p.org_id = e.org_id AND p.engagement_id = e.id "       \
    "AND p.status IN ('open', 'returned')), e.org_id"

/* --- small helpers --------------------------------------------------------------- */

const char *app__col(struct arena *a, struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? NULL : arena_strdup(a, store_col_text(st, col));
}

const char *app__today(struct app *app, struct arena *a)
{
    char buf[DATE_BUF];
    date_format(time_date(app->now), buf);
    return arena_strdup(a, buf);
}

const char *app__now(struct app *app, struct arena *a)
{
    char buf[TIME_BUF];
    time_format(app->now, buf);
    return arena_strdup(a, buf);
}

static bool list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p = comma ? comma + 1 : p + len;
    }
    return false;
}

static char *lower_dup(struct arena *a, const char *s)
{
    char *d = arena_strdup(a, s);
    for (char *p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* --- rights ---------------------------------------------------------------------- */

bool app__eng_role_grants(const char *role, enum app_eng_right right)
{
    if (!role)
        return false;
    if (strcmp(role, "admin") == 0)
        return true;
    bool editor = strcmp(role, "editor") == 0, contributor = strcmp(role, "contributor") == 0;
    bool auditor = strcmp(role, "auditor") == 0, viewer = strcmp(role, "viewer") == 0;
    switch (right) {
    case APP_ENG_READ:
        return editor || contributor || auditor || viewer;
    case APP_ENG_SETUP:
    case APP_ENG_RESPOND:
        return editor;
    case APP_ENG_ACCESS:
        return false;
    case APP_ENG_PLAN:
    case APP_ENG_REQUEST:
        return editor || auditor;
    case APP_ENG_WORKPAPER:
        return auditor;
    case APP_ENG_PROVIDE:
        return editor || contributor;
    case APP_ENG_COMMENT:
        return editor || contributor || auditor;
    }
    return false;
}

static const char *right_text(enum app_eng_right right)
{
    switch (right) {
    case APP_ENG_READ:
        return "see engagements";
    case APP_ENG_SETUP:
        return "create engagements";
    case APP_ENG_ACCESS:
        return "grant or revoke auditors' access";
    case APP_ENG_PLAN:
        return "change the test plan";
    case APP_ENG_WORKPAPER:
        return "write test workpapers";
    case APP_ENG_RESPOND:
        return "respond to findings or manage remediation";
    case APP_ENG_PROVIDE:
        return "provide requested items";
    case APP_ENG_REQUEST:
        return "manage requests";
    case APP_ENG_COMMENT:
        return "comment on requests";
    }
    return "do this";
}

int app_who_from_env(struct app_who *who, struct err *e)
{
    const char *role = getenv("TILLIT_ROLE");
    const char *actor = getenv("TILLIT_ACTOR");
    who->role = role && *role ? role : "admin";
    who->email = actor && *actor ? actor : NULL;
    if (dom_enum_index(app_roles, who->role) < 0) {
        app_role_check(who->role, e);
        err_wrap(e, "TILLIT_ROLE");
        if (e)
            e->code = TL_EUSAGE;
        return TL_EUSAGE;
    }
    return 0;
}

static const char *not_found(struct err *e, const char *slug)
{
    ERR_SET(e, TL_ENOTFOUND, "no engagement '%s' (see 'tillit engagement list')", slug);
    return NULL;
}

/* Whether who may exercise right; eng NULL for rights outside an engagement. */
static int check_access(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, const struct app_engagement *eng,
                        enum app_eng_right right, struct err *e)
{
    const char *role = who ? who->role : NULL;
    if (!role || dom_enum_index(app_roles, role) < 0)
        return ERR_SET(e, TL_EPERM, "unknown role '%s'", role ? role : "");
    if (!app__eng_role_grants(role, right))
        return ERR_SET(e, TL_EPERM, "the role '%s' may not %s", role, right_text(right));
    if (strcmp(role, "auditor") != 0 || !eng)
        return 0;
    if (!who->email || !*who->email)
        return ERR_SET(e, TL_EPERM, "an auditor acts under their email (set TILLIT_ACTOR)");
    struct store_stmt *st;
    const char *email = lower_dup(a, who->email);
    int rc = store_preparef(app->store, e, &st,
                            "SELECT access_until, revoked_at FROM engagement_auditor "
                            "WHERE org_id = ? AND engagement_id = ? AND email = ?",
                            "ttt", org_id, eng->id, email);
    if (rc)
        return rc;
    const char *until = NULL, *revoked = NULL;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        until = app__col(a, st, 0);
        revoked = app__col(a, st, 1);
    }
    store_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == TL_DONE) {
        not_found(e, eng->slug);
        return TL_ENOTFOUND;
    }
    if (revoked)
        return ERR_SET(e, TL_EPERM, "access of '%s' to engagement '%s' was revoked on %.10s", email,
                       eng->slug, revoked);
    if (strcmp(until, app__today(app, a)) < 0)
        return ERR_SET(e, TL_EPERM, "access of '%s' to engagement '%s' ended on %s", email,
                       eng->slug, until);
    return 0;
}

/* --- reading ----------------------------------------------------------------------- */

static void read_eng(struct store_stmt *st, struct arena *a, struct app_engagement *g)
{
    memset(g, 0, sizeof(*g));
    g->id = app__col(a, st, 0);
    g->slug = app__col(a, st, 1);
    g->kind = app__col(a, st, 2);
    g->as_of = app__col(a, st, 3);
    g->period_start = app__col(a, st, 4);
    g->period_end = app__col(a, st, 5);
    g->categories = app__col(a, st, 6);
    g->firm = app__col(a, st, 7);
    g->phase = app__col(a, st, 8);
    g->itgc_reliance = store_col_int(st, 9) != 0;
    g->custom_table = store_col_int(st, 10) != 0;
    g->created_at = app__col(a, st, 11);
    g->concluded_at = app__col(a, st, 12);
    g->version = store_col_int(st, 13);
    g->tests = store_col_int(st, 14);
    g->tests_concluded = store_col_int(st, 15);
    g->findings = store_col_int(st, 16);
    g->requests_open = store_col_int(st, 17);
    g->org_id = app__col(a, st, 18);
}

/* The engagement of org_id with slug; *found false when there is none. */
static int load_eng(struct app *app, struct arena *a, const char *org_id, const char *slug,
                    struct app_engagement *out, bool *found, struct err *e)
{
    struct store_stmt *st;
    *found = false;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " ENG_COLUMNS " FROM engagement e "
                            "WHERE e.org_id = ? AND e.slug = ?",
                            "tt", org_id, slug);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        read_eng(st, a, out);
        *found = true;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app__eng_open(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, enum app_eng_right right, bool mutate,
                  struct app_engagement *out, struct err *e)
{
    bool found;
    int rc = load_eng(app, a, org_id, slug ? slug : "", out, &found, e);
    if (rc)
        return rc;
    if (!found) {
        not_found(e, slug ? slug : "");
        return TL_ENOTFOUND;
    }
    rc = check_access(app, a, org_id, who, out, right, e);
    if (rc)
        return rc;
    if (mutate && strcmp(out->phase, "concluded") == 0)
        return ERR_SET(e, TL_ECONFLICT, "engagement '%s' is concluded and read-only", out->slug);
    return 0;
}

int app_eng_authz(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                  const char *slug, enum app_eng_right right, struct err *e)
{
    if (!slug)
        return check_access(app, a, org_id, who, NULL, right, e);
    struct app_engagement eng;
    return app__eng_open(app, a, org_id, who, slug, right, false, &eng, e);
}

void app__eng_window(const struct app_engagement *eng, struct tl_period *p)
{
    const char *s = eng->period_start ? eng->period_start : eng->as_of;
    const char *t = eng->period_end ? eng->period_end : eng->as_of;
    if (date_parse(s, &p->start, NULL) != 0)
        p->start = 0;
    if (date_parse(t, &p->end, NULL) != 0)
        p->end = p->start;
}

int app__eng_months(const struct app_engagement *eng)
{
    if (!eng->period_start)
        return 12;
    struct tl_period p;
    app__eng_window(eng, &p);
    int m = 0;
    while (m < 24 && date_add_months(p.start, m) <= p.end)
        m++;
    return m < 1 ? 1 : m;
}

int app_engagement_get(struct app *app, struct arena *a, const char *org_id,
                       const struct app_who *who, const char *slug, struct app_engagement *out,
                       struct err *e)
{
    return app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, out, e);
}

int app_engagement_list(struct app *app, struct arena *a, const char *org_id,
                        const struct app_who *who, struct app_engagement **out, size_t *n,
                        struct err *e)
{
    int rc = check_access(app, a, org_id, who, NULL, APP_ENG_READ, e);
    int64_t count = 0;
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM engagement WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " ENG_COLUMNS " FROM engagement e WHERE e.org_id = ? "
                            "ORDER BY coalesce(e.period_end, e.as_of) DESC, e.created_at DESC, "
                            "e.slug",
                            "t", org_id);
    if (rc)
        return rc;
    struct app_engagement *all = arena_calloc(a, (size_t)count + 1, sizeof(*all));
    size_t k = 0;
    while ((rc = store_step(st, e)) == TL_ROW && k < (size_t)count)
        read_eng(st, a, &all[k++]);
    store_finalize(st);
    if (rc < 0)
        return rc;
    *out = arena_calloc(a, k + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        struct err ignore = ERR_INIT;
        int ok = check_access(app, a, org_id, who, &all[i], APP_ENG_READ, &ignore);
        if (ok == 0)
            (*out)[(*n)++] = all[i];
        else if (ok != TL_ENOTFOUND && ok != TL_EPERM)
            return ERR_SET(e, ok, "%s", ignore.msg);
    }
    return 0;
}

/* --- creating ------------------------------------------------------------------------ */

/* Trims spaces at both ends of tok in place. */
static char *trim(char *tok)
{
    while (*tok == ' ')
        tok++;
    size_t len = strlen(tok);
    while (len && tok[len - 1] == ' ')
        tok[--len] = '\0';
    return tok;
}

/* The categories given (or those in the organization's scope) in catalog
 * order; security is always one of them. */
static int eng_categories(struct app *app, struct arena *a, const char *org_id, const char *given,
                          const char **out, struct err *e)
{
    bool chosen[16] = {false};
    chosen[dom_enum_index(dom_categories, "security")] = true;
    if (given) {
        char *copy = arena_strdup(a, given);
        for (char *tok = copy; tok;) {
            char *comma = strchr(tok, ',');
            if (comma)
                *comma = '\0';
            const char *c = trim(tok);
            if (*c && dom_enum_check(dom_categories, c, "category", e) != 0)
                return TL_EINPUT;
            if (*c)
                chosen[dom_enum_index(dom_categories, c)] = true;
            tok = comma ? comma + 1 : NULL;
        }
    } else {
        struct app_scope_category *cats;
        size_t n;
        int rc = app_scope_category_list(app, a, org_id, &cats, &n, e);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            int k = dom_enum_index(dom_categories, cats[i].category);
            if (k >= 0 && cats[i].in_scope)
                chosen[k] = true;
        }
    }
    struct sb list = SB_INIT;
    for (int i = 0; dom_categories[i]; i++)
        if (chosen[i]) {
            if (list.len)
                sb_addc(&list, ',');
            sb_adds(&list, dom_categories[i]);
        }
    *out = arena_strdup(a, list.buf);
    sb_release(&list);
    return 0;
}

/* Checks the dates of in into eng (as_of or period) and sets *warning. */
static int eng_dates(struct arena *a, const struct app_engagement_in *in, struct app_engagement *g,
                     const char **warning, struct err *e)
{
    bool type2 = strcmp(in->kind, "type2") == 0;
    if (type2) {
        if (in->as_of)
            return ERR_SET(e, TL_EINPUT,
                           "a type2 engagement has a period (--period START..END), "
                           "not an as-of date");
        if (!in->period)
            return ERR_SET(e, TL_EINPUT, "a type2 engagement needs a period (--period START..END)");
        struct tl_period p;
        if (period_parse(in->period, &p, e) != 0)
            return err_wrap(e, "period of the engagement");
        tl_date after = p.end + 1;
        if (after < date_add_months(p.start, 3))
            return ERR_SET(e, TL_EINPUT,
                           "period '%s' is shorter than 3 months: a type2 period is 3 to 12 months",
                           in->period);
        if (after > date_add_months(p.start, 12))
            return ERR_SET(e, TL_EINPUT,
                           "period '%s' is longer than 12 months: a type2 period is 3 to 12 months",
                           in->period);
        char s[DATE_BUF], t[DATE_BUF];
        date_format(p.start, s);
        date_format(p.end, t);
        g->period_start = arena_strdup(a, s);
        g->period_end = arena_strdup(a, t);
        if (warning && after < date_add_months(p.start, 6))
            *warning = arena_printf(a,
                                    "a period of under 6 months ('%s') is allowed, but user "
                                    "entities and their auditors usually expect 6 to 12",
                                    in->period);
        return 0;
    }
    if (in->period)
        return ERR_SET(e, TL_EINPUT,
                       "a %s engagement has an as-of date (--as-of DATE), not a period", in->kind);
    if (!in->as_of)
        return ERR_SET(e, TL_EINPUT, "a %s engagement needs an as-of date (--as-of DATE)",
                       in->kind);
    tl_date d;
    if (date_parse(in->as_of, &d, e) != 0)
        return err_wrap(e, "as-of date of the engagement");
    char s[DATE_BUF];
    date_format(d, s);
    g->as_of = arena_strdup(a, s);
    return 0;
}

static int eng_slug(struct app *app, struct arena *a, const char *org_id,
                    const struct app_engagement_in *in, const struct app_engagement *g,
                    const char **out, struct err *e)
{
    bool found;
    struct app_engagement other;
    if (in->slug) {
        if (dom_slug_check(in->slug, "engagement", e) != 0)
            return TL_EINPUT;
        int rc = load_eng(app, a, org_id, in->slug, &other, &found, e);
        if (rc == 0 && found)
            return ERR_SET(e, TL_EEXIST, "an engagement '%s' already exists", in->slug);
        *out = in->slug;
        return rc;
    }
    const char *date = g->period_end ? g->period_end : g->as_of;
    for (int i = 1; i < 1000; i++) {
        const char *s = i == 1 ? arena_printf(a, "%s-%.4s", in->kind, date)
                               : arena_printf(a, "%s-%.4s-%d", in->kind, date, i);
        int rc = load_eng(app, a, org_id, s, &other, &found, e);
        if (rc)
            return rc;
        if (!found) {
            *out = s;
            return 0;
        }
    }
    return ERR_SET(e, TL_EEXIST, "no free engagement slug: give one with --slug");
}

int app_engagement_create(struct app *app, struct arena *a, const char *org_id,
                          const struct app_who *who, const struct app_engagement_in *in,
                          struct app_engagement *out, const char **warning, struct err *e)
{
    struct app_engagement g = {0};
    if (warning)
        *warning = NULL;
    int rc = check_access(app, a, org_id, who, NULL, APP_ENG_SETUP, e);
    if (rc)
        return rc;
    if (!in->kind)
        return ERR_SET(e, TL_EINPUT, "an engagement needs a kind (--kind readiness|type1|type2)");
    if (dom_enum_check(app_eng_kinds, in->kind, "engagement kind", e) != 0)
        return TL_EINPUT;
    const char *firm = in->firm ? in->firm : "";
    if (strlen(firm) > 200)
        return ERR_SET(e, TL_EINPUT, "audit firm name is longer than 200 characters");
    if (eng_dates(a, in, &g, warning, e) ||
        eng_categories(app, a, org_id, in->categories, &g.categories, e))
        return e->code;
    const char *slug = NULL;
    rc = eng_slug(app, a, org_id, in, &g, &slug, e);
    if (rc)
        return rc;
    const char *id = app_new_id(a), *now = app__now(app, a);
    struct app_change c = {.org_id = org_id,
                           .action = "engagement.create",
                           .object_type = "engagement",
                           .table = "engagement",
                           .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "INSERT INTO engagement (id, org_id, slug, kind, as_of, period_start, "
                   "period_end, categories, firm, itgc_reliance, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "tttttttttit", id, org_id, slug, in->kind, g.as_of, g.period_start, g.period_end,
                   g.categories, firm, (int64_t)(in->itgc_reliance != 0), now);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO engagement_phase (engagement_id, org_id, phase, entered_at, "
                       "entered_by) VALUES (?, ?, 'planning', ?, ?)",
                       "tttt", id, org_id, now, app->actor);
    c.id = id;
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    if (rc == 0 && out) {
        bool found;
        rc = load_eng(app, a, org_id, slug, out, &found, e);
    }
    return rc;
}

/* --- phases ------------------------------------------------------------------------ */

int app_engagement_phases(struct app *app, struct arena *a, const char *org_id,
                          const struct app_who *who, const char *slug, struct app_eng_phase **out,
                          size_t *n, struct err *e)
{
    struct app_engagement g;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc)
        return rc;
    int cur = dom_enum_index(app_eng_phases, g.phase);
    *out = arena_calloc(a, 4, sizeof(**out));
    *n = 0;
    for (int i = 0; app_eng_phases[i]; i++) {
        struct app_eng_phase *p = &(*out)[(*n)++];
        p->phase = app_eng_phases[i];
        p->state = i < cur ? "done" : i == cur ? "current" : "pending";
        if (i == cur && strcmp(g.phase, "concluded") == 0)
            p->state = "done";
        struct store_stmt *st;
        rc = store_preparef(app->store, e, &st,
                            "SELECT entered_at, entered_by FROM engagement_phase "
                            "WHERE org_id = ? AND engagement_id = ? AND phase = ?",
                            "ttt", org_id, g.id, p->phase);
        if (rc)
            return rc;
        rc = store_step(st, e);
        if (rc == TL_ROW) {
            p->entered_at = app__col(a, st, 0);
            p->entered_by = app__col(a, st, 1);
        } else if (rc == TL_DONE && i < cur) {
            p->state = "skipped";
        }
        store_finalize(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Names up to ten tests of eng that are not concluded; *count gets them all. */
static int open_tests(struct app *app, struct arena *a, const char *org_id,
                      const struct app_engagement *g, int64_t *count, const char **names,
                      struct err *e)
{
    struct store_stmt *st;
    int rc =
        store_preparef(app->store, e, &st,
                       "SELECT c.code, t.kind, t.retest_no FROM eng_test t "
                       "JOIN control c ON c.id = t.control_id AND c.org_id = t.org_id "
                       "WHERE t.org_id = ? AND t.engagement_id = ? AND t.status <> 'concluded' "
                       "ORDER BY c.code, t.kind, t.retest_no",
                       "tt", org_id, g->id);
    if (rc)
        return rc;
    struct sb sb = SB_INIT;
    *count = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (*count < 10) {
            sb_addf(&sb, "%s%s:%s:%s", *count ? ", " : "", g->slug, store_col_text(st, 0),
                    store_col_text(st, 1));
            if (store_col_int(st, 2))
                sb_addf(&sb, "#%lld", (long long)store_col_int(st, 2));
        }
        (*count)++;
    }
    store_finalize(st);
    if (*count > 10)
        sb_adds(&sb, ", ...");
    *names = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return rc < 0 ? rc : 0;
}

int app_engagement_set_phase(struct app *app, struct arena *a, const char *org_id,
                             const struct app_who *who, const char *slug, const char *phase,
                             struct err *e)
{
    struct app_engagement g;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_PLAN, true, &g, e);
    if (rc)
        return rc;
    if (!phase || dom_enum_check(app_eng_phases, phase, "phase", e) != 0)
        return phase ? TL_EINPUT : ERR_SET(e, TL_EINPUT, "a phase is required");
    int from = dom_enum_index(app_eng_phases, g.phase), to = dom_enum_index(app_eng_phases, phase);
    if (to <= from)
        return ERR_SET(e, TL_ECONFLICT,
                       "engagement '%s' is in phase '%s': phases only move forward (planning, "
                       "fieldwork, reporting, concluded)",
                       slug, g.phase);
    bool conclude = strcmp(phase, "concluded") == 0;
    if (conclude) {
        int64_t count;
        const char *names;
        rc = open_tests(app, a, org_id, &g, &count, &names, e);
        if (rc)
            return rc;
        if (count)
            return ERR_SET(e, TL_ECONFLICT,
                           "cannot conclude engagement '%s': %lld test(s) are not concluded: %s",
                           slug, (long long)count, names);
    }
    const char *now = app__now(app, a);
    struct app_change c = {.org_id = org_id,
                           .action = "engagement.phase",
                           .object_type = "engagement",
                           .table = "engagement",
                           .id = g.id,
                           .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE engagement SET phase = ?, concluded_at = ?, version = version + 1 "
                   "WHERE org_id = ? AND id = ?",
                   "tttt", phase, conclude ? now : NULL, org_id, g.id);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO engagement_phase (engagement_id, org_id, phase, entered_at, "
                       "entered_by) VALUES (?, ?, ?, ?, ?)",
                       "ttttt", g.id, org_id, phase, now, app->actor);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* --- the sampling table --------------------------------------------------------- */

#define DEFAULT_TABLE "sampling/default.yaml"

static int table_text(struct app *app, struct arena *a, const struct app_engagement *g,
                      const char **path, const char **yaml, size_t *len, struct err *e)
{
    *path = DEFAULT_TABLE;
    if (g->custom_table) {
        struct store_stmt *st;
        int rc = store_preparef(app->store, e, &st,
                                "SELECT sampling_table FROM engagement "
                                "WHERE org_id = ? AND id = ?",
                                "tt", g->org_id, g->id);
        if (rc)
            return rc;
        rc = store_step(st, e);
        if (rc == TL_ROW) {
            *yaml = app__col(a, st, 0);
            *len = *yaml ? strlen(*yaml) : 0;
        }
        store_finalize(st);
        if (rc < 0)
            return rc;
        *path = arena_printf(a, "sampling table of engagement '%s'", g->slug);
        if (*yaml)
            return 0;
    }
    return app_content_read(app, DEFAULT_TABLE, yaml, len, e);
}

int app__eng_table(struct app *app, struct arena *a, const struct app_engagement *g,
                   const struct dom_sampling_table **t, struct err *e)
{
    const char *path, *yaml;
    size_t len;
    int rc = table_text(app, a, g, &path, &yaml, &len, e);
    if (rc)
        return rc;
    struct dom_sampling_table *tab = arena_calloc(a, 1, sizeof(*tab));
    rc = dom_sampling_parse(a, path, yaml, len, tab, e);
    if (rc == 0)
        *t = tab;
    return rc;
}

int app_engagement_table(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *slug,
                         const struct dom_sampling_table **table, const char **yaml, struct err *e)
{
    struct app_engagement g;
    const char *path;
    size_t len;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc == 0)
        rc = table_text(app, a, &g, &path, yaml, &len, e);
    if (rc == 0)
        rc = app__eng_table(app, a, &g, table, e);
    return rc;
}

int app_engagement_set_table(struct app *app, struct arena *a, const char *org_id,
                             const struct app_who *who, const char *slug, const char *path,
                             const char *yaml, size_t len, struct err *e)
{
    struct app_engagement g;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_PLAN, true, &g, e);
    if (rc)
        return rc;
    const char *text = NULL;
    if (yaml) {
        struct dom_sampling_table t;
        if (memchr(yaml, '\0', len))
            return ERR_SET(e, TL_EINPUT, "sampling table '%s' holds a NUL byte", path);
        rc = dom_sampling_parse(a, path, yaml, len, &t, e);
        if (rc)
            return rc;
        text = arena_strndup(a, yaml, len);
    }
    struct app_change c = {.org_id = org_id,
                           .action = "engagement.sampling_table",
                           .object_type = "engagement",
                           .table = "engagement",
                           .id = g.id,
                           .object_key = slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE engagement SET sampling_table = ?, version = version + 1 "
                   "WHERE org_id = ? AND id = ?",
                   "ttt", text, org_id, g.id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* --- what an engagement covers ---------------------------------------------------- */

int app_engagement_scope(struct app *app, struct arena *a, const char *org_id,
                         const struct app_who *who, const char *slug, struct app_control **out,
                         size_t *n, struct err *e)
{
    struct app_engagement g;
    const struct dom_catalog *cat;
    struct app_control *all;
    size_t n_all;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc == 0)
        rc = app_catalog(app, &cat, e);
    if (rc == 0)
        rc = app_control_list(app, a, org_id, NULL, &all, &n_all, e);
    if (rc)
        return rc;
    *out = arena_calloc(a, n_all + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < n_all; i++) {
        bool in = false;
        for (size_t k = 0; k < all[i].n_criteria && !in; k++) {
            const struct dom_criterion *cr =
                dom_catalog_criterion(cat, all[i].criteria[k].criterion);
            in = cr && list_has(g.categories, cr->category);
        }
        if (in)
            (*out)[(*n)++] = all[i];
    }
    return 0;
}

/* Ids of evidence attached to the requests and results of engagement g. */
static int attached_evidence(struct app *app, struct arena *a, const char *org_id,
                             const struct app_engagement *g, struct sb *ids, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT pe.evidence_id FROM pbc_evidence pe "
                            "JOIN pbc_item p ON p.id = pe.item_id AND p.org_id = pe.org_id "
                            "WHERE pe.org_id = ? AND p.engagement_id = ? "
                            "UNION SELECT s.evidence FROM test_sample s "
                            "JOIN eng_test t ON t.id = s.test_id AND t.org_id = s.org_id "
                            "WHERE s.org_id = ? AND t.engagement_id = ? AND s.evidence <> ''",
                            "tttt", org_id, g->id, org_id, g->id);
    if (rc)
        return rc;
    sb_addc(ids, ',');
    while ((rc = store_step(st, e)) == TL_ROW) {
        sb_adds(ids, store_col_text(st, 0));
        sb_addc(ids, ',');
    }
    store_finalize(st);
    (void)a;
    return rc < 0 ? rc : 0;
}

int app_engagement_evidence(struct app *app, struct arena *a, const char *org_id,
                            const struct app_who *who, const char *slug, struct app_evidence **out,
                            size_t *n, struct err *e)
{
    struct app_engagement g;
    struct app_control *scope;
    size_t n_scope;
    struct app_evidence *all;
    size_t n_all;
    struct sb attached = SB_INIT;
    int rc = app_engagement_scope(app, a, org_id, who, slug, &scope, &n_scope, e);
    if (rc == 0)
        rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc == 0)
        rc = app_evidence_list(app, a, org_id, NULL, false, &all, &n_all, e);
    if (rc == 0)
        rc = attached_evidence(app, a, org_id, &g, &attached, e);
    if (rc) {
        sb_release(&attached);
        return rc;
    }
    struct sb codes = SB_INIT;
    sb_addc(&codes, ',');
    for (size_t i = 0; i < n_scope; i++) {
        sb_adds(&codes, scope[i].code);
        sb_addc(&codes, ',');
    }
    const char *start = g.period_start ? g.period_start : g.as_of;
    const char *end = g.period_end ? g.period_end : g.as_of;
    *out = arena_calloc(a, n_all + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < n_all; i++) {
        const struct app_evidence *ev = &all[i];
        char *needle = arena_printf(a, ",%s,", ev->id);
        bool keep = strstr(attached.buf, needle) != NULL;
        bool dated = g.period_start
                         ? strcmp(ev->period_start, end) <= 0 && strcmp(ev->period_end, start) >= 0
                         : strcmp(ev->period_start, end) <= 0;
        for (size_t k = 0; !keep && dated && k < ev->n_controls; k++)
            keep = strstr(codes.buf, arena_printf(a, ",%s,", ev->controls[k])) != NULL;
        if (keep)
            (*out)[(*n)++] = *ev;
    }
    sb_release(&codes);
    sb_release(&attached);
    return 0;
}

int app__eng_evidence_ids(struct app *app, struct arena *a, const char *org_id,
                          const struct app_who *who, const struct app_engagement *eng,
                          const char *ids, const char **out, struct err *e)
{
    struct sb sb = SB_INIT;
    struct app_evidence *visible = NULL;
    size_t n_visible = 0;
    bool auditor = who && who->role && strcmp(who->role, "auditor") == 0;
    int rc = 0;
    if (auditor && ids && *ids)
        rc = app_engagement_evidence(app, a, org_id, who, eng->slug, &visible, &n_visible, e);
    char *copy = arena_strdup(a, ids ? ids : "");
    for (char *tok = copy; rc == 0 && tok;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        tok = trim(tok);
        if (*tok) {
            struct app_evidence ev;
            rc = app_evidence_get(app, a, org_id, tok, &ev, e);
            bool seen = !auditor;
            for (size_t i = 0; rc == 0 && !seen && i < n_visible; i++)
                seen = strcmp(visible[i].id, ev.id) == 0;
            if (rc == 0 && !seen)
                rc = ERR_SET(e, TL_ENOTFOUND, "no evidence '%s' (see 'tillit evidence list')", tok);
            if (rc == 0 && !list_has(sb.buf, ev.id)) {
                if (sb.len)
                    sb_addc(&sb, ',');
                sb_adds(&sb, ev.id);
            }
        }
        tok = comma ? comma + 1 : NULL;
    }
    if (rc == 0)
        *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return rc;
}

/* --- auditors ------------------------------------------------------------------ */

static char *auditor_json(struct app *app, struct arena *a, const char *org_id, const char *eng_id,
                          const char *email)
{
    struct store_stmt *st;
    struct err ignore = ERR_INIT;
    if (store_preparef(
            app->store, &ignore, &st,
            "SELECT access_until, added_at, added_by, revoked_at FROM engagement_auditor "
            "WHERE org_id = ? AND engagement_id = ? AND email = ?",
            "ttt", org_id, eng_id, email) != 0)
        return NULL;
    char *out = NULL;
    if (store_step(st, &ignore) == TL_ROW) {
        json_t *o = json_object();
        js_set_str(o, "email", email);
        js_set_str(o, "until", store_col_text(st, 0));
        js_set_str(o, "added_at", store_col_text(st, 1));
        js_set_str(o, "added_by", store_col_text(st, 2));
        js_set_str(o, "revoked_at", store_col_text(st, 3));
        struct sb sb = SB_INIT;
        js_dump(&sb, o, 0);
        out = arena_strdup(a, sb.buf);
        sb_release(&sb);
        json_decref(o);
    }
    store_finalize(st);
    return out;
}

int app_engagement_auditor_add(struct app *app, struct arena *a, const char *org_id,
                               const struct app_who *who, const char *slug, const char *email,
                               const char *until, struct err *e)
{
    struct app_engagement g;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_ACCESS, false, &g, e);
    if (rc)
        return rc;
    if (!email || dom_email_check(email, e) != 0)
        return email ? TL_EINPUT : ERR_SET(e, TL_EINPUT, "an auditor's email is required");
    if (!until)
        return ERR_SET(e, TL_EINPUT, "an access end date is required (--until DATE)");
    tl_date d;
    if (date_parse(until, &d, e) != 0)
        return err_wrap(e, "access end date");
    if (d < time_date(app->now))
        return ERR_SET(e, TL_EINPUT, "access end date '%s' is in the past", until);
    char day[DATE_BUF];
    date_format(d, day);
    const char *mail = lower_dup(a, email), *now = app__now(app, a);
    struct app_change c = {.org_id = org_id,
                           .action = "engagement.auditor_add",
                           .object_type = "engagement_auditor",
                           .object_key = arena_printf(a, "%s:%s", slug, mail)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = auditor_json(app, a, org_id, g.id, mail);
    if (c.before)
        rc = store_run(app->store, e,
                       "UPDATE engagement_auditor SET access_until = ?, revoked_at = NULL, "
                       "added_at = ?, added_by = ? "
                       "WHERE org_id = ? AND engagement_id = ? AND email = ?",
                       "tttttt", day, now, app->actor, org_id, g.id, mail);
    else
        rc = store_run(app->store, e,
                       "INSERT INTO engagement_auditor (engagement_id, org_id, email, "
                       "access_until, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)",
                       "tttttt", g.id, org_id, mail, day, now, app->actor);
    c.after = auditor_json(app, a, org_id, g.id, mail);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

int app_engagement_auditor_revoke(struct app *app, struct arena *a, const char *org_id,
                                  const struct app_who *who, const char *slug, const char *email,
                                  struct err *e)
{
    struct app_engagement g;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_ACCESS, false, &g, e);
    if (rc)
        return rc;
    const char *mail = lower_dup(a, email ? email : "");
    struct app_change c = {.org_id = org_id,
                           .action = "engagement.auditor_revoke",
                           .object_type = "engagement_auditor",
                           .object_key = arena_printf(a, "%s:%s", slug, mail)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = auditor_json(app, a, org_id, g.id, mail);
    rc = store_run(app->store, e,
                   "UPDATE engagement_auditor SET revoked_at = ? "
                   "WHERE org_id = ? AND engagement_id = ? AND email = ? AND revoked_at IS NULL",
                   "tttt", app__now(app, a), org_id, g.id, mail);
    if (rc == 0 && store_changes(app->store) == 0)
        rc = ERR_SET(e, TL_ENOTFOUND, "'%s' has no access to engagement '%s'", mail, slug);
    c.after = auditor_json(app, a, org_id, g.id, mail);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

int app_engagement_auditors(struct app *app, struct arena *a, const char *org_id,
                            const struct app_who *who, const char *slug,
                            struct app_eng_auditor **out, size_t *n, struct err *e)
{
    struct app_engagement g;
    int64_t count = 0;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM engagement_auditor "
                             "WHERE org_id = ? AND engagement_id = ?",
                             "tt", org_id, g.id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT email, access_until, added_at, added_by, revoked_at "
                            "FROM engagement_auditor WHERE org_id = ? AND engagement_id = ? "
                            "ORDER BY email",
                            "tt", org_id, g.id);
    if (rc)
        return rc;
    const char *today = app__today(app, a);
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        struct app_eng_auditor *au = &(*out)[(*n)++];
        au->email = app__col(a, st, 0);
        au->until = app__col(a, st, 1);
        au->added_at = app__col(a, st, 2);
        au->added_by = app__col(a, st, 3);
        au->revoked_at = app__col(a, st, 4);
        au->active = !au->revoked_at && strcmp(au->until, today) >= 0;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- the bridge letter ------------------------------------------------------------ */

/* The Type II engagement whose period ended last, among those who sees. */
static int last_type2(struct app *app, struct arena *a, const char *org_id,
                      const struct app_who *who, struct app_engagement *out, struct err *e)
{
    struct app_engagement *all;
    size_t n;
    int rc = app_engagement_list(app, a, org_id, who, &all, &n, e);
    if (rc)
        return rc;
    const struct app_engagement *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].kind, "type2") == 0 &&
            (!best || strcmp(all[i].period_end, best->period_end) > 0))
            best = &all[i];
    if (!best)
        return ERR_SET(e, TL_ENOTFOUND,
                       "no type2 engagement to bridge from (a bridge letter "
                       "follows a Type II period)");
    *out = *best;
    return 0;
}

static int open_findings_md(struct app *app, struct arena *a, const char *org_id,
                            const struct app_engagement *g, const char *lang, const char **out,
                            struct err *e)
{
    bool sv = strcmp(lang, "sv") == 0;
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT f.code, f.title, f.severity, f.status, "
                            "(SELECT count(*) FROM remediation r WHERE r.org_id = f.org_id "
                            "AND r.finding_id = f.id AND r.status <> 'done') "
                            "FROM finding f WHERE f.org_id = ? AND f.engagement_id = ? "
                            "AND f.status <> 'closed' ORDER BY f.created_at, f.code",
                            "tt", org_id, g->id);
    if (rc)
        return rc;
    struct sb sb = SB_INIT;
    while ((rc = store_step(st, e)) == TL_ROW)
        sb_addf(&sb, "- %s %s (%s: %s; %s: %s; %s: %lld)\n", store_col_text(st, 0),
                store_col_text(st, 1), sv ? "allvarlighetsgrad" : "severity", store_col_text(st, 2),
                sv ? "status" : "status", store_col_text(st, 3),
                sv ? "öppna åtgärder" : "open remediation items", (long long)store_col_int(st, 4));
    store_finalize(st);
    if (sb.len == 0)
        sb_adds(&sb, sv ? "- Inga.\n" : "- None.\n");
    *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return rc < 0 ? rc : 0;
}

int app_engagement_bridge_letter(struct app *app, struct arena *a, const char *org_id,
                                 const struct app_who *who, const char *slug, const char *to,
                                 const char *lang, const char **markdown, struct err *e)
{
    struct app_engagement g;
    int rc = slug ? app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e)
                  : last_type2(app, a, org_id, who, &g, e);
    if (rc)
        return rc;
    if (strcmp(g.kind, "type2") != 0)
        return ERR_SET(e, TL_EINPUT,
                       "engagement '%s' is a %s engagement: a bridge letter follows a Type II "
                       "period",
                       g.slug, g.kind);
    if (!lang || (strcmp(lang, "en") != 0 && strcmp(lang, "sv") != 0))
        return ERR_SET(e, TL_EINPUT, "unknown language '%s' (expected en or sv)", lang ? lang : "");
    tl_date end, until;
    if (!to)
        return ERR_SET(e, TL_EINPUT, "a bridge letter needs an end date (--to DATE)");
    if (date_parse(to, &until, e) != 0)
        return err_wrap(e, "end date of the bridge letter");
    if (date_parse(g.period_end, &end, e) != 0)
        return rc;
    if (until <= end)
        return ERR_SET(e, TL_EINPUT,
                       "bridge letter end '%s' must follow the end of the period (%s)", to,
                       g.period_end);
    char from[DATE_BUF], upto[DATE_BUF];
    date_format(end + 1, from);
    date_format(until, upto);
    struct store_stmt *st;
    const char *name = "", *legal = "";
    rc = store_preparef(app->store, e, &st,
                        "SELECT name, legal_name FROM organization WHERE id = ?", "t", org_id);
    if (rc)
        return rc;
    if (store_step(st, e) == TL_ROW) {
        name = app__col(a, st, 0);
        legal = app__col(a, st, 1);
    }
    store_finalize(st);
    struct app_system sys;
    const char *findings;
    rc = app_system_get(app, a, org_id, &sys, e);
    if (rc == 0)
        rc = open_findings_md(app, a, org_id, &g, lang, &findings, e);
    const char *tpl;
    size_t tpl_len;
    if (rc == 0)
        rc = app_content_read(app, arena_printf(a, "engagement/bridge-letter.%s.md", lang), &tpl,
                              &tpl_len, e);
    if (rc)
        return rc;
    bool sv = strcmp(lang, "sv") == 0;
    const char *firm = *g.firm ? g.firm : (sv ? "[revisionsbyrå]" : "[audit firm]");
    const char *system = sys.name && *sys.name ? sys.name : (sv ? "[systemet]" : "[the system]");
    const struct dom_tpl_var vars[] = {
        {"org.name", name},           {"org.legal_name", legal && *legal ? legal : name},
        {"engagement.slug", g.slug},  {"engagement.firm", firm},
        {"system.name", system},      {"period.start", g.period_start},
        {"period.end", g.period_end}, {"bridge.start", from},
        {"bridge.end", upto},         {"date", app__today(app, a)},
        {"findings", findings},
    };
    struct sb out = SB_INIT;
    rc = dom_tpl_render(tpl, vars, sizeof(vars) / sizeof(vars[0]), NULL, &out, e);
    if (rc == 0)
        *markdown = arena_strdup(a, out.buf);
    sb_release(&out);
    return rc;
}
