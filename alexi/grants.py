"""Grants that reach a hub's child records: managing the hub, or working at one of its spokes.

An administrator (or an import, or the command line) may only *ask*: the grant is made when a
current manager of the hub confirms it, or, for a hub with no manager, a second programme
administrator. Whoever asked never confirms their own request, nor does the person it is for.
Every request, confirmation and refusal is in the access log, and the hub's managers are
emailed (no case content). Kept apart from alexi/services.py because these writes and their
rules belong together.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from alexi import hooks
from alexi.audit import record_access
from alexi.history import acting_as
from alexi.models import (
    AccessAction,
    AccessGrant,
    GrantKind,
    GrantStatus,
    Hub,
    HubManagement,
    Invitation,
    Role,
    Spoke,
    User,
    WorkerProfile,
)

logger = logging.getLogger("alexi.grants")
SYSTEM_LABEL = "system set-up"


class GrantRefused(Exception):
    """The grant cannot be asked for or made as it stands; the message says why, in plain words."""


# --- Who may decide --------------------------------------------------------------------------


def _current_managements(hub_ids):
    return HubManagement.objects.current().filter(
        hub_id__in=hub_ids,
        manager__is_active=True,
        manager__role=Role.HUB_MANAGER,
    )


def _managers_by_hub(hub_ids) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {}
    for hub_id, manager_id in _current_managements(hub_ids).values_list("hub_id", "manager_id"):
        result.setdefault(hub_id, set()).add(manager_id)
    return result


def _invited_by(user: User, requester_id: int | None) -> bool:
    """Was `user` invited by the person who asked? (A second administrator the first one
    invited is not a second pair of eyes.)"""
    if requester_id is None:
        return False
    return Invitation.objects.filter(user=user, created_by_id=requester_id).exists()


def _may_decide(user: User, grant: AccessGrant, managers: set[int]) -> bool:
    """The rule, given the hub's current managers' ids."""
    from alexi.access import role_of

    role = role_of(user)
    if grant.status != GrantStatus.PENDING or user.pk in (grant.user_id, grant.requested_by_id):
        return False
    deciders = managers - {grant.user_id, grant.requested_by_id}
    if deciders:
        allowed = role == Role.HUB_MANAGER and user.pk in deciders
    else:
        allowed = role == Role.PROGRAMME_ADMIN
    return allowed and not _invited_by(user, grant.requested_by_id)


def grants_to_decide(user: User) -> list[AccessGrant]:
    """Requests this person may confirm or refuse, oldest first (a handful of queries)."""
    from alexi.access import managed_hub_ids, role_of

    role = role_of(user)
    pending = AccessGrant.objects.filter(status=GrantStatus.PENDING).select_related(
        "user", "hub", "spoke__local_authority", "requested_by"
    )
    if role == Role.HUB_MANAGER:
        pending = pending.filter(hub_id__in=managed_hub_ids(user))
    elif role != Role.PROGRAMME_ADMIN:
        return []
    grants = list(pending.exclude(user=user))
    managers = _managers_by_hub({g.hub_id for g in grants})
    invited_by = set(
        Invitation.objects.filter(user=user, created_by__isnull=False).values_list(
            "created_by_id", flat=True
        )
    )
    result = []
    for grant in grants:
        if grant.requested_by_id == user.pk or grant.requested_by_id in invited_by:
            continue
        deciders = managers.get(grant.hub_id, set()) - {grant.user_id, grant.requested_by_id}
        if (deciders and role == Role.HUB_MANAGER and user.pk in deciders) or (
            not deciders and role == Role.PROGRAMME_ADMIN
        ):
            result.append(grant)
    return result


def grant_for_decision(user: User, grant_id: int, *, for_update: bool = False) -> AccessGrant:
    """The pending request if this person may decide it, else 404 (existence does not leak)."""
    queryset = AccessGrant.objects.select_related("user", "hub", "spoke", "requested_by")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    grant = queryset.filter(pk=grant_id).first()
    if grant is None or not _may_decide(
        user, grant, _managers_by_hub([grant.hub_id]).get(grant.hub_id, set())
    ):
        raise Http404("No such request")
    return grant


def grants_waiting_for(user: User) -> list[AccessGrant]:
    """A person's own requests that are still waiting (shown on their People page)."""
    return list(
        AccessGrant.objects.filter(user=user, status=GrantStatus.PENDING).select_related(
            "hub", "spoke__local_authority", "requested_by"
        )
    )


# --- Writes ------------------------------------------------------------------------------------


def _label(actor: User | None) -> str:
    return actor.email if actor is not None else SYSTEM_LABEL


def _log(request, action: str, grant: AccessGrant, actor: User | None) -> None:
    record_access(
        request,
        action,
        object_type="accessgrant",
        object_id=grant.pk,
        user=actor,
        user_label=_label(actor),
    )


def _notify(grant: AccessGrant, what: str, *, exclude: set[int | None]) -> None:
    """Email the hub's current managers (or, with none, the administrators) after commit. The
    message names the hub and the person, never a case."""
    recipients = list(
        User.objects.filter(
            pk__in=_current_managements([grant.hub_id]).values("manager_id"), is_active=True
        )
        .exclude(pk__in=[pk for pk in exclude if pk is not None])
        .values_list("email", flat=True)
    )
    if not recipients:
        recipients = list(
            User.objects.filter(role=Role.PROGRAMME_ADMIN, is_active=True)
            .exclude(pk__in=[pk for pk in exclude if pk is not None])
            .values_list("email", flat=True)
        )
    where = f" at spoke {grant.spoke.local_authority.name}" if grant.spoke_id else ""
    link = settings.SITE_URL.rstrip("/") + reverse("alexi:access_requests")
    subject = f"Alexi: access to {grant.hub.name} {what}"
    body = (
        f"{grant.user.full_name} ({grant.user.email}) was {what} access to "
        f"{grant.hub.name}{where}: {grant.get_kind_display().lower()}.\n\n"
        f"Requests waiting for a decision are on this page:\n{link}\n\n"
        "If you did not expect this, tell your programme administrator.\n"
    )
    for to in recipients:
        transaction.on_commit(lambda to=to: _queue_email(subject, body, to))


def _queue_email(subject: str, body: str, to: str) -> None:
    """Hand the email to the worker; a broker that is down is logged, never an error page."""
    from alexi.tasks import send_email

    try:
        send_email.delay(subject, body, to)
    except Exception:  # noqa: BLE001 (the grant is saved; the sweep of mail is the log)
        logger.exception("Could not queue a grant notification")


def _check_request(user: User, kind: str, hub: Hub, spoke: Spoke | None) -> None:
    if kind == GrantKind.HUB_MANAGER:
        if user.role != Role.HUB_MANAGER:
            raise GrantRefused(f"{user.full_name} is not a hub manager.")
        if _current_managements([hub.pk]).filter(manager=user).exists():
            raise GrantRefused(f"{user.full_name} already manages {hub.name}.")
    else:
        if user.role != Role.SPOKE_WORKER:
            raise GrantRefused(f"{user.full_name} is not a spoke worker.")
        if spoke is None or spoke.hub_id != hub.pk:
            raise GrantRefused("Choose a spoke of this hub.")
        if spoke.end_date is not None and spoke.end_date < timezone.localdate():
            raise GrantRefused(f"The spoke {spoke} has ended.")
        current = WorkerProfile.objects.filter(user=user).values_list("spoke_id", flat=True)
        if spoke.pk in current:
            raise GrantRefused(f"{user.full_name} already works at {spoke}.")


@transaction.atomic
def grant_request(
    *,
    actor: User | None,
    user: User,
    kind: str,
    hub: Hub,
    spoke: Spoke | None = None,
    worker_details: dict | None = None,
    request=None,
) -> AccessGrant:
    """Ask for `user` to manage `hub` or work at `spoke`. Nothing is granted yet: the hub's
    managers (or another administrator) are told and asked to confirm."""
    _check_request(user, kind, hub, spoke)
    existing = AccessGrant.objects.filter(
        user=user, kind=kind, hub=hub, status=GrantStatus.PENDING
    ).first()
    if existing is not None:
        raise GrantRefused(
            f"A request for {user.full_name} at {hub.name} is already waiting for confirmation."
        )
    details = {
        key: (str(value) if isinstance(value, Decimal) else value)
        for key, value in (worker_details or {}).items()
    }
    with acting_as(actor):
        grant = AccessGrant.objects.create(
            user=user,
            kind=kind,
            hub=hub,
            spoke=spoke if kind == GrantKind.SPOKE_WORKER else None,
            worker_details=details,
            requested_by=actor,
        )
    _log(request, AccessAction.GRANT_REQUESTED, grant, actor)
    _notify(grant, "asked for", exclude={user.pk, actor.pk if actor else None})
    return grant


def _open_cases_elsewhere(user: User, spoke: Spoke) -> int:
    return hooks.open_cases(worker=user, exclude_spoke=spoke)


def _apply(grant: AccessGrant, start_date: date | None = None) -> None:
    """Make the management or the spoke attachment the grant asked for."""
    user = grant.user
    if grant.kind == GrantKind.HUB_MANAGER:
        if not _current_managements([grant.hub_id]).filter(manager=user).exists():
            HubManagement.objects.create(
                hub_id=grant.hub_id, manager=user, start_date=start_date or timezone.localdate()
            )
        return
    details = grant.worker_details or {}
    profile = WorkerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        fte = details.get("fte")
        WorkerProfile.objects.create(
            user=user,
            spoke_id=grant.spoke_id,
            fte=Decimal(fte) if fte not in (None, "") else Decimal("1.00"),
            background=details.get("background") or "",
            qualifications=details.get("qualifications") or "",
            years_experience=details.get("years_experience"),
        )
        return
    held = _open_cases_elsewhere(user, grant.spoke)
    if held:
        raise GrantRefused(
            f"{user.full_name} holds {held} open case{'s' if held > 1 else ''} at "
            f"{profile.spoke}; reallocate them before moving them to {grant.spoke}."
        )
    profile.spoke_id = grant.spoke_id
    profile.save(update_fields=["spoke"])


@transaction.atomic
def grant_confirm(*, actor: User, grant_id: int, request=None) -> AccessGrant:
    """Confirm a waiting request (404 for anyone who may not) and make the grant."""
    grant = grant_for_decision(actor, grant_id, for_update=True)
    if not grant.user.is_active:
        raise GrantRefused(
            f"{grant.user.full_name}'s account is deactivated. Refuse the request, or ask an "
            "administrator to reactivate the account first."
        )
    # A case is shared only with a worker of its hub: moving to another hub's spoke ends the
    # shares of the old hub's cases at once, as deactivation does.
    before = WorkerProfile.objects.filter(user=grant.user).values_list("spoke__hub_id", flat=True)
    old_hub = before.first() if grant.kind == GrantKind.SPOKE_WORKER else None
    with acting_as(actor):
        _apply(grant)
        grant.status = GrantStatus.CONFIRMED
        grant.decided_by = actor
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
    if old_hub is not None and old_hub != grant.hub_id:
        hooks.end_personal_access(
            actor=actor, user=grant.user, reason=SHARES_ENDED_ON_MOVE, request=request
        )
    _log(request, AccessAction.GRANT_CONFIRMED, grant, actor)
    _notify(grant, "confirmed", exclude={actor.pk, grant.user_id})
    return grant


SHARES_ENDED_ON_MOVE = "Sharing ended: the worker moved to another hub"


@transaction.atomic
def grant_refuse(*, actor: User, grant_id: int, request=None) -> AccessGrant:
    """Refuse a waiting request (404 for anyone who may not): nothing is granted."""
    grant = grant_for_decision(actor, grant_id, for_update=True)
    with acting_as(actor):
        grant.status = GrantStatus.REFUSED
        grant.decided_by = actor
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
    _log(request, AccessAction.GRANT_REFUSED, grant, actor)
    _notify(grant, "refused", exclude={actor.pk, grant.user_id})
    return grant


@transaction.atomic
def grant_setup(
    *,
    user: User,
    kind: str,
    hub: Hub,
    spoke: Spoke | None = None,
    worker_details: dict | None = None,
    start_date: date | None = None,
) -> AccessGrant:
    """System set-up only (the demo loader, run from the command line by whoever runs the
    server): make a grant at once, logged as confirmed by the system. Never called by a page."""
    with acting_as(None):
        grant = AccessGrant.objects.create(
            user=user,
            kind=kind,
            hub=hub,
            spoke=spoke if kind == GrantKind.SPOKE_WORKER else None,
            worker_details={
                key: (str(value) if isinstance(value, Decimal) else value)
                for key, value in (worker_details or {}).items()
            },
            status=GrantStatus.CONFIRMED,
            decided_at=timezone.now(),
        )
        _apply(grant, start_date=start_date)
    _log(None, AccessAction.GRANT_CONFIRMED, grant, None)
    return grant


@transaction.atomic
def grants_reask_on_reactivation(*, actor: User, user: User, request=None) -> list[AccessGrant]:
    """A reactivated account gets no hub access back by itself: the hubs it managed and the
    spoke it worked at are ended now and asked for again (grant_request), so a current manager
    of the hub (or a second administrator) confirms before it reaches any child record again.
    A spoke that has ended, or a request already waiting, is not asked for again."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    hubs = []
    managements = HubManagement.objects.select_for_update().not_ended(today).filter(manager=user)
    with acting_as(actor):
        for management in managements.select_related("hub"):
            if management.hub not in hubs:
                hubs.append(management.hub)
            management.end_date = yesterday
            management.save(update_fields=["end_date"])
        profile = (
            WorkerProfile.objects.select_for_update(of=("self",))
            .select_related("spoke__hub")
            .filter(user=user)
            .first()
        )
        if profile is not None:
            spoke = profile.spoke
            details = {
                "fte": str(profile.fte),
                "background": profile.background,
                "qualifications": profile.qualifications,
                "years_experience": profile.years_experience,
            }
            profile.delete()
    asked = []
    wanted = [(GrantKind.HUB_MANAGER, hub, None, None) for hub in hubs]
    if profile is not None:
        wanted.append((GrantKind.SPOKE_WORKER, spoke.hub, spoke, details))
    for kind, hub, spoke_, worker_details in wanted:
        try:
            asked.append(
                grant_request(
                    actor=actor,
                    user=user,
                    kind=kind,
                    hub=hub,
                    spoke=spoke_,
                    worker_details=worker_details,
                    request=request,
                )
            )
        except GrantRefused:
            continue
    return asked
