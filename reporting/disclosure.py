"""Disclosure control for funder-facing outputs (DOMAIN.md, "Disclosure control").

Counts about children from 1 to 5 are shown as "c"; secondary suppression hides the next
smallest cell of a row whose total would otherwise reveal a suppressed cell; a percentage
whose denominator is under 10 is hidden; zero stays 0. Programme-wide headline totals are not
suppressed. Applied once, when a funder-facing output is rendered (ARCHITECTURE.md idea 4).
"""

from __future__ import annotations

SUPPRESSED = "c"
SMALL = range(1, 6)
MIN_DENOMINATOR = 10

# Figures that count children (or their cases, sessions and referrals).
CHILD_COUNTS = {
    "young_people_reached_groupwork",
    "young_people_in_casework",
    "cases_opened",
    "cases_closed",
    "closed_assessed",
    "closed_lower_risk",
    "closed_without_assessment",
    "referrals_received",
    "sessions_attended",
}
CHILD_BREAKDOWNS = {
    "no_reduction_reasons",
    "referrals_by_source",
    "referrals_by_decision",
    "sessions_not_attended_by_reason",
}
# percentage -> the figure that is its denominator
PERCENT_DENOMINATORS = {
    "closed_lower_risk_pct": "closed_assessed",
    "continuity_pct": "sessions_attended",
    "choice_pct": "sessions_attended",
}


def suppress_count(value):
    return SUPPRESSED if isinstance(value, int) and value in SMALL else value


def suppress_row(row: dict[str, int]) -> dict[str, object]:
    """Primary suppression of 1-5, then secondary: if exactly one cell is hidden, also hide the
    next smallest non-zero cell so the row's total does not give it away."""
    out: dict[str, object] = {key: suppress_count(value) for key, value in row.items()}
    hidden = [key for key, value in out.items() if value == SUPPRESSED]
    if len(hidden) == 1:
        visible = sorted(
            (value, key) for key, value in row.items() if key not in hidden and value > 0
        )
        if visible:
            out[visible[0][1]] = SUPPRESSED
    return out


def suppress_table(rows: dict[str, dict[str, int]]) -> dict[str, dict[str, object]]:
    """Suppress a table (rows of cells) by rows and then by columns."""
    table = {name: suppress_row(cells) for name, cells in rows.items()}
    columns = {key for cells in rows.values() for key in cells}
    for column in columns:
        hidden = [name for name in table if table[name].get(column) == SUPPRESSED]
        if len(hidden) == 1:
            candidates = sorted(
                (rows[name][column], name)
                for name in table
                if name not in hidden and rows[name].get(column, 0) > 0
            )
            if candidates:
                table[candidates[0][1]][column] = SUPPRESSED
    return table


def controlled(figures: dict, scope, period, *, headline: bool) -> dict:
    """apply(), with the denominators that are not figures themselves worked out."""
    from reporting.figures import assessments_recorded

    return apply(
        figures,
        headline=headline,
        denominators={"voice_pct": assessments_recorded(scope, period)},
    )


def apply(figures: dict, *, headline: bool, denominators: dict[str, int] | None = None) -> dict:
    """Disclosure-controlled copy of a figures dict. `headline` (programme-wide totals) leaves
    the counts as they are; breakdowns and small denominators are always controlled."""
    out = dict(figures)
    denominators = {
        **{k: figures.get(v) for k, v in PERCENT_DENOMINATORS.items()},
        **(denominators or {}),
    }
    if not headline:
        for key in CHILD_COUNTS & out.keys():
            out[key] = suppress_count(out[key])
    for key in CHILD_BREAKDOWNS & out.keys():
        out[key] = suppress_row(out[key])
    for key, denominator in denominators.items():
        if key in out and out[key] is not None and (denominator or 0) < MIN_DENOMINATOR:
            out[key] = SUPPRESSED
    return out
