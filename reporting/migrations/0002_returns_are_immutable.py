"""A generated return never changes: the database refuses UPDATE and DELETE on it."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION reporting_return_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A quarterly return is a snapshot: % is not allowed (regenerate instead)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reporting_return_immutable
    BEFORE UPDATE OR DELETE ON reporting_quarterlyreturn
    FOR EACH ROW EXECUTE FUNCTION reporting_return_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS reporting_return_immutable ON reporting_quarterlyreturn;
DROP FUNCTION IF EXISTS reporting_return_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_quarterly_returns")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
