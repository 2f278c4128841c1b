"""Passkeys (django-otp-webauthn) beside authenticator codes: several per person, named and
removed on Your account, the same 'second factor verified' gate as a code, recovery codes still
working, and a requirement programme administrators switch for their own role."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from alexi.models import AccessAction, AccessLog, Role
from alexi.passkeys.models import PasskeyRequirement
from alexi.services import recovery_codes_make
from tests.alexi.helpers import code_step, current_code, password_step
from tests.alexi.webauthn_soft import SoftAuthenticator
from tests.factories import TEST_PASSWORD, give_totp

BEGIN_REGISTRATION = "otp_webauthn:credential-registration-begin"
COMPLETE_REGISTRATION = "otp_webauthn:credential-registration-complete"
BEGIN_AUTHENTICATION = "otp_webauthn:credential-authentication-begin"
COMPLETE_AUTHENTICATION = "otp_webauthn:credential-authentication-complete"


def authenticator() -> SoftAuthenticator:
    return SoftAuthenticator(settings.OTP_WEBAUTHN_RP_ID, settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0])


def post_json(client, name, data=None, path=None):
    return client.post(
        path or reverse(name), json.dumps(data or {}), content_type="application/json"
    )


def sign_in_with_code(user):
    client = Client()
    password_step(client, user.email)
    assert code_step(client, fresh_code(user)).status_code == 302
    return client


def fresh_code(user) -> str:
    """A code the app would show 30 seconds later (each code works once)."""
    device = user.totpdevice_set.get()
    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    return current_code(device)


def mine(user) -> dict:
    """The password and a fresh code: the confirmation a sign-in change needs."""
    return {"password": TEST_PASSWORD, "code": fresh_code(user)}


def confirm(client, user):
    return client.post(
        reverse("passkey_add"), {"password": TEST_PASSWORD, "code": fresh_code(user)}
    )


def add_passkey(client, user) -> tuple[SoftAuthenticator, WebAuthnCredential]:
    assert confirm(client, user)["Location"] == reverse("passkey_create")
    assert client.get(reverse("passkey_create")).status_code == 200
    options = post_json(client, BEGIN_REGISTRATION).json()
    device = authenticator()
    done = post_json(client, COMPLETE_REGISTRATION, device.create(options))
    assert done.status_code == 200, done.content
    return device, WebAuthnCredential.objects.get(pk=done.json()["id"])


def sign_in_with_passkey(user, device, *, tamper=False, client=None):
    client = client or Client()
    if client.session.get("_auth_user_id") is None:
        password_step(client, user.email)
    options = post_json(client, BEGIN_AUTHENTICATION).json()
    return client, post_json(client, COMPLETE_AUTHENTICATION, device.get(options, tamper=tamper))


@pytest.fixture
def person(world):
    user = world.user("hub_manager")
    give_totp(user)
    return user


@pytest.fixture
def admin(world):
    user = world.user("programme_admin")
    give_totp(user)
    return user


def test_a_passkey_is_added_only_after_the_password_and_a_code(person):
    client = sign_in_with_code(person)
    # The session alone cannot make one: the ceremony refuses, the page sends back.
    refused = post_json(client, BEGIN_REGISTRATION)
    assert refused.status_code == 403 and "Confirm your password" in refused.json()["detail"]
    assert client.get(reverse("passkey_create"))["Location"] == reverse("passkey_add")
    wrong = client.post(reverse("passkey_add"), {"password": "not it at all", "code": "123456"})
    assert wrong.status_code == 400 and "That password is not right" in wrong.content.decode()
    assert post_json(client, BEGIN_REGISTRATION).status_code == 403

    device, passkey = add_passkey(client, person)
    assert passkey.user == person and passkey.confirmed and passkey.name == "Passkey 1"
    assert AccessLog.objects.filter(
        action=AccessAction.SECOND_FACTOR_ENROLLED, object_type="passkey", object_id=passkey.pk
    ).exists()
    # One passkey per confirmation.
    assert post_json(client, BEGIN_REGISTRATION).status_code == 403


def test_someone_half_signed_in_cannot_add_a_passkey(person):
    client = Client()
    password_step(client, person.email)
    assert client.get(reverse("passkey_add"))["Location"] == reverse("alexi:second_factor")
    assert post_json(client, BEGIN_REGISTRATION).status_code == 302
    assert not WebAuthnCredential.objects.exists()


def test_signing_in_with_a_passkey_passes_the_same_gate_as_a_code(person):
    device, passkey = add_passkey(sign_in_with_code(person), person)
    client = Client()
    password_step(client, person.email)
    page = client.get(reverse("alexi:second_factor")).content.decode()
    assert "Sign in with a passkey" in page and 'id="otp_webauthn_config"' in page
    assert "<script>" not in page  # the library's script comes from our static files
    assert client.get(reverse("alexi:home")).status_code == 302  # not yet
    half_key = client.session.session_key
    client, done = sign_in_with_passkey(person, device, client=client)
    assert done.status_code == 200 and done.json()["redirect_url"] == reverse("alexi:home")
    assert client.get(reverse("alexi:home")).status_code == 200
    assert client.session["otp_device_id"] == passkey.persistent_id  # django-otp's verified mark
    assert client.session.session_key != half_key  # a new session id, as with a code
    assert AccessLog.objects.filter(action=AccessAction.SIGN_IN, user=person).count() == 2
    passkey.refresh_from_db()
    assert passkey.sign_count == 1 and passkey.last_used_at is not None


def test_a_passkey_needs_the_password_first(person):
    device, _ = add_passkey(sign_in_with_code(person), person)
    anonymous = Client()
    assert post_json(anonymous, BEGIN_AUTHENTICATION).status_code == 302  # to sign-in
    assert anonymous.get(reverse("alexi:home")).status_code == 302


def test_a_forged_signature_is_refused_and_counts_towards_the_limit(person):
    device, _ = add_passkey(sign_in_with_code(person), person)
    client = Client()
    password_step(client, person.email)
    for _ in range(4):
        _, refused = sign_in_with_passkey(person, device, tamper=True, client=client)
        assert refused.status_code == 422
        assert client.get(reverse("alexi:home")).status_code == 302
    _, last = sign_in_with_passkey(person, device, tamper=True, client=client)
    assert last.status_code == 403 and last.json()["code"] == "signed_out"
    assert client.get(reverse("alexi:second_factor"))["Location"].startswith(
        reverse("alexi:sign_in")
    )
    assert AccessLog.objects.filter(action=AccessAction.SECOND_FACTOR_FAILED).count() == 5


def test_someone_elses_passkey_does_not_sign_you_in(person, world):
    other = world.user("other_hub_manager")
    give_totp(other)
    device, _ = add_passkey(sign_in_with_code(other), other)
    client = Client()
    password_step(client, person.email)
    _, refused = sign_in_with_passkey(person, device, client=client)
    assert refused.status_code == 403
    assert client.get(reverse("alexi:home")).status_code == 302


def test_bad_ceremony_input_gets_a_4xx_not_a_500(person):
    client = Client()
    password_step(client, person.email)
    assert post_json(client, COMPLETE_AUTHENTICATION, {"id": "x"}).status_code == 400  # no state
    post_json(client, BEGIN_AUTHENTICATION)
    garbled = client.post(
        reverse(COMPLETE_AUTHENTICATION), "{not json", content_type="application/json"
    )
    assert 400 <= garbled.status_code < 500
    post_json(client, BEGIN_AUTHENTICATION)
    assert 400 <= post_json(client, COMPLETE_AUTHENTICATION, {"id": 1}).status_code < 500


def test_several_passkeys_are_named_and_removed(person):
    client = sign_in_with_code(person)
    phone, first = add_passkey(client, person)
    laptop, second = add_passkey(client, person)
    assert second.name == "Passkey 2"
    renamed = client.post(reverse("passkey_rename", args=[first.pk]), {"name": "  Work   phone "})
    assert renamed["Location"] == reverse("passkeys")
    client.post(reverse("passkey_rename", args=[second.pk]), {"name": "Laptop"})
    page = client.get(reverse("passkeys")).content.decode()
    assert "Work phone" in page and "Laptop" in page

    empty = client.post(reverse("passkey_rename", args=[first.pk]), {"name": "   "})
    assert empty.status_code == 400 and 'id="id_name-error"' in empty.content.decode()
    first.refresh_from_db()
    assert first.name == "Work phone"

    # Either passkey signs in.
    assert sign_in_with_passkey(person, laptop)[1].status_code == 200
    assert sign_in_with_passkey(person, phone)[1].status_code == 200

    assert client.post(reverse("passkey_remove", args=[first.pk]), mine(person))[
        "Location"
    ] == reverse("passkeys")
    assert list(WebAuthnCredential.objects.filter(user=person)) == [second]
    assert AccessLog.objects.filter(
        action=AccessAction.SECOND_FACTOR_RESET, object_type="passkey", object_id=first.pk
    ).exists()
    assert sign_in_with_passkey(person, phone)[1].status_code == 404  # no longer known
    assert sign_in_with_passkey(person, laptop)[1].status_code == 200


def test_nobody_names_or_removes_another_persons_passkey(person, world):
    _, passkey = add_passkey(sign_in_with_code(person), person)
    other = world.user("other_hub_manager")
    give_totp(other)
    intruder = sign_in_with_code(other)
    assert (
        intruder.post(reverse("passkey_rename", args=[passkey.pk]), {"name": "x"}).status_code
        == 404
    )
    assert intruder.post(reverse("passkey_remove", args=[passkey.pk])).status_code == 404
    passkey.refresh_from_db()
    assert passkey.name == "Passkey 1"


def test_recovery_codes_still_work_beside_passkeys(person):
    add_passkey(sign_in_with_code(person), person)
    codes = recovery_codes_make(user=person)
    client = Client()
    password_step(client, person.email)
    assert code_step(client, codes[0]).status_code == 302
    assert client.get(reverse("alexi:home")).status_code == 200


def test_an_admin_requires_passkeys_for_their_own_role(admin, world):
    client = sign_in_with_code(admin)
    # Not before they have one themselves.
    early = client.post(reverse("passkey_requirement"), {"required": "yes", **mine(admin)})
    assert early.status_code == 400 and "Add a passkey to your own account first" in (
        early.content.decode()
    )
    assert not PasskeyRequirement.objects.filter(required=True).exists()
    device, passkey = add_passkey(client, admin)
    done = client.post(reverse("passkey_requirement"), {"required": "yes", **mine(admin)})
    assert done["Location"] == reverse("passkey_requirement")
    requirement = PasskeyRequirement.objects.get(role=Role.PROGRAMME_ADMIN)
    assert requirement.required and requirement.changed_by == admin
    assert requirement.history.latest().history_user == admin

    # Their app code no longer confirms it is them, as it no longer signs them in.
    by_app = client.post(reverse("passkey_remove", args=[passkey.pk]), mine(admin))
    assert by_app.status_code == 400 and "Your role signs in with a passkey" in (
        by_app.content.decode()
    )
    # The last passkey stays while the role needs one (even confirmed with the passkey).
    assert sign_in_with_passkey(admin, device, client=client)[1].status_code == 200
    kept = client.post(reverse("passkey_remove", args=[passkey.pk]), {"password": TEST_PASSWORD})
    assert kept.status_code == 409 and "cannot be removed" in kept.content.decode()
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    # Now their authenticator code is not enough; the passkey or a recovery code is.
    codes = recovery_codes_make(user=admin)
    again = Client()
    password_step(again, admin.email)
    refused = code_step(again, fresh_code(admin))
    assert refused.status_code == 400 and "Your role signs in with a passkey" in (
        refused.content.decode()
    )
    assert again.get(reverse("alexi:home")).status_code == 302
    assert sign_in_with_passkey(admin, device, client=again)[1].status_code == 200
    by_code = Client()
    password_step(by_code, admin.email)
    assert code_step(by_code, codes[0]).status_code == 302

    # Other roles are not affected.
    manager = world.user("hub_manager")
    give_totp(manager)
    assert sign_in_with_code(manager).get(reverse("alexi:home")).status_code == 200


def test_an_admin_without_a_passkey_adds_one_straight_after_signing_in(admin, world):
    from tests.factories import make_admin

    PasskeyRequirement.objects.create(role=Role.PROGRAMME_ADMIN, required=True)
    second = make_admin(email="second.admin@example.org")
    give_totp(second)
    client = sign_in_with_code(second)
    for page in ("alexi:home", "alexi:people", "alexi:account"):
        assert client.get(reverse(page))["Location"] == reverse("passkey_add")
    assert (
        "Your role now signs in with a passkey"
        in client.get(reverse("passkey_add")).content.decode()
    )
    add_passkey(client, second)
    assert client.get(reverse("alexi:home")).status_code == 200


def test_only_programme_administrators_reach_the_setting(client_for):
    for persona in ("hub_manager", "allocated_worker", "funder"):
        assert client_for(persona).get(reverse("passkey_requirement")).status_code == 403
    assert client_for("programme_admin").get(reverse("passkey_requirement")).status_code == 200


def test_an_admin_cannot_set_it_for_another_role(admin):
    from alexi.passkeys.services import PasskeyRefused, passkey_requirement_set

    with pytest.raises(PasskeyRefused):
        passkey_requirement_set(actor=admin, role=Role.HUB_MANAGER, required=True)
    assert not PasskeyRequirement.objects.exists()


def test_the_passkeys_page_reads_a_fixed_number_of_queries(person, django_assert_max_num_queries):
    client = sign_in_with_code(person)
    for _ in range(3):
        add_passkey(client, person)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("passkeys"))
    assert page.content.decode().count("Save name") == 3


def test_a_passkey_stands_in_for_the_code_when_making_recovery_codes(person):
    """Item 18: the password and a current code, or the password and a passkey just used."""
    from django_otp_webauthn.models import WebAuthnCredential as Credential

    client = sign_in_with_code(person)
    device, _ = add_passkey(client, person)
    old = recovery_codes_make(user=person)
    page = client.get(reverse("alexi:recovery_codes_new")).content.decode()
    assert "Use a passkey instead of a code" in page
    # Without the passkey, the code is still needed.
    no_code = client.post(reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD})
    assert no_code.status_code == 400
    # A forged passkey does not stand in.
    _, forged = sign_in_with_passkey(person, device, tamper=True, client=client)
    assert forged.status_code == 422
    assert client.post(
        reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD}
    ).status_code == (400)
    _, used = sign_in_with_passkey(person, device, client=client)
    assert used.status_code == 200
    assert "no code is needed" in client.get(reverse("alexi:recovery_codes_new")).content.decode()
    # The password is still asked.
    wrong = client.post(reverse("alexi:recovery_codes_new"), {"password": "not my password at all"})
    assert wrong.status_code == 400
    made = client.post(reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD})
    assert made.status_code == 200 and not set(made.context["codes"]) & set(old)
    # One change for each passkey use.
    again = client.post(reverse("alexi:recovery_codes_new"), {"password": TEST_PASSWORD})
    assert again.status_code == 400
    assert Credential.objects.get(user=person).sign_count == 2
