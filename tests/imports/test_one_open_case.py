"""An import that would leave a young person with two open cases at one hub is refused with a
problem on the line, never a database error (issue 11, item 4)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from casework.models import Case
from tests.factories import local_authority, make_admin
from tests.imports.folder import VALID, import_staff_and_confirm, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tmp_path):
    """The importing administrator, after the folder's structure and staff were imported and
    the hub confirmed its new people (so cases may be allocated to them)."""
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin)
    return admin


def run(folder, user) -> str:
    out = io.StringIO()
    call_command("import_records", str(folder), "--user", user.email, stdout=out)
    return out.getvalue()


def refused(folder, user) -> str:
    """The problems the command prints when it refuses an import."""
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", str(folder), "--user", user.email, stdout=out)
    return out.getvalue()


SECOND_OPEN = "C6,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,ben@import.test,2026-08-01,,,\n"


def test_two_open_cases_in_one_file_are_a_problem_on_the_second_line(tmp_path, admin):
    files = dict(VALID, **{"cases.csv": VALID["cases.csv"] + SECOND_OPEN})
    message = refused(write(tmp_path / "in", files), admin)
    assert "cases.csv:7: closed_on: young person P1 would have two open cases at hub HA" in (
        message
    )
    assert "(C1; C6)" in message and "IntegrityError" not in message
    assert not Case.objects.exists()


def test_a_case_already_open_in_alexi_counts_too(tmp_path, admin):
    run(write(tmp_path / "first", VALID), admin)
    files = {"cases.csv": VALID["cases.csv"].split("\n")[0] + "\n" + SECOND_OPEN}
    before = Case.objects.count()
    message = refused(write(tmp_path / "again", files), admin)
    assert "cases.csv:2: closed_on: young person P1 would have two open cases at hub HA " in (
        message
    )
    assert "(C1, open in Alexi; C6)" in message
    assert Case.objects.count() == before


def test_closing_the_earlier_case_in_the_same_file_is_fine(tmp_path, admin):
    closes_c1 = VALID["cases.csv"].replace(
        "C1,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,ana@import.test,2026-07-01,,,",
        "C1,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,ana@import.test,2026-07-01,"
        "2026-07-31,moved_away,",
    )
    files = dict(VALID, **{"cases.csv": closes_c1 + SECOND_OPEN})
    run(write(tmp_path / "in", files), admin)
    assert Case.objects.get(import_ref="C6").status == "open"
    assert Case.objects.get(import_ref="C1").status == "closed"
