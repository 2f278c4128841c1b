"""Writes for casework. Each is one transaction, records its actor, and keeps access in step.

Grants (django-guardian) are made and removed only here, in the same transaction as the
share, allocation or transfer that causes them (ARCHITECTURE.md idea 2).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from guardian.shortcuts import assign_perm, remove_perm

from alexi.history import acting_as
from alexi.locking import check_version
from alexi.models import HubManagement, Role, Spoke, User
from casework import risk
from casework.access import access_to
from casework.models import (
    RISK_ORDER,
    Allocation,
    AssessmentKind,
    Attendance,
    Case,
    CaseSession,
    CaseShare,
    CaseStatus,
    CaseUserObjectPermission,
    InformationShare,
    MultiAgencyContact,
    RiskAssessment,
    RiskLevel,
    RiskTool,
    ShareKind,
    TransferStatus,
    YoungPerson,
)

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest

    from alexi.models import Hub

SHARE_MAX_DAYS = 90
BREAK_GLASS_HOURS = 24
TRANSFER_DAYS = 30
GRANT = "casework.view_case_shared"


def _apply(instance: Model, data: dict[str, Any]) -> list[str]:
    for name, value in data.items():
        setattr(instance, name, value)
    return list(data)


def _current_managements(hub: Hub) -> QuerySet[HubManagement]:
    return HubManagement.objects.current().filter(hub=hub)


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# --- Opening and allocation ---------------------------------------------------------------


class OpenCaseExists(ValidationError):
    """The young person already has an open (or paused) case at this hub: one at a time."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__(
            {
                "young_person": f"{case.young_person.reference} already has an open case at "
                f"this hub ({case.reference}). Record new work on that case instead of "
                "opening another."
            }
        )


def open_case_at_hub(
    *, young_person_id: int, hub_id: int, exclude_case_id: int | None = None
) -> Case | None:
    """The young person's open or paused case at the hub, if any (never more than one)."""
    return (
        Case.objects.filter(young_person_id=young_person_id, hub_id=hub_id)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(pk=exclude_case_id)  # type: ignore[misc]  # None excludes nothing
        .select_related("young_person", "allocated_worker")
        .first()
    )


def _check_worker_for_spoke(worker: User, spoke: Spoke) -> None:
    profile = getattr(worker, "worker_profile", None)
    if worker.role != Role.SPOKE_WORKER or not worker.is_active or profile is None:
        raise ValidationError({"worker": "Choose an active spoke worker."})
    if profile.spoke.hub_id != spoke.hub_id:
        raise ValidationError({"worker": "Choose a worker from this case's hub."})


@transaction.atomic
def case_open(
    *,
    actor: User,
    spoke: Spoke,
    worker: User,
    opened_on: date,
    young_person: YoungPerson | None = None,
    person_data: dict[str, Any] | None = None,
) -> Case:
    """Open a case for an existing or new young person and allocate it. Access is immediate."""
    _check_worker_for_spoke(worker, spoke)
    if young_person is not None:
        # Serialise opening cases for one young person, so the check below is the answer
        # (the unique index is the backstop for writers that skip this service).
        YoungPerson.objects.select_for_update().filter(pk=young_person.pk).first()
        existing = open_case_at_hub(young_person_id=young_person.pk, hub_id=spoke.hub_id)
        if existing is not None:
            raise OpenCaseExists(existing)
    with acting_as(actor):
        if young_person is None:
            young_person = YoungPerson.objects.create(**(person_data or {}))
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    young_person=young_person,
                    spoke=spoke,
                    hub_id=spoke.hub_id,
                    allocated_worker=worker,
                    opened_on=opened_on,
                    status=CaseStatus.OPEN,
                )
        except IntegrityError:
            existing = open_case_at_hub(young_person_id=young_person.pk, hub_id=spoke.hub_id)
            if existing is None:
                raise
            raise OpenCaseExists(existing) from None
        started = timezone.now()
        if opened_on < timezone.localdate():
            started = timezone.make_aware(datetime.combine(opened_on, time(9, 0)))
        Allocation.objects.create(
            case=case, worker=worker, allocated_by=actor, reason="Opened", started_at=started
        )
    return case


@transaction.atomic
def case_reallocate(*, actor: User, case: Case, worker: User, reason: str = "") -> Case:
    """Move a case to another worker: the old worker loses access at once, the new gains it."""
    case = Case.objects.select_for_update(of=("self",)).select_related("spoke").get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("A closed case cannot be reallocated.")
    _check_worker_for_spoke(worker, case.spoke)
    if worker.pk == case.allocated_worker_id:
        raise ValidationError({"worker": "This worker already holds the case."})
    now = timezone.now()
    with acting_as(actor):
        for allocation in Allocation.objects.filter(case=case, ended_at__isnull=True):
            allocation.ended_at = now
            allocation.save(update_fields=["ended_at"])
        Allocation.objects.create(
            case=case, worker=worker, allocated_by=actor, reason=reason, started_at=now
        )
        case.allocated_worker = worker
        case.version += 1
        case.save(update_fields=["allocated_worker", "version"])
    return case


@transaction.atomic
def case_set_paused(*, actor: User, case: Case, paused: bool) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("A closed case cannot be paused or resumed.")
    with acting_as(actor):
        case.status = CaseStatus.PAUSED if paused else CaseStatus.OPEN
        case.version += 1
        case.save(update_fields=["status", "version"])
    return case


@transaction.atomic
def young_person_update(
    *, actor: User, person: YoungPerson, version: int, data: dict[str, Any]
) -> YoungPerson:
    """Change a young person's details; refused if someone else saved them first."""
    person = YoungPerson.objects.select_for_update().get(pk=person.pk)
    check_version(person, version, data)
    with acting_as(actor):
        fields = _apply(person, data)
        person.version += 1
        person.save(update_fields=[*fields, "version"])
    return person


# --- Sessions, assessments, shares of information, multi-agency contacts -------------------


def case_refresh_summary(case: Case) -> None:
    """Recompute the case's current risk level, next review due and last contact. The next
    review is the latest assessment's, while the case is neither closed nor waiting for its
    closure to be approved (a returned closure has its review date back)."""
    latest = (
        case.assessments.order_by("-assessed_on", "-id")
        .values("final_level", "next_review_due", "kind")
        .first()
    )
    last_contact = (
        case.sessions.filter(attendance=Attendance.ATTENDED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    state = Case.objects.filter(pk=case.pk).values("status", "closure_requested_on").get()
    reviewing = state["status"] != CaseStatus.CLOSED and state["closure_requested_on"] is None
    Case.objects.filter(pk=case.pk).update(
        current_level=latest["final_level"] if latest else "",
        next_review_due=latest["next_review_due"] if latest and reviewing else None,
        last_contact_on=last_contact,
    )


def case_summaries_refresh(case_ids_sql: str, params: dict[str, Any] | None = None) -> int:
    """case_refresh_summary for many cases at once, in one statement: `case_ids_sql` is a
    query yielding the cases' ids (one column, `id`). Only summaries that change are written.
    Used after bulk writes (imports, the benchmark generator). Returns the cases updated."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH touched AS ({case_ids_sql}),
            latest AS (
                SELECT DISTINCT ON (a.case_id) a.case_id, a.final_level, a.next_review_due, a.kind
                FROM casework_riskassessment a JOIN touched t ON t.id = a.case_id
                ORDER BY a.case_id, a.assessed_on DESC, a.id DESC
            ), contact AS (
                SELECT s.case_id, max(s.date) AS last_contact
                FROM casework_casesession s JOIN touched t ON t.id = s.case_id
                WHERE s.attendance = 'attended'
                GROUP BY s.case_id
            ), summary AS (
                SELECT t.id, COALESCE(l.final_level, '') AS level,
                       CASE WHEN k.status <> 'closed' AND k.closure_requested_on IS NULL
                            THEN l.next_review_due END AS review,
                       ct.last_contact
                FROM touched t
                JOIN casework_case k ON k.id = t.id
                LEFT JOIN latest l ON l.case_id = t.id
                LEFT JOIN contact ct ON ct.case_id = t.id
            )
            UPDATE casework_case AS c
            SET current_level = m.level, next_review_due = m.review,
                last_contact_on = m.last_contact
            FROM summary m
            WHERE c.id = m.id AND ROW(c.current_level, c.next_review_due, c.last_contact_on)
                  IS DISTINCT FROM ROW(m.level, m.review, m.last_contact)
            """,  # noqa: S608 (case_ids_sql is the caller's code; values are parameters)
            params or {},
        )
        return cast(int, cursor.rowcount)


def _check_open_for_recording(case: Case, day: date, field: str = "date") -> None:
    if day < case.opened_on:
        raise ValidationError(
            {field: f"The case opened on {_day(case.opened_on)}: use that date or later."}
        )
    if day > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future."})
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed. Nothing more can be recorded on it.")


@transaction.atomic
def session_log(*, actor: User, case: Case, data: dict[str, Any]) -> CaseSession:
    """Record a session or contact (attended or not) on a case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_open_for_recording(case, data["date"])
    with acting_as(actor):
        session = CaseSession.objects.create(case=case, worker=actor, **data)
    case_refresh_summary(case)
    return session


@transaction.atomic
def session_update(
    *, actor: User, session: CaseSession, version: int, data: dict[str, Any]
) -> CaseSession:
    session = (
        CaseSession.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=session.pk)
    )
    check_version(session, version, data)
    _check_open_for_recording(session.case, data["date"])
    with acting_as(actor):
        fields = _apply(session, data)
        session.version += 1
        session.save(update_fields=[*fields, "version"])
    case_refresh_summary(session.case)
    return session


def current_tool() -> RiskTool:
    """The newest risk tool version; version 1 (shipped) is loaded if none is there yet."""
    tool = RiskTool.objects.order_by("-version").first()
    if tool is None:
        definition = risk.load_tool_v1()
        tool, _ = RiskTool.objects.get_or_create(
            version=definition["version"],
            defaults={"name": definition["name"], "definition": definition},
        )
    return tool


def _assessment_fields(
    case: Case, data: dict[str, Any], tool: RiskTool, editing: RiskAssessment | None = None
) -> dict[str, Any]:
    """Compute the tool's level. An assessment records indicators or an explicit "none
    present"; a final level that differs from the tool's, or is lower than the last
    assessment's, needs a rationale."""
    known = risk.indicator_groups(tool.definition)
    indicators = [key for key in data.get("indicators", []) if key in known]
    none_present = bool(data.get("no_indicators_present"))
    errors: dict[str, str] = {}
    if not indicators and not none_present:
        errors["no_indicators_present"] = (
            "Tick the indicators you saw or were told about, or tick "
            "\u201cNo indicators present\u201d."
        )
    elif indicators and none_present:
        errors["no_indicators_present"] = (
            "You ticked indicators and \u201cNo indicators present\u201d: untick one."
        )
    age = case.young_person.age_on(data["assessed_on"])
    result = risk.compute(tool.definition, indicators, age)
    final = data.get("final_level") or result.level
    has_rationale = bool((data.get("rationale") or "").strip())
    last = (
        case.assessments.filter(assessed_on__lte=data["assessed_on"])
        .exclude(pk=editing.pk if editing else None)  # type: ignore[misc]  # None: nothing
        .order_by("-assessed_on", "-id")
        .first()
    )
    if final != result.level and not has_rationale:
        errors["rationale"] = "Your level differs from the tool's: say why in a sentence or two."
    elif (
        last is not None
        and RISK_ORDER[RiskLevel(final)] < RISK_ORDER[RiskLevel(last.final_level)]
        and not has_rationale
    ):
        errors["rationale"] = (
            f"This level is lower than at the last assessment "
            f"({last.get_final_level_display()} on {_day(last.assessed_on)}): "
            "say what has changed."
        )
    if errors:
        raise ValidationError(errors)
    return {
        **data,
        "no_indicators_present": none_present,
        "indicators": indicators,
        "score": result.score,
        "computed_level": result.level,
        "final_level": final,
        "next_review_due": data.get("next_review_due")
        or risk.next_review_due(tool.definition, final, data["assessed_on"]),
    }


@transaction.atomic
def assessment_record(*, actor: User, case: Case, data: dict[str, Any]) -> RiskAssessment:
    """Record an initial, review or closing risk assessment with the current tool."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("young_person").get(pk=case.pk)
    )
    _check_open_for_recording(case, data["assessed_on"], "assessed_on")
    tool = current_tool()
    fields = _assessment_fields(case, data, tool)
    with acting_as(actor):
        assessment = RiskAssessment.objects.create(case=case, assessor=actor, tool=tool, **fields)
    case_refresh_summary(case)
    return assessment


@transaction.atomic
def assessment_update(
    *, actor: User, assessment: RiskAssessment, version: int, data: dict[str, Any]
) -> RiskAssessment:
    assessment = (
        RiskAssessment.objects.select_for_update(of=("self",))
        .select_related("case__young_person", "tool")
        .get(pk=assessment.pk)
    )
    check_version(assessment, version, data)
    _check_open_for_recording(assessment.case, data["assessed_on"], "assessed_on")
    fields = _assessment_fields(
        assessment.case, data, assessment.tool or current_tool(), editing=assessment
    )
    with acting_as(actor):
        names = _apply(assessment, fields)
        assessment.version += 1
        assessment.save(update_fields=[*names, "version"])
    case_refresh_summary(assessment.case)
    return assessment


@transaction.atomic
def information_share_record(*, actor: User, case: Case, data: dict[str, Any]) -> InformationShare:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_open_for_recording(case, data["shared_on"], "shared_on")
    with acting_as(actor):
        return InformationShare.objects.create(case=case, recorded_by=actor, **data)


@transaction.atomic
def agency_contact_record(*, actor: User, case: Case, data: dict[str, Any]) -> MultiAgencyContact:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_open_for_recording(case, data["contact_on"], "contact_on")
    with acting_as(actor):
        return MultiAgencyContact.objects.create(case=case, recorded_by=actor, **data)


# --- Closure ------------------------------------------------------------------------------


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
        transaction.on_commit(
            lambda: send_mail(
                "A case is waiting for your closure approval",
                f"Case {case.reference} is ready for you to review in Alexi.",
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
    return case


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


# --- Sharing beyond the structure ----------------------------------------------------------


def _grant(share: CaseShare) -> None:
    assign_perm(GRANT, share.shared_with, share.case)


@transaction.atomic
def case_share(
    *, actor: User, case: Case, worker: User, reason: str, expires_on: date
) -> CaseShare:
    """Share a case with another worker for a reason, for at most 90 days."""
    today = timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is being shared."})
    if expires_on <= today or expires_on > today + timedelta(days=SHARE_MAX_DAYS):
        raise ValidationError(
            {"expires_on": f"Choose an end date after today and within {SHARE_MAX_DAYS} days."}
        )
    if worker.pk == case.allocated_worker_id or not worker.is_active:
        raise ValidationError({"worker": "Choose another active worker."})
    if worker.role != Role.SPOKE_WORKER:
        raise ValidationError({"worker": "Cases are shared with spoke workers."})
    profile = getattr(worker, "worker_profile", None)
    if profile is None or profile.spoke.hub_id != case.spoke.hub_id:
        raise ValidationError(
            {"worker": "Share with a worker of this case's hub; to move the case, transfer it."}
        )
    if not access_to(actor, case).may_share:
        raise ValidationError("Only the allocated worker or the hub's managers can share a case.")
    expires_at = timezone.make_aware(datetime.combine(expires_on, datetime.max.time()))
    with acting_as(actor):
        share = CaseShare.objects.create(
            case=case,
            kind=ShareKind.SHARE,
            shared_with=worker,
            granted_by=actor,
            reason=reason,
            expires_at=expires_at,
        )
    _grant(share)
    return share


@transaction.atomic
def share_revoke(
    *, actor: User, share: CaseShare, reason: str = "", request: HttpRequest | None = None
) -> None:
    """End a share (or emergency access) now: the guardian grant goes in the same transaction,
    the history records who and why, and the access log has a row (no case content)."""
    share = CaseShare.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is not None:
        return
    _end_share(actor=actor, share=share, reason=reason or "Sharing ended", request=request)


def _end_share(
    *, actor: User, share: CaseShare, reason: str, request: HttpRequest | None = None
) -> None:
    from alexi.audit import record_access
    from alexi.models import AccessAction

    with acting_as(actor):
        share.revoked_at = timezone.now()
        share._change_reason = reason  # type: ignore[attr-defined]  # simple_history's
        share.save(update_fields=["revoked_at"])
    _remove_grant_unless_still_shared(share)
    record_access(
        request,
        AccessAction.SHARE_ENDED,
        object_type="caseshare",
        object_id=share.pk,
        user=actor,
    )


@transaction.atomic
def shares_end_for_person(
    *, actor: User, user: User, reason: str, request: HttpRequest | None = None
) -> int:
    """End every live share and emergency access made to `user` (their account was
    deactivated or reactivated), each as if ended by hand; then no guardian grant of theirs
    is left, so no old share reaches a child record. Returns how many were ended."""
    live = list(
        CaseShare.objects.select_for_update().unexpired().filter(shared_with=user).order_by("pk")
    )
    for share in live:
        _end_share(actor=actor, share=share, reason=reason, request=request)
    # Grants left behind by shares that expired before the tidy-up job ran go too.
    CaseUserObjectPermission.objects.filter(
        user=user, permission__codename=GRANT.split(".")[1]
    ).delete()
    return len(live)


def _remove_grant_unless_still_shared(share: CaseShare) -> None:
    still = (
        CaseShare.objects.unexpired()
        .filter(case=share.case_id, shared_with=share.shared_with_id)
        .exists()
    )
    if not still and share.shared_with_id:
        remove_perm(GRANT, share.shared_with, share.case)


@transaction.atomic
def break_glass(*, actor: User, case: Case, justification: str) -> CaseShare:
    """Emergency access for a manager of another hub, for 24 hours; the owning hub is alerted."""
    if len(justification.strip()) < 20:
        raise ValidationError(
            {"justification": "Explain in a sentence or two why you need this case now."}
        )
    # For a manager of a hub today: a manager reactivated and waiting for their hub to confirm
    # them again (or whose management has ended) reaches no case this way either.
    if not HubManagement.objects.current().filter(manager=actor).exists():
        raise ValidationError(
            "Emergency access is for hub managers, and you do not manage a hub today. If your "
            "access is waiting for a hub to confirm it, ask that hub's managers."
        )
    with acting_as(actor):
        share = CaseShare.objects.create(
            case=case,
            kind=ShareKind.BREAK_GLASS,
            shared_with=actor,
            granted_by=actor,
            reason=justification,
            expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
        )
    _grant(share)
    managers = list(_current_managements(case.spoke.hub).values_list("manager__email", flat=True))
    if managers:
        transaction.on_commit(
            lambda: send_mail(
                "Emergency access to one of your hub's cases",
                f"{actor.full_name} used emergency access to case {case.reference}. "
                "Their reason and the access log are on the case in Alexi.",
                None,
                managers,
                fail_silently=True,
            )
        )
    return share


@transaction.atomic
def transfer_request(*, actor: User, case: Case, to_spoke: Spoke, reason: str) -> CaseShare:
    """Offer a case to another hub; until its manager accepts, they see only a summary."""
    if to_spoke.hub_id == case.spoke.hub_id:
        raise ValidationError({"to_spoke": "Choose a spoke of another hub."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is moving."})
    if CaseShare.objects.filter(
        case=case, kind=ShareKind.TRANSFER, transfer_status=TransferStatus.PENDING
    ).exists():
        raise ValidationError("A transfer of this case is already waiting for an answer.")
    with acting_as(actor):
        return CaseShare.objects.create(
            case=case,
            kind=ShareKind.TRANSFER,
            to_hub=to_spoke.hub,
            to_spoke=to_spoke,
            granted_by=actor,
            reason=reason,
            expires_at=timezone.now() + timedelta(days=TRANSFER_DAYS),
            transfer_status=TransferStatus.PENDING,
        )


@transaction.atomic
def transfer_decide(
    *, actor: User, transfer: CaseShare, accept: bool, worker: User | None = None
) -> CaseShare:
    transfer = (
        CaseShare.objects.select_for_update(of=("self",))
        .select_related("case", "to_spoke")
        .get(pk=transfer.pk)
    )
    if transfer.transfer_status != TransferStatus.PENDING or not transfer.is_live:
        raise ValidationError("This transfer has already been answered or has lapsed.")
    now = timezone.now()
    with acting_as(actor):
        transfer.transfer_status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
        transfer.decided_by = actor
        transfer.decided_at = now
        transfer.save(update_fields=["transfer_status", "decided_by", "decided_at"])
        if accept:
            if worker is None:
                raise ValidationError({"worker": "Choose the worker who will hold the case."})
            case = transfer.case
            # A transfer always names the spoke it goes to (to_spoke is empty only on the
            # shares and emergency accesses that CaseShare also holds).
            _check_worker_for_spoke(worker, transfer.to_spoke)  # type: ignore[arg-type]
            if case.status != CaseStatus.CLOSED:
                existing = open_case_at_hub(
                    young_person_id=case.young_person_id,
                    hub_id=transfer.to_spoke.hub_id,  # type: ignore[union-attr]
                    exclude_case_id=case.pk,
                )
                if existing is not None:
                    raise ValidationError(
                        f"This young person already has an open case at your hub "
                        f"({existing.reference}): record the work there, or close it first."
                    )
            case.spoke = transfer.to_spoke  # type: ignore[assignment]
            case.hub_id = transfer.to_spoke.hub_id  # type: ignore[union-attr]
            # Its import ref is the sending hub's (unique per hub only): the receiving hub may
            # use it for a case of its own, so it stays in the history, not on the case.
            case.import_ref = None
            case.save(update_fields=["spoke", "hub", "import_ref"])
            case_reallocate(actor=actor, case=case, worker=worker, reason="Transfer accepted")
            # Access granted by the old hub ends with the move.
            for share in CaseShare.objects.unexpired(now).filter(case=case):
                share.revoked_at = now
                share.save(update_fields=["revoked_at"])
                _remove_grant_unless_still_shared(share)
    return transfer


def shares_expire() -> int:
    """Remove guardian grants whose share has expired (access already stopped at expiry)."""
    now = timezone.now()
    removed = 0
    expired = (
        CaseShare.objects.filter(
            kind__in=[ShareKind.SHARE, ShareKind.BREAK_GLASS],
            expires_at__lte=now,
            shared_with__isnull=False,
        )
        .values_list("case_id", "shared_with_id")
        .distinct()
    )
    for case_id, user_id in expired:
        live = (
            CaseShare.objects.unexpired(now, kinds=None)
            .filter(case_id=case_id, shared_with_id=user_id)
            .exists()
        )
        if not live:
            deleted, _ = CaseUserObjectPermission.objects.filter(
                content_object_id=case_id, user_id=user_id
            ).delete()
            removed += deleted
    return removed
