/* risk.c - the risk register: risks, their scores and their controls. */
#include "app/risk.h"

#include "app/record.h"
#include "base/js.h"
#include "domain/program.h"

#include <string.h>

#define RISK_COLUMNS                                                                               \
    "r.id, r.code, r.title, r.description, r.category, r.likelihood, r.impact, r.treatment, "      \
    "r.residual_likelihood, r.residual_impact, r.is_fraud, p.email, r.next_review, r.version "     \
    "FROM risk r LEFT JOIN person p ON p.id = r.owner_id AND p.org_id = r.org_id "

int app_risk_inherent(const struct app_risk *r)
{
    return dom_risk_score(r->likelihood, r->impact);
}

int app_risk_residual(const struct app_risk *r)
{
    if (r->residual_likelihood <= 0 || r->residual_impact <= 0)
        return 0;
    return dom_risk_score(r->residual_likelihood, r->residual_impact);
}

/* Reads one row of RISK_COLUMNS; *id gets the record id when id is non-NULL. */
static void read_risk(struct store_stmt *st, struct arena *a, struct app_risk *r, const char **id)
{
    memset(r, 0, sizeof(*r));
    if (id)
        *id = arena_strdup(a, store_col_text(st, 0));
    r->code = arena_strdup(a, store_col_text(st, 1));
    r->title = arena_strdup(a, store_col_text(st, 2));
    r->description = arena_strdup(a, store_col_text(st, 3));
    r->category = arena_strdup(a, store_col_text(st, 4));
    r->likelihood = (int)store_col_int(st, 5);
    r->impact = (int)store_col_int(st, 6);
    r->treatment = arena_strdup(a, store_col_text(st, 7));
    r->residual_likelihood = store_col_is_null(st, 8) ? 0 : (int)store_col_int(st, 8);
    r->residual_impact = store_col_is_null(st, 9) ? 0 : (int)store_col_int(st, 9);
    r->is_fraud = store_col_int(st, 10) ? 1 : 0;
    r->owner = arena_strdup(a, store_col_text(st, 11));
    r->next_review = arena_strdup(a, store_col_text(st, 12));
    r->version = store_col_int(st, 13);
    r->controls = arena_calloc(a, 1, sizeof(char *));
}

static int load_controls(struct app *app, struct arena *a, const char *org_id, const char *id,
                         struct app_risk *r, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT c.code FROM risk_control rc JOIN control c ON c.id = "
                            "rc.control_id WHERE rc.risk_id = ? AND rc.org_id = ? ORDER BY c.code",
                            "tt", id, org_id);
    if (rc)
        return rc;
    size_t cap = 0;
    r->n_controls = 0;
    while ((rc = store_step(st, e)) == TL_ROW)
        app_strs_push(a, &r->controls, &r->n_controls, &cap, store_col_text(st, 0));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Finds risk code; *id gets its record id. */
static int find_risk(struct app *app, struct arena *a, const char *org_id, const char *code,
                     struct app_risk *out, const char **id, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " RISK_COLUMNS "WHERE r.org_id = ? AND r.code = ?", "tt",
                            org_id, code);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_risk(st, a, out, id);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no risk '%s' (see 'tillit risk list')", code);
    if (rc < 0)
        return rc;
    return load_controls(app, a, org_id, *id, out, e);
}

int app_risk_get(struct app *app, struct arena *a, const char *org_id, const char *code,
                 struct app_risk *out, struct err *e)
{
    const char *id;
    return find_risk(app, a, org_id, code, out, &id, e);
}

/* Attaches the controls of every risk from one query ordered like the risks. */
static int attach_controls(struct app *app, struct arena *a, const char *org_id,
                           struct app_risk *risks, size_t n, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT r.code, c.code FROM risk_control rc "
                            "JOIN risk r ON r.id = rc.risk_id JOIN control c ON c.id = "
                            "rc.control_id WHERE rc.org_id = ? ORDER BY r.code, c.code",
                            "t", org_id);
    if (rc)
        return rc;
    size_t i = 0, cap = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        const char *risk = store_col_text(st, 0);
        while (i < n && strcmp(risks[i].code, risk) != 0) {
            i++;
            cap = 0;
        }
        if (i < n)
            app_strs_push(a, &risks[i].controls, &risks[i].n_controls, &cap, store_col_text(st, 1));
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_risk_list(struct app *app, struct arena *a, const char *org_id, struct app_risk **out,
                  size_t *n, struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM risk WHERE org_id = ?", "t", org_id);
    if (rc)
        return rc;
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT " RISK_COLUMNS "WHERE r.org_id = ? ORDER BY r.code", "t", org_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count)
        read_risk(st, a, &(*out)[(*n)++], NULL);
    store_finalize(st);
    if (rc < 0)
        return rc;
    return attach_controls(app, a, org_id, *out, *n, e);
}

/* --- validation ----------------------------------------------------------- */

static int check_score(const char *code, const char *field, int v, bool optional, struct err *e)
{
    if ((optional && v == 0) || (v >= 1 && v <= 5))
        return 0;
    return ERR_SET(e, TL_EINPUT, "risk '%s': %s %d is out of range (use 1 to 5)", code, field, v);
}

/* The checks that need no database: fields one by one, then the rules that
 * do not depend on controls (those run again with the real count later). */
static int check_fields(const struct app_risk *r, struct err *e)
{
    if (dom_code_check(r->code, "risk code", e))
        return TL_EINPUT;
    if (!r->title || !*r->title)
        return ERR_SET(e, TL_EINPUT, "risk '%s': title must not be empty", r->code);
    if (check_score(r->code, "likelihood", r->likelihood, false, e) ||
        check_score(r->code, "impact", r->impact, false, e) ||
        check_score(r->code, "residual likelihood", r->residual_likelihood, true, e) ||
        check_score(r->code, "residual impact", r->residual_impact, true, e))
        return TL_EINPUT;
    if (!r->treatment)
        return ERR_SET(e, TL_EINPUT, "risk '%s': treatment is required", r->code);
    if (dom_enum_check(dom_treatments, r->treatment, "treatment", e))
        return TL_EINPUT;
    tl_date d;
    if (r->next_review && *r->next_review && date_parse(r->next_review, &d, e))
        return err_wrap(e, "risk '%s': next review", r->code);
    return dom_risk_check(r->code, r->likelihood, r->impact, r->treatment, r->residual_likelihood,
                          r->residual_impact, 1, e);
}

/* The model rules against the controls linked now, inside the transaction. */
static int check_linked(struct app *app, const char *org_id, const char *id,
                        const struct app_risk *r, struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM risk_control WHERE risk_id = ? AND org_id = ?",
                             "tt", id, org_id);
    if (rc)
        return rc;
    return dom_risk_check(r->code, r->likelihood, r->impact, r->treatment, r->residual_likelihood,
                          r->residual_impact, (size_t)n, e);
}

/* --- writing -------------------------------------------------------------- */

static int control_id(struct app *app, struct arena *a, const char *org_id, const char *code,
                      const char **id, struct err *e)
{
    int rc = app_id_by_key(app, a, "control", "code", org_id, code, id, e);
    if (rc == 0 && !*id)
        return ERR_SET(e, TL_ENOTFOUND, "no control '%s' (see 'tillit control list')", code);
    return rc;
}

static int is_linked(struct app *app, const char *org_id, const char *risk_id, const char *ctl_id,
                     bool *linked, struct err *e)
{
    int64_t n = 0;
    int rc = store_query_int(app->store, e, &n, NULL,
                             "SELECT count(*) FROM risk_control WHERE risk_id = ? AND "
                             "control_id = ? AND org_id = ?",
                             "ttt", risk_id, ctl_id, org_id);
    *linked = n > 0;
    return rc;
}

/* Links each control of codes not linked yet (duplicates in codes are
 * fine); with strict, one that is linked already is an error. */
static int add_links(struct app *app, struct arena *a, const char *org_id, const char *risk_id,
                     const char *risk_code, const char *const *codes, size_t n, bool strict,
                     struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        const char *cid = NULL;
        bool linked;
        int rc = control_id(app, a, org_id, codes[i], &cid, e);
        if (rc == 0)
            rc = is_linked(app, org_id, risk_id, cid, &linked, e);
        if (rc)
            return rc;
        if (linked && strict)
            return ERR_SET(e, TL_EEXIST, "risk '%s' is already linked to control '%s'", risk_code,
                           codes[i]);
        if (linked)
            continue;
        rc = store_run(app->store, e,
                       "INSERT INTO risk_control (risk_id, control_id, org_id) VALUES (?, ?, ?)",
                       "ttt", risk_id, cid, org_id);
        if (rc)
            return rc;
    }
    return 0;
}

/* The record as the audit log keeps it: natural keys, no internal ids. */
static const char *risk_json(struct arena *a, const struct app_risk *r)
{
    json_t *o = json_object();
    js_set_str(o, "code", r->code);
    js_set_str(o, "title", r->title);
    js_set_str(o, "description", r->description);
    js_set_str(o, "category", r->category);
    json_object_set_new(o, "likelihood", json_integer(r->likelihood));
    json_object_set_new(o, "impact", json_integer(r->impact));
    js_set_str(o, "treatment", r->treatment);
    json_object_set_new(o, "residual_likelihood",
                        r->residual_likelihood ? json_integer(r->residual_likelihood)
                                               : json_null());
    json_object_set_new(o, "residual_impact",
                        r->residual_impact ? json_integer(r->residual_impact) : json_null());
    json_object_set_new(o, "is_fraud", json_boolean(r->is_fraud));
    js_set_str(o, "owner", r->owner);
    js_set_str(o, "next_review", r->next_review);
    json_t *ctl = json_array();
    for (size_t i = 0; i < r->n_controls; i++)
        json_array_append_new(ctl, json_string(r->controls[i]));
    json_object_set_new(o, "controls", ctl);
    return app_json_dump(a, o);
}

/* Ends a change begun on risk code: on success checks the rules against the
 * linked controls, snapshots the record and commits; otherwise rolls back. */
static int finish(struct app *app, struct arena *a, struct app_change *c, const char *code, int rc,
                  struct err *e)
{
    struct app_risk after;
    const char *id = NULL;
    if (rc == 0)
        rc = find_risk(app, a, c->org_id, code, &after, &id, e);
    if (rc == 0)
        rc = check_linked(app, c->org_id, id, &after, e);
    if (rc == 0)
        c->after = risk_json(a, &after);
    return app_change_end(app, a, c, rc, e);
}

/* Binds the writable columns; shared by INSERT and UPDATE. */
static int write_risk(struct app *app, struct arena *a, const char *org_id, const char *id,
                      const struct app_risk *r, bool insert, struct err *e)
{
    const char *owner_id;
    int rc = app_person_id(app, a, org_id, r->owner, &owner_id, e);
    if (rc)
        return rc;
    const char *review = r->next_review && *r->next_review ? r->next_review : NULL;
    const char *sql =
        insert ? "INSERT INTO risk (title, description, category, likelihood, impact, treatment, "
                 "residual_likelihood, residual_impact, is_fraud, owner_id, next_review, "
                 "id, org_id, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
               : "UPDATE risk SET title = ?, description = ?, category = ?, likelihood = ?, "
                 "impact = ?, treatment = ?, residual_likelihood = ?, residual_impact = ?, "
                 "is_fraud = ?, owner_id = ?, next_review = ?, version = version + 1 "
                 "WHERE id = ? AND org_id = ? AND code = ?";
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st, sql, "tttiit", r->title,
                        r->description ? r->description : "", r->category ? r->category : "",
                        (int64_t)r->likelihood, (int64_t)r->impact, r->treatment);
    if (rc)
        return rc;
    if (r->residual_likelihood) {
        store_bind_int(st, 7, r->residual_likelihood);
        store_bind_int(st, 8, r->residual_impact);
    } else {
        store_bind_null(st, 7);
        store_bind_null(st, 8);
    }
    store_bind_int(st, 9, r->is_fraud ? 1 : 0);
    store_bind_text(st, 10, owner_id);
    store_bind_text(st, 11, review);
    store_bind_text(st, 12, id);
    store_bind_text(st, 13, org_id);
    store_bind_text(st, 14, r->code);
    rc = store_step(st, e);
    store_finalize(st);
    if (rc == TL_ECONFLICT && insert)
        return ERR_SET(e, TL_EEXIST, "risk '%s' already exists", r->code);
    return rc < 0 ? rc : 0;
}

int app_risk_create(struct app *app, struct arena *a, const char *org_id, const struct app_risk *in,
                    struct err *e)
{
    int rc = check_fields(in, e);
    if (rc)
        return rc;
    struct app_change c = {
        .org_id = org_id, .action = "risk.add", .object_type = "risk", .object_key = in->code};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    rc = write_risk(app, a, org_id, c.id, in, true, e);
    if (rc == 0)
        rc = add_links(app, a, org_id, c.id, in->code, in->controls, in->n_controls, false, e);
    return finish(app, a, &c, in->code, rc, e);
}

/* Applies the set fields of patch to r (see APP_RISK_CLEAR). */
static void merge(struct app_risk *r, const struct app_risk *p)
{
    if (p->title)
        r->title = p->title;
    if (p->description)
        r->description = p->description;
    if (p->category)
        r->category = p->category;
    if (p->likelihood)
        r->likelihood = p->likelihood;
    if (p->impact)
        r->impact = p->impact;
    if (p->treatment)
        r->treatment = p->treatment;
    if (p->residual_likelihood)
        r->residual_likelihood =
            p->residual_likelihood == APP_RISK_CLEAR ? 0 : p->residual_likelihood;
    if (p->residual_impact)
        r->residual_impact = p->residual_impact == APP_RISK_CLEAR ? 0 : p->residual_impact;
    if (p->is_fraud)
        r->is_fraud = p->is_fraud == APP_RISK_CLEAR ? 0 : 1;
    if (p->owner)
        r->owner = *p->owner ? p->owner : NULL;
    if (p->next_review)
        r->next_review = *p->next_review ? p->next_review : NULL;
}

int app_risk_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const struct app_risk *patch, struct err *e)
{
    if (patch->code && strcmp(patch->code, code) != 0)
        return ERR_SET(e, TL_EINPUT, "risk '%s': the code cannot be changed", code);
    struct app_change c = {
        .org_id = org_id, .action = "risk.edit", .object_type = "risk", .object_key = code};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    struct app_risk r;
    const char *id = NULL;
    rc = app_lock_record(app, org_id, "risk", code, e);
    if (rc == 0)
        rc = find_risk(app, a, org_id, code, &r, &id, e);
    if (rc == 0)
        rc = app_check_version(app, a, org_id, "risk", code, r.version, patch->version, e);
    if (rc == 0) {
        c.id = id;
        c.before = risk_json(a, &r);
        merge(&r, patch);
        rc = check_fields(&r, e);
    }
    if (rc == 0)
        rc = write_risk(app, a, org_id, id, &r, false, e);
    if (rc == 0 && patch->controls) {
        rc = store_run(app->store, e, "DELETE FROM risk_control WHERE risk_id = ? AND org_id = ?",
                       "tt", id, org_id);
        if (rc == 0)
            rc = add_links(app, a, org_id, id, code, patch->controls, patch->n_controls, false, e);
    }
    return finish(app, a, &c, code, rc, e);
}

/* Shared start of link, unlink and delete: opens the change and reads the
 * record as it is. */
static int begin_on(struct app *app, struct arena *a, struct app_change *c, const char *code,
                    struct err *e)
{
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    struct app_risk r;
    const char *id = NULL;
    rc = find_risk(app, a, c->org_id, code, &r, &id, e);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    c->id = id;
    c->before = risk_json(a, &r);
    return 0;
}

int app_risk_link(struct app *app, struct arena *a, const char *org_id, const char *code,
                  const char *const *controls, size_t n, struct err *e)
{
    struct app_change c = {
        .org_id = org_id, .action = "risk.link", .object_type = "risk", .object_key = code};
    int rc = begin_on(app, a, &c, code, e);
    if (rc)
        return rc;
    rc = add_links(app, a, org_id, c.id, code, controls, n, true, e);
    return finish(app, a, &c, code, rc, e);
}

int app_risk_unlink(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const char *const *controls, size_t n, struct err *e)
{
    struct app_change c = {
        .org_id = org_id, .action = "risk.unlink", .object_type = "risk", .object_key = code};
    int rc = begin_on(app, a, &c, code, e);
    if (rc)
        return rc;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *cid = NULL;
        rc = control_id(app, a, org_id, controls[i], &cid, e);
        if (rc == 0)
            rc = store_run(app->store, e,
                           "DELETE FROM risk_control WHERE risk_id = ? AND control_id = ? "
                           "AND org_id = ?",
                           "ttt", c.id, cid, org_id);
        if (rc == 0 && store_changes(app->store) == 0)
            rc = ERR_SET(e, TL_ENOTFOUND, "risk '%s' is not linked to control '%s'", code,
                         controls[i]);
    }
    return finish(app, a, &c, code, rc, e);
}

int app_risk_delete(struct app *app, struct arena *a, const char *org_id, const char *code,
                    struct err *e)
{
    struct app_change c = {
        .org_id = org_id, .action = "risk.remove", .object_type = "risk", .object_key = code};
    int rc = begin_on(app, a, &c, code, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e, "DELETE FROM risk_control WHERE risk_id = ? AND org_id = ?", "tt",
                   c.id, org_id);
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM risk WHERE id = ? AND org_id = ?", "tt", c.id,
                       org_id);
    return app_change_end(app, a, &c, rc, e);
}
