"""The database itself refuses UPDATE and DELETE on the access log (SECURITY.md, Audit)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION alexi_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER alexi_accesslog_append_only
    BEFORE UPDATE OR DELETE ON alexi_accesslog
    FOR EACH ROW EXECUTE FUNCTION alexi_accesslog_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS alexi_accesslog_append_only ON alexi_accesslog;
DROP FUNCTION IF EXISTS alexi_accesslog_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("alexi", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
