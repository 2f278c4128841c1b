"""Who may see a case, and what they may do with it: the one gate for case data (ARCHITECTURE.md
ideas 1-2).

Structure gives access (the allocated worker at the spoke the hub confirmed them at; the
managers of the case's hub today, from alexi.access); a live share paired with its guardian
grant extends it. Child records (young people, sessions, assessments, shares of information)
inherit their case's access by filtering on `case__in=cases_for(user)`. Every view fetches
through here and answers 404 for what the user may not see, so existence does not leak.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from alexi.access import confirmed_spoke_ids, managed_hub_ids, managed_spoke_ids, role_of
from alexi.models import HubManagement, Role, User
from casework.models import Case, CaseShare, ShareKind

ChildRecord = TypeVar("ChildRecord", bound=Model)


def shared_case_ids(user: User) -> list[int]:
    """Cases shared with this user by a live share that is paired with its guardian grant.
    An expired share stops here at its expiry, whether or not the tidy-up job has run."""
    cached = getattr(user, "_alexi_shared_case_ids", None)
    if cached is None:
        cached = user._alexi_shared_case_ids = sorted(
            set(
                CaseShare.objects.live()
                .paired_with_grant()
                .filter(shared_with=user)
                .values_list("case_id", flat=True)
            )
        )
    return cached


def cases_for(user: User) -> QuerySet[Case]:
    """Every case this user may open. The one starting point for reading case data.

    Plain indexed conditions (allocated worker, spoke ids, a short list of shared ids) keep
    this fast at national scale; an OR with a correlated EXISTS would not use the indexes.
    """
    role = role_of(user)
    if role == Role.SPOKE_WORKER:
        # Allocated to them at the spoke the hub has confirmed them at: a worker detached from
        # their spoke (reactivated and waiting for the hub to confirm them again) reaches none
        # of their old cases.
        structure = Q(allocated_worker=user, spoke_id__in=confirmed_spoke_ids(user))
    elif role == Role.HUB_MANAGER:
        structure = Q(spoke_id__in=managed_spoke_ids(user))
    else:
        return Case.objects.none()
    shared = shared_case_ids(user)
    return Case.objects.filter(structure | Q(pk__in=shared) if shared else structure)


def case_for(user: User, case_id: int, *, for_update: bool = False) -> Case:
    """The case if this user may see it, else 404 (existence does not leak)."""
    queryset = cases_for(user).select_related(
        "young_person", "spoke__hub", "spoke__local_authority", "allocated_worker"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    case = queryset.filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case")
    return case


def child_for(user: User, model: type[ChildRecord], case_id: int, pk: int) -> ChildRecord:
    """A session, assessment or other record of a case the user may see, else 404."""
    record = (
        model._default_manager.filter(case__in=cases_for(user), case_id=case_id, pk=pk)
        .select_related("case")
        .first()
    )
    if record is None:
        raise Http404("No such record")
    return record


def manages_case(user: User, case: Case) -> bool:
    """Hub management of the case's hub (not a share): approves, allocates, transfers."""
    return case.spoke.hub_id in managed_hub_ids(user)


def may_record(user: User, case: Case) -> bool:
    """Who may record on a case: its allocated worker, its hub's managers, or a worker it is
    shared with. Emergency (break-glass) access is for reading only."""
    if case.allocated_worker_id == user.pk or manages_case(user, case):
        return True
    return (
        CaseShare.objects.live(kinds=[ShareKind.SHARE]).filter(case=case, shared_with=user).exists()
    )


def who_can_see(case: Case) -> list[dict[str, Any]]:
    """'Who can see this and why': allocation, hub management and each live share."""
    rows: list[dict[str, Any]] = []
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
    live = CaseShare.objects.live().filter(case=case).select_related("shared_with", "granted_by")
    for share in live.order_by("expires_at"):
        rows.append(
            {
                "who": share.shared_with,
                "why": f"{share.get_kind_display()} by {share.granted_by}: {share.reason}",
                "until": share.expires_at,
                "share": share,
            }
        )
    return rows
