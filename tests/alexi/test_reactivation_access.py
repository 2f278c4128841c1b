"""Reactivating an account lets the person sign in again but gives no hub access back by
itself: the hubs they managed and the spoke they worked at are asked for again and wait for
the hub to confirm, as an invitation does."""

from django.test import Client
from django.urls import reverse

from alexi.models import (
    AccessAction,
    AccessGrant,
    AccessLog,
    GrantKind,
    GrantStatus,
    HubManagement,
    WorkerProfile,
)
from tests.conftest import sign_in_fully
from tests.factories import make_admin, make_manager


def deactivate_and_reactivate(admin: Client, user) -> None:
    for action in ("deactivate", "reactivate"):
        response = admin.post(reverse("alexi:person_action", args=[user.pk, action]))
        assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active


def confirm(client: Client, grant: AccessGrant) -> int:
    return client.post(
        reverse("alexi:access_request_decide", args=[grant.pk, "confirm"])
    ).status_code


def test_a_reactivated_worker_sees_no_case_until_the_hub_confirms(world, client_for):
    worker = world.user("allocated_worker")
    case_url = reverse("casework:case", args=[world.case.pk])
    assert sign_in_fully(Client(), worker).get(case_url).status_code == 200

    deactivate_and_reactivate(client_for("programme_admin"), worker)
    assert not WorkerProfile.objects.filter(user=worker).exists()
    grant = AccessGrant.objects.get(user=worker, status=GrantStatus.PENDING)
    assert grant.kind == GrantKind.SPOKE_WORKER and grant.spoke == world.spoke
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_REQUESTED, object_type="accessgrant", object_id=str(grant.pk)
    ).exists()

    theirs = sign_in_fully(Client(), worker)
    assert theirs.get(case_url).status_code == 404
    # They cannot confirm themselves, nor can the administrator who asked.
    assert confirm(theirs, grant) in (403, 404)
    assert confirm(client_for("programme_admin"), grant) == 404
    assert theirs.get(case_url).status_code == 404

    assert confirm(client_for("hub_manager"), grant) == 302
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED
    assert WorkerProfile.objects.get(user=worker).spoke == world.spoke
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_CONFIRMED,
        object_id=str(grant.pk),
        user=world.user("hub_manager"),
    ).exists()
    assert theirs.get(case_url).status_code == 200


def test_a_reactivated_manager_sees_no_case_until_another_manager_confirms(world, client_for):
    manager = world.user("hub_manager")
    second = make_manager(world.hub, full_name="Sid Secondmanager")
    case_url = reverse("casework:case", args=[world.case.pk])
    assert sign_in_fully(Client(), manager).get(case_url).status_code == 200

    deactivate_and_reactivate(client_for("programme_admin"), manager)
    management = HubManagement.objects.get(manager=manager)
    assert management.end_date is not None
    grant = AccessGrant.objects.get(user=manager, status=GrantStatus.PENDING)
    assert grant.kind == GrantKind.HUB_MANAGER and grant.hub == world.hub
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_REQUESTED, object_id=str(grant.pk)
    ).exists()

    theirs = sign_in_fully(Client(), manager)
    assert theirs.get(case_url).status_code == 404
    assert confirm(theirs, grant) in (403, 404)
    assert theirs.get(case_url).status_code == 404

    assert confirm(sign_in_fully(Client(), second), grant) == 302
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_CONFIRMED, object_id=str(grant.pk), user=second
    ).exists()
    assert theirs.get(case_url).status_code == 200


def test_a_manager_less_hub_needs_a_second_administrator(world, client_for):
    manager = world.user("hub_manager")
    deactivate_and_reactivate(client_for("programme_admin"), manager)
    grant = AccessGrant.objects.get(user=manager, status=GrantStatus.PENDING)
    theirs = sign_in_fully(Client(), manager)
    assert theirs.get(reverse("casework:case", args=[world.case.pk])).status_code == 404
    assert confirm(client_for("programme_admin"), grant) == 404
    assert confirm(sign_in_fully(Client(), make_admin(full_name="Second Admin")), grant) == 302
    assert theirs.get(reverse("casework:case", args=[world.case.pk])).status_code == 200


def test_reactivating_or_deactivating_twice_changes_nothing_the_second_time(world, client_for):
    """Back then the button again, or a double click: the second request finds the account
    already as asked and leaves it, its requests for access and its log, as they are."""
    worker = world.user("allocated_worker")
    admin = client_for("programme_admin")
    deactivate_and_reactivate(admin, worker)
    grants = list(AccessGrant.objects.filter(user=worker).values_list("pk", "status"))
    logged = AccessLog.objects.filter(action=AccessAction.ACCOUNT_REACTIVATED).count()

    again = admin.post(reverse("alexi:person_action", args=[worker.pk, "reactivate"]), follow=True)
    assert again.status_code == 200
    assert "can already sign in: nothing changed" in again.content.decode()
    assert list(AccessGrant.objects.filter(user=worker).values_list("pk", "status")) == grants
    assert AccessLog.objects.filter(action=AccessAction.ACCOUNT_REACTIVATED).count() == logged

    admin.post(reverse("alexi:person_action", args=[worker.pk, "deactivate"]))
    sessions_ended = AccessLog.objects.filter(action=AccessAction.SESSIONS_ENDED).count()
    twice = admin.post(reverse("alexi:person_action", args=[worker.pk, "deactivate"]), follow=True)
    assert "already cannot sign in: nothing changed" in twice.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.SESSIONS_ENDED).count() == (sessions_ended)
    worker.refresh_from_db()
    assert not worker.is_active
