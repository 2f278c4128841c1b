"""Referrals at national scale: the triage queue with 20,000 referrals, and duplicate
suggestions for one referral against 100,000 young people.

    .venv/bin/python bench/referrals.py                # scale 1.0
    .venv/bin/python bench/referrals.py --scale 0.05   # quick smoke check

Builds its own scratch database (removed afterwards), fills it with bench/generate.py plus
20,000 referrals at one hub, runs ANALYZE, then measures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)

TARGET_QUEUE = (10, 80.0)  # queries, median ms
TARGET_MATCH_MS = 50.0
SCRATCH_DATABASE = "alexi_bench_referrals"


def add_referrals(*, hub_id: int, count: int, seed: int) -> None:
    """`count` referrals at one hub over two years, a quarter of them still open."""
    from django.utils import timezone

    from referrals.models import Decision, Referral, Source, Urgency

    rng = random.Random(seed)
    today = timezone.localdate()
    names = ["Alex", "Jordan", "Mia", "Kai", "Riley", "Sam", "Jade", "Noor", "Eden", "Zara"]
    batch = []
    for n in range(count):
        received = today - timedelta(days=rng.randrange(730))
        decision = rng.choice(
            [Decision.PENDING, Decision.WAITING]
            + [Decision.DECLINED] * 2
            + [Decision.SIGNPOSTED] * 2
            + [Decision.PENDING]
        )
        decided = decision not in (Decision.PENDING, Decision.WAITING)
        batch.append(
            Referral(
                hub_id=hub_id,
                received_on=received,
                source=rng.choice(Source.values),
                urgency=rng.choice(Urgency.values),
                first_name=f"{rng.choice(names)}{n % 97}",
                age=rng.randrange(10, 18),
                decision=decision,
                decided_on=received + timedelta(days=rng.randrange(1, 20)) if decided else None,
                decline_reason="Bench: out of area" if decision == Decision.DECLINED else "",
                signposted_to="Bench service" if decision == Decision.SIGNPOSTED else "",
            )
        )
    Referral.objects.bulk_create(batch, batch_size=5000)


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from alexi.models import User
    from bench.casework import measure_page, signed_in_client
    from bench.generate import generate
    from bench.run import bench_settings
    from casework.models import YoungPerson
    from referrals import matching

    setup_test_environment()
    bench_settings()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DATABASE
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        generated = generate(scale=args.scale, seed=args.seed, verbose=False)
        t0 = time.perf_counter()
        add_referrals(hub_id=generated.hub_id, count=int(20_000 * args.scale), seed=args.seed)
        print(f"20,000 referrals (scaled) in {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        manager = User.objects.get(pk=generated.hub_manager_id)
        people = YoungPerson.objects.count()

        client = signed_in_client(manager)
        queue = measure_page(client, "/referrals/", args.requests)
        queue_all = measure_page(client, "/referrals/?decision=declined", args.requests)

        # Suggestions for referrals naming real people of the hub (misspelt) and new people.
        manager.otp_device = True
        manager.is_verified = lambda: True
        rng = random.Random(args.seed)
        sample = list(
            YoungPerson.objects.filter(cases__spoke__hub_id=generated.hub_id)
            .exclude(first_name="")
            .values("first_name", "last_name", "date_of_birth")[:200]
        )
        timings, found, queries = [], 0, 0
        matching.suggest(user=manager, hub_id=generated.hub_id, first_name="Warm", last_name="Up")
        for n in range(max(args.requests, 30)):
            person = rng.choice(sample)
            first = person["first_name"][:-1] + "e" if n % 2 else person["first_name"]
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                matches = matching.suggest(
                    user=manager,
                    hub_id=generated.hub_id,
                    first_name=first,
                    last_name=person["last_name"],
                    date_of_birth=person["date_of_birth"],
                )
                timings.append((time.perf_counter() - start) * 1000)
            queries = len(captured.captured_queries)
            found += bool(matches)
        timings.sort()
        match_median = statistics.median(timings)
        match_p95 = timings[int(round(0.95 * len(timings))) - 1]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def verdict(ok):
        return "PASS" if ok else "FAIL"

    print(f"young people: {people:,}")
    print(f"{'what':<34}{'median ms':>10}{'p95 ms':>9}{'queries':>9}  target            result")
    for label, result in [("triage queue (open)", queue), ("triage queue (declined)", queue_all)]:
        ok = result["queries"] <= TARGET_QUEUE[0] and result["median"] <= TARGET_QUEUE[1]
        print(
            f"{label:<34}{result['median']:>10.1f}{result['p95']:>9.1f}{result['queries']:>9}"
            f"  <=10 q, 80 ms     {verdict(ok)}"
        )
    print(
        f"{'duplicate suggestions':<34}{match_median:>10.1f}{match_p95:>9.1f}{queries:>9}"
        f"  50 ms             {verdict(match_median <= TARGET_MATCH_MS)}"
        f"   ({found}/{len(timings)} found their person)"
    )


if __name__ == "__main__":
    main()
