/* scope.h - the system in scope (DC 200): what the system description of
 * the report says the system is.
 *
 * An organization has one system: a name, its boundaries and its principal
 * service commitments; a decision per trust services category (security
 * always in, any other out with a reason); the services it provides; its
 * components by kind, each in scope or out with a reason; subservice
 * organizations with their method (carve-out or inclusive) and the
 * complementary subservice organization controls (CSOCs) expected of them;
 * and the complementary user entity controls (CUECs) the design assumes.
 *
 * Records are named by natural keys, which are what users type and what
 * the YAML export uses: a service by name, a component by kind and name, a
 * subservice organization by slug, a CUEC by code.  A CSOC has only its id;
 * functions that take one accept a unique prefix of it.  Criteria are
 * comma-separated criterion ids checked against the catalog and stored in
 * its spelling ("CC6.4,CC6.5").  Allowed kinds, methods and categories are
 * those of domain/program.h.
 *
 * Ownership: functions that return records allocate them, with all their
 * strings, in the caller's arena; inputs are borrowed and never kept.
 * Every mutation is one audited transaction (app_change_begin/commit): it
 * either happens with its audit entry or, on any error, not at all.  An
 * edit locks its record, reads it inside the transaction and, when given
 * the version it is based on, refuses a stale one with TL_ECONFLICT naming
 * who changed the record and when (docs/web.md, "Concurrent edits"); every
 * edit increments the record's version.
 */
#ifndef TL_SCOPE_H
#define TL_SCOPE_H

#include "app/app.h"

#include <stdbool.h>
#include <stdint.h>

/** The system itself: one row per organization, made with it. */
struct app_system {
    const char *name, *boundaries, *commitments;
    int64_t version; /* edits so far; in an update, the version it was based on
                      * (0 = any): else TL_ECONFLICT naming who changed it */
    /* The organization's role for personal information in scope:
     * controller, processor or both (decides which privacy points of focus
     * apply).  NULL in a patch = unchanged. */
    const char *privacy_role;
};

/** The decision on one trust services category. */
struct app_scope_category {
    const char *category; /* one of dom_categories */
    bool in_scope;
    const char *reason; /* why it is out; "" when in scope */
};

struct app_service {
    const char *id, *name, *description;
    int64_t version; /* edits so far, from 1; in an update, the version it is based
                      * on (0 = any): else TL_ECONFLICT naming who changed it */
};

struct app_component {
    const char *id;
    const char *kind; /* one of dom_component_kinds */
    const char *name, *description;
    bool in_scope; /* set it explicitly when creating: false needs a reason */
    const char *reason;
    int64_t version; /* edits so far, from 1 (ignored on input) */
};

/** What a component edit may change; zero-initialised means "change nothing". */
enum app_scope_change { APP_SCOPE_KEEP = 0, APP_SCOPE_IN, APP_SCOPE_OUT };

struct app_component_patch {
    const char *description; /* NULL = keep */
    enum app_scope_change scope;
    const char *reason; /* NULL = keep; only for a component out of scope */
    int64_t version;    /* the version the edit is based on (0 = any): else TL_ECONFLICT */
};

struct app_subservice {
    const char *id, *slug, *name;
    const char *method;   /* one of dom_sub_methods */
    const char *services; /* what it does for the organization, free text */
    int64_t n_csocs;      /* filled by list and get; ignored on input */
    int64_t version;      /* edits so far, from 1; in an update, the version it is based
                           * on (0 = any): else TL_ECONFLICT naming who changed it */
};

struct app_csoc {
    const char *id;
    const char *subservice; /* slug of its subservice organization */
    const char *text, *criteria;
    int64_t version; /* edits so far, from 1; in an update, the version it is based
                      * on (0 = any): else TL_ECONFLICT naming who changed it */
};

struct app_cuec {
    const char *id, *code, *text, *criteria;
    int64_t version; /* edits so far, from 1; in an update, the version it is based
                      * on (0 = any): else TL_ECONFLICT naming who changed it */
};

/** Everything in scope, in the order users see it. */
struct app_scope {
    struct app_system system;
    struct app_scope_category *categories; /* dom_categories order */
    size_t n_categories;
    struct app_service *services; /* by name */
    size_t n_services;
    struct app_component *components; /* by kind (dom order), then name */
    size_t n_components;
    struct app_subservice *subservices; /* by slug */
    size_t n_subservices;
    struct app_csoc *csocs; /* by subservice slug, then text */
    size_t n_csocs;
    struct app_cuec *cuecs; /* by code */
    size_t n_cuecs;
};

/* --- the whole scope ------------------------------------------------------ */

/** Reads every scope record of the organization (for 'scope show', the
 *  system description of the report, the YAML export). */
int app_scope_get(struct app *app, struct arena *a, const char *org_id, struct app_scope *out,
                  struct err *e);

/* --- the system ------------------------------------------------------------ */

/** The system's name, boundaries and commitments ("" when never set). */
int app_system_get(struct app *app, struct arena *a, const char *org_id, struct app_system *out,
                   struct err *e);

/** Sets the non-NULL fields of patch.  TL_EUSAGE when every field is NULL;
 *  TL_ECONFLICT when patch->version is not 0 and not the system's current
 *  version (someone changed it since).  Audited as "scope.set". */
int app_system_update(struct app *app, struct arena *a, const char *org_id,
                      const struct app_system *patch, struct err *e);

/* --- trust services categories ------------------------------------------------ */

/** The decision for every category, in dom_categories order. */
int app_scope_category_list(struct app *app, struct arena *a, const char *org_id,
                            struct app_scope_category **out, size_t *n, struct err *e);

/** The decision for one category; TL_EINPUT listing the allowed ones when unknown. */
int app_scope_category_get(struct app *app, struct arena *a, const char *org_id,
                           const char *category, struct app_scope_category *out, struct err *e);

/** Puts a category in or out of scope (dom_scope_category_check: security
 *  stays in, out needs a reason; a category in scope takes no reason).
 *  Audited as "scope.category". */
int app_scope_category_set(struct app *app, struct arena *a, const char *org_id,
                           const struct app_scope_category *in, struct err *e);

/* --- services ---------------------------------------------------------------- */

/** All services, by name. */
int app_service_list(struct app *app, struct arena *a, const char *org_id, struct app_service **out,
                     size_t *n, struct err *e);

/** A service by name; TL_ENOTFOUND naming it. */
int app_service_get(struct app *app, struct arena *a, const char *org_id, const char *name,
                    struct app_service *out, struct err *e);

/** Adds a service (name required, unique: TL_EEXIST).  in->id is ignored.
 *  Audited as "scope.service.add". */
int app_service_create(struct app *app, struct arena *a, const char *org_id,
                       const struct app_service *in, struct err *e);

/** Renames (patch->name) or redescribes a service; NULL fields are kept.
 *  TL_ECONFLICT, naming who changed it, when patch->version is not 0 and
 *  not the service's version.  Audited as "scope.service.edit". */
int app_service_update(struct app *app, struct arena *a, const char *org_id, const char *name,
                       const struct app_service *patch, struct err *e);

/** Removes a service.  Audited as "scope.service.remove". */
int app_service_delete(struct app *app, struct arena *a, const char *org_id, const char *name,
                       struct err *e);

/* --- components ---------------------------------------------------------------- */

/** Components of one kind, or of every kind when kind is NULL (by kind, then name). */
int app_component_list(struct app *app, struct arena *a, const char *org_id, const char *kind,
                       struct app_component **out, size_t *n, struct err *e);

/** A component by kind and name; TL_ENOTFOUND naming it. */
int app_component_get(struct app *app, struct arena *a, const char *org_id, const char *kind,
                      const char *name, struct app_component *out, struct err *e);

/** Adds a component: known kind, a name unique within the kind, a reason
 *  when out of scope and none when in.  Audited as "scope.component.add". */
int app_component_create(struct app *app, struct arena *a, const char *org_id,
                         const struct app_component *in, struct err *e);

/** Changes description, scope or reason.  Moving a component in scope
 *  clears its reason; moving it out needs one (given or already recorded).
 *  TL_ECONFLICT when patch->version is stale.  Audited as "scope.component.edit". */
int app_component_update(struct app *app, struct arena *a, const char *org_id, const char *kind,
                         const char *name, const struct app_component_patch *patch, struct err *e);

/** Removes a component.  Audited as "scope.component.remove". */
int app_component_delete(struct app *app, struct arena *a, const char *org_id, const char *kind,
                         const char *name, struct err *e);

/* --- subservice organizations ---------------------------------------------------- */

/** All subservice organizations, by slug, with their number of CSOCs. */
int app_subservice_list(struct app *app, struct arena *a, const char *org_id,
                        struct app_subservice **out, size_t *n, struct err *e);

/** A subservice organization by slug (vendors link to it through out->id). */
int app_subservice_get(struct app *app, struct arena *a, const char *org_id, const char *slug,
                       struct app_subservice *out, struct err *e);

/** Adds one: valid unique slug, a name, a method.  Audited as "scope.subservice.add". */
int app_subservice_create(struct app *app, struct arena *a, const char *org_id,
                          const struct app_subservice *in, struct err *e);

/** Sets the non-NULL name, method and services of patch (slug and id are
 *  ignored).  TL_ECONFLICT when patch->version is stale.  Audited as
 *  "scope.subservice.edit". */
int app_subservice_update(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          const struct app_subservice *patch, struct err *e);

/** Removes one with its CSOCs (both in the audit entry's "before").
 *  TL_ECONFLICT naming the vendor while a vendor links to it.
 *  Audited as "scope.subservice.remove". */
int app_subservice_delete(struct app *app, struct arena *a, const char *org_id, const char *slug,
                          struct err *e);

/* --- CSOCs ----------------------------------------------------------------------- */

/** CSOCs of one subservice organization (slug), or of all when NULL. */
int app_csoc_list(struct app *app, struct arena *a, const char *org_id, const char *subservice,
                  struct app_csoc **out, size_t *n, struct err *e);

/** A CSOC by id or unique id prefix; TL_ENOTFOUND, or TL_EINPUT when the
 *  prefix matches several. */
int app_csoc_get(struct app *app, struct arena *a, const char *org_id, const char *id,
                 struct app_csoc *out, struct err *e);

/** Adds a CSOC to in->subservice (slug): text required, criteria checked.
 *  *id (when non-NULL) gets the new id.  Audited as "scope.csoc.add". */
int app_csoc_create(struct app *app, struct arena *a, const char *org_id, const struct app_csoc *in,
                    const char **id, struct err *e);

/** Sets the non-NULL text and criteria of patch ("" criteria clears them).
 *  TL_ECONFLICT when patch->version is stale.  Audited as "scope.csoc.edit". */
int app_csoc_update(struct app *app, struct arena *a, const char *org_id, const char *id,
                    const struct app_csoc *patch, struct err *e);

/** Removes a CSOC (id or unique prefix).  Audited as "scope.csoc.remove". */
int app_csoc_delete(struct app *app, struct arena *a, const char *org_id, const char *id,
                    struct err *e);

/* --- CUECs ------------------------------------------------------------------------ */

/** All CUECs, by code. */
int app_cuec_list(struct app *app, struct arena *a, const char *org_id, struct app_cuec **out,
                  size_t *n, struct err *e);

/** A CUEC by code; TL_ENOTFOUND naming it. */
int app_cuec_get(struct app *app, struct arena *a, const char *org_id, const char *code,
                 struct app_cuec *out, struct err *e);

/** Adds a CUEC: valid unique code, text, criteria checked.  Audited as "scope.cuec.add". */
int app_cuec_create(struct app *app, struct arena *a, const char *org_id, const struct app_cuec *in,
                    struct err *e);

/** Sets the non-NULL text and criteria of patch ("" criteria clears them).
 *  TL_ECONFLICT when patch->version is stale.  Audited as "scope.cuec.edit". */
int app_cuec_update(struct app *app, struct arena *a, const char *org_id, const char *code,
                    const struct app_cuec *patch, struct err *e);

/** Removes a CUEC.  Audited as "scope.cuec.remove". */
int app_cuec_delete(struct app *app, struct arena *a, const char *org_id, const char *code,
                    struct err *e);

#endif
