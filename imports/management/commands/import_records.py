"""Import a folder (or zip) of CSV files as described in IMPORT.md: all of it or none."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports import importer, reader


class Command(BaseCommand):
    help = (
        "Import FOLDER's CSV files (funders, hubs, spokes, staff, referrals, cases, sessions, "
        "assessments, groupwork, training, consultations) in one transaction. Every problem "
        "is listed as file:line: column: message and nothing is written; --dry-run checks "
        "and counts without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder of CSV files, or a .zip of them")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="record this programme administrator as the one who made the changes",
        )
        parser.add_argument(
            "--progress", action="store_true", help="print progress to standard error"
        )

    def handle(self, *args, folder: str, dry_run: bool, user: str | None, progress: bool, **kw):
        from alexi.models import Role, User

        actor = None
        if user:
            actor = User.objects.filter(
                email__iexact=user, is_active=True, role=Role.PROGRAMME_ADMIN
            ).first()
            if actor is None:
                raise CommandError(f"{user} is not an active programme administrator.")
        path = Path(folder)
        if path.is_file() and path.suffix.lower() == ".zip":
            with path.open("rb") as data:
                return self._run(reader.from_zip(data, path.name), actor, dry_run, progress)
        return self._run(reader.from_folder(path), actor, dry_run, progress)

    def _run(self, found, actor, dry_run: bool, progress: bool) -> None:
        files, problems = found

        started = time.monotonic()

        def show(percent: int, stage: str) -> None:
            elapsed = time.monotonic() - started
            print(f"{elapsed:7.1f}s {percent:3d}% {stage}", file=sys.stderr, flush=True)

        report = importer.run(
            files,
            actor=actor,
            dry_run=dry_run,
            hub_scope=None,  # run on the server, as a programme administrator or no one
            problems=problems,
            progress=show if progress else None,
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.problems):,} problem(s) found; nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: everything checked; nothing was written.")
        else:
            self.stdout.write(f"Imported. {report.invited:,} invitation(s) sent to new staff.")
            if report.requested:
                self.stdout.write(
                    f"{report.requested:,} worker(s) wait for the hub to confirm them at their "
                    "spoke (Requests for access); import their cases after that."
                )
