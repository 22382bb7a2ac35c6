-- 0008 (PostgreSQL): the byte-wise collation 0006 gives every text column,
-- and row-level tenant isolation for the framework tables.

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
FROM unnest(ARRAY['framework', 'framework_control', 'framework_mapping']) AS t;
