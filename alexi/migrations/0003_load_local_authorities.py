"""Load the English upper-tier local authorities shipped in alexi/data (mySociety, MIT)."""

from django.db import migrations

from alexi.reference_data import load_local_authorities


def load(apps, schema_editor):
    load_local_authorities(apps.get_model("alexi", "LocalAuthority"))


def unload(apps, schema_editor):
    apps.get_model("alexi", "LocalAuthority").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("alexi", "0002_access_log_append_only")]
    operations = [migrations.RunPython(load, unload)]
