/* catalog.h - frameworks, criteria and points of focus (the TSC and COSO).
 *
 * A catalog is built from content files (YAML bytes handed in by the
 * caller: no I/O here) into an arena; all its strings and arrays live in
 * that arena and are read-only once dom_catalog_finish() succeeded.
 * Criteria keep the order the content gives (TSC order).
 */
#ifndef TL_CATALOG_H
#define TL_CATALOG_H

#include "base/arena.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

/** A string in both of Tillit's languages. */
struct dom_text {
    const char *en;
    const char *sv;
};

/** The text in lang ("en" or "sv"), falling back to English. */
const char *dom_text_get(const struct dom_text *t, const char *lang);

enum dom_pof_kind { POF_COSO, POF_TSC, POF_CATEGORY, POF_CONTROLLER, POF_PROCESSOR };

struct dom_pof {
    const char *id; /* "CC1.1-PF01" */
    enum dom_pof_kind kind;
    const char **applies_to; /* kind == POF_CATEGORY: category ids */
    size_t n_applies_to;
    struct dom_text title, text;
};

struct dom_category {
    const char *id; /* security, availability, processing-integrity, confidentiality, privacy */
    struct dom_text name, summary;
};

struct dom_series {
    const char *id; /* CC1 ... P8 */
    const char *category;
    struct dom_text name;
};

struct dom_coso_component {
    const char *id;
    struct dom_text name;
};

struct dom_coso_principle {
    int number; /* 1..17 */
    const char *component; /* component id */
    struct dom_text title;
    const char *tsc; /* the criterion that carries it */
};

struct dom_criterion {
    const char *id; /* "CC6.1" */
    const char *category;
    const char *series;
    struct dom_text title, summary;
    struct dom_pof *pofs;
    size_t n_pofs;
    const struct dom_coso_principle *principle; /* CC1-CC5 only, else NULL */
};

struct dom_catalog {
    const char *id; /* "tsc-2017" */
    struct dom_text name;
    const char *version;
    struct dom_category *categories;
    size_t n_categories;
    struct dom_series *series;
    size_t n_series;
    struct dom_criterion *criteria;
    size_t n_criteria;
    const char *coso_id; /* "coso-2013" */
    struct dom_text coso_name;
    struct dom_coso_component *components;
    size_t n_components;
    struct dom_coso_principle *principles;
    size_t n_principles;
    size_t n_pofs; /* total points of focus */
};

/** Reads the framework header (framework.yaml). */
int dom_catalog_add_framework(struct dom_catalog *c, struct arena *a, const char *path,
                              const char *data, size_t len, struct err *e);

/** Appends the criteria of one criteria-*.yaml file. */
int dom_catalog_add_criteria(struct dom_catalog *c, struct arena *a, const char *path,
                             const char *data, size_t len, struct err *e);

/** Reads coso-2013.yaml. */
int dom_catalog_add_coso(struct dom_catalog *c, struct arena *a, const char *path,
                         const char *data, size_t len, struct err *e);

/** Checks references (categories, series, unique ids) and links COSO principles. */
int dom_catalog_finish(struct dom_catalog *c, struct err *e);

/** A criterion by id (exact match, case-insensitive), or NULL. */
const struct dom_criterion *dom_catalog_criterion(const struct dom_catalog *c, const char *id);

/** A point of focus by id, or NULL; *crit gets its criterion when non-NULL. */
const struct dom_pof *dom_catalog_pof(const struct dom_catalog *c, const char *id,
                                      const struct dom_criterion **crit);

/** A category by id, or NULL. */
const struct dom_category *dom_catalog_category(const struct dom_catalog *c, const char *id);

/** "coso", "tsc", "category", "controller", "processor". */
const char *dom_pof_kind_name(enum dom_pof_kind k);

/** The COSO component of a principle, or NULL. */
const struct dom_coso_component *dom_catalog_component(const struct dom_catalog *c,
                                                       const char *id);

#endif
