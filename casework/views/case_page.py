"""Casework pages: the case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alexi.audit import record_access
from alexi.locking import StaleEdit
from alexi.models import AccessAction
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors, stale_edit
from casework import access, forms, selectors, services
from casework.chronology import everything as chronology_everything
from casework.models import AssessmentKind, CaseSession, RiskAssessment
from casework.risk import compute
from casework.views._common import _require, on_cases
from casework.views.allocation import _case_form
from casework.views.chronology import chronology_for


@on_cases
@require_GET
def case(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    return _case_page(request, allowed)


def _case_page(request, allowed, *, return_form=None, status: int = 200):
    """The case page; with `return_form` holding errors when a closure return was refused."""
    case = allowed.case
    record_access(request, AccessAction.VIEW, obj=case)
    visible_other = selectors.other_cases(user=request.user, case=case)
    who = access.who_can_see(case)
    for row in who:
        if "share" in row:
            row["may_end"] = allowed.may_end(row["share"])
    chronology, filter_form = chronology_for(request, allowed)
    if filter_form.errors and status == 200:
        status = 400
    return render(
        request,
        "casework/case.html",
        {
            "title": f"{case.young_person.display_name} ({case.young_person.reference})",
            "case": case,
            "person": case.young_person,
            "chronology": chronology,
            "filter_form": filter_form,
            "who": who,
            "other_cases": visible_other,
            "access": allowed,
            "today": timezone.localdate(),
            "return_form": return_form or forms.ReturnClosureForm(),
        },
        status=status,
    )


@on_cases
@require_http_methods(["GET", "POST"])
def young_person_edit(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_record)
    person = case.young_person
    if request.method == "GET":
        record_access(request, AccessAction.VIEW, obj=person)
    initial = {**forms.YoungPersonFields.initial_from(person), "version": person.version}
    form = forms.YoungPersonForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    done, status, extra = _save_versioned(
        request,
        form,
        case,
        lambda version: services.young_person_update(
            actor=request.user, person=person, version=version, data=form.person_data()
        ),
        "Details saved.",
    )
    if done:
        return done
    return render(
        request,
        "casework/young_person_form.html",
        {"title": "Change their details", "form": form, "case": case, **extra},
        status=status,
    )


@on_cases
@require_GET
def case_print(request, case_id: int):
    """A printable case record; printing is logged like a view."""
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    record_access(request, AccessAction.PRINT, obj=case)
    return render(
        request,
        "casework/case_print.html",
        {
            "title": f"Case record {case.reference}",
            "case": case,
            "person": case.young_person,
            "timeline": chronology_everything(case=case),
            "today": timezone.localdate(),
        },
    )


def _save_versioned(request, form, case, save, done: str):
    """The POST half of a form for a record that keeps a version: (redirect or None, status,
    extra context). A stale save gets 409 and a table of what changed; bad input 400."""
    if request.method != "POST":
        return None, 200, {}
    if not form.is_valid():
        return None, 400, {}
    try:
        save(form.cleaned_data["version"] or 0)
    except StaleEdit as error:
        return None, 409, {"stale": stale_edit(form, error)}
    except ValidationError as error:
        apply_errors(form, error)
        return None, 400, {}
    messages.success(request, done)
    return redirect("casework:case", case_id=case.pk), 200, {}


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the session", unless="session_id")
def session_form(request, case_id: int, session_id: int | None = None):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_record)
    record = (
        access.child_for(request.user, CaseSession, case_id, session_id) if session_id else None
    )
    if record is not None and request.method == "GET":
        record_access(request, AccessAction.VIEW, obj=record)
    initial = None
    if record is not None:
        initial = {
            "date": record.date,
            "attendance": record.attendance,
            "contact_method": record.contact_method,
            "venue_type": record.venue_type,
            "young_person_chose": {True: "yes", False: "no"}.get(record.young_person_chose, ""),
            "duration_minutes": record.duration_minutes,
            "themes": record.themes,
            "young_person_words": record.young_person_words,
            "notes": record.notes,
            "next_meeting_on": record.next_meeting_on,
            "next_meeting_time": record.next_meeting_time,
            "next_meeting_place": record.next_meeting_place,
            "version": record.version,
        }
    form = forms.SessionForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(version):
        if record is None:
            return services.session_log(actor=request.user, case=case, data=form.service_data())
        return services.session_update(
            actor=request.user, session=record, version=version, data=form.service_data()
        )

    done, status, extra = _save_versioned(request, form, case, save, "Session saved.")
    if done:
        return done
    return render(
        request,
        "casework/session_form.html",
        {
            "title": "Log a session" if record is None else "Change a session",
            "form": form,
            "case": case,
            "record": record,
            **extra,
        },
        status=status,
    )


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the risk assessment", unless="assessment_id")
def assessment_form(request, case_id: int, assessment_id: int | None = None):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_record)
    record = (
        access.child_for(request.user, RiskAssessment, case_id, assessment_id)
        if assessment_id
        else None
    )
    if record is not None and request.method == "GET":
        record_access(request, AccessAction.VIEW, obj=record)
    tool = (record.tool if record and record.tool else None) or services.current_tool()
    if record is not None:
        initial = {
            "kind": record.kind,
            "assessed_on": record.assessed_on,
            "indicators": record.indicators,
            "final_level": record.final_level
            if record.final_level != record.computed_level
            else "",
            "no_indicators_present": record.no_indicators_present,
            "rationale": record.rationale,
            "young_person_view": record.young_person_view,
            "next_review_due": record.next_review_due,
            "version": record.version,
        }
    else:
        has_initial = case.assessments.filter(kind=AssessmentKind.INITIAL).exists()
        requested = request.GET.get("kind", "")
        initial = {
            "kind": requested
            if requested in AssessmentKind.values
            else (AssessmentKind.REVIEW if has_initial else AssessmentKind.INITIAL)
        }
    form = forms.AssessmentForm(
        request.POST if request.method == "POST" else None, initial=initial, tool=tool
    )

    def save(version):
        if record is None:
            return services.assessment_record(
                actor=request.user, case=case, data=form.service_data()
            )
        return services.assessment_update(
            actor=request.user, assessment=record, version=version, data=form.service_data()
        )

    done, status, extra = _save_versioned(request, form, case, save, "Risk assessment saved.")
    if done:
        return done
    ticked = form["indicators"].value() or []
    preview = compute(tool.definition, list(ticked), case.young_person.age_on(timezone.localdate()))
    return render(
        request,
        "casework/assessment_form.html",
        {
            "title": "Risk assessment",
            "form": form,
            "case": case,
            "record": record,
            "preview": preview,
            **extra,
        },
        status=status,
    )


@on_cases
@require_POST
def assessment_preview(request, case_id: int):
    """The tool's level for the ticked indicators, for the form to show as you tick (htmx)."""
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    tool = services.current_tool()
    known = {i["key"] for g in tool.definition["groups"] for i in g["indicators"]}
    ticked = [key for key in request.POST.getlist("indicators") if key in known]
    preview = compute(tool.definition, ticked, case.young_person.age_on(timezone.localdate()))
    return render(request, "casework/_risk_preview.html", {"preview": preview})


def _simple_record_view(request, case_id, form_class, service, template, title, done):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_record)
    form = form_class(request.POST if request.method == "POST" else None)
    return _case_form(
        request,
        case,
        form,
        act=lambda data: service(actor=request.user, case=case, data=data),
        template=template,
        title=title,
        done=lambda data: done,
    )


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the information share")
def information_share_new(request, case_id: int):
    return _simple_record_view(
        request,
        case_id,
        forms.InformationShareForm,
        services.information_share_record,
        "casework/information_share_form.html",
        "Record information shared",
        "Information share recorded.",
    )


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the multi-agency contact")
def agency_contact_new(request, case_id: int):
    return _simple_record_view(
        request,
        case_id,
        forms.AgencyContactForm,
        services.agency_contact_record,
        "casework/agency_contact_form.html",
        "Record a multi-agency contact",
        "Multi-agency contact recorded.",
    )
