"""The work list at national scale (issue 13 item 2): /tasks/, the home page and its "My
tasks" section for the worker with 40 open cases and hub 01's manager, and the header's count.

    .venv/bin/python bench/worklist.py --database alexi_bench_NAME   # an existing, migrated copy
    .venv/bin/python bench/worklist.py                               # builds its own (scale 1.0)
    .venv/bin/python bench/worklist.py --scale 0.05                  # quick smoke check

Each page is timed through Django's test client (bench/casework.py's measure_page: median and
p95 wall time, median CPU time, queries), beside /healthz through the same client and
middleware in the same run (the ratio is median / healthz median). The work list itself
(alexi.worklist.tasks_for) is also timed on its own, and the header count twice: a page with
the count in the cache (no query for it), and /tasks/count/ with the count dropped before each
request (what a page asks for after loading when the count is not in the cache).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")  # lets the embedded database run with DEBUG off
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)

TARGET_QUERIES = 10  # the work list's own queries
TARGET_MS = 50.0  # the /tasks/ page, median
SCRATCH_DATABASE = "alexi_bench_worklist_scratch"
REMINDERS = 8  # the worker's own reminders added for the run (due in the next days)


def _time_tasks(user, requests: int) -> dict:
    """tasks_for on its own: median wall and CPU ms, queries, items (a fresh user object each
    time, as each request has, so nothing cached on it is reused)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alexi.models import User
    from alexi.worklist import tasks_for

    walls, cpus, queries, items = [], [], 0, 0
    for _ in range(requests + 1):
        fresh = User.objects.get(pk=user.pk)
        fresh.is_verified = lambda: True  # type: ignore[attr-defined]  # as OTPMiddleware does
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            start = time.perf_counter()
            work = tasks_for(fresh)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries, items = len(captured.captured_queries), work.count
    walls, cpus = walls[1:], cpus[1:]  # the first warms up
    walls.sort()
    return {
        "median": statistics.median(walls),
        "p95": walls[max(0, int(round(0.95 * len(walls))) - 1)],
        "cpu": statistics.median(cpus),
        "queries": queries,
        "items": items,
        "status": 200,
    }


def _measure_uncached_count(client, user_id: int, requests: int) -> dict:
    """The header's count when it is not in the cache: alexi:tasks_count, which a page asks for
    after loading, with the count dropped before every request (the first page after a
    change, or of a minute)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alexi.worklist import forget_count

    url = "/tasks/count/"
    client.get(url)
    walls, cpus, queries, status = [], [], 0, 0
    for _ in range(requests):
        forget_count(user_id)
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            start = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries, status = len(captured.captured_queries), response.status_code
    walls.sort()
    return {
        "median": statistics.median(walls),
        "p95": walls[max(0, int(round(0.95 * len(walls))) - 1)],
        "cpu": statistics.median(cpus),
        "queries": queries,
        "status": status,
    }


def _add_reminders(worker) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Case, CaseStatus, Reminder

    cases = list(
        Case.objects.filter(allocated_worker=worker, status=CaseStatus.OPEN).order_by("id")[
            :REMINDERS
        ]
    )
    Reminder.objects.filter(author=worker, note__startswith="Bench reminder").delete()
    today = timezone.localdate()
    Reminder.objects.bulk_create(
        Reminder(
            case=case,
            author=worker,
            due_on=today + timedelta(days=i % 5),
            note=f"Bench reminder {i}",
        )
        for i, case in enumerate(cases)
    )


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="an existing, migrated benchmark database to use")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    if args.database:
        from alexi import settings as alexi_settings

        alexi_settings.DATABASES["default"]["NAME"] = args.database
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from alexi.models import User
    from bench.casework import measure_page, signed_in_client
    from bench.run import bench_settings
    from casework.models import Case, CaseStatus

    setup_test_environment()
    bench_settings()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = None
    if not args.database:
        from bench.generate import generate

        connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DATABASE
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        generate(scale=args.scale, seed=args.seed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    rows: list[tuple[str, dict, float | None]] = []
    try:
        worker = User.objects.get(email="worker001@bench.alexi.invalid")
        manager = User.objects.get(email="manager01@bench.alexi.invalid")
        worker_open = Case.objects.filter(allocated_worker=worker, status=CaseStatus.OPEN).count()
        hub_open = Case.objects.filter(hub__ref="BENCH-H01").exclude(status=CaseStatus.CLOSED)
        hub_open_count = hub_open.count()
        _add_reminders(worker)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE casework_reminder")

        worker_client = signed_in_client(worker)
        manager_client = signed_in_client(manager)
        load_before = os.getloadavg()
        baseline = measure_page(worker_client, "/healthz", args.requests)
        rows.append(("/healthz (baseline)", baseline, None))
        for who, user, client in (
            ("worker", worker, worker_client),
            ("manager", manager, manager_client),
        ):
            rows.append((f"work list alone, {who}", _time_tasks(user, args.requests), None))
            rows.append(
                (f"/tasks/, {who}", measure_page(client, "/tasks/", args.requests), TARGET_MS)
            )
            rows.append((f"/ (home), {who}", measure_page(client, "/", args.requests), None))
            rows.append(
                (
                    f"/tasks/panel/ (My tasks), {who}",
                    measure_page(client, "/tasks/panel/", args.requests),
                    None,
                )
            )
            rows.append(
                (
                    f"/account/ count cached, {who}",
                    measure_page(client, "/account/", args.requests),
                    None,
                )
            )
            rows.append(
                (
                    f"/tasks/count/ not cached, {who}",
                    _measure_uncached_count(client, user.pk, args.requests),
                    None,
                )
            )
        load_after = os.getloadavg()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0].split(" on ")[0]
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        elif args.database:
            from casework.models import Reminder

            Reminder.objects.filter(note__startswith="Bench reminder").delete()

    print(
        f"Subjects: worker {worker.pk} with {worker_open} open cases; hub 01 manager "
        f"{manager.pk} with {hub_open_count} cases not closed; {REMINDERS} reminders added."
    )
    base = baseline["median"]
    print(
        f"\n{'page':<34}{'median ms':>10}{'p95 ms':>9}{'cpu ms':>8}{'queries':>9}"
        f"{'x healthz':>10}{'status':>8}  note"
    )
    for label, m, target in rows:
        note = ""
        if "items" in m:
            ok = m["queries"] <= TARGET_QUERIES
            note = f"{m['items']} items; <= {TARGET_QUERIES} queries: {'PASS' if ok else 'FAIL'}"
        elif target is not None:
            ok = m["status"] == 200 and m["median"] <= target
            note = f"median <= {target:.0f} ms: {'PASS' if ok else 'FAIL'}"
        print(
            f"{label:<34}{m['median']:>10.1f}{m['p95']:>9.1f}{m['cpu']:>8.1f}{m['queries']:>9}"
            f"{m['median'] / base:>10.1f}{m['status']:>8}  {note}"
        )
    print(
        f"({args.requests} requests each after one warm-up, Django test client, {server}, "
        f"nproc {os.cpu_count()}, load average {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f} before and {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f} after)"
    )
    if not args.database and args.scale < 1.0:
        print("Targets are for scale 1.0; a smaller scale is a smoke check only.")


if __name__ == "__main__":
    main()
