"""Load the English upper-tier local authorities shipped in alexi/data (mySociety, MIT)."""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "english_upper_tier_local_authorities.csv"


def _date(value):
    return date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("alexi", "LocalAuthority")
    with DATA.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(LocalAuthority.objects.values_list("gss_code", flat=True))
    LocalAuthority.objects.bulk_create(
        LocalAuthority(
            gss_code=row["gss_code"],
            name=row["name"],
            official_name=row["official_name"],
            kind=row["type"],
            region=row["region"],
            start_date=_date(row["start_date"]),
            end_date=_date(row["end_date"]),
            replaced_by=row["replaced_by"],
        )
        for row in rows
        if row["gss_code"] not in existing
    )


def unload(apps, schema_editor):
    apps.get_model("alexi", "LocalAuthority").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("alexi", "0002_access_log_append_only")]
    operations = [migrations.RunPython(load, unload)]
