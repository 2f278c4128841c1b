"""A worker who records a referral they may not open is sent (redirect after POST) to a page
that confirms it: its reference and the matches they may see, and to no one else."""

from django.urls import reverse

from referrals.models import Referral


def intake(world, **overrides):
    return {
        "hub": world.hub.pk,
        "received_on": "2026-03-05",
        "source": "school",
        "urgency": "routine",
        "first_name": "Ari",
        "gender": "not_known",
        "young_person_aware": "not_known",
        "concerns": "Seen with older men.",
        **overrides,
    }


def test_a_worker_recording_a_referral_is_redirected_to_its_confirmation(world, client_for):
    client = client_for("allocated_worker")
    response = client.post(reverse("referrals:referral_new"), intake(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral_recorded")
    referral = Referral.objects.latest("id")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert referral.reference in page.content.decode()
    assert "Seen with older men" not in page.content.decode()  # its details stay closed


def test_the_confirmation_shows_nothing_to_anyone_else(world, client_for):
    client_for("allocated_worker").post(reverse("referrals:referral_new"), intake(world))
    for persona in ("same_spoke_worker", "other_hub_worker", "hub_manager"):
        assert client_for(persona).get(reverse("referrals:referral_recorded")).status_code == 404


def test_a_session_naming_someone_elses_referral_gets_nothing(world, client_for):
    client = client_for("same_spoke_worker")
    session = client.session
    session["referral_recorded"] = world.referral.pk  # recorded by the hub manager
    session.save()
    assert client.get(reverse("referrals:referral_recorded")).status_code == 404


def test_the_confirmation_page_reads_in_fixed_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("allocated_worker")
    client.post(reverse("referrals:referral_new"), intake(world))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("referrals:referral_recorded")).status_code == 200
