"""Logging sessions and risk assessments: clear 4xx for bad input, nothing half-written,
no lost edits."""

import pytest
from django.urls import reverse

from casework.models import CaseSession, RiskAssessment
from tests.casework.helpers import assessment_data, session_data


def test_the_worker_logs_a_session_and_the_caseload_summary_updates(world, client_for):
    client = client_for("allocated_worker")
    response = client.post(reverse("casework:session_new", args=[world.case.pk]), session_data())
    assert response.status_code == 302
    saved = CaseSession.objects.filter(case=world.case).order_by("-id").first()
    assert saved.worker == world.user("allocated_worker")
    assert saved.young_person_chose is True and saved.themes == ["online_safety"]
    assert saved.history.first().history_user == world.user("allocated_worker")
    world.case.refresh_from_db()
    assert str(world.case.last_contact_on) == "2026-02-02"


def test_the_hub_manager_can_log_a_session_too(world, client_for):
    response = client_for("hub_manager").post(
        reverse("casework:session_new", args=[world.case.pk]), session_data()
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2025-12-31"}, "The case opened on 5 January 2026"),
        ({"date": "2999-01-01"}, "cannot be in the future"),
        ({"date": "31/02/2026"}, "Enter a valid date"),
        ({"attendance": "failed_to_attend"}, "Select a valid choice"),
        ({"venue_type": "nightclub"}, "Select a valid choice"),
        ({"duration_minutes": "-5"}, "greater than or equal to 1"),
        ({"notes": "x" * 10_001}, "Notes must be 10,000 characters or fewer; this has 10,001."),
        ({"themes": ["astrology"]}, "Select a valid choice"),
    ],
)
def test_bad_session_input_gets_a_clear_message_and_nothing_is_saved(
    world, client_for, overrides, message
):
    before = CaseSession.objects.count()
    response = client_for("allocated_worker").post(
        reverse("casework:session_new", args=[world.case.pk]), session_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CaseSession.objects.count() == before


def test_a_case_id_in_the_form_is_ignored(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:session_new", args=[world.case.pk]),
        session_data(case=world.other_case.pk, worker=world.user("other_hub_worker").pk),
    )
    assert response.status_code == 302
    assert not CaseSession.objects.filter(case=world.other_case).exists()
    assert CaseSession.objects.filter(case=world.case).latest("id").worker == world.user(
        "allocated_worker"
    )


@pytest.mark.parametrize("persona", ["same_spoke_worker", "other_hub_worker", "other_hub_manager"])
def test_outsiders_cannot_log_on_a_case_they_cannot_see(world, client_for, persona):
    before = CaseSession.objects.count()
    response = client_for(persona).post(
        reverse("casework:session_new", args=[world.case.pk]), session_data()
    )
    assert response.status_code == 404
    assert CaseSession.objects.count() == before


@pytest.mark.parametrize("persona", ["funder", "programme_admin"])
def test_funders_and_admins_never_reach_case_pages(world, client_for, persona):
    response = client_for(persona).post(
        reverse("casework:session_new", args=[world.case.pk]), session_data()
    )
    assert response.status_code == 403


def test_a_stale_session_edit_is_refused_and_shows_what_changed(world, client_for):
    url = reverse("casework:session_edit", args=[world.case.pk, world.session.pk])
    worker = client_for("allocated_worker")
    manager = client_for("hub_manager")
    first = manager.post(url, session_data(date="2026-01-12", notes="Manager's note", version="1"))
    assert first.status_code == 302
    stale = worker.post(url, session_data(date="2026-01-12", notes="Worker's note", version="1"))
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this record" in page
    assert "Manager&#x27;s note" in page and "Worker&#x27;s note" in page
    assert stale.context["stale"] == [
        {"field": "Notes", "yours": "Worker's note", "theirs": "Manager's note"}
    ]
    world.session.refresh_from_db()
    assert world.session.notes == "Manager's note" and world.session.version == 2
    # The form keeps the worker's entries at the version saved now: saving again, having
    # seen both, is their choice (and only then replaces the manager's note).
    assert 'name="version" value="2"' in page
    again = worker.post(url, session_data(date="2026-01-12", notes="Worker's note", version="2"))
    assert again.status_code == 302
    world.session.refresh_from_db()
    assert world.session.notes == "Worker's note" and world.session.version == 3


def test_the_worker_records_a_review_with_an_override_and_rationale(world, client_for):
    client = client_for("allocated_worker")
    url = reverse("casework:assessment_new", args=[world.case.pk])
    refused = client.post(url, assessment_data(final_level="high"))
    assert refused.status_code == 400
    assert "say why" in refused.content.decode()
    response = client.post(
        url, assessment_data(final_level="high", rationale="Seen with a known adult yesterday.")
    )
    assert response.status_code == 302
    saved = RiskAssessment.objects.filter(case=world.case).latest("id")
    assert (saved.computed_level, saved.final_level) == ("low", "high")
    assert str(saved.next_review_due) == "2026-03-02"  # high: 4 weeks
    assert saved.tool.version == 1
    world.case.refresh_from_db()
    assert world.case.current_level == "high"


def test_the_risk_preview_answers_as_you_tick(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:assessment_preview", args=[world.case.pk]),
        {"indicators": ["sexual_assault", "not_real"]},
    )
    assert response.status_code == 200
    assert "High" in response.content.decode()


def test_a_stale_assessment_edit_is_refused(world, client_for):
    url = reverse("casework:assessment_edit", args=[world.case.pk, world.assessment.pk])
    ok = client_for("hub_manager").post(
        url, assessment_data(kind="initial", assessed_on="2026-01-12", version="1")
    )
    assert ok.status_code == 302
    stale = client_for("allocated_worker").post(
        url, assessment_data(kind="initial", assessed_on="2026-01-12", indicators=[], version="1")
    )
    assert stale.status_code == 409
    # Both versions: nothing ticked in theirs, the saved indicator (by its label) in the other.
    rows = {row["field"]: (row["yours"], row["theirs"]) for row in stale.context["stale"]}
    yours, saved = rows["Indicators"]
    assert yours is None and saved and saved != "out_late"
    assert saved in stale.content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.indicators == ["out_late"] and world.assessment.version == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"assessed_on": "2025-01-01"}, "The case opened on"),
        ({"kind": "annual"}, "Select a valid choice"),
        ({"final_level": "extreme"}, "Select a valid choice"),
        ({"next_review_due": "2026-01-01"}, "must be after this assessment"),
        (
            {"young_person_view": "y" * 10_001},
            "own view must be 10,000 characters or fewer; this has 10,001.",
        ),
    ],
)
def test_bad_assessment_input_gets_a_clear_message(world, client_for, overrides, message):
    before = RiskAssessment.objects.count()
    response = client_for("allocated_worker").post(
        reverse("casework:assessment_new", args=[world.case.pk]), assessment_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert RiskAssessment.objects.count() == before


def test_information_share_needs_a_reason_when_the_young_person_was_not_told(world, client_for):
    from casework.models import InformationShare

    url = reverse("casework:information_share_new", args=[world.case.pk])
    data = {
        "shared_on": "2026-02-01",
        "recipient_agency": "Police",
        "recipient_role": "Missing person coordinator",
        "what_shared": "Return home interview summary",
        "lawful_basis": "safeguarding",
        "young_person_informed": "not_told",
    }
    client = client_for("allocated_worker")
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Say why the young person was not told" in refused.content.decode()
    assert not InformationShare.objects.exists()
    ok = client.post(url, {**data, "reason_not_informed": "Telling them would increase risk."})
    assert ok.status_code == 302
    assert InformationShare.objects.get().recorded_by == world.user("allocated_worker")


def test_multi_agency_contact_is_recorded(world, client_for):
    from casework.models import MultiAgencyContact

    response = client_for("allocated_worker").post(
        reverse("casework:agency_contact_new", args=[world.case.pk]),
        {
            "contact_on": "2026-02-03",
            "agency": "police",
            "purpose": "exploitation_panel",
            "outcome": "Agreed a disruption plan.",
        },
    )
    assert response.status_code == 302
    assert MultiAgencyContact.objects.get().purpose == "exploitation_panel"


def test_the_set_based_summary_refresh_matches_the_one_case_form(world):
    """casework.services.case_summaries_refresh (imports, the generator) sets exactly what
    case_refresh_summary sets."""
    from casework.models import Case
    from casework.services import case_refresh_summary, case_summaries_refresh

    case = world.case
    case_refresh_summary(case)
    expected = Case.objects.values("current_level", "next_review_due", "last_contact_on").get(
        pk=case.pk
    )
    assert expected["current_level"] and expected["last_contact_on"]
    Case.objects.filter(pk=case.pk).update(
        current_level="", next_review_due=None, last_contact_on=None
    )
    updated = case_summaries_refresh(
        "SELECT id FROM casework_case WHERE id = %(case)s", {"case": case.pk}
    )
    assert updated == 1
    assert (
        Case.objects.values("current_level", "next_review_due", "last_contact_on").get(pk=case.pk)
        == expected
    )
    assert (
        case_summaries_refresh("SELECT id FROM casework_case WHERE id = %(c)s", {"c": case.pk}) == 0
    )
