"""Every form that creates a record saves once per one-time token (alexi/submissions): sent
again (Back then Save, a double click, a second tab) it answers "already saved" with a link to
what was made; a missing, damaged or someone else's token saves nothing and says why."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from alexi.models import Role, User
from alexi.submissions.models import SpentToken
from alexi.submissions.once import DAMAGED, FIELD, MISSING, NOT_YOURS, issue, read
from casework import services
from casework.models import (
    Case,
    CaseNote,
    CaseSession,
    CaseShare,
    InformationShare,
    MultiAgencyContact,
    RiskAssessment,
)
from imports.models import ImportJob
from referrals.models import Referral
from tests.casework.helpers import assessment_data, session_data
from tests.conftest import sign_in_fully
from training.models import Consultation, Groupwork, TrainingEvent


@dataclass
class CreateForm:
    """A page whose form creates a record: who uses it, where, with what, and how to count."""

    name: str
    persona: str
    url: Callable
    data: Callable
    count: Callable


def _closing_first(world):
    services.assessment_record(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={
            "kind": "closing",
            "assessed_on": date(2026, 3, 1),
            "indicators": ["out_late"],
            "young_person_view": "Better now.",
            "rationale": "No longer going missing.",
        },
    )
    return reverse("casework:closure_request", args=[world.case.pk])


def _another_case(world):
    case = services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=date(2026, 1, 6),
        person_data={"first_name": "Rowan"},
    )
    return reverse("casework:transfer_new", args=[case.pk])


CREATE_FORMS = [
    CreateForm(
        "case_new",
        "hub_manager",
        lambda world: reverse("casework:case_new"),
        lambda world: {
            "first_name": "Robin",
            "gender": "not_known",
            "spoke": world.spoke.pk,
            "worker": world.user("same_spoke_worker").pk,
            "opened_on": "2026-02-01",
        },
        lambda: Case.objects.count(),
    ),
    CreateForm(
        "session_new",
        "allocated_worker",
        lambda world: reverse("casework:session_new", args=[world.case.pk]),
        lambda world: session_data(),
        lambda: CaseSession.objects.count(),
    ),
    CreateForm(
        "assessment_new",
        "allocated_worker",
        lambda world: reverse("casework:assessment_new", args=[world.case.pk]),
        lambda world: assessment_data(indicators=["missing_repeat", "out_late"]),
        lambda: RiskAssessment.objects.count(),
    ),
    CreateForm(
        "information_share_new",
        "allocated_worker",
        lambda world: reverse("casework:information_share_new", args=[world.case.pk]),
        lambda world: {
            "shared_on": "2026-02-01",
            "recipient_agency": "Police",
            "what_shared": "Return home interview summary",
            "lawful_basis": "safeguarding",
            "young_person_informed": "told_agreed",
        },
        lambda: InformationShare.objects.count(),
    ),
    CreateForm(
        "agency_contact_new",
        "allocated_worker",
        lambda world: reverse("casework:agency_contact_new", args=[world.case.pk]),
        lambda world: {
            "contact_on": "2026-02-03",
            "agency": "police",
            "purpose": "exploitation_panel",
            "outcome": "Agreed a disruption plan.",
        },
        lambda: MultiAgencyContact.objects.count(),
    ),
    CreateForm(
        "closure_request",
        "allocated_worker",
        _closing_first,
        lambda world: {"closed_on": "2026-03-02", "closure_reason": "goals_met", "note": ""},
        lambda: Case.history.count(),
    ),
    CreateForm(
        "share_new",
        "allocated_worker",
        lambda world: reverse("casework:share_new", args=[world.case.pk]),
        lambda world: {
            "worker": world.user("same_spoke_worker").pk,
            "reason": "Cover while I am on leave",
            "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
        lambda: CaseShare.objects.filter(kind="share").count(),
    ),
    CreateForm(
        "transfer_new",
        "hub_manager",
        _another_case,
        lambda world: {"to_spoke": world.other_spoke.pk, "reason": "Moving to Bristol"},
        lambda: CaseShare.objects.filter(kind="transfer").count(),
    ),
    CreateForm(
        "break_glass",
        "other_hub_manager",
        lambda world: reverse("casework:break_glass"),
        lambda world: {
            "reference": world.case.reference,
            "justification": "Police report the young person missing in our area tonight.",
        },
        lambda: CaseShare.objects.filter(kind="break_glass").count(),
    ),
    CreateForm(
        "referral_new",
        "hub_manager",
        lambda world: reverse("referrals:referral_new"),
        lambda world: {
            "hub": world.hub.pk,
            "received_on": "2026-03-05",
            "source": "police",
            "urgency": "urgent",
            "first_name": "Mia",
            "age": "14",
            "gender": "female",
            "young_person_aware": "knows_agrees",
            "concerns": "Found in a car with older men.",
        },
        lambda: Referral.objects.count(),
    ),
    CreateForm(
        "training_new",
        "allocated_worker",
        lambda world: reverse("training:training_new"),
        lambda world: {
            "spoke": world.spoke.pk,
            "date": "2026-03-01",
            "title": "CSE awareness",
            "kind": "awareness",
            "attendees_education": "20",
        },
        lambda: TrainingEvent.objects.count(),
    ),
    CreateForm(
        "groupwork_new",
        "allocated_worker",
        lambda world: reverse("training:groupwork_new"),
        lambda world: {
            "spoke": world.spoke.pk,
            "date": "2026-03-01",
            "setting": "school",
            "title": "Assembly",
            "young_people": "120",
            "age_band": "mixed",
        },
        lambda: Groupwork.objects.count(),
    ),
    CreateForm(
        "consultation_new",
        "allocated_worker",
        lambda world: reverse("training:consultation_new"),
        lambda world: {
            "spoke": world.spoke.pk,
            "date": "2026-03-02",
            "professional_role": "police",
            "minutes": "25",
        },
        lambda: Consultation.objects.count(),
    ),
    CreateForm(
        "note_new",
        "allocated_worker",
        lambda world: reverse("casework:note_new", args=[world.case.pk]),
        lambda world: {
            "date": "2026-02-03",
            "kind": "phone_call",
            "with_whom": "Head of year",
            "text": "School says attendance is up.",
        },
        lambda: CaseNote.objects.count(),
    ),
    CreateForm(
        "person_invite",
        "programme_admin",
        lambda world: reverse("alexi:person_invite"),
        lambda world: {
            "full_name": "Fay Funderperson",
            "email": "fay@example.org",
            "role": Role.FUNDER,
            "funder": world.funder_org.pk,
        },
        lambda: User.objects.count(),
    ),
    CreateForm(
        "imports",
        "programme_admin",
        lambda world: reverse("imports:imports"),
        lambda world: {"files": [SimpleUploadedFile("staff.csv", b"email,full_name\n")]},
        lambda: ImportJob.objects.count(),
    ),
]
IDS = [form.name for form in CREATE_FORMS]


def token_on_page(response) -> str:
    """The one-time token the page's form carries."""
    html = response.content.decode()
    marker = f'name="{FIELD}" value="'
    assert marker in html, "the form carries no one-time token"
    return html.split(marker, 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("form", CREATE_FORMS, ids=IDS)
def test_the_same_form_sent_twice_saves_once_and_says_already_saved_with_a_link(
    world, client_for, form
):
    client = client_for(form.persona)
    url = form.url(world)
    token = token_on_page(client.get(url))
    assert read(token, world.user(form.persona))[1] == ""
    before = form.count()

    first = client.post(url, {**form.data(world), FIELD: token})
    assert first.status_code == 302, first.content.decode()[:2000]
    saved = form.count()
    assert saved > before
    again = client.post(url, {**form.data(world), FIELD: token})

    assert form.count() == saved
    assert again.status_code == 200
    page = again.content.decode()
    assert "Already saved" in page and "has not been saved again" in page
    assert f'href="{escape(first["Location"])}">See what was saved' in page
    spent = SpentToken.objects.get()
    assert spent.user == world.user(form.persona) and spent.made_url == first["Location"]


@pytest.mark.parametrize("form", CREATE_FORMS, ids=IDS)
@pytest.mark.parametrize(
    "token_of, message",
    [
        (lambda world, persona: "", MISSING),
        (lambda world, persona: issue(world.user(persona))[:-3] + "abc", DAMAGED),
        (
            lambda world, persona: issue(
                world.user(
                    "same_spoke_worker" if persona != "same_spoke_worker" else "allocated_worker"
                )
            ),
            NOT_YOURS,
        ),  # noqa: E501
    ],
    ids=["missing", "forged", "another person's"],
)
def test_a_form_without_a_usable_token_saves_nothing_and_says_why(
    world, client_for, form, token_of, message
):
    client = client_for(form.persona)
    url = form.url(world)
    before = form.count()

    response = client.post(url, {**form.data(world), FIELD: token_of(world, form.persona)})

    assert response.status_code == 400
    page = response.content.decode()
    assert escape(message) in page
    assert form.count() == before
    assert not SpentToken.objects.exists()
    # The form comes back with a new token of this person's, so pressing the button works.
    fresh = token_on_page(response)
    assert read(fresh, world.user(form.persona))[1] == ""
    assert client.post(url, {**form.data(world), FIELD: fresh}).status_code == 302
    assert form.count() == before + 1


def test_a_form_with_an_error_can_be_sent_again_with_the_same_token(world, client_for):
    client = client_for("allocated_worker")
    url = reverse("casework:session_new", args=[world.case.pk])
    token = token_on_page(client.get(url))
    before = CaseSession.objects.count()

    wrong = client.post(url, session_data(date="2999-01-01", **{FIELD: token}))
    assert wrong.status_code == 400
    assert token_on_page(wrong) == token  # still the same form
    right = client.post(url, session_data(**{FIELD: token}))

    assert right.status_code == 302
    assert CaseSession.objects.count() == before + 1


def test_changing_a_record_needs_no_token(world, client_for):
    url = reverse("casework:session_edit", args=[world.case.pk, world.session.pk])
    client = client_for("allocated_worker")
    assert FIELD not in client.get(url).content.decode()
    response = client.post(url, session_data(version="1", **{FIELD: ""}))
    assert response.status_code == 302


def test_a_referral_its_maker_cannot_open_is_still_saved_once(world, client_for):
    client = client_for("allocated_worker")
    url = reverse("referrals:referral_new")
    token = token_on_page(client.get(url))
    data = {
        "hub": world.hub.pk,
        "received_on": "2026-03-05",
        "source": "school",
        "urgency": "routine",
        "first_name": "Ari",
        "gender": "not_known",
        "young_person_aware": "not_known",
        FIELD: token,
    }
    before = Referral.objects.count()
    first = client.post(url, data)
    assert first["Location"] == reverse("referrals:referral_recorded")
    again = client.post(url, data)
    assert "Already saved" in again.content.decode()
    assert (
        f'href="{reverse("referrals:referral_recorded")}">See what was saved'
        in again.content.decode()
    )
    assert Referral.objects.count() == before + 1


def test_the_hourly_sweep_forgets_tokens_too_old_to_be_sent(world):
    from alexi.tasks import sessions_sweep

    user = world.user("allocated_worker")
    old = SpentToken.objects.create(token="old", user=user, path="/x/")
    SpentToken.objects.filter(pk=old.pk).update(used_at=timezone.now() - timedelta(days=9))
    recent = SpentToken.objects.create(token="recent", user=user, path="/x/")
    sessions_sweep()
    assert list(SpentToken.objects.all()) == [recent]


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_instant_save_once(world, monkeypatch):
    """Two connections post the same token at once: the second waits for the first's
    transaction on the unique token and is answered "already saved"."""
    worker = world.user("allocated_worker")
    url = reverse("casework:session_new", args=[world.case.pk])
    token = issue(worker)
    before = CaseSession.objects.count()
    barrier = threading.Barrier(2)
    real_log = services.session_log

    def slow_log(**kwargs):
        session = real_log(**kwargs)
        threading.Event().wait(0.5)  # hold the transaction open while the other arrives
        return session

    monkeypatch.setattr(services, "session_log", slow_log)
    answers = []

    def send():
        try:
            client = sign_in_fully(Client(), worker)
            barrier.wait()
            answers.append(client.post(url, session_data(**{FIELD: token})))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert CaseSession.objects.count() == before + 1
    assert sorted(answer.status_code for answer in answers) == [200, 302]
    assert "Already saved" in next(a for a in answers if a.status_code == 200).content.decode()
