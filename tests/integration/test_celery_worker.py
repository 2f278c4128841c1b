"""A real Celery worker, against Redis, makes a quarter's returns once even when the task is
delivered twice. Runs where REDIS_URL is set (CI sets it); skipped elsewhere."""

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from reporting.models import QuarterlyReturn
from tests.processes import env_outside_tests

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (a real broker)"),
]


def database_url() -> str:
    """The test database, as this process connects to it (socket or TCP)."""
    from django.db import connection

    params = connection.get_connection_params()
    auth = f"{params.get('user', '')}:{params.get('password') or ''}"
    host = str(params.get("host") or "")
    if not host or host.startswith("/"):
        suffix = f"?host={host}" if host else ""
        return f"postgres://{auth}@/{params['dbname']}{suffix}"
    return f"postgres://{auth}@{host}:{params.get('port') or 5432}/{params['dbname']}"


@pytest.fixture
def worker():
    env = env_outside_tests(
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        CELERY_BROKER_URL=REDIS_URL,
        SECRET_KEY="worker-test-" + "w" * 50,
        DEBUG="false",
    )
    process = subprocess.Popen(  # noqa: S603 (our own Celery app, fixed arguments)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alexi",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_task_delivered_twice_makes_each_return_once(world, worker):
    from alexi.celery_app import app

    use_broker(app, REDIS_URL)
    for _ in range(2):
        app.send_task("reporting.generate_returns", args=["2026Q1"])
    expected = 3  # one funder (with hubs) and two hubs
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and QuarterlyReturn.objects.count() < expected:
        time.sleep(0.5)
    time.sleep(3)  # give a duplicate the chance to appear
    made = QuarterlyReturn.objects.filter(quarter="2026Q1").count()
    if made != expected:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode()[-3000:]
        pytest.fail(f"{made} returns made; worker said:\n{output}")
    assert set(QuarterlyReturn.objects.values_list("version", flat=True)) == {1}
    assert date(2026, 1, 1) == QuarterlyReturn.objects.first().period_start


def use_broker(app, url: str) -> None:
    """Point the Celery app at `url`, dropping connections pooled for an earlier broker."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_SERVER = shutil.which("redis-server")


@pytest.mark.skipif(not REDIS_SERVER, reason="needs redis-server to stop and start")
def test_with_redis_down_the_page_saves_and_the_returns_come_when_it_is_back(
    world, client_for, settings
):
    """A private Redis is stopped while an administrator asks for returns: the page still
    answers. When Redis and a worker are back, the hourly sweep makes the missing returns."""
    from alexi.celery_app import app

    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    use_broker(app, url)
    try:
        response = client_for("programme_admin").post("/returns/generate/", {"quarter": "2026Q1"})
        assert response.status_code == 302  # no broker listening: the request still succeeds
        assert not QuarterlyReturn.objects.exists()
        server = subprocess.Popen(  # noqa: S603 (a private Redis on a free loopback port)
            [
                REDIS_SERVER,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env = env_outside_tests(
            DATABASE_URL=database_url(),
            REDIS_URL=url,
            CELERY_BROKER_URL=url,
            SECRET_KEY="worker-test-" + "w" * 50,
            DEBUG="false",
        )
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "alexi",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(1)
            app.send_task("reporting.process_return_requests")  # what the sweep also runs
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and QuarterlyReturn.objects.count() < 3:
                time.sleep(0.5)
            assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3
            from reporting.models import ReturnRequest

            assert ReturnRequest.objects.get().done_at is not None
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            server.terminate()
            server.wait(timeout=20)
    finally:
        app.conf.task_always_eager = True
        use_broker(app, REDIS_URL)


def test_a_real_worker_checks_then_imports_an_upload_once(worker, tmp_path):
    """The upload page's job, run by a real worker: checked, then (confirmed) imported, each
    once even though the task is sent twice."""
    from alexi.celery_app import app
    from casework.models import Case
    from imports import services
    from imports.models import ImportJob, ImportStatus
    from tests.factories import local_authority, make_admin
    from tests.imports.folder import VALID, import_staff_and_confirm

    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin)  # the hubs confirm their new staff
    job = ImportJob.objects.create(
        created_by=admin,
        file_names="all",
        size=1,
        payload=services.pack([(name, text.encode()) for name, text in VALID.items()]),
    )
    use_broker(app, REDIS_URL)

    def wait_for(status):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == status:
                return
            time.sleep(0.5)
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode()[-3000:]
        pytest.fail(f"import {job.pk} is {job.status}, not {status}; worker said:\n{output}")

    for _ in range(2):
        app.send_task("imports.process_imports")
    wait_for(ImportStatus.CHECKED)
    assert Case.objects.filter(import_ref__isnull=False).count() == 0
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WAITING_IMPORT)
    for _ in range(2):
        app.send_task("imports.process_imports")
    wait_for(ImportStatus.IMPORTED)
    time.sleep(2)
    assert Case.objects.filter(import_ref__isnull=False).count() == 5
    assert Case.history.filter(history_user=admin).count() == 5
    assert job.attempts == 2  # one check, one import: nothing ran twice
