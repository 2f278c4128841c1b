"""The case page's chronology: its filters, and "Show earlier" (a page of entries for htmx, or
the whole case page at that page without JavaScript)."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from alexi.audit import record_access
from alexi.models import AccessAction
from casework import chronology, forms
from casework.access import CaseAccess, case_for
from casework.models import CaseStatus
from casework.views._common import on_cases


def _query(params: QueryDict, number: int) -> str:
    """The filters as asked, at page `number` (none of the other parameters sent)."""
    query = QueryDict(mutable=True)
    for name in ("view", "kind", "since", "until"):
        values = [value for value in params.getlist(name) if value]
        if values:
            query.setlist(name, values)
    if number > 1:
        query["page"] = str(number)
    return query.urlencode()


def chronology_for(request, allowed: CaseAccess) -> tuple[dict, forms.ChronologyFilterForm]:
    """The chronology to show on the case page, from the filters in the address: the entries
    of the page asked for, the count, and the links to earlier and later entries. A filter
    that cannot be used is reported on the form, and the latest entries are shown unfiltered."""
    case = allowed.case
    form = forms.ChronologyFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        filters, number = form.filters(), form.page_number()
    else:
        filters, number = chronology.Filters(), 1
    editable = case.status != CaseStatus.CLOSED and allowed.may_record
    result = chronology.page(case=case, filters=filters, number=number, editable=editable)
    params = request.GET if form.is_bound and not form.errors else QueryDict()
    case_url = reverse("casework:case", args=[case.pk])
    fragment_url = reverse("casework:chronology", args=[case.pk])
    earlier = _query(params, number + 1)
    context = {
        "page": result,
        "filters": filters,
        "kinds": chronology.KINDS,
        "earlier_url": f"{case_url}?{earlier}#chronology",
        "earlier_fragment": f"{fragment_url}?{earlier}",
        "later_url": f"{case_url}?{_query(params, number - 1)}#chronology".replace("?#", "#"),
        "clear_url": f"{case_url}#chronology",
    }
    return context, form


@on_cases
@require_GET
def chronology_fragment(request, case_id: int):
    """The next page of the chronology for "Show earlier" (htmx): its entries, the next
    "Show earlier" and the count. Read like the case page, so logged like it."""
    allowed = case_for(request.user, case_id)
    record_access(request, AccessAction.VIEW, obj=allowed.case)
    context, form = chronology_for(request, allowed)
    return render(
        request,
        "casework/_chronology_more.html",
        {"case": allowed.case, "chronology": context, "filter_form": form},
        status=400 if form.errors else 200,
    )
