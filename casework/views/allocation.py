"""Casework pages: allocation, status, sharing, transfer, break-glass."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alexi.audit import record_access
from alexi.models import AccessAction, AccessLog
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors
from casework import access, forms, selectors, services
from casework.views._common import _require, managers_only, on_cases


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
    # Each opening of the case, and each search that listed it (with what was typed).
    rows = AccessLog.objects.filter(
        Q(object_type="case", object_id=str(case.pk))
        | Q(action=AccessAction.SEARCH, object_type="case", object_ids__contains=[case.pk])
    ).order_by("-at", "-id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    record_access(request, AccessAction.VIEW, object_type="case_access_log", object_id=case.pk)
    return render(
        request,
        "casework/access_log.html",
        {"title": "Who opened this case", "case": case, "page": page},
    )
