"""Requests for access to a hub's child records: confirmed or refused by the hub's managers
(or, for a hub with no manager, a second programme administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from alexi.access import require_role
from alexi.grants import GrantRefused, grant_confirm, grant_refuse, grants_to_decide
from alexi.models import AccessGrant, GrantStatus, Role

deciders_only = require_role(Role.HUB_MANAGER, Role.PROGRAMME_ADMIN)


@deciders_only
@require_GET
def access_requests(request):
    asked = []
    if request.user.role == Role.PROGRAMME_ADMIN:
        asked = list(
            AccessGrant.objects.filter(requested_by=request.user, status=GrantStatus.PENDING)
            .select_related("user", "hub", "spoke__local_authority")
            .order_by("requested_at", "pk")
        )
    return render(
        request,
        "people/access_requests.html",
        {
            "title": "Requests for access",
            "to_decide": grants_to_decide(request.user),
            "asked": asked,
        },
    )


@deciders_only
@require_POST
def access_request_decide(request, grant_id: int, decision: str):
    decide = grant_confirm if decision == "confirm" else grant_refuse
    try:
        grant = decide(actor=request.user, grant_id=grant_id, request=request)
    except GrantRefused as error:
        messages.error(request, str(error))
        return redirect("alexi:access_requests")
    if grant.status == GrantStatus.CONFIRMED:
        messages.success(
            request,
            f"{grant.user.full_name} can now {grant.get_kind_display().lower()}: {grant.hub.name}.",
        )
    else:
        messages.success(
            request, f"Refused: {grant.user.full_name} was not given access to {grant.hub.name}."
        )
    return redirect("alexi:access_requests")
