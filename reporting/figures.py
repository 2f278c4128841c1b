"""The figures: one function each, taking a scope and a period, computed in the database.

Dashboards, returns and downloads all call these (ARCHITECTURE.md idea 4). Keys match
DOMAIN.md, "The figures".
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, FloatField, Min, Sum

from referrals.models import Decision, Referral
from reporting.scope import Period, Scope
from training.models import Consultation, Groupwork, TrainingAttendance

FINAL_DECISIONS = (Decision.ACCEPTED, Decision.SIGNPOSTED, Decision.DECLINED)


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, computed in the database."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _referrals(scope: Scope, period: Period):
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
    """Median days from received to the first session (attended or attempted) of the case
    opened from it, among referrals received in the period that reached one."""
    firsts = (
        _referrals(scope, period)
        .filter(case__isnull=False)
        .annotate(first=Min("case__sessions__date"))
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


def _days(value) -> float | None:
    """Date differences arrive as integer days (date - date in PostgreSQL) or a timedelta."""
    if value is None:
        return None
    if hasattr(value, "days"):
        value = value.days + value.seconds / 86400
    return round(float(value), 1)


# --- Training, groupwork and consultancy --------------------------------------------------


def _attendance(scope: Scope, period: Period):
    return TrainingAttendance.objects.filter(
        scope.activity_filter("event__spoke"), event__date__range=(period.start, period.end)
    )


def professionals_trained(scope: Scope, period: Period) -> int:
    """Sum of attendees at training and awareness events held in the period."""
    return _attendance(scope, period).aggregate(n=Sum("attendees"))["n"] or 0


def professionals_trained_by_profession(scope: Scope, period: Period) -> dict[str, int]:
    """The same, by profession."""
    rows = _attendance(scope, period).values("profession").annotate(n=Sum("attendees"))
    return {row["profession"]: row["n"] for row in rows.order_by("profession")}


def young_people_reached_groupwork(scope: Scope, period: Period) -> int:
    """Sum of the young-people counts of groupwork, talks and sessions held in the period."""
    return (
        Groupwork.objects.filter(
            scope.activity_filter(), date__range=(period.start, period.end)
        ).aggregate(n=Sum("young_people"))["n"]
        or 0
    )


def _consultations(scope: Scope, period: Period):
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


def activity_figures(scope: Scope, period: Period) -> dict:
    return {key: function(scope, period) for key, function in ACTIVITY_FIGURES.items()}


REFERRAL_FIGURES = {
    "referrals_received": referrals_received,
    "referrals_by_source": referrals_by_source,
    "referrals_by_decision": referrals_by_decision,
    "median_days_to_decision": median_days_to_decision,
    "median_days_to_first_contact": median_days_to_first_contact,
}


def referral_figures(scope: Scope, period: Period) -> dict:
    return {key: function(scope, period) for key, function in REFERRAL_FIGURES.items()}
