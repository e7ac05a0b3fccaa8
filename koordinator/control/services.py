"""Putting assignments on control: from a signed protocol, or by hand from an incoming
instruction of a higher body; and the control points their deadlines give.

Every service runs in one transaction and audits itself with the assignment as the target.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization
from koordinator.control.models import (
    Assignment,
    ControlPoint,
    Lifecycle,
    PointState,
    Source,
)
from koordinator.core import audit
from koordinator.deadlines import Deadline, Unreadable, parse
from koordinator.meetings.models import Decision, MeetingBody, Protocol
from koordinator.meetings.permissions import meeting_bodies
from koordinator.meetings.services_agenda import check_upload

# How far ahead the points of an open-ended periodic assignment («постоянно») are laid out;
# the daily sweep extends them (``extend_schedules``).
HORIZON = dt.timedelta(days=400)
# A periodic assignment never gets more points than this at once.
MAX_POINTS = 120

ASSIGNMENT_FIELDS = (
    "number",
    "document",
    "document_date",
    "issuer",
    "text",
    "restricted",
    "lead_executor",
    "deadline_text",
    "issued_on",
    "is_periodic",
    "ends_on",
    "lifecycle",
)


def _jsonable(value: Any) -> Any:
    """Dates (and dates inside dicts and lists) as ISO strings: the audit record is JSON."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def record(
    *, actor: User | None, assignment: Assignment, action: str, **data: Any
) -> audit.AuditRecord:
    return audit.record(
        actor=actor,
        action=f"assignment.{action}",
        target=assignment,
        body=assignment.body,
        **{k: _jsonable(v) if k in ("before", "after") else v for k, v in data.items()},
    )


def read(text: str, *, issued_on: dt.date, body: Body) -> Deadline | Unreadable:
    return parse(text.strip(), issued_on=issued_on, policy=body.deadline_days)  # type: ignore[arg-type]


def read_or_refuse(text: str, *, issued_on: dt.date, body: Body) -> Deadline:
    result = read(text, issued_on=issued_on, body=body)
    if isinstance(result, Unreadable):
        raise ValidationError({"deadline_text": f"Срок не распознан: {result.reason}"})
    return result


# --- control points --------------------------------------------------------------------------


def lock_point(point: ControlPoint) -> ControlPoint:
    """The point's row locked for the change (its assignment, body and lead joined)."""
    return (
        ControlPoint.objects.select_for_update(of=("self",))
        .select_related("assignment__body", "assignment__lead_executor")
        .get(pk=point.pk)
    )


def _wanted_points(
    deadline: Deadline, *, after: dt.date | None, until: dt.date
) -> list[tuple[dt.date, dt.date | None, dt.date | None]]:
    if deadline.kind == "one_off":
        return [(deadline.due, None, None)] if after is None or deadline.due > after else []
    out: list[tuple[dt.date, dt.date | None, dt.date | None]] = []
    for point in deadline.control_points(MAX_POINTS, after=after):
        # Past the horizon an open-ended schedule stops; only a new one gets its first point
        # even when that point lies beyond (extending never adds one past the horizon).
        if deadline.ends is None and point.due > until and (out or after is not None):
            break
        out.append((point.due, point.period_start, point.period_end))
    return out


def schedule(assignment: Assignment, deadline: Deadline, *, today: dt.date | None = None) -> int:
    """Lay out the control points ``deadline`` gives (after the last one there is); the number
    added. A periodic assignment without an end gets the periods up to ``HORIZON`` ahead."""
    today = today or timezone.localdate()
    last = (
        ControlPoint.objects.filter(assignment=assignment)
        .order_by("-original_due_on")
        .values_list("original_due_on", flat=True)
        .first()
    )
    wanted = _wanted_points(deadline, after=last, until=today + HORIZON)
    ControlPoint.objects.bulk_create(
        [
            ControlPoint(
                assignment=assignment,
                due_on=due,
                original_due_on=due,
                period_start=start,
                period_end=end,
            )
            for due, start, end in wanted
        ]
    )
    if deadline.kind == "recurring":
        assignment.is_periodic = True
        assignment.ends_on = deadline.ends
    return len(wanted)


def extend_schedules(*, today: dt.date | None = None) -> int:
    """Add the next periods to open-ended periodic assignments on control (the daily sweep)."""
    today = today or timezone.localdate()
    added = 0
    horizon = today + HORIZON - dt.timedelta(days=40)
    candidates = Assignment.objects.on_control().filter(is_periodic=True, ends_on__isnull=True)
    for assignment in candidates.select_related("body"):
        last = assignment.points.order_by("-original_due_on").values_list("due_on", flat=True)
        top = last.first()
        if top is not None and top > horizon:
            continue
        deadline = read(
            assignment.deadline_text, issued_on=assignment.issued_on, body=assignment.body
        )
        if isinstance(deadline, Deadline):
            with transaction.atomic():
                added += schedule(assignment, deadline, today=today)
    return added


# --- from a protocol -------------------------------------------------------------------------


def _document(protocol: Protocol, body: Body) -> tuple[str, dt.date]:
    meeting = protocol.meeting
    link = MeetingBody.objects.filter(meeting=meeting, body=body).first()
    day = meeting.local_date
    number = f" № {link.protocol_number}" if link and link.protocol_number else ""
    return f"протокол заседания от {day:%d.%m.%Y}{number}", day


@transaction.atomic
def sync_from_protocol(*, actor: User | None, protocol: Protocol) -> list[Assignment]:
    """One assignment per decision with a lead executor, controlled by the meeting's host
    body; called when the protocol is signed and registered (and again after a correction:
    texts, executors and the date are brought up to date, points not yet reported move)."""
    meeting = protocol.meeting
    bodies = meeting_bodies(meeting)
    if not bodies:
        return []
    body = bodies[0]
    document, document_date = _document(protocol, body)
    issued_on = timezone.localdate(protocol.signed_at) if protocol.signed_at else meeting.local_date
    decisions = (
        Decision.objects.filter(item__meeting=meeting, lead_executor__isnull=False)
        .select_related("item", "assignment")
        .prefetch_related("co_executors")
        .order_by("item__number", "order")
    )
    out = []
    for decision in decisions:
        restricted = protocol.restricted or decision.item.restricted or decision.restricted
        existing: Assignment | None = getattr(decision, "assignment", None)
        values = {
            "number": decision.code,
            "document": document,
            "document_date": document_date,
            "text": decision.text,
            "restricted": restricted,
            "lead_executor_id": decision.lead_executor_id,
            "deadline_text": decision.deadline_text,
        }
        if existing is None:
            assignment = Assignment.objects.create(
                body=body,
                source=Source.PROTOCOL,
                decision=decision,
                meeting=meeting,
                issued_on=issued_on,
                issuer=str(body),
                created_by=actor,
                **values,
            )
            action = "create"
        else:
            assignment = existing
            for name, value in values.items():
                setattr(assignment, name, value)
            assignment.save()
            action = "sync"
        assignment.co_executors.set(
            [o for o in decision.co_executors.all() if o.pk != decision.lead_executor_id]
        )
        if action == "sync":
            # Points nobody has acted on are laid out afresh; a point with a report or with a
            # deadline change (its history is kept for good) stays.
            ControlPoint.objects.filter(
                assignment=assignment,
                state=PointState.OPEN,
                reports__isnull=True,
                changes__isnull=True,
            ).delete()
        # A corrected deadline may no longer be periodic: ``schedule`` sets these again if it is.
        assignment.is_periodic, assignment.ends_on = False, None
        _schedule_decision(assignment, decision, body)
        assignment.save(update_fields=["is_periodic", "ends_on", "updated_at"])
        record(
            actor=actor,
            assignment=assignment,
            action=action,
            after=audit.snapshot(assignment, ASSIGNMENT_FIELDS),
        )
        out.append(assignment)
    return out


def _schedule_decision(assignment: Assignment, decision: Decision, body: Body) -> None:
    if decision.deadline_text.strip():
        deadline = read(decision.deadline_text, issued_on=assignment.issued_on, body=body)
        if isinstance(deadline, Deadline):
            schedule(assignment, deadline)
            return
    if decision.due_on is not None:
        if not assignment.points.filter(original_due_on=decision.due_on).exists():
            ControlPoint.objects.create(
                assignment=assignment, due_on=decision.due_on, original_due_on=decision.due_on
            )
        return
    deadline = read("", issued_on=assignment.issued_on, body=body)  # one month from signing
    if isinstance(deadline, Deadline):
        schedule(assignment, deadline)


# --- by hand, from an incoming instruction ---------------------------------------------------


@transaction.atomic
def assignment_register(
    *,
    actor: User,
    body: Body,
    number: str,
    document: str,
    document_date: dt.date,
    issuer: str,
    text: str,
    lead_executor: Organization,
    co_executors: list[Organization] | None = None,
    deadline_text: str = "",
    due_on: dt.date | None = None,
    restricted: bool = False,
    file: UploadedFile | None = None,
) -> Assignment:
    """Register an instruction of a higher body (its number, date, issuer, text, scan) and put
    it on control. The deadline is read from ``deadline_text`` counting from the document's date,
    or given as a date."""
    errors: dict[str, str] = {}
    number, document, issuer, text = (
        " ".join(number.split()),
        " ".join(document.split()),
        " ".join(issuer.split()),
        text.strip(),
    )
    if not number:
        errors["number"] = "Укажите номер пункта или поручения."
    if not issuer:
        errors["issuer"] = "Укажите, кем дано поручение."
    if not text:
        errors["text"] = "Укажите содержание поручения."
    if document_date > timezone.localdate():
        errors["document_date"] = "Дата документа не может быть позже сегодняшней."
    if errors:
        raise ValidationError(errors)
    if due_on is not None and deadline_text.strip():
        raise ValidationError({"due_on": "Укажите срок либо датой, либо словами — не оба сразу."})
    if due_on is not None and due_on < document_date:
        raise ValidationError({"due_on": "Срок не может быть раньше даты документа."})
    deadline = (
        None
        if due_on is not None
        else read_or_refuse(deadline_text, issued_on=document_date, body=body)
    )
    if file is not None:
        check_upload(file)
    assignment = Assignment.objects.create(
        body=body,
        source=Source.INSTRUCTION,
        number=number[:50],
        document=(document or f"поручение от {document_date:%d.%m.%Y} № {number}")[:300],
        document_date=document_date,
        issuer=issuer[:300],
        text=text,
        restricted=restricted,
        lead_executor=lead_executor,
        deadline_text=deadline_text.strip()[:300],
        issued_on=document_date,
        created_by=actor,
    )
    if file is not None:
        assignment.file.save(file.name or "document", file, save=False)
    assignment.co_executors.set([o for o in co_executors or [] if o.pk != lead_executor.pk])
    if deadline is None:
        assert due_on is not None
        ControlPoint.objects.create(assignment=assignment, due_on=due_on, original_due_on=due_on)
    else:
        schedule(assignment, deadline)
    assignment.save()
    record(
        actor=actor,
        assignment=assignment,
        action="register",
        after={
            **audit.snapshot(assignment, ASSIGNMENT_FIELDS),
            "co_executors": [str(o) for o in assignment.co_executors.all()],
        },
    )
    return assignment


def lifecycle_label(value: str) -> str:
    return str(Lifecycle(value).label)
