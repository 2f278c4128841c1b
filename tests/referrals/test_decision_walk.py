"""Found by trying the referral and transfer decisions as a new manager would (issue 13 walk):
Record the decision with nothing chosen gets a message saying what to choose, not Django's
'This field is required.'; and a manager whose own decision went first (a double click, or
Back then the button again) is told it was theirs, not that someone else decided."""

from django.urls import reverse
from django.utils import timezone

from referrals.models import Decision
from tests.factories import make_manager


def decide(client, referral, **data):
    return client.post(reverse("referrals:referral_decide", args=[referral.pk]), data)


def test_deciding_with_nothing_chosen_says_what_to_choose(world, client_for):
    response = decide(client_for("hub_manager"), world.referral)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a decision: accept, signpost, decline or wait." in page
    assert "This field is required" not in page
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.PENDING


def test_a_transfer_decision_with_nothing_chosen_says_what_to_choose(world, client_for):
    response = client_for("other_hub_manager").post(
        reverse("casework:transfer_decide", args=[world.transfer.pk]), {}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose whether to accept the case or decline it." in page
    assert "This field is required" not in page
    world.case.refresh_from_db()
    assert world.case.spoke == world.spoke


def test_the_same_manager_sending_a_decision_twice_is_told_it_was_theirs(world, client_for):
    client = client_for("hub_manager")
    first = decide(client, world.referral, decision="declined", reason="Out of area")
    assert first.status_code == 302
    again = decide(client, world.referral, decision="declined", reason="Out of area")
    assert again.status_code == 409
    page = again.content.decode()
    assert "You have already decided this referral" in page
    assert "Someone else" not in page
    today = timezone.localdate()
    assert f"Declined by you on {today.day} {today:%b %Y}. Nothing was changed" in page
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.DECLINED
    assert world.referral.decline_reason == "Out of area"


def test_another_manager_of_the_hub_deciding_first_is_named(world, client_for):
    world.users["second_hub_manager"] = make_manager(world.hub, full_name="Sasha Second")
    decide(
        client_for("second_hub_manager"), world.referral, decision="signposted", signposted_to="GP"
    )
    response = decide(client_for("hub_manager"), world.referral, decision="declined", reason="x")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else decided this referral first" in page
    today = timezone.localdate()
    assert f"Signposted by Sasha Second on {today.day} {today:%b %Y}." in page
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.SIGNPOSTED
