"""One young person has at most one open (or paused) case per hub, held by the database; a
referral for someone whose case is open is added to that case (issue 11, item 4)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from casework.models import Case, CaseStatus
from referrals import services
from referrals.models import Decision
from tests.factories import SpokeFactory


def another_case(world, *, spoke=None, status=CaseStatus.OPEN, closed_on=None):
    return Case.objects.create(
        young_person=world.case.young_person,
        spoke=spoke or world.spoke,
        allocated_worker=world.user("same_spoke_worker"),
        opened_on=date(2026, 3, 1),
        status=status,
        closed_on=closed_on,
    )


def test_the_database_refuses_a_second_open_case_at_the_same_hub(world):
    second_spoke = SpokeFactory(hub=world.hub)
    for spoke in (world.spoke, second_spoke):
        for status in (CaseStatus.OPEN, CaseStatus.PAUSED):
            with pytest.raises(IntegrityError), transaction.atomic():
                another_case(world, spoke=spoke, status=status)
    # a closed one, or an open one at another hub, is fine
    another_case(world, status=CaseStatus.CLOSED, closed_on=date(2026, 3, 2))
    elsewhere = another_case(world, spoke=world.other_spoke)
    elsewhere.refresh_from_db()
    assert elsewhere.hub_id == world.other_hub.pk  # set by the database from the spoke


def test_the_hub_column_follows_the_spoke_even_for_raw_sql_writers(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casework_case SET spoke_id = %s, hub_id = %s WHERE id = %s",
            [world.other_spoke.pk, world.hub.pk, world.case.pk],
        )
    world.case.refresh_from_db()
    assert world.case.hub_id == world.other_hub.pk


def test_the_panel_names_the_open_case_and_offers_to_add_the_referral(world, client_for):
    page = client_for("hub_manager").get(reverse("referrals:referral", args=[world.referral.pk]))
    text = page.content.decode()
    case = world.case
    assert "Has an open case at this hub" in text and case.reference in text
    assert "held by Alex Allocated since 5 Jan 2026" in text
    assert f'value="case-{case.pk}"' in text
    assert f"add this referral to their open case {case.reference}" in text
    # the young person can no longer be chosen for a new case here
    assert f'value="{case.young_person.pk}"' not in text


def test_accepting_into_the_open_case_opens_no_second_case(world, client_for):
    response = client_for("hub_manager").post(
        reverse("referrals:referral_decide", args=[world.referral.pk]),
        {"decision": "accepted", "link_to": f"case-{world.case.pk}", "worker": ""},
    )
    assert response.status_code == 302
    assert response.url == reverse("casework:case", args=[world.case.pk])
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.ACCEPTED
    assert world.referral.case == world.case
    assert world.referral.young_person == world.case.young_person
    assert world.case.young_person.cases.count() == 1


def test_choosing_the_person_instead_of_their_open_case_is_refused(world, client_for):
    response = client_for("hub_manager").post(
        reverse("referrals:referral_decide", args=[world.referral.pk]),
        {
            "decision": "accepted",
            "link_to": str(world.case.young_person.pk),
            "worker": world.user("same_spoke_worker").pk,
        },
    )
    assert response.status_code == 400
    assert world.case.young_person.cases.count() == 1


def test_the_service_refuses_a_second_open_case_with_a_field_message(world):
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(
            actor=world.user("hub_manager"),
            referral=world.referral,
            worker=world.user("same_spoke_worker"),
            young_person=world.case.young_person,
        )
    assert f"already has an open case at this hub ({world.case.reference})" in str(
        refused.value.message_dict["link_to"]
    )
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.PENDING


def test_a_closed_case_cannot_take_a_referral(world):
    Case.objects.filter(pk=world.case.pk).update(status="closed", closed_on=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.referral_accept_into_case(
            actor=world.user("hub_manager"), referral=world.referral, case=world.case
        )


def test_a_transfer_into_a_hub_where_they_have_an_open_case_is_refused(world):
    from casework import services as casework

    another_case(world, spoke=world.other_spoke)
    with pytest.raises(ValidationError, match="already has an open case at your hub"):
        casework.transfer_decide(
            actor=world.user("other_hub_manager"),
            transfer=world.transfer,
            accept=True,
            worker=world.user("other_hub_worker"),
        )
    world.case.refresh_from_db()
    assert world.case.spoke == world.spoke


def test_deciding_with_nothing_chosen_is_a_field_error_not_a_500(world, client_for):
    response = client_for("hub_manager").post(
        reverse("referrals:referral_decide", args=[world.referral.pk]), {}
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The summary links to the first answer (a radio group has no element of its own id).
    assert 'href="#id_decision_0"' in page and 'id="id_decision_0"' in page
    assert 'id="id_decision-error"' in page
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.PENDING
