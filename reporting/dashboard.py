"""What the hub overview shows: figures for this quarter and since the start, the principle
measures, and two charts drawn server-side as accessible SVG with their data beside them."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from casework.models import RiskLevel
from reporting import figures as f
from reporting.labels import labelled
from reporting.returns import programme_start, quarter_label
from reporting.scope import Period, Scope

HUB_KEYS = labelled(
    [
        "referrals_received",
        "cases_opened",
        "cases_closed",
        "young_people_in_casework",
        "closed_lower_risk_pct",
        "sessions_attended",
        "continuity_pct",
        "choice_pct",
        "voice_pct",
        "young_people_reached_groupwork",
        "professionals_trained",
        "consultations",
    ]
)


@dataclass
class Bar:
    label: str
    value: int
    width: float  # per cent of the widest bar
    y: int


def bars(pairs: list[tuple[str, int]], row: int = 28) -> list[Bar]:
    top = max([value for _, value in pairs] or [0]) or 1
    return [
        Bar(label, value, round(100 * value / top, 1), i * row)
        for i, (label, value) in enumerate(pairs)
    ]


DASHBOARD_SECONDS = 300
WARM_EVERY_SECONDS = 240  # the beat task refreshes before the cached copy runs out


def _key(hub, today) -> str:
    # v2: the dashboard says how many closed cases its risk charts rest on.
    return f"alexi:hub-dashboard:v2:{hub.pk}:{today.isoformat()}"


def hub_dashboard(hub, today) -> dict:
    """Figures, measures and chart data for one hub, kept for five minutes: the figures since
    the start read a hub's whole history, and a dashboard need not be to the second. For hubs
    whose managers are signed in, the worker keeps it fresh (`warm_hub_dashboards`)."""
    from django.core.cache import cache

    try:
        cached = cache.get(_key(hub, today))
    except Exception:  # noqa: BLE001 (the cache is Redis: if it is down, work it out now)
        cached = None
    return cached if cached is not None else refresh_hub_dashboard(hub, today)


def refresh_hub_dashboard(hub, today) -> dict:
    """Work the hub's dashboard out now and keep it for the next five minutes."""
    from django.core.cache import cache

    fresh = _hub_dashboard(hub, today)
    fresh["computed_at"] = timezone.now()
    with contextlib.suppress(Exception):
        cache.set(_key(hub, today), fresh, DASHBOARD_SECONDS)
    return fresh


def warm_hub_dashboards(today) -> int:
    """Refresh the dashboard of every hub managed by someone signed in now, so a manager never
    waits for the figures to be worked out. Returns how many hubs were done."""
    from alexi.models import Hub, management_current

    hubs = Hub.objects.filter(
        management_current(today, via="managements__"),
        managements__manager__is_active=True,
        managements__manager__sessions__isnull=False,
    ).distinct()
    done = 0
    for hub in hubs:
        refresh_hub_dashboard(hub, today)
        done += 1
    return done


def _hub_dashboard(hub, today) -> dict:
    scope = Scope("hub", hub.pk)
    quarter = Period.quarter_of(today)
    since = Period(min(programme_start(), quarter.start), quarter.end)
    rows = [
        (label, f.FIGURES[key](scope, quarter), f.FIGURES[key](scope, since))
        for key, label in HUB_KEYS
    ]
    # Risk at the start against risk at closure, for cases closed since the start.
    closed = f.closed_with_levels(scope, since).filter(
        initial_level__isnull=False, closing_level__isnull=False
    )
    start_counts = dict(closed.values_list("initial_level").annotate(n=Count("id")))
    close_counts = dict(closed.values_list("closing_level").annotate(n=Count("id")))
    risk = [
        (label, start_counts.get(key, 0), close_counts.get(key, 0))
        for key, label in RiskLevel.choices
    ]
    # With nothing to draw, the page says so in words instead of rows of zeros.
    since_figures = {key: value for (key, _), (_, _, value) in zip(HUB_KEYS, rows, strict=True)}
    risk_cases = sum(start_counts.values())
    if risk_cases:
        risk_empty = ""
    elif since_figures["cases_closed"]:
        risk_empty = "No closed case has a risk level at the start and at closure yet."
    else:
        risk_empty = "No closed cases yet."
    # Reach over the last four quarters.
    periods = [quarter]
    for _ in range(3):
        start = periods[0].start
        periods.insert(0, Period.quarter_of(start.replace(day=1) - _day()))
    reach = [(quarter_label(p), f.young_people_reached_groupwork(scope, p)) for p in periods]
    return {
        "quarter": quarter,
        "since": since,
        "rows": rows,
        "risk": risk,
        "risk_cases": risk_cases,
        "risk_empty": risk_empty,
        "reach_empty": ""
        if any(n for _, n in reach)
        else "No young people reached through groupwork in the last four quarters.",
        "risk_start_bars": bars([(label, a) for label, a, _ in risk]),
        "risk_close_bars": bars([(label, b) for label, _, b in risk]),
        "reach": reach,
        "reach_bars": bars(reach),
    }


def _day():
    from datetime import timedelta

    return timedelta(days=1)
