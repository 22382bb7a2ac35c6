/* library.h - the control library: suggested controls an organization adopts.
 *
 * A library is built from content files (content/library/controls-*.yaml,
 * YAML bytes handed in by the caller: no I/O here) into an arena, checked
 * against a loaded catalog as it is read: enumerations come from
 * domain/program.h, every criterion and point of focus must exist in the
 * catalog, and a point of focus must be filed under the criterion that
 * names it.  All strings and arrays live in the arena and are read-only
 * once dom_library_finish() succeeded.  Controls keep the content order.
 */
#ifndef TL_LIBRARY_H
#define TL_LIBRARY_H

#include "base/arena.h"
#include "base/err.h"
#include "domain/catalog.h"

#include <stdbool.h>
#include <stddef.h>

/** A list of lines in both of Tillit's languages. */
struct dom_text_list {
    const char **en;
    size_t n_en;
    const char **sv;
    size_t n_sv;
};

/** A criterion a library control addresses, with the points of focus it covers. */
struct dom_lib_mapping {
    const char *criterion; /* the catalog's spelling, "CC6.2" */
    const char **pofs;     /* catalog ids, in catalog order */
    size_t n_pofs;
};

struct dom_lib_control {
    const char *code;   /* "AC-01", unique across the library */
    const char *family; /* "access" */
    struct dom_text title, description;
    const char *frequency, *nature, *type; /* values of dom_frequencies ... */
    bool key;
    struct dom_lib_mapping *criteria; /* in catalog order */
    size_t n_criteria;
    struct dom_text_list evidence;   /* what an auditor asks to see */
    struct dom_text_list test_steps; /* how a tester checks it */
};

struct dom_library {
    struct dom_lib_control *controls;
    size_t n_controls;
    const char **families; /* distinct families, in order of first appearance */
    size_t n_families;
};

/** The lines in lang ("en" or "sv"), falling back to English when lang has none. */
const char *const *dom_text_list_get(const struct dom_text_list *l, const char *lang, size_t *n);

/** Appends the controls of one controls-*.yaml file, checked against catalog c.
 *  Errors carry path:line:col.  On failure l may hold part of the file. */
int dom_library_add(struct dom_library *l, struct arena *a, const struct dom_catalog *c,
                    const char *path, const char *data, size_t len, struct err *e);

/** Collects the families; fails when the library is empty. */
int dom_library_finish(struct dom_library *l, struct arena *a, struct err *e);

/** A control by code (case-insensitive), or NULL. */
const struct dom_lib_control *dom_library_control(const struct dom_library *l, const char *code);

/** The mapping of control lc to criterion (case-insensitive), or NULL. */
const struct dom_lib_mapping *dom_lib_control_mapping(const struct dom_lib_control *lc,
                                                      const char *criterion);

/** Fails with 'unknown control family "<f>" (expected one of: ...)' unless the
 *  library has a control of family f. */
int dom_library_family_check(const struct dom_library *l, const char *family, struct err *e);

/** Checks a comma-separated list of points of focus against criterion cr and
 *  returns them in catalog spelling and order, without duplicates, comma-joined
 *  in a ("" when pofs is NULL or empty).  Fails naming the first bad id. */
int dom_pofs_normalize(const struct dom_criterion *cr, struct arena *a, const char *pofs,
                       const char **out, struct err *e);

#endif
