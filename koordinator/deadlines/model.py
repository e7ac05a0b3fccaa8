"""What reading a deadline gives: a ``Deadline`` (one-off or recurring) or an ``Unreadable``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from .calendar import DEFAULT_CALENDAR, Policy, ProductionCalendar, days_in_month

Kind = Literal["one_off", "recurring"]
Period = Literal["month", "quarter", "half_year", "year"]

MONTHS_IN_PERIOD: dict[Period, int] = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
PERIODS_PER_YEAR: dict[Period, int] = {"month": 12, "quarter": 4, "half_year": 2, "year": 1}

#: A safety stop for due-date generation (a thousand periods is 83 years of months).
_MAX_PERIODS = 1000


def period_bounds(d: date, period: Period) -> tuple[date, date]:
    """The first and the last day of the reporting period that contains ``d``."""
    size = MONTHS_IN_PERIOD[period]
    first_month = (d.month - 1) // size * size + 1
    last_month = first_month + size - 1
    return date(d.year, first_month, 1), date(d.year, last_month, days_in_month(d.year, last_month))


@dataclass(frozen=True)
class MonthDay:
    """Day ``day`` of the month that comes ``month_offset`` months after the last month of the
    period: ``MonthDay(10, 1)`` is «до 10 числа месяца, следующего за отчётным»; ``month_offset``
    0 is the period's own last month; for a year, ``MonthDay(20, 1)`` is «до 20 января года,
    следующего за отчётным». A day the month lacks (31 in April) is the month's last day."""

    day: int
    month_offset: int = 1

    def nominal_for(self, period_end: date) -> date:
        index = period_end.year * 12 + (period_end.month - 1) + self.month_offset
        year, month0 = divmod(index, 12)
        month = month0 + 1
        return date(year, month, min(self.day, days_in_month(year, month)))


@dataclass(frozen=True)
class FixedDates:
    """Fixed days of the year, exactly one inside each reporting period: «ежегодно до 25 декабря»
    is ``FixedDates(((12, 25),))``; «раз в полугодие до 25 июня и 25 декабря» has two."""

    dates: tuple[tuple[int, int], ...]  # (month, day)

    def nominal_for(self, period_start: date, period_end: date) -> date:
        for month, day in self.dates:
            if period_start.month <= month <= period_end.month:
                return date(period_start.year, month, day)
        raise ValueError("no fixed date inside the period")  # prevented by the parser


DayRule = MonthDay | FixedDates


@dataclass(frozen=True)
class ControlPoint:
    """One control point: the due date (a working day), the date as the rule gives it before the
    move to a working day, and for a recurrence the reporting period it covers."""

    due: date
    nominal: date
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class Deadline:
    """A deadline that was read. ``due`` is the (first) due date, always a working day.

    One-off: ``due`` and ``nominal`` (before the move to the previous working day).
    Recurring: ``period``, ``rule``, ``starts`` (first day of the first reporting period),
    ``ends`` (last day of the last reporting period, or None when there is no end); ``due`` is the
    first due date after signing.
    """

    kind: Kind
    due: date
    nominal: date
    issued_on: date
    policy: Policy
    source: str
    explanation: str
    period: Period | None = None
    rule: DayRule | None = None
    starts: date | None = None
    ends: date | None = None
    calendar: ProductionCalendar = field(default=DEFAULT_CALENDAR, compare=False, repr=False)

    def control_points(self, limit: int = 4, after: date | None = None) -> list[ControlPoint]:
        """The first ``limit`` control points whose due date is after ``after`` (by default after
        the signing date for a recurrence; for a one-off, its single point unless ``after`` is
        given and not before it)."""
        if limit <= 0:
            return []
        if self.kind == "one_off":
            if after is not None and self.due <= after:
                return []
            return [ControlPoint(due=self.due, nominal=self.nominal)]
        points: list[ControlPoint] = []
        for point in self._recurring_points(self.issued_on if after is None else after):
            points.append(point)
            if len(points) >= limit:
                break
        return points

    def due_dates(self, limit: int = 4, after: date | None = None) -> list[date]:
        """The first ``limit`` due dates (working days) after ``after`` (see ``control_points``)."""
        return [point.due for point in self.control_points(limit, after)]

    def _recurring_points(self, after: date) -> Iterator[ControlPoint]:
        assert self.period is not None and self.rule is not None and self.starts is not None
        start, end = period_bounds(self.starts, self.period)
        for _ in range(_MAX_PERIODS):
            if self.ends is not None and end > self.ends:
                return
            if isinstance(self.rule, MonthDay):
                nominal = self.rule.nominal_for(end)
            else:
                nominal = self.rule.nominal_for(start, end)
            due = self.calendar.previous_working_day(nominal)
            if due > after:
                yield ControlPoint(due=due, nominal=nominal, period_start=start, period_end=end)
            start, end = period_bounds(end + timedelta(days=1), self.period)


@dataclass(frozen=True)
class Unreadable:
    """A deadline that could not be read, with the reason in Russian. Nothing is guessed."""

    reason: str
    source: str
    kind: Literal["unreadable"] = "unreadable"


Result = Deadline | Unreadable


def _rule_dict(rule: DayRule | None) -> dict[str, Any] | None:
    if isinstance(rule, MonthDay):
        return {"type": "month_day", "day": rule.day, "month_offset": rule.month_offset}
    if isinstance(rule, FixedDates):
        return {"type": "fixed_dates", "dates": [f"--{m:02d}-{d:02d}" for m, d in rule.dates]}
    return None


def to_dict(result: Result, *, limit: int = 4) -> dict[str, Any]:
    """A JSON-able form of a reading (for ``POST /api/v1/deadlines/parse``): dates as ISO strings,
    fixed days of the year as ISO 8601 ``--MM-DD``; ``ok`` tells a deadline from a refusal;
    ``provisional_years`` lists the years of the shown due dates for which no government decree on
    transfers of days off is known yet (see ``calendar``). The keys are the same for both."""
    if isinstance(result, Unreadable):
        return {
            "ok": False,
            "kind": result.kind,
            "source": result.source,
            "reason": result.reason,
            "explanation": None,
            "due": None,
            "due_dates": [],
            "period": None,
            "rule": None,
            "starts": None,
            "ends": None,
            "issued_on": None,
            "policy": None,
            "provisional_years": [],
        }
    due_dates = result.due_dates(limit)
    provisional = sorted({d.year for d in due_dates if result.calendar.is_provisional(d.year)})
    return {
        "ok": True,
        "kind": result.kind,
        "source": result.source,
        "reason": None,
        "explanation": result.explanation,
        "due": result.due.isoformat(),
        "due_dates": [d.isoformat() for d in due_dates],
        "period": result.period,
        "rule": _rule_dict(result.rule),
        "starts": result.starts.isoformat() if result.starts else None,
        "ends": result.ends.isoformat() if result.ends else None,
        "issued_on": result.issued_on.isoformat(),
        "policy": result.policy,
        "provisional_years": provisional,
    }
