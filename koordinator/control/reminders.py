"""Reminders about deadlines, written to the outbox by the daily sweep (``tasks.daily_sweep``).

Each reminder has a key that names it for ever, so it is written once whatever the number of
sweeps (a sweep run twice, by two workers, or after a restart):

- «before» — ``before:<point>:<due date>:<N>``, N days before the due date, for N in the body's
  ``remind_days`` when ``remind_before`` is on. The due date is in the key: a moved deadline
  reminds again. Catch-up: a reminder whose day has passed (the worker was down) is still
  written while the due date is not reached, once — the one for the smallest N already due
  (a point found 3 days before its date with days «7,1» gets the «7» one now and the «1» one
  the day before the date);
- «overdue» — ``overdue:<point>:<due date>``, the first sweep after the due date (normally the
  day the point becomes overdue) when ``remind_overdue`` is on; to the lead executor and the
  body's secretaries;
- «digest» — ``digest:<organization>:<ISO week>``, on Mondays: one mail per agency listing
  what it owes (as lead executor) in the bodies with ``weekly_digest`` on.

Restricted (ДСП) assignments are named, never quoted (:func:`notify.about`). The sweep reads
the owed points in one pass (one query per batch of points, plus one for the keys already
written and one insert); recipients are read per batch for the agencies and bodies not seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from koordinator.accounts.models import BodyRole, BodyRoleKind, OrganizationRole
from koordinator.bodies.models import Body, Organization
from koordinator.control import notify, services
from koordinator.control.models import ControlPoint, OutboxMessage

BATCH = 2000
DIGEST_LINES = 50  # a digest lists this many points, then says how many more


def days_word(n: int) -> str:
    """«1 день», «3 дня», «7 дней»."""
    tail = n % 100
    if 11 <= tail <= 14:
        word = "дней"
    elif n % 10 == 1:
        word = "день"
    elif 2 <= n % 10 <= 4:
        word = "дня"
    else:
        word = "дней"
    return f"{n} {word}"


@dataclass
class _Digest:
    org: Organization
    lines: list[str] = field(default_factory=list)
    total: int = 0
    overdue: int = 0


class _Recipients:
    """Agency and secretary addresses, read in bulk for the ids not seen yet."""

    def __init__(self) -> None:
        self.orgs: dict[int, list[str]] = {}
        self.secretaries: dict[int, list[str]] = {}

    def load(self, orgs: Iterable[Organization], body_ids: Iterable[int]) -> None:
        new_orgs = {o.pk: o for o in orgs if o.pk not in self.orgs}
        if new_orgs:
            found: dict[int, set[str]] = {pk: set() for pk in new_orgs}
            for pk, email in (
                OrganizationRole.objects.filter(
                    organization_id__in=list(new_orgs), user__is_active=True
                )
                .exclude(user__email="")
                .values_list("organization_id", "user__email")
            ):
                found[pk].add(email)
            for pk, org in new_orgs.items():
                if org.email:
                    found[pk].add(org.email)
                self.orgs[pk] = sorted(found[pk])
        new_bodies = {pk for pk in body_ids if pk not in self.secretaries}
        if new_bodies:
            got: dict[int, set[str]] = {pk: set() for pk in new_bodies}
            for pk, email in (
                BodyRole.objects.filter(
                    body_id__in=list(new_bodies),
                    role=BodyRoleKind.SECRETARY,
                    user__is_active=True,
                )
                .exclude(user__email="")
                .values_list("body_id", "user__email")
            ):
                got[pk].add(email)
            for pk in new_bodies:
                self.secretaries[pk] = sorted(got[pk])


def _owed(today: dt.date, horizon: dt.date | None) -> Iterable[ControlPoint]:
    points = (
        ControlPoint.objects.owed()
        .select_related("assignment__body", "assignment__lead_executor")
        .only(
            "id",
            "due_on",
            "state",
            "period_start",
            "period_end",
            "assignment__id",
            "assignment__number",
            "assignment__document",
            "assignment__text",
            "assignment__restricted",
            "assignment__body__id",
            "assignment__body__name",
            "assignment__body__short_name",
            "assignment__body__remind_before",
            "assignment__body__remind_days",
            "assignment__body__remind_overdue",
            "assignment__body__weekly_digest",
            "assignment__lead_executor__id",
            "assignment__lead_executor__name",
            "assignment__lead_executor__short_name",
            "assignment__lead_executor__email",
        )
        .order_by("due_on", "pk")
    )
    if horizon is not None:
        points = points.filter(due_on__lte=horizon)
    return points.iterator(chunk_size=BATCH)


def _before(point: ControlPoint, days_left: int, recipients: list[str]) -> OutboxMessage:
    assignment = point.assignment
    period = f"\nОтчётный период: {point.period_label}." if point.period_label else ""
    return OutboxMessage(
        kind="reminder",
        body=assignment.body,
        recipients=recipients,
        subject=f"Напоминание: срок {point.due_on:%d.%m.%Y} — {assignment.title}",
        text=(
            f"{notify.about(assignment)}\n\n"
            f"Контролирующий орган: {assignment.body}.\n"
            f"Срок исполнения: {point.due_on:%d.%m.%Y} (осталось {days_word(days_left)})."
            f"{period}\n\n{notify.link('control:assignment', assignment.pk)}"
        ),
    )


def _overdue(point: ControlPoint, recipients: list[str]) -> OutboxMessage:
    assignment = point.assignment
    period = f"\nОтчётный период: {point.period_label}." if point.period_label else ""
    return OutboxMessage(
        kind="overdue",
        body=assignment.body,
        recipients=recipients,
        subject=f"Просрочено: {assignment.title} (срок {point.due_on:%d.%m.%Y})",
        text=(
            f"{notify.about(assignment)}\n\n"
            f"Контролирующий орган: {assignment.body}.\n"
            f"Ответственный исполнитель: {assignment.lead_executor}.\n"
            f"Срок исполнения {point.due_on:%d.%m.%Y} истёк, отчёт не представлен."
            f"{period}\n\n{notify.link('control:assignment', assignment.pk)}"
        ),
    )


def _digest_message(digest: _Digest, key: str, recipients: list[str]) -> OutboxMessage:
    more = digest.total - len(digest.lines)
    tail = f"\n… и ещё {more}" if more > 0 else ""
    late = f", из них просрочено: {digest.overdue}" if digest.overdue else ""
    return OutboxMessage(
        key=key,
        kind="digest",
        body=None,
        recipients=recipients,
        subject=f"Еженедельная сводка: поручения на контроле — {digest.org}",
        text=(
            f"{digest.org}: на контроле {digest.total}{late}.\n\n"
            + "\n".join(digest.lines)
            + tail
            + f"\n\n{notify.link('control:inbox')}"
        ),
    )


def _max_days() -> int:
    days = [
        max(body.reminder_days(), default=0)
        for body in Body.objects.filter(remind_before=True).only("id", "remind_days")
    ]
    return max(days, default=0)


def sweep(today: dt.date | None = None) -> dict[str, int]:
    """Write the reminders due today (and those missed), extend the periodic schedules.
    The numbers of messages written by kind, and of control points added."""
    today = today or timezone.localdate()
    counts = {"extended": services.extend_schedules(today=today)}
    counts.update(before=0, overdue=0, digest=0)
    monday = today.weekday() == 0
    # On other days only the points due within the longest reminder period are read
    # (and all the overdue ones: an overdue reminder missed is sent late, once).
    horizon = None if monday else today + dt.timedelta(days=_max_days())
    recipients = _Recipients()
    digests: dict[int, _Digest] = {}
    days_of: dict[int, list[int]] = {}
    batch: list[ControlPoint] = []

    def flush() -> None:
        _flush(batch, today, recipients, days_of, counts)
        batch.clear()

    for point in _owed(today, horizon):
        body = point.assignment.body
        if monday and body.weekly_digest:
            _add_to_digest(digests, point, today)
        batch.append(point)
        if len(batch) >= BATCH:
            flush()
    flush()
    if digests:
        counts["digest"] = _write_digests(digests, today, recipients)
    return counts


def _add_to_digest(digests: dict[int, _Digest], point: ControlPoint, today: dt.date) -> None:
    assignment = point.assignment
    org = assignment.lead_executor
    digest = digests.get(org.pk)
    if digest is None:
        digest = digests[org.pk] = _Digest(org=org)
    digest.total += 1
    late = point.due_on < today
    digest.overdue += late
    if len(digest.lines) < DIGEST_LINES:
        mark = " — ПРОСРОЧЕНО" if late else ""
        digest.lines.append(
            f"• {point.due_on:%d.%m.%Y}{mark}: {assignment.title} ({assignment.body})"
        )


def _flush(
    points: list[ControlPoint],
    today: dt.date,
    recipients: _Recipients,
    days_of: dict[int, list[int]],
    counts: dict[str, int],
) -> None:
    candidates: dict[str, tuple[str, ControlPoint, int]] = {}
    for point in points:
        body = point.assignment.body
        left = (point.due_on - today).days
        if left > 0 and body.remind_before:
            if body.pk not in days_of:
                days_of[body.pk] = body.reminder_days()
            due = [n for n in days_of[body.pk] if n >= left]
            if due:
                key = f"before:{point.pk}:{point.due_on}:{min(due)}"
                candidates[key] = ("before", point, left)
        elif left < 0 and body.remind_overdue:
            candidates[f"overdue:{point.pk}:{point.due_on}"] = ("overdue", point, left)
    if not candidates:
        return
    written = set(
        OutboxMessage.objects.filter(key__in=list(candidates)).values_list("key", flat=True)
    )
    fresh = [(key, c) for key, c in candidates.items() if key not in written]
    if not fresh:
        return
    recipients.load(
        (c[1].assignment.lead_executor for _, c in fresh),
        {c[1].assignment.body_id for _, c in fresh if c[0] == "overdue"},
    )
    messages = []
    for key, (kind, point, left) in fresh:
        assignment = point.assignment
        agency = recipients.orgs[assignment.lead_executor_id]
        if kind == "before":
            message = _before(point, left, agency)
        else:
            to = sorted({*agency, *recipients.secretaries[assignment.body_id]})
            message = _overdue(point, to)
        message.key = key
        messages.append(message)
    with transaction.atomic():
        written_now = notify.queue_many(messages)
    for message in written_now:
        counts["overdue" if message.kind == "overdue" else "before"] += 1


def _write_digests(digests: dict[int, _Digest], today: dt.date, recipients: _Recipients) -> int:
    year, week, _ = today.isocalendar()
    recipients.load((d.org for d in digests.values()), ())
    messages = [
        _digest_message(d, f"digest:{pk}:{year}-W{week:02d}", recipients.orgs[pk])
        for pk, d in digests.items()
    ]
    with transaction.atomic():
        return len(notify.queue_many(messages))
