"""An administrator's import cannot give anyone a spoke's child records (issue 11, item 16):
a new worker, or a worker who moves, is only asked for, as on the People page, and a case may
be allocated only to a worker the hub has confirmed."""

from __future__ import annotations

import pytest
from django.core import mail

from alexi.grants import grant_confirm
from alexi.models import AccessAction, AccessGrant, AccessLog, GrantStatus, User, WorkerProfile
from casework import access as casework_access
from casework.models import Allocation, Case
from imports import importer, reader
from tests.factories import local_authority, make_admin
from tests.imports.folder import VALID, import_staff_and_confirm, scope_of, write

pytestmark = pytest.mark.django_db

STAFF_HEADER = VALID["staff.csv"].splitlines()[0] + "\n"
CASES_HEADER = VALID["cases.csv"].splitlines()[0] + "\n"
ALT = "eve.alt@import.test"
SELF_AS_WORKER = STAFF_HEADER + f"{ALT},Eve Again,spoke_worker,,SA1,,1.00,,,\n"
# C1 is Jo's open case at SA1, allocated to Ana; the row gives it to Eve's other address.
C1_TO_ALT = CASES_HEADER + (
    f"C1,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,{ALT},2026-07-01,,,\n"
)
WAITING = (
    f"cases.csv:2: worker_email: {ALT} is waiting for the hub to confirm their access to spoke "
    "SA1; import the cases after it is confirmed"
)


def run(path, actor) -> importer.Report:
    files, problems = reader.from_folder(path)
    return importer.run(files, actor=actor, hub_scope=scope_of(actor), problems=problems)


@pytest.fixture
def hub_with_cases(tmp_path):
    """Alpha and Beta imported by Ida and confirmed (Mia manages Alpha); Eve is another
    programme administrator, who tries to reach Alpha's children."""
    local_authority("E08000025")
    ida = make_admin(full_name="Ida Importer", email="ida@import.test")
    import_staff_and_confirm(tmp_path / "staff", ida)
    report = run(write(tmp_path / "all", VALID), ida)
    assert report.ok, report.problems
    eve = make_admin(full_name="Eve Administrator", email="eve@import.test")
    mia = User.objects.get(email="mia@import.test")
    for user in (eve, mia):
        user.is_verified = lambda: True  # as if signed in with the second factor
    return eve, mia


def snapshot() -> tuple:
    return (
        User.objects.count(),
        AccessGrant.objects.count(),
        AccessLog.objects.count(),
        WorkerProfile.objects.count(),
        list(Allocation.objects.order_by("pk").values_list("worker_id", "ended_at")),
        list(Case.objects.order_by("pk").values_list("allocated_worker_id", flat=True)),
    )


def test_an_administrator_cannot_import_themselves_as_a_worker_and_take_a_case(
    tmp_path, hub_with_cases, django_capture_on_commit_callbacks
):
    eve, mia = hub_with_cases
    before = snapshot()
    files = {"staff.csv": SELF_AS_WORKER, "cases.csv": C1_TO_ALT}
    report = run(write(tmp_path / "attack", files), eve)
    messages = [str(problem) for problem in report.problems]
    assert any(m.startswith(WAITING) for m in messages), messages
    assert snapshot() == before  # nothing at all written: no account, request or allocation

    # The staff row alone is only a request: logged, and Alpha's manager is told.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = run(write(tmp_path / "staff2", {"staff.csv": SELF_AS_WORKER}), eve)
    assert report.ok, report.problems
    assert report.requested == 1
    alt = User.objects.get(email=ALT)
    grant = AccessGrant.objects.get(user=alt)
    assert (grant.status, grant.spoke.ref, grant.requested_by) == (GrantStatus.PENDING, "SA1", eve)
    assert not WorkerProfile.objects.filter(user=alt).exists()
    log = AccessLog.objects.get(action=AccessAction.GRANT_REQUESTED, object_id=str(grant.pk))
    assert (log.user, log.user_label, log.object_type) == (eve, eve.email, "accessgrant")
    told = [m for m in mail.outbox if m.to == [mia.email]]
    assert len(told) == 1 and "asked for" in told[0].subject
    assert ALT in told[0].body and "Jo" not in told[0].body

    # The case still cannot be given to the waiting address.
    before = snapshot()
    report = run(write(tmp_path / "cases2", {"cases.csv": C1_TO_ALT}), eve)
    assert [str(p) for p in report.problems][0].startswith(WAITING), report.problems
    assert snapshot() == before
    alt.is_verified = lambda: True
    assert not casework_access.cases_for(alt).exists()

    # Once Alpha's manager confirms, the same cases import is accepted.
    grant_confirm(actor=mia, grant_id=grant.pk)
    assert AccessLog.objects.filter(
        action=AccessAction.GRANT_CONFIRMED, object_id=str(grant.pk), user=mia
    ).exists()
    report = run(write(tmp_path / "cases3", {"cases.csv": C1_TO_ALT}), eve)
    assert report.ok, report.problems
    assert Case.objects.get(import_ref="C1").allocated_worker == alt


def test_a_worker_moved_by_import_stays_where_they_are_until_the_new_hub_confirms(
    tmp_path, hub_with_cases
):
    eve, _mia = hub_with_cases
    # Cal (Beta, SB1) has only a closed case, so may move to Alpha's SA1: asked for, not done.
    staff = STAFF_HEADER + "cal@import.test,Cal Worker,spoke_worker,,SA1,,0.8,,,\n"
    report = run(write(tmp_path / "mv", {"staff.csv": staff}), eve)
    assert report.ok, report.problems
    cal = User.objects.get(email="cal@import.test")
    profile = WorkerProfile.objects.get(user=cal)
    assert profile.spoke.ref == "SB1" and str(profile.fte) == "0.80"
    grant = AccessGrant.objects.get(user=cal, status=GrantStatus.PENDING)
    assert grant.spoke.ref == "SA1"
    # Importing the same row again asks for nothing more.
    report = run(write(tmp_path / "mv2", {"staff.csv": staff}), eve)
    assert report.ok and report.requested == 0
    assert AccessGrant.objects.filter(user=cal, status=GrantStatus.PENDING).count() == 1


def test_a_worker_cannot_be_imported_into_a_spoke_that_has_ended(tmp_path, hub_with_cases):
    eve, _mia = hub_with_cases
    spokes = VALID["spokes.csv"].replace("2020-04-01,\n", "2020-04-01,2024-03-31\n")
    files = {"spokes.csv": spokes, "staff.csv": SELF_AS_WORKER}
    before = snapshot()
    report = run(write(tmp_path / "ended", files), eve)
    assert "staff.csv:2: spoke_ref: spoke SA1 has ended; no one can join it now." in [
        str(p) for p in report.problems
    ]
    assert snapshot() == before
