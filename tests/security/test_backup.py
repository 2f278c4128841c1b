"""Backups: pg_dump custom format, restored into a scratch database and checked."""

from io import StringIO

import pytest
from django.core.management import call_command

from alexi.audit import record_access
from alexi.models import AccessAction


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_with_every_row_and_the_same_access_log(world, tmp_path):
    record_access(None, AccessAction.VIEW, obj=world.case, user=world.user("hub_manager"))
    target = tmp_path / "alexi.dump"
    out = StringIO()
    call_command("backup", "--out", str(target), "--check", stdout=out)
    assert target.stat().st_size > 10_000
    assert target.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    assert "Restore checked" in out.getvalue() and "rows match" in out.getvalue()
