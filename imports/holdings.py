"""What Alexi already holds, read once when an import starts: local authorities,
funders, hubs, spokes, staff, and (within the import's hub scope) cases, referrals and
young people's references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from imports.scope import HubScope


@dataclass
class CaseInfo:
    hub_ref: str
    spoke_ref: str
    person_ref: str
    opened_on: date | None
    closed_on: date | None
    in_file: bool = False
    worker: str = ""
    closed_in_alexi: bool = False


@dataclass
class StaffInfo:
    role: str
    active: bool = True
    spoke_ref: str = ""
    hub_refs: tuple[str, ...] = ()
    in_file: bool = False
    # A spoke this worker is asked for at, waiting for the hub to confirm (alexi.grants):
    # until then `spoke_ref` stays the spoke they are confirmed at, and no case may name them
    # at the waiting one.
    pending_spoke: str = ""


class Holdings(HubScope):
    """Loads what Alexi already holds, within the hub scope (the Importer is one)."""

    today: date

    def _load_existing(self) -> None:
        from alexi.models import (
            AccessGrant,
            Funder,
            GrantKind,
            GrantStatus,
            Hub,
            HubManagement,
            LocalAuthority,
            Spoke,
            User,
        )

        self.la_by_code: dict[str, int] = {}
        self.la_by_name: dict[str, int] = {}
        for pk, code, name in LocalAuthority.objects.values_list("pk", "gss_code", "name"):
            self.la_by_code[code.upper()] = pk
            self.la_by_name[name.lower()] = pk
        self.funders = set(Funder.objects.values_list("ref", flat=True))
        self.hubs = set(Hub.objects.values_list("ref", flat=True))
        self.spokes: dict[str, str] = dict(Spoke.objects.values_list("ref", "hub__ref"))
        self.spokes_ended = set(
            Spoke.objects.filter(end_date__lt=self.today).values_list("ref", flat=True)
        )
        self.staff: dict[str, StaffInfo] = {}
        managed: dict[int, list[str]] = {}
        for manager_id, hub_ref in HubManagement.objects.current(on=self.today).values_list(
            "manager_id", "hub__ref"
        ):
            managed.setdefault(manager_id, []).append(hub_ref)
        for pk, email, role, active, spoke_ref in User.objects.values_list(
            "pk", "email", "role", "is_active", "worker_profile__spoke__ref"
        ):
            self.staff[email.lower()] = StaffInfo(
                role, active, spoke_ref or "", tuple(managed.get(pk, ()))
            )
        # Requests (from the People page or an earlier import) still waiting for the hub.
        self.pending_hub_spoke: dict[str, dict[str, str]] = {}  # email -> hub ref -> spoke ref
        for email, hub_ref, spoke_ref in AccessGrant.objects.filter(
            kind=GrantKind.SPOKE_WORKER, status=GrantStatus.PENDING
        ).values_list("user__email", "hub__ref", "spoke__ref"):
            self.pending_hub_spoke.setdefault(email.lower(), {})[hub_ref] = spoke_ref
            info = self.staff.get(email.lower())
            if info is not None:
                info.pending_spoke = spoke_ref
        self._load_casework()

    def _load_casework(self) -> None:
        """Cases, referrals and young people's references, each keyed by (hub ref, ref). For
        a hub manager, only those at their hubs are loaded: nothing at another hub can match,
        collide with or be named by their import."""
        from casework.models import Case, YoungPersonRef
        from referrals.models import Referral

        scope = sorted(self.hub_scope) if self.hub_scope is not None else None
        self.cases: dict[tuple[str, str], CaseInfo] = {}
        # case ref -> the hubs holding a case with it (sessions and assessments name their
        # case by case_ref alone, so one held at two hubs cannot be told apart there).
        self.case_hubs: dict[str, set[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.import_ref, s.ref, h.ref, r.ref, c.opened_on, c.closed_on,
                       lower(u.email), c.status
                FROM casework_case c
                JOIN alexi_spoke s ON s.id = c.spoke_id
                JOIN alexi_hub h ON h.id = c.hub_id
                LEFT JOIN casework_youngpersonref r
                       ON r.hub_id = c.hub_id AND r.young_person_id = c.young_person_id
                LEFT JOIN alexi_user u ON u.id = c.allocated_worker_id
                WHERE c.import_ref IS NOT NULL
                  AND (%(everywhere)s OR h.ref = ANY(%(scope)s))
                """,
                {"everywhere": scope is None, "scope": scope or []},
            )
            for row in cursor.fetchall():
                ref, spoke_ref, hub_ref, person_ref, opened, closed, worker, status = row
                self.cases[(hub_ref, ref)] = CaseInfo(
                    hub_ref,
                    spoke_ref,
                    person_ref or "",
                    opened,
                    closed,
                    worker=worker or "",
                    closed_in_alexi=status == "closed",
                )
                self.case_hubs.setdefault(ref, set()).add(hub_ref)

        # (hub ref, person ref) -> the young person's id.
        self.person_refs: dict[tuple[str, str], int] = {
            (hub_ref, ref): person_id
            for hub_ref, ref, person_id in self._scoped(
                YoungPersonRef.objects, "hub__ref"
            ).values_list("hub__ref", "ref", "young_person_id")
        }
        # Young people this import reaches (by their ref at one of its hubs) who are also
        # known at a hub it does not reach: their case may link to them, but their details
        # are left as Alexi holds them. Always empty for an administrator.
        self.shared_persons: set[int] = set()
        if scope is not None:
            reached = YoungPersonRef.objects.filter(hub__ref__in=scope).values("young_person_id")
            for model in (Case, Referral, YoungPersonRef):
                self.shared_persons.update(
                    model.objects.filter(young_person_id__in=reached)
                    .exclude(hub__ref__in=scope)
                    .values_list("young_person_id", flat=True)
                )
        self.file_persons: set[tuple[str, str]] = set()
        # Cases already linked to a referral, and which one (None: made in Alexi).
        self.case_referral: dict[tuple[str, str], str | None] = {
            (hub_ref, case_ref): referral_ref
            for hub_ref, case_ref, referral_ref in self._scoped(
                Referral.objects.filter(case__import_ref__isnull=False), "case__hub__ref"
            ).values_list("case__hub__ref", "case__import_ref", "import_ref")
        }
