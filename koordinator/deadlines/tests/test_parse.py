"""Reading deadlines: a table of phrases as secretaries write them, and the due dates they mean.

Signing date is Tuesday 10 March 2026 unless a row says otherwise. Calendar facts the rows rely
on: 2026 — 1–11 January, 23 February, 9 March (for Sunday 8 March), 1 May, 11 May (for Saturday
9 May), 12 June, 4 November and 31 December (transferred) are days off; 2025 — Saturday 1 November
is a working day, 3–4 November are days off; 2024 — Saturday 27 April is a working day, 29–30
April are days off; 2027 — 1–10 January, Saturday 20 February works, 22 February and
31 December are days off.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koordinator.deadlines import (
    Deadline,
    FixedDates,
    MonthDay,
    Policy,
    Unreadable,
    add_working_days,
    is_working_day,
    normalise,
    parse,
    previous_working_day,
    to_dict,
)
from koordinator.deadlines.russian import MONTHS_GENITIVE

SIGNED = date(2026, 3, 10)  # a Tuesday
D = date


@dataclass(frozen=True)
class Once:
    due: date
    nominal: date | None = None  # when the nominal date differs (moved to a working day)


@dataclass(frozen=True)
class Every:
    period: str
    dues: tuple[date, ...]  # the first due dates (as many as given)
    ends: date | None = None
    limit: int = 4


@dataclass(frozen=True)
class Refused:
    fragment: str


Expected = Once | Every | Refused


@dataclass(frozen=True)
class Row:
    text: str
    expected: Expected
    signed: date = SIGNED
    policy: Policy = "calendar"


Q_2026 = (D(2026, 4, 10), D(2026, 7, 10), D(2026, 10, 9), D(2026, 12, 30))
YEARLY_20_JAN = (D(2027, 1, 20), D(2028, 1, 20), D(2029, 1, 19), D(2030, 1, 18))
Q_2026_2027 = (
    *Q_2026,
    D(2027, 4, 9),  # 10 April 2027 is a Saturday
    D(2027, 7, 9),  # 10 July 2027 is a Saturday
    D(2027, 10, 8),  # 10 October 2027 is a Sunday
    D(2028, 1, 10),  # the report for Q4 2027
)
GENERIC = "Не удалось распознать срок"

ROWS: list[Row] = [
    # --- explicit dates, every common form ---
    Row("до 1 декабря 2026 г.", Once(D(2026, 12, 1))),
    Row("в срок до 01.12.2026", Once(D(2026, 12, 1))),
    Row("Срок: 1 декабря 2026 года", Once(D(2026, 12, 1))),
    Row("«До 1 декабря 2026 г.»", Once(D(2026, 12, 1))),
    Row("ДО 1 ДЕКАБРЯ 2026 Г.", Once(D(2026, 12, 1))),
    Row("не позднее 01.12.26", Once(D(2026, 12, 1))),
    Row("Срок исполнения – до 01.12.2026 г.", Once(D(2026, 12, 1))),
    Row("до 1.12.2026.", Once(D(2026, 12, 1))),
    Row("к 1 декабря 2026г.", Once(D(2026, 12, 1))),
    Row("до 1 декабря 2026 года (включительно)", Once(D(2026, 12, 1))),
    Row("до 1-го декабря 2026 года", Once(D(2026, 12, 1))),
    Row("в срок не позднее 1 декабря 2026 г.;", Once(D(2026, 12, 1))),
    Row("2026-12-01", Once(D(2026, 12, 1))),
    Row("до 1 декабря", Once(D(2026, 12, 1))),  # no year: the year of signing
    # --- a due date on a day off moves to the previous working day ---
    Row("до 1 мая 2026 г.", Once(D(2026, 4, 30), nominal=D(2026, 5, 1))),
    Row("до 4 ноября 2026 г.", Once(D(2026, 11, 3), nominal=D(2026, 11, 4))),
    Row("до 15 марта 2026 г.", Once(D(2026, 3, 13), nominal=D(2026, 3, 15))),  # a Sunday
    Row("до 9 марта 2026 г.", Once(D(2026, 3, 6)), signed=D(2026, 3, 2)),  # for 8 March
    Row("до 8 января 2027 г.", Once(D(2026, 12, 30))),  # New Year holidays, then 31.12.2026
    Row("до 11 января 2027 г.", Once(D(2027, 1, 11))),  # the first working day of 2027
    # --- moved days off (government transfers) ---
    Row("до 09.01.2026", Once(D(2025, 12, 30)), signed=D(2025, 12, 1)),
    Row("до 1 ноября 2025 г.", Once(D(2025, 11, 1)), signed=D(2025, 10, 1)),  # working Saturday
    Row("до 3 ноября 2025 г.", Once(D(2025, 11, 1)), signed=D(2025, 10, 1)),
    Row("до 30 апреля 2024 г.", Once(D(2024, 4, 27)), signed=D(2024, 4, 1)),
    Row("до 22 февраля 2027 г.", Once(D(2027, 2, 20)), signed=D(2027, 2, 1)),
    # --- impossible dates, dates before signing, implausible years ---
    Row("до 31 февраля 2026 г.", Refused("такой даты нет")),
    Row("31.04.2026", Refused("такой даты нет")),
    Row("до 01.13.2026", Refused("такой даты нет")),
    Row("до 1 марта 2026 г.", Refused("раньше даты подписания 10.03.2026")),
    Row("до 15 января", Refused("укажите")),
    Row("до 1 декабря 2126 г.", Refused("проверьте год")),
    # --- no deadline: one month from signing, month-end rule ---
    Row("", Once(D(2026, 4, 10))),
    Row("   ", Once(D(2025, 2, 28)), signed=D(2025, 1, 31)),
    Row("—", Once(D(2026, 4, 30)), signed=D(2026, 3, 31)),
    Row("Срок:", Once(D(2026, 2, 27), nominal=D(2026, 2, 28)), signed=D(2026, 1, 31)),
    Row("срок не указан", Once(D(2028, 2, 29)), signed=D(2028, 1, 31)),
    # --- urgency words ---
    Row("срочно", Once(D(2026, 3, 13))),
    Row("Незамедлительно!", Once(D(2026, 3, 13))),
    Row("в срочном порядке", Once(D(2026, 3, 13))),
    Row("срочно", Once(D(2026, 3, 13), nominal=D(2026, 3, 15)), signed=D(2026, 3, 12)),
    Row("срочно", Once(D(2026, 3, 17)), signed=D(2026, 3, 12), policy="working"),
    Row("срочно", Once(D(2026, 5, 5)), signed=D(2026, 4, 29), policy="working"),
    Row("срочно", Once(D(2026, 4, 30)), signed=D(2026, 4, 29)),
    Row("оперативно", Once(D(2026, 3, 20))),
    Row("оперативно", Once(D(2026, 3, 24)), policy="working"),
    Row("весьма срочно", Once(D(2026, 3, 11))),
    Row("немедленно", Once(D(2026, 3, 10)), signed=D(2026, 3, 6)),  # over 7–9 March
    Row("Весьма срочно", Once(D(2027, 1, 11)), signed=D(2026, 12, 30)),
    # --- relative terms ---
    Row("в течение 10 рабочих дней", Once(D(2026, 3, 24))),
    Row("в течение 10 (десяти) рабочих дней со дня подписания протокола", Once(D(2026, 3, 24))),
    Row("в течение 10 (пяти) дней", Refused("расходится с прописью")),
    Row("в течение 10 дней", Once(D(2026, 3, 20))),
    Row("в течение 10 дней", Once(D(2026, 3, 24)), policy="working"),
    Row("в течение 10 календарных дней", Once(D(2026, 3, 20)), policy="working"),
    Row("в течение десяти дней", Once(D(2026, 3, 20))),
    Row("в течение двадцати пяти дней", Once(D(2026, 4, 3), nominal=D(2026, 4, 4))),
    Row("в течение 5 рабочих дней", Once(D(2026, 5, 7)), signed=D(2026, 4, 29)),
    Row("в срок не позднее 10 рабочих дней", Once(D(2026, 3, 24))),
    Row("в двухнедельный срок", Once(D(2026, 3, 24))),
    Row("в двухнедельный срок", Once(D(2026, 3, 24)), policy="working"),  # weeks are calendar
    Row("в месячный срок", Once(D(2026, 4, 10))),
    Row("в недельный срок", Once(D(2026, 3, 17))),
    Row("в трёхдневный срок", Once(D(2026, 3, 13))),
    Row("в 3-х дневный срок", Once(D(2026, 3, 13))),
    Row("в 10-дневный срок", Once(D(2026, 3, 20))),
    Row("в течение месяца", Once(D(2026, 2, 27), nominal=D(2026, 2, 28)), signed=D(2026, 1, 31)),
    Row("в течение двух месяцев", Once(D(2026, 5, 8), nominal=D(2026, 5, 10))),
    Row("в течение 2 недель", Once(D(2026, 3, 24))),
    Row("в течение дня", Refused("не указано")),
    Row("в течение 0 дней", Refused("не меньше одного дня")),
    Row("в течение 10 дней со дня получения протокола", Refused("даты получения")),
    # --- ends of years, quarters, half-years, months ---
    Row("в течение 2026 года", Once(D(2026, 12, 30), nominal=D(2026, 12, 31))),
    Row("до конца года", Once(D(2026, 12, 30))),
    Row("до конца 2027 года", Once(D(2027, 12, 30))),
    Row("в течение 2026–2027 годов", Once(D(2027, 12, 30))),
    Row("IV квартал 2026 г.", Once(D(2026, 12, 30), nominal=D(2026, 12, 31))),
    Row("в IV квартале 2026 года", Once(D(2026, 12, 30))),
    Row("до конца III квартала 2026 г.", Once(D(2026, 9, 30))),
    Row("во 2 квартале 2026 г.", Once(D(2026, 6, 30))),
    Row("в первом квартале 2026 года", Once(D(2026, 3, 31))),
    Row("II квартал", Once(D(2026, 6, 30))),
    Row("в I квартале 2025 г.", Refused("раньше даты подписания")),
    Row("в I полугодии 2027 г.", Once(D(2027, 6, 30))),
    Row("в декабре 2026 года", Once(D(2026, 12, 30))),
    Row("до конца квартала", Once(D(2026, 3, 31))),
    Row("в течение 2027-2026 годов", Refused("в обратном порядке")),
    # --- periodic ---
    Row("ежемесячно", Every("month", (D(2026, 4, 10), D(2026, 5, 8), D(2026, 6, 10)))),
    Row("ежеквартально", Every("quarter", Q_2026)),
    Row("1 раз в квартал", Every("quarter", Q_2026)),
    Row("ежеквартально в срок до 10 числа", Every("quarter", Q_2026)),
    Row(
        "ежеквартально, до 10-го числа месяца, следующего за отчётным периодом",
        Every("quarter", Q_2026),
    ),
    Row(
        "ежемесячно до 5 числа",
        Every("month", (D(2026, 4, 3), D(2026, 5, 5), D(2026, 6, 5), D(2026, 7, 3))),
    ),
    Row(
        "ежемесячно, до 10 числа месяца, следующего за отчётным",
        Every("month", (D(2026, 4, 10), D(2026, 5, 8), D(2026, 6, 10), D(2026, 7, 10))),
    ),
    Row(
        "ежеквартально до 5 числа месяца, следующего за отчётным",
        Every("quarter", (D(2026, 4, 3), D(2026, 7, 3), D(2026, 10, 5), D(2026, 12, 30))),
    ),
    Row(
        "Ежеквартально до 5 числа месяца, следующего за отчётным кварталом.",
        Every("quarter", (D(2026, 4, 3), D(2026, 7, 3), D(2026, 10, 5), D(2026, 12, 30))),
    ),
    Row(
        "ежемесячно до 10-го числа каждого месяца",
        Every("month", (D(2026, 4, 10), D(2026, 5, 8), D(2026, 6, 10), D(2026, 7, 10))),
    ),
    Row("ежеквартально до 10 числа каждого месяца", Refused("только к ежемесячному")),
    Row(
        "ежеквартально до 20 числа последнего месяца квартала",
        Every("quarter", (D(2026, 3, 20), D(2026, 6, 19), D(2026, 9, 18), D(2026, 12, 18))),
    ),
    Row(
        "ежемесячно до 31 числа",
        Every("month", (D(2026, 4, 30), D(2026, 5, 29), D(2026, 6, 30), D(2026, 7, 31))),
    ),
    Row(
        "раз в полугодие",
        Every("half_year", (D(2026, 7, 10), D(2026, 12, 30), D(2027, 7, 9), D(2028, 1, 10))),
    ),
    Row("2 раза в год", Every("half_year", (D(2026, 7, 10), D(2026, 12, 30)))),
    Row(
        "раз в полугодие до 25 июня и 25 декабря",
        Every("half_year", (D(2026, 6, 25), D(2026, 12, 25), D(2027, 6, 25), D(2027, 12, 24))),
    ),
    Row("ежегодно", Every("year", YEARLY_20_JAN)),
    Row("ежегодно, до 20 января года, следующего за отчётным", Every("year", YEARLY_20_JAN)),
    Row("ежегодно до 20 января следующего года", Every("year", YEARLY_20_JAN)),
    Row(
        "ежегодно до 25 декабря",
        Every("year", (D(2026, 12, 25), D(2027, 12, 24), D(2028, 12, 25), D(2029, 12, 25))),
    ),
    Row(
        "ежегодно до 25.12",
        Every("year", (D(2027, 12, 24), D(2028, 12, 25))),
        signed=D(2026, 12, 26),
    ),
    Row(
        "ежеквартально до 25 марта, 25 июня, 25 сентября и 25 декабря",
        Every("quarter", (D(2026, 3, 25), D(2026, 6, 25), D(2026, 9, 25), D(2026, 12, 25))),
    ),
    Row("постоянно", Every("year", YEARLY_20_JAN)),
    Row("Срок: постоянно.", Every("year", YEARLY_20_JAN)),
    Row("постоянно, с докладом ежеквартально", Every("quarter", Q_2026)),
    Row(
        "постоянно, с ежеквартальным докладом до 5 числа месяца, следующего за отчётным",
        Every("quarter", (D(2026, 4, 3), D(2026, 7, 3))),
    ),
    # --- periodic with an end ---
    Row(
        "ежеквартально в течение 2026–2027 годов",
        Every("quarter", Q_2026_2027, ends=D(2027, 12, 31), limit=20),
    ),
    Row(
        "ежеквартально до 10 числа месяца, следующего за отчетным, в 2026 - 2027 гг.",
        Every("quarter", Q_2026_2027, ends=D(2027, 12, 31), limit=20),
    ),
    Row("в течение 2026 года ежеквартально", Every("quarter", Q_2026, D(2026, 12, 31), limit=20)),
    Row(
        "ежеквартально до 10 числа до конца 2027 года",
        Every("quarter", Q_2026_2027, ends=D(2027, 12, 31), limit=20),
    ),
    Row(
        "ежеквартально в течение 2027 года",
        Every(
            "quarter",
            (D(2027, 4, 9), D(2027, 7, 9), D(2027, 10, 8), D(2028, 1, 10)),
            D(2027, 12, 31),
            limit=20,
        ),
    ),
    Row(
        "ежемесячно до 5 числа в течение текущего года",
        Every("month", (D(2026, 4, 3), D(2026, 5, 5)), ends=D(2026, 12, 31)),
    ),
    # --- periodic that cannot be read ---
    Row(
        "ежемесячно до 5 числа месяца, следующего за отчётным кварталом",
        Refused("не совпадает с периодичностью"),
    ),
    Row("еженедельно", Refused("не поддерживается")),
    Row("до 10 числа", Refused("не указана периодичность")),
    Row("ежегодно до 29 февраля", Refused("не каждый год")),
    Row("ежегодно до 31 июня", Refused("такой даты нет")),
    Row("ежемесячно до 32 числа", Refused("числа не бывает")),
    Row("ежеквартально в течение 2025 года", Refused("закончился до подписания")),
    Row("ежеквартально до 25 марта и 25 июня", Refused("ровно одна дата")),
    Row("ежемесячно и ежеквартально", Refused("несколько разных периодичностей")),
    Row("ежегодно до 25 декабря в 2026 году", Refused("не осталось"), signed=D(2026, 12, 26)),
    # --- leftovers: refused, never guessed ---
    Row("до 1 декабря 2026 г., далее ежеквартально", Refused(GENERIC)),
    Row("ежегодно до 25 декабря 2026 г.", Refused(GENERIC)),
    Row("в течение 10 дней ежеквартально", Refused(GENERIC)),
    Row("до 2027 года", Refused(GENERIC)),
    Row("по возможности", Refused(GENERIC)),
    Row("в кратчайшие сроки", Refused(GENERIC)),
    Row("до 1 декабря 2026 г. по пункту 3", Refused(GENERIC)),
]


def _id(row: Row) -> str:
    return f"{row.text or '<empty>'}|{row.signed:%d.%m.%Y}|{row.policy}"


def test_the_table_is_long_enough() -> None:
    assert len(ROWS) >= 60


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_phrase(row: Row) -> None:
    result = parse(row.text, issued_on=row.signed, policy=row.policy)
    expected = row.expected
    if isinstance(expected, Refused):
        assert isinstance(result, Unreadable), result
        assert expected.fragment in result.reason
        assert result.reason.startswith("Не удалось")
        return
    assert isinstance(result, Deadline), result
    assert result.explanation
    assert is_working_day(result.due)
    assert result.due >= row.signed
    if isinstance(expected, Once):
        assert result.kind == "one_off"
        assert result.due == expected.due
        assert result.due_dates() == [expected.due]
        if expected.nominal is not None:
            assert result.nominal == expected.nominal
        assert result.due == previous_working_day(result.nominal)
    else:
        assert result.kind == "recurring"
        assert result.period == expected.period
        assert result.ends == expected.ends
        dues = result.due_dates(limit=expected.limit)
        assert dues[: len(expected.dues)] == list(expected.dues)
        if expected.limit > 4:  # a bounded recurrence: all of its due dates
            assert dues == list(expected.dues)
        assert result.due == dues[0]


# --- details that the table does not show ------------------------------------------------


def test_recurring_spec() -> None:
    result = parse(
        "ежеквартально до 5 числа месяца, следующего за отчётным кварталом",
        issued_on=SIGNED,
        policy="calendar",
    )
    assert isinstance(result, Deadline)
    assert result.rule == MonthDay(day=5, month_offset=1)
    assert result.starts == D(2026, 1, 1)
    assert result.ends is None
    assert result.explanation.startswith(
        "ежеквартально, до 5 числа месяца, следующего за отчётным кварталом"
    )
    points = result.control_points(limit=2)
    assert points[0].period_start == D(2026, 1, 1)
    assert points[0].period_end == D(2026, 3, 31)
    assert points[0].nominal == D(2026, 4, 5)
    assert points[0].due == D(2026, 4, 3)


def test_default_day_is_named_in_the_explanation() -> None:
    result = parse("ежеквартально", issued_on=SIGNED, policy="calendar")
    assert isinstance(result, Deadline)
    assert result.explanation.startswith(
        "ежеквартально, до 10 числа месяца, следующего за отчётным кварталом (день не указан"
    )
    permanent = parse("постоянно", issued_on=SIGNED, policy="working")
    assert isinstance(permanent, Deadline)
    assert permanent.rule == MonthDay(day=20, month_offset=1)
    assert permanent.ends is None
    assert "постоянно" in permanent.explanation


def test_fixed_dates_spec() -> None:
    result = parse("ежегодно до 25 декабря", issued_on=SIGNED, policy="calendar")
    assert isinstance(result, Deadline)
    assert result.rule == FixedDates(((12, 25),))
    assert result.explanation.startswith("ежегодно, до 25 декабря")


def test_due_dates_after_a_given_date() -> None:
    result = parse("ежемесячно до 5 числа", issued_on=SIGNED, policy="calendar")
    assert isinstance(result, Deadline)
    assert result.due_dates(2, after=D(2026, 6, 5)) == [D(2026, 7, 3), D(2026, 8, 5)]
    assert result.due_dates(0) == []
    once = parse("до 1 декабря 2026 г.", issued_on=SIGNED, policy="calendar")
    assert isinstance(once, Deadline)
    assert once.due_dates(after=D(2026, 12, 1)) == []
    assert once.due_dates(after=D(2026, 11, 30)) == [D(2026, 12, 1)]


def test_the_reason_quotes_the_text_as_written() -> None:
    result = parse("до 31 февраля 2026 г.", issued_on=SIGNED, policy="calendar")
    assert result == Unreadable(
        reason="Не удалось прочитать срок «до 31 февраля 2026 г.»: такой даты нет",
        source="до 31 февраля 2026 г.",
    )
    generic = parse("как можно скорее", issued_on=SIGNED, policy="calendar")
    assert isinstance(generic, Unreadable)
    assert generic.reason == (
        "Не удалось распознать срок: «как можно скорее». Укажите дату (например, «до 1 декабря "
        "2026 г.») или период («ежеквартально до 10 числа»)"
    )


def test_source_is_the_normalised_phrase() -> None:
    result = parse("  Срок: «До 1 декабря 2026 г.»  ", issued_on=SIGNED, policy="calendar")
    assert isinstance(result, Deadline)
    assert result.source == "до 1 декабря 2026"


def test_explanations_show_the_move_to_a_working_day() -> None:
    result = parse("до 1 мая 2026 г.", issued_on=SIGNED, policy="calendar")
    assert isinstance(result, Deadline)
    assert result.explanation == (
        "до 1 мая 2026 г.; 1 мая 2026 г. — нерабочий день, срок переносится на предыдущий "
        "рабочий день: 30 апреля 2026 г."
    )


def test_a_provisional_calendar_is_said_out_loud() -> None:
    result = parse("до 1 декабря 2028 г.", issued_on=SIGNED, policy="calendar")
    assert isinstance(result, Deadline)
    assert "ещё не утверждён" in result.explanation
    settled = parse("до 1 декабря 2027 г.", issued_on=SIGNED, policy="calendar")
    assert isinstance(settled, Deadline)
    assert "утверждён" not in settled.explanation


def test_normalise() -> None:
    assert normalise("  Срок исполнения: «Ежеквартально, до 5-го числа» ") == (
        "ежеквартально до 5 числа"
    )
    assert normalise("в течение 2026–2027 гг.") == "в течение 2026-2027"
    assert normalise("в 3-х дневный срок") == "в 3-дневный срок"
    with pytest.raises(ValueError, match="расходится"):
        normalise("10 (пяти) дней")


def test_a_signing_date_at_the_edge_of_the_calendar_is_refused_not_crashed() -> None:
    result = parse("срочно", issued_on=date.max - timedelta(days=1), policy="working")
    assert isinstance(result, Unreadable)


def test_unknown_policy_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="policy"):
        parse("срочно", issued_on=SIGNED, policy="lunar")  # type: ignore[arg-type]


def test_to_dict_is_json() -> None:
    recurring = to_dict(
        parse("ежеквартально в течение 2026 года", issued_on=SIGNED, policy="working")
    )
    assert json.loads(json.dumps(recurring, ensure_ascii=False)) == recurring
    assert recurring["ok"] is True
    assert recurring["kind"] == "recurring"
    assert recurring["period"] == "quarter"
    assert recurring["due"] == "2026-04-10"
    assert recurring["due_dates"] == ["2026-04-10", "2026-07-10", "2026-10-09", "2026-12-30"]
    assert recurring["ends"] == "2026-12-31"
    assert recurring["starts"] == "2026-01-01"
    assert recurring["rule"] == {"type": "month_day", "day": 10, "month_offset": 1}
    assert recurring["policy"] == "working"
    assert recurring["reason"] is None

    fixed = to_dict(parse("ежегодно до 25 декабря", issued_on=SIGNED, policy="calendar"))
    assert fixed["rule"] == {"type": "fixed_dates", "dates": ["--12-25"]}

    once = to_dict(parse("срочно", issued_on=SIGNED, policy="calendar"))
    assert once["kind"] == "one_off"
    assert once["due_dates"] == ["2026-03-13"]
    assert once["period"] is None

    assert recurring["provisional_years"] == []
    yearly = to_dict(parse("ежегодно", issued_on=SIGNED, policy="calendar"))
    assert yearly["due_dates"] == ["2027-01-20", "2028-01-20", "2029-01-19", "2030-01-18"]
    assert yearly["provisional_years"] == [2028, 2029, 2030]

    refused = to_dict(parse("до 31.04.2026", issued_on=SIGNED, policy="calendar"))
    assert refused["ok"] is False
    assert refused["kind"] == "unreadable"
    assert "такой даты нет" in refused["reason"]
    assert refused["due_dates"] == []
    assert set(refused) == set(recurring)


# --- properties ----------------------------------------------------------------------------

fast = settings(database=None, deadline=None, max_examples=60)
signing_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
policies = st.sampled_from(["calendar", "working"])


@fast
@given(signing_dates, st.integers(min_value=1, max_value=365))
def test_working_days_phrase_matches_the_calendar(signed: date, n: int) -> None:
    result = parse(f"в течение {n} рабочих дней", issued_on=signed, policy="calendar")
    assert isinstance(result, Deadline)
    assert result.due == add_working_days(signed, n)


@fast
@given(signing_dates, st.integers(min_value=1, max_value=365))
def test_calendar_days_phrase_moves_back_to_a_working_day(signed: date, n: int) -> None:
    result = parse(f"в течение {n} календарных дней", issued_on=signed, policy="working")
    target = signed + timedelta(days=n)
    if previous_working_day(target) < signed:
        assert isinstance(result, Unreadable)  # signed on a day off, the term ends before it
    else:
        assert isinstance(result, Deadline)
        assert result.due == previous_working_day(target)
        assert result.nominal == target


@fast
@given(signing_dates, signing_dates)
def test_explicit_dates_in_both_spellings_agree(signed: date, target: date) -> None:
    months = MONTHS_GENITIVE
    textual = parse(
        f"до {target.day} {months[target.month - 1]} {target.year} г.",
        issued_on=signed,
        policy="calendar",
    )
    dotted = parse(f"в срок до {target:%d.%m.%Y}", issued_on=signed, policy="working")
    if target < signed:
        assert isinstance(textual, Unreadable) and isinstance(dotted, Unreadable)
        assert "раньше даты подписания" in textual.reason
    elif previous_working_day(target) < signed:  # signed on a day off, due on the same stretch
        assert isinstance(textual, Unreadable) and isinstance(dotted, Unreadable)
        assert "приходится на нерабочий день" in textual.reason
    else:
        assert isinstance(textual, Deadline) and isinstance(dotted, Deadline)
        assert textual.due == dotted.due == previous_working_day(target)


@fast
@given(
    signing_dates,
    policies,
    st.sampled_from(["ежемесячно", "ежеквартально", "раз в полугодие", "ежегодно", "постоянно"]),
)
def test_recurring_due_dates_are_increasing_working_days(
    signed: date, policy: Policy, cadence: str
) -> None:
    result = parse(cadence, issued_on=signed, policy=policy)
    assert isinstance(result, Deadline)
    dues = result.due_dates(limit=6)
    assert len(dues) == 6
    assert all(is_working_day(d) for d in dues)
    assert all(a < b for a, b in itertools.pairwise(dues))
    assert dues[0] > signed


@fast
@given(st.text(max_size=60), signing_dates, policies)
def test_any_text_gives_a_deadline_or_a_reason(text: str, signed: date, policy: Policy) -> None:
    result = parse(text, issued_on=signed, policy=policy)
    if isinstance(result, Unreadable):
        assert result.reason.startswith("Не удалось")
    else:
        assert is_working_day(result.due)
        assert result.due >= signed
        json.dumps(to_dict(result))


WORDS = (
    "до не позднее в течение срок срочно ежемесячно ежеквартально ежегодно постоянно числа "
    "месяца следующего за отчетным кварталом года рабочих дней недель 1 5 10 20 31 2026 2027 "
    "декабря января iv квартале полугодии , . - г. с докладом"
)
words = st.sampled_from(WORDS.split(" "))


@fast
@given(st.lists(words, max_size=8), signing_dates, policies)
def test_word_salad_never_crashes(parts: list[str], signed: date, policy: Policy) -> None:
    result = parse(" ".join(parts), issued_on=signed, policy=policy)
    assert isinstance(result, Deadline | Unreadable)
    if isinstance(result, Deadline):
        assert is_working_day(result.due)
        assert result.due >= signed
