"""Extensions of a deadline and removal from control: asked, proposed, decided, kept."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koordinator.conftest import Cast
from koordinator.control import services_changes as svc
from koordinator.control import services_reports as reports
from koordinator.control.models import (
    Assignment,
    ChangeState,
    ControlPoint,
    DeadlineChange,
    Lifecycle,
    PointState,
    Removal,
    RemovalState,
    ReportKind,
)
from koordinator.control.tests.conftest import Control
from koordinator.core.models import AuditRecord

DAY = dt.timedelta(days=1)


def counts() -> tuple[int, ...]:
    return (
        DeadlineChange.objects.count(),
        Removal.objects.count(),
        AuditRecord.objects.count(),
        ControlPoint.objects.exclude(state=PointState.OPEN).count(),
        Assignment.objects.exclude(lifecycle=Lifecycle.ON_CONTROL).count(),
    )


def request(cast: Cast, point: ControlPoint, new: dt.date, **kw: Any) -> DeadlineChange:
    params: dict[str, Any] = {
        "actor": cast.executor,
        "point": point,
        "new_due_on": new,
        "reason": "Рейды совмещаются с операцией «Мигрант».",
    }
    params.update(kw)
    return svc.extension_request(**params)


# --- extensions ------------------------------------------------------------------------------


def test_request_is_refused_when_it_makes_no_sense(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    before = counts()
    with pytest.raises(PermissionDenied, match="ответственный исполнитель"):
        request(cast, control.point(control.co_executed), point.due_on + 5 * DAY)
    with pytest.raises(PermissionDenied):
        request(cast, point, point.due_on + 5 * DAY, actor=cast.member)
    with pytest.raises(ValidationError, match="перенос в прошлое невозможен"):
        request(cast, point, control.today - DAY)
    with pytest.raises(ValidationError, match="совпадает с действующим"):
        request(cast, point, point.due_on)
    with pytest.raises(ValidationError, match="Обоснуйте"):
        request(cast, point, point.due_on + 5 * DAY, reason="  ")
    assert counts() == before


def test_second_pending_request_is_refused(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    request(cast, point, point.due_on + 5 * DAY)
    before = counts()
    with pytest.raises(ValidationError, match="уже есть нерассмотренный запрос"):
        request(cast, point, point.due_on + 7 * DAY)
    with pytest.raises(ValidationError, match="уже есть нерассмотренный запрос"):
        svc.extension_propose(
            actor=cast.secretary, point=point, new_due_on=point.due_on + 9 * DAY, reason="Иначе."
        )
    assert counts() == before


def test_request_proposed_with_another_date_and_approved(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    original = point.due_on
    change = request(cast, point, original + 30 * DAY)
    assert change.state == ChangeState.REQUESTED and change.old_due_on == original
    with pytest.raises(PermissionDenied):
        svc.extension_propose(
            actor=cast.executor,
            point=point,
            new_due_on=original + 20 * DAY,
            reason="x",
            change=change,
        )
    # The chair cannot approve what the secretary has not proposed yet.
    with pytest.raises(ValidationError, match="ещё не предложен"):
        svc.extension_decide(actor=cast.chair, change=change, approve=True)

    svc.extension_propose(
        actor=cast.secretary,
        point=point,
        new_due_on=original + 20 * DAY,
        reason="Достаточно 20 дней.",
        change=change,
    )
    change.refresh_from_db()
    assert change.state == ChangeState.PROPOSED and change.new_due_on == original + 20 * DAY
    assert change.proposed_by == cast.secretary and change.requested_by == cast.executor

    with pytest.raises(PermissionDenied, match="председатель"):
        svc.extension_decide(actor=cast.member, change=change, approve=True)
    with pytest.raises(PermissionDenied):
        svc.extension_decide(actor=cast.secretary, change=change, approve=True)

    svc.extension_decide(actor=cast.chair, change=change, approve=True, comment="Согласен.")
    point.refresh_from_db()
    change.refresh_from_db()
    assert point.due_on == original + 20 * DAY and point.original_due_on == original
    assert (change.old_due_on, change.new_due_on) == (original, original + 20 * DAY)
    assert change.state == ChangeState.APPROVED and change.decided_by == cast.chair
    assert change.reason == "Рейды совмещаются с операцией «Мигрант»."
    assert change.comment == "Согласен."
    audit = AuditRecord.objects.get(action="assignment.extension_approve")
    assert audit.actor == cast.chair
    assert audit.before == {"due_on": original.isoformat()}
    assert (audit.after or {})["due_on"] == (original + 20 * DAY).isoformat()
    with pytest.raises(ValidationError, match="уже принято"):
        svc.extension_decide(actor=cast.chair, change=change, approve=False)


def test_chair_rejects_and_the_date_stays(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    change = svc.extension_propose(
        actor=cast.secretary, point=point, new_due_on=point.due_on + 10 * DAY, reason="Праздники."
    )
    svc.extension_decide(actor=cast.chair, change=change, approve=False, comment="Нет оснований.")
    change.refresh_from_db()
    moved = ControlPoint.objects.get(pk=point.pk)
    assert change.state == ChangeState.REJECTED and moved.due_on == point.due_on
    # A new request may follow once nothing is pending.
    request(cast, point, point.due_on + 3 * DAY)


def test_secretary_declines_a_request_with_a_comment(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    change = request(cast, point, point.due_on + 3 * DAY)
    with pytest.raises(ValidationError, match="почему перенос не предлагается"):
        svc.extension_decide(actor=cast.secretary, change=change, approve=False)
    svc.extension_decide(actor=cast.secretary, change=change, approve=False, comment="Рано.")
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED and change.comment == "Рано."


def test_approval_rechecks_the_date(cast: Cast, control: Control) -> None:
    point = control.point(control.one_off)
    new = point.due_on + 2 * DAY
    change = svc.extension_propose(
        actor=cast.secretary, point=point, new_due_on=new, reason="Праздники."
    )
    before = counts()
    with (
        mock.patch.object(svc.timezone, "localdate", return_value=new + DAY),
        pytest.raises(ValidationError, match="уже прошёл"),
    ):
        svc.extension_decide(actor=cast.chair, change=change, approve=True)
    assert counts() == before
    change.refresh_from_db()
    assert change.state == ChangeState.PROPOSED
    assert ControlPoint.objects.get(pk=point.pk).due_on == point.due_on


# --- removal ---------------------------------------------------------------------------------


def accept_final(cast: Cast, point: ControlPoint) -> None:
    report = reports.report_submit(
        actor=cast.executor,
        point=point,
        organization=cast.police,
        kind=ReportKind.FINAL,
        text="Всё.",
    )
    reports.report_accept(actor=cast.secretary, report=report)


def test_executed_needs_an_accepted_final_report(cast: Cast, control: Control) -> None:
    assignment = control.periodic
    points = list(assignment.points.order_by("due_on"))
    before = counts()
    with pytest.raises(ValidationError, match="только при принятом итоговом отчёте"):
        svc.removal_propose(
            actor=cast.secretary, assignment=assignment, kind=Lifecycle.EXECUTED, reason=""
        )
    with pytest.raises(PermissionDenied):
        svc.removal_propose(
            actor=cast.executor, assignment=assignment, kind=Lifecycle.EXECUTED, reason=""
        )
    assert counts() == before

    accept_final(cast, points[0])
    pending = svc.extension_propose(
        actor=cast.secretary, point=points[1], new_due_on=points[1].due_on + DAY, reason="Сдвиг."
    )
    removal = svc.removal_propose(
        actor=cast.secretary, assignment=assignment, kind=Lifecycle.EXECUTED, reason=""
    )
    assert removal.reason.startswith("Исполнено: итоговый отчёт")
    with pytest.raises(ValidationError, match="уже направлено председателю"):
        svc.removal_propose(
            actor=cast.secretary, assignment=assignment, kind=Lifecycle.IRRELEVANT, reason="x"
        )
    with pytest.raises(PermissionDenied):
        svc.removal_decide(actor=cast.member, removal=removal, approve=True)

    svc.removal_decide(actor=cast.chair, removal=removal, approve=True)
    assignment.refresh_from_db()
    removal.refresh_from_db()
    pending.refresh_from_db()
    assert assignment.lifecycle == Lifecycle.EXECUTED and assignment.removed_by == cast.chair
    assert assignment.removed_at is not None and assignment.removal_reason == removal.reason
    assert removal.state == RemovalState.APPROVED
    states = list(assignment.points.order_by("due_on").values_list("state", flat=True))
    assert states[0] == PointState.ACCEPTED
    assert set(states[1:]) == {PointState.CLOSED}
    assert pending.state == ChangeState.REJECTED
    assert pending.comment == "Поручение снято с контроля."
    assert AuditRecord.objects.filter(action="assignment.remove", actor=cast.chair).exists()
    with pytest.raises(ValidationError, match="уже принято"):
        svc.removal_decide(actor=cast.chair, removal=removal, approve=True)
    with pytest.raises(ValidationError, match="уже снято"):
        svc.removal_propose(
            actor=cast.secretary, assignment=assignment, kind=Lifecycle.IRRELEVANT, reason="x"
        )
    with pytest.raises(ValidationError, match="снято с контроля"):
        svc.extension_propose(
            actor=cast.secretary, point=points[1], new_due_on=points[1].due_on + DAY, reason="x"
        )


def test_irrelevant_needs_a_reason_and_rejection_a_comment(cast: Cast, control: Control) -> None:
    assignment = control.one_off
    before = counts()
    with pytest.raises(ValidationError, match="утратило актуальность"):
        svc.removal_propose(
            actor=cast.secretary, assignment=assignment, kind=Lifecycle.IRRELEVANT, reason="  "
        )
    with pytest.raises(ValidationError, match="исполнено или утратило"):
        svc.removal_propose(actor=cast.secretary, assignment=assignment, kind="lost", reason="x")
    assert counts() == before

    removal = svc.removal_propose(
        actor=cast.secretary,
        assignment=assignment,
        kind=Lifecycle.IRRELEVANT,
        reason="Мероприятие отменено.",
    )
    before = counts()
    with pytest.raises(ValidationError, match="остаётся на контроле"):
        svc.removal_decide(actor=cast.chair, removal=removal, approve=False, comment=" ")
    assert counts() == before
    svc.removal_decide(actor=cast.chair, removal=removal, approve=False, comment="Не снимать.")
    removal.refresh_from_db()
    assignment.refresh_from_db()
    assert removal.state == RemovalState.REJECTED and removal.comment == "Не снимать."
    assert assignment.lifecycle == Lifecycle.ON_CONTROL

    again = svc.removal_propose(
        actor=cast.secretary,
        assignment=assignment,
        kind=Lifecycle.IRRELEVANT,
        reason="Мероприятие отменено окончательно.",
    )
    svc.removal_decide(actor=cast.chair, removal=again, approve=True)
    assignment.refresh_from_db()
    assert assignment.lifecycle == Lifecycle.IRRELEVANT
    assert assignment.removal_reason == "Мероприятие отменено окончательно."
    assert control.point(assignment).state == PointState.CLOSED
