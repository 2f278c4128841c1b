"""Casework writes: closure."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alexi.history import acting_as
from alexi.models import User
from alexi.notifications.models import NotificationKind, TargetType
from alexi.notifications.services import notify
from casework import risk
from casework.models import AssessmentKind, Case, CaseStatus, RiskAssessment
from casework.services._common import _current_managements, _day
from casework.services.records import case_refresh_summary


def initial_and_closing(case: Case) -> tuple[RiskAssessment | None, RiskAssessment | None]:
    """The earliest initial and the latest closing assessment (DOMAIN.md, The figures)."""
    initial = (
        case.assessments.filter(kind=AssessmentKind.INITIAL).order_by("assessed_on", "id").first()
    )
    closing = (
        case.assessments.filter(kind=AssessmentKind.CLOSING).order_by("-assessed_on", "-id").first()
    )
    return initial, closing


@transaction.atomic
def closure_request(
    *,
    actor: User,
    case: Case,
    closed_on: date,
    closure_reason: str,
    no_reduction_reason: str = "",
    note: str = "",
) -> Case:
    """Ask the hub manager to close the case. Needs a closing assessment, and a reason for no
    reduction when the closing level is not lower than the initial one."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is already closed.")
    if closed_on < case.opened_on or closed_on > timezone.localdate():
        raise ValidationError(
            {"closed_on": "The closing date must be between the opening date and today."}
        )
    last_session = case.sessions.order_by("-date").values_list("date", flat=True).first()
    if last_session and closed_on < last_session:
        raise ValidationError(
            {"closed_on": f"The last session was on {_day(last_session)}: close on or after it."}
        )
    initial, closing = initial_and_closing(case)
    if closing is None:
        raise ValidationError("Record a closing risk assessment before asking to close the case.")
    if closing.records_nothing:
        raise ValidationError(
            f"The closing risk assessment of {_day(closing.assessed_on)} records no indicators "
            "and does not say that none is present: change it before asking to close the case."
        )
    needs_reason = (
        initial is None
        or initial.records_nothing
        or not risk.is_lower(closing.final_level, initial.final_level)
    )
    if needs_reason and not no_reduction_reason:
        raise ValidationError(
            {
                "no_reduction_reason": "The closing risk level is not lower than at the start: "
                "choose the reason."
            }
        )
    with acting_as(actor):
        case.closed_on = None
        case.closure_requested_on = closed_on
        case.closure_requested_by = actor
        case.closure_reason = closure_reason
        case.no_reduction_reason = no_reduction_reason if needs_reason else ""
        case.closure_note = note
        case.closure_returned_note = ""
        case.version += 1
        case.save()
    case_refresh_summary(case)
    managers = list(_current_managements(case.spoke.hub).values_list("manager__email", flat=True))
    if managers:
        # A link to the case by its number: no reference, name or note in an email.
        link = settings.SITE_URL.rstrip("/") + reverse("casework:case", args=[case.pk])
        transaction.on_commit(
            lambda: send_mail(
                "A case is waiting for your closure approval",
                f"A case is ready for you to review in Alexi:\n{link}\n",
                None,
                managers,
                fail_silently=True,
            )
        )
    return case


@transaction.atomic
def closure_approve(*, actor: User, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.closure_pending:
        raise ValidationError("There is no closure waiting for approval on this case.")
    with acting_as(actor):
        case.status = CaseStatus.CLOSED
        case.closed_on = case.closure_requested_on
        case.version += 1
        case.save(update_fields=["status", "closed_on", "version"])
    case_refresh_summary(case)
    _notify_closure(actor, case, NotificationKind.CLOSURE_APPROVED, "approved")
    return case


def _notify_closure(actor: User, case: Case, kind: NotificationKind, outcome: str) -> None:
    """Tell the worker who asked for the closure, and the case's worker if another."""
    people = User.objects.filter(pk__in=[case.closure_requested_by_id, case.allocated_worker_id])
    notify(
        people,
        kind,
        actor=actor,
        target_type=TargetType.CASE,
        target_id=case.pk,
        event=f"closure-{outcome}:{case.pk}:{case.version}",
    )


REVIEW_SET_MAX_DAYS = 366


def check_review_date(day: date) -> None:
    """A review date a manager sets: from today, and within a year."""
    today = timezone.localdate()
    if day < today:
        raise ValidationError({"next_review_due": "Choose today or a later date."})
    if day > today + timedelta(days=REVIEW_SET_MAX_DAYS):
        raise ValidationError({"next_review_due": "Choose a date within a year from today."})


@transaction.atomic
def closure_return(
    *, actor: User, case: Case, note: str, next_review_due: date | None = None
) -> Case:
    """Send a closure back to the worker. The case is open again, so it gets a review date
    back: the one set here, or the one it had before its closing assessment."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.closure_pending:
        raise ValidationError("There is no closure waiting for approval on this case.")
    if not note.strip():
        raise ValidationError({"note": "Say what needs doing before the case can close."})
    if next_review_due is not None:
        check_review_date(next_review_due)
    latest = case.assessments.order_by("-assessed_on", "-id").first()
    with acting_as(actor):
        case.closure_requested_on = None
        case.closure_returned_note = note
        case.version += 1
        case.save(update_fields=["closure_requested_on", "closure_returned_note", "version"])
        _notify_closure(actor, case, NotificationKind.CLOSURE_RETURNED, "returned")
        if latest is not None:
            # The case's review date is its latest assessment's: usually the closing one,
            # whose date stands in for the review the case was on before it.
            before = None
            if latest.kind == AssessmentKind.CLOSING:
                before = (
                    case.assessments.exclude(kind=AssessmentKind.CLOSING)
                    .filter(assessed_on__lte=latest.assessed_on, next_review_due__isnull=False)
                    .order_by("-assessed_on", "-id")
                    .values_list("next_review_due", flat=True)
                    .first()
                )
            due = next_review_due or before or latest.next_review_due or timezone.localdate()
            if due != latest.next_review_due:
                latest.next_review_due = due
                latest.version += 1
                latest.save(update_fields=["next_review_due", "version"])
    case_refresh_summary(case)
    return case
