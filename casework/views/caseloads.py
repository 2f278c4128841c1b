"""Casework pages: caseloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alexi.access import managed_hubs, spokes_for, worker_spoke
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


HUB_COLUMNS = [
    ("name", "Young person"),
    ("spoke", "Spoke"),
    ("worker", "Worker"),
    ("risk", "Risk"),
    ("contact", "Last contact"),
    ("review", "Next review"),
]


def _sort_columns(query, sort: str, order: str) -> list[dict]:
    """Each column's header: a link sorting by it (the other way round when it is the sort
    already) keeping the filters, and aria-sort on the sorted one."""
    columns = []
    for key, label in HUB_COLUMNS:
        column = selectors.HUB_SORTS[key]
        current = order if key == sort else ""
        following = ("asc" if current == "desc" else "desc") if current else column.first
        link = query.copy()
        link["sort"] = key
        link["order"] = following
        columns.append(
            {
                "label": label,
                "query": link.urlencode(),
                "aria_sort": {"asc": "ascending", "desc": "descending"}.get(current, ""),
                "action": f"sort {getattr(column, following)}",
            }
        )
    return columns


@managers_only
@require_GET
def hub_cases(request):
    """Every case of the manager's hubs, with the young person's name: filters (worker,
    spoke, risk, review due, last contact, status), every column sortable, and paging."""
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.HUB_SORTS else "review"
    order = request.GET.get("order", "")
    order = order if order in ("asc", "desc") else selectors.HUB_SORTS[sort].first
    review = request.GET.get("review", "")
    if review not in selectors.REVIEW_DUE:
        review = "overdue" if request.GET.get("overdue") == "1" else ""
    filters = {
        "level": request.GET.get("level", ""),
        "review": review,
        "no_contact_days": _int_or_none(request.GET.get("no_contact")),
        "status": request.GET.get("status", ""),
        "worker_id": _id_or_none(request.GET.get("worker")),
        "spoke_id": _id_or_none(request.GET.get("spoke")),
    }
    cases = selectors.hub_caseload(user=request.user, sort=sort, order=order, **filters)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for name in ("sort", "order", "overdue"):
        query.pop(name, None)
    if review:
        query["review"] = review
    sorted_query = query.copy()
    sorted_query["sort"] = sort
    sorted_query["order"] = order
    by_worker = selectors.caseload_by_worker(user=request.user)
    transfers, break_glass = selectors.hub_share_notices(user=request.user)
    spokes = list(spokes_for(request.user).order_by("hub__name", "local_authority__name"))
    several_hubs = len({spoke.hub_id for spoke in spokes}) > 1
    return render(
        request,
        "casework/hub_cases.html",
        {
            "title": "Hub caseload",
            "page": page,
            "filters": filters,
            "filtered": any(value not in ("", None) for value in filters.values()),
            "sort": sort,
            "order": order,
            "columns": _sort_columns(query, sort, order),
            "levels": RiskLevel.choices,
            "review_due": selectors.REVIEW_DUE.items(),
            # The workers holding the hubs' open and paused cases (from the table below),
            # and the hubs' spokes.
            "workers": [
                (row["allocated_worker_id"], row["allocated_worker__full_name"])
                for row in by_worker
                if row["allocated_worker_id"]
            ],
            "spokes": [
                (
                    spoke.pk,
                    f"{spoke.local_authority.name} ({spoke.hub.name})"
                    if several_hubs
                    else spoke.local_authority.name,
                )
                for spoke in spokes
            ],
            "query": sorted_query.urlencode(),
            "by_worker": by_worker,
            "closures": selectors.pending_closures(user=request.user),
            "transfers": transfers,
            "break_glass": break_glass,
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
