/* auth.c - logging in and out, the organization switcher, static files.
 *
 * The login form has no session to bind a CSRF token to, so it uses a
 * double-submit token: a random value in a cookie of its own and in the
 * form, compared on POST.  A cross-site page can make the browser send the
 * cookie but cannot read it to put it in the form.
 */
#include "web/web_impl.h"

#include "base/crypto.h"

#include <stdio.h>
#include <string.h>

static char *random_token(struct arena *a)
{
    unsigned char raw[24];
    crypto_random(raw, sizeof(raw));
    char *hex = arena_alloc(a, 2 * sizeof(raw) + 1);
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return hex;
}

/* Only local paths: "/o/acme", never "//evil.example" or "https://...". */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strchr(next, '\r') ||
        strchr(next, '\n'))
        return "/";
    return next;
}

static int login_page(struct web_req *req, struct web_resp *resp, int status, const char *error,
                      struct err *e)
{
    char *token = random_token(req->a);
    web__cookie(req, resp, WEB_COOKIE_PRELOGIN, token, 3600);
    json_t *d = json_object();
    web__set_str(d, "login_csrf", token);
    web__set_str(d, "next",
                 safe_next(web__q(req, "next") ? web__q(req, "next") : web__f(req, "next")));
    web__set_str(d, "email", web__f(req, "email"));
    if (error)
        web__set_str(d, "error", error);
    int rc = web__page(req, resp, "login", web__t(req, "login.title"), d, e);
    resp->status = status;
    return rc;
}

WEB__HANDLER(web__login_form)
{
    if (req->user) {
        web__redirect(resp, safe_next(web__q(req, "next")));
        return 0;
    }
    return login_page(req, resp, 200, NULL, e);
}

WEB__HANDLER(web__login)
{
    const char *cookie = web_kvs_get(&req->cookies, WEB_COOKIE_PRELOGIN, false);
    const char *form = web__f(req, "csrf");
    if (!cookie || !form || strlen(cookie) != strlen(form) || strlen(cookie) < 32 ||
        crypto_memcmp(cookie, form, strlen(cookie)) != 0) {
        web__error(req, resp, 403, web__t(req, "error.csrf"));
        return 0;
    }
    struct app_login login;
    struct err le = ERR_INIT;
    const char *old = web_kvs_get(&req->cookies, WEB_COOKIE_SESSION, false);
    int rc = app_login(req->app, req->a, web__f(req, "email"), web__f(req, "password"), req->ip,
                       old, &login, &le);
    if (rc == TL_EPERM && login.rate_limited) {
        web_resp_header(resp, "Retry-After", "900");
        return login_page(req, resp, 429, web__t(req, "login.rate_limited"), e);
    }
    if (rc == TL_EPERM)
        return login_page(req, resp, 403, web__t(req, "login.failed"), e);
    if (rc) {
        *e = le;
        return rc;
    }
    web__cookie(req, resp, WEB_COOKIE_PRELOGIN, "", 0);
    web__cookie(req, resp, WEB_COOKIE_SESSION, login.token, -1);
    web__redirect(resp, safe_next(web__f(req, "next")));
    return 0;
}

WEB__HANDLER(web__logout)
{
    int rc = app_logout(req->app, req->session_token, e);
    if (rc)
        return rc;
    web__cookie(req, resp, WEB_COOKIE_SESSION, "", 0);
    web__redirect(resp, "/login");
    return 0;
}

WEB__HANDLER(web__home)
{
    struct app_membership *m;
    size_t n;
    int rc = app_user_memberships(req->app, req->a, req->user->id, &m, &n, e);
    if (rc)
        return rc;
    if (n == 1) {
        web__redirect(resp, web__home_path(req, m[0].org_slug, m[0].role));
        return 0;
    }
    web__redirect(resp, "/orgs");
    return 0;
}

WEB__HANDLER(web__orgs_page)
{
    return web__page(req, resp, "orgs", web__t(req, "orgs.title"), json_object(), e);
}

static const char *media_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const struct {
        const char *ext, *type;
    } types[] = {{".css", "text/css; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".txt", "text/plain; charset=utf-8"},
                 {".woff2", "font/woff2"}};
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

WEB__HANDLER(web__static)
{
    char path[256];
    snprintf(path, sizeof(path), "static/%s", req->params[0]);
    const struct web_file *f = strstr(path, "..") ? NULL : web_site_file(req->site, path);
    if (!f)
        return ERR_SET(e, TL_ENOTFOUND, "no file '%s'", req->params[0]);
    sb_reset(&resp->body);
    sb_add(&resp->body, f->data, f->len);
    resp->content_type = media_type(path);
    web_resp_header(resp, "Cache-Control", "public, max-age=3600");
    return 0;
}

WEB__HANDLER(web__health)
{
    (void)req;
    (void)e;
    resp->content_type = "text/plain; charset=utf-8";
    sb_adds(&resp->body, "ok\n");
    return 0;
}
