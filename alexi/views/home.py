"""The home page by role, the account page and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alexi import access, hooks
from alexi.notifications.views import account_context
from alexi.selectors import person_has_second_factor


@require_GET
def home(request):
    """The home page of the signed-in person's role, as the domain app that owns it registered
    it (alexi.hooks): a worker's caseload, a manager's hub overview, a funder's returns, the
    programme overview."""
    page = hooks.home_page(access.role_of(request.user))
    if page is None:
        raise PermissionDenied
    return page(request)


@require_GET
def account(request):
    return render(
        request,
        "home/account.html",
        {
            "title": "Your account",
            "has_second_factor": person_has_second_factor(request.user),
            **account_context(request),
        },
    )


@login_not_required
@require_GET
def healthz(request):
    """For load balancers and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
