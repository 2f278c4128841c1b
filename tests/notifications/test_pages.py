"""The notifications page, opening one, marking all read, and the header's bell."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alexi.notifications.models import Notification, NotificationKind, TargetType
from alexi.notifications.selectors import count_key, unread_count
from alexi.notifications.services import notify
from casework import services

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def many(world, persona: str, count: int) -> None:
    for n in range(count):
        notify(
            world.user(persona),
            NotificationKind.CASE_SHARED,
            actor=None,
            target_type=TargetType.CASE,
            target_id=world.case.pk,
            event=f"test:{n}",
        )


def test_the_worker_sees_the_case_named_and_can_open_it(world, client_for):
    client = client_for("allocated_worker")
    response = client.get(LIST)
    assert response.status_code == 200
    page = text_of(response)
    assert f"Case {world.case.reference} was allocated to you." in page
    assert "1 unread notification." in page
    # Never a name, date of birth or note, even for the person who may open the case.
    assert "Jade" not in page and "Testperson" not in page and "2010" not in page
    note = Notification.objects.get(recipient=world.user("allocated_worker"))
    opened = client.post(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("casework:case", args=[world.case.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    assert "You have no unread notifications." in text_of(client.get(LIST))


def test_once_the_case_is_moved_away_it_is_no_longer_named_or_linked(world, client_for):
    services.case_reallocate(
        actor=world.user("hub_manager"), case=world.case, worker=world.user("same_spoke_worker")
    )
    client = client_for("allocated_worker")
    page = text_of(client.get(LIST))
    assert "A case was allocated to you." in page
    assert world.case.reference not in page
    assert "You can no longer open this." in page
    note = Notification.objects.get(recipient=world.user("allocated_worker"))
    opened = client.post(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302 and opened["Location"] == LIST
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_sees_or_opens_anothers_notifications(world, client_for):
    note = Notification.objects.get(recipient=world.user("allocated_worker"))
    for persona in ["same_spoke_worker", "hub_manager", "other_hub_worker", "programme_admin"]:
        client = client_for(persona)
        page = text_of(client.get(LIST))
        assert world.case.reference not in page, persona
        if persona != "other_hub_worker":  # who has their own case's
            assert "was allocated to you" not in page, persona
        assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_opening_is_a_post_only(world, client_for):
    note = Notification.objects.get(recipient=world.user("allocated_worker"))
    response = client_for("allocated_worker").get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_marks_only_mine_and_twice_is_harmless(world, client_for):
    many(world, "allocated_worker", 3)
    client = client_for("allocated_worker")
    for _ in range(2):
        response = client.post(reverse("notifications:read_all"))
        assert response.status_code == 302
    assert unread_count(world.user("allocated_worker")) == 0
    assert unread_count(world.user("other_hub_worker")) == 1


def test_newest_first_paged_and_query_count(world, client_for, django_assert_max_num_queries):
    many(world, "allocated_worker", 45)
    client = client_for("allocated_worker")
    client.get(LIST)  # session and caches settled
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    items = re.findall(r'<li class="alexi-notification', response.content.decode())
    assert len(items) == 20
    assert "Page 1 of 3" in text_of(response)
    last = client.get(LIST + "?page=3")
    assert "allocated to you" in text_of(last)  # the oldest, the world's allocation, is last
    assert client.get(LIST + "?page=99").status_code == 200
    assert client.get(LIST + "?page=not-a-number").status_code == 200


def test_the_unread_count_is_one_query(world, django_assert_num_queries):
    many(world, "allocated_worker", 150)
    with django_assert_num_queries(1) as captured:
        assert unread_count(world.user("allocated_worker")) == 100  # 99+ shown
    # Answered by the partial index of unread ones: an ORDER BY would walk every notification.
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]


def test_the_bell_shows_the_count_with_words_for_screen_readers(world, client_for):
    many(world, "allocated_worker", 2)
    client = client_for("allocated_worker")
    bell = text_of(client.get(reverse("notifications:bell")))
    assert "Notifications 3 unread" in bell
    home = client.get("/").content.decode()  # the bell just counted: in the cache
    assert 'id="alexi-bell"' in home and 'hx-trigger="every 60s"' in home
    assert "Notifications 3 unread" in text_of(client.get("/"))
    many(world, "allocated_worker", 120)
    assert "Notifications 99+ unread" in text_of(client.get(reverse("notifications:bell")))
    client.post(reverse("notifications:read_all"))
    bell = text_of(client.get(reverse("notifications:bell")))
    assert "unread" not in bell and "Notifications" in bell


def test_asking_for_the_bell_does_not_keep_the_session_alive(world, client_for):
    client = client_for("allocated_worker")
    client.get("/")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=Session.objects.get(session_key=key).expire_date.replace(microsecond=0)
    )
    before = Session.objects.get(session_key=key).expire_date
    assert client.get(reverse("notifications:bell")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == before
    client.get(LIST)  # an ordinary page does renew it
    assert Session.objects.get(session_key=key).expire_date > before


def test_the_bell_tells_a_signed_out_page_to_stop_asking(world, client):
    response = client.get(reverse("notifications:bell"))
    assert response.status_code == 286
    assert response.content == b""


def test_no_page_counts_notifications(world, client_for, django_assert_max_num_queries):
    """A page shows the cached count (no query) or, with none cached, has the bell ask for it
    once loaded; only the bell's own answer counts, and keeps it."""
    client = client_for("allocated_worker")
    user = world.user("allocated_worker")
    client.get("/account/")
    cache.delete(count_key(user.pk))
    with CaptureQueriesContext(connection) as account_queries:
        page = client.get("/account/").content.decode()
    assert 'hx-trigger="load, every 60s"' in page
    assert not any('"notifications_notification"' in q["sql"] for q in account_queries)
    with django_assert_max_num_queries(5):  # session, person, device, the count, (save)
        bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'hx-trigger="every 60s"' in bell and "Notifications 1 unread" in text_of_html(bell)
    assert cache.get(count_key(user.pk)) == 1
    with CaptureQueriesContext(connection) as cached_queries:
        page = client.get("/account/").content.decode()
    assert not any('"notifications_notification"' in q["sql"] for q in cached_queries)
    assert "Notifications 1 unread" in text_of_html(page)


def test_a_new_or_read_notification_drops_the_cached_count(world, client_for):
    client = client_for("allocated_worker")
    user = world.user("allocated_worker")
    client.get(reverse("notifications:bell"))
    assert cache.get(count_key(user.pk)) == 1
    many(world, "allocated_worker", 1)
    assert cache.get(count_key(user.pk)) is None
    assert "Notifications 2 unread" in text_of(client.get(reverse("notifications:bell")))
    note = Notification.objects.filter(recipient=user).first()
    client.post(reverse("notifications:open", args=[note.pk]))
    assert cache.get(count_key(user.pk)) is None
    assert "Notifications 1 unread" in text_of(client.get(reverse("notifications:bell")))
    client.post(reverse("notifications:read_all"))
    assert cache.get(count_key(user.pk)) is None


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
