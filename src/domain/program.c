/* program.c - enumerations and model rules. */
#include "domain/program.h"

#include "base/sb.h"

#include <ctype.h>
#include <string.h>

const char *const dom_categories[] = {"security", "availability", "processing-integrity",
                                      "confidentiality", "privacy", NULL};
const char *const dom_frequencies[] = {"continuous", "multiple-daily", "daily",
                                       "weekly", "monthly", "quarterly",
                                       "semi-annual", "annual", "event-driven", NULL};
const char *const dom_natures[] = {"preventive", "detective", "corrective", NULL};
const char *const dom_control_types[] = {"manual", "automated", "it-dependent-manual", NULL};
const char *const dom_statuses[] = {"not-started", "designed", "implemented", "operating", NULL};
const char *const dom_treatments[] = {"mitigate", "accept", "transfer", "avoid", NULL};
const char *const dom_criticalities[] = {"low", "medium", "high", "critical", NULL};
const char *const dom_component_kinds[] = {"infrastructure", "software", "people",
                                           "procedures", "data", NULL};
const char *const dom_sub_methods[] = {"carve-out", "inclusive", NULL};
const char *const dom_reviews[] = {"quarterly", "semi-annual", "annual", NULL};
const char *const dom_languages[] = {"en", "sv", NULL};

int dom_enum_index(const char *const *list, const char *value)
{
    for (int i = 0; value && list[i]; i++)
        if (strcmp(list[i], value) == 0)
            return i;
    return -1;
}

int dom_enum_check(const char *const *list, const char *value, const char *what, struct err *e)
{
    if (dom_enum_index(list, value) >= 0)
        return 0;
    struct sb sb = SB_INIT;
    for (int i = 0; list[i]; i++)
        sb_addf(&sb, "%s%s", i ? ", " : "", list[i]);
    ERR_SET(e, TL_EINPUT, "unknown %s \"%s\" (expected one of: %s)", what, value ? value : "",
            sb.buf);
    sb_release(&sb);
    return TL_EINPUT;
}

int dom_slug_check(const char *slug, const char *what, struct err *e)
{
    size_t n = strlen(slug);
    bool ok = n >= 1 && n <= 64 && slug[0] != '-';
    for (size_t i = 0; ok && i < n; i++)
        ok = (slug[i] >= 'a' && slug[i] <= 'z') || (slug[i] >= '0' && slug[i] <= '9') ||
             slug[i] == '-';
    if (!ok)
        return ERR_SET(e, TL_EINPUT,
                       "invalid %s '%s' (use 1-64 lowercase letters, digits and dashes)", what,
                       slug);
    return 0;
}

int dom_code_check(const char *code, const char *what, struct err *e)
{
    size_t n = strlen(code);
    bool ok = n >= 1 && n <= 32;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)code[i]) || strchr("._-", code[i]);
    if (!ok)
        return ERR_SET(e, TL_EINPUT,
                       "invalid %s '%s' (use 1-32 letters, digits, dots, dashes, underscores)",
                       what, code);
    return 0;
}

int dom_email_check(const char *email, struct err *e)
{
    const char *at = strchr(email, '@');
    bool ok = at && at != email && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
              !strpbrk(email, " \t\r\n,;<>") && strlen(email) <= 254 &&
              at[strlen(at) - 1] != '.';
    if (!ok)
        return ERR_SET(e, TL_EINPUT, "invalid email address '%s'", email);
    return 0;
}

int dom_risk_score(int likelihood, int impact)
{
    return likelihood * impact;
}

const char *dom_risk_band(int score)
{
    if (score >= 17)
        return "critical";
    if (score >= 10)
        return "high";
    if (score >= 5)
        return "medium";
    return "low";
}

int dom_risk_check(const char *code, int likelihood, int impact, const char *treatment,
                   int residual_likelihood, int residual_impact, size_t n_controls,
                   struct err *e)
{
    if (likelihood < 1 || likelihood > 5 || impact < 1 || impact > 5)
        return ERR_SET(e, TL_EINPUT, "risk '%s': likelihood and impact must be 1 to 5", code);
    int rc = dom_enum_check(dom_treatments, treatment, "treatment", e);
    if (rc)
        return rc;
    if ((residual_likelihood == 0) != (residual_impact == 0))
        return ERR_SET(e, TL_EINPUT,
                       "risk '%s': give both residual likelihood and residual impact, or neither",
                       code);
    if (residual_likelihood &&
        (residual_likelihood < 1 || residual_likelihood > 5 || residual_impact < 1 ||
         residual_impact > 5))
        return ERR_SET(e, TL_EINPUT, "risk '%s': residual values must be 1 to 5", code);
    if (residual_likelihood &&
        dom_risk_score(residual_likelihood, residual_impact) > dom_risk_score(likelihood, impact))
        return ERR_SET(e, TL_EINPUT, "risk '%s': residual score %d exceeds inherent score %d",
                       code, dom_risk_score(residual_likelihood, residual_impact),
                       dom_risk_score(likelihood, impact));
    if (strcmp(treatment, "mitigate") == 0 && n_controls == 0)
        return ERR_SET(e, TL_EINPUT,
                       "risk '%s': treatment 'mitigate' needs at least one linked control", code);
    return 0;
}

int dom_scope_category_check(const char *category, bool in_scope, const char *reason,
                             struct err *e)
{
    int rc = dom_enum_check(dom_categories, category, "category", e);
    if (rc)
        return rc;
    if (strcmp(category, "security") == 0 && !in_scope)
        return ERR_SET(e, TL_EINPUT, "security is always in scope (it holds the common criteria)");
    if (!in_scope && (!reason || !*reason))
        return ERR_SET(e, TL_EINPUT, "category '%s' left out of scope needs a reason", category);
    return 0;
}
