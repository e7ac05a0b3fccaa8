"""Deadlines as secretaries write them, and the due dates they mean (pure Python, no Django).

``parse(text, issued_on=..., policy=...)`` reads a deadline from a protocol decision and returns a
``Deadline`` (one-off or recurring, with its due dates) or an ``Unreadable`` with the reason in
Russian. Nothing is guessed: text with anything the reader does not understand is refused.

The rules (DOMAIN.md, «Rules of the trade → Deadlines»):

* No deadline stated: one month from signing — the same day next month, or the last day of the
  month when there is no such day (31 January → 28/29 February).
* «Срочно», «незамедлительно» (and «в срочном порядке», «безотлагательно»): 3 days;
  «оперативно»: 10 days; «весьма срочно», «немедленно»: 1 working day.
* Days are calendar or working days by the body's policy (``"calendar"`` / ``"working"``);
  «рабочих» or «календарных» in the text wins over the policy. Weeks are 7 calendar days and months
  are calendar months (month-end rule) under either policy.
* Every due date that falls on a non-working day moves to the previous working day, under either
  policy, by the Russian production calendar including the government's transfers of days off
  (see ``calendar``).
* «Ежемесячно», «ежеквартально», «раз в полугодие» with no day: by the 10th of the month after the
  period. «Ежегодно» with no day and «постоянно»: a yearly report by 20 January of the next year.
  A recurrence starts with the reporting period that contains the signing date (or the first
  day of its stated span, if later), and its due dates are those after signing.
* A date without a year is read in the year of signing; a date before signing, an impossible date
  («31 февраля»), a year more than ten years ahead are refused with a reason.

What it reads (after case, «ё», quotes, dashes, «г.»/«года», «включительно», «Срок:» are
normalised away):

* dates: «до 1 декабря 2026 г.», «в срок до 01.12.2026», «не позднее 01.12.26», «к 1 декабря»,
  «Срок: 1 декабря 2026 года», «2026-12-01»;
* «срочно», «незамедлительно», «в срочном порядке», «безотлагательно», «оперативно»,
  «весьма срочно», «немедленно»; empty text, «—», «срок не указан»;
* «в течение N [рабочих|календарных] дней|недель|месяцев [со дня подписания]», «10 (десяти)»,
  «в течение месяца|недели|квартала|полугода|года», «в двухнедельный|месячный|недельный|
  трёхдневный|10-дневный срок»;
* ends of periods: «в течение 2026 года», «в 2026–2027 годах», «до конца года», «до конца
  2026 года», «до конца квартала», «IV квартал 2026 г.», «в IV квартале 2026 года»,
  «в I полугодии 2027 г.», «в декабре 2026 г.»;
* recurrences: «ежемесячно | ежеквартально | раз в полугодие | ежегодно» (and «1 раз в квартал»,
  «2 раза в год», «с ежеквартальным докладом»), with «до N числа [месяца, следующего за
  отчётным (периодом|кварталом…)]», «до N числа последнего месяца квартала», «до DD месяца»
  (one date per period: «до 25 июня и 25 декабря»), «до 20 января года, следующего за отчётным»;
  with «в течение 2026–2027 годов», «до конца 2027 года» as the end; «постоянно» alone or with
  a reporting cadence («постоянно, с докладом ежеквартально»).

Refused with a reason: terms counted from receipt («со дня получения»), weekly/daily cadences,
a day with no cadence («до 10 числа»), a cadence that disagrees with its day («ежемесячно до 5
числа месяца, следующего за отчётным кварталом»), and any text with words left over.
"""

from .calendar import (
    DEFAULT_CALENDAR,
    POLICIES,
    Policy,
    ProductionCalendar,
    add_days,
    add_months,
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
)
from .model import (
    ControlPoint,
    DayRule,
    Deadline,
    FixedDates,
    Kind,
    MonthDay,
    Period,
    Result,
    Unreadable,
    period_bounds,
    to_dict,
)
from .parse import normalise, parse
from .russian import format_date

__all__ = [
    "DEFAULT_CALENDAR",
    "POLICIES",
    "ControlPoint",
    "DayRule",
    "Deadline",
    "FixedDates",
    "Kind",
    "MonthDay",
    "Period",
    "Policy",
    "ProductionCalendar",
    "Result",
    "Unreadable",
    "add_days",
    "add_months",
    "add_working_days",
    "format_date",
    "is_working_day",
    "next_working_day",
    "normalise",
    "parse",
    "period_bounds",
    "previous_working_day",
    "to_dict",
]
