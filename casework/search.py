"""Search, within access (issue 13 item 1): cases and their young people by name, preferred
name, reference or date of birth, among the cases this person may open and no others.

Restrict first, then match. The statement starts from casework.access.cases_for as a
MATERIALIZED common table expression: PostgreSQL computes the person's cases (and only
those) before it looks at what was typed, and matches within them with functions that use no
index. So the work done, the statements run and the page shown depend only on records the
person may open: a young person elsewhere called exactly what was typed changes nothing,
not even the time taken (tests/casework/test_search.py compares the statements and pages).

Names match with pg_trgm's word_similarity (typing errors, part of a name, either name in
either order) or as contained text; results are ranked by how close the whole name is.
References: a case's Alexi reference (C-000123), a young person's (YP-000045) and the hub's
own references from its imported records (the case's and the young person's at that hub).
Dates of birth as 3/4/2011, 03/04/2011 (day first) or 2011-04-03.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat, Lower

from casework import access
from casework.models import Case, YoungPersonRef

if TYPE_CHECKING:
    from alexi.models import User

MAX_LENGTH = 100  # characters of a search
LIMIT = 20  # results shown
# word_similarity at or above this is a match: "mockfrod" finds Mockford (0.56), "harper
# mokford" Harper Mockford (0.72), "hrper" Harper (0.5); a name that shares little is left out.
NAME_THRESHOLD = 0.45

# A cheap first test before word_similarity, which is the costly part of a name search: a
# name can reach NAME_THRESHOLD only if it holds at least that share of the typed name's
# trigrams, and whether it holds one is a plain strpos() in the name padded as pg_trgm pads
# words. A fixed number of slots keeps the statement the same whatever was typed (unused
# slots hold a string no name contains); past that many trigrams the test counts what the
# slots hold and lowers the bar by the trigrams left out, so it still never drops a match.
TRIGRAM_SLOTS = 16
_NO_TRIGRAM = "\x01\x01\x01"
# Punctuation pg_trgm treats as a word break, turned into spaces before padding.
_BREAKS = "-'’‘.,()/_&+\""
_WORD = re.compile(r"[^\W_]+")

_ALEXI_REF = re.compile(r"^(c|yp)\s*-?\s*0*(\d{1,12})$", re.IGNORECASE)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOOKS_LIKE_DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")


class SearchTermsError(ValueError):
    """What was typed cannot be searched for; the message says why, in plain words."""


@dataclass(frozen=True)
class Terms:
    """What was typed, read as a name, a date of birth and/or a reference."""

    text: str  # as typed, spaces tidied
    name: str = ""  # lower case, without the date
    born: date | None = None
    case_id: int | None = None  # C-000123
    person_id: int | None = None  # YP-000045
    ref: str = ""  # one word with a digit in it: perhaps a hub's own reference

    @property
    def is_alexi_ref(self) -> bool:
        return self.case_id is not None or self.person_id is not None


def parse(typed: str) -> Terms:
    """Read what was typed. Raises SearchTermsError for an impossible date or nothing to
    search for."""
    text = " ".join(typed.split())
    if not text:
        raise SearchTermsError("Type a name, a reference or a date of birth.")
    if len(text) > MAX_LENGTH:
        raise SearchTermsError(f"Search for at most {MAX_LENGTH} characters.")
    alexi_ref = _ALEXI_REF.match(text)
    if alexi_ref:
        number = int(alexi_ref.group(2))
        if alexi_ref.group(1).lower() == "c":
            return Terms(text=text, case_id=number, ref=text.upper())
        return Terms(text=text, person_id=number, ref=text.upper())
    born: date | None = None
    words = []
    for word in text.split(" "):
        day = _date(word)
        if day is None:
            words.append(word)
        elif born is not None and day != born:
            raise SearchTermsError("Type one date of birth at a time.")
        else:
            born = day
    one_word = " " not in text and born is None
    ref = text.upper() if one_word and any(ch.isdigit() for ch in text) else ""
    return Terms(text=text, name=" ".join(words).lower(), born=born, ref=ref)


def _date(word: str) -> date | None:
    """A date of birth typed as 3/4/2011, 03.04.2011, 3-4-2011 (day first) or 2011-04-03;
    None if the word is not written as a date; SearchTermsError if it is written as one but
    is no real date (31/2/2011)."""
    iso = _ISO.match(word)
    day_first = _DAY_FIRST.match(word)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif day_first:
        day, month, year = (int(part) for part in day_first.groups())
    elif _LOOKS_LIKE_DATE.match(word):
        raise SearchTermsError(
            f"{word} is not a date we can read. Type a date of birth as day, month and year, "
            "for example 3/4/2011."
        )
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        raise SearchTermsError(
            f"{word} is not a real date. Check the day and month (day first, for example 3/4/2011)."
        ) from None


def trigrams(name: str) -> list[str]:
    """pg_trgm's trigrams of a name (show_trgm), in order of appearance: words are runs of
    letters and digits, each padded with two spaces before and one after."""
    found: list[str] = []
    for word in _WORD.findall(name.lower()):
        padded = f"  {word} "
        for i in range(len(padded) - 2):
            if padded[i : i + 3] not in found:
                found.append(padded[i : i + 3])
    return found


def _trigram_test(name: str) -> tuple[str, list[Any]]:
    """SQL true for a row whose name might reach NAME_THRESHOLD (v.padded: the name padded
    as pg_trgm pads words), and its parameters: always TRIGRAM_SLOTS of them and the bar."""
    wanted = trigrams(name)
    slots = wanted[:TRIGRAM_SLOTS]
    needed = math.ceil(NAME_THRESHOLD * len(wanted) - 1e-9) - (len(wanted) - len(slots))
    slots += [_NO_TRIGRAM] * (TRIGRAM_SLOTS - len(slots))
    sql = " + ".join(["(strpos(v.padded, %s) > 0)::int"] * TRIGRAM_SLOTS) + " >= %s"
    return sql, [*slots, needed]


@dataclass
class Results:
    cases: list[Case] = field(default_factory=list)
    more: bool = False  # more matches than LIMIT


def find(user: User, terms: Terms) -> Results:
    """The cases this user may open that match, closest first (at most LIMIT), and whether
    there were more."""
    try:
        sql, params = _statement(user, terms)
    except EmptyResultSet:  # no spoke confirmed, no hub managed today: no case to search
        return Results()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    more = len(ids) > LIMIT
    ids = ids[:LIMIT]
    # Read again through the gate (the same cases), with what a result shows.
    by_id = {
        case.pk: case
        for case in access.cases_for(user)
        .filter(pk__in=ids)
        .select_related("young_person", "allocated_worker", "spoke__hub", "spoke__local_authority")
    }
    return Results(cases=[by_id[pk] for pk in ids if pk in by_id], more=more)


def _visible(user: User, *, names: bool, born: bool, refs: bool) -> tuple[str, tuple[Any, ...]]:
    """The SQL of every case this user may open (casework.access.cases_for), with only what
    this kind of search compares: the young person's names (each, all three in one string,
    and that string padded as pg_trgm pads words, each worked out once per case) and date of
    birth only when typed (a reference needs no join), and the hub's own reference for the
    young person only when the search may be one (through the one-per-person-per-hub index,
    for these cases only)."""
    columns: dict[str, Any] = {}
    if names:
        first = Lower("young_person__first_name")
        last = Lower("young_person__last_name")
        preferred = Lower("young_person__preferred_name")
        hay = Concat(first, Value(" "), last, Value(" "), preferred, output_field=TextField())
        spaced = Func(
            Func(
                hay,
                Value(_BREAKS),
                Value(" " * len(_BREAKS)),
                function="translate",
                output_field=TextField(),
            ),
            Value(" "),
            Value("  "),
            function="replace",
            output_field=TextField(),
        )
        columns["yp_first"] = first
        columns["yp_last"] = last
        columns["yp_preferred"] = preferred
        columns["hay"] = hay
        columns["padded"] = Concat(Value("  "), spaced, Value(" "), output_field=TextField())
    if born:
        columns["yp_born"] = F("young_person__date_of_birth")
    if refs:
        columns["person_ref"] = Subquery(
            YoungPersonRef.objects.filter(
                hub_id=OuterRef("hub_id"), young_person_id=OuterRef("young_person_id")
            ).values("ref")[:1]
        )
    queryset = (
        access.cases_for(user)
        .annotate(**columns)
        .values("id", "status", "young_person_id", "import_ref", *columns)
        .order_by()
    )
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _statement(user: User, terms: Terms) -> tuple[str, list[Any]]:
    """One SELECT of matching case ids, best first, LIMIT + 1 of them. Its text depends
    only on the kind of search (a name, a date, a reference), never on anyone's records."""
    names = bool(terms.name) and not terms.is_alexi_ref
    visible_sql, visible_params = _visible(
        user,
        names=names,
        born=terms.born is not None and not terms.is_alexi_ref,
        refs=bool(terms.ref) and not terms.is_alexi_ref,
    )
    exact: list[str] = []  # a reference: shown first
    exact_params: list[Any] = []
    if terms.case_id is not None:
        exact.append("v.id = %s")
        exact_params.append(terms.case_id)
    if terms.person_id is not None:
        exact.append("v.young_person_id = %s")
        exact_params.append(terms.person_id)
    if terms.ref and terms.is_alexi_ref:  # the hub's own case reference could look alike
        exact.append("upper(v.import_ref) = %s")
        exact_params.append(terms.ref)
    elif terms.ref:
        exact.append("(upper(v.import_ref) = %s OR upper(v.person_ref) = %s)")
        exact_params += [terms.ref, terms.ref]

    close: list[str] = []  # a name and/or a date of birth: all of what was given
    close_params: list[Any] = []
    order: list[str] = []
    order_params: list[Any] = []
    if exact:  # a reference matched: first
        order.append("(" + " OR ".join(exact) + ") DESC")
        order_params += exact_params
    if not terms.is_alexi_ref:
        if terms.born is not None:
            close.append("v.yp_born = %s")
            close_params.append(terms.born)
        if terms.name:
            test, test_params = _trigram_test(terms.name)
            close.append(
                f"(strpos(v.hay, %s) > 0 OR ({test} AND word_similarity(%s, v.hay) >= %s))"
            )
            close_params += [terms.name, *test_params, terms.name, NAME_THRESHOLD]
            # The closest whole name first: within the name (typing errors forgiven), then
            # the name as a whole (first or preferred name with the last name).
            order.append(
                "word_similarity(%s, v.hay) + greatest("
                "similarity(%s, v.yp_first || ' ' || v.yp_last), "
                "similarity(%s, v.yp_preferred || ' ' || v.yp_last)) DESC"
            )
            order_params += [terms.name] * 3
    # Then open and paused cases before closed ones, then by name.
    order += ["v.status = 'closed'", *(["v.yp_last", "v.yp_first"] if names else []), "v.id"]

    conditions = [*exact]
    if close:
        conditions.append("(" + " AND ".join(close) + ")")
    where = " OR ".join(conditions)
    ordering = ", ".join(order)
    sql = f"""
        WITH visible AS MATERIALIZED ({visible_sql})
        SELECT v.id FROM visible v
        WHERE {where}
        ORDER BY {ordering}
        LIMIT %s
    """  # noqa: S608 (Django-built SQL and fixed text; every value is a parameter)
    params = [*visible_params, *exact_params, *close_params, *order_params, LIMIT + 1]
    return sql, params
