"""The words for every figure and for the categories of its breakdowns: one definition, used by
the pages (programme, hub overview) and by every file of a return (CSV, Excel, PDF), so a
funder reads the same label on the page and in the file. The keys stay DOMAIN.md's stable
names (the JSON and a column of the CSV and Excel keep them for machines)."""

from __future__ import annotations

from casework.models import Attendance, NoReductionReason
from referrals.models import Decision, Source
from training.models import Profession

FIGURE_LABELS = {
    "hubs": "Hubs",
    "la_areas_total": "LA areas (total)",
    "la_areas_spokes": "LA areas with spokes",
    "hub_managers": "Hub managers",
    "spoke_workers": "Spoke workers",
    "spoke_worker_fte": "Spoke workers (FTE)",
    "young_people_reached_groupwork": "Young people reached through groupwork",
    "young_people_in_casework": "Young people in casework",
    "cases_opened": "Cases opened",
    "cases_closed": "Cases closed",
    "closed_assessed": "Closed cases assessed at the start and at closure",
    "closed_lower_risk": "Closed at lower risk",
    "closed_lower_risk_pct": "Closed at lower risk (%)",
    "no_reduction_reasons": "Closed without lower risk, by reason",
    "closed_without_assessment": "Closed without an assessment at the start or at closure",
    "professionals_trained": "Professionals trained",
    "professionals_trained_by_profession": "Professionals trained, by profession",
    "consultations": "Consultations",
    "consultations_by_role": "Consultations, by the professional's role",
    "referrals_received": "Referrals received",
    "referrals_by_source": "Referrals received, by source",
    "referrals_by_decision": "Referrals received, by decision so far",
    "median_days_to_decision": "Median days to a decision",
    "median_days_to_first_contact": "Median days to first contact",
    "sessions_attended": "Sessions attended",
    "sessions_not_attended_by_reason": "Sessions that did not happen, by why",
    "continuity_pct": "Continuity: sessions with their own worker (%)",
    "mean_workers_per_closed_case": "Workers per closed case (mean)",
    "choice_pct": "Choice: they chose where and when (%)",
    "voice_pct": "Voice: their own view recorded (%)",
}

DETAIL_LABELS = {
    "no_reduction_reasons": {**dict(NoReductionReason.choices), "not_recorded": "Not recorded"},
    "professionals_trained_by_profession": dict(Profession.choices),
    "consultations_by_role": dict(Profession.choices),
    "referrals_by_source": dict(Source.choices),
    "referrals_by_decision": dict(Decision.choices),
    "sessions_not_attended_by_reason": dict(Attendance.choices),
}


# Figures about the programme's shape that mean nothing for one hub (a hub's "hubs" is 1):
# left out of every by-hub table, on the pages and in the files.
NOT_PER_HUB = frozenset({"hubs"})


def _words(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def figure_label(key: str) -> str:
    """The words for a figure (a figure added later without words gets its key in words)."""
    return FIGURE_LABELS.get(key) or _words(key)


def detail_label(figure: str, detail: str) -> str:
    """The words for one category of a breakdown, e.g. ('referrals_by_source', 'police')."""
    return DETAIL_LABELS.get(figure, {}).get(detail) or _words(detail)


def labelled(keys) -> list[tuple[str, str]]:
    """(key, label) pairs for the pages' lists of figures."""
    return [(key, figure_label(key)) for key in keys]


# What a disclosure-controlled file says about its hidden and missing cells (every format).
SUPPRESSION_NOTES = [
    "c: a count about children from 1 to 5, hidden so that no child can be identified.",
    "Where a total or the other figures of a row or column would give a hidden count back, "
    "the next smallest count is hidden as c too (secondary suppression).",
    "A percentage, mean or median that rests on fewer than 10 (or that would give a hidden "
    "count back) is shown as c.",
    "0 is a true zero. Counts about children since the start are rounded to the nearest 5, "
    "so that two returns cannot be subtracted to find a hidden count.",
]
UNCONTROLLED_NOTES = [
    "This hub return is for the hub's own managers: every count is shown as it is, small "
    "numbers included (it is not disclosure-controlled). Returns for funders hide them.",
]
MISSING_NOTE = "n/a: nothing to work it out from in this period (for example, no cases closed)."


def notes(disclosure_controlled: bool) -> list[str]:
    """The notes every file of a return carries, for its kind."""
    return [*(SUPPRESSION_NOTES if disclosure_controlled else UNCONTROLLED_NOTES), MISSING_NOTE]
