"""One page of a long list in one query.

Django's ``Paginator`` counts the rows (one query) and then reads the page (another): on a
list whose filter is the expensive part, the database works it out twice. ``page_of`` reads
the page with the total as a window column (``COUNT(*) OVER ()``), or takes a total the caller
already knows (the register counts its rows by status anyway). Only a page number past the end
costs a second query (the count, then the last page).
"""

from __future__ import annotations

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
    number = page_number(raw)
    if count is not None:
        number = min(number, Page([], 1, count, per_page).num_pages)
        start = (number - 1) * per_page
        return Page(list(qs[start : start + per_page]), number, count, per_page)
    start = (number - 1) * per_page
    rows = list(qs.annotate(**{TOTAL: Window(Count("*"))})[start : start + per_page])
    if rows:
        first = rows[0]
        total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
        return Page(rows, number, total, per_page)
    if number == 1:
        return Page([], 1, 0, per_page)
    return page_of(qs, raw, per_page, count=qs.count())
