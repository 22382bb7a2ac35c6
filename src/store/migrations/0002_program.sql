-- 0002: the compliance program of an organization: people, scope, controls,
-- risks, policies, vendors. Every table is scoped by org_id; natural keys
-- (control code, person email, risk code, policy slug, vendor slug) are
-- unique per organization and are what the YAML export uses as stable ids.
-- `version` counts edits of a record (optimistic concurrency).

CREATE TABLE person (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organization (id),
    email            TEXT NOT NULL,
    name             TEXT NOT NULL,
    title            TEXT NOT NULL DEFAULT '',
    department       TEXT NOT NULL DEFAULT '',
    manager_id       TEXT REFERENCES person (id),
    start_date       TEXT,
    end_date         TEXT,
    is_control_owner INTEGER NOT NULL DEFAULT 0,
    is_approver      INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, email)
);

-- The system in scope (DC 200): one row per organization.
CREATE TABLE system_scope (
    org_id       TEXT PRIMARY KEY REFERENCES organization (id),
    name         TEXT NOT NULL DEFAULT '',
    boundaries   TEXT NOT NULL DEFAULT '',
    commitments  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1
);

-- Trust services categories: security is always in scope; any other left
-- out carries a reason.
CREATE TABLE scope_category (
    org_id   TEXT NOT NULL REFERENCES organization (id),
    category TEXT NOT NULL CHECK (category IN ('security', 'availability',
                 'processing-integrity', 'confidentiality', 'privacy')),
    in_scope INTEGER NOT NULL,
    reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, category),
    CHECK (category <> 'security' OR in_scope = 1),
    CHECK (in_scope = 1 OR reason <> '')
);

CREATE TABLE service (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organization (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, name)
);

CREATE TABLE component (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organization (id),
    kind        TEXT NOT NULL CHECK (kind IN ('infrastructure', 'software', 'people',
                    'procedures', 'data')),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    in_scope    INTEGER NOT NULL DEFAULT 1,
    reason      TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, kind, name),
    CHECK (in_scope = 1 OR reason <> '')
);

CREATE TABLE subservice_org (
    id       TEXT PRIMARY KEY,
    org_id   TEXT NOT NULL REFERENCES organization (id),
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    services TEXT NOT NULL DEFAULT '',
    method   TEXT NOT NULL CHECK (method IN ('carve-out', 'inclusive')),
    UNIQUE (org_id, slug)
);

-- Complementary subservice organization controls expected of a subservice org.
CREATE TABLE csoc (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organization (id),
    subservice_id TEXT NOT NULL REFERENCES subservice_org (id) ON DELETE CASCADE,
    text          TEXT NOT NULL,
    criteria      TEXT NOT NULL DEFAULT '' -- comma-separated criterion ids
);

-- Complementary user entity controls.
CREATE TABLE cuec (
    id       TEXT PRIMARY KEY,
    org_id   TEXT NOT NULL REFERENCES organization (id),
    code     TEXT NOT NULL,
    text     TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '', -- comma-separated criterion ids
    UNIQUE (org_id, code)
);

CREATE TABLE control (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organization (id),
    code              TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    owner_id          TEXT REFERENCES person (id),
    frequency         TEXT NOT NULL CHECK (frequency IN ('continuous', 'multiple-daily', 'daily',
                          'weekly', 'monthly', 'quarterly', 'semi-annual', 'annual',
                          'event-driven')),
    nature            TEXT NOT NULL CHECK (nature IN ('preventive', 'detective', 'corrective')),
    type              TEXT NOT NULL CHECK (type IN ('manual', 'automated',
                          'it-dependent-manual')),
    is_key            INTEGER NOT NULL DEFAULT 0,
    status            TEXT NOT NULL DEFAULT 'not-started' CHECK (status IN ('not-started',
                          'designed', 'implemented', 'operating')),
    library_code      TEXT, -- the library control it was adopted from
    evidence_expected TEXT NOT NULL DEFAULT '', -- one item per line
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, code)
);

-- A control addresses a criterion; pofs lists the points of focus of that
-- criterion the mapping covers (comma-separated ids, may be empty).
CREATE TABLE control_criterion (
    control_id TEXT NOT NULL REFERENCES control (id) ON DELETE CASCADE,
    org_id     TEXT NOT NULL REFERENCES organization (id),
    criterion  TEXT NOT NULL,
    pofs       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (control_id, criterion)
);
CREATE INDEX control_criterion_org ON control_criterion (org_id, criterion);

CREATE TABLE risk (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organization (id),
    code                TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL DEFAULT '',
    likelihood          INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    treatment           TEXT NOT NULL CHECK (treatment IN ('mitigate', 'accept', 'transfer',
                            'avoid')),
    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact     INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
    is_fraud            INTEGER NOT NULL DEFAULT 0,
    owner_id            TEXT REFERENCES person (id),
    next_review         TEXT,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, code)
);

CREATE TABLE risk_control (
    risk_id    TEXT NOT NULL REFERENCES risk (id) ON DELETE CASCADE,
    control_id TEXT NOT NULL REFERENCES control (id) ON DELETE CASCADE,
    org_id     TEXT NOT NULL REFERENCES organization (id),
    PRIMARY KEY (risk_id, control_id)
);

CREATE TABLE policy (
    id       TEXT PRIMARY KEY,
    org_id   TEXT NOT NULL REFERENCES organization (id),
    slug     TEXT NOT NULL,
    title    TEXT NOT NULL,
    owner_id TEXT REFERENCES person (id),
    review   TEXT NOT NULL DEFAULT 'annual' CHECK (review IN ('quarterly', 'semi-annual',
                 'annual')),
    template TEXT, -- the template it was made from
    version  INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, slug)
);

-- Every edit of a policy's text is a new numbered version; approval is per version.
CREATE TABLE policy_version (
    policy_id   TEXT NOT NULL REFERENCES policy (id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organization (id),
    number      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    approved_by TEXT REFERENCES person (id),
    approved_on TEXT,
    PRIMARY KEY (policy_id, number)
);

CREATE TABLE policy_ack (
    policy_id TEXT NOT NULL REFERENCES policy (id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL REFERENCES organization (id),
    number    INTEGER NOT NULL,
    person_id TEXT NOT NULL REFERENCES person (id),
    acked_on  TEXT NOT NULL,
    PRIMARY KEY (policy_id, number, person_id),
    FOREIGN KEY (policy_id, number) REFERENCES policy_version (policy_id, number)
);

CREATE TABLE vendor (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organization (id),
    slug           TEXT NOT NULL,
    name           TEXT NOT NULL,
    service        TEXT NOT NULL DEFAULT '',
    criticality    TEXT NOT NULL DEFAULT 'medium' CHECK (criticality IN ('low', 'medium',
                       'high', 'critical')),
    data_shared    TEXT NOT NULL DEFAULT '',
    soc_report     INTEGER NOT NULL DEFAULT 0,
    soc_period_end TEXT,
    subservice_id  TEXT REFERENCES subservice_org (id),
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, slug)
);
