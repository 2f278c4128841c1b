"""Casework pages at national scale: My caseload, the hub caseload and a long case page.

    .venv/bin/python bench/casework.py                 # scale 1.0 (about 2M sessions)
    .venv/bin/python bench/casework.py --scale 0.05    # quick smoke check
    .venv/bin/python bench/casework.py --explain       # EXPLAIN ANALYZE the slowest queries
    .venv/bin/python bench/casework.py --database alexi_bench_me --pages case
                                                       # an existing, migrated bench database

Builds a scratch test database (removed afterwards unless --keep), fills it with
bench/generate.py, runs ANALYZE, then measures each page through Django's test client:
median and p95 over --requests requests, and the queries per request, beside the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")  # lets the embedded database run with DEBUG off
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)

# (label, max queries, max median ms) from the casework issue, for scale 1.0.
TARGET_CASELOAD = (10, 50.0)
TARGET_HUB = (15, 100.0)
TARGET_CASE = (20, 100.0)

SCRATCH_DATABASE = "alexi_bench_casework"
COUNTED_TABLES = [
    "alexi_hub",
    "alexi_spoke",
    "alexi_user",
    "alexi_workerprofile",
    "casework_youngperson",
    "casework_case",
    "casework_allocation",
    "casework_casesession",
    "casework_riskassessment",
    "casework_caseshare",
]


def signed_in_client(user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.run import bench_client

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
    client = bench_client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure_page(client, url: str, requests: int) -> dict:
    """Median and p95 wall time, median Python CPU and SQL time, queries and status."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up caches and connections
    walls, cpus, sqls = [], [], []
    queries = status = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            start = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        sqls.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries = len(captured.captured_queries)
        status = response.status_code
    walls.sort()
    return {
        "median": statistics.median(walls),
        "p95": walls[max(0, int(round(0.95 * len(walls))) - 1)],
        "cpu": statistics.median(cpus),
        "sql": statistics.median(sqls),
        "queries": queries,
        "status": status,
    }


def explain_slowest(client, url: str, top: int = 3) -> None:
    """Run one request, then EXPLAIN ANALYZE its slowest SELECTs (summary lines only)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    print(f"\n--- {url}: {len(queries)} queries, slowest {top} ---")
    for query in queries[:top]:
        sql = query["sql"]
        print(
            f"[{float(query['time']) * 1000:.1f} ms] {sql[:400]}{'...' if len(sql) > 400 else ''}"
        )
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        nodes = [line for line in plan[1:] if "->" in line][:16]
        summary = [line for line in plan if "Time:" in line or "JIT" in line or "Timing:" in line]
        print("    " + "\n    ".join([plan[0], *nodes, *summary]))


def existing_subjects():
    """The benchmark's subjects in a database bench/generate.py filled earlier (--database):
    the open case with the most sessions (the 300-entry case), its hub's current manager, and
    the lowest-numbered worker of that hub with exactly 40 open cases."""
    from django.db.models import Count

    from alexi.models import HubManagement
    from casework.models import Case, CaseSession, CaseStatus

    busiest = (
        CaseSession.objects.filter(case__status=CaseStatus.OPEN)
        .values("case_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    case = Case.objects.get(pk=busiest["case_id"])
    manager_id = (
        HubManagement.objects.current()
        .filter(hub_id=case.hub_id)
        .order_by("manager_id")
        .values_list("manager_id", flat=True)
        .first()
    )
    worker_id = (
        Case.objects.filter(hub_id=case.hub_id, status=CaseStatus.OPEN)
        .values("allocated_worker_id")
        .annotate(n=Count("id"))
        .filter(n=40)
        .order_by("allocated_worker_id")
        .values_list("allocated_worker_id", flat=True)
        .first()
    )
    return worker_id, manager_id, case.hub_id, case.pk


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries")
    parser.add_argument(
        "--database",
        metavar="NAME",
        help="use this existing, migrated database filled by bench/generate.py (read only: "
        "nothing is generated, nothing dropped; sign-in sessions and access-log rows are "
        "written as by any request)",
    )
    parser.add_argument(
        "--pages",
        choices=["all", "case"],
        default="all",
        help="'case': only the case page pages (latest entries, key events, a page earlier)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from alexi.models import User
    from bench.generate import generate
    from bench.run import bench_settings
    from casework import chronology
    from casework.models import Case, CaseStatus

    setup_test_environment()
    bench_settings()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    wall = time.perf_counter()
    if args.database:
        connection.close()
        connection.settings_dict["NAME"] = args.database
        test_name, old_name = args.database, None
    else:
        # Its own scratch database, never pytest's test_<name> (autoclobber would drop that).
        connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DATABASE
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        test_name = connection.settings_dict["NAME"]
    rows = []
    generated = None
    analyze_seconds = 0.0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0].split(" on ")[0]
        if args.database:
            worker_id, manager_id, hub_id, case_id = existing_subjects()
        else:
            generated = generate(scale=args.scale, seed=args.seed)
            worker_id, manager_id = generated.caseload_worker_id, generated.hub_manager_id
            hub_id, case_id = generated.hub_id, generated.timeline_case_id
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            analyze_seconds = time.perf_counter() - t0
            # Write the bulk load out now, not while pages are timed (needs a superuser).
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
        counts = {}
        with connection.cursor() as cursor:
            for table in COUNTED_TABLES:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]

        worker = User.objects.get(pk=worker_id)
        manager = User.objects.get(pk=manager_id)
        case = Case.objects.get(pk=case_id)
        worker_open = Case.objects.filter(allocated_worker=worker, status=CaseStatus.OPEN).count()
        hub_open = Case.objects.filter(hub_id=hub_id).exclude(status=CaseStatus.CLOSED).count()
        entries = len(chronology.everything(case=case))

        worker_client = signed_in_client(worker)
        manager_client = signed_in_client(manager)
        case_url = f"/cases/{case.pk}/"
        case_pages = [
            (f"Case ({entries} entries)", case_url, manager_client, TARGET_CASE),
            ("Case, key events", f"{case_url}?view=key", manager_client, TARGET_CASE),
            ("Case, page 2 (no JS)", f"{case_url}?page=2", manager_client, TARGET_CASE),
            (
                "Show earlier (htmx)",
                f"/cases/{case.pk}/chronology/?page=2",
                manager_client,
                TARGET_CASE,
            ),
        ]
        pages = case_pages
        if args.pages == "all":
            pages = [
                ("My caseload", "/", worker_client, TARGET_CASELOAD),
                ("Hub caseload", "/hub/cases/", manager_client, TARGET_HUB),
                ("Hub caseload, overdue", "/hub/cases/?overdue=1", manager_client, TARGET_HUB),
                ("Hub caseload, high", "/hub/cases/?level=high", manager_client, TARGET_HUB),
                ("Hub caseload, last page", "/hub/cases/?page=last", manager_client, TARGET_HUB),
                *case_pages,
            ]
        load_before = os.getloadavg()
        # The baseline: /healthz through the same client and middleware, in the same run.
        baseline = measure_page(manager_client, "/healthz", args.requests)
        for label, url, client, (max_queries, max_median) in pages:
            m = measure_page(client, url, args.requests)
            ok = m["status"] == 200 and m["queries"] <= max_queries and m["median"] <= max_median
            rows.append((label, m, max_queries, max_median, ok))
        load_after = os.getloadavg()
        if args.explain:
            for _label, url, client, _target in pages:
                explain_slowest(client, url)
    finally:
        if args.database:
            pass
        elif args.keep:
            print(f"\nKept the scratch database {test_name!r} (drop it yourself when done).")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    if generated is not None:
        print(f"\nGeneration at scale {args.scale}: {generated.total_seconds:.1f} s in all")
        for name, seconds in generated.seconds.items():
            count = generated.rows.get(name)
            print(f"  {name:<28}{seconds:>8.1f} s" + (f"{count:>12,} rows" if count else ""))
        print(f"  {'ANALYZE':<28}{analyze_seconds:>8.1f} s")
        print("Notes: " + "; ".join(f"{k}: {v}" for k, v in generated.notes.items()))
    else:
        print(f"\nExisting database {args.database!r} (nothing generated)")
    print("Rows: " + ", ".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in counts.items()))
    print(
        f"Subjects: worker {worker.pk} with {worker_open} open cases; hub {hub_id} "
        f"with {hub_open} cases not closed (manager {manager.pk}); case {case.pk} with "
        f"{entries} chronology entries."
    )
    print(
        f"\n{'page':<26}{'median ms':>10}{'p95 ms':>9}{'cpu ms':>8}{'x base':>8}{'queries':>9}"
        f"{'status':>8}{'target':>18}  result {'sql ms':>7}"
    )
    b = baseline
    print(
        f"{'/healthz (baseline)':<26}{b['median']:>10.1f}{b['p95']:>9.1f}{b['cpu']:>8.1f}"
        f"{1.0:>8.2f}{b['queries']:>9}{b['status']:>8}{'':>18}  {'':<6} {b['sql']:>7.1f}"
    )
    for label, m, max_q, max_ms, ok in rows:
        target = f"<={max_q} q, {max_ms:.0f} ms"
        ratio = m["median"] / b["median"] if b["median"] else float("nan")
        print(
            f"{label:<26}{m['median']:>10.1f}{m['p95']:>9.1f}{m['cpu']:>8.1f}{ratio:>8.2f}"
            f"{m['queries']:>9}{m['status']:>8}{target:>18}  {'PASS' if ok else 'FAIL':<6} "
            f"{m['sql']:>7.1f}"
        )
    print(
        f"({args.requests} requests each after one warm-up, Django test client, {server}, "
        f"nproc {os.cpu_count()}, load average {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f} before and {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f} after; wall time {time.perf_counter() - wall:.0f} s)"
    )
    if args.scale < 1.0 and generated is not None:
        print("Targets are for scale 1.0; a smaller scale is a smoke check only.")


if __name__ == "__main__":
    main()
