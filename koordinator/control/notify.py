"""Mail about execution control goes through an outbox (:class:`OutboxMessage`) written in the
same transaction as the change; the background worker sends it (``tasks.send_outbox``).

``queue()`` is idempotent on its ``key``: a reminder already written is not written again, so
a sweep run twice (or by two workers) sends each reminder once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from koordinator.accounts.models import BodyRole, BodyRoleKind, OrganizationRole
from koordinator.bodies.models import Body, Organization
from koordinator.control.models import Assignment, OutboxMessage


def link(name: str, *args: object) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def agency_recipients(org: Organization) -> list[str]:
    """The agency's executor officers and its official address."""
    emails = list(
        OrganizationRole.objects.filter(organization=org, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if org.email:
        emails.append(org.email)
    return sorted(set(emails))


def body_recipients(body: Body, roles: Iterable[str]) -> list[str]:
    return sorted(
        set(
            BodyRole.objects.filter(body=body, role__in=list(roles), user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def secretaries(body: Body) -> list[str]:
    return body_recipients(body, [BodyRoleKind.SECRETARY])


def leaders(body: Body) -> list[str]:
    return body_recipients(body, [BodyRoleKind.CHAIR, BodyRoleKind.DEPUTY_CHAIR])


def queue(
    *,
    key: str,
    kind: str,
    body: Body | None,
    recipients: list[str],
    subject: str,
    text: str,
) -> OutboxMessage | None:
    """Write a message to the outbox (inside the caller's transaction) and have the worker
    send it after the commit. Nothing is written when there is nobody to send to or when a
    message with this key already exists."""
    if not recipients:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify.queue() must be called inside the change's transaction")
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key[:200],
                kind=kind,
                body=body,
                recipients=recipients,
                subject=subject[:300],
                text=text,
            )
    except IntegrityError:
        return None
    transaction.on_commit(_kick)
    return message


def _kick() -> None:
    from koordinator.control.tasks import send_outbox

    send_outbox.enqueue()


def about(assignment: Assignment) -> str:
    """The assignment as a mail names it (restricted text is never put in a mail)."""
    if assignment.restricted:
        return f"{assignment.title} (ДСП — текст в системе)"
    text = assignment.text if len(assignment.text) <= 300 else assignment.text[:297] + "…"
    return f"{assignment.title}: {text}"


def queue_many(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Write many messages at once (the reminder sweep): those whose key is already in the
    outbox are skipped, found in one query; the rest are inserted in one statement (a key
    written meanwhile by another sweep is skipped too). The messages written. No kick: the
    sweep's task sends the outbox once at its end."""
    messages = [m for m in messages if m.recipients]
    if not messages:
        return []
    for m in messages:
        m.key, m.subject = m.key[:200], m.subject[:300]
    existing = set(
        OutboxMessage.objects.filter(key__in=[m.key for m in messages]).values_list(
            "key", flat=True
        )
    )
    fresh = {m.key: m for m in messages if m.key not in existing}
    OutboxMessage.objects.bulk_create(list(fresh.values()), ignore_conflicts=True)
    return list(fresh.values())
