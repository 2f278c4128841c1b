"""Two-step sign-in: password, then a second factor; clear 4xx messages for bad input."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from alexi.models import AccessAction, AccessLog, Role
from tests.alexi.helpers import code_step, current_code, password_step
from tests.factories import give_totp, make_admin


@pytest.fixture
def person(world):
    user = world.user("allocated_worker")
    give_totp(user)
    return user


def test_password_then_code_signs_in_and_logs_it(person):
    client = Client()
    response = password_step(client, person.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("alexi:second_factor")
    device = person.totpdevice_set.get()
    response = code_step(client, current_code(device))
    assert response.status_code == 302
    assert client.get(reverse("alexi:home")).status_code == 200
    assert AccessLog.objects.filter(user=person, action=AccessAction.SIGN_IN).count() == 1


def test_password_alone_reaches_no_page(person):
    client = Client()
    password_step(client, person.email)
    for name in ["alexi:home", "alexi:account", "alexi:people"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("alexi:second_factor")


def test_wrong_password_gets_a_clear_message_and_400(person):
    response = password_step(Client(), person.email, "not the password at all")
    assert response.status_code == 400
    assert "The email address or password is not right" in response.content.decode()
    failed = AccessLog.objects.get(action=AccessAction.SIGN_IN_FAILED)
    assert failed.user_label == person.email
    assert failed.address == "127.0.0.1"


def test_unknown_email_gets_the_same_message_as_a_wrong_password(person):
    known = password_step(Client(), person.email, "not the password at all")
    unknown = password_step(Client(), "nobody@example.org", "not the password at all")
    assert unknown.status_code == known.status_code == 400
    assert "The email address or password is not right" in unknown.content.decode()


def test_empty_sign_in_form_gets_400_not_500(db):
    response = Client().post(reverse("alexi:sign_in"), {})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_wrong_code_gets_a_clear_message_and_400(person):
    client = Client()
    password_step(client, person.email)
    response = code_step(client, "000000")
    assert response.status_code == 400
    assert "That code was not accepted" in response.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.SECOND_FACTOR_FAILED).count() == 1
    assert client.get(reverse("alexi:home")).status_code == 302


def test_a_code_works_only_once(person):
    device = person.totpdevice_set.get()
    code = current_code(device)
    first = Client()
    password_step(first, person.email)
    assert code_step(first, code).status_code == 302
    second = Client()
    password_step(second, person.email)
    replay = code_step(second, code)
    assert replay.status_code == 400
    assert second.get(reverse("alexi:home")).status_code == 302


def test_repeated_wrong_codes_end_the_half_signed_in_session(person, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    password_step(client, person.email)
    for _ in range(4):
        assert code_step(client, "123456").status_code == 400
    response = code_step(client, "123456")
    assert response.status_code == 302
    assert response["Location"] == reverse("alexi:sign_in")
    assert client.get(reverse("alexi:second_factor")).status_code == 302  # now anonymous
    assert AccessLog.objects.filter(action=AccessAction.LOCKED_OUT).count() == 1


def test_recovery_code_signs_in_once(person):
    from alexi.services import recovery_codes_make

    codes = recovery_codes_make(user=person)
    client = Client()
    password_step(client, person.email)
    assert code_step(client, codes[0].upper()).status_code == 302
    assert AccessLog.objects.filter(action=AccessAction.RECOVERY_CODE_USED).count() == 1
    again = Client()
    password_step(again, person.email)
    assert code_step(again, codes[0]).status_code == 400


def accept_invitation(client, token, password="lantern meadow copper 81"):
    client.get(reverse("alexi:invitation_accept", args=[token]))
    return client.post(
        reverse("alexi:invitation_password"), {"password1": password, "password2": password}
    )


def test_an_invited_person_sets_up_the_second_factor_straight_after_the_password(
    world, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alexi.services import user_invite

    with django_capture_on_commit_callbacks(execute=True):
        user, token = user_invite(
            actor=world.user("programme_admin"),
            email="new.admin@example.org",
            full_name="New Admin",
            role=Role.PROGRAMME_ADMIN,
            identity_confirmed=True,
        )
    client = Client()
    response = accept_invitation(client, token)
    assert response["Location"] == reverse("alexi:second_factor_setup")
    assert client.get(reverse("alexi:home"))["Location"] == reverse("alexi:second_factor_setup")
    page = client.get(reverse("alexi:second_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("alexi:second_factor_setup"), {"code": "12345"})
    assert wrong.status_code == 400
    assert "Enter the 6 digits" in wrong.content.decode()
    done = client.post(reverse("alexi:second_factor_setup"), {"code": current_code(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("alexi:home")).status_code == 200


def test_a_password_alone_cannot_set_up_a_second_factor(world):
    user = make_admin(email="no.device@example.org")
    client = Client()
    assert password_step(client, user.email)["Location"] == reverse("alexi:second_factor_setup")
    response = client.get(reverse("alexi:second_factor_setup"))
    assert response.status_code == 403
    assert "send you a new invitation" in response.content.decode()
    assert client.post(reverse("alexi:second_factor_setup"), {"code": "123456"}).status_code == 403
    assert not user.totpdevice_set.exists()


def test_a_set_up_key_shown_in_one_session_cannot_be_confirmed_in_another(
    world, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alexi.services import invitation_issue

    user = make_admin(email="victim@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        token = invitation_issue(actor=None, user=user)
    victim = Client()
    accept_invitation(victim, token)
    victim.get(reverse("alexi:second_factor_setup"))
    first_key = TOTPDevice.objects.get(user=user, confirmed=False).key
    with django_capture_on_commit_callbacks(execute=True):
        token = invitation_issue(actor=None, user=user)
    other = Client()
    accept_invitation(other, token, "another long passphrase 7")
    other.get(reverse("alexi:second_factor_setup"))
    assert TOTPDevice.objects.get(user=user, confirmed=False).key != first_key


def test_a_new_session_id_is_issued_at_sign_in(person):
    client = Client()
    client.get(reverse("alexi:sign_in"))
    password_step(client, person.email)
    after_password = client.session.session_key
    code_step(client, current_code(person.totpdevice_set.get()))
    assert client.session.session_key != after_password
    assert not Session.objects.filter(session_key=after_password).exists()


def test_sign_out_ends_the_session_on_the_server(person):
    client = Client()
    password_step(client, person.email)
    code_step(client, current_code(person.totpdevice_set.get()))
    key = client.session.session_key
    response = client.post(reverse("alexi:sign_out"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("alexi:home")).status_code == 302
    assert AccessLog.objects.filter(user=person, action=AccessAction.SIGN_OUT).exists()


def test_sign_out_by_get_is_refused(person):
    assert Client().get(reverse("alexi:sign_out")).status_code == 405


def test_missing_csrf_token_gets_a_clear_403(person):
    client = Client(enforce_csrf_checks=True)
    response = password_step(client, person.email)
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_next_parameter_is_followed_only_within_the_site(person):
    client = Client()
    client.post(
        reverse("alexi:sign_in") + "?next=/account/",
        {"email": person.email, "password": "correct horse battery staple 42", "next": "/account/"},
    )
    response = client.post(
        reverse("alexi:second_factor"),
        {"code": current_code(person.totpdevice_set.get()), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("alexi:home")


def test_sign_in_page_redirects_someone_already_signed_in(client_for):
    assert client_for("hub_manager").get(reverse("alexi:sign_in"))["Location"] == reverse(
        "alexi:home"
    )


def test_the_set_up_page_shows_the_key_as_text_and_a_link_for_the_app_on_this_phone(
    world, django_capture_on_commit_callbacks
):
    import base64
    import html

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alexi.services import invitation_issue

    user = make_admin(email="phone.only@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        token = invitation_issue(actor=None, user=user)
    client = Client()
    accept_invitation(client, token)
    page = client.get(reverse("alexi:second_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    content = html.unescape(page.content.decode())
    grouped = " ".join(
        f'<span class="alexi-code__group">{key[i : i + 4]}</span>' for i in range(0, len(key), 4)
    )
    assert f'id="setup-key" data-copy-value="{key}">{grouped}</span>' in content
    assert 'data-copy-target="setup-key"' in content  # the copy button (static/alexi/alexi.js)
    assert f'href="{device.config_url}"' in content
    assert device.config_url.startswith("otpauth://totp/") and f"secret={key}" in (
        device.config_url
    )
    assert "<script>" not in content  # the copy button works under our CSP


def test_a_person_whose_session_ended_during_set_up_starts_again_from_the_same_link(
    world, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alexi.models import Invitation
    from alexi.services import invitation_issue

    user = make_admin(email="slow.starter@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        token = invitation_issue(actor=None, user=user)
    first = Client()
    assert accept_invitation(first, token)["Location"] == reverse("alexi:second_factor_setup")
    first.get(reverse("alexi:second_factor_setup"))
    Session.objects.all().delete()  # the session expired before the code was entered

    # Signing in with the new password reaches set-up, which says the link still works.
    later = Client()
    assert password_step(later, user.email, "lantern meadow copper 81")["Location"] == reverse(
        "alexi:second_factor_setup"
    )
    stuck = later.get(reverse("alexi:second_factor_setup"))
    assert stuck.status_code == 403
    assert "Your invitation link still works until" in stuck.content.decode()

    # The same link starts set-up again and finishes it.
    again = Client()
    assert accept_invitation(again, token, "another long passphrase 7")["Location"] == reverse(
        "alexi:second_factor_setup"
    )
    assert again.get(reverse("alexi:second_factor_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = again.post(reverse("alexi:second_factor_setup"), {"code": current_code(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert again.get(reverse("alexi:home")).status_code == 200

    # Now the link is used up.
    assert Invitation.objects.get(user=user).used_at is not None
    assert accept_invitation(Client(), token).status_code == 410


def test_an_expired_link_does_not_restart_set_up(world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from alexi.models import Invitation
    from alexi.services import invitation_issue

    user = make_admin(email="too.late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        token = invitation_issue(actor=None, user=user)
    accept_invitation(Client(), token)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = Client()
    password_step(client, user.email, "lantern meadow copper 81")
    page = client.get(reverse("alexi:second_factor_setup")).content.decode()
    assert "send you a new invitation" in page and "still works" not in page
    assert accept_invitation(Client(), token).status_code == 410


def test_after_too_many_wrong_codes_the_right_code_gets_a_wait_message(person, settings):
    """django-otp refuses every code for a while after wrong ones (1, 2, 4... seconds): the
    owner typing the right code then is told so and when to try, not "not accepted"."""
    from datetime import timedelta

    from django.utils import timezone

    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = person.totpdevice_set.get()
    client = Client()
    password_step(client, person.email)
    assert code_step(client, "000000").status_code == 400
    response = code_step(client, current_code(device))
    assert response.status_code == 400
    page = response.content.decode()
    assert "too many attempts" in page and "not accepted. Codes change" not in page
    until = timezone.localtime(device.__class__.objects.get().throttling_failure_timestamp)
    assert (until + timedelta(seconds=60)).strftime("%H:%M:%S") in page
    assert "in 60 seconds" in page or "in 59 seconds" in page
    # Once the pause is over, the same person signs in with a new code.
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    assert code_step(client, current_code(device, offset_steps=1)).status_code == 302


def test_a_recovery_code_is_told_the_wait_too(person, settings):
    from alexi.services import recovery_codes_make

    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    codes = recovery_codes_make(user=person)
    client = Client()
    password_step(client, person.email)
    code_step(client, "aaaaaaaa")
    response = code_step(client, codes[0])
    assert response.status_code == 400
    assert "too many attempts" in response.content.decode()


def test_the_session_ended_by_wrong_codes_says_when_codes_work_again(person):
    from datetime import timedelta

    from django.utils import timezone

    device = person.totpdevice_set.get()
    client = Client()
    password_step(client, person.email)
    for _ in range(5):
        # Each wrong code is checked after its pause is over (1, 2, 4, 8 seconds).
        type(device).objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
        )
        response = code_step(client, "123456")
    assert response["Location"] == reverse("alexi:sign_in")
    page = client.get(reverse("alexi:sign_in")).content.decode()
    assert "sign in again" in page and "Codes are paused until" in page
