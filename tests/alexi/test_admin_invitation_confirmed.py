"""Inviting a programme administrator needs the inviting administrator's password and second
factor again, as before a sign-in change: one taken-over session cannot quietly make another
administrator. The invitation is in the access log and every administrator is emailed (no case
content). Other invitations are unchanged."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from alexi.models import AccessAction, AccessLog, Invitation, Role, User
from alexi.passkeys.models import PasskeyRequirement
from alexi.services import InvitationRefused, user_invite
from alexi.submissions.once import FIELD, issue
from tests.alexi.test_passkeys import (
    add_passkey,
    fresh_code,
    sign_in_with_code,
    sign_in_with_passkey,
)
from tests.conftest import sign_in_fully
from tests.factories import TEST_PASSWORD, give_totp, make_admin

NEW_ADMIN = {
    "full_name": "Ada Newadmin",
    "email": "ada.newadmin@example.org",
    "role": Role.PROGRAMME_ADMIN,
}


@pytest.fixture
def admins(world):
    """The inviting administrator (signed in) and a colleague administrator."""
    admin = world.user("programme_admin")
    colleague = make_admin(full_name="Cal Colleague", email="cal.colleague@example.org")
    make_admin(full_name="Gone Former", email="gone.former@example.org", is_active=False)
    return admin, colleague, sign_in_fully(Client(), admin)


def invited() -> User | None:
    return User.objects.filter(email=NEW_ADMIN["email"]).first()


def test_the_session_alone_does_not_invite_an_administrator(admins):
    admin, _, client = admins
    url = reverse("alexi:person_invite")
    page = client.get(url).content.decode()
    assert 'id="conditional-programme_admin"' in page and 'name="password"' in page

    missing = client.post(url, NEW_ADMIN)
    assert missing.status_code == 400 and 'id="id_password-error"' in missing.content.decode()
    wrong = client.post(url, {**NEW_ADMIN, "password": "not the password", "code": "123456"})
    assert wrong.status_code == 400 and "That password is not right" in wrong.content.decode()
    no_code = client.post(url, {**NEW_ADMIN, "password": TEST_PASSWORD, "code": "000000"})
    assert no_code.status_code == 400 and "code was not accepted" in no_code.content.decode()
    assert invited() is None
    assert len(mail.outbox) == 0
    assert not AccessLog.objects.filter(action=AccessAction.ADMIN_INVITED).exists()


def test_with_the_password_and_a_code_the_administrator_is_invited_logged_and_told(
    world, admins, django_capture_on_commit_callbacks
):
    admin, colleague, client = admins
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alexi:person_invite"),
            {**NEW_ADMIN, "password": TEST_PASSWORD, "code": fresh_code(admin)},
        )
    new = invited()
    assert response["Location"] == reverse("alexi:person", args=[new.pk])
    assert new.role == Role.PROGRAMME_ADMIN and not new.has_usable_password()
    assert Invitation.objects.filter(user=new, created_by=admin).exists()
    row = AccessLog.objects.get(action=AccessAction.ADMIN_INVITED)
    assert row.user == admin and row.object_type == "user" and row.object_id == str(new.pk)
    assert AccessLog.objects.filter(
        action=AccessAction.INVITATION_SENT, object_id=str(new.pk)
    ).exists()

    told = [m for m in mail.outbox if "new programme administrator" in m.subject]
    # Every active administrator, the one who invited too (a taken-over session is noticed);
    # not the new one (they get their invitation) and not a deactivated one.
    assert sorted(to for m in told for to in m.to) == sorted([admin.email, colleague.email])
    body = told[0].body
    assert admin.full_name in body and new.email in body
    assert reverse("alexi:person", args=[new.pk]) in body
    for case_word in (world.case.reference, "Jade", "Testperson"):
        assert case_word not in body
    assert [m.to for m in mail.outbox if m.subject == "Your invitation to Alexi"] == [[new.email]]


def test_a_failed_confirmation_does_not_use_up_the_form(admins):
    """The one-time form token is spent only when the invitation is made."""
    admin, _, client = admins
    token = issue(admin)
    url = reverse("alexi:person_invite")
    first = client.post(url, {**NEW_ADMIN, "password": "wrong password here", FIELD: token})
    assert first.status_code == 400
    again = client.post(
        url, {**NEW_ADMIN, "password": TEST_PASSWORD, "code": fresh_code(admin), FIELD: token}
    )
    assert again.status_code == 302 and invited() is not None
    twice = client.post(
        url, {**NEW_ADMIN, "password": TEST_PASSWORD, "code": fresh_code(admin), FIELD: token}
    )
    assert twice.status_code == 200 and "Already saved" in twice.content.decode()
    assert User.objects.filter(email=NEW_ADMIN["email"]).count() == 1


def test_other_invitations_ask_nothing_more(world, admins):
    _, _, client = admins
    response = client.post(
        reverse("alexi:person_invite"),
        {
            "full_name": "Mo Manager",
            "email": "mo@example.org",
            "role": Role.HUB_MANAGER,
            "hubs": [world.hub.pk],
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="mo@example.org", role=Role.HUB_MANAGER).exists()
    assert not AccessLog.objects.filter(action=AccessAction.ADMIN_INVITED).exists()
    # A mistake in another invitation shows no password errors.
    bad = client.post(
        reverse("alexi:person_invite"),
        {"full_name": "", "email": "x@example.org", "role": "funder"},
    )
    assert bad.status_code == 400 and 'id="id_password-error"' not in bad.content.decode()


def test_the_service_refuses_an_administrator_without_the_confirmation(world):
    admin = world.user("programme_admin")
    with pytest.raises(InvitationRefused):
        user_invite(actor=admin, role=Role.PROGRAMME_ADMIN, email="x@example.org", full_name="X")
    assert not User.objects.filter(email="x@example.org").exists()


def test_where_administrators_sign_in_with_a_passkey_it_confirms_the_invitation(world):
    admin = world.user("programme_admin")
    give_totp(admin)
    client = sign_in_with_code(admin)
    device, _ = add_passkey(client, admin)
    PasskeyRequirement.objects.create(role=Role.PROGRAMME_ADMIN, required=True)
    url = reverse("alexi:person_invite")
    token = {FIELD: issue(admin)}
    by_app = client.post(
        url, {**NEW_ADMIN, "password": TEST_PASSWORD, "code": fresh_code(admin), **token}
    )
    assert by_app.status_code == 400 and "Your role signs in with a passkey" in (
        by_app.content.decode()
    )
    assert sign_in_with_passkey(admin, device, client=client)[1].status_code == 200
    done = client.post(url, {**NEW_ADMIN, "password": TEST_PASSWORD, **token})
    assert done.status_code == 302 and invited() is not None


def test_outsiders_cannot_invite_an_administrator(world, client_for):
    for persona in ("hub_manager", "allocated_worker", "funder", "anonymous"):
        response = client_for(persona).post(
            reverse("alexi:person_invite"), {**NEW_ADMIN, "password": TEST_PASSWORD}
        )
        assert response.status_code in (302, 403), persona
    assert invited() is None


def test_after_too_many_wrong_codes_the_session_ends_and_the_form_is_not_used_up(admins):
    admin, _, client = admins
    token = issue(admin)
    url = reverse("alexi:person_invite")
    for _ in range(5):
        # (django-otp pauses codes after a wrong one; each try here comes after the pause.)
        TOTPDevice.objects.filter(user=admin).update(throttling_failure_timestamp=None)
        last = client.post(
            url, {**NEW_ADMIN, "password": TEST_PASSWORD, "code": "000000", FIELD: token}
        )
    assert last["Location"] == reverse("alexi:sign_in")
    assert client.get(reverse("alexi:home")).status_code == 302  # signed out
    assert invited() is None
    # Signed in again, the same form (Back brings the same token) invites: it was never used.
    TOTPDevice.objects.filter(user=admin).update(throttling_failure_timestamp=None)
    admin.refresh_from_db()
    again = sign_in_fully(Client(), admin)
    done = again.post(
        url, {**NEW_ADMIN, "password": TEST_PASSWORD, "code": fresh_code(admin), FIELD: token}
    )
    assert done.status_code == 302 and invited() is not None
