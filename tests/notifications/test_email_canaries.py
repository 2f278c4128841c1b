"""No email Alexi sends carries case content: a real SMTP server (aiosmtpd) receives every
email of a run that goes through every notification, the digest and every other email path,
for a young person with unmistakable canary details, and none of them appears in any message.
"""

from __future__ import annotations

import email
import socket
from datetime import date, datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from alexi.notifications.digest import SUBJECT as DIGEST_SUBJECT
from alexi.notifications.digest import send_digests
from alexi.notifications.models import NotificationPreference
from alexi.services import invitation_issue, user_deactivate, user_reactivate
from casework import services
from imports.models import ImportJob, ImportStatus
from imports.services import run_job
from referrals import services as referral_services
from tests.factories import make_admin

pytestmark = pytest.mark.django_db

FIRST, LAST, PREFERRED = "Canaryfinch", "Qwxyz", "Canarypip"
BORN = date(2011, 7, 13)
NOTE = "canary-note-text"


class Sink:
    """Keeps every message the SMTP server is given, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


def text_of(message) -> str:
    """Every header and every text part, decoded (quoted-printable or base64 undone)."""
    parts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def test_no_email_carries_case_content(world, smtp, django_capture_on_commit_callbacks):
    manager, worker = world.user("hub_manager"), world.user("allocated_worker")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_open(
            actor=manager,
            spoke=world.spoke,
            worker=worker,
            opened_on=date(2026, 1, 6),
            person_data={
                "first_name": FIRST,
                "last_name": LAST,
                "preferred_name": PREFERRED,
                "date_of_birth": BORN,
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_log(
            actor=worker,
            case=case,
            data={
                "date": date(2026, 1, 12),
                "contact_method": "face_to_face",
                "attendance": "attended",
                "venue_type": "cafe_or_fast_food",
                "young_person_chose": True,
                "duration_minutes": 30,
                "notes": NOTE,
                "young_person_words": NOTE,
            },
        )
        services.assessment_record(
            actor=worker,
            case=case,
            data={"kind": "initial", "assessed_on": date(2026, 1, 12), "indicators": ["out_late"]},
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.case_share(
            actor=worker,
            case=case,
            worker=world.user("same_spoke_worker"),
            reason=f"{FIRST} {NOTE}",
            expires_on=timezone.localdate() + timedelta(days=5),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.break_glass(
            actor=world.user("other_hub_manager"),
            case=case,
            justification=f"{FIRST} {LAST} needs help now: {NOTE}",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_record(
            actor=worker,
            case=case,
            data={
                "kind": "closing",
                "assessed_on": date(2026, 2, 1),
                "indicators": ["out_late"],
            },
        )

    def ask_to_close():
        services.closure_request(
            actor=worker,
            case=case,
            closed_on=date(2026, 2, 2),
            closure_reason="goals_met",
            no_reduction_reason="other",
            note=f"{FIRST} {NOTE}",
        )

    with django_capture_on_commit_callbacks(execute=True):
        ask_to_close()
    with django_capture_on_commit_callbacks(execute=True):
        services.closure_return(actor=manager, case=case, note=f"{PREFERRED} {NOTE}")
    with django_capture_on_commit_callbacks(execute=True):
        ask_to_close()
    with django_capture_on_commit_callbacks(execute=True):
        services.closure_approve(actor=manager, case=case)
    referral = referral_services.referral_record(
        actor=manager,
        hub=world.hub,
        data={
            "received_on": date(2026, 3, 2),
            "source": "school",
            "first_name": FIRST + "ref",
            "last_name": LAST,
            "date_of_birth": BORN,
            "concerns": NOTE,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        accepted = referral_services.referral_accept(
            actor=manager, referral=referral, worker=worker, opened_on=date(2026, 3, 3)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reallocate(
            actor=manager, case=accepted.case, worker=world.user("same_spoke_worker")
        )
    job = ImportJob.objects.create(
        created_by=manager,
        status=ImportStatus.CHECKING,
        file_names=f"{FIRST}.csv",
        size=1,
        payload=b"not a zip",
        attempts=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_job(job)
    # Everyone asks for the daily summary: it goes out with their counts.
    for user in world.users.values():
        if user is not None:
            NotificationPreference.objects.update_or_create(user=user, defaults={"digest": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/London")))
    # The other emails: password reset, invitation, administrators told, a hub asked again.
    Client().post("/password-reset/", {"email": worker.email})
    with django_capture_on_commit_callbacks(execute=True):
        invitation_issue(actor=world.user("programme_admin"), user=worker)
    second_admin = make_admin(full_name="Second Admin", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        user_reactivate(
            actor=world.user("programme_admin"), user=second_admin, identity_confirmed=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(actor=world.user("programme_admin"), user=world.user("other_hub_worker"))
    with django_capture_on_commit_callbacks(execute=True):
        user_reactivate(actor=world.user("programme_admin"), user=world.user("other_hub_worker"))

    received = smtp.messages
    subjects = {str(message["Subject"]) for message in received}
    assert "Emergency access to one of your hub's cases" in subjects
    assert "A case is waiting for your closure approval" in subjects
    assert DIGEST_SUBJECT in subjects
    assert "Your invitation to Alexi" in subjects
    assert any("password" in subject.lower() for subject in subjects)
    assert any("administrator" in subject for subject in subjects)
    assert len(received) >= 10
    digests = [m for m in received if str(m["Subject"]) == DIGEST_SUBJECT]
    assert len(digests) >= 4  # each person with something unread

    canaries = [
        FIRST,
        LAST,
        PREFERRED,
        NOTE,
        "canary",
        case.reference,
        case.young_person.reference,
        accepted.case.reference,
        accepted.case.young_person.reference,
        BORN.isoformat(),
        BORN.strftime("%d/%m/%Y"),
        f"{BORN.day} {BORN:%B %Y}",
        f"{BORN.day} {BORN:%b %Y}",
        "Jade",
        "Testperson",
        world.case.reference,
    ]
    for message in received:
        text = text_of(message).lower()
        for canary in canaries:
            assert canary.lower() not in text, (canary, message["Subject"])
