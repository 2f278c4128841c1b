"""Faults found by the independent security review of the second wave's first issue."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from alexi.services import second_factor_reset
from tests.alexi.test_passkeys import add_passkey, sign_in_with_code
from tests.conftest import sign_in_fully
from tests.factories import give_totp


def test_the_django_admin_cannot_move_a_spoke_to_another_hub(world):
    """Moving a spoke would hand its cases to another hub with nobody there confirming."""
    admin = world.user("programme_admin")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client = sign_in_fully(Client(), admin)
    url = reverse("admin:alexi_spoke_change", args=[world.spoke.pk])
    page = client.get(url).content.decode()
    assert 'name="hub"' not in page
    # A forged field is ignored: the spoke stays at its hub whatever is posted.
    client.post(url, {"hub": world.other_hub.pk, "ref": world.spoke.ref})
    world.spoke.refresh_from_db()
    assert world.spoke.hub == world.hub
    # Adding a new spoke still chooses its hub.
    assert 'name="hub"' in client.get(reverse("admin:alexi_spoke_add")).content.decode()


def test_resetting_a_lost_second_factor_removes_the_passkeys_too(world):
    person = world.user("hub_manager")
    give_totp(person)
    add_passkey(sign_in_with_code(person), person)
    assert WebAuthnCredential.objects.filter(user=person).exists()

    second_factor_reset(actor=world.user("programme_admin"), user=person)

    assert not WebAuthnCredential.objects.filter(user=person).exists()
