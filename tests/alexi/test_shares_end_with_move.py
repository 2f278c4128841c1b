"""A case is shared only with a worker of its own hub (casework.services.case_share). When the
hub of another spoke confirms a worker's move there, the shares of their old hub's cases end
at once, as on deactivation: a worker who now works for another hub reaches none of their old
hub's children's records. A move within the hub keeps them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from alexi.grants import grant_confirm
from alexi.models import WorkerProfile
from alexi.structure import worker_move
from casework import access, services
from casework.models import CaseShare
from tests.factories import SpokeFactory, make_admin


def _share_with_sam(world):
    sam = world.user("same_spoke_worker")
    services.case_share(
        actor=_verified(world.user("hub_manager")),
        case=world.case,
        worker=sam,
        reason="Cover while Ana is away",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    assert world.case in access.cases_for(_verified(sam))
    return sam


def _verified(user):
    user.is_verified = lambda: True  # as if signed in with the second factor
    for cached in ("_alexi_live_shares", "_alexi_management"):
        user.__dict__.pop(cached, None)
    return user


def _move(world, sam, spoke, confirmer):
    profile = WorkerProfile.objects.get(user=sam)
    grant = worker_move(
        actor=make_admin(), profile_id=profile.pk, version=profile.version, spoke=spoke
    )
    grant_confirm(actor=_verified(confirmer), grant_id=grant.pk)


def test_a_move_to_another_hub_ends_the_shares_of_the_old_hubs_cases(world):
    sam = _share_with_sam(world)
    _move(world, sam, world.other_spoke, world.user("other_hub_manager"))
    share = CaseShare.objects.get(kind="share", shared_with=sam)
    assert share.revoked_at is not None
    assert world.case not in access.cases_for(_verified(sam))


def test_a_move_within_the_hub_keeps_the_shares(world):
    sam = _share_with_sam(world)
    second = SpokeFactory(hub=world.hub)
    _move(world, sam, second, world.user("hub_manager"))
    assert CaseShare.objects.get(kind="share", shared_with=sam).revoked_at is None
    assert world.case in access.cases_for(_verified(sam))
