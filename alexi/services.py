"""Writes for the programme core: invitations, sign-in bookkeeping, deactivation.

Each service runs in one transaction and records the actor (ARCHITECTURE.md, CONVENTIONS.md).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from decimal import Decimal
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alexi import hooks
from alexi.history import acting_as
from alexi.models import (
    AccessAction,
    Funder,
    Hub,
    Invitation,
    Role,
    Spoke,
    User,
    UserSession,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alexi.models import AccessGrant

RECOVERY_CODE_COUNT = 10
logger = logging.getLogger("alexi.services")


@transaction.atomic
def user_invite(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    hubs: list[Hub] | None = None,
    spoke: Spoke | None = None,
    funder: Funder | None = None,
    fte: Decimal | None = None,
    background: str = "",
    qualifications: str = "",
    years_experience: int | None = None,
    request: HttpRequest | None = None,
    identity_confirmed: bool = False,
) -> tuple[User, str]:
    """Create a user with no password and an invitation; email the link. Returns (user, token).

    Managing a hub or working at a spoke reaches children's records, so those are only asked
    for here: they are granted when a manager of the hub confirms (alexi.grants). A programme
    administrator invited from a page needs the inviting administrator to have confirmed it is
    them (password and second factor, `identity_confirmed`), so one taken-over session cannot
    make another administrator quietly: it is in the access log and every administrator is
    emailed. (The `invite` command, run on the server, makes the first one.)"""
    from alexi.grants import grant_request
    from alexi.models import GrantKind

    if role == Role.PROGRAMME_ADMIN and actor is not None and not identity_confirmed:
        raise InvitationRefused(
            "To invite a programme administrator, confirm it is you: enter your password and "
            "your second factor."
        )
    with acting_as(actor):
        user = User.objects.create_user(
            email=email,
            full_name=full_name,
            role=role,
            funder=funder if role == Role.FUNDER else None,
        )
    if role == Role.PROGRAMME_ADMIN and actor is not None:
        _administrator_invited(actor=actor, user=user, request=request)
    if role == Role.HUB_MANAGER:
        for hub in hubs or []:
            grant_request(
                actor=actor, user=user, kind=GrantKind.HUB_MANAGER, hub=hub, request=request
            )
    if role == Role.SPOKE_WORKER:
        grant_request(
            actor=actor,
            user=user,
            kind=GrantKind.SPOKE_WORKER,
            hub=spoke.hub,  # type: ignore[union-attr]  # a spoke worker is invited to a spoke
            spoke=spoke,
            worker_details={
                "fte": fte if fte is not None else Decimal("1.00"),
                "background": background,
                "qualifications": qualifications,
                "years_experience": years_experience,
            },
            request=request,
        )
    token = invitation_issue(actor=actor, user=user)
    return user, token


class InvitationRefused(Exception):
    """An invitation that cannot be made as asked; the message says why, in plain words."""


def _administrator_invited(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Log a new administrator's invitation and tell every active administrator (the one who
    invited too, so a taken-over session is noticed) after commit. No case content."""
    _administrator_told(
        action=AccessAction.ADMIN_INVITED,
        actor=actor,
        user=user,
        request=request,
        subject="Alexi: a new programme administrator was invited",
        what="invited",
        to_be="to be a programme administrator",
        tell_them=False,  # they are sent their invitation
    )


def _administrator_told(
    *,
    action: str,
    actor: User,
    user: User,
    request: HttpRequest | None,
    subject: str,
    what: str,
    to_be: str,
    tell_them: bool,
) -> None:
    """One access-log row, and after commit an email to every active administrator (`user`
    too when `tell_them`): names and a link to the person only, never case content."""
    from alexi.audit import record_access

    record_access(request, action, object_type="user", object_id=user.pk, user=actor)
    administrators = User.objects.filter(role=Role.PROGRAMME_ADMIN, is_active=True)
    if not tell_them:
        administrators = administrators.exclude(pk=user.pk)
    recipients = list(administrators.values_list("email", flat=True))
    link = settings.SITE_URL.rstrip("/") + reverse("alexi:person", args=[user.pk])
    body = (
        f"{actor.full_name} ({actor.email}) {what} {user.full_name} ({user.email}) {to_be} "
        f"on {timezone.localtime():%d %B %Y at %H:%M}. They confirmed "
        "it was them with their password and second factor.\n\n"
        f"If nobody expected this, deactivate the account on its People page:\n{link}\n"
        "and tell the other administrators.\n"
    )
    for to in recipients:
        transaction.on_commit(partial(_email_quietly, subject, body, to))


def _email_quietly(subject: str, body: str, to: str) -> None:
    try:
        send_mail(subject, body, None, [to], fail_silently=False)
    except Exception:  # noqa: BLE001 (the invitation is saved; the failure is logged)
        logger.exception("Could not send '%s'; check the email settings", subject)


@transaction.atomic
def invitation_issue(*, actor: User | None, user: User) -> str:
    """Revoke any earlier invitation and make a new single-use link; email it on commit."""
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user,
        token_hash=Invitation.hash_token(token),
        created_by=actor,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = settings.SITE_URL.rstrip("/") + reverse("alexi:invitation_accept", args=[token])
    body = (
        f"Hello {user.full_name},\n\n"
        f"You have been invited to Alexi. Choose your password here (the link works once and "
        f"for {settings.INVITATION_VALID_DAYS} days):\n\n{link}\n\n"
        "When you first sign in you will set up a second factor with an authenticator app.\n"
    )
    transaction.on_commit(lambda: send_or_log("Your invitation to Alexi", body, user.email))
    return token


def send_or_log(subject: str, body: str, to: str) -> None:
    """Send an email; a mail server failure is logged, never turned into an error page."""
    try:
        send_mail(subject, body, None, [to], fail_silently=False)
    except Exception:  # noqa: BLE001 (any transport error: the record is already saved)
        logger.exception("Could not send '%s' to a user; check the email settings", subject)


def invitation_find(token: str) -> Invitation | None:
    """The usable invitation for this token, or None (expired, used, revoked or unknown)."""
    invitation = (
        Invitation.objects.select_related("user")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        return None
    return invitation


def invitation_open(user: User) -> Invitation | None:
    """The user's invitation whose link still works, if any (for telling them so)."""
    for invitation in Invitation.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True
    ):
        if invitation.is_usable:
            return invitation
    return None


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, request: HttpRequest | None = None
) -> User | None:
    """Set the invited user's password. None if the link is not usable.

    The link is used up only when the second factor is set up (totp_device_confirm): someone
    whose session ends between the two steps starts again from the same link while it is valid,
    instead of being left with a password and no way to add a second factor."""
    from alexi.audit import record_access

    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        return None
    user = invitation.user
    with acting_as(user):
        user.set_password(password)
        user.save(update_fields=["password"])
    record_access(request, AccessAction.PASSWORD_SET, user=user)
    return user


def session_register(*, user: User, session_key: str) -> None:
    """Remember that this server-side session belongs to `user`."""
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def sessions_end(*, user: User) -> int:
    """End every session of `user`: raise their session epoch (so any session, recorded or
    not, fails its hash check on the next request) and delete the ones we know of."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in UserSession.objects.filter(user=user):
        store(session_key=row.session_key).delete()
        ended += 1
    UserSession.objects.filter(user=user).delete()
    return ended


SHARES_ENDED_ON_DEACTIVATION = "Sharing ended: the account was deactivated"
SHARES_ENDED_ON_REACTIVATION = "Sharing ended: the account was reactivated"


@transaction.atomic
def user_deactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> int:
    """Stop a user signing in, end all their sessions at once, and end every case shared with
    them (a share is not kept for a later reactivation), and turn off their calendar feed."""
    from alexi.audit import record_access
    from alexi.notifications.services import calendar_feed_off

    with acting_as(actor):
        user.is_active = False
        user.save(update_fields=["is_active"])
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    hooks.end_personal_access(
        actor=actor, user=user, reason=SHARES_ENDED_ON_DEACTIVATION, request=request
    )
    # The calendar feed's address is a key that needs no sign-in: it goes with the account
    # (not back on reactivation; the person makes a new one).
    calendar_feed_off(user=user, request=request, actor=actor)
    ended = sessions_end(user=user)
    record_access(request, AccessAction.SESSIONS_ENDED, object_type="user", object_id=user.pk)
    return ended


class ReactivationRefused(Exception):
    """A reactivation that cannot be made as asked; the message says why, in plain words."""


@transaction.atomic
def user_reactivate(
    *,
    actor: User,
    user: User,
    request: HttpRequest | None = None,
    identity_confirmed: bool = False,
) -> list[AccessGrant]:
    """Let the person sign in again. Their hub access is not given back by this: it is asked
    for again and waits for the hub to confirm (alexi.grants), and any case still shared with
    them is ended (shared again by hand if it is still needed). Returns the requests made.

    A programme administrator's account gives back every administrator right at once, so, as
    for inviting one, the acting administrator must have confirmed it is them (password and
    second factor, `identity_confirmed`); it is in the access log ('Administrator
    reactivated') and every other active administrator is emailed."""
    from alexi.grants import grants_reask_on_reactivation

    if user.role == Role.PROGRAMME_ADMIN and not identity_confirmed:
        raise ReactivationRefused(
            "To reactivate a programme administrator, confirm it is you: enter your password "
            "and your second factor."
        )
    with acting_as(actor):
        user.is_active = True
        user.save(update_fields=["is_active"])
    hooks.end_personal_access(
        actor=actor, user=user, reason=SHARES_ENDED_ON_REACTIVATION, request=request
    )
    if user.role == Role.PROGRAMME_ADMIN:
        _administrator_told(
            action=AccessAction.ADMIN_REACTIVATED,
            actor=actor,
            user=user,
            request=request,
            subject="Alexi: a programme administrator's account was reactivated",
            what="reactivated",
            to_be="as a programme administrator",
            tell_them=True,  # it is their account: they should know it can sign in again
        )
    return grants_reask_on_reactivation(actor=actor, user=user, request=request)


@transaction.atomic
def second_factor_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Lost phone: remove the second factor, end all sessions and send a new invitation, so a
    new factor can only be set up by whoever holds the emailed link (never the password alone)."""
    from django_otp_webauthn.models import WebAuthnCredential

    from alexi.audit import record_access
    from alexi.notifications.services import calendar_feed_off

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # A lost phone's passkey must stop working too, and with no device left the emailed link
    # leads to setting up a new factor (not to a code step the person can no longer pass).
    WebAuthnCredential.objects.filter(user=user).delete()
    with acting_as(actor):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    sessions_end(user=user)
    # A lost phone may hold the calendar feed's address (a key that needs no sign-in).
    calendar_feed_off(user=user, request=request, actor=actor)
    invitation_issue(actor=actor, user=user)
    record_access(request, AccessAction.SECOND_FACTOR_RESET, object_type="user", object_id=user.pk)


def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator key for this set-up (any earlier one is discarded,
    so a key shown in one session can never be confirmed from another)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator app and issue fresh recovery codes (shown once). This uses up
    the invitation that led here: its link no longer works."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        used_at=timezone.now()
    )
    return recovery_codes_make(user=user)


@transaction.atomic
def recovery_codes_make(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        code = StaticToken.random_token()
        StaticToken.objects.create(device=device, token=code)
        codes.append(code)
    return codes
