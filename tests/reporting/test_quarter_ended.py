"""A return is made only for a quarter that has ended (in Europe/London), on every path: the
Returns page, `manage.py generate_returns`, the Celery task, a waiting request and the sweep."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from reporting.models import QuarterlyReturn, ReturnKind, ReturnRequest
from reporting.returns import (
    QuarterNotEnded,
    Subject,
    ended_quarter,
    generate,
    generate_quarter,
    parse_quarter,
    quarter_has_ended,
    quarter_label,
)
from reporting.scope import Period


def in_progress() -> str:
    return quarter_label(Period.quarter_of(timezone.localdate()))


def future() -> str:
    next_start = Period.quarter_of(timezone.localdate()).end + timedelta(days=1)
    return quarter_label(Period.quarter_of(next_start + timedelta(days=92)))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def set_clock(monkeypatch, instant: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: instant)


def test_a_quarter_has_ended_from_the_day_after_its_last_day_in_london():
    q1 = parse_quarter("2026Q1")
    assert not quarter_has_ended(q1, now=at(2026, 2, 15, 12))  # in progress
    assert not quarter_has_ended(q1, now=at(2025, 12, 31, 12))  # not started
    assert not quarter_has_ended(q1, now=at(2026, 3, 31, 22, 59))  # 23:59 on 31 March (BST)
    assert quarter_has_ended(q1, now=at(2026, 3, 31, 23, 0))  # 00:00 on 1 April in London
    assert quarter_has_ended(q1, now=at(2026, 4, 1, 12))
    q4 = parse_quarter("2026Q4")  # GMT: London and UTC agree at new year
    assert not quarter_has_ended(q4, now=at(2026, 12, 31, 23, 59))
    assert quarter_has_ended(q4, now=at(2027, 1, 1, 0, 0))


def test_the_london_date_decides_whatever_time_zone_is_active():
    with timezone.override("Pacific/Honolulu"):  # still 31 March there
        assert quarter_has_ended(parse_quarter("2026Q1"), now=at(2026, 3, 31, 23, 30))


def test_the_refusal_says_when_the_returns_can_be_made():
    with pytest.raises(QuarterNotEnded, match=r"2026Q1 is still in progress.*1 April 2026"):
        ended_quarter("2026Q1", now=at(2026, 3, 31, 12))
    with pytest.raises(QuarterNotEnded, match=r"2026Q2 has not started yet.*1 July 2026"):
        ended_quarter("2026Q2", now=at(2026, 3, 31, 12))


@pytest.mark.parametrize("quarter", [in_progress(), future()])
def test_the_returns_page_refuses_a_quarter_that_has_not_ended(world, client_for, quarter):
    response = client_for("programme_admin").post(
        reverse("reporting:returns_generate"), {"quarter": quarter}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#g-quarter"' in page
    assert 'id="g-quarter-error"' in page and "the day after it ends" in page
    assert f'value="{quarter}"' in page  # the form again, as it was sent
    assert not ReturnRequest.objects.exists()
    assert not QuarterlyReturn.objects.exists()


def test_the_returns_page_allows_the_day_after_the_quarter_ends(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for("programme_admin")
    set_clock(monkeypatch, at(2026, 3, 31, 22, 55))  # 23:55 on 31 March in London
    refused = client.post(reverse("reporting:returns_generate"), {"quarter": "2026Q1"})
    assert refused.status_code == 400 and not ReturnRequest.objects.exists()
    set_clock(monkeypatch, at(2026, 3, 31, 23, 5))  # 00:05 on 1 April in London
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(reverse("reporting:returns_generate"), {"quarter": "2026Q1"})
    assert made.status_code == 302, made
    assert made["Location"] == reverse("reporting:returns"), made["Location"]
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3


@pytest.mark.parametrize("quarter", [in_progress(), future()])
def test_the_command_refuses_with_a_clear_message_and_a_non_zero_exit(
    world, capsys, monkeypatch, quarter
):
    from django.core.management import ManagementUtility
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's connection

    with pytest.raises(CommandError, match="the day after it ends"):
        call_command("generate_returns", quarter=quarter)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "generate_returns", "--quarter", quarter]).execute()
    assert exit_.value.code != 0
    assert f"{quarter} " in capsys.readouterr().err
    assert not QuarterlyReturn.objects.exists()


def test_the_command_makes_the_returns_the_day_after(world, monkeypatch):
    set_clock(monkeypatch, at(2026, 4, 1, 8))
    call_command("generate_returns", quarter="2026Q1")
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3


@pytest.mark.parametrize("quarter", [in_progress(), future()])
def test_the_task_and_the_service_refuse(world, quarter):
    from reporting.tasks import generate_returns

    with pytest.raises(QuarterNotEnded):
        generate_returns.delay(quarter).get()
    with pytest.raises(QuarterNotEnded):
        generate_quarter(quarter)
    with pytest.raises(QuarterNotEnded):
        generate(Subject(ReturnKind.HUB, hub=world.hub), quarter)
    assert not QuarterlyReturn.objects.exists()


def test_a_waiting_request_for_a_quarter_not_ended_is_closed_without_a_return(world):
    from reporting.tasks import process_return_requests

    waiting = [
        ReturnRequest.objects.create(quarter=in_progress()),
        ReturnRequest.objects.create(quarter=future(), regenerate=True),
        ReturnRequest.objects.create(quarter="2026Q1"),
    ]
    assert process_return_requests() == 3
    assert all(r.done_at for r in ReturnRequest.objects.filter(pk__in=[w.pk for w in waiting]))
    assert set(QuarterlyReturn.objects.values_list("quarter", flat=True)) == {"2026Q1"}


def test_the_sweep_never_makes_a_return_for_a_quarter_not_ended(world, monkeypatch):
    from reporting.tasks import generate_returns

    ReturnRequest.objects.create(quarter="2026Q2")
    set_clock(monkeypatch, at(2026, 6, 30, 22, 59))  # 23:59 on 30 June in London
    generate_returns()
    assert set(QuarterlyReturn.objects.values_list("quarter", flat=True)) == {"2026Q1"}
    assert ReturnRequest.objects.get().done_at is not None
    set_clock(monkeypatch, at(2026, 6, 30, 23, 0))  # 1 July in London: 2026Q2 is over
    generate_returns()
    assert set(QuarterlyReturn.objects.values_list("quarter", flat=True)) == {"2026Q1", "2026Q2"}
    assert QuarterlyReturn.objects.filter(period_end__gte=date(2026, 7, 1)).count() == 0
