"""The work list (issue 13 item 2): each kind of item appears from the records and is gone
once done; another hub's or worker's items never appear; the pages stay within their query
budget; the header count."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alexi.models import AccessGrant, GrantKind, User
from alexi.worklist import tasks_for
from casework import services
from casework.models import CaseSession, CaseShare, CaseStatus, Reminder, TransferStatus
from referrals.models import Decision
from tests.factories import HubFactory, SpokeFactory, make_admin, make_worker


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def today():
    return timezone.localdate()


def verified(user):
    """A fresh copy of the user, as a request signed in with a second factor has it."""
    user = User.objects.get(pk=user.pk)
    user.is_verified = lambda: True
    return user


def work_of(user):
    """The person's work list as a request of theirs, signed in with a second factor, sees it
    (a fresh copy of the user: nothing cached from an earlier request)."""
    return tasks_for(verified(user))


def kinds(user):
    work = work_of(user)
    return {(t.kind, t.key) for group in (work.overdue, work.due_soon, work.waiting) for t in group}


def keys(user):
    return {key for _, key in kinds(user)}


def header_count(page: str) -> int | None:
    """The count the header's Tasks link shows (0 when it shows none; None: no link)."""
    link = 'class="alexi-header__tool alexi-header__tool--tasks"'
    if link not in page:
        return None
    tail = page.split(link, 1)[1].split("</a>", 1)[0]
    marker = '<span class="govuk-visually-hidden">, </span>'
    if marker not in tail:
        return 0
    return int(tail.split(marker, 1)[1].split("<", 1)[0])


def _everything_text(user) -> str:
    work = work_of(user)
    return " ".join(
        f"{t.title} {t.subject} {t.note} {t.url}"
        for group in (work.overdue, work.due_soon, work.waiting)
        for t in group
    )


# --- Worker's items -----------------------------------------------------------------------


def test_an_overdue_review_shows_and_goes_when_the_review_is_recorded(world):
    worker = world.user("allocated_worker")
    world.case.refresh_from_db()
    assert world.case.next_review_due < today()
    assert f"review-{world.case.pk}" in keys(worker)
    work = work_of(worker)
    review = next(t for t in work.overdue if t.kind == "review")
    assert review.url == reverse("casework:assessment_new", args=[world.case.pk])
    assert review.subject == f"{world.case.reference} · Jay"
    services.assessment_record(
        actor=worker,
        case=world.case,
        data={
            "kind": "review",
            "assessed_on": today(),
            "indicators": ["out_late"],
            "next_review_due": today() + timedelta(days=30),
            "rationale": "Less worried.",
        },
    )
    assert f"review-{world.case.pk}" not in keys(worker)


def test_a_review_due_within_the_window_is_due_soon_and_later_ones_wait(world, settings):
    from casework.models import Case

    worker = world.user("allocated_worker")
    Case.objects.filter(pk=world.case.pk).update(next_review_due=today() + timedelta(days=7))
    soon = work_of(worker).due_soon
    assert any(t.key == f"review-{world.case.pk}" for t in soon)
    Case.objects.filter(pk=world.case.pk).update(next_review_due=today() + timedelta(days=8))
    assert f"review-{world.case.pk}" not in keys(worker)
    settings.WORKLIST_SOON_DAYS = 10
    assert f"review-{world.case.pk}" in keys(worker)


def _new_case(world, opened_days_ago: int, **person):
    return services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=today() - timedelta(days=opened_days_ago),
        person_data={"first_name": "Robin", **person},
    )


def test_initial_assessment_not_done_after_ten_days_shows_and_goes_when_done(world, settings):
    worker = world.user("allocated_worker")
    fresh = _new_case(world, 10)
    assert f"initial-{fresh.pk}" not in keys(worker)
    late = _new_case(world, 11, last_name="Late")
    assert ("initial_assessment", f"initial-{late.pk}") in kinds(worker)
    services.assessment_record(
        actor=worker,
        case=late,
        data={"kind": "initial", "assessed_on": today(), "indicators": ["out_late"]},
    )
    assert f"initial-{late.pk}" not in keys(worker)
    settings.WORKLIST_INITIAL_ASSESSMENT_DAYS = 5
    assert f"initial-{fresh.pk}" in keys(worker)


def test_no_contact_for_28_days_shows_and_goes_when_a_session_is_logged(world):
    worker = world.user("allocated_worker")
    assert ("no_contact", f"contact-{world.case.pk}") in kinds(worker)
    services.session_log(
        actor=worker,
        case=world.case,
        data={"date": today(), "contact_method": "phone", "attendance": "attended"},
    )
    assert f"contact-{world.case.pk}" not in keys(worker)


def test_a_paused_case_asks_for_no_contact(world):
    services.case_set_paused(actor=world.user("hub_manager"), case=world.case, paused=True)
    assert f"contact-{world.case.pk}" not in keys(world.user("allocated_worker"))


def test_closures_waiting_and_returned(world):
    from casework.models import Case

    worker, manager = world.user("allocated_worker"), world.user("hub_manager")
    Case.objects.filter(pk=world.case.pk).update(closure_requested_on=today())
    assert ("closure_to_approve", f"closure-{world.case.pk}") in kinds(manager)
    assert f"closure-{world.case.pk}" not in keys(world.user("other_hub_manager"))
    world.case.refresh_from_db()
    services.closure_return(actor=manager, case=world.case, note="One more session, please.")
    assert f"closure-{world.case.pk}" not in keys(manager)
    assert ("closure_returned", f"returned-{world.case.pk}") in kinds(worker)
    assert "One more session" not in _everything_text(worker)  # the note stays on the case
    # Asked again (as casework.services.closure_request leaves it): gone.
    Case.objects.filter(pk=world.case.pk).update(
        closure_requested_on=today(), closure_returned_note=""
    )
    assert f"returned-{world.case.pk}" not in keys(worker)


def test_a_transfer_waits_for_the_receiving_hub_only_until_decided(world):
    receiving, sending = world.user("other_hub_manager"), world.user("hub_manager")
    key = f"transfer-{world.transfer.pk}"
    assert ("transfer_to_decide", key) in kinds(receiving)
    assert key not in keys(sending)
    task = next(t for t in work_of(receiving).waiting if t.key == key)
    assert task.url == reverse("casework:transfer_decide", args=[world.transfer.pk])
    assert "Jay" not in task.subject and "Jade" not in task.subject  # the summary only
    services.transfer_decide(actor=receiving, transfer=world.transfer, accept=False)
    assert CaseShare.objects.get(pk=world.transfer.pk).transfer_status == TransferStatus.DECLINED
    assert key not in keys(receiving)


def test_a_referral_waiting_more_than_five_working_days(world, settings):
    from referrals.services import referral_decide

    manager = world.user("hub_manager")
    key = f"referral-{world.referral.pk}"
    assert ("referral_to_decide", key) in kinds(manager)
    assert key not in keys(world.user("other_hub_manager"))
    assert key not in keys(world.user("allocated_worker"))
    referral_decide(actor=manager, referral=world.referral, decision=Decision.WAITING)
    assert key not in keys(manager)


def test_a_referral_of_exactly_five_working_days_is_not_yet_late(world):
    from alexi.workdays import add_working_days
    from referrals.models import Referral

    manager = world.user("hub_manager")
    Referral.objects.filter(pk=world.referral.pk).update(received_on=add_working_days(today(), -5))
    assert f"referral-{world.referral.pk}" not in keys(manager)
    Referral.objects.filter(pk=world.referral.pk).update(received_on=add_working_days(today(), -6))
    assert f"referral-{world.referral.pk}" in keys(manager)


def test_shares_ending_for_the_person_shared_with_and_the_one_who_shared(world):
    manager, colleague = world.user("hub_manager"), world.user("same_spoke_worker")
    share = services.case_share(
        actor=verified(manager),
        case=world.case,
        worker=colleague,
        reason="Cover while Alex is away",
        expires_on=today() + timedelta(days=3),
    )
    assert ("share_with_you_ending", f"shared-{share.pk}") in kinds(colleague)
    assert ("your_share_ending", f"sharing-{share.pk}") in kinds(manager)
    services.share_revoke(actor=verified(manager), share=share, reason="Back now")
    assert f"shared-{share.pk}" not in keys(colleague)
    assert f"sharing-{share.pk}" not in keys(manager)


def test_a_long_share_is_not_yet_ending(world):
    share = services.case_share(
        actor=verified(world.user("hub_manager")),
        case=world.case,
        worker=world.user("same_spoke_worker"),
        reason="Cover",
        expires_on=today() + timedelta(days=30),
    )
    assert f"shared-{share.pk}" not in keys(world.user("same_spoke_worker"))


def test_open_cases_of_a_worker_who_has_left_or_is_leaving(world):
    manager, worker = world.user("hub_manager"), world.user("allocated_worker")
    key = f"worker-{worker.pk}"
    assert key not in keys(manager)
    User.objects.filter(pk=worker.pk).update(is_active=False)
    task = next(t for t in work_of(manager).waiting if t.key == key)
    assert task.title == "1 open case to reallocate: worker has left"
    assert task.url == reverse("casework:hub_cases") + f"?worker={worker.pk}"
    assert key not in keys(world.user("other_hub_manager"))
    User.objects.filter(pk=worker.pk).update(is_active=True)
    assert key not in keys(manager)
    other_spoke = SpokeFactory(hub=world.hub)
    AccessGrant.objects.create(
        user=worker, kind=GrantKind.SPOKE_WORKER, hub=world.hub, spoke=other_spoke
    )
    task = next(t for t in work_of(manager).waiting if t.key == key)
    assert task.title == "1 open case to reallocate: worker has asked to move"
    services.case_reallocate(
        actor=verified(manager), case=world.case, worker=world.user("same_spoke_worker")
    )
    assert key not in keys(manager)


# --- Next meeting -------------------------------------------------------------------------


def _log_with_meeting(world, on, day=None):
    return services.session_log(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={
            "date": day or today(),
            "contact_method": "face_to_face",
            "attendance": "attended",
            "next_meeting_on": on,
            "next_meeting_time": "16:00",
            "next_meeting_place": "Library",
        },
    )


def test_a_planned_meeting_shows_then_asks_for_its_session(world):
    worker = world.user("allocated_worker")
    session = _log_with_meeting(world, today() + timedelta(days=2))
    task = next(t for t in work_of(worker).due_soon if t.key == f"meeting-{world.case.pk}")
    assert task.title == "Next meeting, 16:00" and "Library" not in task.subject
    CaseSession.objects.filter(pk=session.pk).update(
        date=today() - timedelta(days=5), next_meeting_on=today() - timedelta(days=1)
    )
    task = next(t for t in work_of(worker).overdue if t.key == f"meeting-{world.case.pk}")
    assert task.kind == "meeting_to_log"
    assert task.url == reverse("casework:session_new", args=[world.case.pk])
    services.session_log(
        actor=worker,
        case=world.case,
        data={"date": today(), "contact_method": "face_to_face", "attendance": "attended"},
    )
    assert f"meeting-{world.case.pk}" not in keys(worker)


def test_a_meeting_further_ahead_is_not_yet_in_the_list(world):
    _log_with_meeting(world, today() + timedelta(days=20))
    assert f"meeting-{world.case.pk}" not in keys(world.user("allocated_worker"))


# --- Reminders in the work list -----------------------------------------------------------


def _remind(world, persona="allocated_worker", days=1, note="Ring school about Tuesday"):
    from casework.services.reminders import reminder_add

    return reminder_add(
        actor=world.user(persona),
        case=world.case,
        data={"due_on": today() + timedelta(days=days), "note": note},
    )


def test_a_reminder_shows_for_its_author_only_and_goes_when_done(world):
    from casework.services.reminders import reminder_set_done

    reminder = _remind(world, note="CANARY-REMINDER ring school")
    worker = world.user("allocated_worker")
    task = next(t for t in work_of(worker).due_soon if t.key == f"reminder-{reminder.pk}")
    assert task.note == "CANARY-REMINDER ring school"
    assert task.done_url == reverse(
        "casework:reminder_done", args=[world.case.pk, reminder.pk, "done"]
    )
    for persona in ("hub_manager", "same_spoke_worker", "other_hub_manager", "other_hub_worker"):
        assert "CANARY-REMINDER" not in _everything_text(world.user(persona))
    reminder_set_done(actor=worker, reminder=reminder, done=True)
    assert f"reminder-{reminder.pk}" not in keys(worker)


def test_a_reminder_further_ahead_waits_and_one_past_is_overdue(world):
    worker = world.user("allocated_worker")
    later = _remind(world, days=30)
    assert f"reminder-{later.pk}" not in keys(worker)
    Reminder.objects.filter(pk=later.pk).update(due_on=today() - timedelta(days=2))
    assert any(t.key == f"reminder-{later.pk}" for t in work_of(worker).overdue)


def test_a_reminder_on_a_case_the_author_can_no_longer_open_is_not_shown(world):
    colleague = world.user("same_spoke_worker")
    share = services.case_share(
        actor=verified(world.user("hub_manager")),
        case=world.case,
        worker=colleague,
        reason="Cover",
        expires_on=today() + timedelta(days=30),
    )
    reminder = _remind(world, persona="same_spoke_worker")
    assert f"reminder-{reminder.pk}" in keys(colleague)
    services.share_revoke(actor=verified(world.user("hub_manager")), share=share, reason="Back")
    colleague = User.objects.get(pk=colleague.pk)  # a new request: no cached shares
    assert f"reminder-{reminder.pk}" not in keys(colleague)


# --- Canaries: another hub's or another worker's items never appear -----------------------


def test_other_hubs_and_workers_see_none_of_these_items(world):
    from casework.models import Case

    Case.objects.filter(pk=world.case.pk).update(closure_requested_on=today())
    _remind(world, note="CANARY-NOTE")
    _log_with_meeting(world, today() + timedelta(days=1))
    canaries = ("Jay", "Jade", "Testperson", world.case.reference, "CANARY-NOTE")
    for persona in ("same_spoke_worker", "other_hub_worker", "other_hub_manager"):
        text = _everything_text(world.user(persona))
        for canary in canaries:
            if persona == "other_hub_manager" and canary == world.case.reference:
                continue  # the transfer offered to their hub names the case by reference
            assert canary not in text, (persona, canary)
    other_worker = world.user("other_hub_worker")
    assert f"contact-{world.other_case.pk}" in keys(other_worker)
    assert f"contact-{world.other_case.pk}" not in keys(world.user("allocated_worker"))


def test_a_worker_detached_from_their_spoke_gets_no_items_of_old_cases(world):
    from alexi.models import WorkerProfile

    worker = world.user("allocated_worker")
    WorkerProfile.objects.filter(user=worker).delete()
    assert not any(k.endswith(f"-{world.case.pk}") for k in keys(User.objects.get(pk=worker.pk)))


def test_funders_have_no_work_list(world, client_for):
    assert work_of(world.user("funder")).count == 0
    page = client_for("funder").get(reverse("alexi:home")).content.decode()
    assert header_count(page) is None and "My tasks" not in page


def test_an_administrator_sees_access_requests_to_decide(world):
    from alexi.grants import grant_request

    admin = world.user("programme_admin")
    hubless = HubFactory(name="Hub Without Managers")
    spoke = SpokeFactory(hub=hubless)
    newcomer = make_worker(SpokeFactory(hub=hubless), full_name="Nia Newcomer")
    other_admin = make_admin(full_name="Second Admin")
    grant = grant_request(
        actor=other_admin, user=newcomer, kind=GrantKind.SPOKE_WORKER, hub=hubless, spoke=spoke
    )
    task = next(t for t in work_of(admin).waiting if t.kind == "access_request")
    assert task.key == f"grant-{grant.pk}"
    assert task.url == reverse("alexi:access_requests")


# --- Pages, query budget and the header count ---------------------------------------------


def test_the_tasks_page_groups_items_and_links_to_where_they_are_done(world, client_for):
    _remind(world, days=0, note="Ring school")
    response = client_for("allocated_worker").get(reverse("alexi:tasks"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2 class="govuk-heading-m" id="tasks-overdue">Overdue' in page
    assert '<h2 class="govuk-heading-m" id="tasks-soon">Due soon' in page
    assert reverse("casework:assessment_new", args=[world.case.pk]) in page
    assert "Ring school" in page and "Due today" in page


@pytest.mark.parametrize("persona", ["allocated_worker", "hub_manager", "programme_admin"])
def test_the_tasks_page_and_home_page_query_budget(
    world, client_for, persona, django_assert_max_num_queries
):
    _remind(world)
    _log_with_meeting(world, today() + timedelta(days=1))
    user = verified(world.user(persona))
    with django_assert_max_num_queries(10):
        tasks_for(user)
    client = client_for(persona)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("alexi:tasks")).status_code == 200


@pytest.mark.parametrize("persona", ["allocated_worker", "hub_manager", "programme_admin"])
def test_home_pages_ask_for_my_tasks_after_loading_and_the_panel_keeps_its_budget(
    world, client_for, persona, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _remind(world, note="Ring school")
    client = client_for(persona)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("alexi:home")).content.decode()
    assert 'id="my-tasks-title">My tasks</h2>' in page
    assert f'hx-get="{reverse("alexi:tasks_panel")}"' in page
    assert not any("casework_reminder" in q["sql"] for q in queries.captured_queries)
    with django_assert_max_num_queries(17):  # the 7 of any signed-in page, and the list's
        panel = client.get(reverse("alexi:tasks_panel")).content.decode()
    assert 'id="my-tasks-title">My tasks</h2>' in panel and "hx-get" not in panel
    assert ("Ring school" in panel) == (persona == "allocated_worker")


def test_a_funder_has_no_my_tasks(world, client_for):
    page = client_for("funder").get(reverse("alexi:home")).content.decode()
    assert "my-tasks" not in page
    assert client_for("funder").get(reverse("alexi:tasks_panel")).status_code == 403


def test_the_header_count_is_cached_asked_for_after_the_page_and_dropped_after_a_change(
    world, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("allocated_worker")
    worker = world.user("allocated_worker")
    # Not in the cache: the page does not count (no work list query); its link asks for it.
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("alexi:account")).content.decode()
    assert not any("casework_" in q["sql"] for q in queries.captured_queries)
    assert f'hx-get="{reverse("alexi:tasks_count")}"' in page and header_count(page) == 0
    n = work_of(worker).count
    cache.clear()
    counted = client.get(reverse("alexi:tasks_count")).content.decode()
    asks = f'hx-get="{reverse("alexi:tasks_count")}"'
    assert header_count(counted) == n > 0 and asks not in counted
    page = client.get(reverse("alexi:account")).content.decode()
    assert header_count(page) == n and asks not in page  # now from the cache
    cache.set(f"alexi:worklist:count:{worker.pk}:{today().isoformat()}", 99, 60)
    assert header_count(client.get(reverse("alexi:account")).content.decode()) == 99
    response = client.post(
        reverse("casework:reminder_new", args=[world.case.pk]),
        {"due_on": today().isoformat(), "note": "Ring school"},
    )
    assert response.status_code == 302
    assert asks in client.get(reverse("alexi:account")).content.decode()  # dropped
    counted = client.get(reverse("alexi:tasks_count")).content.decode()
    assert header_count(counted) == n + 1


def test_the_tasks_page_shows_the_count_at_once(world, client_for):
    page = client_for("allocated_worker").get(reverse("alexi:tasks")).content.decode()
    assert header_count(page) == work_of(world.user("allocated_worker")).count
    assert f'hx-get="{reverse("alexi:tasks_count")}"' not in page


def test_the_header_count_is_per_person(world, client_for):
    _remind(world)
    url = reverse("alexi:tasks_count")
    worker_link = client_for("allocated_worker").get(url).content.decode()
    colleague_link = client_for("same_spoke_worker").get(url).content.decode()
    assert header_count(colleague_link) == 0
    assert header_count(worker_link) == work_of(world.user("allocated_worker")).count > 0


@pytest.mark.parametrize("persona", ["funder", "anonymous"])
def test_no_count_for_a_funder_or_someone_signed_out(world, client_for, persona):
    response = client_for(persona).get(reverse("alexi:tasks_count"))
    assert response.status_code == (403 if persona == "funder" else 302)


def test_a_closed_case_gives_no_items(world):
    from casework.models import Case

    Case.objects.filter(pk=world.case.pk).update(
        status=CaseStatus.CLOSED, closed_on=date(2026, 3, 1)
    )
    assert not any(k.endswith(f"-{world.case.pk}") for k in keys(world.user("allocated_worker")))
