"""Hypothesis fuzzes the session and assessment forms: never a 500, never a partial write.

SECURITY.md: "Bad input anywhere (forms, URLs, query strings) gets a clear message and a 4xx,
never a 500, never a partial write."

Every example POSTs generated form data, as the allocated worker, to one of

    /cases/<id>/sessions/new/          /cases/<id>/sessions/<sid>/
    /cases/<id>/assessments/new/       /cases/<id>/assessments/<aid>/

Each field value is drawn from a strategy tagged VALID (the app must accept it), INVALID (the
app must refuse it) or UNSURE (the app may do either: odd-but-parseable input such as
" 60 " or "٣٠"). Values may be missing or repeated (the last value of a repeated single field
counts, as in Django). Hostile extra fields (`case`, `worker`, `assessor`, `score`, ...) that
point at the other hub's case and worker are mixed in (0-4 per example) and must be ignored.

For every example:

* the status is one of 200/302/400/409 (the Client re-raises any exception behind a 500);
* the status is exactly what the tags and the `version` predict (all VALID and a current
  version: 302; any INVALID: 400, or 409 when the version is stale as well; a stale version
  with valid data: 409; a malformed version: 400);
* on anything but a 302 the sessions, assessments and cases tables (every column of every
  row) and the history tables are exactly as before: no partial write;
* on a 302 exactly one row was added (new) or exactly the target row changed with its
  version up by one (edit); nothing else changed but the case's summary columns; the saved
  row is valid (dates between the case opening and today, vocabulary from the models, notes
  within NOTE_MAX, model full_clean passes, the case comes from the URL) and holds what was
  submitted; the case's summary columns agree with its rows.

Each example runs in a savepoint that is rolled back, so examples are independent and a
failing one replays the same way. Edit examples may first have someone else save the record
(0-2 times) so that "stale" means a version genuinely behind the saved one.
"""

from __future__ import annotations

import os
import string
import tempfile
from datetime import date, timedelta
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from casework import risk, services
from casework.models import (
    NOTE_MAX,
    RISK_ORDER,
    AssessmentKind,
    Attendance,
    Case,
    CaseSession,
    ContactMethod,
    RiskAssessment,
    RiskLevel,
    Theme,
    VenueType,
)

OPENED_ON = date(2026, 1, 5)  # the world's case (tests/conftest.py)
TODAY = timezone.localdate()
ALLOWED = {200, 302, 400, 409}

VALID, INVALID, UNSURE = "valid", "invalid", "unsure"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

# Hypothesis caches what it learns (examples, constants) under .hypothesis/ in the current
# directory, which .gitignore does not list: keep it out of the work tree.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "alexi-hypothesis"))

# FUZZ_EXAMPLES=1000 for a longer hunt on a laptop; 70 keeps the file well under a minute.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "70")),
    deadline=None,
    database=None,  # no .hypothesis/ directory in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- Value strategies ---------------------------------------------------------------------

SAFE_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
NO_DIGIT_CHAR = st.characters(
    blacklist_categories=("Cs", "Nd", "Nl", "No"), blacklist_characters="\x00"
)
ODD_TEXT = [
    "\u202eevil right-to-left override",
    "\ufeffstarts with a byte-order mark",
    "Z\u0337\u0322a\u0335l\u0336g\u0338o\u0336 combining marks",
    "family \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 emoji",
    "line\u2028separator\u2029paragraph",
    "<script>alert(1)</script>{{ 7|add:7 }}{% now 'Y' %}",
    "'; DROP TABLE casework_casesession; --",
    "\x7f\x1b[31mred\x1b[0m\x07\x08",
    "tabs\tand\r\nwindows\rline ends",
    "\uffff\ufffe non-characters \U0010ffff",
    "\U0001d54f" * 3000,  # astral characters: one code point, two UTF-16 units each
]
AT_LIMIT = [
    "x" * NOTE_MAX,
    "\u00e9" * NOTE_MAX,
    "\U0001d54f" * NOTE_MAX,
    "  \n" + "y" * NOTE_MAX + " \t\r\n",  # stripped to exactly NOTE_MAX
]
OVER_LIMIT = [
    "x" * (NOTE_MAX + 1),
    "\U0001d54f" * (NOTE_MAX + 1),
    "z" * 50_000,
]

valid_note = st.one_of(
    st.text(SAFE_CHAR, max_size=200), st.sampled_from(ODD_TEXT), st.sampled_from(AT_LIMIT)
)
invalid_note = st.one_of(
    st.sampled_from(OVER_LIMIT),
    st.tuples(st.text(SAFE_CHAR, max_size=20), st.text(SAFE_CHAR, max_size=20)).map(
        lambda parts: parts[0] + "\x00" + parts[1]
    ),
)

valid_day = st.one_of(st.sampled_from([OPENED_ON, TODAY]), st.dates(OPENED_ON, TODAY))
valid_date = valid_day.map(date.isoformat)
junk_date = st.one_of(
    st.sampled_from(
        [
            "",
            "   ",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "10000-01-01",
            "-2026-01-10",
            "2026-01-10\x00",
            "\x00",
            "31/02/2026",
            "yesterday",
            "NaN",
            "2" * 20_000,
        ]
    ),
    st.text(NO_DIGIT_CHAR, max_size=30),
)
invalid_date = st.one_of(
    st.dates(max_value=OPENED_ON - timedelta(days=1)).map(date.isoformat),  # before opening
    st.dates(min_value=TODAY + timedelta(days=1)).map(date.isoformat),  # in the future
    junk_date,
)
unsure_date = st.one_of(
    valid_day.map(lambda d: d.strftime("%d/%m/%Y")),  # en-GB input format
    valid_day.map(lambda d: d.strftime("%d/%m/%y")),
    valid_day.map(lambda d: f" {d.isoformat()} "),
    valid_day.map(lambda d: f"{d.year}-{d.month}-{d.day}"),
    valid_day.map(lambda d: d.isoformat() + "T00:00"),
    valid_day.map(
        lambda d: d.isoformat().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ),
)
# Any ISO date: valid as a next review date so long as it is after the assessment.
review_date = st.one_of(
    st.dates(min_value=TODAY + timedelta(days=1)), st.dates(min_value=date(2000, 1, 1))
).map(date.isoformat)


def valid_choice(values, optional: bool = False):
    return st.sampled_from([*values, ""] if optional else list(values))


def invalid_choice(values, optional: bool = False):
    values = list(values)
    return st.one_of(
        st.text(SAFE_CHAR, max_size=30).map(lambda s: s if s and s not in values else s + "~"),
        st.sampled_from(values).map(str.upper),
        st.sampled_from(values).map(lambda s: s + "\x00"),
        st.sampled_from(values).map(lambda s: s + "x"),
        st.just("x" * (NOTE_MAX + 1)),
        *([] if optional else [st.just("")]),
    )


def unsure_choice(values):
    return st.sampled_from(list(values)).map(lambda s: f" {s} ")


valid_minutes = st.one_of(st.sampled_from([1, 720]), st.integers(1, 720)).map(str)
invalid_minutes = st.one_of(
    st.integers(max_value=0).map(str),
    st.integers(min_value=721).map(str),
    st.integers(min_value=2**63).map(str),
    st.sampled_from(
        ["-0", "1.5", "NaN", "inf", "-", "0x10", "1e3", "sixty", "1\x00", "9" * 5000, "\x00"]
    ),
    st.text(NO_DIGIT_CHAR, max_size=20).map(lambda s: s if s.strip() else s + "sixty"),
)
unsure_minutes = st.sampled_from([" 60 ", "60.0", "60.", "+60", "1_0", "\u0663\u0660", "７２"])

THEMES = Theme.values
INDICATORS = list(risk.indicator_groups(risk.load_tool_v1()))
GROUPS = [group["key"] for group in risk.load_tool_v1()["groups"]]
invalid_indicator = st.one_of(
    st.sampled_from(["not_an_indicator", "", "x" * 100, *GROUPS]),
    st.sampled_from(INDICATORS).map(str.upper),
    st.sampled_from(INDICATORS).map(lambda s: s + " "),
    st.sampled_from(INDICATORS).map(lambda s: s + "\x00"),
    st.text(SAFE_CHAR, max_size=20).filter(lambda s: s not in INDICATORS),
)
invalid_theme = st.one_of(
    st.sampled_from(["astrology", "", "RELATIONSHIPS", "other\x00"]),
    st.text(SAFE_CHAR, max_size=20).filter(lambda s: s not in THEMES),
)


class Field:
    """One form field: what the app must accept, must refuse, and may do either with."""

    def __init__(self, name, valid, invalid, unsure=None, *, optional=False, multiple=False):
        self.name = name
        self.optional = optional
        self.multiple = multiple
        if multiple:
            self.good = st.one_of(
                st.just((MISSING, VALID)),
                st.lists(valid, min_size=1, max_size=4).map(lambda v: (v, VALID)),
            )
            self.bad = st.tuples(
                st.lists(valid, max_size=2), invalid, st.lists(valid, max_size=2)
            ).map(lambda parts: ([*parts[0], parts[1], *parts[2]], INVALID))
            return
        anything = st.one_of(valid, invalid)
        good = [
            valid.map(lambda v: (v, VALID)),
            # repeated: Django takes the last value of a single-valued field
            st.tuples(st.lists(anything, min_size=1, max_size=2), valid).map(
                lambda parts: ([*parts[0], parts[1]], VALID)
            ),
        ]
        if optional:
            good.append(st.just((MISSING, VALID)))
        bad = [
            invalid.map(lambda v: (v, INVALID)),
            st.tuples(st.lists(anything, min_size=1, max_size=2), invalid).map(
                lambda parts: ([*parts[0], parts[1]], INVALID)
            ),
        ]
        if not optional:
            bad.append(st.just((MISSING, INVALID)))
        if unsure is not None:
            bad.append(unsure.map(lambda v: (v, UNSURE)))
        self.good = st.one_of(*good)
        self.bad = st.one_of(*bad)


def note(name):
    return Field(name, valid_note, invalid_note, optional=True)


SESSION_FIELDS = [
    Field("date", valid_date, invalid_date, unsure_date),
    Field(
        "attendance",
        valid_choice(Attendance.values),
        invalid_choice(Attendance.values),
        unsure_choice(Attendance.values),
    ),
    Field(
        "contact_method",
        valid_choice(ContactMethod.values),
        invalid_choice(ContactMethod.values),
        unsure_choice(ContactMethod.values),
    ),
    Field(
        "venue_type",
        valid_choice(VenueType.values, optional=True),
        invalid_choice(VenueType.values, optional=True),
        optional=True,
    ),
    Field(
        "young_person_chose",
        valid_choice(["yes", "no"], optional=True),
        st.sampled_from(["Yes", "NO", "true", "1", "on", "maybe", " yes", "yes\x00"]),
        optional=True,
    ),
    Field(
        "duration_minutes",
        st.one_of(valid_minutes, st.just("")),
        invalid_minutes,
        unsure_minutes,
        optional=True,
    ),
    Field("themes", st.sampled_from(THEMES), invalid_theme, multiple=True),
    note("notes"),
    note("young_person_words"),
]


def _checkbox() -> Field:
    """A checkbox: every value is read as ticked or not, so nothing is invalid on its own;
    "spoiling" it sends an odd spelling, which the rules may read either way."""
    field = Field("no_indicators_present", st.sampled_from(["on", ""]), st.nothing(), optional=True)
    field.bad = st.sampled_from(["On", "0", "false", "yes", "\x00"]).map(lambda v: (v, UNSURE))
    return field


NONE_PRESENT = _checkbox()

ASSESSMENT_FIELDS = [
    Field(
        "kind",
        valid_choice(AssessmentKind.values),
        invalid_choice(AssessmentKind.values),
        unsure_choice(AssessmentKind.values),
    ),
    Field("assessed_on", valid_date, invalid_date, unsure_date),
    Field("indicators", st.sampled_from(INDICATORS), invalid_indicator, multiple=True),
    NONE_PRESENT,
    Field(
        "final_level",
        valid_choice(RiskLevel.values, optional=True),
        invalid_choice(RiskLevel.values, optional=True),
        optional=True,
    ),
    note("rationale"),
    note("young_person_view"),
    Field(
        "next_review_due",
        st.one_of(review_date, st.just("")),
        # any real date is a valid review date (if after the assessment): only junk is invalid
        junk_date.map(lambda s: s if s.strip() else s + "soon"),
        optional=True,
    ),
]

FORM_FIELDS = {f.name for f in SESSION_FIELDS + ASSESSMENT_FIELDS} | {"version"}

# Fields a form must never take: they point at the other hub's case and people (resolved
# per example) or at server-computed columns.
HOSTILE_KEYS = [
    "case",
    "case_id",
    "worker",
    "worker_id",
    "assessor",
    "assessor_id",
    "id",
    "pk",
    "tool",
    "score",
    "computed_level",
    "recorded_at",
    "young_person",
    "themes[]",
    "indicators[]",
]
HOSTILE_VALUES = ["@other_case", "@other_worker", "@manager", "@other_session"]
extras = st.dictionaries(
    st.one_of(
        st.sampled_from(HOSTILE_KEYS),
        st.text(string.ascii_letters + string.digits + "_-[].", min_size=1, max_size=20),
    ).filter(lambda key: key not in FORM_FIELDS),
    st.one_of(
        st.sampled_from(HOSTILE_VALUES),
        st.sampled_from(["99", "high", "2000-01-01T00:00", "-1", ""]),
        st.text(SAFE_CHAR, max_size=30),
    ),
    max_size=4,
)

BAD_VERSIONS = ["0", "-1", "-99999", "abc", "1.5", "1\x00", "\x00", "9" * 5000, "1e3", "0x1"]
version_kind = st.one_of(
    st.just(("current",)),
    st.just(("stale",)),
    st.just(("empty",)),
    st.integers(10**6, 10**30).map(lambda n: ("other", str(n))),
    st.sampled_from(BAD_VERSIONS).map(lambda v: ("bad", v)),
)
version_spec = st.one_of(
    version_kind,
    st.just(("missing",)),
    st.lists(version_kind, min_size=2, max_size=3).map(lambda kinds: ("repeated", kinds)),
)


@st.composite
def form_input(draw, fields):
    """(data with MISSING dropped, tags by field). Mostly all-valid, or 1-3 fields spoiled."""
    names = [f.name for f in fields]
    spoiled = draw(
        st.one_of(
            st.just(frozenset()),
            st.frozensets(st.sampled_from(names), min_size=1, max_size=3),
        )
    )
    data, tags = {}, {}
    for field in fields:
        value, tag = draw(field.bad if field.name in spoiled else field.good)
        tags[field.name] = tag
        if value is not MISSING:
            data[field.name] = value
    return data, tags


# --- Running one example ------------------------------------------------------------------


def last(value):
    return value[-1] if isinstance(value, list) else value


def as_saved(value) -> str:
    """Text as a form keeps it: stripped, and a browser's two-character new line kept as one
    (alexi.forms counts and stores a new line as one character)."""
    return last(value).strip().replace("\r\n", "\n")


def _resolve_one(kind, current: int):
    name = kind[0]
    if name == "current":
        return str(current), "current"
    if name == "stale":
        return str(current - 1 if current > 1 else current + 1), "stale"
    if name == "empty":
        return "", "stale"  # cleaned to None: the view treats it as version 0
    if name == "other":
        return kind[1], "stale"  # >= 10**6: never the saved version
    return kind[1], "bad"


def resolve_version(spec, current: int):
    """(value to post or MISSING, class: current | stale | bad)."""
    if spec[0] == "missing":
        return MISSING, "stale"
    if spec[0] == "repeated":
        resolved = [_resolve_one(kind, current) for kind in spec[1]]
        return [value for value, _ in resolved], resolved[-1][1]
    return _resolve_one(spec, current)


def resolve_extras(world, drawn: dict) -> dict:
    ids = {
        "@other_case": str(world.other_case.pk),
        "@other_worker": str(world.user("other_hub_worker").pk),
        "@manager": str(world.user("hub_manager").pk),
        "@other_session": str(world.session.pk + 10_000),
    }
    return {key: ids.get(value, value) for key, value in drawn.items()}


def expected_statuses(tags: dict, version_class: str, edit: bool) -> set[int]:
    seen = set(tags.values())
    if version_class == "bad":
        return {400}
    stale = edit and version_class == "stale"
    if INVALID in seen:
        return {400, 409} if stale else {400}
    if UNSURE in seen:
        return {400, 409} if stale else {302, 400}
    return {409} if stale else {302}


SUMMARY = ("current_level", "next_review_due", "last_contact_on")


def state() -> dict:
    return {
        "sessions": {row["id"]: row for row in CaseSession.objects.values()},
        "assessments": {row["id"]: row for row in RiskAssessment.objects.values()},
        "cases": {row["id"]: row for row in Case.objects.values()},
        "session_history": CaseSession.history.count(),
        "assessment_history": RiskAssessment.history.count(),
        "case_history": Case.history.count(),  # the summary columns are not history
    }


def without(row: dict, names) -> dict:
    return {key: value for key, value in row.items() if key not in names}


def assert_summary_agrees(case_id: int) -> None:
    """The case's caseload columns agree with its rows (nothing saved without them)."""
    case = Case.objects.get(pk=case_id)
    latest = RiskAssessment.objects.filter(case_id=case_id).order_by("-assessed_on", "-id").first()
    assert case.current_level == (latest.final_level if latest else "")
    # the latest assessment's review, unless the case is closed or its closure is waiting
    reviewing = case.status != "closed" and case.closure_requested_on is None
    want_due = latest.next_review_due if latest and reviewing else None
    assert case.next_review_due == want_due
    attended = CaseSession.objects.filter(case_id=case_id, attendance=Attendance.ATTENDED)
    want_last = attended.order_by("-date").values_list("date", flat=True).first()
    assert case.last_contact_on == want_last


def post_and_check(client, world, *, model, url, data, expected, edit_pk=None, oracle=None):
    """POST, then check status, no partial write on refusal, one clean write on success."""
    table = "sessions" if model is CaseSession else "assessments"
    other_table = "assessments" if model is CaseSession else "sessions"
    history = "session_history" if model is CaseSession else "assessment_history"
    other_history = "assessment_history" if model is CaseSession else "session_history"

    before = state()
    response = client.post(url, data)  # a 500 would raise here (raise_request_exception)
    after = state()

    status = response.status_code
    event(f"status {status}")
    assert status in ALLOWED, (status, data)
    assert status in expected, (status, expected, response.content.decode()[:3000])

    if status != 302:
        assert after == before, "a refused request changed the database"
        return None

    assert response["Location"] == reverse("casework:case", args=[world.case.pk])
    assert after[other_table] == before[other_table]
    assert after[other_history] == before[other_history]
    assert after[history] == before[history] + 1
    assert after["case_history"] == before["case_history"]
    for case_id, row in before["cases"].items():
        changed = after["cases"][case_id]
        if case_id == world.case.pk:
            assert without(changed, SUMMARY) == without(row, SUMMARY)
        else:
            assert changed == row
    assert_summary_agrees(world.case.pk)

    if edit_pk is None:
        added = set(after[table]) - set(before[table])
        assert len(after[table]) == len(before[table]) + 1 and len(added) == 1
        for pk, row in before[table].items():
            assert after[table][pk] == row
        saved = model.objects.get(pk=added.pop())
    else:
        assert set(after[table]) == set(before[table])
        for pk, row in before[table].items():
            if pk != edit_pk:
                assert after[table][pk] == row
        old, new = before[table][edit_pk], after[table][edit_pk]
        assert new["version"] == old["version"] + 1
        keep = ["case_id", "recorded_at", "worker_id" if model is CaseSession else "assessor_id"]
        if model is RiskAssessment:
            keep.append("tool_id")
        for name in keep:
            assert new[name] == old[name], name
        saved = model.objects.get(pk=edit_pk)

    assert saved.case_id == world.case.pk  # never the case named in the form
    saved.full_clean()
    if oracle is not None:
        for name, value in oracle.items():
            actual = getattr(saved, name)
            if isinstance(value, list):  # ticked twice: stored once or twice, same order
                actual, value = list(dict.fromkeys(actual)), list(dict.fromkeys(value))
            assert actual == value, (name, actual, value)
    return saved


def assert_valid_session(saved: CaseSession, worker) -> None:
    assert saved.worker_id == worker.pk
    assert OPENED_ON <= saved.date <= timezone.localdate()
    assert saved.attendance in Attendance.values
    assert saved.contact_method in ContactMethod.values
    assert saved.venue_type in ["", *VenueType.values]
    assert set(saved.themes) <= set(Theme.values)
    assert saved.duration_minutes is None or 1 <= saved.duration_minutes <= 720
    for text in (saved.notes, saved.young_person_words):
        assert len(text) <= NOTE_MAX and "\x00" not in text


def assert_valid_assessment(saved: RiskAssessment, assessor) -> None:
    assert saved.assessor_id == assessor.pk
    assert saved.kind in AssessmentKind.values
    assert OPENED_ON <= saved.assessed_on <= timezone.localdate()
    definition = saved.tool.definition
    assert set(saved.indicators) <= set(risk.indicator_groups(definition))
    age = saved.case.young_person.age_on(saved.assessed_on)
    result = risk.compute(definition, saved.indicators, age)
    assert (saved.score, saved.computed_level) == (result.score, result.level)
    assert saved.final_level in RiskLevel.values
    if saved.final_level != saved.computed_level:
        assert saved.rationale.strip()
    assert saved.next_review_due is not None and saved.next_review_due > saved.assessed_on
    for text in (saved.rationale, saved.young_person_view):
        assert len(text) <= NOTE_MAX and "\x00" not in text


def session_oracle(data: dict) -> dict:
    def text(name):
        return as_saved(data[name]) if name in data else ""

    minutes = last(data.get("duration_minutes", ""))
    return {
        "date": date.fromisoformat(last(data["date"])),
        "attendance": last(data["attendance"]),
        "contact_method": last(data["contact_method"]),
        "venue_type": last(data.get("venue_type", "")),
        "young_person_chose": {"yes": True, "no": False}.get(
            last(data.get("young_person_chose", ""))
        ),
        "duration_minutes": int(minutes) if minutes else None,
        "themes": list(data.get("themes", [])),
        "notes": text("notes"),
        "young_person_words": text("young_person_words"),
    }


def assessment_rules(
    data: dict, tags: dict, definition: dict, person, others=()
) -> tuple[str, dict]:
    """The cross-field rules (review after the assessment; indicators or "none present"; a
    rationale for an override or for a level lower than the last assessment's) as a tag, and
    what the saved row should hold when every field is valid. `others`: the case's other
    assessments as (assessed_on, id, final_level)."""
    needed = ["assessed_on", "indicators", "no_indicators_present", "final_level"]
    needed += ["rationale", "next_review_due"]
    if any(tags[name] != VALID for name in needed):
        return UNSURE, {}
    on = date.fromisoformat(last(data["assessed_on"]))
    indicators = list(data.get("indicators", []))
    known = set(risk.indicator_groups(definition))
    if not set(indicators) <= known:
        return INVALID, {}  # the tool in the database lacks a key the fuzzer thought valid
    result = risk.compute(definition, indicators, person.age_on(on))
    chosen = last(data.get("final_level", ""))
    final = chosen or result.level
    rationale = as_saved(data["rationale"]) if "rationale" in data else ""
    due_text = last(data.get("next_review_due", ""))
    due = date.fromisoformat(due_text) if due_text else None
    none_present = last(data.get("no_indicators_present", "")) == "on"
    before = sorted((o for o in others if o[0] <= on), reverse=True)
    lower = bool(before) and RISK_ORDER[RiskLevel(final)] < RISK_ORDER[RiskLevel(before[0][2])]
    if (
        (due is not None and due <= on)
        or (final != result.level and not rationale)
        or (lower and not rationale)
        or (not indicators and not none_present)
        or (indicators and none_present)
    ):
        return INVALID, {}
    view = as_saved(data["young_person_view"]) if "young_person_view" in data else ""
    return VALID, {
        "kind": last(data["kind"]) if tags["kind"] == VALID else None,
        "assessed_on": on,
        "indicators": indicators,
        "no_indicators_present": none_present,
        "score": result.score,
        "computed_level": result.level,
        "final_level": final,
        "rationale": rationale,
        "young_person_view": view,
        "next_review_due": due or risk.next_review_due(definition, final, on),
    }


def someone_else_saves(world, model, pk: int, times: int) -> None:
    """Another user saves the record `times` times (so a version can be genuinely stale)."""
    manager = world.user("hub_manager")
    for n in range(times):
        record = model.objects.get(pk=pk)
        if model is CaseSession:
            services.session_update(
                actor=manager,
                session=record,
                version=record.version,
                data={"notes": f"Manager's note {n}", "date": record.date},
            )
        else:
            services.assessment_update(
                actor=manager,
                assessment=record,
                version=record.version,
                data={
                    "kind": record.kind,
                    "assessed_on": record.assessed_on,
                    "indicators": record.indicators,
                    "young_person_view": f"Manager's edit {n}",
                },
            )


class Rollback(Exception):
    pass


def in_savepoint(run) -> bool:
    """Run one example and roll its writes back, so examples neither see nor break each other
    (a database error inside one would otherwise poison every later example). Returns True
    once the example ran through all its checks."""
    try:
        with transaction.atomic():
            run()
            raise Rollback
    except Rollback:
        return True


@pytest.fixture
def worker_client(client_for):
    return client_for("allocated_worker")


# --- The properties -----------------------------------------------------------------------


def _session_example(world, client, drawn, spec, hostile, times):
    data, tags = drawn
    worker = world.user("allocated_worker")
    edit = times is not None
    if edit:
        someone_else_saves(world, CaseSession, world.session.pk, times)
        current = CaseSession.objects.get(pk=world.session.pk).version
        url = reverse("casework:session_edit", args=[world.case.pk, world.session.pk])
    else:
        current = 1
        url = reverse("casework:session_new", args=[world.case.pk])
    version, version_class = resolve_version(spec, current)
    payload = {**resolve_extras(world, hostile), **data}
    if version is not MISSING:
        payload["version"] = version
    expected = expected_statuses(tags, version_class, edit)
    oracle = session_oracle(data) if expected == {302} else None
    saved = post_and_check(
        client,
        world,
        model=CaseSession,
        url=url,
        data=payload,
        expected=expected,
        edit_pk=world.session.pk if edit else None,
        oracle=oracle,
    )
    if saved is not None:
        # an edit keeps the original worker; a new session is the signed-in worker's
        assert_valid_session(saved, worker)


def _assessment_example(world, client, drawn, spec, hostile, times):
    data, tags = drawn
    worker = world.user("allocated_worker")
    edit = times is not None
    if edit:
        someone_else_saves(world, RiskAssessment, world.assessment.pk, times)
        record = RiskAssessment.objects.select_related("tool").get(pk=world.assessment.pk)
        current, definition = record.version, record.tool.definition
        url = reverse("casework:assessment_edit", args=[world.case.pk, world.assessment.pk])
    else:
        current, definition = 1, services.current_tool().definition
        url = reverse("casework:assessment_new", args=[world.case.pk])
    tags = dict(tags)
    others = [
        (row.assessed_on, row.pk, row.final_level)
        for row in RiskAssessment.objects.filter(case=world.case).exclude(
            pk=world.assessment.pk if edit else None
        )
    ]
    tags["_rules"], oracle = assessment_rules(
        data, tags, definition, world.case.young_person, others
    )
    version, version_class = resolve_version(spec, current)
    payload = {**resolve_extras(world, hostile), **data}
    if version is not MISSING:
        payload["version"] = version
    expected = expected_statuses(tags, version_class, edit)
    oracle = {k: v for k, v in oracle.items() if v is not None} if expected == {302} else None
    saved = post_and_check(
        client,
        world,
        model=RiskAssessment,
        url=url,
        data=payload,
        expected=expected,
        edit_pk=world.assessment.pk if edit else None,
        oracle=oracle,
    )
    if saved is not None:
        assert_valid_assessment(saved, worker)


@FUZZ
@given(drawn=form_input(SESSION_FIELDS), spec=version_spec, hostile=extras)
def test_fuzzed_new_session_is_saved_whole_or_refused_with_a_4xx(
    world, worker_client, drawn, spec, hostile
):
    assert in_savepoint(lambda: _session_example(world, worker_client, drawn, spec, hostile, None))


@FUZZ
@given(
    drawn=form_input(SESSION_FIELDS),
    spec=version_spec,
    hostile=extras,
    times=st.integers(0, 2),
)
def test_fuzzed_session_edit_is_saved_whole_or_refused_with_a_4xx(
    world, worker_client, drawn, spec, hostile, times
):
    assert in_savepoint(lambda: _session_example(world, worker_client, drawn, spec, hostile, times))


@FUZZ
@given(drawn=form_input(ASSESSMENT_FIELDS), spec=version_spec, hostile=extras)
def test_fuzzed_new_assessment_is_saved_whole_or_refused_with_a_4xx(
    world, worker_client, drawn, spec, hostile
):
    assert in_savepoint(
        lambda: _assessment_example(world, worker_client, drawn, spec, hostile, None)
    )


@FUZZ
@given(
    drawn=form_input(ASSESSMENT_FIELDS),
    spec=version_spec,
    hostile=extras,
    times=st.integers(0, 2),
)
def test_fuzzed_assessment_edit_is_saved_whole_or_refused_with_a_4xx(
    world, worker_client, drawn, spec, hostile, times
):
    assert in_savepoint(
        lambda: _assessment_example(world, worker_client, drawn, spec, hostile, times)
    )


# --- Raw bodies: bytes that are not UTF-8, unescaped separators, odd keys -------------------

SESSION_OK = {
    "date": "2026-02-02",
    "attendance": "attended",
    "contact_method": "phone",
    "venue_type": "school",
    "young_person_chose": "no",
    "duration_minutes": "30",
    "themes": ["family", "goals"],
    "notes": "Phoned after school.",
}
ASSESSMENT_OK = {
    "kind": "review",
    "assessed_on": "2026-02-02",
    "indicators": ["out_late", "school_absence"],
    "final_level": "",
    "young_person_view": "Better.",
}
ENDPOINTS = ["session_new", "session_edit", "assessment_new", "assessment_edit"]


@FUZZ
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    key=st.one_of(
        st.sampled_from(sorted(FORM_FIELDS)).map(str.encode), st.binary(min_size=1, max_size=12)
    ),
    garbage=st.binary(max_size=80),
    escaped=st.booleans(),
)
def test_raw_urlencoded_bytes_never_500_nor_half_write(
    world, worker_client, endpoint, key, garbage, escaped
):
    def run():
        if endpoint.startswith("session"):
            model, base, record = CaseSession, SESSION_OK, world.session
        else:
            model, base, record = RiskAssessment, ASSESSMENT_OK, world.assessment
        edit = endpoint.endswith("edit")
        args = [world.case.pk, record.pk] if edit else [world.case.pk]
        body = dict(base, version=str(record.version)) if edit else dict(base)
        value = quote_from_bytes(garbage).encode() if escaped else garbage
        raw = urlencode(body, doseq=True).encode() + b"&" + quote_from_bytes(key).encode()
        raw += b"=" + value
        before = state()
        response = worker_client.post(
            reverse(f"casework:{endpoint}", args=args),
            raw,
            content_type="application/x-www-form-urlencoded",
        )
        event(f"status {response.status_code}")
        assert response.status_code in {302, 400, 409}
        if response.status_code != 302:
            assert state() == before
            return
        assert len(state()["sessions" if model is CaseSession else "assessments"]) == len(
            before["sessions" if model is CaseSession else "assessments"]
        ) + (0 if edit else 1)
        if edit:
            saved = model.objects.get(pk=record.pk)
            assert saved.version == record.version + 1
        else:
            saved = model.objects.filter(case=world.case).latest("id")
        saved.full_clean()
        check = assert_valid_session if model is CaseSession else assert_valid_assessment
        check(saved, world.user("allocated_worker"))
        assert_summary_agrees(world.case.pk)

    assert in_savepoint(run)


# --- Oversized requests ---------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "extra",
    [
        {"themes": ["family"] * 1_001},  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS
        {"notes": "x" * 3_000_000},  # more than DATA_UPLOAD_MAX_MEMORY_SIZE
    ],
    ids=["too-many-fields", "too-big"],
)
def test_oversized_posts_get_a_400_and_save_nothing(world, worker_client, endpoint, extra):
    edit = endpoint.endswith("edit")
    record = world.session if endpoint.startswith("session") else world.assessment
    base = SESSION_OK if endpoint.startswith("session") else ASSESSMENT_OK
    args = [world.case.pk, record.pk] if edit else [world.case.pk]
    before = state()
    response = worker_client.post(
        reverse(f"casework:{endpoint}", args=args),
        {**base, "version": str(record.version), **extra},
    )
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=BoUnDaRy", b"--BoUnDaRy\r\nnot a part\r\n"),
        ("multipart/form-data", b"date=2026-02-02"),  # no boundary
        ("multipart/form-data; boundary=BoUnDaRy", b"\xff\xfe\x00" * 100),
        ("application/x-www-form-urlencoded; charset=no-such-charset", b"date=%FF%FE"),
        ("application/json", b'{"date": "2026-02-02", "attendance": "attended"}'),
        ("text/plain", b"\x00\x01\x02"),
    ],
    ids=["bad-part", "no-boundary", "binary", "bad-charset", "json", "text"],
)
def test_malformed_bodies_get_a_4xx_and_save_nothing(
    world, worker_client, endpoint, content_type, body
):
    edit = endpoint.endswith("edit")
    record = world.session if endpoint.startswith("session") else world.assessment
    args = [world.case.pk, record.pk] if edit else [world.case.pk]
    before = state()
    # generic(): the Client's post() would itself choke on an unknown charset
    response = worker_client.generic(
        "POST", reverse(f"casework:{endpoint}", args=args), body, content_type
    )
    assert response.status_code == 400
    assert state() == before


@settings(FUZZ, max_examples=40)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    query=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(["kind", "version", "page", "next"]), st.text(max_size=8)),
            st.one_of(st.sampled_from([*AssessmentKind.values, "", "x" * 5000]), st.text()),
        ).map(
            lambda kv: (
                kv[0].encode("utf-8", "surrogatepass"),
                kv[1].encode("utf-8", "surrogatepass"),
            )
        ),
        max_size=4,
    ),
)
def test_fuzzed_query_strings_on_the_form_pages_get_the_form(world, worker_client, endpoint, query):
    def run():
        edit = endpoint.endswith("edit")
        record = world.session if endpoint.startswith("session") else world.assessment
        args = [world.case.pk, record.pk] if edit else [world.case.pk]
        before = state()
        url = reverse(f"casework:{endpoint}", args=args) + "?" + urlencode(query)
        response = worker_client.get(url)
        event(f"status {response.status_code}")
        assert response.status_code == 200
        assert state() == before

    assert in_savepoint(run)
