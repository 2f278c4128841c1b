"""The worker keeps the hub overview worked out for hubs whose managers are signed in, so a
manager's home page reads it from the cache instead of working every figure out."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from alexi.models import UserSession
from reporting import dashboard, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_only_hubs_with_a_manager_signed_in_are_warmed(world):
    today = timezone.localdate()
    assert tasks.warm_hub_dashboards() == 0  # nobody signed in
    UserSession.objects.create(user=world.user("hub_manager"), session_key="k" * 32)
    assert tasks.warm_hub_dashboards() == 1
    assert cache.get(dashboard._key(world.hub, today)) is not None
    assert cache.get(dashboard._key(world.other_hub, today)) is None


def test_a_warmed_dashboard_is_read_without_working_anything_out(world, django_assert_num_queries):
    today = timezone.localdate()
    UserSession.objects.create(user=world.user("hub_manager"), session_key="k" * 32)
    tasks.warm_hub_dashboards()
    warmed = cache.get(dashboard._key(world.hub, today))
    with django_assert_num_queries(0):
        shown = dashboard.hub_dashboard(world.hub, today)
    assert shown["computed_at"] == warmed["computed_at"]


def test_the_beat_refreshes_before_the_cached_copy_runs_out():
    from django.conf import settings

    schedule = settings.CELERY_BEAT_SCHEDULE["hub-dashboards-warm"]
    assert schedule["task"] == "reporting.warm_hub_dashboards"
    assert schedule["schedule"] < dashboard.DASHBOARD_SECONDS
