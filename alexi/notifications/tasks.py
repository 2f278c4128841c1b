"""Periodic: the email summaries (alexi.notifications.digest). Idempotent per period."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="alexi.notification_digests")
def notification_digests() -> int:
    from alexi.notifications.digest import send_digests

    return send_digests()
