"""Schemas of the execution-control API and the builders that fill them (shared by ``api`` and
``api_actions``).

Restricted (ДСП) text is masked (``hidden``) for anyone :func:`permissions.can_see_restricted`
says no to; a co-executor's officer sees only their own agency's reports on the card.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization
from koordinator.control import permissions
from koordinator.control.models import Assignment, ControlPoint, DeadlineChange, Report, Status

HIDDEN_TEXT = "Содержание поручения ДСП скрыто."


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


READ_ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error}
WRITE_ERRORS: dict[int, type[Schema]] = {400: Error, 401: Error, 403: Error, 404: Error}


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrgRef(Schema):
    id: int
    name: str
    short_name: str


class BodyRef(Schema):
    id: int
    name: str
    short_name: str


class AssignmentRow(Schema):
    id: int
    body: BodyRef
    source: str
    number: str
    document: str
    document_date: dt.date
    issuer: str
    text: str
    restricted: bool
    hidden: bool = Field(description="Поручение ДСП: текст скрыт от пользователя.")
    lead_executor: OrgRef
    co_executors: list[OrgRef]
    deadline_text: str
    is_periodic: bool
    lifecycle: str
    status: str
    status_label: str
    next_due: dt.date | None
    is_overdue: bool


class AssignmentPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[AssignmentRow]


class PointOut(Schema):
    id: int
    due_on: dt.date
    original_due_on: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    state: str
    status: str
    status_label: str


class ReportFileOut(Schema):
    id: int
    name: str
    size: int
    url: str = Field(description="Скачать (страница control:report_file, с проверкой доступа).")


class ReportOut(Schema):
    id: int
    point_id: int
    organization: OrgRef
    kind: str
    text: str
    state: str
    state_label: str
    on_paper: bool
    received_on: dt.date | None
    letter: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_comment: str
    consolidates: list[int]
    files: list[ReportFileOut]


class ChangeOut(Schema):
    id: int
    point_id: int
    old_due_on: dt.date
    new_due_on: dt.date
    reason: str
    state: str
    comment: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class RemovalOut(Schema):
    id: int
    kind: str
    reason: str
    state: str
    comment: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class AssignmentCard(AssignmentRow):
    file_url: str | None
    removed_at: dt.datetime | None
    removal_reason: str
    can_manage: bool
    can_decide: bool
    points: list[PointOut]
    reports: list[ReportOut]
    changes: list[ChangeOut]
    removals: list[RemovalOut]


class ActionOut(Schema):
    id: int = Field(description="Созданный или изменённый объект (отчёт, перенос, снятие).")
    assignment: AssignmentCard


class InboxRow(Schema):
    point: PointOut
    assignment_id: int
    body: BodyRef
    number: str
    title: str
    text: str
    hidden: bool
    lead_executor: OrgRef
    is_lead: bool


class BodySummaryOut(Schema):
    body: BodyRef
    on_control: int
    overdue: int
    submitted: int
    removed: int


class OverdueOut(Schema):
    id: int
    body: BodyRef
    number: str
    document: str
    text: str
    hidden: bool
    lead_executor: OrgRef
    next_due: dt.date | None


class SummaryOut(Schema):
    bodies: list[BodySummaryOut]
    overdue: list[OverdueOut]
    overdue_total: int
    limit: int
    offset: int


# --- builders --------------------------------------------------------------------------------


def org(o: Organization) -> dict[str, Any]:
    return {"id": o.pk, "name": o.name, "short_name": o.short_name}


def body_ref(b: Body) -> dict[str, Any]:
    return {"id": b.pk, "name": b.name, "short_name": b.short_name}


def _text(user: User, a: Assignment) -> tuple[str, bool]:
    if not permissions.shows_text(user, a):
        return HIDDEN_TEXT, True
    return a.text, False


def row(user: User, a: Assignment) -> dict[str, Any]:
    """One register row; ``a`` comes from ``selectors.register`` (annotated, prefetched)."""
    text, hidden = _text(user, a)
    status = str(getattr(a, "status", ""))
    return {
        "id": a.pk,
        "body": body_ref(a.body),
        "source": a.source,
        "number": a.number,
        "document": a.document,
        "document_date": a.document_date,
        "issuer": a.issuer,
        "text": text,
        "restricted": a.restricted,
        "hidden": hidden,
        "lead_executor": org(a.lead_executor),
        "co_executors": [org(o) for o in a.co_executors.all()],
        "deadline_text": a.deadline_text,
        "is_periodic": a.is_periodic,
        "lifecycle": a.lifecycle,
        "status": status,
        "status_label": str(Status(status).label) if status else "",
        "next_due": getattr(a, "next_due", None),
        "is_overdue": bool(getattr(a, "is_overdue", False)),
    }


def point_out(p: ControlPoint, today: dt.date | None = None) -> dict[str, Any]:
    status = str(getattr(p, "status", "") or p.status_on(today))
    return {
        "id": p.pk,
        "due_on": p.due_on,
        "original_due_on": p.original_due_on,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "state": p.state,
        "status": status,
        "status_label": str(Status(status).label),
    }


def report_out(r: Report) -> dict[str, Any]:
    return {
        "id": r.pk,
        "point_id": r.point_id,
        "organization": org(r.organization),
        "kind": r.kind,
        "text": r.text,
        "state": r.state,
        "state_label": r.get_state_display(),
        "on_paper": r.on_paper,
        "received_on": r.received_on,
        "letter": r.letter,
        "submitted_at": r.created_at,
        "reviewed_at": r.reviewed_at,
        "review_comment": r.review_comment,
        "consolidates": [c.pk for c in r.consolidates.all()],
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "size": f.size,
                "url": reverse("control:report_file", args=[f.pk]),
            }
            for f in r.files.all()
        ],
    }


def visible_reports(user: User, a: Assignment) -> list[Report]:
    """The body's people and the lead agency see every report; a co-executor's officer sees
    only their own agency's."""
    reports = (
        Report.objects.filter(point__assignment=a)
        .select_related("organization")
        .prefetch_related("files", "consolidates")
        .order_by("created_at", "pk")
    )
    if not (
        permissions.is_insider(user, a.body)
        or permissions.is_lead_officer(user, a)
        or permissions.can_manage(user, a)
    ):
        reports = reports.filter(organization__in=permissions.executor_org_ids(user))
    return list(reports)


def card(user: User, pk: int) -> dict[str, Any]:
    """The assignment card, fetched afresh (after an action, too) through the access helper."""
    from koordinator.control.selectors import register

    permissions.get_assignment(user, pk)  # 404 for what the user may not see
    a = register(user).get(pk=pk)
    out = row(user, a)
    hidden = out["hidden"]
    out.update(
        file_url=reverse("control:assignment_file", args=[a.pk]) if a.file else None,
        removed_at=a.removed_at,
        removal_reason=a.removal_reason,
        can_manage=permissions.can_manage(user, a),
        can_decide=permissions.can_decide(user, a),
        points=[point_out(p) for p in ControlPoint.objects.filter(assignment=a).with_status()],
        reports=[] if hidden else [report_out(r) for r in visible_reports(user, a)],
        changes=[
            {
                "id": c.pk,
                "point_id": c.point_id,
                "old_due_on": c.old_due_on,
                "new_due_on": c.new_due_on,
                "reason": c.reason,
                "state": c.state,
                "comment": c.comment,
                "created_at": c.created_at,
                "decided_at": c.decided_at,
            }
            for c in DeadlineChange.objects.filter(point__assignment=a).order_by("created_at", "pk")
        ],
        removals=[
            {
                "id": r.pk,
                "kind": r.kind,
                "reason": r.reason,
                "state": r.state,
                "comment": r.comment,
                "created_at": r.created_at,
                "decided_at": r.decided_at,
            }
            for r in a.removals.order_by("created_at", "pk")
        ],
    )
    return out
