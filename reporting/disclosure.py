"""Disclosure control for funder-facing outputs (DOMAIN.md, "Disclosure control").

Counts about children from 1 to 5 are shown as "c". Secondary suppression then hides more
cells wherever a total, a sum of figures or a percentage would give a hidden cell back. A
percentage, mean or median resting on fewer than 10 is hidden. Zero stays 0. Programme-wide
headline totals are not suppressed. Applied once, when a funder-facing output is rendered.
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
# percentage -> (numerator figure or None, denominator figure or None)
PERCENTS = {
    "closed_lower_risk_pct": ("closed_lower_risk", "closed_assessed"),
    "continuity_pct": (None, "sessions_attended"),
    "choice_pct": (None, "sessions_attended"),
    "voice_pct": (None, None),  # its denominator (assessments) is passed in
}
# a mean or median -> the figure counting what it rests on
AVERAGES = {
    "mean_workers_per_closed_case": "cases_closed",
    "median_days_to_decision": "referrals_received",
    "median_days_to_first_contact": "referrals_received",
}
# total = sum of parts: a hidden part must not be recoverable by subtraction
SUMS = [
    ("cases_closed", ["closed_assessed", "closed_without_assessment"]),
    ("closed_assessed", ["closed_lower_risk", "no_reduction_reasons"]),
]


def suppress_count(value):
    return SUPPRESSED if isinstance(value, int) and value in SMALL else value


def _hide_more(original: dict, out: dict) -> None:
    """Secondary suppression within one row whose total is known: if one cell is hidden, or
    the hidden cells add up to under 10 (so each could be worked out), hide the smallest
    visible non-zero cell too."""
    hidden = [key for key, value in out.items() if value == SUPPRESSED]
    if not hidden:
        return
    if len(hidden) == 1 or sum(original[key] for key in hidden) < MIN_DENOMINATOR:
        visible = sorted(
            (value, key)
            for key, value in original.items()
            if out[key] != SUPPRESSED and isinstance(value, int) and value > 0
        )
        if visible:
            out[visible[0][1]] = SUPPRESSED


hide_more = _hide_more  # for a row or column whose cells are already partly controlled


def suppress_row(row: dict[str, int]) -> dict[str, object]:
    """Primary suppression of 1-5, then secondary suppression for the row's total."""
    out: dict[str, object] = {key: suppress_count(value) for key, value in row.items()}
    _hide_more(row, out)
    return out


def suppress_table(rows: dict[str, dict[str, int]]) -> dict[str, dict[str, object]]:
    """Suppress a table (rows of cells), with secondary suppression by rows and by columns,
    repeated until nothing more needs hiding."""
    table = {
        name: {key: suppress_count(v) for key, v in cells.items()} for name, cells in rows.items()
    }
    columns = sorted({key for cells in rows.values() for key in cells})
    for _ in range(10):
        before = repr(table)
        for name, cells in rows.items():
            _hide_more(cells, table[name])
        for column in columns:
            original = {name: rows[name].get(column, 0) for name in rows}
            current = {name: table[name].get(column, 0) for name in rows}
            _hide_more(original, current)
            for name, value in current.items():
                if column in table[name]:
                    table[name][column] = value
        if repr(table) == before:
            break
    return table


def _control_rates(original: dict, out: dict, denominators: dict) -> None:
    for key, (numerator, denominator) in PERCENTS.items():
        if key not in out or out[key] is None:
            continue
        whole = original.get(denominator) if denominator else denominators.get(key)
        part = original.get(numerator) if numerator else None
        if part is None and isinstance(whole, int) and out[key] != SUPPRESSED:
            part = round(float(original[key]) * whole / 100)
        hidden_part = numerator and out.get(numerator) == SUPPRESSED
        if (
            not isinstance(whole, int)
            or whole < MIN_DENOMINATOR
            or hidden_part
            or (part is not None and (part in SMALL or whole - part in SMALL))
        ):
            out[key] = SUPPRESSED
    for key, basis in AVERAGES.items():
        if key in out and out[key] is not None and (original.get(basis) or 0) < MIN_DENOMINATOR:
            out[key] = SUPPRESSED


def _control_sums(original: dict, out: dict) -> None:
    """Where a total is shown and exactly one of its parts is hidden, hide another part (or
    the total). Parts may be breakdowns, whose hidden cells count as hidden."""
    for _ in range(5):
        changed = False
        for total, parts in SUMS:
            if total not in out or out[total] == SUPPRESSED:
                continue
            hidden = [p for p in parts if _is_hidden(out.get(p))]
            if len(hidden) == 1:
                visible = [
                    p
                    for p in parts
                    if p not in hidden and isinstance(out.get(p), int) and out[p] > 0
                ]
                if visible:
                    out[min(visible, key=lambda p: original[p])] = SUPPRESSED
                else:
                    out[total] = SUPPRESSED
                changed = True
        if not changed:
            break


def _is_hidden(value) -> bool:
    if isinstance(value, dict):
        return any(v == SUPPRESSED for v in value.values())
    return value == SUPPRESSED


def apply(figures: dict, *, headline: bool, denominators: dict[str, int] | None = None) -> dict:
    """Disclosure-controlled copy of one figures dict. `headline` (programme-wide totals)
    leaves the counts as they are; breakdowns, rates and averages are always controlled."""
    out = dict(figures)
    if not headline:
        for key in CHILD_COUNTS & out.keys():
            out[key] = suppress_count(out[key])
    for key in CHILD_BREAKDOWNS & out.keys():
        out[key] = suppress_row(out[key])
    if not headline:
        _control_sums(figures, out)
    _control_rates(figures, out, denominators or {})
    return out


def control_within(figures: dict, out: dict, denominators: dict[str, int]) -> None:
    """Again, after more of `out` was hidden from outside (across hubs): hide what a sum of
    figures or a percentage would now give back. Changes `out` in place."""
    _control_sums(figures, out)
    _control_rates(figures, out, denominators)


def controlled(figures: dict, scope, period, *, headline: bool) -> dict:
    """apply(), with the denominators that are not figures themselves worked out."""
    from reporting.figures import assessments_recorded

    return apply(
        figures, headline=headline, denominators={"voice_pct": assessments_recorded(scope, period)}
    )


def round_to_five(figures: dict) -> dict:
    """Cumulative child counts rounded to the nearest 5, so that two returns' cumulative
    figures cannot be subtracted to recover a hidden quarter."""
    out = dict(figures)
    for key in CHILD_COUNTS | CHILD_BREAKDOWNS:
        value = out.get(key)
        if isinstance(value, int):
            out[key] = 5 * round(value / 5)
        elif isinstance(value, dict):
            out[key] = {
                k: (5 * round(v / 5) if isinstance(v, int) else v) for k, v in value.items()
            }
    return out
