/* framework.h - frameworks imported from OSCAL catalogs, and how their
 * controls map to the trust services criteria.
 *
 * A framework belongs to an organization and is known by its slug (given,
 * or made from the catalog's title).  Import is all or nothing: the file is
 * parsed and checked completely (report/oscal.h) before anything is
 * written, and a file that is not JSON or not a catalog is refused naming
 * the JSON path of the problem.  A control is named "SLUG:ID"
 * ("nist-800-53:ac-2"), or just ID when the organization has one
 * framework.  Every change is one audited transaction ("framework.import",
 * "framework.map", "framework.unmap", "framework.remove").  Results live in
 * the caller's arena.
 */
#ifndef TL_APP_FRAMEWORK_H
#define TL_APP_FRAMEWORK_H

#include "app/record.h"
#include "report/oscal.h"

/* Largest catalog file accepted, in bytes (NIST SP 800-53 rev. 5: 10 MB). */
#define APP_FRAMEWORK_FILE_MAX (64u << 20)

struct app_framework {
    const char *slug, *title, *fw_version, *oscal_version, *source_uuid;
    const char *imported_at, *imported_by;
    int64_t controls, mapped; /* controls, and those mapped to a criterion */
};

/** Imports the OSCAL catalog in data (len bytes; path names it in errors)
 *  as framework slug (NULL: from the title).  TL_EEXIST when the slug is
 *  taken. */
int app_framework_import(struct app *app, struct arena *a, const char *org_id, const char *path,
                         const char *data, size_t len, const char *slug, struct app_framework *out,
                         struct err *e);

/** The organization's frameworks, by slug. */
int app_framework_list(struct app *app, struct arena *a, const char *org_id,
                       struct app_framework **out, size_t *n, struct err *e);

/** A framework as a catalog, with each control's criteria, for export
 *  (rpt_oscal_framework_catalog) and 'framework show'. */
int app_framework_catalog(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          struct rpt_oscal_catalog *out, struct err *e);

/** Maps control ref ("SLUG:ID" or "ID") to a criterion of the catalog, or
 *  removes that mapping when unmap.  TL_ENOTFOUND names an unknown
 *  framework, control or criterion (or a mapping to remove). */
int app_framework_map(struct app *app, struct arena *a, const char *org_id, const char *ref,
                      const char *criterion, bool unmap, struct err *e);

/** Removes a framework with its controls and mappings. */
int app_framework_remove(struct app *app, struct arena *a, const char *org_id, const char *slug,
                         struct err *e);

#endif
