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
 * many clients connect.
 *
 * Bodies are collected into a capped buffer (WEB_BODY_MAX); a larger body
 * is answered with 413 without being kept.
 */
#include "web/web_impl.h"

#include "base/mem.h"
#include "store/migrate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
};

struct conn_state {
    struct sb body;
    bool too_big;
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

static void pool_give(struct server *s, size_t i)
{
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

static enum MHD_Result send_response(struct MHD_Connection *conn, const struct web_resp *r)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(r->body.len, r->body.buf, MHD_RESPMEM_MUST_COPY);
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
    struct web_resp resp;
    web_resp_init(&resp, &a);
    if (cs->too_big) {
        req.api = strncmp(req.path, "/api/", 5) == 0;
        req.lang = "en";
        web__error(&req, &resp, 413, "the request body is too large");
    } else {
        web_handle(&req, &resp);
    }
    /* A request must not leave a transaction open on a pooled connection. */
    while (store_tx_depth(app->store) > 0)
        store_rollback(app->store);
    pool_give(s, slot);
    enum MHD_Result ret = send_response(conn, &resp);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    log_msg(s->cfg->log, LOG_INFO, "%s %s %d %zu %.1fms", method, url, resp.status, resp.body.len,
            ms);
    web_resp_release(&resp);
    arena_release(&a);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = xcalloc(1, sizeof(*cs));
        sb_init_capped(&cs->body, WEB_BODY_MAX);
        *con_cls = cs;
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

static int open_pool(struct server *s, struct err *e)
{
    s->n_apps = (size_t)(s->cfg->threads > 0 ? s->cfg->threads : 4);
    s->apps = xcalloc(s->n_apps, sizeof(*s->apps));
    s->free_slots = xcalloc(s->n_apps, sizeof(*s->free_slots));
    for (size_t i = 0; i < s->n_apps; i++) {
        app_init(&s->apps[i]);
        s->apps[i].content_dir = s->cfg->content_dir;
        int rc = app_open_db(&s->apps[i], s->cfg->db_url, false, e);
        if (rc)
            return rc;
        s->free_slots[s->n_free++] = i;
    }
    return 0;
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
        rc = open_pool(&s, e);
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
            on_request, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s.n_apps, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, &s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)512, MHD_OPTION_LISTENING_ADDRESS_REUSE,
            (unsigned)1, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)cfg, MHD_OPTION_END);
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
    pthread_cond_destroy(&s.cv);
    pthread_mutex_destroy(&s.mu);
    return rc;
}
