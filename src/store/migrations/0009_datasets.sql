-- 0009: datasets and check runs. A dataset is an export (CSV, JSON, git
-- history, GitHub pull requests, the AWS IAM credential report) loaded into
-- the organization's analysis database, a separate SQLite file
-- (docs/internals/datasets.md); this table is its provenance: which file
-- (by SHA-256), how many rows, which columns and types, who loaded it and
-- when. Reloading a name replaces the row (version counts the loads); the
-- audit log keeps every version.
-- A check run records what a check (content/checks/*.yaml) found over the
-- datasets: the population it tested, the exceptions, the hashes of the
-- datasets and of the SQL, and the evidence item that holds the full result.

CREATE TABLE dataset (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organization (id),
    name        TEXT NOT NULL,   -- what checks name: "hr", "aws_iam"
    kind        TEXT NOT NULL CHECK (kind IN ('csv', 'jsonl', 'json',
                    'aws-iam-credential-report', 'git', 'github-pulls')),
    source_name TEXT NOT NULL,   -- the file (or repository) name, without directories
    file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
    size        BIGINT NOT NULL DEFAULT 0,
    rows        BIGINT NOT NULL,
    columns     TEXT NOT NULL,   -- JSON: [{"name", "type", "source"}] of the main table
    tables      TEXT NOT NULL,   -- JSON: ["name", "name_reviews"]
    loaded_by   TEXT NOT NULL,   -- the actor, as in the audit log
    loaded_at   TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, name)
);

CREATE TABLE check_run (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organization (id),
    check_id       TEXT NOT NULL,   -- content/checks/<check_id>.yaml
    ran_at         TEXT NOT NULL,
    ran_by         TEXT NOT NULL,
    as_of          TEXT NOT NULL,   -- the date the check judged
    period_start   TEXT NOT NULL,   -- the period it looked at (inclusive)
    period_end     TEXT NOT NULL,
    population     BIGINT NOT NULL,
    exceptions     BIGINT NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
    datasets       TEXT NOT NULL,   -- JSON: [{"name", "sha256", "rows"}]
    sql_sha256     TEXT NOT NULL CHECK (length(sql_sha256) = 64),
    exception_rows TEXT NOT NULL,   -- JSON: the first 1000 rows, as objects
    evidence_id    TEXT REFERENCES evidence (id),
    CHECK (exceptions >= 0 AND population >= 0),
    CHECK ((result = 'pass') = (exceptions = 0))
);
CREATE INDEX check_run_org ON check_run (org_id, check_id, ran_at);
