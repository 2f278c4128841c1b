"""Removing a passkey and turning the administrators' passkey requirement off or on change how
people sign in: as adding a passkey, they need the password and a current code (or a passkey)
again, and the session alone changes nothing. Both, and new recovery codes, are in the access
log."""

from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from alexi.models import AccessAction, AccessLog, Role
from alexi.passkeys.models import PasskeyRequirement
from tests.alexi.test_passkeys import (
    add_passkey,
    fresh_code,
    sign_in_with_code,
    sign_in_with_passkey,
)
from tests.factories import TEST_PASSWORD, give_totp


def test_the_session_alone_does_not_remove_a_passkey(world):
    person = world.user("hub_manager")
    give_totp(person)
    client = sign_in_with_code(person)
    _, passkey = add_passkey(client, person)
    url = reverse("passkey_remove", args=[passkey.pk])

    page = client.get(url)
    assert page.status_code == 200 and "Your password" in page.content.decode()
    refused = client.post(url)
    assert refused.status_code == 400
    assert 'id="id_password-error"' in refused.content.decode()
    wrong = client.post(url, {"password": "not the password", "code": fresh_code(person)})
    assert wrong.status_code == 400
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert not AccessLog.objects.filter(
        action=AccessAction.SECOND_FACTOR_RESET, object_type="passkey", object_id=passkey.pk
    ).exists()

    done = client.post(url, {"password": TEST_PASSWORD, "code": fresh_code(person)})
    assert done["Location"] == reverse("passkeys")
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert AccessLog.objects.filter(
        action=AccessAction.SECOND_FACTOR_RESET, object_type="passkey", object_id=passkey.pk
    ).exists()


def test_the_session_alone_does_not_change_the_passkey_requirement(world):
    admin = world.user("programme_admin")
    give_totp(admin)
    client = sign_in_with_code(admin)
    device, _ = add_passkey(client, admin)
    url = reverse("passkey_requirement")
    log = AccessLog.objects.filter(object_type="passkey_requirement:programme_admin")

    refused = client.post(url, {"required": "yes"})
    assert refused.status_code == 400
    assert 'id="id_password-error"' in refused.content.decode()
    assert not PasskeyRequirement.objects.filter(required=True).exists()
    assert not log.exists()

    on = client.post(url, {"required": "yes", "password": TEST_PASSWORD, "code": fresh_code(admin)})
    assert on["Location"] == url
    assert PasskeyRequirement.objects.get(role=Role.PROGRAMME_ADMIN).required
    row = log.get()
    assert row.action == AccessAction.SECOND_FACTOR_ENROLLED and row.object_id == "required"
    assert row.user == admin

    # Turning it off needs the same: the session alone leaves it on. Administrators now sign
    # in with a passkey, so it is their passkey (not an app code) that confirms.
    assert client.post(url, {"required": "no"}).status_code == 400
    by_app = client.post(
        url, {"required": "no", "password": TEST_PASSWORD, "code": fresh_code(admin)}
    )
    assert by_app.status_code == 400
    assert PasskeyRequirement.objects.get(role=Role.PROGRAMME_ADMIN).required
    assert sign_in_with_passkey(admin, device, client=client)[1].status_code == 200
    off = client.post(url, {"required": "no", "password": TEST_PASSWORD})
    assert off["Location"] == url
    assert not PasskeyRequirement.objects.get(role=Role.PROGRAMME_ADMIN).required
    latest = log.order_by("-pk").first()
    assert latest.action == AccessAction.SECOND_FACTOR_RESET
    assert latest.object_id == "not_required" and log.count() == 2


def test_new_recovery_codes_are_in_the_access_log(world):
    person = world.user("allocated_worker")
    give_totp(person)
    client = sign_in_with_code(person)
    log = AccessLog.objects.filter(object_type="recovery_codes", object_id=str(person.pk))
    assert client.post(reverse("alexi:recovery_codes_new")).status_code == 400
    assert not log.exists()
    response = client.post(
        reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD, "code": fresh_code(person)}
    )
    assert response.status_code == 200
    row = log.get()
    assert row.action == AccessAction.SECOND_FACTOR_ENROLLED and row.user == person
