"""Casework writes: sessions, assessments, shares of information, multi-agency contacts."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alexi.history import acting_as
from alexi.locking import check_version
from alexi.models import User
from casework import risk
from casework.models import (
    RISK_ORDER,
    Attendance,
    Case,
    CaseNote,
    CaseSession,
    CaseStatus,
    InformationShare,
    MultiAgencyContact,
    RiskAssessment,
    RiskLevel,
    RiskTool,
)
from casework.services._common import _apply, _day


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
    if errors:
        # With nothing (or both) ticked there is no level yet: asking why "this level is lower
        # than at the last assessment" would be about a level nobody chose.
        raise ValidationError(errors)
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


@transaction.atomic
def case_note_record(*, actor: User, case: Case, data: dict[str, Any]) -> CaseNote:
    """Record a case note: something that is not a session with the young person."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_open_for_recording(case, data["date"])
    with acting_as(actor):
        return CaseNote.objects.create(case=case, recorded_by=actor, **data)


@transaction.atomic
def case_note_update(
    *, actor: User, note: CaseNote, version: int, data: dict[str, Any]
) -> CaseNote:
    """Change a case note, refused (StaleEdit) when someone else saved it since `version`."""
    note = CaseNote.objects.select_for_update(of=("self",)).select_related("case").get(pk=note.pk)
    check_version(note, version, data)
    _check_open_for_recording(note.case, data["date"])
    with acting_as(actor):
        fields = _apply(note, data)
        note.version += 1
        note.save(update_fields=[*fields, "version"])
    return note
