"""Measure Alexi's pages through Django's test client: median, p95 and queries per request."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")  # lets the embedded database run with DEBUG off
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)


def bench_settings() -> None:
    """Call after setup_test_environment(): time pages as production serves them.

    With DEBUG off every plain-HTTP request is answered by a 301 to https:// (bench_client
    sends HTTPS), the manifest static storage needs `collectstatic` (fall back to the plain
    storage when there is no manifest), and the test environment's template instrumentation
    (a signal and a context copy per template and include) is not in production either.
    """
    from django.conf import settings
    from django.template.base import Template
    from django.test.utils import _TestState, override_settings

    saved = getattr(_TestState, "saved_data", None)
    if saved is not None and hasattr(saved, "template_render"):
        Template._render = saved.template_render

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in backend and not manifest.exists():
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        override_settings(STORAGES=storages).enable()


def bench_client():
    """A test client whose requests arrive over HTTPS, as behind the production proxy."""
    from django.test import Client

    class HttpsClient(Client):
        def generic(self, *args, **kwargs):
            kwargs["secure"] = True
            return super().generic(*args, **kwargs)

    return HttpsClient()


def measure(client, url: str, requests: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up caches and connections
    timings = []
    queries = 0
    status = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
        status = response.status_code
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, queries, status


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django_otp import DEVICE_ID_SESSION_KEY

    from alexi.models import User
    from demo.data import demo_email, load_demo

    setup_test_environment()
    bench_settings()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Its own scratch database, never pytest's test_<name> (autoclobber would drop that).
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "alexi_bench_run"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_demo()
        rows = []
        anonymous = bench_client()
        rows.append(("sign-in page", "anonymous", *measure(anonymous, "/sign-in/", args.requests)))
        for local, pages in [
            ("worker.leeds1", ["/"]),
            ("manager.north", ["/"]),
            ("funder", ["/"]),
            ("admin", ["/", "/programme/people/", "/programme/sign-in-log/"]),
        ]:
            user = User.objects.get(email=demo_email(local))
            client = bench_client()
            client.force_login(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
            session.save()
            for url in pages:
                rows.append((url, local, *measure(client, url, args.requests)))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{'page':<26}{'as':<16}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'status':>8}")
    for page, who, median, p95, queries, status in rows:
        print(f"{page:<26}{who:<16}{median:>10.1f}{p95:>9.1f}{queries:>9}{status:>8}")
    print(f"({args.requests} requests each, Django test client, {connection.vendor})")


if __name__ == "__main__":
    main()
