"""TRUNCATE is refused on the quarterly returns as on the access log, in every database.

One guard serves both tables (and replaces the access log's own, which let any database named
test_* through, so the test suite never met it). A TRUNCATE passes only when the table's owner
asks for it deliberately, in its own transaction:

    SET LOCAL alexi.allow_truncate = 'on';

The test suite's flush between transactional tests does exactly that (tests/truncate_guard.py);
nothing in the application does. The role the application connects as owns no table
(manage.py grant_app_role), so it is refused even when it sets the variable, and it has no
TRUNCATE privilege anyway. Row changes stay refused by the row triggers of alexi 0002 and
reporting 0002.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION alexi_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('alexi.allow_truncate', true) = 'on'
       AND pg_has_role(
           current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER'
       ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS alexi_accesslog_no_truncate ON alexi_accesslog;
DROP FUNCTION IF EXISTS alexi_accesslog_refuse_truncate();
CREATE TRIGGER alexi_accesslog_no_truncate
    BEFORE TRUNCATE ON alexi_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION alexi_refuse_truncate();

CREATE TRIGGER reporting_return_no_truncate
    BEFORE TRUNCATE ON reporting_quarterlyreturn
    FOR EACH STATEMENT EXECUTE FUNCTION alexi_refuse_truncate();
"""

# Back to alexi 0006's access log guard, and no guard on the returns.
REVERSE = """
DROP TRIGGER IF EXISTS reporting_return_no_truncate ON reporting_quarterlyreturn;
DROP TRIGGER IF EXISTS alexi_accesslog_no_truncate ON alexi_accesslog;

CREATE OR REPLACE FUNCTION alexi_accesslog_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: TRUNCATE is not allowed'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER alexi_accesslog_no_truncate
    BEFORE TRUNCATE ON alexi_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION alexi_accesslog_refuse_truncate();

DROP FUNCTION IF EXISTS alexi_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("alexi", "0006_access_log_refuses_truncate"),
        ("reporting", "0003_return_requests"),
    ]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
