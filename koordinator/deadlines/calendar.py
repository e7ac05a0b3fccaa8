"""The Russian production calendar (производственный календарь) for deadline arithmetic.

Where the days off come from:

* ``holidays.RU`` (the ``holidays`` package): the non-working public holidays of Art. 112 of the
  Labour Code, the government's yearly transfers of days off («перенос выходных дней») and the
  weekend days that a transfer turns into working days (e.g. Saturday 27.04.2024, 02.11.2024,
  28.12.2024, 01.11.2025, 20.02.2027). ``holidays`` keeps the transfers per year in
  ``RussiaStaticHolidays.special_public_holidays`` and cites the text of each year's decree
  («постановление Правительства РФ о переносе выходных дней») on consultant.ru; the working
  Saturdays are exposed through ``HolidayBase.is_working_day`` (``weekend_workdays``).
  In ``holidays`` 0.109 the transfers are known through 2027.
* For a year after the last year with a known decree (2028 on, with ``holidays`` 0.109) there is no
  decree yet, so the calendar is *provisional*: we apply the automatic rule of Art. 112 part 2 of
  the Labour Code (a public holiday that falls on a Saturday or Sunday moves the day off to the next
  working day, except the New Year holidays 1–8 January, which only the government moves). The
  government's own transfers for such a year are unknown until its decree is published;
  ``is_provisional(year)`` tells the caller.

Shortened pre-holiday days (сокращённые предпраздничные дни) are working days and play no part here.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Literal, get_args

import holidays

Policy = Literal["calendar", "working"]
POLICIES: tuple[Policy, ...] = get_args(Policy)

#: The last year whose transfers we know when ``holidays`` does not tell us.
_FALLBACK_DECREED_THROUGH = 2027


def _decreed_through() -> int:
    """The last year for which ``holidays`` carries the government's transfers of days off."""
    try:
        from holidays.countries.russia import RussiaStaticHolidays
    except ImportError:  # pragma: no cover - a future layout of the package
        return _FALLBACK_DECREED_THROUGH
    years: set[int] = set(getattr(RussiaStaticHolidays, "special_public_holidays", {}))
    years |= set(getattr(RussiaStaticHolidays, "special_public_holidays_observed", {}))
    return max(years, default=_FALLBACK_DECREED_THROUGH)


def days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def add_months(d: date, n: int) -> date:
    """The same day ``n`` months later (or earlier); if there is no such day, the last day of
    that month (31 January + 1 month = 28/29 February)."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, days_in_month(year, month)))


class ProductionCalendar:
    """Working and non-working days of the Russian Federation (federal production calendar).

    Thread-safe: each year is computed once into a frozen set of non-working dates.
    """

    def __init__(self, *, decreed_through: int | None = None) -> None:
        self.decreed_through = (
            decreed_through if decreed_through is not None else _decreed_through()
        )
        self._years: dict[int, frozenset[date]] = {}
        self._names: dict[int, dict[date, str]] = {}
        self._lock = threading.Lock()

    # --- the year tables -------------------------------------------------------------------

    def _load(self, year: int) -> frozenset[date]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._years.get(year)
            if cached is not None:
                return cached
            ru = holidays.RU(years=year, language="ru")
            off: set[date] = set()
            names: dict[date, str] = {}
            day = date(year, 1, 1)
            while day.year == year:
                if not ru.is_working_day(day):
                    off.add(day)
                    if day in ru:
                        names[day] = str(ru[day])
                day += timedelta(days=1)
            if year > self.decreed_through:
                self._apply_article_112(year, ru, off, names)
            frozen = frozenset(off)
            self._names[year] = names
            self._years[year] = frozen
            return frozen

    @staticmethod
    def _apply_article_112(
        year: int, ru: holidays.HolidayBase, off: set[date], names: dict[date, str]
    ) -> None:
        """Art. 112 part 2 of the Labour Code for a year without a decree: a holiday on a day off
        moves the day off to the next working day (not for the New Year holidays 1–8 January)."""
        holiday_dates: list[date] = sorted(ru.keys())
        for holiday in holiday_dates:
            if holiday.weekday() < 5 or (holiday.month == 1 and holiday.day <= 8):
                continue
            moved = holiday + timedelta(days=1)
            while moved.year == year and moved in off:
                moved += timedelta(days=1)
            if moved.year == year:
                off.add(moved)
                names[moved] = f"Выходной (перенесён с {holiday:%d.%m.%Y}, ст. 112 ТК РФ)"

    def non_working_days(self, year: int) -> frozenset[date]:
        """Every non-working date of ``year``: weekends (except working Saturdays/Sundays set by a
        transfer), public holidays and transferred days off."""
        return self._load(year)

    def is_provisional(self, year: int) -> bool:
        """True when no government decree on transfers is known for ``year`` (see module doc)."""
        return year > self.decreed_through

    def holiday_name(self, d: date) -> str | None:
        """The name of the holiday or transferred day off on ``d`` (None for plain weekends)."""
        self._load(d.year)
        return self._names[d.year].get(d)

    # --- the tests and the arithmetic ------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        return d not in self._load(d.year)

    def previous_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the nearest working day before it."""
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the nearest working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself is not counted; ``n`` = 0 gives
        ``d``). Counting «в течение 10 рабочих дней» from the signing date."""
        if n < 0:
            raise ValueError("n must not be negative")
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def add_days(self, d: date, n: int, policy: Policy) -> date:
        """``n`` days after ``d``: calendar days or working days by the body's policy.

        The result of the calendar policy may be a non-working day; the deadline rule (move to the
        previous working day) is applied by whoever turns it into a due date.
        """
        if policy == "calendar":
            if n < 0:
                raise ValueError("n must not be negative")
            return d + timedelta(days=n)
        if policy == "working":
            return self.add_working_days(d, n)
        raise ValueError(f"unknown policy {policy!r}; expected one of {POLICIES}")

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in the half-open interval (start, end]."""
        if end <= start:
            return 0
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count


DEFAULT_CALENDAR = ProductionCalendar()


def is_working_day(d: date, *, calendar: ProductionCalendar | None = None) -> bool:
    return (calendar or DEFAULT_CALENDAR).is_working_day(d)


def previous_working_day(d: date, *, calendar: ProductionCalendar | None = None) -> date:
    return (calendar or DEFAULT_CALENDAR).previous_working_day(d)


def next_working_day(d: date, *, calendar: ProductionCalendar | None = None) -> date:
    return (calendar or DEFAULT_CALENDAR).next_working_day(d)


def add_working_days(d: date, n: int, *, calendar: ProductionCalendar | None = None) -> date:
    return (calendar or DEFAULT_CALENDAR).add_working_days(d, n)


def add_days(
    d: date, n: int, policy: Policy, *, calendar: ProductionCalendar | None = None
) -> date:
    return (calendar or DEFAULT_CALENDAR).add_days(d, n, policy)
