"""Programme administrators invite and look after people in the browser."""

import pytest
from django.core import mail
from django.urls import reverse

from alexi.models import AccessGrant, GrantStatus, HubManagement, Role, User, WorkerProfile
from tests.factories import give_totp


def invite_data(**overrides):
    data = {
        "full_name": "Nia New",
        "email": "Nia.New@Example.org",
        "role": Role.SPOKE_WORKER,
        "fte": "0.8",
        "background": "Social work",
        "years_experience": "4",
    }
    data.update(overrides)
    return data


def test_admin_invites_a_spoke_worker(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("programme_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alexi:person_invite"), invite_data(spoke=world.spoke.pk))
    assert response.status_code == 302
    user = User.objects.get(email="nia.new@example.org")
    assert user.role == Role.SPOKE_WORKER
    # The spoke is asked for, not given: the hub's manager confirms it (test_grants.py).
    assert not WorkerProfile.objects.filter(user=user).exists()
    grant = AccessGrant.objects.get(user=user, status=GrantStatus.PENDING)
    assert grant.spoke == world.spoke and grant.worker_details["fte"] == "0.8"
    assert [m.to for m in mail.outbox] == [
        [world.user("hub_manager").email],
        ["nia.new@example.org"],
    ]
    history = user.history.first()
    assert history.history_user == world.user("programme_admin")


def test_admin_invites_a_manager_of_two_hubs(world, client_for):
    client = client_for("programme_admin")
    response = client.post(
        reverse("alexi:person_invite"),
        invite_data(role=Role.HUB_MANAGER, hubs=[world.hub.pk, world.other_hub.pk]),
    )
    assert response.status_code == 302
    user = User.objects.get(email="nia.new@example.org")
    assert not HubManagement.objects.filter(manager=user).exists()
    asked = AccessGrant.objects.filter(user=user, status=GrantStatus.PENDING)
    assert {grant.hub for grant in asked} == {world.hub, world.other_hub}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": Role.SPOKE_WORKER}, "Choose the spoke this worker is attached to"),
        ({"role": Role.HUB_MANAGER}, "Choose at least one hub"),
        ({"role": Role.FUNDER}, "Choose the funder"),
        ({"email": "not an email"}, "Enter a valid email address"),
        ({"role": "superuser"}, "Select a valid choice"),
        ({"fte": "7", "spoke": "SPOKE"}, "less than or equal to 1"),
    ],
)
def test_bad_invitations_get_a_clear_message_and_nothing_is_saved(
    world, client_for, overrides, message
):
    before = User.objects.count()
    response = client_for("programme_admin").post(
        reverse("alexi:person_invite"), invite_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert len(mail.outbox) == 0


def test_an_email_already_in_use_is_refused(world, client_for):
    existing = world.user("hub_manager").email
    response = client_for("programme_admin").post(
        reverse("alexi:person_invite"), invite_data(email=existing.upper(), spoke=world.spoke.pk)
    )
    assert response.status_code == 400
    assert "already has an account" in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["allocated_worker", "hub_manager", "other_hub_manager", "funder"],
)
def test_only_programme_admins_can_deactivate(world, client_for, persona):
    target = world.user("same_spoke_worker")
    url = reverse("alexi:person_action", args=[target.pk, "deactivate"])
    assert client_for(persona).post(url).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_outsiders_cannot_invite(world, client_for):
    response = client_for("hub_manager").post(
        reverse("alexi:person_invite"), invite_data(spoke=world.spoke.pk)
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="nia.new@example.org").exists()


def test_admin_deactivates_and_reactivates(world, client_for):
    target = world.user("same_spoke_worker")
    client = client_for("programme_admin")
    response = client.post(
        reverse("alexi:person_action", args=[target.pk, "deactivate"]), follow=True
    )
    assert "can no longer sign in" in response.content.decode()
    target.refresh_from_db()
    assert not target.is_active
    client.post(reverse("alexi:person_action", args=[target.pk, "reactivate"]))
    target.refresh_from_db()
    assert target.is_active


def test_admin_cannot_deactivate_themselves(world, client_for):
    me = world.user("programme_admin")
    client_for("programme_admin").post(reverse("alexi:person_action", args=[me.pk, "deactivate"]))
    me.refresh_from_db()
    assert me.is_active


def test_admin_resets_a_lost_second_factor_and_a_new_invitation_is_sent(
    world, client_for, django_capture_on_commit_callbacks
):
    target = world.user("same_spoke_worker")
    give_totp(target)
    victim_session = client_for("same_spoke_worker")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("programme_admin").post(
            reverse("alexi:person_action", args=[target.pk, "reset-second-factor"])
        )
    target.refresh_from_db()
    assert not target.totpdevice_set.exists()
    assert not target.has_usable_password()  # the old password cannot be used to re-enrol
    assert mail.outbox[-1].to == [target.email]
    assert victim_session.get(reverse("alexi:home")).status_code == 302


def test_unknown_person_is_404(world, client_for):
    assert (
        client_for("programme_admin").get(reverse("alexi:person", args=[999999])).status_code == 404
    )


def test_people_list_uses_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("programme_admin")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("alexi:people"))
    assert response.status_code == 200
    assert "Alex Allocated" in response.content.decode()


def test_sign_in_log_lists_events_in_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    from django.test import Client

    from tests.alexi.helpers import password_step

    password_step(Client(), "someone@example.org", "wrong password here")
    client = client_for("programme_admin")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("alexi:sign_in_log"))
    assert "someone@example.org" in response.content.decode()


def test_a_superuser_sees_hub_managers_inline_on_a_hub_in_the_django_admin(world, client_for):
    admin = world.user("programme_admin")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    response = client_for("programme_admin").get(
        reverse("admin:alexi_hub_change", args=[world.hub.pk])
    )
    assert response.status_code == 200
    assert "Hana Manager" in response.content.decode()
