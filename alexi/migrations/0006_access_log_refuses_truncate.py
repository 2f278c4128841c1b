"""Refuse TRUNCATE on the access log too, except in test databases (named test_*), whose
between-test flush empties every table."""

from django.db import migrations

FORWARD = """
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
"""

REVERSE = """
DROP TRIGGER IF EXISTS alexi_accesslog_no_truncate ON alexi_accesslog;
DROP FUNCTION IF EXISTS alexi_accesslog_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("alexi", "0005_user_session_epoch")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
