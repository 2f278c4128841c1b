"""Text over a field's limit is refused with a message that says the limit, never cut and
saved; at the limit it is saved whole. Every long text field of every form."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alexi.models import AccessGrant, Role
from casework import services
from casework.models import Case, CaseSession, CaseShare, RiskAssessment
from referrals.models import Referral
from tests.casework.helpers import assessment_data, session_data


@dataclass
class LongText:
    form: str
    field: str
    limit: int
    persona: str
    url: Callable  # world -> url (may set things up)
    data: Callable  # world -> the rest of a valid form
    stored: Callable  # world -> the field as saved
    written: Callable  # () -> something that changes with any write


def _closing_assessment(world):
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


def _closure_waiting(world):
    _closing_assessment(world)
    services.closure_request(
        actor=world.user("allocated_worker"),
        case=world.case,
        closed_on=date(2026, 3, 2),
        closure_reason="goals_met",
        no_reduction_reason="",
        note="",
    )
    return reverse("casework:closure_decide", args=[world.case.pk, "return"])


def _case_to_transfer(world):
    world.moving = services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=date(2026, 1, 6),
        person_data={"first_name": "Rowan"},
    )
    return reverse("casework:transfer_new", args=[world.moving.pk])


def _latest(model, field, **where):
    return lambda world: getattr(model.objects.filter(**where).latest("id"), field)


def _session(field):
    return LongText(
        "session",
        field,
        10_000,
        "allocated_worker",
        lambda world: reverse("casework:session_new", args=[world.case.pk]),
        lambda world: session_data(),
        _latest(CaseSession, field),
        lambda: CaseSession.history.count(),
    )


def _assessment(field):
    return LongText(
        "risk assessment",
        field,
        10_000,
        "allocated_worker",
        lambda world: reverse("casework:assessment_new", args=[world.case.pk]),
        lambda world: assessment_data(
            indicators=["missing_repeat", "out_late"],
            final_level="high" if field == "rationale" else "",  # a rationale is asked for
        ),
        _latest(RiskAssessment, field),
        lambda: RiskAssessment.history.count(),
    )


def _information_share(field):
    from casework.models import InformationShare

    return LongText(
        "information share",
        field,
        10_000,
        "allocated_worker",
        lambda world: reverse("casework:information_share_new", args=[world.case.pk]),
        lambda world: {
            "shared_on": "2026-02-01",
            "recipient_agency": "Police",
            "what_shared": "Return home interview summary",
            "lawful_basis": "safeguarding",
            "young_person_informed": "not_told",
            "reason_not_informed": "Telling them would increase risk.",
        },
        _latest(InformationShare, field),
        lambda: InformationShare.history.count(),
    )


def _agency_contact():
    from casework.models import MultiAgencyContact

    return LongText(
        "multi-agency contact",
        "outcome",
        10_000,
        "allocated_worker",
        lambda world: reverse("casework:agency_contact_new", args=[world.case.pk]),
        lambda world: {
            "contact_on": "2026-02-03",
            "agency": "police",
            "purpose": "exploitation_panel",
        },
        _latest(MultiAgencyContact, "outcome"),
        lambda: MultiAgencyContact.history.count(),
    )


LONG_TEXT = [
    _session("notes"),
    _session("young_person_words"),
    _assessment("rationale"),
    _assessment("young_person_view"),
    _information_share("what_shared"),
    _information_share("reason_not_informed"),
    _agency_contact(),
    LongText(
        "closure request",
        "note",
        10_000,
        "allocated_worker",
        _closing_assessment,
        lambda world: {"closed_on": "2026-03-02", "closure_reason": "goals_met"},
        lambda world: Case.objects.get(pk=world.case.pk).closure_note,
        lambda: Case.history.count(),
    ),
    LongText(
        "closure returned",
        "note",
        10_000,
        "hub_manager",
        _closure_waiting,
        lambda world: {"next_review_due": (timezone.localdate() + timedelta(days=14)).isoformat()},
        lambda world: Case.objects.get(pk=world.case.pk).closure_returned_note,
        lambda: Case.history.count(),
    ),
    LongText(
        "referral",
        "concerns",
        10_000,
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
        },
        _latest(Referral, "concerns"),
        lambda: Referral.history.count(),
    ),
    LongText(
        "referral decision",
        "reason",
        10_000,
        "hub_manager",
        lambda world: reverse("referrals:referral_decide", args=[world.referral.pk]),
        lambda world: {"decision": "declined", "link_to": "new"},
        lambda world: Referral.objects.get(pk=world.referral.pk).decline_reason,
        lambda: Referral.history.count(),
    ),
    LongText(
        "sharing",
        "reason",
        2_000,
        "allocated_worker",
        lambda world: reverse("casework:share_new", args=[world.case.pk]),
        lambda world: {
            "worker": world.user("same_spoke_worker").pk,
            "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
        _latest(CaseShare, "reason", kind="share"),
        lambda: CaseShare.history.count(),
    ),
    LongText(
        "transfer",
        "reason",
        2_000,
        "hub_manager",
        _case_to_transfer,
        lambda world: {"to_spoke": world.other_spoke.pk},
        _latest(CaseShare, "reason", kind="transfer", case__young_person__first_name="Rowan"),
        lambda: CaseShare.history.count(),
    ),
    LongText(
        "emergency access",
        "justification",
        2_000,
        "other_hub_manager",
        lambda world: reverse("casework:break_glass"),
        lambda world: {"reference": world.case.reference},
        _latest(CaseShare, "reason", kind="break_glass"),
        lambda: CaseShare.history.count(),
    ),
    LongText(
        "invitation",
        "qualifications",
        2_000,
        "programme_admin",
        lambda world: reverse("alexi:person_invite"),
        lambda world: {
            "full_name": "Nia New",
            "email": "nia@example.org",
            "role": Role.SPOKE_WORKER,
            "spoke": world.spoke.pk,
            "fte": "1",
        },
        lambda world: AccessGrant.objects.get(user__email="nia@example.org").worker_details[
            "qualifications"
        ],
        lambda: AccessGrant.objects.count(),
    ),
]
IDS = [f"{text.form}-{text.field}" for text in LONG_TEXT]


@pytest.mark.parametrize("text", LONG_TEXT, ids=IDS)
def test_text_at_the_limit_is_saved_whole(world, client_for, text):
    url = text.url(world)
    words = "é" * (text.limit - 1) + "."
    response = client_for(text.persona).post(url, {**text.data(world), text.field: words})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert text.stored(world) == words


@pytest.mark.parametrize("text", LONG_TEXT, ids=IDS)
def test_text_over_the_limit_is_refused_saying_the_limit_and_nothing_is_written(
    world, client_for, text
):
    url = text.url(world)
    before = text.written()
    response = client_for(text.persona).post(
        url, {**text.data(world), text.field: "x" * (text.limit + 1)}
    )
    assert response.status_code == 400
    # On the field, naming it: "Notes must be 10,000 characters or fewer; this has 10,001."
    on_field = re.search(
        rf'id="id_{text.field}-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> ([^<]*)</p>',
        response.content.decode(),
    )
    assert on_field is not None
    assert on_field[1].endswith(
        f" must be {text.limit:,} characters or fewer; this has {text.limit + 1:,}."
    )
    assert text.written() == before


def test_a_new_line_counts_as_one_character_as_the_count_on_the_page_shows(world, client_for):
    """Browsers send a new line as two characters: 9,000 letters and 1,000 new lines fit."""
    response = client_for("allocated_worker").post(
        reverse("casework:session_new", args=[world.case.pk]),
        session_data(notes="\r\n".join(["x" * 9] * 1_000)),  # 10,999 sent, 10,000 meant
    )
    assert response.status_code == 302
    assert CaseSession.objects.latest("id").notes == "\n".join(["x" * 9] * 1_000)


@pytest.mark.parametrize(
    "persona, url, limit",
    [
        (
            "allocated_worker",
            lambda world: reverse("casework:session_new", args=[world.case.pk]),
            10_000,
        ),
        ("hub_manager", lambda world: reverse("referrals:referral_new"), 10_000),
        (
            "allocated_worker",
            lambda world: reverse("casework:share_new", args=[world.case.pk]),
            2_000,
        ),
        ("programme_admin", lambda world: reverse("alexi:person_invite"), 2_000),
    ],
)
def test_long_text_shows_its_limit_and_a_count_and_nothing_cuts_it(
    world, client_for, persona, url, limit
):
    page = client_for(persona).get(url(world)).content.decode()
    assert " maxlength=" not in page  # a browser would cut pasted text to it without a word
    assert 'data-module="govuk-character-count"' in page
    assert f'data-maxlength="{limit}"' in page
    assert f"You can enter up to {limit:,} characters" in page
