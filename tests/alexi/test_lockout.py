"""Lockout per email address *and* connecting address, with cool-off (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from alexi.models import AccessAction, AccessLog
from tests.alexi.helpers import password_step
from tests.factories import give_totp

OFFICE = {"REMOTE_ADDR": "203.0.113.10"}
HOME = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def person(world):
    user = world.user("allocated_worker")
    give_totp(user)
    return user


def fail_five_times(email, address):
    client = Client()
    responses = [password_step(client, email, "wrong password here", **address) for _ in range(5)]
    return responses


def test_five_failures_pause_sign_in_with_a_clear_429(person):
    responses = fail_five_times(person.email, OFFICE)
    assert [r.status_code for r in responses[:4]] == [400] * 4
    assert responses[4].status_code == 429
    assert "Sign-in paused" in responses[4].content.decode()
    right_password = password_step(Client(), person.email, **OFFICE)
    assert right_password.status_code == 429
    assert AccessLog.objects.filter(
        action=AccessAction.LOCKED_OUT, user_label=person.email
    ).exists()


def test_a_colleague_at_the_same_address_is_not_locked_out(person, world):
    fail_five_times(person.email, OFFICE)
    colleague = world.user("same_spoke_worker")
    give_totp(colleague)
    assert password_step(Client(), colleague.email, **OFFICE).status_code == 302


def test_the_same_person_from_another_address_is_not_locked_out(person):
    fail_five_times(person.email, OFFICE)
    assert password_step(Client(), person.email, **HOME).status_code == 302


def test_sign_in_works_again_after_the_cool_off(person):
    fail_five_times(person.email, OFFICE)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert password_step(Client(), person.email, **OFFICE).status_code == 302


def test_lockout_does_not_reveal_whether_an_account_exists(db):
    responses = fail_five_times("nobody@example.org", OFFICE)
    assert responses[4].status_code == 429


def test_behind_a_proxy_lockout_uses_the_address_the_proxy_saw(person, world, settings):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.18.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(5):
        password_step(Client(), person.email, "wrong password here", **attacker)
    victim = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert password_step(Client(), person.email, **victim).status_code == 302
    logged = set(AccessLog.objects.values_list("address", flat=True))
    assert "203.0.113.66" in logged and None not in logged


def test_a_spoofed_left_most_forwarded_address_is_ignored(person, settings):
    settings.PROXY_COUNT = 1
    spoofed = {"REMOTE_ADDR": "172.18.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.66"}
    password_step(Client(), person.email, "wrong password here", **spoofed)
    assert AccessLog.objects.get(action=AccessAction.SIGN_IN_FAILED).address == "203.0.113.66"


def test_rotating_ipv6_addresses_in_one_network_does_not_evade_lockout(person):
    for n in range(5):
        password_step(
            Client(), person.email, "wrong password here", REMOTE_ADDR=f"2001:db8:1:2::{n + 1}"
        )
    response = password_step(Client(), person.email, REMOTE_ADDR="2001:db8:1:2::99")
    assert response.status_code == 429
