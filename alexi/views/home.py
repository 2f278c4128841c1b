"""The home page by role, the account page and the health check."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alexi import access
from alexi.grants import grants_to_decide
from alexi.models import Role
from alexi.selectors import hubs_with_structure, person_has_second_factor
from reporting.labels import NOT_PER_HUB, detail_label, labelled


@require_GET
def home(request):
    role = access.role_of(request.user)
    if role == Role.SPOKE_WORKER:
        from casework.views import caseload

        return caseload(request)
    if role == Role.HUB_MANAGER:
        from reporting.figures import referral_figures
        from reporting.scope import Period, Scope

        period = Period.quarter_of(timezone.localdate())
        hubs = list(hubs_with_structure(hubs=access.managed_hubs(request.user)))
        waiting = access.referrals_for(request.user).filter(decision__in=["pending", "waiting"])
        from casework.selectors import caseload_by_worker
        from reporting.dashboard import hub_dashboard

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
    if role == Role.FUNDER:
        from reporting.views import returns_list

        return returns_list(request)
    if role == Role.PROGRAMME_ADMIN:
        return _programme(request)
    raise PermissionDenied


@require_GET
def account(request):
    return render(
        request,
        "home/account.html",
        {"title": "Your account", "has_second_factor": person_has_second_factor(request.user)},
    )


@login_not_required
@require_GET
def healthz(request):
    """For load balancers and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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


def _programme(request):
    """The programme overview for any period: the services funded, reach and impact, by hub."""
    from reporting import figures as f
    from reporting.scope import Period, Scope

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
    hubs = list(access.hubs_for(request.user).order_by("name"))
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
