"""Referral figures against hand counts, including the period's edges."""

from datetime import date

import pytest

from casework import services as casework
from referrals.models import Referral
from reporting.figures import (
    median_days_to_decision,
    median_days_to_first_contact,
    referral_figures,
    referrals_by_decision,
    referrals_by_source,
    referrals_received,
)
from reporting.scope import Period, Scope

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def referrals(world):
    """Five referrals at the home hub and one at the other hub, by hand:

    A police, received 1 Jan (first day), accepted 11 Jan, first session 21 Jan
    B police, received 31 Mar (last day), declined 2 Apr
    C school, received 15 Feb, signposted 16 Feb
    D health, received 20 Feb, still pending
    E school, received 31 Dec 2025 (outside), accepted 5 Jan
    F police at the other hub, received 10 Jan, declined 12 Jan
    """
    manager = world.user("hub_manager")

    def make(**kw):
        return Referral.objects.create(hub=kw.pop("hub", world.hub), recorded_by=manager, **kw)

    case_a = casework.case_open(
        actor=manager,
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=date(2026, 1, 11),
        person_data={"first_name": "A"},
    )
    casework.session_log(
        actor=world.user("allocated_worker"),
        case=case_a,
        data={"date": date(2026, 1, 21), "contact_method": "phone", "attendance": "did_not_attend"},
    )
    make(
        source="police",
        received_on=date(2026, 1, 1),
        decision="accepted",
        decided_on=date(2026, 1, 11),
        case=case_a,
        first_name="A",
    )
    make(
        source="police",
        received_on=date(2026, 3, 31),
        decision="declined",
        decided_on=date(2026, 4, 2),
        decline_reason="Out of area",
        first_name="B",
    )
    make(
        source="school",
        received_on=date(2026, 2, 15),
        decision="signposted",
        decided_on=date(2026, 2, 16),
        signposted_to="CAMHS",
        first_name="C",
    )
    make(source="health", received_on=date(2026, 2, 20), first_name="D")
    make(
        source="school",
        received_on=date(2025, 12, 31),
        decision="signposted",
        decided_on=date(2026, 1, 5),
        signposted_to="X",
        first_name="E",
    )
    make(
        hub=world.other_hub,
        source="police",
        received_on=date(2026, 1, 10),
        decision="declined",
        decided_on=date(2026, 1, 12),
        decline_reason="Full",
        first_name="F",
    )
    return world


def test_received_counts_the_edges_of_the_period(referrals):
    hub = Scope("hub", referrals.hub.pk)
    # A, B, C, D and the world's own referral (received 2 Mar)
    assert referrals_received(hub, Q1) == 5
    assert referrals_received(Scope(), Q1) == 6
    assert referrals_received(Scope("hub", referrals.other_hub.pk), Q1) == 1


def test_by_source_and_by_decision(referrals):
    hub = Scope("hub", referrals.hub.pk)
    assert referrals_by_source(hub, Q1) == {"health": 1, "police": 2, "school": 2}
    assert referrals_by_decision(hub, Q1) == {
        "accepted": 1,
        "declined": 1,
        "pending": 2,
        "signposted": 1,
    }


def test_median_days_to_decision(referrals):
    # A 10 days, B 2 days, C 1 day: median 2
    assert median_days_to_decision(Scope("hub", referrals.hub.pk), Q1) == 2.0


def test_median_days_to_first_contact_counts_attempted_sessions(referrals):
    assert median_days_to_first_contact(Scope("hub", referrals.hub.pk), Q1) == 20.0


def test_funder_and_la_scopes(referrals):
    # The funder funds the home hub only.
    assert referrals_received(Scope("funder", referrals.funder_org.pk), Q1) == 5
    assert referrals_received(Scope("la", referrals.spoke.local_authority_id), Q1) == 0


def test_an_empty_scope_gives_zeros_and_nulls(db):
    figures = referral_figures(Scope("hub", 999999), Q1)
    assert figures == {
        "referrals_received": 0,
        "referrals_by_source": {},
        "referrals_by_decision": {},
        "median_days_to_decision": None,
        "median_days_to_first_contact": None,
    }


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        Period(date(2026, 2, 1), date(2026, 1, 1))


def test_quarters():
    assert Period.quarter_of(date(2026, 11, 26)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert Period.quarter_of(date(2026, 2, 28)) == Period(date(2026, 1, 1), date(2026, 3, 31))
