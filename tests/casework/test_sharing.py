"""Structure gives access; shares extend it, for a reason and until an expiry."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alexi.models import AccessAction, AccessLog
from casework import access as casework_access
from casework import services
from casework.models import CaseShare, CaseUserObjectPermission
from casework.tasks import expire_shares
from tests.factories import make_worker


def sees(client, case) -> bool:
    return client.get(reverse("casework:case", args=[case.pk])).status_code == 200


def test_reallocation_moves_access_at_once(world, client_for):
    old = client_for("allocated_worker")
    new = client_for("same_spoke_worker")
    assert sees(old, world.case) and not sees(new, world.case)
    response = client_for("hub_manager").post(
        reverse("casework:allocate", args=[world.case.pk]),
        {"worker": world.user("same_spoke_worker").pk, "reason": "Worker on long leave"},
    )
    assert response.status_code == 302
    assert not sees(old, world.case)
    assert sees(new, world.case)
    allocations = list(world.case.allocations.order_by("started_at"))
    assert allocations[0].ended_at is not None and allocations[-1].ended_at is None


def test_a_case_cannot_be_allocated_to_a_worker_of_another_hub(world, client_for):
    response = client_for("hub_manager").post(
        reverse("casework:allocate", args=[world.case.pk]),
        {"worker": world.user("other_hub_worker").pk},
    )
    assert response.status_code == 400
    world.case.refresh_from_db()
    assert world.case.allocated_worker == world.user("allocated_worker")


def share_with_colleague(world, client, days=14):
    return client.post(
        reverse("casework:share_new", args=[world.case.pk]),
        {
            "worker": world.user("same_spoke_worker").pk,
            "reason": "Cover while I am on leave",
            "expires_on": (timezone.localdate() + timedelta(days=days)).isoformat(),
        },
    )


def test_a_share_gives_access_with_its_reason_shown_on_the_case(world, client_for):
    owner = client_for("allocated_worker")
    assert share_with_colleague(world, owner).status_code == 302
    colleague = client_for("same_spoke_worker")
    page = colleague.get(reverse("casework:case", args=[world.case.pk]))
    assert page.status_code == 200
    assert "Cover while I am on leave" in page.content.decode()
    assert CaseUserObjectPermission.objects.filter(user=world.user("same_spoke_worker")).exists()


def test_a_share_stops_at_its_expiry_even_if_no_job_has_run(world, client_for):
    share_with_colleague(world, client_for("allocated_worker"))
    colleague = client_for("same_spoke_worker")
    assert sees(colleague, world.case)
    CaseShare.objects.filter(kind="share").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not sees(colleague, world.case)  # the grant row is still there; access is not
    assert CaseUserObjectPermission.objects.filter(user=world.user("same_spoke_worker")).exists()
    assert expire_shares.delay().get() == 1
    assert not CaseUserObjectPermission.objects.filter(
        user=world.user("same_spoke_worker")
    ).exists()
    assert expire_shares() == 0  # idempotent


def test_a_grant_without_its_share_record_gives_nothing(world, client_for):
    from guardian.shortcuts import assign_perm

    assign_perm("casework.view_case_shared", world.user("same_spoke_worker"), world.case)
    assert not sees(client_for("same_spoke_worker"), world.case)


def test_ending_a_share_removes_access(world, client_for):
    owner = client_for("allocated_worker")
    share_with_colleague(world, owner)
    share = CaseShare.objects.get(kind="share")
    owner.post(reverse("casework:share_revoke", args=[world.case.pk, share.pk]))
    assert not sees(client_for("same_spoke_worker"), world.case)


@pytest.mark.parametrize(("days", "ok"), [(90, True), (91, False), (0, False)])
def test_a_share_lasts_at_most_90_days(world, client_for, days, ok):
    response = share_with_colleague(world, client_for("allocated_worker"), days=days)
    assert response.status_code == (302 if ok else 400)
    if not ok:
        assert "within 90 days" in response.content.decode()


def test_a_colleague_cannot_share_a_case_that_is_not_theirs(world, client_for):
    assert share_with_colleague(world, client_for("same_spoke_worker")).status_code == 404


def test_who_can_see_this_and_why(world):
    services.case_share(
        actor=world.user("allocated_worker"),
        case=world.case,
        worker=world.user("same_spoke_worker"),
        reason="Second worker for group sessions",
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    rows = {row["who"].full_name: row["why"] for row in casework_access.who_can_see(world.case)}
    assert rows["Alex Allocated"] == "Allocated worker"
    assert rows["Hana Manager"] == "Manages Home Hub"
    assert "Second worker for group sessions" in rows["Sam Samespoke"]
    assert "Omar Othermanager" not in rows


def test_break_glass_gives_a_manager_of_another_hub_24_hours_and_alerts_the_owners(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("other_hub_manager")
    assert not sees(client, world.case)
    short = client.post(
        reverse("casework:break_glass"),
        {"reference": world.case.reference, "justification": "urgent"},
    )
    assert short.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casework:break_glass"),
            {
                "reference": world.case.reference,
                "justification": "Police report the young person missing in our area tonight.",
            },
        )
    assert response.status_code == 302
    assert sees(client, world.case)
    share = CaseShare.objects.get(kind="break_glass")
    assert timedelta(hours=23) < share.expires_at - share.starts_at <= timedelta(hours=24)
    assert mail.outbox[-1].to == [world.user("hub_manager").email]
    assert AccessLog.objects.filter(
        action=AccessAction.BREAK_GLASS, object_id=str(world.case.pk)
    ).exists()
    hub_page = client_for("hub_manager").get(reverse("casework:hub_cases")).content.decode()
    assert "Police report the young person missing" in hub_page


def test_break_glass_with_an_unknown_reference_says_so(world, client_for):
    response = client_for("other_hub_manager").post(
        reverse("casework:break_glass"),
        {"reference": "C-999999", "justification": "A long enough justification for the test."},
    )
    assert response.status_code == 400
    assert "No case has this reference" in response.content.decode()


def test_a_transfer_shows_only_a_summary_until_accepted(world, client_for):
    receiving = client_for("other_hub_manager")
    assert not sees(receiving, world.case)
    summary = receiving.get(reverse("casework:transfer_decide", args=[world.transfer.pk]))
    assert summary.status_code == 200
    page = summary.content.decode()
    assert "Moving to Bristol" in page
    assert "Jade" not in page and "Testperson" not in page  # no name in the summary
    refused = receiving.post(
        reverse("casework:transfer_decide", args=[world.transfer.pk]), {"decision": "accept"}
    )
    assert refused.status_code == 400
    accepted = receiving.post(
        reverse("casework:transfer_decide", args=[world.transfer.pk]),
        {"decision": "accept", "worker": world.user("other_hub_worker").pk},
    )
    assert accepted.status_code == 302
    world.case.refresh_from_db()
    assert world.case.spoke == world.other_spoke
    assert world.case.allocated_worker == world.user("other_hub_worker")
    assert sees(receiving, world.case)
    assert not sees(client_for("hub_manager"), world.case)
    assert not sees(client_for("allocated_worker"), world.case)


def test_a_declined_transfer_leaves_the_case_where_it_was(world, client_for):
    client_for("other_hub_manager").post(
        reverse("casework:transfer_decide", args=[world.transfer.pk]), {"decision": "decline"}
    )
    world.case.refresh_from_db()
    assert world.case.spoke == world.spoke
    again = client_for("other_hub_manager").get(
        reverse("casework:transfer_decide", args=[world.transfer.pk])
    )
    assert again.status_code == 404


def test_a_worker_of_the_receiving_hub_cannot_open_a_transfer(world, client_for):
    assert (
        client_for("other_hub_worker")
        .get(reverse("casework:transfer_decide", args=[world.transfer.pk]))
        .status_code
        == 403
    )


def test_sharing_refuses_a_non_worker(world):
    with pytest.raises(ValidationError):
        services.case_share(
            actor=world.user("hub_manager"),
            case=world.case,
            worker=world.user("funder"),
            reason="No",
            expires_on=date.today() + timedelta(days=3),
        )


def test_a_worker_added_later_to_the_same_spoke_sees_nothing(world, client_for):
    from django.test import Client

    from tests.conftest import sign_in_fully

    newcomer = make_worker(world.spoke, full_name="New Starter")
    client = sign_in_fully(Client(), newcomer)
    assert not sees(client, world.case)
