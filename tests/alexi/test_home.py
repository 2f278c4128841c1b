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
    with django_assert_max_num_queries(18):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()


def test_a_hub_manager_sees_only_their_own_hubs(world, client_for):
    page = client_for("hub_manager").get(reverse("home")).content.decode()
    assert "Home Hub" in page and "Alex Allocated" in page
    assert "Other Hub" not in page and "Olly Otherhub" not in page


def test_a_funder_sees_their_own_returns_and_no_records(world, client_for):
    assert world.funder_return.quarter == "2026Q1"
    page = client_for("funder").get(reverse("home")).content.decode()
    assert "Test Trust" in page and "2026Q1" in page
    assert "Other Hub" not in page
    assert "Alex Allocated" not in page and "Jade" not in page


def test_a_worker_sees_no_other_workers(world, client_for):
    page = client_for("allocated_worker").get(reverse("home")).content.decode()
    assert "Jay" in page  # their own case, by preferred name
    assert "Sam Samespoke" not in page and "Kai" not in page


def test_programme_page_counts_the_structure(world, client_for):
    response = client_for("programme_admin").get(reverse("home"))
    totals = response.context["totals"]
    assert totals["hubs"] == 2
    assert totals["spokes"] == 2
    assert totals["hub_managers"] == 2
    assert totals["spoke_workers"] == 3


def test_navigation_is_by_role(world, client_for):
    admin_page = client_for("programme_admin").get(reverse("home")).content.decode()
    worker_page = client_for("allocated_worker").get(reverse("home")).content.decode()
    assert 'href="/programme/people/"' in admin_page
    assert 'href="/programme/people/"' not in worker_page
    assert "Spoke worker" in worker_page  # the role is shown in the header


def test_health_check_answers_without_sign_in(db, client):
    response = client.get(reverse("healthz"))
    assert response.json() == {"status": "ok"}


def test_programme_page_queries_do_not_grow_with_the_programme(
    world, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SpokeFactory, make_manager, make_worker

    client = client_for("programme_admin")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for _ in range(3):
        spoke = SpokeFactory()
        make_manager(spoke.hub)
        make_worker(spoke)
        make_worker(spoke)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))
