/* demodata.c - the demo organization's exports, with planted exceptions.
 *
 * Each export draws from its own stream of a splitmix64 generator keyed by
 * the seed and the export's name, so that scaling one export does not
 * change another.  Compliant rows are drawn; exceptions are written on
 * purpose, by name (a person of content/demo/demo.yaml, a pull request
 * number, a finding id), and registered in the manifest as the rows each
 * check must return.  Dates are days before the as-of date A; the period
 * the checks look at is the 12 months that end on A.
 */
#include "app/demodata.h"

#include "base/js.h"
#include "base/sb.h"
#include "base/yml.h"

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- the generator ---------------------------------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A number in [lo, hi]. */
static int64_t rpick(struct rng *r, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static struct rng stream(uint64_t seed, const char *name)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    struct rng r = {seed ^ h};
    rnext(&r);
    return r;
}

/* --- people ----------------------------------------------------------------- */

struct person {
    const char *email, *name, *title, *dept, *manager;
    const char *user;   /* the local part: "anna.lindqvist" */
    const char *login;  /* GitHub: "anna-lindqvist" */
    tl_date start, end; /* end 0 = still employed */
    bool new_hire;
};

#define N_NEW_HIRES 8
static const struct {
    const char *user;
    int days; /* started this many days before A */
} new_hires[N_NEW_HIRES] = {
    {"wilma.bengtsson", 300}, {"anton.fransson", 250},  {"tobias.berg", 200},
    {"alice.wikstrom", 150},  {"patrik.sundberg", 120}, {"klara.jonsson", 95},
    {"ebba.danielsson", 70},  {"rasmus.holmberg", 45},
};

static const struct {
    const char *user;
    int days; /* last day of employment, days before A */
} leavers[] = {{"robin.nyberg", 100}, {"emelie.sjostrom", 40}, {"daniel.ahlberg", 20}};

struct gen {
    struct app *app;
    struct arena *a;  /* for the whole run */
    struct arena row; /* for the rows of large exports, released as they go */
    struct err *e;
    const char *dir;
    uint64_t seed;
    int64_t rows;
    tl_date A, P; /* as-of date and period start */
    struct person *people;
    size_t n_people;
    json_t *planted; /* check id -> {columns, rows} */
    struct app_demo_data_file files[16];
    size_t n_files;
    size_t n_planted;
    /* What the git history and the pull requests share with deployments. */
    struct pr *prs;
    size_t n_prs;
    char hotfix_sha[GIT_OID_HEXSZ + 1];
};

static struct person *who(struct gen *g, const char *user)
{
    for (size_t i = 0; i < g->n_people; i++)
        if (strcmp(g->people[i].user, user) == 0)
            return &g->people[i];
    return NULL;
}

static bool employed(const struct person *p)
{
    return p->end == 0;
}

static const char *str_of(const struct yml_node *m, const char *key)
{
    const struct yml_node *v = yml_get(m, key);
    return v && v->kind == YML_SCALAR && !yml_is_null(v) ? v->str : NULL;
}

/* The people of the demo organization, with dates relative to A. */
static int load_people(struct gen *g)
{
    const char *data;
    size_t len;
    struct yml_node *root;
    int rc = app_content_read(g->app, "demo/demo.yaml", &data, &len, g->e);
    if (rc == 0)
        rc = yml_parse(g->a, "demo/demo.yaml", data, len, &root, g->e);
    if (rc)
        return rc;
    const struct yml_node *list = yml_get(root, "people");
    if (!list || list->kind != YML_SEQ || list->n == 0)
        return ERR_SET(g->e, TL_EINTERNAL, "demo/demo.yaml has no people");
    struct rng r = stream(g->seed, "people");
    g->people = arena_calloc(g->a, list->n, sizeof(*g->people));
    for (size_t i = 0; i < list->n; i++) {
        struct person *p = &g->people[g->n_people++];
        const struct yml_node *m = list->items[i];
        p->email = str_of(m, "email");
        p->name = str_of(m, "name");
        p->title = str_of(m, "title");
        p->dept = str_of(m, "department");
        p->manager = str_of(m, "manager");
        if (!p->email || !p->name)
            return ERR_SET(g->e, TL_EINTERNAL, "demo/demo.yaml: a person without email or name");
        p->user = arena_strndup(g->a, p->email, strcspn(p->email, "@"));
        char *login = arena_strdup(g->a, p->user);
        for (char *c = login; *c; c++)
            if (*c == '.')
                *c = '-';
        p->login = login;
        p->start = g->A - 400 - (tl_date)rpick(&r, 0, 2400);
    }
    for (size_t i = 0; i < N_NEW_HIRES; i++) {
        struct person *p = who(g, new_hires[i].user);
        if (!p)
            return ERR_SET(g->e, TL_EINTERNAL, "demo/demo.yaml has no '%s'", new_hires[i].user);
        p->start = g->A - new_hires[i].days;
        p->new_hire = true;
    }
    for (size_t i = 0; i < sizeof(leavers) / sizeof(*leavers); i++) {
        struct person *p = who(g, leavers[i].user);
        if (!p)
            return ERR_SET(g->e, TL_EINTERNAL, "demo/demo.yaml has no '%s'", leavers[i].user);
        p->end = g->A - leavers[i].days;
    }
    return 0;
}

/* Everyone the planted exceptions name must exist. */
static int require(struct gen *g, const char *const *users)
{
    for (; *users; users++)
        if (!who(g, *users))
            return ERR_SET(g->e, TL_EINTERNAL, "demo/demo.yaml has no '%s'", *users);
    return 0;
}

/* --- planted exceptions ------------------------------------------------------------ */

static void expect_check(struct gen *g, const char *check, const char *const *cols)
{
    if (json_object_get(g->planted, check))
        return;
    json_t *o = json_object(), *c = json_array();
    for (; *cols; cols++)
        json_array_append_new(c, json_string(*cols));
    json_object_set_new(o, "columns", c);
    json_object_set_new(o, "rows", json_array());
    json_object_set_new(g->planted, check, o);
}

/* Registers one row check must return: vals[i] under the check's columns. */
static void plant(struct gen *g, const char *check, const char *const *vals)
{
    json_t *row = json_array();
    for (; *vals; vals++)
        json_array_append_new(row, json_string(*vals));
    json_array_append_new(json_object_get(json_object_get(g->planted, check), "rows"), row);
    g->n_planted++;
}

/* --- dates --------------------------------------------------------------------------- */

static const char *day(struct arena *a, tl_date d)
{
    char b[DATE_BUF];
    date_format(d, b);
    return arena_strdup(a, b);
}

static const char *at(struct arena *a, tl_date d, int64_t secs)
{
    char b[TIME_BUF];
    time_format((tl_time)d * 86400 + secs, b);
    return arena_strdup(a, b);
}

static void at_buf(char b[TIME_BUF], tl_time t)
{
    time_format(t, b);
}

static tl_time moment(tl_date d, int64_t secs)
{
    return (tl_time)d * 86400 + secs;
}

static tl_date quarter_start(tl_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
}

static const char *quarter_label(struct arena *a, tl_date qs)
{
    int y, m, d;
    date_to_ymd(qs, &y, &m, &d);
    return arena_printf(a, "%d-Q%d", y, (m + 2) / 3);
}

/* --- writing files -------------------------------------------------------------------- */

struct out {
    FILE *f;
    const char *path, *tmp;
    struct sb buf;
    int64_t rows;
};

static int out_open(struct gen *g, struct out *o, const char *file)
{
    memset(o, 0, sizeof(*o));
    o->path = arena_printf(g->a, "%s/%s", g->dir, file);
    o->tmp = arena_printf(g->a, "%s.tmp", o->path);
    o->f = fopen(o->tmp, "wb");
    if (!o->f)
        return ERR_SET(g->e, TL_EIO, "cannot write '%s': %s", o->tmp, strerror(errno));
    sb_init(&o->buf);
    return 0;
}

static int out_flush(struct gen *g, struct out *o)
{
    if (o->buf.len && fwrite(o->buf.buf, 1, o->buf.len, o->f) != o->buf.len)
        return ERR_SET(g->e, TL_EIO, "cannot write '%s': %s", o->tmp, strerror(errno));
    sb_reset(&o->buf);
    return 0;
}

/* A CSV line of n values (NULL = empty); counts as a row unless header. */
static int out_csv(struct gen *g, struct out *o, const char *const *v, size_t n, bool header)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&o->buf, ',');
        if (v[i])
            sb_add_csv(&o->buf, v[i]);
    }
    sb_addc(&o->buf, '\n');
    if (!header)
        o->rows++;
    return o->buf.len >= (1u << 20) ? out_flush(g, o) : 0;
}

static void out_abort(struct out *o)
{
    if (o->f) {
        fclose(o->f);
        remove(o->tmp);
    }
    o->f = NULL;
    sb_release(&o->buf);
}

static int out_close(struct gen *g, struct out *o, const char *name, const char *kind)
{
    int rc = out_flush(g, o);
    if (fclose(o->f) != 0 && rc == 0)
        rc = ERR_SET(g->e, TL_EIO, "cannot write '%s': %s", o->tmp, strerror(errno));
    o->f = NULL;
    if (rc == 0 && rename(o->tmp, o->path) != 0)
        rc = ERR_SET(g->e, TL_EIO, "cannot write '%s': %s", o->path, strerror(errno));
    if (rc)
        remove(o->tmp);
    sb_release(&o->buf);
    if (rc == 0 && name) {
        struct app_demo_data_file *f = &g->files[g->n_files++];
        f->name = name;
        f->path = o->path;
        f->kind = kind;
        f->rows = o->rows;
    }
    return rc;
}

static int out_json(struct gen *g, const char *file, json_t *doc, const char *name,
                    const char *kind, int64_t rows)
{
    struct out o;
    int rc = out_open(g, &o, file);
    if (rc == 0) {
        js_dump(&o.buf, doc, 1);
        sb_addc(&o.buf, '\n');
        o.rows = rows;
        rc = out_close(g, &o, name, kind);
    }
    json_decref(doc);
    return rc;
}

/* Frees what the last rows of a large export allocated. */
static void row_gc(struct gen *g)
{
    if (g->row.total > (1u << 20))
        arena_release(&g->row);
}

#define ROW(o, header, ...)                                                                        \
    out_csv(g, (o), (const char *const[]){__VA_ARGS__},                                            \
            sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *), (header))

/* --- HR, identity provider, devices --------------------------------------------------- */

static int gen_hr(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "hr.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "hr");
    static const char *const cols[] = {"email", NULL};
    expect_check(g, "background-check", cols);
    ROW(&o, true, "Employee ID", "Email", "Full Name", "Department", "Job Title", "Manager Email",
        "Start Date", "End Date", "Employment Type", "Background Check Completed");
    for (size_t i = 0; rc == 0 && i < g->n_people; i++) {
        const struct person *p = &g->people[i];
        tl_date bg = p->start - (tl_date)rpick(&r, 5, 30);
        if (strcmp(p->user, "ebba.danielsson") == 0) {
            bg = p->start + 10; /* checked ten days after she started */
            plant(g, "background-check", (const char *const[]){p->email, NULL});
        }
        rc = ROW(&o, false, arena_printf(g->a, "E%zu", 1001 + i), p->email, p->name, p->dept,
                 p->title, p->manager, day(g->a, p->start), p->end ? day(g->a, p->end) : NULL,
                 "Employee", day(g->a, bg));
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "hr", "csv");
}

static const char *okta_id(struct gen *g, struct rng *r)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char id[21] = "00u";
    for (int i = 3; i < 20; i++)
        id[i] = digits[rnext(r) % 62];
    id[20] = '\0';
    return arena_strdup(g->a, id);
}

static int gen_idp(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "idp_users.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "idp");
    static const char *const email[] = {"email", NULL};
    expect_check(g, "idp-mfa", email);
    expect_check(g, "idp-dormant", email);
    expect_check(g, "idp-orphans", email);
    expect_check(g, "leavers-active-idp", email);
    expect_check(g, "leavers-late-deprovision", email);
    ROW(&o, true, "id", "login", "email", "status", "created", "activated", "last_login",
        "mfa_enrolled", "mfa_factors", "deactivated");
    for (size_t i = 0; rc == 0 && i < g->n_people; i++) {
        const struct person *p = &g->people[i];
        const char *status = "ACTIVE", *deactivated = NULL, *mfa = "true";
        const char *factors = i % 4 == 0 ? "okta_verify,webauthn" : "okta_verify";
        const char *const key[] = {p->email, NULL};
        tl_time last = moment(g->A - (tl_date)rpick(&r, 0, 6), rpick(&r, 7 * 3600, 18 * 3600));
        if (p->end) {
            status = "DEPROVISIONED";
            last = moment(p->end - 1, 15 * 3600 + rpick(&r, 0, 3600));
            deactivated = at(g->a, p->end, 16 * 3600 + 30 * 60);
        }
        if (strcmp(p->user, "robin.nyberg") == 0) {
            deactivated = at(g->a, g->A - 93, 10 * 3600); /* a week after his last day */
            plant(g, "leavers-late-deprovision", key);
        } else if (strcmp(p->user, "emelie.sjostrom") == 0) {
            status = "ACTIVE", deactivated = NULL; /* left, never deprovisioned */
            last = moment(g->A - 41, 16 * 3600);
            plant(g, "leavers-active-idp", key);
        } else if (strcmp(p->user, "moa.lundin") == 0) {
            mfa = "false", factors = NULL;
            plant(g, "idp-mfa", key);
        } else if (strcmp(p->user, "petra.blom") == 0) {
            last = moment(g->A - 130, 10 * 3600);
            plant(g, "idp-dormant", key);
        }
        char lb[TIME_BUF];
        at_buf(lb, last);
        rc = ROW(&o, false, okta_id(g, &r), p->email, p->email, status,
                 at(g->a, p->start - 3, 9 * 3600), at(g->a, p->start, 8 * 3600), lb, mfa, factors,
                 deactivated);
    }
    /* A test account nobody in HR owns. */
    const char *orphan = "test.konto@norrsken.se";
    if (rc == 0)
        rc = ROW(&o, false, okta_id(g, &r), orphan, orphan, "ACTIVE",
                 at(g->a, g->A - 200, 9 * 3600), at(g->a, g->A - 200, 9 * 3600 + 60),
                 at(g->a, g->A - 3, 14 * 3600), "true", "okta_verify", NULL);
    plant(g, "idp-orphans", (const char *const[]){orphan, NULL});
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "idp_users", "csv");
}

static int gen_devices(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "devices.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "devices");
    static const char *const serial[] = {"serial", NULL};
    expect_check(g, "device-encryption", serial);
    expect_check(g, "device-checkin", serial);
    static const char *const models[] = {"MacBook Pro 14 (M3)", "MacBook Air 13 (M2)",
                                         "MacBook Pro 16 (M3 Pro)"};
    ROW(&o, true, "serial", "owner_email", "model", "os_version", "disk_encrypted", "mdm_enrolled",
        "last_checkin", "status");
    for (size_t i = 0; rc == 0 && i < g->n_people; i++) {
        const struct person *p = &g->people[i];
        char sn[13];
        static const char chars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        memcpy(sn, "C02", 3);
        for (int k = 3; k < 12; k++)
            sn[k] = chars[rnext(&r) % (sizeof(chars) - 1)];
        sn[12] = '\0';
        const char *encrypted = "true", *status = employed(p) ? "active" : "retired";
        tl_time seen = employed(p) ? moment(g->A - (tl_date)rpick(&r, 0, 3), rpick(&r, 0, 86399))
                                   : moment(p->end, 12 * 3600);
        const char *id = arena_strdup(g->a, sn);
        if (strcmp(p->user, "hanna.eriksson") == 0) {
            id = "C02FK3ZJMD6T";
            encrypted = "false";
            plant(g, "device-encryption", (const char *const[]){id, NULL});
        } else if (strcmp(p->user, "viktor.larsson") == 0) {
            id = "FVFG72KLQ6L4";
            seen = moment(g->A - 40, 10 * 3600);
            plant(g, "device-checkin", (const char *const[]){id, NULL});
        }
        char sb_[TIME_BUF];
        at_buf(sb_, seen);
        rc = ROW(&o, false, id, p->email, models[rnext(&r) % 3],
                 arena_printf(g->a, "macOS 15.%d", (int)rpick(&r, 2, 4)), encrypted, "true", sb_,
                 status);
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "devices", "csv");
}

/* --- training and policy acknowledgments ---------------------------------------------- */

static int gen_training(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "training.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "training");
    static const char *const email[] = {"email", NULL};
    expect_check(g, "training-annual", email);
    expect_check(g, "training-new-hire", email);
    ROW(&o, true, "email", "course_id", "course_name", "completed_at", "score");
    for (size_t i = 0; rc == 0 && i < g->n_people; i++) {
        const struct person *p = &g->people[i];
        tl_date done[2] = {0, 0};
        if (p->new_hire) {
            done[0] = p->start + (tl_date)rpick(&r, 1, 20);
        } else if (!employed(p)) {
            done[0] = p->end - (tl_date)rpick(&r, 60, 200);
        } else {
            done[0] = g->A - (tl_date)rpick(&r, 10, 330);
            done[1] = done[0] - 365 + (tl_date)rpick(&r, -10, 10);
        }
        if (strcmp(p->user, "mattias.henriksson") == 0) {
            done[0] = g->A - 420, done[1] = g->A - 785; /* last year's, not this year's */
            plant(g, "training-annual", (const char *const[]){p->email, NULL});
        } else if (strcmp(p->user, "ellen.samuelsson") == 0) {
            done[0] = done[1] = 0; /* never took it */
            plant(g, "training-annual", (const char *const[]){p->email, NULL});
        } else if (strcmp(p->user, "rasmus.holmberg") == 0) {
            done[0] = p->start + 35; /* five days late */
            plant(g, "training-new-hire", (const char *const[]){p->email, NULL});
        }
        for (int k = 1; rc == 0 && k >= 0; k--)
            if (done[k])
                rc = ROW(&o, false, p->email, "SEC-AWARE", "Security awareness", day(g->a, done[k]),
                         arena_printf(g->a, "%d", (int)rpick(&r, 80, 100)));
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "training", "csv");
}

static const char *const required_policies[] = {"information-security", "acceptable-use",
                                                "code-of-conduct"};

static int gen_policy_acks(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "policy_acks.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "policy_acks");
    static const char *const two[] = {"email", "policy", NULL}, *const one[] = {"email", NULL};
    expect_check(g, "policy-ack-new-hires", two);
    expect_check(g, "policy-ack-annual", one);
    ROW(&o, true, "email", "policy", "version", "acknowledged_at");
    for (size_t i = 0; rc == 0 && i < g->n_people; i++) {
        const struct person *p = &g->people[i];
        if (!employed(p))
            continue;
        bool lars = strcmp(p->user, "lars.strom") == 0;
        if (lars)
            plant(g, "policy-ack-annual", (const char *const[]){p->email, NULL});
        for (size_t k = 0; rc == 0 && k < 3; k++) {
            const char *policy = required_policies[k];
            tl_date d = p->new_hire ? p->start + (tl_date)rpick(&r, 0, 20)
                                    : g->A - (tl_date)rpick(&r, 5, 300);
            if (lars)
                d = g->A - 400 - (tl_date)k; /* nothing in the last twelve months */
            if (strcmp(p->user, "anton.fransson") == 0 && k == 1) {
                d = p->start + 45; /* fifteen days late */
                plant(g, "policy-ack-new-hires", (const char *const[]){p->email, policy, NULL});
            }
            if (strcmp(p->user, "tobias.berg") == 0 && k == 2) {
                plant(g, "policy-ack-new-hires", (const char *const[]){p->email, policy, NULL});
                continue; /* never acknowledged */
            }
            char b[TIME_BUF];
            at_buf(b, moment(d, 9 * 3600 + rpick(&r, 0, 8 * 3600)));
            rc = ROW(&o, false, p->email, policy, d >= g->A - 200 ? "v2026.1" : "v2025.1", b);
        }
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "policy_acks", "csv");
}

/* --- AWS IAM credential report ----------------------------------------------------------- */

/* Report time stamps are ISO 8601 with an explicit +00:00 offset. */
static const char *aws_time(struct gen *g, tl_date d, int64_t secs)
{
    char b[TIME_BUF];
    time_format(moment(d, secs), b);
    b[19] = '\0';
    return arena_printf(g->a, "%s+00:00", b);
}

struct aws_key {
    bool active;
    int rotated, used; /* days before A; used < 0 = never */
    const char *service;
};

static int aws_row(struct gen *g, struct out *o, const char *user, const char *created,
                   const char *pw_enabled, const char *pw_used, const char *pw_changed,
                   const char *mfa, const struct aws_key k[2])
{
    const char *v[22];
    size_t n = 0;
    v[n++] = user;
    v[n++] = strcmp(user, "<root_account>") == 0
                 ? "arn:aws:iam::493817265120:root"
                 : arena_printf(g->a, "arn:aws:iam::493817265120:user/%s", user);
    v[n++] = created;
    v[n++] = pw_enabled;
    v[n++] = pw_used;
    v[n++] = pw_changed;
    v[n++] = strcmp(pw_enabled, "not_supported") == 0 ? pw_enabled : "N/A";
    v[n++] = mfa;
    for (int i = 0; i < 2; i++) {
        bool on = k[i].active;
        v[n++] = on ? "true" : "false";
        v[n++] = on ? aws_time(g, g->A - k[i].rotated, 8 * 3600 + 1234) : "N/A";
        v[n++] = on && k[i].used >= 0 ? aws_time(g, g->A - k[i].used, 6 * 3600 + 420) : "N/A";
        v[n++] = on && k[i].used >= 0 ? "eu-north-1" : "N/A";
        v[n++] = on && k[i].used >= 0 ? k[i].service : "N/A";
    }
    v[n++] = "false";
    v[n++] = "N/A";
    v[n++] = "false";
    v[n++] = "N/A";
    return out_csv(g, o, v, n, false);
}

static int gen_aws(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "aws_iam_credential_report.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "aws");
    static const char *const user[] = {"user", NULL}, *const key[] = {"user", "access_key", NULL};
    expect_check(g, "aws-console-mfa", user);
    expect_check(g, "aws-root-mfa", user);
    expect_check(g, "aws-root-use", user);
    expect_check(g, "aws-access-key-age", key);
    expect_check(g, "aws-access-key-unused", key);
    ROW(&o, true, "user", "arn", "user_creation_time", "password_enabled", "password_last_used",
        "password_last_changed", "password_next_rotation", "mfa_active", "access_key_1_active",
        "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region",
        "access_key_1_last_used_service", "access_key_2_active", "access_key_2_last_rotated",
        "access_key_2_last_used_date", "access_key_2_last_used_region",
        "access_key_2_last_used_service", "cert_1_active", "cert_1_last_rotated", "cert_2_active",
        "cert_2_last_rotated");
    static const struct aws_key none[2] = {{false, 0, -1, NULL}, {false, 0, -1, NULL}};
    /* Someone signed in as root twelve days ago. */
    rc = aws_row(g, &o, "<root_account>", "2019-03-01T09:12:44+00:00", "not_supported",
                 aws_time(g, g->A - 12, 21 * 3600 + 7), "not_supported", "true", none);
    plant(g, "aws-root-use", (const char *const[]){"<root_account>", NULL});
    static const char *const console[] = {"johan.bergstrom", "sara.nystrom",       "oskar.lundgren",
                                          "elin.hedlund",    "david.akesson",      "simon.karlsson",
                                          "tove.magnusson",  "alexander.axelsson", "tobias.berg"};
    for (size_t i = 0; rc == 0 && i < sizeof(console) / sizeof(*console); i++) {
        const struct person *p = who(g, console[i]);
        struct aws_key k[2] = {{false, 0, -1, NULL}, {false, 0, -1, NULL}};
        const char *mfa = "true";
        if (strcmp(console[i], "david.akesson") == 0) {
            k[0] = (struct aws_key){true, 40, 1, "s3"};
            k[1] = (struct aws_key){true, 60, -1, NULL}; /* created, never used */
            plant(g, "aws-access-key-unused", (const char *const[]){console[i], "2", NULL});
        }
        if (strcmp(console[i], "alexander.axelsson") == 0) {
            mfa = "false";
            plant(g, "aws-console-mfa", (const char *const[]){console[i], NULL});
        }
        tl_date created = (p->start > g->A - 2000 ? p->start : g->A - 2000) + 1;
        rc = aws_row(g, &o, console[i], aws_time(g, created, 10 * 3600), "true",
                     aws_time(g, g->A - (tl_date)rpick(&r, 0, 10), rpick(&r, 7 * 3600, 17 * 3600)),
                     aws_time(g, g->A - (tl_date)rpick(&r, 20, 80), 9 * 3600), mfa, k);
    }
    static const struct {
        const char *user;
        struct aws_key k;
    } services[] = {
        {"svc-ci-deploy", {true, 30, 0, "ecr"}},
        {"svc-backup", {true, 200, 1, "backup"}}, /* not rotated for 200 days */
        {"svc-datadog", {true, 50, 0, "cloudwatch"}},
        {"svc-legacy-reports", {true, 80, 150, "s3"}}, /* unused for 150 days */
    };
    for (size_t i = 0; rc == 0 && i < sizeof(services) / sizeof(*services); i++) {
        struct aws_key k[2] = {services[i].k, {false, 0, -1, NULL}};
        rc = aws_row(g, &o, services[i].user, aws_time(g, g->A - 900 + (tl_date)i * 30, 11 * 3600),
                     "false", "N/A", "N/A", "false", k);
    }
    plant(g, "aws-access-key-age", (const char *const[]){"svc-backup", "1", NULL});
    plant(g, "aws-access-key-unused", (const char *const[]){"svc-legacy-reports", "1", NULL});
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "aws_iam", "aws-iam-credential-report");
}

/* --- pull requests and the git history ------------------------------------------------------ */

#define N_PULLS 120
#define FIRST_PULL 1001

enum pr_kind { PR_NORMAL, PR_OPEN, PR_CLOSED, PR_RELEASE };

struct pr {
    int number;
    enum pr_kind kind;
    const char *title, *branch;
    const struct person *author, *reviewer, *merger;
    tl_time created, merged; /* merged 0 = not merged */
    bool squash;
    char head[GIT_OID_HEXSZ + 1], merge[GIT_OID_HEXSZ + 1];
};

static const char *pr_title(struct gen *g, struct rng *r)
{
    static const char *const verbs[] = {"Add",      "Fix",    "Refactor", "Speed up",
                                        "Document", "Harden", "Update"};
    static const char *const things[] = {
        "forecast cache",   "ingest retries",     "store filters",   "SFTP connector",
        "dashboard export", "tenant quota check", "campaign report", "API pagination",
        "login audit log",  "dbt models",         "inventory sync",  "alert routing"};
    return arena_printf(g->a, "%s %s", verbs[rnext(r) % 7], things[rnext(r) % 12]);
}

/* Engineers who were there for the whole period. */
static size_t engineers(struct gen *g, const struct person **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_people && n < max; i++) {
        const struct person *p = &g->people[i];
        if (employed(p) && p->start < g->P &&
            (strcmp(p->dept, "Teknik") == 0 || strcmp(p->dept, "Drift") == 0 ||
             strcmp(p->dept, "S\xc3\xa4kerhet") == 0))
            out[n++] = p;
    }
    return n;
}

static void plan_pulls(struct gen *g)
{
    struct rng r = stream(g->seed, "pulls");
    const struct person *eng[64];
    size_t n_eng = engineers(g, eng, 64);
    g->prs = arena_calloc(g->a, N_PULLS, sizeof(*g->prs));
    g->n_prs = N_PULLS;
    for (int i = 0; i < N_PULLS; i++) {
        struct pr *p = &g->prs[i];
        p->number = FIRST_PULL + i;
        p->title = pr_title(g, &r);
        p->branch = arena_printf(g->a, "feature/%d-%s", p->number, i % 2 ? "fix" : "change");
        p->author = eng[rnext(&r) % n_eng];
        do
            p->reviewer = eng[rnext(&r) % n_eng];
        while (p->reviewer == p->author);
        p->merger = p->number % 3 == 0 ? p->reviewer : p->author;
        p->created = moment(g->A - 360 + 3 * i, rpick(&r, 8 * 3600, 16 * 3600));
        p->merged = p->created + rpick(&r, 2, 30) * 3600 + rpick(&r, 0, 3599);
        p->squash = p->number % 2 == 1;
        if (i >= N_PULLS - 3)
            p->kind = PR_OPEN;
        else if (p->number == 1050)
            p->kind = PR_CLOSED;
        else if (p->number == 1064)
            p->kind = PR_RELEASE;
        if (p->kind == PR_OPEN || p->kind == PR_CLOSED)
            p->merged = 0;
    }
}

static bool on_main(const struct pr *p)
{
    return p->kind == PR_NORMAL;
}

struct repo {
    git_repository *repo;
    git_oid tip;
    bool has_tip;
    int n;
    struct err *e;
};

static int git_fail(struct err *e, const char *what)
{
    const git_error *ge = git_error_last();
    return ERR_SET(e, TL_EIO, "demo repository: %s: %s", what,
                   ge && ge->message ? ge->message : "failed");
}

/* A commit of a two-file tree; *out gets its id. */
static int commit(struct repo *rp, const git_oid *parents, size_t n_parents, const char *au_name,
                  const char *au_email, tl_time au_at, const char *co_name, const char *co_email,
                  tl_time co_at, const char *message, git_oid *out)
{
    git_oid readme, notes, tree_id;
    git_treebuilder *tb = NULL;
    git_tree *tree = NULL;
    git_signature *au = NULL, *co = NULL;
    const git_commit *pc[2] = {NULL, NULL};
    git_commit *owned[2] = {NULL, NULL};
    static const char readme_text[] = "# Norrsken Insights platform\n\nAPI, pipelines and "
                                      "forecasting for Norrsken Analytics.\n";
    struct sb note = SB_INIT;
    sb_addf(&note, "%d %s\n", ++rp->n, message);
    int rc = git_blob_create_from_buffer(&readme, rp->repo, readme_text, sizeof(readme_text) - 1);
    if (rc == 0)
        rc = git_blob_create_from_buffer(&notes, rp->repo, note.buf, note.len);
    if (rc == 0)
        rc = git_treebuilder_new(&tb, rp->repo, NULL);
    if (rc == 0)
        rc = git_treebuilder_insert(NULL, tb, "README.md", &readme, GIT_FILEMODE_BLOB);
    if (rc == 0)
        rc = git_treebuilder_insert(NULL, tb, "NOTES.md", &notes, GIT_FILEMODE_BLOB);
    if (rc == 0)
        rc = git_treebuilder_write(&tree_id, tb);
    if (rc == 0)
        rc = git_tree_lookup(&tree, rp->repo, &tree_id);
    if (rc == 0)
        rc = git_signature_new(&au, au_name, au_email, (git_time_t)au_at, 0);
    if (rc == 0)
        rc = git_signature_new(&co, co_name, co_email, (git_time_t)co_at, 0);
    for (size_t i = 0; rc == 0 && i < n_parents; i++) {
        rc = git_commit_lookup(&owned[i], rp->repo, &parents[i]);
        pc[i] = owned[i];
    }
    if (rc == 0)
        rc = git_commit_create(out, rp->repo, NULL, au, co, NULL, message, tree, n_parents, pc);
    int result = rc ? git_fail(rp->e, "writing a commit") : 0;
    for (int i = 0; i < 2; i++)
        git_commit_free(owned[i]);
    git_signature_free(au);
    git_signature_free(co);
    git_tree_free(tree);
    git_treebuilder_free(tb);
    sb_release(&note);
    return result;
}

static int main_commit(struct repo *rp, const char *au_name, const char *au_email, tl_time au_at,
                       const char *co_name, const char *co_email, tl_time co_at, const char *msg,
                       const git_oid *second_parent, char hex[GIT_OID_HEXSZ + 1])
{
    git_oid parents[2], id;
    size_t n = 0;
    if (rp->has_tip)
        parents[n++] = rp->tip;
    if (second_parent)
        parents[n++] = *second_parent;
    int rc = commit(rp, parents, n, au_name, au_email, au_at, co_name, co_email, co_at, msg, &id);
    if (rc)
        return rc;
    rp->tip = id;
    rp->has_tip = true;
    if (hex)
        git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
    return 0;
}

/* Direct pushes to main, outside any pull request. */
static const struct {
    const char *user;
    int days, secs;
    const char *summary;
} pushes[] = {
    {"simon.karlsson", 61, 9 * 3600 + 14 * 60, "Hotfix: raise ingest timeout to 120 s"},
    {"emma.sjoberg", 33, 16 * 3600 + 2 * 60, "Update on-call rota in README"},
};

static int merge_pull(struct gen *g, struct repo *rp, struct pr *p)
{
    static const char gh_name[] = "GitHub", gh_email[] = "noreply@github.com";
    if (p->squash) {
        const char *msg = arena_printf(g->a, "%s (#%d)\n\n* %s\n", p->title, p->number, p->title);
        char fake[SHA256_HEX];
        crypto_sha256_hex(msg, strlen(msg), fake);
        memcpy(p->head, fake, GIT_OID_HEXSZ);
        p->head[GIT_OID_HEXSZ] = '\0';
        return main_commit(rp, p->author->name, p->author->email, p->merged, gh_name, gh_email,
                           p->merged, msg, NULL, p->merge);
    }
    git_oid feature, parent = rp->tip;
    int rc = commit(rp, &parent, 1, p->author->name, p->author->email, p->created + 3600,
                    p->author->name, p->author->email, p->created + 3600,
                    arena_printf(g->a, "%s\n", p->title), &feature);
    if (rc)
        return rc;
    git_oid_tostr(p->head, sizeof(p->head), &feature);
    const char *msg = arena_printf(g->a, "Merge pull request #%d from norrsken/%s\n\n%s\n",
                                   p->number, p->branch, p->title);
    return main_commit(rp, p->merger->name, p->merger->email, p->merged, gh_name, gh_email,
                       p->merged, msg, &feature, p->merge);
}

static int build_history(struct gen *g, struct repo *rp)
{
    const struct person *cto = who(g, "johan.bergstrom");
    tl_time t0 = moment(g->A - 700, 10 * 3600);
    int rc = main_commit(rp, cto->name, cto->email, t0, cto->name, cto->email, t0,
                         "Initial commit\n", NULL, NULL);
    static const char *const sha[] = {"sha", NULL};
    expect_check(g, "git-direct-push", sha);
    size_t next_push = 0, n_push = sizeof(pushes) / sizeof(*pushes);
    for (size_t i = 0; rc == 0 && i <= g->n_prs; i++) {
        tl_time until = i < g->n_prs ? g->prs[i].merged : (tl_time)1 << 62;
        if (i < g->n_prs && !on_main(&g->prs[i]))
            continue;
        while (rc == 0 && next_push < n_push &&
               moment(g->A - pushes[next_push].days, pushes[next_push].secs) < until) {
            const struct person *p = who(g, pushes[next_push].user);
            tl_time t = moment(g->A - pushes[next_push].days, pushes[next_push].secs);
            char hex[GIT_OID_HEXSZ + 1];
            rc = main_commit(rp, p->name, p->email, t, p->name, p->email, t,
                             arena_printf(g->a, "%s\n", pushes[next_push].summary), NULL, hex);
            if (rc == 0) {
                plant(g, "git-direct-push", (const char *const[]){arena_strdup(g->a, hex), NULL});
                if (next_push == 0)
                    memcpy(g->hotfix_sha, hex, sizeof(hex));
            }
            next_push++;
        }
        if (rc == 0 && i < g->n_prs)
            rc = merge_pull(g, rp, &g->prs[i]);
    }
    return rc;
}

static int gen_git(struct gen *g)
{
    const char *path = arena_printf(g->a, "%s/repo.git", g->dir);
    struct repo rp = {.e = g->e};
    git_libgit2_init();
    int rc = git_repository_init(&rp.repo, path, 1) ? git_fail(g->e, "creating it") : 0;
    if (rc == 0)
        rc = build_history(g, &rp);
    git_reference *ref = NULL;
    if (rc == 0 &&
        git_reference_create(&ref, rp.repo, "refs/heads/main", &rp.tip, 1, "demo data") != 0)
        rc = git_fail(g->e, "setting main");
    git_reference_free(ref);
    if (rc == 0 && git_repository_set_head(rp.repo, "refs/heads/main") != 0)
        rc = git_fail(g->e, "setting HEAD");
    git_repository_free(rp.repo);
    git_libgit2_shutdown();
    if (rc == 0) {
        struct app_demo_data_file *f = &g->files[g->n_files++];
        f->name = "git";
        f->path = path;
        f->kind = "git";
        f->rows = rp.n;
    }
    return rc;
}

static json_t *gh_user(const struct person *p, int id)
{
    json_t *u = json_object();
    json_object_set_new(u, "login", json_string(p->login));
    json_object_set_new(u, "id", json_integer(id));
    json_object_set_new(u, "type", json_string("User"));
    return u;
}

static int login_id(const struct gen *g, const struct person *p)
{
    return 7300000 + (int)(p - g->people);
}

static json_t *gh_review(struct gen *g, const struct pr *p, const struct person *by,
                         const char *state, tl_time when, int id)
{
    char b[TIME_BUF];
    at_buf(b, when);
    json_t *r = json_object();
    json_object_set_new(r, "id", json_integer(id));
    json_object_set_new(r, "user", gh_user(by, login_id(g, by)));
    json_object_set_new(r, "body", json_string(""));
    json_object_set_new(r, "state", json_string(state));
    json_object_set_new(r, "submitted_at", json_string(b));
    json_object_set_new(r, "commit_id", json_string(p->head));
    json_object_set_new(r, "author_association", json_string("MEMBER"));
    json_object_set_new(r, "html_url",
                        json_sprintf("https://github.com/norrsken/insights-platform/pull/%d"
                                     "#pullrequestreview-%d",
                                     p->number, id));
    return r;
}

static json_t *reviews_of(struct gen *g, struct rng *r, const struct pr *p,
                          const struct person *const *eng, size_t n_eng)
{
    json_t *list = json_array();
    int id = 1900000000 + p->number * 10;
    if (p->kind == PR_RELEASE || p->number == 1042)
        return list; /* merged without review */
    if (p->kind != PR_NORMAL) {
        json_array_append_new(list,
                              gh_review(g, p, p->reviewer, "COMMENTED", p->created + 2400, id));
        return list;
    }
    if (p->number == 1077) { /* approved only after it was merged */
        json_array_append_new(list,
                              gh_review(g, p, p->reviewer, "APPROVED", p->merged + 3 * 3600, id));
        return list;
    }
    if (p->number % 7 == 0) /* changes asked for first, then approved by the same reviewer */
        json_array_append_new(
            list, gh_review(g, p, p->reviewer, "CHANGES_REQUESTED", p->created + 1200, id++));
    if (p->number % 5 == 0) {
        const struct person *third = eng[rnext(r) % n_eng];
        if (third != p->author && third != p->reviewer)
            json_array_append_new(list,
                                  gh_review(g, p, third, "COMMENTED", p->created + 2400, id++));
    }
    json_array_append_new(
        list, gh_review(g, p, p->reviewer, "APPROVED", p->merged - rpick(r, 10, 60) * 60, id++));
    if (p->number == 1108) { /* a second reviewer still asks for changes at merge */
        const struct person *other =
            p->author == eng[0] || p->reviewer == eng[0]
                ? (p->author == eng[1] || p->reviewer == eng[1] ? eng[2] : eng[1])
                : eng[0];
        json_array_append_new(
            list, gh_review(g, p, other, "CHANGES_REQUESTED", p->merged - 5 * 60, id++));
    }
    return list;
}

static json_t *gh_ref(const char *ref, const char *sha)
{
    json_t *o = json_object(), *repo = json_object();
    json_object_set_new(o, "label", json_sprintf("norrsken:%s", ref));
    json_object_set_new(o, "ref", json_string(ref));
    json_object_set_new(o, "sha", json_string(sha));
    json_object_set_new(repo, "full_name", json_string("norrsken/insights-platform"));
    json_object_set_new(o, "repo", repo);
    return o;
}

static void set_time(json_t *o, const char *key, tl_time t)
{
    char b[TIME_BUF];
    if (!t) {
        json_object_set_new(o, key, json_null());
        return;
    }
    at_buf(b, t);
    json_object_set_new(o, key, json_string(b));
}

static int gen_pulls(struct gen *g)
{
    struct rng r = stream(g->seed, "reviews");
    const struct person *eng[64];
    size_t n_eng = engineers(g, eng, 64);
    static const char *const number[] = {"number", NULL};
    expect_check(g, "pr-independent-approval", number);
    expect_check(g, "pr-changes-requested", number);
    json_t *doc = json_array();
    for (size_t i = 0; i < g->n_prs; i++) {
        struct pr *p = &g->prs[i];
        if (!p->head[0]) {
            char fake[SHA256_HEX];
            crypto_sha256_hex(p->branch, strlen(p->branch), fake);
            memcpy(p->head, fake + 24, GIT_OID_HEXSZ);
            p->head[GIT_OID_HEXSZ] = '\0';
        }
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(2100000000 + p->number));
        json_object_set_new(o, "number", json_integer(p->number));
        json_object_set_new(
            o, "html_url",
            json_sprintf("https://github.com/norrsken/insights-platform/pull/%d", p->number));
        json_object_set_new(o, "state", json_string(p->kind == PR_OPEN ? "open" : "closed"));
        json_object_set_new(o, "locked", json_false());
        json_object_set_new(o, "draft", json_boolean(p->number == FIRST_PULL + N_PULLS - 1));
        json_object_set_new(o, "title", json_string(p->title));
        json_object_set_new(o, "user", gh_user(p->author, login_id(g, p->author)));
        json_object_set_new(o, "author_association", json_string("MEMBER"));
        json_object_set_new(o, "body", json_sprintf("Part of the %s work.", p->title));
        json_t *labels = json_array();
        if (p->number % 4 == 0) {
            json_t *l = json_object();
            json_object_set_new(l, "name", json_string(p->number % 8 ? "bug" : "enhancement"));
            json_array_append_new(labels, l);
        }
        json_object_set_new(o, "labels", labels);
        set_time(o, "created_at", p->created);
        tl_time closed = p->kind == PR_CLOSED ? p->created + 86400 : p->merged;
        set_time(o, "updated_at", closed ? closed + 600 : p->created + 3600);
        set_time(o, "closed_at", closed);
        set_time(o, "merged_at", p->merged);
        json_object_set_new(o, "merged", json_boolean(p->merged != 0));
        json_object_set_new(o, "merged_by",
                            p->merged ? gh_user(p->merger, login_id(g, p->merger)) : json_null());
        json_object_set_new(o, "merge_commit_sha",
                            p->merge[0] ? json_string(p->merge) : json_null());
        json_object_set_new(o, "head", gh_ref(p->branch, p->head));
        json_object_set_new(o, "base",
                            gh_ref(p->kind == PR_RELEASE ? "release/2025.11" : "main",
                                   "0000000000000000000000000000000000000000"));
        json_object_set_new(o, "reviews", reviews_of(g, &r, p, eng, n_eng));
        json_array_append_new(doc, o);
        const char *num = arena_printf(g->a, "%d", p->number);
        if (p->number == 1042 || p->number == 1077)
            plant(g, "pr-independent-approval", (const char *const[]){num, NULL});
        if (p->number == 1108)
            plant(g, "pr-changes-requested", (const char *const[]){num, NULL});
    }
    return out_json(g, "github_pulls.json", doc, "github_pulls", "github-pulls", (int64_t)g->n_prs);
}

/* --- deployments and change tickets ------------------------------------------------------- */

static const char *const leads[] = {"emma.sjoberg", "oskar.lundgren", "johan.bergstrom",
                                    "nils.engstrom"};
static const char *const services[] = {"insights-api", "insights-web", "data-connect", "forecast"};

struct deploys {
    struct out dep, chg;
    int64_t n_dep, n_chg;
    const struct person *eng[64];
    size_t n_eng;
};

static bool is_lead(const struct person *p)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(p->user, leads[i]) == 0)
            return true;
    return false;
}

static const struct person *deployer(struct gen *g, struct deploys *d, struct rng *r)
{
    (void)g;
    const struct person *p;
    do
        p = d->eng[rnext(r) % d->n_eng];
    while (is_lead(p));
    return p;
}

/* One production (or staging) deployment and, for production, its ticket. */
static int deploy(struct gen *g, struct deploys *d, struct rng *r, const char *sha,
                  const char *service, const char *env, tl_time when, const struct person *by,
                  const char *ticket_type, const char *summary, tl_time approved,
                  const struct person *approver, bool no_ticket, const char **id_out)
{
    char when_b[TIME_BUF];
    at_buf(when_b, when);
    const char *ticket = NULL;
    int rc = 0;
    if (strcmp(env, "production") == 0 && !no_ticket) {
        ticket = arena_printf(&g->row, "CHG-%07lld", (long long)++d->n_chg);
        char created[TIME_BUF], appr[TIME_BUF], closed[TIME_BUF];
        at_buf(created, when - 86400 - rpick(r, 0, 7200));
        at_buf(appr, approved);
        at_buf(closed, when + 3600);
        rc = ROW(&d->chg, false, ticket, summary, ticket_type, "Closed", by->email, approver->email,
                 appr, created, closed);
    }
    const char *id = arena_printf(&g->row, "DEP-%07lld", (long long)++d->n_dep);
    if (id_out)
        *id_out = id;
    if (rc == 0)
        rc = ROW(&d->dep, false, id, service, env, sha, when_b, by->email, ticket,
                 arena_printf(&g->row, "%lld", (long long)(40000 + d->n_dep)));
    return rc;
}

static int base_deploys(struct gen *g, struct deploys *d, struct rng *r)
{
    static const char *const id[] = {"deploy_id", NULL};
    expect_check(g, "deploy-unreviewed", id);
    expect_check(g, "deploy-ticket-approved", id);
    expect_check(g, "deploy-segregation", id);
    tl_time end_of_A = moment(g->A, 23 * 3600);
    tl_time hotfix_at = moment(g->A - pushes[0].days, 10 * 3600 + 2 * 60);
    bool hotfix_done = false;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i <= g->n_prs; i++) {
        const struct pr *p = i < g->n_prs ? &g->prs[i] : NULL;
        if (p && !on_main(p))
            continue;
        tl_time prod = p ? p->merged + rpick(r, 1, 20) * 3600 : (tl_time)1 << 62;
        if (!hotfix_done && hotfix_at < prod && g->hotfix_sha[0]) {
            const struct person *simon = who(g, pushes[0].user), *oskar = who(g, "oskar.lundgren");
            const char *dep;
            rc = deploy(g, d, r, g->hotfix_sha, "data-connect", "production", hotfix_at, simon,
                        "emergency", pushes[0].summary, hotfix_at - 22 * 60, oskar, false, &dep);
            plant(g, "deploy-unreviewed", (const char *const[]){dep, NULL});
            hotfix_done = true;
        }
        if (!p || rc)
            continue;
        const char *service = services[p->number % 4];
        rc = deploy(g, d, r, p->merge, service, "staging", p->merged + 1200, p->author, NULL, NULL,
                    0, NULL, true, NULL);
        if (rc || prod > end_of_A)
            continue;
        const struct person *by = deployer(g, d, r);
        const struct person *approver = who(g, leads[rnext(r) % 4]);
        tl_time approved = prod - rpick(r, 1, 12) * 3600;
        bool no_ticket = p->number == 1015;
        if (p->number == 1083)
            approved = prod + 2 * 3600; /* approved after the fact */
        if (p->number == 1096)
            by = approver = who(g, "marcus.nilsson"); /* approved his own deployment */
        const char *dep;
        rc = deploy(g, d, r, p->merge, service, "production", prod, by, "normal", p->title,
                    approved, approver, no_ticket, &dep);
        if (p->number == 1015 || p->number == 1083)
            plant(g, "deploy-ticket-approved", (const char *const[]){dep, NULL});
        if (p->number == 1096)
            plant(g, "deploy-segregation", (const char *const[]){dep, NULL});
    }
    return rc;
}

/* --rows: more production deployments of reviewed changes, each with its ticket. */
static int filler_deploys(struct gen *g, struct deploys *d, struct rng *r, int64_t n)
{
    const struct pr *ok[N_PULLS];
    size_t n_ok = 0;
    for (size_t i = 0; i < g->n_prs; i++) {
        const struct pr *p = &g->prs[i];
        if (on_main(p) && p->number != 1015 && p->number != 1083 && p->number != 1096 &&
            p->merged < moment(g->A - 1, 0))
            ok[n_ok++] = p;
    }
    d->n_chg = d->n_chg < 1000000 ? 1000000 : d->n_chg;
    d->n_dep = d->n_dep < 1000000 ? 1000000 : d->n_dep;
    int rc = 0;
    for (int64_t k = 0; rc == 0 && k < n; k++) {
        row_gc(g);
        const struct pr *p = ok[rnext(r) % n_ok];
        tl_time latest = moment(g->A, 12 * 3600);
        tl_time when = p->merged + 3600 + rpick(r, 0, latest - p->merged - 3600);
        const struct person *by = deployer(g, d, r);
        rc = deploy(g, d, r, p->merge, services[rnext(r) % 4], "production", when, by, "standard",
                    p->title, when - rpick(r, 600, 6 * 3600), who(g, leads[rnext(r) % 4]), false,
                    NULL);
    }
    return rc;
}

static int gen_deploys(struct gen *g)
{
    struct deploys d;
    memset(&d, 0, sizeof(d));
    d.n_eng = engineers(g, d.eng, 64);
    struct rng r = stream(g->seed, "deployments");
    int rc = out_open(g, &d.dep, "deployments.csv");
    if (rc)
        return rc;
    rc = out_open(g, &d.chg, "change_tickets.csv");
    if (rc) {
        out_abort(&d.dep);
        return rc;
    }
    ROW(&d.dep, true, "deploy_id", "service", "environment", "commit_sha", "deployed_at",
        "deployed_by", "change_ticket", "pipeline_run");
    ROW(&d.chg, true, "key", "summary", "type", "status", "requested_by", "approved_by",
        "approved_at", "created_at", "closed_at");
    rc = base_deploys(g, &d, &r);
    if (rc == 0 && g->rows > 0)
        rc = filler_deploys(g, &d, &r, g->rows / 4);
    if (rc == 0)
        rc = out_close(g, &d.dep, "deployments", "csv");
    if (rc == 0)
        rc = out_close(g, &d.chg, "change_tickets", "csv");
    if (rc) {
        out_abort(&d.dep);
        out_abort(&d.chg);
    }
    return rc;
}

/* --- backups ------------------------------------------------------------------------------ */

static const char *const backup_resources[] = {"rds-prod-main", "rds-prod-analytics",
                                               "s3-customer-data", "eks-prod-etcd"};

static int gen_backups(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "backup_jobs.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "backups");
    static const char *const two[] = {"resource", "day", NULL}, *const q[] = {"quarter", NULL};
    expect_check(g, "backup-daily", two);
    expect_check(g, "backup-restore-test", q);
    expect_check(g, "backup-encryption", (const char *const[]){"job_id", NULL});
    ROW(&o, true, "job_id", "resource", "job_type", "started_at", "completed_at", "status",
        "size_bytes", "encrypted");
    int64_t days = g->A - g->P + 1, per_day = 1;
    if (g->rows > 0 && g->rows / 2 > 4 * days)
        per_day = g->rows / 2 / (4 * days);
    int64_t job = 0;
    const tl_date failed_day = g->A - 33, missing_day = g->A - 70;
    for (tl_date dd = g->P; rc == 0 && dd <= g->A; dd++) {
        for (size_t res = 0; rc == 0 && res < 4; res++) {
            if (res == 2 && dd == missing_day)
                continue; /* the job did not run at all */
            /* Every job of a day starts on that day: a planted gap stays one. */
            for (int64_t k = 0; rc == 0 && k < per_day; k++) {
                row_gc(g);
                int64_t start = 2 * 3600 + (int64_t)res * 900 + k * (75600 / per_day);
                int64_t took = rpick(&r, 120, 1500);
                bool failed = res == 1 && dd == failed_day;
                char s[TIME_BUF], f[TIME_BUF];
                at_buf(s, moment(dd, start));
                at_buf(f, moment(dd, start + took));
                rc = ROW(&o, false, arena_printf(&g->row, "%lld", (long long)++job),
                         backup_resources[res], "backup", s, f, failed ? "FAILED" : "COMPLETED",
                         failed ? "0"
                                : arena_printf(&g->row, "%lld",
                                               (long long)rpick(&r, 20000000000ll, 90000000000ll)),
                         "true");
            }
        }
    }
    /* A restore test every quarter but one. */
    tl_date q0 = quarter_start(g->A);
    for (int k = 6; rc == 0 && k >= 1; k--) {
        tl_date qs = date_add_months(q0, -3 * k);
        if (k == 3) {
            plant(g, "backup-restore-test", (const char *const[]){quarter_label(g->a, qs), NULL});
            continue;
        }
        char s[TIME_BUF], f[TIME_BUF];
        at_buf(s, moment(qs + 40, 10 * 3600));
        at_buf(f, moment(qs + 40, 13 * 3600));
        rc = ROW(&o, false, arena_printf(g->a, "%lld", (long long)++job), "rds-prod-main",
                 "restore-test", s, f, "COMPLETED", "0", "true");
    }
    plant(g, "backup-daily",
          (const char *const[]){backup_resources[1], day(g->a, failed_day), NULL});
    plant(g, "backup-daily",
          (const char *const[]){backup_resources[2], day(g->a, missing_day), NULL});
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "backups", "csv");
}

/* --- vulnerabilities -------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int sla, weight;
} severities[] = {{"critical", 7, 5}, {"high", 30, 20}, {"medium", 90, 45}, {"low", 180, 30}};

static int gen_vulns(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "vulnerabilities.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "vulns");
    expect_check(g, "vuln-sla", (const char *const[]){"finding_id", NULL});
    static const char *const packages[] = {"openssl",          "libxml2", "glibc",
                                           "urllib3",          "lodash",  "golang.org/x/net",
                                           "jackson-databind", "curl"};
    ROW(&o, true, "finding_id", "scanner", "asset", "package", "cve", "severity", "cvss",
        "detected_at", "fixed_at", "status");
    int64_t n = g->rows > 0 ? g->rows : 2000;
    for (int64_t i = 1; rc == 0 && i <= n; i++) {
        row_gc(g);
        char id[24], cve[24], asset[40], cvss[8], det[TIME_BUF], fix[TIME_BUF];
        snprintf(id, sizeof(id), "VULN-%07lld", (long long)i);
        int w = (int)rpick(&r, 1, 100), s = 0;
        while (w > severities[s].weight) {
            w -= severities[s].weight;
            s++;
        }
        int64_t age = rpick(&r, 0, g->A - g->P);
        int64_t det_secs = rpick(&r, 0, 86399);
        bool open = age <= severities[s].sla && rnext(&r) % 3 == 0;
        int64_t fixed_days =
            rpick(&r, 0, severities[s].sla - 1 < age ? severities[s].sla - 1 : age);
        tl_time detected = moment(g->A - (tl_date)age, det_secs);
        tl_time fixed = detected + fixed_days * 86400 + rpick(&r, 0, 3600);
        if (i == 17 || i == 230 || i == 555) {
            /* A critical fixed in 12 days, a high open for 45, a medium fixed in 120. */
            s = i == 17 ? 0 : i == 230 ? 1 : 2;
            detected = moment(g->A - (i == 17 ? 40 : i == 230 ? 45 : 200), 8 * 3600);
            fixed = i == 17 ? moment(g->A - 28, 9 * 3600) : moment(g->A - 80, 9 * 3600);
            open = i == 230;
            plant(g, "vuln-sla", (const char *const[]){arena_strdup(g->a, id), NULL});
        }
        snprintf(cve, sizeof(cve), "CVE-%d-%05d", 2023 + (int)(rnext(&r) % 4),
                 (int)rpick(&r, 1000, 49999));
        snprintf(asset, sizeof(asset), "%s-%02d.prod.norrsken.internal", services[rnext(&r) % 4],
                 (int)rpick(&r, 1, 24));
        snprintf(cvss, sizeof(cvss), "%.1f",
                 s == 0   ? 9.0 + (double)rpick(&r, 0, 10) / 10
                 : s == 1 ? 7.0 + (double)rpick(&r, 0, 19) / 10
                 : s == 2 ? 4.0 + (double)rpick(&r, 0, 29) / 10
                          : 0.1 + (double)rpick(&r, 0, 38) / 10);
        at_buf(det, detected);
        at_buf(fix, fixed);
        rc = ROW(&o, false, id, i % 5 ? "inspector" : "trivy", asset, packages[rnext(&r) % 8], cve,
                 severities[s].name, cvss, det, open ? NULL : fix, open ? "open" : "fixed");
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "vulns", "csv");
}

/* --- incidents, volumes, access reviews ----------------------------------------------------------
 */

static int gen_incidents(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "incidents.jsonl");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "incidents");
    static const char *const id[] = {"id", NULL};
    expect_check(g, "incident-sla", id);
    expect_check(g, "incident-postmortem", id);
    static const char *const cycle[] = {"sev3", "sev4", "sev2", "sev3", "sev1", "sev4"};
    static const char *const titles[] = {
        "Delayed imports for one customer", "Dashboard latency above target",
        "Forecast jobs failed overnight",   "Expired certificate on SFTP endpoint",
        "Elevated API error rate",          "Phishing e-mail reported by staff"};
    static const char *const commanders[] = {"sara.nystrom", "david.akesson", "oskar.lundgren"};
    for (int i = 1; rc == 0 && i <= 24; i++) {
        const char *sev = cycle[(i - 1) % 6];
        tl_time opened = moment(g->A - 350 + (i - 1) * 15, rpick(&r, 0, 86399));
        int64_t hours = strcmp(sev, "sev1") == 0   ? rpick(&r, 2, 20)
                        : strcmp(sev, "sev2") == 0 ? rpick(&r, 6, 60)
                        : strcmp(sev, "sev3") == 0 ? rpick(&r, 12, 120)
                                                   : rpick(&r, 24, 480);
        bool pm_missing = false;
        char name[16];
        snprintf(name, sizeof(name), "INC-%04d", i);
        if (i == 7) {
            sev = "sev2", hours = 120; /* resolved after five days */
            plant(g, "incident-sla", (const char *const[]){arena_strdup(g->a, name), NULL});
        } else if (i == 13) {
            sev = "sev1", hours = 10, pm_missing = true;
            plant(g, "incident-postmortem", (const char *const[]){arena_strdup(g->a, name), NULL});
        } else if (i == 24) {
            sev = "sev3";
            opened = moment(g->A - 2, 9 * 3600);
        }
        tl_time resolved = i == 24 ? 0 : opened + hours * 3600 + rpick(&r, 0, 3599);
        tl_time closed = resolved && resolved + 86400 <= moment(g->A, 0) ? resolved + 86400 : 0;
        bool pm_required = strcmp(sev, "sev1") == 0 || strcmp(sev, "sev2") == 0;
        tl_time pm_done =
            pm_required && resolved && !pm_missing ? resolved + rpick(&r, 2, 7) * 86400 : 0;
        if (pm_done > moment(g->A, 0))
            pm_done = 0;
        json_t *inc = json_object(), *pm = json_object();
        json_object_set_new(inc, "id", json_string(name));
        json_object_set_new(inc, "title", json_string(titles[(i - 1) % 6]));
        json_object_set_new(inc, "severity", json_string(sev));
        json_object_set_new(inc, "status",
                            json_string(i == 24  ? "investigating"
                                        : closed ? "closed"
                                                 : "resolved"));
        set_time(inc, "opened_at", opened);
        set_time(inc, "resolved_at", resolved);
        set_time(inc, "closed_at", closed);
        json_object_set_new(inc, "commander", json_string(who(g, commanders[i % 3])->email));
        json_object_set_new(pm, "required", json_boolean(pm_required));
        set_time(pm, "completed_at", pm_done);
        json_object_set_new(pm, "url",
                            pm_done ? json_sprintf("https://wiki.norrsken.se/"
                                                   "postmortems/%s",
                                                   name)
                                    : json_null());
        json_object_set_new(inc, "postmortem", pm);
        rc = js_dump(&o.buf, inc, 0);
        sb_addc(&o.buf, '\n');
        o.rows++;
        json_decref(inc);
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "incidents", "jsonl");
}

static int gen_volumes(struct gen *g)
{
    struct rng r = stream(g->seed, "volumes");
    expect_check(g, "volumes-unencrypted", (const char *const[]){"volume_id", NULL});
    json_t *vols = json_array();
    static const char *const names[] = {"insights-api", "insights-db", "airflow-worker",
                                        "forecast-gpu", "etcd",        "datadog-agent"};
    for (int i = 0; i < 40; i++) {
        char id[32];
        bool encrypted = true;
        const char *name = names[i % 6], *state = i % 9 == 8 ? "available" : "in-use";
        snprintf(id, sizeof(id), "vol-0%016llx", (unsigned long long)(rnext(&r) >> 4));
        if (i == 11 || i == 29) {
            encrypted = false;
            snprintf(id, sizeof(id), "%s",
                     i == 11 ? "vol-0a3f5c2e9d1b47a01" : "vol-0c7d8e1f2a3b4c5d6");
            name = i == 11 ? "legacy-etl-scratch" : "tmp-restore-test";
            state = i == 11 ? "in-use" : "available";
            plant(g, "volumes-unencrypted", (const char *const[]){arena_strdup(g->a, id), NULL});
        }
        json_t *v = json_object(), *tags = json_array(), *tag = json_object();
        json_t *att = json_array();
        char created[TIME_BUF];
        at_buf(created, moment(g->A - (tl_date)rpick(&r, 30, 900), rpick(&r, 0, 86399)));
        created[19] = '\0';
        if (strcmp(state, "in-use") == 0) {
            json_t *a = json_object();
            json_object_set_new(a, "InstanceId",
                                json_sprintf("i-0%016llx", (unsigned long long)(rnext(&r) >> 4)));
            json_object_set_new(a, "Device", json_string("/dev/xvdf"));
            json_object_set_new(a, "State", json_string("attached"));
            json_object_set_new(a, "DeleteOnTermination", json_false());
            json_array_append_new(att, a);
        }
        json_object_set_new(v, "VolumeId", json_string(id));
        json_object_set_new(v, "Size", json_integer(rpick(&r, 2, 64) * 16));
        json_object_set_new(v, "AvailabilityZone",
                            json_sprintf("eu-north-1%c", (char)('a' + i % 3)));
        json_object_set_new(v, "State", json_string(state));
        json_object_set_new(v, "CreateTime", json_sprintf("%s.000Z", created));
        json_object_set_new(v, "Encrypted", json_boolean(encrypted));
        if (encrypted)
            json_object_set_new(v, "KmsKeyId",
                                json_string("arn:aws:kms:eu-north-1:493817265120:key/"
                                            "5d1e7c2a-8f3b-4e61-9a0d-2b7c4f8e1a36"));
        json_object_set_new(v, "VolumeType", json_string(i % 5 ? "gp3" : "io2"));
        json_object_set_new(v, "Iops", json_integer(i % 5 ? 3000 : 16000));
        json_object_set_new(v, "MultiAttachEnabled", json_false());
        json_object_set_new(v, "Attachments", att);
        json_object_set_new(tag, "Key", json_string("Name"));
        json_object_set_new(tag, "Value", json_string(name));
        json_array_append_new(tags, tag);
        json_object_set_new(v, "Tags", tags);
        json_array_append_new(vols, v);
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "Volumes", vols);
    json_object_set_new(doc, "NextToken", json_null());
    return out_json(g, "volumes.json", doc, "volumes", "json", 40);
}

static int gen_access_reviews(struct gen *g)
{
    struct out o;
    int rc = out_open(g, &o, "access_reviews.csv");
    if (rc)
        return rc;
    struct rng r = stream(g->seed, "access_reviews");
    static const char *const systems[] = {"AWS production", "Okta", "GitHub", "Datadog",
                                          "Google Workspace"};
    static const char *const two[] = {"system", "quarter", NULL};
    expect_check(g, "access-review-quarterly", two);
    ROW(&o, true, "review_id", "system", "quarter", "reviewer", "started_at", "completed_at",
        "users_reviewed", "access_removed");
    tl_date q0 = quarter_start(g->A);
    /* Quarters whose review is due by now (30 days after they end), newest first. */
    tl_date due[8];
    int n_due = 0;
    for (int k = 1; k <= 8 && n_due < 8; k++) {
        tl_date qs = date_add_months(q0, -3 * k), qe = date_add_months(qs, 3) - 1;
        if (qe + 30 <= g->A)
            due[n_due++] = qs;
    }
    int seq = 0;
    for (int k = 6; rc == 0 && k >= 1; k--) {
        tl_date qs = date_add_months(q0, -3 * k), qe = date_add_months(qs, 3) - 1;
        const char *label = quarter_label(g->a, qs);
        for (size_t s = 0; rc == 0 && s < 5; s++) {
            tl_date done = qe + (tl_date)rpick(&r, 3, 20);
            if (s == 0 && n_due > 1 && qs == due[1]) {
                plant(g, "access-review-quarterly", (const char *const[]){systems[s], label, NULL});
                continue; /* never done */
            }
            if (s == 2 && n_due > 0 && qs == due[0]) {
                done = qe + 75; /* done, but late */
                plant(g, "access-review-quarterly", (const char *const[]){systems[s], label, NULL});
            }
            if (done > g->A)
                continue; /* not done yet */
            rc = ROW(&o, false, arena_printf(g->a, "AR-%04d", ++seq), systems[s], label,
                     s % 2 ? "sara.nystrom@norrsken.se" : "elin.hedlund@norrsken.se",
                     day(g->a, qe + 1), day(g->a, done),
                     arena_printf(g->a, "%d", (int)rpick(&r, 12, 60)),
                     arena_printf(g->a, "%d", (int)rpick(&r, 0, 4)));
        }
    }
    if (rc) {
        out_abort(&o);
        return rc;
    }
    return out_close(g, &o, "access_reviews", "csv");
}

/* --- the manifest and the whole run
 * ------------------------------------------------------------------ */

static int write_manifest(struct gen *g, struct app_demo_data *out)
{
    json_t *m = json_object(), *files = json_array(), *period = json_object();
    js_set_str(m, "generator", "tillit demo data");
    json_object_set_new(m, "seed", json_integer((json_int_t)g->seed));
    json_object_set_new(m, "rows", json_integer(g->rows));
    js_set_str(m, "as_of", out->as_of);
    js_set_str(period, "start", out->period_start);
    js_set_str(period, "end", out->period_end);
    json_object_set_new(m, "period", period);
    for (size_t i = 0; i < g->n_files; i++) {
        json_t *f = json_object();
        const char *slash = strrchr(g->files[i].path, '/');
        js_set_str(f, "name", g->files[i].name);
        js_set_str(f, "file", slash ? slash + 1 : g->files[i].path);
        js_set_str(f, "kind", g->files[i].kind);
        json_object_set_new(f, "rows", json_integer(g->files[i].rows));
        json_array_append_new(files, f);
    }
    json_object_set_new(m, "datasets", files);
    json_object_set_new(m, "planted", json_incref(g->planted));
    out->manifest = arena_printf(g->a, "%s/manifest.json", g->dir);
    return out_json(g, "manifest.json", m, NULL, NULL, 0);
}

static int make_dir(const char *dir, struct err *e)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return ERR_SET(e, TL_EIO, "cannot create directory '%s': %s", dir, strerror(errno));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ERR_SET(e, TL_EUSAGE, "'%s' is not a directory", dir);
    return 0;
}

int app_demo_data(struct app *app, struct arena *a, const struct app_demo_data_in *in,
                  struct app_demo_data *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    if (in->rows != 0 && in->rows < APP_DEMO_DATA_MIN_ROWS)
        return ERR_SET(e, TL_EUSAGE, "--rows must be at least %d (or left out)",
                       APP_DEMO_DATA_MIN_ROWS);
    tl_date A = time_date(app->now);
    if (in->as_of && date_parse(in->as_of, &A, e))
        return err_wrap(e, "--as-of");
    if (A > time_date(app->now))
        return ERR_SET(e, TL_EUSAGE, "--as-of '%s' is in the future", in->as_of);
    int rc = make_dir(in->dir, e);
    if (rc)
        return rc;
    /* What the run needs lives in scratch; rows of the large exports in
     * g.row, released as they go; what the result keeps is copied to a. */
    struct arena scratch = ARENA_INIT;
    struct gen g = {.app = app,
                    .a = &scratch,
                    .e = e,
                    .dir = in->dir,
                    .seed = in->seed,
                    .rows = in->rows,
                    .A = A,
                    .P = date_add_months(A, -12) + 1};
    g.planted = json_object();
    static const char *const named[] = {"ebba.danielsson",
                                        "robin.nyberg",
                                        "emelie.sjostrom",
                                        "moa.lundin",
                                        "petra.blom",
                                        "hanna.eriksson",
                                        "viktor.larsson",
                                        "mattias.henriksson",
                                        "ellen.samuelsson",
                                        "rasmus.holmberg",
                                        "lars.strom",
                                        "anton.fransson",
                                        "tobias.berg",
                                        "alexander.axelsson",
                                        "david.akesson",
                                        "simon.karlsson",
                                        "emma.sjoberg",
                                        "oskar.lundgren",
                                        "johan.bergstrom",
                                        "nils.engstrom",
                                        "marcus.nilsson",
                                        "sara.nystrom",
                                        "elin.hedlund",
                                        "tove.magnusson",
                                        NULL};
    rc = load_people(&g);
    if (rc == 0)
        rc = require(&g, named);
    if (rc == 0)
        plan_pulls(&g);
    /* Order matters: the history gives the pull requests their merge
     * commits, and both give the deployments what they deploy. */
    if (rc == 0)
        rc = gen_hr(&g);
    if (rc == 0)
        rc = gen_idp(&g);
    if (rc == 0)
        rc = gen_aws(&g);
    if (rc == 0)
        rc = gen_git(&g);
    if (rc == 0)
        rc = gen_pulls(&g);
    if (rc == 0)
        rc = gen_deploys(&g);
    if (rc == 0)
        rc = gen_backups(&g);
    if (rc == 0)
        rc = gen_vulns(&g);
    if (rc == 0)
        rc = gen_training(&g);
    if (rc == 0)
        rc = gen_policy_acks(&g);
    if (rc == 0)
        rc = gen_volumes(&g);
    if (rc == 0)
        rc = gen_incidents(&g);
    if (rc == 0)
        rc = gen_access_reviews(&g);
    if (rc == 0)
        rc = gen_devices(&g);
    if (rc == 0) {
        out->as_of = day(a, A);
        out->period_start = day(a, g.P);
        out->period_end = day(a, A);
        rc = write_manifest(&g, out);
    }
    if (rc == 0) {
        out->files = arena_calloc(a, g.n_files, sizeof(*out->files));
        for (size_t i = 0; i < g.n_files; i++) {
            out->files[i] = g.files[i];
            out->files[i].name = arena_strdup(a, g.files[i].name);
            out->files[i].path = arena_strdup(a, g.files[i].path);
            out->files[i].kind = arena_strdup(a, g.files[i].kind);
        }
        out->n_files = g.n_files;
        out->manifest = arena_strdup(a, out->manifest);
        out->planted = g.n_planted;
    }
    json_decref(g.planted);
    arena_release(&g.row);
    arena_release(&scratch);
    return rc;
}

int app_demo_data_load(struct app *app, struct arena *a, const struct app_org *org,
                       const struct app_demo_data *gen, struct app_dataset **out, size_t *n,
                       struct err *e)
{
    *out = arena_calloc(a, gen->n_files + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < gen->n_files; i++) {
        struct app_dataset_in in = {
            .name = gen->files[i].name, .kind = gen->files[i].kind, .path = gen->files[i].path};
        int rc = app_dataset_load(app, a, org, &in, &(*out)[*n], e);
        if (rc)
            return rc;
        (*n)++;
    }
    return 0;
}
