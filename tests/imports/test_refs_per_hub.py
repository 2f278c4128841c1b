"""Import references belong to the hub (issue 11 item 20).

The same case_ref, person_ref and referral_ref at two hubs are two hubs' own records: each
hub's manager imports theirs without colliding with, reaching or learning anything about the
other's. Sessions and assessments name their case by case_ref alone, so a case_ref held at two
hubs that an import can see is refused there with a message saying how to go on.
"""

from __future__ import annotations

import pytest

from alexi import access
from alexi.models import User
from casework.models import Case, CaseSession, RiskAssessment, YoungPerson, YoungPersonRef
from imports import importer, reader
from referrals.models import Referral
from tests.factories import local_authority, make_admin
from tests.imports.folder import (
    VALID,
    confirm_requested_grants,
    import_staff_and_confirm,
    scope_of,
    write,
)

pytestmark = pytest.mark.django_db

HEADER = {name: text.splitlines()[0] + "\n" for name, text in VALID.items()}
STAFF = VALID["staff.csv"] + "max@import.test,Max Manager,hub_manager,HB,,,,,,\n"


def check(path, **kwargs) -> importer.Report:
    files, problems = reader.from_folder(path)
    kwargs.setdefault("hub_scope", scope_of(kwargs.get("actor")))
    return importer.run(files, problems=problems, **kwargs)


def text_of(report: importer.Report) -> str:
    """Everything the importing person is shown: the report's lines and its stored form."""
    return "\n".join(report.lines()) + "\n" + repr(report.as_dict())


def hub_files(spoke: str, worker: str, first_name: str, hub: str) -> dict[str, str]:
    """One case C1 for young person P1, from referral R1, with a session and an assessment."""
    return {
        "cases.csv": HEADER["cases.csv"]
        + f"C1,P1,{first_name},Example,2010-05-01,female,,,,{spoke},{worker},2026-07-01,,,\n",
        "referrals.csv": HEADER["referrals.csv"]
        + f"R1,{hub},2026-06-25,school,,P1,accepted,2026-07-01,,C1\n",
        "sessions.csv": HEADER["sessions.csv"]
        + f"C1,2026-07-03,{worker},60,face_to_face,,,attended,\n",
        "assessments.csv": HEADER["assessments.csv"] + f"C1,2026-07-01,initial,medium,{worker},\n",
    }


ALPHA = hub_files("SA1", "ana@import.test", "Jo", "HA")
BETA = hub_files("SB1", "cal@import.test", "Bea", "HB")


@pytest.fixture
def managers(tmp_path):
    """The structure and staff (Mia manages HA, Max manages HB), confirmed; no casework."""
    local_authority("E08000025")
    admin = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", admin, files={**VALID, "staff.csv": STAFF})
    mia = User.objects.get(email="mia@import.test")
    max_ = User.objects.get(email="max@import.test")
    assert access.import_hub_refs(mia) == {"HA"}
    assert access.import_hub_refs(max_) == {"HB"}
    return admin, mia, max_


def as_manager(tmp_path, name, files, manager, **kwargs) -> importer.Report:
    return check(
        write(tmp_path / name, files),
        actor=manager,
        hub_scope=access.import_hub_refs(manager),
        **kwargs,
    )


def test_the_same_refs_at_two_hubs_are_each_hubs_own_records(tmp_path, managers):
    _admin, mia, max_ = managers
    alpha = as_manager(tmp_path, "alpha", ALPHA, mia)
    assert alpha.ok, alpha.problems
    before = (Case.objects.count(), Referral.objects.count(), CaseSession.objects.count())
    # Beta's manager, with the very same refs: a dry run counts new records, exactly...
    dry = as_manager(tmp_path, "beta-dry", BETA, max_, dry_run=True)
    assert dry.ok, dry.problems
    assert (Case.objects.count(), Referral.objects.count(), CaseSession.objects.count()) == before
    beta = as_manager(tmp_path, "beta", BETA, max_)
    assert beta.ok, beta.problems
    for report in (dry, beta):
        for name in ("cases.csv", "referrals.csv", "sessions.csv", "assessments.csv"):
            counts = report.counts[name]
            assert (counts.new, counts.changed) == (1, 0), (name, counts)
        assert report.counts["cases.csv"].note == "young people: 1 new, 0 changed"
        # ...and nothing of Alpha's shows: no collision, no hint that the refs are in use.
        shown = text_of(report)
        for trace in ("cannot change", "already", "HA", "SA1", "Alpha", "Jo", "ana@", "mia@"):
            assert trace not in shown, (trace, shown)

    jo = YoungPerson.objects.get(import_refs__hub__ref="HA", import_refs__ref="P1")
    bea = YoungPerson.objects.get(import_refs__hub__ref="HB", import_refs__ref="P1")
    assert jo != bea and (jo.first_name, bea.first_name) == ("Jo", "Bea")
    alpha_case = Case.objects.get(hub__ref="HA", import_ref="C1")
    beta_case = Case.objects.get(hub__ref="HB", import_ref="C1")
    assert (alpha_case.young_person, beta_case.young_person) == (jo, bea)
    assert alpha_case.allocated_worker.email == "ana@import.test"
    assert beta_case.allocated_worker.email == "cal@import.test"
    assert Referral.objects.get(hub__ref="HA", import_ref="R1").case == alpha_case
    assert Referral.objects.get(hub__ref="HB", import_ref="R1").case == beta_case
    assert Referral.objects.get(hub__ref="HB", import_ref="R1").young_person == bea
    assert [s.worker.email for s in alpha_case.sessions.all()] == ["ana@import.test"]
    assert [s.worker.email for s in beta_case.sessions.all()] == ["cal@import.test"]
    assert RiskAssessment.objects.filter(case=beta_case).count() == 1
    # Each new record has its history row with the importing manager.
    assert beta_case.history.get().history_user == max_
    assert YoungPersonRef.history.filter(hub__ref="HB").get().history_user == max_

    # Importing either folder again changes nothing, anywhere.
    history = (
        Case.history.count(),
        YoungPerson.history.count(),
        YoungPersonRef.history.count(),
        Referral.history.count(),
        CaseSession.history.count(),
        RiskAssessment.history.count(),
    )
    for name, files, manager in (("alpha2", ALPHA, mia), ("beta2", BETA, max_)):
        again = as_manager(tmp_path, name, files, manager)
        assert again.ok, again.problems
        for counts in again.counts.values():
            assert (counts.new, counts.changed) == (0, 0), counts
    assert (
        Case.history.count(),
        YoungPerson.history.count(),
        YoungPersonRef.history.count(),
        Referral.history.count(),
        CaseSession.history.count(),
        RiskAssessment.history.count(),
    ) == history
    jo.refresh_from_db()
    assert jo.first_name == "Jo"


def test_a_case_ref_at_two_hubs_is_ambiguous_where_rows_name_it_alone(tmp_path, managers):
    admin, mia, _max = managers
    cases = ALPHA["cases.csv"] + BETA["cases.csv"].splitlines()[1] + "\n"
    both = {"cases.csv": cases, "sessions.csv": ALPHA["sessions.csv"]}
    counts = lambda: (  # noqa: E731
        Case.objects.count(),
        YoungPerson.objects.count(),
        CaseSession.objects.count(),
        Case.history.count(),
    )
    before = counts()
    report = check(write(tmp_path / "both", both), actor=admin)
    expected = (
        "sessions.csv:2: case_ref: there is a case C1 at hubs HA and HB, and sessions.csv "
        "names a case by case_ref alone, so this row could belong to either. Give the cases "
        "different case_refs at each hub, or import this row as a manager of only the case's "
        "hub (an import sees only the hubs of the person who runs it)."
    )
    assert [str(p) for p in report.problems] == [expected]
    assert counts() == before  # all or nothing: not even the cases

    # The cases alone are fine (a case_ref need only be unique within its hub)...
    report = check(write(tmp_path / "cases", {"cases.csv": cases}), actor=admin)
    assert report.ok, report.problems
    assert report.counts["cases.csv"].new == 2
    # P1 at each hub is that hub's own young person: two people, not one.
    assert report.counts["cases.csv"].note == "young people: 2 new, 0 changed"
    assert set(Case.objects.filter(import_ref="C1").values_list("hub__ref", flat=True)) == {
        "HA",
        "HB",
    }
    # ...but a session or assessment naming C1 is refused, and nothing is written.
    before = counts()
    for name in ("sessions.csv", "assessments.csv"):
        report = check(write(tmp_path / name, {name: ALPHA[name]}), actor=admin)
        assert [str(p) for p in report.problems] == [expected.replace("sessions.csv", name)]
    assert counts() == before
    # The hub's manager sees only their own hub's C1, so their import is not ambiguous.
    report = as_manager(tmp_path, "mia", {"sessions.csv": ALPHA["sessions.csv"]}, mia)
    assert report.ok, report.problems
    assert CaseSession.objects.get().case.hub.ref == "HA"


def test_a_manager_of_two_hubs_is_told_only_of_their_own_hubs(tmp_path, managers):
    admin, _mia, max_ = managers
    # A third hub, HC, that Max does not manage; Max now manages HA as well as HB.
    structure = {
        "hubs.csv": HEADER["hubs.csv"] + "HC,Gamma Hub (fictional),E08000025\n",
        "spokes.csv": HEADER["spokes.csv"]
        + "SC1,HC,E08000025,Gamma host (fictional),outreach,2021-04-01,\n",
        "staff.csv": HEADER["staff.csv"] + "max@import.test,Max Manager,hub_manager,HA;HB,,,,,,\n",
    }
    # (Another administrator asks, so that Mia, whom Ida invited, may confirm for HA.)
    other = make_admin(full_name="Ola Other", email="ola@import.test")
    report = check(write(tmp_path / "structure", structure), actor=other)
    assert report.ok, report.problems
    confirm_requested_grants()
    max_ = User.objects.get(pk=max_.pk)
    assert access.import_hub_refs(max_) == {"HA", "HB"}
    # C1 at all three hubs.
    cases = (
        ALPHA["cases.csv"]
        + BETA["cases.csv"].splitlines()[1]
        + "\nC1,P1,Cy,Example,2010-05-01,female,,,,SC1,,2026-07-01,,,\n"
    )
    report = check(write(tmp_path / "cases", {"cases.csv": cases}), actor=admin)
    assert report.ok, report.problems
    assert Case.objects.filter(import_ref="C1").count() == 3
    report = as_manager(tmp_path, "max", {"sessions.csv": BETA["sessions.csv"]}, max_)
    # Max is told of the two hubs he manages, never of HC.
    assert [str(p) for p in report.problems] == [
        "sessions.csv:2: case_ref: there is a case C1 at hubs HA and HB, and sessions.csv "
        "names a case by case_ref alone, so this row could belong to either. Give the cases "
        "different case_refs at each hub, or import this row as a manager of only the case's "
        "hub (an import sees only the hubs of the person who runs it)."
    ]
    assert "HC" not in text_of(report) and "Gamma" not in text_of(report)
