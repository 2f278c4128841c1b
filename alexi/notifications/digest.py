"""The email summary (digest): for each active person who asked for one, daily or weekly, how
many unread notifications they have and a link to Alexi. Never a name, a reference, a date
of birth or a note: the words are fixed here and only numbers are filled in.

Run by Celery beat every hour (settings CELERY_BEAT_SCHEDULE); a person gets it on the first
run at or after DIGEST_HOUR of their period (each day, or each week from Monday), and never
twice for one period however often beat fires: the period is claimed on their row, in the
same transaction, before the email is handed over on commit.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alexi.notifications.models import DigestFrequency, NotificationPreference
from alexi.notifications.selectors import COUNT_CAP, unread_count

logger = logging.getLogger("alexi.notifications")

SUBJECT = "Your Alexi summary"


def period_of(frequency: str, now: datetime) -> str:
    """The period a digest sent `now` is for: the day, or the ISO week."""
    local = timezone.localtime(now)
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def body_for(*, unread: int, frequency: str) -> str:
    site = settings.SITE_URL.rstrip("/")
    shown = f"more than {COUNT_CAP}" if unread > COUNT_CAP else str(unread)
    how_often = "each day" if frequency == DigestFrequency.DAILY else "each Monday"
    return (
        f"You have {shown} unread notification{'' if unread == 1 else 's'} in Alexi.\n\n"
        f"See them in Alexi: {site}{reverse('notifications:list')}\n\n"
        f"You get this email {how_often} because you asked for it. To change that, go to "
        f"Your account in Alexi: {site}{reverse('alexi:account')}\n"
    )


def send_digests(now: datetime | None = None) -> int:
    """Send every digest due now that has not been sent for its period. Returns how many."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.DIGEST_HOUR:
        return 0
    sent = 0
    due = NotificationPreference.objects.filter(
        digest__in=[DigestFrequency.DAILY, DigestFrequency.WEEKLY], user__is_active=True
    ).values_list("pk", "digest")
    for pk, frequency in due:
        sent += _send_one(pk, frequency, period_of(frequency, now))
    return sent


@transaction.atomic
def _send_one(pk: int, frequency: str, period: str) -> int:
    from alexi.services import send_or_log

    preference = (
        NotificationPreference.objects.select_for_update(skip_locked=True)
        .select_related("user")
        .filter(pk=pk, digest=frequency, user__is_active=True)
        .exclude(digest_sent_for=period)
        .first()
    )
    if preference is None:
        return 0  # sent for this period already, turned off, or being sent by another run
    preference.digest_sent_for = period
    preference.save(update_fields=["digest_sent_for"])
    unread = unread_count(preference.user)
    if unread == 0:
        return 0  # nothing to tell: no email, and none again this period
    body = body_for(unread=unread, frequency=frequency)
    to = preference.user.email
    transaction.on_commit(lambda: send_or_log(SUBJECT, body, to))
    return 1
