"""Work beyond casework: training for professionals, groupwork with young people, and case
consultancy. Counts only: never a child's name."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from alexi.history import history_user_getter
from alexi.models import import_key_field

MAX_COUNT = 10_000


class Profession(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    POLICE = "police", "Police"
    EDUCATION = "education", "Teacher or education"
    HEALTH = "health", "Health professional"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector practitioner"
    CARER = "carer", "Foster or residential carer"
    YOUTH_WORKER = "youth_worker", "Youth worker"
    OTHER = "other", "Other"


class TrainingKind(models.TextChoices):
    TRAINING = "training", "Training"
    AWARENESS = "awareness", "Awareness raising"
    BRIEFING = "briefing", "Briefing"


class Setting(models.TextChoices):
    SCHOOL = "school", "School"
    YOUTH_CLUB = "youth_club", "Youth club"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit", "Pupil referral unit"
    RESIDENTIAL_HOME = "residential_home", "Residential home"
    COMMUNITY = "community", "Community"
    OTHER = "other", "Other"


class AgeBand(models.TextChoices):
    UNDER_11 = "under_11", "Under 11"
    AGE_11_13 = "11_13", "11 to 13"
    AGE_14_16 = "14_16", "14 to 16"
    AGE_17_18 = "17_18", "17 to 18"
    AGE_19_25 = "19_25", "19 to 25"
    MIXED = "mixed", "Mixed ages"


def count_field(verbose_name: str, minimum: int = 0):
    return models.PositiveIntegerField(
        verbose_name, validators=[MinValueValidator(minimum), MaxValueValidator(MAX_COUNT)]
    )


class TrainingEvent(models.Model):
    """A training, awareness-raising or briefing session for professionals."""

    import_key = import_key_field()
    spoke = models.ForeignKey("alexi.Spoke", on_delete=models.PROTECT, related_name="training")
    date = models.DateField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=TrainingKind.choices)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confidence_before = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    confidence_after = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["spoke", "date"])]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    """How many of one profession attended an event."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendance")
    profession = models.CharField(max_length=20, choices=Profession.choices)
    attendees = count_field("attendees", 1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "profession"], name="one_count_per_profession")
        ]

    def __str__(self) -> str:
        return f"{self.attendees} {self.get_profession_display()}"


class Groupwork(models.Model):
    """Groupwork, a talk or a session with young people: a count, never names."""

    import_key = import_key_field()
    spoke = models.ForeignKey("alexi.Spoke", on_delete=models.PROTECT, related_name="groupwork")
    date = models.DateField()
    setting = models.CharField(max_length=20, choices=Setting.choices)
    title = models.CharField(max_length=200)
    young_people = count_field("young people reached", 1)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.MIXED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        verbose_name_plural = "groupwork"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["spoke", "date"])]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """A professional's request for advice on a case the service does not hold."""

    import_key = import_key_field()
    spoke = models.ForeignKey("alexi.Spoke", on_delete=models.PROTECT, related_name="consultations")
    date = models.DateField()
    professional_role = models.CharField(max_length=20, choices=Profession.choices)
    agency = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    topic = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["spoke", "date"])]

    def __str__(self) -> str:
        return f"Consultation on {self.date:%d %b %Y}"
