"""The text as the reader sees it: ``normalise`` folds case, «ё», dashes, quotes, «г.»/«года»,
«включительно», the «Срок:» label, «5-го», «10 (десяти)» and punctuation away, so that the forms in
``one_off`` and ``recurring`` need to match only one spelling.
"""

from __future__ import annotations

import re
import unicodedata

from .reader import Refusal
from .russian import parse_numeral

_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
_LOOKALIKES = {ord("і"): "i"}  # a Cyrillic «і» typed in a Roman numeral
_QUOTES = re.compile(r"[«»\"“”„'`‘’]")
_LABEL = re.compile(r"^сроки?(?: [а-я]+){0,3} ?[:-] ?")
_PAREN_NUMERAL = re.compile(r"(\d{1,3}) ?\( ?([а-я]+(?: [а-я]+)?) ?\)")
_INCLUSIVE = re.compile(r"\(? ?включительно ?\)?")
_YEAR_RANGE = re.compile(
    r"(\d{4}) ?- ?(\d{4}) ?(?:гг\.?|г\. ?г\.?|годов|годах|годы|года|год|г\.?)?(?![а-я])"
)
_YEAR_WORD = re.compile(r"(\d{4}) ?(?:г\.?|года|году|год)(?![а-я])")
_SHORT_YEAR_WORD = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{2}) ?г\.?(?![а-я])")
_COMPOUND_DIGITS = re.compile(r"(\d{1,3}) ?-? ?(?:ти|х|ех|и)? ?-? ?(?=дневн|недельн|месячн)")
_ORDINAL = re.compile(r"(\d) ?- ?(?:го|ого|е|ое|м|ом|й|ый|ой)(?![а-я])")
_PUNCTUATION = re.compile(r"[,;:!?()\[\]/\\]")
_LONE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_LONE_DASH = re.compile(r"(?<!\w)-|-(?!\w)")


def trim(text: str) -> str:
    return " ".join(text.split()).strip(" «»\"“”„'")


def normalise(text: str) -> str:
    """The text as the reader sees it: lower case, «е» for «ё», plain dashes and spaces, no quotes,
    no «г.»/«года» after a year, no «включительно», no «Срок:» label, no punctuation around it.

    Raises ``ValueError`` when a number and its spelling in brackets disagree («10 (пяти)»)."""
    s = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    s = s.translate(_DASHES).translate(_LOOKALIKES)
    s = _QUOTES.sub(" ", s)
    s = " ".join(s.split())
    s = _LABEL.sub("", s)
    s = _INCLUSIVE.sub(" ", s)

    def check_spelling(m: re.Match[str]) -> str:
        spelled = parse_numeral(m.group(2))
        if spelled is None:
            return m.group(0)
        if spelled != int(m.group(1)):
            raise Refusal(f"число {m.group(1)} расходится с прописью «{m.group(2)}»")
        return m.group(1)

    s = _PAREN_NUMERAL.sub(check_spelling, s)
    s = _YEAR_RANGE.sub(r"\1-\2", s)
    s = _YEAR_WORD.sub(r"\1", s)
    s = _SHORT_YEAR_WORD.sub(r"\1", s)
    s = _COMPOUND_DIGITS.sub(r"\1-", s)
    s = _ORDINAL.sub(r"\1", s)
    s = _PUNCTUATION.sub(" ", s)
    s = _LONE_DOT.sub(" ", s)
    s = _LONE_DASH.sub(" ", s)
    return " ".join(s.split())


__all__ = ["normalise", "trim"]
