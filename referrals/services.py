"""Writes for referrals: intake and the triage decisions, each one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alexi.history import acting_as
from alexi.models import Hub, User
from alexi.notifications.models import NotificationKind, TargetType
from alexi.notifications.services import notify
from casework import services as casework
from casework.models import Case, CaseStatus, YoungPerson
from referrals.models import Decision, Referral


class AlreadyDecided(Exception):
    """Someone else decided this referral first (two managers at once)."""

    def __init__(self, referral: Referral):
        self.referral = referral
        super().__init__("This referral has already been decided.")


@transaction.atomic
def referral_record(*, actor: User, hub: Hub, data: dict[str, Any]) -> Referral:
    """Record a referral. Partial is fine (a first name and an age are enough to start), but
    there must be some way to identify the young person."""
    if not any(data.get(name) for name in ("first_name", "last_name")):
        raise ValidationError(
            {"first_name": "Enter at least a first name or a last name for the young person."}
        )
    with acting_as(actor):
        return Referral.objects.create(hub=hub, recorded_by=actor, **data)


def _lock_open(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if not locked.is_open:
        raise AlreadyDecided(locked)
    return locked


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    worker: User | None,
    young_person: YoungPerson | None = None,
    opened_on: date | None = None,
) -> Referral:
    """Accept: create or link the young person, open the case and allocate it, all at once."""
    referral = _lock_open(referral)
    if worker is None:
        raise ValidationError({"worker": "Choose the worker who will hold the case."})
    profile = getattr(worker, "worker_profile", None)
    if profile is None or profile.spoke.hub_id != referral.hub_id:
        raise ValidationError({"worker": "Choose a worker of this referral's hub."})
    today = timezone.localdate()
    opened_on = opened_on or today
    if opened_on < referral.received_on or opened_on > today:
        raise ValidationError(
            {"opened_on": "The case opens between the day the referral came and today."}
        )
    person_data = None
    if young_person is None:
        person_data = {
            "first_name": referral.first_name,
            "last_name": referral.last_name,
            "date_of_birth": referral.date_of_birth,
            "gender": referral.gender,
            "local_authority": referral.local_authority or profile.spoke.local_authority,
        }
    try:
        case = casework.case_open(
            actor=actor,
            spoke=profile.spoke,
            worker=worker,
            opened_on=opened_on,
            young_person=young_person,
            person_data=person_data,
        )
    except casework.OpenCaseExists as exists:
        raise ValidationError(
            {
                "link_to": f"{exists.case.young_person.reference} already has an open case at "
                f"this hub ({exists.case.reference}): choose to add this referral to it."
            }
        ) from None
    with acting_as(actor):
        referral.decision = Decision.ACCEPTED
        referral.decided_on = today
        referral.decided_by = actor
        referral.case = case
        referral.young_person = case.young_person
        referral.save()
    # Said instead of "a case was allocated to you" (the same event: the case opening).
    notify(
        worker,
        NotificationKind.REFERRAL_ACCEPTED,
        actor=actor,
        target_type=TargetType.CASE,
        target_id=case.pk,
        event=f"case-opened:{case.pk}",
    )
    return referral


@transaction.atomic
def referral_accept_into_case(*, actor: User, referral: Referral, case: Case) -> Referral:
    """Accept a referral for a young person whose case is already open at the hub: the
    referral joins that case (its worker and history carry on) instead of opening another."""
    referral = _lock_open(referral)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.status == CaseStatus.CLOSED or case.hub_id != referral.hub_id:
        raise ValidationError(
            {"link_to": f"Case {case.reference} is no longer open at this hub: choose again."}
        )
    with acting_as(actor):
        referral.decision = Decision.ACCEPTED
        referral.decided_on = timezone.localdate()
        referral.decided_by = actor
        referral.case = case
        referral.young_person_id = case.young_person_id
        referral.save()
    if case.allocated_worker is not None:
        notify(
            case.allocated_worker,
            NotificationKind.REFERRAL_ACCEPTED,
            actor=actor,
            target_type=TargetType.CASE,
            target_id=case.pk,
            event=f"referral:{referral.pk}",
        )
    return referral


@transaction.atomic
def referral_decide(
    *, actor: User, referral: Referral, decision: str, reason: str = "", signposted_to: str = ""
) -> Referral:
    """Signpost, decline (with a reason) or put on the waiting list."""
    referral = _lock_open(referral)
    if decision == Decision.DECLINED and not reason.strip():
        raise ValidationError({"reason": "Say why the referral is declined."})
    if decision == Decision.SIGNPOSTED and not signposted_to.strip():
        raise ValidationError(
            {"signposted_to": "Say which service the young person was signposted to."}
        )
    if decision not in (Decision.DECLINED, Decision.SIGNPOSTED, Decision.WAITING):
        raise ValidationError({"decision": "Choose a decision."})
    with acting_as(actor):
        referral.decision = decision
        referral.decided_on = timezone.localdate()
        referral.decided_by = actor
        referral.decline_reason = reason.strip() if decision == Decision.DECLINED else ""
        referral.signposted_to = signposted_to.strip() if decision == Decision.SIGNPOSTED else ""
        referral.save()
    return referral
