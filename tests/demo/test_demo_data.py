"""The demo `make run` loads: a year of made-up activity that gives every dashboard, chart and
return something to show (issue 13 item 6), consistent with the rules the services keep, and
loaded once however often the command runs. (Its ten-second budget is measured by hand, not
here: a timed test on a shared machine would say more about the machine.)"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alexi.models import Hub, User
from alexi.notifications.models import Notification
from casework import risk
from casework.models import (
    Allocation,
    Case,
    CaseNote,
    CaseSession,
    CaseShare,
    InformationShare,
    MultiAgencyContact,
    Reminder,
    RiskAssessment,
)
from casework.services import initial_and_closing
from casework.worklist import next_meeting
from demo.data import DEMO_DOMAIN, demo_email, load_demo
from referrals.matching import suggest
from referrals.models import Referral
from reporting.models import QuarterlyReturn
from reporting.returns import previous_quarter, programme_today, quarter_label
from reporting.scope import Period
from tests.conftest import sign_in_fully
from training.models import Consultation, Groupwork, TrainingAttendance, TrainingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    return timezone.localdate()


def user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def test_about_sixty_cases_a_third_closed_each_with_both_assessments(demo):
    today = demo
    cases = Case.objects.filter(hub__ref__startswith="DEMO-")
    assert 55 <= cases.count() <= 65
    closed = cases.filter(status="closed")
    assert 0.28 <= closed.count() / cases.count() <= 0.4
    lower = 0
    for case in closed:
        initial, closing = initial_and_closing(case)
        assert initial is not None and closing is not None, case
        assert case.closure_requested_by is not None and case.closure_reason
        assert case.opened_on <= case.closed_on < today
        is_lower = risk.is_lower(closing.final_level, initial.final_level)
        # The closure rule: a reason is given exactly when the risk did not come down.
        assert bool(case.no_reduction_reason) != is_lower, case
        assert not case.sessions.filter(date__gt=case.closed_on).exists()
        lower += is_lower
    assert 0.5 <= lower / closed.count() < 1  # some close lower, some do not
    # The year ends today, and nothing is in the future.
    assert cases.order_by("opened_on").first().opened_on >= today - timedelta(days=366)
    assert not CaseSession.objects.filter(date__gt=today).exists()
    assert not RiskAssessment.objects.filter(assessed_on__gt=today).exists()


def test_the_caseloads_have_work_to_do_and_the_managers_queues_have_items(demo):
    today = demo
    open_ = Case.objects.filter(hub__ref__startswith="DEMO-").exclude(status="closed")
    assert open_.filter(next_review_due__lt=today).count() >= 3  # overdue
    assert open_.filter(next_review_due__range=(today, today + timedelta(days=7))).exists()
    assert open_.filter(last_contact_on__lt=today - timedelta(days=28)).exists()
    assert open_.filter(last_contact_on__gte=today - timedelta(days=7)).count() >= 10
    late = open_.filter(opened_on__lt=today - timedelta(days=10)).exclude(
        assessments__kind="initial"
    )
    assert late.count() == 1  # an initial assessment not done ten days after opening
    assert open_.filter(status="paused").count() == 1
    waiting = open_.filter(closure_requested_on__isnull=False)
    assert {case.hub.ref for case in waiting} == {"DEMO-NORTH", "DEMO-SOUTH"}
    returned = open_.exclude(closure_returned_note="").get()
    assert returned.allocated_worker == user("worker.leeds1")
    assert returned.next_review_due is not None  # back on its review cycle
    for worker in ("worker.leeds1", "worker.leeds2", "worker.bradford", "worker.bristol"):
        assert open_.filter(allocated_worker=user(worker)).count() >= 5, worker
    # The case summaries are those the services keep (one refresh after the bulk writes).
    for case in open_:
        attended = case.sessions.filter(attendance="attended").order_by("-date").first()
        assert case.last_contact_on == (attended.date if attended else None), case
        latest = case.assessments.order_by("-assessed_on", "-id").first()
        if latest is not None:
            assert case.current_level == latest.final_level


def test_sessions_sharing_and_access_beyond_the_structure(demo):
    sessions = CaseSession.objects.filter(case__hub__ref__startswith="DEMO-")
    assert sessions.count() > 500
    assert set(sessions.values_list("attendance", flat=True)) == {
        "attended",
        "did_not_attend",
        "declined",
        "cancelled",
    }
    assert len(set(sessions.values_list("contact_method", flat=True))) == 4
    assert len(set(sessions.values_list("venue_type", flat=True))) >= 6
    assert sessions.filter(young_person_chose=True).exists()
    assert sessions.exclude(young_person_words="").exists()
    assert InformationShare.objects.values("lawful_basis").distinct().count() >= 3
    assert MultiAgencyContact.objects.values("agency").distinct().count() >= 4
    # Reallocated cases: two workers each, and sessions by both.
    twice = Allocation.objects.filter(ended_at__isnull=False).values_list("case", flat=True)
    assert len(twice) == 2
    for case in Case.objects.filter(pk__in=twice):
        assert case.sessions.values("worker").distinct().count() >= 2
    share = CaseShare.objects.live().get(kind="share")
    assert share.granted_by == user("worker.leeds1")
    assert share.shared_with == user("worker.leeds2")
    assert share.shared_with.has_perm("casework.view_case_shared", share.case)
    transfer = CaseShare.objects.get(kind="transfer")
    assert transfer.transfer_status == "pending" and transfer.to_hub.ref == "DEMO-SOUTH"


def test_referrals_in_every_state(demo):
    today = demo
    referrals = Referral.objects.filter(hub__ref__startswith="DEMO-")
    decisions = set(referrals.values_list("decision", flat=True))
    assert decisions == {"pending", "waiting", "accepted", "declined", "signposted"}
    assert not referrals.filter(decision="declined", decline_reason="").exists()
    assert not referrals.filter(decision="signposted", signposted_to="").exists()
    assert referrals.filter(decision="pending", received_on__lt=today - timedelta(days=9))
    # Every case came from a referral received before it opened; one referral joined a case
    # that was already open.
    for case in Case.objects.filter(hub__ref__startswith="DEMO-"):
        first = case.referrals.order_by("received_on").first()
        assert first is not None and first.received_on <= case.opened_on, case
        assert first.decided_on <= case.opened_on
    joined = [r for r in referrals.filter(decision="accepted") if r.received_on > r.case.opened_on]
    assert len(joined) == 1
    # The likely re-referrals find their young person; the other waiting ones find nobody.
    for referral in referrals.filter(decision="pending"):
        manager = user("manager.north" if referral.hub.ref == "DEMO-NORTH" else "manager.south")
        manager.is_verified = lambda: True  # as if signed in with the second factor
        matches = suggest(
            user=manager,
            hub_id=referral.hub_id,
            first_name=referral.first_name,
            last_name=referral.last_name,
            date_of_birth=referral.date_of_birth,
            age=referral.age,
        )
        if referral.first_name == "Demo Amba":
            assert matches[0].person.preferred_name == "Amber"
        elif referral.last_name:
            assert matches[0].person.full_name == referral.person_label
            assert matches[0].person.date_of_birth == referral.date_of_birth
        else:
            assert matches == [], referral.first_name


def test_notes_reminders_next_meetings_and_notifications(demo):
    today = demo
    notes = CaseNote.objects.filter(case__hub__ref__startswith="DEMO-")
    assert notes.count() >= 30 and notes.values("kind").distinct().count() >= 3
    assert not notes.filter(date__gt=today).exists()
    riley = user("worker.leeds1")
    mine = Reminder.objects.filter(author=riley)
    assert mine.filter(done_at__isnull=True, due_on__lt=today).exists()  # overdue
    assert mine.filter(done_at__isnull=True, due_on__gte=today).exists()
    assert mine.filter(done_at__isnull=False).exists()
    for reminder in Reminder.objects.all():  # each on a case its author holds or shares
        assert reminder.case.allocated_worker == reminder.author
    planned = CaseSession.objects.filter(next_meeting_on__isnull=False)
    assert planned.filter(next_meeting_on__gt=today).count() >= 10
    missed = [
        case
        for case in Case.objects.exclude(status="closed")
        if (meeting := next_meeting(case)) and meeting.on < today and not meeting.logged
    ]
    assert len(missed) == 2  # a planned meeting's day passed with no session logged
    unread = Notification.objects.filter(read_at__isnull=True)
    assert {n.recipient for n in unread} >= {riley, user("worker.leeds2")}
    assert Notification.objects.filter(read_at__isnull=False).exists()


def test_groupwork_training_and_consultations_through_the_year(demo):
    today = demo
    for model in (TrainingEvent, Groupwork, Consultation):
        rows = model.objects.filter(spoke__ref__startswith="DEMO-")
        assert rows.values("spoke").distinct().count() == 3
        assert rows.filter(date__gte=today - timedelta(days=45)).exists(), model
        assert rows.filter(date__lt=today - timedelta(days=300)).exists(), model
        assert not rows.filter(date__gt=today).exists()
    assert TrainingAttendance.objects.count() >= TrainingEvent.objects.count()
    assert TrainingEvent.objects.filter(confidence_after__isnull=False).exists()
    assert TrainingEvent.history.count() == TrainingEvent.objects.count()


def test_last_quarters_returns_are_made_and_their_files_verify(demo):
    quarter = previous_quarter(programme_today())
    returns = QuarterlyReturn.objects.filter(quarter=quarter)
    assert returns.filter(kind="funder").count() == 1
    assert returns.filter(kind="hub").count() == Hub.objects.count()
    for made in returns:
        assert (
            made.json_sha256
            == hashlib.sha256(json.dumps(made.figures, sort_keys=True).encode()).hexdigest()
        )
        for fmt in ("csv", "xlsx", "pdf"):
            data = bytes(getattr(made, fmt))
            assert data and hashlib.sha256(data).hexdigest() == getattr(made, f"{fmt}_sha256")
        assert made.generated_by == user("admin")
    for made in returns.filter(kind="hub"):
        figures = made.figures["figures"]
        for key in ("cases_opened", "cases_closed", "sessions_attended", "spoke_workers"):
            assert figures[key] > 0, (made, key)
        assert figures["professionals_trained"] > 0
        assert figures["young_people_reached_groupwork"] > 0
    # Only a quarter that has ended: none for the quarter in progress.
    in_progress = quarter_label(Period.quarter_of(programme_today()))
    assert not QuarterlyReturn.objects.filter(quarter=in_progress).exists()


def signed_in(local: str) -> Client:
    client = Client()
    sign_in_fully(client, user(local))
    return client


def test_every_home_page_shows_figures(demo):
    response = signed_in("worker.leeds1").get(reverse("alexi:home"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/cases/') >= 8

    for manager in ("manager.north", "manager.south"):
        response = signed_in(manager).get(reverse("alexi:home"))
        assert response.status_code == 200
        (hub,) = response.context["hubs"]
        since = {label: total for label, _, total in hub.dashboard["rows"]}
        assert all(value for value in since.values()), since
        assert hub.dashboard["risk_cases"] > 0 and not hub.dashboard["risk_empty"]
        assert sum(bar.value for bar in hub.dashboard["risk_close_bars"]) > 0
        assert all(bar.value for bar in hub.dashboard["reach_bars"])
        assert hub.referrals_waiting > 0 and hub.referral_figures["referrals_received"] > 0

    response = signed_in("admin").get(reverse("alexi:home"))
    assert response.status_code == 200
    assert all(value for _, value in response.context["overview"])
    reach = dict(response.context["reach"])
    assert reach["Young people in casework"] and reach["Referrals received"]

    response = signed_in("funder").get(reverse("alexi:home"))
    assert response.status_code == 200
    made = QuarterlyReturn.objects.get(kind="funder")
    for fmt in ("pdf", "xlsx", "csv", "json"):
        url = reverse("reporting:return_download", args=[made.pk, fmt])
        assert url in response.content.decode()
        assert signed_in("funder").get(url).status_code == 200


def demo_counts() -> dict[str, int]:
    """Rows of every model (and of its history), to see a second load add nothing."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("alexi", "casework", "referrals", "training", "reporting")
        or model._meta.label == "otp_totp.TOTPDevice"
    }


def test_loading_again_adds_nothing(demo, settings):
    settings.DEMO_MODE = True
    before = demo_counts()
    call_command("load_demo", stdout=io.StringIO())
    assert demo_counts() == before
    assert User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").count() == 8
