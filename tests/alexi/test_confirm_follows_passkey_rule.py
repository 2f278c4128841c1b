"""Confirming it is you (before new recovery codes, adding or removing a passkey, the passkey
requirement) follows the sign-in rule: where a role signs in with a passkey and the person has
one, an authenticator-app code is refused with the sign-in page's words; the passkey (and the
password) confirms, or, without it, a recovery code, as at sign-in."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn.models import WebAuthnCredential

from alexi.forms import PASSKEY_ONLY_CODE_REFUSED
from alexi.models import AccessAction, AccessLog, Role
from alexi.passkeys.models import PasskeyRequirement
from alexi.services import recovery_codes_make
from tests.alexi.helpers import code_step, password_step
from tests.alexi.test_passkeys import (
    add_passkey,
    fresh_code,
    sign_in_with_code,
    sign_in_with_passkey,
)
from tests.factories import TEST_PASSWORD, give_totp


@pytest.fixture
def admin_with_passkeys(world):
    """A programme administrator with two passkeys, signed in, whose role now needs them."""
    admin = world.user("programme_admin")
    give_totp(admin)
    client = sign_in_with_code(admin)
    device, passkey = add_passkey(client, admin)
    _, spare = add_passkey(client, admin)
    PasskeyRequirement.objects.create(role=Role.PROGRAMME_ADMIN, required=True)
    return admin, client, device, passkey, spare


def confirmations(passkey):
    """Every page that asks again, with the rest of what it needs."""
    return [
        (reverse("alexi:recovery_codes_new"), {}),
        (reverse("passkey_add"), {}),
        (reverse("passkey_remove", args=[passkey.pk]), {}),
        (reverse("passkey_requirement"), {"required": "no"}),
    ]


def test_an_app_code_does_not_confirm_where_the_role_signs_in_with_a_passkey(
    admin_with_passkeys,
):
    admin, client, _, passkey, _ = admin_with_passkeys
    old_codes = recovery_codes_make(user=admin)
    for url, extra in confirmations(passkey):
        page = client.get(url).content.decode()
        assert "Use your passkey" in page and "Your role signs in with a passkey" in page
        refused = client.post(url, {"password": TEST_PASSWORD, "code": fresh_code(admin), **extra})
        assert refused.status_code == 400, url
        body = refused.content.decode()
        assert "Your role signs in with a passkey: use your passkey on this page." in body
        assert 'id="id_code-error"' in body
    # Nothing changed: the same recovery codes, both passkeys, the requirement still on, and
    # no passkey may be added.
    assert set(admin.staticdevice_set.get().token_set.values_list("token", flat=True)) == set(
        old_codes
    )
    assert WebAuthnCredential.objects.filter(user=admin).count() == 2
    assert PasskeyRequirement.objects.get(role=Role.PROGRAMME_ADMIN).required
    assert client.get(reverse("passkey_create"))["Location"] == reverse("passkey_add")
    assert not AccessLog.objects.filter(object_type="recovery_codes").exists()
    assert not AccessLog.objects.filter(object_type__startswith="passkey_requirement").exists()
    assert not AccessLog.objects.filter(action=AccessAction.SECOND_FACTOR_RESET).exists()


def test_sign_in_and_confirmation_give_the_same_explanation(admin_with_passkeys):
    admin, client, *_ = admin_with_passkeys
    from django.test import Client

    signing_in = Client()
    password_step(signing_in, admin.email)
    at_sign_in = code_step(signing_in, fresh_code(admin))
    assert at_sign_in.status_code == 400
    assert PASSKEY_ONLY_CODE_REFUSED in at_sign_in.context["form"].errors["code"]
    confirming = client.post(
        reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD, "code": fresh_code(admin)}
    )
    assert PASSKEY_ONLY_CODE_REFUSED in confirming.context["form"].errors["code"]


def test_the_passkey_and_the_password_confirm(admin_with_passkeys):
    admin, client, device, passkey, spare = admin_with_passkeys
    assert sign_in_with_passkey(admin, device, client=client)[1].status_code == 200
    # The password is still asked.
    url = reverse("passkey_remove", args=[spare.pk])
    assert client.post(url, {"password": "not the password at all"}).status_code == 400
    assert client.post(url, {"password": TEST_PASSWORD})["Location"] == reverse("passkeys")
    assert list(WebAuthnCredential.objects.filter(user=admin)) == [passkey]
    # One change for each use of the passkey.
    again = client.post(reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD})
    assert again.status_code == 400


def test_without_the_passkey_a_recovery_code_confirms_once(admin_with_passkeys):
    admin, client, *_ = admin_with_passkeys
    codes = recovery_codes_make(user=admin)
    url = reverse("alexi:recovery_codes_new")
    wrong = client.post(url, {"password": TEST_PASSWORD, "code": "zzzzzzzz"})
    assert wrong.status_code == 400 and "recovery code was not accepted" in (wrong.content.decode())
    # (django-otp pauses codes for a second after a wrong one; the owner comes back later.)
    StaticDevice.objects.filter(user=admin).update(throttling_failure_timestamp=None)
    add = client.post(reverse("passkey_add"), {"password": TEST_PASSWORD, "code": codes[0]})
    assert add["Location"] == reverse("passkey_create")
    assert AccessLog.objects.filter(action=AccessAction.RECOVERY_CODE_USED, user=admin).exists()
    # Each code works once, as at sign-in.
    reused = client.post(url, {"password": TEST_PASSWORD, "code": codes[0]})
    assert reused.status_code == 400
    StaticDevice.objects.filter(user=admin).update(throttling_failure_timestamp=None)
    made = client.post(url, {"password": TEST_PASSWORD, "code": codes[1].upper()})
    assert made.status_code == 200 and not set(made.context["codes"]) & set(codes)


def test_the_password_is_still_asked_with_a_recovery_code(admin_with_passkeys):
    admin, client, *_ = admin_with_passkeys
    codes = recovery_codes_make(user=admin)
    wrong = client.post(
        reverse("alexi:recovery_codes_new"), {"password": "not the password", "code": codes[0]}
    )
    assert wrong.status_code == 400 and "That password is not right" in wrong.content.decode()
    assert admin.staticdevice_set.get().token_set.filter(token=codes[0]).exists()


def test_an_app_code_still_confirms_where_passkeys_are_not_required(world):
    """Other roles, and a role that needs passkeys for someone who has none yet (they are sent
    to add one, confirming with their app code), are unchanged."""
    manager = world.user("hub_manager")
    give_totp(manager)
    client = sign_in_with_code(manager)
    add_passkey(client, manager)
    PasskeyRequirement.objects.create(role=Role.PROGRAMME_ADMIN, required=True)
    done = client.post(
        reverse("alexi:recovery_codes_new"),
        {"password": TEST_PASSWORD, "code": fresh_code(manager)},
    )
    assert done.status_code == 200
