"""Passkeys beside authenticator codes: naming, removing, and the per-role requirement.

The ceremonies themselves (challenge, signature, counter) are django-otp-webauthn's; this module
is the Alexi side: who may do what, in one transaction, with history and the access log.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from alexi.history import acting_as
from alexi.models import AccessAction, Role, User
from alexi.passkeys.models import PasskeyRequirement

NAME_MAX_LENGTH = 64


class PasskeyRefused(Exception):
    """A change to passkeys that is not allowed; the message says why, in plain words."""


class PasskeyHelper(WebAuthnHelper):
    """django-otp-webauthn's helper, naming each new passkey so a person with several (phone,
    laptop) can tell them apart until they give it a name of their own."""

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        count = WebAuthnCredential.objects.filter(user=user).count()
        device.name = f"Passkey {count + 1}"
        return device


def user_passkeys(user: User):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def passkeys_required(user: User) -> bool:
    """Whether this person's role signs in with a passkey."""
    return PasskeyRequirement.objects.filter(role=user.role, required=True).exists()


def passkey_enrolment_needed(user: User) -> bool:
    """Their role needs a passkey and they have none yet."""
    return passkeys_required(user) and not user_passkeys(user).exists()


@transaction.atomic
def passkey_rename(*, actor: User, passkey: WebAuthnCredential, name: str) -> None:
    name = " ".join(name.split())
    if passkey.user_id != actor.pk:
        raise PasskeyRefused("You can only name your own passkeys.")
    if not name:
        raise PasskeyRefused("Enter a name, like “Work phone”.")
    if len(name) > NAME_MAX_LENGTH:
        raise PasskeyRefused(f"Use a name of {NAME_MAX_LENGTH} characters or fewer.")
    passkey.name = name
    passkey.save(update_fields=["name"])


@transaction.atomic
def passkey_remove(*, actor: User, passkey: WebAuthnCredential, request=None) -> None:
    """Remove one of the actor's passkeys. The last one stays while their role needs one."""
    from alexi.audit import record_access

    if passkey.user_id != actor.pk:
        raise PasskeyRefused("You can only remove your own passkeys.")
    # Lock the person's passkeys so two removals at once cannot both take the last one.
    others = (
        WebAuthnCredential.objects.select_for_update()
        .filter(user=actor, confirmed=True)
        .exclude(pk=passkey.pk)
    )
    if passkeys_required(actor) and not list(others):
        raise PasskeyRefused(
            "Your role signs in with a passkey, so your last one cannot be removed. "
            "Add another passkey first, then remove this one."
        )
    passkey_id = passkey.pk
    passkey.delete()
    record_access(
        request, AccessAction.SECOND_FACTOR_RESET, object_type="passkey", object_id=passkey_id
    )


@transaction.atomic
def passkey_requirement_set(
    *, actor: User, role: str, required: bool, request=None
) -> PasskeyRequirement:
    """A programme administrator requires (or stops requiring) passkeys for their own role.
    Switching it on needs a passkey of their own, so they are never the first to be stopped."""
    from alexi.audit import record_access

    if actor.role != Role.PROGRAMME_ADMIN or role != actor.role:
        raise PasskeyRefused("Programme administrators can set this for their own role only.")
    if required and not user_passkeys(actor).exists():
        raise PasskeyRefused(
            "Add a passkey to your own account first, then you can require them for your role."
        )
    with acting_as(actor):
        requirement, _ = PasskeyRequirement.objects.select_for_update().get_or_create(role=role)
        requirement.required = required
        requirement.changed_by = actor
        requirement.changed_at = timezone.now()
        requirement.save()
    # The change of sign-in rule is in the access log: who, when, and which way (object id
    # "required" or "not_required", for the role in object type).
    record_access(
        request,
        AccessAction.SECOND_FACTOR_ENROLLED if required else AccessAction.SECOND_FACTOR_RESET,
        object_type=f"passkey_requirement:{role}",
        object_id="required" if required else "not_required",
        user=actor,
    )
    return requirement
