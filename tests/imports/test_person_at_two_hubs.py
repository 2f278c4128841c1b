"""A young person Alexi holds as one at two hubs (the migration keeps their old reference at
every hub where they have a case, and a transfer or a referral can do the same): an import
that reaches both hubs (an administrator's, or a manager of both) names them once per hub,
and must neither fail nor split or cross-link them. The details on the newest row win, as
for one person's several cases at one hub."""

from __future__ import annotations

import pytest

from casework.models import Case, YoungPerson, YoungPersonRef
from referrals.models import Referral
from tests.imports import test_refs_per_hub as refs
from tests.imports.folder import write
from tests.imports.test_refs_per_hub import HEADER, check

pytestmark = pytest.mark.django_db

managers = refs.managers  # the structure and staff, confirmed; no casework


def test_a_person_held_at_two_hubs_is_imported_again_by_the_administrator(tmp_path, managers):
    admin, _mia, _max = managers
    cases = HEADER["cases.csv"] + (
        "C1,P1,Jo,Example,2010-05-01,female,,,,SA1,ana@import.test,2026-07-01,,,\n"
        "C9,P1,Jo,Example,2010-05-01,female,,,,SB1,cal@import.test,2026-08-01,,,\n"
    )
    first = check(write(tmp_path / "one", {"cases.csv": cases}), actor=admin)
    assert first.ok, first.problems
    # As the migration leaves it: one young person, with their reference at both hubs.
    jo = YoungPerson.objects.get(import_refs__hub__ref="HA")
    other = YoungPerson.objects.get(import_refs__hub__ref="HB")
    YoungPersonRef.objects.filter(hub__ref="HB").update(young_person=jo)
    Case.objects.filter(hub__ref="HB").update(young_person=jo)
    other.delete()

    again = check(write(tmp_path / "two", {"cases.csv": cases}), actor=admin)
    assert again.ok, again.problems
    assert (again.counts["cases.csv"].new, again.counts["cases.csv"].changed) == (0, 0)
    assert again.counts["cases.csv"].note == "young people: 0 new, 0 changed"
    assert YoungPerson.objects.count() == 1

    # A new name on the newer row (C9, opened later) is the one kept; still one person.
    renamed = cases.replace("C9,P1,Jo,", "C9,P1,Joanne,")
    third = check(write(tmp_path / "three", {"cases.csv": renamed}), actor=admin)
    assert third.ok, third.problems
    assert third.counts["cases.csv"].note == "young people: 0 new, 1 changed"
    assert list(YoungPerson.objects.values_list("first_name", flat=True)) == ["Joanne"]
    assert set(Case.objects.values_list("young_person_id", flat=True)) == {jo.pk}
    assert not Referral.objects.exists()

    # An older row's details (C1, at the other hub) do not undo the newer one's.
    older = renamed.replace("C1,P1,Jo,", "C1,P1,Jody,")
    fourth = check(write(tmp_path / "four", {"cases.csv": older}), actor=admin)
    assert fourth.ok, fourth.problems
    assert fourth.counts["cases.csv"].note == "young people: 0 new, 0 changed"
    assert list(YoungPerson.objects.values_list("first_name", flat=True)) == ["Joanne"]
