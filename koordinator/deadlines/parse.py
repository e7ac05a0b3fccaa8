"""Reading a deadline as secretaries write it: «до 1 декабря 2026 г.», «срочно»,
«ежеквартально до 5 числа месяца, следующего за отчётным», «в течение 10 рабочих дней»…

The reader normalises the text (case, «ё», dashes, quotes, «г.»/«года», «включительно», the
«Срок:» label, «5-го», «10 (десяти)») and then asks for a *whole* match: either one of the one-off
forms, or a recurrence assembled from its parts (periodicity, day, span, «постоянно», «с докладом»)
with nothing left over. Whatever is left over means the text is refused with a reason: the reader
never guesses.

The reader's parts: ``text`` (normalisation), ``one_off`` (dates, urgency words, terms from
signing, ends of periods), ``recurring`` (cadences, day rules, spans), ``reader`` (what they
share: the refusal, the context, the common checks). This module holds the entry point.
"""

from __future__ import annotations

import re
from datetime import date

from .calendar import DEFAULT_CALENDAR, POLICIES, Policy, ProductionCalendar
from .model import Result, Unreadable
from .one_off import read_one_off
from .reader import Context, Refusal
from .recurring import read_recurring
from .text import normalise, trim

GENERIC_REASON = (
    "Не удалось распознать срок: «{text}». Укажите дату (например, «до 1 декабря 2026 г.») "
    "или период («ежеквартально до 10 числа»)"
)

#: Terms counted from receipt: the date is not known in advance, so they are refused outright.
_FROM_RECEIPT = re.compile(r"получени|поступлени|вручени")


def parse(
    text: str,
    *,
    issued_on: date,
    policy: Policy,
    calendar: ProductionCalendar | None = None,
) -> Result:
    """Read a deadline written by a secretary.

    ``issued_on`` is the signing date of the protocol (relative terms count from it); ``policy``
    is the body's setting: «calendar» or «working» days. Returns a ``Deadline`` or, for anything
    that cannot be read without guessing, an ``Unreadable`` with a reason in Russian.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}; expected one of {POLICIES}")
    original = trim(text)
    try:
        source = normalise(text)
        ctx = Context(original, source, issued_on, policy, calendar or DEFAULT_CALENDAR)
        return _read(ctx)
    except Refusal as refusal:
        reason = refusal.reason
    except OverflowError:  # a signing date at the very edge of the calendar (year 1 or 9999)
        reason = "дата выходит за пределы календаря"
    return Unreadable(reason=f"Не удалось прочитать срок «{original}»: {reason}", source=original)


def _read(ctx: Context) -> Result:
    """A one-off form matching the whole text, else a recurrence, else a generic refusal.

    (The empty text, read as «a month from signing», never mentions receipt, so refusing terms
    counted from receipt before trying the one-off forms changes nothing.)"""
    if _FROM_RECEIPT.search(ctx.source):
        raise Refusal(
            "срок отсчитывается от даты получения, которая заранее неизвестна; "
            "укажите дату или срок от подписания"
        )
    one_off = read_one_off(ctx)
    if one_off is not None:
        return one_off
    recurring = read_recurring(ctx)
    if recurring is not None:
        return recurring
    return Unreadable(reason=GENERIC_REASON.format(text=ctx.original), source=ctx.original)


__all__ = ["normalise", "parse"]
