"""Production settings are relaxed for the test suite only by ALEXI_TESTING (tests/settings.py),
never because some module happens to be loaded."""

import subprocess
import sys
from pathlib import Path

from tests.processes import env_outside_tests

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    "import pytest, django; django.setup(); from django.conf import settings; "
    "print(settings.TESTING, settings.SECURE_SSL_REDIRECT, settings.CELERY_TASK_ALWAYS_EAGER)"
)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    from alexi import settings as alexi_settings

    return subprocess.run(  # noqa: S603 (this Python with fixed arguments)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env_outside_tests(DEBUG="false", DATABASE_URL=alexi_settings.db_url, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_suite_runs_with_alexi_testing_on():
    from django.conf import settings

    assert settings.TESTING is True


def test_loading_pytest_does_not_relax_production_settings():
    result = run_python(SETTINGS, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_alexi_testing_relaxes_them():
    result = run_python(SETTINGS, SECRET_KEY="", ALEXI_TESTING="true", CELERY_BROKER_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "True"]


def test_without_alexi_testing_a_process_gets_production_settings():
    result = run_python(SETTINGS, SECRET_KEY="s" * 60, REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "False"]
