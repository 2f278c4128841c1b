"""Who may see a case, and what they may do with it: the one gate for case data (ARCHITECTURE.md
ideas 1-2).

Structure gives access (the allocated worker at the spoke the hub confirmed them at; the
managers of the case's hub today, from alexi.access); a live share paired with its guardian
grant extends it. Child records (young people, sessions, assessments, shares of information)
inherit their case's access by filtering on `case__in=cases_for(user)`. Every view fetches
through here and answers 404 for what the user may not see, so existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from alexi.access import confirmed_spoke_ids, managed_hub_ids, managed_spoke_ids, role_of
from alexi.models import HubManagement, Role, User
from casework.models import Case, CaseShare, ShareKind

ChildRecord = TypeVar("ChildRecord", bound=Model)


def _live_shares(user: User) -> dict[int, frozenset[str]]:
    """Case id -> kinds of the live shares of it with this user that are paired with their
    guardian grant, in one query, cached on the user object (which lives only as long as the
    request). An expired share stops here at its expiry, whether or not the tidy-up job has
    run."""
    cached = getattr(user, "_alexi_live_shares", None)
    if cached is None:
        kinds: dict[int, set[str]] = {}
        rows = (
            CaseShare.objects.live()
            .paired_with_grant()
            .filter(shared_with=user)
            .values_list("case_id", "kind")
        )
        for case_id, kind in rows:
            kinds.setdefault(case_id, set()).add(kind)
        cached = user._alexi_live_shares = {  # type: ignore[attr-defined]
            pk: frozenset(k) for pk, k in kinds.items()
        }
    return cached


def shared_case_ids(user: User) -> list[int]:
    """Cases shared with this user (a share or emergency access) by a live share that is
    paired with its guardian grant."""
    return sorted(_live_shares(user))


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


@dataclass(frozen=True)
class CaseAccess:
    """A case together with what this person may do with it: the one answer views, services
    and templates ask (no view decides rights by hand).

    Structure first: the allocated worker and the managers of the case's hub today; then a
    live share. Emergency (break-glass) access is for reading only."""

    case: Case
    user_id: int
    allocated: bool  # the case's allocated worker
    manages: bool  # manages the case's hub today (not through a share)
    shared: bool  # a live share with this person (not emergency access)

    @property
    def may_record(self) -> bool:
        """Log sessions, assessments, information shared and contacts; change their details."""
        return self.allocated or self.manages or self.shared

    @property
    def by_emergency(self) -> bool:
        """Reached only through emergency access: reading only, the hub has been told."""
        return not self.may_record

    @property
    def may_share(self) -> bool:
        """Share the case with another worker of its hub."""
        return self.allocated or self.manages

    @property
    def may_close(self) -> bool:
        """Ask for the case to be closed, pause it and resume it."""
        return self.allocated or self.manages

    @property
    def may_approve_closure(self) -> bool:
        return self.manages

    @property
    def may_allocate(self) -> bool:
        return self.manages

    @property
    def may_transfer(self) -> bool:
        return self.manages

    @property
    def may_see_access_log(self) -> bool:
        return self.manages

    def may_end(self, share: CaseShare) -> bool:
        """End a share: a share by the hub's managers, the allocated worker or whoever made it;
        a transfer or emergency access by the hub's managers only."""
        if share.kind != ShareKind.SHARE:
            return self.manages
        return self.manages or self.allocated or share.granted_by_id == self.user_id


def access_to(user: User, case: Case) -> CaseAccess:
    """What this user may do with a case they can see (no further query once the gate has run
    for this user)."""
    return CaseAccess(
        case=case,
        user_id=user.pk,
        allocated=case.allocated_worker_id == user.pk,
        manages=case.spoke.hub_id in managed_hub_ids(user),
        shared=ShareKind.SHARE in _live_shares(user).get(case.pk, frozenset()),
    )


def case_for(user: User, case_id: int, *, for_update: bool = False) -> CaseAccess:
    """The case, with what this user may do with it, if they may see it; else 404 (existence
    does not leak)."""
    queryset = cases_for(user).select_related(
        "young_person", "spoke__hub", "spoke__local_authority", "allocated_worker"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    case = queryset.filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case")
    return access_to(user, case)


def share_of(allowed: CaseAccess, share_id: int) -> CaseShare:
    """A share, transfer or emergency access of a case the user may see, else 404."""
    share = CaseShare.objects.filter(case=allowed.case, pk=share_id).first()
    if share is None:
        raise Http404("No such share")
    return share


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
