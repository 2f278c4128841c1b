"""Duplicate matching: existing young people who may be the person referred, and why.

Only young people with a case at the referral's hub are considered. Details are shown only
for young people whose cases the user may already see; for the others the user learns just
that a possible match exists at their hub, and to ask their manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils import timezone

from casework import access as casework_access
from casework.models import Case, CaseStatus, YoungPerson

NAME_THRESHOLD = 0.3  # pg_trgm's default similarity threshold, used by the indexed % operator
LIMIT = 10


@dataclass
class Match:
    person: YoungPerson | None  # None when the user may not see this young person
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0
    # Their open (or paused) case at the referral's hub, when the user may see it.
    open_case: Case | None = None

    @property
    def hidden(self) -> bool:
        return self.person is None


def suggest(
    *,
    user,
    hub_id: int,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    age: int | None = None,
    local_authority_id: int | None = None,
) -> list[Match]:
    """Possible matches for a referral at this hub, best first, each with why it matched."""
    first_name, last_name = first_name.strip(), last_name.strip()
    conditions = Q()
    if first_name:
        conditions |= Q(first_name__trigram_similar=first_name)
    if last_name:
        conditions |= Q(last_name__trigram_similar=last_name)
    if date_of_birth:
        conditions |= Q(date_of_birth=date_of_birth)
    if not conditions:
        return []
    candidates = (
        YoungPerson.objects.filter(conditions, cases__spoke__hub_id=hub_id)
        .annotate(
            first_sim=TrigramSimilarity("first_name", first_name or "-"),
            last_sim=TrigramSimilarity("last_name", last_name or "-"),
        )
        .annotate(best=Greatest("first_sim", "last_sim"))
        .distinct()
        .order_by("-best", "pk")[: LIMIT * 3]
    )
    candidates = list(candidates)
    visible = set(
        casework_access.cases_for(user)
        .filter(young_person_id__in=[c.pk for c in candidates])
        .values_list("young_person_id", flat=True)
    )
    today = timezone.localdate()
    matches: list[Match] = []
    for person in candidates:
        reasons: list[str] = []
        score = 0.0
        if first_name and person.first_sim >= NAME_THRESHOLD:
            reasons.append("same first name" if person.first_sim >= 0.99 else "similar first name")
            score += person.first_sim
        if last_name and person.last_sim >= NAME_THRESHOLD:
            reasons.append("same last name" if person.last_sim >= 0.99 else "similar last name")
            score += person.last_sim
        if date_of_birth and person.date_of_birth == date_of_birth:
            reasons.append("same date of birth")
            score += 1.5
        elif age is not None and person.date_of_birth and abs(person.age_on(today) - age) <= 1:
            reasons.append("age matches")
            score += 0.3
        if local_authority_id and person.local_authority_id == local_authority_id:
            reasons.append("same LA area")
            score += 0.3
        if not reasons:
            continue
        matches.append(
            Match(person=person if person.pk in visible else None, reasons=reasons, score=score)
        )
    matches.sort(key=lambda m: -m.score)
    matches = matches[:LIMIT]
    shown = [m.person.pk for m in matches if m.person is not None]
    if shown:
        open_cases = {
            case.young_person_id: case
            for case in casework_access.cases_for(user)
            .filter(young_person_id__in=shown, hub_id=hub_id)
            .exclude(status=CaseStatus.CLOSED)
            .select_related("allocated_worker")
        }
        for m in matches:
            if m.person is not None:
                m.open_case = open_cases.get(m.person.pk)
    return matches
