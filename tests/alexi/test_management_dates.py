"""Who manages a hub today is one rule (HubManagement.objects.current): a management that
starts tomorrow, or ended yesterday, reaches nothing anywhere: not the gate, not the pages
that list a hub's managers, not the dashboards, not an import's scope, not the emails sent to
a hub's managers (issue 12 item 1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alexi import access, grants, selectors, structure
from alexi.models import GrantKind, Hub, HubManagement, UserSession
from casework import access as casework_access
from casework import services as case_services
from referrals import access as referrals_access
from reporting import access as reporting_access
from reporting import dashboard, figures
from reporting.scope import Period, Scope
from tests.conftest import sign_in_fully
from tests.factories import UserFactory, make_manager

pytestmark = pytest.mark.django_db


def _tomorrow():
    today = timezone.localdate()
    return {"start_date": today + timedelta(days=1), "end_date": None}


def _yesterday():
    today = timezone.localdate()
    return {"start_date": today - timedelta(days=30), "end_date": today - timedelta(days=1)}


@pytest.fixture(params=[_tomorrow, _yesterday], ids=["starts-tomorrow", "ended-yesterday"])
def dana(request, world):
    """Dana is a hub manager whose management of the home hub is not in force today."""
    person = make_manager(full_name="Dana Notnow", email="dana@example.test")
    HubManagement.objects.create(hub=world.hub, manager=person, **request.param())
    person.is_verified = lambda: True  # as if signed in with the second factor
    return person


def test_the_gate_gives_her_nothing(world, dana):
    assert access.managed_hub_ids(dana) == []
    assert access.managed_spoke_ids(dana) == []
    assert not access.managed_hubs(dana).exists()
    assert not access.hubs_for(dana).exists()
    assert not casework_access.cases_for(dana).exists()
    assert not referrals_access.referrals_for(dana).exists()
    assert not reporting_access.returns_for(dana).exists()
    assert access.import_hub_refs(dana) == set()


def test_she_cannot_open_the_hubs_case(world, dana, client):
    sign_in_fully(client, dana)
    assert client.get(reverse("casework:case", args=[world.case.pk])).status_code == 404


def test_she_is_not_listed_as_someone_who_can_see_the_case(world, dana):
    who = {row["who"].pk for row in casework_access.who_can_see(world.case)}
    assert dana.pk not in who
    assert world.user("hub_manager").pk in who


def test_the_structure_pages_do_not_count_her(world, dana):
    [hub] = selectors.hubs_with_structure(hubs=Hub.objects.filter(pk=world.hub.pk))
    assert [m.manager_id for m in hub.current_managements] == [world.user("hub_manager").pk]
    counts = {h.pk: h.manager_count for h in structure.hubs_list()}
    assert counts[world.hub.pk] == 1


def test_the_figures_do_not_count_her(world, dana):
    today = timezone.localdate()
    assert figures.hub_managers(Scope("hub", world.hub.pk), Period(today, today)) == 1


def test_her_being_signed_in_does_not_warm_the_hubs_dashboard(world, dana):
    UserSession.objects.create(user=dana, session_key="d" * 32)
    assert dashboard.warm_hub_dashboards(timezone.localdate()) == 0


def test_an_import_does_not_take_her_as_a_manager_of_the_hub(world, dana):
    from imports.importer import Importer, Report

    snapshot = Importer(
        actor=world.user("programme_admin"),
        report=Report(dry_run=True),
        hub_scope=None,
        progress=None,
    )
    assert snapshot.staff["dana@example.test"].hub_refs == ()
    assert snapshot.staff[world.user("hub_manager").email.lower()].hub_refs == (world.hub.ref,)


def test_emails_to_the_hubs_managers_do_not_reach_her(
    world, dana, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.break_glass(
            actor=world.user("other_hub_manager"),
            case=world.case,
            justification="Police called out of hours about this young person tonight.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        grants.grant_request(
            actor=world.user("programme_admin"),
            user=UserFactory(role="spoke_worker", email="new@example.test"),
            kind=GrantKind.SPOKE_WORKER,
            hub=world.hub,
            spoke=world.spoke,
        )
    recipients = {to for message in mail.outbox for to in message.to}
    assert world.user("hub_manager").email in recipients
    assert "dana@example.test" not in recipients
