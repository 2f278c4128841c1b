"""Casework writes: opening and allocation."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alexi.history import acting_as
from alexi.locking import check_version
from alexi.models import Role, Spoke, User
from alexi.notifications.models import NotificationKind, TargetType
from alexi.notifications.services import notify
from casework.models import Allocation, Case, CaseStatus, YoungPerson
from casework.services._common import _apply


class OpenCaseExists(ValidationError):
    """The young person already has an open (or paused) case at this hub: one at a time."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__(
            {
                "young_person": f"{case.young_person.reference} already has an open case at "
                f"this hub ({case.reference}). Record new work on that case instead of "
                "opening another."
            }
        )


def open_case_at_hub(
    *, young_person_id: int, hub_id: int, exclude_case_id: int | None = None
) -> Case | None:
    """The young person's open or paused case at the hub, if any (never more than one)."""
    return (
        Case.objects.filter(young_person_id=young_person_id, hub_id=hub_id)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(pk=exclude_case_id)  # type: ignore[misc]  # None excludes nothing
        .select_related("young_person", "allocated_worker")
        .first()
    )


def _check_worker_for_spoke(worker: User, spoke: Spoke) -> None:
    profile = getattr(worker, "worker_profile", None)
    if worker.role != Role.SPOKE_WORKER or not worker.is_active or profile is None:
        raise ValidationError({"worker": "Choose an active spoke worker."})
    if profile.spoke.hub_id != spoke.hub_id:
        raise ValidationError({"worker": "Choose a worker from this case's hub."})


@transaction.atomic
def case_open(
    *,
    actor: User,
    spoke: Spoke,
    worker: User,
    opened_on: date,
    young_person: YoungPerson | None = None,
    person_data: dict[str, Any] | None = None,
) -> Case:
    """Open a case for an existing or new young person and allocate it. Access is immediate."""
    _check_worker_for_spoke(worker, spoke)
    if young_person is not None:
        # Serialise opening cases for one young person, so the check below is the answer
        # (the unique index is the backstop for writers that skip this service).
        YoungPerson.objects.select_for_update().filter(pk=young_person.pk).first()
        existing = open_case_at_hub(young_person_id=young_person.pk, hub_id=spoke.hub_id)
        if existing is not None:
            raise OpenCaseExists(existing)
    with acting_as(actor):
        if young_person is None:
            young_person = YoungPerson.objects.create(**(person_data or {}))
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    young_person=young_person,
                    spoke=spoke,
                    hub_id=spoke.hub_id,
                    allocated_worker=worker,
                    opened_on=opened_on,
                    status=CaseStatus.OPEN,
                )
        except IntegrityError:
            existing = open_case_at_hub(young_person_id=young_person.pk, hub_id=spoke.hub_id)
            if existing is None:
                raise
            raise OpenCaseExists(existing) from None
        started = timezone.now()
        if opened_on < timezone.localdate():
            started = timezone.make_aware(datetime.combine(opened_on, time(9, 0)))
        Allocation.objects.create(
            case=case, worker=worker, allocated_by=actor, reason="Opened", started_at=started
        )
    # Named by the case, so accepting a referral (which opens it) can say so instead.
    notify(
        worker,
        NotificationKind.CASE_ALLOCATED,
        actor=actor,
        target_type=TargetType.CASE,
        target_id=case.pk,
        event=f"case-opened:{case.pk}",
    )
    return case


@transaction.atomic
def case_reallocate(*, actor: User, case: Case, worker: User, reason: str = "") -> Case:
    """Move a case to another worker: the old worker loses access at once, the new gains it."""
    case = Case.objects.select_for_update(of=("self",)).select_related("spoke").get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("A closed case cannot be reallocated.")
    _check_worker_for_spoke(worker, case.spoke)
    if worker.pk == case.allocated_worker_id:
        raise ValidationError({"worker": "This worker already holds the case."})
    now = timezone.now()
    with acting_as(actor):
        for allocation in Allocation.objects.filter(case=case, ended_at__isnull=True):
            allocation.ended_at = now
            allocation.save(update_fields=["ended_at"])
        allocation = Allocation.objects.create(
            case=case, worker=worker, allocated_by=actor, reason=reason, started_at=now
        )
        case.allocated_worker = worker
        case.version += 1
        case.save(update_fields=["allocated_worker", "version"])
    notify(
        worker,
        NotificationKind.CASE_ALLOCATED,
        actor=actor,
        target_type=TargetType.CASE,
        target_id=case.pk,
        event=f"allocation:{allocation.pk}",
    )
    return case


@transaction.atomic
def case_set_paused(*, actor: User, case: Case, paused: bool) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("A closed case cannot be paused or resumed.")
    with acting_as(actor):
        case.status = CaseStatus.PAUSED if paused else CaseStatus.OPEN
        case.version += 1
        case.save(update_fields=["status", "version"])
    return case


@transaction.atomic
def young_person_update(
    *, actor: User, person: YoungPerson, version: int, data: dict[str, Any]
) -> YoungPerson:
    """Change a young person's details; refused if someone else saved them first."""
    person = YoungPerson.objects.select_for_update().get(pk=person.pk)
    check_version(person, version, data)
    with acting_as(actor):
        fields = _apply(person, data)
        person.version += 1
        person.save(update_fields=[*fields, "version"])
    return person
