"""The upload page: check first, confirm, then import; every broken file gets its message."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from casework.models import Case, CaseSession
from imports import services, tasks
from imports.models import ImportJob, ImportStatus
from tests.conftest import sign_in_fully
from tests.factories import local_authority, make_admin
from tests.imports.corpus import CORPUS, ZIP_CORPUS, flood
from tests.imports.folder import VALID, import_staff_and_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tmp_path):
    """The importing administrator, after the folder's structure and staff were imported and
    the hub confirmed its new people (so cases may be allocated to them)."""
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin)
    return admin


@pytest.fixture
def browser(client, admin):
    return sign_in_fully(client, admin)


def uploads(files: dict) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, text if isinstance(text, bytes) else text.encode())
        for name, text in files.items()
    ]


def upload(browser, files, capture) -> ImportJob | None:
    with capture(execute=True):
        response = browser.post(reverse("imports:imports"), {"files": files})
    if response.status_code != 302:
        return response
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:import_job", args=[job.pk])
    return job


def test_upload_check_then_confirm_imports_everything(browser, django_capture_on_commit_callbacks):
    job = upload(browser, uploads(VALID), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert Case.objects.count() == 0  # checked, not written
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert b"Checked: no problems found" in page.content
    assert b"Import these records" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("imports:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    assert bytes(job.payload) == b""  # the files are not kept once imported
    assert job.import_report["counts"]["cases.csv"]["new"] == 5
    assert Case.objects.filter(import_ref__isnull=False).count() == 5
    assert Case.history.filter(history_user=job.created_by).count() == 5
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert b"Imported" in page.content
    # A second confirm finds nothing waiting.
    response = browser.post(reverse("imports:import_confirm", args=[job.pk]), follow=True)
    assert b"not waiting to be confirmed" in response.content


def test_a_zip_upload_is_checked_like_the_files(browser, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in VALID.items():
            archive.writestr(name, text)
    files = [SimpleUploadedFile("records.zip", buffer.getvalue())]
    job = upload(browser, files, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert job.check_report["counts"]["sessions.csv"]["rows"] == 7


def test_discarding_a_checked_upload_deletes_its_files(browser, django_capture_on_commit_callbacks):
    job = upload(browser, uploads(VALID), django_capture_on_commit_callbacks)
    response = browser.post(reverse("imports:import_discard", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DISCARDED and bytes(job.payload) == b""
    assert Case.objects.count() == 0


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_broken_folder_gets_its_message_on_the_page(
    name, browser, django_capture_on_commit_callbacks
):
    files, expected = CORPUS[name]
    if name == "empty file":  # refused by the form before anything is stored
        response = upload(browser, uploads(files), django_capture_on_commit_callbacks)
        assert response.status_code == 400
        assert b"groupwork.csv is empty: a file needs at least its header row." in response.content
        return
    if "notes.csv" in files:  # the form refuses unknown names before anything is stored
        response = upload(browser, uploads(files), django_capture_on_commit_callbacks)
        assert response.status_code == 400
        assert b"Alexi does not import notes.csv" in response.content
        return
    job = upload(browser, uploads(files), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.PROBLEMS
    assert bytes(job.payload) == b""
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert page.status_code == 200
    file_line, rest = expected.split(": ", 1)
    column, message = rest.split(": ", 1)
    assert escape(message).encode() in page.content
    assert Case.objects.count() == 0 and CaseSession.objects.count() == 0


@pytest.mark.parametrize("name", list(ZIP_CORPUS))
def test_each_broken_zip_gets_its_message_on_the_page(
    name, browser, django_capture_on_commit_callbacks
):
    data, expected = ZIP_CORPUS[name]
    job = upload(browser, [SimpleUploadedFile("bad.zip", data)], django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.PROBLEMS
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert escape(expected.split(": ", 2)[2]).encode() in page.content
    assert Case.objects.count() == 0


def test_a_50_mb_upload_is_checked_and_its_problems_listed(
    browser, django_capture_on_commit_callbacks
):
    files = uploads({**VALID, "sessions.csv": flood(50)})
    job = upload(browser, files, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.PROBLEMS
    assert job.check_report["stopped_early"]
    assert len(job.check_report["problems"]) == 5_000  # the page shows the first 5,000
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert b"there is no case C404" in page.content
    assert Case.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_with_a_message(browser, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    files = uploads({"sessions.csv": flood(2)})
    response = browser.post(reverse("imports:imports"), {"files": files})
    assert response.status_code == 400
    assert b"the most one upload can take is 1 MB" in response.content
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "files, message",
    [
        ({}, b"Choose the files to import."),
        ({"cases.xlsx": b"PK"}, b"Alexi does not import cases.xlsx"),
    ],
)
def test_a_bad_upload_gets_a_clear_400(browser, files, message):
    response = browser.post(reverse("imports:imports"), {"files": uploads(files)})
    assert response.status_code == 400
    assert message in response.content
    assert not ImportJob.objects.exists()


def test_a_zip_with_other_files_is_refused(browser):
    files = uploads({"cases.csv": VALID["cases.csv"]}) + [SimpleUploadedFile("a.zip", b"PK")]
    response = browser.post(reverse("imports:imports"), {"files": files})
    assert response.status_code == 400
    assert b"Upload one zip on its own" in response.content


def test_the_problems_download_escapes_formula_like_cells(
    browser, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("=HYPERLINK(1).csv", "a\n1\n")
    job = upload(
        browser,
        [SimpleUploadedFile("x.zip", buffer.getvalue())],
        django_capture_on_commit_callbacks,
    )
    response = browser.get(reverse("imports:import_problems", args=[job.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0] == "file,line,column,problem"
    assert "'=HYPERLINK(1).csv" in text
    assert "\n=" not in text and ",=" not in text


def test_a_job_asked_for_while_the_broker_is_down_is_run_by_the_sweep(
    browser, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down():
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.process_imports, "delay", broker_down)
    job = upload(browser, uploads(VALID), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.WAITING_CHECK
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert b"Waiting for a worker" in page.content
    assert b'hx-trigger="every 2s"' in page.content
    assert services.sweep() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_the_running_page_shows_progress_and_htmx_gets_only_the_panel(browser, admin):
    from django.core.cache import cache

    job = ImportJob.objects.create(
        created_by=admin, status=ImportStatus.IMPORTING, file_names="cases.csv", size=10
    )
    cache.set(services.progress_key(job.pk), {"percent": 42, "stage": "Writing cases.csv"})
    page = browser.get(reverse("imports:import_job", args=[job.pk]), headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert b"<html" not in page.content
    assert b"Writing cases.csv" in page.content and b'value="42"' in page.content
    # Once it has finished, htmx is told to reload the whole page.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTED)
    page = browser.get(reverse("imports:import_job", args=[job.pk]), headers={"HX-Request": "true"})
    assert page.status_code == 204 and page["HX-Refresh"] == "true"


def test_pages_use_a_fixed_number_of_queries(browser, admin, django_assert_max_num_queries):
    from tests.factories import make_manager

    others = [make_manager(full_name=f"Manager {n}") for n in range(5)]
    for n in range(15):
        ImportJob.objects.create(
            created_by=admin, status=ImportStatus.DISCARDED, file_names=f"{n}.csv", size=1
        )
        ImportJob.objects.create(
            created_by=others[n % 5], status=ImportStatus.IMPORTED, file_names="x.csv", size=1
        )
    job = ImportJob.objects.filter(created_by=admin).first()
    with django_assert_max_num_queries(8):
        assert browser.get(reverse("imports:imports")).status_code == 200
    with django_assert_max_num_queries(8):
        assert browser.get(reverse("imports:import_job", args=[job.pk])).status_code == 200


def test_a_stale_job_whose_worker_died_is_put_back_and_run(admin):
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(
        created_by=admin,
        status=ImportStatus.CHECKING,
        started_at=timezone.now() - timedelta(hours=4),
        file_names="cases.csv",
        size=1,
        payload=services.pack([("cases.csv", VALID["cases.csv"].encode())]),
    )
    services.sweep()
    job.refresh_from_db()
    # Checked again from the start (its staff are in Alexi, confirmed by the hub).
    assert job.status == ImportStatus.CHECKED, job.check_report["problems"]
    assert job.check_report["counts"]["cases.csv"]["new"] == 5


def test_a_zip_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(
    browser, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_UNZIPPED_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sessions.csv", b"case_ref" + b" " * (3 * 2**20))  # 3 MB of spaces
    assert len(buffer.getvalue()) < 20_000
    job = upload(
        browser,
        [SimpleUploadedFile("bomb.zip", buffer.getvalue())],
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.PROBLEMS
    assert "the files come to 3 MB unzipped; the most Alexi reads from an upload is 1 MB" in str(
        job.check_report["problems"]
    )


def test_a_job_whose_worker_keeps_dying_is_stopped_and_its_files_deleted(admin):
    job = ImportJob.objects.create(
        created_by=admin,
        status=ImportStatus.WAITING_CHECK,
        attempts=services.MAX_ATTEMPTS,
        file_names="cases.csv",
        size=1,
        payload=b"PK",
    )
    assert services.process_jobs() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.STOPPED and bytes(job.payload) == b""


def test_problems_quoting_cells_are_forgotten_after_thirty_days(browser, admin):
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(
        created_by=admin,
        status=ImportStatus.PROBLEMS,
        file_names="cases.csv",
        size=1,
        finished_at=timezone.now() - timedelta(days=31),
        check_report={
            "ok": False,
            "counts": {},
            "problem_count": 1,
            "problems": [["cases.csv", 2, "first_name", "'Jo' ..."]],
        },
    )
    services.sweep()
    job.refresh_from_db()
    assert job.check_report["problems"] == [] and job.check_report["problem_count"] == 1
    page = browser.get(reverse("imports:import_job", args=[job.pk]))
    assert b"no longer kept" in page.content
    assert browser.get(reverse("imports:import_problems", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_sweep_leaves_a_job_whose_worker_is_alive(admin):
    """A live worker holds its job's row lock for the whole import; the sweep requeues only
    jobs it can lock, so a long import is never handed to a second worker."""
    import threading
    from datetime import timedelta

    from django.db import connections, transaction
    from django.utils import timezone

    job = ImportJob.objects.create(
        created_by=admin,
        status=ImportStatus.IMPORTING,
        started_at=timezone.now() - timedelta(hours=1),
        attempts=1,
        file_names="cases.csv",
        size=1,
    )
    locked, release = threading.Event(), threading.Event()

    def live_worker():
        with transaction.atomic():
            ImportJob.objects.select_for_update().get(pk=job.pk)
            locked.set()
            release.wait(20)
        connections.close_all()

    thread = threading.Thread(target=live_worker)
    thread.start()
    try:
        assert locked.wait(20)
        services.sweep()
        job.refresh_from_db()
        assert job.status == ImportStatus.IMPORTING  # alive: left alone
    finally:
        release.set()
        thread.join(20)
    services.sweep()  # now its worker is gone: back in the queue, and run
    job.refresh_from_db()
    assert job.status != ImportStatus.IMPORTING and job.attempts == 2


def test_administrators_see_who_imported_but_never_anyone_elses_problems(browser, admin):
    from tests.factories import make_manager

    mia = make_manager(full_name="Mia Manager")
    job = ImportJob.objects.create(
        created_by=mia,
        status=ImportStatus.PROBLEMS,
        file_names="cases.csv",
        size=1,
        check_report={
            "ok": False,
            "counts": {},
            "problem_count": 1,
            "problems": [["cases.csv", 2, "first_name", "'Secret Name' is too long"]],
        },
    )
    page = browser.get(reverse("imports:imports"))
    assert b"Imports by others" in page.content and b"Mia Manager" in page.content
    assert b"Secret Name" not in page.content
    assert browser.get(reverse("imports:import_job", args=[job.pk])).status_code == 404
