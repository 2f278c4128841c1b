"""Training, groupwork and consultancy: quick entry, totals, history, bad input, access."""

from datetime import date

import pytest
from django.urls import reverse

from reporting.figures import activity_figures
from reporting.scope import Period, Scope
from training.models import Consultation, Groupwork, TrainingAttendance, TrainingEvent

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


def training_data(world, **overrides):
    data = {
        "spoke": world.spoke.pk,
        "date": "2026-03-01",
        "title": "CSE awareness",
        "kind": "awareness",
        "attendees_education": "20",
        "attendees_health": "4",
    }
    data.update(overrides)
    return data


def test_a_worker_records_training_with_attendees_by_profession(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("training:training_new"), training_data(world)
    )
    assert response.status_code == 302
    event = TrainingEvent.objects.get(title="CSE awareness")
    assert dict(event.attendance.values_list("profession", "attendees")) == {
        "education": 20,
        "health": 4,
    }
    assert event.delivered_by == world.user("allocated_worker")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"attendees_education": "-3"}, "greater than or equal to 0"),
        ({"attendees_education": "10001"}, "less than or equal to 10000"),
        ({"attendees_education": "", "attendees_health": ""}, "at least one"),
        ({"date": "2999-01-01"}, "cannot be in the future"),
        ({"kind": "party"}, "Select a valid choice"),
        ({"confidence_after": "9"}, "less than or equal to 5"),
    ],
)
def test_bad_training_input_is_refused_and_nothing_is_saved(world, client_for, overrides, message):
    before = (TrainingEvent.objects.count(), TrainingAttendance.objects.count())
    response = client_for("allocated_worker").post(
        reverse("training:training_new"), training_data(world, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (TrainingEvent.objects.count(), TrainingAttendance.objects.count()) == before


def test_a_worker_cannot_record_for_another_spoke(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("training:training_new"), training_data(world, spoke=world.other_spoke.pk)
    )
    assert response.status_code == 400
    assert not TrainingEvent.objects.filter(spoke=world.other_spoke).exists()


def test_editing_training_keeps_history_and_replaces_counts(world, client_for):
    url = reverse("training:training_edit", args=[world.training.pk])
    client = client_for("hub_manager")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        training_data(
            world, title="Spotting exploitation (updated)", attendees_police="5", version="1"
        ),
    )
    assert response.status_code == 302
    world.training.refresh_from_db()
    assert world.training.title == "Spotting exploitation (updated)"
    assert dict(world.training.attendance.values_list("profession", "attendees")) == {
        "education": 20,
        "health": 4,
        "police": 5,
    }
    assert world.training.history.count() == 2
    assert world.training.history.first().history_user == world.user("hub_manager")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"young_people": "0"}, "greater than or equal to 1"),
        ({"young_people": "50000"}, "less than or equal to 10000"),
        ({"young_people": "abc"}, "Enter a whole number"),
        ({"setting": "nightclub"}, "Select a valid choice"),
    ],
)
def test_bad_groupwork_is_refused(world, client_for, data, message):
    before = Groupwork.objects.count()
    base = {
        "spoke": world.spoke.pk,
        "date": "2026-03-01",
        "setting": "school",
        "title": "Assembly",
        "young_people": "120",
        "age_band": "mixed",
    }
    response = client_for("allocated_worker").post(
        reverse("training:groupwork_new"), {**base, **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Groupwork.objects.count() == before


def test_a_consultation_is_recorded_from_a_phone(world, client_for):
    response = client_for("same_spoke_worker").post(
        reverse("training:consultation_new"),
        {
            "spoke": world.spoke.pk,
            "date": "2026-03-02",
            "professional_role": "police",
            "agency": "Police",
            "minutes": "25",
            "topic": "Missing episodes",
        },
    )
    assert response.status_code == 302
    assert Consultation.objects.filter(professional_role="police").count() == 1


def test_lists_show_totals_for_any_period_in_fixed_queries(
    world, client_for, django_assert_max_num_queries
):
    from training.services import training_save

    for n in range(5):
        training_save(
            actor=world.user("hub_manager"),
            spoke=world.spoke,
            data={"date": date(2025, 5, 1 + n), "title": f"Older {n}", "kind": "briefing"},
            attendance={"carer": 2, "other": 1},
        )
    client = client_for("hub_manager")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("training:activities") + "?from=2025-01-01&to=2026-03-31")
    assert len(response.context["events"]) == 6
    response = client.get(reverse("training:activities") + "?from=2026-01-01&to=2026-03-31")
    totals = response.context["totals"]
    assert totals["professionals"] == 15
    assert totals["young_people"] == 28
    assert totals["consultations"] == 1 and totals["minutes"] == 40
    empty = client.get(reverse("training:activities") + "?from=2025-01-01&to=2025-03-31").context[
        "totals"
    ]
    assert empty["professionals"] == 0


def test_a_bad_period_says_so_with_a_400(world, client_for):
    response = client_for("hub_manager").get(
        reverse("training:activities") + "?from=2026-03-01&to=2026-01-01"
    )
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_other_hubs_see_nothing_of_it(world, client_for):
    page = client_for("other_hub_manager").get(
        reverse("training:activities") + "?from=2026-01-01&to=2026-03-31"
    )
    assert page.context["totals"]["professionals"] == 0
    assert "Spotting exploitation" not in page.content.decode()
    assert (
        client_for("other_hub_worker")
        .get(reverse("training:training_edit", args=[world.training.pk]))
        .status_code
        == 404
    )


def test_figures_by_scope(world):
    hub = Scope("hub", world.hub.pk)
    assert activity_figures(hub, Q1) == {
        "professionals_trained": 15,
        "professionals_trained_by_profession": {"police": 3, "social_worker": 12},
        "young_people_reached_groupwork": 28,
        "consultations": 1,
        "consultations_by_role": {"education": 1},
    }
    assert activity_figures(Scope("hub", world.other_hub.pk), Q1)["professionals_trained"] == 0
    assert activity_figures(Scope("la", world.spoke.local_authority_id), Q1)["consultations"] == 1
    assert (
        activity_figures(Scope("funder", world.funder_org.pk), Q1)["young_people_reached_groupwork"]
        == 28
    )
    edge = Period(date(2026, 2, 11), date(2026, 2, 11))
    assert activity_figures(Scope(), edge)["young_people_reached_groupwork"] == 28
    assert activity_figures(Scope(), edge)["professionals_trained"] == 0


def test_a_stale_edit_of_groupwork_is_refused_and_nothing_is_overwritten(world, client_for):
    url = reverse("training:groupwork_edit", args=[world.groupwork.pk])
    base = {
        "spoke": world.spoke.pk,
        "date": "2026-02-11",
        "setting": "school",
        "title": "Healthy relationships",
        "age_band": "14_16",
        "version": "1",
    }
    assert client_for("hub_manager").post(url, {**base, "young_people": "30"}).status_code == 302
    stale = client_for("allocated_worker").post(url, {**base, "young_people": "99"})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this record" in page
    # Both versions are shown: what the second person entered and what is saved now.
    assert stale.context["stale"] == [{"field": "How many young people", "yours": 99, "theirs": 30}]
    world.groupwork.refresh_from_db()
    assert world.groupwork.young_people == 30 and world.groupwork.version == 2


def test_a_stale_edit_of_training_shows_both_versions_and_saving_again_is_a_choice(
    world, client_for
):
    url = reverse("training:training_edit", args=[world.training.pk])
    base = {
        "spoke": world.spoke.pk,
        "date": "2026-02-10",
        "kind": "training",
        "attendees_social_worker": "12",
        "attendees_police": "3",
        "version": "1",
    }
    first, second = client_for("hub_manager"), client_for("allocated_worker")
    assert second.get(url).status_code == 200  # both open the page at version 1
    saved = first.post(url, {**base, "title": "Manager's title", "attendees_police": "4"})
    assert saved.status_code == 302
    stale = second.post(url, {**base, "title": "Worker's title", "attendees_police": "7"})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    rows = {row["field"]: (row["yours"], row["theirs"]) for row in stale.context["stale"]}
    assert rows == {"Title": ("Worker's title", "Manager's title"), "Police": (7, 4)}
    assert "Worker&#x27;s title" in page and "Manager&#x27;s title" in page
    world.training.refresh_from_db()
    assert world.training.title == "Manager's title" and world.training.version == 2
    assert world.training.attendance.get(profession="police").attendees == 4
    # The form keeps what they entered, moved on to the version saved now: sending it again
    # (having seen both) saves it; it is never saved without that second choice.
    assert 'name="version" value="2"' in page
    again = second.post(url, {**base, "title": "Worker's title", "version": "2"})
    assert again.status_code == 302
    world.training.refresh_from_db()
    assert world.training.title == "Worker's title" and world.training.version == 3


def test_the_list_narrows_to_one_of_their_spokes_and_never_to_another_hubs(world, client_for):
    """?spoke= narrows the list and its totals to one of this person's spokes; another hub's
    spoke (or a made-up value) shows their own records as if nothing was chosen, never the
    other hub's."""
    from training.services import training_save

    for spoke, title in ((world.spoke, "Ours"), (world.other_spoke, "Theirs")):
        training_save(
            actor=world.user("hub_manager"),
            spoke=spoke,
            data={"date": date(2026, 2, 1), "title": title, "kind": "briefing"},
            attendance={"carer": 3},
        )
    client = client_for("hub_manager")
    url = reverse("training:activities") + "?from=2026-01-01&to=2026-03-31&spoke="

    def shown(spoke: str) -> tuple[set[str], int]:
        response = client.get(url + spoke)
        assert response.status_code == 200
        events = response.context["events"]
        return {event.title for event in events}, response.context["totals"]["professionals"]

    ours, professionals = shown(str(world.spoke.pk))
    assert "Ours" in ours and "Theirs" not in ours and professionals >= 3
    for other in (str(world.other_spoke.pk), "999999999", "x"):
        titles, total = shown(other)
        assert "Theirs" not in titles and (titles, total) == (ours, professionals)
