"""Which training events, groupwork and consultations a person may read and write
(ARCHITECTURE.md idea 1), built on the roles and structure in alexi.access."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from alexi.access import managed_spoke_ids, role_of, worker_spoke
from alexi.models import Role, User

Activity = TypeVar("Activity", bound=Model)


def activity_spoke_ids(user: User) -> list[int]:
    """Spokes whose activity records this user may read and write: a worker's own spoke, a
    manager's hubs' spokes. Funders and administrators see activities only as figures.
    Cached on the user object, which lives only as long as the request."""
    cached: list[int] | None = getattr(user, "_alexi_activity_spoke_ids", None)
    if cached is None:
        role = role_of(user)
        if role == Role.HUB_MANAGER:
            cached = managed_spoke_ids(user)
        elif role == Role.SPOKE_WORKER:
            spoke = worker_spoke(user)
            cached = [spoke.pk] if spoke else []
        else:
            cached = []
        user._alexi_activity_spoke_ids = cached  # type: ignore[attr-defined]
    return cached


def activities_for(
    user: User, model: type[Activity], *, spoke_id: int | None = None
) -> QuerySet[Activity]:
    """Training events, groupwork or consultations of the spokes this user works with, or of
    one of them (`spoke_id`; a spoke not theirs gives nothing)."""
    spoke_ids = activity_spoke_ids(user)
    if spoke_id is not None:
        spoke_ids = [spoke_id] if spoke_id in spoke_ids else []
    return model._default_manager.filter(spoke_id__in=spoke_ids)


def activity_for(user: User, model: type[Activity], pk: int) -> Activity:
    """The record if this user may see it, else 404."""
    record = (
        activities_for(user, model).select_related("spoke__local_authority").filter(pk=pk).first()
    )
    if record is None:
        raise Http404("No such record")
    return record
