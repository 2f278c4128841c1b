"""Reads of case data. Every one starts from casework.access.cases_for (ARCHITECTURE.md idea 1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from alexi.access import managed_hubs, managed_spoke_ids
from alexi.models import User
from casework import access
from casework.models import (
    Case,
    CaseShare,
    CaseStatus,
    RiskLevel,
    ShareKind,
    TransferStatus,
    risk_rank,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from alexi.models import Spoke
    from casework.models import YoungPerson

CASELOAD_SORTS = {
    "review": ("next_review_due", "id"),
    "risk": ("-risk_rank", "next_review_due", "id"),
    "contact": ("last_contact_on", "id"),
    "opened": ("-opened_on", "-id"),
}


@dataclass(frozen=True)
class SortColumn:
    """A sortable column of the hub caseload: the fields it orders by (ascending), the
    direction a first click sorts in, and what each direction is called."""

    fields: tuple[str, ...]
    first: str  # "asc" or "desc"
    asc: str
    desc: str
    nulls_first_ascending: bool = False


HUB_SORTS = {
    "name": SortColumn(
        ("young_person__last_name", "young_person__first_name"), "asc", "A to Z", "Z to A"
    ),
    "spoke": SortColumn(("spoke__local_authority__name",), "asc", "A to Z", "Z to A"),
    "worker": SortColumn(("allocated_worker__full_name",), "asc", "A to Z", "Z to A"),
    "risk": SortColumn(("risk_rank",), "desc", "lowest first", "highest first"),
    # Never contacted counts as longest ago.
    "contact": SortColumn(
        ("last_contact_on",),
        "asc",
        "longest ago first",
        "most recent first",
        nulls_first_ascending=True,
    ),
    "review": SortColumn(("next_review_due",), "asc", "soonest first", "latest first"),
    "opened": SortColumn(("opened_on",), "desc", "oldest first", "newest first"),
}

# The review-due filter of the hub caseload.
REVIEW_DUE = {
    "overdue": "Overdue",
    "week": "Due in the next 7 days",
    "soon": "Overdue or due in the next 7 days",
    "none": "No review date",
}
REVIEW_SOON_DAYS = 7


def _with_risk_rank(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.annotate(risk_rank=risk_rank("current_level", default=0))


def _filtered(
    queryset: QuerySet[Case],
    *,
    level: str = "",
    review: str = "",
    no_contact_days: int | None = None,
    status: str = "",
    worker_id: int | None = None,
    spoke_id: int | None = None,
) -> QuerySet[Case]:
    """A caseload's filters: not closed unless asked; values that mean nothing are ignored."""
    today = timezone.localdate()
    if status in (CaseStatus.OPEN, CaseStatus.PAUSED, CaseStatus.CLOSED):
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=[CaseStatus.OPEN, CaseStatus.PAUSED])
    if level in RiskLevel.values:
        queryset = queryset.filter(current_level=level)
    soon = today + timedelta(days=REVIEW_SOON_DAYS)
    if review == "overdue":
        queryset = queryset.filter(next_review_due__lt=today)
    elif review == "week":
        queryset = queryset.filter(next_review_due__gte=today, next_review_due__lte=soon)
    elif review == "soon":
        queryset = queryset.filter(next_review_due__lte=soon)
    elif review == "none":
        queryset = queryset.filter(next_review_due__isnull=True)
    if no_contact_days is not None:
        cutoff = today - timedelta(days=no_contact_days)
        queryset = queryset.filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True))
    if worker_id:
        queryset = queryset.filter(allocated_worker_id=worker_id)
    if spoke_id:
        queryset = queryset.filter(spoke_id=spoke_id)
    return queryset


def caseload(
    *,
    user: User,
    sort: str = "review",
    level: str = "",
    overdue: bool = False,
    no_contact_days: int | None = None,
    status: str = "",
    worker_id: int | None = None,
) -> QuerySet[Case]:
    """The cases a user may see that are not closed, filtered and sorted for a caseload list."""
    queryset = _filtered(
        access.cases_for(user).select_related(
            "young_person", "allocated_worker", "spoke__local_authority"
        ),
        level=level,
        review="overdue" if overdue else "",
        no_contact_days=no_contact_days,
        status=status,
        worker_id=worker_id,
    )
    order = CASELOAD_SORTS.get(sort, CASELOAD_SORTS["review"])
    return _with_risk_rank(queryset).order_by(*order)


def hub_caseload(
    *,
    user: User,
    sort: str = "review",
    order: str = "",
    level: str = "",
    review: str = "",
    no_contact_days: int | None = None,
    status: str = "",
    worker_id: int | None = None,
    spoke_id: int | None = None,
) -> QuerySet[Case]:
    """Every case of the hubs this manager manages (not closed unless asked), filtered, and
    sorted by any column (HUB_SORTS) in either direction ("asc" or "desc"; the column's
    first direction when not said), ties by case id in the same direction."""
    queryset = _filtered(
        access.cases_for(user).filter(spoke_id__in=managed_spoke_ids(user)),
        level=level,
        review=review,
        no_contact_days=no_contact_days,
        status=status,
        worker_id=worker_id,
        spoke_id=spoke_id,
    ).select_related("young_person", "allocated_worker", "spoke__local_authority")
    column = HUB_SORTS.get(sort, HUB_SORTS["review"])
    descending = (order if order in ("asc", "desc") else column.first) == "desc"
    nulls = (
        {"nulls_first": True}
        if column.nulls_first_ascending != descending
        else {"nulls_last": True}
    )
    ordering = [
        F(name).desc(**nulls) if descending else F(name).asc(**nulls) for name in column.fields
    ]
    ordering.append(F("id").desc() if descending else F("id").asc())
    return _with_risk_rank(queryset).order_by(*ordering)


def other_cases(*, user: User, case: Case) -> list[Case]:
    """The young person's other cases this user may see (others are not even counted)."""
    return list(
        access.cases_for(user)
        .filter(young_person_id=case.young_person_id)
        .exclude(pk=case.pk)
        .select_related("spoke__hub")
        .order_by("-opened_on")
    )


def pending_closures(*, user: User) -> QuerySet[Case]:
    return (
        access.cases_for(user)
        .filter(spoke_id__in=managed_spoke_ids(user), closure_requested_on__isnull=False)
        .filter(status__in=[CaseStatus.OPEN, CaseStatus.PAUSED])
        .select_related("young_person", "allocated_worker", "closure_requested_by")
    )


def transfers_waiting_for(*, user: User) -> QuerySet[CaseShare]:
    """Transfers offered to the hubs this manager manages: a summary only, not the case."""
    return (
        CaseShare.objects.unexpired(kinds=[ShareKind.TRANSFER])
        .filter(
            transfer_status=TransferStatus.PENDING,
            to_hub__in=managed_hubs(user),
        )
        .select_related(
            "case__spoke__hub", "case__young_person", "to_spoke__local_authority", "granted_by"
        )
    )


def recent_break_glass(*, user: User, days: int = 30) -> QuerySet[CaseShare]:
    """Emergency access to this manager's hubs' cases in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    return CaseShare.objects.filter(
        kind=ShareKind.BREAK_GLASS,
        case__spoke__hub__in=managed_hubs(user),
        starts_at__gte=since,
    ).select_related("case", "shared_with")


def hub_share_notices(*, user: User, days: int = 30) -> tuple[list[CaseShare], list[CaseShare]]:
    """For the hub caseload, in one query: (transfers_waiting_for, recent_break_glass)."""
    shares = (
        CaseShare.objects.filter(
            Q(pk__in=transfers_waiting_for(user=user).values("pk"))
            | Q(pk__in=recent_break_glass(user=user, days=days).values("pk"))
        )
        .select_related(
            "case__spoke__hub",
            "case__young_person",
            "to_spoke__local_authority",
            "granted_by",
            "shared_with",
        )
        .order_by("-starts_at", "-id")
    )
    transfers: list[CaseShare] = []
    emergency: list[CaseShare] = []
    for share in shares:
        (transfers if share.kind == ShareKind.TRANSFER else emergency).append(share)
    return transfers, emergency


def young_person_known_to(*, user: User, person_id: int) -> YoungPerson | None:
    """A young person with at least one case this user may see, else None."""
    from casework.models import YoungPerson

    # Structure only: a share or emergency access must never become lasting access.
    visible = Case.objects.filter(spoke_id__in=managed_spoke_ids(user), young_person_id=person_id)
    if not visible.exists():
        return None
    return YoungPerson.objects.get(pk=person_id)


def caseload_by_worker(*, user: User) -> list[Mapping[str, Any]]:
    """Open and paused cases per worker of the manager's hubs: total, high risk, overdue."""
    from django.db.models import Count

    today = timezone.localdate()
    return list(
        access.cases_for(user)
        .filter(spoke_id__in=managed_spoke_ids(user))
        .filter(status__in=[CaseStatus.OPEN, CaseStatus.PAUSED])
        .values("allocated_worker_id", "allocated_worker__full_name")
        .annotate(
            total=Count("id"),
            high=Count("id", filter=Q(current_level=RiskLevel.HIGH)),
            overdue=Count("id", filter=Q(next_review_due__lt=today)),
            paused=Count("id", filter=Q(status=CaseStatus.PAUSED)),
        )
        .order_by("allocated_worker__full_name")
    )


def open_cases_count(
    *, worker: User | None = None, spoke: Spoke | None = None, exclude_spoke: Spoke | None = None
) -> int:
    """Open (not closed) cases allocated to a worker and/or at a spoke (not at `exclude_spoke`):
    a count, no case data, for the core's checks before a worker is moved or a spoke ends
    (registered in casework.apps)."""
    cases = Case.objects.exclude(status=CaseStatus.CLOSED)
    if worker is not None:
        cases = cases.filter(allocated_worker=worker)
    if spoke is not None:
        cases = cases.filter(spoke=spoke)
    if exclude_spoke is not None:
        cases = cases.exclude(spoke=exclude_spoke)
    return cases.count()
