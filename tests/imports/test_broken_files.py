"""The broken-file corpus: each gets its clear message, and nothing at all is written."""

from __future__ import annotations

import io

import pytest

from alexi.imports import importer, reader
from alexi.models import Hub, User
from casework.models import Case, CaseSession, YoungPerson
from tests.factories import local_authority, make_admin
from tests.imports.corpus import CORPUS, ZIP_CORPUS, flood
from tests.imports.folder import VALID, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    local_authority("E08000025")
    return make_admin(full_name="Ida Importer", email="ida@import.test")


def written() -> tuple:
    return (
        Hub.objects.count(),
        User.objects.count(),
        YoungPerson.objects.count(),
        Case.objects.count(),
        CaseSession.objects.count(),
        Case.history.count(),
    )


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_broken_folder_gets_its_message_and_nothing_is_written(name, tmp_path, admin):
    files, expected = CORPUS[name]
    before = written()
    report = check(write(tmp_path / "in", files), actor=admin)
    messages = [str(problem) for problem in report.problems]
    assert any(m.startswith(expected) for m in messages), messages
    assert written() == before


def check(path, **kwargs) -> importer.Report:
    files, problems = reader.from_folder(path)
    return importer.run(files, problems=problems, **kwargs)


def test_all_problems_are_reported_not_only_the_first(tmp_path, admin):
    files = dict(VALID)
    names = ["duplicate ref", "hub that does not exist", "date in the future", "empty file"]
    for name in [*names, "unknown column"]:
        broken = CORPUS[name][0]
        for file, text in broken.items():
            if text != VALID.get(file):
                files[file] = text
    report = check(write(tmp_path / "in", files), actor=admin)
    assert len(report.problems) == 5, report.problems


@pytest.mark.parametrize("name", list(ZIP_CORPUS))
def test_each_broken_zip_gets_its_message_and_nothing_is_written(name, admin):
    data, expected = ZIP_CORPUS[name]
    before = written()
    files, problems = reader.from_zip(io.BytesIO(data), "upload.zip")
    report = importer.run(files, actor=admin, problems=problems)
    assert any(str(p).startswith(expected) for p in report.problems), report.problems
    assert written() == before


def test_a_50_mb_file_is_read_to_its_end_and_stops_at_the_problem_limit(
    tmp_path, admin, monkeypatch
):
    monkeypatch.setattr(importer, "MAX_PROBLEMS", 1_000)
    before = written()
    folder = write(tmp_path / "in", {**VALID, "sessions.csv": flood(50)})
    assert (folder / "sessions.csv").stat().st_size >= 50 * 1024 * 1024 - 100
    report = check(folder, actor=admin)
    assert report.stopped_early
    assert len(report.problems) == 1_000
    assert str(report.problems[0]) == (
        "sessions.csv:2: case_ref: there is no case C404 (in cases.csv or Alexi)."
    )
    assert written() == before


def test_a_large_file_of_good_rows_is_checked_in_full(tmp_path, admin):
    """Large but valid (5 MB here; bench/import.py runs 90 MB): every row read and counted,
    nothing written by a dry run."""
    row = "C1,2026-07-04,ana@import.test,30,phone,,,attended,\n"
    rows = (5 * 1024 * 1024) // len(row)
    folder = write(tmp_path / "in", {**VALID, "sessions.csv": HEADER_SESSIONS + row * rows})
    before = written()
    report = check(folder, actor=admin, dry_run=True)
    assert report.ok, report.problems[:3]
    assert report.counts["sessions.csv"].rows == rows
    assert report.counts["sessions.csv"].new == rows
    assert written() == before


HEADER_SESSIONS = VALID["sessions.csv"].splitlines()[0] + "\n"


def test_a_hub_manager_can_import_only_into_their_own_hubs(tmp_path, admin):
    from alexi.models import Role

    check(write(tmp_path / "all", VALID), actor=admin)
    mia = User.objects.get(email="mia@import.test")
    assert mia.role == Role.HUB_MANAGER
    scope = importer.hub_scope_for(mia)
    assert scope == {"HA"}
    files = {
        "sessions.csv": HEADER_SESSIONS
        + "C1,2026-07-11,ana@import.test,30,phone,,,attended,\n"
        + "C5,2026-07-11,cal@import.test,30,phone,,,attended,\n",
        "spokes.csv": VALID["spokes.csv"],
    }
    before = written()
    report = check(write(tmp_path / "mia", files), actor=mia, hub_scope=scope)
    messages = [str(p) for p in report.problems]
    assert "spokes.csv:0: file: only programme administrators can import this file." in messages
    assert (
        "sessions.csv:3: case_ref: belongs to a hub you do not manage; only its managers can "
        "import it." in messages
    )
    assert written() == before
    del files["spokes.csv"]
    files["sessions.csv"] = HEADER_SESSIONS + "C1,2026-07-11,ana@import.test,30,phone,,,attended,\n"
    report = check(write(tmp_path / "mia2", files), actor=mia, hub_scope=scope)
    assert report.ok and report.counts["sessions.csv"].new == 1
