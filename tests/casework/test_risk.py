"""The risk tool is data: bands by weighted score, then the override rules."""

from datetime import date

import pytest

from casework.risk import compute, is_lower, load_tool_v1, next_review_due

TOOL = load_tool_v1()


@pytest.mark.parametrize(
    ("indicators", "level", "score"),
    [
        ([], "none", 0),
        (["abuse_or_neglect"], "low", 1),
        (["out_late", "missing_once", "school_absence"], "medium", 6),
        (["missing_repeat", "older_controlling_partner", "cars_unknown_adults"], "high", 12),
        (["sexual_assault"], "high", 0),
        (["not_a_real_indicator"], "none", 0),
        (["out_late", "out_late"], "low", 2),  # a repeated tick counts once
    ],
)
def test_levels_follow_the_bands_and_rules(indicators, level, score):
    result = compute(TOOL, indicators, age=15)
    assert (result.level, result.score) == (level, score)


def test_younger_children_are_rated_more_cautiously():
    assert compute(TOOL, ["missing_repeat"], age=15).level == "low"
    under_13 = compute(TOOL, ["missing_repeat"], age=12)
    assert under_13.level == "medium"
    assert "younger children" in under_13.reasons[0]


def test_review_cadence_is_four_six_or_twelve_weeks():
    day = date(2026, 1, 1)
    assert next_review_due(TOOL, "high", day) == date(2026, 1, 29)
    assert next_review_due(TOOL, "medium", day) == date(2026, 2, 12)
    assert next_review_due(TOOL, "low", day) == date(2026, 3, 26)


def test_levels_are_ordered():
    assert is_lower("none", "low") and is_lower("medium", "high")
    assert not is_lower("high", "high") and not is_lower("high", "low")
