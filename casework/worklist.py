"""The work list's reads for casework (issue 13 item 2): the planned next meeting of a case,
a person's own reminders, and the task items casework gives the core's work list
(alexi.hooks.register_task_source). Everything is computed from the records: an item
disappears when what it asks for is done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone

from alexi.access import managed_hub_ids, managed_spoke_ids, role_of
from alexi.hooks import Task
from alexi.models import AccessGrant, GrantKind, GrantStatus, Role, User
from casework import access
from casework.models import (
    AssessmentKind,
    Case,
    CaseSession,
    CaseShare,
    CaseStatus,
    Reminder,
    RiskAssessment,
    ShareKind,
    TransferStatus,
    YoungPerson,
)


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
    # The database holds all three parts or none (next_meeting_all_or_nothing).
    if row is None or row["next_meeting_on"] is None or row["next_meeting_time"] is None:
        return None
    return NextMeeting(
        on=row["next_meeting_on"],
        at=row["next_meeting_time"],
        place=row["next_meeting_place"],
        session_id=row["id"],
        logged=row["logged"],
    )


# --- Task items (alexi.hooks.register_task_source) ------------------------------------------


NOT_CLOSED = (CaseStatus.OPEN, CaseStatus.PAUSED)


def _case_subject(case: Case) -> str:
    """A case as the person already knows it: its reference and the young person's name."""
    return f"{case.reference} · {case.young_person.display_name}"


def _case_url(case_id: int, anchor: str = "") -> str:
    return reverse("casework:case", args=[case_id]) + (f"#{anchor}" if anchor else "")


def case_tasks(user: User, today: date) -> list[Task]:
    """A worker's items on the cases allocated to them (reviews, initial assessments, no
    contact, a closure returned, the next meeting); shares with them or by them ending; and
    their own reminders. A hub manager's: closures to approve, transfers to decide, open cases
    of workers who have left or are leaving, shares and reminders."""
    role = role_of(user)
    tasks: list[Task] = []
    visible = access.cases_for(user)
    if role == Role.SPOKE_WORKER:
        tasks += _allocated_case_tasks(user, today, visible)
    elif role == Role.HUB_MANAGER:
        tasks += _managed_case_tasks(user, today)
        tasks += _transfer_tasks(user)
    else:
        return []
    tasks += _share_tasks(user, today)
    tasks += reminder_tasks(user, today, visible)
    return tasks


def _allocated_case_tasks(user: User, today: date, visible: QuerySet[Case]) -> list[Task]:
    soon = today + timedelta(days=settings.WORKLIST_SOON_DAYS)
    initial_days = settings.WORKLIST_INITIAL_ASSESSMENT_DAYS
    contact_days = settings.WORKLIST_NO_CONTACT_DAYS
    noted = CaseSession.objects.filter(
        case_id=OuterRef("pk"), next_meeting_on__isnull=False
    ).order_by("-date", "-id")
    cases = (
        visible.filter(allocated_worker=user, status__in=NOT_CLOSED)
        .select_related("young_person")
        .only(
            "id",
            "status",
            "opened_on",
            "next_review_due",
            "last_contact_on",
            "closure_requested_on",
            "closure_returned_note",
            "young_person__first_name",
            "young_person__preferred_name",
        )
        .annotate(
            has_initial=Exists(
                RiskAssessment.objects.filter(case_id=OuterRef("pk"), kind=AssessmentKind.INITIAL)
            ),
            meeting_on=Subquery(noted.values("next_meeting_on")[:1]),
            meeting_time=Subquery(noted.values("next_meeting_time")[:1]),
        )
        .annotate(
            meeting_logged=Exists(
                CaseSession.objects.filter(case_id=OuterRef("pk"), date__gte=OuterRef("meeting_on"))
            )
        )
        .order_by("id")
    )
    tasks: list[Task] = []
    for case in cases:
        subject = _case_subject(case)
        pk = case.pk
        if case.next_review_due and case.next_review_due <= soon:
            tasks.append(
                Task(
                    key=f"review-{pk}",
                    kind="review",
                    title="Risk review due",
                    subject=subject,
                    url=reverse("casework:assessment_new", args=[pk]),
                    due=case.next_review_due,
                )
            )
        initial_due = case.opened_on + timedelta(days=initial_days)
        if not case.has_initial and initial_due < today:
            tasks.append(
                Task(
                    key=f"initial-{pk}",
                    kind="initial_assessment",
                    title="Initial risk assessment not done",
                    subject=subject,
                    url=reverse("casework:assessment_new", args=[pk]),
                    due=initial_due,
                )
            )
        contact_due = (case.last_contact_on or case.opened_on) + timedelta(days=contact_days)
        if case.status == CaseStatus.OPEN and contact_due < today:
            tasks.append(
                Task(
                    key=f"contact-{pk}",
                    kind="no_contact",
                    title=f"No contact for {contact_days} days"
                    if case.last_contact_on
                    else "No contact yet",
                    subject=subject,
                    url=reverse("casework:session_new", args=[pk]),
                    due=contact_due,
                )
            )
        if case.closure_returned_note and case.closure_requested_on is None:
            tasks.append(
                Task(
                    key=f"returned-{pk}",
                    kind="closure_returned",
                    title="Closure returned to you",
                    subject=subject,
                    url=_case_url(pk),
                )
            )
        if case.meeting_on is not None:
            at = case.meeting_time.strftime("%H:%M") if case.meeting_time else ""
            if today <= case.meeting_on <= soon:
                tasks.append(
                    Task(
                        key=f"meeting-{pk}",
                        kind="next_meeting",
                        title=f"Next meeting, {at}",
                        subject=subject,
                        url=_case_url(pk, "next-meeting-title"),
                        due=case.meeting_on,
                    )
                )
            elif case.meeting_on < today and not case.meeting_logged:
                tasks.append(
                    Task(
                        key=f"meeting-{pk}",
                        kind="meeting_to_log",
                        title="Log the planned session",
                        subject=subject,
                        url=reverse("casework:session_new", args=[pk]),
                        due=case.meeting_on,
                    )
                )
    return tasks


def _managed_case_tasks(user: User, today: date) -> list[Task]:
    """Closures waiting for this manager's approval, and open cases of workers who have left
    (account closed, or no longer at the case's spoke) or are leaving (a move to another
    spoke asked for): one query over the hubs' open cases that have either."""
    spoke_ids = managed_spoke_ids(user)
    if not spoke_ids:
        return []
    moving = AccessGrant.objects.filter(
        user_id=OuterRef("allocated_worker_id"),
        kind=GrantKind.SPOKE_WORKER,
        status=GrantStatus.PENDING,
    ).exclude(spoke_id=OuterRef("spoke_id"))
    worker_left = (
        Q(allocated_worker__is_active=False)
        | Q(allocated_worker__worker_profile__isnull=True)
        | ~Q(allocated_worker__worker_profile__spoke_id=F("spoke_id"))
    )
    rows = (
        # Open or paused, said so (not "not closed") so the (spoke, status) index serves it.
        Case.objects.filter(spoke_id__in=spoke_ids, status__in=NOT_CLOSED)
        .annotate(leaving=Exists(moving))
        .filter(
            Q(closure_requested_on__isnull=False)
            | (Q(allocated_worker__isnull=False) & (worker_left | Q(leaving=True)))
        )
        .annotate(
            left=ExpressionWrapper(worker_left, output_field=BooleanField()),
            # The name by a subquery, run for the rows found only (a join would make the
            # planner read every young person at national scale).
            name=Subquery(
                YoungPerson.objects.filter(pk=OuterRef("young_person_id")).values(
                    known_as=Coalesce(NullIf("preferred_name", Value("")), "first_name")
                )[:1]
            ),
        )
        .values(
            "id",
            "closure_requested_on",
            "allocated_worker_id",
            "allocated_worker__full_name",
            "name",
            "left",
            "leaving",
        )
        .order_by("id")
    )
    tasks: list[Task] = []
    workers: dict[int, dict[str, Any]] = {}
    for row in rows:
        pk = row["id"]
        if row["closure_requested_on"] is not None:
            name = row["name"]
            reference = f"C-{pk:06d}"
            tasks.append(
                Task(
                    key=f"closure-{pk}",
                    kind="closure_to_approve",
                    title="Closure waiting for your approval",
                    subject=f"{reference} · {name}" if name else reference,
                    url=_case_url(pk, "closure-title"),
                    since=row["closure_requested_on"],
                )
            )
        if row["allocated_worker_id"] and (row["left"] or row["leaving"]):
            worker = workers.setdefault(
                row["allocated_worker_id"],
                {"name": row["allocated_worker__full_name"], "n": 0, "left": row["left"]},
            )
            worker["n"] += 1
    for worker_id, worker in sorted(workers.items()):
        n = worker["n"]
        cases = f"{n} open case{'s' if n != 1 else ''}"
        tasks.append(
            Task(
                key=f"worker-{worker_id}",
                kind="worker_leaving",
                title=f"{cases} to reallocate: worker has "
                + ("left" if worker["left"] else "asked to move"),
                subject=worker["name"],
                url=reverse("casework:hub_cases") + f"?worker={worker_id}",
            )
        )
    return tasks


def _transfer_tasks(user: User) -> list[Task]:
    return [
        Task(
            key=f"transfer-{transfer.pk}",
            kind="transfer_to_decide",
            title="Transfer to your hub waiting for a decision",
            subject=f"{transfer.case.reference} from {transfer.case.hub}",
            url=reverse("casework:transfer_decide", args=[transfer.pk]),
            since=timezone.localdate(transfer.starts_at),
        )
        for transfer in CaseShare.objects.unexpired(kinds=[ShareKind.TRANSFER])
        .filter(transfer_status=TransferStatus.PENDING, to_hub_id__in=managed_hub_ids(user))
        .select_related("case__hub")
        .only("id", "starts_at", "case__id", "case__hub__name")
    ]


def _share_tasks(user: User, today: date) -> list[Task]:
    """Shares of a case with this person, or made by them, ending within
    WORKLIST_SHARE_ENDING_DAYS (gone once they end, or when shared again for longer)."""
    until = timezone.now() + timedelta(days=settings.WORKLIST_SHARE_ENDING_DAYS)
    shares = (
        CaseShare.objects.live(kinds=[ShareKind.SHARE])
        .filter(Q(shared_with=user) | Q(granted_by=user), expires_at__lte=until)
        .select_related("case__young_person", "shared_with")
        .order_by("expires_at", "id")
    )
    managed = set(managed_spoke_ids(user))
    tasks: list[Task] = []
    for share in shares:
        ends = timezone.localdate(share.expires_at)
        # The case's name only where this person may open the case: shared with them (live),
        # allocated to them, or at a hub they manage.
        visible = (
            share.shared_with_id == user.pk
            or share.case.allocated_worker_id == user.pk
            or share.case.spoke_id in managed
        )
        subject = _case_subject(share.case) if visible else share.case.reference
        if share.shared_with_id == user.pk:
            tasks.append(
                Task(
                    key=f"shared-{share.pk}",
                    kind="share_with_you_ending",
                    title="Case shared with you ends",
                    subject=subject,
                    url=_case_url(share.case_id),
                    due=ends,
                )
            )
        else:
            tasks.append(
                Task(
                    key=f"sharing-{share.pk}",
                    kind="your_share_ending",
                    title=f"Your share with {share.shared_with} ends",
                    subject=subject,
                    url=_case_url(share.case_id) if visible else "",
                    due=ends,
                )
            )
    return tasks


def reminder_tasks(user: User, today: date, visible: QuerySet[Case] | None = None) -> list[Task]:
    """This person's own reminders not yet done, due by WORKLIST_SOON_DAYS from today, on the
    cases they may still open."""
    soon = today + timedelta(days=settings.WORKLIST_SOON_DAYS)
    return [
        Task(
            key=f"reminder-{reminder.pk}",
            kind="reminder",
            title="Your reminder",
            subject=_case_subject(reminder.case),
            url=reverse("casework:reminder_edit", args=[reminder.case_id, reminder.pk])
            + "?next=tasks",
            due=reminder.due_on,
            note=reminder.note,
            done_url=reverse(
                "casework:reminder_done", args=[reminder.case_id, reminder.pk, "done"]
            ),
        )
        for reminder in Reminder.objects.filter(
            author=user,
            done_at__isnull=True,
            due_on__lte=soon,
            case__in=access.cases_for(user) if visible is None else visible,
            case__status__in=NOT_CLOSED,
        )
        .select_related("case__young_person")
        .order_by("due_on", "id")
    ]


def reminders_on_case(user: User, case: Case) -> list[Reminder]:
    """This person's reminders on a case they are looking at: not done, then done in the last
    WORKLIST_SOON_DAYS days (so a click on Done can be undone), soonest first."""
    recent = timezone.now() - timedelta(days=settings.WORKLIST_SOON_DAYS)
    return list(
        Reminder.objects.filter(case=case, author=user)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=recent))
        .order_by(F("done_at").asc(nulls_first=True), "due_on", "id")
    )
