"""Imported records feed the figures exactly as entered ones do: counted here by hand."""

from __future__ import annotations

import pytest
from django.utils import timezone

from alexi.models import Hub
from imports import importer, reader
from reporting.figures import FIGURES, all_figures
from reporting.returns import parse_quarter
from reporting.scope import Period, Scope
from tests.factories import local_authority, make_admin
from tests.imports.folder import VALID, import_staff_and_confirm, scope_of, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin)
    files, problems = reader.from_folder(write(tmp_path / "in", VALID))
    report = importer.run(files, actor=admin, hub_scope=scope_of(admin), problems=problems)
    assert report.ok, report.problems
    return {hub.ref: Scope("hub", hub.pk) for hub in Hub.objects.all()}


def test_alpha_hubs_third_quarter_counted_by_hand(imported):
    figures = all_figures(imported["HA"], parse_quarter("2026Q3"))
    expected = {
        # R2 (15 Jul, police, declined after 5 days) and R3 (1 Aug, self, waiting); R1 was June.
        "referrals_received": 2,
        "referrals_by_source": {"police": 1, "self": 1},
        "referrals_by_decision": {"declined": 1, "waiting": 1},
        "median_days_to_decision": 5.0,
        # C1 (1 Jul) and C4 (1 Sep, Lee's second case) opened; C2 (15 Aug) and C3 (30 Sep,
        # the quarter's last day) closed, both with initial and closing assessments.
        "cases_opened": 2,
        "cases_closed": 2,
        "closed_assessed": 2,
        "closed_lower_risk": 1,  # C2 high -> low; C3 medium -> medium
        "closed_lower_risk_pct": 50.0,
        "no_reduction_reasons": {"non_engagement": 1},
        "closed_without_assessment": 0,
        "young_people_in_casework": 3,  # Jo, Lee (two cases, one person), Sam
        # Attended: C1 3 Jul and 10 Jul (Ana, allocated), C2 1 Aug (Ben, not allocated).
        "sessions_attended": 3,
        "sessions_not_attended_by_reason": {"declined": 1, "did_not_attend": 1},
        "continuity_pct": 66.7,
        "choice_pct": 33.3,  # chose: yes, no, not known
        "mean_workers_per_closed_case": 1.0,
        "voice_pct": 33.3,  # three assessments in the quarter, one with the young person's view
        "professionals_trained": 34,
        "professionals_trained_by_profession": {"education": 20, "police": 4, "social_worker": 10},
        "young_people_reached_groupwork": 42,
        "consultations": 2,
        "consultations_by_role": {"education": 1, "police": 1},
    }
    for key, value in expected.items():
        assert figures[key] == value, key
    assert set(expected) <= set(FIGURES)


def test_beta_hub_and_the_staff_as_they_stand_now(imported):
    beta = all_figures(imported["HB"], parse_quarter("2026Q3"))
    assert beta["cases_opened"] == 1 and beta["cases_closed"] == 1
    assert beta["closed_without_assessment"] == 1  # C5 closed with no closing assessment
    assert beta["referrals_received"] == 0  # R4 arrived in June
    # Staff are recorded as of the import (as if entered today), so they count from now on.
    now = all_figures(imported["HA"], Period.quarter_of(timezone.localdate()))
    assert now["spoke_workers"] == 2
    assert now["spoke_worker_fte"] == 1.5
    assert now["hub_managers"] == 1
