"""Recurring deadlines: a reporting cadence, the day in each period, and the span it runs for.

Unlike the one-off forms, a recurrence is assembled from parts found anywhere in the text: the
cadence («ежемесячно», «ежеквартально», «раз в полугодие», «ежегодно»), «постоянно», the span
(«в течение 2026–2027 годов», «до конца 2027 года»), the day rule («до 5 числа месяца, следующего
за отчётным», «до 25 июня и 25 декабря»), «по итогам …» and fillers («с докладом»). Each part is
taken out once; anything left over means the text is no recurrence. ``read_recurring`` returns
the ``Deadline`` with its first due date, and ``_day_rule`` checks that the day fits the cadence.
"""

from __future__ import annotations

import re
from datetime import date

from .model import (
    MONTHS_IN_PERIOD,
    PERIODS_PER_YEAR,
    DayRule,
    Deadline,
    FixedDates,
    MonthDay,
    Period,
    period_bounds,
)
from .reader import (
    MONTH_GEN,
    UNIT_TO_PERIOD,
    Context,
    Refusal,
    check_year,
    make_date,
    provisional_note,
)
from .russian import MONTH_BY_WORD, MONTHS_GENITIVE, format_date, format_day_month

#: «Ежемесячно», «ежеквартально» (and «раз в полугодие») with no day: by the 10th of the month
#: after the period. «Постоянно» and «ежегодно» with no day: by 20 January of the next year.
DEFAULT_REPORT_DAY = 10
DEFAULT_YEARLY_REPORT_DAY = 20

# The parts of a recurrence, looked for anywhere in the text.
_B, _E = r"(?<![\w.-])", r"(?![\w.-])"
_CADENCES: tuple[tuple[Period, re.Pattern[str]], ...] = (
    (
        "month",
        re.compile(
            _B + r"(?:ежемесячно|(?:с )?ежемесячн(?:ым|ой|ого|ый|ая)|(?:один |1 )?раз в месяц"
            r"|каждый месяц|помесячно)" + _E
        ),
    ),
    (
        "quarter",
        re.compile(
            _B
            + r"(?:ежеквартально|(?:с )?ежеквартальн(?:ым|ой|ого|ый|ая)|(?:один |1 )?раз в квартал"
            r"|каждый квартал|поквартально)" + _E
        ),
    ),
    (
        "half_year",
        re.compile(
            _B + r"(?:(?:один |1 )?раз в полугодие|(?:один |1 )?раз в полгода|ежеполугодно"
            r"|(?:с )?ежеполугодов(?:ым|ой|ого|ый|ая)|(?:с )?полугодов(?:ым|ой)|каждое полугодие|по полугодиям"
            r"|(?:два|2) раза в год)" + _E
        ),
    ),
    (
        "year",
        re.compile(
            _B
            + r"(?:ежегодно|(?:с )?ежегодн(?:ым|ой|ого|ый|ая)|(?:один |1 )?раз в год|каждый год)"
            + _E
        ),
    ),
)
_UNSUPPORTED_CADENCE = re.compile(
    _B + r"(?:еженедельно|еженедельн\w*|ежедекадно|ежедекадн\w*|ежедневно|ежедневн\w*"
    r"|раз в неделю|раз в декаду|раз в (?:два|три|2|3) (?:года|месяца)|раз в \d+ (?:дней|недел\w*))"
    + _E
)
_PERMANENT = re.compile(_B + r"(?:постоянно|на постоянной основе)" + _E)
_SPAN_YEARS = re.compile(
    _B + r"(?:в течение|в|в период|на период|на протяжении) (?P<y1>\d{4})(?:-(?P<y2>\d{4}))?" + _E
)
_SPAN_UNTIL = re.compile(_B + r"до (?:конца|окончания) (?P<y>\d{4})" + _E)
_SPAN_CURRENT = re.compile(
    _B + r"(?:(?:в течение|до конца|до окончания|на протяжении) (?:текущего|этого|сего) года"
    r"|до конца года)" + _E
)
_PREP = r"(?:(?:в )?срок до|(?:в )?срок не позднее|не позднее|не позже|до|к)"
_UNIT_WORD = r"(?:периодом|месяцем|кварталом|полугодием|годом)"
_DAY_OF_MONTH = re.compile(
    _B + _PREP + r" (?P<d>\d{1,2})(?:(?: числа| число| числу)(?: (?P<tail>(?P<after>"
    r"(?:(?:первого )?месяца |мес )?следующего за (?:отчетным|истекшим)(?: (?P<unit1>"
    + _UNIT_WORD
    + r"))?(?: месяца)?|следующего месяца)"
    r"|(?P<last>последнего месяца (?:отчетного )?(?P<unit0>квартала|полугодия|периода|года))"
    r"|(?P<own>отчетного месяца|текущего месяца)|(?P<each>каждого месяца)))?)" + _E
)
_DM = r"(?:\d{1,2} " + MONTH_GEN + r"(?! \d{4})|\d{1,2}\.\d{1,2}(?![.\d]))"
_FIXED_DATES = re.compile(
    _B + _PREP + r" (?P<dates>" + _DM + r"(?:(?: и | )(?:" + _PREP + r" )?" + _DM + r")*)"
    r"(?: (?P<ytail>года следующего за (?:отчетным|истекшим)(?: годом| периодом)?"
    r"|следующего (?:за отчетным )?года))?" + _E
)
_DM_ITEM = re.compile(r"(?P<d>\d{1,2}) (?P<m>" + MONTH_GEN + r")|(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})")
_RESULTS_OF = re.compile(
    _B + r"по итогам (?:каждого |отчетного )?(?P<unit>месяца|квартала|полугодия|года)" + _E
)
_FILLERS = re.compile(
    _B + r"(?:с (?:докладом|отчетом|информированием|представлением (?:информации|доклада|отчета))"
    r"(?: о (?:ходе|результатах) (?:исполнения|выполнения|работы))?"
    r"|докладывать|информировать|отчитываться|представлять (?:информацию|доклад|отчет)"
    r"|докладом|отчетом|информированием)" + _E
)


_CADENCE_WORD: dict[Period, str] = {
    "month": "ежемесячно",
    "quarter": "ежеквартально",
    "half_year": "раз в полугодие",
    "year": "ежегодно",
}
_PERIOD_INSTRUMENTAL: dict[Period, str] = {
    "month": "месяцем",
    "quarter": "кварталом",
    "half_year": "полугодием",
    "year": "годом",
}
_PERIOD_GENITIVE: dict[Period, str] = {
    "month": "месяца",
    "quarter": "квартала",
    "half_year": "полугодия",
    "year": "года",
}
_PERIOD_IN_YEAR: dict[Period, str] = {
    "month": "каждом месяце",
    "quarter": "каждом квартале",
    "half_year": "каждом полугодии",
    "year": "году",
}

# --- reading a recurrence ------------------------------------------------------------------


def _take(pattern: re.Pattern[str], rest: str, what: str) -> tuple[re.Match[str] | None, str]:
    """Find ``pattern`` at most once in ``rest``; return the match and ``rest`` without it."""
    found = list(pattern.finditer(rest))
    if not found:
        return None, rest
    if len(found) > 1:
        raise Refusal(f"{what} несколько раз")
    m = found[0]
    return m, f"{rest[: m.start()]} {rest[m.end() :]}"


def read_recurring(ctx: Context) -> Deadline | None:
    rest = ctx.source
    if m := _UNSUPPORTED_CADENCE.search(rest):
        raise Refusal(
            f"периодичность «{m.group(0)}» не поддерживается: можно ежемесячно, ежеквартально, "
            "раз в полугодие или ежегодно"
        )
    cadences: list[tuple[Period, re.Match[str]]] = []
    for found_period, pattern in _CADENCES:
        cadences.extend((found_period, m) for m in pattern.finditer(rest))
    if len({p for p, _ in cadences}) > 1:
        raise Refusal("указано несколько разных периодичностей")
    for _, m in sorted(cadences, key=lambda pm: -pm[1].start()):
        rest = f"{rest[: m.start()]} {rest[m.end() :]}"
    cadence: Period | None = cadences[0][0] if cadences else None

    permanent, rest = _take(_PERMANENT, rest, "«постоянно» указано")
    span_years, rest = _take(_SPAN_YEARS, rest, "период действия указан")
    span_until, rest = _take(_SPAN_UNTIL, rest, "период действия указан")
    span_current, rest = _take(_SPAN_CURRENT, rest, "период действия указан")
    day_of_month, rest = _take(_DAY_OF_MONTH, rest, "день отчёта указан")
    fixed, rest = _take(_FIXED_DATES, rest, "день отчёта указан")
    results_of, rest = _take(_RESULTS_OF, rest, "«по итогам» указано")
    rest = _FILLERS.sub(" ", rest)

    if cadence is None and permanent is None:
        if (day_of_month is not None or fixed is not None) and not rest.strip():
            raise Refusal("указан день, но не указана периодичность (например, «ежемесячно»)")
        return None
    if rest.strip():
        return None
    if sum(x is not None for x in (span_years, span_until, span_current)) > 1:
        raise Refusal("период действия указан несколько раз")
    if day_of_month is not None and fixed is not None:
        raise Refusal("день отчёта указан несколько раз")

    period: Period = cadence or "year"
    if results_of is not None and UNIT_TO_PERIOD[results_of.group("unit")] != period:
        raise Refusal("«по итогам …» не совпадает с периодичностью")

    rule, rule_given = _day_rule(period, day_of_month, fixed)

    span_start: date | None = None
    span_end: date | None = None
    span_text = "без даты окончания"
    if span_years is not None:
        y1 = int(span_years.group("y1"))
        y2 = int(span_years.group("y2") or y1)
        if y2 < y1:
            raise Refusal(f"годы {y1}–{y2} указаны в обратном порядке")
        span_start, span_end = date(y1, 1, 1), date(y2, 12, 31)
        span_text = f"в течение {y1} года" if y1 == y2 else f"в течение {y1}–{y2} годов"
    elif span_until is not None:
        span_end = date(int(span_until.group("y")), 12, 31)
        span_text = f"до конца {span_end.year} года"
    elif span_current is not None:
        span_end = date(ctx.issued_on.year, 12, 31)
        span_text = f"до конца {span_end.year} года"
    if span_end is not None:
        check_year(ctx, span_end.year)
        if span_end < ctx.issued_on:
            raise Refusal(f"период {span_text.removeprefix('в течение ')} закончился до подписания")

    anchor = max(ctx.issued_on, span_start) if span_start else ctx.issued_on
    starts, _ = period_bounds(anchor, period)
    draft = Deadline(
        kind="recurring",
        due=ctx.issued_on,
        nominal=ctx.issued_on,
        issued_on=ctx.issued_on,
        policy=ctx.policy,
        source=ctx.source,
        explanation="",
        period=period,
        rule=rule,
        starts=starts,
        ends=span_end,
        calendar=ctx.calendar,
    )
    points = draft.control_points(limit=1)
    if not points:
        raise Refusal("в указанном периоде не осталось сроков после даты подписания")
    first = points[0]

    if permanent is None:
        head = _CADENCE_WORD[period]
    elif cadence is None:
        head = "постоянно, с ежегодным докладом"
    else:
        head = f"постоянно, с докладом {_CADENCE_WORD[period]}"
    explanation = f"{head}, {_describe_rule(period, rule)}"
    if not rule_given:
        explanation += " (день не указан — по умолчанию)"
    explanation += f"; {span_text}; первый срок — {format_date(first.due)}"
    if first.due != first.nominal:
        explanation += f" ({format_date(first.nominal)} — нерабочий день)"
    explanation += provisional_note(ctx, [first.due])
    return Deadline(
        kind="recurring",
        due=first.due,
        nominal=first.nominal,
        issued_on=ctx.issued_on,
        policy=ctx.policy,
        source=ctx.source,
        explanation=explanation,
        period=period,
        rule=rule,
        starts=starts,
        ends=span_end,
        calendar=ctx.calendar,
    )


# --- the day rule and its words ------------------------------------------------------------


def _day_rule(
    period: Period, day_of_month: re.Match[str] | None, fixed: re.Match[str] | None
) -> tuple[DayRule, bool]:
    """The day rule and whether the text gave it (False: the default for the period)."""
    if day_of_month is not None:
        day = int(day_of_month.group("d"))
        if not 1 <= day <= 31:
            raise Refusal(f"{day} числа не бывает")
        if day_of_month.group("last"):
            unit = day_of_month.group("unit0")
            if unit != "периода" and UNIT_TO_PERIOD[unit] != period:
                raise Refusal("«последнего месяца …» не совпадает с периодичностью")
            if period == "month":
                raise Refusal("у ежемесячного срока нет «последнего месяца»")
            return MonthDay(day, 0), True
        if day_of_month.group("own"):
            if period != "month":
                raise Refusal("«отчётного месяца» подходит только к ежемесячному сроку")
            return MonthDay(day, 0), True
        if day_of_month.group("each") and period != "month":
            raise Refusal("«каждого месяца» подходит только к ежемесячному сроку")
        unit = day_of_month.group("unit1")
        if unit and unit != "периодом" and UNIT_TO_PERIOD[unit] != period:
            raise Refusal("«следующего за отчётным …» не совпадает с периодичностью")
        return MonthDay(day, 1), True
    if fixed is not None:
        pairs: list[tuple[int, int]] = []
        for item in _DM_ITEM.finditer(fixed.group("dates")):
            if item.group("m"):
                month, day = MONTH_BY_WORD[item.group("m")], int(item.group("d"))
            else:
                month, day = int(item.group("nm")), int(item.group("nd"))
            if (month, day) == (2, 29):
                raise Refusal("29 февраля бывает не каждый год")
            make_date(2001, month, day)  # «31 июня», «30 февраля»: no such date
            pairs.append((month, day))
        if fixed.group("ytail"):
            if period != "year" or len(pairs) != 1:
                raise Refusal("«года, следующего за отчётным» подходит только к ежегодному сроку")
            month, day = pairs[0]
            return MonthDay(day, month), True
        size = MONTHS_IN_PERIOD[period]
        slots = sorted((month - 1) // size for month, _ in pairs)
        if slots != list(range(PERIODS_PER_YEAR[period])):
            raise Refusal(
                f"для периодичности «{_CADENCE_WORD[period]}» нужна ровно одна дата в "
                f"{_PERIOD_IN_YEAR[period]}"
            )
        return FixedDates(tuple(sorted(pairs))), True
    if period == "year":
        return MonthDay(DEFAULT_YEARLY_REPORT_DAY, 1), False
    return MonthDay(DEFAULT_REPORT_DAY, 1), False


def _describe_rule(period: Period, rule: DayRule) -> str:
    if isinstance(rule, FixedDates):
        items = [format_day_month(m, d) for m, d in rule.dates]
        listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " и " + items[-1]
        return f"до {listed}"
    if period == "year" and rule.month_offset >= 1:
        month = MONTHS_GENITIVE[(rule.month_offset - 1) % 12]
        return f"до {rule.day} {month} года, следующего за отчётным"
    if rule.month_offset == 0:
        if period == "month":
            return f"до {rule.day} числа отчётного месяца"
        return f"до {rule.day} числа последнего месяца {_PERIOD_GENITIVE[period]}"
    return f"до {rule.day} числа месяца, следующего за отчётным {_PERIOD_INSTRUMENTAL[period]}"


__all__ = ["read_recurring"]
