"""Which referrals a person may read or record (ARCHITECTURE.md idea 1), built on the roles and
structure in alexi.access. 404 for what the user may not see, so existence does not leak."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alexi.access import confirmed_spoke_ids, managed_hub_ids, managed_hubs, role_of
from alexi.models import Hub, Role, User
from referrals.models import Referral


def referrals_for(user: User) -> QuerySet[Referral]:
    """Referrals this user may read: their hubs' (managers), or once accepted and allocated to
    them, the allocated worker's."""
    role = role_of(user)
    if role == Role.HUB_MANAGER:
        return Referral.objects.filter(hub_id__in=managed_hub_ids(user))
    if role == Role.SPOKE_WORKER:
        # As casework.access.cases_for: only at the spoke the hub has confirmed them at, so a
        # worker reactivated (waiting for the hub) or moved reaches no old case's referral.
        return Referral.objects.filter(
            case__allocated_worker=user, case__spoke_id__in=confirmed_spoke_ids(user)
        )
    return Referral.objects.none()


def referral_for(user: User, referral_id: int) -> Referral:
    """The referral if this user may see it, else 404."""
    referral = (
        referrals_for(user)
        .select_related("hub", "local_authority", "decided_by", "recorded_by", "case")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def may_decide(user: User, referral: Referral) -> bool:
    """Whether this person decides the referral (and sees its possible matches): a manager of
    its hub today. A worker reads the referral of their own case only."""
    return referral.hub_id in managed_hub_ids(user)


def referral_just_recorded(user: User, referral_id: int | None) -> Referral:
    """The referral this user recorded, for the page that confirms it to someone who may not
    open it (a worker's referral): the view passes only the id its own session kept. 404
    otherwise."""
    referral = (
        Referral.objects.filter(pk=referral_id, recorded_by=user, hub__in=intake_hubs(user))
        .select_related("hub")
        .first()
        if isinstance(referral_id, int)
        else None
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def intake_hubs(user: User) -> QuerySet[Hub]:
    """Hubs this user may record a referral for: a manager's hubs, a worker's own hub."""
    role = role_of(user)
    if role == Role.HUB_MANAGER:
        return managed_hubs(user)
    if role == Role.SPOKE_WORKER:
        return Hub.objects.filter(spokes__workers__user=user).distinct()
    return Hub.objects.none()
