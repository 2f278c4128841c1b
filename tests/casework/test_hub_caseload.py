"""The hub caseload (issue 13 item 1): managers see the young people's names, filter by worker,
spoke, risk, review due, last contact and status, and sort by every column either way."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import cast

import pytest
from django.urls import reverse
from django.utils import timezone

from alexi.models import Spoke
from casework import services
from casework.models import Case
from tests.factories import SpokeFactory, local_authority, make_worker

pytestmark = pytest.mark.django_db

URL = reverse("casework:hub_cases")


def verified(user):
    user.is_verified = lambda: True
    return user


@pytest.fixture
def cases(world) -> dict[str, Case]:
    """Four cases of the home hub at two spokes, each first or last by some column."""
    today = timezone.localdate()
    leeds = cast(Spoke, SpokeFactory(hub=world.hub, local_authority=local_authority("E08000035")))
    lee = make_worker(leeds, full_name="Lee Leeds")
    manager = verified(world.user("hub_manager"))

    def open_case(spoke, worker, first, last, preferred=""):
        return services.case_open(
            actor=manager,
            spoke=spoke,
            worker=worker,
            opened_on=date(2026, 1, 6),
            person_data={"first_name": first, "last_name": last, "preferred_name": preferred},
        )

    made = {
        "jade": world.case,
        "amy": open_case(leeds, lee, "Amy", "Zebra"),
        "bob": open_case(world.spoke, world.user("same_spoke_worker"), "Bob", "Young", "Bobby"),
        "cat": open_case(world.spoke, world.user("allocated_worker"), "Cat", "Xylo"),
    }
    summary = {
        "jade": ("medium", today + timedelta(days=20), today - timedelta(days=10)),
        "amy": ("high", today - timedelta(days=3), today - timedelta(days=40)),
        "bob": ("low", today + timedelta(days=3), today - timedelta(days=2)),
        "cat": ("", None, None),
    }
    for key, (level, review, contact) in summary.items():
        Case.objects.filter(pk=made[key].pk).update(
            current_level=level, next_review_due=review, last_contact_on=contact
        )
    made["leeds"] = leeds
    made["lee"] = lee
    return made


def listed(client, cases, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    names = {case.pk: key for key, case in cases.items() if isinstance(case, Case)}
    return [names[case.pk] for case in response.context["page"]]


def test_managers_see_the_young_peoples_names(world, client_for, cases):
    page = client_for("hub_manager").get(URL).content.decode()
    for shown in [
        "Jade Testperson",
        "(known as Jay)",
        "Amy Zebra",
        "Bob Young",
        "(known as Bobby)",
    ]:
        assert shown in page, shown
    assert world.case.young_person.reference in page
    assert "Kai Otherhub" not in page


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("name", ["jade", "cat", "bob", "amy"]),
        ("spoke", ["jade", "bob", "cat", "amy"]),
        ("worker", ["jade", "cat", "amy", "bob"]),
        ("risk", ["cat", "bob", "jade", "amy"]),
        ("contact", ["cat", "amy", "jade", "bob"]),  # never contacted counts as longest ago
        ("review", ["amy", "bob", "jade", "cat"]),  # no review date last
    ],
)
def test_every_column_sorts_both_ways(world, client_for, cases, sort, ascending):
    client = client_for("hub_manager")
    assert listed(client, cases, sort=sort, order="asc") == ascending
    assert listed(client, cases, sort=sort, order="desc") == ascending[::-1]


def test_a_column_first_sorts_its_natural_way(world, client_for, cases):
    client = client_for("hub_manager")
    assert listed(client, cases) == ["amy", "bob", "jade", "cat"]  # next review, soonest
    assert listed(client, cases, sort="risk") == ["amy", "jade", "bob", "cat"]  # highest first
    assert listed(client, cases, sort="name") == ["jade", "cat", "bob", "amy"]


def _headers(page: str) -> dict[str, tuple[str | None, str]]:
    """Column label -> (its aria-sort, its link)."""
    found = {}
    for attrs, href, label in re.findall(
        r'<th scope="col" class="govuk-table__header"([^>]*)><a class="govuk-link '
        r'alexi-sortable__link" href="([^"]+)">([^<]+)<',
        page,
    ):
        sort = re.search(r'aria-sort="(\w+)"', attrs)
        found[label] = (sort.group(1) if sort else None, href.replace("&amp;", "&"))
    return found


def test_the_sorted_column_says_so_and_its_link_sorts_the_other_way(world, client_for, cases):
    client = client_for("hub_manager")
    headers = _headers(
        client.get(URL, {"sort": "name", "order": "asc", "level": "high"}).content.decode()
    )
    assert list(headers) == [
        "Young person",
        "Spoke",
        "Worker",
        "Risk",
        "Last contact",
        "Next review",
    ]
    assert headers["Young person"][0] == "ascending"
    assert [sort for sort, _ in headers.values()].count(None) == 5
    assert "sort=name" in headers["Young person"][1] and "order=desc" in headers["Young person"][1]
    assert "sort=risk" in headers["Risk"][1] and "order=desc" in headers["Risk"][1]
    assert (
        "sort=contact" in headers["Last contact"][1] and "order=asc" in headers["Last contact"][1]
    )
    for _, link in headers.values():
        assert "level=high" in link  # the filters stay
    page = client.get(URL, {"sort": "name", "order": "desc"}).content.decode()
    assert _headers(page)["Young person"] == (
        "descending",
        "?sort=name&order=asc",
    )
    assert ", sort A to Z</span>" in page and ", sort highest first</span>" in page


def test_paging_and_filtering_keep_the_sort(world, client_for, cases):
    response = client_for("hub_manager").get(
        URL, {"sort": "worker", "order": "desc", "level": "high"}
    )
    assert "sort=worker" in response.context["query"] and "order=desc" in response.context["query"]
    assert "level=high" in response.context["query"]
    page = response.content.decode()
    assert '<input type="hidden" name="sort" value="worker">' in page
    assert '<input type="hidden" name="order" value="desc">' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"review": "overdue"}, ["amy"]),
        ({"overdue": "1"}, ["amy"]),  # the earlier address of the same filter
        ({"review": "week"}, ["bob"]),
        ({"review": "soon"}, ["amy", "bob"]),
        ({"review": "none"}, ["cat"]),
        ({"level": "high"}, ["amy"]),
        ({"level": "none"}, []),
        ({"no_contact": "30"}, ["amy", "cat"]),
        ({"no_contact": "5"}, ["amy", "jade", "cat"]),
    ],
)
def test_each_filter(world, client_for, cases, params, expected):
    assert listed(client_for("hub_manager"), cases, **params) == expected


def test_filter_by_worker_and_by_spoke(world, client_for, cases):
    client = client_for("hub_manager")
    assert listed(client, cases, worker=cases["lee"].pk) == ["amy"]
    assert listed(client, cases, worker=world.user("allocated_worker").pk) == ["jade", "cat"]
    assert listed(client, cases, spoke=cases["leeds"].pk) == ["amy"]
    assert listed(client, cases, spoke=world.spoke.pk) == ["bob", "jade", "cat"]
    # Another hub's spoke or worker: nothing (and nothing of theirs).
    assert listed(client, cases, spoke=world.other_spoke.pk) == []
    assert listed(client, cases, worker=world.user("other_hub_worker").pk) == []
    page = client.get(URL).content.decode()
    assert f'<option value="{cases["leeds"].pk}">Leeds</option>' in page
    assert f'<option value="{world.other_spoke.pk}"' not in page
    assert "Lee Leeds" in page and "Olly Otherhub" not in page


def test_filter_by_status(world, client_for, cases):
    client = client_for("hub_manager")
    Case.objects.filter(pk=cases["bob"].pk).update(status="paused")
    Case.objects.filter(pk=cases["cat"].pk).update(status="closed", closed_on=date(2026, 2, 1))
    assert listed(client, cases) == ["amy", "bob", "jade"]
    assert listed(client, cases, status="paused") == ["bob"]
    assert listed(client, cases, status="closed") == ["cat"]
    assert listed(client, cases, status="open") == ["amy", "jade"]


def test_filters_and_sorts_that_mean_nothing_are_ignored(world, client_for, cases):
    client = client_for("hub_manager")
    for params in [
        {"sort": "drop table", "order": "sideways"},
        {"review": "yesterday", "level": "extreme", "status": "gone"},
        {"spoke": "-1", "worker": "x" * 10_001, "no_contact": "99999"},
        {"page": "zz"},
    ]:
        assert listed(client, cases, **params) == ["amy", "bob", "jade", "cat"], params


def test_a_clear_filters_link_when_filtered(world, client_for, cases):
    client = client_for("hub_manager")
    assert "Clear the filters" not in client.get(URL).content.decode()
    page = client.get(URL, {"level": "high", "sort": "name", "order": "asc"}).content.decode()
    assert f'href="{URL}?sort=name&amp;order=asc">Clear the filters' in page


def test_two_pages_sorted_by_name_in_few_queries(
    world, client_for, cases, django_assert_max_num_queries
):
    manager = verified(world.user("hub_manager"))
    for n in range(55):
        services.case_open(
            actor=manager,
            spoke=cases["leeds"],
            worker=cases["lee"],
            opened_on=date(2026, 1, 6),
            person_data={"first_name": "Many", "last_name": f"Name{n:02d}"},
        )
    client = client_for("hub_manager")
    client.get(URL)
    with django_assert_max_num_queries(15):
        first = client.get(URL, {"sort": "name", "order": "asc"})
    with django_assert_max_num_queries(15):
        second = client.get(URL, {"sort": "name", "order": "asc", "page": "2"})
    names = [c.young_person.last_name for c in first.context["page"]] + [
        c.young_person.last_name for c in second.context["page"]
    ]
    assert len(names) == 59
    assert names == sorted(names)


def test_transfers_offered_and_emergency_access_are_listed_from_one_query(world, client_for):
    services.break_glass(
        actor=verified(world.user("other_hub_manager")),
        case=world.case,
        justification="Police called out of hours about this young person tonight.",
    )
    home = client_for("hub_manager").get(URL)
    assert [s.kind for s in home.context["break_glass"]] == ["break_glass"]
    assert home.context["transfers"] == []
    assert "Police called out of hours" in home.content.decode()
    other = client_for("other_hub_manager").get(URL)
    assert [s.pk for s in other.context["transfers"]] == [world.transfer.pk]
    assert other.context["break_glass"] == []
    assert "From Home Hub to" in other.content.decode()
