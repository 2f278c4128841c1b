"""Write a folder of clearly fake CSV files in the import format (docs: shared/design/IMPORT.md).

    python bench/import_data.py OUT_FOLDER --cases 100000 --sessions 1000000 \\
        --assessments 300000 [--seed 1]

or, from Python, `write_folder(folder, cases, sessions, assessments, seed=1)`, which returns
the number of rows written per file. Standard library only: no Django, no database.

Structure is always full size: 6 funders, 40 hubs, 140 spokes on real current local
authorities (ONS codes from the shipped reference CSV), 40 hub managers, 600 spoke workers,
6 funder users and one programme admin. The case data is sized by the arguments: about 85 %
of young people have one case and the rest two (the second opened after the first closed),
about 75 % of cases are closed, every case has its accepted referral, plus about 10 % extra
referrals that did not become a case. `--sessions` and `--assessments` are exact totals,
spread over the cases by their length. Groupwork, training and consultations are fixed size.

Everything is fictional: names come from short lists of made-up surnames ("Sampleton",
"Fakewell"), emails end in `bench.alexi.invalid`. The rows satisfy the importer's checks:
a case's worker works at the case's spoke, referrals name the hub of that spoke, every date
lies between the case's opening and its closing (or "today", 2026-11-20), and no date is in
the future. Output is deterministic for a seed and written case by case, so memory stays
small whatever the size.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import math
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from itertools import accumulate
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import ETHNICITIES, FIRST_NAMES, SURNAMES  # noqa: E402 (after the path)
from imports.reader import COLUMNS  # noqa: E402 (the format itself, not a copy)

FUNDERS = 6
HUBS = 40
SPOKES = 140
WORKERS = 600
DOMAIN = "bench.alexi.invalid"
TODAY = date(2026, 11, 20)  # nothing is dated after this
FIRST_OPEN = date(2021, 1, 1)
LAST_OPEN = date(2026, 10, 31)
SPOKE_START = "2019-04-01"
SINGLE_CASE_SHARE = 0.85  # of young people
CLOSED_SHARE = 0.75  # of cases
EXTRA_REFERRAL_SHARE = 0.10  # of cases
CLOSING_SHARE = 0.9  # of closed cases, when the assessment budget allows
GROUPWORK_ROWS = 2_000
TRAINING_EVENTS = 1_500
CONSULTATION_ROWS = 3_000
_HERE = Path(__file__).resolve().parent
LA_FILES = [
    _HERE.parent / "alexi" / "data" / "english_upper_tier_local_authorities.csv",
    Path("/work/shared/data/english_upper_tier_local_authorities.csv"),
]


GENDERS = [("female", 55), ("male", 38), ("non_binary", 3), ("other", 1), ("not_known", 3)]
DISABILITY = [("no", 70), ("yes", 18), ("", 12)]
AGES_AT_OPENING = [(10, 2), (11, 4), (12, 7), (13, 12), (14, 18), (15, 22), (16, 22), (17, 13)]
HOSTS = [
    "Children's Services (fictional host)",
    "Youth Offending Team (fictional host)",
    "Community Health Trust (fictional host)",
    "Early Help Service (fictional host)",
    "Voluntary Action (fictional host)",
]
SPOKE_MODELS = ["co-located", "outreach", "hybrid"]
BACKGROUNDS = ["Youth work", "Social work", "Nursing", "Teaching", "Criminal justice", ""]
QUALIFICATIONS = [
    "JNC youth work degree (fictional)",
    "Social work degree (fictional)",
    "Level 3 youth work certificate (fictional)",
    "Safeguarding level 3; trauma-informed practice (fictional)",
    "",
    "",
]
FTES = ["1.00"] * 12 + ["0.80"] * 4 + ["0.60"] * 3 + ["0.50"]
SOURCES = [
    ("police", 24),
    ("childrens_social_care", 30),
    ("school", 14),
    ("health", 7),
    ("youth_justice", 8),
    ("parent_carer", 6),
    ("self", 2),
    ("voluntary_sector", 6),
    ("other", 3),
]
REFERRER_AGENCIES = [
    "Northfield Police Exploitation Team (fictional)",
    "Children's Services Front Door (fictional)",
    "Elm Lane Academy (fictional)",
    "Community Paediatrics (fictional)",
    "Youth Justice Service (fictional)",
    "Parent, by phone (fictional)",
    "Riverside Youth Project (fictional)",
    "Missing Persons Coordinator (fictional)",
    "",
]
EXTRA_DECISIONS = [("signposted", 45), ("declined", 25), ("waiting", 15), ("", 15)]
DECLINE_REASONS = [
    "Outside the hub's area (fictional)",
    "Over the age range (fictional)",
    "Already supported by another service (fictional)",
    "No exploitation concern identified (fictional)",
]
CLOSURE_REASONS = [
    ("goals_met", 45),
    ("young_person_ended", 12),
    ("non_engagement", 12),
    ("moved_away", 9),
    ("transferred", 8),
    ("aged_out", 9),
    ("other", 5),
]
NO_REDUCTION_REASONS = ["non_engagement", "moved_away", "ongoing_exploitation", "other"]
CONTACT_METHODS = [("face_to_face", 72), ("phone", 13), ("text", 7), ("online", 8)]
VENUES = [
    ("school", 20),
    ("community_building", 18),
    ("cafe_or_fast_food", 16),
    ("worker_car", 10),
    ("home", 14),
    ("hub_office", 8),
    ("outdoors", 10),
    ("other", 4),
]
CHOSEN = [("yes", 50), ("no", 35), ("", 15)]
ATTENDANCE = [("attended", 82), ("did_not_attend", 10), ("declined", 3), ("cancelled", 5)]
DURATIONS = [15, 20, 30, 30, 45, 45, 45, 60, 60, 60, 60, 75, 90, 90, 120, 150, 180]
YOUNG_PERSON_WORDS = [
    "I feel better when I know what's happening next (fictional)",
    "I just want people to stop going on at me (fictional)",
    "He said he'd look after me, but he didn't (fictional)",
    'They call it "just a favour", but it isn\'t (fictional)',
    "School is alright now I've got someone to talk to (fictional)",
    "I'm not going back there.\nNot ever (fictional)",
    'You actually listen, not like the others who just say "yeah, yeah" (fictional)',
    "Can we do the car again next week? (fictional)",
]
YOUNG_PERSON_VIEWS = [
    "Thinks things are calmer at the moment (fictional).",
    "Does not see the older friends as a risk (fictional).",
    "Worried about what happens if they stop coming (fictional).",
    'Agrees the plan is helping, says it is "a bit much" at times (fictional).',
]
LEVELS = ["none", "low", "medium", "high"]
INITIAL_LEVELS = [5, 30, 40, 25]
GROUPWORK_SETTINGS = [
    ("school", 45),
    ("youth_club", 20),
    ("pupil_referral_unit", 12),
    ("residential_home", 6),
    ("community", 12),
    ("other", 5),
]
GROUPWORK_TITLES = [
    "Healthy relationships",
    "Staying safe online",
    "Who can you trust?",
    "County lines: what it looks like",
    "Consent and pressure",
    "Friendships and peer pressure",
    "Money, debt and favours",
]
PROFESSIONS = [
    "social_worker",
    "police",
    "education",
    "health",
    "voluntary_sector",
    "carer",
    "youth_worker",
    "other",
]
TRAINING_KINDS = [("training", 45), ("awareness", 35), ("briefing", 20)]
TRAINING_TOPICS = [
    "Spotting the signs of exploitation",
    "Contextual safeguarding",
    "Language that does not blame",
    "Return home interviews",
    "Online grooming",
    "Working with the hub",
]
CONSULTATION_AGENCIES = [
    "Children's Services (fictional)",
    "Local Police Team (fictional)",
    "Secondary School (fictional)",
    "CAMHS (fictional)",
    "Housing Association (fictional)",
    "Foster Care Agency (fictional)",
    "Youth Club (fictional)",
]


def _cum(pairs):
    """(values, cumulative weights) for a bisect pick."""
    values = [v for v, _ in pairs]
    cum = list(accumulate(w for _, w in pairs))
    return values, [c / cum[-1] for c in cum]


def _picker(pairs, rnd):
    """A function returning a weighted pick from pairs, using the float source rnd()."""
    values, cum = _cum(pairs)
    last = len(values) - 1

    def pick():
        return values[min(bisect.bisect_right(cum, rnd()), last)]

    return pick


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _local_authorities() -> list[dict]:
    """Current local authorities (no end date), grouped by region so a hub's spokes are near."""
    for path in LA_FILES:
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = [
                    r
                    for r in csv.DictReader(f)
                    if not r["end_date"] and r["type"] != "Strategic Regional Authority"
                ]
            return sorted(rows, key=lambda r: (r["region"], r["name"]))
    raise FileNotFoundError("english_upper_tier_local_authorities.csv not found: " + str(LA_FILES))


def _allocate(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split total into integer shares proportional to weights, summing exactly to total."""
    if not weights or total <= 0:
        return [0] * len(weights)
    w_sum = sum(weights)
    if w_sum <= 0:
        weights = [1.0] * len(weights)
        w_sum = float(len(weights))
    shares = [int(total * w / w_sum) for w in weights]
    left = total - sum(shares)
    if left:
        for i in rng.choices(range(len(weights)), weights=weights, k=left):
            shares[i] += 1
    return shares


class _Folder:
    """What the writing steps share, and what each leaves for the later ones.

    There is one random source, drawn from in a fixed order (the order of the steps in
    `write_folder` and of the draws inside each), so a seed gives the same files.
    """

    # Set by _hubs_and_spokes.
    hub_refs: list[str]
    spoke_refs: list[str]
    spoke_hub: list[int]  # hub index per spoke
    spoke_la: list[str]
    # Set by _funders and _staff.
    funder_refs: list[str]
    worker_spoke: list[int]
    worker_email: list[str]
    pick_worker: Callable[..., int]
    # Set by _plan_cases: per case (person, worker, opened, closed or 0); a person's cases are
    # consecutive. And how many sessions and reviews each case has, and which have a closing.
    plan: list[tuple[int, int, int, int]]
    session_counts: list[int]
    review_counts: list[int]
    n_initial: int
    closing: set[int]

    def __init__(self, folder: Path, seed: int) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.rnd = self.rng.random
        self.randrange = self.rng.randrange
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.first_open, self.last_open = FIRST_OPEN.toordinal(), LAST_OPEN.toordinal()
        first_ord = date(2000, 1, 1).toordinal()
        self.today = today = TODAY.toordinal()
        day_str = [date.fromordinal(o).isoformat() for o in range(first_ord, today + 1)]

        def ds(o: int) -> str:
            return day_str[o - first_ord]

        self.ds = ds

    def open_writer(self, name: str):
        f = (self.folder / name).open("w", encoding="utf-8", newline="")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS[name])
        return f, w

    def write_all(self, name: str, rows: list[list]) -> None:
        f, w = self.open_writer(name)
        with f:
            w.writerows(rows)
        self.counts[name] = len(rows)


def write_folder(folder: Path, cases: int, sessions: int, assessments: int, seed: int = 1) -> dict:
    """Write the import CSV files into folder (created if needed). Returns rows per file.

    A file that would have no rows (say with `sessions=0`) is not written, and removed if an
    earlier run left one: the importer refuses a file with a header row but no rows.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = _Folder(folder, seed)
    _hubs_and_spokes(out)
    _funders(out)
    _staff(out)
    _plan_cases(out, cases, sessions, assessments)
    _cases_referrals_sessions_assessments(out)
    _groupwork(out)
    _training(out)
    _consultations(out)
    counts = out.counts
    for name, rows in list(counts.items()):
        if not rows:
            (folder / name).unlink(missing_ok=True)
            del counts[name]
    return counts


def _person_name(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[(n // 7) % len(SURNAMES)]}"


# --- Structure -------------------------------------------------------------------------------


def _hubs_and_spokes(out: _Folder) -> None:
    """hubs.csv and spokes.csv: 40 hubs of 3 or 4 spokes on current local authorities."""
    rng, rnd = out.rng, out.rnd
    las = _local_authorities()
    spokes_per_hub = [4] * 20 + [3] * 20
    rng.shuffle(spokes_per_hub)
    assert sum(spokes_per_hub) == SPOKES
    hub_refs = [f"H{n:02d}" for n in range(1, HUBS + 1)]
    spoke_refs = [f"S{n:03d}" for n in range(1, SPOKES + 1)]
    spoke_hub: list[int] = []  # hub index per spoke
    spoke_la: list[str] = []
    spoke_rows, hub_rows = [], []
    s = 0
    for h, count in enumerate(spokes_per_hub):
        home = []
        for k in range(count):
            la = las[s % len(las)]
            spoke_hub.append(h)
            spoke_la.append(la["gss_code"])
            spoke_rows.append(
                [
                    spoke_refs[s],
                    hub_refs[h],
                    la["gss_code"],
                    f"{la['name']} {rng.choice(HOSTS)}",
                    rng.choice(SPOKE_MODELS),
                    SPOKE_START,
                    "",
                ]
            )
            if k == 0 or (k == 1 and rnd() < 0.5):
                home.append(la["gss_code"])
            s += 1
        hub_rows.append([hub_refs[h], f"Bench Hub {h + 1:02d} (fictional)", ";".join(home)])
    out.write_all("hubs.csv", hub_rows)
    out.write_all("spokes.csv", spoke_rows)
    out.hub_refs, out.spoke_refs, out.spoke_hub, out.spoke_la = (
        hub_refs,
        spoke_refs,
        spoke_hub,
        spoke_la,
    )


def _funders(out: _Folder) -> None:
    """funders.csv: every hub has a funder, every funder a hub, some hubs two or three."""
    rng = out.rng
    funded: list[set[int]] = [set() for _ in range(FUNDERS)]
    for h in range(HUBS):
        funded[h % FUNDERS].add(h)
        for f_ in rng.sample(range(FUNDERS), rng.choice((0, 0, 1, 1, 2))):
            funded[f_].add(h)
    out.funder_refs = [f"F{n:02d}" for n in range(1, FUNDERS + 1)]
    out.write_all(
        "funders.csv",
        [
            [
                out.funder_refs[f_],
                f"Bench Funder {f_ + 1} (fictional)",
                ";".join(out.hub_refs[h] for h in sorted(hubs)),
            ]
            for f_, hubs in enumerate(funded)
        ],
    )


def _staff(out: _Folder) -> None:
    """staff.csv: an administrator, a person per funder, a manager per hub, 600 workers."""
    rng, randrange = out.rng, out.randrange
    staff = [[f"admin@{DOMAIN}", "Bench Admin Notreal", "programme_admin"] + [""] * 7]
    staff += [
        [
            f"funder{n:02d}@{DOMAIN}",
            f"Bench Funder {n:02d} Notreal",
            "funder",
            "",
            "",
            out.funder_refs[n - 1],
            "",
            "",
            "",
            "",
        ]
        for n in range(1, FUNDERS + 1)
    ]
    staff += [
        [
            f"manager{n:02d}@{DOMAIN}",
            f"{_person_name(n + 3)} (bench manager {n:02d})",
            "hub_manager",
            out.hub_refs[n - 1],
        ]
        + [""] * 6
        for n in range(1, HUBS + 1)
    ]
    # Every spoke has a worker; the rest go to spokes of varying size.
    spoke_weight = [rng.uniform(0.5, 1.5) for _ in range(SPOKES)]
    worker_spoke = list(range(SPOKES)) + rng.choices(
        range(SPOKES), weights=spoke_weight, k=WORKERS - SPOKES
    )
    worker_spoke.sort()
    worker_email, worker_fte = [], []
    for n, sp in enumerate(worker_spoke, start=1):
        email = f"worker{n:03d}@{DOMAIN}"
        fte = rng.choice(FTES)
        worker_email.append(email)
        worker_fte.append(float(fte))
        staff.append(
            [
                email,
                f"{_person_name(n)} (bench worker {n:03d})",
                "spoke_worker",
                "",
                out.spoke_refs[sp],
                "",
                fte,
                rng.choice(BACKGROUNDS),
                rng.choice(QUALIFICATIONS),
                randrange(0, 31),
            ]
        )
    out.write_all("staff.csv", staff)
    workers_of_spoke: list[list[int]] = [[] for _ in range(SPOKES)]
    for w, sp in enumerate(worker_spoke):
        workers_of_spoke[sp].append(w)
    cum_all = list(accumulate(worker_fte))
    cum_spoke = [list(accumulate(worker_fte[w] for w in ws)) for ws in workers_of_spoke]

    def pick_worker(spoke: int | None = None) -> int:
        """A worker (at the spoke, or anywhere), more likely the more hours they work."""
        if spoke is None:
            return rng.choices(range(WORKERS), cum_weights=cum_all)[0]
        return rng.choices(workers_of_spoke[spoke], cum_weights=cum_spoke[spoke])[0]

    out.worker_spoke, out.worker_email, out.pick_worker = worker_spoke, worker_email, pick_worker


# --- The plan of the cases (small tuples; the rows themselves are streamed) -------------------


def _plan_cases(out: _Folder, cases: int, sessions: int, assessments: int) -> None:
    """Who each case is for, its worker and dates; the session and assessment budgets."""
    rng, rnd, randrange, today = out.rng, out.rnd, out.randrange, out.today
    first_open, last_open, pick_worker = out.first_open, out.last_open, out.pick_worker
    n_cases = max(0, cases)
    n_people = math.ceil(n_cases / (2 - SINGLE_CASE_SHARE)) if n_cases else 0
    n_pairs = n_cases - n_people
    closed_target = round(CLOSED_SHARE * n_cases)
    p_closed = (closed_target - n_pairs) / max(1, n_cases - n_pairs)
    paired = set(rng.sample(range(n_people), n_pairs))

    def duration() -> int:
        return min(max(int(rng.lognormvariate(math.log(170), 0.6)), 7), 900)

    plan: list[tuple[int, int, int, int]] = []
    for p in range(n_people):
        worker = pick_worker()
        if p in paired:
            opened = randrange(first_open, last_open - 60)
            closed = min(opened + duration(), last_open - 1)
            plan.append((p, worker, opened, closed))
            opened = min(closed + randrange(1, 400), last_open)
            # mostly back at the same spoke, sometimes elsewhere
            worker = pick_worker() if rnd() >= 0.8 else pick_worker(out.worker_spoke[worker])
        else:
            opened = randrange(first_open, last_open + 1)
        closed = min(opened + duration(), today) if rnd() < p_closed else 0
        plan.append((p, worker, opened, closed))
    assert len(plan) == n_cases

    # Session and assessment budgets, spread by the length of each case.
    lengths = [(c or today) - o for _, _, o, c in plan]
    out.session_counts = _allocate(
        max(0, sessions), [(d + 14) * rng.uniform(0.3, 1.7) for d in lengths], rng
    )
    budget = max(0, assessments)
    n_initial = min(budget, n_cases)
    budget -= n_initial
    closed_idx = [i for i, c in enumerate(plan) if c[3]]
    n_closing = min(budget, round(CLOSING_SHARE * len(closed_idx)))
    out.closing = set(rng.sample(closed_idx, n_closing))
    budget -= n_closing
    out.review_counts = _allocate(budget, [float(d) for d in lengths], rng)
    out.plan, out.n_initial = plan, n_initial


# --- Cases, referrals, sessions and assessments (streamed case by case) ----------------------


class _Pickers:
    """Weighted picks from the lists above, all drawing from the one random source."""

    def __init__(self, rnd) -> None:
        self.gender = _picker(GENDERS, rnd)
        self.ethnicity = _picker(ETHNICITIES, rnd)
        self.disability = _picker(DISABILITY, rnd)
        self.age = _picker(AGES_AT_OPENING, rnd)
        self.source = _picker(SOURCES, rnd)
        self.closure = _picker(CLOSURE_REASONS, rnd)
        self.decision = _picker(EXTRA_DECISIONS, rnd)
        self.contact = _picker(CONTACT_METHODS, rnd)
        self.venue = _picker(VENUES, rnd)
        self.chosen = _picker(CHOSEN, rnd)
        self.attendance = _picker(ATTENDANCE, rnd)
        self.level = _picker(list(zip(LEVELS, INITIAL_LEVELS, strict=True)), rnd)


def _cases_referrals_sessions_assessments(out: _Folder) -> None:
    """The four large files, written case by case so memory stays small."""
    pick = _Pickers(out.rnd)
    plan, n_cases = out.plan, len(out.plan)
    streamed = ("cases.csv", "referrals.csv", "sessions.csv", "assessments.csv")
    files = {name: out.open_writer(name) for name in streamed}
    case_w = files["cases.csv"][1].writerow
    ref_w = files["referrals.csv"][1].writerows
    sess_w = files["sessions.csv"][1].writerows
    ass_w = files["assessments.csv"][1].writerows
    n_ref = n_sess = n_ass = 0
    person = details = None
    try:
        for i, (p, worker, opened, closed) in enumerate(plan):
            case_ref = f"C{i + 1:07d}"
            spoke = out.worker_spoke[worker]
            email = out.worker_email[worker]
            if p != person:  # the person's details, the same on both their cases
                person = p
                last = plan[i + 1][2] if i + 1 < n_cases and plan[i + 1][0] == p else opened
                details = _person_details(out, pick, p, opened, last)
            case_w(_case_row(out, pick, case_ref, details, spoke, email, opened, closed))
            rows = _referral_rows(out, pick, n_ref, case_ref, details[0], spoke, opened)
            ref_w(rows)
            n_ref += len(rows)
            end = closed or out.today
            rows = _session_rows(out, pick, case_ref, email, opened, end, out.session_counts[i])
            sess_w(rows)
            n_sess += len(rows)
            rows = _assessment_rows(out, pick, i, case_ref, email, opened, closed, end)
            ass_w(rows)
            n_ass += len(rows)
    finally:
        for f, _ in files.values():
            f.close()
    out.counts.update(
        {
            "cases.csv": n_cases,
            "referrals.csv": n_ref,
            "sessions.csv": n_sess,
            "assessments.csv": n_ass,
        }
    )


def _person_details(out: _Folder, pick: _Pickers, p: int, opened: int, last: int) -> list:
    """The young person's columns: aged 10 to 17 when each of their cases opened."""
    randrange, choice, ds = out.randrange, out.rng.choice, out.ds
    opened_d, last_d = date.fromordinal(opened), date.fromordinal(last)
    latest = _years_before(opened_d, 10).toordinal()
    earliest = _years_before(last_d, 18).toordinal() + 1
    dob = _years_before(opened_d, pick.age()).toordinal() - randrange(0, 365)
    dob = min(max(dob, earliest), latest)
    return [
        f"P{p + 1:06d}",
        choice(FIRST_NAMES),
        choice(SURNAMES),
        ds(dob),
        pick.gender(),
        pick.ethnicity(),
        pick.disability(),
    ]


def _case_row(out, pick, case_ref, details, spoke, email, opened, closed) -> list:
    ds = out.ds
    if closed:
        ending = [
            ds(closed),
            pick.closure(),
            out.rng.choice(NO_REDUCTION_REASONS) if out.rnd() < 0.25 else "",
        ]
    else:
        ending = ["", "", ""]
    return [
        case_ref,
        *details,
        out.spoke_la[spoke],
        out.spoke_refs[spoke],
        email,
        ds(opened),
        *ending,
    ]


def _referral_rows(out, pick, n_ref, case_ref, person_ref, spoke, opened) -> list[list]:
    """The case's accepted referral, and sometimes one (anywhere) that did not become a case."""
    rnd, randrange, choice, ds, today = out.rnd, out.randrange, out.rng.choice, out.ds, out.today
    rows = [
        [
            f"R{n_ref + 1:07d}",
            out.hub_refs[out.spoke_hub[spoke]],
            ds(opened - randrange(0, 21)),
            pick.source(),
            choice(REFERRER_AGENCIES),
            person_ref,
            "accepted",
            ds(opened),
            "",
            case_ref,
        ]
    ]
    if rnd() < EXTRA_REFERRAL_SHARE:
        decision = pick.decision()
        if decision in ("", "waiting"):
            received = today - randrange(0, 90)
            decided = ""
        else:
            received = randrange(out.first_open, today + 1)
            decided = ds(min(received + randrange(0, 15), today))
        rows.append(
            [
                f"R{n_ref + 2:07d}",
                out.hub_refs[randrange(HUBS)],
                ds(received),
                pick.source(),
                choice(REFERRER_AGENCIES),
                "",
                decision,
                decided,
                choice(DECLINE_REASONS) if decision == "declined" else "",
                "",
            ]
        )
    return rows


def _session_rows(out, pick, case_ref, email, opened, end, count) -> list[list]:
    """The case's sessions, in date order between its opening and its end."""
    rnd, choice, ds = out.rnd, out.rng.choice, out.ds
    pick_attendance, pick_contact = pick.attendance, pick.contact
    span = end - opened + 1
    rows = []
    for day in sorted([opened + int(rnd() * span) for _ in range(count)]):
        attendance = pick_attendance()
        contact = pick_contact()
        if contact == "face_to_face":
            venue, chosen = pick.venue(), pick.chosen()
        else:
            venue = chosen = ""
        if attendance == "attended":
            minutes = choice(DURATIONS)
            words = choice(YOUNG_PERSON_WORDS) if rnd() < 0.04 else ""
        else:
            minutes = words = ""
        rows.append([case_ref, ds(day), email, minutes, contact, venue, chosen, attendance, words])
    return rows


def _assessment_rows(out, pick, i, case_ref, email, opened, closed, end) -> list[list]:
    """Initial (while the budget lasts), reviews in between, closing for the chosen closed."""
    rnd, randrange, choice, ds = out.rnd, out.randrange, out.rng.choice, out.ds
    rows = []
    if i < out.n_initial:
        level = LEVELS.index(pick.level())
        view = choice(YOUNG_PERSON_VIEWS) if rnd() < 0.15 else ""
        rows.append([case_ref, ds(opened), "initial", LEVELS[level], email, view])
        inner = (opened + 1, end - 1) if end - opened >= 2 else (opened, end)
        for day in sorted([randrange(inner[0], inner[1] + 1) for _ in range(out.review_counts[i])]):
            r = rnd()
            level = max(0, level - 1) if r < 0.3 else min(3, level + 1) if r > 0.85 else level
            view = choice(YOUNG_PERSON_VIEWS) if rnd() < 0.15 else ""
            rows.append([case_ref, ds(day), "review", LEVELS[level], email, view])
        if i in out.closing:
            level = max(0, level - 1) if rnd() < 0.5 else level
            view = choice(YOUNG_PERSON_VIEWS) if rnd() < 0.15 else ""
            rows.append([case_ref, ds(closed), "closing", LEVELS[level], email, view])
    return rows


# --- Groupwork, training and consultations ----------------------------------------------------


def _groupwork(out: _Folder) -> None:
    rng, randrange, ds = out.rng, out.randrange, out.ds
    pick_setting = _picker(GROUPWORK_SETTINGS, out.rnd)
    out.write_all(
        "groupwork.csv",
        [
            [
                out.spoke_refs[randrange(SPOKES)],
                ds(randrange(out.first_open, out.today + 1)),
                pick_setting(),
                f"{rng.choice(GROUPWORK_TITLES)} (fictional)",
                min(60, 1 + int(rng.expovariate(1 / 12))),
            ]
            for _ in range(GROUPWORK_ROWS)
        ],
    )


def _training(out: _Folder) -> None:
    rng, randrange, ds = out.rng, out.randrange, out.ds
    pick_kind = _picker(TRAINING_KINDS, out.rnd)
    training = []
    for n in range(1, TRAINING_EVENTS + 1):
        spoke, day, kind = randrange(SPOKES), randrange(out.first_open, out.today + 1), pick_kind()
        title = f"{rng.choice(TRAINING_TOPICS)} (fictional event {n:04d})"  # unique per event
        for profession in rng.sample(PROFESSIONS, randrange(1, 5)):
            training.append(
                [out.spoke_refs[spoke], ds(day), title, kind, profession, randrange(1, 41)]
            )
    out.write_all("training.csv", training)


def _consultations(out: _Folder) -> None:
    randrange, choice, ds = out.randrange, out.rng.choice, out.ds
    out.write_all(
        "consultations.csv",
        [
            [
                out.spoke_refs[randrange(SPOKES)],
                ds(randrange(out.first_open, out.today + 1)),
                choice(PROFESSIONS),
                choice(CONSULTATION_AGENCIES),
                choice((10, 15, 20, 30, 30, 45, 45, 60, 60, 90, 120, 180)),
            ]
            for _ in range(CONSULTATION_ROWS)
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--assessments", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = write_folder(args.folder, args.cases, args.sessions, args.assessments, args.seed)
    for name, rows in counts.items():
        print(f"  {name:<20}{rows:>12,} rows")
    print(f"Wrote {args.folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
