"""Russian wording for the meeting documents: the genitive of a body's name, «14 человек»,
the settlement of an address, lists joined with «и», sentences ended with a full stop, whether
a post names its agency."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=512)
def genitive(name: str) -> str:
    """«Антитеррористическая комиссия в Энской области» → «антитеррористической комиссии в
    Энской области»: the words up to the head noun go to the genitive, the rest (already
    governed) stays. A name that cannot be read this way is printed as it is."""
    words = name.split()
    out: list[str] = []
    try:
        morph = _morph()
    except ImportError:  # pragma: no cover - pymorphy3 is in the lock file
        return name
    for i, word in enumerate(words):
        parses = morph.parse(word)
        nominative = next(
            (
                p
                for p in parses
                if "nomn" in p.tag and p.tag.POS in {"NOUN", "ADJF", "PRTF"} and p.is_known
            ),
            None,
        )
        if nominative is None:
            if parses and parses[0].tag.POS == "ADVB":  # «Постоянно действующее …»
                out.append(word)
                continue
            return name
        inflected = nominative.inflect({"gent"})
        if inflected is None:
            return name
        new = inflected.word
        if word.isupper() and len(word) > 1:
            new = new.upper()
        elif word[:1].isupper():
            new = new[:1].upper() + new[1:]
        out.append(new)
        if nominative.tag.POS == "NOUN":
            rest = out + words[i + 1 :]
            first = rest[0]
            # «заседания межведомственной …», but an abbreviation keeps its capitals.
            if not (first.isupper() and len(first) > 1):
                rest[0] = first[:1].lower() + first[1:]
            return " ".join(rest)
    return name


_WORD = re.compile(r"[\w-]+")


@lru_cache(maxsize=2048)
def _lemmas(text: str) -> tuple[str, ...]:
    """The words of ``text`` in their dictionary form («Управления» → «управление»)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    try:
        morph = _morph()
    except ImportError:  # pragma: no cover - pymorphy3 is in the lock file
        return tuple(words)
    return tuple(morph.parse(w)[0].normal_form for w in words)


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` mentions ``name`` in any case: «начальник Управления по вопросам миграции
    УМВД России по городу Энску» names «Управление по вопросам миграции УМВД России по городу
    Энску». A post that names its agency is printed without the agency after it."""
    if not name.strip():
        return False
    if name.casefold() in text.casefold():
        return True
    wanted, words = _lemmas(name), _lemmas(text)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def names_agency(post: str, agency: Any) -> bool:
    """Whether the post names the agency (an Organization) by its name or short name."""
    return any(mentions(post, name) for name in (agency.name, agency.short_name) if name)


def join_and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} и {parts[-1]}"


def people_count(n: int) -> str:
    """«14 человек», «22 человека»."""
    word = "человека" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "человек"
    return f"{n} {word}"


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", "…")) else f"{text}."


CITY_RE = re.compile(r"^(г\.|город\b|пгт\.?|пос\.|п\.|с\.|ст-ца|дер\.|д\.)", re.IGNORECASE)


def city_of(place: str) -> str:
    """«г. Энск, ул. Ленина, 1, зал заседаний» → «г. Энск» (the place of a protocol is the
    settlement, not the room)."""
    parts = [p.strip() for p in place.split(",") if p.strip()]
    for part in parts:
        if CITY_RE.match(part):
            return part
    return parts[0] if parts else ""
