/* readiness.h - the gap and readiness report as a document tree.
 *
 * Builds, from a gap result, the document a consultant sends a client:
 * scores overall and per category, COSO component and series (as bar
 * charts), the gap list, and suggested controls.  Memory in the doc's arena.
 */
#ifndef TL_READINESS_H
#define TL_READINESS_H

#include "app/gap.h"
#include "report/doc.h"

/** Builds the readiness report for organization org_name in lang. */
struct rpt_doc *rpt_readiness(struct arena *a, const struct dom_catalog *c,
                              const struct gap_result *g, const char *org_name,
                              const char *date, const char *lang,
                              const struct app_suggestion *sugg, size_t n_sugg);

#endif
