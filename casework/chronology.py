"""The case chronology: one query of plain rows, a page at a time (issue 13 item 4, issue 17
item 2).

Every kind of entry is one branch of a UNION ALL of light rows (kind, id, date, time, whether it
is a key event); the filters, the order and the page (PAGE_SIZE rows, with the total that match)
apply to that, and only the rows of the page then fetch what they show, as one JSON object each.
No model instance is made per entry: each entry's words, date and link are worked out once here,
so the template only places them.

The kinds a person can filter by (KINDS):
  * sessions, risk assessments, case notes, information shared, multi-agency contacts and
    allocations: one entry per record;
  * "Access and sharing": each share of the case with a worker, each emergency access and each
    transfer to another hub (CaseShare rows). Who opened the case (the access log) is not part
    of the chronology: it records who read the record, not what happened with the young person,
    it would bury the casework under one line per look, and it is on its own page for the hub's
    managers ("Who opened this case");
  * "Opening and closure": the case opened (on its opening date), closure asked for, closure
    approved (the case closed) and closure returned, the last three read from the case's
    history and dated when they happened (the closing date asked for is in the entry).

Key events (the "Key events" view): the case opening; each risk assessment whose level differs
from the one before it (the first sets the level); every share, emergency access and transfer;
and closure asked for, approved or returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import reverse

from alexi.models import Hub, User
from casework.models import (
    Agency,
    AssessmentKind,
    Attendance,
    Case,
    CaseNote,
    CaseSession,
    CaseShare,
    ClosureReason,
    ContactMethod,
    InformationShare,
    LawfulBasis,
    MultiAgencyContact,
    MultiAgencyPurpose,
    NoteKind,
    RiskAssessment,
    RiskLevel,
    ShareKind,
    TransferStatus,
    VenueType,
    YoungPersonInformed,
)
from casework.models import Allocation as AllocationModel

PAGE_SIZE = 50

KINDS: dict[str, str] = {
    "session": "Sessions",
    "assessment": "Risk assessments",
    "note": "Case notes",
    "information": "Information shared",
    "agency": "Multi-agency contacts",
    "allocation": "Allocations",
    "share": "Access and sharing",
    "case": "Opening and closure",
}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_ATTENDANCE = dict(Attendance.choices)
_METHOD = dict(ContactMethod.choices)
_VENUE = dict(VenueType.choices)
_ASSESSMENT_KIND = dict(AssessmentKind.choices)
_LEVEL = dict(RiskLevel.choices)
_NOTE_KIND = dict(NoteKind.choices)
_LAWFUL = dict(LawfulBasis.choices)
_INFORMED = dict(YoungPersonInformed.choices)
_AGENCY = dict(Agency.choices)
_PURPOSE = dict(MultiAgencyPurpose.choices)
_SHARE_KIND = dict(ShareKind.choices)
_TRANSFER = dict(TransferStatus.choices)
_CLOSURE_REASON = dict(ClosureReason.choices)


@dataclass(frozen=True)
class Filters:
    """What the person asked to see: kinds (none: every kind), a date range, key events only."""

    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    key_only: bool = False

    @property
    def narrowed(self) -> bool:
        return bool(self.kinds or self.since or self.until or self.key_only)


@dataclass
class Entry:
    """One line of the chronology, ready to show: nothing here is looked up by the template."""

    kind: str
    day: str
    title: str
    detail: str = ""
    quote: str = ""
    notes: str = ""
    level: str = ""
    level_label: str = ""
    change_url: str = ""
    change_label: str = ""
    key: bool = False


@dataclass
class Page:
    entries: list[Entry]
    total: int  # entries that match the filters, over every page
    number: int  # 1 for the latest PAGE_SIZE
    first: int  # the position of the first entry shown (1-based), 0 when none
    last: int

    @property
    def has_earlier(self) -> bool:
        return self.last < self.total

    @property
    def has_later(self) -> bool:
        return self.number > 1


def _day_text(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _day_from(value: str | None) -> str:
    return _day_text(date.fromisoformat(value[:10])) if value else ""


def _tables() -> dict[str, str]:
    return {
        "case": Case._meta.db_table,
        "history": Case.history.model._meta.db_table,
        "session": CaseSession._meta.db_table,
        "assessment": RiskAssessment._meta.db_table,
        "note": CaseNote._meta.db_table,
        "information": InformationShare._meta.db_table,
        "agency": MultiAgencyContact._meta.db_table,
        "allocation": AllocationModel._meta.db_table,
        "share": CaseShare._meta.db_table,
        "user": User._meta.db_table,
        "hub": Hub._meta.db_table,
    }


def _name(alias: str) -> str:
    return f"COALESCE(NULLIF({alias}.full_name, ''), {alias}.email)"


def _local_date(column: str) -> str:
    return f"({column} AT TIME ZONE %(tz)s)::date"


def _sql() -> str:
    t = _tables()
    # The light rows: (kind, id, day, at, key, extra). `extra` is the event of an opening or
    # closure entry, the level before a risk assessment, or the kind of share.
    entries = f"""
        SELECT 'case' AS kind, c.id, c.opened_on AS day, NULL::timestamptz AS at,
               true AS key, 'opened' AS extra
        FROM {t["case"]} c WHERE c.id = %(case)s
      UNION ALL
        SELECT 'case', h.history_id, {_local_date("h.history_date")}, h.history_date, true,
               CASE WHEN h.status = 'closed' THEN 'closed'
                    WHEN h.closure_requested_on IS NOT NULL THEN 'closure_requested'
                    ELSE 'closure_returned' END
        FROM (
            SELECT hc.history_id, hc.history_date, hc.status, hc.closed_on,
                   hc.closure_requested_on,
                   lag(hc.status) OVER w AS prev_status,
                   lag(hc.closure_requested_on) OVER w AS prev_requested
            FROM {t["history"]} hc WHERE hc.id = %(case)s
            WINDOW w AS (ORDER BY hc.history_date, hc.history_id)
        ) h
        WHERE (h.status = 'closed' AND h.prev_status IS DISTINCT FROM 'closed')
           OR (h.status <> 'closed' AND h.closure_requested_on IS NOT NULL
               AND h.prev_requested IS NULL)
           OR (h.status <> 'closed' AND h.closure_requested_on IS NULL
               AND h.prev_requested IS NOT NULL)
      UNION ALL
        SELECT 'session', s.id, s.date, s.recorded_at, false, ''
        FROM {t["session"]} s WHERE s.case_id = %(case)s
      UNION ALL
        SELECT 'assessment', a.id, a.assessed_on, a.recorded_at,
               a.final_level IS DISTINCT FROM lag(a.final_level) OVER w,
               COALESCE(lag(a.final_level) OVER w, '')
        FROM {t["assessment"]} a WHERE a.case_id = %(case)s
        WINDOW w AS (ORDER BY a.assessed_on, a.id)
      UNION ALL
        SELECT 'note', n.id, n.date, n.recorded_at, false, ''
        FROM {t["note"]} n WHERE n.case_id = %(case)s
      UNION ALL
        SELECT 'information', i.id, i.shared_on, i.recorded_at, false, ''
        FROM {t["information"]} i WHERE i.case_id = %(case)s
      UNION ALL
        SELECT 'agency', m.id, m.contact_on, NULL, false, ''
        FROM {t["agency"]} m WHERE m.case_id = %(case)s
      UNION ALL
        SELECT 'allocation', al.id, {_local_date("al.started_at")}, al.started_at, false, ''
        FROM {t["allocation"]} al WHERE al.case_id = %(case)s
      UNION ALL
        SELECT 'share', sh.id, {_local_date("sh.starts_at")}, sh.starts_at, true, sh.kind
        FROM {t["share"]} sh WHERE sh.case_id = %(case)s
    """  # noqa: S608 (table names from the models; every value is a parameter)
    # What each entry of the page shows, fetched for the page's rows only.
    details = f"""
        CASE p.kind
        WHEN 'session' THEN (
            SELECT jsonb_build_object(
                'attendance', s.attendance, 'method', s.contact_method, 'venue', s.venue_type,
                'chose', s.young_person_chose, 'minutes', s.duration_minutes,
                'words', s.young_person_words, 'notes', s.notes, 'who', {_name("u")})
            FROM {t["session"]} s JOIN {t["user"]} u ON u.id = s.worker_id
            WHERE s.id = p.id)
        WHEN 'assessment' THEN (
            SELECT jsonb_build_object(
                'kind', a.kind, 'level', a.final_level, 'computed', a.computed_level,
                'rationale', a.rationale, 'view', a.young_person_view, 'who', {_name("u")})
            FROM {t["assessment"]} a JOIN {t["user"]} u ON u.id = a.assessor_id
            WHERE a.id = p.id)
        WHEN 'note' THEN (
            SELECT jsonb_build_object(
                'kind', n.kind, 'with', n.with_whom, 'text', n.text, 'who', {_name("u")})
            FROM {t["note"]} n JOIN {t["user"]} u ON u.id = n.recorded_by_id
            WHERE n.id = p.id)
        WHEN 'information' THEN (
            SELECT jsonb_build_object(
                'agency', i.recipient_agency, 'role', i.recipient_role,
                'basis', i.lawful_basis, 'informed', i.young_person_informed,
                'why_not', i.reason_not_informed, 'what', i.what_shared)
            FROM {t["information"]} i WHERE i.id = p.id)
        WHEN 'agency' THEN (
            SELECT jsonb_build_object(
                'agency', m.agency, 'purpose', m.purpose, 'outcome', m.outcome)
            FROM {t["agency"]} m WHERE m.id = p.id)
        WHEN 'allocation' THEN (
            SELECT jsonb_build_object(
                'worker', {_name("w")}, 'by', {_name("b")}, 'reason', al.reason,
                'ended', {_local_date("al.ended_at")})
            FROM {t["allocation"]} al JOIN {t["user"]} w ON w.id = al.worker_id
            LEFT JOIN {t["user"]} b ON b.id = al.allocated_by_id
            WHERE al.id = p.id)
        WHEN 'share' THEN (
            SELECT jsonb_build_object(
                'with', {_name("w")}, 'hub', hb.name, 'by', {_name("g")},
                'reason', sh.reason, 'transfer', sh.transfer_status,
                'ended', {_local_date("sh.revoked_at")})
            FROM {t["share"]} sh JOIN {t["user"]} g ON g.id = sh.granted_by_id
            LEFT JOIN {t["user"]} w ON w.id = sh.shared_with_id
            LEFT JOIN {t["hub"]} hb ON hb.id = sh.to_hub_id
            WHERE sh.id = p.id)
        WHEN 'case' THEN (
            SELECT jsonb_build_object(
                'requested_on', h.closure_requested_on, 'closed_on', h.closed_on,
                'reason', h.closure_reason,
                'returned_note', h.closure_returned_note, 'who', {_name("u")})
            FROM {t["history"]} h LEFT JOIN {t["user"]} u ON u.id = h.history_user_id
            WHERE h.history_id = p.id AND p.extra <> 'opened')
        END
    """  # noqa: S608 (table names from the models; every value is a parameter)
    order = "day DESC, at DESC NULLS LAST, kind, extra, id DESC"
    return f"""
        WITH entries AS ({entries}),
        page AS (
            SELECT e.*, count(*) OVER () AS total FROM entries e
            WHERE (cardinality(%(kinds)s::text[]) = 0 OR e.kind = ANY(%(kinds)s::text[]))
              AND (%(since)s::date IS NULL OR e.day >= %(since)s::date)
              AND (%(until)s::date IS NULL OR e.day <= %(until)s::date)
              AND (NOT %(key_only)s OR e.key)
            ORDER BY {order}
            LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT p.kind, p.id, p.day, p.key, p.extra, p.total, {details} AS data
        FROM page p ORDER BY {order}
    """  # noqa: S608 (table names from the models; every value is a parameter)


_SQL: str | None = None


def _rows(case_id: int, filters: Filters, limit: int | None, offset: int) -> list[tuple[Any, ...]]:
    global _SQL
    if _SQL is None:
        _SQL = _sql()
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            {
                "case": case_id,
                "tz": settings.TIME_ZONE,
                "kinds": list(filters.kinds),
                "since": filters.since,
                "until": filters.until,
                "key_only": filters.key_only,
                "limit": limit,
                "offset": offset,
            },
        )
        return list(cursor.fetchall())


class _Links:
    """The "Change" links, made from one reversed URL per kind (not one reverse per entry)."""

    _MARK = "2147483647"

    def __init__(self, case_id: int, editable: bool):
        self.patterns: dict[str, str] = {}
        if editable:
            for kind, name in (
                ("session", "casework:session_edit"),
                ("assessment", "casework:assessment_edit"),
                ("note", "casework:note_edit"),
            ):
                self.patterns[kind] = reverse(name, args=[case_id, int(self._MARK)])

    def url(self, kind: str, pk: int) -> str:
        pattern = self.patterns.get(kind)
        return pattern.replace(self._MARK, str(pk)) if pattern else ""


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _entry(row: tuple[Any, ...], links: _Links) -> Entry:
    kind, pk, day, key, extra, _total, raw = row
    data: dict[str, Any] = (json.loads(raw) if isinstance(raw, str) else raw) or {}
    entry = Entry(kind=kind, day=_day_text(day), title="", key=key)
    if kind == "session":
        entry.title = "Session"
        entry.detail = _join(
            _ATTENDANCE.get(data["attendance"], data["attendance"]),
            _METHOD.get(data["method"], data["method"]),
            _VENUE.get(data["venue"], data["venue"]),
            "they chose where and when" if data["chose"] else "",
            f"{data['minutes']} min" if data["minutes"] else "",
            data["who"],
        )
        entry.quote = f"\u201c{data['words']}\u201d" if data["words"] else ""
        entry.notes = data["notes"]
        entry.change_label = f"session on {entry.day}"
    elif kind == "assessment":
        level = data["level"]
        entry.title = f"{_ASSESSMENT_KIND.get(data['kind'], data['kind'])} risk assessment"
        entry.level = level
        entry.level_label = _LEVEL.get(level, level)
        told = ""
        if data["computed"] and data["computed"] != level:
            told = f"tool said {_LEVEL.get(data['computed'], '')}: {data['rationale']}"
        change = ""
        if key:
            change = (
                f"Risk level changed from {_LEVEL.get(extra, extra)} to {entry.level_label}"
                if extra
                else f"Risk level set at {entry.level_label}"
            )
        entry.detail = _join(change, told, data["who"])
        entry.quote = f"Their view: \u201c{data['view']}\u201d" if data["view"] else ""
        entry.change_label = f"assessment on {entry.day}"
    elif kind == "note":
        entry.title = f"Case note: {_NOTE_KIND.get(data['kind'], data['kind']).lower()}"
        entry.detail = _join(f"With {data['with']}" if data["with"] else "", data["who"])
        entry.notes = data["text"]
        entry.change_label = f"case note on {entry.day}"
    elif kind == "information":
        entry.title = "Information shared"
        informed = _INFORMED.get(data["informed"], data["informed"])
        if data["why_not"]:
            informed = f"{informed}: {data['why_not']}"
        role = f" ({data['role']})" if data["role"] else ""
        entry.detail = _join(
            f"To {data['agency']}{role}", _LAWFUL.get(data["basis"], data["basis"]), informed
        )
        entry.notes = data["what"]
    elif kind == "agency":
        entry.title = "Multi-agency contact"
        purpose = _PURPOSE.get(data["purpose"], data["purpose"])
        if data["outcome"]:
            purpose = f"{purpose}: {data['outcome']}"
        entry.detail = _join(_AGENCY.get(data["agency"], data["agency"]), purpose)
    elif kind == "allocation":
        entry.title = "Allocated"
        text = f"To {data['worker']}"
        if data["by"]:
            text += f" by {data['by']}"
        if data["reason"]:
            text += f" ({data['reason']})"
        if data["ended"]:
            text += f", until {_day_from(data['ended'])}"
        entry.detail = text
    elif kind == "share":
        entry.title = _SHARE_KIND.get(extra, extra)
        text = f"{data['with'] or data['hub'] or ''}, by {data['by']}: {data['reason']}"
        entry.detail = _join(
            text,
            _TRANSFER.get(data["transfer"], "") if data["transfer"] else "",
            f"ended {_day_from(data['ended'])}" if data["ended"] else "",
        )
    else:  # opening and closure
        entry.title = {
            "opened": "Case opened",
            "closure_requested": "Closure asked for",
            "closed": "Case closed",
            "closure_returned": "Closure returned",
        }[extra]
        if extra == "closure_requested":
            entry.detail = _join(
                f"To close on {_day_from(data['requested_on'])}",
                _CLOSURE_REASON.get(data["reason"], data["reason"]),
                data["who"] or "",
            )
        elif extra == "closed":
            entry.detail = _join(
                f"Closed on {_day_from(data['closed_on'])}" if data["closed_on"] else "",
                _CLOSURE_REASON.get(data["reason"], data["reason"]),
                f"approved by {data['who']}" if data["who"] else "",
            )
        elif extra == "closure_returned":
            entry.detail = _join(data["returned_note"], data["who"] or "")
    entry.change_url = links.url(kind, pk)
    return entry


def page(*, case: Case, filters: Filters, number: int = 1, editable: bool = False) -> Page:
    """Page `number` (1: the latest) of PAGE_SIZE entries of the case's chronology that match
    `filters`, newest first, in one query. `editable`: give sessions, assessments and case
    notes their "Change" link."""
    offset = (number - 1) * PAGE_SIZE
    rows = _rows(case.pk, filters, PAGE_SIZE, offset)
    links = _Links(case.pk, editable)
    entries = [_entry(row, links) for row in rows]
    total = rows[0][5] if rows else (0 if number == 1 else _count(case, filters))
    first = offset + 1 if entries else 0
    return Page(entries, total, number, first, offset + len(entries))


def _count(case: Case, filters: Filters) -> int:
    """The number of entries matching `filters` (asked only for a page past the last)."""
    rows = _rows(case.pk, filters, 1, 0)
    return int(rows[0][5]) if rows else 0


def everything(*, case: Case) -> list[Entry]:
    """Every entry of the case's chronology, newest first (the printable record)."""
    links = _Links(case.pk, editable=False)
    return [_entry(row, links) for row in _rows(case.pk, Filters(), None, 0)]
