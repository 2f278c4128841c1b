"""The broken-file corpus: each gets its clear message, and nothing at all is written."""

from __future__ import annotations

import io
from datetime import date

import pytest

from alexi import access
from alexi.models import Hub, Spoke, User
from casework.models import Case, CaseSession, YoungPerson
from imports import importer, reader
from tests.factories import local_authority, make_admin
from tests.imports.corpus import CORPUS, ZIP_CORPUS, flood
from tests.imports.folder import (
    VALID,
    confirm_requested_grants,
    import_staff_and_confirm,
    scope_of,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tmp_path):
    """The importing administrator, after the folder's structure and staff were imported and
    the hub confirmed its new people (so cases may be allocated to them)."""
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin)
    return admin


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
    kwargs.setdefault("hub_scope", scope_of(kwargs.get("actor")))
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
    report = importer.run(files, actor=admin, hub_scope=scope_of(admin), problems=problems)
    assert any(str(p).startswith(expected) for p in report.problems), report.problems
    assert written() == before


def test_a_50_mb_file_is_read_to_its_end_and_stops_at_the_problem_limit(
    tmp_path, admin, monkeypatch
):
    monkeypatch.setattr(reader, "MAX_PROBLEMS", 1_000)
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
    confirm_requested_grants()
    mia = User.objects.get(email="mia@import.test")
    assert mia.role == Role.HUB_MANAGER
    scope = access.import_hub_refs(mia)
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
    # Another hub's case is answered exactly as one that does not exist.
    assert "sessions.csv:3: case_ref: there is no case C5 (at the hubs you manage)." in messages
    assert written() == before
    del files["spokes.csv"]
    files["sessions.csv"] = HEADER_SESSIONS + "C1,2026-07-11,ana@import.test,30,phone,,,attended,\n"
    report = check(write(tmp_path / "mia2", files), actor=mia, hub_scope=scope)
    assert report.ok and report.counts["sessions.csv"].new == 1


@pytest.fixture
def alpha(tmp_path, admin):
    """The valid folder imported by the administrator; Mia manages hub HA only."""
    report = check(write(tmp_path / "all", VALID), actor=admin)
    assert report.ok, report.problems
    confirm_requested_grants()
    mia = User.objects.get(email="mia@import.test")
    return mia, access.import_hub_refs(mia)


def problems_for(tmp_path, name, files, actor, scope=None) -> list[str]:
    report = check(write(tmp_path / name, files), actor=actor, hub_scope=scope)
    return [str(p) for p in report.problems]


CASES_HEADER = VALID["cases.csv"].splitlines()[0] + "\n"
REFERRALS_HEADER = VALID["referrals.csv"].splitlines()[0] + "\n"


def test_a_manager_cannot_reach_or_reveal_another_hubs_young_person(tmp_path, alpha):
    mia, scope = alpha
    before = written()
    # P4 is Beta's young person (Kit). References belong to the hub, so at Alpha P4 names
    # another young person: Mia's import neither reaches Kit nor learns that P4 is in use.
    files = {
        "cases.csv": CASES_HEADER + "C9,P4,Changed,ByMia,,,,,,SA1,ana@import.test,2026-08-01,,,\n",
        "referrals.csv": REFERRALS_HEADER + "R9,HA,2026-08-01,school,,P4,waiting,,,\n",
        "sessions.csv": HEADER_SESSIONS + "C1,2026-07-11,ana@import.test,,phone,,,attended,\n",
    }
    report = check(write(tmp_path / "p4", files), actor=mia, hub_scope=scope, dry_run=True)
    assert report.ok, report.problems
    assert report.counts["cases.csv"].note == "young people: 1 new, 0 changed"
    text = "\n".join(report.lines())
    assert "cannot change" not in text and "HB" not in text and "Kit" not in text, text
    # A referral names a young person at its own hub only: with no case for P4 at Alpha in
    # the file, P4 is answered just as someone who does not exist at all.
    del files["cases.csv"]
    assert problems_for(tmp_path, "p4r", files, mia, scope) == [
        "referrals.csv:2: person_ref: there is no young person P4 at hub HA (in cases.csv or "
        "Alexi)."
    ]
    files["referrals.csv"] = REFERRALS_HEADER + "R9,HA,2026-08-01,school,,P404,waiting,,,\n"
    assert problems_for(tmp_path, "p404", files, mia, scope) == [
        "referrals.csv:2: person_ref: there is no young person P404 at hub HA (in cases.csv or "
        "Alexi)."
    ]
    assert written() == before
    assert YoungPerson.objects.get(import_refs__ref="P4").first_name == "Kit"


def test_a_manager_learns_nothing_about_other_hubs_staff_cases_or_referrals(tmp_path, alpha):
    mia, scope = alpha
    files = {
        "sessions.csv": HEADER_SESSIONS
        + "C1,2026-07-11,cal@import.test,30,phone,,,attended,\n"
        + "C1,2026-07-12,nobody@import.test,30,phone,,,attended,\n"
        + "C5,2026-07-11,ana@import.test,30,phone,,,attended,\n",
        "referrals.csv": REFERRALS_HEADER + "R4,HA,2026-06-20,health,,,waiting,,,\n",
    }
    messages = problems_for(tmp_path, "m", files, mia, scope)
    # R4 is Beta's referral: at Alpha, R4 is simply a new referral (nothing on its line).
    assert not any(m.startswith("referrals.csv") for m in messages), messages
    assert not any("cannot change" in m for m in messages), messages
    assert (
        "sessions.csv:2: worker_email: cal@import.test is not a worker or manager at the hubs "
        "you manage." in messages
    )
    assert (
        "sessions.csv:3: worker_email: nobody@import.test is not a worker or manager at the "
        "hubs you manage." in messages
    )
    assert "sessions.csv:4: case_ref: there is no case C5 (at the hubs you manage)." in messages
    assert not any("SB1" in m or "HB" in m for m in messages), messages


def test_a_closed_case_is_not_reallocated_by_import(tmp_path, admin, alpha):
    files = {
        **VALID,
        "cases.csv": VALID["cases.csv"]
        .replace("2026-01-10,2026-08-15,goals_met", "2026-01-10,2026-08-15,goals_met")
        .replace(
            "C2,P2,Lee,Sample,2009-01-01,male,,,E08000025,SA1,ana@",
            "C2,P2,Lee,Sample,2009-01-01,male,,,E08000025,SA1,ben@",
        ),
    }
    messages = problems_for(tmp_path, "re", files, admin)
    assert (
        "cases.csv:3: worker_email: case C2 is closed, so it stays with ana@import.test: a "
        "closed case is not reallocated." in messages
    )


def test_a_session_that_would_take_another_ones_place_is_refused(tmp_path, admin, alpha):
    # Only the second of C1's sessions on 10 July: it would match the first, which was a
    # different session; the import says so instead of overwriting it.
    files = {
        "sessions.csv": HEADER_SESSIONS + "C1,2026-07-03,ben@import.test,30,phone,,,attended,\n"
    }
    messages = problems_for(tmp_path, "s", files, admin)
    assert messages == [
        "sessions.csv:2: worker_email: this row takes the place of session 1 of case C1 on "
        "2026-07-03, imported before with ana@import.test. Rows are matched by case, date and "
        "order within the day: keep each day's rows, in the same order (to correct a "
        "session's worker, change it in Alexi)."
    ]
    assert CaseSession.objects.get(case__import_ref="C1", date="2026-07-03").worker.email == (
        "ana@import.test"
    )


def test_a_worker_with_open_cases_is_not_moved_to_another_spoke(tmp_path, admin, alpha):
    staff = VALID["staff.csv"].replace(
        "ana@import.test,Ana Worker,spoke_worker,,SA1",
        "ana@import.test,Ana Worker,spoke_worker,,SB1",
    )
    messages = problems_for(tmp_path, "mv", {"staff.csv": staff}, admin)
    assert (
        "staff.csv:2: spoke_ref: ana@import.test holds 1 open case at spoke SA1; reallocate "
        "them before moving the worker to SB1." in messages
    )


def test_young_peoples_changes_are_counted(tmp_path, admin, alpha):
    cases = VALID["cases.csv"].replace("C1,P1,Jo,", "C1,P1,Joanna,")
    report = check(write(tmp_path / "yp", {"cases.csv": cases}), actor=admin)
    assert report.ok
    assert report.counts["cases.csv"].note == "young people: 0 new, 1 changed"


def test_training_titles_that_share_a_long_start_stay_separate_events(tmp_path, admin, alpha):
    long = "A" * 190
    training = (
        VALID["training.csv"].splitlines()[0]
        + f"\nSA1,2026-09-02,{long} one,training,police,3"
        + f"\nSA1,2026-09-02,{long} two,training,police,4\n"
    )
    report = check(write(tmp_path / "t", {"training.csv": training}), actor=admin)
    assert report.ok and report.counts["training.csv"].new == 2


def test_reading_stops_at_the_problem_limit_even_inside_one_file(tmp_path, admin, monkeypatch):
    monkeypatch.setattr(reader, "MAX_PROBLEMS", 500)
    folder = write(
        tmp_path / "many",
        {"groupwork.csv": b"spoke_ref,date,setting,title,young_people\n" + b"\xff\n" * 100_000},
    )
    report = check(folder, actor=admin)
    assert report.stopped_early and len(report.problems) == 500


def test_a_row_running_over_a_thousand_lines_stops_the_file(tmp_path, admin):
    text = (
        "spoke_ref,date,setting,title,young_people\n"
        + 'SA1,2026-07-01,school,"never closed\n'
        + "x\n" * 2_000
    )
    report = check(write(tmp_path / "q", {"groupwork.csv": text}), actor=admin)
    assert [str(p) for p in report.problems] == [
        "groupwork.csv:2: line: the row starting here runs over 1,000 lines or 2 MB: a quote "
        "is probably missing. The rest of the file was not read."
    ]


def test_a_row_of_a_million_empty_cells_is_stopped_before_it_fills_memory(tmp_path, admin):
    """Lines of bare commas between quoted line breaks would make a billion cells."""
    line = '"' + "," * 999_000 + '"\n'  # closes a quote, a million cells, opens another
    text = "spoke_ref,date,setting,title,young_people\n" + 'a,b,c,d,"\n' + line * 5 + '"\n'
    report = check(write(tmp_path / "c", {"groupwork.csv": text}), actor=admin)
    assert "the row starting here runs over 1,000 lines or 2 MB" in str(report.problems[0])


def test_damaged_zips_are_reported_not_crashed_on(admin):
    import zipfile

    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("groupwork.csv", VALID["groupwork.csv"] * 50)
    data = bytearray(good.getvalue())
    data[60:80] = b"\x00" * 20  # damage the compressed bytes
    files, problems = reader.from_zip(io.BytesIO(bytes(data)), "upload.zip")
    report = importer.run(files, actor=admin, hub_scope=scope_of(admin), problems=problems)
    assert report.problems and not report.ok
    assert any("damaged" in str(p) or "not a zip" in str(p) for p in report.problems), (
        report.problems
    )

    dot = io.BytesIO()
    with zipfile.ZipFile(dot, "w") as archive:
        archive.writestr(".", "x")
        archive.writestr("groupwork.csv", VALID["groupwork.csv"])
    files, problems = reader.from_zip(io.BytesIO(dot.getvalue()), "upload.zip")
    assert [f.name for f in files] == ["groupwork.csv"]

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(300):
            archive.writestr(f"{n}.txt", "")
    files, problems = reader.from_zip(io.BytesIO(many.getvalue()), "upload.zip")
    assert files == [] and "holds 300 entries" in str(problems[0])


def test_a_day_with_fewer_sessions_than_imported_before_is_refused(tmp_path, admin, alpha):
    """C1 has two sessions on 10 July (did not attend, then attended with the young person's
    words); a file with only the second would overwrite the first in place."""
    second = "C1,2026-07-10,ana@import.test,20,phone,,no,attended,Words\n"
    messages = problems_for(tmp_path, "d", {"sessions.csv": HEADER_SESSIONS + second}, admin)
    assert messages == [
        "sessions.csv:2: date: case C1 has 2 sessions on 2026-07-10 from an earlier import and "
        "this file has 1. Rows are matched by their order within the day, so include all of "
        "that day's sessions, in the same order."
    ]
    assert CaseSession.objects.filter(case__import_ref="C1", date="2026-07-10").count() == 2


def test_a_manager_may_link_their_own_young_person_known_elsewhere_but_not_change_them(
    tmp_path, admin, alpha
):
    mia, scope = alpha
    # Beta opens a case in Alexi for Jo (Alpha's P1): a referral matched to her, say. (An
    # import does not link young people across hubs: P1 at Beta would be another person.)
    jo = YoungPerson.objects.get(import_refs__hub__ref="HA", import_refs__ref="P1")
    Case.objects.create(
        young_person=jo, spoke=Spoke.objects.get(ref="SB1"), opened_on=date(2026, 8, 1)
    )
    scope = access.import_hub_refs(mia)
    # Mia still updates her own case for Jo; Jo's own details stay as Alexi holds them.
    own = (
        CASES_HEADER
        + "C1,P1,Josephine,Example,2010-05-01,female,,no,,SA1,ben@import.test,2026-07-01,,,\n"
    )
    report = check(write(tmp_path / "own", {"cases.csv": own}), actor=mia, hub_scope=scope)
    assert report.ok, report.problems
    assert Case.objects.get(import_ref="C1").allocated_worker.email == "ben@import.test"
    assert YoungPerson.objects.get(import_refs__ref="P1").first_name == "Jo"
    referral = REFERRALS_HEADER + "R9,HA,2026-08-02,school,,P1,waiting,,,\n"
    assert check(
        write(tmp_path / "ref", {"referrals.csv": referral}), actor=mia, hub_scope=scope
    ).ok


def test_re_importing_activities_as_someone_else_changes_nothing(tmp_path, admin, alpha):
    mia, scope = alpha
    files = {
        "groupwork.csv": VALID["groupwork.csv"].replace(
            "SB1,2026-08-02,community,Staying safe,9\n", ""
        )
    }
    report = check(write(tmp_path / "g", files), actor=mia, hub_scope=scope)
    assert report.ok and report.counts["groupwork.csv"].changed == 0
    from training.models import Groupwork

    assert set(Groupwork.objects.values_list("recorded_by__email", flat=True)) == {
        "ida@import.test"
    }


def test_a_zip_entry_that_cannot_be_unpacked_is_a_problem_not_a_crash(admin):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("groupwork.csv", VALID["groupwork.csv"])
    data = bytearray(buffer.getvalue())
    data[0:4] = b"\x00\x00\x00\x00"  # the entry's local header signature, wiped
    # The central directory is intact, so the zip opens; the entry does not.
    files, problems = reader.from_zip(io.BytesIO(bytes(data)), "upload.zip")
    report = importer.run(files, actor=admin, hub_scope=scope_of(admin), problems=problems)
    assert [str(p) for p in report.problems] == [
        "groupwork.csv:1: file: the file could not be taken out of the zip (it is damaged, or "
        "packed in a way Alexi does not read); zip the files again with ordinary compression."
    ]


def test_rows_that_depend_on_a_file_that_could_not_be_read_are_not_checked(tmp_path, admin):
    """staff.csv's header has an unknown column: that is said once, and each file whose rows
    name staff (or cases, which name staff) says once that it was not checked, instead of a
    problem for every row naming someone from staff.csv."""
    files, _ = CORPUS["unknown column in staff.csv"]
    many = "".join(
        f"C1,2026-07-{day:02d},ana@import.test,30,phone,,,attended,\n" for day in range(4, 31)
    )
    files = {**files, "sessions.csv": files["sessions.csv"] + many * 100}
    report = check(write(tmp_path / "in", files), actor=admin)
    assert [str(p) for p in report.problems] == [
        "staff.csv:1: start: unknown column; staff.csv has the columns email, full_name, role, "
        "hub_refs, spoke_ref, funder_ref, fte, background, qualifications, years_experience.",
        "cases.csv:0: file: not checked, because staff.csv could not be read; its rows refer to "
        "it.",
        "referrals.csv:0: file: not checked, because staff.csv could not be read; its rows "
        "refer to it.",
        "sessions.csv:0: file: not checked, because staff.csv could not be read; its rows refer "
        "to it.",
        "assessments.csv:0: file: not checked, because staff.csv could not be read; its rows "
        "refer to it.",
    ]
    # hubs, funders and spokes were checked (and would be written); so were the activities
    assert {"hubs.csv", "spokes.csv", "groupwork.csv", "consultations.csv"} <= set(report.counts)
    assert "sessions.csv" not in report.counts


def test_the_files_left_unchecked_follow_the_order_of_dependence(tmp_path, admin):
    """An empty hubs.csv leaves every other file unchecked, naming hubs.csv as the reason; a
    broken header of a file left unchecked is still reported."""
    files = {
        **VALID,
        "hubs.csv": "",
        "consultations.csv": VALID["consultations.csv"].replace("minutes\n", "minutes,notes\n"),
    }
    report = check(write(tmp_path / "in", files), actor=admin)
    messages = [str(p) for p in report.problems]
    assert messages[0] == "hubs.csv:1: file: the file is empty; it needs a header row."
    unchecked = [m.split(":")[0] for m in messages if "not checked, because hubs.csv" in m]
    assert unchecked == [name for name in reader.FILES if name != "hubs.csv"]
    assert any(m.startswith("consultations.csv:1: notes: unknown column") for m in messages)
    assert len(messages) == len(reader.FILES) + 1


def test_a_file_read_only_in_part_leaves_its_dependents_unchecked(tmp_path, admin):
    cases = VALID["cases.csv"].replace("C3,P3,Sam", '"C3,P3,Sam' + "\n" * 1_001, 1)
    report = check(write(tmp_path / "in", {**VALID, "cases.csv": cases}), actor=admin)
    messages = [str(p) for p in report.problems]
    assert messages[0].startswith("cases.csv:4: line: the row starting here runs over 1,000")
    assert messages[1:] == [
        f"{name}:0: file: not checked, because cases.csv could not be read; its rows refer to it."
        for name in ("referrals.csv", "sessions.csv", "assessments.csv")
    ]
