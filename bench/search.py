"""Search at national scale (issue 13 item 1): the hub manager of hub 01 and the worker with
40 open cases each search for a name spelt wrong, a case reference, a date of birth and a name
nobody has, through Django's test client, beside a baseline request (/healthz) in the same run.

    .venv/bin/python bench/search.py                          # scale 1.0, its own scratch data
    .venv/bin/python bench/search.py --scale 0.05             # quick smoke check
    .venv/bin/python bench/search.py --database alexi_bench_me  # an existing, migrated copy
    .venv/bin/python bench/search.py --explain                # plus EXPLAIN ANALYZE

Without --database it builds its own scratch database (alexi_bench_search_scratch, removed
afterwards unless --keep) and fills it with bench/generate.py. With --database it uses that
database as it is and WRITES to it (access-log rows for each search, sessions, a TOTP device):
give it a copy, never the lead's template.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")  # lets the embedded database run with DEBUG off
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)

# Median ms targets from the issue, for scale 1.0.
TARGET_MS = {"hub manager": 100.0, "worker": 50.0}
SCRATCH_DATABASE = "alexi_bench_search_scratch"
NOBODY = "Zzyzx Qwertyuiop"


def misspelt(name: str) -> str:
    """The name with two letters of its last word swapped (Mockford -> Mockfrod)."""
    words = name.split(" ")
    last = words[-1]
    if len(last) >= 4:
        i = len(last) - 3
        last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]
    return " ".join([*words[:-1], last])


def subjects(hub_id: int | None, manager_id: int | None, worker_id: int | None):
    """The manager of hub 01 and the worker with exactly 40 open cases (the generator's
    guarantees, bench/README.md), found in the data when not given."""
    from django.db.models import Count, Q

    from alexi.models import Hub, HubManagement, Role, User
    from casework.models import CaseShare, CaseStatus

    hub = Hub.objects.get(pk=hub_id) if hub_id else Hub.objects.order_by("ref").first()
    if hub is None:
        raise SystemExit("No hub in this database: is it a benchmark database?")
    if manager_id:
        manager = User.objects.get(pk=manager_id)
    else:
        management = HubManagement.objects.current().filter(hub=hub).order_by("pk").first()
        if management is None:
            raise SystemExit(f"Hub {hub.ref} has no manager today.")
        manager = management.manager
    if worker_id:
        worker = User.objects.get(pk=worker_id)
    else:
        shared = CaseShare.objects.values("shared_with_id")
        found = (
            User.objects.filter(role=Role.SPOKE_WORKER, worker_profile__spoke__hub=hub)
            .exclude(pk__in=shared)
            .annotate(
                open=Count("allocated_cases", filter=Q(allocated_cases__status=CaseStatus.OPEN))
            )
            .filter(open=40)
            .order_by("pk")
            .first()
        )
        if found is None:
            raise SystemExit(f"No worker of hub {hub.ref} has exactly 40 open cases.")
        worker = found
    return hub, manager, worker


def searches_for(cases) -> list[tuple[str, str, int | None]]:
    """(what, typed, the case it must find) for the first open case of `cases`."""
    case = cases.select_related("young_person").order_by("pk").first()
    person = case.young_person
    born = person.date_of_birth
    return [
        ("name, misspelt", misspelt(f"{person.first_name} {person.last_name}"), case.pk),
        ("case reference", case.reference, case.pk),
        ("date of birth", f"{born.day}/{born.month}/{born.year}", case.pk),
        ("name nobody has", NOBODY, None),
    ]


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="an existing, migrated database (a copy)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.casework import explain_slowest, measure_page, signed_in_client
    from bench.run import bench_settings
    from casework.models import Case, CaseStatus

    setup_test_environment()
    bench_settings()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    wall = time.perf_counter()
    old_name = None
    ids: tuple[int | None, int | None, int | None] = (None, None, None)
    if args.database:
        connection.close()
        connection.settings_dict["NAME"] = args.database
    else:
        from bench.generate import generate

        connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DATABASE
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows: list[tuple[Any, ...]] = []
    try:
        if old_name is not None:
            generated = generate(scale=args.scale, seed=args.seed)
            ids = (generated.hub_id, generated.hub_manager_id, generated.caseload_worker_id)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0].split(" on ")[0]
            cursor.execute("SELECT current_database()")
            database = cursor.fetchone()[0]
        hub, manager, worker = subjects(*ids)
        hub_cases = Case.objects.filter(hub=hub)
        people = [
            (
                "hub manager",
                manager,
                hub_cases.count(),
                searches_for(hub_cases.filter(status=CaseStatus.OPEN)),
            ),
            (
                "worker",
                worker,
                Case.objects.filter(allocated_worker=worker).count(),
                searches_for(Case.objects.filter(allocated_worker=worker, status=CaseStatus.OPEN)),
            ),
        ]
        load_before = os.getloadavg()
        for who, user, reach, searches in people:
            client = signed_in_client(user)
            baseline = measure_page(client, "/healthz", args.requests)
            rows.append((who, "baseline /healthz", "", baseline, baseline, None, reach))
            for what, typed, expected in searches:
                url = "/search/?" + urlencode({"q": typed})
                found = None
                if expected is not None:
                    page = client.get(url).content.decode()
                    found = f'href="/cases/{expected}/"' in page
                m = measure_page(client, url, args.requests)
                rows.append((who, what, typed, m, baseline, found, reach))
            if args.explain:
                for _what, typed, _ in searches:
                    explain_slowest(client, "/search/?" + urlencode({"q": typed}), top=1)
        load_after = os.getloadavg()
    finally:
        if old_name is not None:
            if args.keep:
                print(f"\nKept the scratch database {SCRATCH_DATABASE!r} (drop it when done).")
            else:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    print(
        f"\nDatabase {database} ({server}); hub {hub.ref} with {people[0][2]:,} cases (manager "
        f"{manager.pk}); worker {worker.pk} with {people[1][2]:,} cases (40 open)."
    )
    print(
        f"\n{'who':<12}{'search':<17}{'typed':<20}{'median ms':>10}{'p95 ms':>8}{'cpu ms':>8}"
        f"{'queries':>8}{'status':>7}{'x base':>7}  {'target':<9}{'result':<7}found"
    )
    for who, what, typed, m, base, found, _ in rows:
        is_baseline = what.startswith("baseline")
        target = TARGET_MS[who]
        ok = m["status"] == 200 and m["median"] <= target and found is not False
        ratio = m["median"] / base["median"] if base["median"] else 0.0
        print(
            f"{who:<12}{what:<17}{typed[:19]:<20}{m['median']:>10.1f}{m['p95']:>8.1f}"
            f"{m['cpu']:>8.1f}{m['queries']:>8}{m['status']:>7}{ratio:>7.1f}  "
            + ("" if is_baseline else f"{'<=' + format(target, '.0f') + ' ms':<9}")
            + ("" if is_baseline else f"{'PASS' if ok else 'FAIL':<7}")
            + ("" if found is None else ("yes" if found else "NO"))
        )
    print(
        f"({args.requests} requests each after one warm-up, Django test client over HTTPS; "
        f"{os.cpu_count()} CPUs (nproc), load average {load_before[0]:.2f} "
        f"{load_before[1]:.2f} {load_before[2]:.2f} before and {load_after[0]:.2f} "
        f"{load_after[1]:.2f} {load_after[2]:.2f} after; wall {time.perf_counter() - wall:.0f} s)"
    )
    if not args.database and args.scale < 1.0:
        print("Targets are for scale 1.0; a smaller scale is a smoke check only.")
    medians = [m["median"] for _, what, _, m, _, _, _ in rows if not what.startswith("baseline")]
    if medians:
        print(f"Median of the search medians: {statistics.median(medians):.1f} ms")


if __name__ == "__main__":
    main()
