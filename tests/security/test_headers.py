"""Headers from day one (SECURITY.md, "Output and browser")."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.processes import env_outside_tests

ROOT = Path(__file__).resolve().parents[2]


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in header.split(";")
        if part.strip()
    }


def test_csp_forbids_inline_script_eval_plugins_and_framing(db):
    response = Client().get(reverse("alexi:sign_in"))
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = csp_directives(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_signed_in_pages_are_never_cached(client_for):
    response = client_for("hub_manager").get(reverse("alexi:home"))
    assert "no-store" in response["Cache-Control"]


def test_other_security_headers(db):
    response = Client().get(reverse("alexi:sign_in"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_over_https(db, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    response = Client().get(reverse("alexi:sign_in"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")


def test_no_asset_comes_from_another_origin(db):
    page = Client().get(reverse("alexi:sign_in")).content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    assert "<script>" not in page  # no inline script
    assert " style=" not in page  # no inline style


def production_env(**extra) -> dict[str, str]:
    env = env_outside_tests()
    env.update(
        DEBUG="false",
        DEMO_MODE="false",
        SECRET_KEY="a-production-like-secret-key-" + "k" * 40 + "-9f3b2c",
        ALLOWED_HOSTS="alexi.example.org",
        DATABASE_URL=_database_url(),
    )
    env.update(extra)
    return env


def _database_url() -> str:
    """The URL this test process connects with (the subprocess only needs to reach it)."""
    from alexi import settings as alexi_settings

    return alexi_settings.db_url


def run_manage(*args, env):
    return subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_deploy_check_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_production_settings_refuse_demo_mode():
    result = run_manage("check", env=production_env(DEMO_MODE="true"))
    assert result.returncode != 0
    assert "DEMO_MODE is only allowed" in result.stderr


@pytest.mark.django_db
def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", env=production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
