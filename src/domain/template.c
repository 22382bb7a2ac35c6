/* template.c - placeholder rendering for policy text. */
#include "domain/template.h"

#include <stdbool.h>
#include <string.h>

const char *const dom_tpl_org_names[] = {"org.name", "org.legal_name", NULL};
const char *const dom_tpl_policy_names[] = {"policy.owner", "policy.version",
                                            "policy.effective_date", "policy.review", NULL};

/* Longest placeholder text quoted in a message. */
#define TPL_QUOTE_MAX 60

static int line_of(const char *text, const char *pos)
{
    int line = 1;
    for (const char *p = text; p < pos; p++)
        if (*p == '\n')
            line++;
    return line;
}

static const struct dom_tpl_var *find_var(const struct dom_tpl_var *vars, size_t n,
                                          const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
            return &vars[i];
    return NULL;
}

static bool in_keep(const char *const *keep, const char *name, size_t len)
{
    for (size_t i = 0; keep && keep[i]; i++)
        if (strlen(keep[i]) == len && memcmp(keep[i], name, len) == 0)
            return true;
    return false;
}

/* Handles the placeholder starting at open ("{{"); *next receives where
 * scanning resumes. */
static int render_one(const char *text, const char *open, const struct dom_tpl_var *vars,
                      size_t n_vars, const char *const *keep, struct sb *out, const char **next,
                      struct err *e)
{
    size_t line_len = strcspn(open, "\n");
    const char *close = strstr(open + 2, "}}");
    if (!close || close > open + line_len) {
        int n = line_len > TPL_QUOTE_MAX ? TPL_QUOTE_MAX : (int)line_len;
        return ERR_SET(e, TL_EINPUT, "unterminated placeholder '%.*s' on line %d", n, open,
                       line_of(text, open));
    }
    const char *name = open + 2, *end = close;
    while (name < end && *name == ' ')
        name++;
    while (end > name && end[-1] == ' ')
        end--;
    size_t len = (size_t)(end - name);
    *next = close + 2;
    const struct dom_tpl_var *v = find_var(vars, n_vars, name, len);
    if (v)
        return v->value ? sb_adds(out, v->value) : 0;
    if (in_keep(keep, name, len))
        return sb_add(out, open, (size_t)(*next - open));
    size_t whole = (size_t)(*next - open);
    int n = whole > TPL_QUOTE_MAX ? TPL_QUOTE_MAX : (int)whole;
    return ERR_SET(e, TL_EINPUT, "unknown placeholder '%.*s' on line %d", n, open,
                   line_of(text, open));
}

int dom_tpl_render(const char *text, const struct dom_tpl_var *vars, size_t n_vars,
                   const char *const *keep, struct sb *out, struct err *e)
{
    const char *p = text;
    for (;;) {
        const char *open = strstr(p, "{{");
        if (!open)
            break;
        int rc = sb_add(out, p, (size_t)(open - p));
        if (rc == 0)
            rc = render_one(text, open, vars, n_vars, keep, out, &p, e);
        if (rc == TL_ETOOBIG)
            return ERR_SET(e, rc, "rendered text is larger than %zu bytes", out->cap);
        if (rc)
            return rc;
    }
    if (sb_adds(out, p))
        return ERR_SET(e, TL_ETOOBIG, "rendered text is larger than %zu bytes", out->cap);
    return 0;
}
