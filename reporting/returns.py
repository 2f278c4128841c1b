"""Quarterly returns: build the figures, render JSON, CSV, XLSX and PDF, store a snapshot.

Generation is idempotent: asking again for a return that exists gives the existing one (a
redelivered task or a double click makes no duplicate); regenerating makes a new version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from alexi.models import Funder, Hub, Spoke, User
from reporting import disclosure, labels
from reporting.figures import all_figures
from reporting.models import QuarterlyReturn, ReturnKind
from reporting.scope import Period, Scope

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def parse_quarter(text: str) -> Period:
    """'2026Q3' -> 1 July to 30 September 2026."""
    match = QUARTER.match(text.strip().upper())
    if not match:
        raise ValueError(f"'{text}' is not a quarter: write it like 2026Q3.")
    year, q = int(match[1]), int(match[2])
    return Period.quarter_of(date(year, 3 * q - 2, 1))


def quarter_label(period: Period) -> str:
    return f"{period.start.year}Q{(period.start.month - 1) // 3 + 1}"


class QuarterNotEnded(ValueError):
    """A return was asked for a quarter that is still in progress or has not started."""


def programme_today(now: datetime | None = None) -> date:
    """Today's date where the programme works (settings.TIME_ZONE, Europe/London), whatever
    time zone is active: the day a quarter ends is the same for everyone."""
    return timezone.localdate(now, timezone=ZoneInfo(settings.TIME_ZONE))


def quarter_has_ended(period: Period, *, now: datetime | None = None) -> bool:
    """The one test of whether a quarter's return may be made: its last day is over where the
    programme works. Returns are made from the day after a quarter ends, never before."""
    return period.end < programme_today(now)


def ended_quarter(text: str, *, now: datetime | None = None) -> Period:
    """parse_quarter(), refusing a quarter that has not ended (QuarterNotEnded)."""
    period = parse_quarter(text)
    if not quarter_has_ended(period, now=now):
        label, first_day = quarter_label(period), period.end + timedelta(days=1)
        started = period.start <= programme_today(now)
        raise QuarterNotEnded(
            f"{label} {'is still in progress' if started else 'has not started yet'}: its "
            f"returns can be made from {first_day:%-d %B %Y}, the day after it ends."
        )
    return period


def previous_quarter(today: date) -> str:
    """The quarter before the one `today` is in (returns are made the day after a quarter)."""
    return quarter_label(Period.quarter_of(Period.quarter_of(today).start - timedelta(days=1)))


def programme_start() -> date:
    first = Spoke.objects.aggregate(first=Min("start_date"))["first"]
    return first or date(2000, 1, 1)


def escape_cell(value):
    """Spreadsheet cells are never formulas: text starting with = + - @ tab or CR is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class Subject:
    kind: str
    funder: Funder | None = None
    hub: Hub | None = None

    @property
    def name(self) -> str:
        return self.funder.name if self.funder else self.hub.name

    @property
    def scope(self) -> Scope:
        return Scope("funder", self.funder.pk) if self.funder else Scope("hub", self.hub.pk)

    def hubs(self):
        return (
            self.funder.hubs.order_by("name") if self.funder else Hub.objects.filter(pk=self.hub.pk)
        )


def build(subject: Subject, period: Period) -> dict:
    """The return's content: period and cumulative figures for the subject, and per hub."""
    cumulative = Period(min(programme_start(), period.start), period.end)
    content = {
        "subject": {"kind": subject.kind, "name": subject.name},
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "cumulative_from": cumulative.start.isoformat(),
        "disclosure_controlled": subject.kind == ReturnKind.FUNDER,
        "figures": all_figures(subject.scope, period),
        "cumulative": all_figures(subject.scope, cumulative),
        "hubs": {},
    }
    for hub in subject.hubs():
        content["hubs"][hub.ref] = {
            "name": hub.name,
            "figures": all_figures(Scope("hub", hub.pk), period),
        }
    if content["disclosure_controlled"]:
        _control(content, subject, period, cumulative)
    return content


def _control(content: dict, subject: Subject, period: Period, cumulative: Period) -> None:
    """Funder-facing: suppress small counts about children for the funder's total, across its
    hubs (a hub's cell must not be recoverable from the total), and round the cumulative
    figures to 5 (so consecutive returns cannot be subtracted)."""
    content["figures"] = disclosure.controlled(
        content["figures"], subject.scope, period, headline=False
    )
    content["cumulative"] = disclosure.round_to_five(
        disclosure.controlled(content["cumulative"], subject.scope, cumulative, headline=False)
    )
    hubs = content["hubs"]
    raw = {ref: dict(hub["figures"]) for ref, hub in hubs.items()}
    hub_pks = dict(Hub.objects.filter(ref__in=hubs).values_list("ref", "pk"))
    from reporting.figures import assessments_recorded

    denominators = {
        ref: {"voice_pct": assessments_recorded(Scope("hub", hub_pks[ref]), period)} for ref in hubs
    }
    controlled = control_hubs(raw, denominators)
    for ref, hub in hubs.items():
        hub["figures"] = controlled[ref]


def control_hubs(raw: dict[str, dict], denominators: dict[str, dict]) -> dict[str, dict]:
    """The per-hub figures of a funder's return, disclosure-controlled: each hub on its own
    (small counts, its sums and its rates), then each count and each breakdown's categories
    across the hubs against the funder's total. A cell hidden across hubs can make another of
    the hub's cells give it back (a percentage over its denominator, a total less its other
    parts), so both are repeated until nothing more needs hiding."""
    out = {
        ref: disclosure.apply(figures, headline=False, denominators=denominators.get(ref))
        for ref, figures in raw.items()
    }
    for _ in range(10):
        before = repr(out)
        for key in disclosure.CHILD_COUNTS:
            column = {ref: raw[ref][key] for ref in raw if isinstance(raw[ref].get(key), int)}
            current = {ref: out[ref][key] for ref in column}
            disclosure.hide_more(column, current)
            for ref, value in current.items():
                out[ref][key] = value
        for key in disclosure.CHILD_BREAKDOWNS:
            have = [ref for ref in raw if isinstance(raw[ref].get(key), dict)]
            for ref in have:  # each hub's categories against the hub's total
                disclosure.hide_more(raw[ref][key], out[ref][key])
            for category in sorted({c for ref in have for c in raw[ref][key]}):
                column = {ref: raw[ref][key].get(category, 0) for ref in have}
                current = {ref: out[ref][key].get(category, 0) for ref in have}
                disclosure.hide_more(column, current)  # against the funder's total
                for ref in have:
                    if category in out[ref][key]:
                        out[ref][key][category] = current[ref]
        for ref in raw:
            disclosure.control_within(raw[ref], out[ref], denominators.get(ref) or {})
        if repr(out) == before:
            break
    return out


HEADER = [
    "Section",
    "Hub",
    "Figure",
    "Detail",
    "This period",
    "Since the start",
    "Figure key",
    "Detail key",
]


def _value(value):
    """A cell as every file shows it: a number, c (hidden) or n/a (nothing to work it out)."""
    return "n/a" if value is None else value


def _figure_rows(figures: dict, cumulative: dict | None):
    """(figure label, detail label, this period, since the start, key, detail key) for every
    figure, one row per category of a breakdown. A breakdown's missing category is 0."""
    for key, value in figures.items():
        since = (cumulative or {}).get(key) if cumulative is not None else ""
        if isinstance(value, dict):
            since_parts = since if isinstance(since, dict) else {}
            if not value and not since_parts:  # nothing in any category: one row of 0
                zero = 0 if cumulative is not None else ""
                yield (labels.figure_label(key), "", 0, zero, key, "")
            for detail in sorted(set(value) | set(since_parts)):
                yield (
                    labels.figure_label(key),
                    labels.detail_label(key, detail),
                    _value(value.get(detail, 0)),
                    since_parts.get(detail, 0) if cumulative is not None else "",
                    key,
                    detail,
                )
        else:
            yield (
                labels.figure_label(key),
                "",
                _value(value),
                _value(since) if cumulative is not None else "",
                key,
                "",
            )


def _per_hub(hub: dict) -> dict:
    """A hub's figures as the by-hub tables show them (without those meaningless for one hub)."""
    return {k: v for k, v in hub["figures"].items() if k not in labels.NOT_PER_HUB}


def _is_hub_return(content: dict) -> bool:
    return content["subject"]["kind"] == ReturnKind.HUB


def _totals(content: dict) -> dict:
    """The return's own figures as its files show them: a hub's return leaves out those that
    mean nothing for one hub (its "hubs" is always 1), as the by-hub tables do."""
    if _is_hub_return(content):
        return _per_hub(content)
    return content["figures"]


def _by_hub(content: dict) -> list[dict]:
    """The by-hub tables: a funder's hubs. A hub's return has none (it would repeat its own
    figures under its own name, and a reader adding the rows up would count them twice)."""
    return [] if _is_hub_return(content) else list(content["hubs"].values())


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%-d %B %Y}"


def _when(content: dict) -> str:
    """The quarter as the Returns page names it, and its dates in words, as the pages write
    them (the JSON keeps the ISO dates for machines)."""
    start, end = content["period"]["start"], content["period"]["end"]
    label = quarter_label(Period.quarter_of(date.fromisoformat(start)))
    return (
        f"{label}: {_day(start)} to {_day(end)}; since the start means since "
        f"{_day(content['cumulative_from'])}."
    )


def _about(content: dict) -> str:
    return f"Quarterly return for {content['subject']['name']}, {_when(content)}"


def _notes(content: dict) -> list[str]:
    return [_about(content), *labels.notes(content["disclosure_controlled"])]


def _rows(content: dict):
    """The table every spreadsheet format holds: words first, the stable keys at the end."""
    yield HEADER
    for label, detail, now, since, key, detail_key in _figure_rows(
        _totals(content), content["cumulative"]
    ):
        yield ["Total", "", label, detail, now, since, key, detail_key]
    for hub in _by_hub(content):
        for label, detail, now, _, key, detail_key in _figure_rows(_per_hub(hub), None):
            yield ["Hub", hub["name"], label, detail, now, "", key, detail_key]


def _cells(row) -> list:
    return [escape_cell("" if cell is None else cell) for cell in row]


def render_csv(content: dict) -> bytes:
    """The table, then a blank row and the notes (Section "Note"), so a reader of the file
    alone knows what c and n/a mean."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _rows(content):
        writer.writerow(_cells(row))
    writer.writerow([])
    for note in _notes(content):
        writer.writerow(_cells(["Note", "", note]))
    return out.getvalue().encode("utf-8-sig")


def render_xlsx(content: dict) -> bytes:
    """A "Return" sheet with the table and a "Notes" sheet saying what c and n/a mean."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in _rows(content):
        sheet.append(_cells(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", [8, 24, 48, 32, 12, 14, 34, 24], strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("Notes")
    notes.append(["Notes"])
    notes["A1"].font = Font(bold=True)
    for note in _notes(content):
        notes.append(_cells([note]))
    notes.column_dimensions["A"].width = 110
    for (cell,) in notes.iter_rows(min_row=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.properties.creator = "Alexi"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_pdf(content: dict) -> bytes:
    """A single-column A5 document with large type, readable on a phone: the figures with the
    pages' words, the notes on hidden cells, and (for a funder) the same figures per hub."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = ParagraphStyle("cell", parent=styles["Normal"], fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=small, textColor=colors.white)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A5,
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=f"Quarterly return: {content['subject']['name']}",
        author="Alexi",
    )

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        data = [[Paragraph(_xml(cell), head) for cell in header]]
        data += [[Paragraph(_xml(str(cell)), small) for cell in row] for row in rows]
        built = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        built.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#00594f")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return built

    story = [
        Paragraph(f"Quarterly return: {_xml(content['subject']['name'])}", styles["Title"]),
        Paragraph(_xml(_when(content)), styles["Normal"]),
    ]
    for note in labels.notes(content["disclosure_controlled"]):
        story.append(Paragraph(_xml(note), styles["Italic"]))
    story.append(Spacer(1, 4 * mm))
    rows = [
        [labels.figure_label(key), _cell(key, value), _cell(key, content["cumulative"].get(key))]
        for key, value in _totals(content).items()
    ]
    story.append(table(["Figure", "This period", "Since the start"], rows, [62, 33, 33]))
    if _by_hub(content):
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph("By hub, this period", styles["Heading2"]))
        for hub in _by_hub(content):
            story.append(Paragraph(_xml(hub["name"]), styles["Heading3"]))
            rows = [
                [labels.figure_label(key), _cell(key, value)]
                for key, value in _per_hub(hub).items()
            ]
            story.append(table(["Figure", "This period"], rows, [80, 48]))
    doc.build(story)
    return out.getvalue()


def _cell(key: str, value) -> str:
    if isinstance(value, dict):
        parts = [(labels.detail_label(key, k), v) for k, v in value.items()]
        return "; ".join(f"{label}: {v}" for label, v in sorted(parts)) or "none"
    return str(_value(value))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def generate(
    subject: Subject, quarter: str, *, actor: User | None = None, regenerate: bool = False
) -> tuple[QuarterlyReturn, bool]:
    """The return for this subject and quarter: the existing one, or a new version when asked
    to regenerate (or when there is none). Safe to run twice at once. A quarter that has not
    ended is refused (QuarterNotEnded), whoever asks: a return is a snapshot of a whole one."""
    period = ended_quarter(quarter)
    quarter = quarter_label(period)
    key = (
        f"return:{subject.kind}:{subject.funder.pk if subject.funder else subject.hub.pk}:{quarter}"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(key.encode())])
    existing = QuarterlyReturn.objects.filter(
        kind=subject.kind, funder=subject.funder, hub=subject.hub, quarter=quarter
    )
    latest = existing.aggregate(v=Max("version"))["v"]
    if latest and not regenerate:
        return existing.get(version=latest), False
    content = build(subject, period)
    as_json = json.dumps(content, sort_keys=True).encode()
    files = {"csv": render_csv(content), "xlsx": render_xlsx(content), "pdf": render_pdf(content)}
    created = QuarterlyReturn.objects.create(
        kind=subject.kind,
        funder=subject.funder,
        hub=subject.hub,
        quarter=quarter,
        period_start=period.start,
        period_end=period.end,
        version=(latest or 0) + 1,
        disclosure_controlled=content["disclosure_controlled"],
        figures=content,
        json_sha256=sha256(as_json),
        generated_by=actor,
        **{name: data for name, data in files.items()},
        **{f"{name}_sha256": sha256(data) for name, data in files.items()},
    )
    return created, True


def generate_quarter(
    quarter: str, *, actor: User | None = None, regenerate: bool = False
) -> list[str]:
    """One return per funder (with hubs) and one per hub. Returns lines saying what happened.
    Refuses a quarter that has not ended (QuarterNotEnded) before making anything."""
    ended_quarter(quarter)
    lines = []
    for funder in Funder.objects.order_by("name"):
        if not funder.hubs.exists():
            lines.append(f"{funder.name}: funds no hubs, so no return.")
            continue
        ret, created = generate(
            Subject(ReturnKind.FUNDER, funder=funder), quarter, actor=actor, regenerate=regenerate
        )
        lines.append(f"{ret}: {'made' if created else 'already there'}")
    for hub in Hub.objects.order_by("name"):
        ret, created = generate(
            Subject(ReturnKind.HUB, hub=hub), quarter, actor=actor, regenerate=regenerate
        )
        lines.append(f"{ret}: {'made' if created else 'already there'}")
    return lines
