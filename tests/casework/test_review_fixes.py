"""Access rules found by review: sharing stays in the hub, emergency access stays temporary and
read-only, a transfer ends the old hub's shares, and reads of edit pages are logged."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from alexi.models import AccessAction, AccessLog
from casework import services
from casework.models import CaseShare


def test_a_case_cannot_be_shared_with_another_hubs_worker(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:share_new", args=[world.case.pk]),
        {
            "worker": world.user("other_hub_worker").pk,
            "reason": "cover",
            "expires_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not CaseShare.objects.filter(kind="share").exists()
    assert (
        client_for("other_hub_worker")
        .get(reverse("casework:case", args=[world.case.pk]))
        .status_code
        == 404
    )


def break_glass(world):
    return services.break_glass(
        actor=world.user("other_hub_manager"),
        case=world.case,
        justification="Reported missing in our area tonight, police asking for history.",
    )


def test_emergency_access_is_read_only(world, client_for):
    break_glass(world)
    client = client_for("other_hub_manager")
    page = client.get(reverse("casework:case", args=[world.case.pk]))
    assert page.status_code == 200 and "for reading only" in page.content.decode()
    assert client.get(reverse("casework:session_new", args=[world.case.pk])).status_code == 403
    assert (
        client.post(reverse("casework:young_person_edit", args=[world.case.pk]), {}).status_code
        == 403
    )


def test_emergency_access_cannot_become_lasting_access_to_the_young_person(world, client_for):
    break_glass(world)
    response = client_for("other_hub_manager").post(
        reverse("casework:case_new"),
        {
            "existing_reference": world.case.young_person.reference,
            "gender": "not_known",
            "spoke": world.other_spoke.pk,
            "worker": world.user("other_hub_worker").pk,
            "opened_on": "2026-03-01",
        },
    )
    assert response.status_code == 400
    assert world.case.young_person.cases.count() == 1


def test_accepting_a_transfer_ends_the_old_hubs_shares(world, client_for):
    services.case_share(
        actor=world.user("allocated_worker"),
        case=world.case,
        worker=world.user("same_spoke_worker"),
        reason="cover",
        expires_on=timezone.localdate() + timedelta(days=10),
    )
    assert (
        client_for("same_spoke_worker")
        .get(reverse("casework:case", args=[world.case.pk]))
        .status_code
        == 200
    )
    services.transfer_decide(
        actor=world.user("other_hub_manager"),
        transfer=world.transfer,
        accept=True,
        worker=world.user("other_hub_worker"),
    )
    assert (
        client_for("same_spoke_worker")
        .get(reverse("casework:case", args=[world.case.pk]))
        .status_code
        == 404
    )


def test_only_managers_withdraw_a_transfer(world, client_for):
    url = reverse("casework:share_revoke", args=[world.case.pk, world.transfer.pk])
    assert client_for("allocated_worker").post(url).status_code == 403
    world.transfer.refresh_from_db()
    assert world.transfer.revoked_at is None
    assert client_for("hub_manager").post(url).status_code == 302


def test_opening_an_edit_form_is_logged(world, client_for):
    client = client_for("allocated_worker")
    client.get(reverse("casework:session_edit", args=[world.case.pk, world.session.pk]))
    client.get(reverse("casework:young_person_edit", args=[world.case.pk]))
    logged = set(
        AccessLog.objects.filter(action=AccessAction.VIEW).values_list("object_type", flat=True)
    )
    assert {"casesession", "youngperson"} <= logged


def test_odd_query_strings_never_give_a_500(world, client_for):
    assert (
        client_for("hub_manager").get(reverse("training:activities") + "?spoke=²").status_code
        == 200
    )
    assert (
        client_for("hub_manager")
        .get(reverse("casework:hub_cases") + "?worker=99999999999999999")
        .status_code
        == 200
    )


def test_the_allocated_worker_sees_the_recording_links(world, client_for):
    page = (
        client_for("allocated_worker")
        .get(reverse("casework:case", args=[world.case.pk]))
        .content.decode()
    )
    assert "Log a session" in page and "for reading only" not in page
