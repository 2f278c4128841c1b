"""A risk assessment records something: indicators, or an explicit "no indicators present";
a level lower than the last assessment's says what has changed (issue 11, item 2)."""

import pytest
from django.urls import reverse

from casework.models import RiskAssessment, RiskLevel
from tests.casework.helpers import assessment_data

NOTHING_TICKED = "Tick the indicators you saw or were told about"


def new_assessment(client, world, **overrides):
    return client.post(
        reverse("casework:assessment_new", args=[world.case.pk]), assessment_data(**overrides)
    )


def test_an_assessment_with_nothing_ticked_is_refused_at_the_field(world, client_for):
    before = RiskAssessment.objects.count()
    response = new_assessment(client_for("allocated_worker"), world, indicators=[])
    assert response.status_code == 400
    page = response.content.decode()
    # GOV.UK pattern: the summary links to the checkbox, the message sits at it
    assert 'href="#id_no_indicators_present"' in page
    assert 'id="id_no_indicators_present-error"' in page and NOTHING_TICKED in page
    assert RiskAssessment.objects.count() == before


def test_ticking_indicators_and_none_present_together_is_refused(world, client_for):
    response = new_assessment(
        client_for("allocated_worker"), world, no_indicators_present="on", rationale="x"
    )
    assert response.status_code == 400
    assert "untick one" in response.content.decode()


def test_no_indicators_present_saves_as_no_apparent_risk_with_a_reason(world, client_for):
    worker = client_for("allocated_worker")
    # minutes after a medium assessment: lower, so it needs to say what changed
    refused = new_assessment(worker, world, indicators=[], no_indicators_present="on")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "lower than at the last assessment (Medium on 12 January 2026)" in page
    assert 'href="#id_rationale"' in page and 'id="id_rationale-error"' in page
    saved = new_assessment(
        worker,
        world,
        indicators=[],
        no_indicators_present="on",
        rationale="Moved to her aunt's; no missing episodes since.",
    )
    assert saved.status_code == 302
    latest = world.case.assessments.order_by("-id").first()
    assert latest.no_indicators_present and latest.final_level == RiskLevel.NONE
    assert not latest.records_nothing


def test_a_lower_judgement_than_the_last_high_needs_a_rationale(world, client_for):
    worker = client_for("allocated_worker")
    high = ["missing_repeat", "out_late", "older_controlling_partner", "cars_unknown_adults"]
    assert new_assessment(worker, world, indicators=high, assessed_on="2026-02-01").status_code
    assert world.case.assessments.order_by("-id").first().final_level == RiskLevel.HIGH
    # the tool says low now, which is lower than the high of the day before
    refused = new_assessment(worker, world, indicators=["out_late"], assessed_on="2026-02-02")
    assert refused.status_code == 400
    assert "lower than at the last assessment (High" in refused.content.decode()
    # the same level, or higher, needs no reason
    same = new_assessment(worker, world, indicators=high, assessed_on="2026-02-02")
    assert same.status_code == 302


def test_editing_an_assessment_does_not_compare_it_with_itself(world, client_for):
    worker = client_for("allocated_worker")
    record = world.assessment
    response = worker.post(
        reverse("casework:assessment_edit", args=[world.case.pk, record.pk]),
        assessment_data(
            kind="initial",
            assessed_on="2026-01-12",
            indicators=["out_late"],
            version=str(record.version),
        ),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.indicators == ["out_late"]


def test_the_edit_form_keeps_the_none_present_choice(world, client_for):
    record = world.assessment
    RiskAssessment.objects.filter(pk=record.pk).update(
        indicators=[], no_indicators_present=True, final_level="none", computed_level="none"
    )
    page = (
        client_for("allocated_worker")
        .get(reverse("casework:assessment_edit", args=[world.case.pk, record.pk]))
        .content.decode()
    )
    assert 'id="id_no_indicators_present" name="no_indicators_present" type="checkbox"' in page
    assert 'value="on" checked' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "id_assessed_on"),
        ({"assessed_on": "2999-01-01"}, "id_assessed_on"),
        # before the young person was born (1 March 2010) and so before the case opened
        ({"assessed_on": "2009-01-01"}, "id_assessed_on"),
        ({"next_review_due": "2009-01-01"}, "id_next_review_due"),
    ],
)
def test_empty_or_impossible_dates_get_a_field_error_not_a_500(world, client_for, data, field):
    before = RiskAssessment.objects.count()
    payload = {} if not data else assessment_data(**data)
    response = client_for("allocated_worker").post(
        reverse("casework:assessment_new", args=[world.case.pk]), payload
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    assert RiskAssessment.objects.count() == before
