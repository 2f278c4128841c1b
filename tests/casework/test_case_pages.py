"""Caseloads and the case page: what each person sees, the access log, query counts."""

from datetime import date, timedelta

from django.urls import reverse

from alexi.models import AccessAction, AccessLog
from casework import services


def test_opening_a_case_creates_the_young_person_and_allocates(world, client_for):
    response = client_for("hub_manager").post(
        reverse("case_new"),
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
        reverse("case_new"),
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
        reverse("case_new"),
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
    client_for("allocated_worker").get(reverse("case", args=[world.case.pk]))
    row = AccessLog.objects.get(action=AccessAction.VIEW, object_type="case")
    assert row.user == world.user("allocated_worker") and row.object_id == str(world.case.pk)
    page = client_for("hub_manager").get(reverse("case_access_log", args=[world.case.pk]))
    assert world.user("allocated_worker").email in page.content.decode()


def test_a_re_referred_young_person_gets_a_new_case_and_earlier_ones_stay_protected(
    world, client_for
):
    services.closure_approve  # noqa: B018 (the earlier case is simply another case)
    second = services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("same_spoke_worker"),
        opened_on=date(2026, 3, 1),
        young_person=world.case.young_person,
    )
    manager_page = client_for("hub_manager").get(reverse("case", args=[second.pk])).content.decode()
    assert world.case.reference in manager_page
    worker_page = (
        client_for("same_spoke_worker").get(reverse("case", args=[second.pk])).content.decode()
    )
    assert world.case.reference not in worker_page
    assert "1 other case you do not have access to" in worker_page


def test_my_caseload_shows_overdue_reviews_and_filters(
    world, client_for, django_assert_max_num_queries
):
    from casework.models import Case

    Case.objects.filter(pk=world.case.pk).update(next_review_due=date.today() - timedelta(days=1))
    client = client_for("allocated_worker")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("home") + "?overdue=1").content.decode()
    assert "Jay" in page and "overdue since" in page
    empty = client.get(reverse("home") + "?level=high").content.decode()
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
        response = client.get(reverse("home"))
    assert response.context["page"].paginator.count == 16


def test_hub_caseload_filters_and_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for("hub_manager")
    with django_assert_max_num_queries(15):
        page = client.get(reverse("hub_cases")).content.decode()
    assert world.case.young_person.reference in page
    assert world.other_case.young_person.reference not in page
    filtered = client.get(reverse("hub_cases") + "?no_contact=1&level=high&overdue=1&status=paused")
    assert filtered.status_code == 200 and filtered.context["page"].paginator.count == 0
    junk = client.get(reverse("hub_cases") + "?no_contact=abc&worker=-1&page=zz&sort=drop")
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
    with django_assert_max_num_queries(20):
        response = client.get(reverse("case", args=[world.case.pk]))
    assert len(response.context["timeline"]) >= 43
