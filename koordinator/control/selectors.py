"""Queries shared by the pages, the API and the exports: the control register with its
filters, the executor's inbox, the counts and overdue lists for a higher body.

Each returns a queryset with everything its rows show already joined or prefetched, so a list
costs the same number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
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
    AssignmentQuerySet,
    ControlPoint,
    Lifecycle,
    PointState,
    Report,
    ReportState,
    Status,
    overdue_on,
)
from koordinator.control.permissions import (
    assignments_in,
    executed_by,
    executes,
    executor_org_ids,
    summary_bodies,
    visible_scope,
)
from koordinator.core.compiled import Compiled, CompiledFamily, Ids
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

    def values(self, user: User) -> dict[str, Any]:
        """The filters that are set, with what the user sees (:func:`visible_scope`), as
        the arguments of :func:`_filtered`: absent filters are absent keys."""
        values: dict[str, Any] = {"today": self.today, **visible_scope(user)}
        given = {
            "body": self.body,
            "agency": self.agency,
            "week_end": self.week_end if self.this_week else None,
            "due_from": self.due_from,
            "due_to": self.due_to,
            "query": self.query,
        }
        values.update((name, value) for name, value in given.items() if value)
        return values


def _filtered(overdue: bool, **values: Any) -> AssignmentQuerySet:
    """The register's rows (annotated with ``status`` and ``is_overdue``), filtered by
    everything but the status; ``values`` as :meth:`RegisterFilter.values` gives them."""
    today = values["today"]
    qs = assignments_in(values.get("bodies"), values.get("orgs")).with_status(today)
    if "body" in values:
        qs = qs.filter(body=values["body"])
    if "agency" in values:
        qs = qs.filter(executes((values["agency"],)))
    if overdue:
        qs = qs.filter(overdue_on(today))
    if "week_end" in values:
        qs = qs.filter(**{"next_due__gte": today, "next_due__lte": values["week_end"]})
    if "due_from" in values:
        qs = qs.filter(**{"next_due__gte": values["due_from"]})
    if "due_to" in values:
        qs = qs.filter(**{"next_due__lte": values["due_to"]})
    if "query" in values:
        qs = qs.filter(Q(text__icontains=values["query"]) | Q(number__icontains=values["query"]))
    return qs


def _any_status(user: User, f: RegisterFilter) -> QuerySet[Assignment]:
    return _filtered(f.overdue, **f.values(user))


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


def _counts(overdue: bool, **values: Any) -> QuerySet[Assignment, Any]:
    return _filtered(overdue, **values).order_by().values(*STATUS_FIELD).annotate(n=Count("pk"))


def _rows(
    overdue: bool, status: str, start: int, stop: int, **values: Any
) -> QuerySet[Assignment, Any]:
    return (
        _of_status(_filtered(overdue, **values), status)
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
        .order_by(*REGISTER_ORDER)[start:stop]
    )


# The register's statements, compiled once (``core.compiled``) for each set of filters in
# use. A text search («q») is a ``contains`` lookup, which cannot be a plain parameter: those
# are built each time.
REGISTER_KINDS: dict[str, type] = {
    "today": dt.date,
    "bodies": Ids,
    "orgs": Ids,
    "body": int,
    "agency": int,
    "week_end": dt.date,
    "due_from": dt.date,
    "due_to": dt.date,
}
_register_counts = CompiledFamily(_counts, shape=("overdue",), **REGISTER_KINDS)
_register_rows = CompiledFamily(
    _rows, shape=("overdue", "status", "start", "stop"), **REGISTER_KINDS
)


def _choice_bodies(**scope: Any) -> QuerySet[Body, Any]:
    visible = assignments_in(scope.get("bodies"), scope.get("orgs")).order_by()
    return (
        Body.objects.filter(pk__in=visible.values("body"))
        .order_by("name")
        .values("pk", name_shown=short_or_full(""))
    )


def _choice_agency_ids(**scope: Any) -> QuerySet[Assignment, Any]:
    visible = assignments_in(scope.get("bodies"), scope.get("orgs")).order_by()
    lead = visible.values_list("lead_executor", flat=True)
    co = Assignment.co_executors.through.objects.filter(assignment__in=visible)
    return lead.union(co.values_list("organization", flat=True))


_register_bodies = CompiledFamily(_choice_bodies, bodies=Ids, orgs=Ids)
_register_agency_ids = CompiledFamily(_choice_agency_ids, bodies=Ids, orgs=Ids)
_agencies_by_id = Compiled(
    lambda ids: Organization.objects.filter(pk__in=ids).order_by("name").values("pk", "name"),
    ids=Ids,
)


def register_choices(user: User) -> tuple[list[Any], list[Any]]:
    """The bodies and agencies of the assignments the user sees, for the filter lists."""
    scope = visible_scope(user)
    # The agencies' ids first (a UNION of the two lookups), then the agencies by id: with the
    # UNION as a subquery PostgreSQL guessed hundreds of ids where there are a dozen and read
    # the whole table of agencies (10,700 at national scale) on every register page.
    agency_ids = list(_register_agency_ids(**scope))
    return list(_register_bodies(**scope)), list(_agencies_by_id(ids=agency_ids))


def register_page(
    user: User, f: RegisterFilter, raw_page: object, per_page: int
) -> tuple[Page, dict[str, int]]:
    """A page of the register as plain rows (no model instances; the text cut in the
    database; co-executors come from :func:`co_executor_rows`), and how many assignments
    have each status over the same filters except the status itself (the register's tabs):
    two statements."""
    values = f.values(user)
    counts_qs: Callable[..., QuerySet[Assignment, Any]] = _counts
    rows_of: Callable[..., QuerySet[Assignment, Any]] = _rows
    if "query" not in values:
        counts_qs, rows_of = _register_counts, _register_rows
    counts = {row["status"]: row["n"] for row in counts_qs(overdue=f.overdue, **values)}
    shown = counts.get(f.status, 0) if f.status else sum(counts.values())

    def fetch(start: int) -> list[dict[str, Any]]:
        window = {"start": start, "stop": start + per_page}
        return list(rows_of(overdue=f.overdue, status=f.status, **window, **values))

    return page_from(fetch, raw_page, per_page, count=shown), counts


_co_executors = Compiled(
    lambda ids: (
        Assignment.co_executors.through.objects.filter(assignment__in=ids)
        .order_by("organization__name")
        .values_list("assignment_id", "organization_id", short_or_full("organization"))
    ),
    ids=Ids,
)


def co_executor_rows(assignment_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Co-executors of the given assignments, (organisation id, short or full name) by
    assignment, in name order: one query (none for no assignments)."""
    out: dict[int, list[tuple[int, str]]] = {}
    for assignment_id, org_id, name in _co_executors(ids=assignment_ids):
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
