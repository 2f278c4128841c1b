"""Reporting at national scale: a programme-wide quarter's figures and the hub overview.

    .venv/bin/python bench/reporting.py [--scale 0.05]

Uses bench/generate.py's data (100,000 young people, 120,000 cases, 2,000,000 sessions,
400,000 assessments) in its own scratch database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)
SCRATCH_DATABASE = "alexi_bench_reporting"


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from alexi.models import User
    from bench.casework import measure_page, signed_in_client
    from bench.generate import generate
    from bench.run import bench_settings
    from reporting.figures import FIGURES
    from reporting.scope import Period, Scope

    setup_test_environment()
    bench_settings()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DATABASE
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        generated = generate(scale=args.scale, seed=1, verbose=False)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        quarter = Period.quarter_of(timezone.localdate())
        timings = {}
        start = time.perf_counter()
        for key, function in FIGURES.items():
            t0 = time.perf_counter()
            function(Scope(), quarter)
            timings[key] = (time.perf_counter() - t0) * 1000
        total = time.perf_counter() - start
        manager = User.objects.get(pk=generated.hub_manager_id)
        overview = measure_page(signed_in_client(manager), "/", args.requests)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(
        f"programme-wide figures for {quarter.label}: {total:.2f} s (target 5 s)"
        f" {'PASS' if total <= 5 else 'FAIL'}"
    )
    for key, ms in sorted(timings.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {key:<36}{ms:>9.1f} ms")
    print(
        f"hub overview: median {overview['median']:.1f} ms, p95 {overview['p95']:.1f} ms, "
        f"{overview['queries']} queries (target 300 ms) "
        f"{'PASS' if overview['median'] <= 300 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
