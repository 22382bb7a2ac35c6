/* soc2.h - the SOC 2 report draft as a document tree.
 *
 * Builds, from what the app layer gathers (app/report.h), the five
 * sections of a SOC 2 report: I a marked placeholder for the service
 * auditor's report; II management's assertion in Type I or Type II
 * wording; III the system description, DC1 to DC9 in order; IV each
 * criterion in scope with its controls and, for Type II, the tests, sample
 * sizes, results and exceptions; V other information (management's
 * responses).  Every sentence comes from content/report/soc2.yaml (English
 * and Swedish, in Tillit's own words); a missing key or an unknown
 * placeholder there fails the build of the report, naming it.
 *
 * A report whose engagement is missing or not concluded is a draft: the
 * DRAFT mark on every page and a list of its open items up front.
 *
 * Pure: no I/O.  The input is borrowed; the document lives in arena a.
 */
#ifndef TL_SOC2_H
#define TL_SOC2_H

#include "app/gap.h"
#include "app/scope.h"
#include "app/testing.h"
#include "report/doc.h"

/** One test with its sample (samples may be NULL when not asked for). */
struct rpt_soc2_test {
    const struct app_test *test;
    const struct app_sample_item *samples;
    size_t n_samples;
};

/** A change to the system during the period (DC9), from the audit log. */
struct rpt_soc2_change {
    const char *date, *what, *object;
};

struct rpt_soc2_in {
    const char *lang; /* "en" or "sv" */
    const char *date; /* today, YYYY-MM-DD: the as-of date when there is no engagement */
    const char *templates_path, *templates; /* content/report/soc2.yaml */
    size_t templates_len;
    const struct app_org *org;
    const struct dom_catalog *catalog;
    const struct app_scope *scope;
    const struct app_control *controls; /* sorted by code */
    size_t n_controls;
    const struct gap_result *gap;
    const struct app_engagement *eng; /* NULL: none yet (a Type I draft as of date) */
    const struct rpt_soc2_test *tests;
    size_t n_tests;
    const struct app_finding *findings;
    size_t n_findings;
    const char *const *incidents; /* DC4, one description each; none yet in the model */
    size_t n_incidents;
    const struct rpt_soc2_change *changes; /* DC9 */
    size_t n_changes;
    bool samples; /* add an appendix listing every sample item and its result */
};

/** Builds the report.  Fails (TL_EINPUT, naming the file and key) when the
 *  text templates are broken. */
int rpt_soc2(struct arena *a, const struct rpt_soc2_in *in, struct rpt_doc **out, struct err *e);

#endif
