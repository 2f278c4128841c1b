"""The import pages: upload, see the check (a dry run), then confirm. For programme
administrators, and for hub managers into the hubs they manage.

A job is shown only to the person who uploaded it (404 for anyone else): its report can quote
cells of the files, which may name children.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alexi import access
from alexi.audit import record_access
from alexi.models import AccessAction, Role
from alexi.submissions.once import once_only
from imports import services
from imports.forms import UploadForm
from imports.models import ImportJob, ImportStatus
from imports.reader import FILES
from reporting.returns import escape_cell

IMPORTERS = (Role.PROGRAMME_ADMIN, Role.HUB_MANAGER)


def _job_for(request, job_id: int) -> ImportJob:
    job = ImportJob.objects.defer("payload").filter(pk=job_id, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


@access.require_role(*IMPORTERS)
@require_http_methods(["GET", "POST"])
@once_only(what="the upload")
def imports(request):
    form = UploadForm()
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            if len(uploads) == 1 and uploads[0][0].endswith(".zip"):
                payload = uploads[0][1].read()
            else:
                payload = services.pack([(name, upload.read()) for name, upload in uploads])
            with transaction.atomic():
                job = services.job_create(
                    actor=request.user,
                    payload=payload,
                    file_names=[name for name, _ in uploads],
                    size=sum(upload.size for _, upload in uploads),
                )
            return redirect("imports:import_job", job_id=job.pk)
        status = 400
    jobs = ImportJob.objects.defer("payload").filter(created_by=request.user)[:20]
    everyone = None
    if access.role_of(request.user) == Role.PROGRAMME_ADMIN:
        # Who imported what and when, for the record (never the problems, which can quote
        # the files of a hub the administrator does not work in).
        everyone = (
            ImportJob.objects.only(
                "created_at", "file_names", "status", "created_by__full_name", "finished_at"
            )
            .select_related("created_by")
            .exclude(created_by=request.user)[:50]
        )
    scope = None
    if access.role_of(request.user) == Role.HUB_MANAGER:
        scope = list(access.managed_hubs(request.user).values_list("name", flat=True))
    return render(
        request,
        "imports/imports.html",
        {
            "title": "Import records",
            "form": form,
            "jobs": jobs,
            "everyone": everyone,
            "files": FILES,
            "scope": scope,
            "max_mb": settings.IMPORT_MAX_UPLOAD_MB,
        },
        status=status,
    )


@access.require_role(*IMPORTERS)
@require_http_methods(["GET"])
def job(request, job_id: int):
    job = _job_for(request, job_id)
    context = {
        "title": f"Import {job.pk}",
        "job": job,
        "progress": services.progress_of(job) if job.running else None,
        "report": job.report,
        # In the order the files are read (the stored JSON does not keep key order).
        "counts": [
            (name, (job.report or {}).get("counts", {})[name])
            for name in FILES
            if name in (job.report or {}).get("counts", {})
        ],
        "statuses": ImportStatus,
        "files": FILES,
    }
    if request.headers.get("HX-Request") == "true":
        if not job.running:
            # Finished: reload the whole page, so its headings and messages are current too.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "imports/_job.html", context)
    return render(request, "imports/job.html", context)


@access.require_role(*IMPORTERS)
@require_POST
def confirm(request, job_id: int):
    job = _job_for(request, job_id)
    if services.job_confirm(job=job):
        job.refresh_from_db(fields=["status"])
        if job.running:  # with a worker; without one it has already run by now
            messages.success(request, "Importing now. This page shows how far it has got.")
    else:
        messages.error(request, "This import is not waiting to be confirmed any more.")
    return redirect("imports:import_job", job_id=job.pk)


@access.require_role(*IMPORTERS)
@require_POST
def discard(request, job_id: int):
    job = _job_for(request, job_id)
    if services.job_discard(job=job):
        messages.success(request, "Nothing was imported, and the uploaded files are deleted.")
    else:
        messages.error(request, "This import is not waiting to be confirmed any more.")
    return redirect("imports:imports")


@access.require_role(*IMPORTERS)
@require_http_methods(["GET"])
def problems_csv(request, job_id: int):
    """The problems as a spreadsheet, one per row (cells escaped against formulas)."""
    job = _job_for(request, job_id)
    report = job.report
    if not report or not report.get("problems"):
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "line", "column", "problem"])
    for row in report["problems"]:
        writer.writerow([escape_cell(cell) for cell in row])
    record_access(request, AccessAction.DOWNLOAD, obj=job)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-problems.csv"'
    return response
