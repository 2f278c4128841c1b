"""The calendar feed's secret address is a key that works without signing in, so whatever takes
a person's keys away takes it too (security review of issue 13): deactivating the account (a
phone lost, someone leaving) and resetting the second factor ("lost phone"). The address does
not come back when the account is reactivated or a new factor is set up: the person makes a
new one."""

from __future__ import annotations

import pytest

from alexi import services as core
from alexi.models import AccessAction, AccessLog
from alexi.notifications.models import NotificationPreference
from tests.notifications.test_calendar import turn_on

pytestmark = pytest.mark.django_db


def test_deactivation_ends_the_feed_address_for_good(world, client_for, client):
    _, path = turn_on(client_for("allocated_worker"))
    worker, admin = world.user("allocated_worker"), world.user("programme_admin")
    core.user_deactivate(actor=admin, user=worker)
    assert client.get(path).status_code == 404
    core.user_reactivate(actor=admin, user=worker)
    worker.refresh_from_db()
    assert worker.is_active
    assert client.get(path).status_code == 404  # the old address stays dead
    preference = NotificationPreference.objects.get(user=worker)
    assert preference.calendar_token_hash is None
    # Logged as done by the administrator, about the worker.
    [row] = AccessLog.objects.filter(action=AccessAction.CALENDAR_FEED_OFF)
    assert (row.user, row.object_id) == (admin, str(worker.pk))


def test_second_factor_reset_ends_the_feed_address(world, client_for, client):
    _, path = turn_on(client_for("allocated_worker"))
    worker = world.user("allocated_worker")
    assert client.get(path).status_code == 200
    core.second_factor_reset(actor=world.user("programme_admin"), user=worker)
    assert client.get(path).status_code == 404
    assert NotificationPreference.objects.get(user=worker).calendar_token_hash is None


def test_deactivating_someone_without_a_feed_changes_nothing_of_theirs(world):
    worker = world.user("same_spoke_worker")
    core.user_deactivate(actor=world.user("programme_admin"), user=worker)
    assert not NotificationPreference.objects.filter(user=worker).exists()
    assert not AccessLog.objects.filter(action=AccessAction.CALENDAR_FEED_OFF).exists()
