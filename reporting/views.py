"""Quarterly returns: the list, downloads (logged) and the administrators' regenerate button."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from alexi.access import funder_of, require_role, role_of
from alexi.audit import record_access
from alexi.models import AccessAction, Role
from alexi.submissions.once import issue, once_only
from reporting import access
from reporting.forms import MakeReturnsForm
from reporting.returns import previous_quarter, programme_today

FORMATS = {
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}
readers = require_role(Role.FUNDER, Role.HUB_MANAGER, Role.PROGRAMME_ADMIN)


def returns_list(request, *, title: str = "Returns", form=None, status: int = 200):
    """The returns this user may download, newest quarter first, every version kept; for
    administrators, the form to make a quarter's returns (with its errors, if refused)."""
    from django.db.models import F, Max, Window
    from django.db.models.functions import Coalesce

    returns = (
        access.returns_for(request.user)
        .select_related("funder", "hub")
        .defer("csv", "xlsx", "pdf", "figures")
        # Each return's versions together, newest first, and which one is current.
        .annotate(
            latest_version=Window(
                Max("version"), partition_by=[F("kind"), F("funder"), F("hub"), F("quarter")]
            )
        )
        .order_by("-period_start", "kind", Coalesce("funder__name", "hub__name"), "-version")
    )
    can_generate = role_of(request.user) == Role.PROGRAMME_ADMIN
    if can_generate and form is None:
        form = MakeReturnsForm(initial={"quarter": previous_quarter(programme_today())})
    if can_generate and not getattr(request, "submission_token", ""):
        # The form makes records (new versions, with "Make new versions"): sent twice, by Back
        # then the button again or a double click, it makes them once (alexi/submissions).
        request.submission_token = issue(request.user)
    return render(
        request,
        "reporting/returns.html",
        {
            "title": title,
            "returns": returns,
            "funder": funder_of(request.user),
            "can_generate": can_generate,
            "form": form,
        },
        status=status,
    )


@readers
@require_GET
def returns(request):
    return returns_list(request)


@readers
@require_GET
def download(request, return_id: int, fmt: str):
    found = access.returns_for(request.user).filter(pk=return_id).first()
    if found is None or fmt not in FORMATS:
        raise Http404("No such return")
    content_type, extension = FORMATS[fmt]
    if fmt == "json":
        import json

        body = json.dumps(found.figures, sort_keys=True).encode()  # the bytes json_sha256 covers
    else:
        body = bytes(getattr(found, fmt))
    record_access(request, AccessAction.DOWNLOAD, obj=found)
    name = f"alexi-return-{found.kind}-{found.pk}-{found.quarter}-v{found.version}.{extension}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_role(Role.PROGRAMME_ADMIN)
@require_POST
@once_only(what="the request for these returns")
def generate(request):
    """Make (or with 'regenerate', make new versions of) a quarter's returns, in the background
    when a worker is configured. The request never waits on the broker."""
    from reporting.models import ReturnRequest
    from reporting.tasks import process_return_requests

    form = MakeReturnsForm(request.POST)
    if not form.is_valid():  # not a quarter, or one that has not ended: nothing is asked for
        return returns_list(request, form=form, status=400)
    quarter = form.cleaned_data["quarter"]
    # Kept in the database first: if the broker is down the hourly sweep makes it later.
    ReturnRequest.objects.create(
        quarter=quarter, regenerate=form.cleaned_data["regenerate"], requested_by=request.user
    )

    def enqueue():
        try:
            process_return_requests.delay()
        except Exception:  # noqa: BLE001 (broker down: the hourly sweep makes them later)
            import logging

            logging.getLogger("alexi.reporting").exception("Could not queue the returns")

    transaction.on_commit(enqueue)
    messages.success(
        request,
        f"The returns for {quarter} are being made. Refresh this page in a minute.",
    )
    return redirect("reporting:returns")
