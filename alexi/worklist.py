"""A person's work list (issue 13 item 2): what is due or waiting for them, computed from the
records each time (nothing is typed in twice, and an item is gone once it is done).

The domain apps yield the items (alexi.hooks.register_task_source); this module groups them
(overdue, due soon, waiting) and keeps the header's count, which every page shows, in the
cache for WORKLIST_COUNT_SECONDS. A page never counts: the header shows the cached count, or
asks for it after the page has loaded (htmx, alexi:tasks_count), so no page pays for it. The
count is dropped at once when the person changes something (WorkListCountMiddleware below)
or opens their work list, so what they did themselves shows on their next page; what others
did shows within that time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alexi import hooks
from alexi.access import role_of
from alexi.hooks import Task
from alexi.models import Role, User

# Roles with a work list: a funder's page has nothing due (returns are made for them).
ROLES_WITH_TASKS = (Role.SPOKE_WORKER, Role.HUB_MANAGER, Role.PROGRAMME_ADMIN)


@dataclass
class WorkList:
    today: date
    overdue: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    waiting: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.waiting)

    @property
    def groups(self) -> list[tuple[str, str, list[Task]]]:
        """(key, heading, items) of the groups that have items, overdue first."""
        return [
            (key, heading, items)
            for key, heading, items in (
                ("overdue", "Overdue", self.overdue),
                ("soon", "Due soon", self.due_soon),
                ("waiting", "Waiting for you", self.waiting),
            )
            if items
        ]


def has_tasks(user: User) -> bool:
    return role_of(user) in ROLES_WITH_TASKS


def tasks_for(user: User, today: date | None = None) -> WorkList:
    """Every item of this person's work list, from every registered source: overdue (due
    before today, oldest first), due soon (soonest first) and waiting (longest first). The
    count the header shows is refreshed with it."""
    today = today or timezone.localdate()
    work = WorkList(today)
    if not has_tasks(user):
        return work
    for source in hooks.task_sources():
        for task in source(user, today):
            if task.due is None:
                work.waiting.append(task)
            elif task.due < today:
                work.overdue.append(task)
            else:
                work.due_soon.append(task)
    work.overdue.sort(key=lambda t: (t.due, t.subject, t.key))
    work.due_soon.sort(key=lambda t: (t.due, t.subject, t.key))
    work.waiting.sort(key=lambda t: (t.since or today, t.subject, t.key))
    cache.set(_count_key(user.pk, today), work.count, settings.WORKLIST_COUNT_SECONDS)
    return work


def _count_key(user_id: int, today: date) -> str:
    return f"alexi:worklist:count:{user_id}:{today.isoformat()}"


def task_count(user: User) -> int | None:
    """How many items this person's work list holds (None for a role without one), from the
    cache when counted in the last WORKLIST_COUNT_SECONDS."""
    if not has_tasks(user):
        return None
    today = timezone.localdate()
    count = cache.get(_count_key(user.pk, today))
    if count is None:
        count = tasks_for(user, today).count
    return int(count)


def cached_count(user: User) -> int | None:
    """The person's count if it is in the cache, else None (one cache read, no query): the
    header shows it at once, or asks for it after the page has loaded (alexi:tasks_count)."""
    count = cache.get(_count_key(user.pk, timezone.localdate()))
    return None if count is None else int(count)


def forget_count(user_id: int) -> None:
    """Drop a person's cached count (they changed something): the next page counts again."""
    cache.delete(_count_key(user_id, timezone.localdate()))


def access_requests(user: User, today: date) -> list[Task]:
    """The core's own items: requests for access to a hub this person may confirm or refuse
    (a hub's managers; a programme administrator for a hub with no manager)."""
    if role_of(user) not in (Role.HUB_MANAGER, Role.PROGRAMME_ADMIN):
        return []
    from alexi.grants import grants_to_decide

    url = reverse("alexi:access_requests")
    return [
        Task(
            key=f"grant-{grant.pk}",
            kind="access_request",
            title="Request for access to decide",
            subject=f"{grant.user} ({grant.get_kind_display().lower()}, {grant.hub})",
            url=url,
            since=timezone.localdate(grant.requested_at),
        )
        for grant in grants_to_decide(user)
    ]


class WorkListCountMiddleware:
    """After a signed-in person changes something (a POST answered without an error), their
    count is dropped, so the next page counts what they just did (one cache delete)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and response.status_code < 400:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                forget_count(user.pk)
        return response
