/* http.c - requests and responses: parameters, cookies, JSON, exports. */
#include "web/web_impl.h"

#include "base/js.h"
#include "base/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void web_kvs_add(struct web_kvs *kv, struct arena *a, const char *key, const char *value)
{
    if (kv->n == kv->cap) {
        size_t cap = kv->cap ? kv->cap * 2 : 16;
        struct web_kv *items = arena_calloc(a, cap, sizeof(*items));
        if (kv->n)
            memcpy(items, kv->items, kv->n * sizeof(*items));
        kv->items = items;
        kv->cap = cap;
    }
    kv->items[kv->n].key = arena_strdup(a, key);
    kv->items[kv->n].value = arena_strdup(a, value ? value : "");
    kv->n++;
}

const char *web_kvs_get(const struct web_kvs *kv, const char *key, bool nocase)
{
    for (size_t i = 0; i < kv->n; i++)
        if (nocase ? strcasecmp(kv->items[i].key, key) == 0 : strcmp(kv->items[i].key, key) == 0)
            return kv->items[i].value;
    return NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes %XX and '+' of s[0..n) into a new string in a.  A NUL byte
 * (%00) ends the value: nothing downstream expects one inside text. */
static char *url_decode(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
                   hexval((unsigned char)s[i + 2]) >= 0) {
            c = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        }
        if (c == '\0')
            break;
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

int web_parse_form(struct web_kvs *kv, struct arena *a, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && s[i] != '&')
            i++;
        size_t end = i++;
        if (end == start)
            continue;
        if (kv->n >= WEB_PARAMS_MAX)
            return TL_ETOOBIG;
        const char *eq = memchr(s + start, '=', end - start);
        size_t klen = eq ? (size_t)(eq - (s + start)) : end - start;
        const char *key = url_decode(a, s + start, klen);
        const char *val = eq ? url_decode(a, eq + 1, (size_t)(s + end - (eq + 1))) : "";
        web_kvs_add(kv, a, key, val);
    }
    return 0;
}

void web_parse_cookies(struct web_kvs *kv, struct arena *a, const char *header)
{
    const char *p = header;
    while (p && *p && kv->n < WEB_PARAMS_MAX) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq) {
            char *key = arena_strndup(a, p, (size_t)(eq - p));
            char *val = arena_strndup(a, eq + 1, n - (size_t)(eq - p) - 1);
            /* trim trailing blanks of the name and quotes of the value */
            for (size_t k = strlen(key); k > 0 && key[k - 1] == ' '; k--)
                key[k - 1] = '\0';
            size_t vl = strlen(val);
            if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
                val[vl - 1] = '\0';
                val++;
            }
            web_kvs_add(kv, a, key, val);
        }
        p = end;
    }
}

void web_url_encode(struct sb *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            sb_addc(sb, (char)*p);
        else
            sb_addf(sb, "%%%02X", *p);
    }
}

void web_resp_init(struct web_resp *r, struct arena *a)
{
    memset(r, 0, sizeof(*r));
    r->status = 200;
    r->content_type = "text/html; charset=utf-8";
    sb_init(&r->body);
    r->a = a;
    r->file_fd = -1;
}

void web_resp_release(struct web_resp *r)
{
    sb_release(&r->body);
    if (r->file_fd >= 0)
        close(r->file_fd);
    r->file_fd = -1;
}

void web_resp_header(struct web_resp *r, const char *name, const char *value)
{
    web_kvs_add(&r->headers, r->a, name, value);
}

int web__status(int code)
{
    switch (code) {
    case TL_OK:
        return 200;
    case TL_EUSAGE:
    case TL_EINPUT:
        return 400;
    case TL_EPERM:
        return 403;
    case TL_ENOTFOUND:
        return 404;
    case TL_EEXIST:
    case TL_ECONFLICT:
        return 409;
    case TL_ETOOBIG:
        return 413;
    case TL_EUNSUPPORTED:
        return 501;
    default:
        return 500;
    }
}

/* --- JSON ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = (p[0] & 0xe0) == 0xc0   ? 2
               : (p[0] & 0xf0) == 0xe0 ? 3
               : (p[0] & 0xf8) == 0xf0 ? 4
                                       : 0;
    if (n == 0 || (n == 2 && p[0] < 0xc2) || (n == 4 && p[0] > 0xf4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
        return 0;
    if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
        return 0;
    return n;
}

json_t *web__str(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (v)
        return v;
    struct sb sb = SB_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0) {
            sb_adds(&sb, "\xef\xbf\xbd");
            p++;
        } else {
            sb_add(&sb, p, n);
            p += n;
        }
    }
    v = json_string(sb.buf);
    sb_release(&sb);
    return v ? v : json_string("");
}

void web__set_str(json_t *o, const char *key, const char *s)
{
    json_object_set_new(o, key, web__str(s));
}

void web__set_int(json_t *o, const char *key, long long v)
{
    json_object_set_new(o, key, json_integer(v));
}

void web__set_bool(json_t *o, const char *key, bool v)
{
    json_object_set_new(o, key, json_boolean(v));
}

void web__json(struct web_resp *resp, int status, json_t *v)
{
    resp->status = status;
    resp->content_type = "application/json";
    sb_reset(&resp->body);
    js_dump(&resp->body, v, 1);
    sb_addc(&resp->body, '\n');
    json_decref(v);
}

static const char *status_title(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

void web__problem(struct web_req *req, struct web_resp *resp, int status, const char *detail)
{
    (void)req;
    json_t *o = json_object();
    web__set_str(o, "type", "about:blank");
    web__set_str(o, "title", status_title(status));
    web__set_int(o, "status", status);
    if (detail)
        web__set_str(o, "detail", detail);
    web__json(resp, status, o);
    resp->content_type = "application/problem+json";
}

void web__redirect(struct web_resp *resp, const char *location)
{
    resp->status = 303;
    web_resp_header(resp, "Location", location);
    sb_reset(&resp->body);
}

const char *web__q(const struct web_req *req, const char *key)
{
    const char *v = web_kvs_get(&req->query, key, false);
    return v && *v ? v : NULL;
}

const char *web__f(const struct web_req *req, const char *key)
{
    return web_kvs_get(&req->form, key, false);
}

static void csv_value(struct sb *sb, const json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        /* A cell starting with = + - @ would be a formula in a spreadsheet:
         * prefix it with a quote (OWASP CSV injection). */
        if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r') {
            char *q = xmalloc(strlen(s) + 2);
            q[0] = '\'';
            memcpy(q + 1, s, strlen(s) + 1);
            sb_add_csv(sb, q);
            free(q);
        } else {
            sb_add_csv(sb, s);
        }
    } else if (json_is_integer(v)) {
        sb_addf(sb, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        sb_addf(sb, "%g", json_real_value(v));
    } else if (json_is_boolean(v)) {
        sb_adds(sb, json_is_true(v) ? "true" : "false");
    } else if (json_is_array(v)) {
        size_t i;
        json_t *it;
        struct sb joined = SB_INIT;
        json_array_foreach(v, i, it)
        {
            if (json_is_string(it))
                sb_addf(&joined, "%s%s", i ? ";" : "", json_string_value(it));
        }
        sb_add_csv(sb, joined.buf);
        sb_release(&joined);
    }
}

void web__download(struct web_req *req, struct web_resp *resp, const char *type, const char *name,
                   const char *ext)
{
    char disp[200];
    /* Names are slugs and our own words: nothing to quote in them. */
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s.%s\"",
             req->org.slug ? req->org.slug : "tillit", name, ext);
    resp->status = 200;
    resp->content_type = type;
    web_resp_header(resp, "Content-Disposition", disp);
}

const char *web__filter_query(struct web_req *req, const char *const *keys)
{
    struct sb qs = SB_INIT;
    for (size_t i = 0; keys[i]; i++) {
        const char *v = web__q(req, keys[i]);
        if (!v)
            continue;
        sb_addf(&qs, "&%s=", keys[i]);
        web_url_encode(&qs, v);
    }
    char *out = arena_strdup(req->a, qs.buf);
    sb_release(&qs);
    return out;
}

bool web__export(struct web_req *req, struct web_resp *resp, const json_t *rows,
                 const char *const *cols, const char *name)
{
    const char *format = web__q(req, "format");
    if (!format ||
        (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0))
        return false;
    sb_reset(&resp->body);
    if (strcmp(format, "xlsx") == 0) {
        struct err e = ERR_INIT;
        if (web__xlsx(rows, cols, name, &resp->body, &e) != 0) {
            if (req->site && req->site->cfg)
                log_msg(req->site->cfg->log, LOG_ERROR, "xlsx export: %s", e.msg);
            web__error(req, resp, 500, web__t(req, "error.internal"));
            return true;
        }
        web__download(req, resp,
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
                      "xlsx");
        return true;
    }
    if (strcmp(format, "json") == 0) {
        js_dump(&resp->body, rows, 1);
        sb_addc(&resp->body, '\n');
        web__download(req, resp, "application/json", name, "json");
        return true;
    }
    for (size_t c = 0; cols[c]; c++) {
        if (c)
            sb_addc(&resp->body, ',');
        sb_add_csv(&resp->body, cols[c]);
    }
    sb_adds(&resp->body, "\r\n");
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (size_t c = 0; cols[c]; c++) {
            if (c)
                sb_addc(&resp->body, ',');
            csv_value(&resp->body, json_object_get(row, cols[c]));
        }
        sb_adds(&resp->body, "\r\n");
    }
    web__download(req, resp, "text/csv; charset=utf-8", name, "csv");
    return true;
}
