"""The gate returns the case with what this person may do with it (casework.access.CaseAccess):
views, services and the case page ask that one answer (issue 12 item 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import access, services
from casework.models import CaseShare, ShareKind

pytestmark = pytest.mark.django_db

RIGHTS = [
    "may_record",
    "by_emergency",
    "may_share",
    "may_close",
    "may_approve_closure",
    "may_allocate",
    "may_transfer",
    "may_see_access_log",
]


def verified(user):
    user.is_verified = lambda: True  # as if signed in with the second factor
    return user


def rights(world, persona) -> dict[str, bool]:
    allowed = access.case_for(verified(world.user(persona)), world.case.pk)
    assert allowed.case == world.case
    return {name: getattr(allowed, name) for name in RIGHTS}


def only(*names: str) -> dict[str, bool]:
    return {name: name in names for name in RIGHTS}


def share(world):
    return services.case_share(
        actor=verified(world.user("allocated_worker")),
        case=world.case,
        worker=world.user("same_spoke_worker"),
        reason="Cover while I am on leave",
        expires_on=timezone.localdate() + timedelta(days=7),
    )


def emergency(world):
    return services.break_glass(
        actor=verified(world.user("other_hub_manager")),
        case=world.case,
        justification="Police called out of hours about this young person tonight.",
    )


def test_the_allocated_worker_records_shares_and_closes_but_does_not_manage(world):
    assert rights(world, "allocated_worker") == only("may_record", "may_share", "may_close")


def test_the_hubs_manager_may_do_everything(world):
    assert rights(world, "hub_manager") == only(*[r for r in RIGHTS if r != "by_emergency"])


def test_a_worker_it_is_shared_with_records_but_does_not_share_or_close(world):
    share(world)
    assert rights(world, "same_spoke_worker") == only("may_record")


def test_emergency_access_is_for_reading_only(world):
    emergency(world)
    assert rights(world, "other_hub_manager") == only("by_emergency")


def test_outsiders_get_404_not_an_answer(world):
    from django.http import Http404

    for persona in ("same_spoke_worker", "other_hub_worker", "other_hub_manager", "funder"):
        with pytest.raises(Http404):
            access.case_for(verified(world.user(persona)), world.case.pk)


def test_who_may_end_a_share(world):
    made = share(world)
    glass = emergency(world)
    worker = access.case_for(verified(world.user("allocated_worker")), world.case.pk)
    manager = access.case_for(verified(world.user("hub_manager")), world.case.pk)
    colleague = access.case_for(verified(world.user("same_spoke_worker")), world.case.pk)
    assert worker.may_end(made) and manager.may_end(made) and not colleague.may_end(made)
    assert manager.may_end(glass) and not worker.may_end(glass)
    assert glass.kind == ShareKind.BREAK_GLASS


def test_the_share_service_asks_the_same_answer(world):
    share(world)
    with pytest.raises(ValidationError):
        services.case_share(
            actor=verified(world.user("same_spoke_worker")),
            case=world.case,
            worker=world.user("same_spoke_worker"),
            reason="Passing it on",
            expires_on=timezone.localdate() + timedelta(days=7),
        )
    assert CaseShare.objects.filter(kind=ShareKind.SHARE).count() == 1


def test_the_case_page_offers_only_what_the_person_may_do(world, client_for):
    share(world)
    emergency(world)
    url = reverse("casework:case", args=[world.case.pk])
    page = client_for("allocated_worker").get(url).content.decode()
    assert "Share this case" in page and "Close this case" in page
    assert reverse("casework:transfer_new", args=[world.case.pk]) not in page
    assert reverse("casework:allocate", args=[world.case.pk]) not in page
    assert "emergency access to this case for reading only" not in page
    # The worker may end their own share, not the other hub's emergency access.
    assert page.count("End sharing") == 1
    manager_page = client_for("hub_manager").get(url).content.decode()
    assert reverse("casework:transfer_new", args=[world.case.pk]) in manager_page
    assert reverse("casework:case_access_log", args=[world.case.pk]) in manager_page
    assert manager_page.count("End sharing") == 2
    reader = client_for("other_hub_manager").get(url).content.decode()
    assert "emergency access to this case for reading only" in reader
    assert "Log a session" not in reader and "End sharing" not in reader
