"""The home pages of hub managers and programme administrators: the figures at a glance
(registered as those roles' home pages in reporting.apps; the core's home view asks
alexi.hooks which page a role has)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alexi.access import hubs_for, managed_hubs, require_role
from alexi.grants import grants_to_decide
from alexi.models import Role
from alexi.selectors import hubs_with_structure
from casework.selectors import caseload_by_worker
from referrals.access import referrals_for
from reporting import figures as f
from reporting.dashboard import hub_dashboard
from reporting.figures import referral_figures
from reporting.labels import NOT_PER_HUB, detail_label, labelled
from reporting.scope import Period, Scope


@require_GET
@require_role(Role.HUB_MANAGER)
def hub_overview(request):
    period = Period.quarter_of(timezone.localdate())
    hubs = list(hubs_with_structure(hubs=managed_hubs(request.user)))
    waiting = referrals_for(request.user).filter(decision__in=["pending", "waiting"])
    for hub in hubs:
        hub.dashboard = hub_dashboard(hub, timezone.localdate())
        figures = referral_figures(Scope("hub", hub.pk), period)
        hub.referral_figures = figures
        hub.referral_cards = [
            (label, figures[key])
            for key, label in labelled(
                [
                    "referrals_received",
                    "median_days_to_decision",
                    "median_days_to_first_contact",
                ]
            )
        ]
        hub.by_source = [
            (detail_label("referrals_by_source", k), n)
            for k, n in figures["referrals_by_source"].items()
        ]
        hub.by_decision = [
            (detail_label("referrals_by_decision", k), n)
            for k, n in figures["referrals_by_decision"].items()
        ]
        hub.referrals_waiting = waiting.filter(hub=hub).count()
    return render(
        request,
        "home/hub_overview.html",
        {
            "title": "Hub overview",
            "hubs": hubs,
            "period": period,
            "by_worker": caseload_by_worker(user=request.user),
            "grants_to_decide": grants_to_decide(request.user),
        },
    )


OVERVIEW_KEYS = labelled(
    ["hubs", "la_areas_total", "la_areas_spokes", "hub_managers", "spoke_workers"]
    + ["spoke_worker_fte"]
)
REACH_KEYS = labelled(
    [
        "young_people_reached_groupwork",
        "young_people_in_casework",
        "cases_closed",
        "closed_lower_risk_pct",
        "professionals_trained",
        "consultations",
        "referrals_received",
    ]
)


@require_GET
@require_role(Role.PROGRAMME_ADMIN)
def programme_overview(request):
    """The programme overview for any period: the services funded, reach and impact, by hub."""
    default = Period.quarter_of(timezone.localdate())
    problem = ""
    try:
        period = Period(
            date.fromisoformat(request.GET.get("from") or default.start.isoformat()),
            date.fromisoformat(request.GET.get("to") or default.end.isoformat()),
        )
    except ValueError:
        period, problem = default, "Those dates could not be used, so this quarter is shown."
    keys = OVERVIEW_KEYS + REACH_KEYS
    programme = {key: f.FIGURES[key](Scope(), period) for key, _ in keys}
    hubs = list(hubs_for(request.user).order_by("name"))
    by_hub = [(key, label) for key, label in keys if key not in NOT_PER_HUB]
    rows = [
        (hub, [f.FIGURES[key](Scope("hub", hub.pk), period) for key, _ in by_hub]) for hub in hubs
    ]
    return render(
        request,
        "home/programme.html",
        {
            "title": "Programme",
            "period": period,
            "problem": problem,
            "overview": [(label, programme[key]) for key, label in OVERVIEW_KEYS],
            "reach": [(label, programme[key]) for key, label in REACH_KEYS],
            "columns": [label for _, label in by_hub],
            "rows": rows,
            "grants_to_decide": grants_to_decide(request.user),
        },
        status=400 if problem else 200,
    )
