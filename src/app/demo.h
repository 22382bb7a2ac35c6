/* demo.h - the demo organization: a Swedish SaaS company with a complete
 * program, loaded from content/demo/demo.yaml through the same app
 * functions a user's commands call (so every record is validated and
 * audited).  Deterministic: the same content gives the same program. */
#ifndef TL_APP_DEMO_H
#define TL_APP_DEMO_H

#include "app/record.h"

struct app_demo_counts {
    size_t people, controls, risks, policies, vendors;
};

/** Creates the demo organization, under slug when non-NULL (several demos can
 *  live side by side, e.g. for benchmarks). All or nothing, in one transaction. */
int app_demo_create(struct app *app, struct arena *a, const char *slug,
                    struct app_demo_counts *counts, const char **created_slug, struct err *e);

#endif
