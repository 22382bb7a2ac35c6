-- 0007 (PostgreSQL): the same rules as the SQLite triggers (a concluded
-- engagement is read-only; a concluded test, its population and its sample
-- cannot change), the byte-wise collation 0006 gives every text column, and
-- row-level tenant isolation for the new tables.

DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT c.table_name, c.column_name
        FROM information_schema.columns c
        JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND c.data_type = 'text'
            AND t.table_type = 'BASE TABLE'
            AND coalesce(c.collation_name, '') <> 'C'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE "C"',
                       col.table_name, col.column_name);
    END LOOP;
END
$$;

SELECT tillit_isolate(t::regclass)
FROM unnest(ARRAY['engagement', 'engagement_phase', 'engagement_auditor', 'eng_test',
                  'test_population', 'test_sample', 'finding', 'finding_item', 'remediation',
                  'pbc_item', 'pbc_evidence', 'pbc_comment']) AS t;

CREATE FUNCTION engagement_refuse_concluded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.phase = 'concluded' THEN
        RAISE EXCEPTION 'a concluded engagement is read-only';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER engagement_concluded BEFORE UPDATE ON engagement
    FOR EACH ROW EXECUTE FUNCTION engagement_refuse_concluded();

CREATE FUNCTION eng_test_refuse_concluded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'concluded' THEN
        RAISE EXCEPTION 'a concluded test cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER eng_test_concluded BEFORE UPDATE OR DELETE ON eng_test
    FOR EACH ROW EXECUTE FUNCTION eng_test_refuse_concluded();

-- Rows of a test's population and sample follow their test.
CREATE FUNCTION test_rows_refuse_concluded() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tid text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        tid := NEW.test_id;
    ELSE
        tid := OLD.test_id;
    END IF;
    IF (SELECT status FROM eng_test WHERE id = tid) = 'concluded' THEN
        RAISE EXCEPTION 'a concluded test cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER test_sample_concluded BEFORE INSERT OR UPDATE OR DELETE ON test_sample
    FOR EACH ROW EXECUTE FUNCTION test_rows_refuse_concluded();

CREATE TRIGGER test_population_concluded BEFORE INSERT OR UPDATE OR DELETE ON test_population
    FOR EACH ROW EXECUTE FUNCTION test_rows_refuse_concluded();
