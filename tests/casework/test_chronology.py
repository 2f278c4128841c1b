"""The case chronology (issue 13 item 4, issue 17 item 2): filters by kind and date kept in the
address, a key events view, the latest 50 entries then "Show earlier" (htmx, or a plain link),
one query for the entries; and case notes, with their history and stale-edit protection."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from alexi.models import AccessLog
from alexi.submissions.once import FIELD, issue
from casework import services
from casework.chronology import PAGE_SIZE
from casework.models import CaseNote, CaseSession

ENTRY = re.compile(r'<li class="alexi-timeline__entry alexi-timeline__entry--(\w+)')


def case_url(world, query: str = "") -> str:
    url = reverse("casework:case", args=[world.case.pk])
    return f"{url}?{query}" if query else url


def kinds_shown(response) -> list[str]:
    return ENTRY.findall(response.content.decode())


def titles(response) -> list[str]:
    return [e.title for e in response.context["chronology"]["page"].entries]


def add_sessions(world, count: int, start: date = date(2026, 1, 13)) -> None:
    worker = world.user("allocated_worker")
    CaseSession.objects.bulk_create(
        CaseSession(
            case=world.case,
            worker=worker,
            date=start + timedelta(days=n),
            contact_method="phone",
            attendance="attended",
            notes=f"Call number {n + 1}",
        )
        for n in range(count)
    )


def note_data(**overrides):
    data = {
        "date": "2026-02-03",
        "kind": "phone_call",
        "with_whom": "Head of year",
        "text": "School says attendance is up this half term.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def a_note(world, **overrides) -> CaseNote:
    data = {
        "date": date(2026, 2, 3),
        "kind": "meeting",
        "with_whom": "Strategy meeting",
        "text": "Agreed a safety plan with police and school.",
        **overrides,
    }
    return services.case_note_record(
        actor=world.user("allocated_worker"), case=world.case, data=data
    )


# The chronology: what it shows, filters, key events ----------------------------------------


def test_the_chronology_shows_every_kind_newest_first_with_the_opening(world, client_for):
    a_note(world)
    response = client_for("allocated_worker").get(case_url(world))
    assert response.status_code == 200
    shown = kinds_shown(response)
    assert set(shown) == {"share", "allocation", "note", "session", "assessment", "case"}
    assert shown[-1] == "case" and titles(response)[-1] == "Case opened"
    page = response.context["chronology"]["page"]
    days = [e.day for e in page.entries]
    assert days[-1] == "5 Jan 2026"
    text = response.content.decode()
    assert "6 entries, newest first. Showing 1 to 6." in text
    assert 'id="chronology-count" aria-live="polite"' in text
    assert "Case note: meeting" in text and "With Strategy meeting" in text
    assert "Risk level set at" in text  # the first assessment sets the level


def test_filter_by_kind_keeps_the_filter_in_the_address(world, client_for):
    a_note(world)
    client = client_for("allocated_worker")
    response = client.get(case_url(world, "kind=note"))
    assert response.status_code == 200
    assert kinds_shown(response) == ["note"]
    assert "1 entry matches, newest first." in response.content.decode()
    both = client.get(case_url(world, "kind=session&kind=assessment"))
    assert sorted(kinds_shown(both)) == ["assessment", "session"]
    # The form shows what was asked, ticked, and opens itself.
    page = both.content.decode()
    assert re.search(r'value="session" checked', page) and re.search(
        r'value="assessment" checked', page
    )
    assert (
        '<details class="govuk-details alexi-chronology-filter" data-module="govuk-details" open>'
        in page
    )


def test_filter_by_date_range_includes_both_ends(world, client_for):
    add_sessions(world, 10)  # 13 to 22 January
    response = client_for("allocated_worker").get(
        case_url(world, "kind=session&since=2026-01-14&until=2026-01-16")
    )
    assert response.status_code == 200
    assert [e.day for e in response.context["chronology"]["page"].entries] == [
        "16 Jan 2026",
        "15 Jan 2026",
        "14 Jan 2026",
    ]


def test_a_period_with_nothing_says_so(world, client_for):
    response = client_for("allocated_worker").get(
        case_url(world, "since=2025-01-01&until=2025-02-01")
    )
    assert response.status_code == 200
    assert kinds_shown(response) == []
    assert "No entries match. Try fewer filters or a longer period." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-02-31", "Enter the \u2018From\u2019 date as a real date"),
        ("until=yesterday", "Enter the \u2018To\u2019 date as a real date"),
        (
            "since=2026-03-01&until=2026-02-01",
            "The \u2018To\u2019 date is before the \u2018From\u2019 date",
        ),
        ("kind=gossip", "Select a valid choice. gossip is not one of the available choices."),
        ("view=everything-ever", "Select a valid choice."),
        ("page=0", "That page of the chronology does not exist."),
        ("page=many", "That page of the chronology does not exist."),
    ],
)
def test_a_filter_that_cannot_be_used_gets_a_clear_message_and_400(
    world, client_for, query, message
):
    response = client_for("allocated_worker").get(case_url(world, query))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page.replace("&#x27;", "'")
    # The latest entries are still shown, unfiltered.
    assert len(kinds_shown(response)) == 5


def test_key_events_are_opening_risk_changes_sharing_transfers_and_closure(world, client_for):
    worker = world.user("allocated_worker")
    manager = world.user("hub_manager")
    initial_level = world.assessment.final_level

    def assess(day, indicators, kind="review", rationale=""):
        return services.assessment_record(
            actor=worker,
            case=world.case,
            data={
                "kind": kind,
                "assessed_on": day,
                "indicators": indicators,
                "rationale": rationale,
            },
        )

    same = assess(date(2026, 1, 20), ["missing_repeat", "out_late"])
    assert same.final_level == initial_level
    changed = assess(date(2026, 2, 1), ["out_late"], rationale="No longer going missing.")
    assert changed.final_level != initial_level
    a_note(world)
    assess(date(2026, 3, 1), ["out_late"], kind="closing")
    services.closure_request(
        actor=worker,
        case=world.case,
        closed_on=date(2026, 3, 2),
        closure_reason="goals_met",
        no_reduction_reason="",
        note="",
    )
    services.closure_return(actor=manager, case=world.case, note="One more visit first.")
    services.closure_request(
        actor=worker,
        case=world.case,
        closed_on=date(2026, 3, 3),
        closure_reason="goals_met",
        no_reduction_reason="",
        note="",
    )
    services.closure_approve(actor=manager, case=world.case)

    client = client_for("hub_manager")
    response = client.get(case_url(world, "view=key"))
    assert response.status_code == 200
    shown = titles(response)
    assert shown.count("Closure asked for") == 2
    assert "Closure returned" in shown and "Case closed" in shown and "Case opened" in shown
    assert "Transfer to another hub" in shown
    assessments = [t for t in shown if "risk assessment" in t]
    assert assessments == ["Review risk assessment", "Initial risk assessment"]  # not `same`
    page = response.content.decode()
    assert "Risk level changed from" in page
    assert "One more visit first." in page
    assert "Session" not in shown and not any(t.startswith("Case note") for t in shown)
    # "Opening and closure" as a kind shows the same four closure steps and the opening.
    lifecycle = titles(client.get(case_url(world, "kind=case")))
    assert lifecycle == [
        "Case closed",
        "Closure asked for",
        "Closure returned",
        "Closure asked for",
        "Case opened",
    ]


# Show earlier: 50 at a time, htmx or a plain link ----------------------------------------------


def test_the_latest_50_then_show_earlier_by_htmx_and_without_javascript(
    world, client_for, django_assert_max_num_queries
):
    add_sessions(world, 120)
    client = client_for("hub_manager")
    client.get(case_url(world))  # the first request of a sign-in also writes its session
    with django_assert_max_num_queries(20):
        first = client.get(case_url(world))
    assert first.status_code == 200
    assert len(kinds_shown(first)) == PAGE_SIZE
    total = first.context["chronology"]["page"].total
    assert total == 125
    page = first.content.decode()
    assert f"{total} entries, newest first. Showing 1 to 50." in page
    fragment = reverse("casework:chronology", args=[world.case.pk])
    assert f'href="{case_url(world)}?page=2#chronology"' in page
    assert f'hx-get="{fragment}?page=2"' in page and 'hx-target="#chronology-more"' in page

    with django_assert_max_num_queries(20):
        more = client.get(f"{fragment}?page=2", HTTP_HX_REQUEST="true")
    assert more.status_code == 200
    html = more.content.decode()
    assert "<html" not in html and len(kinds_shown(more)) == PAGE_SIZE
    assert 'tabindex="-1" data-chronology-first' in html  # focus moves to the first new entry
    assert 'hx-swap-oob="true"' in html and "Showing 1 to 100." in html
    assert f'hx-get="{fragment}?page=3"' in html

    last = client.get(f"{fragment}?page=3")
    assert len(kinds_shown(last)) == 25 and "chronology-more" not in last.content.decode()
    # Without JavaScript: the case page at page 2 shows entries 51 to 100 and a way back.
    second = client.get(case_url(world, "page=2"))
    assert len(kinds_shown(second)) == PAGE_SIZE
    text = second.content.decode()
    assert "Showing 51 to 100." in text and "Show later entries" in text
    newest_on_page_two = second.context["chronology"]["page"].entries[0]
    oldest_on_page_one = first.context["chronology"]["page"].entries[-1]
    assert (newest_on_page_two.day, newest_on_page_two.notes) != (
        oldest_on_page_one.day,
        oldest_on_page_one.notes,
    )
    beyond = client.get(case_url(world, "page=9"))
    assert beyond.status_code == 200 and kinds_shown(beyond) == []
    assert "There are no more." in beyond.content.decode()


def test_show_earlier_keeps_the_filters(world, client_for):
    add_sessions(world, 60)
    response = client_for("allocated_worker").get(case_url(world, "kind=session&since=2026-01-01"))
    page = response.content.decode()
    assert "kind=session&amp;since=2026-01-01&amp;page=2" in page
    more = client_for("allocated_worker").get(
        reverse("casework:chronology", args=[world.case.pk])
        + "?kind=session&since=2026-01-01&page=2"
    )
    assert kinds_shown(more) == ["session"] * 11


def test_the_case_page_queries_do_not_grow_with_the_chronology(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("allocated_worker")
    client.get(case_url(world))  # the first request of a sign-in also writes its session
    with django_assert_max_num_queries(20) as small:
        client.get(case_url(world))
    add_sessions(world, 300)
    for _ in range(5):
        a_note(world)
    with django_assert_max_num_queries(20) as large:
        client.get(case_url(world, "view=key&kind=session&kind=note&since=2026-01-01"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_showing_earlier_entries_is_logged_and_kept_from_outsiders(world, client_for):
    fragment = reverse("casework:chronology", args=[world.case.pk])
    before = AccessLog.objects.filter(object_id=str(world.case.pk), action="view").count()
    assert client_for("allocated_worker").get(f"{fragment}?page=1").status_code == 200
    assert (
        AccessLog.objects.filter(object_id=str(world.case.pk), action="view").count() == before + 1
    )
    for persona in ["same_spoke_worker", "other_hub_worker", "other_hub_manager"]:
        assert client_for(persona).get(fragment).status_code == 404
    for persona in ["funder", "programme_admin"]:
        assert client_for(persona).get(fragment).status_code == 403


def test_the_printable_record_has_every_entry(world, client_for):
    a_note(world, text="Printed note text")
    add_sessions(world, 70)
    response = client_for("allocated_worker").get(
        reverse("casework:case_print", args=[world.case.pk])
    )
    page = response.content.decode()
    assert "Printed note text" in page and "Case opened" in page
    assert page.count("Call number") == 70


# Case notes ---------------------------------------------------------------------------------


def test_a_worker_adds_a_case_note_and_it_shows_under_case_notes(world, client_for):
    client = client_for("allocated_worker")
    response = client.post(reverse("casework:note_new", args=[world.case.pk]), note_data())
    assert response.status_code == 302 and response["Location"] == case_url(world)
    note = CaseNote.objects.get(case=world.case)
    assert note.recorded_by == world.user("allocated_worker") and note.version == 1
    assert note.history.first().history_user == world.user("allocated_worker")
    shown = client.get(case_url(world, "kind=note"))
    assert titles(shown) == ["Case note: phone call"]
    assert "School says attendance is up this half term." in shown.content.decode()
    change = reverse("casework:note_edit", args=[world.case.pk, note.pk])
    assert f'href="{change}"' in shown.content.decode()


def test_the_hub_manager_can_add_a_case_note_too(world, client_for):
    response = client_for("hub_manager").post(
        reverse("casework:note_new", args=[world.case.pk]), note_data()
    )
    assert response.status_code == 302


def test_saving_an_empty_case_note_says_what_is_missing(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:note_new", args=[world.case.pk]), {}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "Enter the date of the call, meeting or message.",
        "Choose what it was.",
        "Write the note.",
    ]:
        assert message in page
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "x" * 10_001}, "Note must be 10,000 characters or fewer; this has 10,001."),
        ({"with_whom": "y" * 201}, "must be 200 characters or fewer; this has 201."),
        ({"date": "2999-01-01"}, "The date cannot be in the future."),
        ({"date": "2009-06-01"}, "The case opened on 5 January 2026"),  # before they were born
        ({"date": "2025-12-31"}, "The case opened on 5 January 2026"),
        ({"date": "31/02/2026"}, "Enter a valid date"),
        ({"kind": "carrier_pigeon"}, "Select a valid choice"),
        ({"text": "   "}, "Write the note."),
    ],
)
def test_bad_case_note_input_gets_a_clear_message_and_nothing_is_saved(
    world, client_for, overrides, message
):
    response = client_for("allocated_worker").post(
        reverse("casework:note_new", args=[world.case.pk]), note_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_case_note_of_exactly_10000_characters_is_saved_whole(world, client_for):
    response = client_for("allocated_worker").post(
        reverse("casework:note_new", args=[world.case.pk]), note_data(text="z" * 10_000)
    )
    assert response.status_code == 302
    assert CaseNote.objects.get().text == "z" * 10_000


def test_a_case_note_sent_twice_is_saved_once(world, client_for):
    client = client_for("allocated_worker")
    token = issue(world.user("allocated_worker"))
    url = reverse("casework:note_new", args=[world.case.pk])
    first = client.post(url, {**note_data(), FIELD: token})
    again = client.post(url, {**note_data(), FIELD: token})
    assert first.status_code == 302
    assert again.status_code == 200 and "Already saved" in again.content.decode()
    assert CaseNote.objects.count() == 1


def test_two_people_changing_a_case_note_at_once_the_second_is_shown_both(world, client_for):
    note = a_note(world)
    url = reverse("casework:note_edit", args=[world.case.pk, note.pk])
    worker, manager = client_for("allocated_worker"), client_for("hub_manager")
    assert 'name="version" value="1"' in worker.get(url).content.decode()
    first = manager.post(url, note_data(text="Manager's version", version="1"))
    assert first.status_code == 302
    stale = worker.post(url, note_data(text="Worker's version", version="1"))
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this record" in page
    assert "Manager&#x27;s version" in page and "Worker&#x27;s version" in page
    note.refresh_from_db()
    assert note.text == "Manager's version" and note.version == 2
    again = worker.post(url, note_data(text="Worker's version", version="2"))
    assert again.status_code == 302
    note.refresh_from_db()
    assert note.text == "Worker's version" and note.version == 3
    assert note.history.count() == 3


def test_a_closed_case_takes_no_case_notes_and_shows_no_change_links(world, client_for):
    note = a_note(world)
    world.case.status = "closed"
    world.case.closed_on = date(2026, 3, 1)
    world.case.save()
    client = client_for("allocated_worker")
    response = client.post(reverse("casework:note_new", args=[world.case.pk]), note_data())
    assert response.status_code == 400
    assert "This case is closed" in response.content.decode()
    assert CaseNote.objects.count() == 1
    page = client.get(case_url(world)).content.decode()
    assert reverse("casework:note_edit", args=[world.case.pk, note.pk]) not in page
    assert "Add a case note" not in page


@pytest.mark.parametrize("persona", ["same_spoke_worker", "other_hub_worker", "other_hub_manager"])
def test_outsiders_can_neither_add_nor_open_case_notes(world, client_for, persona):
    note = a_note(world)
    client = client_for(persona)
    new = reverse("casework:note_new", args=[world.case.pk])
    edit = reverse("casework:note_edit", args=[world.case.pk, note.pk])
    assert client.get(new).status_code == 404
    assert client.post(new, note_data()).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, note_data(text="Changed", version="1")).status_code == 404
    assert CaseNote.objects.count() == 1 and CaseNote.objects.get().version == 1


@pytest.mark.parametrize("persona", ["funder", "programme_admin"])
def test_funders_and_admins_never_reach_case_notes(world, client_for, persona):
    note = a_note(world)
    client = client_for(persona)
    assert (
        client.post(reverse("casework:note_new", args=[world.case.pk]), note_data()).status_code
        == 403
    )
    assert (
        client.get(reverse("casework:note_edit", args=[world.case.pk, note.pk])).status_code == 403
    )


def test_a_note_of_another_case_is_not_reached_through_this_one(world, client_for):
    other = services.case_note_record(
        actor=world.user("other_hub_worker"),
        case=world.other_case,
        data={"date": date(2026, 2, 3), "kind": "email", "with_whom": "", "text": "Elsewhere"},
    )
    response = client_for("allocated_worker").get(
        reverse("casework:note_edit", args=[world.case.pk, other.pk])
    )
    assert response.status_code == 404


def test_opening_a_case_note_to_change_it_is_logged(world, client_for):
    note = a_note(world)
    client_for("allocated_worker").get(reverse("casework:note_edit", args=[world.case.pk, note.pk]))
    assert AccessLog.objects.filter(object_type__icontains="note", object_id=str(note.pk)).exists()
