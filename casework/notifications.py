"""What casework tells the core's notifications and calendar feed (registered in apps.py):
which of some cases a person may open now (and their references, to name them), and a
worker's planned sessions and review dates. No name, place or note ever leaves here."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from alexi.access import confirmed_spoke_ids
from alexi.hooks import CalendarEntry, NotificationTarget
from alexi.models import Role, User
from casework.access import cases_for
from casework.models import Case, CaseSession, CaseStatus

# Planned sessions stay in the feed this long after their day (then calendars keep them).
PAST_DAYS = 30


def case_targets(user: User, ids: Collection[int]) -> dict[int, NotificationTarget]:
    """Of these cases, those `user` may open now: the case page, named by its reference."""
    openable = cases_for(user).filter(pk__in=list(ids)).values_list("pk", flat=True)
    return {
        pk: NotificationTarget(url=reverse("casework:case", args=[pk]), label=Case(pk=pk).reference)
        for pk in openable
    }


def calendar_entries(user: User) -> list[CalendarEntry]:
    """The review dates of the open cases allocated to `user`, and the next meeting planned
    on each (the one noted with its latest session that noted one). Two queries.

    Asked with no signed-in request (a calendar app fetching the feed), so not through
    cases_for, which needs the second factor: the same rule as its worker's part, an active
    spoke worker's cases at the spoke the hub has confirmed them at."""
    if not user.is_active or user.role != Role.SPOKE_WORKER:
        return []
    held = Case.objects.filter(
        allocated_worker=user, spoke_id__in=confirmed_spoke_ids(user)
    ).exclude(status=CaseStatus.CLOSED)
    today = timezone.localdate()
    entries = []
    reviews = held.filter(next_review_due__isnull=False).values_list("pk", "next_review_due")
    for pk, due in reviews:
        if due is not None:
            entries.append(
                CalendarEntry(
                    kind="review",
                    start=due,
                    path=reverse("casework:case", args=[pk]),
                    uid=f"review-{pk}",
                )
            )
    planned = (
        CaseSession.objects.filter(case__in=held.values("pk"), next_meeting_on__isnull=False)
        .order_by("case_id", "-date", "-id")
        .distinct("case_id")
        .values_list("case_id", "next_meeting_on", "next_meeting_time")
    )
    for case_id, on, at in planned:
        if on is None or at is None or on < today - timedelta(days=PAST_DAYS):
            continue
        entries.append(
            CalendarEntry(
                kind="session",
                start=timezone.make_aware(datetime.combine(on, at)),
                path=reverse("casework:case", args=[case_id]),
                uid=f"session-{case_id}-{on.isoformat()}",
            )
        )
    return entries
