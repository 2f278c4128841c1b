"""Every URL pattern, every persona: who gets what (SECURITY.md, ARCHITECTURE.md idea 1).

A URL pattern that has no entry here fails `test_every_url_pattern_has_an_entry`, so a new
page cannot ship without deciding who may reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alexi.admin import site as admin_site
from tests.conftest import PERSONAS

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
# Public URLs that redirect somewhere other than the sign-in page.
PUBLIC_REDIRECTS = {"alexi:admin_sign_in", "alexi:invitation_accept"}


def everyone(status: int, anonymous: int | None = None) -> dict[str, int]:
    result = dict.fromkeys(SIGNED_IN, status)
    result["anonymous"] = status if anonymous is None else anonymous
    return result


def only(personas: list[str], status: int, others: int, anonymous: int = 302) -> dict[str, int]:
    result = {p: (status if p in personas else others) for p in SIGNED_IN}
    result["anonymous"] = anonymous
    return result


def on_case(world) -> dict:
    return {"case_id": world.case.pk}


def case_readers() -> dict[str, int]:
    """A page of the home hub's case: its worker and manager see it; others get 404 or 403."""
    return {
        "allocated_worker": 200,
        "same_spoke_worker": 404,
        "other_hub_worker": 404,
        "hub_manager": 200,
        "other_hub_manager": 404,
        "funder": 403,
        "programme_admin": 403,
        "anonymous": 302,
    }


def case_posts() -> dict[str, int]:
    """A POST-only action on a case: GET is refused for the roles that may post, 403 others."""
    return {
        **case_readers(),
        "allocated_worker": 405,
        "same_spoke_worker": 405,
        "other_hub_worker": 405,
        "hub_manager": 405,
        "other_hub_manager": 405,
    }


def activity_pages(everyone_at_home: bool = False) -> dict[str, int]:
    """Lists and new-record pages answer every worker and manager (each sees their own);
    a record of the home spoke answers only its workers and its hub's manager."""
    if everyone_at_home:
        return {
            **managers(200, 200),
            "allocated_worker": 200,
            "same_spoke_worker": 200,
            "other_hub_worker": 200,
        }
    return {**case_readers(), "same_spoke_worker": 200}


def managers(home: int, other: int) -> dict[str, int]:
    """A hub manager's page: `home` for the home hub's manager, `other` for the other hub's."""
    return {**only([], 0, 403), "hub_manager": home, "other_hub_manager": other}


def own_reminder(world) -> dict:
    """The allocated worker's own reminder on the home case (made on first use)."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Reminder

    reminder, _ = Reminder.objects.get_or_create(
        case=world.case,
        author=world.user("allocated_worker"),
        defaults={"due_on": timezone.localdate() + timedelta(days=1), "note": "Ring school"},
    )
    return {"case_id": world.case.pk, "reminder_id": reminder.pk}


def case_note(world) -> dict:
    """A case note on the home case, by its worker (made on first use)."""
    from datetime import date

    from casework.models import CaseNote
    from casework.services import case_note_record

    note = CaseNote.objects.filter(case=world.case).first() or case_note_record(
        actor=world.user("allocated_worker"),
        case=world.case,
        data={"date": date(2026, 2, 3), "kind": "phone_call", "with_whom": "", "text": "Rang"},
    )
    return {"case_id": world.case.pk, "note_id": note.pk}


@dataclass
class Entry:
    expected: dict[str, int]
    kwargs: callable = field(default=lambda world: {})
    method: str = "get"


MATRIX: dict[str, Entry] = {
    "alexi:home": Entry(everyone(200, anonymous=302)),
    "alexi:healthz": Entry(everyone(200)),
    "alexi:sign_in": Entry(everyone(302, anonymous=200)),
    "alexi:second_factor": Entry(everyone(302)),
    "alexi:second_factor_setup": Entry(everyone(302)),
    "alexi:sign_out": Entry(everyone(405)),
    "alexi:invitation_accept": Entry(everyone(302), kwargs=lambda w: {"token": "not-a-real-token"}),
    "alexi:invitation_password": Entry(everyone(410)),
    "alexi:account": Entry(everyone(200, anonymous=302)),
    "alexi:recovery_codes_new": Entry(everyone(200, anonymous=302)),
    "passkeys": Entry(everyone(200, anonymous=302)),
    "passkey_add": Entry(everyone(200, anonymous=302)),
    # Without a fresh password-and-code confirmation the create page sends back to passkey_add.
    "passkey_create": Entry(everyone(302)),
    "passkey_rename": Entry(everyone(405, anonymous=302), kwargs=lambda w: {"passkey_id": 1}),
    "passkey_remove": Entry(everyone(404, anonymous=302), kwargs=lambda w: {"passkey_id": 1}),
    "passkey_requirement": Entry(only(["programme_admin"], 200, 403)),
    # django-otp-webauthn's ceremonies (JSON, POST): adding needs a fresh confirmation; using
    # a passkey needs the password given first (to sign in, or to confirm it is you).
    "otp_webauthn:credential-registration-begin": Entry(everyone(403, anonymous=302)),
    "otp_webauthn:credential-registration-complete": Entry(everyone(403, anonymous=302)),
    "otp_webauthn:credential-authentication-begin": Entry(everyone(405, anonymous=302)),
    "otp_webauthn:credential-authentication-complete": Entry(everyone(405, anonymous=302)),
    "otp_webauthn:js-i18n-catalog": Entry(everyone(200, anonymous=302)),
    "alexi:password_change": Entry(everyone(200, anonymous=302)),
    "alexi:password_change_done": Entry(everyone(200, anonymous=302)),
    "alexi:password_reset": Entry(everyone(200)),
    "alexi:password_reset_done": Entry(everyone(200)),
    "alexi:password_reset_confirm": Entry(
        everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "alexi:password_reset_complete": Entry(everyone(200)),
    "alexi:people": Entry(only(["programme_admin"], 200, 403)),
    "alexi:person_invite": Entry(only(["programme_admin"], 200, 403)),
    "alexi:person": Entry(
        only(["programme_admin"], 200, 403),
        kwargs=lambda w: {"user_id": w.user("allocated_worker").pk},
    ),
    "alexi:person_action": Entry(
        only(["programme_admin"], 405, 403),
        kwargs=lambda w: {"user_id": w.user("allocated_worker").pk, "action": "deactivate"},
    ),
    "alexi:sign_in_log": Entry(only(["programme_admin"], 200, 403)),
    # Requests for access to a hub: its managers (or administrators) decide; the page lists
    # only what each may decide, and a request they may not decide answers 404 (test_grants).
    "alexi:access_requests": Entry({**managers(200, 200), "programme_admin": 200}),
    "alexi:access_request_decide": Entry(
        {**managers(405, 405), "programme_admin": 405},
        kwargs=lambda w: {"grant_id": 1, "decision": "confirm"},
    ),
    "alexi:admin_sign_in": Entry(everyone(302)),
    # The programme structure: administrators only (tests/alexi/test_structure.py).
    "alexi:structure": Entry(only(["programme_admin"], 200, 403)),
    "alexi:structure_list": Entry(
        only(["programme_admin"], 200, 403), kwargs=lambda w: {"kind": "hubs"}
    ),
    "alexi:structure_new": Entry(
        only(["programme_admin"], 200, 403), kwargs=lambda w: {"kind": "spokes"}
    ),
    "alexi:structure_edit": Entry(
        only(["programme_admin"], 200, 403), kwargs=lambda w: {"kind": "spokes", "pk": w.spoke.pk}
    ),
    "alexi:spoke_end": Entry(
        only(["programme_admin"], 200, 403), kwargs=lambda w: {"pk": w.spoke.pk}
    ),
    "alexi:worker_move": Entry(
        only(["programme_admin"], 200, 403),
        kwargs=lambda w: {"pk": w.user("allocated_worker").worker_profile.pk},
    ),
    "alexi:hub_manager_request": Entry(
        only(["programme_admin"], 200, 403), kwargs=lambda w: {"pk": w.hub.pk}
    ),
    # Casework: the allocated worker and the hub's manager; everyone else 404 (existence does
    # not leak) or 403 (a page for another role).
    **{
        name: Entry(case_readers(), kwargs=on_case)
        for name in [
            "casework:case",
            "casework:session_new",
            "casework:assessment_new",
            "casework:information_share_new",
            "casework:agency_contact_new",
            "casework:closure_request",
            "casework:share_new",
            "casework:young_person_edit",
            "casework:case_print",
        ]
    },
    "casework:session_edit": Entry(
        case_readers(), kwargs=lambda w: {"case_id": w.case.pk, "session_id": w.session.pk}
    ),
    "casework:assessment_edit": Entry(
        case_readers(), kwargs=lambda w: {"case_id": w.case.pk, "assessment_id": w.assessment.pk}
    ),
    "casework:assessment_preview": Entry(case_posts(), kwargs=on_case),
    "casework:case_status": Entry(
        case_posts(), kwargs=lambda w: {"case_id": w.case.pk, "action": "pause"}
    ),
    "casework:share_revoke": Entry(
        case_posts(), kwargs=lambda w: {"case_id": w.case.pk, "share_id": w.transfer.pk}
    ),
    "casework:closure_decide": Entry(
        managers(405, 405), kwargs=lambda w: {"case_id": w.case.pk, "decision": "approve"}
    ),
    "casework:allocate": Entry(managers(200, 404), kwargs=on_case),
    "casework:transfer_new": Entry(managers(200, 404), kwargs=on_case),
    "casework:case_access_log": Entry(managers(200, 404), kwargs=on_case),
    # The chronology's "Show earlier" and case notes (issue 13 item 4): as the case page; a
    # note is changed by whoever may record on the case, like a session.
    "casework:chronology": Entry(case_readers(), kwargs=on_case),
    "casework:note_new": Entry(case_readers(), kwargs=on_case),
    "casework:note_edit": Entry(case_readers(), kwargs=lambda w: case_note(w)),
    "casework:hub_cases": Entry(managers(200, 200)),
    # Search: those who open case records, each finding only their own (tests/casework/
    # test_search.py); funders and administrators open no case record, so have no search.
    "casework:search": Entry(activity_pages(everyone_at_home=True)),
    "casework:case_new": Entry(managers(200, 200)),
    "casework:break_glass": Entry(managers(200, 200)),
    "casework:transfer_decide": Entry(
        managers(404, 200), kwargs=lambda w: {"transfer_id": w.transfer.pk}
    ),
    # Referrals: the hub's managers; workers only once one is allocated to them.
    "referrals:referral_queue": Entry(managers(200, 200)),
    "referrals:referral_new": Entry(
        {
            **managers(200, 200),
            "allocated_worker": 200,
            "same_spoke_worker": 200,
            "other_hub_worker": 200,
        }
    ),
    # Only with the id the person's own session kept on recording a referral they cannot open.
    "referrals:referral_recorded": Entry(
        {
            **managers(404, 404),
            "allocated_worker": 404,
            "same_spoke_worker": 404,
            "other_hub_worker": 404,
        }
    ),
    "referrals:referral": Entry(
        {**case_readers(), "allocated_worker": 404}, kwargs=lambda w: {"referral_id": w.referral.pk}
    ),
    "referrals:referral_decide": Entry(
        {**managers(405, 405)}, kwargs=lambda w: {"referral_id": w.referral.pk}
    ),
    # Notifications (issue 13 item 3): each person their own. The bell's poll answers a
    # signed-out page with 286 (htmx stops polling); the feed is by its secret address only.
    "notifications:list": Entry(everyone(200, anonymous=302)),
    "notifications:read_all": Entry(everyone(405, anonymous=302)),
    "notifications:open": Entry(
        everyone(405, anonymous=302), kwargs=lambda w: {"notification_id": 1}
    ),
    "notifications:bell": Entry(everyone(200, anonymous=286)),
    "notifications:digest": Entry(everyone(405, anonymous=302)),
    "notifications:calendar_feed": Entry(everyone(405, anonymous=302)),
    "notifications:calendar": Entry(everyone(404), kwargs=lambda w: {"token": "not-a-real-one"}),
    # Training, groupwork and consultancy: workers of the spoke and their hub's managers.
    "training:activities": Entry(activity_pages(everyone_at_home=True)),
    "training:training_new": Entry(activity_pages(everyone_at_home=True)),
    "training:groupwork_new": Entry(activity_pages(everyone_at_home=True)),
    "training:consultation_new": Entry(activity_pages(everyone_at_home=True)),
    "training:training_edit": Entry(activity_pages(), kwargs=lambda w: {"event_id": w.training.pk}),
    "training:groupwork_edit": Entry(
        activity_pages(), kwargs=lambda w: {"groupwork_id": w.groupwork.pk}
    ),
    "training:consultation_edit": Entry(
        activity_pages(), kwargs=lambda w: {"consultation_id": w.consultation.pk}
    ),
    # The work list (issue 13 item 2): workers, managers and administrators each their own;
    # a funder has none. A reminder is its author's only (the allocated worker's here): its
    # case's manager gets 404 as for one that does not exist.
    "alexi:tasks": Entry({**activity_pages(True), "programme_admin": 200}),
    "alexi:tasks_count": Entry({**activity_pages(True), "programme_admin": 200}),
    "alexi:tasks_panel": Entry({**activity_pages(True), "programme_admin": 200}),
    "casework:reminder_new": Entry(case_readers(), kwargs=on_case),
    "casework:reminder_edit": Entry(
        {**case_readers(), "hub_manager": 404}, kwargs=lambda w: own_reminder(w)
    ),
    "casework:reminder_delete": Entry(
        {**case_readers(), "hub_manager": 404}, kwargs=lambda w: own_reminder(w)
    ),
    "casework:reminder_done": Entry(
        case_posts(), kwargs=lambda w: {**own_reminder(w), "action": "done"}
    ),
    # Quarterly returns: funders, hub managers and administrators, each their own.
    "reporting:returns": Entry(
        {
            **only(["funder", "programme_admin"], 200, 403),
            "hub_manager": 200,
            "other_hub_manager": 200,
        }
    ),
    "reporting:returns_generate": Entry(only(["programme_admin"], 405, 403)),
    "reporting:return_download": Entry(
        {
            **only(["funder", "programme_admin"], 200, 403),
            "hub_manager": 404,
            "other_hub_manager": 404,
        },
        kwargs=lambda w: {"return_id": w.funder_return.pk, "fmt": "csv"},
    ),
    # Imports: administrators and hub managers; a job only to the one who uploaded it.
    "imports:imports": Entry({**managers(200, 200), "programme_admin": 200}),
    "imports:import_job": Entry(
        {**managers(200, 404), "programme_admin": 404},
        kwargs=lambda w: {"job_id": w.import_job.pk},
    ),
    "imports:import_problems": Entry(
        {**managers(200, 404), "programme_admin": 404},
        kwargs=lambda w: {"job_id": w.import_job.pk},
    ),
    "imports:import_confirm": Entry(
        {**managers(405, 405), "programme_admin": 405},
        kwargs=lambda w: {"job_id": w.import_job.pk},
    ),
    "imports:import_discard": Entry(
        {**managers(405, 405), "programme_admin": 405},
        kwargs=lambda w: {"job_id": w.import_job.pk},
    ),
    # The whole Django admin is one entry: see test_admin_site_is_for_admins_only. It is for
    # superusers only (no persona is one; tests/alexi/test_structure.py signs one in).
    "admin:*": Entry(only([], 200, 403)),
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def all_url_names() -> list[str]:
    names = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace.startswith("admin:"):
            names.append("admin:*")
        else:
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")
    return sorted(set(names))


def test_every_url_pattern_has_an_entry():
    missing = [name for name in all_url_names() if name not in MATRIX]
    assert missing == [], f"URL patterns with no access-matrix entry: {missing}"


def test_the_matrix_names_no_url_that_does_not_exist():
    assert set(MATRIX) - set(all_url_names()) == set()


@pytest.mark.parametrize("name", sorted(n for n in MATRIX if n != "admin:*"))
@pytest.mark.parametrize("persona", PERSONAS)
def test_url_answers_each_persona_as_the_matrix_says(name, persona, world, client_for):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    response = getattr(client_for(persona), entry.method)(url)
    assert response.status_code == entry.expected[persona], (
        f"{persona} {entry.method.upper()} {url}: {response.status_code}"
    )
    if persona == "anonymous" and response.status_code == 302 and name not in PUBLIC_REDIRECTS:
        assert response["Location"].startswith(reverse("alexi:sign_in"))


def admin_urls(world) -> list[str]:
    """The admin index, and for each registered model its list, add and change pages."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin_site._registry.items():
        if not model_admin.get_urls():
            continue  # registered for name search only
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
            urls.append(reverse(f"{prefix}_history", args=[obj.pk]))
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_site_is_for_admins_only(persona, world, client_for):
    client = client_for(persona)
    expected = MATRIX["admin:*"].expected[persona]
    for url in admin_urls(world):
        response = client.get(url)
        assert response.status_code == expected, f"{persona} GET {url}: {response.status_code}"
