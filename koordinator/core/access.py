"""The shape every access helper follows: fetch through ``visible_to`` (404 when the user may
not see the object), then check the change right (403 when they may see but not change it)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from koordinator.core.compiled import BIGINT, Compiled

M = TypeVar("M", bound=models.Model)


HIDDEN = "Не найдено или нет доступа."


def fetch_visible(queryset: models.QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(HIDDEN) from None


def fetch_compiled(compiled: Compiled[models.QuerySet[M]], pk: object) -> M:
    """``fetch_visible`` for a query compiled once (``core.compiled``) that takes ``pk``: the
    object pages read on every request (a body, a meeting) without building the query anew."""
    try:
        number = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404(HIDDEN) from None
    found: M | None = compiled.first(pk=number) if number in BIGINT else None
    if found is None:
        raise Http404(HIDDEN)
    return found


def hide_unless(visible: bool) -> None:
    """404, as for an object that does not exist, when the user may not see it."""
    if not visible:
        raise Http404(HIDDEN)


def require(allowed: bool, message: str = "Недостаточно прав для этого действия.") -> None:
    if not allowed:
        raise PermissionDenied(message)
