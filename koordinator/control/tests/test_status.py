"""Statuses are derived from what people did and today's date; overdue is never stored."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from koordinator.conftest import Cast
from koordinator.control import services_changes as changes
from koordinator.control import services_reports as reports
from koordinator.control.models import (
    Assignment,
    ControlPoint,
    Lifecycle,
    PointState,
    ReportKind,
    Status,
)
from koordinator.control.tests.conftest import Control


def status(assignment: Assignment, today: dt.date | None = None) -> str:
    return str(Assignment.objects.with_status(today).get(pk=assignment.pk).status)  # type: ignore[attr-defined]


def point_status(point: ControlPoint, today: dt.date | None = None) -> str:
    return str(ControlPoint.objects.with_status(today).get(pk=point.pk).status)  # type: ignore[attr-defined]


def submit(cast: Cast, point: ControlPoint, kind: str = ReportKind.FINAL) -> reports.Report:
    return reports.report_submit(
        actor=cast.executor, point=point, organization=cast.police, kind=kind, text="Сделано."
    )


def test_open_then_overdue_by_the_calendar_alone(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    assert status(control.one_off) == Status.OPEN
    assert point_status(point) == Status.OPEN
    assert point.status_on() == Status.OPEN
    later = point.due_on + dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as ctx:
        assert status(control.one_off, later) == Status.OVERDUE
        assert point_status(point, later) == Status.OVERDUE
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in ctx.captured_queries)
    assert point.status_on(later) == Status.OVERDUE
    point.refresh_from_db()
    assert point.state == PointState.OPEN  # nothing stored
    annotated = Assignment.objects.with_status(later).get(pk=control.one_off.pk)
    assert annotated.is_overdue and annotated.next_due == point.due_on  # type: ignore[attr-defined]
    # On the due date itself it is not yet overdue.
    assert point_status(point, point.due_on) == Status.OPEN


def test_past_due_point_is_overdue_today(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    ControlPoint.objects.filter(pk=point.pk).update(due_on=control.today - dt.timedelta(days=1))
    assert status(control.one_off) == Status.OVERDUE
    assert point_status(point) == Status.OVERDUE
    assert control.one_off.pk in set(
        ControlPoint.objects.overdue().values_list("assignment", flat=True)
    )


def test_submitted_is_not_overdue_while_under_review(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    submit(cast, point)
    later = point.due_on + dt.timedelta(days=5)
    assert status(control.one_off) == Status.SUBMITTED
    assert point_status(point, later) == Status.SUBMITTED
    assert status(control.one_off, later) == Status.SUBMITTED


def test_returned_then_overdue_after_the_date(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    report = submit(cast, point)
    reports.report_return(actor=cast.secretary, report=report, comment="Нет цифр.")
    assert status(control.one_off) == Status.RETURNED
    assert point_status(point) == Status.RETURNED
    later = point.due_on + dt.timedelta(days=1)
    assert status(control.one_off, later) == Status.OVERDUE
    assert point_status(point, later) == Status.OVERDUE


def test_final_accepted_closes_the_point_interim_does_not(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    interim = submit(cast, point, ReportKind.INTERIM)
    reports.report_accept(actor=cast.secretary, report=interim)
    point.refresh_from_db()
    assert point.state == PointState.OPEN and point.closed_at is None
    assert status(control.one_off) == Status.OPEN

    final = submit(cast, point)
    reports.report_accept(actor=cast.secretary, report=final)
    point.refresh_from_db()
    assert point.state == PointState.ACCEPTED and point.closed_at is not None
    assert status(control.one_off) == Status.ACCEPTED
    far = point.due_on + dt.timedelta(days=100)
    assert status(control.one_off, far) == Status.ACCEPTED  # accepted never becomes overdue
    assert point_status(point, far) == Status.ACCEPTED


def test_periodic_stays_open_while_later_periods_are_owed(cast: Cast, control: Control) -> None:
    first = control.point(control.periodic)
    reports.report_accept(actor=cast.secretary, report=submit(cast, first))
    assert status(control.periodic) == Status.OPEN
    annotated = Assignment.objects.with_status().get(pk=control.periodic.pk)
    second = control.periodic.points.order_by("due_on")[1]
    assert annotated.next_due == second.due_on


def _remove(cast: Cast, assignment: Assignment, kind: str, reason: str) -> None:
    removal = changes.removal_propose(
        actor=cast.secretary, assignment=assignment, kind=kind, reason=reason
    )
    changes.removal_decide(actor=cast.chair, removal=removal, approve=True)


def test_executed_and_irrelevant(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    reports.report_accept(actor=cast.secretary, report=submit(cast, point))
    _remove(cast, control.one_off, Lifecycle.EXECUTED, "")
    _remove(cast, control.periodic, Lifecycle.IRRELEVANT, "Мониторинг передан в УФСБ.")
    far = control.today + dt.timedelta(days=1000)
    assert status(control.one_off) == status(control.one_off, far) == Status.EXECUTED
    assert status(control.periodic) == status(control.periodic, far) == Status.IRRELEVANT
    periodic_point = control.point(control.periodic)
    assert periodic_point.state == PointState.CLOSED
    assert point_status(periodic_point, far) == Status.IRRELEVANT
    assert point_status(point) == Status.ACCEPTED
