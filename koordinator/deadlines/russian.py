"""Russian words the deadline reader needs: month names, numerals, date formatting."""

from __future__ import annotations

from datetime import date

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTHS_PREPOSITIONAL = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)

#: Month number (1–12) by any of the forms above.
MONTH_BY_WORD: dict[str, int] = {
    word: index + 1
    for forms in (MONTHS_GENITIVE, MONTHS_NOMINATIVE, MONTHS_PREPOSITIONAL)
    for index, word in enumerate(forms)
}

#: Cardinal numerals in the genitive case («в течение десяти дней», «двух недель») and in the
#: nominative, which secretaries use in «10 (десять) дней».
_UNITS = {
    "одного": 1,
    "одной": 1,
    "двух": 2,
    "трех": 3,
    "четырех": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "восьми": 8,
    "девяти": 9,
}
_UNITS_NOMINATIVE = {
    "один": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
}
_TENS_NOMINATIVE = {
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
}
_TEENS = {
    "десяти": 10,
    "одиннадцати": 11,
    "двенадцати": 12,
    "тринадцати": 13,
    "четырнадцати": 14,
    "пятнадцати": 15,
    "шестнадцати": 16,
    "семнадцати": 17,
    "восемнадцати": 18,
    "девятнадцати": 19,
}
_TENS = {
    "двадцати": 20,
    "тридцати": 30,
    "сорока": 40,
    "пятидесяти": 50,
    "шестидесяти": 60,
    "семидесяти": 70,
    "восьмидесяти": 80,
    "девяноста": 90,
}
_SINGLE = {**_UNITS, **_TEENS, **_TENS, **_UNITS_NOMINATIVE, **_TENS_NOMINATIVE}
NUMERAL_WORDS: tuple[str, ...] = tuple(sorted(_SINGLE, key=len, reverse=True))

#: Prefixes of compound adjectives: «двухнедельный», «десятидневный», «трехмесячный».
COMPOUND_PREFIXES: dict[str, int] = {
    "одно": 1,
    "двух": 2,
    "трех": 3,
    "четырех": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "восьми": 8,
    "девяти": 9,
    "десяти": 10,
    "пятнадцати": 15,
    "двадцати": 20,
    "тридцати": 30,
    "сорока": 40,
    "шестидесяти": 60,
    "девяноста": 90,
}


def parse_numeral(text: str) -> int | None:
    """A cardinal numeral: «десяти» → 10, «двадцати пяти» → 25, «пять» → 5, «5» → 5."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    words = text.split()
    if len(words) == 1:
        return _SINGLE.get(words[0])
    if len(words) == 2:
        tens, units = words
        if tens in _TENS and units in _UNITS:
            return _TENS[tens] + _UNITS[units]
        if (
            tens in _TENS_NOMINATIVE
            and units in _UNITS_NOMINATIVE
            and _UNITS_NOMINATIVE[units] < 10
        ):
            return _TENS_NOMINATIVE[tens] + _UNITS_NOMINATIVE[units]
    return None


def format_date(d: date) -> str:
    """«1 декабря 2026 г.»"""
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def format_day_month(month: int, day: int) -> str:
    """«25 декабря»"""
    return f"{day} {MONTHS_GENITIVE[month - 1]}"


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural agreement: 1 день, 2 дня, 5 дней (the word only)."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
