"""A funder's return shows each hub's figures (every file, the PDF included). A count hidden
across hubs, against the funder's total, must not come back from that hub's other cells: a
percentage over its denominator, or a total less its other parts (review of issue 11, item 12).
"""

from __future__ import annotations

import pytest

from reporting import returns
from reporting.disclosure import SUPPRESSED
from reporting.models import ReturnKind
from reporting.returns import Subject, build, parse_quarter


def closed(lower: int, assessed: int, without: int, reasons: dict[str, int]) -> dict:
    """The closure figures of one scope, consistent with each other."""
    return {
        "cases_closed": assessed + without,
        "closed_assessed": assessed,
        "closed_lower_risk": lower,
        "closed_lower_risk_pct": round(100.0 * lower / assessed, 1),
        "no_reduction_reasons": reasons,
        "closed_without_assessment": without,
    }


# Home Hub has 3 closed at lower risk (hidden); Other Hub 12, then hidden too so the funder's
# total (15) cannot give Home Hub's 3 back.
HOME = closed(3, 20, 10, {"no_longer_engaging": 10, "moved_away": 7})
OTHER = closed(12, 20, 10, {"no_longer_engaging": 8})
TOTAL = closed(15, 40, 20, {"no_longer_engaging": 18, "moved_away": 7})


@pytest.fixture
def funder_content(world, monkeypatch):
    world.funder_org.hubs.add(world.other_hub)
    by_hub = {world.hub.pk: HOME, world.other_hub.pk: OTHER}

    def figures(scope, period):
        return dict(by_hub[scope.pk] if scope.kind == "hub" else TOTAL)

    monkeypatch.setattr(returns, "all_figures", figures)
    content = build(Subject(ReturnKind.FUNDER, funder=world.funder_org), parse_quarter("2026Q1"))
    return {hub["name"]: hub["figures"] for hub in content["hubs"].values()}, content


def recoverable(figures: dict) -> dict[str, int]:
    """The hidden counts a reader of one hub's cells can work out again."""
    found = {}
    lower, pct, assessed = (
        figures["closed_lower_risk"],
        figures["closed_lower_risk_pct"],
        figures["closed_assessed"],
    )
    if lower == SUPPRESSED and SUPPRESSED not in (pct, assessed):
        found["closed_lower_risk"] = round(pct * assessed / 100)
    reasons = figures["no_reduction_reasons"]
    if lower == SUPPRESSED and assessed != SUPPRESSED and SUPPRESSED not in reasons.values():
        found["closed_lower_risk"] = assessed - sum(reasons.values())
    parts = ("closed_assessed", "closed_without_assessment")
    hidden = [p for p in parts if figures[p] == SUPPRESSED]
    if figures["cases_closed"] != SUPPRESSED and len(hidden) == 1:
        (other,) = set(parts) - set(hidden)
        found[hidden[0]] = figures["cases_closed"] - figures[other]
    return found


def test_a_count_hidden_across_hubs_cannot_be_worked_out_from_the_hubs_other_cells(
    funder_content,
):
    hubs, content = funder_content
    assert hubs["Home Hub"]["closed_lower_risk"] == SUPPRESSED  # 3: a small count
    assert hubs["Other Hub"]["closed_lower_risk"] == SUPPRESSED  # else 15 - 12 gives 3 back
    for name, figures in hubs.items():
        assert recoverable(figures) == {}, name
    # Across hubs too: the funder's total less the visible hubs never gives a hidden one back.
    total = content["figures"]["closed_lower_risk"]
    if total != SUPPRESSED:
        hidden = [f for f in hubs.values() if f["closed_lower_risk"] == SUPPRESSED]
        assert len(hidden) != 1


def test_the_files_show_the_hubs_as_controlled(funder_content, world):
    """The PDF's (and the CSV's) by-hub cells are the controlled ones, never the raw 12."""
    from tests.reporting.test_return_files import csv_rows, pdf_text

    ret, _ = returns.generate(Subject(ReturnKind.FUNDER, funder=world.funder_org), "2026Q1")
    other = [r for r in csv_rows(ret) if r and r[0] == "Hub" and r[1] == "Other Hub"]
    lower = {r[6]: r[4] for r in other}
    assert lower["closed_lower_risk"] == "c" and lower["closed_lower_risk_pct"] == "c"
    per_hub = " ".join(pdf_text(ret).split()).split("By hub, this period", 1)[1]
    assert "Closed at lower risk (%) 60" not in per_hub and " 12 " not in per_hub
