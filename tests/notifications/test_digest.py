"""The email summary: chosen on the account page (off unless asked), sent by the hourly beat
task at most once a period, and saying only numbers and links."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from alexi.notifications.digest import SUBJECT, send_digests
from alexi.notifications.models import DigestFrequency, NotificationPreference
from alexi.notifications.services import mark_all_read
from alexi.notifications.tasks import notification_digests

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=LONDON)
DIGEST = "/account/email-summary/"


def choose(world, persona: str, frequency: str) -> None:
    NotificationPreference.objects.update_or_create(
        user=world.user(persona), defaults={"digest": frequency}
    )


def digests_sent(django_capture_on_commit_callbacks, now: datetime) -> list:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now)
    return list(mail.outbox)


def test_off_by_default_and_nobody_is_emailed(world, django_capture_on_commit_callbacks):
    assert digests_sent(django_capture_on_commit_callbacks, MONDAY_8) == []
    assert not NotificationPreference.objects.exists()


def test_a_daily_digest_once_a_day_however_often_beat_fires(
    world, django_capture_on_commit_callbacks
):
    choose(world, "allocated_worker", DigestFrequency.DAILY)
    sent = digests_sent(django_capture_on_commit_callbacks, MONDAY_8)
    assert [m.to for m in sent] == [[world.user("allocated_worker").email]]
    message = sent[0]
    assert message.subject == SUBJECT
    assert "You have 1 unread notification in Alexi." in message.body
    assert "http://127.0.0.1:8000/notifications/" in message.body
    for later in (MONDAY_8, MONDAY_8 + timedelta(hours=1), MONDAY_8 + timedelta(hours=15)):
        assert digests_sent(django_capture_on_commit_callbacks, later) == []
    assert len(digests_sent(django_capture_on_commit_callbacks, MONDAY_8 + timedelta(days=1))) == 1


def test_a_weekly_digest_once_a_week(world, django_capture_on_commit_callbacks):
    choose(world, "allocated_worker", DigestFrequency.WEEKLY)
    assert len(digests_sent(django_capture_on_commit_callbacks, MONDAY_8)) == 1
    for day in range(1, 7):
        later = MONDAY_8 + timedelta(days=day)
        assert digests_sent(django_capture_on_commit_callbacks, later) == []
    assert len(digests_sent(django_capture_on_commit_callbacks, MONDAY_8 + timedelta(days=7))) == 1


def test_not_before_the_digest_hour(world, settings, django_capture_on_commit_callbacks):
    settings.DIGEST_HOUR = 7
    choose(world, "allocated_worker", DigestFrequency.DAILY)
    early = MONDAY_8.replace(hour=6, minute=59)
    assert digests_sent(django_capture_on_commit_callbacks, early) == []
    assert len(digests_sent(django_capture_on_commit_callbacks, MONDAY_8)) == 1


def test_nothing_unread_no_email_and_deactivated_none(world, django_capture_on_commit_callbacks):
    choose(world, "allocated_worker", DigestFrequency.DAILY)
    choose(world, "other_hub_worker", DigestFrequency.DAILY)
    mark_all_read(user=world.user("allocated_worker"))
    gone = world.user("other_hub_worker")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert digests_sent(django_capture_on_commit_callbacks, MONDAY_8) == []


def test_the_beat_task_runs_the_digests(world, django_capture_on_commit_callbacks):
    choose(world, "allocated_worker", DigestFrequency.DAILY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notification_digests.delay()
    # Sent unless the test runs before DIGEST_HOUR local time; either way at most once.
    first = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        notification_digests.delay()
    assert first in (0, 1) and len(mail.outbox) == first


def test_the_words_are_counts_and_links_only(world, django_capture_on_commit_callbacks):
    choose(world, "allocated_worker", DigestFrequency.DAILY)
    [message] = digests_sent(django_capture_on_commit_callbacks, MONDAY_8)
    words = re.sub(r"https?://\S+", "", message.body)
    assert re.findall(r"\d+", words) == ["1"]  # one number, no date, no reference
    for content in ("Jade", "Testperson", "Jay", world.case.reference, "Alex Allocated"):
        assert content not in message.body and content not in message.subject


# --- The choice on the account page -------------------------------------------------------


def test_choosing_on_the_account_page(world, client_for):
    client = client_for("hub_manager")
    page = client.get("/account/").content.decode()
    assert 'name="digest"' in page and 'value="off"' in page
    response = client.post(DIGEST, {"digest": "weekly", "version": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("alexi:account") + "#notifications"
    preference = NotificationPreference.objects.get(user=world.user("hub_manager"))
    assert preference.digest == DigestFrequency.WEEKLY


def test_saving_with_nothing_chosen_or_nonsense_is_refused(world, client_for):
    client = client_for("hub_manager")
    for data in ({}, {"digest": ""}, {"digest": "x" * 10_001}, {"digest": "hourly"}):
        response = client.post(DIGEST, data)
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_sent_twice_is_saved_once(world, client_for):
    client = client_for("hub_manager")
    for _ in range(2):  # Back then Save, or a double click
        assert client.post(DIGEST, {"digest": "daily", "version": ""}).status_code == 302
    preference = NotificationPreference.objects.get(user=world.user("hub_manager"))
    assert preference.digest == DigestFrequency.DAILY and preference.version == 2


def test_a_change_from_an_out_of_date_page_is_refused(world, client_for):
    client = client_for("hub_manager")
    client.post(DIGEST, {"digest": "daily", "version": ""})  # another tab, first
    response = client.post(DIGEST, {"digest": "weekly", "version": "1"})
    assert response.status_code == 409
    assert "it is now “Daily”" in response.content.decode()
    preference = NotificationPreference.objects.get(user=world.user("hub_manager"))
    assert preference.digest == DigestFrequency.DAILY


def test_each_person_sets_only_their_own(world, client_for):
    for persona in ["allocated_worker", "funder", "programme_admin", "other_hub_manager"]:
        assert client_for(persona).post(DIGEST, {"digest": "daily"}).status_code == 302
    assert set(NotificationPreference.objects.values_list("user__full_name", flat=True)) == {
        "Alex Allocated",
        "Fran Funder",
        "Pat Admin",
        "Omar Othermanager",
    }
    assert client_for("anonymous").post(DIGEST, {"digest": "daily"}).status_code == 302
    assert NotificationPreference.objects.count() == 4
