"""The control demo: after ``load_demo`` the register holds assignments in every state and
the ``executor`` demo user has work in the inbox, an overdue item among it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from koordinator.accounts.models import User
from koordinator.control import selectors
from koordinator.control.models import (
    Assignment,
    ChangeState,
    DeadlineChange,
    PointState,
    ReportState,
    Source,
    Status,
)
from koordinator.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_every_state_and_executor_inbox() -> None:
    assert "загружены" in load()
    statuses = {getattr(a, "status", "") for a in Assignment.objects.with_status()}
    assert statuses >= set(Status.values)

    assert DeadlineChange.objects.filter(state=ChangeState.APPROVED).count() >= 2
    assert DeadlineChange.objects.filter(state=ChangeState.REQUESTED).count() == 1
    assert Assignment.objects.filter(
        is_periodic=True,
        points__state=PointState.ACCEPTED,
        lifecycle="on_control",
    ).exists()
    returned = Assignment.objects.filter(points__reports__state=ReportState.RETURNED).get()
    assert returned.points.get().reports.get().review_comment
    instruction = Assignment.objects.filter(source=Source.INSTRUCTION).exclude(file="").get()
    assert str(instruction.file.name).endswith(".pdf")

    executor = User.objects.get(username="executor")
    inbox = list(selectors.inbox(executor))
    assert inbox
    assert any(getattr(p, "status", "") == Status.OVERDUE for p in inbox)

    actions = set(
        AuditRecord.objects.filter(action__startswith="assignment.").values_list(
            "action", flat=True
        )
    )
    assert {
        "assignment.register",
        "assignment.report_submit",
        "assignment.report_accept",
        "assignment.report_return",
        "assignment.extension_approve",
        "assignment.remove",
    } <= actions


def test_second_run_changes_nothing() -> None:
    load()
    before = Assignment.objects.count()
    assert "уже загружены" in load()
    assert Assignment.objects.count() == before
