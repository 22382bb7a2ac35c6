-- 0007: engagements (readiness walkthroughs, Type I and Type II audits) and
-- the testing done in them: tests of controls with their populations,
-- seeded samples and results; findings and remediation; the auditor's
-- request list (PBC). docs/engagements.md describes the model.
-- A concluded engagement is read-only, and so is a concluded test: the
-- application refuses the change, and the triggers of the per-backend
-- siblings (0007_engagements_triggers.*.sql) refuse it again.

CREATE TABLE engagement (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organization (id),
    slug           TEXT NOT NULL, -- what users type: "type2-2026"
    kind           TEXT NOT NULL CHECK (kind IN ('readiness', 'type1', 'type2')),
    as_of          TEXT,          -- readiness and Type I: the date of the examination
    period_start   TEXT,          -- Type II: the period examined (inclusive)
    period_end     TEXT,
    categories     TEXT NOT NULL, -- comma-separated, in catalog order; security first
    firm           TEXT NOT NULL DEFAULT '',
    phase          TEXT NOT NULL DEFAULT 'planning' CHECK (phase IN ('planning', 'fieldwork',
                       'reporting', 'concluded')),
    itgc_reliance  INTEGER NOT NULL DEFAULT 1, -- automated controls tested once
    sampling_table TEXT,          -- YAML; NULL = content/sampling/default.yaml
    created_at     TEXT NOT NULL,
    concluded_at   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, slug),
    CHECK ((kind = 'type2' AND as_of IS NULL AND period_start IS NOT NULL
                AND period_end IS NOT NULL AND period_start < period_end)
        OR (kind <> 'type2' AND as_of IS NOT NULL AND period_start IS NULL
                AND period_end IS NULL))
);

-- When each phase was entered (planning on creation).
CREATE TABLE engagement_phase (
    engagement_id TEXT NOT NULL REFERENCES engagement (id),
    org_id        TEXT NOT NULL REFERENCES organization (id),
    phase         TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    entered_by    TEXT NOT NULL,
    PRIMARY KEY (engagement_id, phase)
);

-- Auditors with access to one engagement, by email, until a date (inclusive)
-- unless revoked earlier.
CREATE TABLE engagement_auditor (
    engagement_id TEXT NOT NULL REFERENCES engagement (id),
    org_id        TEXT NOT NULL REFERENCES organization (id),
    email         TEXT NOT NULL, -- lowercase
    access_until  TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    revoked_at    TEXT,
    PRIMARY KEY (engagement_id, email)
);

-- A test of one control in one engagement. retest_no 0 is the planned
-- test; a retest after remediation gets the next number.
CREATE TABLE eng_test (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organization (id),
    engagement_id     TEXT NOT NULL REFERENCES engagement (id),
    control_id        TEXT NOT NULL REFERENCES control (id),
    kind              TEXT NOT NULL CHECK (kind IN ('design', 'operating')),
    retest_no         INTEGER NOT NULL DEFAULT 0,
    retest_of         TEXT REFERENCES eng_test (id),
    method            TEXT NOT NULL CHECK (method IN ('inquiry', 'observation', 'inspection',
                          're-performance')),
    steps             TEXT NOT NULL DEFAULT '', -- one procedure step per line
    frequency         TEXT NOT NULL,            -- the control's, when planned
    control_type      TEXT NOT NULL,
    is_key            INTEGER NOT NULL DEFAULT 0,
    planned_size      INTEGER NOT NULL DEFAULT 0, -- 0 = set by the population
    size_basis        TEXT NOT NULL DEFAULT '',   -- how the table gave the size
    population_size   INTEGER,
    population_hash   TEXT,
    population_source TEXT,
    population_at     TEXT,
    seed              TEXT,    -- canonical decimal
    sample_size       INTEGER,
    drawn_at          TEXT,
    status            TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned',
                          'in-progress', 'concluded')),
    conclusion        TEXT CHECK (conclusion IN ('effective', 'effective-with-exceptions',
                          'not-effective')),
    tested            INTEGER,
    exceptions        INTEGER,
    tolerable         INTEGER,
    concluded_at      TEXT,
    concluded_by      TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (engagement_id, control_id, kind, retest_no),
    CHECK (status <> 'concluded' OR conclusion IS NOT NULL)
);
CREATE INDEX eng_test_org ON eng_test (org_id, engagement_id);

-- The population of a test, sorted bytewise by item: idx is the position
-- the sample's indices refer to (docs/sampling.md).
CREATE TABLE test_population (
    test_id   TEXT NOT NULL REFERENCES eng_test (id),
    org_id    TEXT NOT NULL REFERENCES organization (id),
    idx       INTEGER NOT NULL,
    item      TEXT NOT NULL,
    item_date TEXT,
    PRIMARY KEY (test_id, idx),
    UNIQUE (test_id, item)
);

-- The sample, in draw order (pos), with the result of each item.
-- idx is NULL for a walkthrough item of a test of design without a drawn sample.
CREATE TABLE test_sample (
    test_id     TEXT NOT NULL REFERENCES eng_test (id),
    org_id      TEXT NOT NULL REFERENCES organization (id),
    pos         INTEGER NOT NULL,
    idx         INTEGER,
    item        TEXT NOT NULL,
    result      TEXT CHECK (result IN ('pass', 'exception')),
    description TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '', -- comma-separated evidence ids
    tested_by   TEXT,
    tested_at   TEXT,
    PRIMARY KEY (test_id, pos),
    UNIQUE (test_id, item),
    CHECK (result IS NOT NULL OR description = ''),
    CHECK (result <> 'exception' OR description <> '')
);

CREATE TABLE finding (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organization (id),
    engagement_id TEXT NOT NULL REFERENCES engagement (id),
    test_id       TEXT REFERENCES eng_test (id),
    code          TEXT NOT NULL, -- "F-1", per organization
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    severity      TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    root_cause    TEXT NOT NULL DEFAULT '',
    response      TEXT NOT NULL DEFAULT '', -- management's response
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'remediating',
                      'closed')),
    created_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, code)
);
CREATE INDEX finding_engagement ON finding (org_id, engagement_id);

-- The exceptions (sample items) a finding was raised from.
CREATE TABLE finding_item (
    finding_id TEXT NOT NULL REFERENCES finding (id),
    org_id     TEXT NOT NULL REFERENCES organization (id),
    test_id    TEXT NOT NULL REFERENCES eng_test (id),
    item       TEXT NOT NULL,
    PRIMARY KEY (finding_id, test_id, item)
);

CREATE TABLE remediation (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organization (id),
    finding_id     TEXT NOT NULL REFERENCES finding (id),
    code           TEXT NOT NULL, -- "REM-1", per organization
    action         TEXT NOT NULL,
    owner_id       TEXT REFERENCES person (id),
    due            TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in-progress',
                       'done')),
    done_on        TEXT,
    retest_test_id TEXT REFERENCES eng_test (id),
    created_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, code)
);

-- The request list ("provided by client"): what the auditor asks for.
CREATE TABLE pbc_item (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organization (id),
    engagement_id TEXT NOT NULL REFERENCES engagement (id),
    ref           TEXT NOT NULL, -- "PBC-001", per engagement
    request       TEXT NOT NULL,
    control_id    TEXT REFERENCES control (id),
    owner_id      TEXT REFERENCES person (id),
    due           TEXT,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted',
                      'accepted', 'returned')),
    requested_by  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (engagement_id, ref)
);
CREATE INDEX pbc_item_org ON pbc_item (org_id, engagement_id);

CREATE TABLE pbc_evidence (
    item_id     TEXT NOT NULL REFERENCES pbc_item (id),
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    org_id      TEXT NOT NULL REFERENCES organization (id),
    PRIMARY KEY (item_id, evidence_id)
);

CREATE TABLE pbc_comment (
    item_id TEXT NOT NULL REFERENCES pbc_item (id),
    org_id  TEXT NOT NULL REFERENCES organization (id),
    seq     INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    author  TEXT NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
);
