"""The points' summary on each assignment (``next_due``, ``owed_due``, ``progress``) is kept by
the database's triggers, whatever writes the points, and the application never overwrites it.

The oracle below says the same thing in Python from the points themselves; the tests run on
SQLite (row triggers) and, in the PostgreSQL run of the suite, on PostgreSQL (statement triggers
with transition tables)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koordinator.control import progress
from koordinator.control.models import (
    OWED_STATES,
    Assignment,
    ControlPoint,
    PointState,
    Status,
)
from koordinator.control.tests.conftest import Control

PENDING = (PointState.OPEN, PointState.RETURNED, PointState.SUBMITTED)
DAY = dt.timedelta(days=1)


def expected(assignment: Assignment) -> tuple[dt.date | None, dt.date | None, str]:
    points = list(assignment.points.values_list("due_on", "state"))
    pending = [due for due, state in points if state in PENDING]
    owed = [due for due, state in points if state in OWED_STATES]
    states = {state for _, state in points}
    if PointState.RETURNED in states:
        progress_ = Status.RETURNED
    elif PointState.SUBMITTED in states:
        progress_ = Status.SUBMITTED
    elif pending:
        progress_ = Status.OPEN
    else:
        progress_ = Status.ACCEPTED
    return min(pending, default=None), min(owed, default=None), progress_


def stored(assignment: Assignment) -> tuple[dt.date | None, dt.date | None, str]:
    row = Assignment.objects.values_list(*progress.COLUMNS).get(pk=assignment.pk)
    return row[0], row[1], row[2]


def test_service_created_points_are_summarised(control: Control) -> None:
    for a in (control.one_off, control.periodic, control.foreign, control.co_executed):
        assert stored(a) == expected(a)
    assert stored(control.one_off) == (
        control.point(control.one_off).due_on,
        control.point(control.one_off).due_on,
        Status.OPEN,
    )


def test_a_bulk_update_by_hand_is_summarised_too(control: Control) -> None:
    past = control.today - 5 * DAY
    ControlPoint.objects.filter(assignment=control.periodic).update(due_on=past)
    assert stored(control.periodic) == (past, past, Status.OPEN)
    annotated = Assignment.objects.with_status(control.today).get(pk=control.periodic.pk)
    assert annotated.status == Status.OVERDUE  # type: ignore[attr-defined]
    assert annotated.is_overdue is True  # type: ignore[attr-defined]
    ControlPoint.objects.filter(assignment=control.periodic).delete()
    assert stored(control.periodic) == (None, None, Status.ACCEPTED)


def test_saving_a_stale_instance_keeps_the_summary(control: Control) -> None:
    stale = Assignment.objects.get(pk=control.one_off.pk)
    new_due = control.today - 2 * DAY
    ControlPoint.objects.filter(assignment=stale).update(due_on=new_due)
    stale.text = "Уточнённый текст."
    stale.save()  # its next_due still says the old date
    assert stored(stale) == (new_due, new_due, Status.OPEN)
    stale.save(update_fields=["text", "next_due"])
    assert stored(stale) == (new_due, new_due, Status.OPEN)
    assert Assignment.objects.get(pk=stale.pk).text == "Уточнённый текст."


def test_refresh_all_agrees_with_the_triggers(control: Control) -> None:
    before = {a.pk: stored(a) for a in Assignment.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute(progress.REFRESH_ALL)
    assert {a.pk: stored(a) for a in Assignment.objects.all()} == before


STATES = st.sampled_from(list(PointState.values))
OFFSETS = st.integers(min_value=-40, max_value=40)


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), OFFSETS, STATES),
        st.tuples(st.just("state"), st.integers(0, 5), STATES),
        st.tuples(st.just("move"), st.integers(0, 5), OFFSETS),
        st.tuples(st.just("all"), st.just(0), STATES),
        st.tuples(st.just("delete"), st.integers(0, 5), st.just(0)),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_summary_follows_any_change_of_the_points(
    control: Control, steps: list[tuple[str, int, object]]
) -> None:
    """Inserts, state and date changes (one row or all at once) and deletes, in any order:
    after each, the stored summary says what the points say."""
    with transaction.atomic():
        template = control.one_off
        assignment = Assignment.objects.create(
            body=template.body,
            source=template.source,
            number="9.9",
            document=template.document,
            document_date=template.document_date,
            text="Проверка сводки.",
            lead_executor=template.lead_executor,
            issued_on=template.issued_on,
        )
        for n, (kind, arg, value) in enumerate(steps):
            points = list(assignment.points.order_by("pk"))
            if kind == "add":
                ControlPoint.objects.create(
                    assignment=assignment,
                    due_on=control.today + arg * DAY,
                    original_due_on=control.today + (1000 + n) * DAY,
                    state=str(value),
                )
            elif kind == "all":
                assignment.points.update(state=value)
            elif points:
                point = points[arg % len(points)]
                if kind == "state":
                    point.state = str(value)
                    point.save(update_fields=["state"])
                elif kind == "move":
                    moved = control.today + int(str(value)) * DAY
                    ControlPoint.objects.filter(pk=point.pk).update(due_on=moved)
                else:
                    point.delete()
            assert stored(assignment) == expected(assignment), (kind, arg, value)
        transaction.set_rollback(True)


def test_refresh_command_repairs_summaries_written_around_the_triggers(control: Control) -> None:
    """A restore with the triggers off leaves wrong summaries: ``refresh_progress`` mends them
    and says how many; run again, it finds nothing to mend."""
    right = stored(control.one_off)
    Assignment.objects.filter(pk=control.one_off.pk).update(
        next_due=None, owed_due=None, progress=Status.SUBMITTED
    )
    out = StringIO()
    call_command("refresh_progress", stdout=out)
    assert "исправлено сводок: 1." in out.getvalue()
    assert stored(control.one_off) == right
    out = StringIO()
    call_command("refresh_progress", stdout=out)
    assert "исправлено сводок: 0." in out.getvalue()
