"""New recovery codes need the password and a current authenticator code: a stolen session
alone cannot make a lasting way in."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from alexi.models import AccessAction, AccessLog
from alexi.services import recovery_codes_make
from tests.alexi.helpers import code_step, current_code, password_step
from tests.factories import TEST_PASSWORD, give_totp


@pytest.fixture
def person(world):
    user = world.user("allocated_worker")
    give_totp(user)
    return user


@pytest.fixture
def signed_in(person):
    client = Client()
    password_step(client, person.email)
    code_step(client, current_code(person.totpdevice_set.get()))
    return client


def tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def ask(client, password=TEST_PASSWORD, code=""):
    return client.post(reverse("alexi:recovery_codes_new"), {"password": password, "code": code})


def test_the_session_alone_cannot_make_recovery_codes(person, signed_in):
    old = recovery_codes_make(user=person)
    response = signed_in.post(reverse("alexi:recovery_codes_new"))
    assert response.status_code == 400
    assert tokens(person) == set(old)
    page = response.content.decode()
    assert 'id="id_password-error"' in page and 'id="id_code-error"' in page


def test_password_and_a_current_code_make_new_codes(person, signed_in):
    old = recovery_codes_make(user=person)
    page = signed_in.get(reverse("alexi:recovery_codes_new"))
    assert page.status_code == 200 and "Your password" in page.content.decode()
    code = current_code(person.totpdevice_set.get(), offset_steps=1)
    response = ask(signed_in, code=code)
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and tokens(person) == set(new) and not set(old) & set(new)


def test_a_wrong_password_changes_nothing_and_counts_towards_the_lockout(person, signed_in):
    old = recovery_codes_make(user=person)
    code = current_code(person.totpdevice_set.get(), offset_steps=1)
    response = ask(signed_in, password="not my password at all", code=code)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "That password is not right" in page
    assert 'id="id_password-error"' in page
    assert tokens(person) == set(old)
    assert AccessLog.objects.filter(
        action=AccessAction.SIGN_IN_FAILED, user_label=person.email
    ).exists()
    # Four more wrong passwords: sign-in pauses, and this session ends.
    for _ in range(4):
        last = ask(signed_in, password="not my password at all", code=code)
    assert last.status_code == 429
    assert signed_in.get(reverse("alexi:home")).status_code == 302
    assert password_step(Client(), person.email).status_code == 429
    assert tokens(person) == set(old)


def test_a_wrong_code_changes_nothing(person, signed_in):
    old = recovery_codes_make(user=person)
    response = ask(signed_in, code="000000")
    assert response.status_code == 400
    page = response.content.decode()
    assert "That code was not accepted" in page and 'id="id_code-error"' in page
    assert tokens(person) == set(old)
    assert AccessLog.objects.filter(action=AccessAction.SECOND_FACTOR_FAILED).exists()


def test_a_recovery_code_is_not_enough_to_make_new_ones(person, signed_in):
    old = recovery_codes_make(user=person)
    response = ask(signed_in, code=old[0])
    assert response.status_code == 400
    assert tokens(person) == set(old)


def test_repeated_wrong_codes_end_the_session(person, signed_in, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    old = recovery_codes_make(user=person)
    for _ in range(4):
        assert ask(signed_in, code="000000").status_code == 400
    response = ask(signed_in, code="000000")
    assert response["Location"] == reverse("alexi:sign_in")
    assert signed_in.get(reverse("alexi:home")).status_code == 302
    assert tokens(person) == set(old)


def test_the_account_page_links_to_the_form_instead_of_making_codes_at_once(signed_in):
    page = signed_in.get(reverse("alexi:account")).content.decode()
    assert f'href="{reverse("alexi:recovery_codes_new")}"' in page
    assert f'action="{reverse("alexi:recovery_codes_new")}"' not in page
