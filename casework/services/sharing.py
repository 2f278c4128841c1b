"""Casework writes: sharing beyond the structure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from alexi.history import acting_as
from alexi.models import HubManagement, Role, Spoke, User
from alexi.notifications.models import NotificationKind, TargetType
from alexi.notifications.services import notify
from casework.access import access_to
from casework.models import (
    Case,
    CaseShare,
    CaseStatus,
    CaseUserObjectPermission,
    ShareKind,
    TransferStatus,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

from casework.services._common import (
    BREAK_GLASS_HOURS,
    GRANT,
    SHARE_MAX_DAYS,
    TRANSFER_DAYS,
    _current_managements,
)
from casework.services.opening import _check_worker_for_spoke, case_reallocate, open_case_at_hub


def _grant(share: CaseShare) -> None:
    assign_perm(GRANT, share.shared_with, share.case)


@transaction.atomic
def case_share(
    *, actor: User, case: Case, worker: User, reason: str, expires_on: date
) -> CaseShare:
    """Share a case with another worker for a reason, for at most 90 days."""
    today = timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is being shared."})
    if expires_on <= today or expires_on > today + timedelta(days=SHARE_MAX_DAYS):
        raise ValidationError(
            {"expires_on": f"Choose an end date after today and within {SHARE_MAX_DAYS} days."}
        )
    if worker.pk == case.allocated_worker_id or not worker.is_active:
        raise ValidationError({"worker": "Choose another active worker."})
    if worker.role != Role.SPOKE_WORKER:
        raise ValidationError({"worker": "Cases are shared with spoke workers."})
    profile = getattr(worker, "worker_profile", None)
    if profile is None or profile.spoke.hub_id != case.spoke.hub_id:
        raise ValidationError(
            {"worker": "Share with a worker of this case's hub; to move the case, transfer it."}
        )
    if not access_to(actor, case).may_share:
        raise ValidationError("Only the allocated worker or the hub's managers can share a case.")
    expires_at = timezone.make_aware(datetime.combine(expires_on, datetime.max.time()))
    with acting_as(actor):
        share = CaseShare.objects.create(
            case=case,
            kind=ShareKind.SHARE,
            shared_with=worker,
            granted_by=actor,
            reason=reason,
            expires_at=expires_at,
        )
    _grant(share)
    notify(
        worker,
        NotificationKind.CASE_SHARED,
        actor=actor,
        target_type=TargetType.CASE,
        target_id=case.pk,
        event=f"share:{share.pk}",
    )
    return share


@transaction.atomic
def share_revoke(
    *, actor: User, share: CaseShare, reason: str = "", request: HttpRequest | None = None
) -> None:
    """End a share (or emergency access) now: the guardian grant goes in the same transaction,
    the history records who and why, and the access log has a row (no case content)."""
    share = CaseShare.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is not None:
        return
    _end_share(actor=actor, share=share, reason=reason or "Sharing ended", request=request)


def _end_share(
    *, actor: User, share: CaseShare, reason: str, request: HttpRequest | None = None
) -> None:
    from alexi.audit import record_access
    from alexi.models import AccessAction

    with acting_as(actor):
        share.revoked_at = timezone.now()
        share._change_reason = reason  # type: ignore[attr-defined]  # simple_history's
        share.save(update_fields=["revoked_at"])
    _remove_grant_unless_still_shared(share)
    record_access(
        request,
        AccessAction.SHARE_ENDED,
        object_type="caseshare",
        object_id=share.pk,
        user=actor,
    )


@transaction.atomic
def shares_end_for_person(
    *, actor: User, user: User, reason: str, request: HttpRequest | None = None
) -> int:
    """End every live share and emergency access made to `user` (their account was
    deactivated or reactivated), each as if ended by hand; then no guardian grant of theirs
    is left, so no old share reaches a child record. Returns how many were ended."""
    live = list(
        CaseShare.objects.select_for_update().unexpired().filter(shared_with=user).order_by("pk")
    )
    for share in live:
        _end_share(actor=actor, share=share, reason=reason, request=request)
    # Grants left behind by shares that expired before the tidy-up job ran go too.
    CaseUserObjectPermission.objects.filter(
        user=user, permission__codename=GRANT.split(".")[1]
    ).delete()
    return len(live)


def _remove_grant_unless_still_shared(share: CaseShare) -> None:
    still = (
        CaseShare.objects.unexpired()
        .filter(case=share.case_id, shared_with=share.shared_with_id)
        .exists()
    )
    if not still and share.shared_with_id:
        remove_perm(GRANT, share.shared_with, share.case)


@transaction.atomic
def break_glass(*, actor: User, case: Case, justification: str) -> CaseShare:
    """Emergency access for a manager of another hub, for 24 hours; the owning hub is alerted."""
    if len(justification.strip()) < 20:
        raise ValidationError(
            {"justification": "Explain in a sentence or two why you need this case now."}
        )
    # For a manager of a hub today: a manager reactivated and waiting for their hub to confirm
    # them again (or whose management has ended) reaches no case this way either.
    if not HubManagement.objects.current().filter(manager=actor).exists():
        raise ValidationError(
            "Emergency access is for hub managers, and you do not manage a hub today. If your "
            "access is waiting for a hub to confirm it, ask that hub's managers."
        )
    with acting_as(actor):
        share = CaseShare.objects.create(
            case=case,
            kind=ShareKind.BREAK_GLASS,
            shared_with=actor,
            granted_by=actor,
            reason=justification,
            expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
        )
    _grant(share)
    managers = list(
        User.objects.filter(
            pk__in=_current_managements(case.spoke.hub).values("manager_id"), is_active=True
        )
    )
    notify(
        managers,
        NotificationKind.EMERGENCY_ACCESS,
        actor=actor,
        target_type=TargetType.CASE,
        target_id=case.pk,
        event=f"share:{share.pk}",
    )
    emails = [manager.email for manager in managers]
    if emails:
        # A link to the case by its number: no reference, name or reason in an email.
        link = settings.SITE_URL.rstrip("/") + reverse("casework:case", args=[case.pk])
        transaction.on_commit(
            lambda: send_mail(
                "Emergency access to one of your hub's cases",
                f"{actor.full_name} used emergency access to one of your hub's cases. "
                f"Their reason and the access log are on the case in Alexi:\n{link}\n",
                None,
                emails,
                fail_silently=True,
            )
        )
    return share


@transaction.atomic
def transfer_request(*, actor: User, case: Case, to_spoke: Spoke, reason: str) -> CaseShare:
    """Offer a case to another hub; until its manager accepts, they see only a summary."""
    if to_spoke.hub_id == case.spoke.hub_id:
        raise ValidationError({"to_spoke": "Choose a spoke of another hub."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is moving."})
    if CaseShare.objects.filter(
        case=case, kind=ShareKind.TRANSFER, transfer_status=TransferStatus.PENDING
    ).exists():
        raise ValidationError("A transfer of this case is already waiting for an answer.")
    with acting_as(actor):
        return CaseShare.objects.create(
            case=case,
            kind=ShareKind.TRANSFER,
            to_hub=to_spoke.hub,
            to_spoke=to_spoke,
            granted_by=actor,
            reason=reason,
            expires_at=timezone.now() + timedelta(days=TRANSFER_DAYS),
            transfer_status=TransferStatus.PENDING,
        )


@transaction.atomic
def transfer_decide(
    *, actor: User, transfer: CaseShare, accept: bool, worker: User | None = None
) -> CaseShare:
    transfer = (
        CaseShare.objects.select_for_update(of=("self",))
        .select_related("case", "to_spoke")
        .get(pk=transfer.pk)
    )
    if transfer.transfer_status != TransferStatus.PENDING or not transfer.is_live:
        raise ValidationError("This transfer has already been answered or has lapsed.")
    now = timezone.now()
    with acting_as(actor):
        transfer.transfer_status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
        transfer.decided_by = actor
        transfer.decided_at = now
        transfer.save(update_fields=["transfer_status", "decided_by", "decided_at"])
        if accept:
            if worker is None:
                raise ValidationError({"worker": "Choose the worker who will hold the case."})
            case = transfer.case
            # A transfer always names the spoke it goes to (to_spoke is empty only on the
            # shares and emergency accesses that CaseShare also holds).
            _check_worker_for_spoke(worker, transfer.to_spoke)  # type: ignore[arg-type]
            if case.status != CaseStatus.CLOSED:
                existing = open_case_at_hub(
                    young_person_id=case.young_person_id,
                    hub_id=transfer.to_spoke.hub_id,  # type: ignore[union-attr]
                    exclude_case_id=case.pk,
                )
                if existing is not None:
                    raise ValidationError(
                        f"This young person already has an open case at your hub "
                        f"({existing.reference}): record the work there, or close it first."
                    )
            case.spoke = transfer.to_spoke  # type: ignore[assignment]
            case.hub_id = transfer.to_spoke.hub_id  # type: ignore[union-attr]
            # Its import ref is the sending hub's (unique per hub only): the receiving hub may
            # use it for a case of its own, so it stays in the history, not on the case.
            case.import_ref = None
            case.save(update_fields=["spoke", "hub", "import_ref"])
            case_reallocate(actor=actor, case=case, worker=worker, reason="Transfer accepted")
            # Access granted by the old hub ends with the move.
            for share in CaseShare.objects.unexpired(now).filter(case=case):
                share.revoked_at = now
                share.save(update_fields=["revoked_at"])
                _remove_grant_unless_still_shared(share)
    return transfer


def shares_expire() -> int:
    """Remove guardian grants whose share has expired (access already stopped at expiry)."""
    now = timezone.now()
    removed = 0
    expired = (
        CaseShare.objects.filter(
            kind__in=[ShareKind.SHARE, ShareKind.BREAK_GLASS],
            expires_at__lte=now,
            shared_with__isnull=False,
        )
        .values_list("case_id", "shared_with_id")
        .distinct()
    )
    for case_id, user_id in expired:
        live = (
            CaseShare.objects.unexpired(now, kinds=None)
            .filter(case_id=case_id, shared_with_id=user_id)
            .exists()
        )
        if not live:
            deleted, _ = CaseUserObjectPermission.objects.filter(
                content_object_id=case_id, user_id=user_id
            ).delete()
            removed += deleted
    return removed
