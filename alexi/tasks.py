"""Periodic housekeeping. Each task is idempotent: running it twice has the effect of once."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from alexi.models import UserSession


@shared_task(name="alexi.sessions_sweep")
def sessions_sweep() -> int:
    """Delete expired sessions and forget which user they belonged to. Returns rows removed."""
    expired, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    live = Session.objects.values("session_key")
    orphaned, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return expired + orphaned
