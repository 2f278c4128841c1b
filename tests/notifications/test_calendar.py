"""The calendar feed: off unless a worker turns it on, by a secret address (kept only as a
hash) that a reset or turning it off ends at once; its events say "Alexi: session" or "Alexi:
review" and link to the case by number, never who or where."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from alexi.models import AccessAction, AccessLog
from alexi.notifications.models import NotificationPreference
from casework import services

pytestmark = pytest.mark.django_db

FEED = "/account/calendar/"
ALLOWED = {"Alexi: session", "Alexi: review"}


def turn_on(client) -> tuple[str, str]:
    """Press the button; returns (the page, the feed's path) from the address it shows."""
    response = client.post(FEED, {"action": "make"})
    assert response.status_code == 200
    page = response.content.decode()
    [url] = re.findall(r'id="calendar-address" type="text" readonly value="([^"]+)"', page)
    assert url.startswith("http://127.0.0.1:8000/calendar/")
    return page, url.removeprefix("http://127.0.0.1:8000")


def plan_a_session(world):
    return services.session_log(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={
            "date": timezone.localdate(),
            "contact_method": "face_to_face",
            "attendance": "attended",
            "venue_type": "cafe_or_fast_food",
            "young_person_chose": True,
            "duration_minutes": 45,
            "notes": "Canary session note",
            "next_meeting_on": timezone.localdate() + timedelta(days=3),
            "next_meeting_time": time(15, 30),
            "next_meeting_place": "Canary Wharf Costa",
        },
    )


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_off_by_default_then_on_with_reviews_and_planned_sessions(world, client_for, client):
    plan_a_session(world)
    world.case.refresh_from_db()
    assert world.case.next_review_due is not None
    worker = client_for("allocated_worker")
    assert "Your calendar feed is off." in worker.get("/account/").content.decode()
    page, path = turn_on(worker)
    assert "Your calendar feed is on" in page
    response = client.get(path)  # a calendar app: not signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    found = events(response.content)
    case_url = f"http://127.0.0.1:8000/cases/{world.case.pk}/"
    assert sorted(str(e["SUMMARY"]) for e in found) == ["Alexi: review", "Alexi: session"]
    for event in found:
        assert str(event["SUMMARY"]) in ALLOWED
        assert str(event["URL"]) == case_url and str(event["DESCRIPTION"]) == case_url
        assert "LOCATION" not in event and "ATTENDEE" not in event
    review = next(e for e in found if str(e["SUMMARY"]) == "Alexi: review")
    assert review.decoded("DTSTART") == world.case.next_review_due
    session = next(e for e in found if str(e["SUMMARY"]) == "Alexi: session")
    start = timezone.localtime(session.decoded("DTSTART"))
    assert (start.date(), start.time()) == (timezone.localdate() + timedelta(days=3), time(15, 30))
    body = response.content.decode()
    names = ("Jade", "Testperson", "Jay", "Canary", "Allocated")
    for content in (*names, "2010", world.case.reference):
        assert content not in body
    # Only the hash is kept, and making it is in the access log.
    preference = NotificationPreference.objects.get(user=world.user("allocated_worker"))
    token = path.split("/")[2]
    assert token not in preference.calendar_token_hash
    assert len(preference.calendar_token_hash) == 64
    assert AccessLog.objects.filter(
        action=AccessAction.CALENDAR_FEED_MADE, user=world.user("allocated_worker")
    ).exists()


def test_only_the_cases_the_worker_holds_now(world, client_for, client):
    _, path = turn_on(client_for("allocated_worker"))
    assert len(events(client.get(path).content)) == 1  # the world case's review
    services.case_reallocate(
        actor=world.user("hub_manager"), case=world.case, worker=world.user("same_spoke_worker")
    )
    assert events(client.get(path).content) == []


def test_a_new_address_ends_the_old_one_and_twice_leaves_the_last_working(
    world, client_for, client
):
    worker = client_for("allocated_worker")
    _, first = turn_on(worker)
    _, second = turn_on(worker)  # Back then press again, or a double click
    _, third = turn_on(worker)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 404
    assert client.get(third).status_code == 200
    assert NotificationPreference.objects.filter(user=world.user("allocated_worker")).count() == 1


def test_turning_it_off_ends_the_address(world, client_for, client):
    worker = client_for("allocated_worker")
    _, path = turn_on(worker)
    for _ in range(2):  # twice is harmless
        assert worker.post(FEED, {"action": "off"}).status_code == 302
    assert client.get(path).status_code == 404
    preference = NotificationPreference.objects.get(user=world.user("allocated_worker"))
    assert preference.calendar_token_hash is None
    assert AccessLog.objects.filter(action=AccessAction.CALENDAR_FEED_OFF).count() == 1
    assert "Your calendar feed is off." in worker.get("/account/").content.decode()


def test_a_deactivated_persons_feed_is_gone(world, client_for, client):
    _, path = turn_on(client_for("allocated_worker"))
    worker = world.user("allocated_worker")
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


def test_unknown_or_malformed_addresses_are_not_found(world, client):
    for token in ["x", "a" * 43, "../../etc", "%00", "a" * 2000]:
        assert client.get(f"/calendar/{token}/alexi.ics").status_code == 404


def test_only_spoke_workers_have_a_feed_and_bad_actions_are_refused(world, client_for):
    for persona in ["hub_manager", "funder", "programme_admin"]:
        client = client_for(persona)
        assert "Calendar feed" not in client.get("/account/").content.decode()
        assert client.post(FEED, {"action": "make"}).status_code == 403
    worker = client_for("allocated_worker")
    for data in ({}, {"action": ""}, {"action": "x" * 10_001}):
        response = worker.post(FEED, data)
        assert response.status_code == 400
        assert "Choose what to do with the feed." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_past_planned_session_stays_a_while_then_goes(world, client_for, client):
    session = plan_a_session(world)
    _, path = turn_on(client_for("allocated_worker"))
    long_ago = timezone.localdate() - timedelta(days=40)
    type(session).objects.filter(pk=session.pk).update(next_meeting_on=long_ago)
    assert [str(e["SUMMARY"]) for e in events(client.get(path).content)] == ["Alexi: review"]
    recent = timezone.localdate() - timedelta(days=2)
    type(session).objects.filter(pk=session.pk).update(next_meeting_on=recent)
    assert len(events(client.get(path).content)) == 2
