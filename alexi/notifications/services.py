"""Writes for notifications. `notify` is what the domain services call at the moments a person
should hear of (a case allocated to them, a closure returned, ...).

It writes in the caller's transaction, so a notification exists exactly when the event it
tells of was committed (a refused or rolled-back allocation notifies nobody), and it is seen by
the recipient only once that transaction commits. One row per person and event (a unique
constraint), so the same event sent twice, by a double submit or a retried job, notifies once;
the actor is never told of what they did themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from alexi.notifications.models import (
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    TargetType,
)
from alexi.notifications.selectors import forget_counts

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alexi.models import User


def notify(
    recipients: User | Iterable[User],
    kind: NotificationKind,
    *,
    actor: User | None,
    target_type: TargetType,
    target_id: int,
    event: str,
) -> int:
    """Tell each active recipient (not the actor) that `kind` happened to what `target_type`
    and `target_id` name. `event` names this one happening ("allocation:12"); notifying the same
    person of the same event again changes its kind (a referral accepted says more than the
    allocation it made) and adds nothing. Returns how many people were notified."""
    people = [recipients] if not isinstance(recipients, Iterable) else list(recipients)
    rows = [
        Notification(
            recipient=person,
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            event=event[:80],
        )
        for person in {p.pk: p for p in people}.values()
        if person.is_active and (actor is None or person.pk != actor.pk)
    ]
    if rows:
        Notification.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["recipient", "event"],
            update_fields=["kind"],
        )
        # Their header counts: dropped now and again once committed (a count taken in
        # between, before this was visible, must not stay).
        ids = [row.recipient_id for row in rows]
        forget_counts(ids)
        transaction.on_commit(lambda: forget_counts(ids))
    return len(rows)


def mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of `user`'s notifications read; None if it is not theirs (or not there)."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_counts([user.pk])
    return notification


def mark_all_read(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_counts([user.pk])
    return marked


def preference_for(user: User) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def digest_set(*, user: User, digest: str, version: int | None) -> NotificationPreference:
    """Set how often `user` gets the email digest. Refused (StaleEdit) if changed on another
    page since this one was opened."""
    from alexi.locking import check_version

    if digest not in DigestFrequency.values:
        raise ValueError(digest)
    preference_for(user)
    preference = NotificationPreference.objects.select_for_update().get(user=user)
    if preference.digest == digest:
        return preference  # sent again (Back, a double click): already as asked
    check_version(preference, version, {"digest": digest})
    preference.digest = digest
    preference.version += 1
    preference.save(update_fields=["digest", "version"])
    return preference


@transaction.atomic
def calendar_feed_make(*, user: User, request: HttpRequest | None = None) -> str:
    """Make (or make again) `user`'s calendar feed secret: the old address stops working at
    once. Returns the new secret, which is not kept (only its hash)."""
    from alexi.audit import record_access
    from alexi.models import AccessAction

    preference_for(user)
    preference = NotificationPreference.objects.select_for_update().get(user=user)
    token = secrets.token_urlsafe(32)
    preference.calendar_token_hash = NotificationPreference.hash_token(token)
    preference.calendar_made_at = timezone.now()
    preference.version += 1
    preference.save(update_fields=["calendar_token_hash", "calendar_made_at", "version"])
    record_access(
        request, AccessAction.CALENDAR_FEED_MADE, object_type="user", object_id=user.pk, user=user
    )
    return token


@transaction.atomic
def calendar_feed_off(
    *, user: User, request: HttpRequest | None = None, actor: User | None = None
) -> bool:
    """Turn the calendar feed off: its secret is deleted, so its address no longer answers.
    False if it was already off. `actor`: who did it when not the person themselves (their
    account deactivated, their second factor reset)."""
    from alexi.audit import record_access
    from alexi.models import AccessAction

    updated = NotificationPreference.objects.filter(
        user=user, calendar_token_hash__isnull=False
    ).update(calendar_token_hash=None, calendar_made_at=None)
    if updated:
        record_access(
            request,
            AccessAction.CALENDAR_FEED_OFF,
            object_type="user",
            object_id=user.pk,
            user=actor or user,
        )
    return bool(updated)
