/* vendor.h - the vendors of an organization and the SOC reports on file
 * for them (vendor management, CC9.2).
 *
 * A vendor is known by slug, unique within the organization.  Rules: a
 * valid slug, a name, a criticality from dom_criticalities (default
 * "medium"), and a SOC report on file exactly when its period end is known
 * (a strict YYYY-MM-DD date, not in the future).  A vendor may be linked to
 * a subservice organization of the same organization, by its slug.  The
 * status of the report is computed on read: "none", "current", or "stale"
 * when its period ended more than 12 months before app->now.  Every change
 * is audited ("vendor.add", "vendor.edit", "vendor.remove").
 *
 * Ownership: every string in a struct app_vendor that a function fills
 * lives in the caller's arena; the structs passed in are only borrowed.
 */
#ifndef TL_VENDOR_H
#define TL_VENDOR_H

#include "app/record.h"

#include <stdint.h>

#ifndef APP_KEEP
/* A flag left as APP_KEEP in a patch is not changed by an update. */
#define APP_KEEP (-1)
#endif

struct app_vendor {
    const char *id;             /* filled on read; ignored on input */
    const char *slug;           /* natural key */
    const char *name;
    const char *service;        /* what they do for us; "" when unknown */
    const char *criticality;    /* one of dom_criticalities */
    const char *data_shared;    /* what data they get; "" when none */
    int soc_report;             /* 0 or 1; APP_KEEP in a patch = unchanged */
    const char *soc_period_end; /* YYYY-MM-DD; NULL or "" = none */
    const char *subservice;     /* subservice_org slug; NULL or "" = none */
    const char *soc_status;     /* computed on read: "none", "current", "stale" */
    int64_t version;            /* edits so far, from 1; an update's expected one (0 = any) */
};

/* A patch that changes nothing; set the fields to change. */
#define APP_VENDOR_PATCH {.soc_report = APP_KEEP}

struct app_vendor_filter {
    const char *criticality; /* one of dom_criticalities, or NULL for all */
};

/** All vendors of organization org_id matching f (NULL = all), ordered by
 *  slug, as an array of *n entries in a.  An unknown criticality in f is
 *  TL_EINPUT. */
int app_vendor_list(struct app *app, struct arena *a, const char *org_id,
                    const struct app_vendor_filter *f, struct app_vendor **out, size_t *n,
                    struct err *e);

/** The vendor with slug of organization org_id; TL_ENOTFOUND naming the
 *  slug when there is none. */
int app_vendor_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                   struct app_vendor *out, struct err *e);

/** Adds in (slug and name required; a NULL criticality is "medium") to
 *  organization org_id.  Fails with TL_EINPUT naming the bad field,
 *  TL_ENOTFOUND for an unknown subservice organization, TL_EEXIST when the
 *  slug is taken; nothing changes on failure.  out, when not NULL, receives
 *  the stored vendor. */
int app_vendor_create(struct app *app, struct arena *a, const char *org_id,
                      const struct app_vendor *in, struct app_vendor *out, struct err *e);

/** Applies patch (start from APP_VENDOR_PATCH) to the vendor with slug:
 *  NULL strings and APP_KEEP are unchanged; "" clears the period end and
 *  the subservice link.  Setting soc_report to 0 without a period end in
 *  the same patch clears the period end.  The result is checked as a whole.
 *  A patch->version other than 0 that is not the vendor's current version
 *  fails with TL_ECONFLICT naming who changed the vendor and when. */
int app_vendor_update(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      const struct app_vendor *patch, struct err *e);

/** Removes the vendor with slug. */
int app_vendor_delete(struct app *app, struct arena *a, const char *org_id, const char *slug,
                      struct err *e);

/** The status of a SOC report with period end (NULL or "" = none) on day
 *  today: "none", "current", or "stale" (ended more than 12 months before). */
const char *app_vendor_soc_status(int soc_report, const char *period_end, tl_date today);

#endif
