-- 0005: evidence. The bytes live in the vault (content-addressed by
-- SHA-256, docs/internals/vault.md); a row records what they are, the
-- period they cover, who added them and which controls they support.
-- Evidence is never edited in place: a corrected item is a new row, and the
-- old one points at it through superseded_by (set once). The triggers
-- (0005_evidence_triggers.*.sql: the dialects differ) refuse every other
-- UPDATE and every DELETE.

CREATE TABLE evidence (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organization (id),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    size          INTEGER NOT NULL CHECK (size > 0),
    media_type    TEXT NOT NULL,
    original_name TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    added_by      TEXT NOT NULL, -- the actor, as in the audit log
    added_at      TEXT NOT NULL,
    period_start  TEXT NOT NULL, -- inclusive dates; start = end is a point in time
    period_end    TEXT NOT NULL,
    superseded_by TEXT REFERENCES evidence (id),
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK (period_start <= period_end)
);
CREATE INDEX evidence_org ON evidence (org_id, added_at);
CREATE INDEX evidence_sha256 ON evidence (sha256);

CREATE TABLE evidence_control (
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    control_id  TEXT NOT NULL REFERENCES control (id),
    org_id      TEXT NOT NULL REFERENCES organization (id),
    PRIMARY KEY (evidence_id, control_id)
);
CREATE INDEX evidence_control_control ON evidence_control (org_id, control_id);

-- The organization's Ed25519 key that signs evidence packages, created on
-- the first export. Both halves are hex. The secret half is as sensitive as
-- the database itself: protect (and back up) the database file like the key
-- it holds. Anyone with the public key can check a package offline.
CREATE TABLE org_key (
    org_id     TEXT PRIMARY KEY REFERENCES organization (id),
    public_key TEXT NOT NULL CHECK (length(public_key) = 64),
    secret_key TEXT NOT NULL CHECK (length(secret_key) = 128),
    created_at TEXT NOT NULL
);
