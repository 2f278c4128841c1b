"""Every figure against a hand-counted programme, including the edges (DOMAIN.md)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from alexi.models import HubManagement, Spoke, WorkerProfile
from casework import services
from casework.models import Case, RiskAssessment
from reporting import disclosure
from reporting.figures import all_figures
from reporting.scope import Period, Scope
from tests.factories import SpokeFactory, local_authority, make_manager, make_worker

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def aware(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def open_case(world, opened, *, person=None, name="X"):
    return services.case_open(
        actor=world.user("hub_manager"),
        spoke=world.spoke,
        worker=world.user("allocated_worker"),
        opened_on=opened,
        young_person=person,
        person_data=None if person else {"first_name": name},
    )


def assess(case, kind, day, level, view=""):
    RiskAssessment.objects.create(
        case=case,
        kind=kind,
        assessed_on=day,
        assessor_id=case.allocated_worker_id,
        final_level=level,
        computed_level=level,
        young_person_view=view,
    )


def close(case, day, reason=""):
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=day, closure_reason="goals_met", no_reduction_reason=reason
    )


@pytest.fixture
def programme(world):
    """The world (C1 opened 5 Jan 2026 with a medium initial assessment and one attended
    session chosen by the young person), plus, at the home hub:

    C2 same young person as C3, opened 31 Mar (the period's last day; one open case per
       young person per hub, so a re-referral comes after the earlier case closed)
    C3 opened 1 Dec 2025, closed 1 Jan (first day): initial high, closing low (lower)
    C4 opened 10 Jan, closed 31 Mar: initial medium, no closing assessment
    C5 opened and closed before the period; C6 opened after it
    C7 opened 20 Jan, closed 20 Feb: low to low, no reduction because of non-engagement;
       reallocated once; one attended session by a worker not allocated to it
    """
    w = world
    c3 = open_case(w, date(2025, 12, 1), name="C3")
    assess(c3, "initial", date(2025, 12, 1), "high")
    assess(c3, "closing", date(2025, 12, 31), "low")
    close(c3, date(2026, 1, 1))
    c2 = open_case(w, date(2026, 3, 31), person=c3.young_person)
    c4 = open_case(w, date(2026, 1, 10), name="C4")
    assess(c4, "initial", date(2026, 1, 10), "medium")
    services.session_log(
        actor=w.user("allocated_worker"),
        case=c4,
        data={"date": date(2026, 2, 2), "contact_method": "phone", "attendance": "declined"},
    )
    close(c4, date(2026, 3, 31))
    c5 = open_case(w, date(2025, 11, 1), name="C5")
    close(c5, date(2025, 12, 31))
    open_case(w, date(2026, 4, 1), name="C6")
    c7 = open_case(w, date(2026, 1, 20), name="C7")
    assess(c7, "initial", date(2026, 1, 20), "low", view="Not sure I need this")
    assess(c7, "closing", date(2026, 2, 20), "low")
    services.session_log(
        actor=w.user("same_spoke_worker"),
        case=c7,
        data={
            "date": date(2026, 2, 1),
            "contact_method": "face_to_face",
            "attendance": "attended",
            "young_person_chose": False,
        },
    )
    services.case_reallocate(
        actor=w.user("hub_manager"), case=c7, worker=w.user("same_spoke_worker")
    )
    close(c7, date(2026, 2, 20), reason="non_engagement")
    return w, c2


def test_casework_figures_for_the_home_hub_in_q1(programme):
    world, _ = programme
    f = all_figures(Scope("hub", world.hub.pk), Q1)
    assert f["cases_opened"] == 4  # C1, C2 (last day), C4, C7
    assert f["cases_closed"] == 3  # C3 (first day), C4 (last day), C7
    assert f["young_people_in_casework"] == 4  # C1 and C2 are one young person
    assert f["closed_assessed"] == 2  # C3, C7
    assert f["closed_lower_risk"] == 1  # C3
    assert f["closed_lower_risk_pct"] == 50.0
    assert f["no_reduction_reasons"] == {"non_engagement": 1}
    assert f["closed_without_assessment"] == 1  # C4
    assert f["sessions_attended"] == 2
    assert f["sessions_not_attended_by_reason"] == {"declined": 1}
    assert f["continuity_pct"] == 50.0  # C7's session was not by its worker at the time
    assert f["choice_pct"] == 50.0
    assert f["voice_pct"] == 50.0  # C1 initial and C7 initial, of four in Q1
    assert f["mean_workers_per_closed_case"] == 1.33  # C3 1, C4 1, C7 2


def test_the_other_hub_and_the_programme(programme):
    world, _ = programme
    other = all_figures(Scope("hub", world.other_hub.pk), Q1)
    assert other["cases_opened"] == 1 and other["cases_closed"] == 0
    assert all_figures(Scope(), Q1)["cases_opened"] == 5


def test_a_period_with_nothing_gives_zeros_and_nulls(programme):
    f = all_figures(Scope("hub", programme[0].hub.pk), Period(date(2020, 1, 1), date(2020, 3, 31)))
    assert f["cases_opened"] == 0 and f["closed_lower_risk_pct"] is None
    assert f["voice_pct"] is None and f["mean_workers_per_closed_case"] is None


@pytest.fixture
def structure(world):
    """Q2 2026: a spoke that ended mid-quarter, one that ended before it, a home LA area, a
    manager of two hubs, and a worker who moved spoke during and after the quarter."""
    from alexi.models import HistoricalWorkerProfile

    ended_mid = SpokeFactory(
        hub=world.hub, local_authority=local_authority("E08000026"), end_date=date(2026, 5, 15)
    )
    SpokeFactory(
        hub=world.hub, local_authority=local_authority("E08000027"), end_date=date(2026, 3, 31)
    )
    world.hub.home_las.add(local_authority("E08000029"))
    make_manager(world.hub, world.other_hub, full_name="Dual Manager")
    mover = make_worker(world.spoke, full_name="Mo Mover")
    HistoricalWorkerProfile.objects.update(history_date=aware(date(2026, 1, 1)))
    profile = WorkerProfile.objects.get(user=mover)
    profile.spoke = ended_mid
    profile.save()
    HistoricalWorkerProfile.objects.filter(user_id=mover.pk, spoke_id=ended_mid.pk).update(
        history_date=aware(date(2026, 6, 1))
    )
    profile.spoke = world.spoke
    profile.fte = Decimal("0.5")
    profile.save()
    HistoricalWorkerProfile.objects.filter(
        user_id=mover.pk, spoke_id=world.spoke.pk, history_date__gt=aware(date(2026, 6, 2))
    ).update(history_date=aware(date(2026, 7, 15)))
    return world, ended_mid


def test_structure_figures_at_the_period_end(structure):
    world, ended_mid = structure
    programme = all_figures(Scope(), Q2)
    assert programme["hubs"] == 2
    assert programme["la_areas_spokes"] == 3  # Birmingham, Coventry (ended mid), Bristol
    assert programme["la_areas_total"] == 4  # and Solihull, the home hub's own area
    assert programme["hub_managers"] == 3
    assert programme["spoke_workers"] == 4  # the mover counted once, at Coventry
    home = all_figures(Scope("hub", world.hub.pk), Q2)
    assert home["hub_managers"] == 2  # its manager and the manager of two hubs
    assert home["spoke_workers"] == 3 and home["spoke_worker_fte"] == 3.0
    assert all_figures(Scope("spoke", ended_mid.pk), Q2)["spoke_workers"] == 1
    assert all_figures(Scope("hub", world.hub.pk), Q1)["spoke_workers"] == 3
    assert Spoke.objects.filter(hub=world.hub).count() == 3
    assert HubManagement.objects.filter(hub=world.other_hub).count() == 2


def test_disclosure_control_rules():
    assert disclosure.suppress_row({"a": 0, "b": 3, "c": 7, "d": 12}) == {
        "a": 0,
        "b": "c",
        "c": "c",
        "d": 12,
    }
    # two hidden cells adding to under 10 could be worked out from the total: hide one more
    assert disclosure.suppress_row({"a": 2, "b": 4, "c": 9, "d": 30}) == {
        "a": "c",
        "b": "c",
        "c": "c",
        "d": 30,
    }
    assert disclosure.suppress_row({"a": 1, "b": 1, "c": 40}) == {"a": "c", "b": "c", "c": "c"}
    table = disclosure.suppress_table(
        {"hub1": {"x": 3, "y": 10, "z": 20}, "hub2": {"x": 8, "y": 11, "z": 30}}
    )
    assert table["hub1"] == {"x": "c", "y": "c", "z": 20}
    assert table["hub2"]["x"] == "c" and table["hub2"]["y"] == "c"  # columns x and y
    figures = {
        "cases_opened": 4,
        "closed_assessed": 9,
        "closed_lower_risk_pct": 44.4,
        "referrals_by_source": {"police": 2, "school": 40},
        "professionals_trained": 3,
    }
    hub = disclosure.apply(figures, headline=False)
    assert hub["cases_opened"] == "c" and hub["closed_lower_risk_pct"] == "c"
    assert hub["referrals_by_source"] == {"police": "c", "school": "c"}
    assert hub["professionals_trained"] == 3  # not a count of children
    assert disclosure.apply(figures, headline=True)["cases_opened"] == 4


def test_the_figures_command_prints_domain_keys(programme, capsys):
    import json

    world, _ = programme
    call_command(
        "figures", "--scope", f"hub:{world.hub.ref}", "--from", "2026-01-01", "--to", "2026-03-31"
    )
    out = json.loads(capsys.readouterr().out)
    assert out["cases_opened"] == 4 and list(out)[0] == "hubs"
    call_command(
        "figures",
        "--scope",
        f"hub:{world.hub.ref}",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--disclosure-control",
    )
    assert json.loads(capsys.readouterr().out)["cases_opened"] == "c"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "hub:NOPE", "--from", "2026-01-01", "--to", "2026-03-31"], "No hub"),
        (["--scope", "galaxy", "--from", "2026-01-01", "--to", "2026-03-31"], "--scope is"),
        (["--from", "2026-04-01", "--to", "2026-03-31"], "cannot end before it starts"),
        (["--from", "yesterday", "--to", "2026-03-31"], "--from must be a date"),
    ],
)
def test_the_figures_command_explains_bad_input(db, args, message):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("figures", *args)


def test_disclosure_hides_what_sums_percentages_and_averages_would_give_back():
    figures = {
        "cases_closed": 50,
        "closed_assessed": 47,
        "closed_without_assessment": 3,
        "closed_lower_risk": 4,
        "closed_lower_risk_pct": 8.5,
        "no_reduction_reasons": {"moved_away": 20, "ongoing_exploitation": 23},
        "sessions_attended": 40,
        "continuity_pct": 97.5,
        "choice_pct": 50.0,
        "mean_workers_per_closed_case": 1.5,
        "median_days_to_decision": 3.0,
        "referrals_received": 8,
    }
    out = disclosure.apply(figures, headline=False)
    assert out["closed_without_assessment"] == "c"
    assert out["closed_assessed"] == "c" or out["cases_closed"] == "c"  # 50 - 47 would give 3
    assert out["closed_lower_risk_pct"] == "c"  # its numerator, 4, is hidden
    assert out["continuity_pct"] == "c"  # 2.5 % of 40 is 1 session
    assert out["choice_pct"] == 50.0
    assert out["median_days_to_decision"] == "c"  # fewer than 10 referrals behind it
    assert disclosure.round_to_five({"cases_closed": 103, "referrals_by_source": {"x": 12}}) == {
        "cases_closed": 105,
        "referrals_by_source": {"x": 10},
    }


def test_a_hubs_hidden_cell_cannot_be_recovered_from_the_funders_total(world):
    from reporting.models import ReturnKind
    from reporting.returns import Subject, build, parse_quarter

    world.funder_org.hubs.add(world.other_hub)
    content = build(Subject(ReturnKind.FUNDER, funder=world.funder_org), parse_quarter("2026Q1"))
    opened = [hub["figures"]["cases_opened"] for hub in content["hubs"].values()]
    assert opened == ["c", "c"]  # one each: both hidden, the total hidden too
    assert content["figures"]["cases_opened"] == "c"
