"""The figures: one function each, taking a scope and a period, computed in the database.

Dashboards, returns and downloads all call these (ARCHITECTURE.md idea 4). Keys match
DOMAIN.md, "The figures".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, FloatField, Min, Q, Sum

from referrals.models import Decision, Referral
from reporting.scope import Period, Scope
from training.models import Consultation, Groupwork, TrainingAttendance

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from alexi.models import Hub, Spoke
    from casework.models import Case, CaseSession

FINAL_DECISIONS = (Decision.ACCEPTED, Decision.SIGNPOSTED, Decision.DECLINED)


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, computed in the database."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _referrals(scope: Scope, period: Period) -> QuerySet[Referral]:
    return Referral.objects.filter(
        scope.referral_filter(), received_on__range=(period.start, period.end)
    )


def referrals_received(scope: Scope, period: Period) -> int:
    """Referrals received in the period."""
    return _referrals(scope, period).distinct().count()


def referrals_by_source(scope: Scope, period: Period) -> dict[str, int]:
    """Referrals received in the period, by source."""
    rows = _referrals(scope, period).values("source").annotate(n=Count("id", distinct=True))
    return {row["source"]: row["n"] for row in rows.order_by("source")}


def referrals_by_decision(scope: Scope, period: Period) -> dict[str, int]:
    """Referrals received in the period, by their decision so far (pending included)."""
    rows = _referrals(scope, period).values("decision").annotate(n=Count("id", distinct=True))
    return {row["decision"]: row["n"] for row in rows.order_by("decision")}


def median_days_to_decision(scope: Scope, period: Period) -> float | None:
    """Median days from received to a final decision (accepted, signposted, declined), among
    referrals received in the period that have one."""
    value = (
        _referrals(scope, period)
        .filter(decision__in=FINAL_DECISIONS, decided_on__isnull=False)
        .aggregate(m=Median(F("decided_on") - F("received_on"), output_field=DurationField()))["m"]
    )
    return _days(value)


def median_days_to_first_contact(scope: Scope, period: Period) -> float | None:
    """Median days from received to the first session (attended or attempted; not one the
    worker cancelled) of the case opened from it, among referrals received in the period."""
    firsts = (
        _referrals(scope, period)
        .filter(case__isnull=False)
        .annotate(
            # On or after the day it came: a referral accepted into a case already open
            # counts from its own arrival, not from the case's earlier sessions.
            first=Min(
                "case__sessions__date",
                filter=~Q(case__sessions__attendance="cancelled")
                & Q(case__sessions__date__gte=F("received_on")),
            )
        )
        .filter(first__isnull=False)
        .annotate(days=F("first") - F("received_on"))
        .values("days")
    )
    sql, params = firsts.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ({sql}) AS firsts",  # noqa: S608 (Django-built SQL, parameters passed separately)
            params,
        )
        value = cursor.fetchone()[0]
    return _days(value)


def _days(value: Any) -> float | None:
    """Date differences arrive as integer days (date - date in PostgreSQL) or a timedelta."""
    if value is None:
        return None
    if hasattr(value, "days"):
        value = value.days + value.seconds / 86400
    return round(float(value), 1)


# --- Training, groupwork and consultancy --------------------------------------------------


def _attendance(scope: Scope, period: Period) -> QuerySet[TrainingAttendance]:
    return TrainingAttendance.objects.filter(
        scope.activity_filter("event__spoke"), event__date__range=(period.start, period.end)
    )


def professionals_trained(scope: Scope, period: Period) -> int:
    """Sum of attendees at training and awareness events held in the period."""
    return cast(int, _attendance(scope, period).aggregate(n=Sum("attendees"))["n"] or 0)


def professionals_trained_by_profession(scope: Scope, period: Period) -> dict[str, int]:
    """The same, by profession."""
    rows = _attendance(scope, period).values("profession").annotate(n=Sum("attendees"))
    return {row["profession"]: row["n"] for row in rows.order_by("profession")}


def young_people_reached_groupwork(scope: Scope, period: Period) -> int:
    """Sum of the young-people counts of groupwork, talks and sessions held in the period."""
    return cast(
        int,
        Groupwork.objects.filter(
            scope.activity_filter(), date__range=(period.start, period.end)
        ).aggregate(n=Sum("young_people"))["n"]
        or 0,
    )


def _consultations(scope: Scope, period: Period) -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        scope.activity_filter(), date__range=(period.start, period.end)
    )


def consultations(scope: Scope, period: Period) -> int:
    """Case-consultancy episodes in the period."""
    return _consultations(scope, period).count()


def consultations_by_role(scope: Scope, period: Period) -> dict[str, int]:
    """The same, by the professional's role."""
    rows = _consultations(scope, period).values("professional_role").annotate(n=Count("id"))
    return {row["professional_role"]: row["n"] for row in rows.order_by("professional_role")}


ACTIVITY_FIGURES = {
    "professionals_trained": professionals_trained,
    "professionals_trained_by_profession": professionals_trained_by_profession,
    "young_people_reached_groupwork": young_people_reached_groupwork,
    "consultations": consultations,
    "consultations_by_role": consultations_by_role,
}


def activity_figures(scope: Scope, period: Period) -> dict[str, Any]:
    return {key: function(scope, period) for key, function in ACTIVITY_FIGURES.items()}


REFERRAL_FIGURES = {
    "referrals_received": referrals_received,
    "referrals_by_source": referrals_by_source,
    "referrals_by_decision": referrals_by_decision,
    "median_days_to_decision": median_days_to_decision,
    "median_days_to_first_contact": median_days_to_first_contact,
}


def referral_figures(scope: Scope, period: Period) -> dict[str, Any]:
    return {key: function(scope, period) for key, function in REFERRAL_FIGURES.items()}


# --- The programme's structure -----------------------------------------------------------


def _active_spokes(scope: Scope, period: Period) -> QuerySet[Spoke]:
    """Spokes in scope active at some point in the period."""

    from alexi.models import Spoke

    return Spoke.objects.filter(
        scope.spoke_filter(),
        Q(end_date__isnull=True) | Q(end_date__gte=period.start),
        start_date__lte=period.end,
    )


def _hubs(scope: Scope, period: Period) -> QuerySet[Hub]:
    from alexi.models import Hub

    return Hub.objects.filter(pk__in=_active_spokes(scope, period).values("hub_id"))


def hubs(scope: Scope, period: Period) -> int:
    """Hubs in scope with a spoke active in the period."""
    return _hubs(scope, period).count()


def la_areas_total(scope: Scope, period: Period) -> int:
    """Distinct LA areas served by those hubs (their home areas) or their active spokes."""
    from alexi.models import Hub, LocalAuthority

    spokes = _active_spokes(scope, period)
    home = Hub.home_las.through.objects.filter(hub_id__in=_hubs(scope, period).values("pk"))
    if scope.kind in ("spoke", "la"):
        home = home.none()  # a spoke or an LA area is not a hub's home patch
    return (
        LocalAuthority.objects.filter(
            Q(pk__in=spokes.values("local_authority_id"))
            | Q(pk__in=home.values("localauthority_id"))
        )
        .distinct()
        .count()
    )


def la_areas_spokes(scope: Scope, period: Period) -> int:
    """Distinct LA areas of active spokes."""
    return _active_spokes(scope, period).values("local_authority_id").distinct().count()


def hub_managers(scope: Scope, period: Period) -> int:
    """Distinct people managing those hubs at the period's end."""

    from alexi.models import HubManagement

    return (
        HubManagement.objects.current(on=period.end)
        .filter(hub__in=_hubs(scope, period))
        .values("manager_id")
        .distinct()
        .count()
    )


def _workers_at_end(scope: Scope, period: Period) -> Any:  # simple_history: no stubs
    """Worker profiles as they stood at the end of the period's last day, at active spokes."""
    from datetime import datetime, time

    from django.utils import timezone

    from alexi.models import User, WorkerProfile

    end = timezone.make_aware(datetime.combine(period.end, time.max))
    return (
        WorkerProfile.history.filter(history_date__lte=end)
        .latest_of_each()
        .exclude(history_type="-")
        .filter(spoke_id__in=_active_spokes(scope, period).values("pk"))
        .filter(user_id__in=User.objects.filter(is_active=True).values("pk"))  # not leavers
    )


def spoke_workers(scope: Scope, period: Period) -> int:
    """Workers attached to active spokes at the period's end (a worker who moved counts at
    the spoke they were at then)."""
    return cast(int, _workers_at_end(scope, period).count())


def spoke_worker_fte(scope: Scope, period: Period) -> float:
    """The sum of those workers' FTE."""
    total = _workers_at_end(scope, period).aggregate(total=Sum("fte"))["total"]
    return float(round(total, 2)) if total is not None else 0.0


# --- Casework ----------------------------------------------------------------------------


def _cases(scope: Scope) -> QuerySet[Case]:
    from casework.models import Case

    return Case.objects.filter(scope.case_filter())


def _open_in(period: Period) -> Q:

    return Q(opened_on__lte=period.end) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def young_people_in_casework(scope: Scope, period: Period) -> int:
    """Distinct young people with a case open in the period."""
    return _cases(scope).filter(_open_in(period)).values("young_person_id").distinct().count()


def cases_opened(scope: Scope, period: Period) -> int:
    """Cases opened in the period."""
    return _cases(scope).filter(opened_on__range=(period.start, period.end)).count()


def _closed(scope: Scope, period: Period) -> QuerySet[Case]:
    return _cases(scope).filter(status="closed", closed_on__range=(period.start, period.end))


def cases_closed(scope: Scope, period: Period) -> int:
    """Cases closed in the period."""
    return _closed(scope, period).count()


def closed_with_levels(scope: Scope, period: Period) -> QuerySet[Any]:
    """Cases closed in the period, each with its initial and closing risk level and their ranks
    (`with_levels`): the hub overview's risk at the start against risk at closure."""
    return with_levels(_closed(scope, period))


def with_levels(cases: QuerySet[Case]) -> QuerySet[Any]:
    """Annotate each case with the rank of its initial level (final level of its earliest
    initial assessment) and of its closing level (latest closing assessment). An assessment
    that recorded nothing (casework.models.assessment_records_nothing) gives no level, so the
    case counts as closed without assessment, never as closed at lower risk."""
    from django.db.models import Case as When_
    from django.db.models import CharField, OuterRef, Subquery, Value, When

    from casework.models import RiskAssessment, assessment_records_nothing, risk_rank

    nothing = When(assessment_records_nothing(), then=Value(None))
    rank = risk_rank("final_level", nothing)
    level = When_(nothing, default=F("final_level"), output_field=CharField())

    def first(kind: str, order: tuple[str, str], field: str) -> Subquery:
        # The rank is worked out inside the subquery, so each case runs it once.
        return Subquery(
            RiskAssessment.objects.filter(case=OuterRef("pk"), kind=kind)
            .order_by(*order)
            .annotate(rank=rank, level=level)
            .values(field)[:1]
        )

    initial, closing = ("initial", ("assessed_on", "id")), ("closing", ("-assessed_on", "-id"))
    return cases.annotate(
        initial_level=first(*initial, "level"),
        closing_level=first(*closing, "level"),
        initial_rank=first(*initial, "rank"),
        closing_rank=first(*closing, "rank"),
    )


def _closed_levels_sql(scope: Scope, period: Period) -> tuple[str, list[Any]]:
    """SQL (and parameters) giving each case closed in the period once, with the ranks of its
    initial and closing levels: the figures below aggregate over it in one pass."""
    rows = closed_with_levels(scope, period).values(
        "initial_rank", "closing_rank", "no_reduction_reason"
    )
    sql, params = rows.query.sql_with_params()
    return sql, list(params)


def _over_closed(
    scope: Scope, period: Period, select: str, tail: str = ""
) -> list[tuple[Any, ...]]:
    sql, params = _closed_levels_sql(scope, period)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM ({sql}) AS closed {tail}", params)  # noqa: S608 (Django-built SQL, parameters passed separately)
        return cast(list[tuple[Any, ...]], cursor.fetchall())


ASSESSED = "initial_rank IS NOT NULL AND closing_rank IS NOT NULL"


def closed_assessed(scope: Scope, period: Period) -> int:
    """Cases closed in the period with an initial and a closing assessment, each of which
    recorded indicators, an explicit "none present", or a level other than none."""
    return cast(int, _over_closed(scope, period, f"count(*) FILTER (WHERE {ASSESSED})")[0][0])


def closed_lower_risk(scope: Scope, period: Period) -> int:
    """Of those, cases whose closing level is lower than their initial level."""
    return cast(
        int,
        _over_closed(scope, period, "count(*) FILTER (WHERE closing_rank < initial_rank)")[0][0],
    )


def closed_lower_risk_pct(scope: Scope, period: Period) -> float | None:
    """closed_lower_risk as a percentage of closed_assessed, one decimal; null if none."""
    lower, assessed = _over_closed(
        scope,
        period,
        f"count(*) FILTER (WHERE closing_rank < initial_rank), count(*) FILTER (WHERE {ASSESSED})",
    )[0]
    return _pct(lower, assessed)


def no_reduction_reasons(scope: Scope, period: Period) -> dict[str, int]:
    """Among assessed closed cases not at lower risk: counts by the recorded reason."""
    rows = _over_closed(
        scope,
        period,
        "no_reduction_reason, count(*)",
        f"WHERE {ASSESSED} AND closing_rank >= initial_rank GROUP BY no_reduction_reason",
    )
    return {(reason or "not_recorded"): n for reason, n in rows}


def closed_without_assessment(scope: Scope, period: Period) -> int:
    """Cases closed in the period missing an initial or a closing assessment."""
    return cast(
        int,
        _over_closed(
            scope, period, "count(*) FILTER (WHERE initial_rank IS NULL OR closing_rank IS NULL)"
        )[0][0],
    )


def _sessions(scope: Scope, period: Period) -> QuerySet[CaseSession]:
    from casework.models import CaseSession

    return CaseSession.objects.filter(
        scope.case_filter("case"), date__range=(period.start, period.end)
    )


def sessions_attended(scope: Scope, period: Period) -> int:
    """Attended sessions in the period."""
    return _sessions(scope, period).filter(attendance="attended").count()


def sessions_not_attended_by_reason(scope: Scope, period: Period) -> dict[str, int]:
    """Sessions in the period that did not happen, by why (did not attend, chose not to
    meet, cancelled by the worker)."""
    rows = (
        _sessions(scope, period)
        .exclude(attendance="attended")
        .values("attendance")
        .annotate(n=Count("id"))
    )
    return {row["attendance"]: row["n"] for row in rows.order_by("attendance")}


def continuity_pct(scope: Scope, period: Period) -> float | None:
    """Share of attended sessions delivered by the worker allocated to the case that day."""
    from django.db.models import Exists, OuterRef

    from casework.models import Allocation

    allocated_then = Exists(
        Allocation.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__date__gte=OuterRef("date")),
            case_id=OuterRef("case_id"),
            worker_id=OuterRef("worker_id"),
            started_at__date__lte=OuterRef("date"),
        )
    )
    counts = (
        _sessions(scope, period)
        .filter(attendance="attended")
        .aggregate(part=Count("id", filter=Q(allocated_then)), whole=Count("id"))
    )
    return _pct(counts["part"], counts["whole"])


def mean_workers_per_closed_case(scope: Scope, period: Period) -> float | None:
    """Mean number of distinct allocated workers per case closed in the period."""
    from django.db.models import Avg

    value = (
        _closed(scope, period)
        .annotate(workers=Count("allocations__worker", distinct=True))
        .aggregate(mean=Avg("workers"))["mean"]
    )
    return round(float(value), 2) if value is not None else None


def choice_pct(scope: Scope, period: Period) -> float | None:
    """Share of attended sessions where the young person chose the venue and time."""
    counts = (
        _sessions(scope, period)
        .filter(attendance="attended")
        .aggregate(part=Count("id", filter=Q(young_person_chose=True)), whole=Count("id"))
    )
    return _pct(counts["part"], counts["whole"])


def assessments_recorded(scope: Scope, period: Period) -> int:
    """Risk assessments in the period: voice_pct's denominator (for disclosure control)."""
    from casework.models import RiskAssessment

    return RiskAssessment.objects.filter(
        scope.case_filter("case"), assessed_on__range=(period.start, period.end)
    ).count()


def voice_pct(scope: Scope, period: Period) -> float | None:
    """Share of risk assessments in the period that record the young person's own view."""
    from casework.models import RiskAssessment

    counts = RiskAssessment.objects.filter(
        scope.case_filter("case"), assessed_on__range=(period.start, period.end)
    ).aggregate(part=Count("id", filter=~Q(young_person_view="")), whole=Count("id"))
    return _pct(counts["part"], counts["whole"])


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- Every figure, in DOMAIN.md's order ----------------------------------------------------

FIGURES = {
    "hubs": hubs,
    "la_areas_total": la_areas_total,
    "la_areas_spokes": la_areas_spokes,
    "hub_managers": hub_managers,
    "spoke_workers": spoke_workers,
    "spoke_worker_fte": spoke_worker_fte,
    "young_people_reached_groupwork": young_people_reached_groupwork,
    "young_people_in_casework": young_people_in_casework,
    "cases_opened": cases_opened,
    "cases_closed": cases_closed,
    "closed_assessed": closed_assessed,
    "closed_lower_risk": closed_lower_risk,
    "closed_lower_risk_pct": closed_lower_risk_pct,
    "no_reduction_reasons": no_reduction_reasons,
    "closed_without_assessment": closed_without_assessment,
    "professionals_trained": professionals_trained,
    "professionals_trained_by_profession": professionals_trained_by_profession,
    "consultations": consultations,
    "consultations_by_role": consultations_by_role,
    **REFERRAL_FIGURES,
    "sessions_attended": sessions_attended,
    "sessions_not_attended_by_reason": sessions_not_attended_by_reason,
    "continuity_pct": continuity_pct,
    "mean_workers_per_closed_case": mean_workers_per_closed_case,
    "choice_pct": choice_pct,
    "voice_pct": voice_pct,
}


def all_figures(scope: Scope, period: Period) -> dict[str, Any]:
    """Every figure for one scope and period, keyed as in DOMAIN.md."""
    return {key: function(scope, period) for key, function in FIGURES.items()}
