"""Sending the outbox at most once.

Each message is claimed with a conditional UPDATE (pending → sending) that is committed
*before* the SMTP conversation starts, and marked sent after it. If the worker dies between the
two, the message stays in ``sending``; it is marked ``unknown`` by the next worker that starts
(``mark_interrupted(before=<its start>)``, see ``run_worker``) or, at the latest, by any run
once the claim is older than :data:`STALE_CLAIM`, and it is never sent again: a reminder may be
lost (and is shown as such to the administrator), but never doubled.

Retries: the connection to the mail server is opened (and checked) *before* a message is
claimed. When the server cannot be reached nothing is claimed: the messages stay ``pending``
and the next run sends them (each change kicks a run, and the daily sweep does too), so a
mail server that is down only delays the mail — nothing is counted or given up. Once a message
is claimed there is no retry: a refusal by the server (sender, recipients, data) marks it
``failed``; a connection lost during the conversation marks it ``unknown`` (the server may have
taken it) and stops the run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from koordinator.control.models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

# A message claimed longer ago than this was interrupted mid-send (a crashed worker).
STALE_CLAIM = dt.timedelta(minutes=10)

INTERRUPTED = "Отправка прервана; письмо не повторяется."


def _claim(pk: int) -> bool:
    with transaction.atomic():
        return bool(
            OutboxMessage.objects.filter(pk=pk, state=OutboxState.PENDING).update(
                state=OutboxState.SENDING, claimed_at=timezone.now()
            )
        )


def mark_interrupted(now: dt.datetime | None = None, *, before: dt.datetime | None = None) -> int:
    """Messages left in ``sending`` by a worker that died: never retried. ``before``: every
    claim older than this (a worker's start: no claim before it is still being sent by a
    single worker); by default claims older than :data:`STALE_CLAIM`."""
    if before is None:
        before = (now or timezone.now()) - STALE_CLAIM
    with transaction.atomic():
        return OutboxMessage.objects.filter(
            state=OutboxState.SENDING, claimed_at__lt=before
        ).update(state=OutboxState.UNKNOWN, error=INTERRUPTED)


def _ready(connection: Any) -> bool:
    """Open the connection, or check that the open one still answers (no message is claimed
    without a working connection)."""
    smtp = getattr(connection, "connection", None)
    if isinstance(smtp, smtplib.SMTP):
        try:
            if smtp.noop()[0] == 250:
                return True
        except (smtplib.SMTPException, OSError):
            pass
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            connection.connection = None
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("outbox: mail server not reachable, messages stay pending: %s", exc)
        return False
    return True


# Refusals after which the message certainly was not delivered.
REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def send_pending(limit: int = 500) -> int:
    """Send up to ``limit`` pending messages, oldest first; the number sent."""
    mark_interrupted()
    ids = list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    sent = 0
    connection = get_connection()
    try:
        for pk in ids:
            if not _ready(connection):
                break  # the rest stay pending for the next run
            if not _claim(pk):
                continue  # another worker took it
            message = OutboxMessage.objects.get(pk=pk)
            mail = EmailMessage(
                subject=message.subject,
                body=message.text,
                to=message.recipients,
                connection=connection,
            )
            try:
                mail.send()
            except REFUSED as exc:
                _set(pk, OutboxState.FAILED, str(exc))
                continue
            except (smtplib.SMTPException, OSError) as exc:
                # Lost during the conversation: the server may have taken it. Not retried.
                _set(pk, OutboxState.UNKNOWN, f"{INTERRUPTED} {exc}")
                break
            except Exception as exc:  # e.g. a bad address: nothing was sent
                _set(pk, OutboxState.FAILED, str(exc))
                continue
            OutboxMessage.objects.filter(pk=pk).update(
                state=OutboxState.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return sent


def _set(pk: int, state: str, error: str) -> None:
    logger.warning("outbox %s %s: %s", pk, state, error)
    OutboxMessage.objects.filter(pk=pk).update(state=state, error=error[:2000])
