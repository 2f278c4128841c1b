"""Referrals: how young people arrive, and what the hub decided."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from alexi.history import history_user_getter
from casework.models import NOTE_MAX, Gender


class Source(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    SCHOOL = "school", "School"
    HEALTH = "health", "Health"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    PARENT_CARER = "parent_carer", "Parent or carer"
    SELF = "self", "Self-referral"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent (within a week)"
    IMMEDIATE = "immediate", "Immediate (same day)"


class Awareness(models.TextChoices):
    KNOWS_AND_AGREES = "knows_agrees", "Knows and agrees"
    KNOWS_NOT_AGREED = "knows_not_agreed", "Knows, has not agreed"
    DOES_NOT_KNOW = "does_not_know", "Does not know"
    NOT_KNOWN = "not_known", "Not known"


class Decision(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    SIGNPOSTED = "signposted", "Signposted"
    DECLINED = "declined", "Declined"
    WAITING = "waiting", "On the waiting list"


OPEN_DECISIONS = (Decision.PENDING, Decision.WAITING)


class Referral(models.Model):
    # The referral's reference in its hub's imported records: unique within the hub only.
    import_ref = models.CharField(max_length=40, null=True, blank=True)
    hub = models.ForeignKey("alexi.Hub", on_delete=models.PROTECT, related_name="referrals")
    received_on = models.DateField()
    source = models.CharField(max_length=24, choices=Source.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_agency = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=300, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(25)], help_text="If no date of birth"
    )
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    local_authority = models.ForeignKey(
        "alexi.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concerns = models.TextField(blank=True, max_length=NOTE_MAX)
    indicators = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    young_person_aware = models.CharField(
        max_length=16, choices=Awareness.choices, default=Awareness.NOT_KNOWN
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.TextField(blank=True, max_length=NOTE_MAX)
    signposted_to = models.CharField(max_length=300, blank=True)
    young_person = models.ForeignKey(
        "casework.YoungPerson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Usually the case the referral opened; a referral for a young person whose case is
    # already open at the hub is accepted into that case, so a case may have several.
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [
            models.Index(fields=["hub", "decision", "received_on"]),
            models.Index(fields=["received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="declined") | ~Q(decline_reason=""),
                name="declined_referral_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decision="accepted") | Q(case__isnull=False),
                name="accepted_referral_has_case",
            ),
            models.UniqueConstraint(
                fields=["hub", "import_ref"], name="referral_ref_unique_per_hub"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "R-new"

    @property
    def is_open(self) -> bool:
        return self.decision in OPEN_DECISIONS

    @property
    def person_label(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or "Name not known"
