"""An import cannot make a programme administrator (issue 12 review): inviting one needs the
inviting administrator's password and second factor again on the People page, with an
access-log row and every administrator emailed. A staff.csv row for a new programme
administrator uploaded from a signed-in session would skip all of that, so it is refused; the
command run on the server without --user (which, like the `invite` command, makes the first
administrator) is unchanged."""

from __future__ import annotations

import pytest

from alexi.models import Role, User
from imports import importer, reader
from tests.factories import local_authority, make_admin
from tests.imports.folder import VALID, scope_of, staff_only, write

pytestmark = pytest.mark.django_db

NEW_ADMIN = "zed@import.test,Zed Admin,programme_admin,,,,,,,\n"


def run(path, actor) -> importer.Report:
    files, problems = reader.from_folder(path)
    return importer.run(files, actor=actor, hub_scope=scope_of(actor), problems=problems)


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_administrators_upload_cannot_invite_an_administrator(tmp_path, dry_run):
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    files = {**staff_only(), "staff.csv": VALID["staff.csv"] + NEW_ADMIN}
    files, problems = reader.from_folder(write(tmp_path / "f", files))
    report = importer.run(
        files, actor=admin, hub_scope=scope_of(admin), problems=problems, dry_run=dry_run
    )

    assert [str(problem) for problem in report.problems] == [
        "staff.csv:7: role: a programme administrator is invited on the People page (Invite "
        "someone), which asks you to confirm it is you; leave them out of staff.csv."
    ]
    assert not User.objects.filter(email="zed@import.test").exists()
    assert not User.objects.filter(email="ana@import.test").exists()  # nothing half-imported


def test_an_existing_administrator_on_a_staff_row_is_no_change(tmp_path):
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    row = "ida@import.test,Ida Importer,programme_admin,,,,,,,\n"
    files = {**staff_only(), "staff.csv": VALID["staff.csv"] + row}
    report = run(write(tmp_path / "f", files), admin)
    assert report.ok, report.lines()


def test_the_server_command_without_a_user_still_makes_the_first_administrator(tmp_path):
    local_authority("E08000025")
    files = {**staff_only(), "staff.csv": VALID["staff.csv"] + NEW_ADMIN}
    report = run(write(tmp_path / "f", files), None)
    assert report.ok, report.lines()
    assert User.objects.get(email="zed@import.test").role == Role.PROGRAMME_ADMIN
