# ruff: noqa: E501  (CSV header rows are as long as IMPORT.md makes them)
"""A small, fully fictional import folder whose figures are counted by hand in the tests.

Hub HA (Alpha, Birmingham) has one spoke SA1 with workers Ana and Ben and manager Mia; hub HB
(Beta, Bristol) has spoke SB1 with worker Cal. Funder FA funds both.
"""

from __future__ import annotations

from pathlib import Path

VALID = {
    "hubs.csv": """hub_ref,name,home_la
HA,Alpha Hub (fictional),E08000025
HB,Beta Hub (fictional),City of Bristol
""",
    "funders.csv": """funder_ref,name,funded_hub_refs
FA,Alpha Trust (fictional),HA;HB
""",
    "spokes.csv": """spoke_ref,hub_ref,la,host_agency,model,start_date,end_date
SA1,HA,E08000025,Birmingham host (fictional),co-located,2020-04-01,
SB1,HB,E06000023,Bristol host (fictional),outreach,2021-04-01,
""",
    "staff.csv": """email,full_name,role,hub_refs,spoke_ref,funder_ref,fte,background,qualifications,years_experience
ana@import.test,Ana Worker,spoke_worker,,SA1,,1.00,Social work,,5
ben@import.test,Ben Worker,spoke_worker,,SA1,,0.5,Youth work,,2
cal@import.test,Cal Worker,spoke_worker,,SB1,,,,,
mia@import.test,Mia Manager,hub_manager,HA,,,,,,
fay@import.test,Fay Funder,funder,,,FA,,,,
""",
    "cases.csv": """case_ref,person_ref,first_name,last_name,date_of_birth,gender,ethnicity,disability,la,spoke_ref,worker_email,opened_on,closed_on,closure_reason,no_reduction_reason
C1,P1,Jo,Example,2010-05-01,female,,no,E08000025,SA1,ana@import.test,2026-07-01,,,
C2,P2,Lee,Sample,2009-01-01,male,,,E08000025,SA1,ana@import.test,2026-01-10,2026-08-15,goals_met,
C3,P3,Sam,Fakename,2011-02-02,not_known,,yes,,SA1,ben@import.test,2026-03-01,2026-09-30,non_engagement,non_engagement
C4,P2,Lee,Sample,2009-01-01,male,White British,,E08000025,SA1,ben@import.test,2026-09-01,,,
C5,P4,Kit,Madeup,2010-10-10,female,,,E06000023,SB1,cal@import.test,2026-07-01,2026-09-01,moved_away,
""",
    "referrals.csv": """referral_ref,hub_ref,received_on,source,referrer_agency,person_ref,decision,decided_on,decline_reason,case_ref
R1,HA,2026-06-25,school,A school (fictional),P1,accepted,2026-07-01,,C1
R2,HA,2026-07-15,police,,,declined,2026-07-20,Not exploitation; passed to the youth service,
R3,HA,2026-08-01,self,,,waiting,,,
R4,HB,2026-06-20,health,,P4,accepted,2026-07-01,,C5
""",
    "sessions.csv": """case_ref,date,worker_email,duration_minutes,contact_method,venue_type,chosen_by_young_person,attendance,young_person_words
C1,2026-07-03,ana@import.test,60,face_to_face,cafe_or_fast_food,yes,attended,"=HYPERLINK(""http://example.invalid"",""x"")"
C1,2026-07-10,ana@import.test,,phone,,,did_not_attend,
C1,2026-07-10,ana@import.test,20,phone,,no,attended,"I said, ""not yet"".
Then we talked."
C2,2026-02-01,ana@import.test,45,face_to_face,school,no,attended,
C2,2026-08-01,ben@import.test,30,online,,,attended,
C3,2026-09-15,ben@import.test,,face_to_face,home,,declined,
C5,2026-07-05,cal@import.test,50,face_to_face,outdoors,yes,attended,
""",
    "assessments.csv": """case_ref,date,kind,level,assessor_email,young_person_view
C1,2026-07-01,initial,medium,ana@import.test,
C2,2026-01-10,initial,high,ana@import.test,I don't feel safe
C2,2026-08-15,closing,low,ana@import.test,Things feel better now
C3,2026-03-01,initial,medium,ben@import.test,
C3,2026-09-30,closing,medium,ben@import.test,
C5,2026-07-01,initial,low,cal@import.test,
""",
    "groupwork.csv": """spoke_ref,date,setting,title,young_people
SA1,2026-07-20,school,Healthy relationships,30
SA1,2026-07-20,youth_club,Online safety,12
SB1,2026-08-02,community,Staying safe,9
""",
    "training.csv": """spoke_ref,date,title,kind,profession,attendees
SA1,2026-07-22,Spotting exploitation,training,social_worker,10
SA1,2026-07-22,Spotting exploitation,training,police,4
SA1,2026-09-01,Briefing for schools,briefing,education,20
""",
    "consultations.csv": """spoke_ref,date,professional_role,agency,minutes
SA1,2026-08-10,education,A school (fictional),45
SA1,2026-08-11,police,Police (fictional),30
""",
}


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode()
        (folder / name).write_bytes(data)
    return folder


STAFF_FILES = ("hubs.csv", "funders.csv", "spokes.csv", "staff.csv")


def staff_only(files: dict[str, str | bytes] = VALID) -> dict[str, str | bytes]:
    """The files that make the programme's structure and its people, without any casework:
    imported first, so that the hub can confirm who joins it before cases are allocated."""
    return {name: content for name, content in files.items() if name in STAFF_FILES}


def confirm_requested_grants() -> None:
    """An import only asks for hub managers and for workers joining a spoke (alexi.grants). A
    second programme administrator, not the one who imported, confirms every waiting request
    for a hub that has no manager yet; any other waiting request is confirmed by a current
    manager of its hub. Workers first: a manager the importer invited is no second pair of
    eyes for the importer's own requests."""
    from alexi.grants import _current_managements, grant_confirm
    from alexi.models import AccessGrant, GrantKind, GrantStatus
    from tests.factories import make_admin

    second = make_admin(full_name="Second Administrator")
    for kind in (GrantKind.SPOKE_WORKER, GrantKind.HUB_MANAGER):
        for grant in AccessGrant.objects.filter(status=GrantStatus.PENDING, kind=kind):
            management = (
                _current_managements([grant.hub_id])
                .exclude(manager_id__in=[grant.user_id, grant.requested_by_id])
                .select_related("manager")
                .first()
            )
            actor = management.manager if management is not None else second
            actor.is_verified = lambda: True  # as if signed in with the second factor
            grant_confirm(actor=actor, grant_id=grant.pk)


def scope_of(actor):
    """The hub scope the app gives `actor`'s import (imports.scope.hub_refs_for: None, every
    hub, for a programme administrator); None too for the command run without a user."""
    from imports.scope import hub_refs_for

    return None if actor is None else hub_refs_for(actor)


def import_staff_and_confirm(folder: Path, actor, files: dict[str, str | bytes] = VALID) -> None:
    """Import the structure and the staff alone, then confirm every request the import made,
    as the hub does before any case is allocated to its new workers (alexi.grants)."""
    from imports import importer, reader

    found, problems = reader.from_folder(write(folder, staff_only(files)))
    report = importer.run(found, actor=actor, hub_scope=scope_of(actor), problems=problems)
    assert report.ok, report.problems
    confirm_requested_grants()
