"""Changing a deadline and removing an assignment from control (DOMAIN.md, «Extension and
removal»): the lead agency asks with reasons, the secretary proposes, the chair decides; every
change is kept with the old date, the new date, who and why. Removal is proposed by the
secretary and decided by the chair — as executed only with an accepted final report, or as
«утратило актуальность» with a reason.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.control import notify
from koordinator.control.models import (
    CHANGEABLE,
    Assignment,
    ChangeState,
    ControlPoint,
    DeadlineChange,
    Lifecycle,
    PointState,
    Removal,
    RemovalState,
    Report,
    ReportKind,
    ReportState,
)
from koordinator.control.permissions import can_decide, can_manage, is_lead_officer
from koordinator.control.services import lock_point, record


def _check_new_date(point: ControlPoint, new_due_on: dt.date) -> None:
    today = timezone.localdate()
    if new_due_on < today:
        raise ValidationError(
            {
                "new_due_on": f"Новый срок {new_due_on:%d.%m.%Y} уже прошёл: перенос в прошлое невозможен."
            }
        )
    if new_due_on == point.due_on:
        raise ValidationError({"new_due_on": "Новый срок совпадает с действующим."})


def _check_point(point: ControlPoint) -> None:
    if point.assignment.lifecycle != Lifecycle.ON_CONTROL:
        raise ValidationError("Поручение снято с контроля: срок не переносится.")
    if point.state not in CHANGEABLE:
        raise ValidationError("По этому сроку отчёт уже принят: переносить нечего.")


def _reason(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"reason": "Обоснуйте перенос срока."})
    return text


def _create(point: ControlPoint, **fields: object) -> DeadlineChange:
    try:
        with transaction.atomic():
            return DeadlineChange.objects.create(point=point, old_due_on=point.due_on, **fields)
    except IntegrityError:
        raise ValidationError("По этому сроку уже есть нерассмотренный запрос переноса.") from None


@transaction.atomic
def extension_request(
    *, actor: User, point: ControlPoint, new_due_on: dt.date, reason: str
) -> DeadlineChange:
    """The lead agency's officer asks for a new date, with reasons."""
    point = lock_point(point)
    assignment = point.assignment
    if not (actor.is_superuser or is_lead_officer(actor, assignment)):
        raise PermissionDenied("Перенос срока запрашивает ответственный исполнитель.")
    _check_point(point)
    _check_new_date(point, new_due_on)
    change = _create(
        point,
        new_due_on=new_due_on,
        reason=_reason(reason),
        state=ChangeState.REQUESTED,
        requested_by=actor,
    )
    notify.queue(
        key=f"extension-requested:{change.pk}",
        kind="extension_requested",
        body=assignment.body,
        recipients=notify.secretaries(assignment.body),
        subject=f"Запрос о переносе срока: {assignment.title}",
        text=(
            f"{assignment.lead_executor} просит перенести срок с {point.due_on:%d.%m.%Y} на "
            f"{new_due_on:%d.%m.%Y}.\nОбоснование: {change.reason}\n\n"
            f"{notify.link('control:assignment', assignment.pk)}"
        ),
    )
    record(
        actor=actor,
        assignment=assignment,
        action="extension_request",
        before={"due_on": point.due_on},
        after={"new_due_on": new_due_on, "point": f"{point.original_due_on:%d.%m.%Y}"},
        ground=change.reason,
    )
    return change


@transaction.atomic
def extension_propose(
    *,
    actor: User,
    point: ControlPoint,
    new_due_on: dt.date,
    reason: str,
    change: DeadlineChange | None = None,
) -> DeadlineChange:
    """The secretary proposes a new date to the chair: on the lead agency's request
    (``change``, possibly with another date) or on their own."""
    point = lock_point(point)
    assignment = point.assignment
    if not can_manage(actor, assignment):
        raise PermissionDenied("Перенос срока предлагает председателю секретарь органа.")
    _check_point(point)
    _check_new_date(point, new_due_on)
    reason = _reason(reason)
    if change is not None:
        change = DeadlineChange.objects.select_for_update().get(pk=change.pk)
        if change.point_id != point.pk or change.state != ChangeState.REQUESTED:
            raise ValidationError("Этот запрос уже рассмотрен.")
        change.new_due_on = new_due_on
        change.state = ChangeState.PROPOSED
        change.proposed_by = actor
        change.proposed_at = timezone.now()
        change.comment = reason if reason != change.reason else ""
        change.save()
    else:
        change = _create(
            point,
            new_due_on=new_due_on,
            reason=reason,
            state=ChangeState.PROPOSED,
            proposed_by=actor,
            proposed_at=timezone.now(),
        )
    notify.queue(
        key=f"extension-proposed:{change.pk}",
        kind="extension_proposed",
        body=assignment.body,
        recipients=notify.leaders(assignment.body),
        subject=f"На решение: перенос срока, {assignment.title}",
        text=(
            f"Секретарь предлагает перенести срок с {point.due_on:%d.%m.%Y} на "
            f"{new_due_on:%d.%m.%Y}.\nОбоснование: {change.reason}\n\n"
            f"{notify.link('control:assignment', assignment.pk)}"
        ),
    )
    record(
        actor=actor,
        assignment=assignment,
        action="extension_propose",
        before={"due_on": point.due_on},
        after={"new_due_on": new_due_on, "point": f"{point.original_due_on:%d.%m.%Y}"},
        ground=reason,
    )
    return change


@transaction.atomic
def extension_decide(
    *, actor: User, change: DeadlineChange, approve: bool, comment: str = ""
) -> DeadlineChange:
    """The chair approves (the point's date moves) or rejects the proposal. The secretary may
    also decline a request instead of proposing it (with a comment)."""
    change = DeadlineChange.objects.select_for_update().get(pk=change.pk)
    point = lock_point(change.point)
    assignment = point.assignment
    comment = comment.strip()
    if change.state == ChangeState.REQUESTED and not approve and can_manage(actor, assignment):
        if not comment:
            raise ValidationError({"comment": "Напишите, почему перенос не предлагается."})
    elif change.state != ChangeState.PROPOSED:
        raise ValidationError("Решение по этому переносу уже принято или он ещё не предложен.")
    elif not can_decide(actor, assignment):
        raise PermissionDenied("Перенос срока утверждает председатель или его заместитель.")
    before = point.due_on
    if approve:
        _check_point(point)
        _check_new_date(point, change.new_due_on)
        change.old_due_on = point.due_on
        point.due_on = change.new_due_on
        point.save(update_fields=["due_on"])
    change.state = ChangeState.APPROVED if approve else ChangeState.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    if comment:
        change.comment = comment
    change.save()
    verdict = "утверждён" if approve else "отклонён"
    notify.queue(
        key=f"extension-decided:{change.pk}",
        kind="extension_decided",
        body=assignment.body,
        recipients=notify.agency_recipients(assignment.lead_executor),
        subject=f"Перенос срока {verdict}: {assignment.title}",
        text=(
            f"Перенос срока с {change.old_due_on:%d.%m.%Y} на {change.new_due_on:%d.%m.%Y} "
            f"{verdict}. Действующий срок: {point.due_on:%d.%m.%Y}.\n{comment}\n\n"
            f"{notify.link('control:assignment', assignment.pk)}"
        ),
    )
    record(
        actor=actor,
        assignment=assignment,
        action="extension_approve" if approve else "extension_reject",
        before={"due_on": before},
        after={"due_on": point.due_on, "point": f"{point.original_due_on:%d.%m.%Y}"},
        ground=comment or change.reason,
    )
    return change


# --- removal from control --------------------------------------------------------------------


def accepted_final_report(assignment: Assignment) -> Report | None:
    return (
        Report.objects.filter(
            point__assignment=assignment, kind=ReportKind.FINAL, state=ReportState.ACCEPTED
        )
        .order_by("-reviewed_at")
        .first()
    )


def _check_removable(assignment: Assignment, kind: str, reason: str) -> str:
    if assignment.lifecycle != Lifecycle.ON_CONTROL:
        raise ValidationError("Поручение уже снято с контроля.")
    if kind == Lifecycle.EXECUTED:
        final = accepted_final_report(assignment)
        if final is None:
            raise ValidationError(
                "Снять с контроля как исполненное можно только при принятом итоговом отчёте "
                "ответственного исполнителя. Примите итоговый отчёт или снимите поручение как "
                "утратившее актуальность с указанием причины."
            )
        if assignment.points.filter(state=PointState.SUBMITTED).exists():
            raise ValidationError("Есть отчёт на рассмотрении: сначала примите или верните его.")
        return reason or f"Исполнено: итоговый отчёт {final.organization} принят."
    if kind == Lifecycle.IRRELEVANT:
        if not reason:
            raise ValidationError({"reason": "Укажите, почему поручение утратило актуальность."})
        return reason
    raise ValidationError({"kind": "Укажите: исполнено или утратило актуальность."})


@transaction.atomic
def removal_propose(*, actor: User, assignment: Assignment, kind: str, reason: str) -> Removal:
    assignment = Assignment.objects.select_for_update().select_related("body").get(pk=assignment.pk)
    if not can_manage(actor, assignment):
        raise PermissionDenied("Снятие с контроля предлагает секретарь органа.")
    reason = _check_removable(assignment, kind, reason.strip())
    try:
        with transaction.atomic():
            removal = Removal.objects.create(
                assignment=assignment, kind=kind, reason=reason, proposed_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            "Предложение о снятии с контроля уже направлено председателю."
        ) from None
    notify.queue(
        key=f"removal-proposed:{removal.pk}",
        kind="removal_proposed",
        body=assignment.body,
        recipients=notify.leaders(assignment.body),
        subject=f"На решение: снятие с контроля, {assignment.title}",
        text=f"{removal.get_kind_display()}: {reason}\n\n{notify.link('control:assignment', assignment.pk)}",
    )
    record(
        actor=actor,
        assignment=assignment,
        action="removal_propose",
        after={"kind": kind},
        ground=reason,
    )
    return removal


@transaction.atomic
def removal_decide(*, actor: User, removal: Removal, approve: bool, comment: str = "") -> Removal:
    """The chair removes the assignment from control (or declines). The conditions are checked
    again at the moment of the decision."""
    removal = Removal.objects.select_for_update().get(pk=removal.pk)
    assignment = (
        Assignment.objects.select_for_update().select_related("body").get(pk=removal.assignment_id)
    )
    if not can_decide(actor, assignment):
        raise PermissionDenied("Снимает с контроля председатель или его заместитель.")
    if removal.state != RemovalState.PROPOSED:
        raise ValidationError("Решение по этому предложению уже принято.")
    comment = comment.strip()
    if approve:
        _check_removable(assignment, removal.kind, removal.reason)
        now = timezone.now()
        assignment.lifecycle = removal.kind
        assignment.removed_at = now
        assignment.removed_by = actor
        assignment.removal_reason = removal.reason
        assignment.save(
            update_fields=["lifecycle", "removed_at", "removed_by", "removal_reason", "updated_at"]
        )
        assignment.points.exclude(state=PointState.ACCEPTED).update(
            state=PointState.CLOSED, closed_at=now
        )
        DeadlineChange.objects.filter(
            point__assignment=assignment, state__in=[ChangeState.REQUESTED, ChangeState.PROPOSED]
        ).update(
            state=ChangeState.REJECTED,
            decided_by=actor,
            decided_at=now,
            comment="Поручение снято с контроля.",
        )
    elif not comment:
        raise ValidationError({"comment": "Напишите, почему поручение остаётся на контроле."})
    removal.state = RemovalState.APPROVED if approve else RemovalState.REJECTED
    removal.decided_by = actor
    removal.decided_at = timezone.now()
    removal.comment = comment
    removal.save()
    notify.queue(
        key=f"removal-decided:{removal.pk}",
        kind="removal_decided",
        body=assignment.body,
        recipients=notify.agency_recipients(assignment.lead_executor)
        if approve
        else notify.secretaries(assignment.body),
        subject=(
            f"Снято с контроля: {assignment.title}"
            if approve
            else f"Оставлено на контроле: {assignment.title}"
        ),
        text=f"{removal.reason}\n{comment}\n\n{notify.link('control:assignment', assignment.pk)}",
    )
    record(
        actor=actor,
        assignment=assignment,
        action="remove" if approve else "removal_reject",
        before={"lifecycle": Lifecycle.ON_CONTROL},
        after={"lifecycle": assignment.lifecycle},
        ground=removal.reason if approve else comment,
    )
    return removal
