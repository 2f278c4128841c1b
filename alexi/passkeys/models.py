"""Which roles must sign in with a passkey (the passkeys themselves are django-otp-webauthn's
WebAuthnCredential devices, one per phone or computer)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from alexi.history import history_user_getter
from alexi.models import Role, User


class PasskeyRequirement(models.Model):
    """People in `role` sign in with a passkey: authenticator codes are not accepted for them
    once they have one (recovery codes still are), and whoever has none is asked to add one
    straight after signing in. Programme administrators switch it for their own role."""

    role = models.CharField(max_length=20, choices=Role.choices, unique=True)
    required = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(get_user=history_user_getter)

    def __str__(self) -> str:
        return f"{self.get_role_display()}: passkey {'required' if self.required else 'optional'}"
