-- 0006 (PostgreSQL): tenant isolation in the database, and the column
-- types and collation where PostgreSQL would differ from SQLite.
--
-- Row-level security: every organization-scoped table shows, and accepts,
-- only the rows of the organization named by the setting tillit.org_id,
-- which Tillit sets per session and again per transaction
-- (store_set_tenant).  Unset, it matches nothing.  The policies bind every
-- role but the tables' owner and superusers: Tillit's servers connect as a
-- role that owns nothing (docs/postgres.md), so they cannot switch the
-- policies off either.  The application filters by org_id itself as well;
-- this is the second wall, against a query that forgets to.
--
-- A later migration that adds an organization-scoped table calls
-- tillit_isolate('table') in its .pg.sql sibling; t1200-pg-rls checks that
-- every table with an org_id column has policies.

-- Seconds since the epoch outgrow INTEGER in 2038, and a blob may be over
-- 2 GiB: SQLite's INTEGER is 64-bit, PostgreSQL's is not.
ALTER TABLE evidence ALTER COLUMN size TYPE BIGINT;
ALTER TABLE web_session ALTER COLUMN created_at TYPE BIGINT,
    ALTER COLUMN last_seen TYPE BIGINT, ALTER COLUMN expires_at TYPE BIGINT;
ALTER TABLE login_attempt ALTER COLUMN at TYPE BIGINT;
ALTER TABLE api_token ALTER COLUMN last_used TYPE BIGINT;

-- Text sorts and compares byte by byte, as in SQLite, whatever the
-- database's locale: lists come out in the same order on both backends.
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

CREATE FUNCTION tillit_isolate(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('CREATE POLICY tenant ON %s '
                   'USING (org_id = current_setting(''tillit.org_id'', true)) '
                   'WITH CHECK (org_id = current_setting(''tillit.org_id'', true))', tbl);
END
$$;

SELECT tillit_isolate(c.table_name::regclass)
FROM information_schema.columns c
JOIN information_schema.tables t
    ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = current_schema() AND c.column_name = 'org_id'
    AND t.table_type = 'BASE TABLE' AND c.table_name <> 'membership';

-- Memberships are read before an organization is chosen (logging in, the
-- organization switcher): everyone may read them, only the organization
-- itself may change its own.
ALTER TABLE membership ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_read ON membership FOR SELECT USING (true);
CREATE POLICY member_insert ON membership FOR INSERT
    WITH CHECK (org_id = current_setting('tillit.org_id', true));
CREATE POLICY member_update ON membership FOR UPDATE
    USING (org_id = current_setting('tillit.org_id', true))
    WITH CHECK (org_id = current_setting('tillit.org_id', true));
CREATE POLICY member_delete ON membership FOR DELETE
    USING (org_id = current_setting('tillit.org_id', true));

-- The organizations themselves: listed and resolved by slug before a
-- tenant is known, and created without one; changed only as themselves.
ALTER TABLE organization ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_read ON organization FOR SELECT USING (true);
CREATE POLICY org_insert ON organization FOR INSERT WITH CHECK (true);
CREATE POLICY org_update ON organization FOR UPDATE
    USING (id = current_setting('tillit.org_id', true))
    WITH CHECK (id = current_setting('tillit.org_id', true));
CREATE POLICY org_delete ON organization FOR DELETE
    USING (id = current_setting('tillit.org_id', true));

-- The audit log: an organization's chain is its own; the installation's
-- chain (chain = '') is shared.  No UPDATE or DELETE policy: none passes.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY chain_read ON audit_log FOR SELECT
    USING (chain = '' OR chain = current_setting('tillit.org_id', true));
CREATE POLICY chain_append ON audit_log FOR INSERT
    WITH CHECK (chain = '' OR chain = current_setting('tillit.org_id', true));
