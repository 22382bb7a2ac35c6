-- 0001: installation metadata, organizations and the audit log.
-- Written in the SQL subset SQLite and PostgreSQL share.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organization (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    legal_name  TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    industry    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sv')),
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- One hash chain per organization (chain = organization id) plus one for
-- installation-wide events (chain = ''). Entries are never changed: the
-- triggers (0001_foundation_triggers.*.sql: the dialects differ) refuse
-- UPDATE and DELETE, and every entry's hash covers its canonical form and the
-- previous entry's hash (docs/internals/audit.md).
CREATE TABLE audit_log (
    chain       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
