-- 0008: other frameworks, imported from OSCAL catalogs (NIST SP 800-53,
-- ISO 27001 mappings, a customer's own), and how their controls map to
-- the trust services criteria, so one control set serves several
-- frameworks. docs/reports.md describes the import.

-- One imported catalog. A framework belongs to one organization: its
-- mappings are that organization's judgement.
CREATE TABLE framework (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organization (id),
    slug          TEXT NOT NULL, -- what users type: "nist-800-53"
    title         TEXT NOT NULL,
    fw_version    TEXT NOT NULL DEFAULT '', -- the catalog's metadata.version
    oscal_version TEXT NOT NULL DEFAULT '',
    source_uuid   TEXT NOT NULL,            -- the catalog's uuid
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, slug)
);

-- The controls of a framework in catalog order (seq). A control enhancement
-- names its parent control; groups are kept as the innermost group's id
-- and title.
CREATE TABLE framework_control (
    framework_id TEXT NOT NULL REFERENCES framework (id),
    org_id       TEXT NOT NULL REFERENCES organization (id),
    control_id   TEXT NOT NULL, -- the OSCAL id: "ac-2.1"
    seq          INTEGER NOT NULL,
    label        TEXT NOT NULL DEFAULT '', -- "AC-2(1)"
    title        TEXT NOT NULL,
    class        TEXT NOT NULL DEFAULT '',
    parent_id    TEXT,                     -- the parent control of an enhancement
    group_id     TEXT NOT NULL DEFAULT '',
    group_title  TEXT NOT NULL DEFAULT '',
    statement    TEXT NOT NULL DEFAULT '', -- the statement's prose, flattened
    PRIMARY KEY (framework_id, control_id)
);

-- A control of a framework mapped to a criterion of the TSC catalog.
CREATE TABLE framework_mapping (
    framework_id TEXT NOT NULL REFERENCES framework (id),
    org_id       TEXT NOT NULL REFERENCES organization (id),
    control_id   TEXT NOT NULL,
    criterion    TEXT NOT NULL, -- "CC6.1", as the catalog spells it
    mapped_by    TEXT NOT NULL,
    mapped_at    TEXT NOT NULL,
    PRIMARY KEY (framework_id, control_id, criterion),
    FOREIGN KEY (framework_id, control_id) REFERENCES framework_control (framework_id, control_id)
);
CREATE INDEX framework_mapping_criterion ON framework_mapping (org_id, criterion);
