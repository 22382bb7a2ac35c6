/* registers.h - the registers auditors work in, as document trees: the
 * control matrix, the risk register and the test workpapers.  Rendered as
 * XLSX they are workbooks with a sheet per table; as PDF, DOCX, HTML or
 * Markdown, documents.  Pure; the input is borrowed and the document lives
 * in arena a.  lang is "en" or "sv".
 */
#ifndef TL_REGISTERS_H
#define TL_REGISTERS_H

#include "app/report.h"
#include "app/risk.h"
#include "app/riskassess.h"
#include "report/doc.h"

/** Every control with its attributes, criteria and the risks it treats. */
struct rpt_doc *rpt_control_matrix(struct arena *a, const struct app_report_data *d,
                                   const struct app_risk *risks, size_t n_risks, const char *lang);

/** The risk register: the inherent and residual matrices and every risk. */
struct rpt_doc *rpt_risk_register(struct arena *a, const char *org_name, const char *date,
                                  const struct app_risk *risks, size_t n_risks,
                                  const struct app_risk_assessment *ra, const char *lang);

/** The test workpapers of the engagement in d: tests, every sample item
 *  with its result, findings and remediation.  A draft until concluded. */
struct rpt_doc *rpt_workpapers(struct arena *a, const struct app_report_data *d, const char *lang);

#endif
