"""Personas (CONVENTIONS.md) and sign-in helpers shared by every test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import (
    FunderFactory,
    HubFactory,
    SpokeFactory,
    give_totp,
    local_authority,
    make_admin,
    make_funder_user,
    make_manager,
    make_worker,
)
from tests.truncate_guard import let_the_test_flush_truncate

let_the_test_flush_truncate()

PERSONAS = [
    "allocated_worker",
    "same_spoke_worker",
    "other_hub_worker",
    "hub_manager",
    "other_hub_manager",
    "funder",
    "programme_admin",
    "anonymous",
]


@dataclass
class World:
    """Two hubs of one funder-funded programme and one person of each persona."""

    funder_org: object
    hub: object
    other_hub: object
    spoke: object
    other_spoke: object
    users: dict
    case: object = None
    session: object = None
    assessment: object = None
    transfer: object = None
    other_case: object = None
    referral: object = None
    training: object = None
    groupwork: object = None
    consultation: object = None
    _funder_return: object = None
    _import_job: object = None

    def user(self, persona: str):
        return self.users.get(persona)

    @property
    def funder_return(self):
        """The funder's 2026Q1 return, made on first use (rendering files takes a moment)."""
        if self._funder_return is None:
            from reporting.models import ReturnKind
            from reporting.returns import Subject, generate

            self._funder_return, _ = generate(
                Subject(ReturnKind.FUNDER, funder=self.funder_org), "2026Q1"
            )
        return self._funder_return

    @property
    def import_job(self):
        """The home hub manager's import, checked and found to have one problem."""
        if self._import_job is None:
            from imports.models import ImportJob, ImportStatus

            self._import_job = ImportJob.objects.create(
                created_by=self.user("hub_manager"),
                status=ImportStatus.PROBLEMS,
                file_names="sessions.csv",
                size=100,
                check_report={
                    "dry_run": True,
                    "ok": False,
                    "counts": {},
                    "problem_count": 1,
                    "problems": [["sessions.csv", 2, "date", "2099-01-01 is in the future."]],
                    "stopped_early": False,
                    "invited": 0,
                },
            )
        return self._import_job


@pytest.fixture
def world(db) -> World:
    funder_org = FunderFactory(name="Test Trust")
    hub = HubFactory(name="Home Hub")
    other_hub = HubFactory(name="Other Hub")
    funder_org.hubs.add(hub)
    spoke = SpokeFactory(hub=hub, local_authority=local_authority("E08000025"))
    other_spoke = SpokeFactory(hub=other_hub, local_authority=local_authority("E06000023"))
    users = {
        "allocated_worker": make_worker(spoke, full_name="Alex Allocated"),
        "same_spoke_worker": make_worker(spoke, full_name="Sam Samespoke"),
        "other_hub_worker": make_worker(other_spoke, full_name="Olly Otherhub"),
        "hub_manager": make_manager(hub, full_name="Hana Manager"),
        "other_hub_manager": make_manager(other_hub, full_name="Omar Othermanager"),
        "funder": make_funder_user(funder_org, full_name="Fran Funder"),
        "programme_admin": make_admin(full_name="Pat Admin"),
        "anonymous": None,
    }
    world = World(funder_org, hub, other_hub, spoke, other_spoke, users)
    add_cases(world)
    return world


def add_cases(world: World) -> None:
    """One case at the home hub (allocated), one at the other hub, a session, an assessment,
    and a pending transfer of the home case to the other hub."""
    from datetime import date

    from casework import services

    manager = world.user("hub_manager")
    world.case = services.case_open(
        actor=manager,
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=date(2026, 1, 5),
        person_data={
            "first_name": "Jade",
            "last_name": "Testperson",
            "preferred_name": "Jay",
            "date_of_birth": date(2010, 3, 1),
        },
    )
    world.other_case = services.case_open(
        actor=world.user("other_hub_manager"),
        spoke=world.other_spoke,
        worker=world.user("other_hub_worker"),
        opened_on=date(2026, 2, 1),
        person_data={"first_name": "Kai", "last_name": "Otherhub"},
    )
    world.session = services.session_log(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={
            "date": date(2026, 1, 12),
            "contact_method": "face_to_face",
            "attendance": "attended",
            "venue_type": "cafe_or_fast_food",
            "young_person_chose": True,
            "duration_minutes": 60,
            "themes": ["relationships"],
            "notes": "Met for hot chocolate.",
            "young_person_words": "I want to feel safe at home.",
        },
    )
    world.assessment = services.assessment_record(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={
            "kind": "initial",
            "assessed_on": date(2026, 1, 12),
            "indicators": ["missing_repeat", "out_late"],
            "young_person_view": "I'm fine.",
        },
    )
    world.transfer = services.transfer_request(
        actor=manager, case=world.case, to_spoke=world.other_spoke, reason="Moving to Bristol"
    )
    from referrals.services import referral_record
    from training.models import Consultation, Groupwork
    from training.services import activity_save, training_save

    worker = world.user("allocated_worker")
    world.training = training_save(
        actor=worker,
        spoke=world.spoke,
        data={"date": date(2026, 2, 10), "title": "Spotting exploitation", "kind": "training"},
        attendance={"social_worker": 12, "police": 3},
    )
    world.groupwork = activity_save(
        actor=worker,
        model=Groupwork,
        spoke=world.spoke,
        data={
            "date": date(2026, 2, 11),
            "setting": "school",
            "title": "Healthy relationships",
            "young_people": 28,
            "age_band": "14_16",
        },
    )
    world.consultation = activity_save(
        actor=worker,
        model=Consultation,
        spoke=world.spoke,
        data={
            "date": date(2026, 2, 12),
            "professional_role": "education",
            "agency": "A school",
            "minutes": 40,
            "topic": "Worried about a pupil's older friends",
        },
    )
    world.referral = referral_record(
        actor=manager,
        hub=world.hub,
        data={
            "received_on": date(2026, 3, 2),
            "source": "school",
            "first_name": "Jayde",
            "age": 15,
            "concerns": "Seen getting into cars after school.",
        },
    )


def sign_in_fully(client: Client, user) -> Client:
    """Sign `user` in with password and second factor, as the real flow leaves the session."""
    device = give_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.post = _sends_form_token(client.post, user)
    return client


def _sends_form_token(post, user):
    """Like a browser sending a form it was shown, each POST carries a new one-time form token
    for `user` (alexi/submissions) unless the test gives one (an empty one: none at all)."""
    from alexi.submissions.once import FIELD, issue

    def post_with_token(path, data=None, *args, **kwargs):
        if data is None:
            data = {}
        if isinstance(data, dict) and FIELD not in data:
            data = {**data, FIELD: issue(user)}
        return post(path, data, *args, **kwargs)

    return post_with_token


@pytest.fixture
def client_for(world):
    """client_for("hub_manager") -> a Client signed in as that persona (anonymous: not)."""

    def make(persona: str) -> Client:
        client = Client()
        user = world.user(persona)
        if user is not None:
            sign_in_fully(client, user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    """Argon2 is the real hasher (tested on its own); most tests need speed, not strength."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
