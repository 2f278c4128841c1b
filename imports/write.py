"""Writing a checked import. Runs only when checking found no problem, inside its transaction.

Funders, hubs, spokes and staff go through the ORM, so history and invitations are exactly as
in the browser. Young people, cases, allocations, referrals, sessions and assessments are
written set-based from the staging tables (`imports.sql`), each new or changed row with
its history row. Groupwork, training and consultations use simple-history's bulk helpers.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alexi.history import acting_as
from imports import sql
from imports.sql import keep_null, keep_text, new

CHUNK = 5_000
# How a session or assessment without a ref of its own is recognised again: its case (by id:
# two hubs may use the same case_ref), date and its place among that case's rows of the same
# date, in file order. `c` is the case, joined on the row's hub and case_ref.
SESSION_KEY = (
    "'session|' || c.id || '|' || s.date || '|' "
    "|| row_number() OVER (PARTITION BY c.id, s.date ORDER BY s.line)"
)
ASSESSMENT_KEY = (
    "'assessment|' || c.id || '|' || s.assessed_on || '|' "
    "|| row_number() OVER (PARTITION BY c.id, s.assessed_on ORDER BY s.line)"
)
# The case a staging row names: its ref within its hub.
CASE_OF_ROW = """
    JOIN alexi_hub h ON h.ref = s.hub_ref
    JOIN casework_case c ON c.hub_id = h.id AND c.import_ref = s.case_ref
"""


def mismatches(limit: int) -> list[tuple[str, int, str, str]]:
    """Rows that would take over a session or assessment imported before with a different
    worker (or kind): (file, line, column, message). Matching by order within a day is safe
    only if a day's rows keep their order, and this catches the files where they did not."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT k.line, k.case_ref, k.date, k.n, u.email
            FROM (SELECT s.line, s.case_ref, s.date, s.worker_email, {SESSION_KEY} AS key,
                         row_number() OVER (PARTITION BY c.id, s.date ORDER BY s.line) AS n
                  FROM import_session s {CASE_OF_ROW}) AS k
            JOIN casework_casesession t ON t.import_key = k.key
            JOIN alexi_user u ON u.id = t.worker_id
            WHERE lower(u.email) <> k.worker_email
            ORDER BY k.line LIMIT %s
            """,  # noqa: S608 (constant SQL; values are parameters)
            [limit],
        )
        for line, case_ref, day, n, email in cursor.fetchall():
            found.append(
                (
                    "sessions.csv",
                    line,
                    "worker_email",
                    f"this row takes the place of session {n} of case {case_ref} on {day}, "
                    f"imported before with {email}. Rows are matched by case, date and order "
                    "within the day: keep each day's rows, in the same order (to correct a "
                    "session's worker, change it in Alexi).",
                )
            )
        cursor.execute(
            f"""
            SELECT k.line, k.case_ref, k.assessed_on, k.n, u.email, t.kind
            FROM (SELECT s.line, s.case_ref, s.assessed_on, s.assessor_email, s.kind,
                         {ASSESSMENT_KEY} AS key,
                         row_number() OVER (
                             PARTITION BY c.id, s.assessed_on ORDER BY s.line) AS n
                  FROM import_assessment s {CASE_OF_ROW}) AS k
            JOIN casework_riskassessment t ON t.import_key = k.key
            JOIN alexi_user u ON u.id = t.assessor_id
            WHERE lower(u.email) <> k.assessor_email OR t.kind <> k.kind
            ORDER BY k.line LIMIT %s
            """,  # noqa: S608 (constant SQL; values are parameters)
            [limit],
        )
        for line, case_ref, day, n, email, kind in cursor.fetchall():
            found.append(
                (
                    "assessments.csv",
                    line,
                    "assessor_email",
                    f"this row takes the place of assessment {n} of case {case_ref} on {day} "
                    f"({kind}, by {email}), imported before. Rows are matched by case, date "
                    "and order within the day: keep each day's rows, in the same order (to "
                    "correct an assessment's kind or assessor, change it in Alexi).",
                )
            )
    for table, staging, day, noun in (
        ("casework_casesession", "import_session", "date", "sessions"),
        ("casework_riskassessment", "import_assessment", "assessed_on", "assessments"),
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH f AS (
                    SELECT hub_ref, case_ref, {day} AS day, count(*) AS n, min(line) AS line
                    FROM {staging} GROUP BY hub_ref, case_ref, {day}
                )
                SELECT f.line, f.case_ref, f.day, f.n, count(t.id)
                FROM f
                JOIN alexi_hub h ON h.ref = f.hub_ref
                JOIN casework_case c ON c.hub_id = h.id AND c.import_ref = f.case_ref
                JOIN {table} t ON t.case_id = c.id AND t.{day} = f.day
                     AND t.import_key IS NOT NULL
                GROUP BY f.line, f.case_ref, f.day, f.n
                HAVING count(t.id) > f.n
                ORDER BY f.line LIMIT %s
                """,  # noqa: S608 (names from this code; values are parameters)
                [limit],
            )
            for line, case_ref, when, n, before in cursor.fetchall():
                found.append(
                    (
                        f"{noun}.csv",
                        line,
                        "date",
                        f"case {case_ref} has {before} {noun} on {when} from an earlier import "
                        f"and this file has {n}. Rows are matched by their order within the "
                        f"day, so include all of that day's {noun}, in the same order.",
                    )
                )
    return sorted(found, key=lambda problem: (problem[0], problem[1]))


def _save(instance, counts, created: bool, reason: str) -> None:
    instance._change_reason = reason
    instance.save()
    if created:
        counts.new += 1
    else:
        counts.changed += 1


def _differs(instance, values: dict) -> bool:
    """Set the values that are given (None or '' means unknown: keep) and say if any changed."""
    changed = False
    for name, value in values.items():
        if value is None or value == "":
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


class Writer:
    def __init__(self, importer):
        from imports.importer import REASON

        self.imp = importer
        self.actor = importer.actor
        self.reason = REASON
        self.params = {
            "now": importer.now,
            "reason": REASON,
            "actor": importer.actor.pk if importer.actor else None,
            "tz": connection.timezone_name,
        }

    # --- The programme's structure (small; ORM) ----------------------------------------------

    def hubs(self, counts) -> None:
        from alexi.models import Hub

        existing = {hub.ref: hub for hub in Hub.objects.prefetch_related("home_las")}
        with acting_as(self.actor):
            for ref, name, las in self.imp.rows["hubs.csv"]:
                hub = existing.get(ref)
                if hub is None:
                    hub = Hub(ref=ref, name=name)
                    _save(hub, counts, True, self.reason)
                    hub.home_las.set(las)
                    continue
                changed = _differs(hub, {"name": name})
                if changed:
                    _save(hub, counts, False, self.reason)
                if las and {la.pk for la in hub.home_las.all()} != set(las):
                    hub.home_las.set(las)
                    counts.changed += not changed

    def funders(self, counts) -> None:
        from alexi.models import Funder, Hub

        existing = {f.ref: f for f in Funder.objects.prefetch_related("hubs")}
        hub_ids = dict(Hub.objects.values_list("ref", "pk"))
        with acting_as(self.actor):
            for ref, name, hub_refs in self.imp.rows["funders.csv"]:
                wanted = {hub_ids[h] for h in hub_refs}
                funder = existing.get(ref)
                if funder is None:
                    funder = Funder(ref=ref, name=name)
                    _save(funder, counts, True, self.reason)
                    funder.hubs.set(wanted)
                    continue
                changed = _differs(funder, {"name": name})
                if changed:
                    _save(funder, counts, False, self.reason)
                if wanted and {h.pk for h in funder.hubs.all()} != wanted:
                    funder.hubs.set(wanted)
                    counts.changed += not changed

    def spokes(self, counts) -> None:
        from alexi.models import Hub, Spoke

        existing = {s.ref: s for s in Spoke.objects.all()}
        hub_ids = dict(Hub.objects.values_list("ref", "pk"))
        with acting_as(self.actor):
            for ref, hub_ref, la, host, model, start, end in self.imp.rows["spokes.csv"]:
                values = {
                    "hub_id": hub_ids[hub_ref],
                    "local_authority_id": la,
                    "host_agency": host,
                    "model": model,
                    "start_date": start,
                    "end_date": end,
                }
                spoke = existing.get(ref)
                if spoke is None:
                    _save(Spoke(ref=ref, **values), counts, True, self.reason)
                elif _differs(spoke, values):
                    _save(spoke, counts, False, self.reason)

    def staff(self, counts) -> None:
        from alexi.grants import grant_request
        from alexi.models import (
            AccessGrant,
            Funder,
            GrantKind,
            GrantStatus,
            Hub,
            HubManagement,
            Role,
            Spoke,
            User,
        )
        from alexi.services import invitation_issue

        users = {u.email.lower(): u for u in User.objects.select_related("worker_profile")}
        hub_ids = dict(Hub.objects.values_list("ref", "pk"))
        spoke_ids = dict(Spoke.objects.values_list("ref", "pk"))
        funder_ids = dict(Funder.objects.values_list("ref", "pk"))
        managements: dict[int, dict[int, HubManagement]] = {}
        for management in HubManagement.objects.filter(end_date__isnull=True):
            managements.setdefault(management.manager_id, {})[management.hub_id] = management
        pending: dict[int, set[int]] = {}
        for user_id, hub_id in AccessGrant.objects.filter(
            kind=GrantKind.HUB_MANAGER, status=GrantStatus.PENDING
        ).values_list("user_id", "hub_id"):
            pending.setdefault(user_id, set()).add(hub_id)
        waiting_at: dict[int, set[int]] = {}  # worker -> spokes asked for, still waiting
        for user_id, spoke_id in AccessGrant.objects.filter(
            kind=GrantKind.SPOKE_WORKER, status=GrantStatus.PENDING
        ).values_list("user_id", "spoke_id"):
            waiting_at.setdefault(user_id, set()).add(spoke_id)
        spokes = {s.pk: s for s in Spoke.objects.select_related("hub", "local_authority")}
        today = self.imp.today
        with acting_as(self.actor):
            for row in self.imp.rows["staff.csv"]:
                email, name, role, hub_refs, spoke, funder, fte, background, quals, years = row
                user = users.get(email)
                created = user is None
                changed = False
                if created:
                    user = User(email=email, full_name=name, role=role)
                    user.set_unusable_password()  # invited: they choose their own password
                    user.funder_id = funder_ids.get(funder)
                    user._change_reason = self.reason
                    user.save()
                    invitation_issue(actor=self.actor, user=user)
                    self.imp.report.invited += 1
                elif _differs(user, {"full_name": name, "funder_id": funder_ids.get(funder)}):
                    user._change_reason = self.reason
                    user.save()
                    changed = True
                if role == Role.SPOKE_WORKER:
                    profile = None if created else getattr(user, "worker_profile", None)
                    spoke_id = spoke_ids[spoke]
                    values = {
                        "spoke_id": spoke_id,
                        "fte": fte,
                        "background": background,
                        "qualifications": quals,
                        "years_experience": years,
                    }
                    if profile is None or profile.spoke_id != spoke_id:
                        # Joining a spoke reaches its children's records: only asked for,
                        # exactly as on the People page; the hub confirms (alexi.grants).
                        # A worker who moves keeps their other details up to date meanwhile.
                        if profile is not None:
                            values["spoke_id"] = profile.spoke_id
                            if _differs(profile, values):
                                profile._change_reason = self.reason
                                profile.save()
                                changed = True
                        if spoke_id not in waiting_at.get(user.pk, set()):
                            grant_request(
                                actor=self.actor,
                                user=user,
                                kind=GrantKind.SPOKE_WORKER,
                                hub=spokes[spoke_id].hub,
                                spoke=spokes[spoke_id],
                                worker_details={
                                    "fte": fte if fte is not None else Decimal("1.00"),
                                    "background": background,
                                    "qualifications": quals,
                                    "years_experience": years,
                                },
                            )
                            self.imp.report.requested += 1
                            changed = True
                    elif _differs(profile, values):
                        profile._change_reason = self.reason
                        profile.save()
                        changed = True
                if role == Role.HUB_MANAGER:
                    wanted = {hub_ids[h] for h in hub_refs}
                    current = managements.get(user.pk, {})
                    # Managing a hub reaches its children's records: the import only asks;
                    # the hub's managers (or a second administrator) confirm (alexi.grants).
                    for hub_id in wanted - set(current) - pending.get(user.pk, set()):
                        grant_request(
                            actor=self.actor,
                            user=user,
                            kind=GrantKind.HUB_MANAGER,
                            hub=Hub.objects.get(pk=hub_id),
                        )
                        changed = True
                    for hub_id in set(current) - wanted:
                        management = current[hub_id]
                        management.end_date = today - timedelta(days=1)
                        management.save(update_fields=["end_date"])
                        changed = True
                # One row of staff.csv is one record, however many of its parts changed.
                counts.new += created
                counts.changed += changed and not created

    # --- Casework (large; set-based) -------------------------------------------------------

    def cases(self, counts) -> None:
        from casework.models import Allocation, Case, YoungPerson, YoungPersonRef

        # A young person new at a hub gets their id first, so that their reference and cases
        # can point at them in the same set-based statements.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE import_person
                SET person_id = nextval(pg_get_serial_sequence('casework_youngperson', 'id'))
                WHERE person_id IS NULL
                """
            )
        people = sql.upsert(
            YoungPerson,
            columns=[
                "id",
                "first_name",
                "last_name",
                "date_of_birth",
                "gender",
                "ethnicity",
                "disability_sen",
                "local_authority_id",
            ],
            source="""
                SELECT s.person_id, s.first_name, s.last_name, s.date_of_birth,
                       COALESCE(NULLIF(s.gender, ''), e.gender, 'not_known'), s.ethnicity,
                       s.disability_sen, s.local_authority_id
                FROM import_person s
                LEFT JOIN casework_youngperson e ON e.id = s.person_id
                WHERE NOT s.keep_details
            """,
            key="id",
            updates={
                "first_name": keep_text("first_name"),
                "last_name": keep_text("last_name"),
                "date_of_birth": keep_null("date_of_birth"),
                "gender": new("gender"),
                "ethnicity": keep_text("ethnicity"),
                "disability_sen": keep_null("disability_sen"),
                "local_authority_id": keep_null("local_authority_id"),
            },
            params=self.params,
        )
        sql.upsert(
            YoungPersonRef,
            columns=["hub_id", "ref", "young_person_id"],
            source="""
                SELECT h.id, s.person_ref, s.person_id
                FROM import_person s JOIN alexi_hub h ON h.ref = s.hub_ref
            """,
            key="hub_id, ref",
            updates={"young_person_id": new("young_person_id")},
            params=self.params,
        )
        written = sql.upsert(
            Case,
            columns=[
                "import_ref",
                "young_person_id",
                "spoke_id",
                "hub_id",
                "allocated_worker_id",
                "status",
                "opened_on",
                "closed_on",
                "closure_reason",
                "no_reduction_reason",
            ],
            source="""
                SELECT s.case_ref, p.person_id, sp.id, sp.hub_id, u.id,
                       CASE WHEN s.closed_on IS NOT NULL THEN 'closed'
                            ELSE COALESCE(e.status, 'open') END,
                       s.opened_on, s.closed_on, s.closure_reason, s.no_reduction_reason
                FROM import_case s
                JOIN import_person p ON p.hub_ref = s.hub_ref AND p.person_ref = s.person_ref
                JOIN alexi_spoke sp ON sp.ref = s.spoke_ref
                LEFT JOIN alexi_user u ON u.email = s.worker_email
                LEFT JOIN casework_case e
                       ON e.hub_id = sp.hub_id AND e.import_ref = s.case_ref
            """,
            key="hub_id, import_ref",
            updates={
                "young_person_id": new("young_person_id"),
                "spoke_id": new("spoke_id"),
                "allocated_worker_id": keep_null("allocated_worker_id"),
                "status": new("status"),
                "opened_on": new("opened_on"),
                "closed_on": keep_null("closed_on"),
                "closure_reason": keep_text("closure_reason"),
                "no_reduction_reason": keep_text("no_reduction_reason"),
            },
            params=self.params,
        )
        counts.new, counts.changed = written.new, written.changed
        counts.note = f"young people: {people.new:,} new, {people.changed:,} changed"
        # Allocation follows the case's worker, as a reallocation in the browser does: the
        # old allocation ends, a new one starts (on the day the case opened, if it is new).
        sql.with_history(
            Allocation,
            """
            UPDATE casework_allocation AS a SET ended_at = %(now)s
            FROM casework_case c
            JOIN alexi_hub h ON h.id = c.hub_id
            JOIN import_case s ON s.hub_ref = h.ref AND s.case_ref = c.import_ref
            WHERE a.case_id = c.id AND a.ended_at IS NULL
              AND c.allocated_worker_id IS NOT NULL AND a.worker_id <> c.allocated_worker_id
            {returning}
            """,
            self.params,
            "~",
            alias="a",
        )
        sql.with_history(
            Allocation,
            """
            INSERT INTO casework_allocation
                (case_id, worker_id, started_at, ended_at, allocated_by_id, reason)
            SELECT c.id, c.allocated_worker_id,
                   CASE WHEN EXISTS (SELECT 1 FROM casework_allocation p WHERE p.case_id = c.id)
                        THEN %(now)s
                        ELSE (c.opened_on + time '09:00') AT TIME ZONE %(tz)s END,
                   NULL, %(actor)s, %(reason)s
            FROM casework_case c
            JOIN alexi_hub h ON h.id = c.hub_id
            JOIN import_case s ON s.hub_ref = h.ref AND s.case_ref = c.import_ref
            WHERE c.allocated_worker_id IS NOT NULL
              AND NOT EXISTS (
                  SELECT 1 FROM casework_allocation a
                  WHERE a.case_id = c.id AND a.ended_at IS NULL
              )
            {returning}
            """,
            self.params,
            "+",
        )

    def referrals(self, counts) -> None:
        from referrals.models import Referral

        written = sql.upsert(
            Referral,
            columns=[
                "import_ref",
                "hub_id",
                "received_on",
                "source",
                "referrer_agency",
                "first_name",
                "last_name",
                "date_of_birth",
                "gender",
                "local_authority_id",
                "decision",
                "decided_on",
                "decline_reason",
                "young_person_id",
                "case_id",
                "recorded_by_id",
            ],
            source="""
                SELECT s.referral_ref, h.id, s.received_on, s.source, s.referrer_agency,
                       COALESCE(yp.first_name, ''), COALESCE(yp.last_name, ''),
                       yp.date_of_birth, COALESCE(yp.gender, e.gender, 'not_known'),
                       yp.local_authority_id,
                       COALESCE(NULLIF(s.decision, ''), e.decision, 'pending'),
                       s.decided_on, s.decline_reason, yp.id, c.id,
                       CAST(%(actor)s AS bigint)
                FROM import_referral s
                JOIN alexi_hub h ON h.ref = s.hub_ref
                LEFT JOIN casework_youngpersonref r ON r.hub_id = h.id AND r.ref = s.person_ref
                LEFT JOIN casework_youngperson yp ON yp.id = r.young_person_id
                LEFT JOIN casework_case c ON c.hub_id = h.id AND c.import_ref = s.case_ref
                LEFT JOIN referrals_referral e
                       ON e.hub_id = h.id AND e.import_ref = s.referral_ref
            """,
            key="hub_id, import_ref",
            updates={
                "received_on": new("received_on"),
                "source": new("source"),
                "referrer_agency": keep_text("referrer_agency"),
                "first_name": keep_text("first_name"),
                "last_name": keep_text("last_name"),
                "date_of_birth": keep_null("date_of_birth"),
                "gender": new("gender"),
                "local_authority_id": keep_null("local_authority_id"),
                "decision": new("decision"),
                "decided_on": keep_null("decided_on"),
                "decline_reason": keep_text("decline_reason"),
                "young_person_id": keep_null("young_person_id"),
                "case_id": keep_null("case_id"),
            },
            params=self.params,
        )
        counts.new, counts.changed = written.new, written.changed

    def sessions(self, counts) -> None:
        from casework.models import CaseSession

        written = sql.upsert(
            CaseSession,
            columns=[
                "import_key",
                "case_id",
                "date",
                "duration_minutes",
                "worker_id",
                "contact_method",
                "venue_type",
                "young_person_chose",
                "attendance",
                "young_person_words",
            ],
            source=f"""
                SELECT {SESSION_KEY},
                       c.id, s.date, s.duration_minutes, u.id, s.contact_method, s.venue_type,
                       s.young_person_chose, s.attendance, s.young_person_words
                FROM import_session s {CASE_OF_ROW}
                JOIN alexi_user u ON u.email = s.worker_email
            """,  # noqa: S608 (constant SQL)
            key="import_key",
            updates={
                "case_id": new("case_id"),
                "date": new("date"),
                "duration_minutes": keep_null("duration_minutes"),
                "worker_id": new("worker_id"),
                "contact_method": new("contact_method"),
                "venue_type": keep_text("venue_type"),
                "young_person_chose": keep_null("young_person_chose"),
                "attendance": new("attendance"),
                "young_person_words": keep_text("young_person_words"),
            },
            params=self.params,
        )
        counts.new, counts.changed = written.new, written.changed

    def assessments(self, counts) -> None:
        from casework.models import RiskAssessment

        written = sql.upsert(
            RiskAssessment,
            columns=[
                "import_key",
                "case_id",
                "kind",
                "assessed_on",
                "assessor_id",
                "final_level",
                "young_person_view",
                "next_review_due",
            ],
            source=f"""
                SELECT {ASSESSMENT_KEY},
                       c.id, s.kind, s.assessed_on, u.id, s.level, s.young_person_view,
                       s.next_review_due
                FROM import_assessment s {CASE_OF_ROW}
                JOIN alexi_user u ON u.email = s.assessor_email
            """,  # noqa: S608 (constant SQL)
            key="import_key",
            updates={
                "case_id": new("case_id"),
                "kind": new("kind"),
                "assessed_on": new("assessed_on"),
                "assessor_id": new("assessor_id"),
                "final_level": new("final_level"),
                "young_person_view": keep_text("young_person_view"),
                "next_review_due": new("next_review_due"),
            },
            params=self.params,
        )
        counts.new, counts.changed = written.new, written.changed

    def case_summaries(self) -> None:
        """Current level, next review and last contact of every case the import touched."""
        from casework.services import case_summaries_refresh

        case_summaries_refresh(
            """
            SELECT c.id FROM casework_case c JOIN alexi_hub h ON h.id = c.hub_id
            WHERE (h.ref, c.import_ref) IN (
                SELECT hub_ref, case_ref FROM import_case
                UNION SELECT hub_ref, case_ref FROM import_session
                UNION SELECT hub_ref, case_ref FROM import_assessment)
            """
        )

    # --- Work beyond casework (ORM, bulk with history) ---------------------------------------

    def _existing(self, model, keys: list[str]) -> dict:
        found = {}
        for start in range(0, len(keys), CHUNK):
            for obj in model.objects.filter(import_key__in=keys[start : start + CHUNK]):
                found[obj.import_key] = obj
        return found

    def _save_all(self, model, created: list, changed: list, fields: list[str]) -> None:
        """Insert `created` and update `fields` of `changed`, each with its history row."""
        history = {"default_user": self.actor, "default_change_reason": self.reason}
        if created:
            bulk_create_with_history(created, model, batch_size=1_000, **history)
        if changed:
            bulk_update_with_history(changed, model, fields, batch_size=1_000, **history)

    def _bulk(self, model, counts, rows, build, fields) -> tuple[dict, set]:
        """Create the new rows and update the changed ones, with history. Returns key -> obj
        and the keys counted as new or changed."""
        existing = self._existing(model, [row[0] for row in rows])
        created, changed = [], []
        for row in rows:
            values = build(row)
            obj = existing.get(row[0])
            if obj is None:
                obj = model(import_key=row[0], **values)
                if hasattr(obj, "recorded_by_id"):  # who first recorded it, kept after that
                    obj.recorded_by_id = self.params["actor"]
                created.append(obj)
                existing[row[0]] = obj
            elif _differs(obj, values):
                obj.version += 1
                changed.append(obj)
        self._save_all(model, created, changed, [*fields, "version"])
        counts.new += len(created)
        counts.changed += len(changed)
        return existing, {obj.import_key for obj in created + changed}

    def _spoke_ids(self) -> dict[str, int]:
        from alexi.models import Spoke

        return dict(Spoke.objects.values_list("ref", "pk"))

    def groupwork(self, counts) -> None:
        from training.models import Groupwork

        spokes = self._spoke_ids()
        self._bulk(
            Groupwork,
            counts,
            self.imp.rows["groupwork.csv"],
            lambda r: {
                "spoke_id": spokes[r[1]],
                "date": r[2],
                "setting": r[3],
                "title": r[4],
                "young_people": r[5],
            },
            ["spoke_id", "date", "setting", "title", "young_people"],
        )

    def consultations(self, counts) -> None:
        from training.models import Consultation

        spokes = self._spoke_ids()
        self._bulk(
            Consultation,
            counts,
            self.imp.rows["consultations.csv"],
            lambda r: {
                "spoke_id": spokes[r[1]],
                "date": r[2],
                "professional_role": r[3],
                "agency": r[4],
                "minutes": r[5],
            },
            ["spoke_id", "date", "professional_role", "agency", "minutes"],
        )

    def training(self, counts) -> None:
        from training.models import TrainingAttendance, TrainingEvent

        spokes = self._spoke_ids()
        rows = self.imp.rows["training.csv"]
        counts.rows = len(rows)  # counted as events: rows of one event are one record
        counts.unit = "events"
        events, counted = self._bulk(
            TrainingEvent,
            counts,
            rows,
            lambda r: {"spoke_id": spokes[r[1]], "date": r[2], "title": r[3], "kind": r[4]},
            ["spoke_id", "date", "title", "kind"],
        )
        ids = [events[row[0]].pk for row in rows]
        current = {
            (a.event_id, a.profession): a
            for start in range(0, len(ids), CHUNK)
            for a in TrainingAttendance.objects.filter(event_id__in=ids[start : start + CHUNK])
        }
        created, changed = [], []
        touched: set[int] = set()
        for row in rows:
            event = events[row[0]]
            for profession, attendees in row[5].items():
                count = current.get((event.pk, profession))
                if count is None:
                    created.append(
                        TrainingAttendance(event=event, profession=profession, attendees=attendees)
                    )
                    touched.add(row[0])
                elif count.attendees != attendees:
                    count.attendees = attendees
                    changed.append(count)
                    touched.add(row[0])
        self._save_all(TrainingAttendance, created, changed, ["attendees"])
        # An event whose counts changed (but not its own fields) is a changed record too.
        counts.changed += len(touched - counted)
