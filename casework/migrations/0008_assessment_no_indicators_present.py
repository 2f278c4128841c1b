from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0007_casesession_import_key_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="riskassessment",
            name="no_indicators_present",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="historicalriskassessment",
            name="no_indicators_present",
            field=models.BooleanField(db_default=False, default=False),
        ),
    ]
