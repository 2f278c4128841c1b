"""Import at national scale: 100,000 cases, 1,000,000 sessions and 300,000 assessments.

    .venv/bin/python bench/import.py                # scale 1.0 (the issue's target)
    .venv/bin/python bench/import.py --scale 0.05   # quick smoke check

Writes the folder with bench/import_data.py, makes a scratch database (removed afterwards),
imports its structure and staff and confirms them as the hubs would (untimed), then runs `manage.py import_records` three times in its own process under /usr/bin/time -v:
a dry run, the import, and the same folder again (which must change nothing). Prints wall
time and the importing process's peak memory (the PostgreSQL server's own memory is not in
it) against the targets: at most 10 minutes and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
os.environ.setdefault("ALEXI_BENCHMARK", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)

TARGET_SECONDS = 600
TARGET_MB = 1024
SCRATCH_DATABASE = "alexi_bench_import"


def timed_run(args: list[str], env: dict) -> dict:
    """Run manage.py with `args` under /usr/bin/time -v; wall seconds, peak MB, output."""
    command = ["/usr/bin/time", "-v", sys.executable, str(ROOT / "manage.py"), *args]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {
        "seconds": seconds,
        "mb": int(peak[1]) / 1024 if peak else float("nan"),
        "ok": done.returncode == 0,
        "stdout": done.stdout,
        "stderr": done.stderr,
    }


def staff_first(folder: Path, structure: Path, env: dict) -> None:
    """As a service would: import the structure and staff first, and have the hubs confirm
    their new people (alexi.grants), so the timed runs may allocate cases to them."""
    import shutil

    from alexi.grants import grant_confirm
    from alexi.models import AccessGrant, GrantKind, GrantStatus, Role, User

    structure.mkdir()
    for name in ("hubs.csv", "funders.csv", "spokes.csv", "staff.csv"):
        if (folder / name).exists():
            shutil.copy(folder / name, structure / name)
    result = timed_run(["import_records", str(structure)], env)
    if not result["ok"]:
        print(result["stdout"][-3000:], result["stderr"][-3000:])
        raise SystemExit("structure and staff: the import failed")
    confirmer = User.objects.create_user(
        email="bench.confirmer@example.invalid", full_name="Bench", role=Role.PROGRAMME_ADMIN
    )
    confirmer.is_verified = lambda: True
    for kind in (GrantKind.SPOKE_WORKER, GrantKind.HUB_MANAGER):  # while hubs have no manager
        for pk in AccessGrant.objects.filter(kind=kind, status=GrantStatus.PENDING).values_list(
            "pk", flat=True
        ):
            grant_confirm(actor=confirmer, grant_id=pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("bench/import.py needs /usr/bin/time (apt install time).")

    import django

    django.setup()
    from django.db import connection

    from alexi import settings as alexi_settings
    from bench.import_data import write_folder

    cases = int(100_000 * args.scale)
    sessions = int(1_000_000 * args.scale)
    assessments = int(300_000 * args.scale)
    with tempfile.TemporaryDirectory(prefix="alexi-import-bench-") as tmp:
        folder = Path(tmp) / "records"
        t0 = time.perf_counter()
        written = write_folder(folder, cases, sessions, assessments, seed=args.seed)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(f"Folder: {written} ({size:,.0f} MB) written in {time.perf_counter() - t0:.1f} s")

        connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DATABASE
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            url = urlsplit(alexi_settings.db_url)
            env = {
                **os.environ,
                "DATABASE_URL": urlunsplit(url._replace(path="/" + SCRATCH_DATABASE)),
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "DEBUG": "false",
            }
            staff_first(folder, Path(tmp) / "structure", env)
            runs = {}
            for label, extra in (
                ("dry run", ["--dry-run"]),
                ("import", []),
                ("same folder again", []),
            ):
                result = timed_run(["import_records", str(folder), *extra], env)
                runs[label] = result
                if not result["ok"]:
                    print(result["stdout"][-3000:], result["stderr"][-3000:])
                    raise SystemExit(f"{label}: the import failed")
            from casework.models import Case, CaseSession, RiskAssessment

            counts = {
                "cases": Case.objects.count(),
                "sessions": CaseSession.objects.count(),
                "assessments": RiskAssessment.objects.count(),
                "session history rows": CaseSession.history.count(),
            }
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"\nImport of {cases:,} cases, {sessions:,} sessions, {assessments:,} assessments")
    print(f"{'run':<20}{'wall':>10}{'peak memory':>14}   target")
    for label, result in runs.items():
        print(
            f"{label:<20}{result['seconds']:>9.1f}s{result['mb']:>11.0f} MB   "
            f"<= {TARGET_SECONDS} s, <= {TARGET_MB} MB"
        )
    print("In the database afterwards:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    again = runs["same folder again"]["stdout"]
    unchanged = all(" 0 new, 0 changed" in line for line in again.splitlines() if ".csv" in line)
    print("Second import changed nothing:", "yes" if unchanged else "NO")
    slow = [k for k, r in runs.items() if r["seconds"] > TARGET_SECONDS or r["mb"] > TARGET_MB]
    if slow or not unchanged or counts["sessions"] != sessions:
        raise SystemExit(f"Targets missed: {slow or 'see above'}")


if __name__ == "__main__":
    main()
