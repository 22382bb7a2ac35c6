/* api.c - the JSON API under /api/v1 (docs/openapi.yaml).
 *
 * The same row builders as the pages, so the API and the pages agree on
 * what a user may see; authorization already happened in the router
 * (app_authz) before any of these run.  Lists are arrays of objects.
 */
#include "web/web_impl.h"

WEB__HANDLER(web__api_me)
{
    struct app_membership *m;
    size_t n;
    int rc = app_user_memberships(req->app, req->a, req->user->id, &m, &n, e);
    if (rc)
        return rc;
    json_t *o = json_object(), *orgs = json_array();
    web__set_str(o, "email", req->user->email);
    web__set_str(o, "name", req->user->name);
    web__set_str(o, "language", req->user->language);
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_object();
        web__set_str(x, "slug", m[i].org_slug);
        web__set_str(x, "role", m[i].role);
        json_array_append_new(orgs, x);
    }
    json_object_set_new(o, "memberships", orgs);
    web__json(resp, 200, o);
    return 0;
}

WEB__HANDLER(web__api_orgs)
{
    struct app_membership *m;
    size_t n;
    int rc = app_user_memberships(req->app, req->a, req->user->id, &m, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_object();
        web__set_str(x, "slug", m[i].org_slug);
        web__set_str(x, "name", m[i].org_name);
        web__set_str(x, "role", m[i].role);
        json_array_append_new(arr, x);
    }
    web__json(resp, 200, arr);
    return 0;
}

WEB__HANDLER(web__api_org)
{
    (void)e;
    const struct app_org *o = &req->org;
    json_t *j = json_object();
    web__set_str(j, "slug", o->slug);
    web__set_str(j, "name", o->name);
    web__set_str(j, "legal_name", o->legal_name);
    web__set_str(j, "description", o->description);
    web__set_str(j, "industry", o->industry);
    web__set_str(j, "country", o->country);
    web__set_str(j, "language", o->language);
    web__set_str(j, "role", req->role);
    web__json(resp, 200, j);
    return 0;
}

/* Sends rows (taken) or fails with rc. */
static int send_rows(struct web_resp *resp, int rc, json_t *rows)
{
    if (rc == 0)
        web__json(resp, 200, rows);
    return rc;
}

WEB__HANDLER(web__api_criteria)
{
    json_t *rows = NULL;
    int rc = web__criteria_rows(req, web__q(req, "category"), &rows, e);
    return send_rows(resp, rc, rows);
}

WEB__HANDLER(web__api_controls)
{
    json_t *rows = NULL;
    int rc = web__control_rows(req, &rows, e);
    return send_rows(resp, rc, rows);
}

WEB__HANDLER(web__api_control)
{
    json_t *c = NULL;
    return web__send_record(resp, web__control_detail(req, req->params[1], &c, e), &c);
}

WEB__HANDLER(web__api_people)
{
    json_t *rows = NULL;
    int rc = web__people_rows(req, &rows, e);
    return send_rows(resp, rc, rows);
}

WEB__HANDLER(web__api_audit)
{
    json_t *rows = NULL;
    int rc = web__audit_rows(req, &rows, e);
    return send_rows(resp, rc, rows);
}

WEB__HANDLER(web__api_audit_verify)
{
    json_t *v = NULL;
    int rc = web__audit_check(req, &v, e);
    return send_rows(resp, rc, v);
}
