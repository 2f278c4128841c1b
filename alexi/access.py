"""The access gate: the one place that decides what a user may see (ARCHITECTURE.md ideas 1-2).

Structure gives access: a spoke worker sees what is allocated to them, a hub manager what
belongs to the hubs they manage. Every view asks this module, never the models directly, and
answers 404 for records outside the user's reach so that existence does not leak. Pages that
belong to a role answer 403 to the other roles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from alexi.models import Funder, Hub, Role, Spoke, User


def is_verified(user) -> bool:
    """Signed in with password *and* second factor, and still active."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "is_verified", lambda: False)()
    )


def role_of(user) -> str | None:
    return user.role if is_verified(user) else None


def require_role(*roles: str) -> Callable:
    """View decorator: only fully signed-in users of one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.alexi_roles = roles
        return wrapper

    return decorator


def managed_hubs(user: User) -> QuerySet[Hub]:
    """The hubs this user manages today (a manager may manage several)."""
    if role_of(user) != Role.HUB_MANAGER:
        return Hub.objects.none()
    today = timezone.localdate()
    return Hub.objects.filter(
        Q(managements__end_date__isnull=True) | Q(managements__end_date__gte=today),
        managements__manager=user,
        managements__start_date__lte=today,
    ).distinct()


def worker_spoke(user: User) -> Spoke | None:
    """The spoke a spoke worker is attached to, or None."""
    if role_of(user) != Role.SPOKE_WORKER:
        return None
    profile = getattr(user, "worker_profile", None)
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


def can_manage_people(user: User) -> bool:
    return role_of(user) == Role.PROGRAMME_ADMIN
