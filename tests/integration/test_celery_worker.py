"""A real Celery worker, against Redis, makes a quarter's returns once even when the task is
delivered twice. Runs where REDIS_URL is set (CI sets it); skipped elsewhere."""

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from reporting.models import QuarterlyReturn

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
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "SECRET_KEY": "worker-test-" + "w" * 50,
        "DEBUG": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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

    app.conf.broker_url = REDIS_URL
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
