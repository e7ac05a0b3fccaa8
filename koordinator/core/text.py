"""Comparing what people type: case, spacing and «ё» do not matter."""


def fold(value: object) -> str:
    """«  Семёнова  АННА » → «семенова анна». SQLite folds only Latin letters, so names are
    compared through this in Python or stored folded (``Person.name_key``)."""
    return " ".join(str(value).split()).casefold().replace("ё", "е")


def truncate(value: str | None, limit: int) -> str:
    """Like the ``truncatechars`` filter (at most ``limit`` characters, «…» included), in
    Python for lists whose rows are prepared in the view."""
    text = value or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
