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

from alexi.models import Funder, Hub, HubManagement, Role, Spoke, User


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


def _management(user: User) -> tuple[list[int], list[int]]:
    """(hub ids, spoke ids) this manager manages today, in one query, cached on the user
    object (which lives only as long as the request)."""
    cached = getattr(user, "_alexi_management", None)
    if cached is None:
        rows = (
            HubManagement.objects.current()
            .filter(manager=user)
            .values_list("hub_id", "hub__spokes__id")
        )
        hub_ids = sorted({hub for hub, _ in rows})
        spoke_ids = sorted({spoke for _, spoke in rows if spoke is not None})
        cached = user._alexi_management = (hub_ids, spoke_ids)
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
    from alexi.models import WorkerProfile

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


def can_manage_people(user: User) -> bool:
    return role_of(user) == Role.PROGRAMME_ADMIN


# --- Case data --------------------------------------------------------------------------
# Structure gives access (allocation, hub management); a live share paired with its guardian
# grant extends it. Child records (sessions, assessments, shares of information) inherit
# their case's access by filtering on `case__in=cases_for(user)`.


def shared_case_ids(user: User) -> list[int]:
    """Cases shared with this user by a live share that is paired with its guardian grant.
    An expired share stops here at its expiry, whether or not the tidy-up job has run."""
    cached = getattr(user, "_alexi_shared_case_ids", None)
    if cached is None:
        from casework.models import CaseShare

        cached = user._alexi_shared_case_ids = sorted(
            set(
                CaseShare.objects.live()
                .paired_with_grant()
                .filter(shared_with=user)
                .values_list("case_id", flat=True)
            )
        )
    return cached


def cases_for(user: User):
    """Every case this user may open. The one starting point for reading case data.

    Plain indexed conditions (allocated worker, spoke ids, a short list of shared ids) keep
    this fast at national scale; an OR with a correlated EXISTS would not use the indexes.
    """
    from casework.models import Case

    role = role_of(user)
    if role == Role.SPOKE_WORKER:
        from alexi.models import WorkerProfile

        # Allocated to them at the spoke the hub has confirmed them at (a subquery, not a
        # second round trip): a worker detached from their spoke (reactivated and waiting for
        # the hub to confirm them again) reaches none of their old cases.
        structure = Q(
            allocated_worker=user,
            spoke_id__in=WorkerProfile.objects.filter(user=user).values("spoke_id"),
        )
    elif role == Role.HUB_MANAGER:
        structure = Q(spoke_id__in=managed_spoke_ids(user))
    else:
        return Case.objects.none()
    shared = shared_case_ids(user)
    return Case.objects.filter(structure | Q(pk__in=shared) if shared else structure)


def case_for(user: User, case_id: int, *, for_update: bool = False):
    """The case if this user may see it, else 404 (existence does not leak)."""
    from django.http import Http404

    queryset = cases_for(user).select_related(
        "young_person", "spoke__hub", "spoke__local_authority", "allocated_worker"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    case = queryset.filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case")
    return case


def child_for(user: User, model, case_id: int, pk: int):
    """A session, assessment or other record of a case the user may see, else 404."""
    from django.http import Http404

    record = (
        model.objects.filter(case__in=cases_for(user), case_id=case_id, pk=pk)
        .select_related("case")
        .first()
    )
    if record is None:
        raise Http404("No such record")
    return record


def manages_case(user: User, case) -> bool:
    """Hub management of the case's hub (not a share): approves, allocates, transfers."""
    return case.spoke.hub_id in managed_hub_ids(user)


def may_record(user: User, case) -> bool:
    """Who may record on a case: its allocated worker, its hub's managers, or a worker it is
    shared with. Emergency (break-glass) access is for reading only."""
    if case.allocated_worker_id == user.pk or manages_case(user, case):
        return True
    from casework.models import CaseShare, ShareKind

    return (
        CaseShare.objects.live(kinds=[ShareKind.SHARE]).filter(case=case, shared_with=user).exists()
    )


def who_can_see(case) -> list[dict]:
    """'Who can see this and why': allocation, hub management and each live share."""
    from casework.models import CaseShare

    rows = []
    if case.allocated_worker_id:
        rows.append({"who": case.allocated_worker, "why": "Allocated worker", "until": None})
    managements = (
        HubManagement.objects.current()
        .filter(hub_id=case.spoke.hub_id, manager__is_active=True)
        .select_related("manager")
        .order_by("manager__full_name")
    )
    for management in managements:
        rows.append(
            {"who": management.manager, "why": f"Manages {case.spoke.hub.name}", "until": None}
        )
    live = (
        CaseShare.objects.live()
        .filter(case=case)
        .select_related("shared_with", "granted_by")
        .order_by("expires_at")
    )
    for share in live:
        rows.append(
            {
                "who": share.shared_with,
                "why": f"{share.get_kind_display()} by {share.granted_by}: {share.reason}",
                "until": share.expires_at,
                "share": share,
            }
        )
    return rows


# --- Referrals ---------------------------------------------------------------------------


def referrals_for(user: User):
    """Referrals this user may read: their hubs' (managers), or once accepted and allocated to
    them, the allocated worker's."""
    from referrals.models import Referral

    role = role_of(user)
    if role == Role.HUB_MANAGER:
        return Referral.objects.filter(hub_id__in=managed_hub_ids(user))
    if role == Role.SPOKE_WORKER:
        return Referral.objects.filter(case__allocated_worker=user)
    return Referral.objects.none()


def referral_for(user: User, referral_id: int):
    """The referral if this user may see it, else 404."""
    from django.http import Http404

    referral = (
        referrals_for(user)
        .select_related("hub", "local_authority", "decided_by", "recorded_by", "case")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def referral_just_recorded(user: User, referral_id: int | None):
    """The referral this user recorded, for the page that confirms it to someone who may not
    open it (a worker's referral): the view passes only the id its own session kept. 404
    otherwise."""
    from django.http import Http404

    from referrals.models import Referral

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


# --- Training, groupwork and consultancy ----------------------------------------------------


def activity_spoke_ids(user: User) -> list[int]:
    """Spokes whose activity records this user may read and write: a worker's own spoke, a
    manager's hubs' spokes. Funders and administrators see activities only as figures."""
    role = role_of(user)
    if role == Role.HUB_MANAGER:
        return managed_spoke_ids(user)
    if role == Role.SPOKE_WORKER:
        spoke = worker_spoke(user)
        return [spoke.pk] if spoke else []
    return []


def activities_for(user: User, model):
    """Training events, groupwork or consultations of the spokes this user works with."""
    return model.objects.filter(spoke_id__in=activity_spoke_ids(user))


def activity_for(user: User, model, pk: int):
    from django.http import Http404

    record = (
        activities_for(user, model).select_related("spoke__local_authority").filter(pk=pk).first()
    )
    if record is None:
        raise Http404("No such record")
    return record


# --- Quarterly returns ---------------------------------------------------------------------


def returns_for(user: User):
    """Returns this user may download: a funder's own (disclosure-controlled), a manager's
    hubs' returns, and every return for programme administrators."""
    from reporting.models import QuarterlyReturn, ReturnKind

    role = role_of(user)
    if role == Role.FUNDER and user.funder_id:
        return QuarterlyReturn.objects.filter(kind=ReturnKind.FUNDER, funder_id=user.funder_id)
    if role == Role.HUB_MANAGER:
        return QuarterlyReturn.objects.filter(kind=ReturnKind.HUB, hub_id__in=managed_hub_ids(user))
    if role == Role.PROGRAMME_ADMIN:
        return QuarterlyReturn.objects.all()
    return QuarterlyReturn.objects.none()
