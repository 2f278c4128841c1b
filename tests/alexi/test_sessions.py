"""Sessions: 30 minutes idle, 12 hours absolute; deactivation ends every session at once."""

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from alexi.models import UserSession
from alexi.services import user_deactivate
from tests.alexi.helpers import code_step, current_code, password_step
from tests.factories import give_totp


def sign_in_for_real(user) -> Client:
    client = Client()
    password_step(client, user.email)
    code_step(client, current_code(user.totpdevice_set.get()))
    return client


def test_idle_limit_is_thirty_minutes_renewed_on_each_request(client_for):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client = client_for("hub_manager")
    client.get(reverse("alexi:home"))
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (
        session.expire_date - session.expire_date.now(session.expire_date.tzinfo)
    ).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60


def test_sessions_end_twelve_hours_after_sign_in_however_active(client_for):
    client = client_for("hub_manager")
    session = client.session
    session["signed_in_at"] = time.time() - 12 * 3600 - 5
    session.save()
    response = client.get(reverse("alexi:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("alexi:sign_in")
    assert client.get(reverse("alexi:home")).status_code == 302


def test_cookies_are_httponly_and_samesite(world):
    user = world.user("hub_manager")
    give_totp(user)
    client = sign_in_for_real(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_deactivating_a_user_ends_all_their_sessions_at_once(world):
    user = world.user("allocated_worker")
    give_totp(user)
    phone = sign_in_for_real(user)
    laptop = Client()
    password_step(laptop, user.email)
    laptop.post(
        reverse("alexi:second_factor"), {"code": current_code(user.totpdevice_set.get(), 1)}
    )
    assert phone.get(reverse("alexi:home")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 2

    ended = user_deactivate(actor=world.user("programme_admin"), user=user)

    assert ended == 2
    assert phone.get(reverse("alexi:home")).status_code == 302
    assert laptop.get(reverse("alexi:home")).status_code == 302
    assert password_step(Client(), user.email).status_code == 400
