/* web.h - the web face: `tillit serve`, HTML pages and the JSON API.
 *
 * The server (server.c) speaks HTTP through libmicrohttpd; everything
 * behind it works on plain structs: a struct web_req in, a struct
 * web_resp out, through web_handle().  That is what the unit tests drive,
 * without a socket.  Pages and the API are thin: they parse input, call
 * app_* (authorization included: app_authz), and render templates or JSON.
 *
 * Ownership: a request's strings (and everything a handler allocates) live
 * in the request's arena, freed when the response has been sent.  The
 * site (struct web_site: templates, static files, UI strings) is loaded
 * once at start and read-only afterwards, so worker threads share it
 * without locks; only its cache changes, behind its own mutex.  A
 * response owns its body buffer (web_resp_release).
 */
#ifndef TL_WEB_H
#define TL_WEB_H

#include "app/user.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/log.h"
#include "base/sb.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on what a client may send. */
#define WEB_BODY_MAX (1u << 20)           /* form and JSON bodies */
#define WEB_PARAMS_MAX 256                /* query + form fields */
#define WEB_UPLOAD_FIELDS_MAX (64u << 10) /* the text fields of a multipart upload */
#define WEB_UPLOAD_FILES_MAX 20           /* files in one multipart upload */

/* Cookie names. */
#define WEB_COOKIE_SESSION "tillit_session"
#define WEB_COOKIE_PRELOGIN "tillit_pre" /* CSRF double-submit before login */
#define WEB_COOKIE_LANG "tillit_lang"

/* --- configuration and the server --------------------------------------- */

struct web_config {
    const char *db_url;
    const char *content_dir; /* --content DIR or NULL */
    const char *listen;      /* "127.0.0.1:8080"; port 0 picks a free one */
    int threads;             /* worker threads = database connections */
    int max_seconds;         /* stop after this long; 0 = until SIGINT/SIGTERM */
    bool tls_proxy;          /* behind a TLS proxy: Secure cookies, X-Forwarded-* trusted */
    const char *now;         /* pinned clock for tests (TILLIT_NOW) or NULL */
    const struct tl_log *log;
    /* Called once listening, with the URL (e.g. to print it). */
    void (*on_listen)(void *ud, const char *url);
    void *ud;
};

/** Serves until a signal or max_seconds; returns 0 after a clean stop. */
int web_serve(const struct web_config *cfg, struct err *e);

/* --- the site: what every request reads ---------------------------------- */

struct web_file {
    const char *path; /* relative to content/, e.g. "templates/layout.html" */
    const char *data;
    size_t len;
};

struct web_site {
    struct arena arena;
    const struct web_config *cfg;
    struct web_file *files; /* templates/ and static/, sorted by path */
    size_t n_files;
    json_t *strings_en, *strings_sv; /* content/i18n/<lang>.yaml as JSON objects */
    /* Rendered bytes kept between requests (web/cache.h: thread-safe, owned
     * by the site); the one part of the site that changes while serving. */
    struct web_cache *cache;
};

/** Loads templates, static files and UI strings through app (content
 *  override included).  cfg is borrowed for the site's lifetime. */
int web_site_load(struct web_site *site, struct app *app, const struct web_config *cfg,
                  struct err *e);

void web_site_release(struct web_site *site);

/** A loaded file by path, or NULL. */
const struct web_file *web_site_file(const struct web_site *site, const char *path);

/** The UI strings of a language ("en" or "sv"; anything else gives en). */
const json_t *web_site_strings(const struct web_site *site, const char *lang);

/* --- requests and responses ----------------------------------------------- */

struct web_kv {
    const char *key, *value;
};

struct web_kvs {
    struct web_kv *items;
    size_t n, cap;
};

/** Appends a pair (both copied into a). */
void web_kvs_add(struct web_kvs *kv, struct arena *a, const char *key, const char *value);

/** The first value of key, or NULL.  Keys compare case-insensitively when
 *  nocase (HTTP header names). */
const char *web_kvs_get(const struct web_kvs *kv, const char *key, bool nocase);

/** Parses application/x-www-form-urlencoded text (a query string or a
 *  body) into kv.  Fails with TL_ETOOBIG past WEB_PARAMS_MAX fields. */
int web_parse_form(struct web_kvs *kv, struct arena *a, const char *s, size_t len);

/** Parses a Cookie header into kv. */
void web_parse_cookies(struct web_kvs *kv, struct arena *a, const char *header);

/** Percent-encodes s for a URL query value or path segment (into sb). */
void web_url_encode(struct sb *sb, const char *s);

/* A file of a multipart upload, streamed by the server into a private
 * temporary directory under the vault (never held in memory) and removed
 * after the response.  name is the client's file name reduced to a safe
 * base name; the file at path carries that name, so what records its
 * name (app_evidence_add) sees the client's. */
struct web_upload {
    const char *field; /* form field name */
    const char *name;  /* safe base name */
    const char *path;  /* the temporary file */
    uint64_t size;
};

struct web_req {
    struct arena *a;
    struct app *app;
    const struct web_site *site;
    const char *method, *path, *ip;
    struct web_kvs query, form, headers, cookies;
    const char *body; /* raw body (NUL-terminated), "" when none */
    size_t body_len;
    struct web_upload *uploads; /* multipart files (WEB_UPLOAD routes only) */
    size_t n_uploads;
    bool upload_too_big;     /* past the size limit or the number of files: none kept */
    bool upload_unavailable; /* no vault to stream uploads into */
    bool upload_failed;      /* a file could not be written (disk full, ...) */

    /* Filled by web_handle before the handler runs. */
    const char *lang;          /* "en" or "sv" */
    bool secure;               /* the client sees https */
    bool api;                  /* /api/...: problem+json errors */
    bool bearer;               /* authenticated by API token, not cookie */
    const char *session_token; /* the session cookie's value, when valid */
    struct app_session *session;
    const struct app_user *user; /* NULL when anonymous */
    struct app_org org;          /* for routes under an organization */
    const char *role;            /* the user's role in org */
    const char *params[4];       /* {name} segments of the route, in order */
    size_t n_params;
};

struct web_resp {
    int status;
    const char *content_type;
    struct sb body;
    struct web_kvs headers;
    struct arena *a;
    /* A file sent as the body instead of body (downloads of evidence):
     * the server streams it and closes the descriptor; -1 when none. */
    int file_fd;
    uint64_t file_size;
};

/** Prepares a 200 response whose header strings live in a. */
void web_resp_init(struct web_resp *r, struct arena *a);

/** Frees the body and closes file_fd if it is still open. */
void web_resp_release(struct web_resp *r);

/** Adds a header (copied). */
void web_resp_header(struct web_resp *r, const char *name, const char *value);

/** Handles one request: authentication, routing, authorization, the page
 *  or API handler, errors, and the security headers every response
 *  carries.  Never fails: errors become error responses. */
void web_handle(struct web_req *req, struct web_resp *resp);

/* --- templates ------------------------------------------------------------- *
 * A small logic-less language (docs/web.md):
 *   {{name}}          the value, HTML-escaped; dotted paths (a.b.c), {{.}}
 *   {{{name}}}        the value unescaped: only for HTML rendered by us
 *   {{#name}}..{{/name}}  for each item of a list, into an object, or once
 *                     when the value is true; nothing when false/empty
 *   {{?name}}..{{/name}}  once when the value is true or non-empty, without
 *                     entering it (the guard around a list's table)
 *   {{^name}}..{{/name}}  once when the value is false, empty or missing
 *   {{> name}}        includes templates/<name>.html with the same data
 *   {{! comment}}
 * Names starting with "t." are UI strings of the request's language.
 */

struct web_tmpl_env {
    const struct web_site *site;
    const json_t *strings;
};

/** Renders templates/<name>.html with data, appending to out.  Unknown
 *  names render as nothing; errors are for malformed templates. */
int web_tmpl_render(const struct web_tmpl_env *env, const char *name, const json_t *data,
                    struct sb *out, struct err *e);

/** Renders template text directly (for tests and inline snippets). */
int web_tmpl_render_text(const struct web_tmpl_env *env, const char *text, size_t len,
                         const json_t *data, struct sb *out, struct err *e);

/* --- markdown -------------------------------------------------------------- */

/** Renders CommonMark (GFM) to HTML in safe mode: raw HTML and dangerous
 *  URLs (javascript:, data: other than images) are dropped. */
int web_markdown(const char *md, struct sb *out, struct err *e);

#endif
