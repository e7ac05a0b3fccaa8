"""Comparing what people type: case, spacing and «ё» do not matter."""


def fold(value: object) -> str:
    """«  Семёнова  АННА » → «семенова анна». SQLite folds only Latin letters, so names are
    compared through this in Python or stored folded (``Person.name_key``)."""
    return " ".join(str(value).split()).casefold().replace("ё", "е")
