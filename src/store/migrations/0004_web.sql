-- 0004: accounts for the web face and the API: users, their roles per
-- organization, sessions, login attempts (rate limiting) and API tokens.
-- Secrets are never stored: passwords as Argon2id strings, session ids and
-- API tokens as SHA-256 hex of the random value the client holds.
-- Times that the server compares (expiry, rate-limit windows) are integer
-- seconds since the epoch; the others are ISO 8601 text like elsewhere.

CREATE TABLE app_user (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE, -- stored lowercased
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,        -- crypto_pwhash_str (Argon2id)
    language      TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sv')),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

-- A user's role in one organization; a consultant has several rows.
CREATE TABLE membership (
    user_id    TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    org_id     TEXT NOT NULL REFERENCES organization (id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'contributor', 'auditor',
                   'viewer')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX membership_org ON membership (org_id);

-- Kept in the database so that several servers can share them.
CREATE TABLE web_session (
    id_hash    TEXT PRIMARY KEY, -- SHA-256 hex of the cookie value
    user_id    TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL -- absolute limit: created_at + 12 h
);
CREATE INDEX web_session_user ON web_session (user_id);

-- Failed logins only; a window of them per (email, ip) decides a 429.
CREATE TABLE login_attempt (
    email TEXT NOT NULL,
    ip    TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_attempt_key ON login_attempt (email, ip, at);

CREATE TABLE api_token (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE, -- SHA-256 hex of the bearer token
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used  INTEGER,
    revoked    INTEGER NOT NULL DEFAULT 0
);
