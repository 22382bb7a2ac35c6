/* yamlio_impl.h - what the files of the YAML tree module share (yamlio.c,
 * yaml_parse.c, yaml_export.c, yaml_import.c); no one else includes it.
 *
 * A parsed tree keeps the app's own record structs, filled the way the
 * app_* functions read them back (optional text "" or NULL as the app
 * reads it, criteria in catalog spelling and order), so that the plan
 * compares like with like.  Each record keeps the YAML node it came from,
 * for messages that point into the file.  Everything lives in one arena.
 */
#ifndef TL_YAMLIO_IMPL_H
#define TL_YAMLIO_IMPL_H

#include "app/control.h"
#include "app/person.h"
#include "app/policy.h"
#include "app/risk.h"
#include "app/scope.h"
#include "app/vendor.h"
#include "app/yamlio.h"
#include "base/yml.h"

/* The directories of the tree, one file per record. */
#define APP_YAML_PEOPLE "people"
#define APP_YAML_CONTROLS "controls"
#define APP_YAML_RISKS "risks"
#define APP_YAML_POLICIES "policies"
#define APP_YAML_VENDORS "vendors"

struct app_yaml__person {
    struct app_person p; /* manager: email or NULL */
    const struct yml_node *node, *manager_at;
};

struct app_yaml__control {
    struct app_control c; /* criteria in catalog order; evidence one line per item */
    const struct yml_node *node, *library_at;
};

struct app_yaml__risk {
    struct app_risk r; /* controls sorted */
    const struct yml_node *node;
};

struct app_yaml__ack {
    const char *person, *on;
    const struct yml_node *node;
};

struct app_yaml__version {
    int64_t number;
    const char *file;                      /* "<slug>.v<N>.md" */
    const char *text;                      /* the file's bytes, as the app is given them */
    const char *body;                      /* as the app stores them: org placeholders filled in */
    const char *approved_by, *approved_on; /* both NULL when not approved */
    struct app_yaml__ack *acks;            /* by email */
    size_t n_acks;
    const struct yml_node *node, *file_at, *approval_at;
};

struct app_yaml__policy {
    struct app_policy p; /* slug, title, owner, review, template */
    struct app_yaml__version *versions;
    size_t n_versions;
    const struct yml_node *node, *template_at;
};

struct app_yaml__vendor {
    struct app_vendor v;
    const struct yml_node *node;
};

struct app_yaml__csoc {
    const char *text, *criteria;
    const struct yml_node *node;
};

struct app_yaml__subservice {
    struct app_subservice s;
    struct app_yaml__csoc *csocs; /* by text, then criteria */
    size_t n_csocs;
    const struct yml_node *node;
};

struct app_yaml__na {
    struct app_applicability na;
    const struct yml_node *node;
};

struct app_yaml_tree {
    struct app_org org; /* id NULL */
    struct app_system system;
    struct app_scope_category *categories; /* dom_categories order, all of them */
    size_t n_categories;
    struct app_service *services;
    size_t n_services;
    struct app_component *components;
    size_t n_components;
    struct app_yaml__subservice *subservices;
    size_t n_subservices;
    struct app_cuec *cuecs;
    size_t n_cuecs;
    struct app_yaml__person *people; /* by email */
    size_t n_people;
    struct app_yaml__control *controls; /* by code */
    size_t n_controls;
    struct app_yaml__risk *risks;
    size_t n_risks;
    struct app_yaml__policy *policies;
    size_t n_policies;
    struct app_yaml__vendor *vendors;
    size_t n_vendors;
    struct app_yaml__na *na; /* by target */
    size_t n_na;
};

/** Adds "path:line:col: message" (position from n; none when n is NULL,
 *  then path alone) to errs, or counts it as dropped past the limit. */
void app_yaml__error(struct arena *a, struct app_yaml_errors *errs, const char *path,
                     const struct yml_node *n, const char *fmt, ...) TL_PRINTF(5, 6);

/** Compares two optional strings, NULL and "" alike. */
bool app_yaml__same(const char *x, const char *y);

/** Orders CSOCs by text, then criteria (the order of the export). */
int app_yaml__csoc_order(const char *text_a, const char *crit_a, const char *text_b,
                         const char *crit_b);

#endif
