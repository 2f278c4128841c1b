"""Casework pages: caseloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alexi.access import managed_hubs, managed_spoke_ids, worker_spoke
from alexi.models import Role
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors
from casework import forms, selectors, services
from casework.models import RiskLevel
from casework.views._common import _id_or_none, _int_or_none, managers_only


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
            "today": timezone.localdate(),
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
            "today": timezone.localdate(),
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
