"""The work list page (issue 13 item 2): everything due or waiting for the signed-in person."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from alexi.access import require_role
from alexi.worklist import ROLES_WITH_TASKS, task_count, tasks_for


@require_GET
@require_role(*ROLES_WITH_TASKS)
def tasks(request):
    return render(
        request,
        "home/tasks.html",
        {"title": "My tasks", "work": tasks_for(request.user)},
    )


@require_GET
@require_role(*ROLES_WITH_TASKS)
def tasks_count(request):
    """The header's Tasks link with its count, asked for by htmx after a page has loaded when
    the count was not in the cache (alexi.worklist.task_count counts it and keeps it)."""
    return render(request, "includes/header_tasks.html", {"task_total": task_count(request.user)})


@require_GET
@require_role(*ROLES_WITH_TASKS)
def tasks_panel(request):
    """The "My tasks" section of a home page, asked for by htmx once the page has loaded."""
    return render(request, "includes/my_tasks.html", {"work": tasks_for(request.user)})
