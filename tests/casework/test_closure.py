"""Closing a case: a closing assessment, a reason when risk is not lower, manager approval."""

from django.urls import reverse

from casework.models import CaseStatus
from tests.casework.helpers import assessment_data


def closing_assessment(client, world, indicators):
    return client.post(
        reverse("assessment_new", args=[world.case.pk]),
        assessment_data(kind="closing", assessed_on="2026-03-01", indicators=indicators),
    )


def ask_to_close(client, world, **extra):
    data = {"closed_on": "2026-03-02", "closure_reason": "goals_met", "note": ""}
    data.update(extra)
    return client.post(reverse("closure_request", args=[world.case.pk]), data)


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
        .post(reverse("closure_decide", args=[world.case.pk, "approve"]))
        .status_code
        == 403
    )
    client_for("hub_manager").post(reverse("closure_decide", args=[world.case.pk, "approve"]))
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED and str(world.case.closed_on) == "2026-03-02"
    later = client_for("allocated_worker").post(
        reverse("session_new", args=[world.case.pk]),
        {"date": "2026-03-03", "attendance": "attended", "contact_method": "phone"},
    )
    assert later.status_code == 400
    assert "This case is closed" in later.content.decode()


def test_the_manager_returns_a_closure_with_a_note(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    ask_to_close(worker, world)
    client_for("hub_manager").post(
        reverse("closure_decide", args=[world.case.pk, "return"]),
        {"note": "Please record the final session first."},
    )
    world.case.refresh_from_db()
    assert not world.case.closure_pending and world.case.status == CaseStatus.OPEN
    page = worker.get(reverse("case", args=[world.case.pk])).content.decode()
    assert "Please record the final session first." in page


def test_another_hubs_manager_cannot_approve(world, client_for):
    worker = client_for("allocated_worker")
    closing_assessment(worker, world, [])
    ask_to_close(worker, world)
    response = client_for("other_hub_manager").post(
        reverse("closure_decide", args=[world.case.pk, "approve"])
    )
    assert response.status_code == 404
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN


def test_pause_and_resume(world, client_for):
    worker = client_for("allocated_worker")
    worker.post(reverse("case_status", args=[world.case.pk, "pause"]))
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.PAUSED
    assert (
        client_for("same_spoke_worker")
        .post(reverse("case_status", args=[world.case.pk, "resume"]))
        .status_code
        == 404
    )
    worker.post(reverse("case_status", args=[world.case.pk, "resume"]))
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN
