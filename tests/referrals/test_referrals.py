"""Intake, triage decisions, duplicate matching and access for referrals."""

from datetime import date

import pytest
from django.urls import reverse

from alexi.models import AccessAction, AccessLog
from casework.models import Case, YoungPerson
from referrals.models import Decision, Referral
from tests.factories import make_manager


def intake_data(**overrides):
    data = {
        "received_on": "2026-03-05",
        "source": "police",
        "urgency": "urgent",
        "first_name": "Mia",
        "age": "14",
        "gender": "female",
        "young_person_aware": "knows_agrees",
        "concerns": "Found in a car with older men.",
        "indicators": ["cars_unknown_adults"],
        "referrer_name": "PC Example",
        "referrer_agency": "Police",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_manager_records_a_referral_with_only_a_first_name_and_an_age(world, client_for):
    response = client_for("hub_manager").post(
        reverse("referrals:referral_new"), intake_data(hub=world.hub.pk)
    )
    assert response.status_code == 302
    referral = Referral.objects.get(first_name="Mia")
    assert referral.hub == world.hub and referral.decision == Decision.PENDING
    assert referral.history.first().history_user == world.user("hub_manager")


def test_a_worker_records_a_referral_for_their_own_hub(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("referrals:referral_new"), intake_data(hub=world.other_hub.pk)
    )
    assert response.status_code == 400  # not their hub: not a valid choice
    response = client_for("allocated_worker").post(
        reverse("referrals:referral_new"), intake_data(hub=world.hub.pk), follow=True
    )
    assert response.redirect_chain == [(reverse("referrals:referral_recorded"), 302)]
    assert "Referral recorded" in response.content.decode()
    assert Referral.objects.get(first_name="Mia").recorded_by == world.user("allocated_worker")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": "", "age": "14"}, "Enter at least a first name or a last name"),
        ({"received_on": "2999-01-01"}, "cannot be in the future"),
        ({"date_of_birth": "2999-01-01"}, "A date of birth cannot be in the future"),
        ({"source": "rumour"}, "Select a valid choice"),
        ({"age": "300"}, "less than or equal to 25"),
        (
            {"concerns": "c" * 10_001},
            "The concerns must be 10,000 characters or fewer; this has 10,001.",
        ),
    ],
)
def test_bad_intake_gets_a_clear_message_and_nothing_is_saved(
    world, client_for, overrides, message
):
    before = Referral.objects.count()
    response = client_for("hub_manager").post(
        reverse("referrals:referral_new"), intake_data(hub=world.hub.pk, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Referral.objects.count() == before


def decide(client, referral, **data):
    return client.post(reverse("referrals:referral_decide", args=[referral.pk]), data)


def test_accepting_opens_the_case_and_gives_the_worker_access_at_once(world, client_for):
    worker = client_for("same_spoke_worker")
    response = decide(
        client_for("hub_manager"),
        world.referral,
        decision="accepted",
        worker=world.user("same_spoke_worker").pk,
        link_to="new",
    )
    assert response.status_code == 302
    world.referral.refresh_from_db()
    case = world.referral.case
    assert world.referral.decision == Decision.ACCEPTED
    assert world.referral.decided_by == world.user("hub_manager")
    assert case.allocated_worker == world.user("same_spoke_worker")
    assert case.young_person.first_name == "Jayde"
    assert worker.get(reverse("casework:case", args=[case.pk])).status_code == 200
    assert worker.get(reverse("referrals:referral", args=[world.referral.pk])).status_code == 200


def test_accepting_without_a_worker_is_refused_and_nothing_is_written(world, client_for):
    cases, people = Case.objects.count(), YoungPerson.objects.count()
    response = decide(client_for("hub_manager"), world.referral, decision="accepted")
    assert response.status_code == 400
    assert "Choose the worker who will hold the case" in response.content.decode()
    assert (Case.objects.count(), YoungPerson.objects.count()) == (cases, people)
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.PENDING


def test_a_decline_needs_a_reason(world, client_for):
    client = client_for("hub_manager")
    refused = decide(client, world.referral, decision="declined")
    assert refused.status_code == 400
    assert "Say why the referral is declined" in refused.content.decode()
    assert decide(client, world.referral, decision="declined", reason="Over 18").status_code == 302
    world.referral.refresh_from_db()
    assert world.referral.decline_reason == "Over 18"


def test_signposting_says_where_to(world, client_for):
    client = client_for("hub_manager")
    assert decide(client, world.referral, decision="signposted").status_code == 400
    decide(client, world.referral, decision="signposted", signposted_to="Local youth service")
    world.referral.refresh_from_db()
    assert world.referral.signposted_to == "Local youth service"


def test_a_second_decision_on_a_decided_referral_is_refused_with_409(world, client_for):
    # Another manager of the same hub decided it first.
    world.users["second_hub_manager"] = make_manager(world.hub, full_name="Sasha Second")
    first = client_for("second_hub_manager")
    decide(first, world.referral, decision="declined", reason="Out of area")
    second = decide(
        client_for("hub_manager"),
        world.referral,
        decision="accepted",
        worker=world.user("same_spoke_worker").pk,
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else decided this referral first" in page
    assert "Declined by Sasha Second on " in page
    # Both versions, in the one stale-edit box every edit page uses: what this manager chose
    # beside what is saved now.
    rows = {row["field"]: (row["yours"], row["theirs"]) for row in second.context["stale"]}
    assert rows["Decision"] == ("Accept and allocate a worker", "Declined")
    assert rows["Worker"] == (world.user("same_spoke_worker"), None)
    assert rows["Why it is declined"] == (None, "Out of area")
    assert "Saved now" in page and "Out of area" in page
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.DECLINED and world.referral.case is None


def test_the_waiting_list_can_later_be_accepted(world, client_for):
    client = client_for("hub_manager")
    decide(client, world.referral, decision="waiting")
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.WAITING and world.referral.is_open
    decide(client, world.referral, decision="accepted", worker=world.user("allocated_worker").pk)
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.ACCEPTED
    history = [h.decision for h in world.referral.history.order_by("history_date")]
    assert history == ["pending", "waiting", "accepted"]


def test_the_manager_sees_matches_with_why_and_can_link_to_one(world, client_for):
    # Their earlier case closed, so accepting opens a new one (an open case is added to:
    # tests/referrals/test_one_open_case.py).
    Case.objects.filter(pk=world.case.pk).update(status="closed", closed_on=date(2026, 3, 1))
    client = client_for("hub_manager")
    page = client.get(reverse("referrals:referral", args=[world.referral.pk]))
    text = page.content.decode()
    person = world.case.young_person
    assert person.reference in text and "similar first name" in text
    response = decide(
        client,
        world.referral,
        decision="accepted",
        worker=world.user("allocated_worker").pk,
        link_to=str(person.pk),
    )
    assert response.status_code == 302
    world.referral.refresh_from_db()
    assert world.referral.young_person == person
    assert person.cases.count() == 2


def test_linking_to_a_young_person_who_was_not_offered_is_refused(world, client_for):
    other_person = world.other_case.young_person
    response = decide(
        client_for("hub_manager"),
        world.referral,
        decision="accepted",
        worker=world.user("allocated_worker").pk,
        link_to=str(other_person.pk),
    )
    assert response.status_code == 400
    assert other_person.cases.count() == 1


def test_a_worker_learns_only_that_a_match_exists_at_their_hub(world, client_for):
    response = client_for("same_spoke_worker").post(
        reverse("referrals:referral_new"),
        intake_data(hub=world.hub.pk, first_name="Jade", last_name="Testperson"),
        follow=True,
    )
    text = response.content.decode()
    assert "A possible match exists at your hub; ask your manager." in text
    assert world.case.young_person.reference not in text and "2010" not in text


def test_reading_a_referral_is_logged(world, client_for):
    client_for("hub_manager").get(reverse("referrals:referral", args=[world.referral.pk]))
    assert AccessLog.objects.filter(
        action=AccessAction.VIEW, object_type="referral", object_id=str(world.referral.pk)
    ).exists()


def test_other_hubs_cannot_decide(world, client_for):
    response = decide(client_for("other_hub_manager"), world.referral, decision="waiting")
    assert response.status_code == 404
    world.referral.refresh_from_db()
    assert world.referral.decision == Decision.PENDING


def test_the_queue_is_most_urgent_then_oldest_in_fixed_queries(
    world, client_for, django_assert_max_num_queries
):
    from referrals.services import referral_record

    for n, urgency in enumerate(["routine", "immediate", "urgent", "routine"]):
        referral_record(
            actor=world.user("hub_manager"),
            hub=world.hub,
            data={
                "received_on": date(2026, 2, 1 + n),
                "source": "health",
                "first_name": f"P{n}",
                "urgency": urgency,
            },
        )
    client = client_for("hub_manager")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("referrals:referral_queue"))
    names = [r.first_name for r in response.context["page"]]
    assert names[:2] == ["P1", "P2"] and names[-1] == "Jayde"
    filtered = client.get(
        reverse("referrals:referral_queue") + "?source=health&urgency=routine&decision=zz"
    )
    assert [r.first_name for r in filtered.context["page"]] == ["P0", "P3"]
