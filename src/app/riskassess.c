/* riskassess.c - the risk matrices and the register's loose ends. */
#include "app/riskassess.h"

#include "app/control.h"
#include "app/risk.h"

#include <string.h>

static void push(struct arena *a, const char ***list, size_t *n, size_t cap, const char *s)
{
    if (!*list)
        *list = arena_calloc(a, cap + 1, sizeof(char *));
    (*list)[(*n)++] = s;
}

static bool control_used(const struct app_risk *risks, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < risks[i].n_controls; k++)
            if (strcmp(risks[i].controls[k], code) == 0)
                return true;
    return false;
}

static void tally(struct app_risk_assessment *out, struct arena *a, const struct app_risk *r,
                  size_t n, const char *today)
{
    out->inherent[r->likelihood - 1][r->impact - 1]++;
    if (r->residual_likelihood && r->residual_impact) {
        out->residual[r->residual_likelihood - 1][r->residual_impact - 1]++;
        out->n_assessed_residual++;
    }
    out->n_fraud += r->is_fraud != 0;
    if (r->n_controls == 0)
        push(a, &out->without_controls, &out->n_without_controls, n, r->code);
    if (r->next_review && strcmp(r->next_review, today) < 0)
        push(a, &out->overdue, &out->n_overdue, n, r->code);
}

int app_risk_assess(struct app *app, struct arena *a, const char *org_id,
                    struct app_risk_assessment *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    struct app_risk *risks;
    struct app_control *controls;
    size_t n_risks, n_controls;
    int rc = app_risk_list(app, a, org_id, &risks, &n_risks, e);
    if (rc == 0)
        rc = app_control_list(app, a, org_id, NULL, &controls, &n_controls, e);
    if (rc)
        return rc;
    char today[DATE_BUF];
    date_format(time_date(app->now), today);
    out->n_risks = n_risks;
    for (size_t i = 0; i < n_risks; i++)
        tally(out, a, &risks[i], n_risks, today);
    for (size_t i = 0; i < n_controls; i++)
        if (!control_used(risks, n_risks, controls[i].code))
            push(a, &out->idle_controls, &out->n_idle_controls, n_controls, controls[i].code);
    out->fraud_missing = out->n_fraud == 0;
    return 0;
}
