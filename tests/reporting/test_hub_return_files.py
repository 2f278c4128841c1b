"""A hub's own return shows no figure that means nothing for one hub ("Hubs" is always 1) and
does not repeat its figures in a by-hub table under its own name, where a reader adding rows up
would count every case twice (review of issue 11, items 11 and 12)."""

from __future__ import annotations

import re

from reporting.models import ReturnKind
from reporting.returns import Subject, generate
from tests.reporting.test_return_files import csv_rows, pdf_text, xlsx_book


def test_a_hub_return_has_its_figures_once_and_no_hubs_count(world):
    ret, _ = generate(Subject(ReturnKind.HUB, hub=world.hub), "2026Q1")
    rows = [r for r in csv_rows(ret)[1:] if r and r[0] != "Note"]
    assert {r[0] for r in rows} == {"Total"}  # no "Hub" section repeating the totals
    keys = [(r[6], r[7]) for r in rows]
    assert len(keys) == len(set(keys))
    assert "hubs" not in {r[6] for r in rows}
    assert "cases_opened" in {r[6] for r in rows}
    sheet = list(xlsx_book(ret)["Return"].iter_rows(values_only=True))[1:]
    assert {row[0] for row in sheet} == {"Total"}
    assert "hubs" not in {row[6] for row in sheet}
    text = " ".join(pdf_text(ret).split())
    assert not re.search(r"\bHubs 1\b", text)
    assert re.search(r"Cases opened 1 1\b", text)


def test_a_funder_return_keeps_its_hubs_count_and_its_by_hub_table(world):
    ret, _ = generate(Subject(ReturnKind.FUNDER, funder=world.funder_org), "2026Q1")
    rows = [r for r in csv_rows(ret)[1:] if r and r[0] != "Note"]
    assert rows[0][:3] == ["Total", "", "Hubs"] and rows[0][6] == "hubs"
    assert {r[1] for r in rows if r[0] == "Hub"} == {"Home Hub"}


def test_every_file_names_the_quarter_and_its_dates_as_the_pages_do(world):
    """The Returns page lists '2026Q1'; a printed PDF or a forwarded CSV says which quarter
    it is, in the same words, not only ISO dates."""
    for subject in (
        Subject(ReturnKind.FUNDER, funder=world.funder_org),
        Subject(ReturnKind.HUB, hub=world.hub),
    ):
        ret, _ = generate(subject, "2026Q1")
        when = "2026Q1: 1 January 2026 to 31 March 2026"
        assert when in " ".join(pdf_text(ret).split())
        notes = [r[2] for r in csv_rows(ret) if r and r[0] == "Note"]
        assert when in notes[0]
        sheet_notes = [row[0] for row in xlsx_book(ret)["Notes"].iter_rows(values_only=True)]
        assert when in sheet_notes[1]
