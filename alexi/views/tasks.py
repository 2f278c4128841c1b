"""The work list page (issue 13 item 2): everything due or waiting for the signed-in person."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from alexi.access import require_role
from alexi.worklist import ROLES_WITH_TASKS, tasks_for


@require_GET
@require_role(*ROLES_WITH_TASKS)
def tasks(request):
    return render(
        request,
        "home/tasks.html",
        {"title": "My tasks", "work": tasks_for(request.user)},
    )
