"""Each notification is made for the right people and nobody else, once per event, never for
the person who acted, and only when the event itself was saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alexi.notifications.models import Notification, NotificationKind, TargetType
from alexi.notifications.services import notify
from casework import services
from imports.models import ImportJob, ImportStatus
from imports.services import run_job
from referrals import services as referral_services

pytestmark = pytest.mark.django_db

PEOPLE = [
    "allocated_worker",
    "same_spoke_worker",
    "other_hub_worker",
    "hub_manager",
    "other_hub_manager",
    "funder",
    "programme_admin",
]


def kinds_by_person(world, since_pk: int = 0) -> dict[str, list[str]]:
    """persona -> the kinds of the notifications made for them after `since_pk`."""
    result = {}
    for persona in PEOPLE:
        result[persona] = list(
            Notification.objects.filter(recipient=world.user(persona), pk__gt=since_pk)
            .order_by("pk")
            .values_list("kind", flat=True)
        )
    return result


def only_for(mapping: dict[str, list[str]]) -> dict[str, list[str]]:
    return {persona: mapping.get(persona, []) for persona in PEOPLE}


def last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_opening_a_case_tells_its_worker_and_not_the_manager_who_opened_it(world):
    # The world's two cases were opened by each hub's manager for a worker.
    assert kinds_by_person(world) == only_for(
        {"allocated_worker": ["case_allocated"], "other_hub_worker": ["case_allocated"]}
    )
    note = Notification.objects.get(recipient=world.user("allocated_worker"))
    assert (note.target_type, note.target_id) == (TargetType.CASE, world.case.pk)


def test_reallocating_tells_the_new_worker_only(world):
    before = last_pk()
    services.case_reallocate(
        actor=world.user("hub_manager"), case=world.case, worker=world.user("same_spoke_worker")
    )
    assert kinds_by_person(world, before) == only_for({"same_spoke_worker": ["case_allocated"]})


def test_a_refused_reallocation_tells_nobody(world):
    before = last_pk()
    with pytest.raises(ValidationError):
        services.case_reallocate(
            actor=world.user("hub_manager"),
            case=world.case,
            worker=world.user("other_hub_worker"),
        )
    assert last_pk() == before


def test_accepting_a_referral_says_so_once_instead_of_a_plain_allocation(world):
    before = last_pk()
    referral = referral_services.referral_accept(
        actor=world.user("hub_manager"),
        referral=world.referral,
        worker=world.user("same_spoke_worker"),
        opened_on=date(2026, 3, 2),
    )
    assert kinds_by_person(world, before) == only_for({"same_spoke_worker": ["referral_accepted"]})
    note = Notification.objects.get(pk__gt=before)
    assert note.target_id == referral.case_id


def test_a_referral_added_to_an_open_case_tells_its_worker(world):
    before = last_pk()
    referral_services.referral_accept_into_case(
        actor=world.user("hub_manager"), referral=world.referral, case=world.case
    )
    assert kinds_by_person(world, before) == only_for({"allocated_worker": ["referral_accepted"]})


def test_sharing_tells_the_worker_shared_with_not_the_one_sharing(world):
    before = last_pk()
    services.case_share(
        actor=world.user("allocated_worker"),
        case=world.case,
        worker=world.user("same_spoke_worker"),
        reason="Cover while on leave",
        expires_on=timezone.localdate() + timedelta(days=10),
    )
    assert kinds_by_person(world, before) == only_for({"same_spoke_worker": ["case_shared"]})


def test_emergency_access_tells_the_managers_of_the_case_hub_only(world):
    before = last_pk()
    services.break_glass(
        actor=world.user("other_hub_manager"),
        case=world.case,
        justification="The young person turned up at our office in crisis tonight.",
    )
    assert kinds_by_person(world, before) == only_for({"hub_manager": ["emergency_access"]})


def _closing_assessment(world) -> None:
    services.assessment_record(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={
            "kind": "closing",
            "assessed_on": date(2026, 3, 1),
            "indicators": ["out_late"],
            "rationale": "No longer going missing.",
        },
    )


def _ask_to_close(world) -> None:
    services.closure_request(
        actor=world.user("allocated_worker"),
        case=world.case,
        closed_on=date(2026, 3, 2),
        closure_reason="goals_met",
        no_reduction_reason="",
        note="",
    )


def test_a_closure_returned_then_approved_tells_the_worker_each_time(world):
    _closing_assessment(world)
    _ask_to_close(world)
    before = last_pk()
    services.closure_return(actor=world.user("hub_manager"), case=world.case, note="One more.")
    _ask_to_close(world)
    services.closure_approve(actor=world.user("hub_manager"), case=world.case)
    assert kinds_by_person(world, before) == only_for(
        {"allocated_worker": ["closure_returned", "closure_approved"]}
    )


def test_an_import_finishing_tells_who_started_it_once(world):
    job = ImportJob.objects.create(
        created_by=world.user("hub_manager"),
        status=ImportStatus.CHECKING,
        file_names="sessions.csv",
        size=1,
        payload=b"not a zip",
        attempts=1,
    )
    before = last_pk()
    run_job(job)
    job.refresh_from_db()
    assert job.status in (ImportStatus.PROBLEMS, ImportStatus.STOPPED)
    assert kinds_by_person(world, before) == only_for({"hub_manager": ["import_finished"]})
    # The same run again (a retried task) adds nothing.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    run_job(job)
    assert Notification.objects.filter(pk__gt=before).count() == 1


def test_one_event_notifies_once_and_the_actor_never(world):
    worker = world.user("same_spoke_worker")
    manager = world.user("hub_manager")
    for _ in range(2):  # a double submit reaching the service twice with the same event
        made = notify(
            [worker, worker, manager],
            NotificationKind.CASE_SHARED,
            actor=manager,
            target_type=TargetType.CASE,
            target_id=world.case.pk,
            event="share:test",
        )
        assert made == 1
    assert Notification.objects.filter(event="share:test").count() == 1
    assert not Notification.objects.filter(recipient=manager, event="share:test").exists()


def test_a_deactivated_person_is_not_notified(world):
    worker = world.user("same_spoke_worker")
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    made = notify(
        worker,
        NotificationKind.CASE_SHARED,
        actor=None,
        target_type=TargetType.CASE,
        target_id=world.case.pk,
        event="share:gone",
    )
    assert made == 0
    assert not Notification.objects.filter(event="share:gone").exists()
