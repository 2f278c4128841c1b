"""Import a folder of CSV files (IMPORT.md): check every row, then write all of it or none.

The import is one transaction. First every file is read and checked, in the order of
`reader.FILES`; rows of the large files (cases, referrals, sessions, assessments) go straight
into temporary staging tables by COPY, so memory stays flat whatever the size. Only if no
problem was found are the records written: small files through the ORM (history as on any
save), large ones set-based (`imports.sql`), each new or changed row with its history row
and the importing user as actor. A dry run does all of it and rolls back, so its counts of new
and changed records are exact.

Matching on re-import: funders, hubs and spokes on their ref; cases, referrals and young people
on their ref within their hub (references belong to the hub: the same ref at two hubs names two
records, so an import at one hub can neither reach nor reveal another's); staff on email;
sessions and assessments on case, date and their order within that day;
groupwork and consultations on spoke, date and order; training on spoke, date and title.
An empty cell leaves what Alexi already holds. Nothing is ever deleted by an import.

In parts: report (Report, Counts), cells (reading a record's cells), holdings (what
Alexi already holds), scope (hub scope), checks (one check per file, table CHECKS);
imports.write writes. Importer brings them together; run() is the entry point.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from imports.cells import listed
from imports.checks import CHECKS, Checks
from imports.reader import COLUMNS, DEPENDS_ON, FILES, CsvFile, Problem, SourceFile, TooManyProblems
from imports.report import Counts, Report

REASON = "Imported from spreadsheet"

STAGING = {
    "case": """line integer, hub_ref text, case_ref text, person_ref text, spoke_ref text,
        worker_email text, opened_on date, closed_on date, closure_reason text,
        no_reduction_reason text""",
    # One row per young person per hub. person_id: the young person Alexi already holds under
    # this hub's ref (given one when written, if new); keep_details: also known to a hub this
    # import does not reach, so their details stay as Alexi holds them.
    "person": """hub_ref text, person_ref text, person_id bigint, keep_details boolean,
        first_name text, last_name text, date_of_birth date, gender text, ethnicity text,
        disability_sen boolean, local_authority_id integer""",
    "referral": """line integer, referral_ref text, hub_ref text, received_on date, source text,
        referrer_agency text, person_ref text, decision text, decided_on date,
        decline_reason text, case_ref text""",
    "session": """line integer, hub_ref text, case_ref text, date date, worker_email text,
        duration_minutes integer, contact_method text, venue_type text,
        young_person_chose boolean, attendance text, young_person_words text""",
    "assessment": """line integer, hub_ref text, case_ref text, assessed_on date, kind text,
        level text, assessor_email text, young_person_view text, next_review_due date""",
}


class _Rollback(Exception):
    pass


class Importer(Checks):
    """One import: what Alexi holds (holdings.Holdings) within its hub scope (scope.HubScope),
    checked file by file (checks.Checks, table CHECKS), then written (`apply`, imports.write)."""

    def __init__(
        self,
        *,
        actor,
        report: Report,
        hub_scope: set[str] | None,
        progress: Callable[[int, str], None] | None,
    ):
        self.actor = actor
        self.report = report
        self.hub_scope = hub_scope
        self.progress = progress or (lambda percent, stage: None)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.bytes_done = 0
        self.bytes_total = 1
        # Small files are kept parsed for writing; large ones go to staging tables.
        self.rows: dict[str, list] = {name: [] for name in FILES}
        self._load_existing()

    def check(self, files: list[SourceFile]) -> None:
        by_name = {f.name: f for f in files}
        self.bytes_total = max(sum(f.size for f in files), 1)
        with connection.cursor() as cursor:
            for table, columns in STAGING.items():
                # Dropped at commit; dropped first too, for an import inside a longer
                # transaction (a test) that ran one before.
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.import_{table}")
                cursor.execute(f"CREATE TEMPORARY TABLE import_{table} ({columns}) ON COMMIT DROP")
        # A file that could not be read (whole), and the files it left unchecked: name -> the
        # unread files behind it. Rows that refer to an unread file are not checked, or every
        # one would be reported as naming something that does not exist.
        unread: dict[str, tuple[str, ...]] = {}
        for name in FILES:
            source = by_name.get(name)
            if source is None:
                continue
            if not self._admits(name):
                self.problem(name, 0, "file", "only programme administrators can import this file.")
                continue
            csv_file = CsvFile(source, COLUMNS[name], self.report.problems)
            behind = tuple(
                sorted(
                    {root for dep in DEPENDS_ON[name] for root in unread.get(dep, ())},
                    key=FILES.index,
                )
            )
            if behind:
                csv_file.check_header()
                unread[name] = behind
                self.problem(
                    name,
                    0,
                    "file",
                    f"not checked, because {listed(behind)} could not be read; its rows refer "
                    f"to {'it' if len(behind) == 1 else 'them'}.",
                )
                self.bytes_done += source.size
                continue
            counts = self.report.counts.setdefault(name, Counts())
            CHECKS[name](self, csv_file, counts)
            if not csv_file.complete:
                unread[name] = (name,)
            self.bytes_done += source.size

    def apply(self) -> None:
        from imports import write

        writer = write.Writer(self)
        steps = [
            ("hubs.csv", writer.hubs),
            ("funders.csv", writer.funders),
            ("spokes.csv", writer.spokes),
            ("staff.csv", writer.staff),
            ("cases.csv", writer.cases),
            ("referrals.csv", writer.referrals),
            ("sessions.csv", writer.sessions),
            ("assessments.csv", writer.assessments),
            ("groupwork.csv", writer.groupwork),
            ("training.csv", writer.training),
            ("consultations.csv", writer.consultations),
        ]
        for number, (name, step) in enumerate(steps):
            if name in self.report.counts:
                self.progress(70 + 28 * number // len(steps), f"Writing {name}")
                step(self.report.counts[name])
        self.progress(98, "Updating case summaries")
        writer.case_summaries()


def run(
    files: list[SourceFile],
    *,
    actor=None,
    dry_run: bool = False,
    hub_scope: set[str] | None,
    problems: list[Problem] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Report:
    """Check and (unless `dry_run`, or a problem was found) write an import in one
    transaction. `hub_scope`: the hub refs the import may reach (imports.scope.hub_refs_for;
    None: every hub). It has no default on purpose: a caller that forgot it would otherwise
    let a hub manager import into the whole programme."""
    from alexi.grants import GrantRefused

    report = Report(dry_run=dry_run, problems=list(problems or []))
    if not files and not report.problems:
        report.problems.append(
            Problem(
                "(import)", 0, "files", f"no CSV files to import; the files are {', '.join(FILES)}."
            )
        )
    if report.problems:
        return report
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # One import at a time: two at once could each see the other's refs as new.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('alexi.import'))")
            importer = Importer(actor=actor, report=report, hub_scope=hub_scope, progress=progress)
            try:
                importer.check(files)
            except TooManyProblems:
                report.stopped_early = True
            if not report.problems:
                from imports.write import mismatches

                for problem in mismatches(limit=1_000):
                    report.problems.append(Problem(*problem))
            if report.problems:
                raise _Rollback
            importer.apply()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except GrantRefused as error:
        # Checking should have found this on its line; if not, nothing is written either.
        report.problems.append(Problem("staff.csv", 0, "staff", f"{error} Nothing was imported."))
    except DatabaseError as error:
        # Checking should leave nothing for the database to refuse; if it still does, say so
        # plainly (everything was rolled back) rather than fail with a server error.
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        report.problems.append(
            Problem(
                "(import)",
                0,
                "database",
                f"the database refused the import ({detail}); nothing was imported.",
            )
        )
    return report
