"""The work list's reads for casework (issue 13 item 2): the planned next meeting of a case,
a person's own reminders, and the task items casework gives the core's work list
(alexi.hooks.register_task_source). Everything is computed from the records: an item
disappears when what it asks for is done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db.models import Exists, OuterRef
from django.utils import timezone

from casework.models import Case, CaseSession


@dataclass(frozen=True)
class NextMeeting:
    """The meeting noted with a case's latest session that noted one."""

    on: date
    at: time
    place: str
    session_id: int
    # A session was logged on or after the planned day: the meeting is behind the worker.
    logged: bool

    @property
    def upcoming(self) -> bool:
        return self.on >= timezone.localdate()

    @property
    def to_log(self) -> bool:
        """The day has passed and no session was logged for it (nor since)."""
        return not self.upcoming and not self.logged


def next_meeting(case: Case) -> NextMeeting | None:
    """The case's planned next meeting (None when no session noted one). One query."""
    later = CaseSession.objects.filter(
        case_id=OuterRef("case_id"), date__gte=OuterRef("next_meeting_on")
    )
    row = (
        CaseSession.objects.filter(case=case, next_meeting_on__isnull=False)
        .annotate(logged=Exists(later))
        .order_by("-date", "-id")
        .values("id", "next_meeting_on", "next_meeting_time", "next_meeting_place", "logged")
        .first()
    )
    if row is None:
        return None
    return NextMeeting(
        on=row["next_meeting_on"],
        at=row["next_meeting_time"],
        place=row["next_meeting_place"],
        session_id=row["id"],
        logged=row["logged"],
    )
