"""Which quarterly returns a person may download (ARCHITECTURE.md idea 1), built on the roles
and structure in alexi.access."""

from __future__ import annotations

from django.db.models import QuerySet

from alexi.access import managed_hub_ids, role_of
from alexi.models import Role, User
from reporting.models import QuarterlyReturn, ReturnKind


def returns_for(user: User) -> QuerySet[QuarterlyReturn]:
    """Returns this user may download: a funder's own (disclosure-controlled), a manager's
    hubs' returns, and every return for programme administrators."""
    role = role_of(user)
    if role == Role.FUNDER and user.funder_id:
        return QuarterlyReturn.objects.filter(kind=ReturnKind.FUNDER, funder_id=user.funder_id)
    if role == Role.HUB_MANAGER:
        return QuarterlyReturn.objects.filter(kind=ReturnKind.HUB, hub_id__in=managed_hub_ids(user))
    if role == Role.PROGRAMME_ADMIN:
        return QuarterlyReturn.objects.all()
    return QuarterlyReturn.objects.none()
