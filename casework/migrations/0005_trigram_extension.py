"""pg_trgm for duplicate matching by similar name (a trusted extension since PostgreSQL 13)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_young_person_version")]
    operations = [TrigramExtension()]
