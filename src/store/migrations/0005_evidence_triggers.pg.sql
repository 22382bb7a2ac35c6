-- 0005 (PostgreSQL): evidence is superseded, never edited or deleted. The
-- same conditions as the SQLite triggers, checked inside the trigger
-- functions (a WHEN clause would pin the columns' types).

CREATE FUNCTION evidence_refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
        OR NEW.id <> OLD.id OR NEW.org_id <> OLD.org_id OR NEW.sha256 <> OLD.sha256
        OR NEW.size <> OLD.size OR NEW.media_type <> OLD.media_type
        OR NEW.original_name <> OLD.original_name OR NEW.source <> OLD.source
        OR NEW.note <> OLD.note OR NEW.added_by <> OLD.added_by OR NEW.added_at <> OLD.added_at
        OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end THEN
        RAISE EXCEPTION 'evidence is never edited in place: supersede it';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION evidence_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evidence is never deleted: supersede it';
END
$$;

CREATE TRIGGER evidence_no_edit BEFORE UPDATE ON evidence
    FOR EACH ROW EXECUTE FUNCTION evidence_refuse_edit();

CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION evidence_refuse_delete();

CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_delete();
