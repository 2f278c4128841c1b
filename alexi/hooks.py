"""Where the domain apps plug into the core, so the core imports none of them (ARCHITECTURE.md
idea 1; import-linter holds it in `make lint`).

Each domain app registers what the core needs to ask it in its AppConfig.ready():
- the home page of a role (a spoke worker's caseload, a funder's returns, ...);
- how many open cases a worker or a spoke still holds (before a worker is moved or a spoke
  ends);
- what to end when a person's account is deactivated or reactivated (shares of cases);
- the items of a person's work list (alexi.worklist): each app yields what is due or waiting
  for this person in the records it holds.
The core asks through the functions below; with nothing registered the answer is "none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from alexi.models import Spoke, User

HomePage = Callable[[HttpRequest], HttpResponse]


class OpenCaseCounter(Protocol):
    def __call__(
        self,
        *,
        worker: User | None = None,
        spoke: Spoke | None = None,
        exclude_spoke: Spoke | None = None,
    ) -> int: ...


class AccessEnder(Protocol):
    def __call__(
        self, *, actor: User, user: User, reason: str, request: HttpRequest | None = None
    ) -> int: ...


_home_pages: dict[str, HomePage] = {}
_open_case_counters: list[OpenCaseCounter] = []
_access_enders: list[AccessEnder] = []


def register_home_page(role: str, view: HomePage) -> None:
    _home_pages[role] = view


def home_page(role: str | None) -> HomePage | None:
    """The view that shows this role's home page, or None."""
    return _home_pages.get(role) if role else None


def register_open_case_counter(counter: OpenCaseCounter) -> None:
    if counter not in _open_case_counters:
        _open_case_counters.append(counter)


def open_cases(
    *, worker: User | None = None, spoke: Spoke | None = None, exclude_spoke: Spoke | None = None
) -> int:
    """Open (not closed) cases allocated to `worker` and/or at `spoke` (not at
    `exclude_spoke`), as counted by the apps that hold cases."""
    return sum(
        counter(worker=worker, spoke=spoke, exclude_spoke=exclude_spoke)
        for counter in _open_case_counters
    )


def register_access_ender(ender: AccessEnder) -> None:
    if ender not in _access_enders:
        _access_enders.append(ender)


def end_personal_access(
    *, actor: User, user: User, reason: str, request: HttpRequest | None = None
) -> int:
    """End every access given to `user` personally beyond the structure (a share of a case,
    emergency access), each as if ended by hand. Returns how many were ended."""
    return sum(
        ender(actor=actor, user=user, reason=reason, request=request) for ender in _access_enders
    )


# --- The work list (issue 13 item 2) ---------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One item of a person's work list, computed from the records (never stored): it is gone
    once what it asks for is done.

    `title` says what to do in plain words ("Risk review due"); `subject` names the case by
    what the person may already see (its reference, and the name they know it by); `url` is
    the page where it is done. `due` is the day it is due (overdue before today); an item
    with none is waiting for the person since `since`. `note` is the person's own text (a
    reminder); `key` tells items apart (stable across requests); `url` may be empty for an
    item about a case the person can no longer open (a share they made)."""

    key: str
    kind: str
    title: str
    subject: str
    url: str
    due: date | None = None
    since: date | None = None
    note: str = ""
    # Where the item can be marked done at once (a POST), when it can (a reminder).
    done_url: str = ""


class TaskSource(Protocol):
    def __call__(self, user: User, today: date) -> Iterable[Task]: ...


_task_sources: list[TaskSource] = []


def register_task_source(source: TaskSource) -> None:
    if source not in _task_sources:
        _task_sources.append(source)


def task_sources() -> list[TaskSource]:
    """The registered sources of work-list items, in the order they were registered."""
    return list(_task_sources)


# --- Notifications (alexi.notifications): what a notification points at, and calendar entries.
# A notification keeps only a type and an id; the app that owns the type says, when it is
# shown, where it leads and how to name it to this reader, for the ids this reader may open now.

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Collection


@dataclass(frozen=True)
class NotificationTarget:
    url: str
    label: str


class NotificationTargets(Protocol):
    def __call__(self, user: User, ids: Collection[int]) -> dict[int, NotificationTarget]: ...


_notification_targets: dict[str, NotificationTargets] = {}


def register_notification_targets(target_type: str, resolver: NotificationTargets) -> None:
    _notification_targets[target_type] = resolver


def notification_targets(
    user: User, target_type: str, ids: Collection[int]
) -> dict[int, NotificationTarget]:
    """Of these ids, those `user` may open now, with where each leads and its label."""
    resolver = _notification_targets.get(target_type)
    return resolver(user, ids) if resolver is not None and ids else {}


@dataclass(frozen=True)
class CalendarEntry:
    """One event of a person's calendar feed: what kind ("session" or "review"), when (a day,
    or a time), and the path of the page it is about. Never who or where."""

    kind: str
    start: dt.date | dt.datetime
    path: str
    uid: str


class CalendarSource(Protocol):
    def __call__(self, user: User) -> list[CalendarEntry]: ...


_calendar_sources: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> None:
    if source not in _calendar_sources:
        _calendar_sources.append(source)


def calendar_entries(user: User) -> list[CalendarEntry]:
    """Every registered source's entries for `user` (their cases' reviews, planned sessions)."""
    return [entry for source in _calendar_sources for entry in source(user)]
