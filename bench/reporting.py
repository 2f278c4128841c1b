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


def add_activities(count: int, seed: int = 7) -> None:
    """Half training events (two professions each), half groupwork, over two years."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from alexi.models import Spoke
    from training.models import Groupwork, Profession, TrainingAttendance, TrainingEvent

    rng = random.Random(seed)
    spokes = list(Spoke.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    events = TrainingEvent.objects.bulk_create(
        [
            TrainingEvent(
                spoke_id=rng.choice(spokes),
                date=today - timedelta(days=rng.randrange(730)),
                title="Bench training",
                kind=rng.choice(["training", "awareness", "briefing"]),
            )
            for _ in range(count // 2)
        ],
        batch_size=5000,
    )
    professions = Profession.values
    TrainingAttendance.objects.bulk_create(
        [
            TrainingAttendance(
                event_id=event.pk, profession=profession, attendees=rng.randrange(1, 30)
            )
            for event in events
            for profession in rng.sample(professions, 2)
        ],
        batch_size=10000,
    )
    Groupwork.objects.bulk_create(
        [
            Groupwork(
                spoke_id=rng.choice(spokes),
                date=today - timedelta(days=rng.randrange(730)),
                setting="school",
                title="Bench groupwork",
                young_people=rng.randrange(5, 120),
            )
            for _ in range(count - count // 2)
        ],
        batch_size=5000,
    )


def compare_with_sql(period, values: dict) -> dict:
    """For each figure: (function ms, hand-written SQL ms, same value?), medians of 3 runs."""
    import statistics
    from datetime import datetime
    from datetime import time as clock

    from django.db import connection
    from django.utils import timezone

    from bench.reporting_sql import run
    from reporting.figures import FIGURES
    from reporting.scope import Scope

    params = {
        "start": period.start,
        "end": period.end,
        "end_ts": timezone.make_aware(datetime.combine(period.end, clock.max)),
    }
    out = {}
    with connection.cursor() as cursor:
        for key in FIGURES:
            orm, sql = [], []
            for _ in range(3):
                t0 = time.perf_counter()
                FIGURES[key](Scope(), period)
                orm.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                answer = run(cursor, key, params)
                sql.append((time.perf_counter() - t0) * 1000)
            mine = values[key]
            same = (
                (float(mine) == float(answer))
                if isinstance(mine, (int, float)) and answer is not None
                else mine == answer
            )
            out[key] = (statistics.median(orm), statistics.median(sql), same)
    return out


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
        t0 = time.perf_counter()
        add_activities(int(50_000 * args.scale))
        print(
            f"{int(50_000 * args.scale):,} training and groupwork events in {time.perf_counter() - t0:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        quarter = Period.quarter_of(timezone.localdate())
        timings, values = {}, {}
        start = time.perf_counter()
        for key, function in FIGURES.items():
            t0 = time.perf_counter()
            values[key] = function(Scope(), quarter)
            timings[key] = (time.perf_counter() - t0) * 1000
        total = time.perf_counter() - start
        comparison = compare_with_sql(quarter, values)
        manager = User.objects.get(pk=generated.hub_manager_id)
        overview = measure_page(signed_in_client(manager), "/", args.requests)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(
        f"programme-wide figures for {quarter.label}: {total:.2f} s (target 5 s)"
        f" {'PASS' if total <= 5 else 'FAIL'}"
    )
    print(f"  {'figure':<38}{'function ms':>12}{'SQL ms':>9}  same value  within 2x")
    for key, (orm_ms, sql_ms, same) in comparison.items():
        within = orm_ms <= 2 * sql_ms + 2  # 2 ms of slack for sub-millisecond queries
        print(
            f"  {key:<38}{orm_ms:>12.1f}{sql_ms:>9.1f}  {'yes' if same else 'NO':<10}  "
            f"{'PASS' if within else 'FAIL'}"
        )
    print(
        f"hub overview: median {overview['median']:.1f} ms, p95 {overview['p95']:.1f} ms, "
        f"{overview['queries']} queries (target 300 ms) "
        f"{'PASS' if overview['median'] <= 300 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
