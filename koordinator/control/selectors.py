"""Queries shared by the pages, the API and the exports: the control register with its
filters, the executor's inbox, the counts and overdue lists for a higher body.

Each returns a queryset with everything its rows show already joined or prefetched, so a list
costs the same number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Left
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization
from koordinator.bodies.selectors import short_or_full
from koordinator.control.models import (
    OWED_STATES,
    Assignment,
    ControlPoint,
    Lifecycle,
    PointState,
    Report,
    ReportState,
    Status,
    overdue_on,
)
from koordinator.control.permissions import (
    assignments_visible_to,
    executed_by,
    executes,
    executor_org_ids,
    summary_bodies,
)
from koordinator.core.compiled import Compiled, Ids
from koordinator.core.paging import Page, page_from, with_total

# Annotated names (not model fields), kept apart for the type checker; ``next_due`` is a field.
# Removed assignments have no next due date: last (NULLs sort first on SQLite otherwise).
REGISTER_ORDER = ("-is_overdue", F("next_due").asc(nulls_last=True), "pk")
OVERDUE_ORDER = ("next_due", "pk")
INBOX_ORDER = ("-late", "due_on", "pk")
STATUS_FIELD = ("status",)
REGISTER_ANNOTATED = ("status", "next_due", "is_overdue")
INBOX_ANNOTATED = ("status", "late")


@dataclass
class RegisterFilter:
    """The register's filters (all optional). ``status`` is a :class:`Status` value;
    ``due_from``/``due_to`` bound the next due date (the period); ``overdue`` and
    ``this_week`` are the two quick filters."""

    body: int | None = None
    agency: int | None = None
    status: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    overdue: bool = False
    this_week: bool = False
    query: str = ""
    today: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def from_params(cls, params: Any) -> tuple[RegisterFilter, dict[str, str]]:
        """Read the filters from a query dict; bad values give Russian messages (and are
        ignored) instead of an error page."""
        errors: dict[str, str] = {}
        f = cls()
        for name in ("body", "agency"):
            raw = (params.get(name) or "").strip()
            if raw:
                if raw.isdigit():
                    setattr(f, name, int(raw))
                else:
                    errors[name] = "Неверный номер."
        status = (params.get("status") or "").strip()
        if status and status not in Status.values:
            errors["status"] = "Неизвестный статус."
        else:
            f.status = status
        for name in ("due_from", "due_to"):
            raw = (params.get(name) or "").strip()
            if raw:
                try:
                    setattr(f, name, dt.date.fromisoformat(raw))
                except ValueError:
                    errors[name] = "Дата должна быть в виде ГГГГ-ММ-ДД."
        f.overdue = (params.get("overdue") or "") in ("1", "on", "true")
        f.this_week = (params.get("this_week") or "") in ("1", "on", "true")
        f.query = (params.get("q") or "").strip()[:200]
        return f, errors

    @property
    def week_end(self) -> dt.date:
        return self.today + dt.timedelta(days=6 - self.today.weekday())


def _any_status(user: User, f: RegisterFilter) -> QuerySet[Assignment]:
    """The register's rows (annotated with ``status`` and ``is_overdue``), filtered
    by everything but the status."""
    qs = assignments_visible_to(user).with_status(f.today)
    if f.body:
        qs = qs.filter(body=f.body)
    if f.agency:
        qs = qs.filter(executes({f.agency}))
    if f.overdue:
        qs = qs.filter(overdue_on(f.today))
    if f.this_week:
        qs = qs.filter(**{"next_due__gte": f.today, "next_due__lte": f.week_end})
    if f.due_from:
        qs = qs.filter(**{"next_due__gte": f.due_from})
    if f.due_to:
        qs = qs.filter(**{"next_due__lte": f.due_to})
    if f.query:
        qs = qs.filter(Q(text__icontains=f.query) | Q(number__icontains=f.query))
    return qs


def _of_status(qs: QuerySet[Assignment], status: str) -> QuerySet[Assignment]:
    return qs.filter(**{"status": status}) if status else qs


def register(user: User, f: RegisterFilter | None = None) -> QuerySet[Assignment]:
    """The assignments the user sees, with ``status`` and ``is_overdue`` annotated,
    filtered, ordered overdue first then by the next due date."""
    f = f or RegisterFilter()
    return (
        _of_status(_any_status(user, f), f.status)
        .select_related("body", "lead_executor")
        .prefetch_related("co_executors")
        .order_by(*REGISTER_ORDER)
    )


REGISTER_TEXT = 300


def register_rows_and_counts(
    user: User, f: RegisterFilter
) -> tuple[QuerySet[Assignment, Any], dict[str, int]]:
    """The register for the page: its plain rows (no model instances; the text cut in the
    database; co-executors come from :func:`co_executor_rows`) and how many assignments have
    each status over the same filters except the status itself (the register's tabs).

    Both come from one annotated queryset: building the status annotation (a CASE over four
    subqueries) is the costly part of the ORM's work on this page."""
    any_status = _any_status(user, f)
    counted = any_status.order_by().values(*STATUS_FIELD).annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in counted}
    rows = (
        _of_status(any_status, f.status)
        .values(
            "pk",
            "number",
            "document",
            "restricted",
            "body_id",
            "lead_executor_id",
            *REGISTER_ANNOTATED,
            text_start=Left("text", REGISTER_TEXT + 1),
            body_name=short_or_full("body"),
            lead_name=short_or_full("lead_executor"),
        )
        .order_by(*REGISTER_ORDER)
    )
    return rows, counts


def co_executor_rows(assignment_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Co-executors of the given assignments, (organisation id, short or full name) by
    assignment, in name order: one query."""
    through = Assignment.co_executors.through.objects.filter(assignment__in=assignment_ids)
    out: dict[int, list[tuple[int, str]]] = {}
    for assignment_id, org_id, name in through.order_by("organization__name").values_list(
        "assignment_id", "organization_id", short_or_full("organization")
    ):
        out.setdefault(assignment_id, []).append((org_id, name))
    return out


def _inbox_points(orgs: Collection[int], today: dt.date) -> QuerySet[ControlPoint]:
    late = ExpressionWrapper(
        Q(state__in=OWED_STATES, due_on__lt=today), output_field=BooleanField()
    )
    return (
        ControlPoint.objects.filter(assignment__in=executed_by(orgs, on_control=True))
        .exclude(state__in=(PointState.ACCEPTED, PointState.CLOSED))
        .with_status(today)
        .annotate(late=late)
        .order_by(*INBOX_ORDER)
    )


def inbox(user: User, today: dt.date | None = None) -> QuerySet[ControlPoint]:
    """The control points the user's agencies owe or await a decision on, overdue first, then
    by due date: what the executor officer works from."""
    today = today or timezone.localdate()
    return (
        _inbox_points(executor_org_ids(user), today)
        .select_related("assignment__body", "assignment__lead_executor")
        .prefetch_related("assignment__co_executors", Prefetch("changes"))
    )


INBOX_TEXT = 200


def inbox_rows(user: User, today: dt.date | None = None) -> QuerySet[ControlPoint, Any]:
    """The inbox as plain rows for the page: what each row shows, the latest return comment
    and whether the agency already sent its report to the lead agency, in one query (no
    model instances, nothing prefetched). The text is cut in the database; every row is
    an assignment of the user's agencies, so its text is theirs to read (ДСП included)."""
    return _inbox_rows(executor_org_ids(user), today or timezone.localdate())


def _inbox_rows(orgs: Collection[int], today: dt.date) -> QuerySet[ControlPoint, Any]:
    reports = Report.objects.filter(point=OuterRef("pk"))
    returned = reports.filter(state=ReportState.RETURNED).order_by("-created_at")
    return _inbox_points(orgs, today).values(
        "pk",
        "assignment_id",
        "due_on",
        "period_start",
        "period_end",
        "state",
        *INBOX_ANNOTATED,
        number=F("assignment__number"),
        document=F("assignment__document"),
        restricted=F("assignment__restricted"),
        text=Left("assignment__text", INBOX_TEXT + 1),
        body_name=short_or_full("assignment__body"),
        lead_id=F("assignment__lead_executor_id"),
        lead_name=short_or_full("assignment__lead_executor"),
        return_comment=Subquery(returned.values("review_comment")[:1]),
        sent_to_lead=Exists(reports.filter(state=ReportState.TO_LEAD, organization__in=orgs)),
    )


# The executor's inbox is the page they open most: its one big statement is compiled once
# per page position (``core.compiled``) and run with their agencies and today's date.
_inbox_page = Compiled(
    lambda start, stop, orgs, today: with_total(_inbox_rows(orgs, today))[start:stop],
    shape=("start", "stop"),
    orgs=Ids,
    today=dt.date,
)


_agency_names = Compiled(
    lambda orgs: (
        Organization.objects.filter(pk__in=orgs).order_by("name").values_list("name", flat=True)
    ),
    orgs=Ids,
)


def agency_names(orgs: Collection[int]) -> list[str]:
    """The names of the given agencies, in order (no query for none)."""
    return list(_agency_names(orgs=orgs))


def inbox_page(user: User, raw_page: object, per_page: int, today: dt.date) -> Page:
    """Page ``raw_page`` of :func:`inbox_rows`, each row with ``page_total``."""
    orgs = executor_org_ids(user)
    return page_from(
        lambda start: list(_inbox_page(start=start, stop=start + per_page, orgs=orgs, today=today)),
        raw_page,
        per_page,
    )


@dataclass
class BodySummary:
    body: Body
    on_control: int
    overdue: int
    submitted: int
    removed: int


def summary(user: User, today: dt.date | None = None) -> list[BodySummary]:
    """Per body the user sees (their own and those below): assignments on control, overdue,
    with a report awaiting review, removed from control. Two queries; the counts read the
    assignments' stored summary of their points (one EXISTS for a report under review: a
    returned report elsewhere in a periodic assignment does not hide it)."""
    today = today or timezone.localdate()
    bodies = list(summary_bodies(user).order_by("path", "name"))
    on_control = Q(lifecycle=Lifecycle.ON_CONTROL)
    under_review = Exists(
        ControlPoint.objects.filter(assignment=OuterRef("pk"), state=PointState.SUBMITTED)
    )
    rows = (
        Assignment.objects.filter(body__in=[b.pk for b in bodies])
        .values("body")
        .annotate(
            open_count=Count("pk", filter=on_control),
            overdue=Count("pk", filter=on_control & overdue_on(today)),
            submitted=Count("pk", filter=on_control & Q(under_review)),
            removed=Count("pk", filter=~on_control),
        )
    )
    by_body: dict[int, dict[str, Any]] = {row["body"]: dict(row) for row in rows}
    out = []
    for body in bodies:
        row: dict[str, Any] = by_body.get(body.pk, {})
        out.append(
            BodySummary(
                body=body,
                on_control=row.get("open_count", 0),
                overdue=row.get("overdue", 0),
                submitted=row.get("submitted", 0),
                removed=row.get("removed", 0),
            )
        )
    return out


def overdue_list(user: User, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Overdue assignments of every body the user sees, for a higher body's watchers. The
    caller masks the text of restricted ones (``restricted``) for people outside the body."""
    today = today or timezone.localdate()
    return (
        Assignment.objects.filter(body__in=summary_bodies(user))
        .filter(overdue_on(today))
        .with_status(today)
        .select_related("body", "lead_executor")
        .order_by(*OVERDUE_ORDER)
    )
