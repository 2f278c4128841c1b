"""A person's own reminders on a case (issue 13 item 2): personal, on a case they may open,
with clear messages for bad input, saved once, stale edits refused, history kept."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alexi.submissions.once import FIELD
from casework.models import CaseStatus, Reminder
from tests.alexi.test_submissions import token_on_page


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _new_url(world):
    return reverse("casework:reminder_new", args=[world.case.pk])


def _add(client, world, **data):
    payload = {"due_on": _day(1), "note": "Ring school about Tuesday"}
    payload.update(data)
    return client.post(_new_url(world), payload)


def _mine(world, persona="allocated_worker", note="Ring school about Tuesday", days=1):
    return Reminder.objects.create(
        case=world.case,
        author=world.user(persona),
        due_on=timezone.localdate() + timedelta(days=days),
        note=note,
    )


def test_a_worker_adds_a_reminder_and_only_they_see_it_on_the_case(world, client_for):
    worker = client_for("allocated_worker")
    response = _add(worker, world, note="  CANARY ring   school  ")
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[world.case.pk])
    reminder = Reminder.objects.get()
    assert (
        reminder.author == world.user("allocated_worker") and reminder.note == "CANARY ring school"
    )
    assert reminder.history.first().history_user == world.user("allocated_worker")
    case_url = reverse("casework:case", args=[world.case.pk])
    assert "CANARY ring school" in worker.get(case_url).content.decode()
    manager_page = client_for("hub_manager").get(case_url).content.decode()
    assert "CANARY" not in manager_page and "Your reminders" in manager_page


def test_a_manager_keeps_their_own_reminders_too(world, client_for):
    assert _add(client_for("hub_manager"), world, note="Check the plan").status_code == 302
    assert Reminder.objects.get().author == world.user("hub_manager")
    worker_page = client_for("allocated_worker").get(reverse("casework:case", args=[world.case.pk]))
    assert "Check the plan" not in worker_page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_on": "", "note": ""}, "Enter the date of the reminder."),
        ({"due_on": "", "note": ""}, "Enter what you want to be reminded of."),
        ({"note": "   "}, "Enter what you want to be reminded of."),
        (
            {"note": "x" * 10_001},
            "What to remember must be 200 characters or fewer; this has 10,001.",
        ),
        ({"due_on": _day(-1)}, "The date of the reminder cannot be in the past."),
        ({"due_on": "2009-05-01"}, "The date of the reminder cannot be in the past."),
        ({"due_on": _day(400)}, "The date of the reminder must be within a year."),
        ({"due_on": "9999-12-31"}, "The date of the reminder must be within a year."),
        ({"due_on": "31/02/2026"}, "Enter a valid date."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(world, client_for, data, message):
    response = _add(client_for("allocated_worker"), world, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reminder.objects.exists()


def test_sent_twice_it_is_saved_once(world, client_for):
    client = client_for("allocated_worker")
    token = token_on_page(client.get(_new_url(world)))
    data = {"due_on": _day(2), "note": "Ring school", FIELD: token}
    assert client.post(_new_url(world), data).status_code == 302
    again = client.post(_new_url(world), data)
    assert again.status_code == 200 and "Already saved" in again.content.decode()
    assert Reminder.objects.count() == 1


def test_two_tabs_changing_one_reminder_the_older_is_refused(world, client_for):
    reminder = _mine(world)
    url = reverse("casework:reminder_edit", args=[world.case.pk, reminder.pk])
    client = client_for("allocated_worker")
    first = client.post(url, {"due_on": _day(3), "note": "Ring school at 9", "version": "1"})
    assert first.status_code == 302
    stale = client.post(url, {"due_on": _day(1), "note": "Email school", "version": "1"})
    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.content.decode()
    reminder.refresh_from_db()
    assert reminder.note == "Ring school at 9" and reminder.version == 2


def test_changing_keeps_a_day_that_has_passed_but_refuses_moving_it_into_the_past(
    world, client_for
):
    reminder = _mine(world)
    Reminder.objects.filter(pk=reminder.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    url = reverse("casework:reminder_edit", args=[world.case.pk, reminder.pk])
    client = client_for("allocated_worker")
    kept = client.post(url, {"due_on": _day(-3), "note": "Ring school, again", "version": "1"})
    assert kept.status_code == 302
    moved = client.post(url, {"due_on": _day(-2), "note": "Ring school", "version": "2"})
    assert moved.status_code == 400
    assert "cannot be in the past" in moved.content.decode()


def test_done_and_undo_and_done_twice_changes_nothing_more(world, client_for):
    reminder = _mine(world)
    client = client_for("allocated_worker")
    done = reverse("casework:reminder_done", args=[world.case.pk, reminder.pk, "done"])
    first = client.post(done, {"next": "tasks"})
    assert first.status_code == 302 and first["Location"] == reverse("alexi:tasks")
    reminder.refresh_from_db()
    when = reminder.done_at
    assert when is not None and reminder.version == 2
    again = client.post(done, follow=True)
    assert "That reminder was done." in again.content.decode()
    reminder.refresh_from_db()
    assert reminder.done_at == when and reminder.version == 2
    client.post(reverse("casework:reminder_done", args=[world.case.pk, reminder.pk, "undo"]))
    reminder.refresh_from_db()
    assert reminder.done_at is None and reminder.history.count() == 3


def test_delete_asks_first_then_deletes_keeping_history(world, client_for):
    reminder = _mine(world)
    url = reverse("casework:reminder_delete", args=[world.case.pk, reminder.pk])
    client = client_for("allocated_worker")
    page = client.get(url)
    assert page.status_code == 200 and "Delete this reminder?" in page.content.decode()
    assert Reminder.objects.filter(pk=reminder.pk).exists()
    assert client.post(url).status_code == 302
    assert not Reminder.objects.filter(pk=reminder.pk).exists()
    assert Reminder.history.filter(id=reminder.pk, history_type="-").exists()
    assert client.post(url).status_code == 404  # Back and again: gone, nothing else changes


@pytest.mark.parametrize(
    "persona", ["hub_manager", "same_spoke_worker", "other_hub_worker", "other_hub_manager"]
)
def test_nobody_else_can_read_change_complete_or_delete_a_reminder(world, client_for, persona):
    reminder = _mine(world)
    client = client_for(persona)
    base = [world.case.pk, reminder.pk]
    assert client.get(reverse("casework:reminder_edit", args=base)).status_code == 404
    changed = client.post(
        reverse("casework:reminder_edit", args=base),
        {"due_on": _day(2), "note": "Hijacked", "version": "1"},
    )
    assert changed.status_code == 404
    done = client.post(reverse("casework:reminder_done", args=[*base, "done"]))
    assert done.status_code == 404
    assert client.post(reverse("casework:reminder_delete", args=base)).status_code == 404
    reminder.refresh_from_db()
    assert reminder.note == "Ring school about Tuesday" and reminder.done_at is None


@pytest.mark.parametrize("persona", ["same_spoke_worker", "other_hub_worker", "other_hub_manager"])
def test_outsiders_cannot_add_a_reminder_to_a_case_they_cannot_open(world, client_for, persona):
    assert _add(client_for(persona), world).status_code == 404
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("persona", ["funder", "programme_admin"])
def test_funders_and_administrators_have_no_reminders(world, client_for, persona):
    assert _add(client_for(persona), world).status_code == 403
    assert not Reminder.objects.exists()


def test_a_reminder_id_given_with_another_case_is_not_found(world, client_for):
    reminder = _mine(world)
    url = reverse("casework:reminder_edit", args=[world.other_case.pk, reminder.pk])
    assert client_for("allocated_worker").get(url).status_code == 404


def test_no_reminder_can_be_added_to_a_closed_case(world, client_for):
    from casework.models import Case

    Case.objects.filter(pk=world.case.pk).update(
        status=CaseStatus.CLOSED, closed_on=timezone.localdate()
    )
    response = _add(client_for("allocated_worker"), world)
    assert response.status_code == 400
    assert "This case is closed, so a reminder cannot be added to it." in response.content.decode()
    assert not Reminder.objects.exists()


def test_from_the_work_list_it_goes_back_to_the_work_list(world, client_for):
    client = client_for("allocated_worker")
    page = client.get(_new_url(world) + "?next=tasks").content.decode()
    assert 'name="next" value="tasks"' in page
    response = _add(client, world, next="tasks")
    assert response["Location"] == reverse("alexi:tasks")
    response = _add(client, world, next="https://evil.example/")
    assert response["Location"] == reverse("casework:case", args=[world.case.pk])
