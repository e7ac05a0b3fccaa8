"""Links for the rows of a list, without a ``reverse()`` per row.

``{% url %}`` in a loop resolves the route again for every row (tens of microseconds each, a
millisecond on a page of 30 rows); a list reverses each route once and formats the id in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_MARK = 9_876_543_210_123


def link_by_id(name: str) -> Callable[[object], str]:
    """The URL of the route ``name`` (one integer argument) for any id: ``link(7)``."""
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return lambda pk: f"{head}{int(pk)}{tail}"  # type: ignore[call-overload]
