"""New people are invited by a single-use, expiring link; nobody is ever sent a password."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alexi.models import Invitation, Role, User
from alexi.services import user_invite


def invite_worker(world, django_capture_on_commit_callbacks, email="new.worker@example.org"):
    with django_capture_on_commit_callbacks(execute=True):
        user, token = user_invite(
            actor=world.user("programme_admin"),
            email=email,
            full_name="New Worker",
            role=Role.SPOKE_WORKER,
            spoke=world.spoke,
        )
    return user, token


def test_an_invited_person_gets_a_link_and_no_password(world, django_capture_on_commit_callbacks):
    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    assert not user.has_usable_password()
    invitations = [m for m in mail.outbox if m.to == ["new.worker@example.org"]]
    assert len(invitations) == 1  # (the hub's manager is told too: test_grants.py)
    body = invitations[0].body
    assert reverse("alexi:invitation_accept", args=[token]) in body
    assert Invitation.objects.get(user=user).token_hash != token  # only a hash is stored


def post_password(token, password1, password2=None, client=None):
    client = client or Client()
    opened = client.get(reverse("alexi:invitation_accept", args=[token]))
    assert opened["Location"] == reverse("alexi:invitation_password")  # the token leaves the URL
    return client.post(
        reverse("alexi:invitation_password"),
        {"password1": password1, "password2": password2 if password2 is not None else password1},
    )


def test_the_link_works_until_the_second_factor_is_set_up(
    world, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.alexi.helpers import current_code

    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    client = Client()
    client.get(reverse("alexi:invitation_accept", args=[token]))
    assert client.get(reverse("alexi:invitation_password")).status_code == 200
    response = post_password(token, "lantern meadow copper 81")
    assert response.status_code == 302
    assert response["Location"] == reverse("alexi:second_factor_setup")
    user.refresh_from_db()
    assert user.check_password("lantern meadow copper 81")
    # Set-up not finished (say the session ended): the same link starts again.
    restart = Client()
    assert post_password(token, "another long phrase 99", client=restart).status_code == 302
    restart.get(reverse("alexi:second_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        restart.post(
            reverse("alexi:second_factor_setup"), {"code": current_code(device)}
        ).status_code
        == 200
    )
    again = post_password(token, "a third long phrase 42")
    assert again.status_code == 410
    assert "cannot be used" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password("another long phrase 99")


def test_an_expired_link_gets_a_clear_410(world, django_capture_on_commit_callbacks):
    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = post_password(token, "lantern meadow copper 81")
    assert response.status_code == 410
    assert "This invitation link cannot be used" in response.content.decode()


def test_a_newer_invitation_replaces_the_older_link(world, django_capture_on_commit_callbacks):
    from alexi.services import invitation_issue

    user, old = invite_worker(world, django_capture_on_commit_callbacks)
    invitation_issue(actor=world.user("programme_admin"), user=user)
    assert post_password(old, "lantern meadow copper 81").status_code == 410


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short words", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(
    world, django_capture_on_commit_callbacks, password, message
):
    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    response = post_password(token, password)
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_mismatched_passwords_are_refused(world, django_capture_on_commit_callbacks):
    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    response = post_password(token, "lantern meadow copper 81", "lantern meadow copper 82")
    assert response.status_code == 400
    assert "The two passwords are different" in response.content.decode()


def test_invitation_of_a_deactivated_person_cannot_be_used(
    world, django_capture_on_commit_callbacks
):
    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert post_password(token, "lantern meadow copper 81").status_code == 410


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(world, django_capture_on_commit_callbacks):
    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    post_password(token, "lantern meadow copper 81")
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_the_access_log_never_holds_the_invitation_token(world, django_capture_on_commit_callbacks):
    from alexi.models import AccessLog

    user, token = invite_worker(world, django_capture_on_commit_callbacks)
    post_password(token, "lantern meadow copper 81")
    paths = list(AccessLog.objects.values_list("path", flat=True))
    assert paths and all(token not in path for path in paths)
