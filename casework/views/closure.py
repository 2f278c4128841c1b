"""Casework pages: closure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alexi.audit import record_access
from alexi.models import AccessAction
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors
from casework import access, forms, services
from casework.views._common import _require, managers_only, on_cases
from casework.views.case_page import _case_page


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
