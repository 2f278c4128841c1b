"""The next meeting noted when logging a session (issue 13 item 2): optional, all three parts
or none, never in the past; shown on the case until a session is logged for it."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseSession
from tests.casework.helpers import session_data


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _log(client, case, **overrides):
    return client.post(reverse("casework:session_new", args=[case.pk]), session_data(**overrides))


def test_a_next_meeting_is_saved_with_the_session_and_shown_on_the_case(world, client_for):
    client = client_for("allocated_worker")
    response = _log(
        client,
        world.case,
        next_meeting_on=_day(3),
        next_meeting_time="15:30",
        next_meeting_place="  The library   café ",
    )
    assert response.status_code == 302
    saved = CaseSession.objects.filter(case=world.case).latest("id")
    assert saved.next_meeting_on.isoformat() == _day(3)
    assert saved.next_meeting_time.strftime("%H:%M") == "15:30"
    assert saved.next_meeting_place == "The library café"
    assert saved.history.first().next_meeting_place == "The library café"
    page = client.get(reverse("casework:case", args=[world.case.pk])).content.decode()
    assert "Next meeting" in page
    assert "15:30, The library café" in page


def test_a_session_without_a_next_meeting_still_saves(world, client_for):
    response = _log(client_for("allocated_worker"), world.case)
    assert response.status_code == 302
    saved = CaseSession.objects.filter(case=world.case).latest("id")
    assert saved.next_meeting_on is None and saved.next_meeting_place == ""


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        (
            {"next_meeting_on": _day(2)},
            "Enter the time of the next meeting, or leave all three next meeting boxes empty.",
        ),
        (
            {"next_meeting_time": "10:00", "next_meeting_place": "School"},
            "Enter the date of the next meeting, or leave all three",
        ),
        (
            {"next_meeting_on": _day(2), "next_meeting_time": "10:00"},
            "Enter the place of the next meeting, or leave all three",
        ),
        (
            {
                "next_meeting_on": _day(-1),
                "next_meeting_time": "10:00",
                "next_meeting_place": "School",
            },
            "The next meeting cannot be in the past.",
        ),
        (
            {
                "next_meeting_on": _day(400),
                "next_meeting_time": "10:00",
                "next_meeting_place": "School",
            },
            "The next meeting must be within a year.",
        ),
        (
            {
                "next_meeting_on": "2010-03-01",
                "next_meeting_time": "10:00",
                "next_meeting_place": "School",
            },
            "The next meeting cannot be in the past.",
        ),
        (
            {"next_meeting_on": _day(2), "next_meeting_time": "25:61", "next_meeting_place": "x"},
            "Enter a valid time",
        ),
        (
            {
                "next_meeting_on": _day(2),
                "next_meeting_time": "10:00",
                "next_meeting_place": "x" * 10_001,
            },
            "Place must be 200 characters or fewer; this has 10,001.",
        ),
    ],
)
def test_a_partial_or_wrong_next_meeting_is_refused_and_nothing_is_saved(
    world, client_for, overrides, field_message
):
    before = CaseSession.objects.count()
    response = _log(client_for("allocated_worker"), world.case, **overrides)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert CaseSession.objects.count() == before


def test_a_blank_place_of_spaces_counts_as_missing(world, client_for):
    response = _log(
        client_for("allocated_worker"),
        world.case,
        next_meeting_on=_day(2),
        next_meeting_time="10:00",
        next_meeting_place="   ",
    )
    assert response.status_code == 400
    assert "Enter the place of the next meeting" in response.content.decode()


def test_changing_an_old_session_keeps_its_past_next_meeting(world, client_for):
    """A next meeting noted last month is in the past now: correcting that session's notes
    must not be refused for it; moving it to another past day is."""
    CaseSession.objects.filter(pk=world.session.pk).update(
        next_meeting_on=timezone.localdate() - timedelta(days=20),
        next_meeting_time="09:00",
        next_meeting_place="Cafe",
    )
    world.session.refresh_from_db()
    url = reverse("casework:session_edit", args=[world.case.pk, world.session.pk])
    client = client_for("allocated_worker")
    data = session_data(
        date="2026-01-12",
        notes="Corrected note.",
        next_meeting_on=_day(-20),
        next_meeting_time="09:00",
        next_meeting_place="Cafe",
        version=str(world.session.version),
    )
    assert client.post(url, data).status_code == 302
    world.session.refresh_from_db()
    assert world.session.notes == "Corrected note."
    moved = {**data, "next_meeting_on": _day(-19), "version": str(world.session.version)}
    response = client.post(url, moved)
    assert response.status_code == 400
    assert "The next meeting cannot be in the past." in response.content.decode()


def test_the_database_refuses_a_partial_next_meeting(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseSession.objects.filter(pk=world.session.pk).update(next_meeting_on=_day(3))


def test_a_passed_meeting_asks_for_its_session_until_one_is_logged(world, client_for):
    CaseSession.objects.filter(pk=world.session.pk).update(
        next_meeting_on=timezone.localdate() - timedelta(days=2),
        next_meeting_time="09:00",
        next_meeting_place="Cafe",
    )
    client = client_for("allocated_worker")
    case_url = reverse("casework:case", args=[world.case.pk])
    assert "No session is logged for it yet." in client.get(case_url).content.decode()
    assert _log(client, world.case, date=_day(-1)).status_code == 302
    page = client.get(case_url).content.decode()
    assert "No session is logged for it yet." not in page
    assert "None planned." in page


def test_the_next_meeting_shows_in_the_edit_form(world, client_for):
    CaseSession.objects.filter(pk=world.session.pk).update(
        next_meeting_on=_day(5), next_meeting_time="11:15", next_meeting_place="Youth club"
    )
    page = (
        client_for("allocated_worker")
        .get(reverse("casework:session_edit", args=[world.case.pk, world.session.pk]))
        .content.decode()
    )
    assert 'value="11:15"' in page and 'value="Youth club"' in page and _day(5) in page


@pytest.mark.parametrize("persona", ["same_spoke_worker", "other_hub_worker", "other_hub_manager"])
def test_outsiders_see_no_next_meeting_and_cannot_note_one(world, client_for, persona):
    before = CaseSession.objects.count()
    response = _log(
        client_for(persona),
        world.case,
        next_meeting_on=_day(3),
        next_meeting_time="10:00",
        next_meeting_place="School",
    )
    assert response.status_code == 404
    assert CaseSession.objects.count() == before
