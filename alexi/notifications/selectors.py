"""Reads for notifications: the unread count (on every page, one query) and a page of them
with their words, made now from the kind and from what the reader may open now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import QuerySet

from alexi import hooks
from alexi.notifications.models import Notification, NotificationKind

if TYPE_CHECKING:
    from alexi.models import User

# The badge says "99+" beyond this: the count query stops there, however many there are.
COUNT_CAP = 99
# How long the header's count is kept; a new or read notification drops it at once.
COUNT_SECONDS = 300

# (words naming what it points at, words when the reader may not open it now)
WORDS: dict[str, tuple[str, str]] = {
    NotificationKind.CASE_ALLOCATED: (
        "Case {label} was allocated to you.",
        "A case was allocated to you.",
    ),
    NotificationKind.REFERRAL_ACCEPTED: (
        "A referral was accepted into your caseload: case {label}.",
        "A referral was accepted into your caseload.",
    ),
    NotificationKind.CASE_SHARED: (
        "Case {label} was shared with you.",
        "A case was shared with you.",
    ),
    NotificationKind.CLOSURE_APPROVED: (
        "Closing case {label} was approved.",
        "A closure you asked for was approved.",
    ),
    NotificationKind.CLOSURE_RETURNED: (
        "Closing case {label} was returned to you: see what needs doing first.",
        "A closure you asked for was returned to you.",
    ),
    NotificationKind.EMERGENCY_ACCESS: (
        "Emergency access was used on case {label} of your hub: the reason is on the case.",
        "Emergency access was used on a case of your hub.",
    ),
    NotificationKind.IMPORT_FINISHED: (
        "Import {label} has finished: see what came of it.",
        "An import you started has finished.",
    ),
}


@dataclass(frozen=True)
class Shown:
    id: int
    text: str
    url: str | None  # None: the reader may not open what it is about any more
    created_at: datetime
    unread: bool


def count_key(user_id: int) -> str:
    return f"alexi:notifications:unread:{user_id}"


def unread_count(user: User) -> int:
    """How many unread notifications `user` has, up to COUNT_CAP + 1 (one query), kept in the
    cache for the header (dropped whenever one is made or read for them)."""
    # No ORDER BY (the model's ordering would make the planner walk every notification of the
    # person by date): the partial index of unread ones answers it.
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()
    count = unread[: COUNT_CAP + 1].count()
    cache.set(count_key(user.pk), count, COUNT_SECONDS)
    return count


def cached_unread_count(user: User) -> int | None:
    """The header's count if it is in the cache, else None (one cache read, no query): the
    bell then asks notifications:bell for it once the page has loaded, so no page counts."""
    count = cache.get(count_key(user.pk))
    return count if isinstance(count, int) else None


def forget_counts(user_ids: Iterable[int]) -> None:
    """Drop these people's cached counts (a notification was made or read for them)."""
    cache.delete_many([count_key(pk) for pk in user_ids])


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).only(
        "id", "kind", "created_at", "read_at", "target_type", "target_id"
    )


def shown(user: User, notifications: Sequence[Notification]) -> list[Shown]:
    """Their words for this reader now: what they point at is named, and linked, only when
    the reader may open it now (one query per type of thing pointed at)."""
    ids: dict[str, set[int]] = defaultdict(set)
    for notification in notifications:
        ids[notification.target_type].add(notification.target_id)
    targets = {
        target_type: hooks.notification_targets(user, target_type, target_ids)
        for target_type, target_ids in ids.items()
    }
    result = []
    for notification in notifications:
        target = targets[notification.target_type].get(notification.target_id)
        named, unnamed = WORDS[notification.kind]
        result.append(
            Shown(
                id=notification.pk,
                text=named.format(label=target.label) if target else unnamed,
                url=target.url if target else None,
                created_at=notification.created_at,
                unread=notification.read_at is None,
            )
        )
    return result
