/* pbc.c - the request list of an engagement, and its CSV and XLSX
 * exchange (see pbc.h). */
#include "app/pbc.h"

#include "base/js.h"
#include "base/sb.h"
#include "base/sheet.h"
#include "domain/program.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

const char *const app_pbc_statuses[] = {"open", "submitted", "accepted", "returned", NULL};

static const char *const pbc_columns[] = {"ref",    "request",  "control",  "owner", "due",
                                          "status", "evidence", "comments", NULL};
enum {
    COL_REF,
    COL_REQUEST,
    COL_CONTROL,
    COL_OWNER,
    COL_DUE,
    COL_STATUS,
    COL_EVIDENCE,
    COL_COMMENTS,
    N_COLS
};

#define REQUEST_MAX 4000
#define COMMENT_MAX 2000
#define CELL_MAX 32767 /* what an Excel cell holds */

/* --- reading ------------------------------------------------------------------- */

#define PBC_COLUMNS                                                                                \
    "i.id, i.ref, i.request, c.code, p.email, i.due, i.status, i.requested_by, i.created_at, "     \
    "i.version"
#define PBC_FROM                                                                                   \
    "pbc_item i LEFT JOIN control c ON c.id = i.control_id AND c.org_id = i.org_id "               \
    "LEFT JOIN person p ON p.id = i.owner_id AND p.org_id = i.org_id"

static void read_item(struct store_stmt *st, struct arena *a, struct app_pbc_item *it,
                      const char **id)
{
    memset(it, 0, sizeof(*it));
    *id = app__col(a, st, 0);
    it->ref = app__col(a, st, 1);
    it->request = app__col(a, st, 2);
    it->control = app__col(a, st, 3);
    it->owner = app__col(a, st, 4);
    it->due = app__col(a, st, 5);
    it->status = app__col(a, st, 6);
    it->requested_by = app__col(a, st, 7);
    it->created_at = app__col(a, st, 8);
    it->version = store_col_int(st, 9);
}

/* Fills the evidence and comments of item id. */
static int item_details(struct app *app, struct arena *a, const char *org_id, const char *id,
                        struct app_pbc_item *it, struct err *e)
{
    int64_t ne = 0, nc = 0;
    int rc = store_query_int(app->store, e, &ne, NULL,
                             "SELECT count(*) FROM pbc_evidence WHERE org_id = ? AND item_id = ?",
                             "tt", org_id, id);
    if (rc == 0)
        rc = store_query_int(app->store, e, &nc, NULL,
                             "SELECT count(*) FROM pbc_comment WHERE org_id = ? AND item_id = ?",
                             "tt", org_id, id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT evidence_id FROM pbc_evidence WHERE org_id = ? AND item_id = ? "
                            "ORDER BY evidence_id",
                            "tt", org_id, id);
    if (rc)
        return rc;
    it->evidence = arena_calloc(a, (size_t)ne + 1, sizeof(*it->evidence));
    it->n_evidence = 0;
    while ((rc = store_step(st, e)) == TL_ROW && it->n_evidence < (size_t)ne)
        it->evidence[it->n_evidence++] = app__col(a, st, 0);
    store_finalize(st);
    if (rc < 0)
        return rc;
    rc = store_preparef(app->store, e, &st,
                        "SELECT on_date, author, text FROM pbc_comment WHERE org_id = ? "
                        "AND item_id = ? ORDER BY seq",
                        "tt", org_id, id);
    if (rc)
        return rc;
    it->comments = arena_calloc(a, (size_t)nc + 1, sizeof(*it->comments));
    it->n_comments = 0;
    while ((rc = store_step(st, e)) == TL_ROW && it->n_comments < (size_t)nc) {
        struct app_pbc_comment *c = &it->comments[it->n_comments++];
        c->on = app__col(a, st, 0);
        c->author = app__col(a, st, 1);
        c->text = app__col(a, st, 2);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The item ref of engagement g; *id NULL when there is none. */
static int find_item(struct app *app, struct arena *a, const char *org_id,
                     const struct app_engagement *g, const char *ref, struct app_pbc_item *out,
                     const char **id, struct err *e)
{
    struct store_stmt *st;
    *id = NULL;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " PBC_COLUMNS " FROM " PBC_FROM
                            " WHERE i.org_id = ? AND i.engagement_id = ? AND i.ref = ?",
                            "ttt", org_id, g->id, ref ? ref : "");
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_item(st, a, out, id);
    store_finalize(st);
    if (rc < 0)
        return rc;
    return *id ? item_details(app, a, org_id, *id, out, e) : 0;
}

static int open_item(struct app *app, struct arena *a, const char *org_id,
                     const struct app_who *who, const char *slug, const char *ref,
                     enum app_eng_right right, struct app_engagement *g, struct app_pbc_item *out,
                     const char **id, struct err *e)
{
    int rc = app__eng_open(app, a, org_id, who, slug, right, right != APP_ENG_READ, g, e);
    if (rc == 0)
        rc = find_item(app, a, org_id, g, ref, out, id, e);
    if (rc == 0 && !*id)
        rc = ERR_SET(e, TL_ENOTFOUND, "no request '%s' in engagement '%s' (see 'tillit pbc list')",
                     ref ? ref : "", slug);
    return rc;
}

int app_pbc_get(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                const char *slug, const char *ref, struct app_pbc_item *out, struct err *e)
{
    struct app_engagement g;
    const char *id;
    return open_item(app, a, org_id, who, slug, ref, APP_ENG_READ, &g, out, &id, e);
}

int app_pbc_list(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                 const char *slug, const struct app_pbc_filter *f, struct app_pbc_item **out,
                 size_t *n, struct err *e)
{
    struct app_engagement g;
    const char *status = f ? f->status : NULL, *owner = f ? f->owner : NULL;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc == 0 && status && dom_enum_check(app_pbc_statuses, status, "request status", e) != 0)
        rc = TL_EINPUT;
    const char *owner_id = NULL;
    if (rc == 0 && owner)
        rc = app_person_id(app, a, org_id, owner, &owner_id, e);
    int64_t count = 0;
    if (rc == 0)
        rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM pbc_item WHERE org_id = ? AND engagement_id = ?",
                             "tt", org_id, g.id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " PBC_COLUMNS " FROM " PBC_FROM
                            " WHERE i.org_id = ? AND i.engagement_id = ? "
                            "AND (? IS NULL OR i.status = ?) AND (? IS NULL OR i.owner_id = ?) "
                            "ORDER BY i.ref",
                            "tttttt", org_id, g.id, status, status, owner_id, owner_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    const char **ids = arena_calloc(a, (size_t)count + 1, sizeof(*ids));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        read_item(st, a, &(*out)[*n], &ids[*n]);
        (*n)++;
    }
    store_finalize(st);
    for (size_t i = 0; rc >= 0 && i < *n; i++)
        rc = item_details(app, a, org_id, ids[i], &(*out)[i], e);
    return rc < 0 ? rc : 0;
}

/* --- changing -------------------------------------------------------------------- */

static const char *item_json(struct app *app, struct arena *a, const char *org_id, const char *id)
{
    struct store_stmt *st;
    struct err ignore = ERR_INIT;
    struct app_pbc_item it;
    const char *got = NULL;
    if (store_preparef(app->store, &ignore, &st,
                       "SELECT " PBC_COLUMNS " FROM " PBC_FROM " WHERE i.org_id = ? AND i.id = ?",
                       "tt", org_id, id) != 0)
        return NULL;
    if (store_step(st, &ignore) == TL_ROW)
        read_item(st, a, &it, &got);
    store_finalize(st);
    if (!got || item_details(app, a, org_id, id, &it, &ignore) != 0)
        return NULL;
    json_t *o = json_object();
    js_set_str(o, "ref", it.ref);
    js_set_str(o, "request", it.request);
    js_set_str(o, "control", it.control);
    js_set_str(o, "owner", it.owner);
    js_set_str(o, "due", it.due);
    js_set_str(o, "status", it.status);
    json_t *ev = json_array();
    for (size_t i = 0; i < it.n_evidence; i++)
        json_array_append_new(ev, json_string(it.evidence[i]));
    json_object_set_new(o, "evidence", ev);
    json_t *cm = json_array();
    for (size_t i = 0; i < it.n_comments; i++) {
        json_t *c = json_object();
        js_set_str(c, "on", it.comments[i].on);
        js_set_str(c, "author", it.comments[i].author);
        js_set_str(c, "text", it.comments[i].text);
        json_array_append_new(cm, c);
    }
    json_object_set_new(o, "comments", cm);
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    json_decref(o);
    return out;
}

static int check_request(const char *s, struct err *e)
{
    if (!s || !*s)
        return ERR_SET(e, TL_EINPUT, "a request needs its text");
    if (strlen(s) > REQUEST_MAX || !sheet_utf8_ok(s, strlen(s)))
        return ERR_SET(e, TL_EINPUT, "a request must be UTF-8 text of at most %d bytes",
                       REQUEST_MAX);
    return 0;
}

static int check_comment(const char *s, struct err *e)
{
    if (!s || !*s)
        return ERR_SET(e, TL_EINPUT, "a comment needs its text");
    if (strlen(s) > COMMENT_MAX || !sheet_utf8_ok(s, strlen(s)))
        return ERR_SET(e, TL_EINPUT, "a comment must be UTF-8 text of at most %d bytes",
                       COMMENT_MAX);
    if (strpbrk(s, "\r\n"))
        return ERR_SET(e, TL_EINPUT, "a comment is one line of text");
    return 0;
}

/* Resolved references of an item: control and owner ids, due date. */
struct refs {
    const char *control_id, *owner_id, *due;
};

static int resolve_refs(struct app *app, struct arena *a, const char *org_id, const char *control,
                        const char *owner, const char *due, bool owner_from_control, struct refs *r,
                        struct err *e)
{
    memset(r, 0, sizeof(*r));
    int rc = 0;
    if (control && *control) {
        struct store_stmt *st;
        rc = store_preparef(app->store, e, &st,
                            "SELECT id, owner_id FROM control WHERE org_id = ? AND code = ?", "tt",
                            org_id, control);
        if (rc)
            return rc;
        rc = store_step(st, e);
        if (rc == TL_ROW) {
            r->control_id = app__col(a, st, 0);
            if (owner_from_control && !owner)
                r->owner_id = app__col(a, st, 1);
        }
        store_finalize(st);
        if (rc == TL_DONE)
            return ERR_SET(e, TL_ENOTFOUND, "no control '%s' (see 'tillit control list')", control);
        if (rc < 0)
            return rc;
        rc = 0;
    }
    if (owner && *owner)
        rc = app_person_id(app, a, org_id, owner, &r->owner_id, e);
    if (rc == 0 && due && *due) {
        tl_date d;
        if (date_parse(due, &d, e) != 0)
            return err_wrap(e, "due date");
        char buf[DATE_BUF];
        date_format(d, buf);
        r->due = arena_strdup(a, buf);
    }
    return rc;
}

static int next_ref(struct app *app, struct arena *a, const char *org_id,
                    const struct app_engagement *g, const char **ref, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT ref FROM pbc_item WHERE org_id = ? AND engagement_id = ?", "tt",
                            org_id, g->id);
    if (rc)
        return rc;
    long max = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        const char *r = store_col_text(st, 0);
        if (strncmp(r, "PBC-", 4) == 0) {
            long v = strtol(r + 4, NULL, 10);
            if (v > max)
                max = v;
        }
    }
    store_finalize(st);
    *ref = arena_printf(a, "PBC-%03ld", max + 1);
    return rc < 0 ? rc : 0;
}

/* Links evidence ids (already resolved, comma-joined) that item id lacks. */
static int link_evidence(struct app *app, const char *org_id, const char *id, const char *ids,
                         struct err *e)
{
    int rc = 0;
    for (const char *p = ids; rc == 0 && p && *p;) {
        size_t n = strcspn(p, ",");
        char ev[64];
        snprintf(ev, sizeof(ev), "%.*s", (int)(n < 63 ? n : 63), p);
        int64_t have = 0;
        rc = store_query_int(app->store, e, &have, NULL,
                             "SELECT count(*) FROM pbc_evidence WHERE org_id = ? AND item_id = ? "
                             "AND evidence_id = ?",
                             "ttt", org_id, id, ev);
        if (rc == 0 && !have)
            rc = store_run(
                app->store, e,
                "INSERT INTO pbc_evidence (item_id, evidence_id, org_id) VALUES (?, ?, ?)", "ttt",
                id, ev, org_id);
        p += n + (p[n] == ',');
    }
    return rc;
}

static int insert_comment(struct app *app, const char *org_id, const char *id, const char *on,
                          const char *author, const char *text, struct err *e)
{
    int64_t seq = 0;
    int rc = store_query_int(app->store, e, &seq, NULL,
                             "SELECT coalesce(max(seq), 0) + 1 FROM pbc_comment "
                             "WHERE org_id = ? AND item_id = ?",
                             "tt", org_id, id);
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO pbc_comment (item_id, org_id, seq, on_date, author, text) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       "ttittt", id, org_id, seq, on, author, text);
    return rc;
}

/* What a new item starts with besides its fields. */
struct item_extra {
    const char *status;   /* NULL = open */
    const char *evidence; /* resolved ids, comma-joined */
    const struct app_pbc_comment *comments;
    size_t n_comments;
};

/* Inserts a new item as one audited change; *id gets its id. */
static int insert_item(struct app *app, struct arena *a, const char *org_id,
                       const struct app_engagement *g, const char *ref, const char *request,
                       const struct refs *r, const struct item_extra *x, const char **id,
                       struct err *e)
{
    *id = app_new_id(a);
    struct app_change c = {.org_id = org_id,
                           .action = "pbc.add",
                           .object_type = "pbc_item",
                           .object_key = arena_printf(a, "%s:%s", g->slug, ref)};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "INSERT INTO pbc_item (id, org_id, engagement_id, ref, request, control_id, "
                   "owner_id, due, status, requested_by, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ttttttttttt", *id, org_id, g->id, ref, request, r->control_id, r->owner_id,
                   r->due, x && x->status ? x->status : "open", app->actor, app__now(app, a));
    if (rc == 0 && x)
        rc = link_evidence(app, org_id, *id, x->evidence, e);
    for (size_t i = 0; rc == 0 && x && i < x->n_comments; i++)
        rc = insert_comment(app, org_id, *id, x->comments[i].on, x->comments[i].author,
                            x->comments[i].text, e);
    c.after = item_json(app, a, org_id, *id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

int app_pbc_add(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                const char *slug, const struct app_pbc_item *in, const char **ref, struct err *e)
{
    struct app_engagement g;
    struct refs r;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_REQUEST, true, &g, e);
    if (rc == 0)
        rc = check_request(in->request, e);
    if (rc == 0 && in->ref && dom_code_check(in->ref, "request ref", e) != 0)
        rc = TL_EINPUT;
    if (rc == 0)
        rc = resolve_refs(app, a, org_id, in->control, in->owner, in->due, true, &r, e);
    const char *want = in->ref;
    if (rc == 0 && !want)
        rc = next_ref(app, a, org_id, &g, &want, e);
    if (rc)
        return rc;
    struct app_pbc_item other;
    const char *other_id;
    rc = find_item(app, a, org_id, &g, want, &other, &other_id, e);
    if (rc == 0 && other_id)
        return ERR_SET(e, TL_EEXIST, "request '%s' already exists in engagement '%s'", want, slug);
    const char *id;
    if (rc == 0)
        rc = insert_item(app, a, org_id, &g, want, in->request, &r, NULL, &id, e);
    if (rc == 0 && ref)
        *ref = want;
    return rc;
}

int app_pbc_edit(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                 const char *slug, const char *ref, const struct app_pbc_item *patch, struct err *e)
{
    struct app_engagement g;
    struct app_pbc_item it;
    const char *id;
    struct refs r;
    if (!patch->request && !patch->control && !patch->owner && !patch->due)
        return ERR_SET(e, TL_EINPUT, "nothing to change in request '%s'", ref ? ref : "");
    int rc = open_item(app, a, org_id, who, slug, ref, APP_ENG_REQUEST, &g, &it, &id, e);
    if (rc == 0 && patch->request)
        rc = check_request(patch->request, e);
    if (rc == 0)
        rc = resolve_refs(app, a, org_id, patch->control, patch->owner, patch->due, false, &r, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "pbc.edit",
                           .object_type = "pbc_item",
                           .object_key = arena_printf(a, "%s:%s", slug, ref)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = item_json(app, a, org_id, id);
    rc = store_run(app->store, e,
                   "UPDATE pbc_item SET request = coalesce(?, request), "
                   "control_id = CASE WHEN ? = 1 THEN ? ELSE control_id END, "
                   "owner_id = CASE WHEN ? = 1 THEN ? ELSE owner_id END, "
                   "due = CASE WHEN ? = 1 THEN ? ELSE due END, version = version + 1 "
                   "WHERE org_id = ? AND id = ?",
                   "tititittt", patch->request, (int64_t)(patch->control != NULL), r.control_id,
                   (int64_t)(patch->owner != NULL), r.owner_id, (int64_t)(patch->due != NULL),
                   r.due, org_id, id);
    c.after = item_json(app, a, org_id, id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* The right a move to status needs. */
static enum app_eng_right status_right(const char *status)
{
    return strcmp(status, "submitted") == 0 ? APP_ENG_PROVIDE : APP_ENG_REQUEST;
}

static int update_status(struct app *app, struct arena *a, const char *org_id,
                         const struct app_engagement *g, const char *ref, const char *id,
                         const char *status, struct err *e)
{
    struct app_change c = {.org_id = org_id,
                           .action = "pbc.status",
                           .object_type = "pbc_item",
                           .object_key = arena_printf(a, "%s:%s", g->slug, ref)};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = item_json(app, a, org_id, id);
    rc = store_run(app->store, e,
                   "UPDATE pbc_item SET status = ?, version = version + 1 "
                   "WHERE org_id = ? AND id = ?",
                   "ttt", status, org_id, id);
    c.after = item_json(app, a, org_id, id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

int app_pbc_set_status(struct app *app, struct arena *a, const char *org_id,
                       const struct app_who *who, const char *slug, const char *ref,
                       const char *status, struct err *e)
{
    struct app_engagement g;
    struct app_pbc_item it;
    const char *id;
    if (!status || dom_enum_check(app_pbc_statuses, status, "request status", e) != 0)
        return status ? TL_EINPUT : ERR_SET(e, TL_EINPUT, "a status is required");
    int rc = open_item(app, a, org_id, who, slug, ref, status_right(status), &g, &it, &id, e);
    if (rc)
        return rc;
    if (strcmp(it.status, status) == 0)
        return ERR_SET(e, TL_EINPUT, "request '%s' is already %s", ref, status);
    return update_status(app, a, org_id, &g, ref, id, status, e);
}

int app_pbc_attach(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                   const char *slug, const char *ref, const char *evidence, struct err *e)
{
    struct app_engagement g;
    struct app_pbc_item it;
    const char *id, *ids;
    int rc = open_item(app, a, org_id, who, slug, ref, APP_ENG_PROVIDE, &g, &it, &id, e);
    if (rc == 0)
        rc = app__eng_evidence_ids(app, a, org_id, who, &g, evidence, &ids, e);
    if (rc == 0 && !*ids)
        rc = ERR_SET(e, TL_EINPUT, "give the evidence to attach (--evidence ID[,ID])");
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "pbc.attach",
                           .object_type = "pbc_item",
                           .object_key = arena_printf(a, "%s:%s", slug, ref)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = item_json(app, a, org_id, id);
    rc = link_evidence(app, org_id, id, ids, e);
    c.after = item_json(app, a, org_id, id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

int app_pbc_comment(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                    const char *slug, const char *ref, const char *text, struct err *e)
{
    struct app_engagement g;
    struct app_pbc_item it;
    const char *id;
    int rc = open_item(app, a, org_id, who, slug, ref, APP_ENG_COMMENT, &g, &it, &id, e);
    if (rc == 0)
        rc = check_comment(text, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id,
                           .action = "pbc.comment",
                           .object_type = "pbc_item",
                           .object_key = arena_printf(a, "%s:%s", slug, ref)};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.before = item_json(app, a, org_id, id);
    rc = insert_comment(app, org_id, id, app__today(app, a), app->actor, text, e);
    c.after = item_json(app, a, org_id, id);
    if (rc == 0)
        return app_change_commit(app, a, &c, e);
    app_change_abort(app);
    return rc;
}

/* --- export --------------------------------------------------------------------- */

static const char *evidence_cell(struct arena *a, const struct app_pbc_item *it)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < it->n_evidence; i++)
        sb_addf(&sb, "%s%s", i ? ", " : "", it->evidence[i]);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static const char *comments_cell(struct arena *a, const struct app_pbc_item *it)
{
    struct sb sb = SB_INIT;
    for (size_t i = 0; i < it->n_comments; i++)
        sb_addf(&sb, "%s%s %s: %s", i ? "\n" : "", it->comments[i].on, it->comments[i].author,
                it->comments[i].text);
    const char *out = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return out;
}

static void item_cells(struct arena *a, const struct app_pbc_item *it, const char *cells[N_COLS])
{
    cells[COL_REF] = it->ref;
    cells[COL_REQUEST] = it->request;
    cells[COL_CONTROL] = it->control ? it->control : "";
    cells[COL_OWNER] = it->owner ? it->owner : "";
    cells[COL_DUE] = it->due ? it->due : "";
    cells[COL_STATUS] = it->status;
    cells[COL_EVIDENCE] = evidence_cell(a, it);
    cells[COL_COMMENTS] = comments_cell(a, it);
}

static int export_csv(struct arena *a, const char *path, const struct app_pbc_item *items, size_t n,
                      struct err *e)
{
    struct sb sb = SB_INIT;
    for (size_t c = 0; c < N_COLS; c++) {
        if (c)
            sb_addc(&sb, ',');
        sb_add_csv(&sb, pbc_columns[c]);
    }
    sb_adds(&sb, "\r\n");
    for (size_t i = 0; i < n; i++) {
        const char *cells[N_COLS];
        item_cells(a, &items[i], cells);
        for (size_t c = 0; c < N_COLS; c++) {
            if (c)
                sb_addc(&sb, ',');
            sb_add_csv(&sb, cells[c]);
        }
        sb_adds(&sb, "\r\n");
    }
    int rc = sb_write_file(path, sb.buf, sb.len, e);
    sb_release(&sb);
    return rc;
}

static int xlsx_fail(struct err *e, const char *path, lxw_error err)
{
    return ERR_SET(e, TL_EIO, "cannot write '%s': %s", path, lxw_strerror(err));
}

static int export_xlsx(struct app *app, struct arena *a, const char *path,
                       const struct app_engagement *g, const struct app_pbc_item *items, size_t n,
                       struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        const char *cells[N_COLS];
        item_cells(a, &items[i], cells);
        for (size_t c = 0; c < N_COLS; c++)
            if (strlen(cells[c]) > CELL_MAX)
                return ERR_SET(e, TL_ETOOBIG,
                               "the %s of request '%s' is longer than the %d characters an XLSX "
                               "cell holds",
                               pbc_columns[c], items[i].ref, CELL_MAX);
    }
    const char *tmp = arena_printf(a, "%s.tmp%ld", path, (long)(app->now % 100000));
    lxw_workbook *wb = workbook_new(tmp);
    if (!wb)
        return ERR_SET(e, TL_EIO, "cannot write '%s'", path);
    char title[] = "PBC request list";
    lxw_doc_properties props = {.title = title, .created = (time_t)app->now};
    workbook_set_properties(wb, &props);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "PBC");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    static const double widths[N_COLS] = {10, 60, 10, 28, 12, 11, 30, 50};
    for (lxw_col_t c = 0; c < N_COLS; c++) {
        worksheet_set_column(ws, c, c, widths[c], wrap);
        worksheet_write_string(ws, 0, c, pbc_columns[c], bold);
    }
    for (size_t i = 0; i < n; i++) {
        const char *cells[N_COLS];
        item_cells(a, &items[i], cells);
        for (lxw_col_t c = 0; c < N_COLS; c++)
            if (*cells[c])
                worksheet_write_string(ws, (lxw_row_t)(i + 1), c, cells[c], wrap);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, N_COLS - 1);
    char s0[] = "open", s1[] = "submitted", s2[] = "accepted", s3[] = "returned";
    char *statuses[] = {s0, s1, s2, s3, NULL};
    lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST, .value_list = statuses};
    if (n > 0)
        worksheet_data_validation_range(ws, 1, COL_STATUS, (lxw_row_t)n, COL_STATUS, &dv);
    (void)g;
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        remove(tmp);
        return xlsx_fail(e, path, err);
    }
    if (rename(tmp, path) != 0) {
        remove(tmp);
        return ERR_SET(e, TL_EIO, "cannot write '%s'", path);
    }
    return 0;
}

static bool is_xlsx(const char *path)
{
    size_t n = strlen(path);
    return n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

int app_pbc_export(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                   const char *slug, const char *path, struct err *e)
{
    struct app_engagement g;
    struct app_pbc_item *items;
    size_t n;
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_READ, false, &g, e);
    if (rc == 0)
        rc = app_pbc_list(app, a, org_id, who, slug, NULL, &items, &n, e);
    if (rc)
        return rc;
    return is_xlsx(path) ? export_xlsx(app, a, path, &g, items, n, e)
                         : export_csv(a, path, items, n, e);
}

/* --- import ---------------------------------------------------------------------- */

struct import_row {
    int line;
    const char *cells[N_COLS]; /* NULL where the file has no such column */
};

/* A due date cell: YYYY-MM-DD, or an Excel serial day number in an XLSX file. */
static const char *due_cell(struct arena *a, const char *s, bool xlsx)
{
    if (!xlsx || !*s || strchr(s, '-'))
        return s;
    char *end = NULL;
    double v = strtod(s, &end);
    if (!end || *end || v < 1 || v >= 2958466)
        return s;
    long days = (long)floor(v);
    char buf[DATE_BUF];
    date_format(date_from_ymd(1899, 12, 31) + (tl_date)days - (days > 59 ? 1 : 0), buf);
    return arena_strdup(a, buf);
}

/* Splits a comments cell into comments: "DATE AUTHOR: TEXT" lines; a line
 * without that shape is a new comment of the importer, today. */
static size_t parse_comments(struct app *app, struct arena *a, const char *cell,
                             struct app_pbc_comment **out)
{
    size_t lines = 1;
    for (const char *p = cell; *p; p++)
        lines += *p == '\n';
    *out = arena_calloc(a, lines, sizeof(**out));
    size_t n = 0;
    for (const char *p = cell; *p;) {
        size_t len = strcspn(p, "\n");
        char *line = arena_strndup(a, p, len);
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = '\0';
        p += len + (p[len] == '\n');
        if (!*line)
            continue;
        struct app_pbc_comment *c = &(*out)[n++];
        tl_date d;
        char day[DATE_BUF] = {0};
        const char *sep = l > 11 ? strstr(line + 11, ": ") : NULL;
        if (l > 11 && line[10] == ' ' && sep && sep > line + 11) {
            memcpy(day, line, 10);
            if (date_parse(day, &d, NULL) == 0) {
                c->on = arena_strdup(a, day);
                c->author = arena_strndup(a, line + 11, (size_t)(sep - line - 11));
                c->text = sep + 2;
                continue;
            }
        }
        c->on = app__today(app, a);
        c->author = app->actor;
        c->text = line;
    }
    return n;
}

/* Whether item already has comment c. */
static bool has_comment(const struct app_pbc_item *it, const struct app_pbc_comment *c)
{
    for (size_t i = 0; i < it->n_comments; i++)
        if (strcmp(it->comments[i].on, c->on) == 0 &&
            strcmp(it->comments[i].author, c->author) == 0 &&
            strcmp(it->comments[i].text, c->text) == 0)
            return true;
    return false;
}

static bool same(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

static int line_fail(struct err *e, const char *path, int line, int rc)
{
    char msg[sizeof(e->msg)];
    snprintf(msg, sizeof(msg), "%s", e->msg);
    ERR_SET(e, rc, "%s:%d: %s", path, line, msg);
    return rc;
}

/* Applies one row: adds or updates the item it names. */
static int import_row(struct app *app, struct arena *a, const char *org_id,
                      const struct app_who *who, const struct app_engagement *g, const char *path,
                      bool xlsx, const struct import_row *row, struct app_pbc_import *r,
                      struct err *e)
{
    const char *const *c = row->cells;
    const char *ref = c[COL_REF] && *c[COL_REF] ? c[COL_REF] : NULL;
    const char *request = c[COL_REQUEST];
    const char *status = c[COL_STATUS] && *c[COL_STATUS] ? c[COL_STATUS] : NULL;
    const char *due = c[COL_DUE] ? due_cell(a, c[COL_DUE], xlsx) : NULL;
    struct refs refs;
    const char *ids = "";
    int rc = check_request(request, e);
    if (rc == 0 && ref && dom_code_check(ref, "request ref", e) != 0)
        rc = TL_EINPUT;
    if (rc == 0 && status && dom_enum_check(app_pbc_statuses, status, "request status", e) != 0)
        rc = TL_EINPUT;
    struct app_pbc_item it = {0};
    const char *id = NULL;
    if (rc == 0 && ref)
        rc = find_item(app, a, org_id, g, ref, &it, &id, e);
    /* A new request naming a control and no owner goes to the control's owner. */
    const char *owner = c[COL_OWNER] && *c[COL_OWNER] ? c[COL_OWNER] : NULL;
    if (rc == 0)
        rc = resolve_refs(app, a, org_id, c[COL_CONTROL], id ? c[COL_OWNER] : owner, due, !id,
                          &refs, e);
    if (rc == 0 && c[COL_EVIDENCE])
        rc = app__eng_evidence_ids(app, a, org_id, who, g, c[COL_EVIDENCE], &ids, e);
    struct app_pbc_comment *comments = NULL;
    size_t n_comments = c[COL_COMMENTS] ? parse_comments(app, a, c[COL_COMMENTS], &comments) : 0;
    for (size_t i = 0; rc == 0 && i < n_comments; i++)
        rc = check_comment(comments[i].text, e);
    if (rc == 0 && !ref)
        rc = next_ref(app, a, org_id, g, &ref, e);
    /* A status change needs the right that change needs. */
    if (rc == 0 && status && (!id || strcmp(status, it.status) != 0) &&
        !(!id && strcmp(status, "open") == 0))
        rc = app_eng_authz(app, a, org_id, who, g->slug, status_right(status), e);
    if (rc)
        return line_fail(e, path, row->line, rc);
    if (!id) {
        struct item_extra x = {status, ids, comments, n_comments};
        r->added++;
        return insert_item(app, a, org_id, g, ref, request, &refs, &x, &id, e);
    }
    bool changed =
        !same(it.request, request) || (c[COL_CONTROL] && !same(it.control, c[COL_CONTROL])) ||
        (c[COL_OWNER] && !same(it.owner, c[COL_OWNER])) ||
        (c[COL_DUE] && !same(it.due, refs.due)) || (status && strcmp(status, it.status) != 0);
    for (const char *p = ids; !changed && *p;) {
        size_t n = strcspn(p, ",");
        bool have = false;
        for (size_t k = 0; k < it.n_evidence && !have; k++)
            have = strlen(it.evidence[k]) == n && strncmp(it.evidence[k], p, n) == 0;
        changed = !have;
        p += n + (p[n] == ',');
    }
    for (size_t i = 0; !changed && i < n_comments; i++)
        changed = !has_comment(&it, &comments[i]);
    if (!changed) {
        r->unchanged++;
        return 0;
    }
    struct app_change ch = {.org_id = org_id,
                            .action = "pbc.import",
                            .object_type = "pbc_item",
                            .object_key = arena_printf(a, "%s:%s", g->slug, ref)};
    rc = app_change_begin(app, a, &ch, e);
    if (rc)
        return rc;
    ch.before = item_json(app, a, org_id, id);
    rc = store_run(app->store, e,
                   "UPDATE pbc_item SET request = ?, "
                   "control_id = CASE WHEN ? = 1 THEN ? ELSE control_id END, "
                   "owner_id = CASE WHEN ? = 1 THEN ? ELSE owner_id END, "
                   "due = CASE WHEN ? = 1 THEN ? ELSE due END, "
                   "status = coalesce(?, status), version = version + 1 "
                   "WHERE org_id = ? AND id = ?",
                   "titititttt", request, (int64_t)(c[COL_CONTROL] != NULL), refs.control_id,
                   (int64_t)(c[COL_OWNER] != NULL), refs.owner_id, (int64_t)(c[COL_DUE] != NULL),
                   refs.due, status, org_id, id);
    if (rc == 0)
        rc = link_evidence(app, org_id, id, ids, e);
    for (size_t i = 0; rc == 0 && i < n_comments; i++)
        if (!has_comment(&it, &comments[i]))
            rc = insert_comment(app, org_id, id, comments[i].on, comments[i].author,
                                comments[i].text, e);
    ch.after = item_json(app, a, org_id, id);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    r->updated++;
    return app_change_commit(app, a, &ch, e);
}

int app_pbc_import(struct app *app, struct arena *a, const char *org_id, const struct app_who *who,
                   const char *slug, const char *path, struct app_pbc_import *r, struct err *e)
{
    struct app_engagement g;
    struct sheet sh;
    memset(r, 0, sizeof(*r));
    r->ignored = "";
    int rc = app__eng_open(app, a, org_id, who, slug, APP_ENG_REQUEST, true, &g, e);
    if (rc == 0)
        rc = sheet_read(a, path, &sh, e);
    if (rc)
        return rc;
    if (sh.n_rows == 0)
        return ERR_SET(e, TL_EINPUT, "'%s' is empty (expected a header row)", path);
    long col_of[N_COLS];
    const struct sheet_row *h = &sh.rows[0];
    struct sb ignored = SB_INIT;
    for (size_t c = 0; c < N_COLS; c++)
        col_of[c] = -1;
    for (size_t i = 0; i < h->n; i++) {
        const char *name = h->cells[i];
        size_t c = 0;
        while (c < N_COLS && strcasecmp(name, pbc_columns[c]) != 0)
            c++;
        if (c == N_COLS) {
            if (*name)
                sb_addf(&ignored, "%s%s", ignored.len ? ", " : "", name);
        } else if (col_of[c] >= 0) {
            sb_release(&ignored);
            return ERR_SET(e, TL_EINPUT, "%s:%d: column '%s' appears twice", path, h->line,
                           pbc_columns[c]);
        } else {
            col_of[c] = (long)i;
        }
    }
    r->ignored = arena_strdup(a, ignored.buf);
    sb_release(&ignored);
    if (col_of[COL_REF] < 0 || col_of[COL_REQUEST] < 0)
        return ERR_SET(e, TL_EINPUT,
                       "%s:%d: the header needs the columns 'ref' and 'request' (and may have "
                       "control, owner, due, status, evidence, comments)",
                       path, h->line);
    rc = store_begin(app->store, e);
    if (rc)
        return rc;
    bool xlsx = is_xlsx(path);
    for (size_t i = 1; rc == 0 && i < sh.n_rows; i++) {
        struct import_row row = {.line = sh.rows[i].line};
        for (size_t c = 0; c < N_COLS; c++)
            row.cells[c] = col_of[c] >= 0 ? sheet_cell(&sh.rows[i], (size_t)col_of[c]) : NULL;
        rc = import_row(app, a, org_id, who, &g, path, xlsx, &row, r, e);
    }
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        r->added = r->updated = r->unchanged = 0;
    }
    return rc;
}
