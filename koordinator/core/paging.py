"""One page of a long list in one query.

Django's ``Paginator`` counts the rows (one query) and then reads the page (another): on a
list whose filter is the expensive part, the database works it out twice. ``page_of`` reads
the page with the total as a window column (``COUNT(*) OVER ()``), or takes a total the caller
already knows (the register counts its rows by status anyway). Only a page number past the end
costs more (the first page for the total, then the last page). ``page_from`` does the same for
rows read by a function, such as a query compiled once with its slice (``core.compiled``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"


@dataclass
class Page:
    rows: list[Any]
    number: int
    count: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def page_number(raw: object) -> int:
    """The requested page: a positive number; anything else is the first page."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else 1


def page_of(
    qs: QuerySet[Any, Any], raw: object, per_page: int, *, count: int | None = None
) -> Page:
    """Page ``raw`` (a query parameter) of ``qs``, which must be ordered. Pass ``count`` when
    the total is known; otherwise it comes with the rows. Rows of a ``values()`` queryset
    carry an extra ``page_total`` key."""

    def fetch(start: int) -> list[Any]:
        rows = qs if count is not None else with_total(qs)
        return list(rows[start : start + per_page])

    return page_from(fetch, raw, per_page, count=count)


def with_total(qs: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """``qs`` with the number of all its rows on each row (``page_total``)."""
    return qs.annotate(**{TOTAL: Window(Count("*"))})


def page_from(
    fetch: Callable[[int], list[Any]], raw: object, per_page: int, *, count: int | None = None
) -> Page:
    """``page_of`` for rows read by ``fetch(start)``: ``per_page`` rows from ``start``, with
    ``page_total`` (see ``with_total``) unless ``count`` is given. For a query compiled once
    (``core.compiled``), whose slice is part of its build."""
    number = page_number(raw)
    if count is not None:
        number = min(number, Page([], 1, count, per_page).num_pages)
        return Page(fetch((number - 1) * per_page), number, count, per_page)
    rows = fetch((number - 1) * per_page)
    if rows:
        return Page(rows, number, _total(rows[0]), per_page)
    if number == 1:
        return Page([], 1, 0, per_page)
    # Past the end: the first page says how many there are, then the last page.
    first = fetch(0)
    return page_from(fetch, raw, per_page, count=_total(first[0]) if first else 0)


def _total(row: Any) -> int:
    return int(row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL))
