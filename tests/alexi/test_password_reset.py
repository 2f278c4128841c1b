"""Password reset never bypasses the second factor and never reveals who has an account."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.alexi.helpers import password_step
from tests.factories import give_totp


def test_reset_answers_the_same_for_known_and_unknown_addresses(world):
    known = Client().post(reverse("password_reset"), {"email": world.user("hub_manager").email})
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_after_a_reset_the_second_factor_is_still_required(world):
    user = world.user("hub_manager")
    give_totp(user)
    Client().post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a brand new long passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # not signed in by the reset
    signed = Client()
    assert password_step(signed, user.email, new)["Location"] == reverse("second_factor")
    assert signed.get(reverse("home"))["Location"] == reverse("second_factor")


def test_the_reset_email_is_queued_not_sent_in_the_request(world, monkeypatch):
    """The page must take as long for an address with an account as for one without: the
    sending happens in a task."""
    from alexi import tasks

    queued = []
    monkeypatch.setattr(tasks.send_email, "delay", lambda *args: queued.append(args))
    response = Client().post(reverse("password_reset"), {"email": world.user("hub_manager").email})
    assert response.status_code == 302
    assert len(mail.outbox) == 0
    ((subject, body, to),) = queued
    assert to == world.user("hub_manager").email and "/password-reset/" in body
    assert "\n" not in subject
