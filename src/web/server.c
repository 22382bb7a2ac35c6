/* server.c - HTTP over libmicrohttpd, and the pool of app handles.
 *
 * Threading: libmicrohttpd runs an internal thread pool (cfg->threads
 * workers, each polling its share of the connections with epoll/poll) and
 * calls us on those threads.  We keep a pool of exactly as many struct app,
 * each with its own SQLite connection: a request takes one for its
 * duration and gives it back, so a connection is never used by two
 * threads at once (SQLite is opened NOMUTEX), and no request waits for a
 * connection while a worker is free.  WAL mode lets readers proceed while
 * one writer holds the lock.  We chose this over thread-per-connection
 * because the number of database connections then stays fixed however
 * many clients connect.  A slot's connection is opened when the slot is
 * first taken, not at start: an idle server holds no schema or page cache
 * it has not needed (the start itself has opened the database once, to
 * create or upgrade it, so a bad --db still fails at once).
 *
 * Bodies are collected into a capped buffer (WEB_BODY_MAX); a larger body
 * is answered with 413 without being kept.  A multipart/form-data POST
 * goes through libmicrohttpd's post processor instead: its text fields
 * are re-encoded as a form body (capped at WEB_UPLOAD_FIELDS_MAX), and its
 * files are written, as they arrive, to a private temporary directory
 * under the vault (<vault>/uploads/up-XXXXXX/<n>/<name>), with the vault's
 * size limit over all of them.  Files are kept only when the route takes
 * uploads and the client may use it (web__upload_gate, which runs the
 * same authentication and app_authz as the request itself will): an
 * anonymous client or one without the role cannot make us write a byte.
 * The directory is removed once the response has been queued.
 */
#include "web/web_impl.h"

#include "app/evidence.h"
#include "base/mem.h"
#include "store/migrate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct server {
    const struct web_config *cfg;
    struct web_site site;
    struct app *apps;
    size_t n_apps;
    size_t *free_slots; /* stack of indexes into apps */
    size_t n_free;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool pinned;
    tl_time now;
    char *upload_dir;    /* <vault>/uploads, NULL when there is no vault */
    uint64_t upload_max; /* the vault's size limit */
};

/* libmicrohttpd's memory per connection (request line and headers, the
 * response headers): its default is 32 KiB, which it clears between the
 * requests of a kept-alive connection; half of it holds any request a
 * browser or API client of ours sends (bodies are collected by us, files
 * streamed to disk), and clearing less made a cached page ~10% cheaper. */
#define WEB_CONN_MEMORY (16u << 10)

struct upload_file {
    char *field, *name, *path; /* xmalloc'd */
    uint64_t size;
};

/* A multipart request in flight. */
struct upload {
    struct server *s;
    struct MHD_PostProcessor *pp;
    bool keep_files; /* the gate let this request upload */
    char *dir;       /* the request's temporary directory, NULL until a file arrives */
    struct upload_file files[WEB_UPLOAD_FILES_MAX];
    size_t n_files;
    int fd; /* the file being written, -1 when none */
    uint64_t total;
    bool too_big, failed;
};

struct conn_state {
    struct sb body;
    bool too_big;
    struct upload *up;
};

static size_t pool_take(struct server *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->n_free == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    size_t i = s->free_slots[--s->n_free];
    pthread_mutex_unlock(&s->mu);
    return i;
}

/* Opens slot i's connection if it has none yet. */
static int pool_open(struct server *s, size_t i, struct err *e)
{
    struct app *app = &s->apps[i];
    return app->store ? 0 : app_open_db(app, s->cfg->db_url, false, e);
}

static void pool_give(struct server *s, size_t i)
{
    if (s->apps[i].store) /* the next request starts with no tenant */
        store_set_tenant(s->apps[i].store, NULL, NULL);
    pthread_mutex_lock(&s->mu);
    s->free_slots[s->n_free++] = i;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

struct collect {
    struct web_kvs *kv;
    struct arena *a;
};

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    struct collect *c = cls;
    if (c->kv->n < WEB_PARAMS_MAX)
        web_kvs_add(c->kv, c->a, key, value ? value : "");
    return MHD_YES;
}

static const char *client_ip(struct MHD_Connection *conn, struct arena *a)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                      sizeof(buf));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                      sizeof(buf));
    }
    return arena_strdup(a, buf);
}

/* Behind a TLS proxy the client is the last address the proxy appended. */
static const char *forwarded_ip(const struct web_req *req)
{
    const char *xff = web_kvs_get(&req->headers, "X-Forwarded-For", true);
    if (!xff || !*xff)
        return req->ip;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    return *last ? last : req->ip;
}

/* --- multipart uploads ------------------------------------------------------ */

/* Appends data[0..n) form-urlencoded. */
static void encode_into(struct sb *sb, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~')
            sb_addc(sb, (char)c);
        else
            sb_addf(sb, "%%%02X", c);
    }
}

/* The client's file name reduced to one safe path component: the part
 * after the last slash or backslash, without control characters, at most
 * 200 bytes (cut on a character boundary); "upload" when nothing is left. */
static char *safe_name(const char *filename)
{
    const char *base = filename;
    for (const char *p = filename; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    char *out = xmalloc(strlen(base) + 8);
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)base; *p && n < 200; p++)
        if (*p >= 0x20 && *p != 0x7f)
            out[n++] = (char)*p;
    while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
        n--; /* continuation bytes of a cut character */
    if (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0xc0)
        n--; /* its lead byte */
    out[n] = '\0';
    if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
        memcpy(out, "upload", 7);
    return out;
}

static void upload_close_file(struct upload *up)
{
    if (up->fd >= 0 && close(up->fd) != 0)
        up->failed = true;
    up->fd = -1;
}

/* Removes every file and directory of the upload. */
static void upload_clean(struct upload *up)
{
    upload_close_file(up);
    for (size_t i = 0; i < up->n_files; i++) {
        struct upload_file *f = &up->files[i];
        if (f->path) {
            unlink(f->path);
            char *slash = strrchr(f->path, '/');
            if (slash) {
                *slash = '\0';
                rmdir(f->path);
            }
        }
        free(f->field);
        free(f->name);
        free(f->path);
        memset(f, 0, sizeof(*f));
    }
    up->n_files = 0;
    if (up->dir)
        rmdir(up->dir);
    free(up->dir);
    up->dir = NULL;
}

static bool mkdir_ok(const char *path)
{
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

/* Starts the next file: <dir>/<n>/<name>, created exclusively. */
static int upload_open_file(struct upload *up, const char *field, const char *filename)
{
    upload_close_file(up);
    if (up->n_files >= WEB_UPLOAD_FILES_MAX) {
        up->too_big = true; /* answered 413 like a file over the limit */
        upload_clean(up);
        return 0;
    }
    if (!up->dir) {
        char *vault = xstrdup(up->s->upload_dir);
        char *slash = strrchr(vault, '/');
        if (slash)
            *slash = '\0';
        bool ok = mkdir_ok(vault) && mkdir_ok(up->s->upload_dir);
        free(vault);
        size_t n = strlen(up->s->upload_dir) + 16;
        up->dir = xmalloc(n);
        snprintf(up->dir, n, "%s/up-XXXXXX", up->s->upload_dir);
        if (!ok || !mkdtemp(up->dir)) {
            free(up->dir);
            up->dir = NULL;
            return -1;
        }
    }
    struct upload_file *f = &up->files[up->n_files];
    f->field = xstrdup(field ? field : "file");
    f->name = safe_name(filename);
    size_t n = strlen(up->dir) + strlen(f->name) + 32;
    f->path = xmalloc(n);
    snprintf(f->path, n, "%s/%zu", up->dir, up->n_files);
    up->n_files++;
    if (mkdir(f->path, 0700) != 0)
        return -1;
    snprintf(f->path + strlen(f->path), n - strlen(f->path), "/%s", f->name);
    up->fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    return up->fd >= 0 ? 0 : -1;
}

static int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

struct upload_iter {
    struct upload *up;
    struct conn_state *cs;
};

static enum MHD_Result upload_iterate(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *filename, const char *content_type,
                                      const char *transfer_encoding, const char *data, uint64_t off,
                                      size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    struct conn_state *cs = cls;
    struct upload *up = cs->up;
    if (!key)
        return MHD_YES;
    if (!filename) {
        /* A text field, re-encoded for web_parse_form. */
        if (off == 0) {
            if (cs->body.len)
                sb_addc(&cs->body, '&');
            encode_into(&cs->body, key, strlen(key));
            sb_addc(&cs->body, '=');
        }
        encode_into(&cs->body, data, size);
        if (cs->body.overflow)
            cs->too_big = true;
        return MHD_YES;
    }
    /* A file part: nothing is written unless the gate allowed it.  An
     * empty part is what a browser sends for a file input left empty. */
    if (!up->keep_files || up->too_big || up->failed || size == 0)
        return MHD_YES;
    if (off == 0 && upload_open_file(up, key, filename) != 0) {
        up->failed = true;
        return MHD_YES;
    }
    if (up->too_big)
        return MHD_YES;
    if (up->fd < 0)
        return MHD_YES;
    up->total += size;
    up->files[up->n_files - 1].size += size;
    if (up->s->upload_max && up->total > up->s->upload_max) {
        up->too_big = true;
        upload_clean(up);
        return MHD_YES;
    }
    if (write_all(up->fd, data, size) != 0)
        up->failed = true;
    return MHD_YES;
}

static bool is_multipart(struct MHD_Connection *conn)
{
    const char *ct =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

/* Asks the router whether this request may upload files (see the top). */
static bool upload_gate(struct server *s, struct MHD_Connection *conn, const char *url)
{
    if (!s->upload_dir)
        return false;
    struct arena a = ARENA_INIT;
    size_t slot = pool_take(s);
    struct app *app = &s->apps[slot];
    struct err oe = ERR_INIT;
    if (pool_open(s, slot, &oe) != 0) {
        pool_give(s, slot);
        arena_release(&a);
        return false; /* the request itself will answer 503 */
    }
    app->now = s->pinned ? s->now : time_now();
    struct web_req req = {.a = &a, .app = app, .site = &s->site, .method = "POST"};
    req.path = arena_strdup(&a, url);
    req.ip = client_ip(conn, &a);
    struct collect hc = {&req.headers, &a};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_kv, &hc);
    web_parse_cookies(&req.cookies, &a, web_kvs_get(&req.headers, "Cookie", true));
    bool ok = web__upload_gate(&req);
    while (store_tx_depth(app->store) > 0)
        store_rollback(app->store);
    pool_give(s, slot);
    arena_release(&a);
    return ok;
}

static void upload_free(struct upload *up)
{
    if (!up)
        return;
    if (up->pp)
        MHD_destroy_post_processor(up->pp);
    upload_clean(up);
    free(up);
}

/* Hands the files of a finished upload to the request (strings copied into
 * its arena; the files stay until upload_clean). */
static void upload_to_req(struct upload *up, struct web_req *req)
{
    upload_close_file(up);
    req->upload_too_big = up->too_big;
    req->upload_unavailable = !up->s->upload_dir;
    req->upload_failed = up->keep_files && up->failed;
    if (up->too_big || up->failed || up->n_files == 0)
        return;
    req->uploads = arena_calloc(req->a, up->n_files, sizeof(*req->uploads));
    for (size_t i = 0; i < up->n_files; i++) {
        req->uploads[i].field = arena_strdup(req->a, up->files[i].field);
        req->uploads[i].name = arena_strdup(req->a, up->files[i].name);
        req->uploads[i].path = arena_strdup(req->a, up->files[i].path);
        req->uploads[i].size = up->files[i].size;
    }
    req->n_uploads = up->n_files;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct web_resp *r)
{
    struct MHD_Response *mr;
    if (r->file_fd >= 0) {
        mr = MHD_create_response_from_fd64(r->file_size, r->file_fd);
        if (mr)
            r->file_fd = -1; /* libmicrohttpd closes it */
    } else {
        /* The body's buffer is handed over, not copied: MHD frees it. */
        size_t len;
        char *body = sb_detach(&r->body, &len);
        mr = MHD_create_response_from_buffer_with_free_callback(len, body, free);
        if (!mr)
            free(body);
    }
    if (!mr)
        return MHD_NO;
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    for (size_t i = 0; i < r->headers.n; i++)
        MHD_add_response_header(mr, r->headers.items[i].key, r->headers.items[i].value);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result respond(struct server *s, struct MHD_Connection *conn, const char *url,
                               const char *method, struct conn_state *cs)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct arena a = ARENA_INIT;
    size_t slot = pool_take(s);
    struct app *app = &s->apps[slot];
    app->now = s->pinned ? s->now : time_now();
    snprintf(app->actor, sizeof(app->actor), "web:anonymous");
    struct web_req req = {.a = &a, .app = app, .site = &s->site};
    req.method = arena_strdup(&a, method);
    req.path = arena_strdup(&a, url);
    req.ip = client_ip(conn, &a);
    struct collect hc = {&req.headers, &a}, qc = {&req.query, &a};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_kv, &hc);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_kv, &qc);
    if (s->cfg->tls_proxy)
        req.ip = forwarded_ip(&req);
    web_parse_cookies(&req.cookies, &a, web_kvs_get(&req.headers, "Cookie", true));
    req.body = cs->body.buf;
    req.body_len = cs->body.len;
    if (cs->up) {
        /* The fields of a multipart body arrive re-encoded as a form. */
        upload_to_req(cs->up, &req);
        if (!cs->too_big && web_parse_form(&req.form, &a, req.body, req.body_len) != 0)
            cs->too_big = true;
        req.body = "";
        req.body_len = 0;
    }
    struct web_resp resp;
    web_resp_init(&resp, &a);
    struct err oe = ERR_INIT;
    if (pool_open(s, slot, &oe) != 0) {
        log_msg(s->cfg->log, LOG_ERROR, "cannot open the database: %s", oe.msg);
        req.api = strncmp(req.path, "/api/", 5) == 0;
        req.lang = "en";
        web__error(&req, &resp, 503, "the database is not available");
        web__security_headers(&resp, false);
    } else if (cs->too_big || req.upload_too_big) {
        req.api = strncmp(req.path, "/api/", 5) == 0;
        req.lang = "en";
        web__error(&req, &resp, 413,
                   req.upload_too_big
                       ? arena_printf(&a,
                                      "the upload is larger than the limit of %llu bytes or has "
                                      "more than %d files",
                                      (unsigned long long)s->upload_max, WEB_UPLOAD_FILES_MAX)
                       : "the request body is too large");
        web__security_headers(&resp, false);
    } else {
        /* The request's reads share one snapshot and one lock (store.h);
         * a write ends the scope before it starts. */
        store_read_begin(app->store);
        web_handle(&req, &resp);
    }
    /* A request must not leave a transaction open on a pooled connection. */
    while (app->store && store_tx_depth(app->store) > 0)
        store_rollback(app->store);
    if (app->store)
        store_read_end(app->store);
    pool_give(s, slot);
    size_t body_len = resp.body.len; /* send_response hands the buffer to MHD */
    enum MHD_Result ret = send_response(conn, &resp);
    if (cs->up)
        upload_clean(cs->up);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    log_msg(s->cfg->log, LOG_INFO, "%s %s %d %zu %.1fms", method, url, resp.status, body_len, ms);
    web_resp_release(&resp);
    arena_release(&a);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = xcalloc(1, sizeof(*cs));
        sb_init_capped(&cs->body, WEB_BODY_MAX);
        *con_cls = cs;
        if (strcmp(method, "POST") == 0 && is_multipart(conn)) {
            sb_release(&cs->body);
            sb_init_capped(&cs->body, WEB_UPLOAD_FIELDS_MAX);
            cs->up = xcalloc(1, sizeof(*cs->up));
            cs->up->s = cls;
            cs->up->fd = -1;
            cs->up->pp = MHD_create_post_processor(conn, 64 * 1024, upload_iterate, cs);
            if (cs->up->pp)
                cs->up->keep_files = upload_gate(cls, conn, url);
            else
                cs->too_big = true; /* a malformed multipart header: answered 413 */
        }
        return MHD_YES;
    }
    if (*upload_data_size && cs->up) {
        if (!cs->too_big && !cs->up->too_big &&
            MHD_post_process(cs->up->pp, upload_data, *upload_data_size) != MHD_YES)
            cs->too_big = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cs->too_big && sb_add(&cs->body, upload_data, *upload_data_size) != 0) {
            cs->too_big = true;
            sb_release(&cs->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return respond(cls, conn, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct conn_state *cs = *con_cls;
    if (cs) {
        upload_free(cs->up);
        sb_release(&cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    const struct web_config *cfg = cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    log_msg(cfg->log, LOG_WARN, "httpd: %s", line);
}

/* "HOST:PORT" with an IPv4 host ("localhost" = 127.0.0.1). */
static int parse_listen(const char *listen, struct sockaddr_in *sin, struct err *e)
{
    const char *colon = strrchr(listen, ':');
    if (!colon)
        return ERR_SET(e, TL_EUSAGE, "--listen needs HOST:PORT, not '%s'", listen);
    char host[64];
    snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof(host), "127.0.0.1");
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    if (*end || colon[1] == '\0' || port < 0 || port > 65535)
        return ERR_SET(e, TL_EUSAGE, "invalid port in --listen '%s'", listen);
    if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
        return ERR_SET(e, TL_EUSAGE, "invalid IPv4 address in --listen '%s'", listen);
    sin->sin_port = htons((uint16_t)port);
    return 0;
}

static void open_pool(struct server *s)
{
    s->n_apps = (size_t)(s->cfg->threads > 0 ? s->cfg->threads : 4);
    s->apps = xcalloc(s->n_apps, sizeof(*s->apps));
    s->free_slots = xcalloc(s->n_apps, sizeof(*s->free_slots));
    for (size_t i = 0; i < s->n_apps; i++) {
        app_init(&s->apps[i]);
        s->apps[i].content_dir = s->cfg->content_dir;
        s->free_slots[s->n_free++] = i; /* opened on first use: pool_open */
    }
}

static void close_pool(struct server *s)
{
    for (size_t i = 0; s->apps && i < s->n_apps; i++)
        app_release(&s->apps[i]);
    free(s->apps);
    free(s->free_slots);
}

/* Creates or upgrades the database, then loads the site. */
static int prepare(struct server *s, struct err *e)
{
    struct app setup;
    app_init(&setup);
    setup.content_dir = s->cfg->content_dir;
    setup.now = s->pinned ? s->now : time_now();
    snprintf(setup.actor, sizeof(setup.actor), "serve");
    int from, to;
    int rc = app_create_db(&setup, s->cfg->db_url, &from, &to, e);
    if (rc == 0)
        rc = web_site_load(&s->site, &setup, s->cfg, e);
    if (rc == 0) {
        /* Uploads stream into the vault's directory; without one (a
         * PostgreSQL database and no TILLIT_VAULT) they are refused. */
        struct arena tmp = ARENA_INIT;
        struct vault v;
        struct err ve = ERR_INIT;
        if (app_vault(&setup, &tmp, &v, &ve) == 0) {
            size_t n = strlen(v.dir) + 16;
            s->upload_dir = xmalloc(n);
            snprintf(s->upload_dir, n, "%s/uploads", v.dir);
            s->upload_max = v.max_bytes;
        } else {
            log_msg(s->cfg->log, LOG_WARN, "evidence uploads are off: %s", ve.msg);
        }
        arena_release(&tmp);
    }
    app_release(&setup);
    return rc;
}

static void wait_for_stop(const struct web_config *cfg, const sigset_t *stop)
{
    time_t deadline = cfg->max_seconds > 0 ? time(NULL) + cfg->max_seconds : 0;
    for (;;) {
        struct timespec ts = {1, 0};
        int sig = sigtimedwait(stop, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM) {
            log_msg(cfg->log, LOG_INFO, "stopping on signal %d", sig);
            return;
        }
        if (deadline && time(NULL) >= deadline) {
            log_msg(cfg->log, LOG_INFO, "stopping after %d seconds", cfg->max_seconds);
            return;
        }
    }
}

int web_serve(const struct web_config *cfg, struct err *e)
{
    struct server s = {.cfg = cfg};
    struct sockaddr_in sin;
    int rc = parse_listen(cfg->listen, &sin, e);
    if (rc)
        return rc;
    if (cfg->now && *cfg->now) {
        rc = time_parse(cfg->now, &s.now, e);
        if (rc)
            return err_wrap(e, "TILLIT_NOW");
        s.pinned = true;
    }
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    rc = prepare(&s, e);
    if (rc == 0)
        open_pool(&s);
    /* Block the stop signals before the worker threads exist, so that they
     * inherit the mask and only this thread receives them (sigtimedwait). */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = NULL;
    if (rc == 0) {
        d = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
            on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)cfg, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&sin, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s.n_apps,
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_CONN_MEMORY,
            MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
        if (!d)
            rc = ERR_SET(e, TL_EIO, "cannot listen on '%s': %s", cfg->listen,
                         errno ? strerror(errno) : "address in use or not available");
    }
    if (rc == 0) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        char host[INET_ADDRSTRLEN], url[96];
        inet_ntop(AF_INET, &sin.sin_addr, host, sizeof(host));
        snprintf(url, sizeof(url), "http://%s:%u", host,
                 info ? (unsigned)info->port : (unsigned)ntohs(sin.sin_port));
        if (cfg->on_listen)
            cfg->on_listen(cfg->ud, url);
        wait_for_stop(cfg, &stop);
        MHD_stop_daemon(d);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close_pool(&s);
    web_site_release(&s.site);
    free(s.upload_dir);
    pthread_cond_destroy(&s.cv);
    pthread_mutex_destroy(&s.mu);
    return rc;
}
