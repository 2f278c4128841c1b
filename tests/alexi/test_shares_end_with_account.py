"""Deactivating or reactivating an account ends every case shared with the person (and any
emergency access they hold), as if ended by hand: revoked with a reason in the history, the
guardian grant removed in the same transaction, a row in the access log. A reactivated account
reaches no child record through an old share, even once the hub confirms them again."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alexi.models import AccessAction, AccessGrant, AccessLog, GrantStatus, User
from alexi.services import SHARES_ENDED_ON_DEACTIVATION, SHARES_ENDED_ON_REACTIVATION
from casework import services
from casework.models import CaseShare, CaseUserObjectPermission
from tests.conftest import sign_in_fully
from tests.factories import make_worker


def share_with(world, worker) -> CaseShare:
    return services.case_share(
        actor=world.user("allocated_worker"),
        case=world.case,
        worker=worker,
        reason="Covering while Alex is on leave",
        expires_on=timezone.localdate() + timedelta(days=30),
    )


def grant_held(share: CaseShare) -> bool:
    return CaseUserObjectPermission.objects.filter(
        user_id=share.shared_with_id, content_object_id=share.case_id
    ).exists()


def act(admin: Client, user, action: str) -> None:
    assert admin.post(reverse("alexi:person_action", args=[user.pk, action])).status_code == 302
    user.refresh_from_db()


def assert_ended(share: CaseShare, admin_user, reason: str) -> None:
    share.refresh_from_db()
    assert share.revoked_at is not None and not share.is_live
    assert not grant_held(share)
    latest = share.history.latest()
    assert latest.history_user == admin_user and latest.history_change_reason == reason
    assert latest.revoked_at is not None
    assert AccessLog.objects.filter(
        action=AccessAction.SHARE_ENDED,
        object_type="caseshare",
        object_id=str(share.pk),
        user=admin_user,
    ).exists()


def test_deactivating_an_account_ends_the_cases_shared_with_them(world, client_for):
    worker = world.user("same_spoke_worker")
    share = share_with(world, worker)
    case_url = reverse("casework:case", args=[world.case.pk])
    assert sign_in_fully(Client(), worker).get(case_url).status_code == 200
    assert grant_held(share)

    admin = client_for("programme_admin")
    act(admin, worker, "deactivate")
    assert_ended(share, world.user("programme_admin"), SHARES_ENDED_ON_DEACTIVATION)

    # Back again, and confirmed at their spoke by the hub: still not the shared case.
    act(admin, worker, "reactivate")
    grant = AccessGrant.objects.get(user=worker, status=GrantStatus.PENDING)
    manager = client_for("hub_manager")
    decided = manager.post(reverse("alexi:access_request_decide", args=[grant.pk, "confirm"]))
    assert decided.status_code == 302
    assert sign_in_fully(Client(), worker).get(case_url).status_code == 404


def test_reactivating_an_account_ends_shares_left_from_before(world, client_for):
    """An account switched off before shares were ended with it (or from the command line)
    still had them; reactivating it ends them before the person can sign in."""
    worker = world.user("same_spoke_worker")
    share = share_with(world, worker)
    User.objects.filter(pk=worker.pk).update(is_active=False)

    act(client_for("programme_admin"), worker, "reactivate")
    assert_ended(share, world.user("programme_admin"), SHARES_ENDED_ON_REACTIVATION)
    case_url = reverse("casework:case", args=[world.case.pk])
    assert sign_in_fully(Client(), worker).get(case_url).status_code == 404


def test_emergency_access_ends_with_the_account(world, client_for):
    outsider = world.user("other_hub_manager")
    glass = services.break_glass(
        actor=outsider, case=world.case, justification="Young person arrived at our office now."
    )
    assert grant_held(glass)
    admin = client_for("programme_admin")
    act(admin, outsider, "deactivate")
    assert_ended(glass, world.user("programme_admin"), SHARES_ENDED_ON_DEACTIVATION)


def test_only_live_shares_to_that_person_are_touched(world, client_for):
    worker = world.user("same_spoke_worker")
    ended_before = share_with(world, worker)
    services.share_revoke(actor=world.user("allocated_worker"), share=ended_before)
    ended_at = CaseShare.objects.get(pk=ended_before.pk).revoked_at
    live = share_with(world, worker)
    someone_else = services.case_share(
        actor=world.user("other_hub_worker"),
        case=world.other_case,
        worker=make_worker(world.other_spoke, full_name="Cora Colleague"),
        reason="Second pair of eyes",
        expires_on=timezone.localdate() + timedelta(days=10),
    )
    # A share that expired but whose grant the tidy-up job has not removed yet.
    expired = share_with(world, worker)
    CaseShare.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    act(client_for("programme_admin"), worker, "deactivate")
    assert CaseShare.objects.get(pk=ended_before.pk).revoked_at == ended_at
    assert CaseShare.objects.get(pk=live.pk).revoked_at is not None
    assert CaseShare.objects.get(pk=expired.pk).revoked_at is None  # it ended at its expiry
    assert not CaseUserObjectPermission.objects.filter(user=worker).exists()
    assert CaseShare.objects.get(pk=someone_else.pk).is_live and grant_held(someone_else)
    assert (
        AccessLog.objects.filter(action=AccessAction.SHARE_ENDED, object_type="caseshare").count()
        == 2  # the one ended by hand and the live one
    )


def test_ending_a_share_by_hand_is_in_the_access_log(world, client_for):
    worker = world.user("same_spoke_worker")
    share = share_with(world, worker)
    manager = client_for("hub_manager")
    ended = manager.post(reverse("casework:share_revoke", args=[world.case.pk, share.pk]))
    assert ended.status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None and not grant_held(share)
    assert AccessLog.objects.filter(
        action=AccessAction.SHARE_ENDED,
        object_type="caseshare",
        object_id=str(share.pk),
        user=world.user("hub_manager"),
    ).exists()
