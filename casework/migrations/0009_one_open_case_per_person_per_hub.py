"""A case carries its spoke's hub (kept in step by a trigger, so raw SQL writers such as the
import and the benchmark generator need not know), and a young person has at most one open or
paused case per hub: a partial unique index.

Databases made before this may already hold two open cases of one young person at one hub
(the fault this fixes). The migration then stops and names them, rather than choosing which
to close: close or merge one with the previous version, then migrate again."""

import django.db.models.deletion
from django.db import migrations, models

CASE_HUB_TRIGGER = """
CREATE FUNCTION casework_case_set_hub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT hub_id INTO NEW.hub_id FROM alexi_spoke WHERE id = NEW.spoke_id;
    RETURN NEW;
END $$;
CREATE TRIGGER casework_case_set_hub BEFORE INSERT OR UPDATE OF spoke_id, hub_id
    ON casework_case FOR EACH ROW EXECUTE FUNCTION casework_case_set_hub();

CREATE FUNCTION alexi_spoke_moves_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE casework_case SET hub_id = NEW.hub_id WHERE spoke_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER alexi_spoke_moves_cases AFTER UPDATE OF hub_id ON alexi_spoke
    FOR EACH ROW WHEN (OLD.hub_id IS DISTINCT FROM NEW.hub_id)
    EXECUTE FUNCTION alexi_spoke_moves_cases();

UPDATE casework_case c SET hub_id = s.hub_id FROM alexi_spoke s WHERE s.id = c.spoke_id;
SET CONSTRAINTS ALL IMMEDIATE;
"""

DROP_CASE_HUB_TRIGGER = """
DROP TRIGGER IF EXISTS alexi_spoke_moves_cases ON alexi_spoke;
DROP FUNCTION IF EXISTS alexi_spoke_moves_cases();
DROP TRIGGER IF EXISTS casework_case_set_hub ON casework_case;
DROP FUNCTION IF EXISTS casework_case_set_hub();
"""


def refuse_existing_duplicates(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT young_person_id, hub_id, array_agg(id ORDER BY id)
            FROM casework_case WHERE status <> 'closed'
            GROUP BY young_person_id, hub_id HAVING count(*) > 1
            ORDER BY young_person_id
            """
        )
        rows = cursor.fetchall()
    if rows:
        listed = "; ".join(
            f"YP-{person:06d}: " + ", ".join(f"C-{case:06d}" for case in cases)
            for person, _hub, cases in rows[:50]
        )
        raise RuntimeError(
            f"{len(rows)} young people have more than one open or paused case at one hub "
            f"({listed}). Close or merge the extra cases, then run the migration again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alexi", "0006_access_log_refuses_truncate"),
        ("casework", "0008_assessment_no_indicators_present"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="hub",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="alexi.hub",
            ),
        ),
        migrations.RunSQL(CASE_HUB_TRIGGER, DROP_CASE_HUB_TRIGGER),
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="hub",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="alexi.hub",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=("young_person", "hub"),
                name="one_open_case_per_person_per_hub",
            ),
        ),
    ]
