"""Quarterly returns: immutable snapshots of the figures, with their rendered files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReturnKind(models.TextChoices):
    FUNDER = "funder", "Funder return"
    HUB = "hub", "Hub return"


class QuarterlyReturn(models.Model):
    """One version of one return. Never changed once written (a database trigger refuses
    UPDATE and DELETE); regenerating makes a new version beside the old one."""

    kind = models.CharField(max_length=6, choices=ReturnKind.choices)
    funder = models.ForeignKey(
        "alexi.Funder", null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    hub = models.ForeignKey(
        "alexi.Hub", null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    quarter = models.CharField(max_length=6)  # e.g. 2026Q3
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    disclosure_controlled = models.BooleanField()
    figures = models.JSONField()
    json_sha256 = models.CharField(max_length=64)
    csv = models.BinaryField()
    csv_sha256 = models.CharField(max_length=64)
    xlsx = models.BinaryField()
    xlsx_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="funder", funder__isnull=False, hub__isnull=True))
                | (Q(kind="hub", hub__isnull=False, funder__isnull=True)),
                name="return_has_one_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "funder", "hub", "quarter", "version"],
                name="one_return_per_subject_quarter_version",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["funder", "quarter"]),
            models.Index(fields=["hub", "quarter"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.quarter} v{self.version}"

    @property
    def subject_name(self) -> str:
        return self.funder.name if self.funder_id else self.hub.name


class ReturnRequest(models.Model):
    """An administrator's request for a quarter's returns, kept until a worker has made them,
    so a request made while the broker is down is not lost (the hourly sweep picks it up)."""

    quarter = models.CharField(max_length=6)
    regenerate = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["done_at"])]

    def __str__(self) -> str:
        return f"Returns for {self.quarter}{' (regenerate)' if self.regenerate else ''}"
