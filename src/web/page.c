/* page.c - the frame of every HTML page: layout, navigation, UI strings. */
#include "web/web_impl.h"

#include <stdio.h>
#include <string.h>

const char *web__t(const struct web_req *req, const char *key)
{
    const json_t *v = req->site ? web_site_strings(req->site, req->lang) : NULL;
    char seg[128];
    const char *p = key;
    while (v && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof(seg))
            return key;
        memcpy(seg, p, n);
        seg[n] = '\0';
        v = json_object_get(v, seg);
        p = dot ? dot + 1 : p + n;
    }
    return json_is_string(v) ? json_string_value(v) : key;
}

const char *web__label(struct web_req *req, const char *group, const char *value)
{
    return web__t(req, arena_printf(req->a, "%s.%s", group, value ? value : ""));
}

const char *web__enc(struct web_req *req, const char *s)
{
    struct sb sb = SB_INIT;
    web_url_encode(&sb, s ? s : "");
    char *out = arena_strdup(req->a, sb.buf);
    sb_release(&sb);
    return out;
}

const char *web__org_path(struct web_req *req, const char *suffix)
{
    return arena_printf(req->a, "/o/%s%s", web__enc(req, req->org.slug), suffix ? suffix : "");
}

const char *web__next(struct web_req *req, const char *dflt)
{
    const char *next = web__f(req, "next");
    const char *prefix = web__org_path(req, "");
    size_t n = strlen(prefix);
    if (!next || strncmp(next, prefix, n) != 0 || (next[n] != '/' && next[n] != '?' && next[n]) ||
        strstr(next, "//") || strchr(next, '\\') || strchr(next, '\r') || strchr(next, '\n'))
        return dflt;
    return next;
}

const char *web__done(struct web_req *req, const char *path, const char *key)
{
    /* a previous message does not stay in the address */
    char *p = arena_strdup(req->a, path);
    char *old = strstr(p, "done=");
    if (old && (old[-1] == '?' || old[-1] == '&'))
        old[-1] = '\0';
    return arena_printf(req->a, "%s%sdone=%s", p, strchr(p, '?') ? "&" : "?", key);
}

const char *web__nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

int web__input_error(int rc, struct err *e)
{
    if (rc != TL_ENOTFOUND)
        return rc;
    char msg[sizeof(e->msg)];
    snprintf(msg, sizeof(msg), "%s", e->msg);
    return ERR_SET(e, TL_EINPUT, "%s", msg);
}

int web__send(struct web_resp *resp, int rc, json_t *const *rows)
{
    if (rc == 0)
        web__json(resp, 200, *rows);
    return rc;
}

const char *web__home_path(struct web_req *req, const char *slug, const char *role)
{
    /* An auditor has no dashboard: their organization opens on its engagements. */
    return arena_printf(req->a, "/o/%s%s", web__enc(req, slug),
                        app_role_allows(role, APP_READ) ? "" : "/engagements");
}

/* The organization switcher: the user's memberships, the current one marked. */
static int add_orgs(struct web_req *req, json_t *d, struct err *e)
{
    struct app_membership *m;
    size_t n;
    int rc = app_user_memberships(req->app, req->a, req->user->id, &m, &n, e);
    if (rc)
        return rc;
    json_t *orgs = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        web__set_str(o, "slug", m[i].org_slug);
        web__set_str(o, "name", m[i].org_name);
        web__set_str(o, "role", m[i].role);
        web__set_str(o, "home", web__home_path(req, m[i].org_slug, m[i].role));
        web__set_str(o, "role_label", web__t(req, arena_printf(req->a, "role.%s", m[i].role)));
        web__set_bool(o, "current", req->org.id && strcmp(req->org.id, m[i].org_id) == 0);
        json_array_append_new(orgs, o);
    }
    json_object_set_new(d, "orgs", orgs);
    web__set_bool(d, "several_orgs", n > 1);
    return 0;
}

static void add_lang_links(struct web_req *req, json_t *d)
{
    json_t *langs = json_array();
    static const char *const codes[] = {"en", "sv"};
    for (size_t i = 0; i < 2; i++) {
        json_t *l = json_object();
        struct sb url = SB_INIT;
        sb_adds(&url, req->path);
        sb_addf(&url, "?lang=%s", codes[i]);
        web__set_str(l, "code", codes[i]);
        web__set_str(l, "name", web__t(req, arena_printf(req->a, "lang.%s", codes[i])));
        web__set_str(l, "url", url.buf);
        web__set_bool(l, "current", strcmp(req->lang, codes[i]) == 0);
        json_array_append_new(langs, l);
        sb_release(&url);
    }
    json_object_set_new(d, "langs", langs);
}

int web__page(struct web_req *req, struct web_resp *resp, const char *name, const char *title,
              json_t *data, struct err *e)
{
    int rc = 0;
    web__set_str(data, "lang", req->lang);
    web__set_str(data, "title", title);
    web__set_str(data, "page", name);
    json_object_set_new(data, arena_printf(req->a, "nav_%s", name), json_true());
    /* A form or record page highlights its section: /o/<org>/<section>/... */
    if (req->org.slug && strncmp(req->path, "/o/", 3) == 0) {
        const char *seg = strchr(req->path + 3, '/');
        if (seg) {
            seg++;
            size_t n = strcspn(seg, "/?");
            const char *section = arena_strndup(req->a, seg, n);
            if (strcmp(section, "library") == 0)
                section = "controls";
            else if (strcmp(section, "readiness") == 0)
                section = "gap";
            if (*section)
                json_object_set_new(data, arena_printf(req->a, "nav_%s", section), json_true());
        }
    }
    if (req->user) {
        json_t *u = json_object();
        web__set_str(u, "email", req->user->email);
        web__set_str(u, "name", *req->user->name ? req->user->name : req->user->email);
        json_object_set_new(data, "user", u);
        rc = add_orgs(req, data, e);
    }
    if (req->session)
        web__set_str(data, "csrf", req->session->csrf);
    if (req->org.id) {
        json_t *o = json_object();
        web__set_str(o, "slug", req->org.slug);
        web__set_str(o, "name", req->org.name);
        json_object_set_new(data, "org", o);
        json_t *can = json_object();
        /* An auditor reads engagements only: the program's navigation hides. */
        web__set_bool(can, "read", app_role_allows(req->role, APP_READ));
        web__set_bool(can, "edit", app_role_allows(req->role, APP_EDIT));
        web__set_bool(can, "contribute", app_role_allows(req->role, APP_CONTRIBUTE));
        web__set_bool(can, "admin", app_role_allows(req->role, APP_ADMIN));
        web__set_bool(can, "workpaper", app_role_allows(req->role, APP_WORKPAPER));
        json_object_set_new(data, "can", can);
        web__set_str(data, "role_label", web__t(req, arena_printf(req->a, "role.%s", req->role)));
    }
    add_lang_links(req, data);
    /* After a redirect, the status message the form asked for. */
    const char *done = web__q(req, "done");
    if (done) {
        const char *key = arena_printf(req->a, "done.%s", done);
        const char *msg = web__t(req, key);
        if (strcmp(msg, key) != 0)
            web__set_str(data, "flash", msg);
    }
    web__set_str(data, "search_q", web__q(req, "q"));
    struct web_tmpl_env env = {req->site, web_site_strings(req->site, req->lang)};
    struct sb body = SB_INIT;
    if (rc == 0)
        rc = web_tmpl_render(&env, name, data, &body, e);
    if (rc == 0) {
        json_object_set_new(data, "body", web__str(body.buf));
        sb_reset(&resp->body);
        rc = web_tmpl_render(&env, "layout", data, &resp->body, e);
    }
    sb_release(&body);
    json_decref(data);
    resp->content_type = "text/html; charset=utf-8";
    return rc;
}
