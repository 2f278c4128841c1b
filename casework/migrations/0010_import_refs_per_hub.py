"""Import references belong to the hub (issue 11 item 20).

A case's and a referral's `import_ref` is unique within its hub only (referrals: migration
referrals 0003), and a young person's reference moves to `YoungPersonRef`, one per hub: the
same `person_ref` at two hubs names two young people unless Alexi already holds them as one.
Existing references were unique across the programme, so each is kept at every hub where the
young person has a case or a referral (with a history row, as if imported). Imported sessions
and assessments are recognised again by their case's id instead of its reference, which two
hubs may now share ('session|<case id>|<date>|<n>'; the old keys are rewritten).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
WITH seen AS (
    SELECT young_person_id, hub_id FROM casework_case
    UNION
    SELECT young_person_id, hub_id FROM referrals_referral WHERE young_person_id IS NOT NULL
), made AS (
    INSERT INTO casework_youngpersonref (hub_id, ref, young_person_id)
    SELECT seen.hub_id, yp.import_ref, yp.id
    FROM seen JOIN casework_youngperson yp ON yp.id = seen.young_person_id
    WHERE yp.import_ref IS NOT NULL
    RETURNING id, hub_id, ref, young_person_id
)
INSERT INTO casework_historicalyoungpersonref
    (id, hub_id, ref, young_person_id, history_date, history_change_reason, history_type,
     history_user_id)
SELECT id, hub_id, ref, young_person_id, now(), 'Reference kept at the hub', '+', NULL
FROM made;

UPDATE casework_casesession
SET import_key = 'session|' || case_id || '|' || split_part(import_key, '|', 3) || '|'
                 || split_part(import_key, '|', 4)
WHERE import_key LIKE 's|%';

UPDATE casework_riskassessment
SET import_key = 'assessment|' || case_id || '|' || split_part(import_key, '|', 3) || '|'
                 || split_part(import_key, '|', 4)
WHERE import_key LIKE 'a|%';
"""

# Going back: each young person takes their earliest reference again (references were unique
# across the programme before, so one that is now used at two hubs for two people cannot
# go back; the unique index then refuses, and the data must be sorted out by hand first).
RESTORE = """
UPDATE casework_youngperson yp SET import_ref = r.ref
FROM (SELECT DISTINCT ON (young_person_id) young_person_id, ref
      FROM casework_youngpersonref ORDER BY young_person_id, id) r
WHERE r.young_person_id = yp.id;

UPDATE casework_casesession s
SET import_key = 's|' || c.import_ref || '|' || split_part(s.import_key, '|', 3) || '|'
                 || split_part(s.import_key, '|', 4)
FROM casework_case c
WHERE c.id = s.case_id AND s.import_key LIKE 'session|%';

UPDATE casework_riskassessment s
SET import_key = 'a|' || c.import_ref || '|' || split_part(s.import_key, '|', 3) || '|'
                 || split_part(s.import_key, '|', 4)
FROM casework_case c
WHERE c.id = s.case_id AND s.import_key LIKE 'assessment|%';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("alexi", "0009_access_action_share_ended_admin_invited"),
        ("casework", "0009_one_open_case_per_person_per_hub"),
        # The backfill reads the hubs of young people's referrals.
        ("referrals", "0002_referral_case_may_have_several"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalYoungPersonRef",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("ref", models.CharField(max_length=40)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical young person ref",
                "verbose_name_plural": "historical young person refs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="YoungPersonRef",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ref", models.CharField(max_length=40)),
            ],
        ),
        migrations.AlterField(
            model_name="case",
            name="import_ref",
            field=models.CharField(blank=True, max_length=40, null=True),
        ),
        migrations.AlterField(
            model_name="historicalcase",
            name="import_ref",
            field=models.CharField(blank=True, max_length=40, null=True),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                fields=("hub", "import_ref"), name="case_ref_unique_per_hub"
            ),
        ),
        migrations.AddField(
            model_name="historicalyoungpersonref",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalyoungpersonref",
            name="hub",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="alexi.hub",
            ),
        ),
        migrations.AddField(
            model_name="historicalyoungpersonref",
            name="young_person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="casework.youngperson",
            ),
        ),
        migrations.AddField(
            model_name="youngpersonref",
            name="hub",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="alexi.hub"
            ),
        ),
        migrations.AddField(
            model_name="youngpersonref",
            name="young_person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="import_refs",
                to="casework.youngperson",
            ),
        ),
        migrations.AddConstraint(
            model_name="youngpersonref",
            constraint=models.UniqueConstraint(
                fields=("hub", "ref"), name="one_person_per_ref_per_hub"
            ),
        ),
        migrations.AddConstraint(
            model_name="youngpersonref",
            constraint=models.UniqueConstraint(
                fields=("hub", "young_person"), name="one_ref_per_person_per_hub"
            ),
        ),
        migrations.RunSQL(BACKFILL, RESTORE),
        migrations.RemoveField(
            model_name="historicalyoungperson",
            name="import_ref",
        ),
        migrations.RemoveField(
            model_name="youngperson",
            name="import_ref",
        ),
    ]
