/* riskassess.h - the risk assessment of an organization (CC3.1-CC3.4):
 * the 5x5 matrices of inherent and residual risk and the findings a
 * consultant looks for first.  Results live in the caller's arena. */
#ifndef TL_RISKASSESS_H
#define TL_RISKASSESS_H

#include "app/record.h"

struct app_risk_assessment {
    /* cells[likelihood-1][impact-1]: how many risks sit there */
    int inherent[5][5];
    int residual[5][5];
    size_t n_risks, n_fraud, n_assessed_residual;
    const char **without_controls; /* risks with no linked control (any treatment) */
    size_t n_without_controls;
    const char **idle_controls; /* controls that mitigate no risk */
    size_t n_idle_controls;
    const char **overdue; /* risks whose next review date has passed */
    size_t n_overdue;
    bool fraud_missing; /* no fraud risk assessed (CC3.3) */
};

/** Computes the assessment as of the date of app->now. */
int app_risk_assess(struct app *app, struct arena *a, const char *org_id,
                    struct app_risk_assessment *out, struct err *e);

#endif
