"""Housekeeping tasks remove what has expired, and running them twice changes nothing more."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from alexi.models import UserSession
from alexi.tasks import sessions_sweep


def test_sessions_sweep_removes_expired_sessions_and_their_owners(world):
    user = world.user("hub_manager")
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    for store in (live, old):
        UserSession.objects.create(user=user, session_key=store.session_key)

    assert sessions_sweep.delay().get() == 2
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert sessions_sweep() == 0
