"""A year of clearly fake activity for the two demo hubs, ending on the day it is loaded.

About 60 cases across the three demo spokes (a third closed, with initial and closing risk
assessments and approved closures), their sessions, reviews, information sharing and agency
contacts; referrals in every state; groupwork, training and consultations; and the last ended
quarter's returns. Every name starts with "Demo" or is plainly invented, every note says it is
made up, and every email address ends in .invalid.

The dates are counted back from today, so the demo never goes stale; the choices come from a
seeded random generator, so the same day always gives the same data. The casework services
open, reallocate, share, transfer, pause and close the cases, and the training services
record the work beyond casework (so history, access and the rules are what the pages would
have made); risk assessments (scored by the shipped tool, as the service scores them),
sessions, information shares, agency contacts and the decided referrals are written in bulk
with their history rows, which is many times faster, and the case summaries are then worked
out again in one statement (casework.services.case_summaries_refresh).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alexi.models import Hub, Spoke, User
from reporting.scope import Period

SEED = 13  # issue 13: any fixed number gives the same demo every day

# Invented first names, each seven letters or more: with the "Demo " prefix, short names would
# all look alike to the duplicate matching (pg_trgm), and every waiting referral would list
# them. None contains the names of the six original demo young people.
FIRST_NAMES = [
    "Marigold", "Juniper", "Rosalind", "Clementine", "Everett", "Florian", "Gwendolyn",
    "Harriet", "Isadora", "Jasmine", "Kingsley", "Leonora", "Madeleine", "Nathaniel",
    "Octavia", "Peregrine", "Quentin", "Rosemary", "Sebastian", "Tabitha", "Valentina",
    "Winifred", "Yolanda", "Zachary", "Augustus", "Beatrice", "Cordelia", "Dominic",
    "Eleanor", "Fletcher", "Genevieve", "Horatio", "Lucinda", "Mackenzie", "Nicolette",
    "Ophelia", "Penelope", "Saffron", "Theodore", "Veronica", "Wilfred", "Anastasia",
    "Barnaby", "Cassius", "Delphine", "Evangeline", "Felicity", "Hyacinth", "Josephine",
    "Lysander", "Montague", "Primrose", "Reginald", "Seraphina",
]  # fmt: skip
NICKNAMES = {
    "Marigold": "Goldie", "Nathaniel": "Nate", "Sebastian": "Seb", "Tabitha": "Tabby",
    "Zachary": "Zac", "Augustus": "Gus", "Beatrice": "Bea", "Dominic": "Dom",
    "Eleanor": "Nell", "Theodore": "Teo", "Anastasia": "Stacey", "Josephine": "Josie",
    "Penelope": "Penny", "Reginald": "Reggie", "Valentina": "Val", "Kingsley": "Kit",
}  # fmt: skip
SURNAME_STARTS = ["Example", "Sample", "Pretend", "Fable", "Makebelieve", "Storybook"]
SURNAME_ENDS = ["ton", "wood", "field", "by", "ley", "worth", "combe", "ford", "dale"]

ETHNICITIES = [
    ("White: English, Welsh, Scottish, Northern Irish or British", 50),
    ("Mixed or Multiple: White and Black Caribbean", 8),
    ("Asian or Asian British: Pakistani", 10),
    ("Black, Black British, Caribbean or African: Caribbean", 6),
    ("White: Gypsy or Irish Traveller", 3),
    ("Asian or Asian British: Bangladeshi", 4),
    ("Other ethnic group: Arab", 3),
    ("", 8),  # not recorded
]
GENDERS = [("female", 60), ("male", 30), ("non_binary", 5), ("not_known", 5)]

LEVELS = ["none", "low", "medium", "high"]
REVIEW_WEEKS = {"high": 4, "medium": 6, "low": 12, "none": 12}  # risk_tool_v1.json
VULNERABILITIES = [
    "abuse_or_neglect", "domestic_abuse_at_home", "parental_substance_or_mental_health",
    "unstable_accommodation", "no_trusted_adult", "bereavement_or_loss",
]  # fmt: skip
MODERATE = [
    "out_late", "missing_once", "school_absence", "substance_use", "self_harm",
    "secretive_phone_online", "peers_exploited", "behaviour_change",
]  # fmt: skip
SIGNIFICANT = [
    "missing_repeat", "older_controlling_partner", "cars_unknown_adults",
    "unexplained_gifts_money", "places_of_concern", "online_grooming_images",
    "found_out_of_area", "drugs_cash_weapons_phones",
]  # fmt: skip

VIEWS = [
    "Demo (made up): they said school is better now.",
    "Demo (made up): they said they do not want the police involved.",
    "Demo (made up): they feel safer since changing their phone number.",
    "Demo (made up): they want to keep meeting at the cafe.",
    "Demo (made up): they said their mum worries too much.",
]
WORDS = [
    "Demo: I liked choosing where we met.",
    "Demo: can we do this after school next time?",
    "Demo: I blocked him like we talked about.",
    "Demo: it helps that it's always you I see.",
    "Demo: I want to go to college in September.",
    "Demo: I didn't feel like talking today.",
]
THEMES = [
    "relationships", "online_safety", "sexual_health", "emotional_wellbeing", "family",
    "education", "substances", "safety_planning", "exploitation", "advocacy", "goals",
]  # fmt: skip
VENUES = [
    ("cafe_or_fast_food", 25), ("school", 20), ("community_building", 15), ("outdoors", 10),
    ("worker_car", 10), ("home", 10), ("hub_office", 10),
]  # fmt: skip
METHODS = [("face_to_face", 62), ("phone", 18), ("text", 10), ("online", 10)]
ATTENDANCE = [("attended", 74), ("did_not_attend", 12), ("declined", 8), ("cancelled", 6)]
SOURCES = [
    ("police", 20), ("childrens_social_care", 25), ("school", 18), ("health", 8),
    ("youth_justice", 5), ("parent_carer", 10), ("self", 4), ("voluntary_sector", 10),
]  # fmt: skip
AGENCY_NAMES = {
    "police": "Demo Police Exploitation Team (fictional)",
    "childrens_social_care": "Demo Children's Social Care (fictional)",
    "school": "Demo Academy (fictional)",
    "health": "Demo Community Health (fictional)",
    "youth_justice": "Demo Youth Justice Service (fictional)",
    "parent_carer": "",
    "self": "",
    "voluntary_sector": "Demo Young People's Project (fictional)",
}

# Per worker: open cases, closed cases (beside the six original demo young people).
CASELOADS = {
    "worker.leeds1": (8, 5),
    "worker.leeds2": (6, 3),
    "worker.bradford": (8, 5),
    "worker.bristol": (12, 7),
}
LEEDS = ("worker.leeds1", "worker.leeds2")


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], [w for _, w in weighted])[0]


def born_on(today: date, age: int, days_past_birthday: int) -> date:
    """A date of birth making someone `age` today, about `days_past_birthday` (0-340) after
    their birthday (no 29 February trouble)."""
    return today - timedelta(days=round(365.25 * age) + days_past_birthday)


def by(row: Any, user: Any, at: datetime | None = None) -> None:
    """Name who made `row` (and when, if not now) in the history row bulk_create_with_history
    writes for it (simple_history reads `_history_user` and `_history_date`), as acting_as
    names them for a service's writes."""
    row._history_user = user
    if at is not None:
        row._history_date = at


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def indicators_for(rng: random.Random, level: str) -> list[str]:
    """Indicators the shipped risk tool scores at exactly `level` (for 13 and over)."""
    if level == "high":  # three significant: 12
        return rng.sample(SIGNIFICANT, 3)
    if level == "medium":  # one significant and one moderate (and maybe a vulnerability): 6-7
        extra = rng.sample(VULNERABILITIES, rng.randint(0, 1))
        return [rng.choice(SIGNIFICANT), rng.choice(MODERATE), *extra]
    if level == "low":  # one moderate and up to two vulnerabilities: 2-4
        return [rng.choice(MODERATE), *rng.sample(VULNERABILITIES, rng.randint(0, 2))]
    return []


@dataclass
class Plan:
    """One made-up case: who, when, and how its risk went."""

    worker: str  # the demo login holding the case at the end
    first_name: str
    preferred_name: str
    last_name: str
    age: int
    opened: date
    ends: date | None = None  # the closure date asked for (closed, waiting or returned)
    closure: str = "approved"  # approved, waiting or returned (when `ends` is set)
    levels: list[str] = field(default_factory=list)  # initial, reviews..., (closing)
    review_due: date | None = None  # the open case's next review (latest assessment's)
    no_initial: bool = False
    quiet_since: date | None = None  # no attended session after this day
    reallocated_from: str = ""  # the worker who held it before `reallocated_on`
    reallocated_on: date | None = None
    closure_reason: str = ""
    no_reduction_reason: str = ""
    gender: str = "not_known"
    ethnicity: str = ""
    flags: set[str] = field(default_factory=set)
    case: Any = None
    sessions: list[Any] = field(default_factory=list)

    @property
    def last_day(self) -> date:
        return self.ends or timezone.localdate()

    def last_assessed(self, level: str) -> date:
        """The day of its last assessment: the closing day, or one review period (at `level`)
        before the open case's next review is due."""
        if self.ends is not None:
            return self.ends
        if self.review_due is None:
            raise ValueError("An open case's plan needs the day its next review is due.")
        return self.review_due - timedelta(weeks=REVIEW_WEEKS[level])

    def worker_on(self, day: date) -> str:
        if self.reallocated_on and day < self.reallocated_on:
            return self.reallocated_from
        return self.worker


def plans(today: date, rng: random.Random) -> list[Plan]:
    """The made-up cases, in the order they are opened."""
    names = iter(FIRST_NAMES)
    surnames = [start + end for start in SURNAME_STARTS for end in SURNAME_ENDS]
    rng.shuffle(surnames)
    closing_days = _closing_days(today)
    rng.shuffle(closing_days)
    # Reasons of the closures whose risk did not come down (the rest close lower).
    not_lower = [
        ("non_engagement", "non_engagement"),
        ("moved_away", "moved_away"),
        ("transferred", "ongoing_exploitation"),
        ("young_person_ended", "non_engagement"),
        ("aged_out", "ongoing_exploitation"),
        ("other", "other"),
    ]
    lower_reasons = ["goals_met"] * 9 + ["young_person_ended", "aged_out", "moved_away"] * 2
    result: list[Plan] = []
    for worker, (open_count, closed_count) in CASELOADS.items():
        for n in range(open_count + closed_count):
            first = next(names)
            plan = Plan(
                worker=worker,
                first_name=f"Demo {first}",
                preferred_name=NICKNAMES.get(first, ""),
                last_name=surnames.pop(),
                age=rng.randint(13, 17),
                opened=today,
                gender=_pick(rng, GENDERS),
                ethnicity=_pick(rng, ETHNICITIES),
            )
            start = _pick(rng, [("high", 3), ("medium", 5), ("low", 2)])
            if n < closed_count:
                plan.ends = closing_days.pop()
                plan.opened = max(
                    plan.ends - timedelta(days=rng.randint(70, 220)), today - timedelta(days=364)
                )
                if not_lower and n % 2 == 1:
                    plan.closure_reason, plan.no_reduction_reason = not_lower.pop()
                    plan.levels = _levels(rng, plan, start, start)
                else:
                    plan.closure_reason = lower_reasons.pop(rng.randrange(len(lower_reasons)))
                    end = LEVELS[max(0, LEVELS.index(start) - rng.randint(1, 2))]
                    plan.levels = _levels(rng, plan, start, end)
            else:
                plan.opened = today - timedelta(days=rng.randint(25, 330))
                kind = ("overdue", "due_soon", "later", "later", "later")[n % 5]
                plan.review_due = today + timedelta(
                    days={"overdue": -rng.randint(3, 20), "due_soon": rng.randint(1, 6)}.get(
                        kind, rng.randint(9, 45)
                    )
                )
                end = LEVELS[max(1, LEVELS.index(start) - rng.choice([0, 0, 1]))]
                plan.levels = _levels(rng, plan, start, end)
            result.append(plan)
    _special_cases(today, rng, result)
    result.sort(key=lambda p: p.opened)
    return result


def _closing_days(today: date) -> list[date]:
    """The 20 closing dates: nine in the last quarter that has ended, so its returns have a
    few closed cases to show (the funder's return still hides counts of five and under, as it
    should); three so far in this quarter; eight in the six months before."""
    this = Period.quarter_of(today)
    last = Period.quarter_of(this.start - timedelta(days=1))

    def spread(start: date, end: date, count: int) -> list[date]:
        step = (end - start) / count
        return [start + step * (i + 0.5) for i in range(count)]

    earlier = max(last.start - timedelta(days=180), today - timedelta(days=290))
    return (
        spread(earlier, last.start - timedelta(days=1), 8)
        + spread(last.start, last.end, 9)
        + spread(min(this.start, today - timedelta(days=4)), today - timedelta(days=1), 3)
    )


def _levels(rng: random.Random, plan: Plan, start: str, end: str) -> list[str]:
    """Initial, reviews about every review period (a little late or early), and, for a case
    that closes, the closing level: stepping from `start` down to `end` on the way."""
    first = plan.opened + timedelta(days=rng.randint(0, 6))
    last = plan.last_assessed(end)
    span = max(0, (last - first).days)
    reviews = span // (7 * REVIEW_WEEKS[start] + 14)
    steps = reviews + (2 if plan.ends else 1)
    down = LEVELS.index(start) - LEVELS.index(end)
    return [LEVELS[LEVELS.index(start) - round(down * i / max(1, steps - 1))] for i in range(steps)]


def _special_cases(today: date, rng: random.Random, result: list[Plan]) -> None:
    """The cases that make the work lists and the managers' queues show something."""
    by_worker: dict[str, list[Plan]] = {}
    for plan in result:
        by_worker.setdefault(plan.worker, []).append(plan)
    open_of = {w: [p for p in ps if p.ends is None] for w, ps in by_worker.items()}
    closed_of = {w: [p for p in ps if p.ends is not None] for w, ps in by_worker.items()}

    # Opened 13 days ago, initial assessment not yet done (work list: 10 days).
    late = open_of["worker.bradford"][0]
    late.opened, late.no_initial, late.levels, late.review_due = (
        today - timedelta(days=13), True, [], None
    )  # fmt: skip
    # Opened four days ago: a new case, assessment still to come.
    new = open_of["worker.leeds2"][0]
    new.opened, new.no_initial, new.levels, new.review_due = (
        today - timedelta(days=4), True, [], None
    )  # fmt: skip
    # No attended session for five or six weeks.
    for worker in ("worker.leeds1", "worker.bristol", "worker.bradford"):
        quiet = open_of[worker][2]
        quiet.opened = min(quiet.opened, today - timedelta(days=120))
        quiet.levels = _levels(rng, quiet, quiet.levels[0], quiet.levels[-1])
        quiet.quiet_since = today - timedelta(days=rng.randint(32, 45))
    # Closures asked for: one waiting at each hub, one returned to Riley.
    for worker, state in (
        ("worker.bradford", "waiting"),
        ("worker.bristol", "waiting"),
        ("worker.leeds1", "returned"),
    ):
        plan = open_of[worker][3]
        plan.opened = min(plan.opened, today - timedelta(days=150))
        plan.ends, plan.closure, plan.review_due = (
            today - timedelta(days=rng.randint(1, 3)),
            state,
            None,
        )
        plan.closure_reason = "goals_met"
        plan.levels = _levels(rng, plan, "medium", "low")
    open_of["worker.bristol"][4].flags.add("paused")
    # A next meeting whose day passed with no session logged for it.
    open_of["worker.leeds2"][2].flags.add("missed_meeting")
    open_of["worker.bristol"][5].flags.add("missed_meeting")
    open_of["worker.bradford"][4].flags.add("transfer")
    # Reallocated half way: an open case Riley handed to Jordan, a closed one the other way.
    for plan, before in ((open_of["worker.leeds2"][1], "worker.leeds1"),
                         (closed_of["worker.leeds1"][0], "worker.leeds2")):  # fmt: skip
        plan.opened = min(plan.opened, today - timedelta(days=140))
        plan.levels = _levels(rng, plan, plan.levels[0], plan.levels[-1])
        plan.reallocated_from = before
        plan.reallocated_on = plan.opened + (plan.last_day - plan.opened) / 2


class Builder:
    """Writes the plans: services for what has rules, bulk inserts for the many small rows."""

    def __init__(self, today: date):
        from casework.services import current_tool

        self.today = today
        self.rng = random.Random(SEED)  # noqa: S311 (made-up data, not a secret)
        self.users = {
            u.email.split("@")[0]: u
            for u in User.objects.filter(email__endswith="@demo.alexi.invalid")
        }
        self.spokes = {
            s.ref: s
            for s in Spoke.objects.filter(ref__startswith="DEMO-").select_related(
                "hub", "local_authority"
            )
        }
        self.hubs = {h.ref: h for h in Hub.objects.filter(ref__startswith="DEMO-")}
        self.tool = current_tool()

    def user(self, local: str) -> User:
        return self.users[local]

    def spoke_of(self, local: str) -> Spoke:
        return self.user(local).worker_profile.spoke

    def manager_of(self, spoke: Spoke) -> User:
        return self.user("manager.north" if spoke.hub.ref == "DEMO-NORTH" else "manager.south")

    # --- Cases ------------------------------------------------------------------------------

    def open_cases(self, plans: list[Plan]) -> None:
        """Each plan's young person, case and allocations (two for a reallocated case), as
        casework.services.case_open and case_reallocate would make them, in three inserts."""
        from casework.models import Allocation, Case, YoungPerson

        people, allocations = [], []
        for plan in plans:
            holder = plan.reallocated_from or plan.worker
            spoke = self.spoke_of(holder)
            manager = self.manager_of(spoke)
            person = YoungPerson(
                first_name=plan.first_name,
                last_name=plan.last_name,
                preferred_name=plan.preferred_name,
                date_of_birth=born_on(self.today, plan.age, self.rng.randint(20, 340)),
                gender=plan.gender,
                ethnicity=plan.ethnicity,
                disability_sen=self.rng.choice([True, False, False, None]),
                looked_after=self.rng.choice([True, False, False, False, None]),
                local_authority=spoke.local_authority,
                contact_preference=self.rng.choice(
                    ["Text first (demo)", "Through school (demo)", "Ring after 4pm (demo)"]
                ),
                created_at=_at(plan.opened, 9),
            )
            by(person, manager)
            people.append(person)
            plan.case = Case(
                young_person=person,
                spoke=spoke,
                hub_id=spoke.hub_id,
                allocated_worker=self.user(plan.worker),
                opened_on=plan.opened,
                version=2 if plan.reallocated_on else 1,
            )
            by(plan.case, manager)
        bulk_create_with_history(people, YoungPerson)
        for plan in plans:
            plan.case.young_person = plan.case.young_person  # its id, now that it has one
        bulk_create_with_history([plan.case for plan in plans], Case)
        for plan in plans:
            manager = self.manager_of(plan.case.spoke)
            first = Allocation(
                case=plan.case,
                worker=self.user(plan.reallocated_from or plan.worker),
                allocated_by=manager,
                reason="Opened",
                started_at=_at(plan.opened, 9),
            )
            allocations.append(first)
            if plan.reallocated_on:
                first.ended_at = _at(plan.reallocated_on, 9)
                allocations.append(
                    Allocation(
                        case=plan.case,
                        worker=self.user(plan.worker),
                        allocated_by=manager,
                        reason="Demo (made up): the worker's hours changed.",
                        started_at=first.ended_at,
                    )
                )
            for row in allocations[-2:]:
                by(row, manager)
        bulk_create_with_history(allocations, Allocation)

    def assessments(self, plan: Plan) -> list:
        """The plan's risk assessments, scored by the shipped tool as the service scores them
        (a level lower than the one before, or none at closing, says why)."""
        from casework import risk
        from casework.models import RiskAssessment

        if plan.no_initial or not plan.levels:
            return []
        first = plan.opened + timedelta(days=self.rng.randint(0, 5))
        last = min(max(plan.last_assessed(plan.levels[-1]), first), self.today)
        count, rows = len(plan.levels), []
        step = (last - first) / max(1, count - 1)
        born = plan.case.young_person
        for i, level in enumerate(plan.levels):
            day = first + step * i
            kind = (
                "initial" if i == 0 else ("closing" if plan.ends and i == count - 1 else "review")
            )
            indicators = indicators_for(self.rng, level)
            result = risk.compute(self.tool.definition, indicators, born.age_on(day))
            assert result.level == level, (indicators, result)  # noqa: S101 (indicators_for)
            rationale = ""
            if i and LEVELS.index(level) < LEVELS.index(plan.levels[i - 1]):
                rationale = "Demo (made up): fewer indicators seen since the last assessment."
            if kind == "closing" and not indicators:
                rationale = "Demo (made up): no missing episodes for three months."
            due = risk.next_review_due(self.tool.definition, level, day)
            if i == count - 1 and plan.review_due is not None and kind != "closing":
                due = plan.review_due
            assessor = self.user(plan.worker_on(day))
            row = RiskAssessment(
                case=plan.case,
                kind=kind,
                assessed_on=day,
                assessor=assessor,
                tool=self.tool,
                indicators=indicators,
                no_indicators_present=not indicators,
                score=result.score,
                computed_level=result.level,
                final_level=level,
                rationale=rationale,
                young_person_view=self.rng.choice(VIEWS) if self.rng.random() < 0.75 else "",
                next_review_due=due,
                recorded_at=_at(day, 17),
            )
            by(row, assessor)
            rows.append(row)
        return rows

    def sessions(self, plan: Plan) -> list:
        from casework.models import CaseSession

        rows = []
        day = plan.opened + timedelta(days=self.rng.randint(1, 5))
        shy = plan.closure_reason == "non_engagement"
        last_day = plan.last_day
        if "missed_meeting" in plan.flags:
            last_day = self.today - timedelta(days=9)
        while day <= last_day and day <= self.today:
            quiet = plan.quiet_since is not None and day > plan.quiet_since
            if quiet and self.rng.random() < 0.6:
                day += timedelta(days=self.rng.randint(6, 12))
                continue
            attendance = _pick(self.rng, ATTENDANCE)
            if quiet or (shy and self.rng.random() < 0.4):
                attendance = self.rng.choice(["did_not_attend", "declined"])
            method = _pick(self.rng, METHODS)
            worker = plan.worker_on(day)
            if worker in LEEDS and self.rng.random() < 0.06:  # cover by the other Leeds worker
                worker = LEEDS[1 - LEEDS.index(worker)]
            attended = attendance == "attended"
            session = CaseSession(
                case=plan.case,
                date=day,
                duration_minutes=10
                if method == "text"
                else self.rng.choice([30, 45, 60, 60, 75, 90]),
                worker=self.user(worker),
                contact_method=method,
                venue_type=_pick(self.rng, VENUES) if method == "face_to_face" else "",
                young_person_chose=self.rng.random() < 0.68,
                attendance=attendance,
                themes=self.rng.sample(THEMES, self.rng.randint(1, 3)) if attended else [],
                notes="Demo note (made up): "
                + (
                    "talked through the plan and what helps them feel safe."
                    if attended
                    else "waited at the agreed place; sent a text to rearrange."
                ),
                young_person_words=self.rng.choice(WORDS)
                if attended and self.rng.random() < 0.4
                else "",
                recorded_at=_at(day, 16, 30),
            )
            by(session, self.user(worker), at=session.recorded_at)
            rows.append(session)
            day += timedelta(days=self.rng.randint(5, 13))
        return rows

    def next_meetings(self, plan: Plan) -> None:
        """Next meetings noted with sessions (the date, time and a place the young person
        chose): often the next session's own date; for an open case still being seen, one to
        come after its latest session, and for two, one whose day passed with nothing logged."""
        rows = plan.sessions
        for row, following in zip(rows, rows[1:], strict=False):
            if row.attendance == "attended" and self.rng.random() < 0.4:
                self._meet(row, following.date)
        if not rows or plan.ends or plan.quiet_since or "paused" in plan.flags:
            return
        last = rows[-1]
        if "missed_meeting" in plan.flags and last.date + timedelta(days=7) < self.today:
            self._meet(last, last.date + timedelta(days=7))
        elif "missed_meeting" not in plan.flags:
            self._meet(last, max(self.today + timedelta(days=1), last.date + timedelta(days=7)))

    def _meet(self, session: Any, day: date) -> None:
        session.next_meeting_on = day
        session.next_meeting_time = time(*self.rng.choice([(10, 0), (15, 30), (16, 15), (17, 0)]))
        session.next_meeting_place = self.rng.choice(
            [
                "Demo: the cafe by the bus station, their choice (made up)",
                "Demo: school library after lessons (made up)",
                "Demo: the park near their home (made up)",
                "Demo: youth centre on the high street (made up)",
            ]
        )

    def shares_and_contacts(self, plan: Plan) -> tuple[list, list]:
        from casework.models import InformationShare, MultiAgencyContact

        shares, contacts = [], []
        span = max(1, (plan.last_day - plan.opened).days)
        for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
            day = plan.opened + timedelta(days=self.rng.randint(0, span))
            informed = _pick(
                self.rng, [("told_agreed", 6), ("told_not_agreed", 2), ("not_told", 1)]
            )
            share = InformationShare(
                case=plan.case,
                shared_on=day,
                recipient_agency=self.rng.choice(
                    [
                        AGENCY_NAMES["police"],
                        AGENCY_NAMES["childrens_social_care"],
                        AGENCY_NAMES["school"],
                    ]
                ),
                recipient_role="Demo designated lead (fictional)",
                what_shared="Demo (made up): dates of missing episodes and the safety plan.",
                lawful_basis=_pick(
                    self.rng, [("consent", 5), ("safeguarding", 3), ("public_task", 1)]
                ),
                young_person_informed=informed,
                reason_not_informed="Demo (made up): telling them would put them at risk."
                if informed == "not_told"
                else "",
                recorded_by=self.user(plan.worker_on(day)),
                recorded_at=_at(day, 15),
            )
            by(share, share.recorded_by)
            shares.append(share)
        for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
            day = plan.opened + timedelta(days=self.rng.randint(0, span))
            contact = MultiAgencyContact(
                case=plan.case,
                contact_on=day,
                agency=self.rng.choice(
                    ["police", "childrens_social_care", "health", "school", "youth_justice"]
                ),
                purpose=self.rng.choice(
                    [
                        "strategy_meeting",
                        "exploitation_panel",
                        "child_protection",
                        "consultation",
                        "joint_visit",
                    ]
                ),
                outcome="Demo (made up): agreed who does what before the next meeting.",
                recorded_by=self.user(plan.worker_on(day)),
            )
            by(contact, contact.recorded_by)
            contacts.append(contact)
        return shares, contacts

    def close(self, plans: list[Plan]) -> None:
        """Closures: asked for by the worker, then approved by the manager (two history rows,
        as the pages make them), in bulk; a closure waiting for approval and one returned to
        the worker go through casework.services (closure_request, closure_return)."""
        from simple_history.utils import bulk_update_with_history

        from casework import services
        from casework.models import Case

        approved = []
        for plan in plans:
            if not plan.ends:
                continue
            worker = self.user(plan.worker)
            if plan.closure != "approved":
                services.closure_request(
                    actor=worker,
                    case=plan.case,
                    closed_on=plan.ends,
                    closure_reason=plan.closure_reason,
                    note="Demo (made up): the young person and I agreed it is time to end.",
                )
                if plan.closure == "returned":
                    services.closure_return(
                        actor=self.manager_of(plan.case.spoke),
                        case=plan.case,
                        note="Demo (made up): please record the last strategy meeting first.",
                    )
                continue
            case = plan.case
            case.closure_requested_on = plan.ends
            case.closure_requested_by = worker
            case.closure_reason = plan.closure_reason
            case.no_reduction_reason = plan.no_reduction_reason
            case.closure_note = "Demo (made up): the young person and I agreed it is time to end."
            case.version += 1
            by(case, worker)
            approved.append(case)
        fields = [
            "closure_requested_on",
            "closure_requested_by",
            "closure_reason",
            "no_reduction_reason",
            "closure_note",
            "version",
        ]
        bulk_update_with_history(approved, Case, fields)
        for case in approved:
            case.status, case.closed_on = "closed", case.closure_requested_on
            case.version += 1
            by(case, self.manager_of(case.spoke))
        bulk_update_with_history(approved, Case, ["status", "closed_on", "version"])

    # --- Referrals --------------------------------------------------------------------------

    def referral(self, hub: Hub, received: date, **values: Any) -> Any:
        from referrals.models import Referral

        source = values.pop("source", None) or _pick(self.rng, SOURCES)
        manager = self.user("manager.north" if hub.ref == "DEMO-NORTH" else "manager.south")
        referral = Referral(
            hub=hub,
            received_on=received,
            source=source,
            referrer_name=""
            if source == "self"
            else f"Demo Referrer {self.rng.choice('ABCDEFGHJK')}",
            referrer_agency=AGENCY_NAMES[source],
            referrer_role="" if source in ("self", "parent_carer") else "Demo lead (fictional)",
            referrer_contact="" if source == "self" else f"referrer.{source}@demo.alexi.invalid",
            urgency=_pick(self.rng, [("routine", 6), ("urgent", 3), ("immediate", 1)]),
            young_person_aware=_pick(
                self.rng,
                [
                    ("knows_agrees", 5),
                    ("knows_not_agreed", 2),
                    ("does_not_know", 1),
                    ("not_known", 1),
                ],
            ),
            concerns="Demo (made up): "
            + self.rng.choice(
                [
                    "seen getting into cars with older men after school.",
                    "missing overnight twice this month.",
                    "new phone and clothes nobody can explain.",
                    "sharing images with an adult met online.",
                    "found in another town at night.",
                ]
            ),
            recorded_by=manager,
            recorded_at=_at(received, 11),
            **values,
        )
        by(referral, manager)
        return referral

    def case_referral(self, plan: Plan) -> Any:
        """The referral the case was opened from: accepted, a few days before it opened."""
        person = plan.case.young_person
        received = max(
            plan.opened - timedelta(days=self.rng.randint(1, 12)), self.today - timedelta(days=365)
        )
        decided = min(plan.opened, received + timedelta(days=self.rng.randint(0, 4)))
        return self.referral(
            plan.case.spoke.hub,
            received,
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            gender=person.gender,
            local_authority=person.local_authority,
            decision="accepted",
            decided_on=decided,
            decided_by=self.manager_of(plan.case.spoke),
            case=plan.case,
            young_person=person,
        )


def build_year(today: date, named: list[tuple[str, Any]]) -> None:
    """Create the year's activity around the original demo cases (`named`: worker's login and
    case); called once, by a caller that has checked it is not there yet."""
    from casework import services
    from casework.models import CaseSession, InformationShare, MultiAgencyContact, RiskAssessment
    from referrals.models import Referral

    b = Builder(today)
    all_plans = plans(today, b.rng)
    b.open_cases(all_plans)
    for plan in all_plans:
        if "transfer" in plan.flags:
            services.transfer_request(
                actor=b.user("manager.north"),
                case=plan.case,
                to_spoke=b.spokes["DEMO-BRISTOL"],
                reason="Demo (made up): the young person has moved to Bristol to live with family.",
            )
    assessments, sessions, shares, contacts = [], [], [], []
    for plan in all_plans:
        assessments += b.assessments(plan)
        plan.sessions = b.sessions(plan)
        sessions += plan.sessions
        b.next_meetings(plan)
        more_shares, more_contacts = b.shares_and_contacts(plan)
        shares += more_shares
        contacts += more_contacts
    bulk_create_with_history(assessments, RiskAssessment)
    bulk_create_with_history(sessions, CaseSession, batch_size=500)
    bulk_create_with_history(shares, InformationShare)
    bulk_create_with_history(contacts, MultiAgencyContact)
    b.close(all_plans)
    for plan in all_plans:
        if "paused" in plan.flags:
            services.case_set_paused(actor=b.user(plan.worker), case=plan.case, paused=True)
    originals = [
        Plan(
            worker=local,
            first_name=case.young_person.first_name,
            preferred_name=case.young_person.preferred_name,
            last_name="",
            age=0,
            opened=case.opened_on,
            case=case,
        )
        for local, case in named
    ]
    referrals = [b.case_referral(plan) for plan in originals + all_plans]
    referrals += _other_referrals(b, originals)
    bulk_create_with_history(referrals, Referral)
    _waiting_referrals(b, all_plans)
    # Riley shares Amber's case with Jordan, who covers some sessions, for the next six days.
    amber = next(p for p in originals if p.preferred_name == "Amber")
    services.case_share(
        actor=b.user("worker.leeds1"),
        case=amber.case,
        worker=b.user("worker.leeds2"),
        reason="Demo (made up): Jordan covers the Tuesday sessions while Riley is on leave.",
        expires_on=today + timedelta(days=6),
    )
    services.case_summaries_refresh(
        "SELECT id FROM casework_case WHERE hub_id = ANY(%(hubs)s)",
        {"hubs": [hub.pk for hub in b.hubs.values()]},
    )
    _everyday(b, all_plans, originals)
    _activities(b)


def _other_referrals(b: Builder, all_plans: list[Plan]) -> list:
    """Referrals not accepted into a new case: declined, signposted, on the waiting list, and
    one accepted into a case already open. (The waiting ones are recorded by the service.)"""
    north, south = b.hubs["DEMO-NORTH"], b.hubs["DEMO-SOUTH"]
    today = b.today
    rows: list[Any] = []
    declines = [
        "Demo (made up): another service already works with them and asked us not to duplicate.",
        "Demo (made up): lives outside the areas the hub covers; passed to their local service.",
        "Demo (made up): the concerns are not about exploitation; passed to early help.",
    ]
    for hub, days, name, decision in [
        (north, 300, "Demo Ignatius", "declined"),
        (north, 200, "Demo Cornelius", "signposted"),
        (north, 130, "Demo Philippa", "declined"),
        (north, 75, "Demo Henrietta", "signposted"),
        (north, 45, "Demo Marcellus", "waiting"),
        (north, 30, "Demo Winterbourne", "waiting"),
        (north, 20, "Demo Bartholomew", "declined"),
        (north, 16, "Demo Guinevere", "signposted"),
        (south, 250, "Demo Aurelius", "declined"),
        (south, 160, "Demo Leopoldine", "signposted"),
        (south, 90, "Demo Wilhelmina", "signposted"),
        (south, 40, "Demo Jacqueline", "declined"),
        (south, 25, "Demo Sylvester", "waiting"),
    ]:
        received = today - timedelta(days=days)
        values: dict[str, Any] = {
            "first_name": name,
            "age": b.rng.randint(12, 17),
            "decision": decision,
            "decided_on": received + timedelta(days=b.rng.randint(1, 6)),
            "decided_by": b.user("manager.north" if hub == north else "manager.south"),
        }
        if decision == "declined":
            values["decline_reason"] = declines[len(rows) % len(declines)]
        if decision == "signposted":
            values["signposted_to"] = b.rng.choice(
                [
                    "Demo Youth Counselling Service (fictional)",
                    "Demo Sexual Health Clinic (fictional)",
                ]
            )
        rows.append(b.referral(hub, received, **values))
    # A second referral about a young person whose case is open: accepted into that case.
    devon = next(p for p in all_plans if p.first_name == "Demo Devon")
    person = devon.case.young_person
    received = max(devon.opened + timedelta(days=10), today - timedelta(days=12))
    rows.append(
        b.referral(
            north,
            received,
            source="police",
            first_name=person.first_name,
            date_of_birth=person.date_of_birth,
            local_authority=person.local_authority,
            decision="accepted",
            decided_on=min(today, received + timedelta(days=1)),
            decided_by=b.user("manager.north"),
            case=devon.case,
            young_person=person,
        )
    )
    return rows


def _waiting_referrals(b: Builder, all_plans: list[Plan]) -> None:
    """Referrals waiting for a decision beside the original three (recorded by the service,
    as the referral form does): one for more than five working days, and at the south hub a
    new one and a likely re-referral of a young person whose case closed."""
    from referrals.services import referral_record

    north, south = b.hubs["DEMO-NORTH"], b.hubs["DEMO-SOUTH"]
    again = next(
        p for p in all_plans if p.worker == "worker.bristol" and p.closure == "approved" and p.ends
    )
    person = again.case.young_person
    for hub, days, data in [
        (north, 12, {"first_name": "Demo Ptolemy", "age": 14, "source": "self"}),
        (south, 3, {"first_name": "Demo Ozymandias", "age": 16, "source": "youth_justice"}),
        (
            south,
            10,
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "date_of_birth": person.date_of_birth,
                "source": "childrens_social_care",
            },
        ),
    ]:
        referral_record(
            actor=b.user("manager.north" if hub == north else "manager.south"),
            hub=hub,
            data={
                **data,
                "received_on": b.today - timedelta(days=days),
                "urgency": "urgent" if days < 5 else "routine",
                "concerns": "Demo (made up): going missing again; known to the service before."
                if "last_name" in data
                else "Demo (made up): staying out late with older friends.",
            },
        )


def _everyday(b: Builder, all_plans: list[Plan], originals: list[Plan]) -> None:
    """Case notes, workers' own reminders, and notifications from the last few days."""
    from alexi.notifications.models import Notification, NotificationKind, TargetType
    from alexi.notifications.services import notify
    from casework.models import CaseNote, Reminder

    rng, today = b.rng, b.today
    notes = []
    for plan in originals + all_plans:
        span = max(1, (plan.last_day - plan.opened).days)
        for _ in range(rng.choice([1, 2] if plan in originals else [0, 1, 1, 2])):
            day = plan.opened + timedelta(days=rng.randint(0, span))
            kind, whom, text = rng.choice(
                [
                    ("phone_call", "Demo school safeguarding lead (fictional)",
                     "Demo (made up): school says attendance is better this half term."),
                    ("meeting", "Demo strategy meeting (fictional)",
                     "Demo (made up): agreed a disruption plan; police to visit the address."),
                    ("email", "Demo social worker (fictional)",
                     "Demo (made up): sent the dates of the last two missing episodes."),
                    ("message", "Demo parent (fictional)",
                     "Demo (made up): mum says they came home on time all week."),
                ]
            )  # fmt: skip
            author = b.user(plan.worker_on(day))
            note = CaseNote(
                case=plan.case,
                date=day,
                kind=kind,
                with_whom=whom,
                text=text,
                recorded_by=author,
                recorded_at=_at(day, 14),
            )
            by(note, author)
            notes.append(note)
    bulk_create_with_history(notes, CaseNote)

    open_of: dict[str, list[Plan]] = {}
    for plan in originals + all_plans:
        if plan.case.status != "closed" and not plan.ends:
            open_of.setdefault(plan.worker, []).append(plan)
    reminders = []
    for local, index, days, text, done in [
        ("worker.leeds1", 0, -1, "Demo: ring school about Tuesday (made up)", False),
        ("worker.leeds1", 1, 0, "Demo: send the safety plan to the social worker (made up)", False),
        ("worker.leeds1", 2, 3, "Demo: book the room for the review meeting (made up)", False),
        ("worker.leeds1", 3, -6, "Demo: ask about the new phone (made up)", True),
        ("worker.leeds2", 0, 1, "Demo: ask school about the new timetable (made up)", False),
        ("worker.bradford", 0, 0, "Demo: chase the strategy meeting notes (made up)", False),
        ("worker.bristol", 0, 2, "Demo: check the college open day date (made up)", False),
    ]:
        author = b.user(local)
        reminder = Reminder(
            case=open_of[local][index].case,
            author=author,
            due_on=today + timedelta(days=days),
            note=text,
            done_at=_at(today + timedelta(days=days), 12) if done else None,
            created_at=_at(today - timedelta(days=7), 9),
        )
        by(reminder, author)
        reminders.append(reminder)
    bulk_create_with_history(reminders, Reminder)

    # What the services would have told people lately: new cases and approved closures.
    recent = sorted((p for p in all_plans if not p.ends), key=lambda p: p.opened)[-3:]
    for plan in recent:
        notify(
            b.user(plan.worker),
            NotificationKind.CASE_ALLOCATED,
            actor=b.manager_of(plan.case.spoke),
            target_type=TargetType.CASE,
            target_id=plan.case.pk,
            event=f"case-opened:{plan.case.pk}",
        )
    closed = sorted(
        (p for p in all_plans if p.ends and p.closure == "approved"), key=lambda p: p.last_day
    )
    for plan in closed[-3:]:
        notify(
            b.user(plan.worker),
            NotificationKind.CLOSURE_APPROVED,
            actor=b.manager_of(plan.case.spoke),
            target_type=TargetType.CASE,
            target_id=plan.case.pk,
            event=f"closure-approved:{plan.case.pk}:{plan.case.version}",
        )
    # Dated when it happened; anything older than a week has been read.
    when = {p.case.pk: _at(p.ends or p.opened, 11) for p in originals + all_plans}
    week_ago = timezone.now() - timedelta(days=7)
    for notification in Notification.objects.filter(
        kind__in=[NotificationKind.CASE_ALLOCATED, NotificationKind.CLOSURE_APPROVED],
        target_type=TargetType.CASE,
        target_id__in=list(when),
    ):
        at = min(when[notification.target_id], notification.created_at)
        Notification.objects.filter(pk=notification.pk).update(
            created_at=at, read_at=at + timedelta(hours=2) if at < week_ago else None
        )


def _activities(b: Builder) -> None:
    """Training (attendees by profession), groupwork and consultations at each spoke, spread
    over the year, in bulk with their history (training.services records them one by one)."""
    from training.models import Consultation, Groupwork, TrainingAttendance, TrainingEvent

    rng, today = b.rng, b.today
    workers = {
        "DEMO-LEEDS": "worker.leeds1",
        "DEMO-BRADFORD": "worker.bradford",
        "DEMO-BRISTOL": "worker.bristol",
    }
    events, attendance, groupwork, consultations = [], [], [], []

    def spread(count: int) -> list[date]:
        step = 365 // count
        return [today - timedelta(days=i * step + rng.randint(0, step - 1)) for i in range(count)]

    for ref, local in workers.items():
        spoke, actor = b.spokes[ref], b.user(local)
        for day in spread(8):
            rated = rng.random() < 0.7
            event = TrainingEvent(
                spoke=spoke,
                delivered_by=actor,
                date=day,
                title=rng.choice(
                    [
                        "Demo: spotting exploitation early (fictional course)",
                        "Demo: online harms for carers (fictional course)",
                        "Demo: language that does not blame (fictional briefing)",
                        "Demo: county lines awareness (fictional talk)",
                    ]
                ),
                kind=rng.choice(["training", "training", "awareness", "briefing"]),
                confidence_before=Decimal(str(round(rng.uniform(2.0, 3.0), 1))) if rated else None,
                confidence_after=Decimal(str(round(rng.uniform(3.6, 4.7), 1))) if rated else None,
                recorded_at=_at(day, 17),
            )
            events.append(event)
            for profession in rng.sample(
                ["social_worker", "police", "education", "health", "carer", "youth_worker"],
                rng.randint(1, 3),
            ):
                attendance.append(
                    TrainingAttendance(
                        event=event, profession=profession, attendees=rng.randint(2, 18)
                    )
                )
        for day in spread(12):
            groupwork.append(
                Groupwork(
                    spoke=spoke,
                    recorded_by=actor,
                    date=day,
                    setting=rng.choice(
                        ["school", "school", "youth_club", "pupil_referral_unit", "community"]
                    ),
                    title=rng.choice(
                        [
                            "Demo: healthy relationships group (fictional)",
                            "Demo: staying safe online assembly (fictional)",
                            "Demo: girls' group, week by week (fictional)",
                            "Demo: what is exploitation? talk (fictional)",
                        ]
                    ),
                    young_people=rng.randint(5, 60),
                    age_band=rng.choice(["11_13", "14_16", "14_16", "17_18", "mixed"]),
                )
            )
        for day in spread(14):
            role = rng.choice(
                ["social_worker", "social_worker", "police", "education", "health", "carer"]
            )
            agency = {"social_worker": "childrens_social_care", "education": "school"}.get(
                role, role
            )
            consultations.append(
                Consultation(
                    spoke=spoke,
                    recorded_by=actor,
                    date=day,
                    professional_role=role,
                    agency=AGENCY_NAMES.get(agency) or "Demo Children's Home (fictional)",
                    minutes=rng.choice([20, 30, 45, 60, 90]),
                    topic="Demo (made up): talking with a young person about an older friend.",
                )
            )
    for event in events:
        by(event, event.delivered_by)
    for record in groupwork + consultations:
        by(record, record.recorded_by)
    bulk_create_with_history(events, TrainingEvent)
    for count in attendance:
        count.event = count.event  # its id, now that the event has one
        by(count, count.event.delivered_by)
    bulk_create_with_history(attendance, TrainingAttendance)
    bulk_create_with_history(groupwork, Groupwork)
    bulk_create_with_history(consultations, Consultation)
