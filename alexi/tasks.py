"""Periodic housekeeping. Each task is idempotent: running it twice has the effect of once."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from alexi.models import UserSession


@shared_task(name="alexi.sessions_sweep")
def sessions_sweep() -> int:
    """Delete expired sessions and forget which user they belonged to, and the spent form
    tokens too old to be sent again (alexi/submissions). Returns rows removed."""
    from alexi.submissions.models import SpentToken
    from alexi.submissions.once import MAX_AGE

    expired, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    live = Session.objects.values("session_key")
    orphaned, _ = UserSession.objects.exclude(session_key__in=live).delete()
    # A token older than MAX_AGE is refused whether or not it was spent; a day's margin.
    spent, _ = SpentToken.objects.filter(
        used_at__lt=timezone.now() - MAX_AGE - timedelta(days=1)
    ).delete()
    return expired + orphaned + spent


@shared_task(name="alexi.send_email", ignore_result=True)
def send_email(subject: str, body: str, to: str) -> None:
    """Send one email off the request, so how long a page takes never depends on whether a
    message was sent (the password-reset page answers alike for any address)."""
    from alexi.services import send_or_log

    send_or_log(subject, body, to)
