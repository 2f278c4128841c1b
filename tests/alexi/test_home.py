"""The home page by role, each with an honest empty state until its issue lands."""

import pytest
from django.urls import reverse

HOME_HEADINGS = {
    "allocated_worker": "My caseload",
    "hub_manager": "Hub overview",
    "funder": "Returns",
    "programme_admin": "Programme",
}


@pytest.mark.parametrize(("persona", "heading"), HOME_HEADINGS.items())
def test_each_role_lands_on_its_own_home_page(
    world, client_for, persona, heading, django_assert_max_num_queries
):
    client = client_for(persona)
    # The programme page computes its figures in the database per hub (see the test below).
    limits = {"programme_admin": 60, "hub_manager": 80}  # dashboards: aggregates per hub
    with django_assert_max_num_queries(limits.get(persona, 18)):
        response = client.get(reverse("alexi:home"))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()


def test_a_hub_manager_sees_only_their_own_hubs(world, client_for):
    page = client_for("hub_manager").get(reverse("alexi:home")).content.decode()
    assert "Home Hub" in page and "Alex Allocated" in page
    assert "Other Hub" not in page and "Olly Otherhub" not in page


def test_a_funder_sees_their_own_returns_and_no_records(world, client_for):
    assert world.funder_return.quarter == "2026Q1"
    page = client_for("funder").get(reverse("alexi:home")).content.decode()
    assert "Test Trust" in page and "2026Q1" in page
    assert "Other Hub" not in page
    assert "Alex Allocated" not in page and "Jade" not in page


def test_a_worker_sees_no_other_workers(world, client_for):
    page = client_for("allocated_worker").get(reverse("alexi:home")).content.decode()
    assert "Jay" in page  # their own case, by preferred name
    assert "Sam Samespoke" not in page and "Kai" not in page


def test_programme_page_shows_the_services_funded_for_a_period(world, client_for):
    response = client_for("programme_admin").get(
        reverse("alexi:home") + "?from=2026-01-01&to=2026-03-31"
    )
    overview = dict(response.context["overview"])
    assert overview["Hubs"] == 2 and overview["Hub managers"] == 2
    reach = dict(response.context["reach"])
    assert reach["Young people in casework"] == 2 and reach["Professionals trained"] == 15
    assert [hub.name for hub, _ in response.context["rows"]] == ["Home Hub", "Other Hub"]


def test_programme_page_refuses_a_backwards_period_clearly(world, client_for):
    response = client_for("programme_admin").get(
        reverse("alexi:home") + "?from=2026-03-01&to=2026-01-01"
    )
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_navigation_is_by_role(world, client_for):
    admin_page = client_for("programme_admin").get(reverse("alexi:home")).content.decode()
    worker_page = client_for("allocated_worker").get(reverse("alexi:home")).content.decode()
    assert 'href="/programme/people/"' in admin_page
    assert 'href="/programme/people/"' not in worker_page
    assert "Spoke worker" in worker_page  # the role is shown in the header


def test_health_check_answers_without_sign_in(db, client):
    response = client.get(reverse("alexi:healthz"))
    assert response.json() == {"status": "ok"}


def test_programme_page_queries_grow_only_per_hub(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SpokeFactory

    client = client_for("programme_admin")
    client.get(reverse("alexi:home"))
    with CaptureQueriesContext(connection) as two_hubs:
        client.get(reverse("alexi:home"))
    SpokeFactory()
    with CaptureQueriesContext(connection) as three_hubs:
        client.get(reverse("alexi:home"))
    per_hub = len(three_hubs.captured_queries) - len(two_hubs.captured_queries)
    assert per_hub <= 20  # a fixed number of aggregate queries per hub, not per record
