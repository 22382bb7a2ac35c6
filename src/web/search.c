/* search.c - the search box: controls, policies, risks and evidence by
 * code, title or text (app_search), as a page, an export and the API. */
#include "web/web_impl.h"

#include "app/search.h"

#include <string.h>

#define SEARCH_PER_KIND 50

static const char *const search_cols[] = {"kind", "key", "title", "snippet", NULL};

static const char *hit_path(struct web_req *req, const struct app_search_hit *h)
{
    const char *where = strcmp(h->kind, "control") == 0  ? "controls"
                        : strcmp(h->kind, "policy") == 0 ? "policies"
                        : strcmp(h->kind, "risk") == 0   ? "risks"
                                                         : "evidence";
    return web__org_path(req, arena_printf(req->a, "/%s/%s", where, web__enc(req, h->key)));
}

static int search_rows(struct web_req *req, json_t **rows, struct err *e)
{
    struct app_search_hit *h;
    size_t n;
    int rc =
        app_search(req->app, req->a, req->org.id, web__q(req, "q"), SEARCH_PER_KIND, &h, &n, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        web__set_str(o, "kind", h[i].kind);
        web__set_str(o, "kind_label", web__label(req, "search.kind", h[i].kind));
        web__set_str(o, "key", h[i].key);
        web__set_str(o, "title", h[i].title);
        web__set_str(o, "snippet", h[i].snippet);
        web__set_str(o, "href", hit_path(req, &h[i]));
        json_array_append_new(arr, o);
    }
    *rows = arr;
    return 0;
}

WEB__HANDLER(web__search_page)
{
    json_t *d = json_object(), *rows = NULL;
    const char *q = web__q(req, "q");
    web__set_str(d, "q", q);
    if (q) {
        struct err se = ERR_INIT;
        int rc = search_rows(req, &rows, &se);
        if (rc == TL_EINPUT) {
            web__set_str(d, "q_error", se.msg);
            rc = web__page(req, resp, "search", web__t(req, "search.title"), d, e);
            resp->status = 400;
            return rc;
        }
        if (rc) {
            json_decref(d);
            *e = se;
            return rc;
        }
        if (web__export(req, resp, rows, search_cols, "search")) {
            json_decref(rows);
            json_decref(d);
            return 0;
        }
        web__set_int(d, "count", (long long)json_array_size(rows));
        web__set_bool(d, "searched", true);
        static const char *const keys[] = {"q", NULL};
        web__set_str(d, "filter_query", web__filter_query(req, keys));
        json_object_set_new(d, "hits", rows);
    }
    return web__page(req, resp, "search", web__t(req, "search.title"), d, e);
}

WEB__HANDLER(web__api_search)
{
    json_t *rows = NULL;
    return web__send(resp, search_rows(req, &rows, e), &rows);
}
