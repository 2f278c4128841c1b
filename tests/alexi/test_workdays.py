"""Working days in England (alexi.workdays): weekends and the standing bank holidays."""

from datetime import date

import pytest

from alexi.workdays import add_working_days, bank_holidays, is_working_day


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2026,
            {
                date(2026, 1, 1),
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 5, 4),
                date(2026, 5, 25),
                date(2026, 8, 31),
                date(2026, 12, 25),
                date(2026, 12, 28),  # Boxing Day is a Saturday
            },
        ),
        (
            2027,
            {
                date(2027, 1, 1),
                date(2027, 3, 26),
                date(2027, 3, 29),
                date(2027, 5, 3),
                date(2027, 5, 31),
                date(2027, 8, 30),
                date(2027, 12, 27),  # Christmas Day is a Saturday
                date(2027, 12, 28),
            },
        ),
        (
            2028,
            {
                date(2028, 1, 3),  # New Year's Day is a Saturday
                date(2028, 4, 14),
                date(2028, 4, 17),
                date(2028, 5, 1),
                date(2028, 5, 29),
                date(2028, 8, 28),
                date(2028, 12, 25),
                date(2028, 12, 26),
            },
        ),
    ],
)
def test_bank_holidays_of_england_and_wales(year, expected):
    assert bank_holidays(year) == expected


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))
    # Thursday 24 December 2026 + 5 working days: 29, 30, 31 Dec, 4, 5 Jan.
    assert add_working_days(date(2026, 12, 24), 5) == date(2027, 1, 5)
    assert add_working_days(date(2027, 1, 5), -5) == date(2026, 12, 24)
    assert add_working_days(date(2026, 12, 3), 0) == date(2026, 12, 3)
