/* user.c - accounts, memberships, sessions, API tokens and authorization. */
#include "app/user.h"

#include "base/crypto.h"
#include "base/js.h"
#include "base/mem.h"
#include "base/sb.h"
#include "domain/program.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *const app_roles[] = {"admin", "editor", "contributor", "auditor", "viewer", NULL};

#define USER_COLUMNS "id, email, name, language, disabled"

/* Random secrets of 32 bytes, as 64 hex digits. */
#define SECRET_BYTES 32
#define SECRET_HEX (2 * SECRET_BYTES + 1)

static void random_hex(char out[SECRET_HEX])
{
    unsigned char raw[SECRET_BYTES];
    crypto_random(raw, sizeof(raw));
    sodium_bin2hex(out, SECRET_HEX, raw, sizeof(raw));
    mem_wipe(raw, sizeof(raw));
}

static char *lower_dup(struct arena *a, const char *s)
{
    char *d = arena_strdup(a, s);
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

static void read_user(struct store_stmt *st, struct arena *a, struct app_user *u)
{
    u->id = arena_strdup(a, store_col_text(st, 0));
    u->email = arena_strdup(a, store_col_text(st, 1));
    u->name = arena_strdup(a, store_col_text(st, 2));
    u->language = arena_strdup(a, store_col_text(st, 3));
    u->disabled = store_col_int(st, 4) != 0;
}

/* One row of "SELECT USER_COLUMNS ... WHERE <col> = ?". */
static int user_by(struct app *app, struct arena *a, const char *sql, const char *key,
                   struct app_user *out, struct err *e)
{
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st, sql, "t", key);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        read_user(st, a, out);
    store_finalize(st);
    if (rc == TL_DONE)
        return TL_ENOTFOUND;
    return rc < 0 ? rc : 0;
}

int app_user_get(struct app *app, struct arena *a, const char *email, struct app_user *out,
                 struct err *e)
{
    int rc = user_by(app, a, "SELECT " USER_COLUMNS " FROM app_user WHERE email = ?",
                     lower_dup(a, email), out, e);
    if (rc == TL_ENOTFOUND)
        return ERR_SET(e, TL_ENOTFOUND, "no user '%s' (see 'tillit user list')", email);
    return rc;
}

int app_user_list(struct app *app, struct arena *a, struct app_user **out, size_t *n,
                  struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL, "SELECT count(*) FROM app_user", "");
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT " USER_COLUMNS " FROM app_user ORDER BY email", "");
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count)
        read_user(st, a, &(*out)[(*n)++]);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* A generated password: 20 characters from an alphabet without look-alikes
 * (32 symbols, so a byte masked to 5 bits picks one without bias): 100 bits. */
static char *generate_password(struct arena *a)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    unsigned char raw[20];
    crypto_random(raw, sizeof(raw));
    char *p = arena_alloc(a, sizeof(raw) + 1);
    for (size_t i = 0; i < sizeof(raw); i++)
        p[i] = alphabet[raw[i] & 31];
    p[sizeof(raw)] = '\0';
    mem_wipe(raw, sizeof(raw));
    return p;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], struct err *e)
{
    if (strlen(password) < APP_PASSWORD_MIN)
        return ERR_SET(e, TL_EINPUT, "password must have at least %d characters",
                       APP_PASSWORD_MIN);
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return ERR_SET(e, TL_EINTERNAL, "cannot hash password: out of memory");
    return 0;
}

static const char *user_json(struct arena *a, const char *email, const char *name,
                             const char *language)
{
    json_t *o = json_object();
    js_set_str(o, "email", email);
    js_set_str(o, "name", name);
    js_set_str(o, "language", language);
    struct sb sb = SB_INIT;
    js_dump(&sb, o, 0);
    json_decref(o);
    char *s = arena_strdup(a, sb.buf);
    sb_release(&sb);
    return s;
}

int app_user_add(struct app *app, struct arena *a, const char *email, const char *name,
                 const char *password, const char **generated, struct app_user *out,
                 struct err *e)
{
    if (!email || dom_email_check(email, e))
        return email ? TL_EINPUT : ERR_SET(e, TL_EUSAGE, "a user needs an email");
    char *mail = lower_dup(a, email);
    if (generated)
        *generated = NULL;
    if (!password) {
        password = generate_password(a);
        if (generated)
            *generated = password;
    }
    char hash[crypto_pwhash_STRBYTES];
    /* Hash before the transaction: Argon2id is slow on purpose and must not
     * hold the write lock. */
    int rc = hash_password(password, hash, e);
    if (rc)
        return rc;
    char at[TIME_BUF];
    time_format(app->now, at);
    struct app_change c = {.action = "user.add", .object_type = "user", .object_key = mail};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    c.after = user_json(a, mail, name ? name : "", "en");
    rc = store_run(app->store, e,
                   "INSERT INTO app_user (id, email, name, password_hash, created_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   "ttttt", c.id, mail, name ? name : "", hash, at);
    if (rc == TL_ECONFLICT)
        rc = ERR_SET(e, TL_EEXIST, "user '%s' already exists", mail);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    mem_wipe(hash, sizeof(hash));
    if (rc == 0 && out)
        rc = app_user_get(app, a, mail, out, e);
    return rc;
}

int app_user_set_password(struct app *app, struct arena *a, const char *email,
                          const char *password, struct err *e)
{
    struct app_user u;
    char hash[crypto_pwhash_STRBYTES];
    int rc = app_user_get(app, a, email, &u, e);
    if (rc == 0)
        rc = hash_password(password, hash, e);
    if (rc)
        return rc;
    struct app_change c = {.action = "user.password", .object_type = "user",
                           .object_key = u.email, .after = "{\"password\":\"changed\"}"};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = store_run(app->store, e,
                   "UPDATE app_user SET password_hash = ?, version = version + 1 WHERE id = ?",
                   "tt", hash, u.id);
    if (rc == 0)
        rc = store_run(app->store, e, "DELETE FROM web_session WHERE user_id = ?", "t", u.id);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    mem_wipe(hash, sizeof(hash));
    return rc;
}

int app_user_set_language(struct app *app, struct arena *a, const char *user_id,
                          const char *language, struct err *e)
{
    (void)a;
    if (dom_enum_check(dom_languages, language, "language", e))
        return TL_EINPUT;
    return store_run(app->store, e, "UPDATE app_user SET language = ? WHERE id = ?", "tt",
                     language, user_id);
}

/* The current role of user_id in org_id, NULL when not a member. */
static int role_of(struct app *app, struct arena *a, const char *user_id, const char *org_id,
                   const char **role, struct err *e)
{
    struct store_stmt *st;
    *role = NULL;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT role FROM membership WHERE user_id = ? AND org_id = ?", "tt",
                            user_id, org_id);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW)
        *role = arena_strdup(a, store_col_text(st, 0));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int app_user_grant(struct app *app, struct arena *a, const char *email, const char *org_slug,
                   const char *role, struct err *e)
{
    struct app_user u;
    struct app_org org;
    const char *old;
    int rc = app_role_check(role, e);
    if (rc == 0)
        rc = app_user_get(app, a, email, &u, e);
    if (rc == 0)
        rc = app_org_get(app, a, org_slug, &org, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org.id, .action = "member.grant",
                           .object_type = "membership", .object_key = u.email};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = role_of(app, a, u.id, org.id, &old, e);
    if (rc) {
        app_change_abort(app);
        return rc;
    }
    char at[TIME_BUF];
    time_format(app->now, at);
    c.before = old ? arena_printf(a, "{\"role\":\"%s\"}", old) : NULL;
    c.after = arena_printf(a, "{\"role\":\"%s\"}", role);
    if (old)
        rc = store_run(app->store, e,
                       "UPDATE membership SET role = ? WHERE user_id = ? AND org_id = ?", "ttt",
                       role, u.id, org.id);
    else
        rc = store_run(app->store, e,
                       "INSERT INTO membership (user_id, org_id, role, created_at) "
                       "VALUES (?, ?, ?, ?)",
                       "tttt", u.id, org.id, role, at);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    return rc;
}

int app_user_revoke(struct app *app, struct arena *a, const char *email, const char *org_slug,
                    struct err *e)
{
    struct app_user u;
    struct app_org org;
    const char *old;
    int rc = app_user_get(app, a, email, &u, e);
    if (rc == 0)
        rc = app_org_get(app, a, org_slug, &org, e);
    if (rc)
        return rc;
    struct app_change c = {.org_id = org.id, .action = "member.revoke",
                           .object_type = "membership", .object_key = u.email};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    rc = role_of(app, a, u.id, org.id, &old, e);
    if (rc == 0 && !old)
        rc = ERR_SET(e, TL_ENOTFOUND, "'%s' is not a member of '%s'", u.email, org.slug);
    if (rc == 0) {
        c.before = arena_printf(a, "{\"role\":\"%s\"}", old);
        rc = store_run(app->store, e, "DELETE FROM membership WHERE user_id = ? AND org_id = ?",
                       "tt", u.id, org.id);
    }
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    return rc;
}

int app_user_memberships(struct app *app, struct arena *a, const char *user_id,
                         struct app_membership **out, size_t *n, struct err *e)
{
    int64_t count = 0;
    int rc = store_query_int(app->store, e, &count, NULL,
                             "SELECT count(*) FROM membership WHERE user_id = ?", "t", user_id);
    struct store_stmt *st;
    if (rc == 0)
        rc = store_preparef(app->store, e, &st,
                            "SELECT o.id, o.slug, o.name, m.role FROM membership m "
                            "JOIN organization o ON o.id = m.org_id WHERE m.user_id = ? "
                            "ORDER BY o.slug",
                            "t", user_id);
    if (rc)
        return rc;
    *out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
    *n = 0;
    while ((rc = store_step(st, e)) == TL_ROW && *n < (size_t)count) {
        struct app_membership *m = &(*out)[(*n)++];
        m->org_id = arena_strdup(a, store_col_text(st, 0));
        m->org_slug = arena_strdup(a, store_col_text(st, 1));
        m->org_name = arena_strdup(a, store_col_text(st, 2));
        m->role = arena_strdup(a, store_col_text(st, 3));
    }
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* --- authorization ------------------------------------------------------- */

int app_role_check(const char *role, struct err *e)
{
    if (!role)
        return ERR_SET(e, TL_EUSAGE, "a membership needs a role");
    return dom_enum_check(app_roles, role, "role", e) ? TL_EINPUT : 0;
}

bool app_role_allows(const char *role, enum app_action action)
{
    if (!role)
        return false;
    bool admin = strcmp(role, "admin") == 0, editor = strcmp(role, "editor") == 0;
    switch (action) {
    case APP_READ:
        /* An auditor sees the engagements granted to them, never the whole
         * program: their pages use APP_ENGAGE. */
        return dom_enum_index(app_roles, role) >= 0 && strcmp(role, "auditor") != 0;
    case APP_ENGAGE:
        return dom_enum_index(app_roles, role) >= 0;
    case APP_CONTRIBUTE:
        return admin || editor || strcmp(role, "contributor") == 0;
    case APP_EDIT:
        return admin || editor;
    case APP_WORKPAPER:
        return admin || strcmp(role, "auditor") == 0;
    case APP_ADMIN:
        return admin;
    }
    return false;
}

int app_authz(struct app *app, struct arena *a, const struct app_user *user,
              const char *org_slug, enum app_action action, struct app_org *org,
              const char **role, struct err *e)
{
    struct app_org o;
    const char *r = NULL;
    int rc = user && !user->disabled ? app_org_get(app, a, org_slug, &o, e) : TL_ENOTFOUND;
    if (rc == 0)
        rc = role_of(app, a, user->id, o.id, &r, e);
    if (rc == TL_ENOTFOUND || (rc == 0 && !r))
        /* The same answer as for an organization that does not exist. */
        return ERR_SET(e, TL_ENOTFOUND, "no organization '%s'", org_slug);
    if (rc)
        return rc;
    if (!app_role_allows(r, action))
        return ERR_SET(e, TL_EPERM, "the role '%s' in '%s' does not allow this", r, org_slug);
    rc = store_set_tenant(app->store, o.id, e);
    if (rc)
        return rc;
    if (org)
        *org = o;
    if (role)
        *role = r;
    return 0;
}

/* --- sessions ------------------------------------------------------------ */

static void token_hash(const char *token, char out[SHA256_HEX])
{
    crypto_sha256_hex(token, strlen(token), out);
}

static int count_failures(struct app *app, const char *email, const char *ip, int64_t *n,
                          struct err *e)
{
    return store_query_int(app->store, e, n, NULL,
                           "SELECT count(*) FROM login_attempt WHERE email = ? AND ip = ? "
                           "AND at > ?",
                           "tti", email, ip, (int64_t)(app->now - APP_LOGIN_WINDOW));
}

/* Verifies against a fixed hash (of "not a password", same parameters as
 * real ones) when the user does not exist, so that a wrong email costs the
 * same time as a wrong password. */
static bool password_ok(const char *hash, const char *password)
{
    /* Sized as libsodium reads it: crypto_pwhash_STRBYTES, NUL-padded. */
    static const char dummy[crypto_pwhash_STRBYTES] =
        "$argon2id$v=19$m=65536,t=2,p=1$dNokOoFwC/vHzTu80/bTcg$"
        "7dTYhDpZlabu+SBhXGHY+RERHP2Jtf8ysXsOkCgk8js";
    bool ok = crypto_pwhash_str_verify(hash ? hash : dummy, password, strlen(password)) == 0;
    return ok && hash != NULL;
}

static int create_session(struct app *app, struct arena *a, const struct app_user *u,
                          const char *old_token, struct app_login *out, struct err *e)
{
    char token[SECRET_HEX], hash[SHA256_HEX];
    random_hex(token);
    token_hash(token, hash);
    struct app_session *s = &out->session;
    s->user = *u;
    s->id_hash = arena_strdup(a, hash);
    random_hex(s->csrf);
    s->created = s->last_seen = app->now;
    s->expires = app->now + APP_SESSION_ABSOLUTE;
    int rc = store_begin(app->store, e);
    if (rc)
        return rc;
    if (old_token && *old_token) {
        char old[SHA256_HEX];
        token_hash(old_token, old);
        rc = store_run(app->store, e, "DELETE FROM web_session WHERE id_hash = ?", "t", old);
    }
    if (rc == 0)
        rc = store_run(app->store, e,
                       "DELETE FROM login_attempt WHERE email = ? OR at <= ?", "ti", u->email,
                       (int64_t)(app->now - APP_LOGIN_WINDOW));
    if (rc == 0)
        rc = store_run(app->store, e,
                       "INSERT INTO web_session (id_hash, user_id, csrf_token, created_at, "
                       "last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                       "tttiii", hash, u->id, s->csrf, (int64_t)s->created,
                       (int64_t)s->last_seen, (int64_t)s->expires);
    if (rc == 0)
        rc = store_commit(app->store, e);
    if (rc)
        store_rollback(app->store);
    if (rc == 0)
        out->token = arena_strdup(a, token);
    mem_wipe(token, sizeof(token));
    return rc;
}

int app_login(struct app *app, struct arena *a, const char *email, const char *password,
              const char *ip, const char *old_token, struct app_login *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    const char *mail = lower_dup(a, email ? email : "");
    ip = ip ? ip : "";
    int64_t failures = 0;
    int rc = count_failures(app, mail, ip, &failures, e);
    if (rc)
        return rc;
    if (failures >= APP_LOGIN_MAX_FAILURES) {
        out->rate_limited = true;
        return ERR_SET(e, TL_EPERM, "too many failed logins: try again in %d minutes",
                       APP_LOGIN_WINDOW / 60);
    }
    struct app_user u;
    const char *hash = NULL;
    struct store_stmt *st;
    rc = store_preparef(app->store, e, &st,
                        "SELECT " USER_COLUMNS ", password_hash FROM app_user WHERE email = ?",
                        "t", mail);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        read_user(st, a, &u);
        hash = u.disabled ? NULL : arena_strdup(a, store_col_text(st, 5));
    }
    store_finalize(st);
    if (rc < 0)
        return rc;
    if (!password_ok(hash, password ? password : "")) {
        rc = store_run(app->store, e, "INSERT INTO login_attempt (email, ip, at) VALUES (?, ?, ?)",
                       "tti", mail, ip, (int64_t)app->now);
        if (rc)
            return rc;
        return ERR_SET(e, TL_EPERM, "wrong email or password");
    }
    return create_session(app, a, &u, old_token, out, e);
}

int app_session_get(struct app *app, struct arena *a, const char *token,
                    struct app_session *out, struct err *e)
{
    if (!token || strlen(token) != SECRET_HEX - 1)
        return ERR_SET(e, TL_ENOTFOUND, "no session");
    char hash[SHA256_HEX];
    token_hash(token, hash);
    struct store_stmt *st;
    int rc = store_preparef(app->store, e, &st,
                            "SELECT u.id, u.email, u.name, u.language, u.disabled, s.csrf_token, "
                            "s.created_at, s.last_seen, s.expires_at FROM web_session s "
                            "JOIN app_user u ON u.id = s.user_id WHERE s.id_hash = ?",
                            "t", hash);
    if (rc)
        return rc;
    rc = store_step(st, e);
    if (rc == TL_ROW) {
        read_user(st, a, &out->user);
        snprintf(out->csrf, sizeof(out->csrf), "%s", store_col_text(st, 5));
        out->created = store_col_int(st, 6);
        out->last_seen = store_col_int(st, 7);
        out->expires = store_col_int(st, 8);
        out->id_hash = arena_strdup(a, hash);
    }
    store_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == TL_DONE)
        return ERR_SET(e, TL_ENOTFOUND, "no session");
    rc = 0;
    if (out->user.disabled || app->now >= out->expires ||
        app->now - out->last_seen >= APP_SESSION_IDLE) {
        store_run(app->store, NULL, "DELETE FROM web_session WHERE id_hash = ?", "t", hash);
        return ERR_SET(e, TL_ENOTFOUND, "session expired");
    }
    /* Refresh at most once a minute: a write per request would serialise
     * every reader behind the write lock. */
    if (app->now - out->last_seen >= 60) {
        out->last_seen = app->now;
        rc = store_run(app->store, e, "UPDATE web_session SET last_seen = ? WHERE id_hash = ?",
                       "it", (int64_t)app->now, hash);
    }
    return rc;
}

int app_logout(struct app *app, const char *token, struct err *e)
{
    if (!token || !*token)
        return 0;
    char hash[SHA256_HEX];
    token_hash(token, hash);
    return store_run(app->store, e, "DELETE FROM web_session WHERE id_hash = ?", "t", hash);
}

bool app_csrf_ok(const struct app_session *s, const char *token)
{
    size_t n = strlen(s->csrf);
    return token && n > 0 && strlen(token) == n && crypto_memcmp(s->csrf, token, n) == 0;
}

/* --- API tokens ---------------------------------------------------------- */

#define TOKEN_PREFIX "tlt_"

int app_token_create(struct app *app, struct arena *a, const char *email, const char *name,
                     const char **token, struct err *e)
{
    struct app_user u;
    int rc = app_user_get(app, a, email, &u, e);
    if (rc)
        return rc;
    char secret[SECRET_HEX], hash[SHA256_HEX], at[TIME_BUF];
    random_hex(secret);
    char *full = arena_printf(a, TOKEN_PREFIX "%s", secret);
    mem_wipe(secret, sizeof(secret));
    token_hash(full, hash);
    time_format(app->now, at);
    struct app_change c = {.action = "user.token", .object_type = "api_token",
                           .object_key = u.email};
    rc = app_change_begin(app, a, &c, e);
    if (rc)
        return rc;
    c.id = app_new_id(a);
    c.after = arena_printf(a, "{\"id\":\"%s\"}", c.id);
    rc = store_run(app->store, e,
                   "INSERT INTO api_token (id, user_id, token_hash, name, created_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   "ttttt", c.id, u.id, hash, name ? name : "", at);
    if (rc == 0)
        rc = app_change_commit(app, a, &c, e);
    else
        app_change_abort(app);
    if (rc == 0)
        *token = full;
    return rc;
}

int app_token_auth(struct app *app, struct arena *a, const char *token, struct app_user *out,
                   struct err *e)
{
    if (!token || strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0)
        return ERR_SET(e, TL_ENOTFOUND, "unknown API token");
    char hash[SHA256_HEX];
    token_hash(token, hash);
    int rc = user_by(app, a,
                     "SELECT u.id, u.email, u.name, u.language, u.disabled FROM api_token t "
                     "JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = ? "
                     "AND t.revoked = 0",
                     hash, out, e);
    if (rc == TL_ENOTFOUND || (rc == 0 && out->disabled))
        return ERR_SET(e, TL_ENOTFOUND, "unknown API token");
    return rc;
}
