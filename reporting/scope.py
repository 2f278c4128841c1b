"""Scope and period: what a figure is about (DOMAIN.md, "The figures")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        next_start = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
        return cls(start, next_start - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


@dataclass(frozen=True)
class Scope:
    """programme, funder, hub, spoke or la, with the object's primary key (None: programme)."""

    kind: str = "programme"
    pk: int | None = None

    def referral_filter(self) -> Q:
        """Referrals in scope. A spoke's referrals are those accepted into a case there; an LA's
        are those naming that LA area."""
        return {
            "programme": Q(),
            "funder": Q(hub__funders=self.pk),
            "hub": Q(hub_id=self.pk),
            "spoke": Q(case__spoke_id=self.pk),
            "la": Q(local_authority_id=self.pk),
        }[self.kind]

    def spoke_filter(self, spoke: str = "") -> Q:
        """Spokes in scope (prefix `spoke` when filtering a related model's spoke)."""
        p = f"{spoke}__" if spoke else ""
        return {
            "programme": Q(),
            "funder": Q(**{f"{p}hub__funders": self.pk}),
            "hub": Q(**{f"{p}hub_id": self.pk}),
            "spoke": Q(**{f"{p}pk" if not spoke else f"{spoke}_id": self.pk}),
            "la": Q(**{f"{p}local_authority_id": self.pk}),
        }[self.kind]

    def case_filter(self, case: str = "") -> Q:
        """Cases in scope, through the spoke that holds them."""
        return self.spoke_filter(f"{case}__spoke" if case else "spoke")

    def activity_filter(self, spoke: str = "spoke") -> Q:
        """Training, groupwork and consultancy in scope, through the spoke they belong to."""
        return {
            "programme": Q(),
            "funder": Q(**{f"{spoke}__hub__funders": self.pk}),
            "hub": Q(**{f"{spoke}__hub_id": self.pk}),
            "spoke": Q(**{f"{spoke}_id": self.pk}),
            "la": Q(**{f"{spoke}__local_authority_id": self.pk}),
        }[self.kind]
