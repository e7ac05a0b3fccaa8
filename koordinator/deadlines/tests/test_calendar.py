"""The production calendar: known days of 2024–2027, the provisional rule after them, and
properties of the working-day arithmetic (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from koordinator.deadlines import calendar as cal
from koordinator.deadlines.calendar import (
    DEFAULT_CALENDAR,
    ProductionCalendar,
    add_days,
    add_months,
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
)

# Hypothesis writes no example database: the tests leave nothing behind in the work tree.
fast = settings(database=None, deadline=None, max_examples=60)

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=300)


# --- known days ----------------------------------------------------------------------------

# Weekdays that are days off: public holidays and the government's transfers.
DAYS_OFF = [
    date(2024, 1, 8),
    date(2024, 4, 29),  # transferred from Saturday 27.04.2024
    date(2024, 4, 30),  # transferred from Saturday 02.11.2024
    date(2024, 5, 10),
    date(2024, 12, 30),  # transferred from Saturday 28.12.2024
    date(2024, 12, 31),
    date(2025, 5, 2),
    date(2025, 5, 8),
    date(2025, 6, 13),
    date(2025, 11, 3),  # transferred from Saturday 01.11.2025
    date(2025, 11, 4),
    date(2025, 12, 31),
    date(2026, 1, 9),  # transferred from Saturday 03.01.2026
    date(2026, 2, 23),
    date(2026, 3, 9),  # 8 March was a Sunday
    date(2026, 5, 1),
    date(2026, 5, 11),  # 9 May was a Saturday
    date(2026, 6, 12),
    date(2026, 11, 4),
    date(2026, 12, 31),  # transferred from Sunday 04.01.2026
    date(2027, 1, 8),
    date(2027, 2, 22),  # transferred from Saturday 20.02.2027
    date(2027, 5, 3),
    date(2027, 5, 10),
    date(2027, 6, 14),
    date(2027, 11, 5),
    date(2027, 12, 31),
]
# Saturdays that a transfer made working days.
WORKING_WEEKENDS = [
    date(2024, 4, 27),
    date(2024, 11, 2),
    date(2024, 12, 28),
    date(2025, 11, 1),
    date(2027, 2, 20),
]
# Ordinary weekdays next to holidays: working.
WORKING_WEEKDAYS = [
    date(2024, 5, 2),
    date(2025, 11, 5),
    date(2026, 1, 12),
    date(2026, 3, 10),
    date(2026, 4, 30),
    date(2026, 5, 12),
    date(2026, 12, 30),
    date(2027, 1, 11),
    date(2027, 5, 4),
]


@pytest.mark.parametrize("day", DAYS_OFF, ids=str)
def test_days_off(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize("day", WORKING_WEEKENDS, ids=str)
def test_working_weekends(day: date) -> None:
    assert day.weekday() == 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", WORKING_WEEKDAYS, ids=str)
def test_working_weekdays(day: date) -> None:
    assert is_working_day(day)


def test_new_year_holidays_2026_run_to_11_january() -> None:
    assert [
        d.day
        for d in (date(2026, 1, 1) + timedelta(days=i) for i in range(14))
        if not is_working_day(d)
    ] == list(range(1, 12))


@pytest.mark.parametrize(
    ("year", "working_days"),
    # The official totals of the production calendar for a five-day week.
    [(2024, 248), (2025, 247), (2026, 247)],
)
def test_yearly_totals(year: int, working_days: int) -> None:
    assert DEFAULT_CALENDAR.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == (
        working_days
    )


def test_holiday_names() -> None:
    assert DEFAULT_CALENDAR.holiday_name(date(2026, 6, 12)) == "День России"
    assert DEFAULT_CALENDAR.holiday_name(date(2026, 3, 14)) is None  # a plain Saturday


def test_years_without_a_decree_are_provisional_and_follow_article_112() -> None:
    assert not DEFAULT_CALENDAR.is_provisional(2027)
    assert DEFAULT_CALENDAR.is_provisional(2028)
    # 4 November 2028 is a Saturday: the day off moves to Monday 6 November by law.
    assert not is_working_day(date(2028, 11, 6))
    assert is_working_day(date(2028, 11, 7))
    # The New Year holidays are not moved by Art. 112: 3 January 2028 (Monday) is a holiday
    # anyway, and nothing is added after 8 January.
    assert is_working_day(date(2028, 1, 10))


def test_article_112_is_not_applied_to_decreed_years() -> None:
    # 9 May 2027 is a Sunday: the decree moves it to 10 May, and nothing else is added.
    calendar = ProductionCalendar(decreed_through=2026)  # pretend 2027 is not decreed yet
    assert not calendar.is_working_day(date(2027, 5, 10))
    assert calendar.is_working_day(date(2027, 2, 20)) is True  # holidays still knows it
    assert DEFAULT_CALENDAR.is_working_day(date(2027, 5, 11))


def test_add_working_days_examples() -> None:
    assert add_working_days(date(2026, 3, 10), 10) == date(2026, 3, 24)
    # Over the May holidays of 2026: 30 April, then 4, 5 May.
    assert add_working_days(date(2026, 4, 29), 3) == date(2026, 5, 5)
    # Over the New Year: 30 December 2026 → 11 January 2027.
    assert add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 11)
    # A working Saturday counts.
    assert add_working_days(date(2025, 10, 31), 1) == date(2025, 11, 1)
    assert add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 14)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 10), -1)


def test_previous_working_day_examples() -> None:
    assert previous_working_day(date(2026, 5, 1)) == date(2026, 4, 30)
    assert previous_working_day(date(2027, 1, 10)) == date(2026, 12, 30)
    assert previous_working_day(date(2025, 11, 3)) == date(2025, 11, 1)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 11)


def test_add_days_rejects_an_unknown_policy() -> None:
    with pytest.raises(ValueError, match="policy"):
        add_days(date(2026, 3, 10), 1, "lunar")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 10), 1, date(2026, 4, 10)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_month_end_rule(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# --- properties ----------------------------------------------------------------------------


@fast
@given(dates, st.integers(min_value=1, max_value=300))
def test_add_working_days_lands_on_a_working_day(d: date, n: int) -> None:
    assert is_working_day(add_working_days(d, n))


@fast
@given(dates, counts, counts)
def test_add_working_days_is_strictly_monotonic_in_n(d: date, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    if lo == hi:
        assert add_working_days(d, lo) == add_working_days(d, hi)
    else:
        assert add_working_days(d, lo) < add_working_days(d, hi)


@fast
@given(dates, counts)
def test_add_working_days_counts_exactly_n_working_days(d: date, n: int) -> None:
    result = add_working_days(d, n)
    assert DEFAULT_CALENDAR.working_days_between(d, result) == n
    # …and no fewer days would do: the day before the result has one working day less.
    if n:
        assert DEFAULT_CALENDAR.working_days_between(d, result - timedelta(days=1)) == n - 1


@fast
@given(dates, st.integers(min_value=1, max_value=150), st.integers(min_value=0, max_value=150))
def test_add_working_days_composes(d: date, a: int, b: int) -> None:
    assert add_working_days(add_working_days(d, a), b) == add_working_days(d, a + b)


@fast
@given(dates)
def test_previous_working_day_is_idempotent_and_not_later(d: date) -> None:
    p = previous_working_day(d)
    assert p <= d
    assert is_working_day(p)
    assert previous_working_day(p) == p
    # Nothing in between is a working day.
    assert DEFAULT_CALENDAR.working_days_between(p, d) == 0
    assert (p == d) == is_working_day(d)


@fast
@given(dates)
def test_next_working_day_mirrors_previous(d: date) -> None:
    n = next_working_day(d)
    assert n >= d
    assert is_working_day(n)
    assert previous_working_day(n) == n
    assert n == (d if is_working_day(d) else add_working_days(d, 1))


@fast
@given(dates, counts)
def test_add_days_by_policy(d: date, n: int) -> None:
    assert add_days(d, n, "calendar") == d + timedelta(days=n)
    assert add_days(d, n, "working") == add_working_days(d, n)
    # Working days never come sooner than calendar days.
    assert add_days(d, n, "working") >= add_days(d, n, "calendar")


@fast
@given(dates)
@example(date(2009, 1, 11))  # a Sunday made a working day by the decree for 2009
def test_plain_weekdays_outside_holidays_work(d: date) -> None:
    # A week never has fewer than two days off, nor more working days than five…
    monday = d - timedelta(days=d.weekday())
    week = [monday + timedelta(days=i) for i in range(7)]
    assert sum(is_working_day(x) for x in week) <= 6  # six only in a week with a working Saturday
    # …and a Sunday is never a working day in 2000–2035 except by a transfer the decree names
    # (26.02.2006, 04.05.2008, 11.01.2009, 11.03.2012).
    if d.weekday() == 6 and d.year >= 2005:
        assert is_working_day(d) == (d in holidays.RU(years=d.year).weekend_workdays)


@fast
@given(dates, st.integers(min_value=-60, max_value=60))
def test_add_months_keeps_the_day_or_takes_the_month_end(d: date, n: int) -> None:
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    if d.day <= 28:
        assert result.day == d.day
    else:
        assert result.day == min(d.day, cal.days_in_month(result.year, result.month))
