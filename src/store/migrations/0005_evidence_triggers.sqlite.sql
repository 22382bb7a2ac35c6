-- 0005 (SQLite): evidence is superseded, never edited or deleted.

CREATE TRIGGER evidence_no_edit BEFORE UPDATE ON evidence
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
    OR NEW.id <> OLD.id OR NEW.org_id <> OLD.org_id OR NEW.sha256 <> OLD.sha256
    OR NEW.size <> OLD.size OR NEW.media_type <> OLD.media_type
    OR NEW.original_name <> OLD.original_name OR NEW.source <> OLD.source
    OR NEW.note <> OLD.note OR NEW.added_by <> OLD.added_by OR NEW.added_at <> OLD.added_at
    OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end
BEGIN
    SELECT RAISE(ABORT, 'evidence is never edited in place: supersede it');
END;

CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence is never deleted: supersede it');
END;
