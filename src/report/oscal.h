/* oscal.h - NIST OSCAL (JSON): importing catalogs, exporting the program.
 *
 * Import reads an OSCAL catalog (any: NIST SP 800-53, a customer's own)
 * into a flat list of controls in catalog order; it refuses input that is
 * not JSON, or not a catalog, naming the JSON path of the first problem
 * ("$.catalog.groups[2].controls[0].id").  Export writes OSCAL 1.2.1 JSON
 * that validates against NIST's schemas: the trust services criteria as a
 * catalog, an imported framework as a catalog again (with its mappings to
 * the criteria as properties), a system security plan, assessment results
 * and a plan of action and milestones.  UUIDs are derived from a seed (the
 * organization's id) and the object's name, so exporting twice gives the
 * same document.
 *
 * Pure: no I/O.  Parsed catalogs live in the arena given; exports are
 * appended to the caller's sb.
 */
#ifndef TL_OSCAL_H
#define TL_OSCAL_H

#include "app/report.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/sb.h"
#include "domain/catalog.h"

/* The OSCAL version exports declare (the schemas in shared/data/oscal). */
#define RPT_OSCAL_VERSION "1.2.1"

/* Most controls one catalog may hold, and deepest nesting of groups and
 * controls: NIST SP 800-53 rev. 5 has about 1,200 controls, 3 levels. */
#define RPT_OSCAL_MAX_CONTROLS 100000
#define RPT_OSCAL_MAX_DEPTH 32

struct rpt_oscal_control {
    const char *id;    /* the OSCAL id, a token: "ac-2.1" */
    const char *label; /* the "label" property ("AC-2(1)"), "" when none */
    const char *title;
    const char *klass;    /* the class, "" when none */
    const char *parent;   /* the enclosing control of an enhancement, or NULL */
    const char *group_id; /* the innermost group, "" when ungrouped */
    const char *group_title;
    const char *statement; /* the statement part's prose, sub-parts one per line */
    const char **criteria; /* export: the TSC criteria it is mapped to */
    size_t n_criteria;
};

struct rpt_oscal_catalog {
    const char *uuid, *title, *version, *oscal_version;
    struct rpt_oscal_control *controls; /* catalog order */
    size_t n_controls;
};

/** Parses an OSCAL catalog.  path names the input in errors (e->where);
 *  the message starts with the JSON path of the problem.  TL_EINPUT for
 *  anything that is not a catalog Tillit can keep, TL_ETOOBIG past the
 *  limits above. */
int rpt_oscal_parse_catalog(struct arena *a, const char *path, const char *data, size_t len,
                            struct rpt_oscal_catalog *out, struct err *e);

struct rpt_oscal_meta {
    const char *now;  /* ISO 8601 with zone: last-modified and collected times */
    const char *seed; /* UUIDs derive from it and the object's name */
    const char *lang; /* "en" or "sv" */
};

/** The trust services criteria as a catalog: a group per category and
 *  series, a control per criterion with its statement and, as guidance,
 *  its points of focus. */
int rpt_oscal_tsc_catalog(const struct dom_catalog *c, const struct rpt_oscal_meta *m,
                          struct sb *out, struct err *e);

/** An imported framework as a catalog again. */
int rpt_oscal_framework_catalog(const struct rpt_oscal_catalog *c, const struct rpt_oscal_meta *m,
                                struct sb *out, struct err *e);

/** The system security plan: the system, its components, and for every
 *  criterion in scope how it is implemented and by which controls. */
int rpt_oscal_ssp(const struct app_report_data *d, const struct rpt_oscal_meta *m, struct sb *out,
                  struct err *e);

/** Assessment results: the engagement's tests as observations and a
 *  finding per criterion (or, without an engagement, the gap analysis). */
int rpt_oscal_assessment_results(const struct app_report_data *d, const struct rpt_oscal_meta *m,
                                 struct sb *out, struct err *e);

/** The plan of action and milestones: open findings with their
 *  remediation, and criteria still without a working control. */
int rpt_oscal_poam(const struct app_report_data *d, const struct rpt_oscal_meta *m, struct sb *out,
                   struct err *e);

#endif
