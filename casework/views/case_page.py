"""Casework pages. Every case is fetched through casework.access (404 when out of reach)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alexi.access import managed_hubs, managed_spoke_ids, require_role, worker_spoke
from alexi.audit import record_access
from alexi.locking import StaleEdit
from alexi.models import AccessAction, AccessLog, Role
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors, stale_edit
from casework import access, forms, selectors, services
from casework.models import (
    AssessmentKind,
    CaseSession,
    RiskAssessment,
    RiskLevel,
)
from casework.risk import compute

WORKER_OR_MANAGER = (Role.SPOKE_WORKER, Role.HUB_MANAGER)
on_cases = require_role(*WORKER_OR_MANAGER)
managers_only = require_role(Role.HUB_MANAGER)


def _require(right: bool) -> None:
    """403 unless the case's access (casework.access.CaseAccess) gives this right."""
    if not right:
        raise PermissionDenied


def _id_or_none(value: str | None) -> int | None:
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 <= number <= 3650 else None


# --- Caseloads ----------------------------------------------------------------------------


def caseload(request):
    """My caseload: the worker's own and shared cases. Rendered as the worker's home page."""
    sort = request.GET.get("sort", "review")
    level = request.GET.get("level", "")
    overdue = request.GET.get("overdue") == "1"
    cases = selectors.caseload(user=request.user, sort=sort, level=level, overdue=overdue)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/caseload.html",
        {
            "title": "My caseload",
            "page": page,
            "spoke": worker_spoke(request.user),
            "sort": sort,
            "level": level,
            "overdue": overdue,
            "levels": RiskLevel.choices,
            "today": services.timezone.localdate(),
        },
    )


@managers_only
@require_GET
def hub_cases(request):
    """Every case of the manager's hubs, by worker, with filters and paging."""
    hubs = managed_hubs(request.user)
    filters = {
        "level": request.GET.get("level", ""),
        "overdue": request.GET.get("overdue") == "1",
        "no_contact_days": _int_or_none(request.GET.get("no_contact")),
        "status": request.GET.get("status", ""),
        "worker_id": _id_or_none(request.GET.get("worker")),
        "sort": request.GET.get("sort", "review"),
    }
    cases = selectors.caseload(user=request.user, **filters).filter(
        spoke_id__in=managed_spoke_ids(request.user)
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/hub_cases.html",
        {
            "title": "Hub caseload",
            "page": page,
            "filters": filters,
            "levels": RiskLevel.choices,
            "workers": forms.User.objects.filter(
                role=Role.SPOKE_WORKER, worker_profile__spoke__hub__in=hubs
            ).order_by("full_name"),
            "query": query.urlencode(),
            "by_worker": selectors.caseload_by_worker(user=request.user),
            "closures": selectors.pending_closures(user=request.user),
            "transfers": selectors.transfers_waiting_for(user=request.user),
            "break_glass": selectors.recent_break_glass(user=request.user),
            "today": services.timezone.localdate(),
        },
    )


@managers_only
@require_http_methods(["GET", "POST"])
@once_only(what="the case")
def case_new(request):
    hubs = managed_hubs(request.user)
    form = forms.OpenCaseForm(request.POST if request.method == "POST" else None, hubs=hubs)
    status = 200
    if request.method == "POST":
        existing = None
        if form.is_valid() and form.existing_id():
            # Only someone with a case this manager can already see: never a way to find
            # out about young people elsewhere.
            existing = selectors.young_person_known_to(
                user=request.user, person_id=form.existing_id()
            )
            if existing is None:
                form.add_error(
                    "existing_reference",
                    "No young person with this reference has a case you can see. "
                    "Check it, or leave it empty to record someone new.",
                )
        if form.is_valid():
            try:
                case = services.case_open(
                    actor=request.user,
                    spoke=form.cleaned_data["spoke"],
                    worker=form.cleaned_data["worker"],
                    opened_on=form.cleaned_data["opened_on"],
                    young_person=existing,
                    person_data=None if existing else form.person_data(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Case {case.reference} opened.")
                return redirect("casework:case", case_id=case.pk)
        status = 400
    return render(
        request, "casework/case_new.html", {"title": "Open a case", "form": form}, status=status
    )


# --- The case page ------------------------------------------------------------------------


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
    return render(
        request,
        "casework/case.html",
        {
            "title": f"{case.young_person.display_name} ({case.young_person.reference})",
            "case": case,
            "person": case.young_person,
            "timeline": selectors.timeline(case=case),
            "who": who,
            "other_cases": visible_other,
            "access": allowed,
            "today": services.timezone.localdate(),
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
            "timeline": selectors.timeline(case=case),
            "today": services.timezone.localdate(),
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
    preview = compute(
        tool.definition, list(ticked), case.young_person.age_on(services.timezone.localdate())
    )
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
    preview = compute(
        tool.definition, ticked, case.young_person.age_on(services.timezone.localdate())
    )
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


# --- Closure ------------------------------------------------------------------------------


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the request to close the case")
def closure_request(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_close)
    if request.method == "GET":
        record_access(request, AccessAction.VIEW, obj=case)
    form = forms.ClosureForm(request.POST if request.method == "POST" else None)
    initial, closing = services.initial_and_closing(case)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.closure_request(
                    actor=request.user,
                    case=case,
                    closed_on=form.cleaned_data["closed_on"],
                    closure_reason=form.cleaned_data["closure_reason"],
                    no_reduction_reason=form.cleaned_data["no_reduction_reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Closure sent to your hub manager for approval.")
                return redirect("casework:case", case_id=case.pk)
        status = 400
    return render(
        request,
        "casework/closure_form.html",
        {
            "title": "Close this case",
            "form": form,
            "case": case,
            "initial": initial,
            "closing": closing,
        },
        status=status,
    )


@managers_only
@require_POST
def closure_decide(request, case_id: int, decision: str):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_approve_closure)
    try:
        if decision == "approve":
            services.closure_approve(actor=request.user, case=case)
            messages.success(request, f"Case {case.reference} is closed.")
        else:
            form = forms.ReturnClosureForm(request.POST)
            if not form.is_valid():
                if not case.closure_pending:
                    raise ValidationError("There is no closure waiting for approval on this case.")
                return _case_page(request, allowed, return_form=form, status=400)
            try:
                services.closure_return(
                    actor=request.user,
                    case=case,
                    note=form.cleaned_data["note"],
                    next_review_due=form.cleaned_data["next_review_due"],
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    raise
                apply_errors(form, error)
                return _case_page(request, allowed, return_form=form, status=400)
            messages.success(request, "Closure returned to the worker with your note.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("casework:case", case_id=case.pk)


# --- Allocation, status, sharing, transfer, break-glass -----------------------------------


def _case_form(request, case, form, *, act, template: str, title: str, done):
    """GET shows the form; a valid POST calls `act(cleaned_data)` (a service), shows
    `done(cleaned_data)` and returns to the case; otherwise the form again with a 400."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                act(form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, done(form.cleaned_data))
                return redirect("casework:case", case_id=case.pk)
        status = 400
    return render(request, template, {"title": title, "form": form, "case": case}, status=status)


@managers_only
@require_http_methods(["GET", "POST"])
def allocate(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_allocate)
    form = forms.AllocateForm(
        request.POST if request.method == "POST" else None, hub_id=case.spoke.hub_id
    )
    return _case_form(
        request,
        case,
        form,
        act=lambda data: services.case_reallocate(
            actor=request.user, case=case, worker=data["worker"], reason=data["reason"]
        ),
        template="casework/allocate.html",
        title="Allocate",
        done=lambda data: f"Case allocated to {data['worker']}.",
    )


@on_cases
@require_POST
def case_status(request, case_id: int, action: str):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_close)
    try:
        services.case_set_paused(actor=request.user, case=case, paused=action == "pause")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Case paused." if action == "pause" else "Case resumed.")
    return redirect("casework:case", case_id=case.pk)


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the sharing of this case")
def share_new(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_share)
    form = forms.ShareForm(
        request.POST if request.method == "POST" else None,
        hub_id=case.spoke.hub_id,
        exclude_id=case.allocated_worker_id,
    )
    return _case_form(
        request,
        case,
        form,
        act=lambda data: services.case_share(
            actor=request.user,
            case=case,
            worker=data["worker"],
            reason=data["reason"],
            expires_on=data["expires_on"],
        ),
        template="casework/share_form.html",
        title="Share this case",
        done=lambda data: f"Case shared with {data['worker']}.",
    )


@on_cases
@require_POST
def share_revoke(request, case_id: int, share_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    share = access.share_of(allowed, share_id)
    _require(allowed.may_end(share))
    services.share_revoke(actor=request.user, share=share, request=request)
    messages.success(request, "Sharing ended.")
    return redirect("casework:case", case_id=case.pk)


@managers_only
@require_http_methods(["GET", "POST"])
@once_only(what="the transfer offer")
def transfer_new(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_transfer)
    form = forms.TransferForm(
        request.POST if request.method == "POST" else None, from_hub_id=case.spoke.hub_id
    )
    return _case_form(
        request,
        case,
        form,
        act=lambda data: services.transfer_request(
            actor=request.user, case=case, to_spoke=data["to_spoke"], reason=data["reason"]
        ),
        template="casework/transfer_form.html",
        title="Transfer to another hub",
        done=lambda data: "Transfer offered. The receiving hub's managers will see a summary.",
    )


@managers_only
@require_http_methods(["GET", "POST"])
def transfer_decide(request, transfer_id: int):
    transfer = selectors.transfers_waiting_for(user=request.user).filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    if request.method == "GET":
        record_access(
            request,
            AccessAction.VIEW,
            object_type="case_transfer_summary",
            object_id=transfer.case_id,
        )
    form = forms.TransferDecisionForm(
        request.POST if request.method == "POST" else None, hub_id=transfer.to_hub_id
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.transfer_decide(
                    actor=request.user,
                    transfer=transfer,
                    accept=accept,
                    worker=form.cleaned_data.get("worker"),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if accept:
                    messages.success(request, "Transfer accepted. The case is now your hub's.")
                    return redirect("casework:case", case_id=transfer.case_id)
                messages.success(request, "Transfer declined.")
                return redirect("casework:hub_cases")
        status = 400
    return render(
        request,
        "casework/transfer_decide.html",
        {
            "title": "A case offered to your hub",
            "form": form,
            "transfer": transfer,
            "summary_level": transfer.case.get_current_level_display(),
        },
        status=status,
    )


@managers_only
@require_http_methods(["GET", "POST"])
@once_only(what="the emergency access")
def break_glass(request):
    from casework.models import Case

    form = forms.BreakGlassForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            case = Case.objects.select_related("spoke__hub").filter(pk=form.case_id()).first()
            record_access(
                request,
                AccessAction.BREAK_GLASS,
                object_type="case_lookup",
                object_id=form.case_id(),
            )
            if case is None:
                form.add_error("reference", "No case has this reference. Check it and try again.")
            elif access.cases_for(request.user).filter(pk=case.pk).exists():
                return redirect("casework:case", case_id=case.pk)
            else:
                try:
                    services.break_glass(
                        actor=request.user,
                        case=case,
                        justification=form.cleaned_data["justification"],
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    record_access(request, AccessAction.BREAK_GLASS, obj=case)
                    messages.warning(
                        request,
                        "Emergency access for 24 hours. The case's hub managers have been told.",
                    )
                    return redirect("casework:case", case_id=case.pk)
        status = 400
    return render(
        request,
        "casework/break_glass.html",
        {"title": "Emergency access to a case", "form": form},
        status=status,
    )


@managers_only
@require_GET
def case_access_log(request, case_id: int):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_see_access_log)
    rows = AccessLog.objects.filter(object_type="case", object_id=str(case.pk)).order_by(
        "-at", "-id"
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    record_access(request, AccessAction.VIEW, object_type="case_access_log", object_id=case.pk)
    return render(
        request,
        "casework/access_log.html",
        {"title": "Who opened this case", "case": case, "page": page},
    )
