"""manage.py import_records: everything in IMPORT.md lands, with history and access, once."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from alexi.models import Funder, Hub, HubManagement, Invitation, Spoke, User, WorkerProfile
from casework import access as casework_access
from casework.models import Allocation, Case, CaseSession, RiskAssessment, YoungPerson
from referrals.models import Referral
from tests.factories import local_authority, make_admin
from tests.imports.folder import (
    VALID,
    confirm_requested_grants,
    import_staff_and_confirm,
    staff_only,
    write,
)
from training.models import Consultation, Groupwork, TrainingAttendance, TrainingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    local_authority("E08000025")  # the shipped LA list, even after a flush
    return make_admin(full_name="Ida Importer", email="ida@import.test")


@pytest.fixture
def staffed(tmp_path, admin):
    """The administrator, after the structure and staff were imported and confirmed."""
    import_staff_and_confirm(tmp_path / "staff", admin)
    return admin


def run(folder, *args, user=None) -> str:
    out = io.StringIO()
    extra = ["--user", user.email] if user else []
    call_command("import_records", str(folder), *args, *extra, stdout=out)
    return out.getvalue()


def everything() -> dict:
    models = [Funder, Hub, Spoke, User, WorkerProfile, HubManagement, YoungPerson, Case]
    models += [Allocation, Referral, CaseSession, RiskAssessment, Groupwork, TrainingEvent]
    models += [TrainingAttendance, Consultation]
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update({f"history of {m.__name__}": m.history.count() for m in models})
    return counts


def test_a_folder_imports_every_file_with_history_and_the_importer_as_actor(
    tmp_path, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = run(write(tmp_path / "staff", staff_only()), user=admin)
    assert "staff.csv: 5 rows: 5 new" in first
    assert "3 worker(s) wait for the hub to confirm them at their spoke" in first
    # Joining a spoke is only asked for; the hub confirms it (no hub manager yet: another
    # administrator), and only then may cases be allocated to the worker.
    assert not WorkerProfile.objects.exists()
    confirm_requested_grants()
    folder = write(tmp_path / "in", VALID)
    with django_capture_on_commit_callbacks(execute=True):
        output = run(folder, user=admin)

    assert "cases.csv: 5 rows: 5 new, 0 changed, 0 unchanged" in output
    assert "sessions.csv: 7 rows: 7 new" in output
    assert "training.csv: 2 events: 2 new" in output
    assert Hub.objects.get(ref="HB").home_las.get().gss_code == "E06000023"  # by exact name
    assert set(Funder.objects.get(ref="FA").hubs.values_list("ref", flat=True)) == {"HA", "HB"}
    # Staff are invited, never given a password.
    ana = User.objects.get(email="ana@import.test")
    assert not ana.has_usable_password()
    assert ana.worker_profile.spoke.ref == "SA1"
    assert str(ana.worker_profile.fte) == "1.00"
    assert Invitation.objects.filter(user=ana, used_at__isnull=True).count() == 1
    assert len(mail.outbox) == 5
    assert User.objects.get(email="fay@import.test").funder.ref == "FA"
    # One young person, two cases; the newest row's details win.
    lee = YoungPerson.objects.get(import_refs__ref="P2")
    assert lee.cases.count() == 2
    assert lee.ethnicity == "White British"
    # History for every row, by the importer.
    for model in (YoungPerson, Case, CaseSession, RiskAssessment, Referral, Allocation):
        assert model.history.filter(history_user=admin).count() == model.objects.count()
        assert not model.history.exclude(history_user=admin).exists()
    assert Hub.history.filter(ref="HA", history_user=admin, history_type="+").exists()
    assert not WorkerProfile.history.filter(history_user=admin).exists()  # the hub's doing
    assert WorkerProfile.history.filter(history_type="+").count() == 3
    # Free text passes through untouched, formula-like or not.
    first = CaseSession.objects.get(case__import_ref="C1", date=date(2026, 7, 3))
    assert first.young_person_words == '=HYPERLINK("http://example.invalid","x")'
    quoted = CaseSession.objects.get(
        case__import_ref="C1", date=date(2026, 7, 10), attendance="attended"
    )
    assert quoted.young_person_words == 'I said, "not yet".\nThen we talked.'
    # Case summaries as if recorded in the browser.
    c2 = Case.objects.get(import_ref="C2")
    assert (c2.status, c2.current_level, c2.last_contact_on) == ("closed", "low", date(2026, 8, 1))
    c1 = Case.objects.get(import_ref="C1")
    assert c1.current_level == "medium" and c1.next_review_due == date(2026, 8, 12)
    assert Referral.objects.get(import_ref="R1").case == c1
    assert Referral.objects.get(import_ref="R3").decision == "waiting"


def test_access_is_granted_as_if_entered_in_the_browser(tmp_path, admin):
    run(write(tmp_path / "staff", staff_only()), user=admin)
    ana = User.objects.get(email="ana@import.test")
    ben = User.objects.get(email="ben@import.test")
    mia = User.objects.get(email="mia@import.test")
    cal = User.objects.get(email="cal@import.test")
    for user in (ana, ben, mia, cal):
        user.is_verified = lambda: True  # as if signed in with the second factor
    refs = lambda qs: set(qs.values_list("import_ref", flat=True))  # noqa: E731
    # As in the browser, managing a hub is only asked for until someone else confirms it.
    assert refs(casework_access.cases_for(mia)) == set()
    assert not WorkerProfile.objects.exists()
    confirm_requested_grants()
    run(write(tmp_path / "in", VALID), user=admin)
    mia = User.objects.get(pk=mia.pk)
    mia.is_verified = lambda: True
    assert refs(casework_access.cases_for(ana)) == {"C1", "C2"}
    assert refs(casework_access.cases_for(ben)) == {"C3", "C4"}
    assert refs(casework_access.cases_for(mia)) == {"C1", "C2", "C3", "C4"}
    assert refs(casework_access.cases_for(cal)) == {"C5"}
    allocation = Allocation.objects.get(case__import_ref="C1")
    assert allocation.worker == ana and allocation.ended_at is None
    assert allocation.started_at.date() == date(2026, 7, 1)


def test_running_the_same_folder_again_changes_nothing(tmp_path, staffed):
    folder = write(tmp_path / "in", VALID)
    run(folder, user=staffed)
    before = everything()
    output = run(folder, user=staffed)
    assert everything() == before
    for name in VALID:
        assert " 0 new, 0 changed" in next(line for line in output.splitlines() if name in line)


def test_a_changed_cell_updates_the_record_and_an_empty_one_keeps_it(tmp_path, staffed):
    run(write(tmp_path / "one", VALID), user=staffed)
    changed = dict(VALID)
    changed["cases.csv"] = VALID["cases.csv"].replace(
        "C1,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,ana@",
        "C1,P1,Joanne,,,female,,no,E08000025,SA1,ben@",
    )
    output = run(write(tmp_path / "two", changed), user=staffed)
    assert "cases.csv: 5 rows: 0 new, 1 changed, 4 unchanged" in output
    person = YoungPerson.objects.get(import_refs__ref="P1")
    assert (person.first_name, person.last_name) == ("Joanne", "Example")  # empty: kept
    assert person.history.filter(history_type="~").count() == 1
    # The case moved to Ben: Ana's allocation ended, Ben's began, as a reallocation would.
    case = Case.objects.get(import_ref="C1")
    assert case.allocated_worker.email == "ben@import.test"
    allocations = list(case.allocations.order_by("started_at"))
    assert [a.worker.email for a in allocations] == ["ana@import.test", "ben@import.test"]
    assert allocations[0].ended_at is not None and allocations[1].ended_at is None


def test_a_dry_run_checks_and_counts_but_writes_nothing(tmp_path, staffed):
    before = everything()
    output = run(write(tmp_path / "in", VALID), "--dry-run", user=staffed)
    assert "cases.csv: 5 rows: 5 new" in output
    assert "Dry run" in output
    assert everything() == before
    assert len(mail.outbox) == 0


def test_every_problem_is_listed_with_file_line_and_column_and_the_exit_is_non_zero(
    tmp_path, staffed
):
    broken = dict(VALID)
    broken["sessions.csv"] = VALID["sessions.csv"] + (
        "C1,2026-13-01,ana@import.test,,phone,,,attended,\n"
        "C9,2026-07-01,ana@import.test,,zoom,,maybe,attended,\n"
    )
    before = everything()
    with pytest.raises(CommandError, match="4 problem"):
        run(write(tmp_path / "in", broken), user=staffed)
    assert everything() == before


def test_the_command_names_every_problem(tmp_path, admin, capsys):
    broken = dict(VALID)
    broken["sessions.csv"] = VALID["sessions.csv"] + (
        "C1,2026-13-01,ana@import.test,,phone,,,attended,\n"
        "C9,2026-07-01,ana@import.test,,zoom,,maybe,attended,\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(write(tmp_path / "in", broken)), stdout=out)
    lines = out.getvalue().splitlines()
    assert "sessions.csv:10: date: 2026-13-01 is not a date in the calendar." in lines
    assert "sessions.csv:11: case_ref: there is no case C9 (in cases.csv or Alexi)." in lines
    assert any(
        line.startswith("sessions.csv:11: contact_method: 'zoom' is not one of") for line in lines
    )
    assert any(
        line.startswith("sessions.csv:11: chosen_by_young_person: 'maybe'") for line in lines
    )


def test_a_zip_imports_like_a_folder(tmp_path, staffed):
    import zipfile

    path = tmp_path / "records.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in VALID.items():
            archive.writestr(f"records/{name}", text)
    output = run(path, user=staffed)
    assert "cases.csv: 5 rows: 5 new" in output
    assert Case.objects.filter(import_ref__isnull=False).count() == 5


def test_only_an_active_programme_administrator_can_be_named_as_the_importer(tmp_path, admin):
    from tests.factories import SpokeFactory, make_worker

    worker = make_worker(SpokeFactory())
    with pytest.raises(CommandError, match="not an active programme administrator"):
        run(write(tmp_path / "in", VALID), user=worker)


def test_without_a_user_the_history_has_no_actor_but_a_reason(tmp_path, staffed):
    run(write(tmp_path / "in", VALID))
    record = Case.history.first()
    assert record.history_user is None
    assert record.history_change_reason == "Imported from spreadsheet"
