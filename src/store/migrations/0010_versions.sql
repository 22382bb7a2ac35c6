-- 0010: a version number for the scope records and the plan's tasks, as
-- the other editable records have had since they were made (optimistic
-- concurrency, docs/web.md "Concurrent edits"): an edit increments it, and
-- an edit based on an older version is refused.  Existing rows start at 1.

ALTER TABLE service ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE component ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE subservice_org ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE csoc ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cuec ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plan_task ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
