"""closed_lower_risk never counts a case on an assessment that recorded nothing (issue 11,
item 2): no indicators, no explicit "no indicators present", and level "none"."""

from datetime import date

import pytest

from casework import services
from casework.models import Case, RiskAssessment
from reporting.figures import all_figures
from reporting.scope import Period, Scope

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def closed_case(world, name, initial: dict, closing: dict):
    case = services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=date(2026, 1, 10),
        person_data={"first_name": name},
    )
    for kind, day, fields in (
        ("initial", date(2026, 1, 10), initial),
        ("closing", date(2026, 2, 20), closing),
    ):
        RiskAssessment.objects.create(
            case=case,
            kind=kind,
            assessed_on=day,
            assessor=world.user("allocated_worker"),
            **{"computed_level": fields["final_level"], **fields},
        )
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=date(2026, 2, 21), closure_reason="goals_met"
    )
    return case


HIGH = {"final_level": "high", "indicators": ["missing_repeat", "taken_for_sex"]}
EMPTY = {"final_level": "none"}  # as the old form saved a closing with nothing ticked
NONE_PRESENT = {"final_level": "none", "no_indicators_present": True}
IMPORTED_LOW = {"final_level": "low", "computed_level": ""}  # a level from a source system


@pytest.mark.parametrize(
    ("initial", "closing", "assessed", "lower", "without"),
    [
        (HIGH, EMPTY, 0, 0, 1),  # the fault: an empty closing counted as lower
        (EMPTY, HIGH, 0, 0, 1),  # nor an empty initial as a starting point
        (HIGH, NONE_PRESENT, 1, 1, 0),  # "none present", said explicitly, counts
        (HIGH, IMPORTED_LOW, 1, 1, 0),  # an imported low level is a recorded level
    ],
)
def test_an_assessment_that_recorded_nothing_is_not_an_assessment(
    world, initial, closing, assessed, lower, without
):
    closed_case(world, "Robin", initial, closing)
    figures = all_figures(Scope("hub", world.hub.pk), Q1)
    assert figures["closed_assessed"] == assessed
    assert figures["closed_lower_risk"] == lower
    assert figures["closed_without_assessment"] == without
