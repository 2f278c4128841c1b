"""The import checks a young person's age when their case opened with the same age rule as
the rest of Alexi (casework.models.YoungPerson.age_between), to the day."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from casework.models import Case
from tests.factories import local_authority, make_admin
from tests.imports.folder import VALID, import_staff_and_confirm, write

pytestmark = pytest.mark.django_db

C1 = "C1,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,ana@import.test,2026-07-01,,,"


@pytest.fixture
def admin(tmp_path):
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin)
    return admin


def with_birth(born: str) -> dict:
    assert C1 in VALID["cases.csv"]
    return dict(
        VALID, **{"cases.csv": VALID["cases.csv"].replace(C1, C1.replace("2010-05-01", born))}
    )


def refused(folder, user) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", str(folder), "--user", user.email, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2026-07-02", "2026-07-02 is after the case opened (2026-07-01)"),
        # 26 on the day the case opened.
        ("2000-07-01", "2000-07-01 makes the young person 26 when the case opened"),
    ],
)
def test_an_age_outside_the_service_is_a_problem_on_its_line(tmp_path, admin, born, message):
    assert message in refused(write(tmp_path / "in", with_birth(born)), admin)
    assert not Case.objects.exists()


def test_still_25_the_day_before_the_26th_birthday(tmp_path, admin):
    out = io.StringIO()
    folder = write(tmp_path / "in", with_birth("2000-07-02"))
    call_command("import_records", str(folder), "--user", admin.email, stdout=out)
    assert Case.objects.filter(import_ref="C1").exists()
