"""Programme administrators keep the programme's structure on Alexi's own pages: lists, add,
edit with history, end a spoke, move a worker; a stale edit is refused; the Django admin is for
superusers only."""

from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from alexi.models import AccessGrant, Funder, GrantStatus, Hub, Spoke, WorkerProfile
from tests.conftest import sign_in_fully
from tests.factories import FunderFactory, HubFactory, SpokeFactory, make_admin, make_worker

KINDS = ["hubs", "spokes", "funders", "la-areas", "workers"]


def admin_client(world) -> Client:
    return sign_in_fully(Client(), world.user("programme_admin"))


@pytest.mark.parametrize("kind", KINDS)
def test_each_list_and_edit_page_answers_administrators_in_a_fixed_number_of_queries(
    world, kind, django_assert_max_num_queries
):
    for n in range(4):  # more rows must not mean more queries
        hub = HubFactory(name=f"Extra Hub {n}")
        make_worker(SpokeFactory(hub=hub), full_name=f"Extra Worker {n}")
        FunderFactory()
    client = admin_client(world)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("alexi:structure_list", args=[kind]))
    assert response.status_code == 200
    record = {
        "hubs": world.hub,
        "spokes": world.spoke,
        "funders": world.funder_org,
        "la-areas": world.spoke.local_authority,
        "workers": world.user("allocated_worker").worker_profile,
    }[kind]
    with django_assert_max_num_queries(25):
        response = client.get(reverse("alexi:structure_edit", args=[kind, record.pk]))
    assert response.status_code == 200
    assert "History" in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["allocated_worker", "hub_manager", "other_hub_manager", "funder", "anonymous"],
)
@pytest.mark.parametrize("kind", KINDS)
def test_nobody_but_administrators_reaches_the_structure(world, client_for, persona, kind):
    client = client_for(persona)
    expected = 302 if persona == "anonymous" else 403
    assert client.get(reverse("alexi:structure_list", args=[kind])).status_code == expected
    url = reverse("alexi:structure_edit", args=[kind, 1])
    assert client.post(url, {"name": "Taken over"}).status_code == expected
    assert not Hub.objects.filter(name="Taken over").exists()


def test_an_administrator_adds_a_hub_and_the_history_says_who(world):
    client = admin_client(world)
    response = client.post(
        reverse("alexi:structure_new", args=["hubs"]),
        {
            "name": "New Hub",
            "ref": "HUB-NEW",
            "home_las": [world.spoke.local_authority.pk],
            "funders": [world.funder_org.pk],
        },
    )
    hub = Hub.objects.get(ref="HUB-NEW")
    assert response.status_code == 302
    assert list(hub.home_las.all()) == [world.spoke.local_authority]
    assert list(hub.funders.all()) == [world.funder_org]
    page = client.get(reverse("alexi:structure_edit", args=["hubs", hub.pk])).content.decode()
    assert "Pat Admin" in page and "Added" in page
    client.post(
        reverse("alexi:structure_edit", args=["hubs", hub.pk]),
        {"name": "Renamed Hub", "ref": "HUB-NEW", "version": hub.version},
    )
    page = client.get(reverse("alexi:structure_edit", args=["hubs", hub.pk])).content.decode()
    assert "Changed: name" in page
    assert hub.history.first().history_user == world.user("programme_admin")


def test_bad_input_is_refused_on_the_field_and_nothing_is_saved(world):
    client = admin_client(world)
    response = client.post(
        reverse("alexi:structure_new", args=["funders"]),
        {"name": "Copy", "ref": world.funder_org.ref},
    )
    assert response.status_code == 400
    assert "Another record already has this reference." in response.content.decode()
    response = client.post(
        reverse("alexi:structure_new", args=["funders"]), {"name": "Bad", "ref": "has spaces!"}
    )
    assert response.status_code == 400
    assert "Use letters, numbers" in response.content.decode()
    assert not Funder.objects.filter(name__in=["Copy", "Bad"]).exists()
    # Workers join by invitation, not here; an unknown record is not found.
    assert client.get("/programme/structure/workers/new/").status_code == 404
    assert client.get(reverse("alexi:structure_edit", args=["hubs", 999999])).status_code == 404


def test_the_second_of_two_administrators_editing_a_spoke_is_refused_with_both_versions(world):
    first, second = admin_client(world), sign_in_fully(Client(), make_admin(full_name="Bo Two"))
    url = reverse("alexi:structure_edit", args=["spokes", world.spoke.pk])
    first.get(url)
    second.get(url)  # both open the page at version 1
    fields = {
        "ref": world.spoke.ref,
        "local_authority": world.spoke.local_authority_id,
        "model": "co-located",
        "start_date": "2025-04-01",
        "version": 1,
    }
    assert first.post(url, {**fields, "host_agency": "First's agency"}).status_code == 302
    response = second.post(url, {**fields, "host_agency": "Second's agency"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "First&#x27;s agency" in page and "Second&#x27;s agency" in page
    world.spoke.refresh_from_db()
    assert world.spoke.host_agency == "First's agency" and world.spoke.version == 2


def test_a_spokes_hub_cannot_be_changed_by_editing_it(world):
    url = reverse("alexi:structure_edit", args=["spokes", world.spoke.pk])
    admin_client(world).post(
        url,
        {
            "ref": world.spoke.ref,
            "hub": world.other_hub.pk,
            "local_authority": world.spoke.local_authority_id,
            "model": "co-located",
            "start_date": "2025-04-01",
            "version": 1,
        },
    )
    world.spoke.refresh_from_db()
    assert world.spoke.hub == world.hub


def test_a_spoke_with_open_cases_or_workers_is_not_ended(world):
    client = admin_client(world)
    response = client.post(
        reverse("alexi:spoke_end", args=[world.spoke.pk]), {"end_date": "2026-06-30", "version": 1}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This spoke still has 1 open case and 2 workers" in page
    assert 'class="govuk-error-message"' in page  # on the field, not a banner
    world.spoke.refresh_from_db()
    assert world.spoke.end_date is None


def test_an_empty_spoke_ends_and_not_before_it_started(world):
    spoke = SpokeFactory(hub=world.hub, start_date=date(2025, 4, 1))
    client = admin_client(world)
    url = reverse("alexi:spoke_end", args=[spoke.pk])
    response = client.post(url, {"end_date": "2024-01-01", "version": 1})
    assert response.status_code == 400
    assert "on or after the spoke&#x27;s start" in response.content.decode()
    assert client.post(url, {"end_date": "2026-06-30", "version": 1}).status_code == 302
    spoke.refresh_from_db()
    assert spoke.end_date == date(2026, 6, 30)
    assert spoke.history.first().history_user == world.user("programme_admin")


def test_a_worker_holding_open_cases_is_not_moved(world):
    profile = world.user("allocated_worker").worker_profile
    response = admin_client(world).post(
        reverse("alexi:worker_move", args=[profile.pk]),
        {"spoke": world.other_spoke.pk, "version": 1},
    )
    assert response.status_code == 400
    assert "holds 1 open case" in response.content.decode()
    assert not AccessGrant.objects.filter(user=profile.user).exists()


def test_a_move_is_asked_for_and_happens_when_the_new_hub_confirms(world, client_for):
    profile = world.user("same_spoke_worker").worker_profile
    response = admin_client(world).post(
        reverse("alexi:worker_move", args=[profile.pk]),
        {"spoke": world.other_spoke.pk, "version": 1},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.spoke == world.spoke  # not yet
    grant = AccessGrant.objects.get(user=profile.user, status=GrantStatus.PENDING)
    client_for("other_hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    )
    profile.refresh_from_db()
    assert profile.spoke == world.other_spoke


def test_a_workers_profile_is_edited_with_history(world):
    profile = world.user("allocated_worker").worker_profile
    url = reverse("alexi:structure_edit", args=["workers", profile.pk])
    response = admin_client(world).post(
        url, {"fte": "0.5", "background": "Nursing", "years_experience": "3", "version": 1}
    )
    assert response.status_code == 302
    profile = WorkerProfile.objects.get(pk=profile.pk)
    assert str(profile.fte) == "0.50" and profile.spoke == world.spoke
    page = admin_client(world).get(url).content.decode()
    assert "Changed: FTE, professional background, years of experience" in page


def test_the_django_admin_is_for_superusers_only_and_asks_for_no_missing_icon(world):
    client = admin_client(world)
    assert client.get(reverse("admin:index")).status_code == 403
    admin = world.user("programme_admin")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    response = client.get(reverse("admin:alexi_spoke_changelist"))
    assert response.status_code == 200
    assert 'rel="icon" href="/static/alexi/favicon.svg"' in response.content.decode()


def test_every_page_links_an_icon_that_exists(world, client_for):
    page = client_for("programme_admin").get(reverse("alexi:structure")).content.decode()
    assert 'rel="icon" href="/static/alexi/favicon.svg"' in page
    assert finders.find("alexi/favicon.svg")


def test_only_administrators_see_the_structure_in_the_navigation(world, client_for):
    link = f'href="{reverse("alexi:structure")}"'
    assert link in client_for("programme_admin").get(reverse("alexi:account")).content.decode()
    for persona in ["hub_manager", "allocated_worker", "funder"]:
        assert link not in client_for(persona).get(reverse("alexi:account")).content.decode()
    assert Spoke.objects.count() == 2


def test_an_existing_manager_is_asked_for_and_manages_only_once_the_hub_confirms(
    world, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    from alexi.models import HubManagement

    other = world.user("other_hub_manager")
    url = reverse("alexi:hub_manager_request", args=[world.hub.pk])
    page = admin_client(world).get(url).content.decode()
    assert "Omar Othermanager" in page and "Hana Manager" not in page  # already manages it
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client(world).post(url, {"manager": other.pk})
    assert response.status_code == 302
    assert not HubManagement.objects.filter(hub=world.hub, manager=other).exists()
    assert any(m.to == [world.user("hub_manager").email] for m in mail.outbox)
    grant = AccessGrant.objects.get(user=other, hub=world.hub, status=GrantStatus.PENDING)
    # Asking twice is refused on the field.
    again = admin_client(world).post(url, {"manager": other.pk})
    assert again.status_code == 400 and "already waiting" in again.content.decode()
    # A manager cannot be chosen who is not a hub manager (forged id).
    forged = admin_client(world).post(url, {"manager": world.user("funder").pk})
    assert forged.status_code == 400
    client_for("hub_manager").post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    )
    assert HubManagement.objects.filter(hub=world.hub, manager=other, end_date=None).exists()
