"""The one-time tokens of create forms that have been used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SpentToken(models.Model):
    """A create form's token, written in the same transaction as the record the form made: the
    unique token makes a second sending of the form (even at the same instant) find it and be
    answered "already saved" with a link to what was made. Holds no case data, only where the
    record is shown. Deleted by the hourly sweep once the token could no longer be accepted."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField("form address", max_length=500)
    made_url = models.CharField("address of what was made", max_length=500, blank=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.path} at {self.used_at:%Y-%m-%d %H:%M}"
