/* evidence.c - evidence items: adding, superseding, reading, verifying,
 * freshness, coverage and signed packages. */
#include "app/evidence.h"

#include "base/js.h"
#include "base/mem.h"
#include "base/sb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EV_COLUMNS                                                                                 \
    "id, sha256, media_type, original_name, source, note, added_by, added_at, period_start, "      \
    "period_end, superseded_by, size"

#define MIN_ID_PREFIX 6

/* A control named by the user, resolved to its row. */
struct ctl_ref {
    const char *id, *code;
};

/* What every item of one add (or supersede) shares. */
struct item_spec {
    struct ctl_ref *ctl;
    size_t n_ctl;
    struct tl_period period;
    const char *source, *note;
};

/* Appends one zeroed element to an arena array that doubles as it grows. */
static void *push(struct arena *a, void *arr_p, size_t *n, size_t *cap, size_t size)
{
    void **arr = arr_p;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        void *na = arena_calloc(a, nc, size);
        if (*n)
            memcpy(na, *arr, *n * size);
        *arr = na;
        *cap = nc;
    }
    return (char *)*arr + (*n)++ * size;
}

static const char *col_dup(struct arena *a, struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? NULL : arena_strdup(a, store_col_text(st, col));
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* --- the vault ----------------------------------------------------------- */

static int parse_limit(const char *s, uint64_t *out, struct err *e)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || n == 0)
        return ERR_SET(e, TL_EUSAGE,
                       "TILLIT_EVIDENCE_MAX_BYTES must be a positive number of bytes, not '%s'", s);
    *out = (uint64_t)n;
    return 0;
}

int app_vault(struct app *app, struct arena *a, struct vault *v, struct err *e)
{
    const char *dir = getenv("TILLIT_VAULT");
    const char *limit = getenv("TILLIT_EVIDENCE_MAX_BYTES");
    uint64_t max = VAULT_DEFAULT_MAX_BYTES;
    if (limit && *limit && parse_limit(limit, &max, e))
        return TL_EUSAGE;
    if (!dir || !*dir) {
        if (!app->store)
            return ERR_SET(e, TL_EINTERNAL, "the vault needs an open database");
        if (strcmp(store_backend(app->store), "sqlite") != 0)
            return ERR_SET(e, TL_EUNSUPPORTED,
                           "evidence with a %s database needs TILLIT_VAULT (a directory for "
                           "the files)",
                           store_backend(app->store));
        dir = vault_dir_for_db(a, store_name(app->store));
    }
    vault_init(v, arena_strdup(a, dir), max);
    return 0;
}

/* --- reading ------------------------------------------------------------- */

static void read_item(struct store_stmt *st, struct arena *a, struct app_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->id = col_dup(a, st, 0);
    ev->sha256 = col_dup(a, st, 1);
    ev->media_type = col_dup(a, st, 2);
    ev->name = col_dup(a, st, 3);
    ev->source = col_dup(a, st, 4);
    ev->note = col_dup(a, st, 5);
    ev->added_by = col_dup(a, st, 6);
    ev->added_at = col_dup(a, st, 7);
    ev->period_start = col_dup(a, st, 8);
    ev->period_end = col_dup(a, st, 9);
    ev->superseded_by = col_dup(a, st, 10);
    ev->size = store_col_int(st, 11);
}

/* Fills ev->controls with the codes of the controls ev supports. */
static int read_controls(struct app *app, struct arena *a, const char *org_id,
                         struct app_evidence *ev, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT c.code FROM evidence_control ec JOIN control c "
                            "ON c.id = ec.control_id AND c.org_id = ec.org_id "
                            "WHERE ec.evidence_id = ? AND ec.org_id = ? ORDER BY c.code",
                            "tt", ev->id, org_id);
    if (rc)
        return rc;
    size_t cap = 0;
    ev->n_controls = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        const char **slot = push(a, &ev->controls, &ev->n_controls, &cap, sizeof(char *));
        *slot = col_dup(a, st, 0);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Runs a query of EV_COLUMNS and collects the items with their controls. */
static int collect_items(struct app *app, struct arena *a, const char *org_id,
                         struct store_stmt *st, struct app_evidence **out, size_t *n, struct err *e)
{
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW)
        read_item(st, a, push(a, out, n, &cap, sizeof(**out)));
    store_finalize(st);
    for (size_t i = 0; rc == TL_DONE && i < *n; i++)
        rc = read_controls(app, a, org_id, &(*out)[i], e);
    return rc < 0 ? rc : 0;
}

static int control_id(struct app *app, struct arena *a, const char *org_id, const char *code,
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
        *id = col_dup(a, st, 0);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no control '%s' (see 'tillit control list')", code);
    return rc < 0 ? rc : 0;
}

int app_evidence_list(struct app *app, struct arena *a, const char *org_id, const char *code,
                      bool all, struct app_evidence **out, size_t *n, struct err *e)
{
    const char *ctl = NULL;
    int rc = code ? control_id(app, a, org_id, code, &ctl, e) : 0;
    if (rc)
        return rc;
    struct store_stmt *st;
    const char *current = all ? "" : " AND superseded_by IS NULL";
    if (ctl)
        rc = store_preparef(app->store, e, &st,
                            arena_printf(a,
                                         "SELECT " EV_COLUMNS " FROM evidence WHERE org_id = ?%s "
                                         "AND id IN (SELECT evidence_id FROM evidence_control "
                                         "WHERE org_id = ? AND control_id = ?) "
                                         "ORDER BY added_at DESC, id",
                                         current),
                            "ttt", org_id, org_id, ctl);
    else
        rc = store_preparef(app->store, e, &st,
                            arena_printf(a,
                                         "SELECT " EV_COLUMNS " FROM evidence WHERE org_id = ?%s "
                                         "ORDER BY added_at DESC, id",
                                         current),
                            "t", org_id);
    return rc ? rc : collect_items(app, a, org_id, st, out, n, e);
}

static bool is_id_text(const char *s)
{
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z')))
            return false;
    return true;
}

int app_evidence_get(struct app *app, struct arena *a, const char *org_id, const char *id,
                     struct app_evidence *out, struct err *e)
{
    size_t len = strlen(id);
    if (len < MIN_ID_PREFIX)
        return ERR_SET(e, TL_EINPUT, "evidence id '%s' is too short (give at least %d characters)",
                       id, MIN_ID_PREFIX);
    if (!is_id_text(id))
        return ERR_SET(e, TL_ENOTFOUND, "no evidence '%s' (see 'tillit evidence list')", id);
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT " EV_COLUMNS " FROM evidence "
                            "WHERE org_id = ? AND substr(id, 1, ?) = ? ORDER BY id LIMIT 2",
                            "tit", org_id, (int64_t)len, id);
    struct app_evidence *found;
    size_t n;
    if (rc == 0)
        rc = collect_items(app, a, org_id, st, &found, &n, e);
    if (rc)
        return rc;
    if (n == 0)
        return ERR_SET(e, TL_ENOTFOUND, "no evidence '%s' (see 'tillit evidence list')", id);
    if (n > 1)
        return ERR_SET(e, TL_EINPUT, "evidence id '%s' is ambiguous ('%s', '%s', ...)", id,
                       found[0].id, found[1].id);
    *out = found[0];
    return 0;
}

/* The JSON the audit log records for an item. */
static json_t *item_json(const struct app_evidence *ev)
{
    json_t *j = json_object(), *ctl = json_array();
    js_set_str(j, "id", ev->id);
    js_set_str(j, "sha256", ev->sha256);
    json_object_set_new(j, "size", json_integer(ev->size));
    js_set_str(j, "media_type", ev->media_type);
    js_set_str(j, "name", ev->name);
    js_set_str(j, "source", ev->source);
    js_set_str(j, "note", ev->note);
    js_set_str(j, "added_by", ev->added_by);
    js_set_str(j, "added_at", ev->added_at);
    js_set_str(j, "period_start", ev->period_start);
    js_set_str(j, "period_end", ev->period_end);
    js_set_str(j, "superseded_by", ev->superseded_by);
    for (size_t i = 0; i < ev->n_controls; i++)
        json_array_append_new(ctl, json_string(ev->controls[i]));
    json_object_set_new(j, "controls", ctl);
    return j;
}

static char *json_text(struct arena *a, json_t *j, int pretty)
{
    struct sb sb = SB_INIT;
    js_dump(&sb, j, pretty);
    char *s = arena_strndup(a, sb.buf, sb.len);
    sb_release(&sb);
    json_decref(j);
    return s;
}

/* --- input ---------------------------------------------------------------- */

static bool has_ctl(const struct ctl_ref *ctl, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ctl[i].id, id) == 0)
            return true;
    return false;
}

/* Cuts the comma-separated list at tok after its first item, which it
 * returns trimmed; *next is the rest, or NULL after the last item. */
static char *next_token(char *tok, char **next)
{
    *next = strchr(tok, ',');
    if (*next)
        *(*next)++ = '\0';
    tok += strspn(tok, " \t");
    size_t len = strlen(tok);
    while (len > 0 && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
        tok[--len] = '\0';
    return tok;
}

/* Resolves "A, B,C" to control rows; duplicates count once. */
static int resolve_controls(struct app *app, struct arena *a, const char *org_id, const char *list,
                            struct item_spec *s, struct err *e)
{
    size_t cap = 0;
    char *copy = arena_strdup(a, list ? list : "");
    s->ctl = NULL;
    s->n_ctl = 0;
    for (char *tok = copy, *next; tok; tok = next) {
        tok = next_token(tok, &next);
        if (!*tok)
            continue;
        const char *id;
        int rc = control_id(app, a, org_id, tok, &id, e);
        if (rc)
            return rc;
        if (has_ctl(s->ctl, s->n_ctl, id))
            continue;
        struct ctl_ref *r = push(a, &s->ctl, &s->n_ctl, &cap, sizeof(*r));
        r->id = id;
        r->code = tok;
    }
    if (s->n_ctl == 0)
        return ERR_SET(e, TL_EUSAGE, "evidence needs the controls it supports (--control CODE)");
    return 0;
}

/* A period "START..END", or one date for a point in time; never ending
 * after today, since evidence shows what has happened. */
static int parse_period(const struct app *app, const char *s, struct tl_period *p, struct err *e)
{
    tl_date today = time_date(app->now);
    int rc = 0;
    if (!s) {
        p->start = p->end = today;
        return 0;
    }
    if (strstr(s, ".."))
        rc = period_parse(s, p, e);
    else
        rc = date_parse(s, &p->start, e);
    if (rc) {
        err_field(e, "period");
        return rc;
    }
    if (!strstr(s, ".."))
        p->end = p->start;
    if (p->end > today) {
        char d[DATE_BUF];
        date_format(today, d);
        rc = ERR_SET(e, TL_EINPUT, "period '%s' ends after today (%s): evidence shows the past", s,
                     d);
        err_field(e, "period");
    }
    return rc;
}

/* Names with control characters would garble every listing and package. */
static int check_name(const char *path, struct err *e)
{
    for (const unsigned char *c = (const unsigned char *)base_name(path); *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return ERR_SET(e, TL_EINPUT, "evidence file name '%s' contains control characters",
                           path);
    if (!*base_name(path))
        return ERR_SET(e, TL_EINPUT, "evidence '%s' is not a file name", path);
    return 0;
}

/* Every file is checked before any is copied: a refused file leaves nothing behind. */
static int check_sources(const struct vault *v, const char *const *files, size_t n, struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t size;
        int rc = check_name(files[i], e);
        if (rc == 0)
            rc = vault_source_check(v, files[i], &size, e);
        if (rc)
            return rc;
    }
    return 0;
}

/* --- changing ------------------------------------------------------------ */

/* One add or supersede: files staged into the vault, one row each, all in
 * one transaction. */
struct add_job {
    struct vault v;
    struct item_spec spec;
    const char *const *files;
    size_t n;
    struct vault_blob *blobs;
    struct app_evidence *out;
    const char *supersedes; /* the item the first file replaces, or NULL */
};

static int insert_item(struct app *app, struct arena *a, const char *org_id,
                       const struct item_spec *s, const char *file, const struct vault_blob *b,
                       struct app_evidence *out, struct err *e)
{
    struct app_change c = {
        .org_id = org_id, .action = "evidence.add", .object_type = "evidence", .table = "evidence"};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    char at[TIME_BUF], ps[DATE_BUF], pe[DATE_BUF];
    time_format(app->now, at);
    date_format(s->period.start, ps);
    date_format(s->period.end, pe);
    rc = store_run(app->store, e,
                   "INSERT INTO evidence (id, org_id, sha256, size, media_type, original_name, "
                   "source, note, added_by, added_at, period_start, period_end) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "tttitttttttt", c.id, org_id, b->sha256, (int64_t)b->size, b->media_type,
                   base_name(file), s->source ? s->source : "", s->note ? s->note : "", app->actor,
                   at, ps, pe);
    for (size_t i = 0; rc == 0 && i < s->n_ctl; i++)
        rc = store_run(app->store, e,
                       "INSERT INTO evidence_control (evidence_id, control_id, org_id) "
                       "VALUES (?, ?, ?)",
                       "ttt", c.id, s->ctl[i].id, org_id);
    if (rc == 0)
        rc = app_evidence_get(app, a, org_id, c.id, out, e);
    if (rc == 0) {
        c.after = json_text(a, item_json(out), 0);
        rc = app_change_commit(app, a, &c, e);
    } else {
        app_change_abort(app);
    }
    return rc;
}

/* Points old at its replacement; the schema allows this one update only. */
static int mark_superseded(struct app *app, struct arena *a, const char *org_id, const char *old_id,
                           const char *new_id, struct err *e)
{
    struct app_change c = {.org_id = org_id,
                           .action = "evidence.supersede",
                           .object_type = "evidence",
                           .table = "evidence",
                           .id = old_id};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE evidence SET superseded_by = ?, version = version + 1 "
                   "WHERE id = ? AND org_id = ? AND superseded_by IS NULL",
                   "ttt", new_id, old_id, org_id);
    if (rc == 0 && store_changes(app->store) != 1)
        rc = ERR_SET(e, TL_ECONFLICT, "evidence '%s' was superseded meanwhile", old_id);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    return rc;
}

/* Publishing happens inside the transaction, under the database's write
 * lock: no other writer can publish or record the same blob meanwhile, so
 * a blob this job created is referenced by nothing else and may be removed
 * again if the transaction fails (docs/internals/vault.md). */
static int record_job(struct app *app, struct arena *a, const char *org_id, struct add_job *j,
                      struct err *e)
{
    int rc = store_begin(app->store, e);
    if (rc)
        return rc;
    for (size_t i = 0; rc == 0 && i < j->n; i++)
        rc = insert_item(app, a, org_id, &j->spec, j->files[i], &j->blobs[i], &j->out[i], e);
    if (rc == 0 && j->supersedes)
        rc = mark_superseded(app, a, org_id, j->supersedes, j->out[0].id, e);
    if (rc == 0) /* PostgreSQL: the exclusion SQLite's write lock gives, for the vault only */
        rc = store_lock_key(app->store, "vault", e);
    for (size_t i = 0; rc == 0 && i < j->n; i++) {
        rc = vault_publish(&j->v, &j->blobs[i], e);
        j->out[i].existed = j->blobs[i].existed;
    }
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc) {
        store_rollback(app->store);
        for (size_t i = 0; i < j->n; i++)
            vault_unpublish(&j->blobs[i]);
    }
    return rc;
}

static int run_job(struct app *app, struct arena *a, const char *org_id, struct add_job *j,
                   struct err *e)
{
    j->blobs = arena_calloc(a, j->n, sizeof(*j->blobs));
    j->out = arena_calloc(a, j->n, sizeof(*j->out));
    int rc = check_sources(&j->v, j->files, j->n, e);
    for (size_t i = 0; rc == 0 && i < j->n; i++)
        rc = vault_stage(&j->v, a, j->files[i], &j->blobs[i], e);
    if (rc == 0)
        rc = record_job(app, a, org_id, j, e);
    for (size_t i = 0; i < j->n; i++)
        vault_discard(&j->blobs[i]);
    /* The limit is the operator's to change; say how. */
    if (rc == TL_ETOOBIG && e) {
        size_t len = strlen(e->msg);
        snprintf(e->msg + len, sizeof(e->msg) - len, " (TILLIT_EVIDENCE_MAX_BYTES)");
    }
    return rc;
}

int app_evidence_add(struct app *app, struct arena *a, const char *org_id,
                     const struct app_evidence_in *in, struct app_evidence **out, struct err *e)
{
    struct add_job j = {.files = in->files, .n = in->n_files};
    if (in->n_files == 0)
        return ERR_SET(e, TL_EUSAGE, "no evidence file given");
    int rc = resolve_controls(app, a, org_id, in->controls, &j.spec, e);
    if (rc == 0)
        rc = parse_period(app, in->period, &j.spec.period, e);
    if (rc == 0)
        rc = app_vault(app, a, &j.v, e);
    j.spec.source = in->source;
    j.spec.note = in->note;
    if (rc == 0)
        rc = run_job(app, a, org_id, &j, e);
    if (rc == 0)
        *out = j.out;
    return rc;
}

/* The old item's controls, as the new one's. */
static int old_controls(struct app *app, struct arena *a, const char *org_id,
                        const struct app_evidence *old, struct item_spec *s, struct err *e)
{
    s->ctl = arena_calloc(a, old->n_controls ? old->n_controls : 1, sizeof(*s->ctl));
    s->n_ctl = old->n_controls;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < old->n_controls; i++) {
        s->ctl[i].code = old->controls[i];
        rc = control_id(app, a, org_id, old->controls[i], &s->ctl[i].id, e);
    }
    return rc;
}

int app_evidence_supersede(struct app *app, struct arena *a, const char *org_id, const char *id,
                           const struct app_evidence_in *in, struct app_evidence *out,
                           struct err *e)
{
    struct app_evidence old;
    struct add_job j = {.files = in->files, .n = in->n_files};
    if (in->n_files != 1)
        return ERR_SET(e, TL_EUSAGE, "supersede replaces one item with exactly one file");
    int rc = app_evidence_get(app, a, org_id, id, &old, e);
    if (rc)
        return rc;
    if (old.superseded_by)
        return ERR_SET(e, TL_ECONFLICT, "evidence '%s' is already superseded by '%s'", old.id,
                       old.superseded_by);
    j.supersedes = old.id;
    rc = old_controls(app, a, org_id, &old, &j.spec, e);
    if (rc == 0 && in->period)
        rc = parse_period(app, in->period, &j.spec.period, e);
    if (rc == 0 && !in->period)
        rc = period_parse(arena_printf(a, "%s..%s", old.period_start, old.period_end),
                          &j.spec.period, e);
    if (rc == 0)
        rc = app_vault(app, a, &j.v, e);
    j.spec.source = in->source ? in->source : old.source;
    j.spec.note = in->note ? in->note : old.note;
    if (rc == 0)
        rc = run_job(app, a, org_id, &j, e);
    if (rc == 0)
        *out = j.out[0];
    return rc;
}

/* --- verifying ------------------------------------------------------------ */

/* One blob and an item that holds it. */
struct blob_ref {
    const char *sha256, *id, *name;
    int64_t size;
};

/* The distinct blobs of the organization, read before any is hashed so
 * that no read transaction stays open while files are read. */
static int org_blobs(struct app *app, struct arena *a, const char *org_id, struct blob_ref **out,
                     size_t *n, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT sha256, size, id, original_name FROM evidence "
                            "WHERE org_id = ? ORDER BY sha256, added_at, id",
                            "t", org_id);
    if (rc)
        return rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        const char *sha = store_col_text(st, 0);
        if (*n && strcmp((*out)[*n - 1].sha256, sha) == 0)
            continue;
        struct blob_ref *b = push(a, out, n, &cap, sizeof(*b));
        b->sha256 = arena_strdup(a, sha);
        b->size = store_col_int(st, 1);
        b->id = col_dup(a, st, 2);
        b->name = col_dup(a, st, 3);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_evidence_verify(struct app *app, struct arena *a, const char *org_id, int64_t *verified,
                        struct app_evidence_bad **bad, size_t *n_bad, struct err *e)
{
    struct vault v;
    struct blob_ref *blobs;
    size_t n, cap = 0;
    *verified = 0;
    *bad = NULL;
    *n_bad = 0;
    int rc = app_vault(app, a, &v, e);
    if (rc == 0)
        rc = org_blobs(app, a, org_id, &blobs, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        enum vault_state state;
        rc = vault_check(&v, a, blobs[i].sha256, (uint64_t)blobs[i].size, &state, e);
        if (rc == 0 && state == VAULT_OK)
            (*verified)++;
        if (rc || state == VAULT_OK)
            continue;
        struct app_evidence_bad *b = push(a, bad, n_bad, &cap, sizeof(*b));
        b->sha256 = blobs[i].sha256;
        b->state = state == VAULT_MISSING ? "missing" : "changed";
        b->id = blobs[i].id;
        b->name = blobs[i].name;
    }
    return rc;
}

/* --- freshness and coverage ----------------------------------------------- */

/* A control with what due and coverage need. */
struct ctl_row {
    const char *id, *code, *title, *frequency, *owner, *last;
};

static int org_controls(struct app *app, struct arena *a, const char *org_id, struct ctl_row **out,
                        size_t *n, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(
        app->store, e, &st,
        "SELECT c.id, c.code, c.title, c.frequency, p.email, "
        "(SELECT max(ev.period_end) FROM evidence ev JOIN evidence_control ec "
        "ON ec.evidence_id = ev.id AND ec.org_id = ev.org_id "
        "WHERE ec.control_id = c.id AND ev.org_id = c.org_id AND ev.superseded_by IS NULL) "
        "FROM control c LEFT JOIN person p ON p.id = c.owner_id AND p.org_id = c.org_id "
        "WHERE c.org_id = ? ORDER BY CASE WHEN p.email IS NULL THEN 1 ELSE 0 END, p.email, c.code",
        "t", org_id);
    if (rc)
        return rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        struct ctl_row *r = push(a, out, n, &cap, sizeof(*r));
        r->id = col_dup(a, st, 0);
        r->code = col_dup(a, st, 1);
        r->title = col_dup(a, st, 2);
        r->frequency = col_dup(a, st, 3);
        r->owner = col_dup(a, st, 4);
        r->last = col_dup(a, st, 5);
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Fills d when control r is missing evidence or stale; *due says which. */
static int due_of(const struct ctl_row *r, tl_date today, struct app_evidence_due *d, bool *due,
                  struct err *e)
{
    tl_date last = 0;
    memset(d, 0, sizeof(*d));
    int rc = eng_stale_days(r->frequency, &d->window, e);
    if (rc == 0 && r->last)
        rc = date_parse(r->last, &last, e);
    if (rc)
        return err_wrap(e, "control '%s'", r->code);
    d->owner = r->owner;
    d->code = r->code;
    d->title = r->title;
    d->frequency = r->frequency;
    d->last = r->last;
    d->state = r->last ? "stale" : "missing";
    d->days_late = r->last ? (int)(today - last) - d->window : 0;
    *due = !r->last || d->days_late > 0;
    return 0;
}

int app_evidence_due(struct app *app, struct arena *a, const char *org_id,
                     struct app_evidence_due **out, size_t *n, struct err *e)
{
    struct ctl_row *rows;
    size_t n_rows, cap = 0;
    *out = NULL;
    *n = 0;
    int rc = org_controls(app, a, org_id, &rows, &n_rows, e);
    tl_date today = time_date(app->now);
    for (size_t i = 0; rc == 0 && i < n_rows; i++) {
        struct app_evidence_due d;
        bool due = false;
        rc = due_of(&rows[i], today, &d, &due, e);
        if (rc == 0 && due)
            *(struct app_evidence_due *)push(a, out, n, &cap, sizeof(d)) = d;
    }
    return rc;
}

/* The periods of the current evidence of one control. */
static int control_periods(struct app *app, struct arena *a, const char *org_id,
                           const char *control_id, struct tl_period **out, size_t *n, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT ev.period_start, ev.period_end FROM evidence ev "
                            "JOIN evidence_control ec ON ec.evidence_id = ev.id "
                            "AND ec.org_id = ev.org_id WHERE ev.org_id = ? "
                            "AND ec.control_id = ? AND ev.superseded_by IS NULL",
                            "tt", org_id, control_id);
    if (rc)
        return rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW) {
        struct tl_period *p = push(a, out, n, &cap, sizeof(*p));
        if (date_parse(store_col_text(st, 0), &p->start, e) ||
            date_parse(store_col_text(st, 1), &p->end, e)) {
            rc = TL_EINPUT;
            break;
        }
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static int cov_by_code(const void *x, const void *y)
{
    const struct app_evidence_cov *a = x, *b = y;
    return strcmp(a->code, b->code);
}

int app_evidence_coverage(struct app *app, struct arena *a, const char *org_id, const char *window,
                          struct app_evidence_cov **out, size_t *n, struct err *e)
{
    struct tl_period w;
    struct ctl_row *rows;
    size_t n_rows;
    int rc = period_parse(window ? window : "", &w, e);
    if (rc) {
        err_field(e, "period");
        return rc;
    }
    rc = org_controls(app, a, org_id, &rows, &n_rows, e);
    if (rc)
        return rc;
    *out = arena_calloc(a, n_rows ? n_rows : 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; rc == 0 && i < n_rows; i++) {
        struct tl_period *periods;
        size_t n_periods;
        struct app_evidence_cov *c = &(*out)[i];
        c->code = rows[i].code;
        c->title = rows[i].title;
        c->frequency = rows[i].frequency;
        c->owner = rows[i].owner;
        rc = control_periods(app, a, org_id, rows[i].id, &periods, &n_periods, e);
        if (rc == 0)
            rc = eng_coverage(rows[i].frequency, &w, periods, n_periods, &c->cov, e);
        if (rc == 0)
            (*n)++;
    }
    if (rc == 0)
        qsort(*out, *n, sizeof(**out), cov_by_code);
    return rc;
}

/* --- packages ------------------------------------------------------------ */

/* The organization's signing key, created (and audited, public half only)
 * the first time it is needed.  The check runs inside the write
 * transaction so that two exports cannot both create one. */
static int org_key(struct app *app, struct arena *a, const struct app_org *org,
                   char pk[VAULT_PK_HEX], char sk[VAULT_SK_HEX], struct err *e)
{
    struct app_change c = {.org_id = org->id,
                           .action = "org_key.create",
                           .object_type = "org_key",
                           .id = org->id,
                           .object_key = org->slug};
    int rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    struct store_stmt *st;
    rc =
        store_preparef(app->store, e, &st,
                       "SELECT public_key, secret_key FROM org_key WHERE org_id = ?", "t", org->id);
    if (rc == 0) {
        rc = store_step(st, e);
        if (rc == TL_ROW) {
            snprintf(pk, VAULT_PK_HEX, "%s", store_col_text(st, 0));
            snprintf(sk, VAULT_SK_HEX, "%s", store_col_text(st, 1));
        }
        store_finalize(st);
    }
    if (rc != TL_DONE) {
        app_change_abort(app);
        return rc < 0 ? rc : 0;
    }
    char at[TIME_BUF];
    time_format(app->now, at);
    vault_keypair(pk, sk);
    rc = store_run(app->store, e,
                   "INSERT INTO org_key (org_id, public_key, secret_key, created_at) "
                   "VALUES (?, ?, ?, ?)",
                   "tttt", org->id, pk, sk, at);
    c.after = arena_printf(a, "{\"public_key\":\"%s\"}", pk);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    return rc;
}

/* Refuses to package a blob that is not what was recorded. */
static int check_blobs(const struct vault *v, struct arena *a, const struct app_evidence *items,
                       size_t n, struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        enum vault_state state;
        int rc = vault_check(v, a, items[i].sha256, (uint64_t)items[i].size, &state, e);
        if (rc)
            return rc;
        if (state != VAULT_OK)
            return ERR_SET(e, TL_ECHECK,
                           "the file of evidence '%s' ('%s') is %s in the vault: run 'tillit "
                           "evidence verify'",
                           items[i].id, items[i].name,
                           state == VAULT_MISSING ? "missing" : "changed");
    }
    return 0;
}

static json_t *manifest_item(const struct app_evidence *ev, const char *entry)
{
    json_t *j = json_object(), *ctl = json_array(), *period = json_object();
    js_set_str(j, "id", ev->id);
    js_set_str(j, "sha256", ev->sha256);
    json_object_set_new(j, "size", json_integer(ev->size));
    js_set_str(j, "media_type", ev->media_type);
    js_set_str(j, "name", ev->name);
    js_set_str(j, "file", entry);
    js_set_str(j, "source", ev->source);
    js_set_str(j, "note", ev->note);
    js_set_str(j, "added_by", ev->added_by);
    js_set_str(j, "added_at", ev->added_at);
    for (size_t i = 0; i < ev->n_controls; i++)
        json_array_append_new(ctl, json_string(ev->controls[i]));
    json_object_set_new(j, "controls", ctl);
    js_set_str(period, "start", ev->period_start);
    js_set_str(period, "end", ev->period_end);
    json_object_set_new(j, "period", period);
    return j;
}

static json_t *manifest_head(const struct app *app, const struct app_org *org, const char *code)
{
    json_t *m = json_object(), *o = json_object();
    char at[TIME_BUF];
    time_format(app->now, at);
    js_set_str(m, "format", "tillit-evidence-package/1");
    js_set_str(o, "slug", org->slug);
    js_set_str(o, "name", org->name);
    json_object_set_new(m, "org", o);
    js_set_str(m, "exported_at", at);
    js_set_str(m, "exported_by", app->actor);
    js_set_str(m, "control", code);
    return m;
}

/* Adds every item's file to the package and returns the manifest text. */
static int pack_items(struct app *app, struct arena *a, const struct app_org *org, const char *code,
                      const struct vault *v, struct vault_pkg *p, const struct app_evidence *items,
                      size_t n, struct sb *manifest, int64_t *files, struct err *e)
{
    json_t *m = manifest_head(app, org, code), *list = json_array(), *seen = json_object();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *entry;
        rc = vault_pkg_add_blob(p, v, a, items[i].sha256, items[i].name, &entry, e);
        if (rc == 0) {
            json_array_append_new(list, manifest_item(&items[i], entry));
            json_object_set_new(seen, entry, json_true());
        }
    }
    json_object_set_new(m, "items", list);
    *files = (int64_t)json_object_size(seen);
    if (rc == 0 && (js_dump(manifest, m, 1) != 0 || sb_addc(manifest, '\n') != 0))
        rc = ERR_SET(e, TL_ETOOBIG, "the package manifest is too large");
    json_decref(seen);
    json_decref(m);
    return rc;
}

static int audit_export(struct app *app, struct arena *a, const struct app_org *org,
                        const char *code, const char *path, const struct sb *manifest,
                        const struct app_evidence_export *r, struct err *e)
{
    char sha[SHA256_HEX];
    crypto_sha256_hex(manifest->buf, manifest->len, sha);
    json_t *j = json_object();
    js_set_str(j, "file", path);
    js_set_str(j, "control", code);
    json_object_set_new(j, "items", json_integer(r->items));
    json_object_set_new(j, "files", json_integer(r->files));
    js_set_str(j, "manifest_sha256", sha);
    js_set_str(j, "public_key", r->public_key);
    struct app_change c = {.org_id = org->id,
                           .action = "evidence.export",
                           .object_type = "evidence_package",
                           .object_key = base_name(path),
                           .after = json_text(a, j, 0)};
    int rc = app_change_begin(app, a, &c, e);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    return rc;
}

int app_evidence_export(struct app *app, struct arena *a, const struct app_org *org,
                        const char *code, const char *path, struct app_evidence_export *r,
                        struct err *e)
{
    struct app_evidence *items;
    size_t n = 0;
    struct vault v;
    char sk[VAULT_SK_HEX] = "";
    struct vault_pkg *p = NULL;
    struct sb manifest = SB_INIT;
    memset(r, 0, sizeof(*r));
    int rc = app_evidence_list(app, a, org->id, code, false, &items, &n, e);
    if (rc == 0 && n == 0)
        rc = code ? ERR_SET(e, TL_ENOTFOUND, "control '%s' has no current evidence to export", code)
                  : ERR_SET(e, TL_ENOTFOUND, "there is no current evidence to export");
    if (rc == 0)
        rc = app_vault(app, a, &v, e);
    if (rc == 0)
        rc = check_blobs(&v, a, items, n, e);
    if (rc == 0)
        rc = org_key(app, a, org, r->public_key, sk, e);
    if (rc == 0)
        rc = vault_pkg_create(path, &p, e);
    if (rc == 0)
        rc = pack_items(app, a, org, code, &v, p, items, n, &manifest, &r->files, e);
    r->items = (int64_t)n;
    if (rc == 0) {
        rc = vault_pkg_finish(p, manifest.buf, manifest.len, sk, e);
        p = NULL;
    }
    vault_pkg_abort(p);
    mem_wipe(sk, sizeof(sk));
    /* An export that cannot be recorded does not happen: the package goes. */
    if (rc == 0) {
        rc = audit_export(app, a, org, code, path, &manifest, r, e);
        if (rc)
            remove(path);
    }
    sb_release(&manifest);
    return rc;
}

int app_evidence_verify_package(const char *path, const char *key_hex, struct vault_pkg_result *r,
                                struct err *e)
{
    return vault_pkg_verify(path, key_hex, r, e);
}
