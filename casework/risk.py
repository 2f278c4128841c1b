"""The risk tool as data: score the ticked indicators, apply the rules, give a level."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from casework.models import RISK_ORDER, RiskLevel

TOOL_V1 = Path(__file__).resolve().parent / "data" / "risk_tool_v1.json"


def load_tool_v1() -> dict:
    return json.loads(TOOL_V1.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Result:
    score: int
    level: str
    reasons: tuple[str, ...]


def indicator_groups(definition: dict) -> dict[str, str]:
    """indicator key -> group key, for every indicator in the tool."""
    return {
        indicator["key"]: group["key"]
        for group in definition["groups"]
        for indicator in group["indicators"]
    }


def compute(definition: dict, indicators: list[str], age: int | None = None) -> Result:
    """The tool's level for these indicators: bands by weighted score, then the override rules."""
    groups = {group["key"]: group for group in definition["groups"]}
    group_of = indicator_groups(definition)
    ticked = [key for key in dict.fromkeys(indicators) if key in group_of]
    score = sum(groups[group_of[key]]["weight"] for key in ticked)
    level = RiskLevel.NONE.value
    for band in sorted(definition["bands"], key=lambda b: b["min_score"]):
        if score >= band["min_score"]:
            level = band["level"]
    reasons: list[str] = []
    ticked_groups = {group_of[key] for key in ticked}
    if "significant_incidents" in ticked_groups:
        level = RiskLevel.HIGH.value
        reasons.append("a significant incident needs an immediate safeguarding referral")
    younger = age is not None and age < 13 and "significant" in ticked_groups
    if younger and RISK_ORDER[level] < RISK_ORDER[RiskLevel.MEDIUM]:
        level = RiskLevel.MEDIUM.value
        reasons.append("younger children are rated more cautiously")
    return Result(score=score, level=level, reasons=tuple(reasons))


def next_review_due(definition: dict, level: str, assessed_on: date) -> date:
    """The default cadence: high 4 weeks, medium 6, low 12 (from the tool's review_weeks)."""
    weeks = definition.get("review_weeks", {}).get(level, 12)
    return assessed_on + timedelta(weeks=weeks)


def is_lower(level: str, than: str) -> bool:
    return RISK_ORDER[RiskLevel(level)] < RISK_ORDER[RiskLevel(than)]
