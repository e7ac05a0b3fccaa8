"""What every part of the deadline reader shares: the refusal it raises, the context it reads in,
the month-name pattern, and the checks and notes common to one-off and recurring deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import Policy, ProductionCalendar
from .model import Period
from .russian import MONTHS_GENITIVE

#: A deadline further than this from signing is refused as a likely typo in the year.
MAX_YEARS_AHEAD = 10


class Refusal(ValueError):
    """Why a text cannot be read (a ``ValueError`` for callers of ``normalise``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Context:
    original: str
    source: str
    issued_on: date
    policy: Policy
    calendar: ProductionCalendar


def alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


MONTH_GEN = f"(?:{alt(MONTHS_GENITIVE)})"

UNIT_TO_PERIOD: dict[str, Period] = {
    "месяцем": "month",
    "месяца": "month",
    "кварталом": "quarter",
    "квартала": "quarter",
    "полугодием": "half_year",
    "полугодия": "half_year",
    "годом": "year",
    "года": "year",
}


def make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Refusal("такой даты нет") from None


def check_year(ctx: Context, year: int) -> None:
    if year - ctx.issued_on.year > MAX_YEARS_AHEAD:
        raise Refusal(f"{year} год дальше {MAX_YEARS_AHEAD} лет от подписания — проверьте год")


def provisional_note(ctx: Context, dates: list[date]) -> str:
    years = sorted({d.year for d in dates if ctx.calendar.is_provisional(d.year)})
    if not years:
        return ""
    listed = ", ".join(str(y) for y in years)
    return (
        f" (производственный календарь на {listed} г. ещё не утверждён: учтены праздники и "
        "переносы по ст. 112 ТК РФ, но не переносы, которые установит Правительство)"
    )


__all__ = [
    "MAX_YEARS_AHEAD",
    "MONTH_GEN",
    "UNIT_TO_PERIOD",
    "Context",
    "Refusal",
    "alt",
    "check_year",
    "make_date",
    "provisional_note",
]
