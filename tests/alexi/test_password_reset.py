"""Password reset never bypasses the second factor and never reveals who has an account."""

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.alexi.helpers import password_step
from tests.factories import give_totp


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    """Each test starts with no reset requests counted, and answers at full speed unless it
    tests the minimum time itself."""
    settings.PASSWORD_RESET_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def test_reset_answers_the_same_for_known_and_unknown_addresses(world):
    known = Client().post(
        reverse("alexi:password_reset"), {"email": world.user("hub_manager").email}
    )
    unknown = Client().post(reverse("alexi:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_after_a_reset_the_second_factor_is_still_required(world):
    user = world.user("hub_manager")
    give_totp(user)
    Client().post(reverse("alexi:password_reset"), {"email": user.email})
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
    assert client.get(reverse("alexi:home")).status_code == 302  # not signed in by the reset
    signed = Client()
    assert password_step(signed, user.email, new)["Location"] == reverse("alexi:second_factor")
    assert signed.get(reverse("alexi:home"))["Location"] == reverse("alexi:second_factor")


def test_the_reset_email_is_queued_not_sent_in_the_request(world, monkeypatch):
    """The page must take as long for an address with an account as for one without: the
    sending happens in a task."""
    from alexi import tasks

    queued = []
    monkeypatch.setattr(tasks.send_email, "delay", lambda *args: queued.append(args))
    response = Client().post(
        reverse("alexi:password_reset"), {"email": world.user("hub_manager").email}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 0
    ((subject, body, to),) = queued
    assert to == world.user("hub_manager").email and "/password-reset/" in body
    assert "\n" not in subject


def ask(email: str, address: str = "203.0.113.5"):
    return Client().post(reverse("alexi:password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.mark.parametrize("known", [True, False])
def test_the_31st_request_in_a_row_for_one_address_is_limited(world, known):
    email = world.user("hub_manager").email if known else "nobody@example.org"
    answers = [ask(email, address=f"198.51.100.{n}") for n in range(31)]
    assert answers[0].status_code == 302
    assert answers[30].status_code == 429
    page = answers[30].content.decode()
    assert "Try again later" in page and "several requests" in page
    # The same words for an address with an account and one without: nothing to enumerate.
    assert email not in page and "no account" not in page.lower()
    assert len(mail.outbox) == (5 if known else 0)  # the first five only


def test_the_limit_answers_alike_for_known_and_unknown_addresses(world):
    known = [ask(world.user("hub_manager").email, f"198.51.100.{n}") for n in range(7)]
    unknown = [ask("nobody@example.org", f"192.0.2.{n}") for n in range(7)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert known[-1].content == unknown[-1].content


def test_one_client_asking_for_many_addresses_is_limited(world):
    answers = [ask(f"person{n}@example.org") for n in range(21)]
    assert {r.status_code for r in answers[:20]} == {302}
    assert answers[20].status_code == 429
    # Another client is not held up by it.
    assert ask("person99@example.org", address="192.0.2.77").status_code == 302


def test_the_limit_ends_after_the_window(world, settings):
    email = world.user("hub_manager").email
    for n in range(6):
        ask(email, f"198.51.100.{n}")
    assert ask(email, "198.51.100.50").status_code == 429
    cache.clear()  # the hour's counts expire
    assert ask(email, "198.51.100.51").status_code == 302


def test_known_and_unknown_addresses_do_the_same_work(world, monkeypatch):
    """The stand-in for an unknown address gets a link made and the email written, exactly as
    a real account does; only the final hand-over to the mail worker is skipped."""
    from django.template import loader

    from alexi import forms, tasks

    rendered, queued = [], []
    real_render = loader.render_to_string

    def spy(name, context=None, *args, **kwargs):
        rendered.append((name, bool(context and context.get("token"))))
        return real_render(name, context, *args, **kwargs)

    monkeypatch.setattr(forms.loader, "render_to_string", spy)
    monkeypatch.setattr(tasks.send_email, "delay", lambda *args: queued.append(args))
    ask(world.user("hub_manager").email)
    known_work, rendered[:] = list(rendered), []
    ask("nobody@example.org", address="203.0.113.6")
    unknown_work = [r for r in rendered if r[0].endswith(".txt")]
    known_work = [r for r in known_work if r[0].endswith(".txt")]
    assert (
        known_work
        == unknown_work
        == [
            ("auth/password_reset_subject.txt", True),
            ("auth/password_reset_email.txt", True),
        ]
    )
    assert len(queued) == 1


def test_every_answer_takes_at_least_the_minimum_time(world, settings, monkeypatch):
    """Padded to PASSWORD_RESET_MIN_SECONDS whatever the path. The wait is recorded, not slept,
    so a busy machine cannot make this test flaky: the page's own time plus the wait it asked
    for must reach the minimum on both paths."""
    from alexi.views import auth

    settings.PASSWORD_RESET_MIN_SECONDS = 5.0
    waits = []
    monkeypatch.setattr(auth, "_sleep", waits.append)
    for email, address in (
        (world.user("hub_manager").email, "203.0.113.7"),
        ("nobody@example.org", "203.0.113.8"),
        ("not an email", "203.0.113.9"),
    ):
        waits.clear()
        started = time.monotonic()
        ask(email, address)
        took = time.monotonic() - started
        assert len(waits) == 1 or took >= 5.0
        assert took + sum(waits) >= 5.0


def test_without_a_broker_the_email_is_sent_beside_the_request(world, settings, monkeypatch):
    from alexi import forms
    from alexi.tasks import send_email

    settings.SEND_EMAIL_BESIDE_REQUEST = True
    started = []

    class FakeThread:
        def __init__(self, target, args, daemon):
            started.append((target, args, daemon))

        def start(self):
            pass

    monkeypatch.setattr(forms.threading, "Thread", FakeThread)
    assert ask(world.user("hub_manager").email).status_code == 302
    assert len(mail.outbox) == 0  # nothing sent while the page waits
    ((target, (subject, body, to), daemon),) = started
    assert target is send_email and to == world.user("hub_manager").email and daemon
