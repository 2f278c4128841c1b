"""Caseloads and the case page: what each person sees, the access log, query counts."""

from datetime import date, timedelta

from django.urls import reverse

from alexi.models import AccessAction, AccessLog
from casework import services


def test_opening_a_case_creates_the_young_person_and_allocates(world, client_for):
    response = client_for("hub_manager").post(
        reverse("casework:case_new"),
        {
            "first_name": "Robin",
            "gender": "not_known",
            "spoke": world.spoke.pk,
            "worker": world.user("same_spoke_worker").pk,
            "opened_on": "2026-02-01",
            "date_of_birth": "2011-05-05",
        },
    )
    assert response.status_code == 302
    case = world.user("same_spoke_worker").allocated_cases.get()
    assert case.young_person.first_name == "Robin"
    assert case.young_person.reference.startswith("YP-")


def test_opening_a_case_refuses_a_future_birth_date_and_saves_nothing(world, client_for):
    from casework.models import YoungPerson

    before = YoungPerson.objects.count()
    response = client_for("hub_manager").post(
        reverse("casework:case_new"),
        {
            "first_name": "Robin",
            "gender": "not_known",
            "spoke": world.spoke.pk,
            "worker": world.user("same_spoke_worker").pk,
            "opened_on": "2026-02-01",
            "date_of_birth": "2999-01-01",
        },
    )
    assert response.status_code == 400
    assert "A date of birth cannot be in the future" in response.content.decode()
    assert YoungPerson.objects.count() == before


def test_a_manager_cannot_open_a_case_at_another_hubs_spoke(world, client_for):
    response = client_for("hub_manager").post(
        reverse("casework:case_new"),
        {
            "first_name": "Robin",
            "gender": "not_known",
            "spoke": world.other_spoke.pk,
            "worker": world.user("other_hub_worker").pk,
            "opened_on": "2026-02-01",
        },
    )
    assert response.status_code == 400


def test_every_case_view_is_logged_and_the_manager_can_read_the_log(world, client_for):
    client_for("allocated_worker").get(reverse("casework:case", args=[world.case.pk]))
    row = AccessLog.objects.get(action=AccessAction.VIEW, object_type="case")
    assert row.user == world.user("allocated_worker") and row.object_id == str(world.case.pk)
    page = client_for("hub_manager").get(reverse("casework:case_access_log", args=[world.case.pk]))
    assert world.user("allocated_worker").email in page.content.decode()


def test_a_re_referred_young_person_gets_a_new_case_and_earlier_ones_stay_protected(
    world, client_for
):
    from casework.models import Case

    # The earlier case closed: one open case per young person per hub.
    Case.objects.filter(pk=world.case.pk).update(status="closed", closed_on=date(2026, 2, 28))
    second = services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("same_spoke_worker"),
        opened_on=date(2026, 3, 1),
        young_person=world.case.young_person,
    )
    manager_page = (
        client_for("hub_manager").get(reverse("casework:case", args=[second.pk])).content.decode()
    )
    assert world.case.reference in manager_page
    worker_page = (
        client_for("same_spoke_worker")
        .get(reverse("casework:case", args=[second.pk]))
        .content.decode()
    )
    assert world.case.reference not in worker_page
    assert "other case" not in worker_page  # not even a count of the cases they cannot see


def test_my_caseload_shows_overdue_reviews_and_filters(
    world, client_for, django_assert_max_num_queries
):
    from casework.models import Case

    Case.objects.filter(pk=world.case.pk).update(next_review_due=date.today() - timedelta(days=1))
    client = client_for("allocated_worker")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("alexi:home") + "?overdue=1").content.decode()
    assert "Jay" in page and "overdue since" in page
    empty = client.get(reverse("alexi:home") + "?level=high").content.decode()
    assert "No cases match these filters" in empty


def test_my_caseload_queries_do_not_grow_with_cases(
    world, client_for, django_assert_max_num_queries
):
    for n in range(15):
        services.case_open(
            actor=world.user("hub_manager"),
            spoke=world.spoke,
            worker=world.user("allocated_worker"),
            opened_on=date(2026, 1, 1),
            person_data={"first_name": f"Extra{n}"},
        )
    client = client_for("allocated_worker")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("alexi:home"))
    assert response.context["page"].paginator.count == 16


def test_hub_caseload_filters_and_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for("hub_manager")
    with django_assert_max_num_queries(15):
        page = client.get(reverse("casework:hub_cases")).content.decode()
    assert world.case.young_person.reference in page
    assert world.other_case.young_person.reference not in page
    filtered = client.get(
        reverse("casework:hub_cases") + "?no_contact=1&level=high&overdue=1&status=paused"
    )
    assert filtered.status_code == 200 and filtered.context["page"].paginator.count == 0
    junk = client.get(reverse("casework:hub_cases") + "?no_contact=abc&worker=-1&page=zz&sort=drop")
    assert junk.status_code == 200


def test_case_page_query_count_does_not_grow_with_the_timeline(
    world, client_for, django_assert_max_num_queries
):
    worker = world.user("allocated_worker")
    for n in range(40):
        services.session_log(
            actor=worker,
            case=world.case,
            data={
                "date": date(2026, 1, 13) + timedelta(days=n),
                "contact_method": "phone",
                "attendance": "attended",
            },
        )
    client = client_for("hub_manager")
    client.get(reverse("casework:case", args=[world.case.pk]))  # a sign-in's first request
    with django_assert_max_num_queries(20):  # also writes its session: counted from the second
        response = client.get(reverse("casework:case", args=[world.case.pk]))
    assert response.context["chronology"]["page"].total >= 43


def person_form(**overrides):
    data = {
        "first_name": "Jade",
        "preferred_name": "Jay",
        "gender": "female",
        "date_of_birth": "2010-03-01",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_details_edit_refuses_a_stale_save(world, client_for):
    url = reverse("casework:young_person_edit", args=[world.case.pk])
    assert client_for("hub_manager").post(url, person_form(preferred_name="JJ")).status_code == 302
    stale = client_for("allocated_worker").post(url, person_form(preferred_name="Jadey"))
    assert stale.status_code == 409
    assert "JJ" in stale.content.decode() and "Jadey" in stale.content.decode()
    world.case.young_person.refresh_from_db()
    assert world.case.young_person.preferred_name == "JJ"


def test_details_edit_refuses_a_future_birth_date(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:young_person_edit", args=[world.case.pk]),
        person_form(date_of_birth="2999-01-01"),
    )
    assert response.status_code == 400
    world.case.young_person.refresh_from_db()
    assert str(world.case.young_person.date_of_birth) == "2010-03-01"


def test_a_manager_reopens_for_a_known_young_person_by_reference(world, client_for):
    from casework.models import Case

    data = {
        "existing_reference": world.case.young_person.reference,
        "gender": "not_known",
        "spoke": world.spoke.pk,
        "worker": world.user("same_spoke_worker").pk,
        "opened_on": "2026-03-01",
    }
    # While their case is open, a second one is refused and the open one named.
    refused = client_for("hub_manager").post(reverse("casework:case_new"), data)
    assert refused.status_code == 400
    assert f"already has an open case at this hub ({world.case.reference})" in (
        refused.content.decode()
    )
    assert world.case.young_person.cases.count() == 1
    Case.objects.filter(pk=world.case.pk).update(status="closed", closed_on=date(2026, 2, 28))
    assert client_for("hub_manager").post(reverse("casework:case_new"), data).status_code == 302
    assert world.case.young_person.cases.count() == 2


def test_an_unknown_or_other_hubs_reference_reveals_nothing(world, client_for):
    data = {
        "existing_reference": world.other_case.young_person.reference,
        "gender": "not_known",
        "spoke": world.spoke.pk,
        "worker": world.user("same_spoke_worker").pk,
        "opened_on": "2026-03-01",
    }
    response = client_for("hub_manager").post(reverse("casework:case_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "No young person with this reference has a case you can see" in page
    assert "Kai" not in page and "Otherhub" not in page


def test_printing_a_case_is_logged(world, client_for):
    response = client_for("allocated_worker").get(
        reverse("casework:case_print", args=[world.case.pk])
    )
    assert response.status_code == 200 and "CONFIDENTIAL" in response.content.decode()
    assert AccessLog.objects.filter(
        action=AccessAction.PRINT, object_id=str(world.case.pk)
    ).exists()


def test_hub_caseload_counts_cases_by_worker(world, client_for):
    rows = client_for("hub_manager").get(reverse("casework:hub_cases")).context["by_worker"]
    assert [(r["allocated_worker__full_name"], r["total"]) for r in rows] == [("Alex Allocated", 1)]
