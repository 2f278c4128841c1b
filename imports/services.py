"""Imports started from the upload page: check first (a dry run), import on confirmation.

The page never waits for the work: it stores the job and asks a worker to take it (after
commit, never retrying a broker that is down). A worker claims a waiting job under a row lock
(SKIP LOCKED), and the periodic sweep takes any job left waiting, so nothing is lost if the
broker was down (ARCHITECTURE.md idea 6).
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from imports import importer, reader, scope
from imports.models import ImportJob, ImportStatus

logger = logging.getLogger("imports")
STALE_AFTER = timedelta(minutes=10)  # and not holding its row lock: its worker is gone
UNCONFIRMED_FOR = timedelta(days=1)
MAX_ATTEMPTS = 3  # a job whose worker keeps dying is stopped, not retried for ever
PROBLEMS_KEPT_FOR = timedelta(days=30)  # problems can quote cells; counts are kept


def pack(uploads: list[tuple[str, bytes]]) -> bytes:
    """CSV files uploaded one by one, packed into one zip (as they are kept until imported)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in uploads:
            archive.writestr(name, data)
    return buffer.getvalue()


def _enqueue() -> None:
    from imports.tasks import process_imports

    try:
        process_imports.delay()
    except Exception:  # noqa: BLE001 (broker down: the periodic sweep takes the job later)
        logger.exception("Could not queue an import; the sweep will take it")


@transaction.atomic
def job_create(*, actor, payload: bytes, file_names: list[str], size: int) -> ImportJob:
    job = ImportJob.objects.create(
        created_by=actor,
        payload=payload,
        file_names=", ".join(file_names)[:1000],
        size=size,
    )
    transaction.on_commit(_enqueue)
    return job


@transaction.atomic
def job_confirm(*, job: ImportJob) -> bool:
    """Ask for a checked job to be imported. False if it is no longer waiting for that."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.WAITING_IMPORT, started_at=None, finished_at=None, attempts=0
    )
    if updated:
        transaction.on_commit(_enqueue)
    return bool(updated)


def job_discard(*, job: ImportJob) -> bool:
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.DISCARDED, payload=b"", finished_at=timezone.now()
        )
    )


def progress_key(job_id: int) -> str:
    return f"alexi:import:{job_id}:progress"


def progress_of(job: ImportJob) -> dict:
    return cache.get(progress_key(job.pk)) or {"percent": 0, "stage": "Waiting for a worker"}


def _claim() -> ImportJob | None:
    """Take the oldest waiting job, marking it as being worked on (committed at once, so the
    page shows it and no other worker takes it). A job tried MAX_ATTEMPTS times already is
    stopped and its files deleted instead."""
    while True:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(status__in=[ImportStatus.WAITING_CHECK, ImportStatus.WAITING_IMPORT])
                .order_by("created_at")
                .first()
            )
            if job is None:
                return None
            job.attempts += 1
            job.started_at = timezone.now()
            if job.attempts <= MAX_ATTEMPTS:
                job.status = (
                    ImportStatus.CHECKING
                    if job.status == ImportStatus.WAITING_CHECK
                    else ImportStatus.IMPORTING
                )
                job.save(update_fields=["status", "attempts", "started_at"])
                return job
            job.status = ImportStatus.STOPPED
            job.payload = b""
            job.finished_at = job.started_at
            job.save(update_fields=["status", "attempts", "started_at", "payload", "finished_at"])
            logger.error("Import %s stopped after %s attempts", job.pk, MAX_ATTEMPTS)


def process_jobs() -> int:
    """Run every waiting job, one at a time. Returns how many were run."""
    done = 0
    while (job := _claim()) is not None:
        run_job(job)
        done += 1
    return done


def run_job(job: ImportJob) -> None:
    """Check or import one claimed job, and store what came of it."""
    from alexi.history import acting_as
    from alexi.models import Role

    dry_run = job.status == ImportStatus.CHECKING
    key = progress_key(job.pk)
    last = {"percent": -1}

    def progress(percent: int, stage: str) -> None:
        if percent != last["percent"]:
            last["percent"] = percent
            cache.set(key, {"percent": percent, "stage": stage}, 3600)

    progress(1, "Reading the files")
    user = job.created_by
    try:
        # The job's outcome is saved in the import's own transaction: if the worker dies
        # after the records are written, the job cannot be found waiting and run again.
        with transaction.atomic():
            # Held until the import commits: the sweep sees this job as alive and leaves it,
            # and if the sweep has already handed it to another worker, this one stops here.
            claimed = (
                ImportJob.objects.select_for_update()
                .filter(pk=job.pk, status=job.status, attempts=job.attempts)
                .values_list("pk", flat=True)
                .first()
            )
            if claimed is None:
                return
            if not user.is_active or user.role not in (Role.PROGRAMME_ADMIN, Role.HUB_MANAGER):
                report = importer.Report(dry_run=dry_run)
                report.problems.append(
                    reader.Problem("(import)", 0, "user", "this account can no longer import.")
                )
            else:
                files, problems = reader.from_zip(
                    io.BytesIO(bytes(job.payload)),
                    "upload.zip",
                    max_total=settings.IMPORT_MAX_UNZIPPED_MB * 2**20,
                )
                with acting_as(user):
                    report = importer.run(
                        files,
                        actor=user,
                        dry_run=dry_run,
                        hub_scope=scope.hub_refs_for(user),
                        problems=problems,
                        progress=progress,
                    )
            fields = {"finished_at": timezone.now()}
            if dry_run:
                fields["check_report"] = report.as_dict()
                fields["status"] = ImportStatus.CHECKED if report.ok else ImportStatus.PROBLEMS
            else:
                fields["import_report"] = report.as_dict()
                fields["status"] = ImportStatus.IMPORTED if report.ok else ImportStatus.PROBLEMS
            if fields["status"] != ImportStatus.CHECKED:
                fields["payload"] = b""  # the children's records are not kept a moment longer
            ImportJob.objects.filter(pk=job.pk).update(**fields)
            _notify_finished(job, "check" if dry_run else "import")
    except Exception:
        logger.exception("Import %s stopped", job.pk)
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.STOPPED, payload=b"", finished_at=timezone.now()
            )
            _notify_finished(job, "stopped")
    finally:
        cache.delete(key)


def _notify_finished(job: ImportJob, stage: str) -> None:
    """Tell the person who started the import that it has finished (checked, imported, or
    stopped): the import page says what came of it."""
    from alexi.notifications.models import NotificationKind, TargetType
    from alexi.notifications.services import notify

    notify(
        job.created_by,
        NotificationKind.IMPORT_FINISHED,
        actor=None,
        target_type=TargetType.IMPORT,
        target_id=job.pk,
        event=f"import:{job.pk}:{stage}:{job.attempts}",
    )


def sweep() -> int:
    """Put jobs whose worker died back in the queue, drop unconfirmed uploads after a day, and
    run anything waiting. Returns how many jobs were run."""
    now = timezone.now()
    for running, waiting in (
        (ImportStatus.CHECKING, ImportStatus.WAITING_CHECK),
        (ImportStatus.IMPORTING, ImportStatus.WAITING_IMPORT),
    ):
        with transaction.atomic():
            # A live worker holds its job's row lock for the whole import: only jobs whose
            # worker is gone can be locked here and put back in the queue.
            stale = list(
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(status=running, started_at__lt=now - STALE_AFTER)
                .values_list("pk", flat=True)
            )
            ImportJob.objects.filter(pk__in=stale).update(status=waiting)
    ImportJob.objects.filter(
        status=ImportStatus.CHECKED, finished_at__lt=now - UNCONFIRMED_FOR
    ).update(status=ImportStatus.DISCARDED, payload=b"")
    forget_old_problems(now - PROBLEMS_KEPT_FOR)
    return process_jobs()


def forget_old_problems(before) -> int:
    """Drop the problem lists (which can quote cells of the files) of jobs finished before
    `before`; what was imported, and how many problems there were, stay."""
    forgotten = 0
    for job in ImportJob.objects.defer("payload").filter(finished_at__lt=before):
        changed = False
        for name in ("check_report", "import_report"):
            report = getattr(job, name)
            if report and report.get("problems"):
                report["problems"] = []
                report["problems_forgotten"] = True
                changed = True
        if changed:
            job.save(update_fields=["check_report", "import_report"])
            forgotten += 1
    return forgotten
