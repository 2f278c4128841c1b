"""History of every change, and an access log the database will not let anyone rewrite."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from alexi.audit import record_access
from alexi.history import acting_as
from alexi.models import AccessAction, AccessLog, Hub


@pytest.fixture
def log_row(world):
    return record_access(
        None,
        AccessAction.VIEW,
        object_type="hub",
        object_id=world.hub.pk,
        user=world.user("hub_manager"),
    )


def test_the_database_refuses_to_update_the_access_log(log_row):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=log_row.pk).update(action=AccessAction.PRINT)
    log_row.refresh_from_db()
    assert log_row.action == AccessAction.VIEW


def test_the_database_refuses_to_delete_from_the_access_log(log_row):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM alexi_accesslog")
    assert AccessLog.objects.filter(pk=log_row.pk).exists()


def test_access_log_rows_hold_who_what_when_and_where_only(log_row, world):
    assert log_row.user == world.user("hub_manager")
    assert log_row.object_type == "hub" and log_row.object_id == str(world.hub.pk)
    assert log_row.at.tzinfo is not None
    field_names = {f.name for f in AccessLog._meta.get_fields()}
    assert field_names == {
        "id",
        "at",
        "user",
        "user_label",
        "action",
        "object_type",
        "object_id",
        "address",
        "path",
        # A search's row only (issue 13): what was typed, since a search for a name is itself
        # sensitive, and the ids of the cases it listed. Other rows hold neither.
        "terms",
        "object_ids",
    }
    assert log_row.terms == "" and log_row.object_ids is None


def test_changes_made_in_a_command_record_the_explicit_actor(world):
    admin = world.user("programme_admin")
    with acting_as(admin):
        hub = Hub.objects.create(ref="HUB-ACT", name="Acted Hub")
        hub.name = "Renamed Hub"
        hub.save()
    assert [h.history_user for h in hub.history.all()] == [admin, admin]
    assert hub.history.first().name == "Renamed Hub"


def test_changes_made_through_a_page_record_the_signed_in_user(world, client_for):
    from django.urls import reverse

    target = world.user("same_spoke_worker")
    client_for("programme_admin").post(
        reverse("alexi:person_action", args=[target.pk, "deactivate"])
    )
    latest = target.history.first()
    assert latest.is_active is False
    assert latest.history_user == world.user("programme_admin")


def test_the_database_refuses_to_truncate_the_access_log_in_every_database(log_row):
    """The guard is no longer skipped in test databases (tests/security/test_app_role.py
    truncates for real); this one reads its definition."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('alexi_refuse_truncate'::regproc)")
        body = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname IN "
            "('alexi_accesslog_no_truncate', 'reporting_return_no_truncate')"
        )
        assert cursor.fetchone()[0] == 2
    assert "TRUNCATE is not allowed" in body
    assert "current_database()" not in body
