"""Managing a hub or working at a spoke reaches children's records: an administrator may only ask,
a current manager of the hub (or, for a hub with no manager, a second administrator) confirms."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alexi.grants import GrantRefused, grant_request, grants_to_decide
from alexi.models import (
    AccessAction,
    AccessGrant,
    AccessLog,
    GrantKind,
    GrantStatus,
    HubManagement,
    Role,
    User,
    WorkerProfile,
)
from casework import access as casework_access
from tests.conftest import sign_in_fully
from tests.factories import HubFactory, SpokeFactory, make_admin, make_worker


def invite(client, **data):
    fields = {"full_name": "Mallory Mine", "email": "mallory@example.org"}
    fields.update(data)
    return client.post(reverse("alexi:person_invite"), fields)


def signed_in(user) -> Client:
    return sign_in_fully(Client(), user)


def pending_for(email: str) -> AccessGrant:
    return AccessGrant.objects.get(user__email=email, status=GrantStatus.PENDING)


def test_an_administrator_cannot_give_themselves_a_hubs_cases(world, client_for):
    admin = client_for("programme_admin")
    response = invite(admin, role=Role.HUB_MANAGER, hubs=[world.hub.pk])
    assert response.status_code == 302
    mine = User.objects.get(email="mallory@example.org")
    assert not HubManagement.objects.filter(manager=mine).exists()

    # The address the administrator controls reaches nothing of the hub.
    theirs = signed_in(mine)
    assert theirs.get(reverse("alexi:home")).status_code == 200
    assert theirs.get(reverse("casework:case", args=[world.case.pk])).status_code == 404
    assert theirs.get(reverse("referrals:referral", args=[world.referral.pk])).status_code == 404
    assert "Jade" not in theirs.get(reverse("casework:hub_cases")).content.decode()
    mine = User.objects.get(pk=mine.pk)
    mine.is_verified = lambda: True
    assert not casework_access.cases_for(mine).exists()

    # And the administrator cannot confirm their own request.
    grant = pending_for("mallory@example.org")
    url = reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    assert admin.post(url).status_code == 404
    assert theirs.post(url).status_code == 404
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING
    assert theirs.get(reverse("casework:case", args=[world.case.pk])).status_code == 404


def test_a_manager_of_the_hub_confirms_and_only_then_the_cases_open(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("programme_admin"), role=Role.HUB_MANAGER, hubs=[world.hub.pk])
    grant = pending_for("mallory@example.org")

    # The hub's manager is told (and the email carries no case content).
    told = [m for m in mail.outbox if m.to == [world.user("hub_manager").email]]
    assert len(told) == 1
    assert "Mallory Mine" in told[0].body and "Home Hub" in told[0].body
    assert "Jade" not in told[0].body and "Testperson" not in told[0].body

    manager = client_for("hub_manager")
    home = manager.get(reverse("alexi:home")).content.decode()
    assert "1 request for access to a hub needs your decision" in home
    page = manager.get(reverse("alexi:access_requests")).content.decode()
    assert "Mallory Mine" in page and "Confirm" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(reverse("alexi:access_request_decide", args=[grant.pk, "confirm"]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED
    assert grant.decided_by == world.user("hub_manager")
    mine = User.objects.get(email="mallory@example.org")
    assert HubManagement.objects.filter(manager=mine, hub=world.hub, end_date=None).exists()
    assert signed_in(mine).get(reverse("casework:case", args=[world.case.pk])).status_code == 200

    logged = list(
        AccessLog.objects.filter(object_type="accessgrant", object_id=str(grant.pk))
        .order_by("at", "id")
        .values_list("action", "user_label")
    )
    assert logged == [
        (AccessAction.GRANT_REQUESTED, world.user("programme_admin").email),
        (AccessAction.GRANT_CONFIRMED, world.user("hub_manager").email),
    ]
    assert AccessLog.objects.filter(action=AccessAction.INVITATION_SENT, object_id=mine.pk).exists()


def test_a_manager_may_refuse_and_nothing_is_granted(world, client_for):
    invite(client_for("programme_admin"), role=Role.HUB_MANAGER, hubs=[world.hub.pk])
    grant = pending_for("mallory@example.org")
    response = client_for("hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "refuse"])
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REFUSED
    assert not HubManagement.objects.filter(manager=grant.user).exists()
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_REFUSED, object_id=str(grant.pk)
    ).exists()
    # A decided request cannot be decided again.
    again = client_for("hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    )
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_hub_manager", 404),
        ("allocated_worker", 403),
        ("same_spoke_worker", 403),
        ("funder", 403),
        ("programme_admin", 404),  # the one who asked
        ("anonymous", 302),
    ],
)
def test_nobody_else_can_confirm(world, client_for, persona, status):
    invite(client_for("programme_admin"), role=Role.HUB_MANAGER, hubs=[world.hub.pk])
    grant = pending_for("mallory@example.org")
    response = client_for(persona).post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    )
    assert response.status_code == status
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING
    if persona == "other_hub_manager":
        page = client_for(persona).get(reverse("alexi:access_requests")).content.decode()
        assert "Mallory" not in page


def test_a_hub_with_no_manager_needs_a_second_administrator(
    world, client_for, django_capture_on_commit_callbacks
):
    lonely = HubFactory(name="Lonely Hub")
    second = make_admin(full_name="Sam Second", email="second@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("programme_admin"), role=Role.HUB_MANAGER, hubs=[lonely.pk])
    grant = pending_for("mallory@example.org")
    # With no manager to tell, the other administrators are told.
    assert any(m.to == ["second@example.org"] for m in mail.outbox)

    url = reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    assert client_for("programme_admin").post(url).status_code == 404
    assert client_for("hub_manager").post(url).status_code == 404
    second_client = signed_in(second)
    assert "Mallory Mine" in second_client.get(reverse("alexi:access_requests")).content.decode()
    assert second_client.post(url).status_code == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED and grant.decided_by == second


def test_an_administrator_invited_by_the_asker_is_not_a_second_pair_of_eyes(world, client_for):
    from tests.alexi.test_passkeys import fresh_code
    from tests.factories import TEST_PASSWORD

    lonely = HubFactory(name="Lonely Hub")
    admin = client_for("programme_admin")
    invite(
        admin,
        role=Role.PROGRAMME_ADMIN,
        email="puppet@example.org",
        full_name="Pip Puppet",
        password=TEST_PASSWORD,  # inviting an administrator asks for these again
        code=fresh_code(world.user("programme_admin")),
    )
    puppet = User.objects.get(email="puppet@example.org")
    puppet.set_password("a good long password 1")
    puppet.save()
    invite(admin, role=Role.HUB_MANAGER, hubs=[lonely.pk])
    grant = pending_for("mallory@example.org")
    puppet_client = signed_in(puppet)
    assert grants_to_decide(puppet) == []
    url = reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    assert puppet_client.post(url).status_code == 404


def test_a_spoke_worker_invited_reaches_nothing_until_confirmed(
    world, client_for, django_capture_on_commit_callbacks
):
    invite(
        client_for("programme_admin"),
        role=Role.SPOKE_WORKER,
        spoke=world.spoke.pk,
        fte="0.6",
        background="Youth work",
    )
    worker = User.objects.get(email="mallory@example.org")
    assert not WorkerProfile.objects.filter(user=worker).exists()
    worker_client = signed_in(worker)
    assert worker_client.get(reverse("alexi:home")).status_code == 200
    assert (
        worker_client.get(reverse("training:training_edit", args=[world.training.pk])).status_code
        == 404
    )
    assert (
        worker_client.get(reverse("referrals:referral", args=[world.referral.pk])).status_code
        == 404
    )
    grant = pending_for("mallory@example.org")
    assert grant.spoke == world.spoke
    client_for("hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    )
    profile = WorkerProfile.objects.get(user=worker)
    assert profile.spoke == world.spoke and str(profile.fte) == "0.60"
    assert profile.background == "Youth work"
    assert (
        worker_client.get(reverse("training:training_edit", args=[world.training.pk])).status_code
        == 200
    )


def test_a_move_to_another_hub_waits_for_that_hubs_manager_and_not_while_cases_are_open(
    world, client_for
):
    mover = make_worker(world.spoke, full_name="Mo Mover")
    grant = grant_request(
        actor=world.user("programme_admin"),
        user=mover,
        kind=GrantKind.SPOKE_WORKER,
        hub=world.other_hub,
        spoke=world.other_spoke,
    )
    # The home hub's manager may not decide for the other hub.
    url = reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    assert client_for("hub_manager").post(url).status_code == 404
    assert client_for("other_hub_manager").post(url).status_code == 302
    assert WorkerProfile.objects.get(user=mover).spoke == world.other_spoke

    # Someone holding open cases is not moved; the manager is told why.
    holder = world.user("allocated_worker")
    grant = grant_request(
        actor=world.user("programme_admin"),
        user=holder,
        kind=GrantKind.SPOKE_WORKER,
        hub=world.other_hub,
        spoke=world.other_spoke,
    )
    response = client_for("other_hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"]), follow=True
    )
    assert "holds 1 open case" in response.content.decode()
    assert WorkerProfile.objects.get(user=holder).spoke == world.spoke
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING


def test_asking_twice_or_for_what_is_already_held_is_refused_plainly(world):
    admin = world.user("programme_admin")
    with pytest.raises(GrantRefused, match="already manages"):
        grant_request(
            actor=admin, user=world.user("hub_manager"), kind=GrantKind.HUB_MANAGER, hub=world.hub
        )
    with pytest.raises(GrantRefused, match="not a hub manager"):
        grant_request(
            actor=admin, user=world.user("funder"), kind=GrantKind.HUB_MANAGER, hub=world.hub
        )
    other = world.user("other_hub_manager")
    grant_request(actor=admin, user=other, kind=GrantKind.HUB_MANAGER, hub=world.hub)
    with pytest.raises(GrantRefused, match="already waiting"):
        grant_request(actor=admin, user=other, kind=GrantKind.HUB_MANAGER, hub=world.hub)
    spoke_elsewhere = SpokeFactory(hub=world.other_hub)
    with pytest.raises(GrantRefused, match="spoke of this hub"):
        grant_request(
            actor=admin,
            user=world.user("same_spoke_worker"),
            kind=GrantKind.SPOKE_WORKER,
            hub=world.hub,
            spoke=spoke_elsewhere,
        )


def test_the_django_admin_cannot_attach_workers_or_managers_even_for_a_superuser(world, client_for):
    superuser = world.user("programme_admin")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    admin = client_for("programme_admin")
    assert admin.get(reverse("admin:alexi_workerprofile_changelist")).status_code == 200
    response = admin.post(
        reverse("admin:alexi_workerprofile_add"),
        {"user": world.user("programme_admin").pk, "spoke": world.spoke.pk, "fte": "1"},
    )
    assert response.status_code == 403
    assert not WorkerProfile.objects.filter(user=world.user("programme_admin")).exists()


def test_the_access_requests_page_uses_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    admin = world.user("programme_admin")
    for n in range(3):
        user = User.objects.create_user(
            email=f"new{n}@example.org", full_name=f"New {n}", role=Role.HUB_MANAGER
        )
        grant_request(actor=admin, user=user, kind=GrantKind.HUB_MANAGER, hub=world.hub)
    client = client_for("hub_manager")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("alexi:access_requests"))
    assert response.content.decode().count("Confirm<span") == 3


def test_the_demo_loader_makes_working_grants_logged_as_set_up(db):
    from demo.data import demo_email, load_demo

    load_demo()
    load_demo()  # a second run changes nothing
    manager = User.objects.get(email=demo_email("manager.north"))
    assert HubManagement.objects.filter(manager=manager, end_date=None).count() == 1
    assert AccessGrant.objects.filter(user=manager, status=GrantStatus.CONFIRMED).count() == 1
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_CONFIRMED, user_label="system set-up"
    ).exists()
    assert date(2025, 4, 1) == HubManagement.objects.get(manager=manager).start_date


def test_a_deactivated_persons_request_is_not_confirmed(world, client_for):
    invite(client_for("programme_admin"), role=Role.HUB_MANAGER, hubs=[world.hub.pk])
    grant = pending_for("mallory@example.org")
    User.objects.filter(pk=grant.user_id).update(is_active=False)
    response = client_for("hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"]), follow=True
    )
    assert "account is deactivated" in response.content.decode()
    assert not HubManagement.objects.filter(manager=grant.user).exists()
