/* web_impl.h - what the files of src/web share: the route table, page
 * and API helpers.  Not for use outside src/web (and its unit tests).
 *
 * A handler returns 0 after filling the response, or a TL_E* code with
 * req's error set; the dispatcher then answers with an error page or a
 * problem+json document whose status follows the code (web__status).
 * Everything a handler allocates lives in req->a.
 */
#ifndef TL_WEB_IMPL_H
#define TL_WEB_IMPL_H

#include "web/web.h"

enum web_route_flags {
    WEB_PUBLIC = 1 << 0, /* no login needed */
    WEB_ORG = 1 << 1,    /* the first {param} is an organization slug: app_authz */
    WEB_API = 1 << 2,    /* JSON API: bearer tokens accepted, problem+json errors */
};

struct web_route {
    const char *method;
    const char *pattern; /* "/o/{org}/controls/{code}"; a trailing "*" matches the rest */
    int (*fn)(struct web_req *req, struct web_resp *resp, struct err *e);
    unsigned flags;
    enum app_action action; /* checked with WEB_ORG */
};

/** The route table (router.c), ending with a NULL method. */
extern const struct web_route web__routes[];

/** HTTP status for an error code. */
int web__status(int code);

/* --- JSON helpers (invalid UTF-8 becomes U+FFFD instead of vanishing) --- */

void web__set_str(json_t *o, const char *key, const char *s);
void web__set_int(json_t *o, const char *key, long long v);
void web__set_bool(json_t *o, const char *key, bool v);
json_t *web__str(const char *s);

/* --- responses ------------------------------------------------------------ */

/** Renders page templates/<name>.html inside the layout, with data (taken:
 *  its reference is dropped).  Adds user, org, orgs, csrf, lang, nav. */
int web__page(struct web_req *req, struct web_resp *resp, const char *name, const char *title,
              json_t *data, struct err *e);

/** Sends v (taken) as JSON with status. */
void web__json(struct web_resp *resp, int status, json_t *v);

/** An RFC 9457 problem document. */
void web__problem(struct web_req *req, struct web_resp *resp, int status, const char *detail);

/** A 303 redirect to location (a path on this site). */
void web__redirect(struct web_resp *resp, const char *location);

/** Handles ?format=csv|json for a list page: when asked, writes rows (an
 *  array of objects, borrowed) as CSV with cols, or as JSON,
 *  and returns true.  name is the download's file name without extension. */
bool web__export(struct web_req *req, struct web_resp *resp, const json_t *rows,
                 const char *const *cols, const char *name);

/** Sets a cookie: Path=/, HttpOnly, SameSite=Lax, Secure when the client
 *  sees https; max_age 0 deletes it, -1 makes it a session cookie. */
void web__cookie(struct web_req *req, struct web_resp *resp, const char *name,
                 const char *value, long max_age);

/** An HTML error page (or problem+json for the API) with status. */
void web__error(struct web_req *req, struct web_resp *resp, int status, const char *detail);

/** A query parameter, or NULL when absent or empty. */
const char *web__q(const struct web_req *req, const char *key);

/** A form field, or NULL when absent. */
const char *web__f(const struct web_req *req, const char *key);

/** A UI string by dotted key in the request's language (the key when missing). */
const char *web__t(const struct web_req *req, const char *key);

/* --- handlers ------------------------------------------------------------- */

#define WEB__HANDLER(name) int name(struct web_req *req, struct web_resp *resp, struct err *e)

/* auth.c */
WEB__HANDLER(web__login_form);
WEB__HANDLER(web__login);
WEB__HANDLER(web__logout);
WEB__HANDLER(web__home);
WEB__HANDLER(web__orgs_page);
WEB__HANDLER(web__static);
WEB__HANDLER(web__health);

/* pages.c */
WEB__HANDLER(web__dashboard);
WEB__HANDLER(web__criteria_page);
WEB__HANDLER(web__criterion_page);
WEB__HANDLER(web__audit_page);
WEB__HANDLER(web__audit_verify);
WEB__HANDLER(web__controls_page);
WEB__HANDLER(web__control_page);
WEB__HANDLER(web__people_page);

/* registers.c */
WEB__HANDLER(web__vendors_page);
WEB__HANDLER(web__risks_page);
WEB__HANDLER(web__policies_page);
WEB__HANDLER(web__policy_page);
WEB__HANDLER(web__api_vendors);
WEB__HANDLER(web__api_risks);
WEB__HANDLER(web__api_policies);
WEB__HANDLER(web__api_policy);

/* api.c */
WEB__HANDLER(web__api_me);
WEB__HANDLER(web__api_orgs);
WEB__HANDLER(web__api_org);
WEB__HANDLER(web__api_criteria);
WEB__HANDLER(web__api_criterion);
WEB__HANDLER(web__api_audit);
WEB__HANDLER(web__api_audit_verify);
WEB__HANDLER(web__api_controls);
WEB__HANDLER(web__api_control);
WEB__HANDLER(web__api_people);

/* Data builders shared by pages and the API (one source for both). */
int web__criteria_rows(struct web_req *req, const char *category, json_t **rows,
                       struct err *e);
int web__audit_rows(struct web_req *req, json_t **rows, struct err *e);
int web__audit_check(struct web_req *req, json_t **result, struct err *e);
int web__control_rows(struct web_req *req, json_t **rows, struct err *e);
int web__control_detail(struct web_req *req, const char *code, json_t **out, struct err *e);
int web__people_rows(struct web_req *req, json_t **rows, struct err *e);
int web__vendor_rows(struct web_req *req, json_t **rows, struct err *e);
int web__risk_rows(struct web_req *req, json_t **rows, struct err *e);
int web__policy_rows(struct web_req *req, json_t **rows, struct err *e);
int web__policy_detail(struct web_req *req, const char *slug, bool html, json_t **out,
                       struct err *e);

#endif
