"""Roles and structure: the base of the access gate (ARCHITECTURE.md ideas 1-2).

Structure gives access: a spoke worker sees what is allocated to them, a hub manager what
belongs to the hubs they manage. This module says who someone is (role, second factor) and
which hubs and spokes they reach today; each domain app's own access module builds its reads
on it (casework.access, referrals.access, training.access, reporting.access). Pages that
belong to a role answer 403 to the other roles. The core imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from alexi.models import Funder, Hub, HubManagement, Role, Spoke, User, WorkerProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest, HttpResponseBase

    View = Callable[..., HttpResponseBase]


def is_verified(user: User | AnonymousUser | None) -> TypeGuard[User]:
    """Signed in with password *and* second factor, and still active."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "is_verified", lambda: False)()
    )


def role_of(user: User | AnonymousUser | None) -> str | None:
    return user.role if is_verified(user) else None


def require_role(*roles: str) -> Callable[[View], View]:
    """View decorator: only fully signed-in users of one of `roles`; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.alexi_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _management(user: User) -> tuple[list[int], list[int]]:
    """(hub ids, spoke ids) this manager manages today, in one query, cached on the user
    object (which lives only as long as the request)."""
    cached: tuple[list[int], list[int]] | None = getattr(user, "_alexi_management", None)
    if cached is None:
        rows = (
            HubManagement.objects.current()
            .filter(manager=user)
            .values_list("hub_id", "hub__spokes__id")
        )
        hub_ids = sorted({hub for hub, _ in rows})
        spoke_ids = sorted({spoke for _, spoke in rows if spoke is not None})
        cached = user._alexi_management = (hub_ids, spoke_ids)  # type: ignore[attr-defined]
    return cached


def managed_hub_ids(user: User) -> list[int]:
    """Ids of the hubs this user manages today."""
    if role_of(user) != Role.HUB_MANAGER:
        return []
    return _management(user)[0]


def managed_spoke_ids(user: User) -> list[int]:
    """Ids of the spokes of the hubs this user manages today."""
    if role_of(user) != Role.HUB_MANAGER:
        return []
    return _management(user)[1]


def import_hub_refs(user: User) -> set[str] | None:
    """The hubs a person's import may write to: None (every hub) for a programme
    administrator, the refs of the hubs a hub manager manages today, nothing for anyone else.

    Asked by the worker that runs an upload, which has no signed-in request: the uploader's
    password and second factor were checked when the upload was made (imports views)."""
    if not user.is_active:
        return set()
    if user.role == Role.PROGRAMME_ADMIN:
        return None
    if user.role != Role.HUB_MANAGER:
        return set()
    return set(Hub.objects.filter(pk__in=_management(user)[0]).values_list("ref", flat=True))


def managed_hubs(user: User) -> QuerySet[Hub]:
    """The hubs this user manages today (a manager may manage several)."""
    return Hub.objects.filter(pk__in=managed_hub_ids(user))


def worker_spoke(user: User) -> Spoke | None:
    """The spoke a spoke worker is attached to, or None."""
    if role_of(user) != Role.SPOKE_WORKER:
        return None
    profile = (
        WorkerProfile.objects.select_related("spoke__hub", "spoke__local_authority")
        .filter(user=user)
        .first()
    )
    return profile.spoke if profile else None


def funder_of(user: User) -> Funder | None:
    return user.funder if role_of(user) == Role.FUNDER else None


def hubs_for(user: User) -> QuerySet[Hub]:
    """Hubs whose *structure* (names, spokes, staff) the user may see; never case data."""
    role = role_of(user)
    if role == Role.PROGRAMME_ADMIN:
        return Hub.objects.all()
    if role == Role.HUB_MANAGER:
        return managed_hubs(user)
    if role == Role.FUNDER and user.funder_id:
        return Hub.objects.filter(funders=user.funder_id)
    if role == Role.SPOKE_WORKER:
        return Hub.objects.filter(spokes__workers__user=user).distinct()
    return Hub.objects.none()


def spokes_for(user: User) -> QuerySet[Spoke]:
    """Spokes whose structure the user may see."""
    return Spoke.objects.filter(hub__in=hubs_for(user)).select_related("hub", "local_authority")


def confirmed_spoke_ids(user: User) -> QuerySet[WorkerProfile, Any]:
    """The spoke the hub has confirmed this person at, as a subquery (not a second round trip):
    a worker detached from their spoke (reactivated and waiting for the hub to confirm them
    again) is at none."""
    return WorkerProfile.objects.filter(user=user).values("spoke_id")


def can_manage_people(user: User) -> bool:
    return role_of(user) == Role.PROGRAMME_ADMIN
