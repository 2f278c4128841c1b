"""Checking: one function per file, chosen from the table CHECKS (in the order of
reader.FILES); rows of the large files go to the staging tables as they are checked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection

from imports import reader
from imports.cells import Cells, listed, shown
from imports.holdings import CaseInfo, Holdings, StaffInfo
from imports.reader import CsvFile, Problem, TooManyProblems
from imports.report import Counts, Report


class Checks(Holdings):
    """The checks of each file, and their problems (the Importer is one)."""

    actor: Any
    report: Report
    rows: dict[str, list[Any]]
    progress: Callable[[int, str], None]
    bytes_done: int
    bytes_total: int

    def problem(self, file: str, line: int, column: str, message: str) -> None:
        self.report.problems.append(Problem(file, line, column, message))
        if len(self.report.problems) >= reader.MAX_PROBLEMS:
            raise TooManyProblems

    def _la(self, cells: Cells, column: str, value: str) -> int | None:
        value = value.strip()
        if not value:
            return None
        pk = self.la_by_code.get(value.upper()) or self.la_by_name.get(value.lower())
        if pk is None:
            cells.problem(
                column,
                f"'{shown(value)}' is not an English local authority's ONS code (like "
                "E08000025) or exact name.",
            )
        return pk

    def _tick(self, csv_file: CsvFile, stage: str) -> None:
        done = self.bytes_done + csv_file.bytes_read
        self.progress(min(70, int(70 * done / self.bytes_total)), stage)

    def _records(self, csv_file: CsvFile, counts: Counts):
        for number, record in enumerate(csv_file.records(), 1):
            counts.rows += 1
            if number % 20_000 == 0:
                self._tick(csv_file, f"Checking {csv_file.name}: {number:,} rows")
            yield Cells(self, csv_file, record)

    def _duplicate(self, cells: Cells, column: str, value: str, seen: dict, key=None) -> bool:
        """`value` used before in this file (`key`: what must be unique, if not the value)."""
        key = value if key is None else key
        if key in seen:
            cells.problem(column, f"{value} is already used on line {seen[key]}.")
            return True
        seen[key] = cells.line
        return False

    def _check_hubs(self, csv_file: CsvFile, counts: Counts) -> None:
        seen: dict[str, int] = {}
        for cells in self._records(csv_file, counts):
            ref = cells.ref("hub_ref")
            name = cells.text("name", 200, required=True)
            las = []
            for part in cells.raw("home_la").split(";"):
                if part.strip():
                    las.append(self._la(cells, "home_la", part))
            if ref and self._duplicate(cells, "hub_ref", ref, seen):
                continue
            if cells.ok:
                self.hubs.add(ref)
                self.rows["hubs.csv"].append((ref, name.strip(), sorted(set(las))))

    def _check_funders(self, csv_file: CsvFile, counts: Counts) -> None:
        seen: dict[str, int] = {}
        for cells in self._records(csv_file, counts):
            ref = cells.ref("funder_ref")
            name = cells.text("name", 200, required=True)
            hubs = cells.refs("funded_hub_refs")
            for hub in hubs:
                if hub not in self.hubs:
                    cells.problem(
                        "funded_hub_refs", f"there is no hub {hub} (in hubs.csv or Alexi)."
                    )
            if ref and self._duplicate(cells, "funder_ref", ref, seen):
                continue
            if cells.ok:
                self.funders.add(ref)
                self.rows["funders.csv"].append((ref, name.strip(), sorted(set(hubs))))

    def _check_spokes(self, csv_file: CsvFile, counts: Counts) -> None:
        from alexi.models import SpokeModel

        seen: dict[str, int] = {}
        models = SpokeModel.values
        for cells in self._records(csv_file, counts):
            ref = cells.ref("spoke_ref")
            hub = cells.ref("hub_ref")
            if hub and hub not in self.hubs:
                cells.problem("hub_ref", f"there is no hub {hub} (in hubs.csv or Alexi).")
            la = self._la(cells, "la", cells.raw("la"))
            if la is None and not cells.raw("la").strip():
                cells.problem("la", "needed; the spoke's LA area (ONS code or name).")
            host = cells.text("host_agency", 200)
            model = cells.choice("model", models)
            start = cells.date("start_date")
            end = cells.date("end_date", required=False)
            if start and end and end < start:
                cells.problem("end_date", f"{end} is before the start date {start}.")
            if ref and ref in self.spokes and hub and self.spokes[ref] != hub:
                cells.problem(
                    "hub_ref",
                    f"spoke {ref} belongs to hub {self.spokes[ref]} in Alexi; a spoke cannot "
                    "move to another hub by import.",
                )
            if ref and self._duplicate(cells, "spoke_ref", ref, seen):
                continue
            if cells.ok:
                self.spokes[ref] = hub
                if end and end < self.today:
                    self.spokes_ended.add(ref)
                else:
                    self.spokes_ended.discard(ref)
                self.rows["spokes.csv"].append((ref, hub, la, host.strip(), model, start, end))

    def _check_staff(self, csv_file: CsvFile, counts: Counts) -> None:
        from alexi.models import Role

        seen: dict[str, int] = {}
        for cells in self._records(csv_file, counts):
            email = cells.email("email")
            full_name = cells.text("full_name", 200, required=True)
            role = cells.choice("role", Role.values)
            hub_refs = cells.refs("hub_refs")
            spoke = cells.ref("spoke_ref", required=role == Role.SPOKE_WORKER)
            funder = cells.ref("funder_ref", required=role == Role.FUNDER)
            fte = None
            fte_text = cells.raw("fte").strip()
            if fte_text:
                try:
                    fte = Decimal(fte_text)
                    if not Decimal("0.05") <= fte <= 1 or fte.as_tuple().exponent < -2:
                        raise InvalidOperation
                except InvalidOperation:
                    cells.problem("fte", f"'{shown(fte_text)}' is not a number from 0.05 to 1.")
            background = cells.text("background", 200)
            qualifications = cells.text("qualifications", 5_000)
            years = cells.integer("years_experience", 0, 60, required=False)
            if role == Role.HUB_MANAGER and not hub_refs and cells.ok:
                cells.problem("hub_refs", "needed for a hub manager: the hubs they manage.")
            if role and role != Role.HUB_MANAGER and hub_refs:
                cells.problem("hub_refs", "only for hub managers; leave it empty.")
            if role and role != Role.SPOKE_WORKER and spoke:
                cells.problem("spoke_ref", "only for spoke workers; leave it empty.")
            if role and role != Role.FUNDER and funder:
                cells.problem("funder_ref", "only for funder users; leave it empty.")
            if role and role != Role.SPOKE_WORKER and (fte is not None or years is not None):
                cells.problem("fte", "FTE and years of experience are only for spoke workers.")
            for hub in hub_refs:
                if hub not in self.hubs:
                    cells.problem("hub_refs", f"there is no hub {hub} (in hubs.csv or Alexi).")
            if spoke and spoke not in self.spokes:
                cells.problem("spoke_ref", f"there is no spoke {spoke} (in spokes.csv or Alexi).")
            if funder and funder not in self.funders:
                cells.problem(
                    "funder_ref", f"there is no funder {funder} (in funders.csv or Alexi)."
                )
            existing = self.staff.get(email)
            moving = (
                existing is not None
                and not existing.in_file
                and role == Role.SPOKE_WORKER == existing.role
                and spoke
                and existing.spoke_ref
                and spoke != existing.spoke_ref
            )
            if moving:
                from casework.models import Case

                held = (
                    Case.objects.filter(allocated_worker__email__iexact=email)
                    .exclude(status="closed")
                    .exclude(spoke__ref=spoke)
                    .count()
                )
                if held:
                    cells.problem(
                        "spoke_ref",
                        f"{email} holds {held} open case{'s' if held > 1 else ''} at spoke "
                        f"{existing.spoke_ref}; reallocate them before moving the worker to "
                        f"{spoke}.",
                    )
            if existing and not existing.in_file and role and existing.role != role:
                cells.problem(
                    "role",
                    f"{email} already has an account as {existing.role}; change roles on the "
                    "People page, not by import.",
                )
            # A new attachment to a spoke (a new worker, or one who moves) reaches that spoke's
            # children's records, so the import only asks for it, as the People page does; the
            # hub's managers (or, with none, a second administrator) confirm it (alexi.grants).
            confirmed = existing.spoke_ref if existing and not existing.in_file else ""
            waiting = existing.pending_spoke if existing and not existing.in_file else ""
            attaching = role == Role.SPOKE_WORKER and spoke and spoke != confirmed
            if attaching and spoke in self.spokes_ended:
                cells.problem("spoke_ref", f"spoke {spoke} has ended; no one can join it now.")
            if attaching and spoke != waiting and spoke in self.spokes:
                other = self.pending_hub_spoke.get(email, {}).get(self.spokes[spoke])
                if other and other != spoke:
                    cells.problem(
                        "spoke_ref",
                        f"{email} is already waiting for the hub to confirm them at spoke "
                        f"{other}; that request is confirmed or refused first (Requests for "
                        "access).",
                    )
            own = self.actor is not None and email == self.actor.email.lower()
            if own and role and role != self.actor.role:
                cells.problem("role", "this is your own account; your role cannot change here.")
            # Inviting an administrator needs the inviter to confirm it is them, is in the
            # access log and emails every administrator (alexi.services.user_invite); an
            # upload from a session cannot skip that. The server command without --user
            # (like `invite`) still can make the first one.
            if role == Role.PROGRAMME_ADMIN and existing is None and self.actor is not None:
                cells.problem(
                    "role",
                    "a programme administrator is invited on the People page (Invite someone), "
                    "which asks you to confirm it is you; leave them out of staff.csv.",
                )
            if email and self._duplicate(cells, "email", email, seen):
                continue
            if cells.ok:
                self.staff[email] = StaffInfo(
                    role,
                    existing.active if existing else True,
                    confirmed if attaching else spoke,
                    tuple(hub_refs),
                    True,
                    pending_spoke=spoke if attaching else waiting,
                )
                self.rows["staff.csv"].append(
                    (
                        email,
                        full_name.strip(),
                        role,
                        tuple(sorted(set(hub_refs))),
                        spoke,
                        funder,
                        fte,
                        background.strip(),
                        qualifications,
                        years,
                    )
                )

    def _check_cases(self, csv_file: CsvFile, counts: Counts) -> None:
        from casework.models import ClosureReason, Gender, NoReductionReason, YoungPerson

        seen: dict[tuple, int] = {}
        # (hub ref, person ref) -> (opened_on, line, row): the newest row's details win.
        persons: dict[tuple[str, str], tuple] = {}
        open_rows: dict[tuple[str, str], list[tuple[int, str]]] = {}  # (person, hub) -> rows
        genders = Gender.values
        reasons = ClosureReason.values
        no_reduction = NoReductionReason.values
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY import_case FROM STDIN") as copy,
        ):
            for cells in self._records(csv_file, counts):
                ref = cells.ref("case_ref")
                person = cells.ref("person_ref")
                first = cells.text("first_name", 100)
                last = cells.text("last_name", 100)
                born = cells.date("date_of_birth", required=False)
                gender = cells.choice("gender", genders, required=False)
                ethnicity = cells.text("ethnicity", 100)
                disability = cells.yes_no("disability")
                la = self._la(cells, "la", cells.raw("la"))
                spoke = cells.ref("spoke_ref")
                worker = cells.email("worker_email", required=False)
                opened = cells.date("opened_on")
                closed = cells.date("closed_on", required=False)
                reason = cells.choice("closure_reason", reasons, required=False)
                no_reduction_reason = cells.choice(
                    "no_reduction_reason", no_reduction, required=False
                )
                hub = self._spoke_hub(cells, "spoke_ref", spoke) if spoke else None
                if opened and closed and closed < opened:
                    cells.problem("closed_on", f"{closed} is before the case opened ({opened}).")
                if closed and not reason and not cells.raw("closure_reason").strip():
                    cells.problem("closure_reason", "needed when closed_on is given.")
                if not closed and (reason or no_reduction_reason):
                    cells.problem("closed_on", "needed when a closure reason is given.")
                if born and opened:
                    age = YoungPerson.age_between(born, opened)
                    if age < 0:
                        cells.problem(
                            "date_of_birth", f"{born} is after the case opened ({opened})."
                        )
                    elif age > 25:
                        cells.problem(
                            "date_of_birth",
                            f"{born} makes the young person {age} when the case opened; Alexi "
                            "is for young people up to 25.",
                        )
                # Against a spoke that exists and is in scope only: one at another hub is
                # answered as if it did not exist (no word of who works or waits there).
                if worker and (hub or not spoke):
                    self._check_allocated_worker(cells, worker, spoke, closed is None)
                # A case is matched on its ref within its hub (the hub of its spoke); the same
                # ref at another hub is another case.
                existing = self.cases.get((hub, ref)) if hub and ref else None
                if existing and not existing.in_file:
                    if person and existing.person_ref != person:
                        cells.problem(
                            "person_ref",
                            f"case {ref} belongs to another young person in Alexi.",
                        )
                    if (
                        worker
                        and existing.worker
                        and worker != existing.worker
                        and (closed or existing.closed_in_alexi)
                    ):
                        cells.problem(
                            "worker_email",
                            f"case {ref} is closed, so it stays with {existing.worker}: a "
                            "closed case is not reallocated.",
                        )
                if ref and self._duplicate(cells, "case_ref", ref, seen, key=(hub, ref)):
                    continue
                if not cells.ok:
                    continue
                if closed is None and not (existing and existing.closed_in_alexi):
                    open_rows.setdefault((person, hub), []).append((cells.line, ref))
                self.cases[(hub, ref)] = CaseInfo(hub, spoke, person, opened, closed, True)
                self.case_hubs.setdefault(ref, set()).add(hub)
                self.file_persons.add((hub, person))
                best = persons.get((hub, person))
                if best is None or (opened, cells.line) >= best[:2]:
                    known = self.person_refs.get((hub, person))
                    persons[(hub, person)] = (
                        opened,
                        cells.line,
                        (
                            hub,
                            person,
                            known,
                            known in self.shared_persons,
                            first.strip(),
                            last.strip(),
                            born,
                            gender,
                            ethnicity.strip(),
                            disability,
                            la,
                        ),
                    )
                copy.write_row(
                    (
                        cells.line,
                        hub,
                        ref,
                        person,
                        spoke,
                        worker,
                        opened,
                        closed,
                        reason,
                        no_reduction_reason,
                    )
                )
        self._check_one_open_case(csv_file, open_rows)
        # A young person Alexi holds at several of this import's hubs (one id under each
        # hub's ref) is written once: the details on their newest row win, as for several
        # cases at one hub; their other rows keep the details (a second write of the same
        # row is refused by the database).
        newest: dict[int, tuple] = {}
        for opened, line, row in persons.values():
            if row[2] is not None and (opened, line) >= newest.get(row[2], (opened, line)):
                newest[row[2]] = (opened, line)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY import_person FROM STDIN") as copy,
        ):
            for opened, line, row in persons.values():
                if row[2] is not None and newest[row[2]] != (opened, line):
                    row = (*row[:3], True, *row[4:])
                copy.write_row(row)

    def _check_one_open_case(
        self, csv_file: CsvFile, open_rows: dict[tuple[str, str], list[tuple[int, str]]]
    ) -> None:
        """A young person has at most one open (or paused) case per hub: counting the cases
        this file leaves open and those already open in Alexi that it does not mention."""
        from casework.models import Case, CaseStatus

        in_alexi: dict[tuple[str, str], list[str]] = {}
        # (young person's id, hub ref) -> (person ref, hub ref) of those Alexi already holds.
        known: dict[tuple[int, str], tuple[str, str]] = {}
        for person, hub in open_rows:
            person_id = self.person_refs.get((hub, person))
            if person_id is not None:
                known[(person_id, hub)] = (person, hub)
        for pk, ref, person_id, hub in (
            Case.objects.filter(
                young_person_id__in={person_id for person_id, _hub in known},
                hub__ref__in={hub for _person_id, hub in known},
            )
            .exclude(status=CaseStatus.CLOSED)
            .values_list("pk", "import_ref", "young_person_id", "hub__ref")
        ):
            key = known.get((person_id, hub))
            in_file = ref and (hub, ref) in self.cases and self.cases[(hub, ref)].in_file
            if key is not None and not in_file:
                in_alexi.setdefault(key, []).append(ref or f"C-{pk:06d}")
        for (person, hub), rows in open_rows.items():
            held = in_alexi.get((person, hub))
            first = f"{held[0]}, open in Alexi" if held else rows[0][1]
            for line, ref in rows if held else rows[1:]:
                self.problem(
                    csv_file.name,
                    line,
                    "closed_on",
                    f"young person {person} would have two open cases at hub {hub} ({first}; "
                    f"{ref}): a young person has one open case per hub, so give one of them "
                    "a closed_on.",
                )

    def _check_allocated_worker(
        self, cells: Cells, email: str, spoke: str, open_case: bool
    ) -> None:
        from alexi.models import Role

        info = self._staff_for(email)
        if info is None:
            self._no_staff(cells, "worker_email", email)
        elif info.role != Role.SPOKE_WORKER:
            cells.problem("worker_email", f"{email} is not a spoke worker.")
        elif spoke and info.spoke_ref != spoke and info.pending_spoke == spoke:
            cells.problem("worker_email", self._waiting(email, spoke))
        elif spoke and info.spoke_ref != spoke:
            cells.problem(
                "worker_email",
                f"{email} works at spoke {info.spoke_ref or '(none)'}, not {spoke}; a case is "
                "allocated to a worker at its own spoke.",
            )
        elif open_case and not info.active:
            cells.problem(
                "worker_email", f"{email}'s account is closed; allocate the case to someone else."
            )

    @staticmethod
    def _waiting(email: str, spoke: str) -> str:
        return (
            f"{email} is waiting for the hub to confirm their access to spoke {spoke}; import "
            "the cases after it is confirmed (Requests for access)."
        )

    def _check_staff_on_case(self, cells: Cells, column: str, email: str, case: CaseInfo) -> None:
        from alexi.models import Role

        info = self._staff_for(email)
        if info is None:
            self._no_staff(cells, column, email)
            return
        if info.role == Role.SPOKE_WORKER:
            if (
                self.spokes.get(info.spoke_ref) != case.hub_ref
                and self.spokes.get(info.pending_spoke) == case.hub_ref
            ):
                cells.problem(column, self._waiting(email, info.pending_spoke))
            elif self.spokes.get(info.spoke_ref) != case.hub_ref:
                cells.problem(
                    column,
                    f"{email} works at spoke {info.spoke_ref}, which is not in this case's hub "
                    f"({case.hub_ref}).",
                )
        elif info.role == Role.HUB_MANAGER:
            if case.hub_ref not in info.hub_refs:
                cells.problem(column, f"{email} does not manage this case's hub ({case.hub_ref}).")
        else:
            cells.problem(column, f"{email} is not a spoke worker or hub manager.")

    def _case_for(self, cells: Cells, ref: str) -> CaseInfo | None:
        """The case a session or assessment names by case_ref alone: the one case with that
        ref at the hubs this import reaches (for a hub manager, only the hubs they manage)."""
        if not ref:
            return None
        hubs = self.case_hubs.get(ref)
        if not hubs:
            self._missing(cells, "case_ref", "case", ref, "cases.csv")
            return None
        if len(hubs) > 1:
            cells.problem(
                "case_ref",
                f"there is a case {ref} at hubs {listed(tuple(sorted(hubs)))}, and "
                f"{cells.file.name} names a case by case_ref alone, so this row could belong "
                "to either. Give the cases different case_refs at each hub, or import this "
                "row as a manager of only the case's hub (an import sees only the hubs of "
                "the person who runs it).",
            )
            return None
        return self.cases[(next(iter(hubs)), ref)]

    def _within_case(self, cells: Cells, column: str, day: date | None, case: CaseInfo) -> None:
        if day is None:
            return
        if case.opened_on and day < case.opened_on:
            cells.problem(column, f"{day} is before the case opened ({case.opened_on}).")
        elif case.closed_on and day > case.closed_on:
            cells.problem(column, f"{day} is after the case closed ({case.closed_on}).")

    def _check_referrals(self, csv_file: CsvFile, counts: Counts) -> None:
        from referrals.models import Decision, Source

        seen: dict[tuple, int] = {}
        case_seen: dict[tuple, int] = {}
        sources = Source.values
        decisions = [d for d in Decision.values if d != Decision.PENDING]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY import_referral FROM STDIN") as copy,
        ):
            for cells in self._records(csv_file, counts):
                ref = cells.ref("referral_ref")
                hub = cells.ref("hub_ref")
                received = cells.date("received_on")
                source = cells.choice("source", sources)
                agency = cells.text("referrer_agency", 200)
                person = cells.ref("person_ref", required=False)
                decision = cells.choice("decision", decisions, required=False)
                decided = cells.date("decided_on", required=False)
                decline_reason = cells.text("decline_reason", 10_000)
                case_ref = cells.ref("case_ref", required=False)
                # Every ref on the row is the hub's own: its young person and case are looked
                # for at this hub only, and the same referral_ref at another hub is another
                # referral.
                if hub and (hub not in self.hubs or not self._in_scope(hub)):
                    self._missing(cells, "hub_ref", "hub", hub, "hubs.csv")
                    hub = ""
                if (
                    hub
                    and person
                    and (hub, person) not in self.person_refs
                    and (hub, person) not in self.file_persons
                ):
                    cells.problem(
                        "person_ref",
                        f"there is no young person {person} at hub {hub} (in cases.csv or Alexi).",
                    )
                if decision in (Decision.ACCEPTED, Decision.SIGNPOSTED, Decision.DECLINED):
                    if decided is None and not cells.raw("decided_on").strip():
                        cells.problem("decided_on", f"needed when the decision is {decision}.")
                elif decided is not None:
                    cells.problem(
                        "decided_on",
                        "only for a decided referral (accepted, signposted or declined).",
                    )
                if decided and received and decided < received:
                    cells.problem(
                        "decided_on", f"{decided} is before the referral arrived ({received})."
                    )
                if decision == Decision.DECLINED and not decline_reason.strip():
                    cells.problem("decline_reason", "needed when the referral was declined.")
                if (
                    decision == Decision.ACCEPTED
                    and not case_ref
                    and not cells.raw("case_ref").strip()
                ):
                    cells.problem(
                        "case_ref", "needed when the referral was accepted: the case it opened."
                    )
                if case_ref and decision != Decision.ACCEPTED:
                    cells.problem("case_ref", "only for an accepted referral.")
                elif case_ref and hub:
                    self._check_referral_case(cells, ref, case_ref, hub, person, case_seen)
                if ref and self._duplicate(cells, "referral_ref", ref, seen, key=(hub, ref)):
                    continue
                if cells.ok:
                    copy.write_row(
                        (
                            cells.line,
                            ref,
                            hub,
                            received,
                            source,
                            agency,
                            person,
                            decision,
                            decided,
                            decline_reason,
                            case_ref,
                        )
                    )

    def _check_referral_case(
        self, cells: Cells, ref: str, case_ref: str, hub: str, person: str, seen: dict
    ) -> None:
        """The case an accepted referral opened: at its hub, for its young person, and opened
        by this referral alone."""
        case = self.cases.get((hub, case_ref))
        if case is None:
            cells.problem(
                "case_ref", f"there is no case {case_ref} at hub {hub} (in cases.csv or Alexi)."
            )
            return
        if person and case.person_ref and case.person_ref != person:
            cells.problem("case_ref", f"case {case_ref} is for another young person.")
        if self.case_referral.get((hub, case_ref), ref) != ref:
            cells.problem("case_ref", f"case {case_ref} already came from another referral.")
        else:
            self._duplicate(cells, "case_ref", case_ref, seen, key=(hub, case_ref))

    def _check_sessions(self, csv_file: CsvFile, counts: Counts) -> None:
        from casework.models import Attendance, ContactMethod, VenueType

        methods = ContactMethod.values
        venues = VenueType.values
        attendances = Attendance.values
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY import_session FROM STDIN") as copy,
        ):
            for cells in self._records(csv_file, counts):
                case = self._case_for(cells, cells.ref("case_ref"))
                day = cells.date("date")
                worker = cells.email("worker_email")
                minutes = cells.integer("duration_minutes", 1, 720, required=False)
                method = cells.choice("contact_method", methods)
                venue = cells.choice("venue_type", venues, required=False)
                chose = cells.yes_no("chosen_by_young_person")
                attendance = cells.choice("attendance", attendances)
                words = cells.text("young_person_words", 10_000)
                if case is not None:
                    self._within_case(cells, "date", day, case)
                    if worker:
                        self._check_staff_on_case(cells, "worker_email", worker, case)
                if cells.ok:
                    copy.write_row(
                        (
                            cells.line,
                            case.hub_ref,
                            cells.raw("case_ref").strip(),
                            day,
                            worker,
                            minutes,
                            method,
                            venue,
                            chose,
                            attendance,
                            words,
                        )
                    )

    def _check_assessments(self, csv_file: CsvFile, counts: Counts) -> None:
        from casework import risk
        from casework.models import AssessmentKind, RiskLevel
        from casework.services import current_tool

        definition = current_tool().definition
        kinds = AssessmentKind.values
        levels = RiskLevel.values
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY import_assessment FROM STDIN") as copy,
        ):
            for cells in self._records(csv_file, counts):
                case = self._case_for(cells, cells.ref("case_ref"))
                day = cells.date("date")
                kind = cells.choice("kind", kinds)
                level = cells.choice("level", levels)
                assessor = cells.email("assessor_email")
                view = cells.text("young_person_view", 10_000)
                if case is not None:
                    self._within_case(cells, "date", day, case)
                    if assessor:
                        self._check_staff_on_case(cells, "assessor_email", assessor, case)
                if cells.ok:
                    copy.write_row(
                        (
                            cells.line,
                            case.hub_ref,
                            cells.raw("case_ref").strip(),
                            day,
                            kind,
                            level,
                            assessor,
                            view,
                            risk.next_review_due(definition, level, day),
                        )
                    )

    def _spoke_in_scope(self, cells: Cells) -> str:
        spoke = cells.ref("spoke_ref")
        if spoke:
            self._spoke_hub(cells, "spoke_ref", spoke)
        return spoke

    def _check_groupwork(self, csv_file: CsvFile, counts: Counts) -> None:
        from training.models import MAX_COUNT, Setting

        occurrence: dict[tuple, int] = {}
        for cells in self._records(csv_file, counts):
            spoke = self._spoke_in_scope(cells)
            day = cells.date("date")
            setting = cells.choice("setting", Setting.values)
            title = cells.text("title", 200, required=True)
            young_people = cells.integer("young_people", 1, MAX_COUNT)
            if cells.ok:
                n = occurrence[(spoke, day)] = occurrence.get((spoke, day), 0) + 1
                self.rows["groupwork.csv"].append(
                    (f"g|{spoke}|{day}|{n}", spoke, day, setting, title.strip(), young_people)
                )

    def _check_training(self, csv_file: CsvFile, counts: Counts) -> None:
        from training.models import MAX_COUNT, Profession, TrainingKind

        events: dict[tuple, dict] = {}
        for cells in self._records(csv_file, counts):
            spoke = self._spoke_in_scope(cells)
            day = cells.date("date")
            title = cells.text("title", 200, required=True).strip()
            kind = cells.choice("kind", TrainingKind.values)
            profession = cells.choice("profession", Profession.values)
            attendees = cells.integer("attendees", 1, MAX_COUNT)
            if not cells.ok:
                continue
            event = events.setdefault(
                (spoke, day, title), {"kind": kind, "line": cells.line, "attendance": {}}
            )
            if event["kind"] != kind:
                cells.problem(
                    "kind",
                    f"this event is {event['kind']} on line {event['line']}; rows of one event "
                    "(same spoke_ref, date and title) share their kind.",
                )
            elif profession in event["attendance"]:
                cells.problem("profession", f"{profession} is already counted for this event.")
            else:
                event["attendance"][profession] = attendees
        for (spoke, day, title), event in events.items():
            self.rows["training.csv"].append(
                (
                    f"t|{spoke}|{day}|{hashlib.sha256(title.encode()).hexdigest()[:40]}",
                    spoke,
                    day,
                    title,
                    event["kind"],
                    event["attendance"],
                )
            )

    def _check_consultations(self, csv_file: CsvFile, counts: Counts) -> None:
        from training.models import Profession

        occurrence: dict[tuple, int] = {}
        for cells in self._records(csv_file, counts):
            spoke = self._spoke_in_scope(cells)
            day = cells.date("date")
            role = cells.choice("professional_role", Profession.values)
            agency = cells.text("agency", 200)
            minutes = cells.integer("minutes", 1, 24 * 60)
            if cells.ok:
                n = occurrence[(spoke, day)] = occurrence.get((spoke, day), 0) + 1
                self.rows["consultations.csv"].append(
                    (f"c|{spoke}|{day}|{n}", spoke, day, role, agency.strip(), minutes)
                )


# Which check reads which file (reader.FILES gives the order, reader.DEPENDS_ON
# what each file's rows refer to).
CHECKS: dict[str, Callable[[Checks, CsvFile, Counts], None]] = {
    "hubs.csv": Checks._check_hubs,
    "funders.csv": Checks._check_funders,
    "spokes.csv": Checks._check_spokes,
    "staff.csv": Checks._check_staff,
    "cases.csv": Checks._check_cases,
    "referrals.csv": Checks._check_referrals,
    "sessions.csv": Checks._check_sessions,
    "assessments.csv": Checks._check_assessments,
    "groupwork.csv": Checks._check_groupwork,
    "training.csv": Checks._check_training,
    "consultations.csv": Checks._check_consultations,
}
