-- 0003: applicability decisions for the gap analysis, and the project plan.

-- A criterion or point of focus marked not applicable, with the written
-- justification the system description (DC 200, DC8) will carry.
CREATE TABLE applicability (
    org_id        TEXT NOT NULL REFERENCES organization (id),
    target        TEXT NOT NULL, -- criterion id or point-of-focus id
    justification TEXT NOT NULL CHECK (justification <> ''),
    decided_by    TEXT NOT NULL,
    decided_on    TEXT NOT NULL,
    PRIMARY KEY (org_id, target)
);

-- Which privacy points of focus apply: the organization's role for the
-- personal information in scope.
ALTER TABLE system_scope ADD COLUMN privacy_role TEXT NOT NULL DEFAULT 'controller'
    CHECK (privacy_role IN ('controller', 'processor', 'both'));

-- The project plan: one per organization, re-computed when tasks move.
CREATE TABLE plan (
    org_id             TEXT PRIMARY KEY REFERENCES organization (id),
    start_date         TEXT NOT NULL,
    target             TEXT NOT NULL CHECK (target IN ('type1', 'type2')),
    days_per_week      INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    observation_months INTEGER NOT NULL CHECK (observation_months BETWEEN 3 AND 12),
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE plan_task (
    org_id     TEXT NOT NULL REFERENCES organization (id),
    code       TEXT NOT NULL,  -- "scope", "gap", ... (stable ids from the template)
    seq        INTEGER NOT NULL,
    phase      TEXT NOT NULL,
    title      TEXT NOT NULL,
    owner_id   TEXT REFERENCES person (id),
    depends_on TEXT NOT NULL DEFAULT '', -- comma-separated task codes
    effort_days INTEGER NOT NULL,       -- staff days of work
    span_days  INTEGER NOT NULL,        -- calendar days it takes at the plan's pace
    start_date TEXT NOT NULL,
    due_date   TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done')),
    done_on    TEXT,
    PRIMARY KEY (org_id, code)
);
