"""Reactivating a deactivated programme administrator gives back every administrator right at
once, so, as for inviting one, it needs the acting administrator's password and second factor
again: one taken-over session cannot quietly bring back an administrator. The reactivation is
in the access log and every active administrator is emailed (no case content). Reactivating
anyone else is unchanged."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alexi.models import AccessAction, AccessLog, Role
from alexi.passkeys.models import PasskeyRequirement
from alexi.services import ReactivationRefused, user_reactivate
from tests.alexi.test_passkeys import (
    add_passkey,
    fresh_code,
    sign_in_with_code,
    sign_in_with_passkey,
)
from tests.conftest import sign_in_fully
from tests.factories import TEST_PASSWORD, give_totp, make_admin


@pytest.fixture
def admins(world):
    """The acting administrator (signed in), a colleague, and a deactivated administrator."""
    admin = world.user("programme_admin")
    colleague = make_admin(full_name="Cal Colleague", email="cal.colleague@example.org")
    former = make_admin(full_name="Fay Former", email="fay.former@example.org", is_active=False)
    make_admin(full_name="Gone Other", email="gone.other@example.org", is_active=False)
    return admin, colleague, former, sign_in_fully(Client(), admin)


def reactivate_url(user) -> str:
    return reverse("alexi:person_action", args=[user.pk, "reactivate"])


def assert_nothing_changed(former) -> None:
    former.refresh_from_db()
    assert not former.is_active
    assert len(mail.outbox) == 0
    assert not AccessLog.objects.filter(
        action__in=[AccessAction.ADMIN_REACTIVATED, AccessAction.ACCOUNT_REACTIVATED]
    ).exists()


def test_the_person_page_asks_for_the_password_and_code(admins):
    _, _, former, client = admins
    page = client.get(reverse("alexi:person", args=[former.pk])).content.decode()
    assert reactivate_url(former) in page
    assert 'name="password"' in page and 'name="code"' in page


def test_the_session_alone_does_not_reactivate_an_administrator(admins):
    _, _, former, client = admins
    missing = client.post(reactivate_url(former))
    assert missing.status_code == 400 and 'id="id_password-error"' in missing.content.decode()
    wrong = client.post(reactivate_url(former), {"password": "not the password", "code": "123456"})
    assert wrong.status_code == 400 and "That password is not right" in wrong.content.decode()
    assert_nothing_changed(former)


def test_a_wrong_code_is_refused(admins):
    _, _, former, client = admins
    response = client.post(reactivate_url(former), {"password": TEST_PASSWORD, "code": "000000"})
    assert response.status_code == 400
    assert "code was not accepted" in response.content.decode()
    assert_nothing_changed(former)


def test_with_the_password_and_a_code_the_administrator_is_reactivated_logged_and_told(
    world, admins, django_capture_on_commit_callbacks
):
    admin, colleague, former, client = admins
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reactivate_url(former), {"password": TEST_PASSWORD, "code": fresh_code(admin)}
        )
    assert response["Location"] == reverse("alexi:person", args=[former.pk])
    former.refresh_from_db()
    assert former.is_active
    row = AccessLog.objects.get(action=AccessAction.ADMIN_REACTIVATED)
    assert row.user == admin and row.object_type == "user" and row.object_id == str(former.pk)
    assert AccessLog.objects.filter(
        action=AccessAction.ACCOUNT_REACTIVATED, object_id=str(former.pk)
    ).exists()

    told = [m for m in mail.outbox if "reactivated" in m.subject]
    # Every active administrator: the acting one (a taken-over session is noticed), the
    # reactivated one (their account can sign in again); not a deactivated one.
    assert sorted(to for m in told for to in m.to) == sorted(
        [admin.email, colleague.email, former.email]
    )
    body = told[0].body
    assert admin.full_name in body and former.full_name in body and former.email in body
    assert reverse("alexi:person", args=[former.pk]) in body
    for case_word in (world.case.reference, "Jade", "Testperson"):
        assert case_word not in body
    shown = client.get(response["Location"]).content.decode()
    assert "Every programme administrator has been emailed" in shown


def test_the_service_refuses_an_administrator_without_the_confirmation(admins):
    admin, _, former, _ = admins
    with pytest.raises(ReactivationRefused):
        user_reactivate(actor=admin, user=former)
    assert_nothing_changed(former)


def test_where_administrators_sign_in_with_a_passkey_it_confirms_the_reactivation(admins):
    admin, _, former, _ = admins
    give_totp(admin)
    client = sign_in_with_code(admin)
    device, _ = add_passkey(client, admin)
    PasskeyRequirement.objects.create(role=Role.PROGRAMME_ADMIN, required=True)
    page = client.get(reverse("alexi:person", args=[former.pk])).content.decode()
    assert f'name="next" value="{reverse("alexi:person", args=[former.pk])}"' in page
    by_app = client.post(
        reactivate_url(former), {"password": TEST_PASSWORD, "code": fresh_code(admin)}
    )
    assert by_app.status_code == 400
    assert "Your role signs in with a passkey" in by_app.content.decode()
    former.refresh_from_db()
    assert not former.is_active
    assert sign_in_with_passkey(admin, device, client=client)[1].status_code == 200
    done = client.post(reactivate_url(former), {"password": TEST_PASSWORD})
    assert done.status_code == 302
    former.refresh_from_db()
    assert former.is_active


def test_reactivating_anyone_else_asks_nothing_more(world, admins):
    _, _, _, client = admins
    for persona in ("same_spoke_worker", "hub_manager", "funder"):
        person = world.user(persona)
        client.post(reverse("alexi:person_action", args=[person.pk, "deactivate"]))
        page = client.get(reverse("alexi:person", args=[person.pk])).content.decode()
        assert 'name="password"' not in page, persona
        assert client.post(reactivate_url(person)).status_code == 302, persona
        person.refresh_from_db()
        assert person.is_active, persona
    assert not AccessLog.objects.filter(action=AccessAction.ADMIN_REACTIVATED).exists()
    assert not [m for m in mail.outbox if "reactivated" in m.subject]


def test_outsiders_cannot_reactivate_an_administrator(world, admins, client_for):
    admin, _, former, _ = admins
    for persona in ("hub_manager", "allocated_worker", "funder"):
        response = client_for(persona).post(
            reactivate_url(former), {"password": TEST_PASSWORD, "code": fresh_code(admin)}
        )
        assert response.status_code == 403, persona
    assert client_for("anonymous").post(reactivate_url(former)).status_code == 302
    assert_nothing_changed(former)


def test_the_person_page_asks_one_query_more_and_no_more(world, admins):
    """The confirmation adds only the check for the acting administrator's passkeys."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, _, former, client = admins
    worker = world.user("same_spoke_worker")
    client.post(reverse("alexi:person_action", args=[worker.pk, "deactivate"]))
    counts = []
    for person in (worker, former):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("alexi:person", args=[person.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] + 1, counts
    assert counts[1] <= 16, counts
