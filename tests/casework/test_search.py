"""Search, within access (issue 13 item 1): people find the cases they may open by name,
preferred name, reference or date of birth, typing errors forgiven; nobody learns anything
about a case they may not open; every search is in the access log with what was typed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alexi.models import AccessAction, AccessLog
from casework import search, services
from casework.models import Case, YoungPersonRef
from tests.conftest import sign_in_fully
from tests.factories import make_manager

pytestmark = pytest.mark.django_db

URL = reverse("casework:search")


def verified(user):
    user.is_verified = lambda: True  # as if signed in with the second factor
    return user


def open_case(world, *, at_home: bool, worker: str, **person) -> Case:
    manager = world.user("hub_manager" if at_home else "other_hub_manager")
    return services.case_open(
        actor=verified(manager),
        spoke=world.spoke if at_home else world.other_spoke,
        worker=world.user(worker),
        opened_on=date(2026, 1, 6),
        person_data=person,
    )


@pytest.fixture
def canary(world) -> Case:
    """A young person at the other hub whose name, date of birth and references appear
    nowhere else: nobody at the home hub may find them."""
    case = open_case(
        world,
        at_home=False,
        worker="other_hub_worker",
        first_name="Canarybird",
        last_name="Zzyzx",
        preferred_name="Canny",
        date_of_birth=date(2012, 7, 7),
    )
    Case.objects.filter(pk=case.pk).update(import_ref="CAN-777")
    YoungPersonRef.objects.create(
        hub=world.other_hub, ref="P-CANARY1", young_person=case.young_person
    )
    return case


@pytest.fixture
def colleagues_case(world) -> Case:
    """A case of another worker at the allocated worker's own spoke."""
    return open_case(
        world,
        at_home=True,
        worker="same_spoke_worker",
        first_name="Colleaguebird",
        last_name="Qwyzz",
        date_of_birth=date(2011, 4, 3),
    )


def found(client, q: str) -> list[int]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.content.decode()[:500]
    return [row.case.pk for row in response.context["rows"]]


# What finds a case ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "Jade Testperson",
        "jade testperson",
        "Testperson",
        "Jaed Testperson",  # letters swapped
        "Jade Tesperson",  # a letter missing
        "Jade Testpersson",  # a letter too many
        "testpers",  # the start of a name
        "Jay Testperson",  # preferred name
        "Jay",
        "Testperson Jade",  # either order
        "  JADE   TESTPERSON ",
    ],
)
def test_a_worker_finds_their_case_by_name_typing_errors_forgiven(world, client_for, q):
    assert found(client_for("allocated_worker"), q) == [world.case.pk]


@pytest.mark.parametrize("q", ["1/3/2010", "01/03/2010", "2010-03-01", "1.3.2010", "1-3-2010"])
def test_a_worker_finds_their_case_by_date_of_birth(world, client_for, q):
    assert found(client_for("allocated_worker"), q) == [world.case.pk]


def test_name_and_date_of_birth_together_must_both_match(world, client_for):
    client = client_for("allocated_worker")
    assert found(client, "Jade 1/3/2010") == [world.case.pk]
    assert found(client, "Jade 2/3/2010") == []


def test_a_worker_finds_their_case_by_reference(world, client_for):
    client = client_for("allocated_worker")
    case = world.case
    Case.objects.filter(pk=case.pk).update(import_ref="LDS-0042")
    YoungPersonRef.objects.create(hub=world.hub, ref="P-1234", young_person=case.young_person)
    for q in [
        case.reference,
        case.reference.lower(),
        f"C{case.pk}",
        f"c-{case.pk}",
        case.young_person.reference,
        f"yp {case.young_person.pk}",
        "LDS-0042",
        "lds-0042",
        "P-1234",
    ]:
        assert found(client, q) == [case.pk], q


def test_a_result_shows_the_case_and_links_to_it(world, client_for):
    response = client_for("allocated_worker").get(URL, {"q": "Jade"})
    page = response.content.decode()
    case = Case.objects.get(pk=world.case.pk)
    assert reverse("casework:case", args=[case.pk]) in page
    for shown in [
        "Jade Testperson",
        "(known as Jay)",
        case.reference,
        "Born 1 Mar 2010",
        f"age {case.young_person.age_on_today}",
        "Worker: Alex Allocated",
        "Open",
        f"alexi-level--{case.current_level}",
        "1 case found",
    ]:
        assert shown in page, shown


def test_a_hub_manager_finds_closed_cases_too_marked_closed(world, client_for):
    Case.objects.filter(pk=world.case.pk).update(status="closed", closed_on=date(2026, 2, 28))
    response = client_for("hub_manager").get(URL, {"q": "Testperson"})
    assert [row.case.pk for row in response.context["rows"]] == [world.case.pk]
    assert "Closed on 28 Feb 2026" in response.content.decode()


def test_closest_name_first_and_open_cases_before_closed(world, client_for):
    closed = open_case(
        world, at_home=True, worker="allocated_worker", first_name="Jade", last_name="Testperson"
    )
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_on=date(2026, 2, 28))
    near = open_case(
        world, at_home=True, worker="allocated_worker", first_name="Jade", last_name="Testpersen"
    )
    assert found(client_for("hub_manager"), "Jade Testperson") == [
        world.case.pk,
        closed.pk,
        near.pk,
    ]


def test_at_most_twenty_results_and_it_says_there_are_more(world, client_for):
    for n in range(search.LIMIT + 1):
        open_case(
            world,
            at_home=True,
            worker="allocated_worker",
            first_name=f"Manyname{chr(97 + n)}",
            last_name="Samesurname",
        )
    response = client_for("hub_manager").get(URL, {"q": "Samesurname"})
    assert len(response.context["rows"]) == search.LIMIT
    page = response.content.decode()
    assert f"More than {search.LIMIT} cases match" in page
    assert "To narrow it down" in page


# Within access, and nothing leaks ---------------------------------------------------------


def test_a_worker_does_not_find_a_colleagues_case_at_their_spoke_unless_shared(
    world, client_for, colleagues_case
):
    client = client_for("allocated_worker")
    for q in ["Colleaguebird Qwyzz", "Colleagubird", "3/4/2011", colleagues_case.reference]:
        assert found(client, q) == [], q
    assert found(client_for("same_spoke_worker"), "Colleaguebird") == [colleagues_case.pk]
    services.case_share(
        actor=verified(world.user("same_spoke_worker")),
        case=colleagues_case,
        worker=world.user("allocated_worker"),
        reason="Cover while I am away",
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    response = client_for("allocated_worker").get(URL, {"q": "Colleaguebird"})
    assert [row.case.pk for row in response.context["rows"]] == [colleagues_case.pk]
    assert "Shared with you" in response.content.decode()


def test_nobody_at_the_home_hub_finds_the_other_hubs_young_person(world, client_for, canary):
    for persona in ["allocated_worker", "same_spoke_worker", "hub_manager"]:
        client = client_for(persona)
        for q in ["Canarybird Zzyzx", "Canny", "Canarybrd", "7/7/2012", "CAN-777", "P-CANARY1"]:
            assert found(client, q) == [], (persona, q)
        assert found(client, canary.reference) == []
        assert found(client, canary.young_person.reference) == []
    assert found(client_for("other_hub_manager"), "Canarybrd") == [canary.pk]
    assert found(client_for("other_hub_worker"), "P-CANARY1") == [canary.pk]


def test_emergency_access_finds_the_case_while_it_lasts_marked_so(world, client_for):
    manager = client_for("other_hub_manager")
    assert found(manager, "Jade Testperson") == []
    services.break_glass(
        actor=verified(world.user("other_hub_manager")),
        case=world.case,
        justification="Police called out of hours about this young person tonight.",
    )
    response = manager.get(URL, {"q": "Jade Testperson"})
    assert [row.case.pk for row in response.context["rows"]] == [world.case.pk]
    assert "Emergency access" in response.content.decode()


def test_a_manager_of_no_hub_today_finds_nothing_and_gets_no_error(world, client_for):
    nobody = make_manager(full_name="Nora Nohub")
    nobody.hub_managements.all().delete()
    client = sign_in_fully(Client(), nobody)
    assert found(client, "Jade") == []


def _statements(client, q: str) -> tuple[int, list[str], str, int]:
    """(queries, the SQL of each without its parameters, the page with what was typed and
    the one-time form tokens taken out, status) of one search."""
    templates: list[str] = []

    def keep(execute, sql, params, many, context):
        templates.append(re.sub(r'"s\d+_x\d+"', "SAVEPOINT-NAME", sql))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(keep):
        response = client.get(URL, {"q": q})
    page = response.content.decode().replace(q, "TERMS")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    return len(captured), templates, page, response.status_code


@pytest.mark.parametrize("persona", ["allocated_worker", "hub_manager"])
@pytest.mark.parametrize(
    ("canary_terms", "nobodys_terms"),
    [
        ("Canarybird Zzyzx", "Nobodyhere Qqqqq"),
        ("Canarybrd", "Nbodyhere"),
        ("7/7/2012", "8/7/2012"),
        ("CAN-777", "NOB-777"),
        ("P-CANARY1", "P-NOBODY1"),
        ("canary-ref", "C-999999"),
    ],
)
def test_a_young_person_one_may_not_open_changes_nothing_in_the_search(
    world, client_for, canary, persona, canary_terms, nobodys_terms
):
    """Searching for the other hub's young person gives exactly what searching for a name
    nobody has gives: the same page apart from what was typed, the same status, the same
    number of queries and the same statements (so the same work: no timing to measure)."""
    if canary_terms == "canary-ref":
        canary_terms = canary.reference
    client = client_for(persona)
    client.get(URL, {"q": "warm up"})
    canary_run = _statements(client, canary_terms)
    nobody_run = _statements(client, nobodys_terms)
    assert canary_run[3] == nobody_run[3] == 200
    assert canary_run[0] == nobody_run[0]
    assert canary_run[1] == nobody_run[1]
    assert canary_run[2] == nobody_run[2]
    assert "No cases found" in canary_run[2]


def _plan(user, q: str) -> list[str]:
    """What PostgreSQL did for the search statement: each step and the rows it handled
    (no times, which vary), with what was typed taken out."""
    sql, params = search._statement(user, search.parse(q))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    # Parameters aside: each literal (what was typed, its trigrams, the bar) becomes X; the
    # rows each step handled ("rows=9590") stay.
    return [re.sub(r"'(?:[^']|'')*'|(?<=[=<>] )\d+", "X", line) for line in plan]


@pytest.mark.parametrize("persona", ["allocated_worker", "hub_manager"])
def test_the_database_does_the_same_work_for_a_young_person_one_may_not_open(
    world, canary, persona
):
    user = verified(world.user(persona))
    assert _plan(user, "Canarybird Zzyzx") == _plan(user, "Nobodyhere Qqqqq")
    assert _plan(user, "7/7/2012") == _plan(user, "8/7/2012")
    assert _plan(user, "CAN-777") == _plan(user, "NOB-777")
    plan = "\n".join(_plan(user, "Canarybird Zzyzx"))
    # Restrict first: the cases this person may open are worked out before any matching, and
    # no index of names (which holds every hub's young people) is used.
    assert "CTE visible" in plan
    assert "trgm" not in plan and "yp_first_name" not in plan and "yp_last_name" not in plan


# The access log ---------------------------------------------------------------------------


def test_every_search_is_in_the_access_log_with_what_was_typed(world, client_for, canary):
    client = client_for("hub_manager")
    before = AccessLog.objects.count()
    client.get(URL, {"q": "Jaed Testperson"})
    client.get(URL, {"q": "Canarybird Zzyzx"})
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [(r.action, r.terms, r.object_type, r.object_ids) for r in rows] == [
        (AccessAction.SEARCH, "Jaed Testperson", "case", [world.case.pk]),
        (AccessAction.SEARCH, "Canarybird Zzyzx", "case", []),
    ]
    assert rows[0].user == world.user("hub_manager")
    assert rows[0].path == "search/"


def test_no_search_no_log_entry(world, client_for):
    client = client_for("allocated_worker")
    before = AccessLog.objects.count()
    for query in [{}, {"q": ""}, {"q": "   "}]:
        response = client.get(URL, query)
        assert response.status_code == 200
        assert "rows" not in response.context
    assert AccessLog.objects.count() == before


def test_who_opened_this_case_shows_the_searches_that_listed_it(world, client_for):
    client_for("allocated_worker").get(URL, {"q": "Jaed Testperson"})
    client_for("allocated_worker").get(URL, {"q": "Kai Otherhub"})  # listed nothing
    page = client_for("hub_manager").get(reverse("casework:case_access_log", args=[world.case.pk]))
    text = page.content.decode()
    assert "Found in a search for “Jaed Testperson”" in text
    assert "Kai Otherhub" not in text


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("x" * 10_001, "must be 100 characters or fewer; this has 10,001"),
        ("a" * 101, "must be 100 characters or fewer"),
        ("Jade\x00", "Take out the unusual characters"),
        ("31/2/2011", "31/2/2011 is not a real date"),
        ("2011-13-01", "is not a real date"),
        ("3/4/11", "is not a date we can read"),
        ("3/4/2011 4/4/2011", "Type one date of birth at a time"),
    ],
)
def test_a_search_that_cannot_be_made_says_why_with_a_400_and_logs_nothing(
    world, client_for, q, message
):
    before = AccessLog.objects.count()
    response = client_for("allocated_worker").get(URL, {"q": q})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert AccessLog.objects.count() == before


def test_a_search_is_a_get_only(world, client_for):
    assert client_for("allocated_worker").post(URL, {"q": "Jade"}).status_code == 405


# Who has the search box -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "has_box"),
    [
        ("allocated_worker", True),
        ("hub_manager", True),
        ("funder", False),
        ("programme_admin", False),
    ],
)
def test_the_header_search_box_is_for_those_who_open_case_records(
    world, client_for, persona, has_box
):
    page = client_for(persona).get(reverse("alexi:account")).content.decode()
    assert ('role="search"' in page) is has_box
    assert ("alexi/search.js" in page) is has_box
    if has_box:
        assert f'action="{URL}"' in page


@pytest.mark.parametrize("persona", ["funder", "programme_admin"])
def test_funders_and_administrators_cannot_search(world, client_for, persona):
    before = AccessLog.objects.filter(action=AccessAction.SEARCH).count()
    assert client_for(persona).get(URL, {"q": "Jade"}).status_code == 403
    assert AccessLog.objects.filter(action=AccessAction.SEARCH).count() == before


@pytest.mark.parametrize("persona", ["allocated_worker", "hub_manager"])
def test_search_page_queries_are_few_and_fixed(
    world, client_for, persona, django_assert_max_num_queries
):
    for n in range(15):
        open_case(
            world,
            at_home=True,
            worker="allocated_worker",
            first_name=f"Jade{chr(97 + n)}",
            last_name="Testperson",
        )
    client = client_for(persona)
    client.get(URL, {"q": "warm up"})
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "Jade Testperson"})
    assert len(response.context["rows"]) == 16


@pytest.mark.parametrize(
    "name", ["Tyler Notrael", "o'neil-smith a", "Zoë  Ångström", "x", "Jade 2", "a_b"]
)
def test_the_trigrams_are_pg_trgms(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", [name])
        (expected,) = cursor.fetchone()
    ours = search.trigrams(name)
    # PostgreSQL shows a trigram with a letter beyond ASCII as a hash: compare the others,
    # and how many there are.
    assert len(ours) == len(expected)
    assert sorted(t for t in ours if t.isascii()) == sorted(t for t in expected if len(t) == 3)


@pytest.mark.parametrize(
    "q", ["mary jane oneil", "Mary-Jan", "O'Neill", "oneil mary", "Mray-Jane", "Jane O Neil"]
)
def test_names_with_hyphens_and_apostrophes_are_found(world, client_for, q):
    case = open_case(
        world,
        at_home=True,
        worker="allocated_worker",
        first_name="Mary-Jane",
        last_name="O'Neil",
    )
    assert case.pk in found(client_for("hub_manager"), q)


def test_the_first_test_never_drops_a_match(world):
    """The strpos test before word_similarity only saves work: with it or without it, the
    same cases in the same order."""
    for first, last in [("Mary-Jane", "O'Neil"), ("Jaden", "Testpersen"), ("Tyler", "Notreal")]:
        open_case(world, at_home=True, worker="allocated_worker", first_name=first, last_name=last)
    user = verified(world.user("hub_manager"))
    for q in ["jade testperson", "Tylr", "mary oneill", "ty no", "testpersonnnnn jade jay"]:
        terms = search.parse(q)
        sql, params = search._statement(user, terms)
        test, test_params = search._trigram_test(terms.name)
        first_name_param = params.index(terms.name)
        without = params[: first_name_param + 1] + params[first_name_param + 1 + len(test_params) :]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            with_test = cursor.fetchall()
            cursor.execute(sql.replace(test, "TRUE", 1), without)
            assert cursor.fetchall() == with_test, q
