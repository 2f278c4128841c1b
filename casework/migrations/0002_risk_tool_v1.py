"""Ship the default exploitation screening and review tool as version 1 (shared/data)."""

from django.db import migrations


def load(apps, schema_editor):
    from casework.risk import load_tool_v1

    RiskTool = apps.get_model("casework", "RiskTool")
    definition = load_tool_v1()
    RiskTool.objects.get_or_create(
        version=definition["version"], defaults={"name": definition["name"], "definition": definition}
    )


def unload(apps, schema_editor):
    apps.get_model("casework", "RiskTool").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_cases_sessions_assessments_sharing")]
    operations = [migrations.RunPython(load, unload)]
