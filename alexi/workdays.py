"""Working days in England: Monday to Friday, except the bank holidays of England and Wales.

The bank holidays follow their standing rules (New Year's Day, Good Friday, Easter Monday, the
early May, spring and summer bank holidays, Christmas Day and Boxing Day, with the substitute
day when one falls at a weekend). A one-off holiday proclaimed for a single year (a coronation,
a jubilee) is not known, nor is a standing holiday moved for one year."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def _easter_sunday(year: int) -> date:
    """Easter Sunday (the Gregorian computus: anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`, by their standing rules."""
    easter = _easter_sunday(year)
    days = {
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    new_year = date(year, 1, 1)
    days.add(new_year + timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0)))
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday
        days |= {christmas + timedelta(days=2), boxing + timedelta(days=2)}
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday, Christmas on Tuesday
        days |= {boxing, christmas + timedelta(days=2)}
    elif christmas.weekday() == 4:  # Friday: Boxing Day on Monday
        days |= {christmas, boxing + timedelta(days=2)}
    else:
        days |= {christmas, boxing}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The day `n` working days after `day` (before it, for a negative `n`)."""
    step = timedelta(days=1 if n >= 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day
