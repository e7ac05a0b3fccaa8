"""One-off deadlines: a single due date from the signing date and the text.

The forms, each matched against the whole normalised text, in the order ``read_one_off`` tries them:
no term stated (a month from signing), urgency words («срочно», «оперативно», «немедленно»),
explicit dates («до 1 декабря 2026», «01.12.2026», «2026-12-01»), terms from signing («в течение
10 рабочих дней», «в месячный срок»), and ends of periods («до конца 2026 года», «до конца
квартала», «IV квартал 2026 г.», «в I полугодии», «в декабре 2026 г.»). Every nominal date goes
through ``_one_off``: refused if before signing or too far ahead, moved to the previous working day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar import Policy, add_months, days_in_month
from .model import Deadline, period_bounds
from .reader import (
    MAX_YEARS_AHEAD,
    MONTH_GEN,
    UNIT_TO_PERIOD,
    Context,
    Refusal,
    alt,
    check_year,
    make_date,
    provisional_note,
)
from .russian import (
    COMPOUND_PREFIXES,
    MONTH_BY_WORD,
    MONTHS_GENITIVE,
    MONTHS_NOMINATIVE,
    MONTHS_PREPOSITIONAL,
    NUMERAL_WORDS,
    format_date,
    parse_numeral,
    plural,
)

#: «Срочно», «незамедлительно»: 3 days; «оперативно»: 10 days (by the body's policy);
#: «весьма срочно», «немедленно»: 1 working day.
URGENT_DAYS = 3
PROMPT_DAYS = 10
VERY_URGENT_WORKING_DAYS = 1

MONTH_ANY = f"(?:{alt([*MONTHS_GENITIVE, *MONTHS_NOMINATIVE, *MONTHS_PREPOSITIONAL])})"
NUMBER = rf"(?:\d{{1,3}}|(?:{alt(NUMERAL_WORDS)})(?: (?:{alt(NUMERAL_WORDS)}))?)"
ANCHOR = (
    r"(?: (?:со дня|с даты|с момента|после|от даты|от) (?:подписания|утверждения)"
    r"(?: (?:настоящего )?(?:протокола|решения))?)?"
)

_EMPTY = re.compile(r"(?:срок )?(?:не указан|не установлен|не определен)?")
_URGENCY = re.compile(
    r"(?P<word>весьма срочно|немедленно|в немедленном порядке|срочно|в срочном порядке"
    r"|незамедлительно|в незамедлительном порядке|безотлагательно|оперативно|в оперативном порядке)"
)
_DATE_PREFIX = r"(?:(?:в )?срок (?:исполнения )?)?(?:(?:до|не позднее|не позже|к|по) )?"
_EXPLICIT = re.compile(
    _DATE_PREFIX + r"(?:(?P<day>\d{1,2}) (?P<month>" + MONTH_GEN + r")(?: (?P<year>\d{4}))?"
    r"|(?P<nday>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<nyear>\d{4}|\d{2})"
    r"|(?P<iyear>\d{4})-(?P<imonth>\d{1,2})-(?P<iday>\d{1,2}))"
)
_RELATIVE = re.compile(
    r"(?:(?P<prefix>в течение|(?:в срок )?(?:не более|не позднее|не позже|до)|в срок|через) )?"
    rf"(?:(?P<num>{NUMBER}) )?"
    r"(?:(?P<qual>рабочих|рабочего|календарных|календарного) )?"
    r"(?P<unit>дней|дня|день|суток|недель|недели|неделю|неделя|месяцев|месяца|месяц"
    r"|кварталов|квартала|полугода|года|лет)" + ANCHOR
)
_COMPOUND = re.compile(
    rf"(?:в )?(?P<num>\d{{1,3}}-|{alt(list(COMPOUND_PREFIXES))})?"
    r"(?P<unit>дневный|дневной|недельный|месячный) срок" + ANCHOR
)
_COMPOUND_LONG = re.compile(r"(?:в )?(?P<unit>полугодовой|годичный|годовой) срок" + ANCHOR)
_YEAR_END = re.compile(
    r"(?:(?P<prep>в течение|в|до конца|до окончания) )?(?P<y1>\d{4})(?:-(?P<y2>\d{4}))?"
)
_CURRENT_END = re.compile(
    r"(?:(?:до конца|до окончания) (?:текущего |этого |сего )?"
    r"|в течение (?:текущего|этого|сего) )(?P<unit>года|месяца|квартала|полугодия)"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_WORDS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_QUARTER = re.compile(
    r"(?:(?:в|во|в течение|до конца|до окончания) )?"
    r"(?P<n>iv|iii|ii|i|[1-4]|первый|первом|первого|второй|втором|второго|третий|третьем"
    r"|третьего|четвертый|четвертом|четвертого) (?:квартал|квартале|квартала|кв)(?: (?P<y>\d{4}))?"
)
_HALF = re.compile(
    r"(?:(?:в|во|в течение|до конца|до окончания) )?"
    r"(?P<n>ii|i|[12]|первое|первом|первого|второе|втором|второго)"
    r" (?:полугодие|полугодии|полугодия)(?: (?P<y>\d{4}))?"
)
_MONTH_END = re.compile(
    r"(?:(?P<prep>в течение|до конца|до окончания|в) )?(?P<m>" + MONTH_ANY + r")(?: (?P<y>\d{4}))?"
)

_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- the forms, in order -------------------------------------------------------------------


def read_one_off(ctx: Context) -> Deadline | None:
    """The one-off deadline the whole text states, or ``None`` when it is no one-off form."""
    s = ctx.source
    if _EMPTY.fullmatch(s):
        nominal = add_months(ctx.issued_on, 1)
        head = (
            f"срок не указан: месяц со дня подписания ({format_date(ctx.issued_on)})"
            f" — до {format_date(nominal)}"
        )
        return _one_off(ctx, nominal, head)
    if m := _URGENCY.fullmatch(s):
        return _urgency(ctx, m.group("word"))
    if m := _EXPLICIT.fullmatch(s):
        return _explicit(ctx, m)
    if m := _RELATIVE.fullmatch(s):
        return _relative(ctx, m)
    if m := _COMPOUND.fullmatch(s):
        return _compound(ctx, m)
    if m := _COMPOUND_LONG.fullmatch(s):
        months = 6 if m.group("unit") == "полугодовой" else 12
        return _months(ctx, months, f"в {m.group('unit')} срок: ")
    if m := _YEAR_END.fullmatch(s):
        return _year_end(ctx, m)
    if m := _CURRENT_END.fullmatch(s):
        return _current_end(ctx, m.group("unit"))
    if m := _QUARTER.fullmatch(s):
        return _quarter_end(ctx, m)
    if m := _HALF.fullmatch(s):
        return _half_end(ctx, m)
    if m := _MONTH_END.fullmatch(s):
        return _month_end(ctx, m)
    return None


# --- the common path: checks, the working day, the words -----------------------------------


def _one_off(ctx: Context, nominal: date, head: str, *, year_given: bool = True) -> Deadline:
    """A one-off due date from its nominal date: checks, the move to a working day, the words."""
    if nominal < ctx.issued_on:
        suffix = "" if year_given else " (год не указан — укажите его)"
        raise Refusal(
            f"срок {format_date(nominal)} раньше даты подписания {ctx.issued_on:%d.%m.%Y}{suffix}"
        )
    if nominal.year - ctx.issued_on.year > MAX_YEARS_AHEAD:
        raise Refusal(
            f"срок {format_date(nominal)} дальше {MAX_YEARS_AHEAD} лет от подписания — проверьте год"
        )
    due = ctx.calendar.previous_working_day(nominal)
    if due < ctx.issued_on:
        raise Refusal(
            f"срок {format_date(nominal)} приходится на нерабочий день, а предыдущий рабочий день "
            f"раньше даты подписания {ctx.issued_on:%d.%m.%Y}"
        )
    explanation = head
    if due != nominal:
        explanation += (
            f"; {format_date(nominal)} — нерабочий день, срок переносится на предыдущий "
            f"рабочий день: {format_date(due)}"
        )
    explanation += provisional_note(ctx, [due])
    return Deadline(
        kind="one_off",
        due=due,
        nominal=nominal,
        issued_on=ctx.issued_on,
        policy=ctx.policy,
        source=ctx.source,
        explanation=explanation,
        calendar=ctx.calendar,
    )


# --- terms from signing: days, weeks, months, urgency words, dates -------------------------


def _days_phrase(n: int, policy: Policy) -> str:
    kind = (
        plural(n, "рабочий", "рабочих", "рабочих")
        if policy == "working"
        else plural(n, "календарный", "календарных", "календарных")
    )
    return f"{n} {kind} {plural(n, 'день', 'дня', 'дней')}"


def _days(ctx: Context, n: int, policy: Policy, label: str) -> Deadline:
    nominal = ctx.calendar.add_days(ctx.issued_on, n, policy)
    head = (
        f"{label}{_days_phrase(n, policy)} со дня подписания ({format_date(ctx.issued_on)})"
        f" — до {format_date(nominal)}"
    )
    return _one_off(ctx, nominal, head)


def _months(ctx: Context, n: int, label: str) -> Deadline:
    nominal = add_months(ctx.issued_on, n)
    head = (
        f"{label}{n} {plural(n, 'месяц', 'месяца', 'месяцев')} со дня подписания "
        f"({format_date(ctx.issued_on)}) — до {format_date(nominal)}"
    )
    return _one_off(ctx, nominal, head)


def _weeks(ctx: Context, n: int, label: str) -> Deadline:
    nominal = ctx.issued_on + timedelta(days=7 * n)
    head = (
        f"{label}{n} {plural(n, 'неделя', 'недели', 'недель')} ({7 * n} календарных дней) "
        f"со дня подписания ({format_date(ctx.issued_on)}) — до {format_date(nominal)}"
    )
    return _one_off(ctx, nominal, head)


def _urgency(ctx: Context, word: str) -> Deadline:
    if word in ("весьма срочно", "немедленно", "в немедленном порядке"):
        return _days(ctx, VERY_URGENT_WORKING_DAYS, "working", f"«{word}»: ")
    if word in ("оперативно", "в оперативном порядке"):
        return _days(ctx, PROMPT_DAYS, ctx.policy, f"«{word}»: ")
    return _days(ctx, URGENT_DAYS, ctx.policy, f"«{word}»: ")


def _explicit(ctx: Context, m: re.Match[str]) -> Deadline:
    year_given = True
    if m.group("month"):
        day, month = int(m.group("day")), MONTH_BY_WORD[m.group("month")]
        if m.group("year"):
            year = int(m.group("year"))
        else:
            year, year_given = ctx.issued_on.year, False
    elif m.group("nday"):
        day, month, year = int(m.group("nday")), int(m.group("nmonth")), int(m.group("nyear"))
        if len(m.group("nyear")) == 2:
            year += 2000
    else:
        day, month, year = int(m.group("iday")), int(m.group("imonth")), int(m.group("iyear"))
    nominal = make_date(year, month, day)
    head = f"до {format_date(nominal)}"
    if not year_given:
        head += " (год не указан: год подписания)"
    return _one_off(ctx, nominal, head, year_given=year_given)


def _relative(ctx: Context, m: re.Match[str]) -> Deadline:
    unit, qual, raw = m.group("unit"), m.group("qual"), m.group("num")
    if raw is None:
        # «в течение месяца», «в течение недели», «в течение суток»: one, but only after a
        # preposition, and not «в течение дня» (that is «сегодня», not a term).
        if m.group("prefix") is None or qual or unit in ("дней", "дня", "день", "лет"):
            raise Refusal("не указано, сколько дней, недель или месяцев")
        n = 1
    else:
        parsed = parse_numeral(raw)
        if parsed is None:
            raise Refusal(f"не удалось прочитать число «{raw}»")
        n = parsed
    if n <= 0:
        raise Refusal("срок должен быть не меньше одного дня")
    if qual and not unit.startswith("д"):
        raise Refusal("рабочими или календарными бывают только дни")
    if unit in ("дней", "дня", "день"):
        if n > 365:
            raise Refusal("слишком большой срок в днях — укажите дату")
        policy: Policy = (
            "working" if qual and qual.startswith("раб") else "calendar" if qual else ctx.policy
        )
        return _days(ctx, n, policy, "")
    if unit == "суток":
        if n > 365:
            raise Refusal("слишком большой срок в сутках — укажите дату")
        return _days(ctx, n, "calendar", "")
    if unit.startswith("недел"):
        if n > 52:
            raise Refusal("слишком большой срок в неделях — укажите дату")
        return _weeks(ctx, n, "")
    for stem, size in (("квартал", 3), ("полугод", 6), ("год", 12), ("лет", 12)):
        if unit.startswith(stem):
            months = size
            break
    else:
        months = 1
    total = n * months
    if total > 12 * MAX_YEARS_AHEAD:
        raise Refusal("слишком большой срок — укажите дату")
    return _months(ctx, total, "")


def _compound(ctx: Context, m: re.Match[str]) -> Deadline:
    raw, unit = m.group("num"), m.group("unit")
    if raw is None:
        if unit.startswith("дн"):
            raise Refusal("не указано число дней")
        n = 1
    elif raw.endswith("-"):
        n = int(raw[:-1])
    else:
        n = COMPOUND_PREFIXES[raw]
    if n <= 0:
        raise Refusal("срок должен быть не меньше одного дня")
    label = f"в {m.group(0).removeprefix('в ').split(' срок')[0]} срок"
    if unit.startswith("дн"):
        if n > 365:
            raise Refusal("слишком большой срок в днях — укажите дату")
        return _days(ctx, n, ctx.policy, f"{label}: ")
    if unit.startswith("недел"):
        return _weeks(ctx, n, f"{label}: ")
    return _months(ctx, n, f"{label}: ")


# --- ends of periods: years, the current period, quarters, halves, months ------------------


def _year_end(ctx: Context, m: re.Match[str]) -> Deadline:
    y1 = int(m.group("y1"))
    y2 = int(m.group("y2")) if m.group("y2") else y1
    if y2 < y1:
        raise Refusal(f"годы {y1}–{y2} указаны в обратном порядке")
    check_year(ctx, y2)
    if m.group("prep") == "до конца" or m.group("prep") == "до окончания":
        head = f"до конца {y2} года"
    elif y2 != y1:
        head = f"в течение {y1}–{y2} годов"
    else:
        head = f"в течение {y1} года"
    nominal = date(y2, 12, 31)
    return _one_off(ctx, nominal, f"{head} — до {format_date(nominal)}")


def _current_end(ctx: Context, unit: str) -> Deadline:
    period = UNIT_TO_PERIOD[unit]
    _, end = period_bounds(ctx.issued_on, period)
    word = {"year": "года", "month": "месяца", "quarter": "квартала", "half_year": "полугодия"}
    head = f"до конца текущего {word[period]} (подписание {format_date(ctx.issued_on)})"
    return _one_off(ctx, end, f"{head} — до {format_date(end)}")


def _ordinal(word: str) -> int:
    if word in _ROMAN:
        return _ROMAN[word]
    if word.isdigit():
        return int(word)
    for stem, value in _ORDINAL_WORDS.items():
        if word.startswith(stem):
            return value
    raise Refusal(f"не удалось прочитать номер «{word}»")  # pragma: no cover - regex guards


def _quarter_end(ctx: Context, m: re.Match[str]) -> Deadline:
    q = _ordinal(m.group("n"))
    year_given = m.group("y") is not None
    year = int(m.group("y")) if year_given else ctx.issued_on.year
    check_year(ctx, year)
    _, end = period_bounds(date(year, 3 * q, 1), "quarter")
    head = f"{_ROMAN_OUT[q]} квартал {year} г. — до {format_date(end)}"
    if not year_given:
        head += " (год не указан: год подписания)"
    return _one_off(ctx, end, head, year_given=year_given)


def _half_end(ctx: Context, m: re.Match[str]) -> Deadline:
    h = _ordinal(m.group("n"))
    if h > 2:  # pragma: no cover - regex guards
        raise Refusal("полугодий в году два")
    year_given = m.group("y") is not None
    year = int(m.group("y")) if year_given else ctx.issued_on.year
    check_year(ctx, year)
    end = date(year, 6, 30) if h == 1 else date(year, 12, 31)
    head = f"{_ROMAN_OUT[h]} полугодие {year} г. — до {format_date(end)}"
    if not year_given:
        head += " (год не указан: год подписания)"
    return _one_off(ctx, end, head, year_given=year_given)


def _month_end(ctx: Context, m: re.Match[str]) -> Deadline:
    word, prep = m.group("m"), m.group("prep")
    # The case has to agree with the preposition: «декабрь 2026», «в декабре», «до конца декабря».
    agrees = (
        (prep is None and word in MONTHS_NOMINATIVE)
        or (prep == "в" and word in MONTHS_PREPOSITIONAL)
        or (prep in ("в течение", "до конца", "до окончания") and word in MONTHS_GENITIVE)
    )
    if not agrees:
        raise Refusal("не удалось понять, какой срок имеется в виду")
    month = MONTH_BY_WORD[word]
    year_given = m.group("y") is not None
    year = int(m.group("y")) if year_given else ctx.issued_on.year
    check_year(ctx, year)
    end = date(year, month, days_in_month(year, month))
    head = f"{MONTHS_NOMINATIVE[month - 1]} {year} г. — до {format_date(end)}"
    if not year_given:
        head += " (год не указан: год подписания)"
    return _one_off(ctx, end, head, year_given=year_given)


__all__ = ["read_one_off"]
