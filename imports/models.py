"""An import started on the upload page: its files until they are imported, and its reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    WAITING_CHECK = "waiting_check", "Waiting to be checked"
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked: ready to import"
    PROBLEMS = "problems", "Problems found: nothing imported"
    WAITING_IMPORT = "waiting_import", "Waiting to be imported"
    IMPORTING = "importing", "Being imported"
    IMPORTED = "imported", "Imported"
    DISCARDED = "discarded", "Not imported"
    STOPPED = "stopped", "Stopped: nothing imported"


RUNNING = (
    ImportStatus.WAITING_CHECK,
    ImportStatus.CHECKING,
    ImportStatus.WAITING_IMPORT,
    ImportStatus.IMPORTING,
)


class ImportJob(models.Model):
    """One upload: checked (a dry run) first, imported only when its uploader confirms.

    The uploaded files are held here, as one zip, rather than on a disk the web and worker
    processes would have to share; they are removed as soon as the import is done, found to
    have problems, discarded, or left unconfirmed for a day.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.WAITING_CHECK
    )
    file_names = models.CharField(max_length=1000)
    size = models.PositiveBigIntegerField("size in bytes")
    payload = models.BinaryField(editable=False, blank=True)
    check_report = models.JSONField(null=True, blank=True)
    import_report = models.JSONField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def report(self) -> dict | None:
        return self.import_report or self.check_report
