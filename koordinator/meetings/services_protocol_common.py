"""What the protocol services share: reading deadlines, the version guard and the audit record.

Every edit names the ``version`` of the protocol it was made from. The version is bumped by a
conditional ``UPDATE … WHERE version = N`` *before* anything else is written, so of two saves
made from the same version exactly one wins; the other is refused with :class:`StaleVersion`
and writes nothing. Every service audits itself with the protocol as the target (the
protocol's history is then one query).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body
from koordinator.core import audit
from koordinator.core.models import AuditRecord
from koordinator.deadlines import parse as parse_deadline
from koordinator.meetings.models import (
    Meeting,
    Protocol,
    ProtocolSignature,
    ProtocolStatus,
)
from koordinator.meetings.permissions import meeting_bodies


class StaleVersion(ValidationError):
    """The protocol was changed by someone else since the form was opened."""


# --- reading deadlines -----------------------------------------------------------------------


def deadline_policy(meeting: Meeting) -> Any:
    """Calendar or working days: the host body's regulation."""
    bodies = meeting_bodies(meeting)
    return bodies[0].deadline_days if bodies else "calendar"


def issued_on(protocol: Protocol | None, meeting: Meeting) -> dt.date:
    """The day deadlines count from: the signing date once known, else the meeting's date."""
    if protocol is not None and protocol.signed_at is not None:
        return timezone.localdate(protocol.signed_at)
    return timezone.localdate(meeting.starts_at)


def read_deadline(text: str, *, meeting: Meeting, protocol: Protocol | None = None) -> Any:
    """A ``Deadline`` (``.kind`` "one_off"/"recurring", ``.due``, ``.due_dates()``,
    ``.explanation``) or an ``Unreadable`` (``.reason``) for ``text``."""
    return parse_deadline(
        text.strip(), issued_on=issued_on(protocol, meeting), policy=deadline_policy(meeting)
    )


def is_unreadable(result: Any) -> bool:
    return getattr(result, "kind", "") == "unreadable"


def first_due(result: Any) -> dt.date | None:
    if is_unreadable(result):
        return None
    dates = result.due_dates(1) if result.kind == "recurring" else [result.due]
    return dates[0] if dates else None


# --- the version guard -----------------------------------------------------------------------


def host_body(protocol: Protocol) -> Body | None:
    bodies = meeting_bodies(protocol.meeting)
    return bodies[0] if bodies else None


def _stale_message(protocol: Protocol) -> str:
    last = (
        AuditRecord.objects.filter(target_type="meetings.protocol", target_id=str(protocol.pk))
        .select_related("actor__person")
        .order_by("-pk")
        .first()
    )
    if last is not None and last.actor is not None:
        local = timezone.localtime(last.created_at)
        who = f"{last.actor}, {local:%d.%m.%Y %H:%M}"
    else:
        who = "версия изменилась"
    return (
        f"Протокол уже изменил другой пользователь ({who}); ваши изменения не сохранены — "
        "обновите страницу и повторите."
    )


def bump_version(protocol: Protocol, version: int | None, *, check_editable: bool = True) -> None:
    """Claim the next version, or refuse. Runs first in each edit's transaction: on
    PostgreSQL the UPDATE also locks the protocol row until the edit commits."""
    if check_editable:
        _require_editable(protocol)
    if version is None:
        raise ValidationError("Не указана версия протокола, с которой сделаны изменения.")
    updated = Protocol.objects.filter(pk=protocol.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleVersion(_stale_message(protocol))
    protocol.version = version + 1
    if check_editable and protocol.status == ProtocolStatus.SUBMITTED:
        # The text changed under the signatures being collected: back to the draft.
        ProtocolSignature.objects.filter(protocol=protocol).delete()
        protocol.status = ProtocolStatus.DRAFT
        protocol.submitted_at = None
        protocol.save(update_fields=["status", "submitted_at", "updated_at"])


def _require_editable(protocol: Protocol) -> None:
    if not protocol.is_editable:
        raise ValidationError(
            "Протокол подписан и не может быть изменён. Чтобы исправить его, оформите "
            "исправление (новую редакцию) с указанием причины."
        )


def record(*, actor: User | None, protocol: Protocol, action: str, **data: Any) -> AuditRecord:
    return audit.record(
        actor=actor,
        action=f"protocol.{action}",
        target=protocol,
        body=host_body(protocol),
        **data,
    )
