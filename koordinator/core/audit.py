"""Recording state changes. Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import chain
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from koordinator.core.models import AuditRecord

if TYPE_CHECKING:
    from koordinator.accounts.models import User
    from koordinator.bodies.models import Body


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-able values of ``fields`` on ``obj`` (foreign keys as their ids)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    body: Body | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ground: str = "",
) -> AuditRecord:
    """Write one audit record. Must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the change's transaction")
    return AuditRecord.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:500],
        body=body,
        before=before,
        after=after,
        ground=ground[:500],
    )


def with_names(records: Iterable[AuditRecord]) -> list[AuditRecord]:
    """Attach the names of the objects the records' foreign keys point to, so that
    ``changes()`` prints «Смирнова О.В.» instead of an id: one query per related model,
    however many records."""
    records = list(records)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for r in records:
        for key, value in chain((r.before or {}).items(), (r.after or {}).items()):
            field = r.field(key)
            if value is not None and field is not None and field.is_relation and field.many_to_one:
                wanted[field.related_model].add(value)
    names: dict[tuple[Any, Any], str] = {}
    for model, ids in wanted.items():
        queryset = model._default_manager.all()
        if any(f.name == "person" for f in model._meta.concrete_fields):
            queryset = queryset.select_related("person")  # User's str() is its person
        for pk, obj in queryset.in_bulk(list(ids)).items():
            names[(model, pk)] = str(obj)
    for r in records:
        r._names = names  # type: ignore[attr-defined]
    return records
