"""Rules with one definition each (issue 12 item 5): a young person's age and the order of
risk levels, in Python and in the database."""

from datetime import date

import pytest
from django.utils import timezone

from casework.models import RISK_ORDER, Case, RiskLevel, YoungPerson, risk_rank
from casework.risk import is_lower
from referrals import matching


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 3, 1), date(2026, 2, 28), 15),  # the day before the birthday
        (date(2010, 3, 1), date(2026, 3, 1), 16),  # the birthday itself
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # born on 29 February
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2026, 3, 1), date(2026, 3, 1), 0),
    ],
)
def test_an_age_is_whole_years_to_the_day(born, on, age):
    assert YoungPerson.age_between(born, on) == age
    assert YoungPerson(date_of_birth=born).age_on(on) == age


def test_no_date_of_birth_gives_no_age():
    assert YoungPerson().age_on(date(2026, 3, 1)) is None


def test_referral_matching_uses_the_same_age(world):
    person = world.case.young_person
    age = person.age_on(timezone.localdate())

    def reasons(given_age):
        found = matching.suggest(
            user=world.user("hub_manager"),
            hub_id=world.hub.pk,
            last_name=person.last_name,
            age=given_age,
        )
        (only,) = found  # the one young person of that name at the hub
        return only.reasons

    assert "age matches" in reasons(age) and "age matches" in reasons(age + 1)
    assert "age matches" not in reasons(age + 2)


def test_the_levels_are_in_one_order_lowest_first():
    assert list(RISK_ORDER) == list(RiskLevel) == ["none", "low", "medium", "high"]
    assert list(RISK_ORDER.values()) == [0, 1, 2, 3]
    assert is_lower("low", "medium") and not is_lower("high", "medium")


def test_the_database_ranks_levels_in_the_same_order(world):
    for level in [*RiskLevel.values, ""]:
        Case.objects.filter(pk=world.case.pk).update(current_level=level)
        rank = (
            Case.objects.filter(pk=world.case.pk)
            .annotate(rank=risk_rank("current_level", default=-1))
            .values_list("rank", flat=True)
            .get()
        )
        assert rank == (RISK_ORDER[level] if level else -1)
