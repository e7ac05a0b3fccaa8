"""Sending the outbox at most once.

Each message is claimed with a conditional UPDATE (pending → sending) that is committed
*before* the SMTP conversation starts, and marked sent after it. If the worker dies between the
two, the message stays in ``sending``; the next run marks it ``unknown`` and does not send it
again: a reminder may be lost (and is shown as such to the administrator), but never doubled.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from koordinator.control.models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

# A message claimed longer ago than this was interrupted mid-send (a crashed worker).
STALE_CLAIM = dt.timedelta(minutes=10)


def _claim(pk: int) -> bool:
    with transaction.atomic():
        return bool(
            OutboxMessage.objects.filter(pk=pk, state=OutboxState.PENDING).update(
                state=OutboxState.SENDING, claimed_at=timezone.now()
            )
        )


def mark_interrupted(now: dt.datetime | None = None) -> int:
    """Messages left in ``sending`` by a worker that died: never retried."""
    now = now or timezone.now()
    with transaction.atomic():
        return OutboxMessage.objects.filter(
            state=OutboxState.SENDING, claimed_at__lt=now - STALE_CLAIM
        ).update(state=OutboxState.UNKNOWN, error="Отправка прервана; письмо не повторяется.")


def send_pending(limit: int = 500) -> int:
    """Send up to ``limit`` pending messages, oldest first; the number sent."""
    mark_interrupted()
    sent = 0
    ids = list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        if not _claim(pk):
            continue  # another worker took it
        message = OutboxMessage.objects.get(pk=pk)
        try:
            EmailMessage(subject=message.subject, body=message.text, to=message.recipients).send()
        except Exception as exc:  # any SMTP failure is recorded, not raised
            logger.warning("outbox %s not sent: %s", pk, exc)
            OutboxMessage.objects.filter(pk=pk).update(state=OutboxState.FAILED, error=str(exc))
            continue
        OutboxMessage.objects.filter(pk=pk).update(state=OutboxState.SENT, sent_at=timezone.now())
        sent += 1
    return sent
