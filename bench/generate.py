"""Fill the current database with national-scale, clearly fake casework data (benchmarks only).

    .venv/bin/python bench/generate.py --scale 1.0      # on a scratch database only

At scale 1.0: 40 hubs (one manager manages two of them), 140 spokes on real LA areas, 600
spoke workers, 100,000 young people, 120,000 cases, about 2,000,000 sessions and 400,000 risk
assessments. Structure is always full size; `scale` multiplies the case data.

Everything is fictional: names come from short lists of made-up surnames ("Sampleton",
"Fakewell"), emails end in `bench.alexi.invalid`, and every password is unusable ('!').
Bulk rows go in with PostgreSQL COPY (psycopg 3); no history rows are written for them. The
case summary columns (current_level, next_review_due, last_contact_on) are computed afterwards
in one SQL statement, exactly as casework.services.case_refresh_summary would.

Three things are guaranteed so the casework benchmarks have something to measure:
  * one spoke worker ("caseload worker") with exactly 40 open cases;
  * one hub ("bench hub", hub 01, one manager) with at least 2,000 cases not closed
    (scaled down below scale 1.0, at least 60);
  * one open case in that hub with exactly 300 timeline entries
    (270 sessions + 29 assessments + 1 allocation).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - CLI set-up
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexi.settings")
    os.environ.setdefault("ALEXI_BENCHMARK", "1")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "b" * 50)

FULL_YOUNG_PEOPLE = 100_000
FULL_CASES = 120_000
FULL_SESSIONS = 2_000_000
FULL_ASSESSMENTS = 400_000
HUBS = 40
SPOKES = 140
WORKERS = 600
BENCH_HUB_WORKERS = 48
FUNDERS = 6
CLOSED_SHARE = 0.75
LIVE_SHARES = 150  # at scale 1.0; never with the caseload worker
PAST_SHARES = 300
CASELOAD_OPEN = 40
HUB_OPEN_FULL = 2_000
TIMELINE_SESSIONS = 270
TIMELINE_ASSESSMENTS = 29  # + 1 allocation = 300 timeline entries
DOMAIN = "bench.alexi.invalid"
NULL = "\\N"  # COPY text format

FIRST_NAMES = [
    "Alex",
    "Amira",
    "Ava",
    "Bailey",
    "Blake",
    "Cameron",
    "Casey",
    "Charlie",
    "Dani",
    "Eden",
    "Ellis",
    "Finley",
    "Frankie",
    "Harley",
    "Harper",
    "Hayden",
    "Indie",
    "Jamie",
    "Jay",
    "Jordan",
    "Jude",
    "Kai",
    "Kit",
    "Lee",
    "Logan",
    "Morgan",
    "Nico",
    "Noor",
    "Parker",
    "Quinn",
    "Reese",
    "Remi",
    "Riley",
    "Robin",
    "Rowan",
    "Sage",
    "Sam",
    "Sasha",
    "Skye",
    "Taylor",
    "Teddy",
    "Tyler",
    "Zain",
    "Zara",
]
SURNAMES = [
    "Sampleton",
    "Fakewell",
    "Testwood",
    "Mockford",
    "Placeholder",
    "Dummett",
    "Exampleby",
    "Notreal",
    "Fictionby",
    "Madeupson",
    "Benchley",
    "Pretendle",
    "Imaginary",
    "Invento",
    "Proxyman",
    "Stubbins",
    "Fauxley",
    "Likeness",
]
ETHNICITIES = [
    ("White British", 55),
    ("White other", 7),
    ("Mixed White and Black Caribbean", 6),
    ("Mixed other", 4),
    ("Asian or Asian British Pakistani", 6),
    ("Asian or Asian British Indian", 3),
    ("Asian or Asian British Bangladeshi", 2),
    ("Black or Black British Caribbean", 4),
    ("Black or Black British African", 5),
    ("Other ethnic group", 2),
    ("", 6),
]
CONTACT_PREFERENCES = [
    "Text first, then call (fictional)",
    "Through their social worker (fictional)",
    "Phone after 4pm (fictional)",
    "Via school pastoral lead (fictional)",
    "WhatsApp message (fictional)",
    "",
]
SESSION_NOTES = [
    "Fictional bench note: talked through the week and what felt safe or unsafe.",
    "Fictional bench note: worked on a safety plan for evenings and weekends.",
    "Fictional bench note: explored healthy and unhealthy relationships using scenario cards.",
    "Fictional bench note: went over online safety settings on their phone together.",
    "Fictional bench note: advocacy call with school about attendance and support.",
    "Fictional bench note: checked in after a missing episode; return interview done by police.",
    "Fictional bench note: goals session, talked about college and a part-time job.",
    "Fictional bench note: discussed sexual health and where to get confidential advice.",
    "Fictional bench note: short catch-up; young person tired and did not want a long session.",
    "Fictional bench note: family tension at home, talked about who they can turn to.",
    "Fictional bench note: reviewed the risk assessment together in plain words.",
    "Fictional bench note: planned the next few weeks and agreed how to keep in touch.",
    "",
]
YOUNG_PERSON_WORDS = [
    "I feel better when I know what's happening next (fictional)",
    "I just want people to stop going on at me (fictional)",
    "He said he'd look after me but he didn't (fictional)",
    "School is alright now I've got someone to talk to (fictional)",
    "I'm not going back there (fictional)",
    "You actually listen (fictional)",
]
YOUNG_PERSON_VIEWS = [
    "Thinks things are calmer at the moment (fictional).",
    "Does not see the older friends as a risk (fictional).",
    "Worried about what happens if they stop coming (fictional).",
    "Agrees the plan is helping (fictional).",
]
RATIONALES = [
    "Professional judgement: recent disclosure not yet reflected in the indicators (fictional).",
    "Professional judgement: protective factors much stronger than the score shows (fictional).",
    "Professional judgement: agreed at strategy meeting (fictional).",
]
HOSTS = [
    "Children's Services (fictional host)",
    "Youth Offending Team (fictional host)",
    "Community Health Trust (fictional host)",
    "Early Help Service (fictional host)",
    "Voluntary Action (fictional host)",
]
BACKGROUNDS = ["Youth work", "Social work", "Nursing", "Teaching", "Criminal justice", ""]
THEMES = [
    "relationships",
    "online_safety",
    "sexual_health",
    "emotional_wellbeing",
    "family",
    "education",
    "substances",
    "safety_planning",
    "exploitation",
    "advocacy",
    "goals",
    "other",
]
LEVELS = ["none", "low", "medium", "high"]
REALLOCATION_REASONS = ["Caseload balancing", "Worker left the spoke", "Better match"]
REVIEW_WEEKS_DEFAULT = {"high": 4, "medium": 6, "low": 12, "none": 12}


def _clean(text: str) -> str:
    """Text for COPY's text format (the pools above never need it, but be safe)."""
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


FILLED_DEFAULTS: list[str] = []


def _copy_literal(value) -> str:
    """A Python value in COPY's text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (list, tuple)):
        return "{" + ",".join(str(v) for v in value) + "}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _clean(str(value))


def _weighted(rng: random.Random, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights)[0]


@dataclass
class Result:
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    total_seconds: float = 0.0
    caseload_worker_id: int = 0
    hub_id: int = 0
    hub_manager_id: int = 0
    timeline_case_id: int = 0
    notes: dict[str, object] = field(default_factory=dict)


class _Case:
    __slots__ = (
        "id",
        "yp",
        "worker",
        "status",
        "opened",
        "closed",
        "pending",
        "prev_worker",
        "switch",
        "n_sessions",
        "n_reviews",
        "has_initial",
        "has_closing",
        "special",
        "assessments",
    )

    def __init__(self, id_, yp, worker, status, opened, closed):
        self.id = id_
        self.yp = yp
        self.worker = worker
        self.status = status
        self.opened = opened
        self.closed = closed
        self.pending = None  # closure requested on (ordinal), open cases only
        self.prev_worker = None
        self.switch = None
        self.n_sessions = 0
        self.n_reviews = 0
        self.has_initial = True
        self.has_closing = False
        self.special = False
        self.assessments = None

    def end(self, today: int) -> int:
        if self.closed is not None:
            return self.closed
        if self.pending is not None:
            return self.pending
        return today

    def worker_on(self, day: int):
        if self.prev_worker is not None and day < self.switch:
            return self.prev_worker
        return self.worker


class _Worker:
    __slots__ = ("id", "hub", "spoke", "fte")

    def __init__(self, id_, hub, spoke, fte):
        self.id = id_
        self.hub = hub
        self.spoke = spoke
        self.fte = fte


class _Copier:
    """COPY ... FROM STDIN in chunks, with the columns checked against the model.

    Columns the model has but the caller does not write (a field added since this file was
    written) are filled with the field's default, NULL, or an empty string for a text field
    that may be left blank, so the generator keeps working
    while the models change; a column with neither is an error.
    """

    def __init__(self, cursor, model, columns: list[str], *, chunk: int = 20_000):
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise RuntimeError(f"bench/generate.py: {model.__name__} has no columns {unknown}")
        extra = [
            c for c in fields if c not in columns and not (c == "id" and fields[c].primary_key)
        ]
        self.suffix = ""
        for column in extra:
            f = fields[column]
            if f.has_default():
                value = _copy_literal(f.get_default())
            elif f.null:
                value = NULL
            elif f.blank and f.empty_strings_allowed:
                value = ""  # a text field left empty, as a form would leave it
            else:
                raise RuntimeError(
                    f"bench/generate.py is out of step with {model.__name__}: "
                    f"{column} needs a value"
                )
            self.suffix += "\t" + value
            FILLED_DEFAULTS.append(f"{model._meta.db_table}.{column}={value}")
        self.cursor = cursor
        self.table = model._meta.db_table
        self.columns = columns + extra
        self.chunk = chunk
        self.buffer: list[str] = []
        self.rows = 0

    def __enter__(self):
        cols = ", ".join(f'"{c}"' for c in self.columns)
        self._ctx = self.cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN')
        self.copy = self._ctx.__enter__()
        return self

    def add(self, line: str) -> None:
        if self.suffix:
            line = line[:-1] + self.suffix + "\n"
        self.buffer.append(line)
        if len(self.buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.rows += len(self.buffer)
            self.copy.write("".join(self.buffer))
            self.buffer.clear()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.flush()
        return self._ctx.__exit__(exc_type, exc, tb)


def _indicator_pools(definition: dict, rng: random.Random):
    """Ticked-indicator sets bucketed by the level the tool gives them (under 13 / 13 and over)."""
    from casework.risk import compute

    by_group = {g["key"]: [i["key"] for i in g["indicators"]] for g in definition["groups"]}
    pools = {young: {level: [] for level in LEVELS} for young in (False, True)}
    for young in (False, True):
        pools[young]["none"].append(((), 0, "none"))
    shapes = [
        # (vulnerabilities, moderate, significant, incidents)
        (1, 0, 0, 0),
        (2, 0, 0, 0),
        (3, 1, 0, 0),
        (2, 1, 0, 0),
        (1, 2, 0, 0),
        (0, 1, 0, 0),
        (1, 0, 1, 0),
        (2, 2, 0, 0),
        (3, 2, 0, 0),
        (2, 1, 1, 0),
        (1, 3, 0, 0),
        (0, 2, 1, 0),
        (2, 3, 1, 0),
        (3, 2, 1, 0),
        (2, 2, 2, 0),
        (1, 3, 2, 0),
        (3, 4, 2, 0),
        (2, 2, 3, 0),
        (2, 1, 1, 1),
        (4, 3, 3, 0),
    ]
    for _ in range(40):
        for v, m, s, i in shapes:
            picked = (
                rng.sample(by_group["vulnerabilities"], v)
                + rng.sample(by_group["moderate"], m)
                + rng.sample(by_group["significant"], s)
                + rng.sample(by_group["significant_incidents"], i)
            )
            for young in (False, True):
                result = compute(definition, picked, 12 if young else 15)
                pools[young][result.level].append((tuple(picked), result.score, result.level))
    for young in (False, True):
        for level in LEVELS:
            assert pools[young][level], f"no indicator set gives {level}"  # noqa: S101
    return pools


class _Run:
    """What the steps share, and what each step leaves for the later ones.

    There is one random source, drawn from in a fixed order (the order of the steps in
    `generate` and of the draws inside each), so a seed and a scale give the same data.
    """

    # The day arithmetic: ordinals, ds(ordinal) -> 'YYYY-MM-DD', stamp(ordinal, h, m).
    T: int
    now: datetime
    just_now: str
    ds: Callable[[int], str]
    stamp: Callable[[int, int, int], str]
    # Set by the structure steps.
    cursor: Any
    funders: list
    hubs: list
    hub_las: list
    spokes: list
    spokes_of: dict[int, list]
    users: list  # every user made, in the order made
    managers: list
    worker_users: list
    worker_spokes: list
    manager_of_hub: dict[int, int]
    workers: list[_Worker]
    # Set by the planning steps.
    bench_hub: int
    hub_workers: dict[int, list[_Worker]]
    caseload_worker: _Worker
    timeline_worker: _Worker
    pick_worker: Callable[..., _Worker]
    yp_base: int
    case_base: int
    n_pairs: int
    cases: list[_Case]
    people_first_open: list[int]
    special: _Case
    dobs: list[int]

    def __init__(self, scale: float, seed: int, verbose: bool) -> None:
        from django.utils import timezone

        from casework.models import RiskTool

        self.rng = random.Random(seed)
        self.scale = scale
        self.verbose = verbose
        self.result = Result()
        self.n_people = max(10, round(FULL_YOUNG_PEOPLE * scale))
        self.n_cases = max(self.n_people, round(FULL_CASES * scale))
        self.n_sessions = round(FULL_SESSIONS * scale)
        self.n_assessments = round(FULL_ASSESSMENTS * scale)
        self.hub_open_target = max(60, math.ceil(HUB_OPEN_FULL * min(scale, 1.0)))

        self.today = timezone.localdate()
        self.T = T = self.today.toordinal()
        self.now = timezone.now()
        start_ord = T - 30 * 365  # dates of birth included
        day_str = [date.fromordinal(o).isoformat() for o in range(start_ord, T + 120)]

        def ds(o: int) -> str:
            return day_str[o - start_ord]

        # Nothing is recorded in the future: anything stamped today gets "a few minutes ago".
        just_now = (self.now - timedelta(minutes=5)).astimezone(UTC)
        just_now = just_now.strftime("%Y-%m-%d %H:%M:%S+00")

        def stamp(o: int, hour: int, minute: int) -> str:
            if o >= T:
                return just_now
            return f"{ds(o)} {hour:02d}:{minute:02d}:00+00"

        self.ds, self.stamp, self.just_now = ds, stamp, just_now

        tool = RiskTool.objects.get(version=1)
        self.tool_id = tool.pk
        review_weeks = {**REVIEW_WEEKS_DEFAULT, **tool.definition.get("review_weeks", {})}
        self.review_days = {level: 7 * weeks for level, weeks in review_weeks.items()}
        self.pools = _indicator_pools(tool.definition, self.rng)

    def say(self, message: str) -> None:
        if self.verbose:
            print(message, flush=True)

    def timed(self, name: str, t0: float, rows: int | None = None) -> None:
        result = self.result
        result.seconds[name] = time.perf_counter() - t0
        if rows is not None:
            result.rows[name] = rows
        self.say(
            f"  {name:<26}{result.seconds[name]:>8.1f} s" + (f"{rows:>12,} rows" if rows else "")
        )


def generate(scale: float = 1.0, seed: int = 1, *, verbose: bool = True) -> Result:
    """Fill the current database. Returns timings, row counts and the benchmark's subjects."""
    from django.db import connection, transaction

    FILLED_DEFAULTS.clear()
    started = time.perf_counter()
    run = _Run(scale, seed, verbose)
    run.say(f"Generating at scale {scale} (seed {seed}) into {connection.settings_dict['NAME']}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        run.cursor = cursor

        # Structure (small: the ORM's bulk_create, no history rows).
        t0 = time.perf_counter()
        _funders(run)
        _hubs(run)
        _spokes(run)
        _staff(run)
        _hub_managements(run)
        _worker_profiles(run)
        structure_rows = (
            len(run.funders)
            + len(run.hubs)
            + len(run.spokes)
            + len(run.users)
            + len(run.workers)  # one profile each
            + HUBS
        )
        run.timed("structure (ORM)", t0, structure_rows)

        # The plan of every case, in Python, before any of it is written.
        t0 = time.perf_counter()
        _plan_cases(run)
        _plan_subjects(run)
        _plan_reallocations(run)
        _plan_volumes(run)
        _plan_dates_of_birth(run)
        _plan_assessments(run)
        run.timed("plan (Python)", t0)

        # The bulk tables (COPY), then the shares and the summary columns.
        _young_people(run)
        _cases(run)
        _allocations(run)
        _risk_assessments(run)
        _sessions(run)
        _case_shares(run)
        _case_summaries(run)
        _reset_sequences(run)

    if not connection.in_atomic_block:
        _vacuum_analyze(run)

    result = run.result
    cases = run.cases
    result.total_seconds = time.perf_counter() - started
    result.caseload_worker_id = run.caseload_worker.id
    result.hub_id = run.bench_hub
    result.hub_manager_id = run.manager_of_hub[run.bench_hub]
    result.timeline_case_id = run.special.id
    result.notes = {
        "bench hub open cases": sum(
            1 for c in cases if c.closed is None and c.worker.hub == run.bench_hub
        ),
        "closed share": round(sum(c.closed is not None for c in cases) / len(cases), 3),
        "today": run.today.isoformat(),
        "columns filled with defaults": ", ".join(FILLED_DEFAULTS) or "none",
        "generated at": run.now.isoformat(timespec="seconds"),
    }
    run.say(f"  {'total':<26}{result.total_seconds:>8.1f} s")
    return result


# --- Structure ------------------------------------------------------------------------------


def _funders(run: _Run) -> None:
    from alexi.models import Funder

    run.funders = Funder.objects.bulk_create(
        Funder(ref=f"BENCH-F{n:02d}", name=f"Bench Foundation {n:02d} (fictional)")
        for n in range(1, FUNDERS + 1)
    )


def _hubs(run: _Run) -> None:
    """40 hubs on real current local authorities (their home areas), each with 1 to 3 funders."""
    from alexi.models import Hub, LocalAuthority

    rng = run.rng
    las = list(LocalAuthority.objects.filter(end_date__isnull=True).order_by("region", "name"))
    if not las:
        raise RuntimeError("No local authorities: run the migrations first.")
    others_spokes = [4] * 19 + [3] * 20
    rng.shuffle(others_spokes)
    spokes_per_hub = [4] + others_spokes  # the bench hub (hub 01) has four spokes
    assert sum(spokes_per_hub) == SPOKES  # noqa: S101
    hubs = []
    la_cursor = 0
    hub_las = []
    for n, count in enumerate(spokes_per_hub, start=1):
        chunk = [las[(la_cursor + k) % len(las)] for k in range(count)]
        la_cursor += count
        hub_las.append(chunk)
        hubs.append(
            Hub(ref=f"BENCH-H{n:02d}", name=f"{chunk[0].region} Bench Hub {n:02d} (fictional)")
        )
    hubs = Hub.objects.bulk_create(hubs)
    Hub.home_las.through.objects.bulk_create(
        Hub.home_las.through(hub_id=hub.pk, localauthority_id=la.pk)
        for hub, chunk in zip(hubs, hub_las, strict=True)
        for la in chunk
    )
    Hub.funders.through.objects.bulk_create(
        Hub.funders.through(hub_id=hub.pk, funder_id=funder.pk)
        for hub in hubs
        for funder in rng.sample(run.funders, rng.choice((1, 1, 2, 2, 3)))
    )
    run.hubs, run.hub_las = hubs, hub_las


def _spokes(run: _Run) -> None:
    """One spoke per home area of each hub (140)."""
    from alexi.models import Spoke, SpokeModel

    rng = run.rng
    spokes = Spoke.objects.bulk_create(
        Spoke(
            ref=f"BENCH-S{hub_index + 1:02d}-{k + 1}",
            hub_id=hub.pk,
            local_authority_id=la.pk,
            host_agency=f"{la.name} {rng.choice(HOSTS)}",
            model=rng.choice(SpokeModel.values),
            start_date=date(2022, 4, 1) + timedelta(days=rng.randrange(0, 700)),
        )
        for hub_index, (hub, chunk) in enumerate(zip(run.hubs, run.hub_las, strict=True))
        for k, la in enumerate(chunk)
    )
    run.spokes = spokes
    run.spokes_of = {hub.pk: [s for s in spokes if s.hub_id == hub.pk] for hub in run.hubs}


def _person_name(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[(n // 7) % len(SURNAMES)]}"


def _staff(run: _Run) -> None:
    """The users: an administrator, a person per funder, 39 hub managers, 600 spoke workers."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX  # "!"
    from django.utils import timezone

    from alexi.models import Role, User

    rng = run.rng
    joined = timezone.make_aware(datetime(2022, 4, 1, 9, 0))
    users = [
        User(
            email=f"admin@{DOMAIN}",
            full_name="Bench Admin Notreal",
            role=Role.PROGRAMME_ADMIN,
            password=UNUSABLE_PASSWORD_PREFIX,
            date_joined=joined,
        )
    ]
    users += [
        User(
            email=f"funder{n:02d}@{DOMAIN}",
            full_name=f"Bench Funder {n:02d} Notreal",
            role=Role.FUNDER,
            funder_id=funder.pk,
            password=UNUSABLE_PASSWORD_PREFIX,
            date_joined=joined,
        )
        for n, funder in enumerate(run.funders, start=1)
    ]
    managers = [
        User(
            email=f"manager{n:02d}@{DOMAIN}",
            full_name=f"{_person_name(n + 3)} (bench manager {n:02d})",
            role=Role.HUB_MANAGER,
            password=UNUSABLE_PASSWORD_PREFIX,
            date_joined=joined,
        )
        for n in range(1, HUBS)  # 39 managers for 40 hubs
    ]
    # Workers per hub: the bench hub is a big metropolitan one, the rest vary.
    weights = [rng.uniform(0.6, 1.4) for _ in range(HUBS - 1)]
    rest = WORKERS - BENCH_HUB_WORKERS
    per_hub = [max(6, int(rest * w / sum(weights))) for w in weights]
    for k in range(rest - sum(per_hub)):
        per_hub[k % len(per_hub)] += 1
    per_hub = [BENCH_HUB_WORKERS] + per_hub
    worker_users = []
    worker_spokes = []
    n = 0
    for hub, count in zip(run.hubs, per_hub, strict=True):
        spokes = run.spokes_of[hub.pk]
        for k in range(count):
            n += 1
            worker_users.append(
                User(
                    email=f"worker{n:03d}@{DOMAIN}",
                    full_name=f"{_person_name(n)} (bench worker {n:03d})",
                    role=Role.SPOKE_WORKER,
                    password=UNUSABLE_PASSWORD_PREFIX,
                    date_joined=joined,
                )
            )
            worker_spokes.append(spokes[k % len(spokes)])
    created = User.objects.bulk_create(users + managers + worker_users)
    run.users = created
    run.managers = created[len(users) : len(users) + len(managers)]
    run.worker_users = created[len(users) + len(managers) :]
    run.worker_spokes = worker_spokes


def _hub_managements(run: _Run) -> None:
    """Manager k manages hub k since April 2022; the last manager also manages the last hub."""
    from alexi.models import HubManagement

    hubs, managers = run.hubs, run.managers
    HubManagement.objects.bulk_create(
        [
            HubManagement(hub_id=hub.pk, manager_id=managers[k].pk, start_date=date(2022, 4, 1))
            for k, hub in enumerate(hubs[: HUBS - 1])
        ]
        + [
            HubManagement(
                hub_id=hubs[-1].pk, manager_id=managers[-1].pk, start_date=date(2023, 9, 1)
            )
        ]
    )
    run.manager_of_hub = {hub.pk: managers[min(k, HUBS - 2)].pk for k, hub in enumerate(hubs)}


def _worker_profiles(run: _Run) -> None:
    """Each spoke worker's profile (spoke, FTE, background, experience)."""
    from alexi.models import WorkerProfile

    rng = run.rng
    ftes = [Decimal("1.00")] * 12 + [Decimal("0.80")] * 4 + [Decimal("0.60")] * 3
    ftes += [Decimal("0.50")]
    profiles = []
    workers: list[_Worker] = []
    for user, spoke in zip(run.worker_users, run.worker_spokes, strict=True):
        fte = rng.choice(ftes)
        profiles.append(
            WorkerProfile(
                user_id=user.pk,
                spoke_id=spoke.pk,
                fte=fte,
                background=rng.choice(BACKGROUNDS),
                years_experience=rng.randrange(0, 25),
            )
        )
        workers.append(_Worker(user.pk, spoke.hub_id, spoke, float(fte)))
    WorkerProfile.objects.bulk_create(profiles)
    run.workers = workers


# --- The plan (Python) ----------------------------------------------------------------------


def _closed_span(rng: random.Random, opened: int, latest_close: int) -> int | None:
    """The day a case opened on `opened` closed, or None if it would close too soon."""
    duration = int(rng.lognormvariate(math.log(170), 0.6))
    duration = min(max(duration, 21), 900)
    closed = min(opened + duration, latest_close)
    return closed if closed >= opened + 7 else None


def _plan_cases(run: _Run) -> None:
    """Every case (one or two per young person) with its worker, status and dates."""
    from casework.models import Case, YoungPerson

    rng, T, n_people = run.rng, run.T, run.n_people
    workers = run.workers
    run.bench_hub = run.hubs[0].pk
    hub_workers = {hub.pk: [w for w in workers if w.hub == hub.pk] for hub in run.hubs}
    run.hub_workers = hub_workers
    run.caseload_worker = hub_workers[run.bench_hub][0]
    run.timeline_worker = hub_workers[run.bench_hub][1]
    cum_all = []
    total = 0.0
    for w in workers:
        total += w.fte
        cum_all.append(total)
    cum_hub = {}
    for hub_id, ws in hub_workers.items():
        acc, cum = 0.0, []
        for w in ws:
            acc += w.fte
            cum.append(acc)
        cum_hub[hub_id] = cum

    def pick_worker(hub_id=None):
        """A worker (of the hub, or anywhere), more likely the more hours they work."""
        if hub_id is None:
            return rng.choices(workers, cum_weights=cum_all)[0]
        return rng.choices(hub_workers[hub_id], cum_weights=cum_hub[hub_id])[0]

    run.pick_worker = pick_worker
    run.yp_base = (
        YoungPerson.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    run.case_base = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    n_pairs = min(run.n_cases - n_people, n_people)
    run.n_pairs = n_pairs
    p_closed = (CLOSED_SHARE * run.n_cases - n_pairs) / max(1, run.n_cases - n_pairs)

    cases: list[_Case] = []
    people_first_open: list[int] = []
    cid = run.case_base
    for p in range(n_people):
        if p < n_pairs:
            opened = T - rng.randrange(2 * 365, 6 * 365)
            closed = _closed_span(rng, opened, T - 60) or opened + 30
            first = _Case(cid, p, pick_worker(), "closed", opened, closed)
            cid += 1
            cases.append(first)
            people_first_open.append(opened)
            second_open = min(closed + rng.randrange(14, 500), T - rng.randrange(0, 30))
            second_open = max(second_open, closed + 1)
            hub_id = first.worker.hub if rng.random() < 0.8 else None
            worker = pick_worker(hub_id)
            second_close = (
                _closed_span(rng, second_open, T - 1) if rng.random() < p_closed else None
            )
            status = "closed" if second_close else "open"
            cases.append(_Case(cid, p, worker, status, second_open, second_close))
            cid += 1
            continue
        if rng.random() < p_closed:
            opened = T - rng.randrange(40, 6 * 365)
            closed = _closed_span(rng, opened, T - 1)
            if closed is not None:
                cases.append(_Case(cid, p, pick_worker(), "closed", opened, closed))
                people_first_open.append(opened)
                cid += 1
                continue
        opened = T - min(int(rng.lognormvariate(math.log(200), 0.9)), 4 * 365)
        cases.append(_Case(cid, p, pick_worker(), "open", opened, None))
        people_first_open.append(opened)
        cid += 1

    # Paused and waiting-for-closure cases among those not closed.
    for c in cases:
        if c.status == "open":
            r = rng.random()
            if r < 0.07:
                c.status = "paused"
            elif r < 0.085 and c.opened < T - 60:
                c.pending = T - rng.randrange(0, 14)
    run.cases, run.people_first_open = cases, people_first_open


def _plan_subjects(run: _Run) -> None:
    """What the benchmarks measure: the 300-entry case, the bench hub, the caseload worker."""
    rng, T, cases = run.rng, run.T, run.cases
    bench_hub, caseload_worker = run.bench_hub, run.caseload_worker
    # The case with 300 timeline entries: opened three years ago, open, in the bench hub.
    special = next(c for c in reversed(cases) if c.status != "closed" and c.yp >= run.n_pairs)
    special.worker = run.timeline_worker
    special.status = "open"
    special.pending = None
    special.opened = T - 3 * 365
    special.special = True
    run.people_first_open[special.yp] = special.opened
    run.special = special

    # The bench hub has at least hub_open_target cases not closed.
    open_in_hub = [c for c in cases if c.closed is None and c.worker.hub == bench_hub]
    if len(open_in_hub) < run.hub_open_target:
        others = [c for c in cases if c.closed is None and c.worker.hub != bench_hub]
        rng.shuffle(others)
        for c in others[: run.hub_open_target - len(open_in_hub)]:
            c.worker = run.pick_worker(bench_hub)
    # The caseload worker holds exactly CASELOAD_OPEN open cases.
    mine = [c for c in cases if c.closed is None and c.worker is caseload_worker]
    colleagues = [w for w in run.hub_workers[bench_hub] if w is not caseload_worker]
    if len(mine) > CASELOAD_OPEN:
        for c in mine[CASELOAD_OPEN:]:
            c.worker = rng.choice(colleagues)
    elif len(mine) < CASELOAD_OPEN:
        spare = [
            c
            for c in cases
            if c.closed is None
            and c.worker.hub == bench_hub
            and c.worker is not caseload_worker
            and not c.special
        ]
        rng.shuffle(spare)
        if len(spare) < CASELOAD_OPEN - len(mine):
            raise RuntimeError("Not enough open cases in the bench hub for the caseload worker.")
        for c in spare[: CASELOAD_OPEN - len(mine)]:
            c.worker = caseload_worker
    for c in cases:
        if c.worker is caseload_worker and c.closed is None:
            c.status = "open"


def _plan_reallocations(run: _Run) -> None:
    """About 8% of longer cases changed worker within their hub once."""
    rng, T = run.rng, run.T
    for c in run.cases:
        span = c.end(T) - c.opened
        if not c.special and span > 60 and rng.random() < 0.08:
            colleagues = run.hub_workers[c.worker.hub]
            if len(colleagues) > 1:
                prev = rng.choice(colleagues)
                while prev is c.worker:
                    prev = rng.choice(colleagues)
                c.prev_worker = prev
                c.switch = c.opened + rng.randrange(30, span - 14)


def _plan_volumes(run: _Run) -> None:
    """How many assessments and sessions each case has.

    Assessments: initial for ~97%, closing for ~90% of closed (and every pending closure),
    reviews spread in proportion to how long the case has run; sessions likewise.
    """
    rng, T, cases, special = run.rng, run.T, run.cases, run.special
    for c in cases:
        if c.special:
            continue
        c.has_initial = rng.random() < 0.97 or c.closed is not None and rng.random() < 0.5
        c.has_closing = (c.closed is not None and rng.random() < 0.9) or c.pending is not None
    special.has_initial, special.has_closing = True, False
    fixed = sum(c.has_initial for c in cases) + sum(c.has_closing for c in cases)
    reviews_left = max(0, run.n_assessments - fixed - (TIMELINE_ASSESSMENTS - 1))
    spans = [0 if c.special else max(0, c.end(T) - c.opened - 28) for c in cases]
    span_total = sum(spans) or 1
    for c, span in zip(cases, spans, strict=True):
        if c.special:
            c.n_reviews = TIMELINE_ASSESSMENTS - 1
            continue
        expected = reviews_left * span / span_total
        count = int(expected) + (rng.random() < expected - int(expected))
        c.n_reviews = min(count, max(0, (span - 14) // 14))
    sessions_left = max(0, run.n_sessions - TIMELINE_SESSIONS)
    spans = [0 if c.special else c.end(T) - c.opened + 10 for c in cases]
    span_total = sum(spans) or 1
    for c, span in zip(cases, spans, strict=True):
        if c.special:
            c.n_sessions = TIMELINE_SESSIONS
            continue
        expected = sessions_left * span / span_total
        c.n_sessions = int(expected) + (rng.random() < expected - int(expected))


def _plan_dates_of_birth(run: _Run) -> None:
    """Young people aged 10 to 17 when each of their cases opened."""
    rng, people_first_open = run.rng, run.people_first_open
    last_open = list(people_first_open)
    for c in run.cases:
        last_open[c.yp] = max(last_open[c.yp], c.opened)
    dobs = []
    for p in range(run.n_people):
        high = 17.9 * 365.25
        low = min(high, 10 * 365.25 + last_open[p] - people_first_open[p])
        age_days = int(rng.triangular(low, high, min(high, max(low, 15 * 365.25))))
        dobs.append(last_open[p] - age_days)
    run.dobs = dobs


def _step(rng: random.Random, level: str, down: float, up: float) -> str:
    """The level one step down (chance `down`) or up (chance `up`), or the same."""
    i = LEVELS.index(level)
    r = rng.random()
    if r < down and i > 0:
        return LEVELS[i - 1]
    if r < down + up and i < 3:
        return LEVELS[i + 1]
    return level


def _plan_assessments(run: _Run) -> None:
    """Each case's assessments: (kind, day, final level, indicator set, score, computed level)."""
    rng, T, pools = run.rng, run.T, run.pools
    initial_weights = [("none", 8), ("low", 30), ("medium", 37), ("high", 25)]
    for c in run.cases:
        plan = []
        end = c.end(T)
        dob = run.dobs[c.yp]
        level = _weighted(rng, initial_weights)
        first_day = c.opened
        if c.has_initial:
            first_day = min(c.opened + rng.randrange(0, 15), end)
            plan.append(("initial", first_day, level))
        if c.n_reviews:
            last_day = end - (7 if c.has_closing else 0)
            if c.closed is None and c.pending is None:
                last_day = T - rng.randrange(0, 70)
            last_day = max(last_day, first_day + 1)
            gap = (last_day - first_day) / c.n_reviews
            for k in range(1, c.n_reviews + 1):
                day = first_day + int(gap * k - rng.uniform(0, gap * 0.3))
                day = min(max(day, first_day + 1), end)
                level = _step(rng, level, 0.3, 0.1)
                plan.append(("review", day, level))
        if c.has_closing:
            level = _step(rng, level, 0.55, 0.05)
            plan.append(("closing", end, level))
        rows = []
        for kind, day, final in plan:
            young = (day - dob) < 13 * 365.25
            picked, score, computed = rng.choice(pools[young][final])
            if final != "none" and rng.random() < 0.06:
                # The tool said one thing, the worker judged another (with a rationale).
                alternative = _step(rng, final, 0.5, 0.5)
                if alternative != final:
                    picked, score, computed = rng.choice(pools[young][alternative])
            rows.append((kind, day, final, picked, score, computed))
        c.assessments = rows


# --- The bulk tables (COPY) -----------------------------------------------------------------


def _young_people(run: _Run) -> None:
    from casework.models import YoungPerson

    t0 = time.perf_counter()
    rng, ds, stamp = run.rng, run.ds, run.stamp
    yp_base, dobs, people_first_open = run.yp_base, run.dobs, run.people_first_open
    genders = [("female", 64), ("male", 29), ("non_binary", 3), ("other", 1), ("not_known", 3)]
    yp_la = {}
    for c in run.cases:
        yp_la.setdefault(c.yp, c.worker.spoke.local_authority_id)
    boolean = {True: "t", False: "f", None: "\\N"}
    contacts = [_clean(x) for x in CONTACT_PREFERENCES]
    with _Copier(
        run.cursor,
        YoungPerson,
        [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "gender",
            "ethnicity",
            "disability_sen",
            "local_authority_id",
            "looked_after",
            "contact_preference",
            "created_at",
        ],
    ) as out:
        for p in range(run.n_people):
            first = rng.choice(FIRST_NAMES)
            preferred = rng.choice(FIRST_NAMES) if rng.random() < 0.12 else ""
            out.add(
                f"{yp_base + p}\t{first}\t{rng.choice(SURNAMES)}\t{preferred}\t"
                f"{ds(dobs[p])}\t{_weighted(rng, genders)}\t{_weighted(rng, ETHNICITIES)}\t"
                f"{boolean[rng.choice((True, False, False, None))]}\t{yp_la[p]}\t"
                f"{boolean[rng.choice((True, False, False, False, None))]}\t"
                f"{rng.choice(contacts)}\t"
                f"{stamp(people_first_open[p], 10, rng.randrange(60))}\n"
            )
    run.timed("young people (COPY)", t0, out.rows)


def _cases(run: _Run) -> None:
    """The cases, with the closure (reason, request, note) of those closed or waiting."""
    from casework.models import Case

    t0 = time.perf_counter()
    rng, ds, yp_base = run.rng, run.ds, run.yp_base
    reasons_reduced = [("goals_met", 70), ("young_person_ended", 10), ("moved_away", 6)]
    reasons_reduced += [("aged_out", 8), ("transferred", 3), ("other", 3)]
    reasons_not = [("non_engagement", 30), ("young_person_ended", 20), ("moved_away", 15)]
    reasons_not += [("aged_out", 15), ("transferred", 10), ("goals_met", 5), ("other", 5)]
    no_reduction = [("non_engagement", 40), ("moved_away", 15)]
    no_reduction += [("ongoing_exploitation", 35), ("other", 10)]
    with _Copier(
        run.cursor,
        Case,
        [
            "id",
            "import_ref",
            "young_person_id",
            "spoke_id",
            "hub_id",
            "allocated_worker_id",
            "status",
            "opened_on",
            "closed_on",
            "closure_reason",
            "no_reduction_reason",
            "closure_requested_on",
            "closure_requested_by_id",
            "closure_note",
            "closure_returned_note",
            "current_level",
            "next_review_due",
            "last_contact_on",
            "version",
        ],
    ) as out:
        for c in run.cases:
            version = 1 + (c.prev_worker is not None)
            reason = no_red = note = ""
            requested = requested_by = "\\N"
            if c.closed is not None or c.pending is not None:
                initial = next((a for a in c.assessments if a[0] == "initial"), None)
                closing = next((a for a in reversed(c.assessments) if a[0] == "closing"), None)
                reduced = (
                    initial is not None
                    and closing is not None
                    and LEVELS.index(closing[2]) < LEVELS.index(initial[2])
                )
                reason = _weighted(rng, reasons_reduced if reduced else reasons_not)
                if closing is not None and not reduced:
                    no_red = _weighted(rng, no_reduction)
                requested = ds(c.closed if c.closed is not None else c.pending)
                requested_by = c.worker.id
                version += 1 + (c.closed is not None)
                if rng.random() < 0.3:
                    note = "Fictional bench closure note: ending agreed with the young person."
            out.add(
                f"{c.id}\t\\N\t{yp_base + c.yp}\t{c.worker.spoke.pk}\t{c.worker.hub}\t"
                f"{c.worker.id}\t{c.status}\t{ds(c.opened)}\t"
                f"{ds(c.closed) if c.closed is not None else NULL}\t{reason}\t{no_red}\t"
                f"{requested}\t{requested_by}\t{note}\t\t\t\\N\t\\N\t{version}\n"
            )
    run.timed("cases (COPY)", t0, out.rows)


def _allocations(run: _Run) -> None:
    """One current allocation per case; a reallocated case has the earlier one, ended."""
    from casework.models import Allocation

    t0 = time.perf_counter()
    rng, stamp, manager_of_hub = run.rng, run.stamp, run.manager_of_hub
    with _Copier(
        run.cursor,
        Allocation,
        ["case_id", "worker_id", "started_at", "ended_at", "allocated_by_id", "reason"],
    ) as out:
        for c in run.cases:
            manager = manager_of_hub[c.worker.hub]
            if c.prev_worker is not None:
                out.add(
                    f"{c.id}\t{c.prev_worker.id}\t{stamp(c.opened, 10, 0)}\t"
                    f"{stamp(c.switch, 11, 30)}\t{manager}\tOpened\n"
                )
                out.add(
                    f"{c.id}\t{c.worker.id}\t{stamp(c.switch, 11, 30)}\t\\N\t{manager}\t"
                    f"{rng.choice(REALLOCATION_REASONS)}\n"
                )
            else:
                out.add(
                    f"{c.id}\t{c.worker.id}\t{stamp(c.opened, 10, 0)}\t\\N\t{manager}\tOpened\n"
                )
    run.timed("allocations (COPY)", t0, out.rows)


def _risk_assessments(run: _Run) -> None:
    """The planned assessments, each by the worker who held the case that day."""
    from casework.models import RiskAssessment

    t0 = time.perf_counter()
    rng, T, ds, stamp, review_days = run.rng, run.T, run.ds, run.stamp, run.review_days
    views = [_clean(x) for x in YOUNG_PERSON_VIEWS]
    rationales = [_clean(x) for x in RATIONALES]
    with _Copier(
        run.cursor,
        RiskAssessment,
        [
            "case_id",
            "kind",
            "assessed_on",
            "assessor_id",
            "tool_id",
            "indicators",
            "no_indicators_present",
            "score",
            "computed_level",
            "final_level",
            "rationale",
            "young_person_view",
            "next_review_due",
            "recorded_at",
            "version",
        ],
    ) as out:
        tool_id = run.tool_id
        for c in run.cases:
            for kind, day, final, picked, score, computed in c.assessments:
                rationale = rng.choice(rationales) if computed != final else ""
                view = rng.choice(views) if rng.random() < 0.3 else ""
                recorded = min(day + (rng.random() < 0.3), T)
                out.add(
                    f"{c.id}\t{kind}\t{ds(day)}\t{c.worker_on(day).id}\t{tool_id}\t"
                    f"{{{','.join(picked)}}}\t{'f' if picked else 't'}\t{score}\t"
                    f"{computed}\t{final}\t{rationale}\t"
                    f"{view}\t{ds(day + review_days[final])}\t"
                    f"{stamp(recorded, rng.randrange(9, 19), rng.randrange(60))}\t1\n"
                )
    run.timed("risk assessments (COPY)", t0, out.rows)


def _sessions(run: _Run) -> None:
    """The sessions (about 2,000,000 at scale 1.0): the hot loop, so names are kept local."""
    from casework.models import CaseSession

    t0 = time.perf_counter()
    rng, T, ds, just_now = run.rng, run.T, run.ds, run.just_now
    notes = [_clean(x) for x in SESSION_NOTES]
    words = [_clean(x) for x in YOUNG_PERSON_WORDS]
    methods = ["face_to_face"] * 13 + ["phone"] * 3 + ["text"] * 2 + ["online"] * 2
    venues = ["school", "community_building", "cafe_or_fast_food", "worker_car", "home"]
    venues += ["hub_office", "outdoors", "other"]
    attendances = ["attended"] * 78 + ["did_not_attend"] * 12 + ["declined"] * 5
    attendances += ["cancelled"] * 5
    theme_sets = [
        "{" + ",".join(sorted(rng.sample(THEMES, rng.choice((1, 1, 2, 2, 3))))) + "}"
        for _ in range(300)
    ]
    chose = ["t", "t", "f", "\\N"]
    rand, randrange, choice = rng.random, rng.randrange, rng.choice
    with _Copier(
        run.cursor,
        CaseSession,
        [
            "case_id",
            "date",
            "duration_minutes",
            "worker_id",
            "contact_method",
            "venue_type",
            "young_person_chose",
            "attendance",
            "themes",
            "notes",
            "young_person_words",
            "recorded_at",
            "version",
        ],
        chunk=50_000,
    ) as out:
        add = out.add
        for c in run.cases:
            n = c.n_sessions
            if not n:
                continue
            first, span = c.opened, c.end(T) - c.opened + 1
            cid = c.id
            for _ in range(n):
                day = first + randrange(span)
                attendance = choice(attendances)
                method = choice(methods)
                if attendance == "attended":
                    minutes = 15 * randrange(2, 9)
                    themes = choice(theme_sets)
                    note = choice(notes)
                    said = choice(words) if rand() < 0.25 else ""
                else:
                    minutes, themes, note, said = "\\N", "{}", "", ""
                if method == "face_to_face":
                    venue, yp_chose = choice(venues), choice(chose)
                else:
                    venue, yp_chose = "", "\\N"
                if day < T - 1:
                    recorded = f"{ds(day + 1)} {9 + randrange(10)}:{randrange(10, 60)}:00+00"
                else:
                    recorded = just_now
                add(
                    f"{cid}\t{ds(day)}\t{minutes}\t{c.worker_on(day).id}\t{method}\t{venue}\t"
                    f"{yp_chose}\t{attendance}\t{themes}\t{note}\t{said}\t{recorded}\t1\n"
                )
    run.timed("sessions (COPY)", t0, out.rows)


# --- Shares, summaries and tidying ----------------------------------------------------------


def _case_shares(run: _Run) -> None:
    """A few live shares with their guardian grant, more that have ended (the ORM)."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from casework.models import CaseShare, CaseUserObjectPermission, ShareKind

    t0 = time.perf_counter()
    rng, T, now, cases = run.rng, run.T, run.now, run.cases
    caseload_worker = run.caseload_worker
    permission = Permission.objects.get(
        codename="view_case_shared", content_type__app_label="casework"
    )
    candidates = [
        c for c in cases if c.closed is None and not c.special and c.worker is not caseload_worker
    ]
    others = [w for w in run.workers if w is not caseload_worker]
    shares, grants = [], []
    n_live = min(len(candidates), max(5, round(LIVE_SHARES * run.scale)))
    n_past = max(5, round(PAST_SHARES * run.scale))
    for k, c in enumerate(rng.sample(candidates, n_live) + rng.choices(cases, k=n_past)):
        live = k < n_live
        if rng.random() < 0.8:
            pool = [w for w in run.hub_workers[c.worker.hub] if w is not caseload_worker]
        else:
            pool = others
        target = rng.choice(pool)
        while target is c.worker:
            target = rng.choice(others)
        if live:
            starts = now - timedelta(days=rng.uniform(0, 30))
            expires = now + timedelta(days=rng.uniform(1, 60))
            revoked = None
        else:
            day = rng.randrange(c.opened, c.end(T) + 1)
            starts = timezone.make_aware(datetime.fromordinal(day).replace(hour=10))
            expires = starts + timedelta(days=rng.uniform(7, 90))
            revoked = None
            if expires > now or rng.random() < 0.3:
                revoked = min(now, starts + timedelta(days=rng.uniform(1, 6)))
        shares.append(
            CaseShare(
                case_id=c.id,
                kind=ShareKind.SHARE,
                shared_with_id=target.id,
                granted_by_id=run.manager_of_hub[c.worker.hub],
                reason="Fictional bench share: covering annual leave.",
                starts_at=starts,
                expires_at=expires,
                revoked_at=revoked,
            )
        )
        if live:
            grants.append(
                CaseUserObjectPermission(
                    content_object_id=c.id, user_id=target.id, permission_id=permission.pk
                )
            )
    CaseShare.objects.bulk_create(shares)
    CaseUserObjectPermission.objects.bulk_create(grants, ignore_conflicts=True)
    run.timed("case shares + grants (ORM)", t0, len(shares) + len(grants))


def _case_summaries(run: _Run) -> None:
    """The summary columns, as case_refresh_summary would set them (one statement)."""
    from casework.services import case_summaries_refresh

    t0 = time.perf_counter()
    updated = case_summaries_refresh(
        "SELECT id FROM casework_case WHERE id BETWEEN %(first)s AND %(last)s",
        {"first": run.case_base, "last": run.cases[-1].id},
    )
    run.timed("case summary (SQL UPDATE)", t0, updated)


def _reset_sequences(run: _Run) -> None:
    """The id sequences of the tables written with explicit ids."""
    from django.core.management.color import no_style
    from django.db import connection

    from casework.models import Case, YoungPerson

    for statement in connection.ops.sequence_reset_sql(no_style(), [YoungPerson, Case]):
        run.cursor.execute(statement)


def _vacuum_analyze(run: _Run) -> None:
    """VACUUM (ANALYZE) the bulk tables (outside a transaction only)."""
    from django.db import connection

    from casework.models import (
        Allocation,
        Case,
        CaseSession,
        CaseShare,
        CaseUserObjectPermission,
        RiskAssessment,
        YoungPerson,
    )

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (
            YoungPerson,
            Case,
            Allocation,
            RiskAssessment,
            CaseSession,
            CaseShare,
            CaseUserObjectPermission,
        ):
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
    run.timed("vacuum analyze", t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    import django

    django.setup()
    result = generate(scale=args.scale, seed=args.seed)
    print(
        f"caseload worker {result.caseload_worker_id}, bench hub {result.hub_id} "
        f"(manager {result.hub_manager_id}), timeline case {result.timeline_case_id}; "
        + ", ".join(f"{k}: {v}" for k, v in result.notes.items())
    )


if __name__ == "__main__":
    main()
