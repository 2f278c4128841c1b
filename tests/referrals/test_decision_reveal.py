"""Decision forms show each answer's own fields under it (GOV.UK conditional reveal, issue 13
item 5), and the server keeps and checks only the chosen answer's fields: what was typed under
another answer (hidden on the page) is neither saved nor a reason to refuse."""

import re

from django.urls import reverse

from casework.models import Case
from referrals.models import Decision

CONDITIONAL = re.compile(
    r'data-reveals="(?P<id>[^"]+)".*?<div class="govuk-radios__conditional" id="(?P=id)">'
    r"(?P<body>.*?)</div>\s*(?=<div class=\"govuk-radios__item\"|</div>\s*</fieldset>)",
    re.S,
)


def decide(client, referral, **data):
    return client.post(reverse("referrals:referral_decide", args=[referral.pk]), data)


def revealed(page: str) -> dict[str, str]:
    """{radio value: the HTML of the fields it reveals}."""
    parts = {}
    for match in CONDITIONAL.finditer(page):
        value = re.search(r'value="([^"]+)"[^>]*data-reveals="' + match["id"], page)
        assert value is not None, match["id"]
        parts[value.group(1)] = match["body"]
    return parts


def test_each_decision_shows_its_own_fields_under_it(world, client_for):
    page = client_for("hub_manager").get(reverse("referrals:referral", args=[world.referral.pk]))
    parts = revealed(page.content.decode())
    assert set(parts) == {"accepted", "signposted", "declined"}  # waiting list needs nothing
    assert 'name="worker"' in parts["accepted"] and 'name="link_to"' in parts["accepted"]
    assert (
        'name="signposted_to"' in parts["signposted"] and 'name="reason"' not in parts["signposted"]
    )
    assert 'name="reason"' in parts["declined"] and 'name="worker"' not in parts["declined"]
    # Without JavaScript nothing is hidden: no part carries `hidden` from the server.
    assert "govuk-radios__conditional--hidden" not in page.content.decode()
    assert " hidden" not in "".join(parts.values())


def test_a_long_decline_reason_left_under_decline_does_not_stop_an_accept(world, client_for):
    response = decide(
        client_for("hub_manager"),
        world.referral,
        decision="accepted",
        worker=world.user("same_spoke_worker").pk,
        link_to="new",
        reason="r" * 10_001,  # typed under Decline, then Accept chosen: hidden, not checked
        signposted_to="Somewhere else",
    )
    assert response.status_code == 302
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.ACCEPTED
    assert world.referral.decline_reason == "" and world.referral.signposted_to == ""


def test_a_worker_chosen_before_declining_is_not_used(world, client_for):
    cases = Case.objects.count()
    response = decide(
        client_for("hub_manager"),
        world.referral,
        decision="declined",
        reason="Over 18",
        worker=world.user("same_spoke_worker").pk,
        link_to="not-a-choice",  # would be an error under Accept; hidden under Decline
    )
    assert response.status_code == 302
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.DECLINED
    assert world.referral.decline_reason == "Over 18"
    assert Case.objects.count() == cases


def test_the_chosen_decisions_fields_are_still_checked(world, client_for):
    response = decide(
        client_for("hub_manager"), world.referral, decision="declined", reason="r" * 10_001
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "10,000 characters or fewer" in page
    assert 'href="#id_reason"' in page
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.PENDING


def test_nothing_chosen_asks_for_the_decision_only(world, client_for):
    response = decide(client_for("hub_manager"), world.referral, reason="r" * 10_001)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_decision_0"' in page
    assert "10,000 characters or fewer" not in page


def test_the_transfer_decision_reveals_the_worker_under_accept(world, client_for):
    receiving = client_for("other_hub_manager")
    url = reverse("casework:transfer_decide", args=[world.transfer.pk])
    parts = revealed(receiving.get(url).content.decode())
    assert set(parts) == {"accept"} and 'name="worker"' in parts["accept"]
    refused = receiving.post(url, {"decision": "accept"})
    assert refused.status_code == 400
    assert "Choose the worker who will hold the case." in refused.content.decode()
    declined = receiving.post(url, {"decision": "decline", "worker": "999999"})
    assert declined.status_code == 302  # a worker left under Accept is not looked at
    world.transfer.refresh_from_db()
    assert world.transfer.transfer_status == "declined"
