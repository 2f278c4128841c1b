"""Quarterly returns: snapshots made once, downloads only for their owners, safe files."""

import csv
import io

import pytest
from django.db import transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from alexi.models import AccessAction, AccessLog
from reporting.models import QuarterlyReturn, ReturnKind
from reporting.returns import Subject, escape_cell, generate, generate_quarter, parse_quarter
from reporting.tasks import generate_returns


def test_generation_is_idempotent_and_regenerating_makes_a_new_version(world):
    subject = Subject(ReturnKind.HUB, hub=world.hub)
    first, made = generate(subject, "2026Q1")
    again, made_again = generate(subject, "2026q1")
    assert made and not made_again and again.pk == first.pk
    second, _ = generate(subject, "2026Q1", regenerate=True)
    assert second.version == 2
    assert QuarterlyReturn.objects.filter(hub=world.hub, quarter="2026Q1").count() == 2


def test_a_redelivered_task_makes_no_duplicate(world):
    generate_returns.delay("2026Q1").get()
    generate_returns.delay("2026Q1").get()
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3  # one funder, two hubs


def test_a_return_never_changes(world):
    ret = world.funder_return
    with pytest.raises(DatabaseError, match="snapshot"), transaction.atomic():
        QuarterlyReturn.objects.filter(pk=ret.pk).update(version=9)
    with pytest.raises(DatabaseError, match="snapshot"), transaction.atomic():
        QuarterlyReturn.objects.filter(pk=ret.pk).delete()


def test_the_funder_return_is_disclosure_controlled_and_has_every_file(world):
    ret = world.funder_return
    assert ret.disclosure_controlled
    assert ret.figures["figures"]["cases_opened"] == "c"  # one case opened: a small number
    assert ret.figures["hubs"][world.hub.ref]["figures"]["cases_opened"] == "c"
    assert bytes(ret.pdf).startswith(b"%PDF") and bytes(ret.xlsx).startswith(b"PK")
    assert len(ret.csv_sha256) == 64 and ret.json_sha256 != ret.csv_sha256
    hub_return, _ = generate(Subject(ReturnKind.HUB, hub=world.hub), "2026Q1")
    assert hub_return.figures["figures"]["cases_opened"] == 1  # hub managers see it plain


def test_spreadsheet_cells_are_never_formulas(world):
    assert escape_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert escape_cell("@SUM") == "'@SUM" and escape_cell(5) == 5
    world.hub.name = "=cmd|' /C calc'!A0"
    world.hub.save()
    ret, _ = generate(Subject(ReturnKind.FUNDER, funder=world.funder_org), "2026Q2")
    cells = [
        cell for row in csv.reader(io.StringIO(bytes(ret.csv).decode("utf-8-sig"))) for cell in row
    ]
    assert not any(cell.startswith("=") for cell in cells)
    assert any(cell.startswith("'=cmd") for cell in cells)


def test_a_funder_downloads_only_their_own_and_it_is_logged(world, client_for):
    ret = world.funder_return
    for fmt in ["pdf", "xlsx", "csv", "json"]:
        response = client_for("funder").get(
            reverse("reporting:return_download", args=[ret.pk, fmt])
        )
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    assert (
        AccessLog.objects.filter(action=AccessAction.DOWNLOAD, object_id=str(ret.pk)).count() == 4
    )
    hub_return, _ = generate(Subject(ReturnKind.HUB, hub=world.hub), "2026Q1")
    assert (
        client_for("funder")
        .get(reverse("reporting:return_download", args=[hub_return.pk, "pdf"]))
        .status_code
        == 404
    )
    assert (
        client_for("hub_manager")
        .get(reverse("reporting:return_download", args=[hub_return.pk, "pdf"]))
        .status_code
        == 200
    )
    assert (
        client_for("other_hub_manager")
        .get(reverse("reporting:return_download", args=[hub_return.pk, "pdf"]))
        .status_code
        == 404
    )


def test_an_administrator_makes_the_returns_from_the_page(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("programme_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:returns_generate"), {"quarter": "2026Q1"})
    assert response.status_code == 302
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3
    bad = client.post(reverse("reporting:returns_generate"), {"quarter": "2026-Q9"}, follow=True)
    assert "is not a quarter" in bad.content.decode()


def test_a_funder_with_no_hubs_gets_a_clear_line_not_an_error(world):
    from tests.factories import FunderFactory

    FunderFactory(name="New Funder")
    lines = generate_quarter("2026Q1")
    assert "New Funder: funds no hubs, so no return." in lines


@pytest.mark.parametrize("text", ["2026Q0", "2026Q5", "26Q1", "2026-07", ""])
def test_malformed_quarters_are_refused_clearly(text):
    with pytest.raises(ValueError, match="is not a quarter"):
        parse_quarter(text)


def test_the_hub_overview_shows_quarter_and_cumulative_figures_and_charts(world, client_for):
    page = client_for("hub_manager").get("/").content.decode()
    assert "This quarter and since the start" in page
    assert "Continuity: sessions with their own worker (%)" in page
    # The world has no closed case yet: the risk charts say so (see test_dashboard_pages).
    assert "No closed cases yet." in page


def test_with_the_broker_down_the_page_still_answers_and_the_sweep_catches_up(
    world, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from reporting import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused")

    from reporting.models import ReturnRequest

    monkeypatch.setattr(tasks.process_return_requests, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("programme_admin").post(
            reverse("reporting:returns_generate"), {"quarter": "2026q1", "regenerate": "1"}
        )
    assert response.status_code == 302
    assert not QuarterlyReturn.objects.exists()
    assert ReturnRequest.objects.get().done_at is None  # kept, not lost
    monkeypatch.undo()
    tasks.generate_returns()  # the hourly sweep, once the broker is back
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3
    assert ReturnRequest.objects.get().done_at is not None
    tasks.generate_returns()  # running again makes nothing more
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3


def test_regenerating_from_the_page_makes_new_versions_and_keeps_the_old(
    world, client_for, django_capture_on_commit_callbacks
):
    assert world.funder_return.version == 1
    with django_capture_on_commit_callbacks(execute=True):
        client_for("programme_admin").post(
            reverse("reporting:returns_generate"), {"quarter": "2026Q1", "regenerate": "1"}
        )
    versions = QuarterlyReturn.objects.filter(funder=world.funder_org, quarter="2026Q1")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
