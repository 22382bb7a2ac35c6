/* vendor.c - the vendors of an organization. */
#include "app/vendor.h"

#include "domain/program.h"

#include <string.h>

#define VENDOR_SELECT                                                                              \
    "SELECT v.id, v.slug, v.name, v.service, v.criticality, v.data_shared, v.soc_report, "        \
    "v.soc_period_end, s.slug, v.version FROM vendor v "                                           \
    "LEFT JOIN subservice_org s ON s.id = v.subservice_id AND s.org_id = v.org_id "

/* A SOC report older than this no longer covers the vendor's current
 * controls: auditors expect one at least every year. */
#define SOC_FRESH_MONTHS 12

const char *app_vendor_soc_status(int soc_report, const char *period_end, tl_date today)
{
    tl_date end;
    if (soc_report <= 0 || app_text_is_empty(period_end) || date_parse(period_end, &end, NULL) != 0)
        return "none";
    return end < date_add_months(today, -SOC_FRESH_MONTHS) ? "stale" : "current";
}

static void read_vendor(struct store_stmt *st, struct arena *a, tl_date day,
                        struct app_vendor *v)
{
    v->id = arena_strdup(a, store_col_text(st, 0));
    v->slug = arena_strdup(a, store_col_text(st, 1));
    v->name = arena_strdup(a, store_col_text(st, 2));
    v->service = arena_strdup(a, store_col_text(st, 3));
    v->criticality = arena_strdup(a, store_col_text(st, 4));
    v->data_shared = arena_strdup(a, store_col_text(st, 5));
    v->soc_report = store_col_int(st, 6) != 0;
    v->soc_period_end = arena_strdup(a, store_col_text(st, 7));
    v->subservice = arena_strdup(a, store_col_text(st, 8));
    v->version = store_col_int(st, 9);
    v->soc_status = app_vendor_soc_status(v->soc_report, v->soc_period_end, day);
}

int app_vendor_list(struct app *app, struct arena *a, const char *org_id,
                    const struct app_vendor_filter *f, struct app_vendor **out, size_t *n,
                    struct err *e)
{
    const char *crit = f ? f->criticality : NULL;
    if (crit && dom_enum_check(dom_criticalities, crit, "criticality", e))
        return TL_EINPUT;
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM vendor WHERE org_id = ?", "t", org_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            VENDOR_SELECT "WHERE v.org_id = ? ORDER BY v.slug", "t", org_id);
    if (rc)
        return rc;
    tl_date day = time_date(app->now);
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        read_vendor(st, a, day, &(*out)[*n]);
        if (!crit || strcmp((*out)[*n].criticality, crit) == 0)
            (*n)++;
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_vendor_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                   struct app_vendor *out, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st, VENDOR_SELECT "WHERE v.org_id = ? AND v.slug = ?",
                            "tt", org_id, slug);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_vendor(st, a, time_date(app->now), out);
    store_finalize(st);
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no vendor '%s' (see 'tillit vendor list')", slug);
    return rc < 0 ? rc : 0;
}

static int check_period_end(const struct app *app, const struct app_vendor *v, struct err *e)
{
    tl_date end;
    if (app_text_is_empty(v->soc_period_end))
        return 0;
    if (date_parse(v->soc_period_end, &end, e))
        return err_wrap(e, "SOC period end of vendor '%s'", v->slug ? v->slug : "");
    if (end > time_date(app->now))
        return ERR_SET(e, TL_EINPUT, "SOC period end '%s' of vendor '%s' is in the future",
                       v->soc_period_end, v->slug ? v->slug : "");
    return 0;
}

/* The rules every field obeys on its own; NULL fields are not checked. */
static int check_fields(const struct app *app, const struct app_vendor *v, struct err *e)
{
    if (v->slug && dom_slug_check(v->slug, "vendor slug", e))
        return TL_EINPUT;
    if (v->name && !*v->name)
        return ERR_SET(e, TL_EINPUT, "name of vendor '%s' must not be empty",
                       v->slug ? v->slug : "");
    if (v->criticality && dom_enum_check(dom_criticalities, v->criticality, "criticality", e))
        return TL_EINPUT;
    if (v->soc_report < APP_KEEP || v->soc_report > 1)
        return ERR_SET(e, TL_EINPUT, "soc_report of vendor '%s' must be 0 or 1",
                       v->slug ? v->slug : "");
    return check_period_end(app, v, e);
}

/* The rules of the record as a whole, once the patch is merged: a SOC
 * report on file is only useful with the period it covers, and a period
 * without a report is a mistake.  Fields are checked as input
 * (check_fields) before: a stored period end is not checked again against
 * today, so a clock set back does not block unrelated edits. */
static int check_vendor(const struct app_vendor *v, struct err *e)
{
    if (!v->slug || !v->name)
        return ERR_SET(e, TL_EUSAGE, "a vendor needs a slug and a name");
    if (v->soc_report > 0 && app_text_is_empty(v->soc_period_end))
        return ERR_SET(e, TL_EINPUT, "vendor '%s' has a SOC report on file: give its period end",
                       v->slug);
    if (v->soc_report <= 0 && !app_text_is_empty(v->soc_period_end))
        return ERR_SET(e, TL_EINPUT,
                       "SOC period end '%s' of vendor '%s' needs a SOC report on file",
                       v->soc_period_end, v->slug);
    return 0;
}

/* The id of the subservice organization slug (NULL for none or ""). */
static int subservice_id(struct app *app, struct arena *a, const char *org_id,
                         const struct app_vendor *v, const char **id, struct err *e)
{
    *id = NULL;
    if (app_text_is_empty(v->subservice))
        return 0;
    int rc = app_id_by_key(app, a, "subservice_org", "slug", org_id, v->subservice, id, e);
    if (rc == 0 && !*id)
        return ERR_SET(e, TL_ENOTFOUND,
                       "no subservice organization '%s' for vendor '%s' (see 'tillit scope "
                       "show')",
                       v->subservice, v->slug);
    return rc;
}

static int insert_vendor(struct app *app, const char *org_id, const char *id,
                         const struct app_vendor *v, const char *sub_id, struct err *e)
{
    int rc =
        store_run(app->store, e,
                  "INSERT INTO vendor (id, org_id, slug, name, service, criticality, "
                  "data_shared, soc_report, soc_period_end, subservice_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "tttttttitt", id, org_id, v->slug, v->name, app_text_or_empty(v->service),
                  v->criticality ? v->criticality : "medium", app_text_or_empty(v->data_shared),
                  (int64_t)(v->soc_report > 0), app_text_or_null(v->soc_period_end), sub_id);
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "vendor '%s' already exists", v->slug);
    return rc;
}

int app_vendor_create(struct app *app, struct arena *a, const char *org_id,
                      const struct app_vendor *in, struct app_vendor *out, struct err *e)
{
    int rc = check_fields(app, in, e);
    if (rc == 0)
        rc = check_vendor(in, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id, .action = "vendor.add", .object_type = "vendor",
                           .table = "vendor", .object_key = in->slug};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    const char *sub_id;
    c.id = app_new_id(a);
    rc = subservice_id(app, a, org_id, in, &sub_id, e);
    if (rc == 0)
        rc = insert_vendor(app, org_id, c.id, in, sub_id, e);
    rc = app_change_end(app, a, &c, rc, e);
    if (rc == 0 && out)
        rc = app_vendor_get(app, a, org_id, in->slug, out, e);
    return rc;
}

/* The vendor as it will be: cur with the fields patch sets. */
static struct app_vendor merge(const struct app_vendor *cur, const struct app_vendor *patch)
{
    struct app_vendor m = *cur;
    m.slug = app_text_patched(patch->slug, cur->slug);
    m.name = app_text_patched(patch->name, cur->name);
    m.service = app_text_patched(patch->service, cur->service);
    m.criticality = app_text_patched(patch->criticality, cur->criticality);
    m.data_shared = app_text_patched(patch->data_shared, cur->data_shared);
    m.soc_report = patch->soc_report == APP_KEEP ? cur->soc_report : patch->soc_report;
    m.soc_period_end = app_text_patched(patch->soc_period_end, cur->soc_period_end);
    if (patch->soc_report == 0 && !patch->soc_period_end)
        m.soc_period_end = NULL;
    m.subservice = app_text_patched(patch->subservice, cur->subservice);
    return m;
}

static int write_vendor(struct app *app, const char *org_id, const struct app_vendor *v,
                        const char *sub_id, struct err *e)
{
    int rc = store_run(app->store, e,
                       "UPDATE vendor SET slug = ?, name = ?, service = ?, criticality = ?, "
                       "data_shared = ?, soc_report = ?, soc_period_end = ?, subservice_id = ?, "
                       "version = version + 1 WHERE id = ? AND org_id = ?",
                       "tttttitttt", v->slug, v->name, app_text_or_empty(v->service),
                       v->criticality, app_text_or_empty(v->data_shared), (int64_t)v->soc_report,
                       app_text_or_null(v->soc_period_end), sub_id, v->id, org_id);
    if (rc == TL_ECONFLICT)
        return ERR_SET(e, TL_EEXIST, "vendor '%s' already exists", v->slug);
    return rc;
}

/* Opens the audited change of an edit of vendor slug: the record locked,
 * read inside the transaction and checked against the version the edit
 * was based on, so that a stale edit changes nothing. */
static int begin_vendor_edit(struct app *app, struct arena *a, const char *org_id, const char *slug,
                             int64_t expected, struct app_change *c, struct app_vendor *cur,
                             struct err *e)
{
    *c = (struct app_change){.org_id = org_id,
                             .action = "vendor.edit",
                             .object_type = "vendor",
                             .table = "vendor",
                             .object_key = slug};
    int rc = app_change_begin(app, a, c, e);
    if (rc)
        return rc;
    rc = app_lock_record(app, org_id, "vendor", slug, e);
    if (rc == 0)
        rc = app_vendor_get(app, a, org_id, slug, cur, e);
    if (rc == 0)
        rc = app_check_version(app, a, org_id, "vendor", slug, cur->version, expected, e);
    if (rc == 0) {
        c->id = cur->id;
        rc = app_row_json(app, a, "vendor", cur->id, &c->before, e);
    }
    if (rc)
        app_change_abort(app);
    return rc;
}

int app_vendor_update(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      const struct app_vendor *patch, struct err *e)
{
    struct app_vendor cur, named = *patch;
    named.slug = patch->slug ? patch->slug : slug;
    int rc = check_fields(app, &named, e);
    if (rc)
        return rc;
    struct app_change c;
    rc = begin_vendor_edit(app, a, org_id, slug, patch->version, &c, &cur, e);
    if (rc)
        return rc;
    struct app_vendor m = merge(&cur, patch);
    rc = check_vendor(&m, e);
    const char *sub_id = NULL;
    if (rc == 0)
        rc = subservice_id(app, a, org_id, &m, &sub_id, e);
    if (rc == 0)
        rc = write_vendor(app, org_id, &m, sub_id, e);
    return app_change_end(app, a, &c, rc, e);
}

int app_vendor_delete(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      struct err *e)
{
    struct app_vendor cur;
    int rc = app_vendor_get(app, a, org_id, slug, &cur, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org_id, .action = "vendor.remove", .object_type = "vendor",
                           .table = "vendor", .id = cur.id, .object_key = slug};
    rc = app_change_delete(app, a, &c, e);
    if (rc == TL_ECONFLICT)
        ERR_SET(e, TL_ECONFLICT, "cannot remove vendor '%s': other records refer to it", slug);
    return rc;
}
