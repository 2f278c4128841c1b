"""The files of a return (CSV, Excel, PDF) use the pages' words for every figure, keep the
stable keys for machines, explain hidden cells, and (PDF too) show the same figures per hub,
disclosure-controlled exactly as the JSON snapshot; never a personal field (issue 11, item 12)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pypdf  # a dev dependency (pyproject's dev extras)
import pytest
from django.urls import reverse

from reporting.labels import FIGURE_LABELS, NOT_PER_HUB, detail_label, figure_label
from reporting.models import ReturnKind
from reporting.returns import HEADER, Subject, generate

# What the world holds about people: none of it may appear in any file of a return.
PERSONAL = [
    "Jade",
    "Testperson",
    "Jay",
    "Kai",
    "Alex Allocated",
    "Sam Samespoke",
    "Hana Manager",
    "Fran Funder",
    "Pat Admin",
    "hot chocolate",
    "feel safe at home",
    "I'm fine",
    "Moving to Bristol",
    "@",
]


def csv_rows(ret) -> list[list[str]]:
    return list(csv.reader(io.StringIO(bytes(ret.csv).decode("utf-8-sig"))))


def xlsx_book(ret):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(bytes(ret.xlsx)), read_only=True)


def pdf_text(ret) -> str:
    reader = pypdf.PdfReader(io.BytesIO(bytes(ret.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages)


def expected_rows(content: dict) -> list[list[str]]:
    """Every figure cell of the snapshot, as text, keyed like the files' machine columns."""
    rows = []

    def add(section, hub, key, value, since):
        if isinstance(value, dict):
            since = since if isinstance(since, dict) else {}
            if not value and not since:
                rows.append([section, hub, key, "", "0", "0" if section == "Total" else ""])
            for detail in sorted(set(value) | set(since)):
                cum = str(since.get(detail, 0)) if section == "Total" else ""
                rows.append([section, hub, key, detail, str(value.get(detail, 0)), cum])
        else:
            text = "n/a" if value is None else str(value)
            cum = ("n/a" if since is None else str(since)) if section == "Total" else ""
            rows.append([section, hub, key, "", text, cum])

    for key, value in content["figures"].items():
        add("Total", "", key, value, content["cumulative"].get(key))
    for hub in content["hubs"].values():
        for key, value in hub["figures"].items():
            if key not in NOT_PER_HUB:
                add("Hub", hub["name"], key, value, None)
    return rows


def number(cell) -> str:
    """A cell as text, numbers compared as numbers (Excel gives 0.0 back as 0)."""
    try:
        return f"{float(cell):g}"
    except (TypeError, ValueError):
        return "" if cell is None else str(cell)


def machine_view(rows: list[list]) -> list[list[str]]:
    """Section, hub, key, detail key, this period, since the start: from the files' columns."""
    return [[r[0], r[1], r[6], r[7] or "", number(r[4]), number(r[5])] for r in rows]


def expected_view(content: dict) -> list[list[str]]:
    return [[s, h, k, d, number(n), number(c)] for s, h, k, d, n, c in expected_rows(content)]


@pytest.fixture
def funder_return(world):
    return world.funder_return


def test_the_csv_uses_the_pages_words_keeps_the_keys_and_explains_hidden_cells(funder_return):
    rows = csv_rows(funder_return)
    assert rows[0] == HEADER
    table = [r for r in rows[1:] if r and r[0] in ("Total", "Hub")]
    for row in table:
        assert row[2] == figure_label(row[6]) and "_" not in row[2]
        assert row[3] == (detail_label(row[6], row[7]) if row[7] else "")
    by_key = {r[6]: r for r in table if r[0] == "Total"}
    assert by_key["la_areas_total"][2] == "LA areas (total)"
    assert by_key["closed_lower_risk_pct"][2] == "Closed at lower risk (%)"
    # The file holds exactly the snapshot's cells: hidden ones stay "c".
    assert machine_view(table) == expected_view(funder_return.figures)
    assert by_key["cases_opened"][4] == "c"
    hub_rows = [r for r in table if r[0] == "Hub"]
    assert {r[1] for r in hub_rows} == {"Home Hub"}
    assert not any(r[6] == "hubs" for r in hub_rows)  # always 1 for a hub: left out
    notes = " ".join(r[2] for r in rows if r and r[0] == "Note")
    assert "c: a count about children from 1 to 5" in notes
    assert "secondary suppression" in notes and "fewer than 10" in notes and "n/a" in notes


def test_the_excel_file_has_the_same_table_and_a_notes_sheet(funder_return):
    book = xlsx_book(funder_return)
    assert book.sheetnames == ["Return", "Notes"]
    sheet = [list(row) for row in book["Return"].iter_rows(values_only=True)]
    assert sheet[0] == HEADER
    table = [["" if c is None else c for c in row] for row in sheet[1:]]
    assert machine_view(table) == expected_view(funder_return.figures)
    assert all(row[2] == figure_label(row[6]) for row in table)
    notes = " ".join(str(row[0]) for row in book["Notes"].iter_rows(values_only=True))
    assert "secondary suppression" in notes and "c: a count about children" in notes


def test_the_pdf_has_the_words_the_notes_and_the_table_per_hub(funder_return):
    text = pdf_text(funder_return)
    flat = re.sub(r"\s+", " ", text)
    for key in funder_return.figures["figures"]:
        assert key not in text  # no code names
    assert "LA areas (total)" in flat and "Closed at lower risk (%)" in flat
    assert "c: a count about children from 1 to 5" in flat
    assert "(secondary suppression)" in flat and "fewer than 10" in flat
    assert "By hub, this period" in flat
    per_hub = flat.split("By hub, this period", 1)[1]
    assert "Home Hub" in per_hub
    # The hub's hidden cells are hidden in the PDF too, and its open counts shown as stored.
    hub = funder_return.figures["hubs"][funder_return.funder.hubs.get().ref]["figures"]
    assert hub["cases_opened"] == "c"
    assert re.search(r"Cases opened c\b", per_hub)
    assert f"Professionals trained {hub['professionals_trained']}" in per_hub
    assert "Hubs 1" not in per_hub  # left out per hub, as on the programme page


def test_no_file_holds_a_personal_field(funder_return, world):
    hub_return, _ = generate(Subject(ReturnKind.HUB, hub=world.hub), "2026Q1")
    for ret in (funder_return, hub_return):
        sheets = xlsx_book(ret)
        cells = " ".join(
            str(cell)
            for name in sheets.sheetnames
            for row in sheets[name].iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
        files = {
            "csv": bytes(ret.csv).decode("utf-8-sig"),
            "xlsx": cells,
            "pdf": pdf_text(ret),
            "json": json.dumps(ret.figures),
        }
        for fmt, text in files.items():
            for personal in PERSONAL:
                assert personal not in text, (fmt, personal)


def test_a_hub_return_says_it_is_not_disclosure_controlled(world):
    ret, _ = generate(Subject(ReturnKind.HUB, hub=world.hub), "2026Q1")
    notes = " ".join(r[2] for r in csv_rows(ret) if r and r[0] == "Note")
    assert "not disclosure-controlled" in notes
    text = re.sub(r"\s+", " ", pdf_text(ret))
    assert "not disclosure-controlled" in text and "By hub" not in text
    assert re.search(r"Cases opened 1 1\b", text)  # its own figures plain


def test_every_figure_has_words_shared_with_the_pages():
    from reporting.figures import FIGURES

    assert set(FIGURES) <= set(FIGURE_LABELS)
    assert all("_" not in label for label in FIGURE_LABELS.values())


def test_a_stored_return_is_served_as_it_was_made(funder_return, client_for):
    """New renderings apply to new returns; a download is the stored snapshot, unchanged."""
    for fmt in ("csv", "xlsx", "pdf"):
        response = client_for("funder").get(
            reverse("reporting:return_download", args=[funder_return.pk, fmt])
        )
        assert response.content == bytes(getattr(funder_return, fmt))
        assert hashlib.sha256(response.content).hexdigest() == getattr(
            funder_return, f"{fmt}_sha256"
        )


def test_a_funder_of_two_hubs_gets_both_in_every_file_as_controlled(world):
    world.funder_org.hubs.add(world.other_hub)
    ret, _ = generate(Subject(ReturnKind.FUNDER, funder=world.funder_org), "2026Q1")
    hubs = ret.figures["hubs"]
    assert len(hubs) == 2
    table = [r for r in csv_rows(ret)[1:] if r and r[0] in ("Total", "Hub")]
    assert machine_view(table) == expected_view(ret.figures)
    sheet = list(xlsx_book(ret)["Return"].iter_rows(values_only=True))[1:]
    assert machine_view([["" if c is None else c for c in row] for row in sheet]) == (
        expected_view(ret.figures)
    )
    per_hub = re.sub(r"\s+", " ", pdf_text(ret)).split("By hub, this period", 1)[1]
    home, other = per_hub.split("Other Hub", 1)
    assert "Home Hub" in home
    for hub_text, hub in ((home, hubs[world.hub.ref]), (other, hubs[world.other_hub.ref])):
        assert re.search(rf"Cases opened {hub['figures']['cases_opened']}\b", hub_text)
        assert hub["figures"]["cases_opened"] == "c"  # one case each: hidden in every format
