/* user.h - accounts, roles per organization, sessions, API tokens and the
 * one authorization check both faces use.
 *
 * A user belongs to organizations through memberships, each with one role.
 * app_authz() is the single gate: the web pages and the JSON API call it
 * before touching an organization, and it answers "no such organization"
 * (TL_ENOTFOUND) to a user who is not a member, so that another tenant's
 * existence is never revealed, and TL_EPERM to a member whose role does not
 * allow the action.
 *
 * Secrets never reach the database: passwords are stored as Argon2id
 * strings (libsodium crypto_pwhash_str), session ids and API tokens as the
 * SHA-256 of the random value the client holds.  Plain secrets handed back
 * to the caller (a generated password, a new session or API token) live in
 * the caller's arena, like every other result.
 */
#ifndef TL_USER_H
#define TL_USER_H

#include "app/app.h"
#include "app/record.h"

#include <stdbool.h>
#include <stddef.h>

/** The roles, most powerful first (NULL-terminated). */
extern const char *const app_roles[];

/** What a request wants to do in an organization. */
enum app_action {
    APP_READ,       /* see the program and export what is shown: every role but auditor */
    APP_CONTRIBUTE, /* own controls, upload evidence: admin, editor, contributor */
    APP_EDIT,       /* change the program (controls, risks, policies, ...): admin, editor */
    APP_WORKPAPER,  /* write test workpapers of an engagement: admin, auditor */
    APP_ADMIN,      /* members and organization settings: admin */
    APP_ENGAGE,     /* engagement pages: every role, each request further checked by
                       app_eng_authz (an auditor sees only the engagements granted) */
};

/* Session limits (seconds) and login rate limiting. */
#define APP_SESSION_IDLE (30 * 60)
#define APP_SESSION_ABSOLUTE (12 * 60 * 60)
#define APP_LOGIN_MAX_FAILURES 5
#define APP_LOGIN_WINDOW (15 * 60)
#define APP_PASSWORD_MIN 10
#define APP_CSRF_BUF 65 /* 64 hex digits + NUL */

struct app_user {
    const char *id, *email, *name, *language;
    bool disabled;
};

struct app_membership {
    const char *org_id, *org_slug, *org_name, *role;
};

/* --- accounts ----------------------------------------------------------- */

/** Creates a user.  With password NULL a random one is generated and
 *  returned in *generated (in a); otherwise it must have APP_PASSWORD_MIN
 *  characters.  The email is stored lowercased.  Audited on the
 *  installation chain (without the hash). */
int app_user_add(struct app *app, struct arena *a, const char *email, const char *name,
                 const char *password, const char **generated, struct app_user *out,
                 struct err *e);

/** Finds a user by email (any case); TL_ENOTFOUND naming it. */
int app_user_get(struct app *app, struct arena *a, const char *email, struct app_user *out,
                 struct err *e);

/** All users, by email. */
int app_user_list(struct app *app, struct arena *a, struct app_user **out, size_t *n,
                  struct err *e);

/** Replaces a user's password and ends all their sessions. */
int app_user_set_password(struct app *app, struct arena *a, const char *email,
                          const char *password, struct err *e);

/** Sets a user's preferred language ("en" or "sv"). */
int app_user_set_language(struct app *app, struct arena *a, const char *user_id,
                          const char *language, struct err *e);

/** Gives email the role in organization org_slug (replacing an earlier
 *  role).  Audited on the organization's chain. */
int app_user_grant(struct app *app, struct arena *a, const char *email, const char *org_slug,
                   const char *role, struct err *e);

/** Removes email's membership of org_slug; TL_ENOTFOUND when there is none. */
int app_user_revoke(struct app *app, struct arena *a, const char *email, const char *org_slug,
                    struct err *e);

/** The organizations a user belongs to, by slug. */
int app_user_memberships(struct app *app, struct arena *a, const char *user_id,
                         struct app_membership **out, size_t *n, struct err *e);

/* --- authorization ------------------------------------------------------- */

/** Fails with TL_EINPUT naming the roles when role is not one of them. */
int app_role_check(const char *role, struct err *e);

/** Whether role allows action (pure; unknown roles allow nothing). */
bool app_role_allows(const char *role, enum app_action action);

/** The gate: resolves org_slug for user and checks action.  TL_ENOTFOUND
 *  ("no organization 'x'") when the organization does not exist or the
 *  user is not a member or is disabled; TL_EPERM when the role does not
 *  allow the action.  On success *org and *role (in a) describe it; either
 *  may be NULL. */
int app_authz(struct app *app, struct arena *a, const struct app_user *user,
              const char *org_slug, enum app_action action, struct app_org *org,
              const char **role, struct err *e);

/* --- sessions ------------------------------------------------------------ */

struct app_session {
    struct app_user user;
    const char *id_hash;
    char csrf[APP_CSRF_BUF]; /* the token every form of the session carries */
    tl_time created, last_seen, expires;
};

struct app_login {
    const char *token;      /* the new session's cookie value (in a) */
    struct app_session session;
    bool rate_limited;      /* set when the attempt was refused unchecked */
};

/** Checks email and password from ip.  On success creates a new session
 *  (ending old_token's session, if any: the id always rotates at login).
 *  Fails with TL_EPERM and a generic message for a wrong email or password,
 *  and with TL_EPERM and out->rate_limited when APP_LOGIN_MAX_FAILURES
 *  failures from that email and ip fall in the last APP_LOGIN_WINDOW
 *  seconds (the password is then not even checked). */
int app_login(struct app *app, struct arena *a, const char *email, const char *password,
              const char *ip, const char *old_token, struct app_login *out, struct err *e);

/** Looks up the session of a cookie value.  TL_ENOTFOUND when unknown,
 *  idle for more than APP_SESSION_IDLE, past its absolute expiry, or its
 *  user is disabled (expired rows are deleted).  Refreshes last_seen. */
int app_session_get(struct app *app, struct arena *a, const char *token,
                    struct app_session *out, struct err *e);

/** Ends the session of a cookie value (no error when there is none). */
int app_logout(struct app *app, const char *token, struct err *e);

/** Whether a submitted CSRF token matches the session's (constant time). */
bool app_csrf_ok(const struct app_session *s, const char *token);

/* --- API tokens ---------------------------------------------------------- */

/** Creates a bearer token for email; *token (in a) is shown once, only its
 *  hash is stored.  Audited on the installation chain. */
int app_token_create(struct app *app, struct arena *a, const char *email, const char *name,
                     const char **token, struct err *e);

/** The user a bearer token belongs to; TL_ENOTFOUND when unknown, revoked
 *  or the user is disabled. */
int app_token_auth(struct app *app, struct arena *a, const char *token, struct app_user *out,
                   struct err *e);

#endif
