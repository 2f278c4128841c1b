"""In-app notifications, the email digest preference and the calendar feed's secret.

A notification holds no case content: who it is for, what kind of thing happened, and what it
points at as a type and a number (a case's id, an import's id). Its words are made when it is
shown, from its kind, and name the case only if the reader may still open it then
(alexi.notifications.selectors).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationKind(models.TextChoices):
    CASE_ALLOCATED = "case_allocated", "A case was allocated to you"
    REFERRAL_ACCEPTED = "referral_accepted", "A referral was accepted into your caseload"
    CASE_SHARED = "case_shared", "A case was shared with you"
    CLOSURE_APPROVED = "closure_approved", "A closure you asked for was approved"
    CLOSURE_RETURNED = "closure_returned", "A closure you asked for was returned to you"
    EMERGENCY_ACCESS = "emergency_access", "Emergency access was used on your hub's case"
    IMPORT_FINISHED = "import_finished", "An import you started has finished"


class TargetType(models.TextChoices):
    CASE = "case", "Case"
    IMPORT = "import", "Import"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    # What happened, once ("allocation:12"): the same event never notifies a person twice.
    event = models.CharField(max_length=80)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_person_and_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class DigestFrequency(models.TextChoices):
    OFF = "off", "No email"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly (on Mondays)"


class NotificationPreference(models.Model):
    """One person's choices: the email digest, and their calendar feed (off unless asked
    for). Only a hash of the feed's secret is kept; the address is shown once when made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.OFF
    )
    # The period ("2026-12-03" or "2026-W49") the last digest was sent for: never twice.
    digest_sent_for = models.CharField(max_length=12, blank=True)
    calendar_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    calendar_made_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    def __str__(self) -> str:
        return f"Notification choices of {self.user}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
