/* person.c - the people of an organization. */
#include "app/person.h"

#include "base/sb.h"
#include "domain/program.h"

#include <stdio.h>
#include <string.h>

#define PERSON_SELECT                                                                              \
    "SELECT p.id, p.email, p.name, p.title, p.department, m.email, p.start_date, p.end_date, "    \
    "p.is_control_owner, p.is_approver, p.version FROM person p "                                  \
    "LEFT JOIN person m ON m.id = p.manager_id AND m.org_id = p.org_id "

/* Reporting chains are short; the bound only stops a walk through data that
 * a bug (or a hand edit of the database) left cyclic. */
#define MAX_CHAIN 10000

/* How many keys of each kind a refusal to remove names before "...". */
#define MAX_REF_KEYS 5

static void today(const struct app *app, char buf[DATE_BUF])
{
    date_format(time_date(app->now), buf);
}

/* Employed on day: started (or start unknown) and not yet left. ISO dates
 * compare as text. */
static int is_active(const char *start, const char *end, const char *day)
{
    return (app_text_is_empty(start) || strcmp(start, day) <= 0) &&
           (app_text_is_empty(end) || strcmp(end, day) >= 0);
}

static void read_person(struct store_stmt *st, struct arena *a, const char *day,
                        struct app_person *p)
{
    p->id = arena_strdup(a, store_col_text(st, 0));
    p->email = arena_strdup(a, store_col_text(st, 1));
    p->name = arena_strdup(a, store_col_text(st, 2));
    p->title = arena_strdup(a, store_col_text(st, 3));
    p->department = arena_strdup(a, store_col_text(st, 4));
    p->manager = arena_strdup(a, store_col_text(st, 5));
    p->start_date = arena_strdup(a, store_col_text(st, 6));
    p->end_date = arena_strdup(a, store_col_text(st, 7));
    p->is_control_owner = store_col_int(st, 8) != 0;
    p->is_approver = store_col_int(st, 9) != 0;
    p->version = store_col_int(st, 10);
    p->active = is_active(p->start_date, p->end_date, day);
}

static bool matches(const struct app_person *p, const struct app_person_filter *f)
{
    if (!f)
        return true;
    if (f->department && strcmp(p->department, f->department) != 0)
        return false;
    return !f->active_only || p->active;
}

int app_person_list(struct app *app, struct arena *a, const char *org_id,
                    const struct app_person_filter *f, struct app_person **out, size_t *n,
                    struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM person WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            PERSON_SELECT "WHERE p.org_id = ? ORDER BY p.email", "t", org_id);
    if (rc)
        return rc;
    char day[DATE_BUF];
    today(app, day);
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        read_person(st, a, day, &(*out)[*n]);
        if (matches(&(*out)[*n], f))
            (*n)++;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_person_get(struct app *app, struct arena *a, const char *org_id, const char *email,
                   struct app_person *out, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st, PERSON_SELECT "WHERE p.org_id = ? AND p.email = ?",
                            "tt", org_id, email);
    if (rc)
        return rc;
    char day[DATE_BUF];
    today(app, day);
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_person(st, a, day, out);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no person with email '%s' (see 'tillit person list')",
                       email);
    return rc < 0 ? rc : 0;
}

static int check_date(const struct app_person *p, const char *value, const char *what,
                      struct err *e)
{
    tl_date d;
    if (app_text_is_empty(value) || date_parse(value, &d, e) == 0)
        return 0;
    return err_wrap(e, "%s of person '%s'", what, p->email ? p->email : "");
}

/* The rules every field obeys on its own; NULL fields are not checked. */
static int check_fields(const struct app_person *p, struct err *e)
{
    if (p->email && dom_email_check(p->email, e))
        return TL_EINPUT;
    if (p->name && !*p->name)
        return ERR_SET(e, TL_EINPUT, "name of person '%s' must not be empty",
                       p->email ? p->email : "");
    if (check_date(p, p->start_date, "start date", e) ||
        check_date(p, p->end_date, "end date", e))
        return TL_EINPUT;
    if (p->is_control_owner > 1 || p->is_approver > 1 || p->is_control_owner < APP_KEEP ||
        p->is_approver < APP_KEEP)
        return ERR_SET(e, TL_EINPUT, "role flags of person '%s' must be 0 or 1",
                       p->email ? p->email : "");
    return 0;
}

/* The rules of the record as a whole, once the patch is merged. */
static int check_person(const struct app_person *p, struct err *e)
{
    if (!p->email || !p->name)
        return ERR_SET(e, TL_EUSAGE, "a person needs an email and a name");
    int rc = check_fields(p, e);
    if (rc)
        return rc;
    if (!app_text_is_empty(p->start_date) && !app_text_is_empty(p->end_date) &&
        strcmp(p->end_date, p->start_date) < 0)
        return ERR_SET(e, TL_EINPUT, "end date '%s' of person '%s' is before their start date '%s'",
                       p->end_date, p->email, p->start_date);
    if (!app_text_is_empty(p->manager) && strcmp(p->manager, p->email) == 0)
        return ERR_SET(e, TL_EINPUT, "person '%s' cannot be their own manager", p->email);
    return 0;
}

/* The manager of person id, copied into buf ("" when none). */
static int manager_of(struct app *app, const char *org_id, const char *id, char *buf,
                      size_t size, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT manager_id FROM person WHERE org_id = ? AND id = ?", "tt",
                            org_id, id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    const char *m = rc == TL_ROW ? store_col_text(st, 0) : NULL;
    snprintf(buf, size, "%s", m ? m : "");
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Walks up from manager_id: reaching self_id means the new manager reports,
 * directly or not, to the person, and the chain would become a cycle. */
static int check_no_cycle(struct app *app, const char *org_id, const struct app_person *p,
                          const char *self_id, const char *manager_id, struct err *e)
{
    char cur[128];
    snprintf(cur, sizeof(cur), "%s", manager_id);
    for (int i = 0; cur[0] && i < MAX_CHAIN; i++) {
        if (strcmp(cur, self_id) == 0)
            return ERR_SET(e, TL_EINPUT,
                           "manager '%s' of person '%s' would make a cycle: '%s' already "
                           "reports to '%s'",
                           p->manager, p->email, p->manager, p->email);
        int rc = manager_of(app, org_id, cur, cur, sizeof(cur), e);
        if (rc)
            return rc;
    }
    return 0;
}

/* The id of p's manager (NULL for none), checked to exist in the same
 * organization and not to close a reporting cycle.  self_id is NULL for a
 * person not stored yet, who cannot be anyone's manager. */
static int resolve_manager(struct app *app, struct arena *a, const char *org_id,
                           const struct app_person *p, const char *self_id, const char **id,
                           struct err *e)
{
    int rc = app_person_id(app, a, org_id, app_text_or_null(p->manager), id, e);
    if (rc)
        return err_wrap(e, "manager of person '%s'", p->email);
    if (*id && self_id && strcmp(*id, self_id) == 0)
        return ERR_SET(e, TL_EINPUT, "person '%s' cannot be their own manager", p->email);
    if (*id && self_id)
        rc = check_no_cycle(app, org_id, p, self_id, *id, e);
    return rc;
}

static int insert_person(struct app *app, const char *org_id, const char *id,
                         const struct app_person *p, const char *manager_id, struct err *e)
{
    int rc = store_run(app->store, e,
                       "INSERT INTO person (id, org_id, email, name, title, department, "
                       "manager_id, start_date, end_date, is_control_owner, is_approver) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "tttttttttii", id, org_id, p->email, p->name, app_text_or_empty(p->title),
                       app_text_or_empty(p->department), manager_id,
                       app_text_or_null(p->start_date), app_text_or_null(p->end_date),
                       (int64_t)(p->is_control_owner > 0), (int64_t)(p->is_approver > 0));
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "a person with email '%s' already exists", p->email);
    return rc;
}

int app_person_create(struct app *app, struct arena *a, const char *org_id,
                      const struct app_person *in, struct app_person *out, struct err *e)
{
    int rc = check_person(in, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id, .action = "person.add", .object_type = "person",
                           .table = "person", .object_key = in->email};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    const char *manager_id = NULL;
    c.id = app_new_id(a);
    rc = resolve_manager(app, a, org_id, in, NULL, &manager_id, e);
    if (rc == 0)
        rc = insert_person(app, org_id, c.id, in, manager_id, e);
    rc = app_change_end(app, a, &c, rc, e);
    if (rc == 0 && out)
        rc = app_person_get(app, a, org_id, in->email, out, e);
    return rc;
}

static int pick_flag(int patch, int cur)
{
    return patch == APP_KEEP ? cur : patch;
}

/* The person as it will be: cur with the fields patch sets. */
static struct app_person merge(const struct app_person *cur, const struct app_person *patch)
{
    struct app_person m = *cur;
    m.email = app_text_patched(patch->email, cur->email);
    m.name = app_text_patched(patch->name, cur->name);
    m.title = app_text_patched(patch->title, cur->title);
    m.department = app_text_patched(patch->department, cur->department);
    m.manager = app_text_patched(patch->manager, cur->manager);
    m.start_date = app_text_patched(patch->start_date, cur->start_date);
    m.end_date = app_text_patched(patch->end_date, cur->end_date);
    m.is_control_owner = pick_flag(patch->is_control_owner, cur->is_control_owner);
    m.is_approver = pick_flag(patch->is_approver, cur->is_approver);
    return m;
}

static int write_person(struct app *app, const char *org_id, const struct app_person *p,
                        const char *manager_id, struct err *e)
{
    int rc = store_run(app->store, e,
                       "UPDATE person SET email = ?, name = ?, title = ?, department = ?, "
                       "manager_id = ?, start_date = ?, end_date = ?, is_control_owner = ?, "
                       "is_approver = ?, version = version + 1 WHERE id = ? AND org_id = ?",
                       "tttttttiitt", p->email, p->name, app_text_or_empty(p->title),
                       app_text_or_empty(p->department), manager_id,
                       app_text_or_null(p->start_date), app_text_or_null(p->end_date),
                       (int64_t)p->is_control_owner, (int64_t)p->is_approver, p->id, org_id);
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "a person with email '%s' already exists", p->email);
    return rc;
}

/* Opens the audited change of an edit of the person with email: the
 * record locked, read inside the transaction and checked against the
 * version the edit was based on, so that a stale edit changes nothing. */
static int begin_person_edit(struct app *app, struct arena *a, const char *org_id,
                             const char *email, int64_t expected, struct app_change *c,
                             struct app_person *cur, struct err *e)
{
    *c = (struct app_change){.org_id = org_id,
                             .action = "person.edit",
                             .object_type = "person",
                             .table = "person",
                             .object_key = email};
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    rc = app_lock_record(app, org_id, "person", email, e);
    if (rc == 0)
        rc = app_person_get(app, a, org_id, email, cur, e);
    if (rc == 0)
        rc = app_check_version(app, a, org_id, "person", email, cur->version, expected, e);
    if (rc == 0) {
        c->id = cur->id;
        rc = app_row_json(app, a, "person", cur->id, &c->before, e);
    }
    if (rc)
        app_change_abort(app);
    return rc;
}

int app_person_update(struct app *app, struct arena *a, const char *org_id, const char *email,
                      const struct app_person *patch, struct err *e)
{
    struct app_person cur, named = *patch;
    named.email = patch->email ? patch->email : email;
    int rc = check_fields(&named, e);
    if (rc)
        return rc;
    struct app_change c;
    rc = begin_person_edit(app, a, org_id, email, patch->version, &c, &cur, e);
    if (rc)
        return rc;
    struct app_person m = merge(&cur, patch);
    rc = check_person(&m, e);
    const char *manager_id = NULL;
    if (rc == 0)
        rc = resolve_manager(app, a, org_id, &m, cur.id, &manager_id, e);
    if (rc == 0)
        rc = write_person(app, org_id, &m, manager_id, e);
    return app_change_end(app, a, &c, rc, e);
}

/* What may still point at a person, and how to name it in a refusal. */
static const struct {
    const char *label;
    const char *sql; /* params: org_id, person id; one text column of keys */
} person_refs[] = {
    {"owner of controls",
     "SELECT code FROM control WHERE org_id = ? AND owner_id = ? ORDER BY code"},
    {"owner of risks", "SELECT code FROM risk WHERE org_id = ? AND owner_id = ? ORDER BY code"},
    {"owner of policies",
     "SELECT slug FROM policy WHERE org_id = ? AND owner_id = ? ORDER BY slug"},
    {"manager of", "SELECT email FROM person WHERE org_id = ? AND manager_id = ? ORDER BY email"},
    {"approver of policies",
     "SELECT DISTINCT p.slug FROM policy_version v JOIN policy p ON p.id = v.policy_id "
     "WHERE v.org_id = ? AND v.approved_by = ? ORDER BY p.slug"},
    {"acknowledger of policies",
     "SELECT DISTINCT p.slug FROM policy_ack k JOIN policy p ON p.id = k.policy_id "
     "WHERE k.org_id = ? AND k.person_id = ? ORDER BY p.slug"},
};

/* Appends "label k1, k2, ..." to sb when the query finds keys. */
static int add_refs(struct app *app, const char *org_id, const char *id, size_t i,
                    struct sb *sb, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st, person_refs[i].sql, "tt", org_id, id);
    if (rc)
        return rc;
    int n = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        if (n == 0)
            sb_addf(sb, "%s%s ", sb->len ? "; " : "", person_refs[i].label);
        if (n < MAX_REF_KEYS)
            sb_addf(sb, "%s%s", n ? ", " : "", store_col_text(st, 0));
        n++;
    }
    if (n > MAX_REF_KEYS)
        sb_addf(sb, " and %d more", n - MAX_REF_KEYS);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static int check_unreferenced(struct app *app, const char *org_id, const struct app_person *p,
                              struct err *e)
{
    struct sb refs = SB_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(person_refs) / sizeof(person_refs[0]); i++)
        rc = add_refs(app, org_id, p->id, i, &refs, e);
    if (rc == 0 && refs.len)
        rc = ERR_SET(e, TL_ECONFLICT,
                     "cannot remove person '%s': still %s (reassign first, or set an end "
                     "date instead)",
                     p->email, refs.buf);
    sb_release(&refs);
    return rc;
}

int app_person_delete(struct app *app, struct arena *a, const char *org_id, const char *email,
                      struct err *e)
{
    struct app_person cur;
    int rc = app_person_get(app, a, org_id, email, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id, .action = "person.remove", .object_type = "person",
                           .table = "person", .id = cur.id, .object_key = email};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = check_unreferenced(app, org_id, &cur, e);
    if (rc == 0) {
        rc = store_run(app->store, e, "DELETE FROM person WHERE id = ? AND org_id = ?", "tt",
                       cur.id, org_id);
        if (rc == TL_ECONFLICT)
            ERR_SET(e, TL_ECONFLICT, "cannot remove person '%s': other records refer to them",
                    email);
    }
    return app_change_end(app, a, &c, rc, e);
}
