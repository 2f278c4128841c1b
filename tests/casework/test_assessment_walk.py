"""Found trying a risk review with nothing ticked as a new user (issue 13 walk): the page said
to tick indicators and also 'This level is lower than at the last assessment (Medium ...):
say what has changed', about a level the worker never chose (nothing ticked reads as no
apparent risk). Until something is ticked only the first message is given."""

from django.urls import reverse

from casework.models import RiskAssessment
from tests.casework.helpers import assessment_data


def post(client, world, **overrides):
    return client.post(
        reverse("casework:assessment_new", args=[world.case.pk]), assessment_data(**overrides)
    )


def test_nothing_ticked_gets_one_message_not_a_lower_level_one(world, client_for):
    before = RiskAssessment.objects.count()
    response = post(client_for("allocated_worker"), world, indicators=[])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the indicators you saw or were told about" in page
    assert "lower than at the last assessment (" not in page
    assert RiskAssessment.objects.count() == before


def test_both_ticked_gets_one_message_not_a_lower_level_one(world, client_for):
    response = post(client_for("allocated_worker"), world, no_indicators_present="on")
    assert response.status_code == 400
    page = response.content.decode()
    assert "untick one" in page
    assert "lower than at the last assessment (" not in page


def test_none_present_on_its_own_still_asks_what_has_changed(world, client_for):
    response = post(
        client_for("allocated_worker"), world, indicators=[], no_indicators_present="on"
    )
    assert response.status_code == 400
    assert "lower than at the last assessment (" in response.content.decode()
