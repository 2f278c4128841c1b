"""What the hub overview and the programme page show: charts with visible headings and plain
words instead of rows of zeros (issue 11, item 10); no figure that means nothing for one hub
in the programme's by-hub table (item 11); the same words for a figure everywhere (item 12)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from casework.models import Case, RiskAssessment
from reporting import dashboard
from reporting.figures import FIGURES
from reporting.labels import FIGURE_LABELS, figure_label


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def assess(case, kind, day, level):
    RiskAssessment.objects.create(
        case=case,
        kind=kind,
        assessed_on=day,
        assessor_id=case.allocated_worker_id,
        final_level=level,
        computed_level=level,
    )


def close(case, day):
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=day, closure_reason="goals_met"
    )


def risk_section(page: str) -> str:
    start = page.index("Risk at the start and at closure")
    return page[start : page.index("Young people reached through groupwork", start)]


def hub_overview(client_for) -> str:
    response = client_for("hub_manager").get(reverse("alexi:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_with_no_closed_cases_the_risk_charts_say_so_under_visible_headings(world, client_for):
    section = risk_section(hub_overview(client_for))
    assert re.search(r"<h4[^>]*>Risk level at the start</h4>", section)
    assert re.search(r"<h4[^>]*>Risk level at closure</h4>", section)
    assert section.count("No closed cases yet.") == 2  # one under each heading
    assert 'role="img"' not in section and "<rect" not in section  # no rows of zeros
    assert "The data in the charts" not in section


def test_closed_cases_without_both_levels_are_not_called_no_closed_cases(world, client_for):
    close(world.case, date(2026, 3, 1))  # it has an initial assessment but no closing one
    section = risk_section(hub_overview(client_for))
    assert "No closed cases yet." not in section
    assert section.count("No closed case has a risk level at the start and at closure yet.") == 2
    assert 'role="img"' not in section


def test_with_closed_cases_the_charts_are_drawn_under_their_headings(world, client_for):
    assess(world.case, "closing", date(2026, 3, 1), "low")  # the world's initial is medium
    close(world.case, date(2026, 3, 1))
    section = risk_section(hub_overview(client_for))
    assert re.search(r"<h4[^>]*>Risk level at the start</h4>", section)
    assert re.search(r"<h4[^>]*>Risk level at closure</h4>", section)
    assert section.count('role="img"') == 2 and "The data in the charts" in section
    assert "1 closed case with a risk level at the start and at closure" in section
    assert "No closed case" not in section


def test_the_groupwork_chart_says_so_when_there_was_none(world):
    quiet = dashboard.refresh_hub_dashboard(world.hub, date(2028, 1, 15))  # 2027Q2-2028Q1
    assert quiet["reach_empty"] and not any(n for _, n in quiet["reach"])
    busy = dashboard.refresh_hub_dashboard(world.hub, date(2026, 3, 15))  # 28 in 2026Q1
    assert busy["reach_empty"] == "" and ("2026Q1", 28) in busy["reach"]


def test_the_programme_by_hub_table_has_no_hubs_column(world, client_for):
    response = client_for("programme_admin").get(
        reverse("alexi:home") + "?from=2026-01-01&to=2026-03-31"
    )
    columns = response.context["columns"]
    assert "Hubs" not in columns  # always 1 for a hub: it meant nothing there
    assert dict(response.context["overview"])["Hubs"] == 2  # for the programme it does
    assert all(len(values) == len(columns) for _, values in response.context["rows"])
    page = response.content.decode()
    table = page[page.index('aria-label="Figures by hub"') :]
    table = table[: table.index("</table>")]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers == ["Hub", *columns] and "Hubs" not in headers


def test_the_programme_by_hub_table_with_no_hubs_spans_every_column(db):
    from django.test import Client

    from tests.conftest import sign_in_fully
    from tests.factories import make_admin

    client = Client()
    sign_in_fully(client, make_admin(full_name="Only Admin"))
    page = client.get(reverse("alexi:home")).content.decode()
    table = page.split('aria-label="Figures by hub"')[1].split("</table>")[0]
    columns = len(re.findall(r'<th scope="col"', table))
    assert f'colspan="{columns}">No hubs yet' in table


def test_pages_use_the_one_label_for_each_figure(world, client_for):
    assert set(FIGURES) <= set(FIGURE_LABELS)  # every figure has words
    admin = client_for("programme_admin").get(reverse("alexi:home"))
    for label, _ in admin.context["overview"] + admin.context["reach"]:
        assert label in FIGURE_LABELS.values()
    assert admin.context["columns"][0] == figure_label("la_areas_total")
    rows = dashboard.refresh_hub_dashboard(world.hub, date(2026, 3, 15))["rows"]
    assert [label for label, _, _ in rows][:2] == [
        figure_label("referrals_received"),
        figure_label("cases_opened"),
    ]
