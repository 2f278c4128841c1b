"""Closing a case: a closing assessment, a reason when risk is not lower, manager approval."""

import re
from datetime import date, timedelta
from unittest.mock import patch

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseStatus, RiskAssessment
from tests.casework.helpers import assessment_data


def closing_assessment(client, world, indicators):
    extra = {} if indicators else {"no_indicators_present": "on"}
    return client.post(
        reverse("casework:assessment_new", args=[world.case.pk]),
        assessment_data(
            kind="closing",
            assessed_on="2026-03-01",
            indicators=indicators,
            rationale="Settled at home and back at school.",
            **extra,
        ),
    )


def ask_to_close(client, world, **extra):
    data = {"closed_on": "2026-03-02", "closure_reason": "goals_met", "note": ""}
    data.update(extra)
    return client.post(reverse("casework:closure_request", args=[world.case.pk]), data)


def test_closure_needs_a_closing_assessment(world, client_for):
    response = ask_to_close(client_for("allocated_worker"), world)
    assert response.status_code == 400
    assert "Record a closing risk assessment" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.closure_requested_on is None


def test_no_reduction_needs_a_reason(world, client_for):
    worker = client_for("allocated_worker")
    # initial was low (score 4+2=6 -> medium); closing the same indicators is not lower
    closing_assessment(worker, world, ["missing_repeat", "out_late"])
    refused = ask_to_close(worker, world)
    assert refused.status_code == 400
    assert "choose the reason" in refused.content.decode()
    accepted = ask_to_close(worker, world, no_reduction_reason="ongoing_exploitation")
    assert accepted.status_code == 302
    world.case.refresh_from_db()
    assert world.case.no_reduction_reason == "ongoing_exploitation"


def test_closure_before_the_last_session_is_refused(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    response = ask_to_close(worker, world, closed_on="2026-01-10")
    assert response.status_code == 400
    assert "The last session was on 12 January 2026" in response.content.decode()


def test_the_manager_approves_and_the_case_closes(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    assert ask_to_close(worker, world).status_code == 302
    world.case.refresh_from_db()
    assert world.case.closure_pending and world.case.no_reduction_reason == ""
    assert (
        client_for("allocated_worker")
        .post(reverse("casework:closure_decide", args=[world.case.pk, "approve"]))
        .status_code
        == 403
    )
    client_for("hub_manager").post(
        reverse("casework:closure_decide", args=[world.case.pk, "approve"])
    )
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED and str(world.case.closed_on) == "2026-03-02"
    later = client_for("allocated_worker").post(
        reverse("casework:session_new", args=[world.case.pk]),
        {"date": "2026-03-03", "attendance": "attended", "contact_method": "phone"},
    )
    assert later.status_code == 400
    assert "This case is closed" in later.content.decode()


def test_the_manager_returns_a_closure_with_a_note(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    ask_to_close(worker, world)
    client_for("hub_manager").post(
        reverse("casework:closure_decide", args=[world.case.pk, "return"]),
        {"note": "Please record the final session first."},
    )
    world.case.refresh_from_db()
    assert not world.case.closure_pending and world.case.status == CaseStatus.OPEN
    page = worker.get(reverse("casework:case", args=[world.case.pk])).content.decode()
    assert "Please record the final session first." in page


def test_another_hubs_manager_cannot_approve(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    ask_to_close(worker, world)
    response = client_for("other_hub_manager").post(
        reverse("casework:closure_decide", args=[world.case.pk, "approve"])
    )
    assert response.status_code == 404
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN


def test_pause_and_resume(world, client_for):
    worker = client_for("allocated_worker")
    worker.post(reverse("casework:case_status", args=[world.case.pk, "pause"]))
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.PAUSED
    assert (
        client_for("same_spoke_worker")
        .post(reverse("casework:case_status", args=[world.case.pk, "resume"]))
        .status_code
        == 404
    )
    worker.post(reverse("casework:case_status", args=[world.case.pk, "resume"]))
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN


# --- A closing assessment that recorded nothing (issue 11, item 2) -------------------------


def test_a_closing_assessment_with_nothing_ticked_cannot_be_saved(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:assessment_new", args=[world.case.pk]),
        assessment_data(kind="closing", assessed_on="2026-03-01", indicators=[]),
    )
    assert response.status_code == 400
    assert not world.case.assessments.filter(kind="closing").exists()


def test_closing_on_an_old_empty_closing_assessment_is_refused(world, client_for):
    # as saved before "no indicators present" existed: nothing ticked, level "none"
    RiskAssessment.objects.create(
        case=world.case,
        kind="closing",
        assessed_on=date(2026, 3, 1),
        assessor=world.user("allocated_worker"),
        final_level="none",
        computed_level="none",
    )
    response = ask_to_close(client_for("allocated_worker"), world)
    assert response.status_code == 400
    assert "records no indicators and does not say that none is present" in (
        response.content.decode()
    )
    world.case.refresh_from_db()
    assert not world.case.closure_pending


def test_an_explicit_none_present_closing_is_lower_and_needs_no_reason(world, client_for):
    worker = client_for("allocated_worker")
    assert closing_assessment(worker, world, []).status_code == 302
    assert ask_to_close(worker, world).status_code == 302
    world.case.refresh_from_db()
    assert world.case.closure_pending and world.case.no_reduction_reason == ""


@pytest.mark.parametrize(
    ("closed_on", "message"),
    [
        ("", "Enter ‘Closing date’."),
        ("2999-01-01", "between the opening date and today"),
        ("2009-01-01", "between the opening date and today"),  # before they were born
    ],
)
def test_closure_dates_empty_future_or_before_birth_get_a_field_error(
    world, client_for, closed_on, message
):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    response = ask_to_close(worker, world, closed_on=closed_on)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="id_closed_on-error"' in page
    world.case.refresh_from_db()
    assert not world.case.closure_pending


# --- Returning a closure (issue 11, items 3 and 13) ----------------------------------------


def pending_closure(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    assert ask_to_close(worker, world).status_code == 302
    world.case.refresh_from_db()
    assert world.case.closure_pending and world.case.next_review_due is None
    return worker


def return_closure(client_for, world, **data):
    return client_for("hub_manager").post(
        reverse("casework:closure_decide", args=[world.case.pk, "return"]), data
    )


def test_a_return_without_a_note_shows_the_error_at_the_field(world, client_for):
    pending_closure(world, client_for)
    response = return_closure(client_for, world, note="  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_note">Say what needs doing before the case can close.</a>' in page
    assert 'id="id_note-error"' in page
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*id_note-error', page)
    assert "govuk-notification-banner" not in page  # no banner: the field says it
    world.case.refresh_from_db()
    assert world.case.closure_pending


@pytest.mark.parametrize("day", ["2999-01-01", "2026-01-01", "2009-01-01", "soon"])
def test_a_review_date_in_the_past_too_far_or_not_a_date_is_refused(world, client_for, day):
    pending_closure(world, client_for)
    response = return_closure(client_for, world, note="One more session.", next_review_due=day)
    assert response.status_code == 400
    assert 'id="id_next_review_due-error"' in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.closure_pending


def overdue_cases(worker) -> str:
    """The worker's caseload filtered to overdue reviews, as the worker sees it."""
    page = worker.get(reverse("alexi:home") + "?overdue=1").content.decode()
    return page if "Jay" in page else ""


def test_a_returned_closure_gets_its_earlier_review_date_back_and_is_overdue(world, client_for):
    worker = pending_closure(world, client_for)
    assert return_closure(client_for, world, note="One more session.").status_code == 302
    world.case.refresh_from_db()
    assert not world.case.closure_pending
    # the initial assessment's review (12 Jan + 6 weeks), long past: overdue at once
    assert world.case.next_review_due == world.assessment.next_review_due == date(2026, 2, 23)
    assert "overdue since" in overdue_cases(worker)
    # recording more work keeps it (the summary is worked out again)
    worker.post(
        reverse("casework:session_new", args=[world.case.pk]),
        {"date": "2026-03-02", "attendance": "attended", "contact_method": "phone"},
    )
    world.case.refresh_from_db()
    assert world.case.next_review_due == date(2026, 2, 23)


def test_a_returned_closure_takes_the_managers_review_date(world, client_for):
    pending_closure(world, client_for)
    due = timezone.localdate() + timedelta(days=14)
    response = return_closure(
        client_for, world, note="One more session.", next_review_due=due.isoformat()
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.next_review_due == due
    worker = client_for("allocated_worker")
    assert "Jay" not in overdue_cases(worker)
    with patch("django.utils.timezone.localdate", return_value=due + timedelta(days=1)):
        assert "overdue since" in overdue_cases(worker)
