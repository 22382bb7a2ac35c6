/* report.h - gathering what the reports are built from.
 *
 * One read of the program (scope, controls, gap analysis) and, when there
 * is one, of an engagement (tests with their samples, findings,
 * remediation), plus the changes of the period from the audit log: the SOC
 * 2 report (report/soc2.h), the OSCAL exports (report/oscal.h) and the
 * workbooks are all built from it.  Reading needs APP_ENG_READ on the
 * engagement.  Everything lives in the caller's arena.
 */
#ifndef TL_APP_REPORT_H
#define TL_APP_REPORT_H

#include "app/engagement.h"
#include "app/gap.h"
#include "app/scope.h"
#include "app/testing.h"
#include "report/soc2.h"

struct app_report_data {
    const struct dom_catalog *catalog;
    struct app_org org;
    struct app_scope scope;
    struct app_control *controls; /* by code */
    size_t n_controls;
    struct gap_result gap;
    const struct app_engagement *eng; /* NULL when there is none */
    struct rpt_soc2_test *tests;      /* with their samples */
    size_t n_tests;
    struct app_finding *findings;
    size_t n_findings;
    struct app_remediation *remediations;
    size_t n_remediations;
    struct rpt_soc2_change *changes; /* DC9: of the Type II period */
    size_t n_changes;
    const char *today; /* YYYY-MM-DD */
};

/** Gathers the data of organization org for engagement slug: NULL picks the
 *  Type I or Type II engagement created last (none is fine), "" means none. */
int app_report_gather(struct app *app, struct arena *a, const struct app_org *org,
                      const struct app_who *who, const char *slug, struct app_report_data *out,
                      struct err *e);

/** The SOC 2 report draft of the gathered data in lang ("en" or "sv"), with
 *  an appendix of every sample item when samples is true. */
int app_report_soc2(struct app *app, struct arena *a, const struct app_report_data *data,
                    const char *lang, bool samples, struct rpt_doc **out, struct err *e);

#endif
